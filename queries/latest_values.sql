-- Latest value of one indicator for each requested region (total population: sex T, no category).
-- params: $indicator  indicator id from the catalogue (e.g. 'arbetsloshet')
--         $regions    list of region codes (e.g. ['20', '00'])
-- returns: region_code, region_name, region_name_en, level, period, period_type, value, source_id
-- example: {"indicator": "arbetsloshet", "regions": ["2085", "20", "00"]}
WITH latest AS (
    SELECT region_code, max(period_date) AS period_date
    FROM observation
    WHERE indicator_id = $indicator AND sex = 'T' AND category = '' AND preferred
      AND list_contains($regions, region_code) AND value IS NOT NULL
    GROUP BY region_code
)
SELECT o.region_code, r.name AS region_name, r.name_en AS region_name_en, r.level,
       o.period, o.period_type, o.value, o.source_id
FROM observation o
JOIN latest l USING (region_code, period_date)
JOIN region r ON r.code = o.region_code
WHERE o.indicator_id = $indicator AND o.sex = 'T' AND o.category = '' AND o.preferred
ORDER BY list_position($regions, o.region_code)
