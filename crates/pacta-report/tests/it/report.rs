//! The report end to end: a generated month of the bank example settled, then rendered in
//! both languages and both formats.
#![allow(clippy::unwrap_used)]

use pacta_contract::{Contract, Lang};
use pacta_data::batch::InteractionBatch;
use pacta_gen::{GenOptions, generate};
use pacta_kpi::KpiInputs;
use pacta_report::charts::Step;
use pacta_report::view;
use pacta_settle::{MonthInputs, Settlement, settle_month};
use pacta_terms::credits::MonthRecord;
use pacta_terms::reconcile::VendorLine;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

pub(crate) fn bank() -> Contract {
    let text = include_str!("../../../../examples/bank-inbound-manila.toml");
    pacta_contract::parse_bytes(text.as_bytes()).unwrap()
}

fn settle(
    contract: &Contract,
    month: pacta_core::Month,
    history: &[MonthRecord],
    vendor: Option<&[VendorLine]>,
) -> Settlement {
    let g = generate(contract, &GenOptions::new(month, 6_000)).unwrap();
    let mut batch = InteractionBatch::new();
    for i in &g.interactions {
        // The generator writes pseudonyms as `c` + 16 hex digits; the store keeps the hex key.
        let mut i = i.clone();
        i.customer_key = i
            .customer_key
            .map(|k| k.trim_start_matches('c').to_string());
        batch.push_interaction(&i);
    }
    let table = batch.to_table();
    let data = KpiInputs {
        interactions: &table,
        surveys: &g.surveys,
        qa: &g.qa,
        roster: &g.roster,
        training: &g.training,
        agent_days: &g.agent_days,
        report_deliveries: &[],
        exclusion_marks: &[],
        exclusion_windows: &[],
        cells: None,
    };
    settle_month(
        contract,
        month,
        &MonthInputs {
            data,
            incidents: &g.incidents,
            history,
            vendor_invoice: vendor,
            agreed: &[],
        },
    )
    .unwrap()
}

/// September settled, then October with September in the history and a padded vendor invoice.
pub(crate) fn october() -> (Contract, Settlement, Vec<MonthRecord>) {
    let c = bank();
    let sep = settle(&c, ym(2026, 9), &[], None);
    let history = vec![sep.record.clone()];
    let plain = settle(&c, ym(2026, 10), &history, None);
    let mut vendor: Vec<VendorLine> = plain
        .invoice
        .lines
        .iter()
        .map(|l| VendorLine {
            item: l.item.clone(),
            quantity: l.quantity,
            rate: l.rate,
            amount: l.amount,
        })
        .collect();
    vendor.push(VendorLine {
        item: "platform-administration-fee".into(),
        quantity: dec!(1),
        rate: dec!(2500),
        amount: dec!(2500),
    });
    let oct = settle(&c, ym(2026, 10), &history, Some(&vendor));
    (c, oct, history)
}

