-- Indicators that one source publishes for more than one län, so that the län can be compared
-- within a single source (vintage).
-- params: (none)
-- returns: indicator_id, n_lan, has_riket
-- example: {}
WITH per_source AS (
    SELECT o.indicator_id, o.source_id,
           count(DISTINCT CASE WHEN r.level = 'lan' THEN o.region_code END) AS n_lan,
           bool_or(r.level = 'riket') AS has_riket
    FROM observation o
    JOIN region r ON r.code = o.region_code
    WHERE o.value IS NOT NULL
    GROUP BY o.indicator_id, o.source_id
)
SELECT indicator_id, max(n_lan) AS n_lan, bool_or(has_riket) AS has_riket
FROM per_source
GROUP BY indicator_id
HAVING max(n_lan) > 1
ORDER BY indicator_id
