-- Every version of the data (a build or an update), newest first, with what changed.
-- params: (none)
-- returns: version_id, built_at, trigger, is_current, previous_id, n_indicators_changed, sources_added,
--   sources_changed, sources_removed, note
-- reads: data_version, meta
-- example: {}
SELECT v.version_id, v.built_at, v.trigger, v.version_id = m.value AS is_current, v.previous_id,
       v.n_indicators_changed, v.sources_added, v.sources_changed, v.sources_removed, v.note
FROM data_version v
LEFT JOIN meta m ON m.key = 'version_id'
ORDER BY v.built_at DESC, v.version_id DESC
