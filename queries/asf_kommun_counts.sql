-- Every municipality of a county with the number of register enterprises whose kommun is known to
-- be there (0 = none known in the register, not "none exist"), their names (as text joined by '; '
-- for tables, and as a JSON array, since a name may itself contain '; '), the polygon, its label
-- point (inside the kommun: the map's count marker goes there) and its bounds.
-- params: $lan  2-digit county code (e.g. '20')
-- returns: code, name, name_en, n_asf, names, names_json, geojson, label_lon, label_lat, west, south,
--          east, north
-- reads: asf_register, geometry, region
-- example: {"lan": "20"}
SELECT r.code, r.name, r.name_en, count(a.asf_id) AS n_asf,
       coalesce(string_agg(a.name, '; ' ORDER BY lower(a.name)), '') AS names,
       coalesce(to_json(list(a.name ORDER BY lower(a.name)) FILTER (WHERE a.asf_id IS NOT NULL)), '[]') AS names_json,
       g.geojson, g.label_lon, g.label_lat, g.west, g.south, g.east, g.north
FROM region r
LEFT JOIN asf_register a ON a.kommun_code = r.code
LEFT JOIN geometry g ON g.code = r.code AND g.level = 'kommun'
WHERE r.level = 'kommun' AND r.parent_code = $lan
GROUP BY r.code, r.name, r.name_en, g.geojson, g.label_lon, g.label_lat, g.west, g.south, g.east, g.north
ORDER BY n_asf DESC, r.name
