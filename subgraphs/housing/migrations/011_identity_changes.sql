-- Which records changed since the last linkage submission, so that `mesh link --delta` reads
-- and sends only those: every insert, update and delete of a household_member row notes its local id
-- (one statement-level insert per statement, so a bulk load costs one pass). Linkage clears
-- the notes it has submitted, in the transaction that writes its crosswalk.
CREATE TABLE mesh_identity_change (
    change_id  bigserial PRIMARY KEY,
    local_id   text NOT NULL
);

CREATE FUNCTION mesh_note_household_member_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO mesh_identity_change (local_id) SELECT member_ref FROM gone_rows;
    ELSE
        INSERT INTO mesh_identity_change (local_id) SELECT member_ref FROM new_rows;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER household_member_inserted AFTER INSERT ON household_member REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mesh_note_household_member_changes();
CREATE TRIGGER household_member_updated AFTER UPDATE ON household_member REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mesh_note_household_member_changes();
CREATE TRIGGER household_member_deleted AFTER DELETE ON household_member REFERENCING OLD TABLE AS gone_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mesh_note_household_member_changes();
