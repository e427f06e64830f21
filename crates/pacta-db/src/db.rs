//! The database handle: one pool, one current-thread runtime, synchronous calls.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::str::FromStr;
use std::time::Duration;

use jiff::Timestamp;
use pacta_core::Month;
use serde_json::{Value, json};
use sqlx::Connection;
use sqlx::Row;
use sqlx::error::BoxDynError;
use sqlx::migrate::{MigrateError, Migration, MigrationSource, MigrationType, Migrator};
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};

use crate::chain::{
    GENESIS_HASH, canonical_json, entry_hash, parse_timestamp, text_hash, timestamp_text,
};
use crate::{
    AuditEntry, Backend, BreakKind, ClosedMonth, DbError, DbUrl, LogFilter, MonthClose, MonthState,
    NewEntry, NewSettlement, SettlementVersion, VerifyReport,
};

type Result<T> = std::result::Result<T, DbError>;

/// The migrations of each backend, embedded (version, description, SQL). The files live in
/// `migrations/sqlite/` and `migrations/postgres/`; a new one is added to both lists.
/// (`sqlx::migrate!` would need sqlx's macros feature, a long compile.)
const SQLITE_MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "init",
        include_str!("../migrations/sqlite/0001_init.sql"),
    ),
    (
        2,
        "obligations",
        include_str!("../migrations/sqlite/0002_obligations.sql"),
    ),
    (
        3,
        "disputes",
        include_str!("../migrations/sqlite/0003_disputes.sql"),
    ),
    (
        4,
        "auth",
        include_str!("../migrations/sqlite/0004_auth.sql"),
    ),
];
const POSTGRES_MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "init",
        include_str!("../migrations/postgres/0001_init.sql"),
    ),
    (
        2,
        "obligations",
        include_str!("../migrations/postgres/0002_obligations.sql"),
    ),
    (
        3,
        "disputes",
        include_str!("../migrations/postgres/0003_disputes.sql"),
    ),
    (
        4,
        "auth",
        include_str!("../migrations/postgres/0004_auth.sql"),
    ),
];

/// A migration source over embedded SQL.
#[derive(Debug)]
struct Embedded(&'static [(i64, &'static str, &'static str)]);

impl MigrationSource<'static> for Embedded {
    fn resolve(
        self,
    ) -> Pin<Box<dyn Future<Output = std::result::Result<Vec<Migration>, BoxDynError>> + Send>>
    {
        Box::pin(async move {
            Ok(self
                .0
                .iter()
                .map(|(version, description, sql)| {
                    Migration::new(
                        *version,
                        Cow::Borrowed(*description),
                        MigrationType::Simple,
                        Cow::Borrowed(*sql),
                        false,
                    )
                })
                .collect())
        })
    }
}

async fn migrator(
    migrations: &'static [(i64, &'static str, &'static str)],
) -> std::result::Result<Migrator, MigrateError> {
    Migrator::new(Embedded(migrations)).await
}

/// How long a SQLite writer waits for another writer's transaction before failing.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(60);
/// Connections per handle.
const POOL_SIZE: u32 = 4;
/// Entries read per query while verifying.
const VERIFY_PAGE: i64 = 2000;

enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The database: settlement versions, month states and the audit log.
///
/// Every call is synchronous: the handle owns a current-thread tokio runtime and blocks on
/// it. **Never call it (nor drop it) from inside an async task** (tokio refuses to block a runtime's
/// thread); a server calls it from `spawn_blocking`. A handle may be shared between threads;
/// separate handles (separate processes, too) may write to the same database at once:
/// every write transaction first takes the chain's head (`audit_head`: `BEGIN IMMEDIATE` on
/// SQLite, `SELECT … FOR UPDATE` on PostgreSQL), so writers queue and sequence numbers stay
/// contiguous.
pub struct Db {
    // Declared before the runtime: dropped (after Drop::drop closed it) while the runtime
    // still exists.
    pool: Pool,
    rt: tokio::runtime::Runtime,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("backend", &self.backend())
            .finish_non_exhaustive()
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        // Close the connections gracefully (a PostgreSQL session ends at once instead of
        // lingering until the server notices the socket closed).
        match &self.pool {
            Pool::Sqlite(p) => self.rt.block_on(p.close()),
            Pool::Postgres(p) => self.rt.block_on(p.close()),
        }
    }
}

/// Runs `$body` with `$p` bound to the concrete pool of either backend (the body is
/// compiled once per backend).
macro_rules! on_pool {
    ($self:expr, |$p:ident| $body:expr) => {
        match &$self.pool {
            Pool::Sqlite($p) => $self.rt.block_on(async { $body }),
            Pool::Postgres($p) => $self.rt.block_on(async { $body }),
        }
    };
}

