"""Live data from the publishers' APIs: SCB (PxWeb v1), Kolada and Arbetsförmedlingen.

``python -m atlas update`` (atlas.live.update.run_update) fetches each dataset into a staging folder,
checks it, and only when every requested dataset succeeded moves the files into data/live/ and
rebuilds the database; the build (atlas.build) reads data/live/*.parquet as extra sources that win
over the mirror files where they overlap.

Modules: http (session, timeouts, rate limits, retries), paging (cell-limit splitting), jsonstat
(json-stat2 -> long frame), scb / kolada / arbetsformedlingen (one client each), datasets (what is
fetched and how it maps to indicator ids), store (staging, sidecars, loading for the build), update
(orchestration), cli (the ``update`` subcommand).

Keep this file free of imports: atlas.build imports atlas.live.store, and update imports atlas.build.
"""
