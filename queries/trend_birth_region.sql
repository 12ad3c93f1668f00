-- Unemployment (20-64 years) for people born in Sweden and born abroad, month by month, in one region.
-- params: $region  region code: Riket '00', a län ('20') or a kommun ('2080')
-- returns: period, period_date, category, value, source_id
-- reads: observation
-- example: {"region": "20"}
SELECT o.period, o.period_date, o.category, o.value, o.source_id
FROM observation o
WHERE o.indicator_id = 'arbetsloshet' AND o.region_code = $region AND o.sex = 'T'
  AND o.category IN ('inrikes född', 'utrikes född') AND o.preferred
ORDER BY o.period_date, o.category
