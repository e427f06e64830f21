//! Every rule fires on an edit of the clean base fixture, and does not fire on the base (or
//! on edits just inside its threshold).

#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use pacta_contract::{Lang, parse_str};
use pacta_review::{Finding, review, rules};

const BASE: &str = include_str!("../fixtures/base.toml");

/// An edit of the base fixture, by path (`a.b[2].c`).
#[derive(Clone, Copy)]
enum Edit {
    /// Set a value, written as TOML.
    Set(&'static str, &'static str),
    /// Remove a key or an array element.
    Rm(&'static str),
}
use Edit::{Rm, Set};

enum Seg {
    Key(String),
    Index(usize),
}

fn segs(path: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        out.push(Seg::Key(key.to_string()));
        for idx in rest.split('[') {
            let idx = idx.trim_end_matches(']');
            if !idx.is_empty() {
                out.push(Seg::Index(idx.parse().unwrap()));
            }
        }
    }
    out
}

fn child<'a>(v: &'a mut toml::Value, seg: &Seg) -> &'a mut toml::Value {
    match seg {
        Seg::Key(k) => v
            .as_table_mut()
            .unwrap()
            .entry(k.clone())
            .or_insert_with(|| toml::Value::Table(toml::Table::new())),
        Seg::Index(i) => &mut v.as_array_mut().unwrap()[*i],
    }
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut root = toml::Value::Table(toml::from_str::<toml::Table>(text).unwrap());
    for e in edits {
        let (path, value) = match *e {
            Set(p, v) => (p, Some(v)),
            Rm(p) => (p, None),
        };
        let s = segs(path);
        let (last, parents) = s.split_last().unwrap();
        let mut node = &mut root;
        for seg in parents {
            node = child(node, seg);
        }
        match (last, value) {
            (Seg::Key(k), Some(v)) => {
                let parsed: toml::Table = toml::from_str(&format!("v = {v}")).unwrap();
                node.as_table_mut()
                    .unwrap()
                    .insert(k.clone(), parsed["v"].clone());
            }
            (Seg::Key(k), None) => {
                assert!(
                    node.as_table_mut().unwrap().remove(k).is_some(),
                    "nothing to remove at {path}"
                );
            }
            (Seg::Index(i), None) => {
                node.as_array_mut().unwrap().remove(*i);
            }
            (Seg::Index(i), Some(v)) => {
                let parsed: toml::Table = toml::from_str(&format!("v = {v}")).unwrap();
                node.as_array_mut().unwrap()[*i] = parsed["v"].clone();
            }
        }
    }
    toml::to_string(&root).unwrap()
}

fn findings(edits: &[Edit], lang: Lang) -> Vec<Finding> {
    let text = apply(BASE, edits);
    let contract = parse_str(&text).unwrap_or_else(|e| {
        panic!(
            "edited fixture is not valid: {:?}\n{text}",
            e.iter().map(|e| e.code).collect::<Vec<_>>()
        )
    });
    review(&contract, lang)
}

const NO_SLA_CREDITS: [Edit; 6] = [
    Set("sla[0].class", "\"key\""),
    Rm("sla[0].allocation_percent"),
    Set("sla[1].class", "\"key\""),
    Rm("sla[1].allocation_percent"),
    Set("sla[2].class", "\"key\""),
    Rm("sla[2].allocation_percent"),
];

const HOURLY_VOICE: [Edit; 2] = [
    Set("pricing.components[0].unit", "\"productive_hour\""),
    Set("pricing.components[0].rate", "12"),
];

