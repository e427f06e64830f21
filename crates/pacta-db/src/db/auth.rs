//! Identity and tenancy: organisations, users, sessions, API keys and the contracts registry,
//! with every read scoped to a [`Viewer`].
//!
//! Secrets never reach a table, the audit log or an error: a password is kept as its
//! argon2id PHC string, a session token or an API key as the SHA-256 (hex) of the random
//! value returned once to the caller. The clock is never read: every call takes `now`.
//!
//! Roles are enforced here, not by the caller: a [`Viewer`] can only be obtained from a
//! password, a live session or a live key (or by naming a user, for the CLI that owns the
//! machine), and a contract outside the viewer's scope reads as absent, so a server answers
//! it exactly like a contract that does not exist.

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use jiff::{SignedDuration, Timestamp};
use serde_json::json;
use sqlx::Row;

use super::{Pool, Result, to_i64, to_u32, to_u64};
use crate::chain::{canonical_json, entry_hash, parse_timestamp, text_hash, timestamp_text};
use crate::{AuditEntry, Db, DbError, LogFilter, VerifyReport};

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Manages the contracts where its organisation is the client.
    ClientManager,
    /// Works the contracts where its organisation is the provider.
    ProviderManager,
    /// Reads every contract and verifies the audit log.
    Auditor,
    /// Administers the installation; reads every contract.
    Admin,
}

impl Role {
    /// Every role, in a stable order.
    pub const ALL: [Role; 4] = [
        Role::ClientManager,
        Role::ProviderManager,
        Role::Auditor,
        Role::Admin,
    ];

    /// The name stored and accepted: `client_manager`, `provider_manager`, `auditor`, `admin`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::ClientManager => "client_manager",
            Role::ProviderManager => "provider_manager",
            Role::Auditor => "auditor",
            Role::Admin => "admin",
        }
    }

    /// The role in words of the reader's language: "Client manager", "Gestor del cliente".
    pub fn label(self, lang: pacta_core::Lang) -> &'static str {
        match self {
            Role::ClientManager => lang.pick("Client manager", "Gestor del cliente"),
            Role::ProviderManager => lang.pick("Provider manager", "Gestor del proveedor"),
            Role::Auditor => lang.pick("Auditor", "Auditor"),
            Role::Admin => lang.pick("Administrator", "Administrador"),
        }
    }

    /// Whether the role reads every organisation's contracts.
    pub fn reads_all(self) -> bool {
        matches!(self, Role::Auditor | Role::Admin)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = DbError;

    fn from_str(text: &str) -> Result<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == text)
            .ok_or_else(|| DbError::InvalidRole {
                role: text.to_string(),
            })
    }
}

/// Who is reading: the scope every read of tenant data takes. Only the database hands one
/// out (after a password, a session or a key was checked), so a caller cannot widen it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    user: String,
    org: String,
    role: Role,
}

impl Viewer {
    /// The user's name (the actor of the audit entries it causes).
    pub fn user(&self) -> &str {
        &self.user
    }

    /// The user's organisation (its slug).
    pub fn org(&self) -> &str {
        &self.org
    }

    /// The user's role.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The side the viewer acts for on a contract it read: a client manager of its client
    /// organisation acts as the client, a provider manager of its provider organisation as
    /// the provider. Auditors and admins read but never act (`None`).
    pub fn party_on(&self, contract: &RegisteredContract) -> Option<Party> {
        match self.role {
            Role::ClientManager if self.org == contract.client_org => Some(Party::Client),
            Role::ProviderManager if self.org == contract.provider_org => Some(Party::Provider),
            _ => None,
        }
    }

    /// Whether the viewer may see a contract between these organisations.
    pub fn may_read(&self, client_org: &str, provider_org: &str) -> bool {
        match self.role {
            Role::Auditor | Role::Admin => true,
            Role::ClientManager => self.org == client_org,
            Role::ProviderManager => self.org == provider_org,
        }
    }
}

/// The side a viewer acts for on a contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// The client organisation.
    Client,
    /// The provider organisation.
    Provider,
}

/// A user to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    /// Unique login name.
    pub name: String,
    /// The organisation's slug (it must exist).
    pub org: String,
    /// The role.
    pub role: Role,
}

/// An API or calendar feed key as listed: who owns it and when it was made and revoked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyInfo {
    /// Its public id.
    pub id: String,
    /// Its owner.
    pub user: String,
    /// `api` or `feed`.
    pub purpose: String,
    /// The label given when it was created.
    pub label: String,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it was revoked, if it was.
    pub revoked_at: Option<Timestamp>,
}

