-- Derived table kommun_profile (built by atlas.build after `observation`; never edited).
-- Per kommun and indicator (whole population): the kommun's latest value with its county's and
-- Riket's for the same period (Kommunprofil's table).
-- reads: observation_wide (derived: queries/derived/observation_wide.sql)
-- columns: kommun, lan, indicator_id, period, kommun_value, lan_value, riket_value, source_ids
CREATE OR REPLACE TABLE kommun_profile AS
WITH obs AS (
    SELECT indicator_id, region_code, level, parent_code, period, period_date, value, source_id
    FROM observation_wide
    WHERE sex = 'T' AND category = '' AND preferred
), latest AS (
    SELECT region_code AS kommun, parent_code AS lan, indicator_id, max(period_date) AS period_date
    FROM obs
    WHERE level = 'kommun' AND value IS NOT NULL
    GROUP BY ALL
)
SELECT l.kommun, l.lan, l.indicator_id,
       max(o.period) FILTER (WHERE o.region_code = l.kommun) AS period,
       max(o.value) FILTER (WHERE o.region_code = l.kommun) AS kommun_value,
       max(o.value) FILTER (WHERE o.region_code = l.lan) AS lan_value,
       max(o.value) FILTER (WHERE o.region_code = '00') AS riket_value,
       array_to_string(list_sort(list_distinct(list(o.source_id) FILTER (WHERE o.value IS NOT NULL))),
                       ',') AS source_ids
FROM latest l
JOIN obs o ON o.indicator_id = l.indicator_id AND o.period_date = l.period_date
          AND o.region_code IN (l.kommun, l.lan, '00')
GROUP BY l.kommun, l.lan, l.indicator_id
ORDER BY l.kommun, l.indicator_id
