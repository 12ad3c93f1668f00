-- The register of named work-integrating social enterprises (ASF), one row per enterprise, with
-- the municipality's name where the kommun is known (kommun_code '' = unknown, never guessed).
-- params: (none)
-- returns: asf_id, name, name_note, kommun_code, kommun_name, kommun_name_en, kommun_note, town,
--          line_of_business_sv, line_of_business_en, asf_status_note, source_url, other_source_urls,
--          year_of_statement, year_note
-- reads: asf_register, region
-- example: {}
SELECT a.asf_id, a.name, a.name_note, a.kommun_code, r.name AS kommun_name,
       r.name_en AS kommun_name_en, a.kommun_note, a.town, a.line_of_business_sv,
       a.line_of_business_en, a.asf_status_note, a.source_url, a.other_source_urls,
       a.year_of_statement, a.year_note
FROM asf_register a
LEFT JOIN region r ON r.code = a.kommun_code AND r.level = 'kommun'
ORDER BY lower(a.name), a.asf_id
