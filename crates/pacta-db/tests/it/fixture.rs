//! The backend fixture: a fresh, empty database per test, removed at the end.

use pacta_db::{Backend, Db, DbUrl};
use sqlx::Connection;
use sqlx::postgres::PgConnection;

/// Runs each named test function (`fn(&Fixture)`) once per backend:
/// `sqlite::NAME` and `postgres::NAME`.
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
        _dir: tempfile::TempDir,
        /// The file.
        url: DbUrl,
    },
    /// A database `pacta_test_<hex>` created on the server, dropped on drop.
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
    /// A SQLite database in a fresh temporary directory (the file not created yet).
    pub fn sqlite() -> Fixture {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = DbUrl::Sqlite(dir.path().join("pacta.db"));
        Fixture::Sqlite { _dir: dir, url }
    }

    /// A fresh PostgreSQL database, or `None` (with a note) when `PACTA_TEST_POSTGRES` is not
    /// set; panics instead when `PACTA_REQUIRE_POSTGRES=1`.
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
        let name = format!("pacta_test_{hex}");
        admin_sql(&admin, &format!("CREATE DATABASE {name}"));
        let url = DbUrl::Postgres(with_database(&admin, &name));
        Some(Fixture::Postgres { admin, name, url })
    }

    /// The database's URL.
    pub fn url(&self) -> &DbUrl {
        match self {
            Fixture::Sqlite { url, .. } | Fixture::Postgres { url, .. } => url,
        }
    }

    /// The backend.
    pub fn backend(&self) -> Backend {
        self.url().backend()
    }

    /// A new handle (its own pool) on the database.
    pub fn open(&self) -> Db {
        let db = Db::open(self.url()).expect("open the test database");
        assert_eq!(db.backend(), self.backend());
        db
    }

    /// The SQL a DBA would run to lift the audit log's append-only triggers.
    pub fn lift_audit_triggers_sql(&self) -> &'static str {
        match self {
            Fixture::Sqlite { .. } => {
                "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
            }
            Fixture::Postgres { .. } => "ALTER TABLE audit_log DISABLE TRIGGER USER;",
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

/// Runs one statement on the admin connection.
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

/// The admin URL with its database replaced by `name`.
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
