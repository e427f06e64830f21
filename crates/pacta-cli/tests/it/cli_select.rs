//! `pacta select` on the worked examples in examples/selection/.
#![allow(clippy::unwrap_used)]

use crate::common::pacta;

use predicates::prelude::*;

fn ex(name: &str) -> String {
    format!(
        "{}/../../examples/selection/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn bank_example_table_snapshot() {
    let out = pacta()
        .args([
            "select",
            &ex("bank-cards-2027.toml"),
            "--pilot",
            &ex("pilot-2026-q4.csv"),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}

#[test]
fn json_html_spanish_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("sel.html");
    let out = pacta()
        .args([
            "--lang",
            "es",
            "select",
            &ex("ahp-nearshore.toml"),
            "--format",
            "json",
            "--html",
        ])
        .arg(&html)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["weights"]["method"], "ahp");
    assert_eq!(v["ranking"][0]["id"], "medellin");
    let cr = v["weights"]["consistency_ratio"].as_f64().unwrap();
    assert!((cr - 0.0332).abs() < 1e-3, "{cr}");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("<html lang=\"es\">")
            && page.contains("Clasificación")
            && page.contains("<svg")
    );
    assert!(!page.contains("<script"));
    // Spanish numbers and words: the sensitivity table, weights with a decimal comma.
    assert!(page.contains("Sensibilidad de los pesos"), "{page}");
    assert!(page.contains(" %</td>") && !page.contains(".0 %"), "{page}");
    // The bank example's page lists each proposal's cost and hidden-cost risks, and the
    // pilot's comparisons, as the terminal does.
    let bank_html = dir.path().join("bank.html");
    pacta()
        .args(["select", &ex("bank-cards-2027.toml"), "--pilot"])
        .arg(ex("pilot-2026-q4.csv"))
        .arg("--html")
        .arg(&bank_html)
        .assert()
        .success();
    let page = std::fs::read_to_string(&bank_html).unwrap();
    assert!(
        page.contains("Hidden-cost risks")
            && page.contains("pass-through \u{201c}telecom\u{201d} has no monthly cap")
            && !page.contains('`'),
        "{page}"
    );
    assert!(page.contains("<td class=num>4.30</td>"), "a score: {page}");
    assert!(
        page.contains("<td class=num>67.73 %</td><td class=num>68.30 %</td><td class=num>\u{2212}0.57 pts</td>"),
        "the FCR pilot pair: {page}"
    );
    // Round axis ticks, and a legend and an axis title on both charts.
    assert!(page.contains(">20,000,000</text>"), "{page}");
    assert_eq!(page.matches("class=\"legend\"").count(), 2);
    assert!(page.contains("Score (1–5)") && page.contains("Month of the term"));
    assert_eq!(
        page.matches("<polyline").count(),
        3,
        "one cost line per priced proposal"
    );
    // A candidate without a score: the file's line and column, the line itself, a caret.
    let bad = dir.path().join("bad.toml");
    let text = std::fs::read_to_string(ex("ahp-nearshore.toml"))
        .unwrap()
        .replace(
            "scores = { language = 4, security = 5, commercial = 3 }",
            "scores = { language = 4, security = 5 }",
        );
    std::fs::write(&bad, text).unwrap();
    pacta()
        .args(["select"])
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "bad.toml:41:10: candidate `cdmx` has no score for criterion `commercial`",
        ))
        .stderr(predicate::str::contains(
            "scores = { language = 4, security = 5 }",
        ));
    // A pilot file with a bad number names its line.
    let pilot = dir.path().join("p.csv");
    std::fs::write(
        &pilot,
        "candidate,metric,successes,trials\nmedellin,sl,80,lots\n",
    )
    .unwrap();
    pacta()
        .args(["select", &ex("ahp-nearshore.toml"), "--pilot"])
        .arg(&pilot)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "pilot CSV line 2: column `trials`: `lots` is not a number",
        ));
}
