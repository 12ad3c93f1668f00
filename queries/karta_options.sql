-- The periods and categories (population groups) in which one indicator has values at one map
-- level (see karta_indicators for the levels), newest period first.
-- params: $indicator  indicator id (e.g. 'arbetsloshet')
--         $lan        2-digit county code (e.g. '20')
--         $level      'kommun' | 'lan' | 'sverige'
-- returns: category ('' = whole population), period, period_date, n_regions (regions with a value)
-- reads: observation_wide (derived: queries/derived/observation_wide.sql)
-- example: {"indicator": "arbetsloshet", "lan": "20", "level": "kommun"}
SELECT category, period, period_date, count(value) AS n_regions
FROM observation_wide
WHERE indicator_id = $indicator AND sex = 'T'
  AND (($level = 'kommun' AND level = 'kommun' AND parent_code = $lan AND preferred)
    OR ($level = 'lan' AND level = 'lan' AND in_comparison)
    OR ($level = 'sverige' AND level = 'kommun' AND preferred))
GROUP BY ALL
HAVING count(value) > 0
ORDER BY category, period_date DESC
