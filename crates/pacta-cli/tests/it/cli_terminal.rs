//! What the terminal shows: every command's default output on the examples and on a demo
//! store stays within 100 columns in English and Spanish, and Spanish figures use decimal
//! commas.

use std::path::Path;

use crate::common::{example, pacta};

/// Default terminal output must fit a 100-column terminal.
const WIDTH: usize = 100;

/// The contracts in `examples/`.
const CONTRACTS: [&str; 4] = [
    "bank-inbound-manila.toml",
    "omnicanal-bogota.toml",
    "telecom-outbound-sales.toml",
    "weak-draft.toml",
];

/// Runs `pacta --lang LANG ARGS…` (in `dir`) and returns standard output and standard
/// error, whatever the exit code (a settlement with a missed SLA exits 3, a weak review 0).
fn run(dir: &Path, lang: &str, args: &[&str]) -> (String, String) {
    let out = pacta()
        .current_dir(dir)
        .arg("--lang")
        .arg(lang)
        .args(args)
        .output()
        .expect("pacta runs");
    let code = out.status.code().unwrap_or(-1);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        matches!(code, 0 | 3),
        "pacta --lang {lang} {} exited {code}:\n{stderr}",
        args.join(" ")
    );
    (String::from_utf8_lossy(&out.stdout).to_string(), stderr)
}

/// Copies `examples/` (the contracts and the selection files) into `dir/examples`.
fn copy_examples(dir: &Path) {
    for sub in ["", "selection"] {
        let from = Path::new(&example(sub)).to_path_buf();
        let to = dir.join("examples").join(sub);
        std::fs::create_dir_all(&to).expect("examples dir");
        for entry in std::fs::read_dir(&from).expect("examples listed") {
            let path = entry.expect("an entry").path();
            if path.is_file() {
                let name = path.file_name().expect("a file name");
                std::fs::copy(&path, to.join(name)).expect("example copied");
            }
        }
    }
}

/// Borrowed arguments of owned ones.
fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

/// Lines of `text` longer than [`WIDTH`] characters (not bytes: `≥`, `·`, `ó` count one).
fn too_wide(text: &str) -> Vec<(usize, String)> {
    text.lines()
        .filter(|l| l.chars().count() > WIDTH)
        .map(|l| (l.chars().count(), l.to_string()))
        .collect()
}