/// Each rule id with edits that make it fire.
fn triggers() -> Vec<(&'static str, Vec<Edit>)> {
    let v = |e: &[Edit]| e.to_vec();
    let hourly = |r: &'static str| {
        let mut e = HOURLY_VOICE.to_vec();
        e.push(Set("pricing.reference_per_contact_rate", r));
        e
    };
    let mut no_credits = NO_SLA_CREDITS.to_vec();
    no_credits.push(Rm("credits"));
    let mut no_critical = NO_SLA_CREDITS.to_vec();
    no_critical.push(Rm("credits.chronic"));
    vec![
        (
            "no-independence-clause",
            v(&[Set("legal.independence", "false")]),
        ),
        (
            "short-renewal-notice",
            v(&[Set("contract.renewal.notice_days", "30")]),
        ),
        ("no-governing-law", v(&[Rm("contract.governing_law")])),
        (
            "target-change-without-change-ref",
            v(&[Rm("sla[0].targets[1].change_ref")]),
        ),
        (
            "no-flex-band",
            v(&[
                Rm("scope.flex_band_percent"),
                Set("sla[0].exclusions", "[\"accepted_relief\"]"),
            ]),
        ),
        ("no-forecast-obligation", v(&[Rm("scope.forecast")])),
        (
            "late-forecast-unaddressed",
            v(&[
                Set("scope.forecast.late_forecast_excuses_misses", "false"),
                Set("sla[0].exclusions", "[\"accepted_relief\"]"),
            ]),
        ),
        ("no-hours-of-operation", v(&[Rm("calendar.hours")])),
        ("no-holiday-calendar", v(&[Rm("calendar.holidays")])),
        (
            "responsibilities-not-listed",
            v(&[Rm("scope.provider_responsibilities")]),
        ),
        ("sla-without-variant", v(&[Rm("sla[0].variant")])),
        ("sla-without-period", v(&[Rm("sla[0].period")])),
        ("sla-without-data-source", v(&[Rm("sla[1].data_source")])),
        (
            "missing-data-excused",
            v(&[Set("sla[0].missing_data", "\"excused\"")]),
        ),
        ("no-critical-sla", no_critical),
        ("no-abandonment-sla", v(&[Rm("sla[1]")])),
        (
            "flex-exclusion-without-band",
            v(&[Rm("scope.flex_band_percent")]),
        ),
        (
            "chronic-trigger-without-minimum",
            v(&[Rm("sla[2].targets[0].minimum")]),
        ),
        (
            "force-majeure-exclusion-undefined",
            v(&[
                Set("sla[0].exclusions", "[\"force_majeure\"]"),
                Set("legal.force_majeure", "false"),
            ]),
        ),
        ("no-service-credits", no_credits),
        (
            "sole-remedy-low-cap",
            v(&[Set("credits.sole_remedy", "true")]),
        ),
        ("no-chronic-failure-trigger", v(&[Rm("credits.chronic")])),
        (
            "earn-back-unlimited",
            v(&[Rm("credits.earn_back.max_per_year")]),
        ),
        (
            "credit-caps-not-stated",
            v(&[Rm("credits.rolling_cap_percent")]),
        ),
        (
            "no-claim-window",
            v(&[
                Rm("credits.claim_window_days"),
                Set("credits.automatic", "false"),
            ]),
        ),
        (
            "credits-not-automatic",
            v(&[Set("credits.automatic", "false")]),
        ),
        (
            "claim-window-shorter-than-reporting",
            v(&[Set("credits.claim_window_days", "4")]),
        ),
        (
            "pool-underallocated",
            v(&[
                Set("sla[0].allocation_percent", "30"),
                Set("sla[1].allocation_percent", "30"),
                Set("sla[2].allocation_percent", "30"),
            ]),
        ),
        (
            "allocation-concentrated",
            v(&[
                Set("sla[0].allocation_percent", "80"),
                Set("sla[1].allocation_percent", "35"),
                Set("sla[2].allocation_percent", "35"),
            ]),
        ),
        (
            "critical-sla-without-credit",
            v(&[Rm("sla[2].allocation_percent")]),
        ),
        ("no-pricing", v(&[Rm("pricing")])),
        (
            "undeclared-one-time-fees",
            v(&[Set("pricing.declared_items_only", "false")]),
        ),
        (
            "pass-through-without-cap",
            v(&[Rm("pricing.pass_through[0].monthly_cap")]),
        ),
        (
            "pass-through-without-receipts",
            v(&[Set("pricing.pass_through[0].receipts_required", "false")]),
        ),
        ("hourly-pricing-high-volume", hourly("1.00")),
        ("pricing-break-even", hourly("1.50")),
        ("no-payment-terms", v(&[Rm("pricing.payment")])),
        (
            "late-payment-interest-unbounded",
            v(&[Set("pricing.payment.late_interest_percent_per_year", "24")]),
        ),
        (
            "no-indexation-cap",
            v(&[Rm("pricing.indexation.cap_percent")]),
        ),
        (
            "minimum-commitment-above-forecast",
            v(&[Set("pricing.minimum_monthly_commitment", "250000")]),
        ),
        (
            "invoice-without-supporting-data",
            v(&[Set("pricing.payment.supporting_data_required", "false")]),
        ),
        (
            "no-attrition-cap",
            v(&[Rm("people.max_monthly_attrition_percent")]),
        ),
        (
            "no-training-commitment",
            v(&[Rm("people.ongoing_training_hours_per_month")]),
        ),
        ("no-key-personnel", v(&[Rm("people.key_personnel")])),
        (
            "no-background-checks",
            v(&[Set("people.background_checks", "false")]),
        ),
        ("no-data-protection-terms", v(&[Rm("data_protection")])),
        (
            "no-breach-notification-deadline",
            v(&[Set("data_protection.breach_notice_hours", "96")]),
        ),
        (
            "no-purpose-limitation",
            v(&[Set("data_protection.purpose_limited", "false")]),
        ),
        (
            "data-location-unstated",
            v(&[Rm("data_protection.locations")]),
        ),
        (
            "no-retention-period",
            v(&[Rm("data_protection.retention_days")]),
        ),
        (
            "no-ip-ownership",
            v(&[Set("data_protection.ip_owner", "\"provider\"")]),
        ),
        (
            "no-nda-survival",
            v(&[Rm("data_protection.nda_survival_years")]),
        ),
        ("no-data-protection-law", v(&[Rm("data_protection.laws")])),
        (
            "missing-security-controls",
            v(&[Set("security.controls", "[\"firewall\", \"antivirus\"]")]),
        ),
        (
            "pci-dss-missing",
            v(&[Set("security.handles_card_payments", "true")]),
        ),
        ("no-iso-27001", v(&[Set("security.certifications", "[]")])),
        ("no-business-continuity", v(&[Rm("facilities.continuity")])),
        (
            "subcontracting-without-consent",
            v(&[Set("legal.subcontracting_requires_consent", "false")]),
        ),
        ("no-sla-reports", v(&[Rm("quality.reports")])),
        (
            "no-interval-reporting",
            v(&[Set("quality.reports[0].granularity", "\"month\"")]),
        ),
        ("no-quality-function", v(&[Rm("quality.calibration")])),
        (
            "no-monitoring-rights",
            v(&[Set("quality.monitoring_rights", "false")]),
        ),
        ("no-audit-rights", v(&[Rm("governance.audit")])),
        ("no-governance-meetings", v(&[Rm("governance.meetings")])),
        ("no-pilot", v(&[Rm("governance.pilot")])),
        ("no-dispute-procedure", v(&[Rm("disputes")])),
        (
            "dispute-steps-without-time-limits",
            v(&[Rm("disputes.steps[0].days")]),
        ),
        ("dispute-no-final-forum", v(&[Rm("disputes.steps[2].seat")])),
        (
            "weak-liability-cap",
            v(&[Set("liability.cap_months_of_fees", "3")]),
        ),
        (
            "data-breach-liability-capped",
            v(&[Set("liability.uncapped", "[\"gross negligence\"]")]),
        ),
        ("no-insurance", v(&[Rm("liability.insurance")])),
        (
            "no-termination-for-chronic-failure",
            v(&[
                Set("termination.chronic_sla_failure", "false"),
                Set("credits.chronic[0].remedy", "\"remediation_plan\""),
            ]),
        ),
        (
            "no-termination-for-convenience",
            v(&[Rm("termination.convenience_notice_days")]),
        ),
        ("no-exit-assistance", v(&[Rm("exit.assistance_months")])),
        (
            "no-data-return-deletion",
            v(&[Set("exit.data_deletion", "false")]),
        ),
    ]
}

