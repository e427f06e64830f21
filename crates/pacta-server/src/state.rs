//! What every handler shares: the database, the settings, the clock and the login limiter.

use std::path::PathBuf;
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use pacta_db::Db;

use crate::error::ApiError;
use crate::limit::LoginLimiter;
use crate::month_cache::{DEFAULT_MONTH_CACHE_BYTES, MonthCache};

/// What "now" is: `Timestamp::now` in the binary, a hand-moved time in tests.
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// The server's settings.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// How long a browser session lasts.
    pub session_ttl: SignedDuration,
    /// Login attempts allowed per client address in each window; the next one gets 429.
    pub login_attempts: u32,
    /// The login rate limit's window.
    pub login_window: SignedDuration,
    /// The largest request body accepted (bytes); larger ones get 413.
    pub body_limit: usize,
    /// The Parquet store, read for obligations the data proves and written by uploads,
    /// settlements and closes; `None`: no data verdicts, and the routes that need data
    /// answer 409 `no-store`.
    pub store_dir: Option<PathBuf>,
    /// The largest upload accepted on the data upload route (bytes); larger ones get 413.
    pub upload_limit: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            session_ttl: SignedDuration::from_hours(8),
            login_attempts: 10,
            login_window: SignedDuration::from_mins(15),
            body_limit: 1024 * 1024,
            store_dir: None,
            upload_limit: 256 * 1024 * 1024,
        }
    }
}

/// What every handler shares. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    db: DbHandle,
    config: ServerConfig,
    clock: Clock,
    pub(crate) login_limiter: LoginLimiter,
    month_cache: MonthCache,
}

impl AppState {
    /// The state over an open database.
    pub fn new(db: Arc<Db>, config: ServerConfig, clock: Clock) -> AppState {
        AppState {
            inner: Arc::new(Inner {
                login_limiter: LoginLimiter::new(config.login_attempts, config.login_window),
                db: DbHandle(Some(db)),
                month_cache: MonthCache::new(DEFAULT_MONTH_CACHE_BYTES),
                config,
                clock,
            }),
        }
    }

    pub(crate) fn db(&self) -> Arc<Db> {
        match &self.inner.db.0 {
            Some(db) => Arc::clone(db),
            // Only emptied while the state is dropped.
            None => unreachable!("the database handle is present until drop"),
        }
    }

    pub(crate) fn now(&self) -> Timestamp {
        (self.inner.clock)()
    }

    pub(crate) fn config(&self) -> &ServerConfig {
        &self.inner.config
    }

    /// The months kept in memory for what-ifs (`set_limit` sizes it; `loads` counts the
    /// months read from the store).
    pub fn month_cache(&self) -> &MonthCache {
        &self.inner.month_cache
    }
}

/// The database handle, dropped off the async runtime: `Db` closes its pool by blocking on
/// its own runtime, which tokio forbids inside a task (and the last `AppState` clone is
/// usually dropped in one, when the server stops).
struct DbHandle(Option<Arc<Db>>);

impl Drop for DbHandle {
    fn drop(&mut self) {
        if let Some(db) = self.0.take() {
            if tokio::runtime::Handle::try_current().is_ok() {
                let _ = std::thread::spawn(move || drop(db)).join();
            } else {
                drop(db);
            }
        }
    }
}

/// Runs blocking database work off the async executor (`Db` blocks on its own runtime).
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ApiError::Internal(format!("a blocking task failed: {e}")))?
}
