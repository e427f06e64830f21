-- Obligation instances, what happened to them, and evidence files. All three are
-- append-only: an instance's status is the replay of its events, and a new contract version
-- supersedes an instance by adding an event, never by editing or deleting it.

CREATE TABLE obligation_instances (
    obligation_id    TEXT PRIMARY KEY,
    contract_id      TEXT NOT NULL,
    due_last_day     TEXT NOT NULL,
    obligation_json  TEXT NOT NULL,
    contract_version TEXT NOT NULL,
    contract_hash    TEXT NOT NULL,
    derived_at       TEXT NOT NULL
);
CREATE INDEX obligation_instances_contract ON obligation_instances (contract_id, due_last_day);

-- action: fulfil | waive | supersede | restore.
CREATE TABLE obligation_events (
    obligation_id TEXT NOT NULL REFERENCES obligation_instances (obligation_id),
    audit_seq     BIGINT NOT NULL REFERENCES audit_log (seq),
    action        TEXT NOT NULL,
    at            TEXT NOT NULL,
    actor         TEXT NOT NULL,
    detail_json   TEXT NOT NULL,
    evidence_hash TEXT,
    PRIMARY KEY (obligation_id, audit_seq)
);

CREATE TABLE evidence_files (
    hash     TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    size     BIGINT NOT NULL,
    bytes    BYTEA NOT NULL,
    added_at TEXT NOT NULL
);

CREATE TRIGGER obligation_instances_append_only BEFORE UPDATE OR DELETE ON obligation_instances
FOR EACH ROW EXECUTE FUNCTION pacta_append_only('obligation instances are append-only');
CREATE TRIGGER obligation_instances_no_truncate BEFORE TRUNCATE ON obligation_instances
FOR EACH STATEMENT EXECUTE FUNCTION pacta_append_only('obligation instances are append-only');
CREATE TRIGGER obligation_events_append_only BEFORE UPDATE OR DELETE ON obligation_events
FOR EACH ROW EXECUTE FUNCTION pacta_append_only('obligation events are append-only');
CREATE TRIGGER obligation_events_no_truncate BEFORE TRUNCATE ON obligation_events
FOR EACH STATEMENT EXECUTE FUNCTION pacta_append_only('obligation events are append-only');
CREATE TRIGGER evidence_files_append_only BEFORE UPDATE OR DELETE ON evidence_files
FOR EACH ROW EXECUTE FUNCTION pacta_append_only('evidence files are append-only');
CREATE TRIGGER evidence_files_no_truncate BEFORE TRUNCATE ON evidence_files
FOR EACH STATEMENT EXECUTE FUNCTION pacta_append_only('evidence files are append-only');
