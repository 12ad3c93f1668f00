-- The register's enterprises for the buyers' page: name, municipality (code and name; an empty
-- kommun_code means the municipality is unknown, never guessed) and town. The curated services
-- list (data/curated/asf_services.csv) is joined to this by asf_id in atlas/buyers.py.
-- params: (none)
-- returns: asf_id, name, kommun_code, kommun_name, kommun_name_en, town
-- reads: asf_register, region
-- example: {}
SELECT a.asf_id, a.name, coalesce(a.kommun_code, '') AS kommun_code, r.name AS kommun_name,
       r.name_en AS kommun_name_en, a.town
FROM asf_register a
LEFT JOIN region r ON r.code = a.kommun_code AND r.level = 'kommun'
ORDER BY lower(a.name), a.asf_id
