-- A linkage delta re-evaluates the needs indicators of the mesh persons it re-linked or
-- re-housed only: it finds their kept indicators by person.
CREATE INDEX mesh_needs_indicator_person ON mesh_needs_indicator (person_id);
