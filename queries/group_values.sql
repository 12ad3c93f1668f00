-- Values of some indicators for the members of an own comparison group (one sex and category,
-- preferred source), from which atlas.groups computes the group's line (its counts, or the values).
-- params: $indicators  list of indicator ids (e.g. ['arbetslosa', 'arbetskraften', 'arbetsloshet'])
--         $regions     list of kommun codes (e.g. ['2080', '2085'])
--         $sex         'T' total, 'K' women, 'M' men
--         $category    '' for the whole population, else a category value
-- returns: indicator_id, region_code, period, period_date, value, source_id
-- reads: observation
-- example: {"indicators": ["arbetslosa", "arbetskraften", "arbetsloshet"], "regions": ["2080", "2085"], "sex": "T", "category": ""}
SELECT indicator_id, region_code, period, period_date, value, source_id
FROM observation
WHERE list_contains($indicators, indicator_id) AND list_contains($regions, region_code)
  AND sex = $sex AND category = $category AND preferred
ORDER BY indicator_id, region_code, period_date
