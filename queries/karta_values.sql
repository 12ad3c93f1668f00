-- One indicator in one period for every kommun of a county, the county itself and Riket; a region
-- without a value in that period is still listed, with value NULL (drawn as missing, never zero).
-- params: $indicator  indicator id (e.g. 'arbetsloshet')
--         $lan        2-digit county code (e.g. '20')
--         $period     period as stored, month '2026M04' or year '2024'
--         $category   '' for the whole population, else a category value (e.g. 'utrikes född')
-- returns: region_code, region_name, region_name_en, level, value, source_id
-- reads: observation, region
-- example: {"indicator": "arbetsloshet", "lan": "20", "period": "2022M12", "category": "utrikes född"}
SELECT r.code AS region_code, r.name AS region_name, r.name_en AS region_name_en, r.level,
       o.value, o.source_id
FROM region r
LEFT JOIN observation o
       ON o.region_code = r.code AND o.indicator_id = $indicator AND o.period = $period
      AND o.sex = 'T' AND o.category = $category AND o.preferred
WHERE r.code = '00' OR r.code = $lan OR (r.level = 'kommun' AND r.parent_code = $lan)
ORDER BY CASE r.level WHEN 'riket' THEN 1 WHEN 'lan' THEN 2 ELSE 3 END, r.name
