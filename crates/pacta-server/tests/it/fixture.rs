//! A fresh database per test: SQLite in a temporary directory, or PostgreSQL in a database
//! `pacta_server_test_<hex>` created on the server named by `PACTA_TEST_POSTGRES` and
//! dropped afterwards (skipped with a note when it is not set, a failure instead when
//! `PACTA_REQUIRE_POSTGRES=1`).

use std::path::PathBuf;

use pacta_db::{Db, DbUrl};
use sqlx::Connection;
use sqlx::postgres::PgConnection;

/// Runs each named test function (`fn(&Fixture)`) once per backend.
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[test]
                fn $name() {
                    super::$name(&crate::fixture::Fixture::sqlite());
                }
            )*
        }
        mod postgres {
            $(
                #[test]
                fn $name() {
                    if let Some(fixture) = crate::fixture::Fixture::postgres() {
                        super::$name(&fixture);
                    }
                }
            )*
        }
    };
}
pub(crate) use both_backends;

/// One test's database.
pub enum Fixture {
    /// A SQLite file in a temporary directory.
    Sqlite {
        /// Removed on drop.
        dir: tempfile::TempDir,
        /// The file.
        url: DbUrl,
    },
    /// A database created on the server, dropped on drop.
    Postgres {
        /// The admin URL it was created through.
        admin: String,
        /// The database's name.
        name: String,
        /// Its URL.
        url: DbUrl,
    },
}

impl Fixture {
    /// SQLite in a fresh temporary directory.
    pub fn sqlite() -> Fixture {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = DbUrl::Sqlite(dir.path().join("pacta.db"));
        Fixture::Sqlite { dir, url }
    }

    /// A fresh PostgreSQL database, or `None` when `PACTA_TEST_POSTGRES` is not set.
    #[allow(clippy::print_stderr)]
    pub fn postgres() -> Option<Fixture> {
        let admin = match std::env::var("PACTA_TEST_POSTGRES") {
            Ok(url) if !url.trim().is_empty() => url,
            _ => {
                assert!(
                    std::env::var("PACTA_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                    "PACTA_REQUIRE_POSTGRES=1 but PACTA_TEST_POSTGRES is not set"
                );
                eprintln!("skipped: PACTA_TEST_POSTGRES not set");
                return None;
            }
        };
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).expect("random bytes");
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let name = format!("pacta_server_test_{hex}");
        admin_sql(&admin, &format!("CREATE DATABASE {name}"));
        let url = DbUrl::Postgres(with_database(&admin, &name));
        Some(Fixture::Postgres { admin, name, url })
    }

    /// A new handle on the database.
    pub fn open(&self) -> Db {
        let url = match self {
            Fixture::Sqlite { url, .. } | Fixture::Postgres { url, .. } => url,
        };
        Db::open(url).expect("open the test database")
    }

    /// The SQLite files (database, WAL, shared memory) that exist; empty for PostgreSQL.
    pub fn sqlite_files(&self) -> Vec<PathBuf> {
        match self {
            Fixture::Sqlite { dir, .. } => ["pacta.db", "pacta.db-wal", "pacta.db-shm"]
                .iter()
                .map(|f| dir.path().join(f))
                .filter(|p| p.exists())
                .collect(),
            Fixture::Postgres { .. } => Vec::new(),
        }
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        if let Fixture::Postgres { admin, name, .. } = self {
            admin_sql(
                admin,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            );
        }
    }
}

fn admin_sql(admin: &str, sql: &str) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let mut conn = PgConnection::connect(admin)
            .await
            .expect("connect to PACTA_TEST_POSTGRES");
        sqlx::raw_sql(sql).execute(&mut conn).await.expect(sql);
        conn.close().await.expect("close");
    });
}

fn with_database(admin: &str, name: &str) -> String {
    let (head, query) = match admin.split_once('?') {
        Some((h, q)) => (h, format!("?{q}")),
        None => (admin, String::new()),
    };
    let scheme_end = head.find("://").map_or(0, |i| i + 3);
    let base = match head[scheme_end..].find('/') {
        Some(i) => &head[..scheme_end + i],
        None => head,
    };
    format!("{base}/{name}{query}")
}
