-- The map levels that have something to show: the county's kommuner, Sweden's 21 län (series
-- that one source publishes for more than one län, so the län are compared within one vintage) and
-- all of Sweden's kommuner (only when kommun values of more than one county are loaded, e.g. after
-- `python -m atlas update --all-counties`).
-- params: $lan  2-digit county code (e.g. '20')
-- returns: level ('kommun' | 'lan' | 'sverige'), n_indicators
-- reads: observation_wide (derived: queries/derived/observation_wide.sql)
-- example: {"lan": "20"}
WITH per_indicator AS (
    SELECT indicator_id,
           bool_or(level = 'kommun' AND parent_code = $lan AND preferred) AS county_kommuner,
           bool_or(level = 'lan' AND in_comparison) AS lan,
           count(DISTINCT parent_code) FILTER (WHERE level = 'kommun' AND preferred) AS kommun_counties
    FROM observation_wide
    WHERE sex = 'T' AND value IS NOT NULL AND level IN ('kommun', 'lan')
    GROUP BY indicator_id
)
SELECT l.level, count(p.indicator_id) AS n_indicators
FROM (VALUES ('kommun', 1), ('lan', 2), ('sverige', 3)) l(level, ord)
LEFT JOIN per_indicator p
       ON (l.level = 'kommun' AND p.county_kommuner) OR (l.level = 'lan' AND p.lan)
       OR (l.level = 'sverige' AND p.kommun_counties > 1)
GROUP BY l.level, l.ord
ORDER BY l.ord
