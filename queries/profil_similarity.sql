-- Values of the chosen indicators for EVERY kommun in the database, at the latest period where the
-- chosen kommun has a value for all of them (total population: sex T, no category). Kommuner that
-- lack a value at that period are left to the caller to drop.
-- params: $kommun      4-digit code of the kommun to compare with (e.g. '2085')
--         $indicators  list of indicator ids (e.g. ['arbetsloshet', 'sysselsattningsgrad'])
-- returns: region_code, region_name, region_name_en, parent_code, indicator_id, period, value
-- reads: observation_wide (derived: queries/derived/observation_wide.sql)
-- example: {"kommun": "2085", "indicators": ["arbetsloshet", "sysselsattningsgrad", "arbetskraftsdeltagande"]}
WITH vals AS (
    SELECT region_code, region_name, region_name_en, parent_code, indicator_id, period, period_date, value
    FROM observation_wide
    WHERE level = 'kommun' AND list_contains($indicators, indicator_id)
      AND sex = 'T' AND category = '' AND preferred AND value IS NOT NULL
),
common AS (
    SELECT max(period_date) AS period_date
    FROM (
        SELECT period_date
        FROM vals
        WHERE region_code = $kommun
        GROUP BY period_date
        HAVING count(DISTINCT indicator_id) = len(list_distinct($indicators))
    )
)
SELECT v.region_code, v.region_name, v.region_name_en, v.parent_code, v.indicator_id, v.period, v.value
FROM vals v
JOIN common c ON v.period_date = c.period_date
ORDER BY v.region_code, list_position($indicators, v.indicator_id)
