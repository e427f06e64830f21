//! Lowering to SQL: the text never carries a user's string, each dialect's SQL is pinned, and
//! counters an engine returns go through the same aggregation and formulas as the local scan.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::{Row, at, contract, table};
use pacta_contract::SlaParams;
use pacta_kpi::lower::{Dialect, LowerOptions, QueryRows, SqlValue, decode, lower};
use pacta_kpi::{
    CellPlan, CellSource, ExclusionWindow, ExternalCells, KpiError, KpiInputs, KpiRequest,
    cell_plan, compute,
};

const HOURS: &str = r#"
[[calendar.hours]]
days = ["mon", "tue", "wed", "thu", "fri"]
open = "08:00"
close = "18:00"
"#;

/// A disposition no SQL text may ever contain.
const HOSTILE: &str = "sale'); DROP TABLE pacta_month; --";

fn slas() -> String {
    format!(
        r#"
[[sla]]
id = "sl"
name = "Service level"
metric = "service_level"
variant = "exclude_short_abandons"
params = {{ threshold_s = 20, short_abandon_s = 5 }}
scope = {{ services = ["voice"] }}
period = "month"
class = "key"
targets = [{{ effective_from = 2026-01-01, expected = 80 }}]

[[sla]]
id = "fcr"
name = "FCR"
metric = "fcr"
variant = "repeat_contact"
params = {{ window_days = 7, match_key = "customer_key", repeat_scope = "same_queue" }}
period = "month"
class = "key"
targets = [{{ effective_from = 2026-01-01, expected = 80 }}]

[[sla]]
id = "mail"
name = "Mail"
metric = "response_time"
variant = "within_hours"
params = {{ response_hours = 4, clock = "business" }}
scope = {{ services = ["mail"] }}
period = "month"
class = "key"
targets = [{{ effective_from = 2026-01-01, expected = 80 }}]

[[sla]]
id = "sales"
name = "Sales"
metric = "sales"
variant = "count"
params = {{ disposition = "{}" }}
period = "month"
class = "key"
targets = [{{ effective_from = 2026-01-01, expected = 80 }}]
"#,
        HOSTILE.replace('"', "\\\"")
    )
}

fn plan(windows: &[ExclusionWindow]) -> CellPlan {
    let c = contract("America/Bogota", HOURS, &slas());
    let requests: Vec<KpiRequest> = c.slas().iter().map(KpiRequest::for_sla).collect();
    cell_plan(&c, ym(2026, 3), &requests, windows)
        .unwrap()
        .expect("interaction SLAs")
}

fn ym(year: i16, month: i8) -> pacta_core::Month {
    pacta_core::Month::new(year, month).unwrap()
}

fn lowered_sql(dialect: Dialect) -> String {
    let window = ExclusionWindow {
        bit: 1,
        start_ms: 1_773_000_000_000,
        end_ms: 1_773_003_600_000,
        queues: vec!["q1".into()],
    };
    let l = lower(
        &plan(&[window]),
        LowerOptions {
            dialect,
            next_month_before_ms: Some(1_775_600_000_000),
        },
    )
    .unwrap();
    l.queries
        .iter()
        .map(|q| format!("-- {}\n{}\n", q.name, q.sql))
        .collect()
}

#[test]
fn dialects_are_pinned_and_no_user_string_reaches_the_sql() {
    for dialect in [
        Dialect::DataFusion,
        Dialect::Ballista,
        Dialect::Spark,
        Dialect::DuckDb,
    ] {
        let sql = lowered_sql(dialect);
        assert!(!sql.contains("DROP"), "{dialect:?}");
        assert!(
            !sql.contains("q1"),
            "{dialect:?}: the window's queue travels in a table"
        );
        insta::assert_snapshot!(format!("lowered_{}", dialect.as_str()), sql);
    }
    // The disposition and the window's queue travel in dimension tables instead.
    let window = ExclusionWindow {
        bit: 1,
        start_ms: 0,
        end_ms: 1,
        queues: vec!["q1".into()],
    };
    let l = lower(
        &plan(&[window]),
        LowerOptions {
            dialect: Dialect::DataFusion,
            next_month_before_ms: None,
        },
    )
    .unwrap();
    let names: Vec<&str> = l.dims.iter().map(|d| d.name).collect();
    assert_eq!(
        names,
        [
            "pacta_channels",
            "pacta_outcomes",
            "pacta_bucket_hours",
            "pacta_open_hours",
            "pacta_open",
            "pacta_dispositions",
            "pacta_exclusions"
        ]
    );
    let disps = format!("{:?}", l.dims[5].columns);
    assert!(
        disps.contains("sale'); drop table pacta_month; --"),
        "{disps}"
    );
    assert!(!l.queries.iter().any(|q| q.sql.contains("pacta_next")));
}

