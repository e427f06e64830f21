//! The server's wiring through the binary: organisations, users (generated or piped
//! password), API keys and contract registration, each audited; then `pacta serve` on a
//! free port answers an API key, refuses another tenant's contract with 404, serves a
//! calendar feed without logging its key, and stops gracefully on SIGTERM.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Stdio;

use crate::common::{audit_entries, bank, pacta};

fn run(store: &Path, args: &[&str]) -> (String, String) {
    let out = pacta()
        .args(args)
        .arg("--store")
        .arg(store)
        .output()
        .expect("pacta runs");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{args:?}: {stderr}");
    (stdout, stderr)
}

/// One HTTP/1.1 GET on a fresh connection: status code and body.
fn get(addr: &str, path: &str, key: &str) -> (u16, String) {
    call(addr, "GET", path, key)
}

/// One bodiless HTTP/1.1 request with a bearer key on a fresh connection.
fn call(addr: &str, method: &str, path: &str, key: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {key}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut text = String::new();
    stream.read_to_string(&mut text).expect("read");
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    (status, body)
}

#[test]
fn identities_contracts_and_serve() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    for org in ["bank-a", "shore", "telco", "dial"] {
        run(&store, &["org", "add", org]);
    }
    let (out, _) = run(
        &store,
        &[
            "user",
            "add",
            "pedro",
            "--org",
            "shore",
            "--role",
            "provider_manager",
        ],
    );
    let password = out.rsplit(": ").next().unwrap().trim().to_string();
    assert_eq!(password.len(), 24, "{out}");

    // A piped password, and a refused role.
    let mut piped = pacta()
        .args([
            "user",
            "add",
            "ana",
            "--org",
            "bank-a",
            "--role",
            "auditor",
            "--password-stdin",
            "--store",
        ])
        .arg(&store)
        .write_stdin("a long passphrase\n")
        .output()
        .unwrap();
    assert!(
        piped.status.success(),
        "{}",
        String::from_utf8_lossy(&piped.stderr)
    );
    piped = pacta()
        .args([
            "user", "add", "eve", "--org", "bank-a", "--role", "boss", "--store",
        ])
        .arg(&store)
        .output()
        .unwrap();
    assert!(!piped.status.success());
    assert!(String::from_utf8_lossy(&piped.stderr).contains("unknown role `boss`"));

    let (key, _) = run(
        &store,
        &["token", "create", "--user", "pedro", "--label", "ci"],
    );
    let key = key.trim().to_string();
    assert!(key.starts_with("pacta_k_") && key.len() == 72, "{key}");

    let (out, _) = run(
        &store,
        &[
            "contract",
            "register",
            &bank(),
            "--client-org",
            "bank-a",
            "--provider-org",
            "shore",
        ],
    );
    assert!(
        out.contains("registered AFB-MNL-2026 registration 1"),
        "{out}"
    );
    let other = dir.path().join("other.toml");
    std::fs::write(
        &other,
        std::fs::read_to_string(bank())
            .unwrap()
            .replace("AFB-MNL-2026", "TEL-BOG-2027"),
    )
    .unwrap();
    run(
        &store,
        &[
            "contract",
            "register",
            other.to_str().unwrap(),
            "--client-org",
            "telco",
            "--provider-org",
            "dial",
        ],
    );
    // 4 orgs, 2 users, 1 key, 2 contracts; the refused user wrote nothing.
    assert_eq!(audit_entries(&store), 9);
    let db = std::fs::read(store.join("pacta.db")).unwrap();
    for secret in [password.as_str(), key.as_str(), "a long passphrase"] {
        assert!(!db.windows(secret.len()).any(|w| w == secret.as_bytes()));
    }

    // Serve on a free port; the first line on stderr names it.
    let mut server = std::process::Command::new(assert_cmd::cargo::cargo_bin("pacta"))
        .env_remove("PACTA_DB")
        .env_remove("PACTA_LANG")
        .args(["serve", "--addr", "127.0.0.1:0", "--store"])
        .arg(&store)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(server.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line}"))
        .to_string();

    let (status, body) = get(&addr, "/api/contracts", &key);
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("AFB-MNL-2026") && !body.contains("TEL-BOG-2027"),
        "{body}"
    );
    let (status, body) = get(&addr, "/api/contracts/TEL-BOG-2027", &key);
    assert_eq!(status, 404);
    assert!(!body.contains("TEL-BOG-2027"));
    assert_eq!(get(&addr, "/api/me", "pacta_k_wrong").0, 401);

    // A calendar feed: its key is in the URL, so the log masks it.
    let (status, body) = call(&addr, "POST", "/api/feeds", &key);
    assert_eq!(status, 201, "{body}");
    let feed_key = body
        .split("\"key\":\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    let (status, ics) = get(
        &addr,
        &format!("/feeds/{feed_key}/contracts/AFB-MNL-2026"),
        "",
    );
    assert_eq!(status, 200, "{ics}");
    assert!(ics.contains("BEGIN:VCALENDAR"));

    // SIGTERM: a graceful stop, exit 0; the request log never shows the key.
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = server.wait().unwrap();
    let mut log = String::new();
    stderr.read_to_string(&mut log).unwrap();
    assert!(status.success(), "{status:?}: {log}");
    assert!(log.contains("/api/contracts"), "{log}");
    assert!(!log.contains(&key));
    assert!(!log.contains(&feed_key), "{log}");
    assert!(log.contains("/feeds/***"), "{log}");
}
