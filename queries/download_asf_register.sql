-- The ASF register with the kommun name, every row with its source URL, for download.
-- params: (none)
-- returns: asf_id, name, kommun_code, kommun_name, town, line_of_business_sv, line_of_business_en,
--          asf_status_note, source_url, other_source_urls, year_of_statement, year_note
-- reads: asf_register, region
-- example: {}
SELECT a.asf_id, a.name, a.kommun_code, r.name AS kommun_name, a.town, a.line_of_business_sv,
       a.line_of_business_en, a.asf_status_note, a.source_url, a.other_source_urls,
       a.year_of_statement, a.year_note
FROM asf_register a
LEFT JOIN region r ON r.code = a.kommun_code
ORDER BY a.name
