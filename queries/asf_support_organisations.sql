-- Support structures around ASF in the county (incubators, advisers, funders; not ASF themselves).
-- params: (none)
-- returns: name, role_sv, role_en, kommun_code, kommun_name, kommun_name_en, source_url,
--          other_source_urls, year_note
-- reads: asf_support_organisation, region
-- example: {}
SELECT s.name, s.role_sv, s.role_en, s.kommun_code, r.name AS kommun_name,
       r.name_en AS kommun_name_en, s.source_url, s.other_source_urls, s.year_note
FROM asf_support_organisation s
LEFT JOIN region r ON r.code = s.kommun_code AND r.level = 'kommun'
ORDER BY lower(s.name)