/// Edits just inside a rule's threshold, or that another rule covers: the rule must not fire.
fn non_triggers() -> Vec<(&'static str, Vec<Edit>)> {
    let v = |e: &[Edit]| e.to_vec();
    let mut hourly_cheaper = HOURLY_VOICE.to_vec();
    hourly_cheaper.push(Set("pricing.reference_per_contact_rate", "1.50"));
    let mut per_contact_cheaper = HOURLY_VOICE.to_vec();
    per_contact_cheaper.push(Set("pricing.reference_per_contact_rate", "1.00"));
    vec![
        (
            "short-renewal-notice",
            v(&[Set("contract.renewal.notice_days", "60")]),
        ),
        (
            "short-renewal-notice",
            v(&[
                Set("contract.renewal.automatic", "false"),
                Set("contract.renewal.notice_days", "10"),
            ]),
        ),
        (
            "sole-remedy-low-cap",
            v(&[
                Set("credits.sole_remedy", "true"),
                Set("credits.at_risk_percent", "15"),
                Set("credits.monthly_cap_percent", "15"),
            ]),
        ),
        (
            "no-breach-notification-deadline",
            v(&[Set("data_protection.breach_notice_hours", "72")]),
        ),
        (
            "claim-window-shorter-than-reporting",
            v(&[Set("credits.claim_window_days", "5")]),
        ),
        (
            "allocation-concentrated",
            v(&[
                Set("sla[0].allocation_percent", "75"),
                Set("sla[1].allocation_percent", "40"),
                Set("sla[2].allocation_percent", "35"),
            ]),
        ),
        (
            "pool-underallocated",
            v(&[
                Set("sla[0].allocation_percent", "40"),
                Set("sla[1].allocation_percent", "30"),
                Set("sla[2].allocation_percent", "30"),
            ]),
        ),
        (
            "weak-liability-cap",
            v(&[Set("liability.cap_months_of_fees", "6")]),
        ),
        (
            "late-payment-interest-unbounded",
            v(&[Set("pricing.payment.late_interest_percent_per_year", "18")]),
        ),
        (
            "no-abandonment-sla",
            v(&[
                Rm("sla[1]"),
                Set("sla[0].scope", "{ services = [\"chat\"] }"),
            ]),
        ),
        (
            "sla-without-variant",
            v(&[
                Set("sla[3].metric", "\"max_wait\""),
                Rm("sla[3].variant"),
                Rm("sla[3].params"),
                Set(
                    "sla[3].targets",
                    "[{ effective_from = 2026-01-01, expected = 120 }]",
                ),
            ]),
        ),
        ("hourly-pricing-high-volume", hourly_cheaper),
        ("pricing-break-even", per_contact_cheaper),
        (
            "minimum-commitment-above-forecast",
            v(&[Set("pricing.minimum_monthly_commitment", "196000")]),
        ),
        ("no-flex-band", v(&[Rm("scope.flex_band_percent")])),
        (
            "undeclared-one-time-fees",
            v(&[
                Set("pricing.declared_items_only", "false"),
                Set(
                    "pricing.one_time_fees",
                    "[{ id = \"setup\", kind = \"setup\", amount = 0 }, \
                     { id = \"training\", kind = \"initial_training\", amount = 0 }]",
                ),
            ]),
        ),
        (
            "no-termination-for-chronic-failure",
            v(&[Set("termination.chronic_sla_failure", "false")]),
        ),
        ("no-claim-window", v(&[Rm("credits.claim_window_days")])),
        (
            "data-breach-liability-capped",
            v(&[Set(
                "liability.uncapped",
                "[\"Protección de datos personales\"]",
            )]),
        ),
        (
            "chronic-trigger-without-minimum",
            v(&[
                Rm("sla[2].targets[0].minimum"),
                Set("credits.chronic[0].slas", "[\"SL-VOICE\"]"),
            ]),
        ),
    ]
}

