-- Derived table outlook_pair (built by atlas.build after `occupation_outlook`; never edited).
-- Yrkesbarometern per county and release: every occupation of the release with the county's
-- assessment beside Riket's (the full outer join yrke_outlook used to run on every page view,
-- computed once here for every county). A county without a row for an occupation has NULL county
-- columns (in_region = false); a county without any row (not assessed, or not loaded) gets Riket's
-- occupations only.
-- reads: occupation_outlook, region
-- columns: region, yb_concept_id, yb_yrke, yrkesomrade, ssyk, ssyk_text, omgang, taxonomi_version,
--   in_region, situation, jobbmojligheter, prognos, paradox, hogsta_bedomningsniva, delvis_helt,
--   text_rekryteringssituation, situation_riket, jobbmojligheter_riket, prognos_riket, paradox_riket,
--   hogsta_bedomningsniva_riket, delvis_helt_riket, text_rekryteringssituation_riket, source_id
CREATE OR REPLACE TABLE outlook_pair AS
WITH riket AS (
    SELECT * FROM occupation_outlook WHERE region_code = '00'
), lan AS (
    SELECT * FROM occupation_outlook WHERE region_code <> '00'
), occupations AS (  -- (county, release, occupation): Riket's occupations for every county, and the county's own
    SELECT c.code AS region, r.omgang, r.yb_concept_id FROM region c CROSS JOIN riket r WHERE c.level = 'lan'
    UNION
    SELECT region_code, omgang, yb_concept_id FROM lan
)
SELECT k.region,
       k.yb_concept_id,
       coalesce(l.yb_yrke, r.yb_yrke) AS yb_yrke,
       coalesce(l.yrkesomrade, r.yrkesomrade) AS yrkesomrade,
       coalesce(l.ssyk, r.ssyk) AS ssyk,
       coalesce(l.ssyk_text, r.ssyk_text) AS ssyk_text,
       k.omgang,
       coalesce(l.taxonomi_version, r.taxonomi_version) AS taxonomi_version,
       l.yb_concept_id IS NOT NULL AS in_region,
       l.rekryteringssituation AS situation, l.jobbmojligheter, l.prognos, l.paradox,
       l.hogsta_bedomningsniva, l.delvis_helt, l.text_rekryteringssituation,
       r.rekryteringssituation AS situation_riket, r.jobbmojligheter AS jobbmojligheter_riket,
       r.prognos AS prognos_riket, r.paradox AS paradox_riket,
       r.hogsta_bedomningsniva AS hogsta_bedomningsniva_riket, r.delvis_helt AS delvis_helt_riket,
       r.text_rekryteringssituation AS text_rekryteringssituation_riket,
       coalesce(l.source_id, r.source_id) AS source_id
FROM occupations k
LEFT JOIN lan l ON l.region_code = k.region AND l.omgang = k.omgang AND l.yb_concept_id = k.yb_concept_id
LEFT JOIN riket r ON r.omgang = k.omgang AND r.yb_concept_id = k.yb_concept_id
ORDER BY k.region, k.omgang, yrkesomrade, yb_yrke, k.yb_concept_id