/// Runs `$body` inside a write transaction `$tx` that holds the chain's head, `$head`
/// being `(seq, hash)` of the last entry; commits when the body returns `Ok`.
macro_rules! in_write_tx {
    ($self:expr, |$tx:ident, $head:ident| $body:expr) => {
        match &$self.pool {
            Pool::Sqlite(p) => $self.rt.block_on(async {
                let mut $tx = p
                    .begin_with("BEGIN IMMEDIATE")
                    .await
                    .map_err(DbError::from_sqlx)?;
                let row = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
                    .fetch_one(&mut *$tx)
                    .await
                    .map_err(DbError::from_sqlx)?;
                let $head: (u64, String) = (
                    to_u64(
                        "audit_head.seq",
                        row.try_get(0).map_err(DbError::from_sqlx)?,
                    )?,
                    row.try_get(1).map_err(DbError::from_sqlx)?,
                );
                // The body runs in its own block, so that its early returns come back here.
                let out = async { $body }.await;
                if out.is_ok() {
                    $tx.commit().await.map_err(DbError::from_sqlx)?;
                } else {
                    // Rolled back now, not when the pool next hands the connection out:
                    // until then a refused write would keep the chain's head locked for
                    // every other handle.
                    let _ = $tx.rollback().await;
                }
                out
            }),
            Pool::Postgres(p) => $self.rt.block_on(async {
                let mut $tx = p.begin().await.map_err(DbError::from_sqlx)?;
                let row = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE")
                    .fetch_one(&mut *$tx)
                    .await
                    .map_err(DbError::from_sqlx)?;
                let $head: (u64, String) = (
                    to_u64(
                        "audit_head.seq",
                        row.try_get(0).map_err(DbError::from_sqlx)?,
                    )?,
                    row.try_get(1).map_err(DbError::from_sqlx)?,
                );
                // The body runs in its own block, so that its early returns come back here.
                let out = async { $body }.await;
                if out.is_ok() {
                    $tx.commit().await.map_err(DbError::from_sqlx)?;
                } else {
                    // Rolled back now, not when the pool next hands the connection out:
                    // until then a refused write would keep the chain's head locked for
                    // every other handle.
                    let _ = $tx.rollback().await;
                }
                out
            }),
        }
    };
}

