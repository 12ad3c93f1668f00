-- The indicator catalogue with its coverage in the loaded data.
-- params: (none)
-- returns: id, label_sv, label_en, unit, decimals, frequency, definition_sv, definition_en,
--          source_ids, higher_is_better, first_period, last_period, n_regions, levels, n_values
-- example: {}
SELECT i.id, i.label_sv, i.label_en, i.unit, i.decimals, i.frequency, i.definition_sv,
       i.definition_en, i.source_ids, i.higher_is_better,
       arg_min(o.period, o.period_date) AS first_period,
       arg_max(o.period, o.period_date) AS last_period,
       count(DISTINCT o.region_code) AS n_regions,
       string_agg(DISTINCT r.level, ', ' ORDER BY r.level) AS levels,
       count(o.value) AS n_values
FROM indicator i
LEFT JOIN observation o ON o.indicator_id = i.id
LEFT JOIN region r ON r.code = o.region_code
GROUP BY ALL
ORDER BY i.id
