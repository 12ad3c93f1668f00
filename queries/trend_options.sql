-- The breakdowns (sex and category) one indicator has, with how many regions and län carry values.
-- params: $indicator  indicator id from the catalogue (e.g. 'matchningsgrad')
-- returns: sex, category, n_regions, n_lan, n_values, first_period, last_period
-- example: {"indicator": "matchningsgrad"}
SELECT o.sex, o.category,
       count(DISTINCT o.region_code) AS n_regions,
       count(DISTINCT CASE WHEN r.level = 'lan' THEN o.region_code END) AS n_lan,
       count(o.value) AS n_values,
       arg_min(o.period, o.period_date) AS first_period,
       arg_max(o.period, o.period_date) AS last_period
FROM observation o
JOIN region r ON r.code = o.region_code
WHERE o.indicator_id = $indicator AND o.preferred AND o.value IS NOT NULL
GROUP BY o.sex, o.category
ORDER BY CASE o.sex WHEN 'T' THEN 1 WHEN 'K' THEN 2 ELSE 3 END, o.category