/// Appends one entry inside a write transaction and moves the head; evaluates to the
/// `AuditEntry`.
macro_rules! append_in_tx {
    ($tx:ident, $head:expr, $at:expr, $actor:expr, $action:expr, $object:expr, $payload:expr) => {{
        let (prev_seq, prev_hash): &(u64, String) = $head;
        let seq = prev_seq + 1;
        let at_text = timestamp_text($at);
        let at = parse_timestamp(&at_text)?;
        let actor: &str = $actor;
        let action: &str = $action;
        let object: &str = $object;
        let payload: String = $payload;
        let hash = entry_hash(seq, &at_text, actor, action, object, &payload, prev_hash);
        let seq_db = to_i64("seq", seq)?;
        sqlx::query(
            "INSERT INTO audit_log (seq, at, actor, action, object, payload, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(seq_db)
        .bind(&at_text)
        .bind(actor)
        .bind(action)
        .bind(object)
        .bind(&payload)
        .bind(prev_hash.as_str())
        .bind(&hash)
        .execute(&mut *$tx)
        .await
        .map_err(DbError::from_sqlx)?;
        sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
            .bind(seq_db)
            .bind(&hash)
            .execute(&mut *$tx)
            .await
            .map_err(DbError::from_sqlx)?;
        AuditEntry {
            seq,
            at,
            actor: actor.to_string(),
            action: action.to_string(),
            object: object.to_string(),
            payload,
            prev_hash: prev_hash.clone(),
            hash,
        }
    }};
}

/// Keeps an evidence file (by its BLAKE3 `hash`) inside the open transaction `tx`, once: a
/// file already kept under that hash stays as first given, name included.
macro_rules! keep_evidence_file {
    ($tx:ident, $hash:expr, $name:expr, $bytes:expr, $at_text:expr) => {{
        let bytes: &[u8] = $bytes;
        let size = to_i64("evidence size", bytes.len() as u64)?;
        sqlx::query(
            "INSERT INTO evidence_files (hash, name, size, bytes, added_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (hash) DO NOTHING",
        )
        .bind($hash)
        .bind($name)
        .bind(size)
        .bind(bytes)
        .bind($at_text)
        .execute(&mut *$tx)
        .await
        .map_err(DbError::from_sqlx)?;
    }};
}

/// Reads one column of a row, as the driver's error on failure.
macro_rules! col {
    ($row:expr, $name:literal) => {
        $row.try_get($name).map_err(DbError::from_sqlx)?
    };
}

macro_rules! settlement_row {
    ($row:expr) => {
        RawSettlement {
            contract_id: col!($row, "contract_id"),
            month: col!($row, "month"),
            version: col!($row, "version"),
            saved_at: col!($row, "saved_at"),
            actor: col!($row, "actor"),
            settlement_json: col!($row, "settlement_json"),
            record_json: col!($row, "record_json"),
            inputs_json: col!($row, "inputs_json"),
            settlement_hash: col!($row, "settlement_hash"),
            audit_seq: col!($row, "audit_seq"),
        }
    };
}

macro_rules! closed_row {
    ($row:expr) => {
        RawClosed {
            contract_id: col!($row, "contract_id"),
            month: col!($row, "month"),
            version: col!($row, "version"),
            contract_hash: col!($row, "contract_hash"),
            contract_version: col!($row, "contract_version"),
            store_snapshot: col!($row, "store_snapshot"),
            pacta_version: col!($row, "pacta_version"),
            history: col!($row, "history"),
            settlement_hash: col!($row, "settlement_hash"),
            closed_at: col!($row, "closed_at"),
            closed_by: col!($row, "closed_by"),
            audit_seq: col!($row, "audit_seq"),
        }
    };
}

macro_rules! entry_row {
    ($row:expr) => {
        RawEntry {
            seq: col!($row, "seq"),
            at: col!($row, "at"),
            actor: col!($row, "actor"),
            action: col!($row, "action"),
            object: col!($row, "object"),
            payload: col!($row, "payload"),
            prev_hash: col!($row, "prev_hash"),
            hash: col!($row, "hash"),
        }
    };
}

const SETTLEMENT_COLUMNS: &str = "contract_id, month, version, saved_at, actor, settlement_json, \
     record_json, inputs_json, settlement_hash, audit_seq";
const CLOSED_COLUMNS: &str = "contract_id, month, version, contract_hash, contract_version, \
     store_snapshot, pacta_version, history, settlement_hash, closed_at, closed_by, audit_seq";
const ENTRY_COLUMNS: &str = "seq, at, actor, action, object, payload, prev_hash, hash";

impl Db {
    /// Opens the database, creating the SQLite file if it is missing (its parent directory
    /// must exist), and applies the migrations.
    pub fn open(url: &DbUrl) -> Result<Db> {
        Db::connect(url, true)
    }

    /// Opens the database for a reader: `None` when the SQLite file does not exist (nothing
    /// is created). PostgreSQL: the same as [`Db::open`].
    pub fn open_existing(url: &DbUrl) -> Result<Option<Db>> {
        if let DbUrl::Sqlite(path) = url
            && !path.exists()
        {
            return Ok(None);
        }
        Db::connect(url, false).map(Some)
    }

    fn connect(url: &DbUrl, create: bool) -> Result<Db> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| DbError::Runtime {
                message: e.to_string(),
            })?;
        let open_error = |e: sqlx::Error| DbError::Open {
            url: url.to_string(),
            message: e.to_string(),
        };
        let migrate_error = |e: sqlx::migrate::MigrateError| DbError::Migrate {
            url: url.to_string(),
            message: e.to_string(),
        };
        let pool = match url {
            DbUrl::Sqlite(path) => {
                if let Some(dir) = path.parent()
                    && !dir.as_os_str().is_empty()
                    && !dir.is_dir()
                {
                    return Err(DbError::DirMissing {
                        path: dir.to_path_buf(),
                    });
                }
                let options = SqliteConnectOptions::new()
                    .filename(path)
                    .create_if_missing(create)
                    .journal_mode(SqliteJournalMode::Wal)
                    .busy_timeout(SQLITE_BUSY_TIMEOUT)
                    .foreign_keys(true);
                let pool = rt
                    .block_on(
                        SqlitePoolOptions::new()
                            .max_connections(POOL_SIZE)
                            .connect_with(options),
                    )
                    .map_err(open_error)?;
                // SQLite has no advisory lock: the migrations run inside a write
                // transaction, so that handles opening a new file at once apply them once
                // (the others wait, then find them applied).
                rt.block_on(async {
                    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                    migrator(SQLITE_MIGRATIONS)
                        .await?
                        .run_direct(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    Ok::<_, MigrateError>(())
                })
                .map_err(migrate_error)?;
                Pool::Sqlite(pool)
            }
            DbUrl::Postgres(text) => {
                let options = PgConnectOptions::from_str(text).map_err(|e| DbError::Url {
                    url: url.to_string(),
                    reason: e.to_string(),
                })?;
                // One connection first, without the pool's retries: a server that is down
                // or refuses the login is reported at once, not after the pool's timeout.
                let mut first = rt
                    .block_on(PgConnection::connect_with(&options))
                    .map_err(open_error)?;
                // The migrator holds an advisory lock: handles opening at once apply each
                // migration once.
                let migrated = rt
                    .block_on(async { migrator(POSTGRES_MIGRATIONS).await?.run(&mut first).await });
                // Closing is a courtesy to the server; a failure to say goodbye changes
                // nothing.
                let _ = rt.block_on(first.close());
                migrated.map_err(migrate_error)?;
                let pool = {
                    let _guard = rt.enter();
                    PgPoolOptions::new()
                        .max_connections(POOL_SIZE)
                        .connect_lazy_with(options)
                };
                Pool::Postgres(pool)
            }
        };
        Ok(Db { pool, rt })
    }

    /// The backend this handle talks to.
    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Appends version n+1 of (contract, month) and its audit entry in one transaction:
    /// `settle.save`, or `settle.adjust` when it adjusts version n ([`NewSettlement::adjusts`],
    /// refused with [`DbError::NotLatest`] unless n is the latest). A closed month is refused
    /// with [`DbError::MonthClosed`] except for an adjustment: a closed month changes only
    /// by an accepted dispute resolution, as a new version.
    pub fn save_settlement(
        &self,
        s: &NewSettlement,
        actor: &str,
        at: Timestamp,
    ) -> Result<SettlementVersion> {
        check_json("settlement_json", &s.settlement_json)?;
        check_json("record_json", &s.record_json)?;
        let inputs = check_json("inputs_json", &s.inputs_json)?;
        let month = s.month.to_string();
        let settlement_hash = text_hash(&s.settlement_json);
        in_write_tx!(self, |tx, head| {
            let closed = sqlx::query(
                "SELECT COUNT(*) FROM closed_months WHERE contract_id = $1 AND month = $2",
            )
            .bind(&s.contract_id)
            .bind(&month)
            .fetch_one(&mut *tx)
            .await
            .map_err(DbError::from_sqlx)?;
            let closed: i64 = closed.try_get(0).map_err(DbError::from_sqlx)?;
            if closed > 0 && s.adjusts.is_none() {
                return Err(DbError::MonthClosed {
                    contract_id: s.contract_id.clone(),
                    month: s.month,
                });
            }
            let latest = sqlx::query(
                "SELECT COALESCE(MAX(version), 0) FROM settlement_versions \
                 WHERE contract_id = $1 AND month = $2",
            )
            .bind(&s.contract_id)
            .bind(&month)
            .fetch_one(&mut *tx)
            .await
            .map_err(DbError::from_sqlx)?;
            let latest: i64 = latest.try_get(0).map_err(DbError::from_sqlx)?;
            let version = to_u32("version", latest.saturating_add(1))?;
            if let Some(adjusted) = s.adjusts
                && i64::from(adjusted) != latest
            {
                return Err(DbError::NotLatest {
                    contract_id: s.contract_id.clone(),
                    month: s.month,
                    version: adjusted,
                    latest: to_u32("version", latest)?,
                });
            }
            let mut payload = json!({
                "contract_id": s.contract_id,
                "month": month,
                "version": version,
                "settlement_hash": settlement_hash,
                "record_hash": text_hash(&s.record_json),
                "inputs": inputs,
            });
            if let Some(adjusted) = s.adjusts {
                payload["supersedes"] = json!(adjusted);
            }
            let payload = canonical_json(&payload);
            let entry = append_in_tx!(
                tx,
                &head,
                at,
                actor,
                if s.adjusts.is_some() {
                    "settle.adjust"
                } else {
                    "settle.save"
                },
                &month_object(&s.contract_id, s.month),
                payload
            );
            sqlx::query(
                "INSERT INTO settlement_versions (contract_id, month, version, saved_at, actor, \
                 settlement_json, record_json, inputs_json, settlement_hash, audit_seq) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(&s.contract_id)
            .bind(&month)
            .bind(i64::from(version))
            .bind(timestamp_text(entry.at))
            .bind(actor)
            .bind(&s.settlement_json)
            .bind(&s.record_json)
            .bind(&s.inputs_json)
            .bind(&settlement_hash)
            .bind(to_i64("seq", entry.seq)?)
            .execute(&mut *tx)
            .await
            .map_err(DbError::from_sqlx)?;
            Ok(SettlementVersion {
                contract_id: s.contract_id.clone(),
                month: s.month,
                version,
                saved_at: entry.at,
                actor: actor.to_string(),
                settlement_json: s.settlement_json.clone(),
                record_json: s.record_json.clone(),
                inputs_json: s.inputs_json.clone(),
                settlement_hash: settlement_hash.clone(),
                audit_seq: entry.seq,
            })
        })
    }

    /// The latest settlement version of (contract, month), if any.
    pub fn latest_settlement(
        &self,
        contract_id: &str,
        month: Month,
    ) -> Result<Option<SettlementVersion>> {
        let sql = format!(
            "SELECT {SETTLEMENT_COLUMNS} FROM settlement_versions \
             WHERE contract_id = $1 AND month = $2 ORDER BY version DESC LIMIT 1"
        );
        let raw = on_pool!(self, |p| {
            let row = sqlx::query(&sql)
                .bind(contract_id)
                .bind(month.to_string())
                .fetch_optional(p)
                .await
                .map_err(DbError::from_sqlx)?;
            match row {
                Some(row) => Ok::<_, DbError>(Some(settlement_row!(row))),
                None => Ok(None),
            }
        })?;
        raw.map(RawSettlement::parse).transpose()
    }

    /// Version `version` of (contract, month), if it exists.
    pub fn settlement(
        &self,
        contract_id: &str,
        month: Month,
        version: u32,
    ) -> Result<Option<SettlementVersion>> {
        let sql = format!(
            "SELECT {SETTLEMENT_COLUMNS} FROM settlement_versions \
             WHERE contract_id = $1 AND month = $2 AND version = $3"
        );
        let raw = on_pool!(self, |p| {
            let row = sqlx::query(&sql)
                .bind(contract_id)
                .bind(month.to_string())
                .bind(i64::from(version))
                .fetch_optional(p)
                .await
                .map_err(DbError::from_sqlx)?;
            match row {
                Some(row) => Ok::<_, DbError>(Some(settlement_row!(row))),
                None => Ok(None),
            }
        })?;
        raw.map(RawSettlement::parse).transpose()
    }

    /// Every version of (contract, month), oldest first.
    pub fn settlement_versions(
        &self,
        contract_id: &str,
        month: Month,
    ) -> Result<Vec<SettlementVersion>> {
        let sql = format!(
            "SELECT {SETTLEMENT_COLUMNS} FROM settlement_versions \
             WHERE contract_id = $1 AND month = $2 ORDER BY version"
        );
        let raws = on_pool!(self, |p| {
            let rows = sqlx::query(&sql)
                .bind(contract_id)
                .bind(month.to_string())
                .fetch_all(p)
                .await
                .map_err(DbError::from_sqlx)?;
            let mut out = Vec::with_capacity(rows.len());
            for row in rows {
                out.push(settlement_row!(row));
            }
            Ok::<_, DbError>(out)
        })?;
        raws.into_iter().map(RawSettlement::parse).collect()
    }

    /// The latest version of every month of the contract before `before`, oldest month
    /// first.
    pub fn latest_before(
        &self,
        contract_id: &str,
        before: Month,
    ) -> Result<Vec<SettlementVersion>> {
        let sql = format!(
            "SELECT {SETTLEMENT_COLUMNS} FROM settlement_versions s \
             WHERE contract_id = $1 AND month < $2 AND version = \
             (SELECT MAX(t.version) FROM settlement_versions t \
              WHERE t.contract_id = s.contract_id AND t.month = s.month) \
             ORDER BY month"
        );
        let raws = on_pool!(self, |p| {
            let rows = sqlx::query(&sql)
                .bind(contract_id)
                .bind(before.to_string())
                .fetch_all(p)
                .await
                .map_err(DbError::from_sqlx)?;
            let mut out = Vec::with_capacity(rows.len());
            for row in rows {
                out.push(settlement_row!(row));
            }
            Ok::<_, DbError>(out)
        })?;
        raws.into_iter().map(RawSettlement::parse).collect()
    }

    /// The month's state: provisional (also when nothing was saved) or closed.
    pub fn month_state(&self, contract_id: &str, month: Month) -> Result<MonthState> {
        let sql = format!(
            "SELECT {CLOSED_COLUMNS} FROM closed_months WHERE contract_id = $1 AND month = $2"
        );
        let raw = on_pool!(self, |p| {
            let row = sqlx::query(&sql)
                .bind(contract_id)
                .bind(month.to_string())
                .fetch_optional(p)
                .await
                .map_err(DbError::from_sqlx)?;
            match row {
                Some(row) => Ok::<_, DbError>(Some(closed_row!(row))),
                None => Ok(None),
            }
        })?;
        match raw {
            Some(raw) => Ok(MonthState::Closed(Box::new(raw.parse()?))),
            None => Ok(MonthState::Provisional),
        }
    }

    /// Closes the month at settlement version `close.version`, which must exist and be the
    /// latest, and appends the `month.close` audit entry, in one transaction. Each month of
    /// `close.history` must have the version named. Closing a closed month is refused with
    /// [`DbError::MonthClosed`].
    pub fn close_month(
        &self,
        close: &MonthClose,
        actor: &str,
        at: Timestamp,
    ) -> Result<ClosedMonth> {
        let month = close.month.to_string();
        let snapshot = to_i64("store_snapshot", close.store_snapshot)?;
        let history = history_json(&close.history);
        in_write_tx!(self, |tx, head| {
            let closed = sqlx::query(
                "SELECT COUNT(*) FROM closed_months WHERE contract_id = $1 AND month = $2",
            )
            .bind(&close.contract_id)
            .bind(&month)
            .fetch_one(&mut *tx)
            .await
            .map_err(DbError::from_sqlx)?;
            let closed: i64 = closed.try_get(0).map_err(DbError::from_sqlx)?;
            if closed > 0 {
                return Err(DbError::MonthClosed {
                    contract_id: close.contract_id.clone(),
                    month: close.month,
                });
            }
            let latest = sqlx::query(
                "SELECT COALESCE(MAX(version), 0) FROM settlement_versions \
                 WHERE contract_id = $1 AND month = $2",
            )
            .bind(&close.contract_id)
            .bind(&month)
            .fetch_one(&mut *tx)
            .await
            .map_err(DbError::from_sqlx)?;
            let latest: i64 = latest.try_get(0).map_err(DbError::from_sqlx)?;
            let latest = to_u32("version", latest)?;
            if close.version == 0 || close.version > latest {
                return Err(DbError::NoSuchVersion {
                    contract_id: close.contract_id.clone(),
                    month: close.month,
                    version: close.version,
                });
            }
            if close.version != latest {
                return Err(DbError::NotLatest {
                    contract_id: close.contract_id.clone(),
                    month: close.month,
                    version: close.version,
                    latest,
                });
            }
            for (earlier, version) in &close.history {
                let found = sqlx::query(
                    "SELECT COUNT(*) FROM settlement_versions \
                     WHERE contract_id = $1 AND month = $2 AND version = $3",
                )
                .bind(&close.contract_id)
                .bind(earlier.to_string())
                .bind(i64::from(*version))
                .fetch_one(&mut *tx)
                .await
                .map_err(DbError::from_sqlx)?;
                let found: i64 = found.try_get(0).map_err(DbError::from_sqlx)?;
                if found == 0 {
                    return Err(DbError::NoSuchVersion {
                        contract_id: close.contract_id.clone(),
                        month: *earlier,
                        version: *version,
                    });
                }
            }
            let hash_row = sqlx::query(
                "SELECT settlement_hash FROM settlement_versions \
                 WHERE contract_id = $1 AND month = $2 AND version = $3",
            )
            .bind(&close.contract_id)
            .bind(&month)
            .bind(i64::from(close.version))
            .fetch_one(&mut *tx)
            .await
            .map_err(DbError::from_sqlx)?;
            let settlement_hash: String = hash_row.try_get(0).map_err(DbError::from_sqlx)?;
            let payload = canonical_json(&json!({
                "contract_id": close.contract_id,
                "month": month,
                "version": close.version,
                "settlement_hash": settlement_hash,
                "contract_hash": close.contract_hash,
                "contract_version": close.contract_version,
                "store_snapshot": close.store_snapshot,
                "pacta_version": close.pacta_version,
                "history": serde_json::from_str::<Value>(&history).unwrap_or(Value::Null),
            }));
            let entry = append_in_tx!(
                tx,
                &head,
                at,
                actor,
                "month.close",
                &month_object(&close.contract_id, close.month),
                payload
            );
            sqlx::query(
                "INSERT INTO closed_months (contract_id, month, version, contract_hash, \
                 contract_version, store_snapshot, pacta_version, history, settlement_hash, \
                 closed_at, closed_by, audit_seq) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(&close.contract_id)
            .bind(&month)
            .bind(i64::from(close.version))
            .bind(&close.contract_hash)
            .bind(&close.contract_version)
            .bind(snapshot)
            .bind(&close.pacta_version)
            .bind(&history)
            .bind(&settlement_hash)
            .bind(timestamp_text(entry.at))
            .bind(actor)
            .bind(to_i64("seq", entry.seq)?)
            .execute(&mut *tx)
            .await
            .map_err(DbError::from_sqlx)?;
            Ok(ClosedMonth {
                contract_id: close.contract_id.clone(),
                month: close.month,
                version: close.version,
                contract_hash: close.contract_hash.clone(),
                contract_version: close.contract_version.clone(),
                store_snapshot: close.store_snapshot,
                pacta_version: close.pacta_version.clone(),
                history: close.history.clone(),
                settlement_hash,
                closed_at: entry.at,
                closed_by: actor.to_string(),
                audit_seq: entry.seq,
            })
        })
    }

    /// Every closed month of the contract, oldest first.
    pub fn closed_months(&self, contract_id: &str) -> Result<Vec<ClosedMonth>> {
        let sql = format!(
            "SELECT {CLOSED_COLUMNS} FROM closed_months WHERE contract_id = $1 ORDER BY month"
        );
        let raws = on_pool!(self, |p| {
            let rows = sqlx::query(&sql)
                .bind(contract_id)
                .fetch_all(p)
                .await
                .map_err(DbError::from_sqlx)?;
            let mut out = Vec::with_capacity(rows.len());
            for row in rows {
                out.push(closed_row!(row));
            }
            Ok::<_, DbError>(out)
        })?;
        raws.into_iter().map(RawClosed::parse).collect()
    }

    /// Appends one entry in its own transaction: for writes whose data lives elsewhere
    /// (imports, a store's replace, a batch removed). The payload is stored as canonical
    /// JSON.
    pub fn append(&self, e: &NewEntry, at: Timestamp) -> Result<AuditEntry> {
        let payload = canonical_json(&e.payload);
        in_write_tx!(self, |tx, head| {
            let entry = append_in_tx!(
                tx,
                &head,
                at,
                &e.actor,
                &e.action,
                &e.object,
                payload.clone()
            );
            Ok::<_, DbError>(entry)
        })
    }

    /// The audit entries that pass the filter, oldest first.
    pub fn log(&self, filter: &LogFilter) -> Result<Vec<AuditEntry>> {
        let mut sql = format!("SELECT {ENTRY_COLUMNS} FROM audit_log WHERE 1 = 1");
        let mut texts: Vec<String> = Vec::new();
        let mut n = 0;
        if let Some(prefix) = &filter.object_prefix {
            n += 1;
            sql.push_str(&format!(" AND substr(object, 1, length(${n})) = ${n}"));
            texts.push(prefix.clone());
        }
        if let Some(action) = &filter.action {
            n += 1;
            sql.push_str(&format!(" AND action = ${n}"));
            texts.push(action.clone());
        }
        let since = match filter.since_seq {
            Some(s) => to_i64("since_seq", s)?,
            None => 0,
        };
        n += 1;
        sql.push_str(&format!(" AND seq > ${n} ORDER BY seq"));
        if let Some(limit) = filter.limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        let raws = on_pool!(self, |p| {
            let mut query = sqlx::query(&sql);
            for text in &texts {
                query = query.bind(text.as_str());
            }
            let rows = query
                .bind(since)
                .fetch_all(p)
                .await
                .map_err(DbError::from_sqlx)?;
            let mut out = Vec::with_capacity(rows.len());
            for row in rows {
                out.push(entry_row!(row));
            }
            Ok::<_, DbError>(out)
        })?;
        raws.into_iter().map(RawEntry::parse).collect()
    }

    /// Walks the whole chain and the head. `Ok` with the count and the last hash, or
    /// [`DbError::ChainBroken`] naming the first broken link: for each entry in sequence
    /// order, its `prev_hash` must be the previous entry's hash (else `prev_hash mismatch`:
    /// an entry before it was removed), its fields must hash to its hash (else `hash
    /// mismatch`: it was edited), its sequence number must follow the previous one (else
    /// `sequence gap`); finally `audit_head` must name the last entry (else `head mismatch`:
    /// entries at the end were removed).
    pub fn verify(&self) -> Result<VerifyReport> {
        let mut expected_seq: u64 = 1;
        let mut prev_hash = GENESIS_HASH.to_string();
        let mut after: i64 = 0;
        let page_sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT {VERIFY_PAGE}"
        );
        loop {
            let raws = on_pool!(self, |p| {
                let rows = sqlx::query(&page_sql)
                    .bind(after)
                    .fetch_all(p)
                    .await
                    .map_err(DbError::from_sqlx)?;
                let mut out = Vec::with_capacity(rows.len());
                for row in rows {
                    out.push(entry_row!(row));
                }
                Ok::<_, DbError>(out)
            })?;
            let Some(last) = raws.last() else { break };
            after = last.seq;
            for raw in raws {
                let seq = to_u64("audit_log.seq", raw.seq)?;
                let broken = |kind| DbError::ChainBroken { seq, kind };
                if raw.prev_hash != prev_hash {
                    return Err(broken(BreakKind::PrevHashMismatch));
                }
                let hash = entry_hash(
                    seq,
                    &raw.at,
                    &raw.actor,
                    &raw.action,
                    &raw.object,
                    &raw.payload,
                    &raw.prev_hash,
                );
                if hash != raw.hash {
                    return Err(broken(BreakKind::HashMismatch));
                }
                if seq != expected_seq {
                    return Err(broken(BreakKind::SequenceGap));
                }
                prev_hash = raw.hash;
                expected_seq = seq + 1;
            }
        }
        let entries = expected_seq - 1;
        let (head_seq, head_hash) = on_pool!(self, |p| {
            let row = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
                .fetch_one(p)
                .await
                .map_err(DbError::from_sqlx)?;
            let seq: i64 = col!(row, "seq");
            let hash: String = col!(row, "hash");
            Ok::<_, DbError>((seq, hash))
        })?;
        let head_seq = to_u64("audit_head.seq", head_seq)?;
        if head_seq != entries || head_hash != prev_hash {
            return Err(DbError::ChainBroken {
                seq: head_seq,
                kind: BreakKind::HeadMismatch,
            });
        }
        Ok(VerifyReport {
            entries,
            head_hash: prev_hash,
        })
    }

    /// Runs raw SQL (several statements allowed), for tests that play a DBA tampering with
    /// the tables. Not for production use.
    #[doc(hidden)]
    pub fn execute_raw_for_tests(&self, sql: &str) -> Result<()> {
        on_pool!(self, |p| {
            sqlx::raw_sql(sql)
                .execute(p)
                .await
                .map_err(DbError::from_sqlx)?;
            Ok(())
        })
    }
}

/// The audit object of a contract's month: `contract/ID/month/YYYY-MM`.
mod obligations;
pub use obligations::{Derivation, obligation_object};
mod disputes;
pub use disputes::{dispute_id, dispute_object, evidence_hash};
mod vendor_invoices;
pub use vendor_invoices::{VENDOR_INVOICE_UPLOAD, VENDOR_PLAN_UPLOAD, VendorFile};
mod auth;
pub use auth::{
    API_KEY_PREFIX, FEED_KEY_PREFIX, IssuedSecret, KeyInfo, NewContract, NewUser, Party,
    RegisteredContract, Role, UserSummary, Viewer, generate_password, hash_password, secret_hash,
};

/// The audit object of a month.
pub fn month_object(contract_id: &str, month: Month) -> String {
    format!("contract/{contract_id}/month/{month}")
}

fn check_json(field: &'static str, text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| DbError::InvalidJson {
        field,
        message: e.to_string(),
    })
}

