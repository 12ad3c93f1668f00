-- Stated facts about individual ASF (employees, people in work training ...), for download.
-- params: (none)
-- returns: asf_id, name, year, year_note, measure, value, value_low, value_high, approx, quote, source_url
-- reads: asf_facts, asf_register
-- example: {}
SELECT f.asf_id, a.name, f.year, f.year_note, f.measure, f.value, f.value_low, f.value_high, f.approx,
       f.quote, f.source_url
FROM asf_facts f
LEFT JOIN asf_register a USING (asf_id)
ORDER BY a.name, f.year NULLS LAST, f.measure