/// Every command's default output, in both languages: each line within 100 columns.
#[test]
fn default_output_fits_100_columns_in_both_languages() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    // The examples under a short relative path, as a reader in a project would name them (a
    // path longer than the terminal would fail any width).
    copy_examples(dir);
    let mut failures = Vec::new();
    let mut check = |lang: &str, args: &[&str]| {
        let (stdout, stderr) = run(dir, lang, args);
        for (stream, text) in [("stdout", &stdout), ("stderr", &stderr)] {
            for (n, line) in too_wide(text) {
                failures.push(format!(
                    "pacta --lang {lang} {} ({stream}, {n} columns):\n  {line}",
                    args.join(" ")
                ));
            }
        }
        stdout
    };
    for lang in ["en", "es"] {
        let store = format!("store-{lang}");
        let demo_dir = format!("demo-{lang}");
        // The demo builds a store with two settled months and a dispute.
        check(
            lang,
            &[
                "demo", "--out", &demo_dir, "--store", &store, "--rows", "3000",
            ],
        );
        let contract = format!("{demo_dir}/contract.toml");
        let target = [
            "--contract",
            contract.as_str(),
            "--month",
            "2026-10",
            "--store",
            store.as_str(),
        ];
        let with = |extra: &[&str]| -> Vec<String> {
            extra
                .iter()
                .chain(target.iter())
                .map(|s| s.to_string())
                .collect()
        };
        for args in [
            with(&["settle", "--no-save"]),
            with(&["kpi"]),
            with(&["explain"]),
            with(&["explain", "SL-VOICE"]),
            with(&["explain", "SL-CHAT-INTERVAL"]),
            with(&["explain", "CSAT"]),
        ] {
            check(lang, &strs(&args));
        }
        let invoice = format!("{demo_dir}/vendor-invoice-2026-10.csv");
        check(
            lang,
            &strs(&with(&[
                "settle",
                "--no-save",
                "--vendor-invoice",
                &invoice,
            ])),
        );
        for args in [
            vec![
                "month",
                "status",
                "--contract",
                &contract,
                "--store",
                &store,
            ],
            vec!["audit", "verify", "--store", &store],
            vec!["store", "info", "--store", &store],
            vec!["store", "verify", "--store", &store],
            vec!["store", "files", "--store", &store],
            vec!["obligations", "--contract", &contract, "--store", &store],
            vec![
                "dispute",
                "list",
                "--contract",
                &contract,
                "--store",
                &store,
            ],
            vec![
                "plan",
                "--contract",
                &contract,
                "--from-store",
                "--month",
                "2026-10",
                "--store",
                &store,
            ],
        ] {
            check(lang, &args);
        }
        // Generating and importing a directory, as a reader would after `pacta gen`.
        let generated = format!("gen-{lang}");
        check(
            lang,
            &[
                "gen",
                "--contract",
                "examples/bank-inbound-manila.toml",
                "--month",
                "2026-11",
                "--rows",
                "2000",
                "--out",
                &generated,
            ],
        );
        let import_store = format!("import-store-{lang}");
        check(
            lang,
            &[
                "import",
                "--contract",
                "examples/bank-inbound-manila.toml",
                "--store",
                &import_store,
                &generated,
            ],
        );
        for name in CONTRACTS {
            let file = format!("examples/{name}");
            check(lang, &["check", &file]);
            check(lang, &["review", &file]);
            check(lang, &["render", &file]);
        }
        check(lang, &["review", "--list-rules"]);
        let init = format!("init-{lang}.toml");
        check(lang, &["init", "-o", &init]);
        check(lang, &["schema", "--output", "schema.json"]);
        check(lang, &["select", "examples/selection/bank-cards-2027.toml"]);
        check(lang, &["select", "examples/selection/ahp-nearshore.toml"]);
    }
    assert!(
        failures.is_empty(),
        "{} line(s) wider than {WIDTH} columns:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Spanish output writes money and percentages with decimal commas and point-grouped
/// thousands; English with decimal points.
#[test]
fn spanish_figures_use_decimal_commas() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    let (es, _) = run(
        dir,
        "es",
        &[
            "demo", "--out", "demo", "--store", "store", "--rows", "3000",
        ],
    );
    // The bank example's monthly charges: 350,000 USD, at 10 % at risk.
    assert!(es.contains("350.000,00 USD"), "{es}");
    assert!(!es.contains("350,000.00"), "{es}");
    let target = [
        "--contract",
        "demo/contract.toml",
        "--month",
        "2026-10",
        "--store",
        "store",
    ];
    let (explain_es, _) = run(dir, "es", &[&["explain"][..], &target].concat());
    assert!(
        explain_es.contains("monto en riesgo = 350.000,00 USD × 10 % = 35.000,00 USD"),
        "{explain_es}"
    );
    let (sla_es, _) = run(dir, "es", &[&["explain", "SL-VOICE"][..], &target].concat());
    let measured = sla_es
        .lines()
        .find(|l| l.starts_with("medido: "))
        .unwrap_or_else(|| panic!("no measured line in {sla_es}"));
    // `medido: 92,46 %`: two decimals after a comma, then the percent sign.
    let figure = measured
        .trim_start_matches("medido: ")
        .trim_end_matches(" %");
    let (whole, decimals) = figure
        .split_once(',')
        .unwrap_or_else(|| panic!("no decimal comma in `{measured}`"));
    assert!(
        whole.parse::<u32>().is_ok() && decimals.len() == 2,
        "{measured}"
    );
    assert!(
        !sla_es.contains("critical") && !sla_es.contains("AcceptedRelief"),
        "{sla_es}"
    );
    let (settle_es, _) = run(dir, "es", &[&["settle", "--no-save"][..], &target].concat());
    assert!(settle_es.contains("crítico"), "{settle_es}");
    assert!(!settle_es.contains(" critical "), "{settle_es}");
    let (settle_en, _) = run(dir, "en", &[&["settle", "--no-save"][..], &target].concat());
    assert!(settle_en.contains("350,000.00 USD"), "{settle_en}");
    assert!(
        settle_en
            .lines()
            .any(|l| l.starts_with("SL-VOICE") && l.contains('.') && l.contains(" %")),
        "{settle_en}"
    );
}
