//! Database URLs: parsing, password masking, and opening without creating.

use std::path::PathBuf;

use pacta_core::Localized;
use pacta_db::{Backend, Db, DbError, DbUrl};

#[test]
fn parses_postgres_and_sqlite() {
    let pg: DbUrl = "postgres://pacta:secret@db.example:5432/pacta"
        .parse()
        .expect("postgres");
    assert_eq!(
        pg,
        DbUrl::Postgres("postgres://pacta:secret@db.example:5432/pacta".into())
    );
    assert_eq!(pg.backend(), Backend::Postgres);
    let pg2: DbUrl = "postgresql://host/db".parse().expect("postgresql");
    assert_eq!(pg2, DbUrl::Postgres("postgresql://host/db".into()));
    let sq: DbUrl = "sqlite://data/pacta.db".parse().expect("sqlite url");
    assert_eq!(sq, DbUrl::Sqlite(PathBuf::from("data/pacta.db")));
    assert_eq!(sq.backend(), Backend::Sqlite);
    let abs: DbUrl = "sqlite:///var/lib/pacta.db".parse().expect("absolute");
    assert_eq!(abs, DbUrl::Sqlite(PathBuf::from("/var/lib/pacta.db")));
    let plain: DbUrl = "pacta.db".parse().expect("plain path");
    assert_eq!(plain, DbUrl::Sqlite(PathBuf::from("pacta.db")));
    assert_eq!(plain.to_string(), "sqlite://pacta.db");
    assert_eq!(
        plain.to_string().parse::<DbUrl>().expect("round trip"),
        plain
    );
}

#[test]
fn refuses_other_schemes_and_empty_text() {
    let e = "mysql://root:hunter2@host/db"
        .parse::<DbUrl>()
        .expect_err("mysql");
    assert_eq!(e.code(), "db-url-invalid");
    assert!(!e.to_string().contains("hunter2"), "{e}");
    assert!(e.to_string().contains("root:***@host"), "{e}");
    assert_eq!(
        "".parse::<DbUrl>().expect_err("empty").code(),
        "db-url-invalid"
    );
    assert_eq!(
        "sqlite://".parse::<DbUrl>().expect_err("no file").code(),
        "db-url-invalid"
    );
}

#[test]
fn never_shows_a_password() {
    let url: DbUrl =
        "postgres://pacta:s3cr3t@127.0.0.1:5432/postgres?sslmode=disable&password=other"
            .parse()
            .expect("url");
    let shown = url.to_string();
    assert_eq!(
        shown,
        "postgres://pacta:***@127.0.0.1:5432/postgres?sslmode=disable&password=***"
    );
    assert!(!format!("{url:?}").contains("s3cr3t"));
    assert!(!format!("{url:?}").contains("other"));
    let no_password: DbUrl = "postgres://pacta@host/db".parse().expect("url");
    assert_eq!(no_password.to_string(), "postgres://pacta@host/db");
    let at_in_password: DbUrl = "postgres://u:p@ss@host/db".parse().expect("url");
    assert_eq!(at_in_password.to_string(), "postgres://u:***@host/db");
}

#[test]
fn a_refused_connection_does_not_show_the_password() {
    // Port 1 on loopback: nothing listens.
    let url: DbUrl = "postgres://pacta:topsecret@127.0.0.1:1/db?connect_timeout=2"
        .parse()
        .expect("url");
    let e = Db::open(&url).expect_err("no server");
    assert_eq!(e.code(), "db-open");
    assert!(!e.to_string().contains("topsecret"), "{e}");
    assert!(!format!("{e:?}").contains("topsecret"), "{e:?}");
}

#[test]
fn open_existing_creates_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("pacta.db");
    let url = DbUrl::Sqlite(path.clone());
    assert!(Db::open_existing(&url).expect("no file").is_none());
    assert!(!path.exists());
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0);
    drop(Db::open(&url).expect("create"));
    assert!(path.exists());
    let db = Db::open_existing(&url).expect("exists").expect("some");
    assert_eq!(db.backend(), Backend::Sqlite);
    assert_eq!(db.verify().expect("verify").entries, 0);
}

#[test]
fn a_missing_directory_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nope");
    let e = Db::open(&DbUrl::Sqlite(missing.join("pacta.db"))).expect_err("no dir");
    assert_eq!(e.code(), "db-dir-missing");
    assert!(matches!(e, DbError::DirMissing { ref path } if *path == missing));
    assert!(!missing.exists());
}
