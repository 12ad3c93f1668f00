-- Every län (and Riket where the source has it) for one indicator, sex and category, read from
-- ONE source so that the län are comparable: the source covering the most län (ties: the most
-- values, then the source id). Rows are read whether or not they are the preferred vintage; the
-- column `preferred` says whether another (newer) source is shown elsewhere in the atlas.
-- params: $indicator  indicator id from the catalogue (e.g. 'arbetsloshet')
--         $sex        'T' total, 'K' women, 'M' men
--         $category   '' for the whole population, else a category value (e.g. 'födda i Asien')
-- returns: region_code, region_name, region_name_en, short_name, short_name_en, level, period,
--          period_date, value, source_id, preferred
-- reads: observation_wide (derived: queries/derived/observation_wide.sql)
-- example: {"indicator": "arbetsloshet", "sex": "T", "category": ""}
-- (The source ranking is the build's comparison_source table, marked in observation_wide as
-- in_comparison; region_order is Riket first, then the names in Swedish order: see
-- queries/derived/comparison_source.sql and observation_wide.sql.)
SELECT region_code, region_name, region_name_en, short_name, short_name_en, level,
       period, period_date, value, source_id, preferred
FROM observation_wide
WHERE indicator_id = $indicator AND sex = $sex AND category = $category
  AND level IN ('riket', 'lan') AND in_comparison
ORDER BY period_date, region_order
