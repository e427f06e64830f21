-- pacta-db schema, SQLite. Every table but audit_head is append-only (triggers below).
-- Timestamps are RFC 3339 UTC text with milliseconds (2026-03-01T00:00:00.000Z); months are
-- YYYY-MM text, so text order is month order.

CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY CHECK (seq >= 1),
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

-- The chain's head: the one row every write transaction reads and updates first, so that
-- appends are serialised and the last entry's hash is known without a scan.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE settlement_versions (
    contract_id     TEXT NOT NULL,
    month           TEXT NOT NULL,
    version         INTEGER NOT NULL CHECK (version >= 1),
    saved_at        TEXT NOT NULL,
    actor           TEXT NOT NULL,
    settlement_json TEXT NOT NULL,
    record_json     TEXT NOT NULL,
    inputs_json     TEXT NOT NULL,
    settlement_hash TEXT NOT NULL,
    audit_seq       INTEGER NOT NULL REFERENCES audit_log (seq),
    PRIMARY KEY (contract_id, month, version)
);

CREATE TABLE closed_months (
    contract_id      TEXT NOT NULL,
    month            TEXT NOT NULL,
    version          INTEGER NOT NULL,
    contract_hash    TEXT NOT NULL,
    contract_version TEXT NOT NULL,
    store_snapshot   INTEGER NOT NULL,
    pacta_version    TEXT NOT NULL,
    history          TEXT NOT NULL,
    settlement_hash  TEXT NOT NULL,
    closed_at        TEXT NOT NULL,
    closed_by        TEXT NOT NULL,
    audit_seq        INTEGER NOT NULL REFERENCES audit_log (seq),
    PRIMARY KEY (contract_id, month),
    FOREIGN KEY (contract_id, month, version)
        REFERENCES settlement_versions (contract_id, month, version)
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER settlement_versions_no_update BEFORE UPDATE ON settlement_versions
BEGIN SELECT RAISE(ABORT, 'settlement versions are append-only'); END;
CREATE TRIGGER settlement_versions_no_delete BEFORE DELETE ON settlement_versions
BEGIN SELECT RAISE(ABORT, 'settlement versions are append-only'); END;
CREATE TRIGGER closed_months_no_update BEFORE UPDATE ON closed_months
BEGIN SELECT RAISE(ABORT, 'closed months are append-only'); END;
CREATE TRIGGER closed_months_no_delete BEFORE DELETE ON closed_months
BEGIN SELECT RAISE(ABORT, 'closed months are append-only'); END;
