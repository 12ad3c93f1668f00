-- Every län (and Riket where the source has it) for one indicator, sex and category, read from
-- ONE source so that the län are comparable: the source covering the most län (ties: the most
-- values, then the source id). Rows are read whether or not they are the preferred vintage; the
-- column `preferred` says whether another (newer) source is shown elsewhere in the atlas.
-- params: $indicator  indicator id from the catalogue (e.g. 'arbetsloshet')
--         $sex        'T' total, 'K' women, 'M' men
--         $category   '' for the whole population, else a category value (e.g. 'födda i Asien')
-- returns: region_code, region_name, region_name_en, short_name, short_name_en, level, period,
--          period_date, value, source_id, preferred
-- example: {"indicator": "arbetsloshet", "sex": "T", "category": ""}
-- (The source ranking aggregates per region first: no DISTINCT aggregate, ~30% faster.)
WITH per_region AS (
    SELECT o.source_id, o.region_code, count(*) AS n_values
    FROM observation o
    WHERE o.indicator_id = $indicator AND o.sex = $sex AND o.category = $category
      AND o.value IS NOT NULL
    GROUP BY o.source_id, o.region_code
), ranked AS (
    SELECT p.source_id, count(*) FILTER (WHERE r.level = 'lan') AS n_lan, sum(p.n_values) AS n_values
    FROM per_region p
    JOIN region r ON r.code = p.region_code
    GROUP BY p.source_id
    ORDER BY n_lan DESC, n_values DESC, p.source_id
    LIMIT 1
)
SELECT o.region_code, r.name AS region_name, r.name_en AS region_name_en, r.short_name,
       r.short_name_en, r.level, o.period, o.period_date, o.value, o.source_id, o.preferred
FROM observation o
JOIN ranked s ON s.source_id = o.source_id
JOIN region r ON r.code = o.region_code
WHERE o.indicator_id = $indicator AND o.sex = $sex AND o.category = $category
  AND r.level IN ('riket', 'lan') AND s.n_lan > 1
ORDER BY o.period_date, CASE r.level WHEN 'riket' THEN 0 ELSE 1 END, r.name COLLATE sv
