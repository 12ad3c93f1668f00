-- Observations for chosen indicators, regions, years and sexes, with labels and provenance
-- (preferred source where sources overlap), for the research download.
-- params: $indicators       list of indicator ids (e.g. ['arbetsloshet'])
--         $regions          list of region codes (e.g. ['00', '20', '2080'])
--         $from_year        first year, integer (e.g. 2020)
--         $to_year          last year, integer (e.g. 2026)
--         $sexes            list of 'T', 'K', 'M'
--         $with_categories  true to include breakdowns (birth region, industry ...), false for totals only
-- returns: indicator_id, label_sv, label_en, unit, region_code, region_name, region_name_en, level,
--          period, period_type, sex, category, value, source_id, publisher
-- reads: observation_wide (derived: queries/derived/observation_wide.sql)
-- example: {"indicators": ["arbetsloshet", "varsel"], "regions": ["00", "20", "2080"], "from_year": 2020, "to_year": 2026, "sexes": ["T"], "with_categories": true}
SELECT indicator_id, label_sv, label_en, unit, region_code, region_name, region_name_en, level,
       period, period_type, sex, category, value, source_id, publisher
FROM observation_wide
WHERE preferred
  AND list_contains($indicators, indicator_id)
  AND list_contains($regions, region_code)
  AND year(period_date) BETWEEN $from_year AND $to_year
  AND list_contains($sexes, sex)
  AND ($with_categories OR category = '')
ORDER BY indicator_id, CASE level WHEN 'riket' THEN 1 WHEN 'lan' THEN 2 ELSE 3 END,
         region_code, period_date, sex, category
