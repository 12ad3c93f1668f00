-- Yrkesbarometern: every occupation of one release, the county's assessment beside Riket's.
-- One row per occupation (yb_concept_id: several occupations share an SSYK code). Riket is '00';
-- a county column is NULL where the county has no row for that occupation (in_region = false),
-- and rekryteringssituation NULL where Arbetsförmedlingen made no assessment (in_region = true).
-- The county-beside-Riket join is done once by the build, for every county (outlook_pair).
-- params: $region  2-digit county code (e.g. '20'); $omgang  release, e.g. '2025-2'
-- returns: yb_concept_id, yb_yrke, yrkesomrade, ssyk, ssyk_text, omgang, taxonomi_version, in_region,
--   situation, jobbmojligheter, prognos, paradox, hogsta_bedomningsniva, delvis_helt,
--   text_rekryteringssituation, situation_riket, jobbmojligheter_riket, prognos_riket, paradox_riket,
--   hogsta_bedomningsniva_riket, delvis_helt_riket, text_rekryteringssituation_riket, source_id
-- reads: outlook_pair (derived: queries/derived/outlook_pair.sql)
-- example: {"region": "20", "omgang": "2025-2"}
SELECT * EXCLUDE (region)
FROM outlook_pair
WHERE region = $region AND omgang = $omgang
ORDER BY yrkesomrade, yb_yrke, yb_concept_id
