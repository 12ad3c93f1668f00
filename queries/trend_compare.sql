-- Every län (and Riket where the source has it) for one indicator, sex and category, read from
-- ONE source so that the län are comparable: the source covering the most län (ties: the most
-- values, then the source id). Rows are read whether or not they are the preferred vintage; the
-- column `preferred` says whether another (newer) source is shown elsewhere in the atlas.
-- params: $indicator  indicator id from the catalogue (e.g. 'arbetsloshet')
--         $sex        'T' total, 'K' women, 'M' men
--         $category   '' for the whole population, else a category value (e.g. 'födda i Asien')
-- returns: region_code, region_name, region_name_en, short_name, short_name_en, level, period,
--          period_date, value, source_id, preferred
-- example: {"indicator": "arbetsloshet", "sex": "T", "category": ""}
-- (The source ranking is the build's comparison_source table, see atlas.build.create_derived_tables.)
SELECT o.region_code, o.region_name, o.region_name_en, o.short_name, o.short_name_en, o.level,
       o.period, o.period_date, o.value, o.source_id, o.preferred
FROM observation_wide o
JOIN comparison_source s USING (indicator_id, sex, category, source_id)
WHERE o.indicator_id = $indicator AND o.sex = $sex AND o.category = $category
  AND o.level IN ('riket', 'lan') AND s.n_lan > 1
ORDER BY o.period_date, CASE o.level WHEN 'riket' THEN 0 ELSE 1 END, o.region_name COLLATE sv
