-- A linkage delta updates the crosswalk rows of re-sent records in place, most keeping their
-- mesh id: room left on each page lets PostgreSQL do so without new index entries.
ALTER TABLE mesh_crosswalk SET (fillfactor = 90);
