-- Yrkesbarometern: every occupation of one release, the county's assessment beside Riket's.
-- One row per occupation (yb_concept_id: several occupations share an SSYK code). Riket is '00';
-- a county column is NULL where the county has no row for that occupation (in_region = false),
-- and rekryteringssituation NULL where Arbetsförmedlingen made no assessment (in_region = true).
-- params: $region  2-digit county code (e.g. '20'); $omgang  release, e.g. '2025-2'
-- returns: yb_concept_id, yb_yrke, yrkesomrade, ssyk, ssyk_text, omgang, taxonomi_version, in_region,
--   situation, jobbmojligheter, prognos, paradox, hogsta_bedomningsniva, delvis_helt,
--   text_rekryteringssituation, situation_riket, jobbmojligheter_riket, prognos_riket, paradox_riket,
--   hogsta_bedomningsniva_riket, delvis_helt_riket, text_rekryteringssituation_riket, source_id
-- reads: occupation_outlook
-- example: {"region": "20", "omgang": "2025-2"}
WITH lan AS (
    SELECT * FROM occupation_outlook WHERE region_code = $region AND omgang = $omgang
), riket AS (
    SELECT * FROM occupation_outlook WHERE region_code = '00' AND omgang = $omgang
)
SELECT coalesce(l.yb_concept_id, r.yb_concept_id) AS yb_concept_id,
       coalesce(l.yb_yrke, r.yb_yrke) AS yb_yrke,
       coalesce(l.yrkesomrade, r.yrkesomrade) AS yrkesomrade,
       coalesce(l.ssyk, r.ssyk) AS ssyk,
       coalesce(l.ssyk_text, r.ssyk_text) AS ssyk_text,
       coalesce(l.omgang, r.omgang) AS omgang,
       coalesce(l.taxonomi_version, r.taxonomi_version) AS taxonomi_version,
       l.yb_concept_id IS NOT NULL AS in_region,
       l.rekryteringssituation AS situation, l.jobbmojligheter, l.prognos, l.paradox,
       l.hogsta_bedomningsniva, l.delvis_helt, l.text_rekryteringssituation,
       r.rekryteringssituation AS situation_riket, r.jobbmojligheter AS jobbmojligheter_riket,
       r.prognos AS prognos_riket, r.paradox AS paradox_riket,
       r.hogsta_bedomningsniva AS hogsta_bedomningsniva_riket, r.delvis_helt AS delvis_helt_riket,
       r.text_rekryteringssituation AS text_rekryteringssituation_riket,
       coalesce(l.source_id, r.source_id) AS source_id
FROM lan l
FULL OUTER JOIN riket r ON l.yb_concept_id = r.yb_concept_id
ORDER BY yrkesomrade, yb_yrke, yb_concept_id
