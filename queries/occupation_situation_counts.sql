-- Yrkesbarometern: number of occupations per recruitment situation in one county (or Riket).
-- params: $region  '00' for Riket or a 2-digit county code (e.g. '20')
-- returns: omgang, situation ('brist', 'paradox', 'balans', 'överskott', or NULL = ingen bedömning), n
-- reads: occupation_outlook
-- example: {"region": "20"}
SELECT omgang, rekryteringssituation AS situation, count(*) AS n
FROM occupation_outlook
WHERE region_code = $region
GROUP BY omgang, rekryteringssituation
ORDER BY omgang, CASE rekryteringssituation WHEN 'brist' THEN 1 WHEN 'paradox' THEN 2
         WHEN 'balans' THEN 3 WHEN 'överskott' THEN 4 ELSE 5 END
