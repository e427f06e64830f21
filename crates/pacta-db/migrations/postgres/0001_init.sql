-- pacta-db schema, PostgreSQL. Every table but audit_head is append-only (triggers below).
-- Timestamps are RFC 3339 UTC text with milliseconds (2026-03-01T00:00:00.000Z): the exact
-- text the chain hashes. Months are YYYY-MM text, so text order is month order.

CREATE TABLE audit_log (
    seq       BIGINT PRIMARY KEY CHECK (seq >= 1),
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    object    TEXT NOT NULL,
    payload   TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_log_object ON audit_log (object);
CREATE INDEX audit_log_action ON audit_log (action);

-- The chain's head: the one row every write transaction locks (SELECT ... FOR UPDATE) and
-- updates, so that appends are serialised and sequence numbers stay contiguous.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE settlement_versions (
    contract_id     TEXT NOT NULL,
    month           TEXT NOT NULL,
    version         BIGINT NOT NULL CHECK (version >= 1),
    saved_at        TEXT NOT NULL,
    actor           TEXT NOT NULL,
    settlement_json TEXT NOT NULL,
    record_json     TEXT NOT NULL,
    inputs_json     TEXT NOT NULL,
    settlement_hash TEXT NOT NULL,
    audit_seq       BIGINT NOT NULL REFERENCES audit_log (seq),
    PRIMARY KEY (contract_id, month, version)
);

CREATE TABLE closed_months (
    contract_id      TEXT NOT NULL,
    month            TEXT NOT NULL,
    version          BIGINT NOT NULL,
    contract_hash    TEXT NOT NULL,
    contract_version TEXT NOT NULL,
    store_snapshot   BIGINT NOT NULL,
    pacta_version    TEXT NOT NULL,
    history          TEXT NOT NULL,
    settlement_hash  TEXT NOT NULL,
    closed_at        TEXT NOT NULL,
    closed_by        TEXT NOT NULL,
    audit_seq        BIGINT NOT NULL REFERENCES audit_log (seq),
    PRIMARY KEY (contract_id, month),
    FOREIGN KEY (contract_id, month, version)
        REFERENCES settlement_versions (contract_id, month, version)
);

CREATE FUNCTION pacta_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'raise_exception';
END
$$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION pacta_append_only('audit log is append-only');
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION pacta_append_only('audit log is append-only');
CREATE TRIGGER settlement_versions_append_only BEFORE UPDATE OR DELETE ON settlement_versions
FOR EACH ROW EXECUTE FUNCTION pacta_append_only('settlement versions are append-only');
CREATE TRIGGER settlement_versions_no_truncate BEFORE TRUNCATE ON settlement_versions
FOR EACH STATEMENT EXECUTE FUNCTION pacta_append_only('settlement versions are append-only');
CREATE TRIGGER closed_months_append_only BEFORE UPDATE OR DELETE ON closed_months
FOR EACH ROW EXECUTE FUNCTION pacta_append_only('closed months are append-only');
CREATE TRIGGER closed_months_no_truncate BEFORE TRUNCATE ON closed_months
FOR EACH STATEMENT EXECUTE FUNCTION pacta_append_only('closed months are append-only');
