-- The municipalities of one county (the kommun filter's options on the buyers' page).
-- params: $lan  2-digit county code (e.g. '20')
-- returns: code, name, name_en
-- reads: region
-- example: {"lan": "20"}
SELECT code, name, name_en
FROM region
WHERE level = 'kommun' AND parent_code = $lan
ORDER BY name
