-- The audit log, after X-Road: one hash-chained, append-only record per exchange.
--
-- record_hash = lower-hex SHA-256 of the UTF-8 bytes of (prev_hash || canonical JSON), where
-- the canonical JSON is built by authz/audit_chain.py (sorted keys, no whitespace, ASCII only,
-- seq as an integer, occurred_at as "YYYY-MM-DDTHH:MM:SS.ffffffZ"). The first record chains
-- from 64 zeros. append_audit() below is the only writer: it serialises appends with an
-- advisory lock, so the chain cannot fork and seq has no gaps.

CREATE TABLE audit_record (
    -- Chain order. Assigned by append_audit() as head + 1 under the lock rather than by a
    -- sequence: a sequence burns values on rollback, and a gap reads as a deleted record.
    seq              bigint PRIMARY KEY CHECK (seq > 0),
    request_id       uuid NOT NULL UNIQUE,
    occurred_at      timestamptz NOT NULL,
    subject          text NOT NULL,           -- the principal's token subject
    staff_name       text,                    -- kept for IG; withheld from subject access
    organisation     text NOT NULL,
    roles            text[] NOT NULL,
    purpose          text NOT NULL,
    case_reference   text,
    justification    text,
    break_glass      boolean NOT NULL,
    subjects         text[] NOT NULL,         -- mesh person / household ids touched
    served           text[] NOT NULL,         -- field coordinates served in the clear
    masked           text[] NOT NULL,         -- field coordinates served masked
    denied           text[] NOT NULL,         -- field coordinates withheld
    agreements       text[] NOT NULL,         -- "agreement-id@version"
    response_sha256  text NOT NULL CHECK (response_sha256 ~ '^[0-9a-f]{64}$'),
    prev_hash        text NOT NULL UNIQUE CHECK (prev_hash ~ '^[0-9a-f]{64}$'),  -- no forks
    record_hash      text NOT NULL CHECK (record_hash ~ '^[0-9a-f]{64}$')
);

-- Subject access: "which requests touched this person".
CREATE INDEX audit_record_subjects ON audit_record USING gin (subjects);
-- Date-range searches and the newest-first listing.
CREATE INDEX audit_record_occurred_at ON audit_record (occurred_at);
CREATE INDEX audit_record_organisation ON audit_record (organisation, occurred_at);
-- Break-glass review queue: a small partial index.
CREATE INDEX audit_record_break_glass ON audit_record (seq) WHERE break_glass;


-- Information-governance review of break-glass access. Kept apart so audit rows never change;
-- a review is itself an accountability record, so it is append-only too (one per record).
CREATE TABLE break_glass_review (
    seq          bigint PRIMARY KEY REFERENCES audit_record (seq),
    reviewed_at  timestamptz NOT NULL DEFAULT now(),
    reviewer     text NOT NULL,
    outcome      text NOT NULL CHECK (outcome IN ('justified', 'not_justified', 'referred')),
    note         text
);


CREATE FUNCTION refuse_audit_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_record_append_only
    BEFORE UPDATE OR DELETE ON audit_record
    FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER audit_record_no_truncate
    BEFORE TRUNCATE ON audit_record
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER break_glass_review_append_only
    BEFORE UPDATE OR DELETE ON break_glass_review
    FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER break_glass_review_no_truncate
    BEFORE TRUNCATE ON break_glass_review
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();


-- Append one record in one round trip: lock, read the head, hash, insert.
-- The caller sends the canonical JSON split around the seq value (canonical_head ends with
-- '"seq":', canonical_tail starts with ',' or '}'), since only the database knows seq.
-- Run it in its own (autocommit) transaction: the lock is held until commit, and in READ
-- COMMITTED each statement here takes a fresh snapshot, so the head read after the lock is
-- the committed head. A fork is still impossible otherwise: seq and prev_hash are unique.
CREATE FUNCTION append_audit(
    p_request_id       uuid,
    p_occurred_at      timestamptz,
    p_subject          text,
    p_staff_name       text,
    p_organisation     text,
    p_roles            text[],
    p_purpose          text,
    p_case_reference   text,
    p_justification    text,
    p_break_glass      boolean,
    p_subjects         text[],
    p_served           text[],
    p_masked           text[],
    p_denied           text[],
    p_agreements       text[],
    p_response_sha256  text,
    p_canonical_head   text,
    p_canonical_tail   text,
    OUT appended_seq   bigint,
    OUT appended_hash  text
)
LANGUAGE plpgsql AS $$
DECLARE
    head_seq   bigint;
    head_hash  text;
BEGIN
    IF right(p_canonical_head, 6) <> '"seq":' OR left(p_canonical_tail, 1) NOT IN (',', '}') THEN
        RAISE EXCEPTION 'append_audit: canonical JSON must be split around the seq value';
    END IF;
    -- 0x61756469745f6c67 = 'audit_lg': the lock that serialises every append.
    PERFORM pg_advisory_xact_lock(7022629598040910951);
    SELECT a.seq, a.record_hash INTO head_seq, head_hash
        FROM audit_record a ORDER BY a.seq DESC LIMIT 1;
    IF NOT FOUND THEN
        head_seq := 0;
        head_hash := repeat('0', 64);
    END IF;
    appended_seq := head_seq + 1;
    appended_hash := encode(sha256(convert_to(
        head_hash || p_canonical_head || appended_seq::text || p_canonical_tail, 'UTF8')), 'hex');
    INSERT INTO audit_record (
        seq, request_id, occurred_at, subject, staff_name, organisation, roles, purpose,
        case_reference, justification, break_glass, subjects, served, masked, denied,
        agreements, response_sha256, prev_hash, record_hash
    ) VALUES (
        appended_seq, p_request_id, p_occurred_at, p_subject, p_staff_name, p_organisation,
        p_roles, p_purpose, p_case_reference, p_justification, p_break_glass, p_subjects,
        p_served, p_masked, p_denied, p_agreements, p_response_sha256, head_hash, appended_hash
    );
END
$$;
