-- Matchning: the Yrkesbarometern releases (omgång) held for one region, newest first, with the
-- region's names, so the page can name the release it shows.
-- params: $region  2-digit county code (e.g. '20'), or '00' for Riket
-- returns: region_code, name, name_en, omgang, taxonomi_version, n_occupations
-- reads: occupation_outlook, region
-- example: {"region": "20"}
SELECT o.region_code, r.name, r.name_en, o.omgang, max(o.taxonomi_version) AS taxonomi_version,
       count(*) AS n_occupations
FROM occupation_outlook o
LEFT JOIN region r ON r.code = o.region_code
WHERE o.region_code = $region
GROUP BY o.region_code, r.name, r.name_en, o.omgang
ORDER BY o.omgang DESC
