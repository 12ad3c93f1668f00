-- Riket, one county and that county's municipalities, in display order.
-- params: $lan  2-digit county code (e.g. '20')
-- returns: code, name, name_en, short_name, level, parent_code
-- reads: region
-- example: {"lan": "20"}
SELECT code, name, name_en, short_name, level, parent_code
FROM region
WHERE code = '00' OR code = $lan OR (level = 'kommun' AND parent_code = $lan)
ORDER BY CASE level WHEN 'kommun' THEN 3 WHEN 'lan' THEN 2 ELSE 1 END, name
