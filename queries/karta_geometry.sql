-- Polygons of the kommuner of one county, as GeoJSON geometry text (WGS84 lon/lat).
-- params: $lan  2-digit county code (e.g. '20')
-- returns: code, geojson
-- reads: geometry, region
-- example: {"lan": "20"}
SELECT g.code, g.geojson
FROM geometry g
JOIN region r ON r.code = g.code
WHERE g.level = 'kommun' AND r.parent_code = $lan
ORDER BY g.code
