-- Identity: organisations, users, browser sessions, API keys, and the contracts registry
-- that binds each contract to a client and a provider organisation. Secrets are never
-- stored: passwords as argon2id PHC strings, session tokens and API keys as the SHA-256
-- (hex) of the random value handed out once. Sessions and keys are revoked by setting
-- revoked_at (the only updates); each change also has its audit entry.

CREATE TABLE orgs (
    slug       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    audit_seq  BIGINT NOT NULL REFERENCES audit_log (seq)
);

CREATE TABLE users (
    name          TEXT PRIMARY KEY,
    org           TEXT NOT NULL REFERENCES orgs (slug),
    role          TEXT NOT NULL CHECK (role IN ('client_manager', 'provider_manager', 'auditor', 'admin')),
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    audit_seq     BIGINT NOT NULL REFERENCES audit_log (seq)
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_name  TEXT NOT NULL REFERENCES users (name),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX sessions_user ON sessions (user_name);

-- id: a short public handle (the first 12 hex digits of the hash) to name a key when
-- revoking it; the key itself is never stored. purpose: 'api' keys authenticate the API;
-- 'feed' keys only read calendar feeds (their token sits in a URL a calendar polls).
CREATE TABLE api_keys (
    key_hash   TEXT PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    user_name  TEXT NOT NULL REFERENCES users (name),
    purpose    TEXT NOT NULL CHECK (purpose IN ('api', 'feed')),
    label      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

-- One row per registered version of a contract: n counts them from 1. Every version of a
-- contract id names the same two organisations (checked when registering).
CREATE TABLE contracts (
    id               TEXT NOT NULL,
    n                BIGINT NOT NULL CHECK (n >= 1),
    contract_version TEXT NOT NULL,
    contract_hash    TEXT NOT NULL,
    toml             TEXT NOT NULL,
    client_org       TEXT NOT NULL REFERENCES orgs (slug),
    provider_org     TEXT NOT NULL REFERENCES orgs (slug),
    registered_at    TEXT NOT NULL,
    registered_by    TEXT NOT NULL,
    audit_seq        BIGINT NOT NULL REFERENCES audit_log (seq),
    PRIMARY KEY (id, n)
);
CREATE INDEX contracts_client ON contracts (client_org);
CREATE INDEX contracts_provider ON contracts (provider_org);

CREATE TRIGGER contracts_append_only BEFORE UPDATE OR DELETE ON contracts
FOR EACH ROW EXECUTE FUNCTION pacta_append_only('contracts are append-only');
CREATE TRIGGER contracts_no_truncate BEFORE TRUNCATE ON contracts
FOR EACH STATEMENT EXECUTE FUNCTION pacta_append_only('contracts are append-only');
