"""Live data from the publishers' APIs: SCB (PxWebApi 2, PxWeb v1 as a fallback), Kolada and
Arbetsförmedlingen.

``python -m atlas update`` (atlas.live.update.run_update) fetches each dataset into a staging folder,
checks it, and only when every requested dataset succeeded moves the files into data/live/ and
rebuilds the database; the build (atlas.build) reads data/live/*.parquet as extra sources that win
over the mirror files where they overlap, and records the data version and change log
(atlas.versions).

Modules: http (session, timeouts, rate limits, retries, byte cap, deadline), paging (cell-limit
splitting), jsonstat (json-stat2 -> long frame), scb (the tables, value selection by text, the v1
client) / pxweb2 (the PxWebApi 2 client) / kolada / arbetsformedlingen, datasets (what is fetched,
which SCB API, and how it maps to indicator ids), store (staging, sidecars, loading for the build),
update (orchestration), cli (the ``update`` subcommand).

Why no client library (README, "Live data", has the evidence): pxwebpy (PxWebApi 2) returns parsed
rows, not the raw answers the update hashes and records, reads whole bodies through its own cached
session (no byte cap or deadline can be put on it), raises English-only errors and takes a zero
rate limit as none; koladapy drops a failed batch and continues, so an update could commit partial
data. Our clients are small, share one HTTP layer with the same limits and bilingual messages, and
are tested over HTTP against fakes serving the documented formats (tests/live).

Keep this file free of imports: atlas.build imports atlas.live.store, and update imports atlas.build.
"""
