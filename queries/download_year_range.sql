-- First and last year with data for a set of indicators (for the download page's year slider).
-- params: $indicators  list of indicator ids (e.g. ['arbetsloshet'])
-- returns: first_year, last_year
-- reads: observation
-- example: {"indicators": ["arbetsloshet", "varsel"]}
SELECT min(year(period_date)) AS first_year, max(year(period_date)) AS last_year
FROM observation
WHERE list_contains($indicators, indicator_id)
