-- Derived table observation_wide (built by atlas.build after `observation`; never edited).
-- Every observation with the region, indicator and source columns the queries show or filter on,
-- so page queries need no joins (on tables this small DuckDB's fixed cost per join was most of a
-- query's time: download_observations p50 8.8 -> 5.5 ms without its three joins), a sort key
-- region_order (Riket first, then Swedish name order) and in_comparison (the row is from its
-- series' comparison source, queries/derived/comparison_source.sql).
-- reads: observation, region, indicator, source, comparison_source (derived: queries/derived/comparison_source.sql)
-- columns: observation's columns, region_name, region_name_en, short_name, short_name_en, level,
--          parent_code, label_sv, label_en, unit, publisher, region_order, in_comparison
CREATE OR REPLACE TABLE observation_wide AS
WITH ordered AS (  -- Riket first, then by name in Swedish collation (å, ä, ö last)
    SELECT code, row_number() OVER (ORDER BY CASE level WHEN 'riket' THEN 0 ELSE 1 END,
                                             name COLLATE sv, code) AS region_order
    FROM region
)
SELECT o.*, r.name AS region_name, r.name_en AS region_name_en, r.short_name, r.short_name_en,
       r.level, r.parent_code, i.label_sv, i.label_en, i.unit, s.publisher, ord.region_order,
       (c.source_id IS NOT NULL AND c.n_lan > 1) AS in_comparison
FROM observation o
JOIN region r ON r.code = o.region_code
JOIN ordered ord ON ord.code = o.region_code
JOIN indicator i ON i.id = o.indicator_id
LEFT JOIN source s ON s.id = o.source_id
LEFT JOIN comparison_source c USING (indicator_id, sex, category, source_id)
ORDER BY o.indicator_id, o.region_code, o.sex, o.category, o.period_date
