-- welfare: the facts its needs indicators are made of (indicators.yaml).
CREATE VIEW mesh_needs_fact AS
SELECT c.claimant_id::text AS local_id, 'workless'::text AS fact, 1::numeric AS value,
       s.effective_from AS as_of, c.postcode, c.date_of_birth
FROM claimant c JOIN employment_status s ON s.claimant_id = c.claimant_id
     AND s.status IN ('unemployed', 'inactive_sick_or_disabled', 'inactive_caring')
UNION ALL
SELECT c.claimant_id::text, 'open_uc_claim', u.monthly_award, u.start_date, c.postcode,
       c.date_of_birth
FROM claimant c JOIN uc_claim u ON c.claimant_id IN (u.claimant_id, u.partner_claimant_id)
     AND u.end_date IS NULL
UNION ALL
SELECT c.claimant_id::text, 'limited_capability_for_work', 1, u.start_date, c.postcode,
       c.date_of_birth
FROM claimant c JOIN uc_claim u ON c.claimant_id IN (u.claimant_id, u.partner_claimant_id)
     AND u.end_date IS NULL AND u.lcwra_element;
