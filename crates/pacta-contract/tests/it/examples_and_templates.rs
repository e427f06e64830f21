//! Every published example (`examples/*.toml`) and every `pacta init` template
//! (`crates/pacta-cli/templates/init/*.toml`) must parse and validate, and must survive a
//! round-trip through `Contract::to_toml` unchanged.

use std::path::{Path, PathBuf};

use pacta_contract::{ContractDoc, Lang, parse_str};

const TEMPLATES: [&str; 6] = [
    "inbound.en.toml",
    "inbound.es.toml",
    "outbound.en.toml",
    "outbound.es.toml",
    "omnichannel.en.toml",
    "omnichannel.es.toml",
];

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root exists")
}

fn examples() -> Vec<PathBuf> {
    let dir = workspace_root().join("examples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

fn templates() -> Vec<PathBuf> {
    let dir = workspace_root().join("crates/pacta-cli/templates/init");
    TEMPLATES.iter().map(|t| dir.join(t)).collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Parses, validates and round-trips one file; returns a description of every failure.
fn check(path: &Path) -> Result<(), String> {
    let text = read(path);
    let contract = parse_str(&text).map_err(|errors| {
        let mut msg = format!(
            "{} does not validate ({} errors):",
            path.display(),
            errors.len()
        );
        for e in &errors {
            msg.push_str(&format!(
                "\n  {}:{}:{}: [{}] {}",
                path.display(),
                e.location.line,
                e.location.col,
                e.code,
                e.message(Lang::En)
            ));
            if let Some(h) = e.hint(Lang::En) {
                msg.push_str(&format!("\n      hint: {h}"));
            }
        }
        msg
    })?;
    let again = contract
        .to_toml()
        .map_err(|e| format!("{}: to_toml failed: {e}", path.display()))?;
    let reparsed = parse_str(&again).map_err(|errors| {
        let mut msg = format!(
            "{}: the serialized contract does not validate:",
            path.display()
        );
        for e in &errors {
            msg.push_str(&format!(
                "\n  {}:{}: [{}] {}",
                e.location.line,
                e.location.col,
                e.code,
                e.message(Lang::En)
            ));
        }
        msg.push_str("\n--- serialized ---\n");
        msg.push_str(&again);
        msg
    })?;
    let (a, b): (&ContractDoc, &ContractDoc) = (&contract.doc, &reparsed.doc);
    if a != b {
        return Err(format!(
            "{}: round-trip changed the contract\n--- before ---\n{a:#?}\n--- after ---\n{b:#?}",
            path.display()
        ));
    }
    Ok(())
}

fn check_all(files: &[PathBuf]) {
    let failures: Vec<String> = files.iter().filter_map(|f| check(f).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} files failed:\n\n{}",
        failures.len(),
        files.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_example_parses_and_round_trips() {
    let files = examples();
    check_all(&files);
    for required in [
        "bank-inbound-manila.toml",
        "telecom-outbound-sales.toml",
        "omnicanal-bogota.toml",
    ] {
        assert!(
            files.iter().any(|f| f.ends_with(required)),
            "examples/{required} is missing"
        );
    }
}

#[test]
fn every_init_template_parses_and_round_trips() {
    let files = templates();
    for f in &files {
        assert!(f.exists(), "template {} is missing", f.display());
    }
    check_all(&files);
}

#[test]
fn spanish_files_are_commented_in_spanish() {
    let mut spanish: Vec<PathBuf> = templates()
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".es.toml"))
        .collect();
    spanish.push(workspace_root().join("examples/omnicanal-bogota.toml"));
    for path in spanish {
        let text = read(&path);
        let comments: String = text
            .lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            comments.contains("Proveedor") || comments.contains("Cliente"),
            "{} has no Spanish comments naming the Proveedor or the Cliente",
            path.display()
        );
        assert!(
            ["á", "é", "í", "ó", "ú", "ñ"]
                .iter()
                .any(|c| comments.contains(c)),
            "{} comments are not written in Spanish with accents",
            path.display()
        );
        let contract = parse_str(&text).map_err(|e| e.len());
        if let Ok(c) = contract {
            assert_eq!(
                c.doc.contract.languages,
                vec!["es".to_string()],
                "{} should be executed in Spanish",
                path.display()
            );
        }
    }
}

#[test]
fn english_templates_are_commented_in_english() {
    for path in templates()
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".en.toml"))
    {
        let text = read(&path);
        assert!(
            text.lines()
                .any(|l| l.trim_start().starts_with('#') && l.contains("Provider")),
            "{} has no English comments naming the Provider",
            path.display()
        );
    }
}

#[test]
fn templates_start_in_2027() {
    for path in templates() {
        let text = read(&path);
        if let Ok(c) = parse_str(&text) {
            assert_eq!(
                c.doc.contract.effective_date.to_string(),
                "2027-01-01",
                "{}",
                path.display()
            );
        }
    }
}
