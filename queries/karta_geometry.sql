-- Polygons of the regions of one map level, as stored by the build's geometry step (atlas.geo):
-- GeoJSON text simplified for screens (WGS84 lon/lat), a label point inside each polygon and its
-- bounds. Levels: 'kommun' = the kommuner of county $lan, 'lan' = the 21 län, 'sverige' = every kommun.
-- params: $lan    2-digit county code (e.g. '20')
--         $level  'kommun' | 'lan' | 'sverige'
-- returns: code, geojson, label_lon, label_lat, west, south, east, north
-- reads: geometry, region
-- example: {"lan": "20", "level": "kommun"}
SELECT g.code, g.geojson, g.label_lon, g.label_lat, g.west, g.south, g.east, g.north
FROM geometry g
JOIN region r ON r.code = g.code
WHERE ($level = 'kommun' AND g.level = 'kommun' AND r.parent_code = $lan)
   OR ($level = 'lan' AND g.level = 'lan')
   OR ($level = 'sverige' AND g.level = 'kommun')
ORDER BY g.code
