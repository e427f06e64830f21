//! The rulebook itself, the pricing comparison, and snapshots of the reports on the examples.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use pacta_contract::{Contract, Lang, parse_str};
use pacta_review::{Severity, compare_pricing, element_title, review, rules, to_markdown};
use rust_decimal::Decimal;

const WEAK: &str = include_str!("../../../../examples/weak-draft.toml");
const BANK: &str = include_str!("../../../../examples/bank-inbound-manila.toml");

fn parse(text: &str) -> Contract {
    parse_str(text).unwrap_or_else(|e| {
        panic!(
            "{:#?}",
            e.iter()
                .map(|e| (e.code, e.location.line, e.problem.to_string()))
                .collect::<Vec<_>>()
        )
    })
}

/// Snapshots live next to this file whatever insta thinks the workspace root is.
macro_rules! snap {
    ($($t:tt)*) => {
        insta::with_settings!(
            { snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/snapshots") },
            { $($t)* }
        )
    };
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

#[test]
fn the_rulebook_is_complete_and_bilingual() {
    let rules = rules();
    assert!(rules.len() >= 40, "only {} rules", rules.len());
    let mut ids = BTreeSet::new();
    for r in rules {
        assert!(ids.insert(r.id), "duplicate id {}", r.id);
        assert!(
            r.id.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !r.id.starts_with('-')
                && !r.id.ends_with('-'),
            "{} is not kebab-case",
            r.id
        );
        assert_ne!(
            element_title(r.element, Lang::Es),
            r.element,
            "{}: element `{}` is not a contract-elements.md section",
            r.id,
            r.element
        );
        for text in [r.title, r.rationale, r.fix] {
            assert!(!text.en.is_empty() && !text.es.is_empty(), "{}", r.id);
            assert_ne!(text.en, text.es, "{}: Spanish text is a copy", r.id);
        }
        // The reader knows the contract, not pacta's spec: a rationale names the clause and
        // says why it matters, without citing our element numbers or source notes.
        for text in [r.rationale.en, r.rationale.es, r.fix.en, r.fix.es] {
            for internal in [
                "Element ",
                "Elemento ",
                "lemento ",
                "seeds",
                ".md",
                "artículos de referencia",
            ] {
                assert!(
                    !text.contains(internal),
                    "{}: the reader's text cites `{internal}`: {text}",
                    r.id
                );
            }
        }
        if !r.snippet.is_empty() && !r.snippet.starts_with('{') && r.snippet.contains(" = ") {
            // Whole-table snippets must be valid TOML.
            let probe = r.snippet.replace("{s}", "X");
            if probe.starts_with('[') || !probe.contains('[') || probe.lines().count() > 1 {
                assert!(
                    toml::from_str::<toml::Table>(&probe).is_ok(),
                    "{}: snippet is not valid TOML:\n{probe}",
                    r.id
                );
            }
        }
    }
}

#[test]
fn rule_list_snapshot() {
    let list: Vec<String> = rules()
        .iter()
        .map(|r| format!("{:<38} {:<7} {}", r.id, r.severity.as_str(), r.element))
        .collect();
    snap!(insta::assert_snapshot!(list.join("\n")));
}

#[test]
fn weak_draft_is_valid_and_torn_apart() {
    let c = parse(WEAK);
    // Like every example, it round-trips through the model.
    assert_eq!(parse(&c.to_toml().unwrap()).doc, c.doc);
    let found = review(&c, Lang::En);
    let ids: BTreeSet<&str> = found.iter().map(|f| f.rule_id).collect();
    for must in [
        "hourly-pricing-high-volume",
        "sole-remedy-low-cap",
        "no-dispute-procedure",
        "no-exit-assistance",
        "no-independence-clause",
        "short-renewal-notice",
        "sla-without-variant",
        "claim-window-shorter-than-reporting",
        "pci-dss-missing",
        "missing-security-controls",
        "flex-exclusion-without-band",
        "missing-data-excused",
        "undeclared-one-time-fees",
        "pass-through-without-cap",
        "no-data-return-deletion",
        "no-breach-notification-deadline",
        "earn-back-unlimited",
    ] {
        assert!(ids.contains(must), "{must} missing from {ids:?}");
    }
    assert!(
        found
            .iter()
            .filter(|f| f.severity == Severity::High)
            .count()
            >= 10
    );
    // Sorted by severity, then line.
    for w in found.windows(2) {
        assert!(
            (w[0].severity, w[0].line) <= (w[1].severity, w[1].line),
            "{} before {}",
            w[0].rule_id,
            w[1].rule_id
        );
    }
}

#[test]
fn weak_draft_pricing_comparison() {
    let c = parse(WEAK);
    let cmp = compare_pricing(&c).unwrap();
    // 95,000 × 300 s + 20,000 × 420 s = 10,250 workload hours; / 80 % = 12,812.5 paid hours.
    assert_eq!(cmp.monthly_volume, 115_000);
    assert_eq!(cmp.workload_hours, dec("10250"));
    assert_eq!(cmp.paid_hours, dec("12812.5"));
    // × USD 11.50 = 147,343.75, raised to the 150,000 minimum commitment.
    assert_eq!(cmp.hourly_cost, dec("147343.75"));
    assert_eq!(cmp.hourly_model_cost, dec("150000.00"));
    assert_eq!(cmp.break_even_rate, dec("1.30"));
    // 115,000 × 1.05 = 120,750: per-contact is cheaper by 29,250 a month at every volume.
    assert_eq!(cmp.per_contact_cost, Some(dec("120750.00")));
    assert_eq!(cmp.monthly_saving_per_contact, Some(dec("29250.00")));
    assert!(cmp.per_contact_cheaper());
    assert_eq!(cmp.break_even_volume, None);
    let f = review(&c, Lang::En)
        .into_iter()
        .find(|f| f.rule_id == "hourly-pricing-high-volume")
        .unwrap();
    assert!(
        f.rationale.contains("USD 29,250.00 a month"),
        "{}",
        f.rationale
    );
    assert!(
        f.rationale.contains("USD 351,000.00 a year"),
        "{}",
        f.rationale
    );
}

#[test]
fn absurd_amounts_never_reach_review_and_the_largest_accepted_do_not_panic() {
    let absurd = WEAK.replace("rate = 11.50", "rate = 1e25").replace(
        "minimum_monthly_commitment = 150000",
        "minimum_monthly_commitment = 7e28",
    );
    let errors = parse_str(&absurd).expect_err("refused by check");
    assert_eq!(
        errors.iter().map(|e| e.code).collect::<Vec<_>>(),
        ["number-too-large", "number-too-large"]
    );
    let largest = WEAK
        .replace("rate = 11.50", "rate = 1000000000000000")
        .replace(
            "minimum_monthly_commitment = 150000",
            "minimum_monthly_commitment = 1000000000000000",
        );
    let c = parse(&largest);
    let _ = compare_pricing(&c);
    assert!(!review(&c, Lang::En).is_empty());
}

#[test]
fn bank_pricing_comparison_and_break_even_volume() {
    let c = parse(BANK);
    let cmp = compare_pricing(&c).unwrap();
    // Voice: (120,000 × 330 + 60,000 × 300) / 3600 / 0.85 = 18,823.53 h × 14.50;
    // chat: 40,000 × 540 / 3600 / 0.85 = 7,058.82 h × 13.75. Total 370,000.00.
    assert_eq!(cmp.monthly_volume, 220_000);
    assert_eq!(cmp.hourly_cost, dec("370000.00"));
    assert_eq!(cmp.break_even_rate, dec("1.68"));
    assert_eq!(cmp.per_contact_cost, Some(dec("682000.00")));
    assert!(!cmp.per_contact_cheaper());
    // Minimum 350,000 / 3.10 = 112,903.2 → per-contact only cheaper below 112,904 contacts.
    assert_eq!(cmp.break_even_volume, Some(112_904));
}

#[test]
fn bank_example_has_no_high_findings() {
    let c = parse(BANK);
    let found = review(&c, Lang::En);
    let high: Vec<_> = found
        .iter()
        .filter(|f| f.severity == Severity::High)
        .map(|f| f.rule_id)
        .collect();
    assert!(high.is_empty(), "{high:?}");
    snap!(insta::assert_snapshot!(
        "bank_en",
        to_markdown(&found, Lang::En)
    ));
}

#[test]
fn weak_draft_markdown_en() {
    let c = parse(WEAK);
    snap!(insta::assert_snapshot!(to_markdown(
        &review(&c, Lang::En),
        Lang::En
    )));
}

#[test]
fn weak_draft_markdown_es() {
    let c = parse(WEAK);
    snap!(insta::assert_snapshot!(to_markdown(
        &review(&c, Lang::Es),
        Lang::Es
    )));
}

#[test]
fn weak_draft_json() {
    let c = parse(WEAK);
    snap!(insta::assert_json_snapshot!(review(&c, Lang::En)));
}

#[test]
fn json_field_names_are_stable() {
    let c = parse(WEAK);
    let f = &review(&c, Lang::Es)[0];
    let v = serde_json::to_value(f).unwrap();
    let keys: BTreeSet<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        BTreeSet::from([
            "rule_id",
            "severity",
            "element",
            "title",
            "rationale",
            "fix",
            "snippet",
            "path",
            "line",
            "col",
            "clause_present",
        ])
    );
    assert_eq!(v["severity"], "high");
    let rules_json = serde_json::to_value(rules()).unwrap();
    assert_eq!(rules_json[0]["id"], rules()[0].id);
    assert!(rules_json[0].get("check").is_none());
}

#[test]
fn empty_report() {
    assert!(to_markdown(&[], Lang::Es).contains("Sin hallazgos"));
    assert!(to_markdown(&[], Lang::En).contains("No findings"));
}

#[test]
fn terminal_review_summarises_first_groups_and_shows_every_fix() {
    let c = parse(WEAK);
    for lang in [Lang::En, Lang::Es] {
        let findings = review(&c, lang);
        let text = pacta_review::to_text(&findings, "weak-draft.toml", lang, Some(100));
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines.iter().all(|l| l.chars().count() <= 100),
            "{lang:?}: a line passes 100 columns"
        );
        // The summary (counts per section and the high findings by name) fits one screen,
        // before the first detailed entry.
        let first_detail = lines
            .iter()
            .position(|l| l.starts_with("━━"))
            .expect("a severity heading");
        assert!(
            first_detail < 40,
            "{lang:?}: summary is {first_detail} lines"
        );
        let (fix_first, high_heading) = match lang {
            Lang::En => ("Fix first (high):", "━━ Severity high ━━"),
            Lang::Es => ("Corregir primero (alta):", "━━ Severidad alta ━━"),
        };
        assert!(lines[..first_detail].contains(&fix_first), "{lang:?}");
        assert_eq!(lines[first_detail], high_heading);
        // One rule on three SLAs is one entry naming the three.
        let variant = lines
            .iter()
            .filter(|l| l.contains("(sla-without-variant)"))
            .collect::<Vec<_>>();
        assert_eq!(variant.len(), 1, "{lang:?}: {variant:?}");
        assert!(
            variant[0].contains("`SL-VOZ`, `ASA-CHAT`, `CSAT`"),
            "{}",
            variant[0]
        );
        // A missing clause names the key and the table to add it to, never `column 1`.
        let add = match lang {
            Lang::En => "missing: add `variant` to [[sla]] `ASA-CHAT` (line 97)",
            Lang::Es => "falta: añada `variant` a [[sla]] `ASA-CHAT` (línea 97)",
        };
        assert!(text.contains(add), "{lang:?}: no `{add}`");
        assert!(
            !text.contains("column") && !text.contains("columna"),
            "{lang:?}"
        );
        // The TOML of each fix is in the terminal too.
        assert!(
            text.contains("      variant = \"exclude_short_abandons\""),
            "{lang:?}"
        );
        assert!(text.contains("      [disputes]"), "{lang:?}");
        // In the reader's words, not the spec's.
        for internal in ["Element ", "Elemento ", "seeds", "kpi-definitions"] {
            assert!(!text.contains(internal), "{lang:?}: `{internal}`");
        }
    }
}
