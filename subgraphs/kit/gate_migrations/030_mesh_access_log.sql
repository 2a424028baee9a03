-- Every store a subgraph serves from (each agency's and the index's) keeps its own access log,
-- after X-Road: both ends of an exchange log it. One row per gateway request served, written
-- before any data is read; the context's id (its jti) is the key, so a context is used once
-- and a replay is refused. `mesh audit reconcile` checks these rows against the central chain.
CREATE TABLE mesh_access_log (
    context_id        text PRIMARY KEY,        -- the gateway context's jti: single use
    request_id        text NOT NULL,           -- the gateway's request: the central record's id
    received_at       timestamptz NOT NULL DEFAULT now(),
    expires_at        timestamptz NOT NULL,    -- the context's exp
    subject           text NOT NULL,           -- the member of staff's token subject
    organisation      text NOT NULL,
    roles             text[] NOT NULL,
    purpose           text NOT NULL,
    case_reference    text,
    break_glass       boolean NOT NULL,
    agreements        text[] NOT NULL,         -- "agreement-id@version" the gateway applied
    operation_sha256  text NOT NULL CHECK (operation_sha256 ~ '^[0-9a-f]{64}$'),
    subjects          text[] NOT NULL,         -- mesh ids the request was about
    entity_fetch      boolean NOT NULL         -- asked by representations (_entities)
);
CREATE INDEX mesh_access_log_request ON mesh_access_log (request_id);
CREATE INDEX mesh_access_log_received ON mesh_access_log (received_at);

CREATE FUNCTION refuse_access_log_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER mesh_access_log_append_only
    BEFORE UPDATE OR DELETE ON mesh_access_log
    FOR EACH ROW EXECUTE FUNCTION refuse_access_log_change();
CREATE TRIGGER mesh_access_log_no_truncate
    BEFORE TRUNCATE ON mesh_access_log
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_access_log_change();
