-- Yrkesbarometern: which releases (omgång) the database holds for a county and Riket, with the
-- regions' names, so the page can say what is shown and fall back to Riket when a county is missing.
-- params: $regions  list of region codes, e.g. ['20', '00'] (a county and Riket '00')
-- returns: region_code, name, name_en, short_name, short_name_en, omgang, taxonomi_version, n_occupations
--   (n_occupations is 0 and omgang NULL when the region has no Yrkesbarometern rows)
-- reads: occupation_outlook, region
-- example: {"regions": ["20", "00"]}
SELECT r.code AS region_code, r.name, r.name_en, r.short_name, r.short_name_en,
       o.omgang, max(o.taxonomi_version) AS taxonomi_version, count(o.yb_concept_id) AS n_occupations
FROM region r
LEFT JOIN occupation_outlook o ON o.region_code = r.code
WHERE list_contains($regions, r.code)
GROUP BY r.code, r.name, r.name_en, r.short_name, r.short_name_en, o.omgang
ORDER BY r.code = '00', r.code, o.omgang DESC NULLS LAST
