-- Which records changed since the last linkage submission, so that `mesh link --delta` reads
-- and sends only those: every insert, update and delete of a pupil row notes its local id
-- (one statement-level insert per statement, so a bulk load costs one pass). Linkage clears
-- the notes it has submitted, in the transaction that writes its crosswalk.
CREATE TABLE mesh_identity_change (
    change_id  bigserial PRIMARY KEY,
    local_id   text NOT NULL
);

CREATE FUNCTION mesh_note_pupil_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO mesh_identity_change (local_id) SELECT upn FROM gone_rows;
    ELSE
        INSERT INTO mesh_identity_change (local_id) SELECT upn FROM new_rows;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER pupil_inserted AFTER INSERT ON pupil REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mesh_note_pupil_changes();
CREATE TRIGGER pupil_updated AFTER UPDATE ON pupil REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mesh_note_pupil_changes();
CREATE TRIGGER pupil_deleted AFTER DELETE ON pupil REFERENCING OLD TABLE AS gone_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mesh_note_pupil_changes();
