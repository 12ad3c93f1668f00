-- How much data a county has: values for its kommuner, for the county itself, and occupation rows.
-- params: $lan  2-digit county code (e.g. '20')
-- returns: kommun_values, lan_values, occupation_rows
-- reads: observation, occupation_outlook, region
-- example: {"lan": "20"}
SELECT
    (SELECT count(*) FROM observation o JOIN region r ON r.code = o.region_code
      WHERE r.level = 'kommun' AND r.parent_code = $lan) AS kommun_values,
    (SELECT count(*) FROM observation WHERE region_code = $lan) AS lan_values,
    (SELECT count(*) FROM occupation_outlook WHERE region_code = $lan) AS occupation_rows
