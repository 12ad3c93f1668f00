-- Persons affected by notices of redundancy (varsel) per year and industry (SNI 2007 section) in
-- one county; 'Uppgift saknas' is the source's own category for an unknown industry.
-- params: $lan  2-digit county code (e.g. '20'; the loaded data covers Dalarna only)
-- returns: period, category, value, source_id
-- reads: observation
-- example: {"lan": "20"}
SELECT o.period, o.category, o.value, o.source_id
FROM observation o
WHERE o.indicator_id = 'varsel_bransch' AND o.region_code = $lan AND o.sex = 'T' AND o.preferred
ORDER BY o.period, o.category
