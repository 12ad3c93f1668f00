-- Every kommun with at least one value in the database (any county whose data are loaded), for the
-- picker of an own comparison group, with its county's name.
-- params: (none)
-- returns: code, name, name_en, parent_code, county, county_en
-- reads: region, observation
-- example: {}
SELECT k.code, k.name, k.name_en, k.parent_code, l.name AS county, l.name_en AS county_en
FROM region k
LEFT JOIN region l ON l.code = k.parent_code
WHERE k.level = 'kommun'
  AND EXISTS (SELECT 1 FROM observation o WHERE o.region_code = k.code AND o.preferred AND o.value IS NOT NULL)
ORDER BY k.parent_code, k.name COLLATE sv
