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
-- example: {"indicators": ["arbetsloshet", "varsel"], "regions": ["00", "20", "2080"], "from_year": 2020, "to_year": 2026, "sexes": ["T"], "with_categories": true}
SELECT o.indicator_id, i.label_sv, i.label_en, i.unit, o.region_code, r.name AS region_name,
       r.name_en AS region_name_en, r.level, o.period, o.period_type, o.sex, o.category, o.value,
       o.source_id, s.publisher
FROM observation o
JOIN indicator i ON i.id = o.indicator_id
JOIN region r ON r.code = o.region_code
JOIN source s ON s.id = o.source_id
WHERE o.preferred
  AND list_contains($indicators, o.indicator_id)
  AND list_contains($regions, o.region_code)
  AND year(o.period_date) BETWEEN $from_year AND $to_year
  AND list_contains($sexes, o.sex)
  AND ($with_categories OR o.category = '')
ORDER BY o.indicator_id, CASE r.level WHEN 'riket' THEN 1 WHEN 'lan' THEN 2 ELSE 3 END,
         o.region_code, o.period_date, o.sex, o.category