#[test]
fn the_base_fixture_is_clean() {
    let contract = parse_str(BASE).unwrap();
    let found = review(&contract, Lang::En);
    assert!(
        found.is_empty(),
        "{:#?}",
        found
            .iter()
            .map(|f| (f.rule_id, &f.rationale))
            .collect::<Vec<_>>()
    );
}

#[test]
fn every_rule_fires_on_its_edit() {
    for (id, edits) in triggers() {
        assert!(pacta_review::rule(id).is_some(), "unknown rule {id}");
        for lang in [Lang::En, Lang::Es] {
            let found = findings(&edits, lang);
            let hit = found.iter().find(|f| f.rule_id == id).unwrap_or_else(|| {
                panic!(
                    "{id} did not fire; got {:?}",
                    found.iter().map(|f| f.rule_id).collect::<Vec<_>>()
                )
            });
            assert!(hit.line >= 1 && hit.col >= 1, "{id}");
            assert!(!hit.title.contains("{s}"), "{id}: {}", hit.title);
            assert!(!hit.fix.contains("{s}"), "{id}: {}", hit.fix);
            assert!(!hit.rationale.is_empty() && !hit.fix.is_empty(), "{id}");
        }
    }
}

#[test]
fn every_rule_has_a_trigger_case() {
    let covered: BTreeSet<&str> = triggers().iter().map(|(id, _)| *id).collect();
    let missing: Vec<&str> = rules()
        .iter()
        .map(|r| r.id)
        .filter(|id| !covered.contains(id))
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a trigger test: {missing:?}"
    );
}

