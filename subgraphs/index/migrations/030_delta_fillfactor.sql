-- A linkage delta updates records in place where their tokens are unchanged (an address
-- re-confirmed, a record moving mesh person): room left on each page lets PostgreSQL do so
-- without a new entry in every token index (a heap-only update).
ALTER TABLE linked_record SET (fillfactor = 90);
-- Likewise a delta's re-linked persons, most of whom keep their household and opt-out.
ALTER TABLE mesh_person SET (fillfactor = 90);
