-- Indicators with values for the kommuner of one county (total population, preferred source), in
-- catalogue order, with the catalogue fields the map needs.
-- params: $lan  2-digit county code (e.g. '20')
-- returns: id, label_sv, label_en, unit, decimals, frequency, higher_is_better, definition_sv,
--          definition_en, categories_en, last_period
-- reads: indicator, observation_wide (derived: queries/derived/observation_wide.sql)
-- example: {"lan": "20"}
WITH last AS (
    SELECT indicator_id, arg_max(period, period_date) AS last_period
    FROM observation_wide
    WHERE level = 'kommun' AND parent_code = $lan AND sex = 'T' AND preferred AND value IS NOT NULL
    GROUP BY indicator_id
)
SELECT i.id, i.label_sv, i.label_en, i.unit, i.decimals, i.frequency, i.higher_is_better,
       i.definition_sv, i.definition_en, i.categories_en, l.last_period
FROM indicator i
JOIN last l ON l.indicator_id = i.id
ORDER BY i.rowid
