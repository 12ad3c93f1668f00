-- Indicators that one source publishes for more than one län, so that the län can be compared
-- within a single source (vintage).
-- params: (none)
-- returns: indicator_id, n_lan, has_riket
-- reads: observation, region
-- example: {}
-- (Only 2-digit codes, Riket and län, are read; the regions are grouped before the join: no DISTINCT
-- aggregate. National scale 36 -> 5 ms.)
WITH per_region AS (
    SELECT indicator_id, source_id, region_code
    FROM observation
    WHERE value IS NOT NULL AND length(region_code) = 2
    GROUP BY indicator_id, source_id, region_code
), per_source AS (
    SELECT p.indicator_id, p.source_id,
           count(*) FILTER (WHERE r.level = 'lan') AS n_lan,
           bool_or(r.level = 'riket') AS has_riket
    FROM per_region p
    JOIN region r ON r.code = p.region_code
    GROUP BY p.indicator_id, p.source_id
)
SELECT indicator_id, max(n_lan) AS n_lan, bool_or(has_riket) AS has_riket
FROM per_source
GROUP BY indicator_id
HAVING max(n_lan) > 1
ORDER BY indicator_id
