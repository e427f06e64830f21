//! What every CLI test needs: the binary with a clean environment, the examples, and the
//! audit log's length.

use std::path::Path;

use assert_cmd::Command;

/// The `pacta` binary, with no language, database or actor taken from the caller's
/// environment (the actor is `tester`).
pub fn pacta() -> Command {
    let mut c = Command::cargo_bin("pacta").expect("the pacta binary");
    c.env_remove("PACTA_LANG")
        .env_remove("PACTA_DB")
        .env("PACTA_ACTOR", "tester");
    c
}

/// The path of `examples/NAME`.
pub fn example(name: &str) -> String {
    format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// The bank example's path.
pub fn bank() -> String {
    example("bank-inbound-manila.toml")
}

/// Entries in the store's audit log, as `pacta audit verify` counts them (it must verify).
pub fn audit_entries(store: &Path) -> u64 {
    let out = pacta()
        .args(["audit", "verify", "--store"])
        .arg(store)
        .output()
        .expect("pacta runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    text.split("audit log: ")
        .nth(1)
        .and_then(|t| t.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in {text}"))
}
