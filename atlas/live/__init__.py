"""Live data from the publishers' APIs: SCB (PxWeb v1), Kolada and Arbetsförmedlingen.

``python -m atlas update`` (atlas.live.update.run_update) fetches each dataset into a staging folder,
checks it, and only when every requested dataset succeeded moves the files into data/live/ and
rebuilds the database; the build (atlas.build) reads data/live/*.parquet as extra sources that win
over the mirror files where they overlap.

Modules: http (session, timeouts, rate limits, retries), paging (cell-limit splitting), jsonstat
(json-stat2 -> long frame), scb / kolada / arbetsformedlingen (one client each), datasets (what is
fetched and how it maps to indicator ids), store (staging, sidecars, loading for the build), update
(orchestration), cli (the ``update`` subcommand).

Why not a client library (the issue asked to prefer one; both were read, 2026-11-27):
- pxwebpy 0.6.0 (MIT; PyPI) speaks only PxWebApi 2 (statistikdatabasen.scb.se/api/v2, tables by id):
  its Client reads ``/config`` and raises ApiVersionError below apiVersion 2.0.0, so it cannot call
  the v1 endpoint (api.scb.se/OV0104/v1/doris/...) that SOURCES.md documents and the tables' paths
  use. It also caches POST answers for an hour in memory (requests-cache), which would hide a new
  publication from a re-run. Its rate limiter and 429/Retry-After handling match ours. It is the
  first choice if the atlas moves to PxWebApi 2 (table ids then need checking online).
- koladapy 1.0.1 (MIT; Kolada v3) continues with the other batches when one batch fails
  (``_batch_request`` logs and drops it), so an update could silently commit partial data, which
  the update must never do; a 429 sleeps Retry-After (default 60 s) and then backs off again on
  top; it draws tqdm progress bars on stderr. Not used.
Our own clients are small (scb.py, kolada.py, http.py on requests, pinned) and tested over HTTP
against fakes in the documented formats (tests/live).

Keep this file free of imports: atlas.build imports atlas.live.store, and update imports atlas.build.
"""