fn history_json(history: &[(Month, u32)]) -> String {
    let items: Vec<Value> = history
        .iter()
        .map(|(m, v)| json!({"month": m.to_string(), "version": v}))
        .collect();
    canonical_json(&Value::Array(items))
}

fn parse_history(text: &str) -> Result<Vec<(Month, u32)>> {
    let bad = || DbError::corrupt(format!("closed month history `{text}`"));
    let value: Value = serde_json::from_str(text).map_err(|_| bad())?;
    let items = value.as_array().ok_or_else(bad)?;
    items
        .iter()
        .map(|item| {
            let month = item
                .get("month")
                .and_then(Value::as_str)
                .and_then(|m| Month::parse(m).ok())
                .ok_or_else(bad)?;
            let version = item
                .get("version")
                .and_then(Value::as_u64)
                .and_then(|v| u32::try_from(v).ok())
                .ok_or_else(bad)?;
            Ok((month, version))
        })
        .collect()
}

fn to_i64(field: &'static str, value: u64) -> Result<i64> {
    i64::try_from(value).map_err(|_| DbError::OutOfRange {
        field,
        value: value.to_string(),
    })
}

fn to_u64(field: &str, value: i64) -> Result<u64> {
    u64::try_from(value).map_err(|_| DbError::corrupt(format!("{field} = {value}")))
}