/// An engine that answers with fixed rows.
#[derive(Debug)]
struct Answers(Vec<QueryRows>);

impl CellSource for Answers {
    fn cells(&self, plan: &CellPlan) -> Result<ExternalCells, KpiError> {
        decode(plan, &self.0)
    }
}

fn int(v: i64) -> SqlValue {
    SqlValue::Int(v)
}

fn text(v: &str) -> SqlValue {
    SqlValue::Text(v.into())
}

#[test]
fn engine_counters_go_through_the_local_formulas() {
    let tz = "UTC";
    let c = contract(tz, "", "");
    let sl = KpiRequest::parse(
        "sl",
        "service_level",
        Some("exclude_short_abandons"),
        SlaParams {
            threshold_s: Some(20),
            short_abandon_s: Some(5),
            ..SlaParams::default()
        },
    )
    .unwrap();
    let max = KpiRequest::parse("max", "max_wait", Some("default"), SlaParams::default()).unwrap();
    let p90 = KpiRequest::parse(
        "p90",
        "wait_p90",
        Some("nearest_rank"),
        SlaParams::default(),
    )
    .unwrap();
    let requests = [sl, max, p90];
    // Thresholds 5 s and 20 s: counters 18/19 are A≤5/Ab≤5, 20/21 are A≤20/Ab≤20.
    let key = ["ch", "q", "s", "l", "x", "outside", "bucket"];
    let columns = |counters: &[&str]| -> Vec<String> {
        key.iter().chain(counters).map(|c| c.to_string()).collect()
    };
    let cell = |q: &str, counts: &[i64]| -> Vec<SqlValue> {
        let mut row = vec![
            int(0),
            text(q),
            SqlValue::Null,
            SqlValue::Null,
            int(0),
            int(0),
            int(0),
        ];
        row.extend(counts.iter().map(|&v| int(v)));
        row
    };
    let answers = Answers(vec![
        QueryRows {
            name: "summary".into(),
            columns: vec!["row_count".into(), "invalid".into()],
            rows: vec![vec![int(15), SqlValue::Null]],
        },
        // One cell in two parts: counts add up, the maximum wait is a maximum.
        QueryRows {
            name: "counts".into(),
            columns: columns(&[
                "c0", "c1", "c4", "c5", "c6", "c8", "c9", "c10", "c11", "c16", "c18", "c19", "c20",
                "c21",
            ]),
            rows: vec![
                cell(
                    "q1",
                    &[
                        6, 1, 6, 76_000, 40_000, 6, 1_200_000, 120_000, 180_000, 6, 2, 1, 5, 1,
                    ],
                ),
                cell(
                    "q1",
                    &[
                        4, 1, 4, 70_000, 25_000, 4, 800_000, 80_000, 120_000, 4, 0, 0, 3, 0,
                    ],
                ),
            ],
        },
        // Percentiles travel as each cell's exact distribution of answered waits.
        QueryRows {
            name: "waits".into(),
            columns: columns(&["wait", "n"]),
            rows: [
                (3_000, 2),
                (10_000, 3),
                (15_000, 3),
                (25_000, 1),
                (40_000, 1),
            ]
            .iter()
            .map(|&(w, n)| cell("q1", &[w, n]))
            .collect(),
        },
    ]);
    let empty = pacta_data::model::InteractionTable::default();
    let data = KpiInputs {
        cells: Some(&answers),
        ..KpiInputs::new(&empty)
    };
    let rep = compute(&c, ym(2026, 3), &data, &requests, &[]).unwrap();
    let sl = rep.single("sl").unwrap();
    // A≤20 / (A + Ab − Ab≤5) = 8 / (10 + 2 − 1).
    assert_eq!(sl.value, Some(8.0 / 11.0 * 100.0));
    assert_eq!(rep.single("max").unwrap().value, Some(40.0));
    // Rank ⌈0.9 × 10⌉ = 9 of 3, 3, 10, 10, 10, 15, 15, 15, 25, 40.
    assert_eq!(rep.single("p90").unwrap().value, Some(25.0));
    assert_eq!(rep.scan.rows, 15);
    assert_eq!(rep.scan.rows_in_periods, 12);

    // The same rows counted locally give the same report.
    let t0 = at(tz, "2026-03-02T10:00:00");
    let mut rows = Vec::new();
    for (wait, n) in [(3, 2), (10, 3), (15, 3), (25, 1), (40, 1)] {
        rows.extend((0..n).map(|_| Row::answered(t0, wait)));
    }
    rows.push(Row::abandoned(t0, 2));
    rows.push(Row::abandoned(t0, 30));
    rows.extend((0..3).map(|_| Row::answered(at(tz, "2026-04-02T10:00:00"), 1)));
    let t = table(&rows);
    let local = compute(&c, ym(2026, 3), &KpiInputs::new(&t), &requests, &[]).unwrap();
    assert_eq!(local.results, rep.results);
    assert_eq!(local.scan, rep.scan);
}

