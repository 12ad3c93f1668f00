-- Persons affected by notices of redundancy (varsel), month by month, in one county.
-- params: $lan  2-digit county code (e.g. '20'; the loaded data covers Dalarna only)
-- returns: period, period_date, value, source_id
-- reads: observation
-- example: {"lan": "20"}
SELECT o.period, o.period_date, o.value, o.source_id
FROM observation o
WHERE o.indicator_id = 'varsel' AND o.region_code = $lan AND o.sex = 'T' AND o.category = ''
  AND o.preferred
ORDER BY o.period_date
