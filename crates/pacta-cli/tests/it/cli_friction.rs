//! Flags that behave alike across commands: a directory to import, a file of another kind
//! named without `--kind`, `-o`/`--output`/`--out` and `text`/`table`, and `schema -o`
//! saying what it wrote.

use crate::common::{bank, pacta};

/// `pacta gen` into `dir/gen` (seven CSV files, one per kind).
fn generate(dir: &std::path::Path) -> std::path::PathBuf {
    let out = dir.join("gen");
    pacta()
        .args([
            "gen",
            "--contract",
            &bank(),
            "--month",
            "2026-10",
            "--rows",
            "1500",
        ])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    out
}

#[test]
fn a_directory_imports_every_file_by_the_kind_its_header_names() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let generated = generate(tmp.path());
    let out = pacta()
        .args(["import", "--contract", &bank(), "--store"])
        .arg(tmp.path().join("store"))
        .arg(&generated)
        .output()
        .expect("pacta runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Each kind labelled, interactions included.
    for label in [
        "interactions (interactions.csv)",
        "surveys (surveys.csv)",
        "qa (qa.csv)",
        "roster (roster.csv)",
        "training (training.csv)",
        "agent-days (agent_days.csv)",
        "incidents (incidents.csv)",
    ] {
        assert!(text.contains(label), "no `{label}` in:\n{text}");
    }
    let info = pacta()
        .args(["store", "info", "--json", "--store"])
        .arg(tmp.path().join("store"))
        .output()
        .expect("pacta runs");
    let info = String::from_utf8_lossy(&info.stdout);
    for kind in ["surveys", "qa", "roster", "incidents"] {
        assert!(
            info.contains(&format!("\"{kind}\"")),
            "{kind} not stored:\n{info}"
        );
    }
    // With --kind, only that kind's files.
    let only = pacta()
        .args([
            "import",
            "--contract",
            &bank(),
            "--kind",
            "surveys",
            "--store",
        ])
        .arg(tmp.path().join("store-surveys"))
        .arg(&generated)
        .output()
        .expect("pacta runs");
    let only_text = String::from_utf8_lossy(&only.stdout);
    assert!(only.status.success(), "{only_text}");
    assert!(!only_text.contains("interactions"), "{only_text}");
    assert!(only_text.contains("rows read"), "{only_text}");
}

#[test]
fn an_empty_directory_says_what_a_directory_needs() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).expect("dir");
    let out = pacta()
        .args(["import", "--contract", &bank(), "--store"])
        .arg(tmp.path().join("store"))
        .arg(&empty)
        .output()
        .expect("pacta runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("holds no file to import"), "{err}");
    assert!(
        err.contains(".csv") && !err.contains("no such file"),
        "{err}"
    );
}

#[test]
fn a_file_of_another_kind_suggests_its_kind() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let generated = generate(tmp.path());
    for (file, kind, lang, words) in [
        ("surveys.csv", "surveys", "en", "looks like surveys"),
        ("qa.csv", "qa", "es", "parece de tipo qa"),
        (
            "agent_days.csv",
            "agent-days",
            "en",
            "looks like agent-days",
        ),
    ] {
        let out = pacta()
            .args(["--lang", lang, "import", "--contract", &bank(), "--store"])
            .arg(tmp.path().join("store"))
            .arg(generated.join(file))
            .output()
            .expect("pacta runs");
        assert_eq!(out.status.code(), Some(1), "{file}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(words), "{file}: {err}");
        assert!(err.contains(&format!("--kind {kind}")), "{file}: {err}");
        assert!(!err.contains("source_id"), "{file}: {err}");
    }
    // Nothing was guessed: the store was not created.
    assert!(!tmp.path().join("store").join("manifest.json").exists());
}

#[test]
fn output_flags_and_table_formats_are_spelled_alike() {
    let tmp = tempfile::tempdir().expect("temp dir");
    // `schema -o` says what it wrote, like the other commands that write files.
    for (flag, name) in [
        ("-o", "a.json"),
        ("--output", "b.json"),
        ("--out", "c.json"),
    ] {
        let path = tmp.path().join(name);
        let out = pacta()
            .args(["schema", flag])
            .arg(&path)
            .output()
            .expect("pacta runs");
        assert!(out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("wrote") && err.contains(name), "{err}");
        let schema = std::fs::read_to_string(&path).expect("schema written");
        assert!(schema.contains("\"$schema\""), "{schema}");
    }
    // `init --out` and `gen -o` accept the other spelling.
    pacta()
        .args(["init", "--out"])
        .arg(tmp.path().join("c.toml"))
        .assert()
        .success();
    assert!(tmp.path().join("c.toml").exists());
    pacta()
        .args([
            "gen",
            "--contract",
            &bank(),
            "--month",
            "2026-10",
            "--rows",
            "200",
            "-o",
        ])
        .arg(tmp.path().join("g"))
        .assert()
        .success();
    assert!(tmp.path().join("g").join("interactions.csv").exists());
    // `text` and `table` name the terminal output of every command that has one.
    let review = |format: &str| {
        let out = pacta()
            .args(["review", "--format", format, &bank()])
            .output()
            .expect("pacta runs");
        assert!(out.status.success(), "review --format {format}");
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    assert_eq!(review("table"), review("text"));
    let check = pacta()
        .args(["check", "--format", "table", &bank()])
        .output()
        .expect("pacta runs");
    assert!(check.status.success());
}

#[test]
fn generated_files_need_the_pacta_source_when_the_contract_renames_columns() {
    let dir = tempfile::tempdir().expect("temp dir");
    let telecom = crate::common::example("telecom-outbound-sales.toml");
    let out = dir.path().join("gen");
    pacta()
        .args([
            "gen",
            "--contract",
            &telecom,
            "--month",
            "2026-10",
            "--rows",
            "500",
        ])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let store = dir.path().join("store");
    let file = out.join("interactions.csv");
    // Through the contract's dialer source the file lacks its columns: said, nothing written.
    let refused = pacta()
        .args(["import", "--contract", &telecom, "--store"])
        .arg(&store)
        .arg(&file)
        .output()
        .expect("pacta runs");
    assert_eq!(refused.status.code(), Some(1));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("missing column `call_id` of the contract's source `dialer`")
            && err.contains("import it with --source pacta"),
        "{err}"
    );
    assert!(!store.join("manifest.json").exists() || crate::common::audit_entries(&store) == 0);
    // With pacta's own columns named, every row is imported.
    let imported = pacta()
        .args([
            "import",
            "--contract",
            &telecom,
            "--source",
            "pacta",
            "--store",
        ])
        .arg(&store)
        .arg(&file)
        .output()
        .expect("pacta runs");
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    assert!(
        String::from_utf8_lossy(&imported.stdout).contains("500"),
        "{}",
        String::from_utf8_lossy(&imported.stdout)
    );
}