#[test]
fn bad_answers_are_named() {
    let plan = plan(&[]);
    let summary = QueryRows {
        name: "summary".into(),
        columns: vec!["row_count".into(), "invalid".into()],
        rows: vec![vec![int(1), int(0)]],
    };
    let counts = |row: Vec<SqlValue>| QueryRows {
        name: "counts".into(),
        columns: ["ch", "q", "s", "l", "x", "outside", "bucket", "c0"]
            .map(String::from)
            .to_vec(),
        rows: vec![row],
    };
    let ok = vec![
        int(0),
        text("q1"),
        SqlValue::Null,
        SqlValue::Null,
        int(0),
        int(1),
        int(0),
        int(3),
    ];
    assert_eq!(
        decode(&plan, &[summary.clone(), counts(ok.clone())])
            .unwrap()
            .cells
            .len(),
        1
    );
    let mut null_queue = ok.clone();
    null_queue[1] = SqlValue::Null;
    let e = decode(&plan, &[summary.clone(), counts(null_queue)]).unwrap_err();
    assert!(e.to_string().contains("query `counts`: NULL queue"), "{e}");
    let mut negative = ok.clone();
    negative[7] = int(-1);
    let e = decode(&plan, &[summary.clone(), counts(negative)]).unwrap_err();
    assert!(e.to_string().contains("negative count -1"), "{e}");
    let e = decode(&plan, &[counts(ok)]).unwrap_err();
    assert!(e.to_string().contains("no `summary` answer"), "{e}");
    // More waits than rows cannot be: refused before anything is allocated for them.
    let waits = QueryRows {
        name: "waits".into(),
        columns: ["ch", "q", "s", "l", "x", "outside", "bucket", "wait", "n"]
            .map(String::from)
            .to_vec(),
        rows: vec![vec![
            int(0),
            text("q1"),
            SqlValue::Null,
            SqlValue::Null,
            int(0),
            int(0),
            int(0),
            int(1_000),
            int(i64::MAX),
        ]],
    };
    let empty = pacta_data::model::InteractionTable::default();
    let answers = Answers(vec![summary, waits]);
    let c = contract("UTC", "", "");
    let p90 = KpiRequest::parse(
        "p90",
        "wait_p90",
        Some("nearest_rank"),
        SlaParams::default(),
    )
    .unwrap();
    let data = KpiInputs {
        cells: Some(&answers),
        ..KpiInputs::new(&empty)
    };
    let e = compute(&c, ym(2026, 3), &data, &[p90], &[]).unwrap_err();
    assert!(e.to_string().contains("answered waits for 1 rows"), "{e}");
}
