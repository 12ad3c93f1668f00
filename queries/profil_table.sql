-- Kommunprofil table: every indicator the kommun has data for (total population: sex T, no
-- category), at the latest period where the KOMMUN has a value, with its county's and Riket's
-- values for that same period (NULL where they are missing).
-- params: $kommun  4-digit kommun code (e.g. '2085')
--         $lan     2-digit code of the kommun's county (e.g. '20')
-- returns: indicator_id, label_sv, label_en, unit, decimals, frequency, higher_is_better,
--          definition_sv, definition_en, period, kommun_value, lan_value, riket_value, source_ids
-- example: {"kommun": "2085", "lan": "20"}
WITH obs AS (
    SELECT indicator_id, region_code, period, period_date, value, source_id
    FROM observation
    WHERE sex = 'T' AND category = '' AND preferred
      AND region_code IN ($kommun, $lan, '00')
),
latest AS (
    SELECT indicator_id, max(period_date) AS period_date
    FROM obs
    WHERE region_code = $kommun AND value IS NOT NULL
    GROUP BY indicator_id
)
SELECT * FROM (
SELECT i.id AS indicator_id, i.label_sv, i.label_en, i.unit, i.decimals, i.frequency,
       i.higher_is_better, i.definition_sv, i.definition_en,
       max(o.period) FILTER (WHERE o.region_code = $kommun) AS period,
       max(o.value) FILTER (WHERE o.region_code = $kommun) AS kommun_value,
       max(o.value) FILTER (WHERE o.region_code = $lan) AS lan_value,
       max(o.value) FILTER (WHERE o.region_code = '00') AS riket_value,
       array_to_string(list_sort(list_distinct(list(o.source_id) FILTER (WHERE o.value IS NOT NULL))), ',')
           AS source_ids
FROM latest l
JOIN indicator i ON i.id = l.indicator_id
JOIN obs o ON o.indicator_id = l.indicator_id AND o.period_date = l.period_date
GROUP BY ALL
)
ORDER BY unit <> 'procent', kommun_value DESC, indicator_id
