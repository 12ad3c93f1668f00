-- The periods and categories (population groups) in which one indicator has values for the
-- kommuner of one county, newest period first.
-- params: $indicator  indicator id (e.g. 'arbetsloshet')
--         $lan        2-digit county code (e.g. '20')
-- returns: category ('' = whole population), period, period_date, n_kommuner (kommuner with a value)
-- reads: observation, region
-- example: {"indicator": "arbetsloshet", "lan": "20"}
SELECT o.category, o.period, o.period_date, count(o.value) AS n_kommuner
FROM observation o
JOIN region r ON r.code = o.region_code
WHERE o.indicator_id = $indicator AND r.level = 'kommun' AND r.parent_code = $lan
  AND o.sex = 'T' AND o.preferred
GROUP BY ALL
HAVING count(o.value) > 0
ORDER BY o.category, o.period_date DESC
