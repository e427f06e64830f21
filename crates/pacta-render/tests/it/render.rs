//! Rendering tests: snapshots of the examples, absent sections and escaping.

use pacta_contract::{Contract, Lang};
use pacta_render::{Format, render};

fn example(name: &str) -> Option<Contract> {
    let path = format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).ok()?;
    Some(pacta_contract::parse_str(&text).unwrap_or_else(|e| panic!("{name} is invalid: {e:?}")))
}

const ALL: [(Lang, Format); 4] = [
    (Lang::En, Format::Markdown),
    (Lang::Es, Format::Markdown),
    (Lang::En, Format::Html),
    (Lang::Es, Format::Html),
];

/// Snapshots an example in both languages and both formats; skipped when the file is absent.
fn snapshot_example(file: &str, stem: &str) {
    let Some(contract) = example(file) else {
        return;
    };
    for (lang, format) in ALL {
        let out = render(&contract, lang, format).expect("renders");
        let name = format!("{stem}.{}.{}", lang.code(), format.extension());
        insta::assert_snapshot!(name, out);
    }
}

#[test]
fn bank_example_snapshots() {
    assert!(
        example("bank-inbound-manila.toml").is_some(),
        "the bank example exists"
    );
    snapshot_example("bank-inbound-manila.toml", "bank-inbound-manila");
}

#[test]
fn telecom_example_snapshots() {
    snapshot_example("telecom-outbound-sales.toml", "telecom-outbound-sales");
}

#[test]
fn omnicanal_example_snapshots() {
    snapshot_example("omnicanal-bogota.toml", "omnicanal-bogota");
}

const MINIMAL: &str = r#"
[contract]
id = "MIN-1"
version = "1.0"
title = "Minimal agreement"
currency = "CLP"
time_zone = "America/Santiago"
effective_date = 2026-03-01
initial_term_months = 12

[parties.client]
legal_name = "Cliente Mínimo SpA"

[parties.provider]
legal_name = "Proveedor Mínimo Ltda."
"#;

#[test]
fn minimal_contract_says_not_agreed() {
    let contract = pacta_contract::parse_str(MINIMAL).expect("minimal contract is valid");
    for (lang, format) in ALL {
        let out = render(&contract, lang, format).expect("renders");
        match lang {
            Lang::En => {
                assert!(out.contains("Not agreed."), "{out}");
                assert!(out.contains("Renewal: not agreed."));
                assert!(out.contains("Governing law: not agreed."));
                assert!(out.contains("1 March 2026"));
                assert!(out.contains("28 February 2027"));
            }
            Lang::Es => {
                assert!(out.contains("No pactado."), "{out}");
                assert!(out.contains("Ley aplicable: no pactada."));
                assert!(out.contains("1 de marzo de 2026"));
                assert!(out.contains("28 de febrero de 2027"));
            }
        }
        assert!(out.contains("Cliente Mínimo SpA"));
        let body = out.split("<body>").last().unwrap_or_default();
        assert!(
            !body.contains("none"),
            "a missing value leaked as `none`:\n{body}"
        );
    }
}

#[test]
fn html_escapes_party_names() {
    let text = MINIMAL.replace("Cliente Mínimo SpA", "Evil <script>alert(1)</script> & Co");
    let contract = pacta_contract::parse_str(&text).expect("valid");
    for lang in [Lang::En, Lang::Es] {
        let html = render(&contract, lang, Format::Html).expect("renders");
        assert!(!html.contains("<script>"), "unescaped script tag");
        assert!(html.contains("Evil &lt;script&gt;alert(1)&lt;&#x2f;script&gt; &amp; Co"));
        assert!(html.starts_with("<!doctype html>"));
        assert!(html.contains("<nav class=\"toc\">"));
        assert!(!html.contains("<!--TOC-->"));
        let md = render(&contract, lang, Format::Markdown).expect("renders");
        assert!(!md.contains("<script>"), "markdown lets raw HTML through");
    }
}

#[test]
fn html_is_self_contained() {
    let contract = example("bank-inbound-manila.toml").expect("bank example");
    let html = render(&contract, Lang::En, Format::Html).expect("renders");
    for external in ["<link", "<script", "src=", "http://", "https://", "@import"] {
        assert!(!html.contains(external), "external resource: {external}");
    }
    assert!(html.contains("<style>"));
    assert!(html.trim_end().ends_with("</html>"));
}

#[test]
fn bank_worked_example_uses_contract_numbers() {
    let contract = example("bank-inbound-manila.toml").expect("bank example");
    let en = render(&contract, Lang::En, Format::Markdown).expect("renders");
    assert!(en.contains("350,000.00 × 10 % × 50 % = 17,500.00 USD"));
    assert!(en.contains("answered within 20 s / (answered + abandoned − abandoned within 5 s)"));
    let es = render(&contract, Lang::Es, Format::Markdown).expect("renders");
    assert!(es.contains("350.000,00 × 10 % × 50 % = 17.500,00 USD"));
    assert!(es.contains("El Proveedor deberá"));
    assert!(es.contains("1 de julio de 2026"));
}
