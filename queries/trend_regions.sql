-- Regions with at least one value for an indicator, sex and category: Riket, every län, and the
-- municipalities of one county. Ordered for a picker: Riket, the county, its municipalities,
-- then the other län.
-- params: $indicator  indicator id from the catalogue (e.g. 'arbetsloshet')
--         $sex        'T' total, 'K' women, 'M' men
--         $category   '' for the whole population, else a category value (e.g. 'utrikes född')
--         $lan        2-digit code of the current county (e.g. '20')
-- returns: code, name, name_en, level, parent_code, first_period, last_period, n_values
-- reads: observation_wide (derived: queries/derived/observation_wide.sql)
-- example: {"indicator": "arbetsloshet", "sex": "T", "category": "", "lan": "20"}
WITH covered AS (
    SELECT region_code AS code, region_name AS name, region_name_en AS name_en, level, parent_code,
           arg_min(period, period_date) AS first_period,
           arg_max(period, period_date) AS last_period,
           count(value) AS n_values
    FROM observation_wide
    WHERE indicator_id = $indicator AND sex = $sex AND category = $category AND preferred
      AND value IS NOT NULL
      AND (level IN ('riket', 'lan') OR (level = 'kommun' AND parent_code = $lan))
    GROUP BY region_code, region_name, region_name_en, level, parent_code
)
SELECT * FROM covered
ORDER BY CASE WHEN level = 'riket' THEN 1 WHEN code = $lan THEN 2 WHEN level = 'kommun' THEN 3 ELSE 4 END,
         name COLLATE sv
