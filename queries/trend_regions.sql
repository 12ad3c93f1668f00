-- Regions with at least one value for an indicator, sex and category: Riket, every län, and the
-- municipalities of one county. Ordered for a picker: Riket, the county, its municipalities,
-- then the other län.
-- params: $indicator  indicator id from the catalogue (e.g. 'arbetsloshet')
--         $sex        'T' total, 'K' women, 'M' men
--         $category   '' for the whole population, else a category value (e.g. 'utrikes född')
--         $lan        2-digit code of the current county (e.g. '20')
-- returns: code, name, name_en, level, parent_code, first_period, last_period, n_values
-- example: {"indicator": "arbetsloshet", "sex": "T", "category": "", "lan": "20"}
WITH covered AS (
    SELECT r.code, r.name, r.name_en, r.level, r.parent_code,
           arg_min(o.period, o.period_date) AS first_period,
           arg_max(o.period, o.period_date) AS last_period,
           count(o.value) AS n_values
    FROM observation o
    JOIN region r ON r.code = o.region_code
    WHERE o.indicator_id = $indicator AND o.sex = $sex AND o.category = $category AND o.preferred
      AND o.value IS NOT NULL
      AND (r.level IN ('riket', 'lan') OR (r.level = 'kommun' AND r.parent_code = $lan))
    GROUP BY r.code, r.name, r.name_en, r.level, r.parent_code
)
SELECT * FROM covered
ORDER BY CASE WHEN level = 'riket' THEN 1 WHEN code = $lan THEN 2 WHEN level = 'kommun' THEN 3 ELSE 4 END,
         name COLLATE sv
