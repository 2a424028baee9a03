-- Group commit in one statement: the gateway's audit writer sends every record of a batch as
-- one JSON array, and each is appended through append_audit() (still the only writer: same
-- lock, same hash formula), in array order. One round trip and one WAL flush per batch,
-- where a transaction of separate calls cost a round trip per record plus BEGIN and COMMIT.
CREATE FUNCTION append_audit_batch(p_entries jsonb)
RETURNS TABLE (appended_seq bigint, appended_hash text)
LANGUAGE plpgsql AS $$
DECLARE
    e jsonb;
BEGIN
    IF jsonb_typeof(p_entries) <> 'array' THEN
        RAISE EXCEPTION 'append_audit_batch: entries must be a JSON array';
    END IF;
    FOR e IN SELECT value FROM jsonb_array_elements(p_entries) WITH ORDINALITY ORDER BY ordinality
    LOOP
        SELECT a.appended_seq, a.appended_hash INTO appended_seq, appended_hash
        FROM append_audit(
            (e->>'request_id')::uuid,
            (e->>'occurred_at')::timestamptz,
            e->>'subject',
            e->>'staff_name',
            e->>'organisation',
            ARRAY(SELECT jsonb_array_elements_text(e->'roles')),
            e->>'purpose',
            e->>'case_reference',
            e->>'justification',
            (e->>'break_glass')::boolean,
            ARRAY(SELECT jsonb_array_elements_text(e->'subjects')),
            ARRAY(SELECT jsonb_array_elements_text(e->'served')),
            ARRAY(SELECT jsonb_array_elements_text(e->'masked')),
            ARRAY(SELECT jsonb_array_elements_text(e->'denied')),
            ARRAY(SELECT jsonb_array_elements_text(e->'agreements')),
            e->>'response_sha256',
            e->>'canonical_head',
            e->>'canonical_tail'
        ) a;
        RETURN NEXT;
    END LOOP;
END
$$;
