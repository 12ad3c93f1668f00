-- Change log, step 2: per indicator that changed, the periods and values added, the values revised
-- (count; the largest revision's region, period, sex, category, old and new value; a value that
-- appears or disappears in a kept cell counts as revised, float noise under $tolerance relative
-- does not), the values and periods gone, and the series gone ($examples of them as text).
-- reads: obs_diff (queries/versions/obs_diff.sql), indicator (main, and prev for one gone since)
-- columns: indicator_id, label_sv, label_en, periods_added, n_added, n_revised, max_revision_region,
--   max_revision_period, max_revision_sex, max_revision_category, max_revision_old, max_revision_new,
--   n_removed, periods_removed, n_series_gone, series_gone
WITH d AS (SELECT * FROM obs_diff),
old_periods AS (SELECT DISTINCT indicator_id, period FROM d WHERE NOT was_absent),
new_periods AS (SELECT DISTINCT indicator_id, period FROM d WHERE NOT is_gone),
added_periods AS (
    SELECT indicator_id, string_agg(period, ',' ORDER BY period) AS periods_added
    FROM new_periods ANTI JOIN old_periods USING (indicator_id, period) GROUP BY indicator_id),
removed_periods AS (
    SELECT indicator_id, string_agg(period, ',' ORDER BY period) AS periods_removed
    FROM old_periods ANTI JOIN new_periods USING (indicator_id, period) GROUP BY indicator_id),
revised AS (
    SELECT *, CASE WHEN old IS NOT NULL AND new IS NOT NULL THEN abs(new - old) END AS size
    FROM d
    WHERE NOT was_absent AND NOT is_gone
      AND ((old IS NULL) <> (new IS NULL)
           OR (old IS NOT NULL AND abs(new - old) > $tolerance * greatest(1.0, abs(old))))),
rev_stats AS (
    SELECT indicator_id, count(*) AS n_revised,
           arg_max(region_code, size) AS max_revision_region, arg_max(period, size) AS max_revision_period,
           arg_max(sex, size) AS max_revision_sex, arg_max(category, size) AS max_revision_category,
           arg_max(old, size) AS max_revision_old, arg_max(new, size) AS max_revision_new
    FROM revised GROUP BY indicator_id),
counts AS (
    SELECT indicator_id, count(*) FILTER (WHERE was_absent) AS n_added,
           count(*) FILTER (WHERE is_gone) AS n_removed
    FROM d GROUP BY indicator_id),
old_series AS (SELECT DISTINCT indicator_id, region_code, sex, category FROM d WHERE NOT was_absent),
new_series AS (SELECT DISTINCT indicator_id, region_code, sex, category FROM d WHERE NOT is_gone),
gone AS (
    SELECT indicator_id, count(*) AS n_series_gone,
           array_to_string(list(region_code || ' ' || sex || CASE WHEN category = '' THEN '' ELSE ' ' || category END
                                ORDER BY region_code, sex, category)[1:$examples], '; ') AS series_gone
    FROM old_series ANTI JOIN new_series USING (indicator_id, region_code, sex, category)
    GROUP BY indicator_id)
SELECT c.indicator_id, coalesce(i.label_sv, p.label_sv, c.indicator_id) AS label_sv,
       coalesce(i.label_en, p.label_en, c.indicator_id) AS label_en,
       coalesce(a.periods_added, '') AS periods_added, c.n_added, coalesce(r.n_revised, 0) AS n_revised,
       r.max_revision_region, r.max_revision_period, r.max_revision_sex, r.max_revision_category,
       r.max_revision_old, r.max_revision_new, c.n_removed, coalesce(rp.periods_removed, '') AS periods_removed,
       coalesce(g.n_series_gone, 0) AS n_series_gone, coalesce(g.series_gone, '') AS series_gone
FROM counts c
LEFT JOIN added_periods a USING (indicator_id)
LEFT JOIN removed_periods rp USING (indicator_id)
LEFT JOIN rev_stats r USING (indicator_id)
LEFT JOIN gone g USING (indicator_id)
LEFT JOIN main.indicator i ON i.id = c.indicator_id
LEFT JOIN prev.indicator p ON p.id = c.indicator_id
WHERE c.n_added > 0 OR c.n_removed > 0 OR coalesce(r.n_revised, 0) > 0
ORDER BY c.indicator_id
