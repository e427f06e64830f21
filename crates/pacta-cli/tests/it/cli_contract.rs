//! Drives the `pacta` binary: init, check and schema, their exit codes, messages and files.

use crate::common::{example, pacta};

use predicates::prelude::*;

#[test]
fn check_accepts_the_examples() {
    pacta()
        .args(["check", &example("bank-inbound-manila.toml")])
        .assert()
        .success()
        .stdout(predicate::str::contains("valid (AFB-MNL-2026 1.1, 7 SLA)"));
}

#[test]
fn check_reports_file_line_col_source_caret_and_hint() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("bad.toml");
    let text = std::fs::read_to_string(example("bank-inbound-manila.toml"))
        .expect("example")
        .replacen(
            "time_zone = \"Asia/Manila\"",
            "time_zone = \"Asia/Manilla\"",
            1,
        );
    std::fs::write(&path, text).expect("write");
    let out = pacta()
        .args(["check", path.to_str().expect("utf8")])
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("bad.toml:12:13: `contract.time_zone`: unknown time zone `Asia/Manilla`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("12 │ time_zone = \"Asia/Manilla\""),
        "{stderr}"
    );
    assert!(stderr.contains("╰── here"), "{stderr}");
    assert!(stderr.contains("did you mean `Asia/Manila`?"), "{stderr}");
}

#[test]
fn check_speaks_spanish() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("malo.toml");
    std::fs::write(&path, "[contract]\nid = \"x\"\nfoo = 1\n").expect("write");
    pacta()
        .args(["--lang", "es", "check", path.to_str().expect("utf8")])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "malo.toml:3:1: clave desconocida: unknown field `foo`",
        ))
        .stderr(predicate::str::contains("no válido (1 problema(s))"));
}

#[test]
fn check_exit_codes_are_0_1_2() {
    let dir = tempfile::tempdir().expect("tmp");
    let garbage = dir.path().join("garbage.toml");
    std::fs::write(&garbage, [0x00u8, 0xff, 0x13, 0x37]).expect("write");
    pacta()
        .args(["check", garbage.to_str().expect("utf8")])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not UTF-8"));
    let empty = dir.path().join("empty.toml");
    std::fs::write(&empty, "").expect("write");
    pacta()
        .args(["check", empty.to_str().expect("utf8")])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("the file is empty"));
    pacta()
        .args(["check", "/nonexistent/contract.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "could not read /nonexistent/contract.toml",
        ));
    // A readable invalid file and an unreadable one: the worst code wins.
    pacta()
        .args(["check", empty.to_str().expect("utf8"), "/nonexistent.toml"])
        .assert()
        .code(2);
}

#[test]
fn check_json_lists_errors_with_locations() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("bad.toml");
    let text = std::fs::read_to_string(example("bank-inbound-manila.toml"))
        .expect("example")
        .replacen("monthly_cap_percent = 10", "monthly_cap_percent = 12", 1);
    std::fs::write(&path, text).expect("write");
    let out = pacta()
        .args(["check", "--format", "json", path.to_str().expect("utf8")])
        .assert()
        .code(1);
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("json");
    let e = &v[0]["errors"][0];
    assert_eq!(e["code"], "cap-above-at-risk");
    assert_eq!(e["path"], "credits.monthly_cap_percent");
    assert!(e["line"].as_u64().is_some_and(|l| l > 1));
}

#[test]
fn init_writes_a_valid_contract_in_each_language_and_template() {
    let dir = tempfile::tempdir().expect("tmp");
    for lang in ["en", "es"] {
        for template in ["inbound", "outbound", "omnichannel"] {
            let path = dir.path().join(format!("{template}-{lang}.toml"));
            pacta()
                .args([
                    "--lang",
                    lang,
                    "init",
                    "--template",
                    template,
                    "--output",
                    path.to_str().expect("utf8"),
                ])
                .assert()
                .success();
            pacta()
                .args(["check", path.to_str().expect("utf8")])
                .assert()
                .success();
        }
    }
}

#[test]
fn init_refuses_to_overwrite() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("contract.toml");
    std::fs::write(&path, "keep me").expect("write");
    pacta()
        .args(["init", "--output", path.to_str().expect("utf8")])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists; use --force"));
    assert_eq!(std::fs::read_to_string(&path).expect("read"), "keep me");
}

#[test]
fn schema_is_json_schema_for_the_format() {
    let out = pacta().arg("schema").assert().success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("json");
    assert_eq!(v["title"], "ContractDoc");
    assert!(v["properties"]["sla"].is_object());
}

#[test]
fn help_documents_each_command() {
    let out = pacta().arg("--help").assert().success();
    let help = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    for cmd in ["init", "check", "schema"] {
        assert!(help.contains(cmd), "{help}");
    }
}

#[test]
fn a_closed_pipe_ends_quietly() {
    // `pacta review --list-rules | head -1`: the reader goes away; pacta must not panic.
    let bin = assert_cmd::cargo::cargo_bin("pacta");
    let mut child = std::process::Command::new(bin)
        .args(["review", "--list-rules"])
        .env_remove("PACTA_LANG")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take()); // close the read end before pacta writes
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        matches!(out.status.code(), Some(0 | 141)),
        "{:?}",
        out.status
    );
}

#[test]
fn render_refuses_to_overwrite_without_force_and_writes_through_devices() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("contract.md");
    std::fs::write(&out, "my notes").expect("write");
    let render = |extra: &[&str]| {
        let mut c = pacta();
        c.args(["render", &example("bank-inbound-manila.toml"), "-o"])
            .arg(&out)
            .args(extra);
        c
    };
    render(&[])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "already exists; use --force to overwrite it",
        ));
    assert_eq!(std::fs::read_to_string(&out).expect("read"), "my notes");
    render(&["--force"]).assert().success();
    assert!(
        std::fs::read_to_string(&out)
            .expect("read")
            .contains("AFB-MNL-2026")
    );
    pacta()
        .args([
            "render",
            &example("bank-inbound-manila.toml"),
            "-o",
            "/dev/full",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("could not write /dev/full"));
    assert!(std::path::Path::new("/dev/full").exists());
}
