-- One indicator in one period for every region of a map level and the regions it is compared with;
-- a region without a value in that period is still listed, with value NULL (drawn as missing,
-- never zero). Level 'kommun': the kommuner of county $lan, the county and Riket (preferred
-- source). 'lan': the 21 län and Riket, all from the series' comparison source (one vintage).
-- 'sverige': every kommun of Sweden and Riket (preferred source).
-- params: $indicator  indicator id (e.g. 'arbetsloshet')
--         $lan        2-digit county code (e.g. '20')
--         $period     period as stored, month '2026M04' or year '2024'
--         $category   '' for the whole population, else a category value (e.g. 'utrikes född')
--         $level      'kommun' | 'lan' | 'sverige'
-- returns: region_code, region_name, region_name_en, short_name, level, parent_code, value, source_id
-- reads: observation_wide (derived: queries/derived/observation_wide.sql), region
-- example: {"indicator": "arbetsloshet", "lan": "20", "period": "2022M12", "category": "utrikes född", "level": "kommun"}
WITH shown AS (
    SELECT r.code, r.name, r.name_en, r.short_name, r.level, r.parent_code
    FROM region r
    WHERE r.code = '00'
       OR ($level = 'kommun' AND (r.code = $lan OR (r.level = 'kommun' AND r.parent_code = $lan)))
       OR ($level = 'lan' AND r.level = 'lan')
       OR ($level = 'sverige' AND r.level = 'kommun')
), obs AS (
    SELECT region_code, value, source_id
    FROM observation_wide
    WHERE indicator_id = $indicator AND period = $period AND sex = 'T' AND category = $category
      AND (CASE WHEN $level = 'lan' THEN in_comparison ELSE preferred END)
)
SELECT s.code AS region_code, s.name AS region_name, s.name_en AS region_name_en, s.short_name,
       s.level, s.parent_code, o.value, o.source_id
FROM shown s
LEFT JOIN obs o ON o.region_code = s.code
ORDER BY CASE s.level WHEN 'riket' THEN 1 WHEN 'lan' THEN 2 ELSE 3 END, s.name
