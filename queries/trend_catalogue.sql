-- The indicator catalogue in the order of data/curated/indicators.yml (related indicators together),
-- with the English names of the categories.
-- params: (none)
-- returns: id, label_sv, label_en, unit, decimals, frequency, definition_sv, definition_en,
--          source_ids, categories_en
-- example: {}
SELECT id, label_sv, label_en, unit, decimals, frequency, definition_sv, definition_en, source_ids,
       categories_en
FROM indicator
ORDER BY rowid
