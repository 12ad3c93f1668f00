-- One indicator over time for chosen regions, one sex and one category (preferred source where
-- sources overlap).
-- params: $indicator  indicator id (e.g. 'arbetsloshet')
--         $regions    list of region codes (e.g. ['2080', '20', '00'])
--         $sex        'T' total, 'K' women, 'M' men
--         $category   '' for the whole population, else a category value (e.g. 'utrikes född')
-- returns: region_code, region_name, region_name_en, period, period_type, period_date, value, source_id
-- reads: observation, region
-- example: {"indicator": "arbetsloshet", "regions": ["2080", "20"], "sex": "T", "category": ""}
SELECT o.region_code, r.name AS region_name, r.name_en AS region_name_en,
       o.period, o.period_type, o.period_date, o.value, o.source_id
FROM observation o
JOIN region r ON r.code = o.region_code
WHERE o.indicator_id = $indicator AND list_contains($regions, o.region_code)
  AND o.sex = $sex AND o.category = $category AND o.preferred
ORDER BY list_position($regions, o.region_code), o.period_date