#[test]
fn html_is_self_contained_with_every_chart_and_table() {
    let (c, s, history) = october();
    let html = pacta_report::html(&c, &s, &history, Lang::En).unwrap();
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.contains(r#"<html lang="en">"#));
    // Nothing fetched from the network: no scripts, stylesheets, images or fonts by URL.
    for needle in [
        "<script",
        "<link",
        "src=\"http",
        "href=\"http",
        "@import",
        "url(",
    ] {
        assert!(!html.contains(needle), "report references `{needle}`");
    }
    // One daily chart per critical or key SLA with data, plus volume, waterfall and history.
    let charted = s
        .slas
        .iter()
        .filter(|o| {
            o.class != pacta_contract::SlaClass::Tracked
                && o.daily.iter().any(|d| d.value.is_some())
        })
        .count();
    assert!(charted >= 2, "the bank example has several daily SLAs");
    // An interval SLA adds its day × interval heatmap.
    let heatmaps = s
        .slas
        .iter()
        .filter(|o| o.period == pacta_contract::PeriodKind::Interval)
        .count();
    assert_eq!(heatmaps, 1);
    assert_eq!(html.matches("<svg").count(), charted + heatmaps + 3);
    for o in &s.slas {
        assert!(
            html.contains(&format!("<strong>{}</strong>", o.sla_id)),
            "{} missing",
            o.sla_id
        );
    }
    for heading in [
        "SLA scorecard",
        "Service level by day against target",
        "Volume against the forecast band",
        "Credit waterfall",
        "Invoice implied by the contract and the data",
        "Reconciliation with the vendor&#x27;s invoice",
        "SLA scorecard history",
    ] {
        assert!(html.contains(heading), "missing section {heading}");
    }
    // The hidden charge shows up in the reconciliation with its amount.
    assert!(html.contains("platform-administration-fee"));
    assert!(html.contains("charge not allowed by the contract"));
    assert!(html.contains("2,500.00"));
    // The history has both settled months.
    assert!(html.contains(">Sep 26<") && html.contains(">Oct 26<"));
}

#[test]
fn spanish_report_translates_labels_and_numbers() {
    let (c, s, history) = october();
    let html = pacta_report::html(&c, &s, &history, Lang::Es).unwrap();
    assert!(html.contains(r#"<html lang="es">"#));
    assert!(html.contains("Informe de liquidación mensual — octubre de 2026"));
    assert!(html.contains("Cascada de créditos"));
    assert!(html.contains("cargo no permitido por el contrato"));
    assert!(
        html.contains("2.500,00"),
        "Spanish groups thousands with a point"
    );
    assert!(!html.contains("Credit waterfall"));
    let md = pacta_report::markdown(&c, &s, &history, Lang::Es).unwrap();
    assert!(md.starts_with("# Informe de liquidación mensual — octubre de 2026"));
}

#[test]
fn waterfall_runs_from_sla_credits_to_the_net() {
    let (c, s, _) = october();
    let bars = view::waterfall_bars(&s.credits, Lang::En, &|d: Decimal| d.to_string());
    let last = bars.last().unwrap();
    assert_eq!(last.step, Step::Total);
    let mut run = 0.0;
    for b in &bars[..bars.len() - 1] {
        run += if b.step == Step::Up {
            b.amount
        } else {
            -b.amount
        };
    }
    assert!(
        (run - last.amount).abs() < 1e-6,
        "bars sum to {run}, net is {}",
        last.amount
    );
    let net: f64 = s.credits.net_to_client().to_string().parse().unwrap();
    assert!((last.amount - net).abs() < 1e-9);
    let _ = c;
}

#[test]
fn contract_text_is_escaped() {
    let mut c = bank();
    c.doc.parties.provider.legal_name = "<script>alert(1)</script> & Co".into();
    let (_, s, history) = october();
    let html = pacta_report::html(&c, &s, &history, Lang::En).unwrap();
    assert!(!html.contains("<script>alert"));
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;"),
        "escaped provider name missing"
    );
}

#[test]
fn markdown_snapshot_en() {
    let (c, s, history) = october();
    insta::assert_snapshot!(pacta_report::markdown(&c, &s, &history, Lang::En).unwrap());
}

#[test]
fn markdown_snapshot_es() {
    let (c, s, history) = october();
    insta::assert_snapshot!(pacta_report::markdown(&c, &s, &history, Lang::Es).unwrap());
}

/// A month, for tests.
pub(crate) fn ym(year: i16, month: i8) -> pacta_core::Month {
    pacta_core::Month::new(year, month).expect("a valid month")
}

#[test]
fn reconciliation_differences_carry_their_units() {
    use pacta_terms::reconcile::{Discrepancy, DiscrepancyKind, Reconciliation};
    let (_, s, _) = october();
    let line = &s.invoice.lines[0];
    let r = Reconciliation {
        discrepancies: vec![
            Discrepancy {
                item: line.item.clone(),
                kind: DiscrepancyKind::Quantity,
                expected: Some(dec!(1000)),
                invoiced: Some(dec!(1012.5)),
                difference: dec!(131.25),
            },
            Discrepancy {
                item: "hidden-fee".into(),
                kind: DiscrepancyKind::NotAllowed,
                expected: None,
                invoiced: Some(dec!(2500)),
                difference: dec!(2500),
            },
        ],
        invoiced_total: dec!(1),
        expected_total: dec!(1),
        difference: dec!(2631.25),
    };
    let en = view::reconciliation_view(&r, &s.invoice, "USD", 2, Lang::En);
    let q = &en.discrepancies[0];
    // The bank's first line is billed per productive hour: quantities read in hours.
    assert_eq!(line.unit, "productive hour");
    assert_eq!(q.expected_with_unit, "1,000 productive hours");
    assert_eq!(q.invoiced_with_unit, "1,012.5 productive hours");
    assert_eq!(
        q.quantity_difference.as_deref(),
        Some("+12.5 productive hours")
    );
    assert_eq!(q.money_difference, "+131.25 USD");
    let hidden = &en.discrepancies[1];
    assert_eq!(hidden.expected_with_unit, "—");
    assert_eq!(hidden.invoiced_with_unit, "2,500.00 USD");
    assert_eq!(hidden.quantity_difference, None);
    let es = view::reconciliation_view(&r, &s.invoice, "USD", 2, Lang::Es);
    assert_eq!(es.discrepancies[0].money_difference, "+131,25 USD");
    assert_eq!(
        es.discrepancies[0].quantity_difference.as_deref(),
        Some("+12,5 horas productivas")
    );
    assert_eq!(es.discrepancies[1].invoiced_with_unit, "2.500,00 USD");
}
