-- Latest value of one indicator for each requested region (total population: sex T, no category).
-- params: $indicator  indicator id from the catalogue (e.g. 'arbetsloshet')
--         $regions    list of region codes (e.g. ['20', '00'])
-- returns: region_code, region_name, region_name_en, level, period, period_type, value, source_id
-- reads: observation_wide (derived: queries/derived/observation_wide.sql)
-- example: {"indicator": "arbetsloshet", "regions": ["2085", "20", "00"]}
SELECT region_code, arg_max(region_name, period_date) AS region_name,
       arg_max(region_name_en, period_date) AS region_name_en, arg_max(level, period_date) AS level,
       arg_max(period, period_date) AS period, arg_max(period_type, period_date) AS period_type,
       arg_max(value, period_date) AS value, arg_max(source_id, period_date) AS source_id
FROM observation_wide
WHERE indicator_id = $indicator AND sex = 'T' AND category = '' AND preferred
  AND list_contains($regions, region_code) AND value IS NOT NULL
GROUP BY region_code
ORDER BY list_position($regions, region_code)