#[test]
fn rules_do_not_fire_inside_their_thresholds() {
    for (id, edits) in non_triggers() {
        assert!(pacta_review::rule(id).is_some(), "unknown rule {id}");
        let found = findings(&edits, Lang::En);
        assert!(
            !found.iter().any(|f| f.rule_id == id),
            "{id} fired on a non-trigger edit: {:?}",
            found.iter().find(|f| f.rule_id == id)
        );
    }
}

#[test]
fn missing_section_points_at_the_contract_header() {
    let found = findings(&[Rm("disputes")], Lang::En);
    let f = found
        .iter()
        .find(|f| f.rule_id == "no-dispute-procedure")
        .unwrap();
    assert!(!f.clause_present);
    assert_eq!(f.path.to_string(), "disputes.steps");
    // The edited text is re-serialized; the [contract] table comes first.
    let text = apply(BASE, &[Rm("disputes")]);
    let header = text.lines().position(|l| l.trim() == "[contract]").unwrap() + 1;
    assert_eq!((f.line, f.col), (header, 1));
}

#[test]
fn present_clause_points_at_its_value() {
    let text = BASE.replace("notice_days = 120", "notice_days = 30");
    let contract = parse_str(&text).unwrap();
    let found = review(&contract, Lang::En);
    let f = found
        .iter()
        .find(|f| f.rule_id == "short-renewal-notice")
        .unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("notice_days = 30"))
        .unwrap()
        + 1;
    assert_eq!((f.line, f.col), (line, 15));
    assert!(f.clause_present);
    assert!(f.rationale.contains("30 days"));
}

#[test]
fn missing_key_points_at_its_table() {
    let text = BASE.replace("variant = \"exclude_short_abandons\"\n", "");
    let contract = parse_str(&text).unwrap();
    let found = review(&contract, Lang::Es);
    let f = found
        .iter()
        .find(|f| f.rule_id == "sla-without-variant")
        .unwrap();
    assert!(!f.clause_present);
    assert_eq!(f.path.to_string(), "sla[0].variant");
    assert_eq!(
        f.title,
        "El SLA `SL-VOICE` no indica la variante de fórmula"
    );
    let sla_line = text.lines().position(|l| l == "[[sla]]").unwrap() + 1;
    assert_eq!(f.line, sla_line);
    assert!(f.rationale.contains("`exclude_short_abandons`"));
}
