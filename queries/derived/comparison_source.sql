-- Derived table comparison_source (built by atlas.build after `observation`; never edited).
-- Per indicator, sex and category: the source with the most län (then the most values, then the
-- source id), which the county comparison draws from so it never mixes vintages.
-- reads: observation, region
-- columns: indicator_id, sex, category, source_id, n_lan
CREATE OR REPLACE TABLE comparison_source AS
WITH per_region AS (
    SELECT o.indicator_id, o.sex, o.category, o.source_id, o.region_code, r.level, count(*) AS n_values
    FROM observation o
    JOIN region r ON r.code = o.region_code
    WHERE o.value IS NOT NULL
    GROUP BY ALL
), per_source AS (
    SELECT indicator_id, sex, category, source_id, count(*) FILTER (WHERE level = 'lan') AS n_lan,
           sum(n_values) AS n_values
    FROM per_region
    GROUP BY ALL
)
SELECT indicator_id, sex, category, source_id, n_lan
FROM per_source
QUALIFY row_number() OVER (PARTITION BY indicator_id, sex, category
                           ORDER BY n_lan DESC, n_values DESC, source_id) = 1