/// A secret handed out once: the caller shows it and forgets it; only its hash is stored.
#[derive(Clone, PartialEq, Eq)]
pub struct IssuedSecret {
    /// The value to give the user (a session cookie, an API key).
    pub secret: String,
    /// A public handle to name it later (an API key's id; a session's is empty).
    pub id: String,
    /// When it stops working, if it expires.
    pub expires_at: Option<Timestamp>,
}

impl fmt::Debug for IssuedSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuedSecret")
            .field("secret", &"***")
            .field("id", &self.id)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// A user as an administrator sees it (never its password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserSummary {
    /// Login name.
    pub name: String,
    /// The organisation's slug.
    pub org: String,
    /// The role.
    pub role: Role,
    /// When it was created.
    pub created_at: Timestamp,
}

/// A contract version to register, bound to its two organisations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewContract {
    /// The contract's id (`[contract] id`).
    pub id: String,
    /// The contract's own version label (`[contract] version`).
    pub contract_version: String,
    /// The TOML text, as validated by the caller.
    pub toml: String,
    /// The client organisation's slug.
    pub client_org: String,
    /// The provider organisation's slug.
    pub provider_org: String,
}

/// A registered contract version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredContract {
    /// The contract's id.
    pub id: String,
    /// 1, 2, 3… per contract id, in registration order.
    pub n: u32,
    /// The contract's own version label.
    pub contract_version: String,
    /// BLAKE3 (hex) of the TOML text: the hash settlements record.
    pub contract_hash: String,
    /// The TOML text.
    pub toml: String,
    /// The client organisation's slug.
    pub client_org: String,
    /// The provider organisation's slug.
    pub provider_org: String,
    /// When it was registered.
    pub registered_at: Timestamp,
    /// Who registered it.
    pub registered_by: String,
}

/// The prefix of API keys, so that secret scanners and people recognise one.
pub const API_KEY_PREFIX: &str = "pacta_k_";
/// The prefix of calendar feed keys.
pub const FEED_KEY_PREFIX: &str = "pacta_f_";

/// What a key opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyPurpose {
    /// The API.
    Api,
    /// The caller's obligation calendars, read-only.
    Feed,
}

impl KeyPurpose {
    fn as_str(self) -> &'static str {
        match self {
            KeyPurpose::Api => "api",
            KeyPurpose::Feed => "feed",
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            KeyPurpose::Api => API_KEY_PREFIX,
            KeyPurpose::Feed => FEED_KEY_PREFIX,
        }
    }

    fn action(self) -> &'static str {
        match self {
            KeyPurpose::Api => "key.create",
            KeyPurpose::Feed => "feed.create",
        }
    }
}

/// 32 random bytes from the operating system, hex.
fn random_hex() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| DbError::Random {
        message: e.to_string(),
    })?;
    Ok(hex(&bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 (hex) of a token or key: what the database stores and looks up.
pub fn secret_hash(secret: &str) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(secret.as_bytes()))
}

/// A new random password (24 characters of a 256-bit value): for `pacta user add` without
/// `--password-stdin`.
pub fn generate_password() -> Result<String> {
    Ok(random_hex()?.chars().take(24).collect())
}

/// The argon2id PHC string of a password, with a random salt.
pub fn hash_password(password: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| DbError::Random {
        message: e.to_string(),
    })?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| DbError::PasswordHash {
        message: e.to_string(),
    })?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| DbError::PasswordHash {
            message: e.to_string(),
        })
}

/// Whether `password` matches the PHC string `phc` (false for a malformed string).
fn password_matches(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash to verify against when the user does not exist, so that an unknown name costs
/// the same time as a wrong password and names cannot be probed by timing.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy").unwrap_or_default())
}

/// The audit object of a user, an organisation, a contract.
fn user_object(name: &str) -> String {
    format!("user/{name}")
}

fn org_object(slug: &str) -> String {
    format!("org/{slug}")
}

fn contract_object(id: &str) -> String {
    format!("contract/{id}")
}

const CONTRACT_COLUMNS: &str = "id, n, contract_version, contract_hash, toml, client_org, \
     provider_org, registered_at, registered_by";

/// A contract row as read.
type RawContract = (
    String,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
);

fn parse_contract(raw: RawContract) -> Result<RegisteredContract> {
    let (id, n, contract_version, contract_hash, toml, client_org, provider_org, at, registered_by) =
        raw;
    Ok(RegisteredContract {
        id,
        n: to_u32("contracts.n", n)?,
        contract_version,
        contract_hash,
        toml,
        client_org,
        provider_org,
        registered_at: parse_timestamp(&at)?,
        registered_by,
    })
}

