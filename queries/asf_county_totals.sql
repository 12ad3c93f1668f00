-- County-level statements on work-integrating social enterprises (ASF), newest first; each row
-- is one statement from one source, not a statistical series.
-- params: (none)
-- returns: year, year_note, n_asf, n_asf_approx, employees, work_training, people_occupied,
--          turnover_msek, approx, quote, publisher, source_url
-- reads: asf_county_totals
-- example: {}
SELECT year, year_note, n_asf, n_asf_approx, employees, work_training, people_occupied,
       turnover_msek, approx, quote, publisher, source_url
FROM asf_county_totals
ORDER BY year DESC NULLS FIRST, source_url
