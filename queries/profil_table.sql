-- Kommunprofil table: every indicator the kommun has data for (total population: sex T, no
-- category), at the latest period where the KOMMUN has a value, with its county's and Riket's
-- values for that same period (NULL where they are missing). Read from kommun_profile, which the
-- build derives for every kommun and its own county: a $lan that is not the kommun's county
-- gives no rows.
-- params: $kommun  4-digit kommun code (e.g. '2085')
--         $lan     2-digit code of the kommun's county (e.g. '20')
-- returns: indicator_id, label_sv, label_en, unit, decimals, frequency, higher_is_better,
--          definition_sv, definition_en, period, kommun_value, lan_value, riket_value, source_ids
-- reads: indicator, kommun_profile (derived: queries/derived/kommun_profile.sql)
-- example: {"kommun": "2085", "lan": "20"}
SELECT i.id AS indicator_id, i.label_sv, i.label_en, i.unit, i.decimals, i.frequency,
       i.higher_is_better, i.definition_sv, i.definition_en,
       p.period, p.kommun_value, p.lan_value, p.riket_value, p.source_ids
FROM kommun_profile p
JOIN indicator i ON i.id = p.indicator_id
WHERE p.kommun = $kommun AND p.lan = $lan
ORDER BY i.unit <> 'procent', p.kommun_value DESC, p.indicator_id
