-- Indicators with values at one map level (total population), in catalogue order, with the
-- catalogue fields the map needs. Levels: 'kommun' = the kommuner of county $lan (preferred source),
-- 'lan' = Sweden's län from the series' comparison source (one vintage for every län), 'sverige' =
-- every kommun of Sweden (preferred source), offered once more than one county's kommuner are loaded.
-- params: $lan    2-digit county code (e.g. '20')
--         $level  'kommun' | 'lan' | 'sverige'
-- returns: id, label_sv, label_en, unit, decimals, frequency, higher_is_better, definition_sv,
--          definition_en, categories_en, last_period
-- reads: indicator, observation_wide (derived: queries/derived/observation_wide.sql)
-- example: {"lan": "20", "level": "kommun"}
WITH last AS (
    SELECT indicator_id, arg_max(period, period_date) AS last_period
    FROM observation_wide
    WHERE sex = 'T' AND value IS NOT NULL
      AND (($level = 'kommun' AND level = 'kommun' AND parent_code = $lan AND preferred)
        OR ($level = 'lan' AND level = 'lan' AND in_comparison)
        OR ($level = 'sverige' AND level = 'kommun' AND preferred))
    GROUP BY indicator_id
    HAVING $level <> 'sverige' OR count(DISTINCT parent_code) > 1
)
SELECT i.id, i.label_sv, i.label_en, i.unit, i.decimals, i.frequency, i.higher_is_better,
       i.definition_sv, i.definition_en, i.categories_en, l.last_period
FROM indicator i
JOIN last l ON l.indicator_id = i.id
ORDER BY i.rowid
