-- Change log, step 1 (atlas.versions.record, on the database being written; `prev` is the database
-- it replaces, attached read-only): every preferred observation of either, side by side per
-- indicator, region, period, sex and category; was_absent / is_gone mark a key only one side has.
-- reads: observation (of this database, main, and of the one it replaces, prev)
-- columns: indicator_id, region_code, period, sex, category, old, new, was_absent, is_gone
CREATE TEMP TABLE obs_diff AS
WITH o AS (SELECT indicator_id, region_code, period, sex, category, value FROM prev.observation WHERE preferred),
     n AS (SELECT indicator_id, region_code, period, sex, category, value FROM main.observation WHERE preferred)
SELECT indicator_id, region_code, period, sex, category, o.value AS old, n.value AS new,
       o.indicator_id IS NULL AS was_absent, n.indicator_id IS NULL AS is_gone
FROM o FULL OUTER JOIN n USING (indicator_id, region_code, period, sex, category)
