-- Matchning: the ASF register with what the page needs to place and cite each enterprise
-- (kommun_code '' or NULL = municipality not stated, never guessed).
-- params: (none)
-- returns: asf_id, name, kommun_code, kommun_name, kommun_name_en, town, line_of_business_sv,
--   line_of_business_en, source_url
-- reads: asf_register, region
-- example: {}
SELECT a.asf_id, a.name, a.kommun_code, r.name AS kommun_name, r.name_en AS kommun_name_en, a.town,
       a.line_of_business_sv, a.line_of_business_en, a.source_url
FROM asf_register a
LEFT JOIN region r ON r.code = a.kommun_code AND r.level = 'kommun'
ORDER BY lower(a.name), a.asf_id