fn to_u32(field: &str, value: i64) -> Result<u32> {
    u32::try_from(value).map_err(|_| DbError::corrupt(format!("{field} = {value}")))
}

fn parse_month(text: &str) -> Result<Month> {
    Month::parse(text).map_err(|e| DbError::corrupt(format!("month `{text}`: {e}")))
}

struct RawSettlement {
    contract_id: String,
    month: String,
    version: i64,
    saved_at: String,
    actor: String,
    settlement_json: String,
    record_json: String,
    inputs_json: String,
    settlement_hash: String,
    audit_seq: i64,
}

impl RawSettlement {
    fn parse(self) -> Result<SettlementVersion> {
        Ok(SettlementVersion {
            month: parse_month(&self.month)?,
            version: to_u32("settlement_versions.version", self.version)?,
            saved_at: parse_timestamp(&self.saved_at)?,
            audit_seq: to_u64("settlement_versions.audit_seq", self.audit_seq)?,
            contract_id: self.contract_id,
            actor: self.actor,
            settlement_json: self.settlement_json,
            record_json: self.record_json,
            inputs_json: self.inputs_json,
            settlement_hash: self.settlement_hash,
        })
    }
}

struct RawClosed {
    contract_id: String,
    month: String,
    version: i64,
    contract_hash: String,
    contract_version: String,
    store_snapshot: i64,
    pacta_version: String,
    history: String,
    settlement_hash: String,
    closed_at: String,
    closed_by: String,
    audit_seq: i64,
}

