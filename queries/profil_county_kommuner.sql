-- One indicator for every kommun of a county, at the latest period where any of them has a value
-- (total population: sex T, no category). Used for the default kommun and for rankings.
-- params: $lan        2-digit county code (e.g. '20')
--         $indicator  indicator id (e.g. 'befolkning_20_64')
-- returns: region_code, region_name, region_name_en, period, value
-- reads: observation, region
-- example: {"lan": "20", "indicator": "befolkning_20_64"}
WITH obs AS (
    SELECT o.region_code, o.period, o.period_date, o.value
    FROM observation o
    JOIN region r ON r.code = o.region_code
    WHERE r.level = 'kommun' AND r.parent_code = $lan AND o.indicator_id = $indicator
      AND o.sex = 'T' AND o.category = '' AND o.preferred
)
SELECT o.region_code, r.name AS region_name, r.name_en AS region_name_en, o.period, o.value
FROM obs o
JOIN region r ON r.code = o.region_code
WHERE o.period_date = (SELECT max(period_date) FROM obs WHERE value IS NOT NULL)
ORDER BY o.value DESC NULLS LAST, r.name
