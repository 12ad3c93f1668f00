-- Matchning: every occupation of one Yrkesbarometern release in one region, with its SSYK code(s),
-- the region's recruitment situation (NULL = no assessment) and the level the assessment rests on
-- (hogsta_bedomningsniva: län, nuts2, nuts1, nationellt; delvis_helt: delvis = partly on data for
-- that larger area). ssyk may list several codes ('8171, 8172'); several occupations may share one code.
-- params: $region  2-digit county code (e.g. '20'); $omgang  release, e.g. '2025-2'
-- returns: yb_concept_id, yb_yrke, yrkesomrade, ssyk, ssyk_text, situation, paradox,
--   hogsta_bedomningsniva, delvis_helt, text_rekryteringssituation, omgang, taxonomi_version, source_id
-- reads: occupation_outlook
-- example: {"region": "20", "omgang": "2025-2"}
SELECT yb_concept_id, yb_yrke, yrkesomrade, ssyk, ssyk_text, rekryteringssituation AS situation,
       paradox, hogsta_bedomningsniva, delvis_helt, text_rekryteringssituation, omgang,
       taxonomi_version, source_id
FROM occupation_outlook
WHERE region_code = $region AND omgang = $omgang
ORDER BY yrkesomrade, yb_yrke, yb_concept_id