impl RawClosed {
    fn parse(self) -> Result<ClosedMonth> {
        Ok(ClosedMonth {
            month: parse_month(&self.month)?,
            version: to_u32("closed_months.version", self.version)?,
            store_snapshot: to_u64("closed_months.store_snapshot", self.store_snapshot)?,
            history: parse_history(&self.history)?,
            closed_at: parse_timestamp(&self.closed_at)?,
            audit_seq: to_u64("closed_months.audit_seq", self.audit_seq)?,
            contract_id: self.contract_id,
            contract_hash: self.contract_hash,
            contract_version: self.contract_version,
            pacta_version: self.pacta_version,
            settlement_hash: self.settlement_hash,
            closed_by: self.closed_by,
        })
    }
}

struct RawEntry {
    seq: i64,
    at: String,
    actor: String,
    action: String,
    object: String,
    payload: String,
    prev_hash: String,
    hash: String,
}

impl RawEntry {
    fn parse(self) -> Result<AuditEntry> {
        Ok(AuditEntry {
            seq: to_u64("audit_log.seq", self.seq)?,
            at: parse_timestamp(&self.at)?,
            actor: self.actor,
            action: self.action,
            object: self.object,
            payload: self.payload,
            prev_hash: self.prev_hash,
            hash: self.hash,
        })
    }
}
