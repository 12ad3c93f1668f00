-- Every source behind the database, with provenance.
-- params: (none)
-- returns: id, publisher, title_sv, title_en, url, licence, sha256, bytes, retrieved_at, origin, rows, kind
-- reads: source
-- example: {}
SELECT id, publisher, title_sv, title_en, url, licence, sha256, bytes, retrieved_at, origin, rows, kind
FROM source
ORDER BY kind = 'curated', id
