-- Stated numbers about one enterprise (employees, people in work training, ...), each with its
-- verbatim Swedish quote, source and year; approximate figures keep only value_nominal + approx.
-- params: $asf_id  id from asf_register (e.g. 'koopus'); an unknown id returns no rows
-- returns: asf_id, year, year_note, measure, value, value_low, value_high, value_nominal, approx,
--          quote, source_url, note
-- reads: asf_facts
-- example: {"asf_id": "koopus"}
SELECT asf_id, year, year_note, measure, value, value_low, value_high, value_nominal, approx,
       quote, source_url, note
FROM asf_facts
WHERE asf_id = $asf_id
ORDER BY year NULLS LAST, measure
