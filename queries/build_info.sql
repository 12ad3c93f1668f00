-- When and from what the database was built.
-- params: (none)
-- returns: key, value  (keys: fingerprint, built_at, schema_version)
-- reads: meta
-- example: {}
SELECT key, value FROM meta ORDER BY key
