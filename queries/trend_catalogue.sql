-- The indicators that have data, in the order of data/curated/indicators.yml (related indicators
-- together), with the English names of the categories. (live_only indicators have none until an
-- update from the APIs has loaded them.)
-- params: (none)
-- returns: id, label_sv, label_en, unit, decimals, frequency, definition_sv, definition_en,
--          source_ids, categories_en, series_breaks (first periods of a new series, comma-separated)
-- reads: indicator, observation
-- example: {}
SELECT id, label_sv, label_en, unit, decimals, frequency, definition_sv, definition_en, source_ids,
       categories_en, series_breaks
FROM indicator i
WHERE EXISTS (SELECT 1 FROM observation o WHERE o.indicator_id = i.id)
ORDER BY rowid
