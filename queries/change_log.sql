-- The change log: per version (newest first) and indicator, what changed against the version before:
-- periods and values added, values revised (how many; the largest with its old and new value), values
-- and series gone. A version that changed no observation (a first build, a register edit) has one row
-- with indicator_id NULL.
-- params: (none)
-- returns: version_id, changed_at, trigger, indicator_id, label_sv, label_en, periods_added, n_added,
--   n_revised, max_revision_region, max_revision_period, max_revision_sex, max_revision_category,
--   max_revision_old, max_revision_new, n_removed, periods_removed, n_series_gone, series_gone
-- reads: data_version, change_log
-- example: {}
SELECT v.version_id, v.built_at AS changed_at, v.trigger, c.indicator_id, c.label_sv, c.label_en,
       c.periods_added, c.n_added, c.n_revised, c.max_revision_region, c.max_revision_period,
       c.max_revision_sex, c.max_revision_category, c.max_revision_old, c.max_revision_new, c.n_removed,
       c.periods_removed, c.n_series_gone, c.series_gone
FROM data_version v
LEFT JOIN change_log c USING (version_id)
ORDER BY v.built_at DESC, v.version_id DESC, c.indicator_id