macro_rules! contract_row {
    ($row:expr) => {
        (
            col!($row, "id"),
            col!($row, "n"),
            col!($row, "contract_version"),
            col!($row, "contract_hash"),
            col!($row, "toml"),
            col!($row, "client_org"),
            col!($row, "provider_org"),
            col!($row, "registered_at"),
            col!($row, "registered_by"),
        )
    };
}

impl Db {
    /// Creates an organisation (`org.add`). Refused with [`DbError::Exists`] when the slug
    /// is taken.
    pub fn add_org(&self, slug: &str, name: &str, actor: &str, at: Timestamp) -> Result<()> {
        check_name("organisation", slug)?;
        in_write_tx!(self, |tx, head| {
            let taken = sqlx::query("SELECT COUNT(*) FROM orgs WHERE slug = $1")
                .bind(slug)
                .fetch_one(&mut *tx)
                .await
                .map_err(DbError::from_sqlx)?;
            let taken: i64 = taken.try_get(0).map_err(DbError::from_sqlx)?;
            if taken > 0 {
                return Err(DbError::Exists {
                    what: "organisation",
                    name: slug.to_string(),
                });
            }
            let payload = canonical_json(&json!({"slug": slug, "name": name}));
            let entry = append_in_tx!(tx, &head, at, actor, "org.add", &org_object(slug), payload);
            sqlx::query(
                "INSERT INTO orgs (slug, name, created_at, audit_seq) VALUES ($1, $2, $3, $4)",
            )
            .bind(slug)
            .bind(name)
            .bind(timestamp_text(entry.at))
            .bind(to_i64("seq", entry.seq)?)
            .execute(&mut *tx)
            .await
            .map_err(DbError::from_sqlx)?;
            Ok::<_, DbError>(())
        })
    }

    /// Whether an organisation exists.
    pub fn org_exists(&self, slug: &str) -> Result<bool> {
        on_pool!(self, |p| {
            let row = sqlx::query("SELECT COUNT(*) FROM orgs WHERE slug = $1")
                .bind(slug)
                .fetch_one(p)
                .await
                .map_err(DbError::from_sqlx)?;
            let n: i64 = row.try_get(0).map_err(DbError::from_sqlx)?;
            Ok::<_, DbError>(n > 0)
        })
    }

