-- What the agency last submitted for each person record, so that linkage can send only what
-- changed (a delta) and resolve the index's references: the record's opaque reference (the
-- keyed hash of its local id) and a digest of the identity fields linkage reads.
ALTER TABLE mesh_crosswalk
    ADD COLUMN record_ref      bytea,
    ADD COLUMN identity_digest bytea;
