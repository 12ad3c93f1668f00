-- Indicators with values for the kommuner of one county (total population, preferred source), in
-- catalogue order, with the catalogue fields the map needs.
-- params: $lan  2-digit county code (e.g. '20')
-- returns: id, label_sv, label_en, unit, decimals, frequency, higher_is_better, definition_sv,
--          definition_en, categories_en, last_period
-- example: {"lan": "20"}
SELECT i.id, i.label_sv, i.label_en, i.unit, i.decimals, i.frequency, i.higher_is_better,
       i.definition_sv, i.definition_en, i.categories_en,
       arg_max(o.period, o.period_date) AS last_period
FROM indicator i
JOIN observation o ON o.indicator_id = i.id
JOIN region r ON r.code = o.region_code
WHERE r.level = 'kommun' AND r.parent_code = $lan
  AND o.sex = 'T' AND o.preferred AND o.value IS NOT NULL
GROUP BY i.rowid, i.id, i.label_sv, i.label_en, i.unit, i.decimals, i.frequency, i.higher_is_better,
         i.definition_sv, i.definition_en, i.categories_en
ORDER BY i.rowid
