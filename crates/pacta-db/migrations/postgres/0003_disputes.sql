-- Disputes and their events. Both are append-only: a dispute's state is the replay of its
-- opening and events along the contract's escalation ladder (pacta-governance), so nothing
-- recorded is ever edited or deleted; a resolution adds an adjustment to the month.

-- id: CONTRACT/YYYY-MM/Dn, n counting the disputes of that contract-month from 1.
CREATE TABLE disputes (
    id           TEXT PRIMARY KEY,
    contract_id  TEXT NOT NULL,
    month        TEXT NOT NULL,
    subject      TEXT NOT NULL,
    opened_by    TEXT NOT NULL,
    opening_json TEXT NOT NULL,
    opened_at    TEXT NOT NULL,
    actor        TEXT NOT NULL,
    audit_seq    BIGINT NOT NULL REFERENCES audit_log (seq)
);
CREATE INDEX disputes_contract ON disputes (contract_id, month);

-- n: 1, 2, 3… per dispute without gaps; the primary key makes two writers that both read
-- n - 1 events unable to both record event n.
CREATE TABLE dispute_events (
    dispute_id TEXT NOT NULL REFERENCES disputes (id),
    n          BIGINT NOT NULL,
    at         TEXT NOT NULL,
    side       TEXT NOT NULL,
    action     TEXT NOT NULL,
    event_json TEXT NOT NULL,
    actor      TEXT NOT NULL,
    audit_seq  BIGINT NOT NULL REFERENCES audit_log (seq),
    PRIMARY KEY (dispute_id, n)
);

CREATE TRIGGER disputes_append_only BEFORE UPDATE OR DELETE ON disputes
FOR EACH ROW EXECUTE FUNCTION pacta_append_only('disputes are append-only');
CREATE TRIGGER disputes_no_truncate BEFORE TRUNCATE ON disputes
FOR EACH STATEMENT EXECUTE FUNCTION pacta_append_only('disputes are append-only');
CREATE TRIGGER dispute_events_append_only BEFORE UPDATE OR DELETE ON dispute_events
FOR EACH ROW EXECUTE FUNCTION pacta_append_only('dispute events are append-only');
CREATE TRIGGER dispute_events_no_truncate BEFORE TRUNCATE ON dispute_events
FOR EACH STATEMENT EXECUTE FUNCTION pacta_append_only('dispute events are append-only');
