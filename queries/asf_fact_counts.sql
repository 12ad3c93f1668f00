-- How many stated numbers (asf_facts rows) each enterprise has; enterprises without any are absent.
-- params: (none)
-- returns: asf_id, n_facts
-- reads: asf_facts
-- example: {}
SELECT asf_id, count(*) AS n_facts
FROM asf_facts
GROUP BY asf_id
ORDER BY asf_id
