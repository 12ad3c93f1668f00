-- Values of the chosen indicators for EVERY kommun in the database, at the latest period where the
-- chosen kommun has a value for all of them (total population: sex T, no category). Kommuner that
-- lack a value at that period are left to the caller to drop.
-- params: $kommun      4-digit code of the kommun to compare with (e.g. '2085')
--         $indicators  list of indicator ids (e.g. ['arbetsloshet', 'sysselsattningsgrad'])
-- returns: region_code, region_name, region_name_en, parent_code, indicator_id, period, value
-- example: {"kommun": "2085", "indicators": ["arbetsloshet", "sysselsattningsgrad", "arbetskraftsdeltagande"]}
WITH vals AS (
    SELECT o.region_code, o.indicator_id, o.period, o.period_date, o.value
    FROM observation o
    JOIN region r ON r.code = o.region_code
    WHERE r.level = 'kommun' AND list_contains($indicators, o.indicator_id)
      AND o.sex = 'T' AND o.category = '' AND o.preferred AND o.value IS NOT NULL
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
SELECT v.region_code, r.name AS region_name, r.name_en AS region_name_en, r.parent_code,
       v.indicator_id, v.period, v.value
FROM vals v
JOIN common c ON v.period_date = c.period_date
JOIN region r ON r.code = v.region_code
ORDER BY v.region_code, list_position($indicators, v.indicator_id)
