-- County-level statements on ASF with their context note, dated ones first (oldest first), then
-- the undated ones; each row is one publisher's statement, not a point of one statistical series.
-- params: (none)
-- returns: year, year_note, n_asf, n_asf_approx, employees, work_training, people_occupied,
--          turnover_msek, approx, quote, publisher, source_url, note
-- reads: asf_county_totals
-- example: {}
SELECT year, year_note, n_asf, n_asf_approx, employees, work_training, people_occupied,
       turnover_msek, approx, quote, publisher, source_url, note
FROM asf_county_totals
ORDER BY year NULLS LAST, publisher, source_url