    /// Creates a user with an argon2id hash of `password` (`user.add`; the audit payload
    /// names the user, organisation and role, never the password). Refused when the name is
    /// taken ([`DbError::Exists`]) or the organisation is unknown ([`DbError::UnknownOrg`]).
    pub fn add_user(
        &self,
        user: &NewUser,
        password: &str,
        actor: &str,
        at: Timestamp,
    ) -> Result<Viewer> {
        check_name("user", &user.name)?;
        if password.len() < 8 {
            return Err(DbError::WeakPassword);
        }
        // Hashed before the transaction: the chain's head stays locked only for the insert.
        let phc = hash_password(password)?;
        in_write_tx!(self, |tx, head| {
            let org = sqlx::query("SELECT COUNT(*) FROM orgs WHERE slug = $1")
                .bind(&user.org)
                .fetch_one(&mut *tx)
                .await
                .map_err(DbError::from_sqlx)?;
            let org: i64 = org.try_get(0).map_err(DbError::from_sqlx)?;
            if org == 0 {
                return Err(DbError::UnknownOrg {
                    slug: user.org.clone(),
                });
            }
            let taken = sqlx::query("SELECT COUNT(*) FROM users WHERE name = $1")
                .bind(&user.name)
                .fetch_one(&mut *tx)
                .await
                .map_err(DbError::from_sqlx)?;
            let taken: i64 = taken.try_get(0).map_err(DbError::from_sqlx)?;
            if taken > 0 {
                return Err(DbError::Exists {
                    what: "user",
                    name: user.name.clone(),
                });
            }
            let payload = canonical_json(&json!({
                "name": user.name,
                "org": user.org,
                "role": user.role.as_str(),
            }));
            let entry = append_in_tx!(
                tx,
                &head,
                at,
                actor,
                "user.add",
                &user_object(&user.name),
                payload
            );
            sqlx::query(
                "INSERT INTO users (name, org, role, password_hash, created_at, audit_seq) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&user.name)
            .bind(&user.org)
            .bind(user.role.as_str())
            .bind(&phc)
            .bind(timestamp_text(entry.at))
            .bind(to_i64("seq", entry.seq)?)
            .execute(&mut *tx)
            .await
            .map_err(DbError::from_sqlx)?;
            Ok::<_, DbError>(Viewer {
                user: user.name.clone(),
                org: user.org.clone(),
                role: user.role,
            })
        })
    }

    /// The viewer of a user named by someone who owns the installation (the CLI); `None`
    /// for an unknown name.
    pub fn viewer_of(&self, name: &str) -> Result<Option<Viewer>> {
        Ok(self.user_row(name)?.map(|(viewer, _)| viewer))
    }

    fn user_row(&self, name: &str) -> Result<Option<(Viewer, String)>> {
        let row = on_pool!(self, |p| {
            let row =
                sqlx::query("SELECT name, org, role, password_hash FROM users WHERE name = $1")
                    .bind(name)
                    .fetch_optional(p)
                    .await
                    .map_err(DbError::from_sqlx)?;
            match row {
                Some(row) => {
                    let fields: (String, String, String, String) = (
                        col!(row, "name"),
                        col!(row, "org"),
                        col!(row, "role"),
                        col!(row, "password_hash"),
                    );
                    Ok::<_, DbError>(Some(fields))
                }
                None => Ok(None),
            }
        })?;
        row.map(|(user, org, role, phc)| {
            let role = role
                .parse()
                .map_err(|_| DbError::corrupt(format!("users.role `{role}`")))?;
            Ok((Viewer { user, org, role }, phc))
        })
        .transpose()
    }

    /// The viewer whose password this is; `None` for an unknown user or a wrong password
    /// (the two cost the same time). Blocks for the hash: call it off an async executor.
    pub fn check_password(&self, name: &str, password: &str) -> Result<Option<Viewer>> {
        match self.user_row(name)? {
            Some((viewer, phc)) => Ok(password_matches(password, &phc).then_some(viewer)),
            None => {
                let _ = password_matches(password, decoy_hash());
                Ok(None)
            }
        }
    }

    /// Opens a browser session for the viewer, valid for `ttl` from `now` (`session.create`).
    /// The token is returned once; the database keeps its SHA-256.
    pub fn create_session(
        &self,
        viewer: &Viewer,
        ttl: SignedDuration,
        now: Timestamp,
    ) -> Result<IssuedSecret> {
        let token = random_hex()?;
        let token_hash = secret_hash(&token);
        let expires_at = now.checked_add(ttl).map_err(|e| DbError::OutOfRange {
            field: "session expiry",
            value: e.to_string(),
        })?;
        in_write_tx!(self, |tx, head| {
            let payload = canonical_json(&json!({
                "user": viewer.user,
                "expires_at": timestamp_text(expires_at),
            }));
            let entry = append_in_tx!(
                tx,
                &head,
                now,
                &viewer.user,
                "session.create",
                &user_object(&viewer.user),
                payload
            );
            sqlx::query(
                "INSERT INTO sessions (token_hash, user_name, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(&token_hash)
            .bind(&viewer.user)
            .bind(timestamp_text(entry.at))
            .bind(timestamp_text(expires_at))
            .execute(&mut *tx)
            .await
            .map_err(DbError::from_sqlx)?;
            Ok::<_, DbError>(())
        })?;
        Ok(IssuedSecret {
            secret: token,
            id: String::new(),
            expires_at: Some(expires_at),
        })
    }

    /// The viewer of a live session token: `None` when unknown, revoked or expired at `now`.
    pub fn session_viewer(&self, token: &str, now: Timestamp) -> Result<Option<Viewer>> {
        self.live_secret(
            "SELECT s.expires_at AS expires_at, s.revoked_at AS revoked_at, u.name AS name, \
             u.org AS org, u.role AS role FROM sessions s JOIN users u ON u.name = s.user_name \
             WHERE s.token_hash = $1",
            token,
            now,
        )
    }

    /// Revokes a session (`session.revoke`); `false` when the token is unknown or already
    /// revoked (nothing is written then).
    pub fn revoke_session(&self, token: &str, now: Timestamp) -> Result<bool> {
        let token_hash = secret_hash(token);
        in_write_tx!(self, |tx, head| {
            let row = sqlx::query(
                "SELECT user_name FROM sessions WHERE token_hash = $1 AND revoked_at IS NULL",
            )
            .bind(&token_hash)
            .fetch_optional(&mut *tx)
            .await
            .map_err(DbError::from_sqlx)?;
            let Some(row) = row else {
                return Ok(false);
            };
            let user: String = col!(row, "user_name");
            let payload = canonical_json(&json!({"user": user}));
            let entry = append_in_tx!(
                tx,
                &head,
                now,
                &user,
                "session.revoke",
                &user_object(&user),
                payload
            );
            sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE token_hash = $2")
                .bind(timestamp_text(entry.at))
                .bind(&token_hash)
                .execute(&mut *tx)
                .await
                .map_err(DbError::from_sqlx)?;
            Ok::<_, DbError>(true)
        })
    }

    /// Creates an API key for `user` (`key.create`, naming the key's id and label). The key
    /// (`pacta_k_` + 64 hex digits) is returned once; it does not expire until revoked.
    pub fn create_api_key(
        &self,
        user: &str,
        label: &str,
        actor: &str,
        at: Timestamp,
    ) -> Result<IssuedSecret> {
        self.create_key(KeyPurpose::Api, user, label, actor, at)
    }

    /// Creates a calendar feed key for `user` (`feed.create`): it reads the user's
    /// obligation calendars and nothing else, so the URL a calendar application keeps
    /// cannot call the API. Returned once (`pacta_f_` + 64 hex digits); revoked like a key.
    pub fn create_feed_key(&self, user: &str, actor: &str, at: Timestamp) -> Result<IssuedSecret> {
        self.create_key(KeyPurpose::Feed, user, "calendar feed", actor, at)
    }

    fn create_key(
        &self,
        purpose: KeyPurpose,
        user: &str,
        label: &str,
        actor: &str,
        at: Timestamp,
    ) -> Result<IssuedSecret> {
        let key = format!("{}{}", purpose.prefix(), random_hex()?);
        let key_hash = secret_hash(&key);
        let id: String = key_hash.chars().take(12).collect();
        in_write_tx!(self, |tx, head| {
            let known = sqlx::query("SELECT COUNT(*) FROM users WHERE name = $1")
                .bind(user)
                .fetch_one(&mut *tx)
                .await
                .map_err(DbError::from_sqlx)?;
            let known: i64 = known.try_get(0).map_err(DbError::from_sqlx)?;
            if known == 0 {
                return Err(DbError::UnknownUser {
                    name: user.to_string(),
                });
            }
            let payload = canonical_json(&json!({"id": id, "user": user, "label": label}));
            let entry = append_in_tx!(
                tx,
                &head,
                at,
                actor,
                purpose.action(),
                &user_object(user),
                payload
            );
            sqlx::query(
                "INSERT INTO api_keys (key_hash, id, user_name, purpose, label, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&key_hash)
            .bind(&id)
            .bind(user)
            .bind(purpose.as_str())
            .bind(label)
            .bind(timestamp_text(entry.at))
            .execute(&mut *tx)
            .await
            .map_err(DbError::from_sqlx)?;
            Ok::<_, DbError>(())
        })?;
        Ok(IssuedSecret {
            secret: key,
            id,
            expires_at: None,
        })
    }

    /// The viewer of a live API key: `None` when unknown, revoked, or a feed key.
    pub fn api_key_viewer(&self, key: &str, now: Timestamp) -> Result<Option<Viewer>> {
        self.live_secret(
            "SELECT NULL AS expires_at, k.revoked_at AS revoked_at, u.name AS name, \
             u.org AS org, u.role AS role FROM api_keys k JOIN users u ON u.name = k.user_name \
             WHERE k.key_hash = $1 AND k.purpose = 'api'",
            key,
            now,
        )
    }

    /// The viewer of a live calendar feed key: `None` when unknown, revoked, or an API key.
    pub fn feed_viewer(&self, key: &str, now: Timestamp) -> Result<Option<Viewer>> {
        self.live_secret(
            "SELECT NULL AS expires_at, k.revoked_at AS revoked_at, u.name AS name, \
             u.org AS org, u.role AS role FROM api_keys k JOIN users u ON u.name = k.user_name \
             WHERE k.key_hash = $1 AND k.purpose = 'feed'",
            key,
            now,
        )
    }

    /// Revokes the API key with this id (`key.revoke`); `false` when unknown or already
    /// revoked.
    pub fn revoke_api_key(&self, id: &str, actor: &str, at: Timestamp) -> Result<bool> {
        in_write_tx!(self, |tx, head| {
            let row =
                sqlx::query("SELECT user_name FROM api_keys WHERE id = $1 AND revoked_at IS NULL")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(DbError::from_sqlx)?;
            let Some(row) = row else {
                return Ok(false);
            };
            let user: String = col!(row, "user_name");
            let payload = canonical_json(&json!({"id": id, "user": user}));
            let entry = append_in_tx!(
                tx,
                &head,
                at,
                actor,
                "key.revoke",
                &user_object(&user),
                payload
            );
            sqlx::query("UPDATE api_keys SET revoked_at = $1 WHERE id = $2")
                .bind(timestamp_text(entry.at))
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(DbError::from_sqlx)?;
            Ok::<_, DbError>(true)
        })
    }

    /// The API and calendar feed keys the viewer may see: its own, or every user's for an
    /// admin; oldest first. Never the secret or its hash.
    pub fn api_keys(&self, viewer: &Viewer) -> Result<Vec<KeyInfo>> {
        self.keys_where(viewer, None)
    }

    /// The key with this id if the viewer may see it (its own, or any for an admin); `None`
    /// both when it does not exist and when it is another user's.
    pub fn api_key(&self, viewer: &Viewer, id: &str) -> Result<Option<KeyInfo>> {
        Ok(self.keys_where(viewer, Some(id))?.into_iter().next())
    }

    fn keys_where(&self, viewer: &Viewer, id: Option<&str>) -> Result<Vec<KeyInfo>> {
        // The scope is part of the query, as for contracts.
        let all = viewer.role == Role::Admin;
        let sql = format!(
            "SELECT id, user_name, purpose, label, created_at, revoked_at FROM api_keys \
             WHERE ($1 = '' OR id = $1){} ORDER BY created_at, id",
            if all {
                " AND $2 = $2"
            } else {
                " AND user_name = $2"
            }
        );
        let id = id.unwrap_or("").to_string();
        let user = viewer.user.clone();
        let rows = on_pool!(self, |p| {
            let rows = sqlx::query(&sql)
                .bind(&id)
                .bind(&user)
                .fetch_all(p)
                .await
                .map_err(DbError::from_sqlx)?;
            let mut out = Vec::with_capacity(rows.len());
            for row in rows {
                let fields: (String, String, String, String, String, Option<String>) = (
                    col!(row, "id"),
                    col!(row, "user_name"),
                    col!(row, "purpose"),
                    col!(row, "label"),
                    col!(row, "created_at"),
                    col!(row, "revoked_at"),
                );
                out.push(fields);
            }
            Ok::<_, DbError>(out)
        })?;
        rows.into_iter()
            .map(|(id, user, purpose, label, created_at, revoked_at)| {
                Ok(KeyInfo {
                    id,
                    user,
                    purpose,
                    label,
                    created_at: parse_timestamp(&created_at)?,
                    revoked_at: revoked_at.as_deref().map(parse_timestamp).transpose()?,
                })
            })
            .collect()
    }

    fn live_secret(&self, sql: &str, secret: &str, now: Timestamp) -> Result<Option<Viewer>> {
        let hash = secret_hash(secret);
        let row = on_pool!(self, |p| {
            let row = sqlx::query(sql)
                .bind(&hash)
                .fetch_optional(p)
                .await
                .map_err(DbError::from_sqlx)?;
            match row {
                Some(row) => {
                    let fields: (Option<String>, Option<String>, String, String, String) = (
                        col!(row, "expires_at"),
                        col!(row, "revoked_at"),
                        col!(row, "name"),
                        col!(row, "org"),
                        col!(row, "role"),
                    );
                    Ok::<_, DbError>(Some(fields))
                }
                None => Ok(None),
            }
        })?;
        let Some((expires_at, revoked_at, user, org, role)) = row else {
            return Ok(None);
        };
        if revoked_at.is_some() {
            return Ok(None);
        }
        if let Some(expires_at) = expires_at
            && parse_timestamp(&expires_at)? <= now
        {
            return Ok(None);
        }
        let role = role
            .parse()
            .map_err(|_| DbError::corrupt(format!("users.role `{role}`")))?;
        Ok(Some(Viewer { user, org, role }))
    }

    /// Registers a contract version bound to its client and provider organisations
    /// (`contract.register`). The same text registered again is not a new version (the
    /// existing one is returned, nothing written). Refused when an organisation is unknown,
    /// or when earlier versions of the id name other organisations
    /// ([`DbError::ContractParties`]): a contract does not change hands by re-registering.
    pub fn register_contract(
        &self,
        c: &NewContract,
        actor: &str,
        at: Timestamp,
    ) -> Result<RegisteredContract> {
        let hash = text_hash(&c.toml);
        let sql = format!(
            "SELECT {CONTRACT_COLUMNS} FROM contracts WHERE id = $1 ORDER BY n DESC LIMIT 1"
        );
        let raw = in_write_tx!(self, |tx, head| {
            for slug in [&c.client_org, &c.provider_org] {
                let found = sqlx::query("SELECT COUNT(*) FROM orgs WHERE slug = $1")
                    .bind(slug)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(DbError::from_sqlx)?;
                let found: i64 = found.try_get(0).map_err(DbError::from_sqlx)?;
                if found == 0 {
                    return Err(DbError::UnknownOrg { slug: slug.clone() });
                }
            }
            let latest = sqlx::query(&sql)
                .bind(&c.id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(DbError::from_sqlx)?;
            let mut n: i64 = 1;
            if let Some(row) = latest {
                let latest: RawContract = contract_row!(row);
                if latest.5 != c.client_org || latest.6 != c.provider_org {
                    return Err(DbError::ContractParties {
                        id: c.id.clone(),
                        client_org: latest.5,
                        provider_org: latest.6,
                    });
                }
                if latest.3 == hash {
                    return Ok(latest);
                }
                n = latest.1 + 1;
            }
            let payload = canonical_json(&json!({
                "id": c.id,
                "n": n,
                "contract_version": c.contract_version,
                "contract_hash": hash,
                "client_org": c.client_org,
                "provider_org": c.provider_org,
            }));
            let entry = append_in_tx!(
                tx,
                &head,
                at,
                actor,
                "contract.register",
                &contract_object(&c.id),
                payload
            );
            let at_text = timestamp_text(entry.at);
            sqlx::query(
                "INSERT INTO contracts (id, n, contract_version, contract_hash, toml, client_org, \
                 provider_org, registered_at, registered_by, audit_seq) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(&c.id)
            .bind(n)
            .bind(&c.contract_version)
            .bind(&hash)
            .bind(&c.toml)
            .bind(&c.client_org)
            .bind(&c.provider_org)
            .bind(&at_text)
            .bind(actor)
            .bind(to_i64("seq", entry.seq)?)
            .execute(&mut *tx)
            .await
            .map_err(DbError::from_sqlx)?;
            Ok::<RawContract, DbError>((
                c.id.clone(),
                n,
                c.contract_version.clone(),
                hash.clone(),
                c.toml.clone(),
                c.client_org.clone(),
                c.provider_org.clone(),
                at_text,
                actor.to_string(),
            ))
        })?;
        parse_contract(raw)
    }

    /// The latest version of every contract the viewer may read, by id.
    pub fn contracts(&self, viewer: &Viewer) -> Result<Vec<RegisteredContract>> {
        // The scope is part of the query: rows outside it never leave the database.
        let (filter, bind) = scope_filter(viewer);
        let sql = format!(
            "SELECT {CONTRACT_COLUMNS} FROM contracts c WHERE n = \
             (SELECT MAX(n) FROM contracts l WHERE l.id = c.id){filter} ORDER BY id"
        );
        let raws = on_pool!(self, |p| {
            let rows = sqlx::query(&sql)
                .bind(bind.as_deref().unwrap_or(""))
                .fetch_all(p)
                .await
                .map_err(DbError::from_sqlx)?;
            let mut out: Vec<RawContract> = Vec::with_capacity(rows.len());
            for row in rows {
                out.push(contract_row!(row));
            }
            Ok::<_, DbError>(out)
        })?;
        raws.into_iter().map(parse_contract).collect()
    }

    /// The latest version of the contract `id` if the viewer may read it; `None` both when
    /// it does not exist and when it belongs to another organisation.
    pub fn contract(&self, viewer: &Viewer, id: &str) -> Result<Option<RegisteredContract>> {
        let (filter, bind) = scope_filter(viewer);
        let sql = format!(
            "SELECT {CONTRACT_COLUMNS} FROM contracts c WHERE id = $2{filter} \
             ORDER BY n DESC LIMIT 1"
        );
        let raw = on_pool!(self, |p| {
            let row = sqlx::query(&sql)
                .bind(bind.as_deref().unwrap_or(""))
                .bind(id)
                .fetch_optional(p)
                .await
                .map_err(DbError::from_sqlx)?;
            match row {
                Some(row) => {
                    let raw: RawContract = contract_row!(row);
                    Ok::<_, DbError>(Some(raw))
                }
                None => Ok(None),
            }
        })?;
        raw.map(parse_contract).transpose()
    }

    /// Every registered version of the contract `id` the viewer may read, oldest first;
    /// empty both when it does not exist and when it belongs to another organisation.
    pub fn contract_versions(&self, viewer: &Viewer, id: &str) -> Result<Vec<RegisteredContract>> {
        let (filter, bind) = scope_filter(viewer);
        let sql =
            format!("SELECT {CONTRACT_COLUMNS} FROM contracts c WHERE id = $2{filter} ORDER BY n");
        let raws = on_pool!(self, |p| {
            let rows = sqlx::query(&sql)
                .bind(bind.as_deref().unwrap_or(""))
                .bind(id)
                .fetch_all(p)
                .await
                .map_err(DbError::from_sqlx)?;
            let mut out: Vec<RawContract> = Vec::with_capacity(rows.len());
            for row in rows {
                out.push(contract_row!(row));
            }
            Ok::<_, DbError>(out)
        })?;
        raws.into_iter().map(parse_contract).collect()
    }

    /// Verifies the audit chain for a viewer allowed to ([`Role::Auditor`] or
    /// [`Role::Admin`]); refused with [`DbError::NotPermitted`] otherwise.
    pub fn verify_as(&self, viewer: &Viewer) -> Result<VerifyReport> {
        if !viewer.role.reads_all() {
            return Err(DbError::NotPermitted {
                action: "audit.verify",
            });
        }
        self.verify()
    }

    /// The audit entries that pass the filter, for a viewer allowed to read the whole log
    /// ([`Role::Auditor`] or [`Role::Admin`]): the log spans every organisation, so the
    /// managers of one are refused with [`DbError::NotPermitted`].
    pub fn log_as(&self, viewer: &Viewer, filter: &LogFilter) -> Result<Vec<AuditEntry>> {
        if !viewer.role.reads_all() {
            return Err(DbError::NotPermitted {
                action: "audit.log",
            });
        }
        self.log(filter)
    }

    /// Every user (name, organisation, role, creation), by name, for an administrator;
    /// refused with [`DbError::NotPermitted`] for every other role.
    pub fn users_as(&self, viewer: &Viewer) -> Result<Vec<UserSummary>> {
        require_admin(viewer, "admin.users")?;
        let rows = on_pool!(self, |p| {
            let rows = sqlx::query("SELECT name, org, role, created_at FROM users ORDER BY name")
                .fetch_all(p)
                .await
                .map_err(DbError::from_sqlx)?;
            let mut out: Vec<(String, String, String, String)> = Vec::with_capacity(rows.len());
            for row in rows {
                out.push((
                    col!(row, "name"),
                    col!(row, "org"),
                    col!(row, "role"),
                    col!(row, "created_at"),
                ));
            }
            Ok::<_, DbError>(out)
        })?;
        rows.into_iter()
            .map(|(name, org, role, created_at)| {
                Ok(UserSummary {
                    role: role
                        .parse()
                        .map_err(|_| DbError::corrupt(format!("users.role `{role}`")))?,
                    created_at: parse_timestamp(&created_at)?,
                    name,
                    org,
                })
            })
            .collect()
    }

    /// Every API and calendar feed key (id, owner, purpose, label, creation, revocation;
    /// never the key), oldest first, for an administrator; refused with
    /// [`DbError::NotPermitted`] for every other role.
    pub fn keys_as(&self, viewer: &Viewer) -> Result<Vec<KeyInfo>> {
        require_admin(viewer, "admin.keys")?;
        self.keys_where(viewer, None)
    }

    /// Revokes a key by its id as an administrator (`key.revoke`, the administrator as the
    /// actor); `false` when unknown or already revoked. Refused with
    /// [`DbError::NotPermitted`] for every other role.
    pub fn revoke_api_key_as(&self, viewer: &Viewer, id: &str, at: Timestamp) -> Result<bool> {
        require_admin(viewer, "key.revoke")?;
        self.revoke_api_key(id, &viewer.user, at)
    }

    /// Creates a user as an administrator (`user.add`, the administrator as the actor).
    /// Refused with [`DbError::NotPermitted`] for every other role, and as [`Db::add_user`]
    /// refuses.
    pub fn add_user_as(
        &self,
        viewer: &Viewer,
        user: &NewUser,
        password: &str,
        at: Timestamp,
    ) -> Result<Viewer> {
        require_admin(viewer, "user.add")?;
        self.add_user(user, password, &viewer.user, at)
    }
}

/// Administration is the admin's alone: auditors read the log but manage nobody.
fn require_admin(viewer: &Viewer, action: &'static str) -> Result<()> {
    if viewer.role == Role::Admin {
        Ok(())
    } else {
        Err(DbError::NotPermitted { action })
    }
}

/// The SQL condition restricting contracts to the viewer's scope, bound as `$1`, and its
/// value (`None` for the roles that read everything). The single place that maps roles to
/// rows: `Viewer::may_read` states the same rule for values already read.
fn scope_filter(viewer: &Viewer) -> (&'static str, Option<String>) {
    match viewer.role {
        // `$1` is bound all the same (to an empty text), so the placeholders keep their places.
        Role::Auditor | Role::Admin => (" AND $1 = $1", None),
        Role::ClientManager => (" AND client_org = $1", Some(viewer.org.clone())),
        Role::ProviderManager => (" AND provider_org = $1", Some(viewer.org.clone())),
    }
}

/// A name or slug: 1 to 64 characters of letters, digits, `.`, `_`, `-`.
fn check_name(what: &'static str, name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(DbError::InvalidName {
            what,
            name: name.to_string(),
        })
    }
}
