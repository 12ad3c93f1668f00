-- Yrkesbarometern: number of occupations in shortage or paradox per release and assessment level in
-- one county (or Riket): the level the assessment rests on (hogsta_bedomningsniva: län, nuts2, nuts1,
-- nationellt; delvis_helt: delvis = partly on data for that larger area).
-- params: $region  '00' for Riket or a 2-digit county code (e.g. '20')
-- returns: omgang, situation ('brist' or 'paradox'), hogsta_bedomningsniva, delvis_helt, n
-- reads: occupation_outlook
-- example: {"region": "20"}
SELECT omgang, rekryteringssituation AS situation, hogsta_bedomningsniva, delvis_helt, count(*) AS n
FROM occupation_outlook
WHERE region_code = $region AND rekryteringssituation IN ('brist', 'paradox')
GROUP BY omgang, rekryteringssituation, hogsta_bedomningsniva, delvis_helt
ORDER BY omgang, situation, hogsta_bedomningsniva, delvis_helt
