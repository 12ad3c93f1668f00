-- Yrkesbarometern rows for chosen regions, all fields, for download.
-- params: $regions  list of region codes ('00' Riket, 2-digit län; e.g. ['00', '20'])
-- returns: omgang, taxonomi_version, region_code, yb_concept_id, yb_yrke, yrkesomrade, ssyk, ssyk_text,
--          antal_ssyk, del_av_ssyk, jobbmojligheter, rekryteringssituation, paradox, prognos,
--          hogsta_bedomningsniva, delvis_helt, text_rekryteringssituation, source_id
-- reads: occupation_outlook
-- example: {"regions": ["00", "20"]}
SELECT omgang, taxonomi_version, region_code, yb_concept_id, yb_yrke, yrkesomrade, ssyk, ssyk_text,
       antal_ssyk, del_av_ssyk, jobbmojligheter, rekryteringssituation, paradox, prognos,
       hogsta_bedomningsniva, delvis_helt, text_rekryteringssituation, source_id
FROM occupation_outlook
WHERE list_contains($regions, region_code)
ORDER BY region_code, yrkesomrade, yb_yrke
