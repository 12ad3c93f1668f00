-- Every region (Riket, 21 län, 290 kommuner) with names and level.
-- params: (none)
-- returns: code, name, name_en, short_name, level, parent_code
-- reads: region
-- example: {}
SELECT code, name, name_en, short_name, level, parent_code
FROM region
ORDER BY CASE level WHEN 'riket' THEN 1 WHEN 'lan' THEN 2 ELSE 3 END, code
