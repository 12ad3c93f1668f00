-- Every source behind the database, with provenance.
-- params: (none)
-- returns: id, publisher, title_sv, title_en, url, licence, sha256, bytes, retrieved_at, origin, rows, kind, api
--   (api: the API that delivered a live dataset, e.g. "PxWebApi 2 ... TAB6260 = ArbStatusM"; "" for files)
-- reads: source
-- example: {}
SELECT id, publisher, title_sv, title_en, url, licence, sha256, bytes, retrieved_at, origin, rows, kind, api
FROM source
ORDER BY kind = 'curated', id
