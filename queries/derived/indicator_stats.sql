-- Derived table indicator_stats (built by atlas.build after `observation`; never edited).
-- Per indicator: first and last period date, regions, levels and values (Om datan's coverage).
-- reads: observation_wide (derived: queries/derived/observation_wide.sql)
-- columns: indicator_id, first_date, last_date, n_regions, levels, n_values
CREATE OR REPLACE TABLE indicator_stats AS
WITH per_region AS (
    SELECT indicator_id, region_code, level, min(period_date) AS first_date,
           max(period_date) AS last_date, count(value) AS n_values
    FROM observation_wide
    GROUP BY indicator_id, region_code, level
)
SELECT indicator_id, min(first_date) AS first_date, max(last_date) AS last_date,
       count(*) AS n_regions, array_to_string(list_sort(list_distinct(list(level))), ', ') AS levels,
       sum(n_values) AS n_values
FROM per_region
GROUP BY indicator_id
