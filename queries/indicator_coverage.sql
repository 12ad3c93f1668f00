-- The indicator catalogue with its coverage in the loaded data (the build's indicator_stats table,
-- queries/derived/indicator_stats.sql).
-- params: (none)
-- returns: id, label_sv, label_en, unit, decimals, frequency, definition_sv, definition_en,
--          source_ids, higher_is_better, live_only, series_breaks, first_period, last_period,
--          n_regions, levels, n_values
--   (live_only: produced only by an update from the APIs; series_breaks: first periods of a new
--   series, comma-separated, '' = none; n_values 0 = not loaded)
-- reads: indicator, indicator_stats (derived: queries/derived/indicator_stats.sql)
-- example: {}
SELECT i.id, i.label_sv, i.label_en, i.unit, i.decimals, i.frequency, i.definition_sv,
       i.definition_en, i.source_ids, i.higher_is_better, i.live_only, i.series_breaks,
       CASE WHEN i.frequency = 'month' THEN strftime(a.first_date, '%Y') || 'M' || strftime(a.first_date, '%m')
            ELSE strftime(a.first_date, '%Y') END AS first_period,
       CASE WHEN i.frequency = 'month' THEN strftime(a.last_date, '%Y') || 'M' || strftime(a.last_date, '%m')
            ELSE strftime(a.last_date, '%Y') END AS last_period,
       coalesce(a.n_regions, 0) AS n_regions, a.levels, CAST(coalesce(a.n_values, 0) AS BIGINT) AS n_values
FROM indicator i
LEFT JOIN indicator_stats a ON a.indicator_id = i.id
ORDER BY i.id
