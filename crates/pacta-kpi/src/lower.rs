//! Lowering a [`CellPlan`] to SQL that any engine with a Parquet reader can run, and reading
//! its answer back as [`ExternalCells`].
//!
//! The SQL counts exactly the cells the local scan counts. Everything that depends on the
//! contract (period bounds cut in its time zone, hours of operation and holidays, exclusion
//! windows, dispositions of interest) travels in **dimension tables** that pacta builds; the
//! SQL text holds only integers pacta computed and the names of tables and columns, never a
//! string a user wrote. One query per metric family (`summary`, `counts`, `response`, one
//! `repeat_<n>` per FCR configuration); each returns rows keyed by the cell (channel, queue,
//! site, language, mark, outside, bucket) with counter columns named `c<index>`.
//!
//! The tables an engine must provide:
//! - `pacta_month`: the month's interaction files, from the store's manifest (never a
//!   directory listing, which would read files no snapshot lists);
//! - `pacta_next`: the next month's files when the plan reads past the month end (FCR);
//! - the dimension tables of [`Lowered::dims`].
//!
//! Rules every dialect keeps (each engine differs on them by default): instants become epoch
//! milliseconds and are never converted between zones; division is integer division; no
//! engine percentile or approximate aggregate is used; only integers and strings come back.

use crate::KpiError;
use crate::cells::{CellPlan, ExternalCell, ExternalCells};
use crate::layout;
use pacta_contract::measure::RepeatScope;
use pacta_data::model::Outcome;

/// The SQL dialect to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Apache DataFusion, in one process.
    DataFusion,
    /// Apache Ballista: DataFusion's SQL, planned for stages that shuffle rows between
    /// executors (see `key_text`).
    Ballista,
    /// Apache Spark SQL.
    Spark,
    /// DuckDB.
    DuckDb,
}

impl Dialect {
    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::DataFusion => "datafusion",
            Dialect::Ballista => "ballista",
            Dialect::Spark => "spark",
            Dialect::DuckDb => "duckdb",
        }
    }

    fn epoch_ms(self, column: &str) -> String {
        match self {
            Dialect::DataFusion | Dialect::Ballista => format!("CAST({column} AS BIGINT)"),
            Dialect::Spark => format!("unix_millis({column})"),
            Dialect::DuckDb => format!("epoch_ms({column})"),
        }
    }

    fn int_div(self, a: &str, b: i64) -> String {
        match self {
            Dialect::DataFusion | Dialect::Ballista => format!("({a} / {b})"),
            Dialect::Spark => format!("({a} DIV {b})"),
            Dialect::DuckDb => format!("({a} // {b})"),
        }
    }

    /// A queue, site or language column as the cell key carries it. DataFusion in one
    /// process keeps the stored dictionary encoding: on the 10M month its FCR window took
    /// 24 s, and 46 s on text. Ballista casts to text: shuffled between stages, the
    /// dictionary columns took the same window from 22 s to 180 s. The others read those
    /// columns as plain text anyway.
    fn key_text(self, column: &str) -> String {
        match self {
            Dialect::DataFusion => column.to_string(),
            Dialect::Ballista | Dialect::Spark | Dialect::DuckDb => self.text(column),
        }
    }

    /// `expr` trimmed of exactly the whitespace [`disposition_key`] trims: the engines'
    /// plain `TRIM` removes spaces only, so a disposition padded with a tab or a no-break
    /// space would count locally and not on the engine. The characters are written as code
    /// points (Spark's literal escapes, the others' `chr`), never as invisible text.
    ///
    /// [`disposition_key`]: pacta_data::model::disposition_key
    fn trim_whitespace(self, expr: &str) -> String {
        let chars = pacta_data::model::DISPOSITION_WHITESPACE;
        match self {
            Dialect::Spark => {
                let escaped: String = chars
                    .iter()
                    .map(|c| format!("\\u{:04X}", u32::from(*c)))
                    .collect();
                format!("TRIM(BOTH '{escaped}' FROM {expr})")
            }
            Dialect::DataFusion | Dialect::Ballista | Dialect::DuckDb => {
                let set: Vec<String> = chars
                    .iter()
                    .map(|c| format!("chr({})", u32::from(*c)))
                    .collect();
                let function = if self == Dialect::DuckDb {
                    "trim"
                } else {
                    "btrim"
                };
                format!("{function}({expr}, {})", set.join(" || "))
            }
        }
    }

    fn text(self, column: &str) -> String {
        match self {
            Dialect::Spark => format!("CAST({column} AS STRING)"),
            Dialect::DataFusion | Dialect::Ballista | Dialect::DuckDb => {
                format!("CAST({column} AS VARCHAR)")
            }
        }
    }
}

impl std::str::FromStr for Dialect {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "datafusion" => Ok(Dialect::DataFusion),
            "ballista" => Ok(Dialect::Ballista),
            "spark" => Ok(Dialect::Spark),
            "duckdb" => Ok(Dialect::DuckDb),
            other => Err(format!(
                "unknown SQL dialect `{other}` (datafusion, ballista, spark, duckdb)"
            )),
        }
    }
}

/// What the lowering needs besides the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LowerOptions {
    /// The dialect.
    pub dialect: Dialect,
    /// When the next month's files are read (FCR looks past the month end): only their rows
    /// arriving before this instant (UTC ms) count, as the local engine loads them.
    pub next_month_before_ms: Option<i64>,
}

/// One query of a lowered plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoweredQuery {
    /// Its family: `summary`, `counts`, `response` or `repeat_<n>`.
    pub name: String,
    /// The SQL text.
    pub sql: String,
}

/// A dimension table's column values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DimValues {
    /// 64-bit integers.
    Int(Vec<i64>),
    /// Text, nullable.
    Text(Vec<Option<String>>),
}

/// A dimension table pacta builds for the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DimTable {
    /// Table name.
    pub name: &'static str,
    /// Columns, with equal lengths.
    pub columns: Vec<(&'static str, DimValues)>,
}

/// A plan lowered to SQL: the queries to run and the tables they read besides the store's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lowered {
    /// The queries, in order.
    pub queries: Vec<LoweredQuery>,
    /// The dimension tables.
    pub dims: Vec<DimTable>,
}

const HOUR_MS: i64 = 3_600_000;

/// The cell key every counting query groups by, and the columns [`decode`] reads.
const KEY: &str = "ch, q, s, l, x, outside, bucket";

/// Lowers `plan` to SQL in `options.dialect` and the dimension tables it reads.
pub fn lower(plan: &CellPlan, options: LowerOptions) -> Result<Lowered, KpiError> {
    let d = options.dialect;
    let l = &plan.layout;
    let base = base_ctes(plan, options);
    let mut queries = vec![LoweredQuery {
        name: "summary".into(),
        sql: format!(
            "WITH {base}\nSELECT COUNT(*) AS row_count, \
             SUM(CASE WHEN ch IS NULL OR oc IS NULL THEN 1 ELSE 0 END) AS invalid FROM rm"
        ),
    }];

    let (a, ab, ip) = (
        Outcome::Answered.code(),
        Outcome::Abandoned.code(),
        Outcome::InProgress.code(),
    );
    let wait = "GREATEST(ans - arr, 0)";
    let talk = "(talk IS NOT NULL AND talk >= 0)";
    let mut sums: Vec<(usize, String)> = vec![
        (layout::A, format!("oc = {a}")),
        (layout::AB, format!("oc = {ab}")),
        (layout::X, format!("oc NOT IN ({a}, {ab}, {ip})")),
        (layout::IN_PROGRESS, format!("oc = {ip}")),
        (
            layout::A_WAIT_KNOWN,
            format!("oc = {a} AND ans IS NOT NULL"),
        ),
        (
            layout::AB_WAIT_UNKNOWN,
            format!("oc = {ab} AND endt IS NULL"),
        ),
        (layout::HANDLED, format!("oc = {a} AND {talk}")),
        (layout::NO_TALK, format!("oc = {a} AND NOT {talk}")),
        (
            layout::NO_HOLD,
            format!("oc = {a} AND {talk} AND NOT (hold IS NOT NULL AND hold >= 0)"),
        ),
        (
            layout::NO_WRAP,
            format!("oc = {a} AND {talk} AND NOT (wrap IS NOT NULL AND wrap >= 0)"),
        ),
        (
            layout::CUST_KNOWN,
            format!("oc = {a} AND cust IS NOT NULL AND cust <> 0"),
        ),
        (
            layout::CUST_UNKNOWN,
            format!("oc = {a} AND (cust IS NULL OR cust = 0)"),
        ),
    ];
    for (j, th) in l.thetas_ms.iter().enumerate() {
        sums.push((
            l.a_le(j),
            format!("oc = {a} AND ans IS NOT NULL AND {wait} <= {th}"),
        ));
        sums.push((
            l.ab_le(j),
            format!("oc = {ab} AND endt IS NOT NULL AND endt - arr <= {th}"),
        ));
    }
    for slot in 0..l.disps.len() {
        sums.push((l.disp(slot), format!("oc = {a} AND disp_slot = {slot}")));
    }
    if !l.resp.is_empty() {
        sums.push((layout::RESP_NONE, "fr IS NULL".into()));
        for (r, (limit, business)) in l.resp.iter().enumerate() {
            if !business {
                sums.push((
                    l.resp_within(r),
                    format!("fr IS NOT NULL AND fr - arr <= {limit}"),
                ));
            }
        }
    }
    let mut columns: Vec<String> = sums
        .iter()
        .map(|(c, cond)| format!("SUM(CASE WHEN {cond} THEN 1 ELSE 0 END) AS c{c}"))
        .collect();
    let value = |c: usize, v: &str, cond: &str| {
        format!("SUM(CASE WHEN {cond} THEN {v} ELSE 0 END) AS c{c}")
    };
    columns.push(value(
        layout::SUM_WAIT,
        wait,
        &format!("oc = {a} AND ans IS NOT NULL"),
    ));
    columns.push(format!(
        "MAX(CASE WHEN oc = {a} AND ans IS NOT NULL THEN {wait} ELSE 0 END) AS c{}",
        layout::MAX_WAIT
    ));
    columns.push(value(
        layout::SUM_TALK,
        "talk",
        &format!("oc = {a} AND {talk}"),
    ));
    columns.push(value(
        layout::SUM_HOLD,
        "hold",
        &format!("oc = {a} AND {talk} AND hold IS NOT NULL AND hold >= 0"),
    ));
    columns.push(value(
        layout::SUM_WRAP,
        "wrap",
        &format!("oc = {a} AND {talk} AND wrap IS NOT NULL AND wrap >= 0"),
    ));
    queries.push(LoweredQuery {
        name: "counts".into(),
        sql: format!(
            "WITH {base},\n{}\nSELECT {KEY},\n  {}\nFROM cg GROUP BY {KEY}",
            cell_ctes(d, "rm", "cg"),
            columns.join(",\n  ")
        ),
    });

    let business: Vec<(usize, i64)> = l
        .resp
        .iter()
        .enumerate()
        .filter(|(_, r)| r.1)
        .map(|(r, (limit, _))| (l.resp_within(r), *limit))
        .collect();
    if !business.is_empty() {
        let cols: Vec<String> = business
            .iter()
            .map(|(c, limit)| {
                format!("SUM(CASE WHEN COALESCE(bus.bms, 0) <= {limit} THEN 1 ELSE 0 END) AS c{c}")
            })
            .collect();
        let key: Vec<String> = KEY.split(", ").map(|k| format!("cg.{k}")).collect();
        queries.push(LoweredQuery {
            name: "response".into(),
            sql: format!(
                "WITH {base},\n{},\n\
                 rk AS (SELECT DISTINCT ch, arr, fr FROM cg WHERE fr IS NOT NULL AND fr > arr),\n\
                 bus AS (SELECT rk.ch, rk.arr, rk.fr, \
                 SUM(LEAST(o.hi, rk.fr) - GREATEST(o.lo, rk.arr)) AS bms \
                 FROM pacta_open o JOIN rk ON o.ch = rk.ch AND o.lo < rk.fr AND o.hi > rk.arr \
                 GROUP BY rk.ch, rk.arr, rk.fr)\n\
                 SELECT {},\n  {}\nFROM bus RIGHT JOIN cg ON bus.ch = cg.ch AND bus.arr = cg.arr \
                 AND bus.fr = cg.fr\nWHERE cg.fr IS NOT NULL GROUP BY {}",
                cell_ctes(d, "rm", "cg"),
                key.join(", "),
                cols.join(",\n  "),
                key.join(", ")
            ),
        });
    }

    if plan.needs_waits() {
        // Percentiles do not add up across cells, and engine percentiles differ: the engine
        // returns each cell's exact distribution of answered waits, and pacta takes the
        // nearest rank of the cells a group and period span, as the local scan does.
        queries.push(LoweredQuery {
            name: "waits".into(),
            sql: format!(
                "WITH {base},\n{},\n\
                 aw AS (SELECT cg.*, {wait} AS wait FROM cg WHERE oc = {a} AND ans IS NOT NULL)\n\
                 SELECT {KEY}, wait, COUNT(*) AS n\nFROM aw GROUP BY {KEY}, wait",
                cell_ctes(d, "rm", "cg"),
            ),
        });
    }

    for (j, &(scope, window, exclude)) in l.fcr.iter().enumerate() {
        let sub = match scope {
            RepeatScope::Any => "",
            RepeatScope::SameQueue => ", q",
            RepeatScope::SameChannel => ", ch",
        };
        let unmarked = if exclude == 0 {
            String::new()
        } else {
            format!(" AND (x & {exclude}) = 0")
        };
        queries.push(LoweredQuery {
            name: format!("repeat_{j}"),
            sql: format!(
                "WITH {base},\n\
                 cand AS (SELECT ch, q, s, l, x, oc, arr, hr, cust FROM rm \
                 WHERE ch IS NOT NULL AND oc IN ({a}, {ab}) \
                 AND cust IS NOT NULL AND cust <> 0{unmarked}),\n\
                 win AS (SELECT cand.*, COUNT(*) OVER (PARTITION BY cust{sub} ORDER BY arr \
                 RANGE BETWEEN 1 FOLLOWING AND {window} FOLLOWING) AS later FROM cand),\n\
                 rep AS (SELECT * FROM win WHERE oc = {a} AND later > 0),\n{}\n\
                 SELECT {KEY}, COUNT(*) AS c{}\nFROM rg GROUP BY {KEY}",
                cell_ctes(d, "rep", "rg"),
                l.repeat(j)
            ),
        });
    }

    Ok(Lowered {
        queries,
        dims: dims(plan),
    })
}

/// The row CTEs every query starts from: `pacta_rows` (the files), `r` (typed, epoch ms,
/// codes), `rm` (with the exclusion mark).
fn base_ctes(plan: &CellPlan, options: LowerOptions) -> String {
    let d = options.dialect;
    let cols = "channel, queue, site, language, customer_key, arrived_at, answered_at, \
                ended_at, outcome, talk_ms, hold_ms, wrap_ms, disposition, first_response_at";
    let next = match options.next_month_before_ms {
        Some(before) => format!(
            "\n  UNION ALL SELECT {cols} FROM pacta_next WHERE {} < {before}",
            d.epoch_ms("arrived_at")
        ),
        None => String::new(),
    };
    let arr = d.epoch_ms("t.arrived_at");
    let disp = if plan.layout.disps.is_empty() {
        "CAST(NULL AS BIGINT) AS disp_slot".to_string()
    } else {
        "ds.slot AS disp_slot".to_string()
    };
    // Dimension tables on the left of each join: engines build their hash tables on that
    // side unless statistics say otherwise, and the contact rows must be the probe side.
    let rows = format!(
        "pacta_outcomes o RIGHT JOIN (pacta_channels c RIGHT JOIN pacta_rows t ON {} = c.name) \
         ON {} = o.name",
        d.text("t.channel"),
        d.text("t.outcome")
    );
    let rows = if plan.layout.disps.is_empty() {
        rows
    } else {
        format!(
            "pacta_dispositions ds RIGHT JOIN ({rows}) ON LOWER({}) = ds.name",
            d.trim_whitespace(&d.text("t.disposition"))
        )
    };
    let marked = if plan.windows.is_empty() {
        "rm AS (SELECT r.*, 0 AS x FROM r)".to_string()
    } else {
        "rm AS (SELECT r.*, COALESCE(mk.x, 0) AS x FROM (\
         SELECT k.arr, k.q, BIT_OR(e.bit) AS x FROM pacta_exclusions e \
         JOIN (SELECT DISTINCT arr, q FROM r) k ON k.arr >= e.lo AND k.arr < e.hi \
         AND (e.queue IS NULL OR e.queue = k.q) GROUP BY k.arr, k.q) mk \
         RIGHT JOIN r ON mk.arr = r.arr AND mk.q = r.q)"
            .to_string()
    };
    format!(
        "pacta_rows AS (SELECT {cols} FROM pacta_month{next}),\n\
         r AS (SELECT c.code AS ch, {q} AS q, {s} AS s, {lg} AS l, o.code AS oc, \
         {arr} AS arr, {hr} AS hr, {ans} AS ans, {endt} AS endt, {fr} AS fr, \
         t.customer_key AS cust, t.talk_ms AS talk, t.hold_ms AS hold, t.wrap_ms AS wrap, \
         {disp}\n  FROM {rows}),\n{marked}",
        q = d.key_text("t.queue"),
        s = d.key_text("t.site"),
        lg = d.key_text("t.language"),
        hr = d.int_div(&arr, HOUR_MS),
        ans = d.epoch_ms("t.answered_at"),
        endt = d.epoch_ms("t.ended_at"),
        fr = d.epoch_ms("t.first_response_at"),
    )
}

/// CTEs placing the valid rows of `from` in their base bucket and marking those that arrived
/// outside hours of operation, as `name`.
fn cell_ctes(_d: Dialect, from: &str, name: &str) -> String {
    format!(
        "{name}_b AS (SELECT {from}.*, b.bucket AS bucket FROM pacta_bucket_hours b JOIN {from} \
         ON b.hour = {from}.hr AND {from}.arr >= b.lo AND {from}.arr < b.hi \
         WHERE {from}.ch IS NOT NULL AND {from}.oc IS NOT NULL),\n\
         {name} AS (SELECT {name}_b.*, CASE WHEN oh.ch IS NULL THEN 1 ELSE 0 END AS outside \
         FROM pacta_open_hours oh RIGHT JOIN {name}_b ON oh.ch = {name}_b.ch \
         AND oh.hour = {name}_b.hr AND {name}_b.arr >= oh.lo AND {name}_b.arr < oh.hi)"
    )
}

/// Hour keys (`ms / 3600000`, truncated as SQL divides) a `[lo, hi)` interval touches: the
/// equality key that lets engines hash-join rows to buckets and open intervals instead of
/// comparing every row with every interval.
fn hours_of(lo: i64, hi: i64) -> std::ops::RangeInclusive<i64> {
    lo / HOUR_MS..=(hi - 1) / HOUR_MS
}

fn dims(plan: &CellPlan) -> Vec<DimTable> {
    let names = |v: &[&str]| DimValues::Text(v.iter().map(|s| Some(s.to_string())).collect());
    let codes = |n: usize| DimValues::Int((0..n as i64).collect());
    let channels = pacta_data::columns::CHANNELS;
    let outcomes = pacta_data::columns::OUTCOMES;
    let mut tables = vec![
        DimTable {
            name: "pacta_channels",
            columns: vec![("name", names(&channels)), ("code", codes(channels.len()))],
        },
        DimTable {
            name: "pacta_outcomes",
            columns: vec![("name", names(&outcomes)), ("code", codes(outcomes.len()))],
        },
    ];
    let (mut hour, mut bucket, mut lo, mut hi) = (vec![], vec![], vec![], vec![]);
    for (b, w) in plan.bounds.windows(2).enumerate() {
        for h in hours_of(w[0], w[1]) {
            hour.push(h);
            bucket.push(b as i64);
            lo.push(w[0]);
            hi.push(w[1]);
        }
    }
    tables.push(DimTable {
        name: "pacta_bucket_hours",
        columns: vec![
            ("hour", DimValues::Int(hour)),
            ("bucket", DimValues::Int(bucket)),
            ("lo", DimValues::Int(lo)),
            ("hi", DimValues::Int(hi)),
        ],
    });
    let (mut ch, mut hour, mut lo, mut hi) = (vec![], vec![], vec![], vec![]);
    for &(c, s, e) in &plan.open {
        for h in hours_of(s, e) {
            ch.push(i64::from(c));
            hour.push(h);
            lo.push(s);
            hi.push(e);
        }
    }
    tables.push(DimTable {
        name: "pacta_open_hours",
        columns: vec![
            ("ch", DimValues::Int(ch)),
            ("hour", DimValues::Int(hour)),
            ("lo", DimValues::Int(lo)),
            ("hi", DimValues::Int(hi)),
        ],
    });
    if plan.layout.resp.iter().any(|r| r.1) {
        tables.push(DimTable {
            name: "pacta_open",
            columns: vec![
                (
                    "ch",
                    DimValues::Int(plan.open.iter().map(|o| i64::from(o.0)).collect()),
                ),
                (
                    "lo",
                    DimValues::Int(plan.open.iter().map(|o| o.1).collect()),
                ),
                (
                    "hi",
                    DimValues::Int(plan.open.iter().map(|o| o.2).collect()),
                ),
            ],
        });
    }
    if !plan.layout.disps.is_empty() {
        tables.push(DimTable {
            name: "pacta_dispositions",
            columns: vec![
                (
                    "name",
                    DimValues::Text(plan.layout.disps.iter().cloned().map(Some).collect()),
                ),
                ("slot", codes(plan.layout.disps.len())),
            ],
        });
    }
    if !plan.windows.is_empty() {
        let (mut bit, mut lo, mut hi, mut queue) = (vec![], vec![], vec![], vec![]);
        for w in &plan.windows {
            let queues: Vec<Option<String>> = if w.queues.is_empty() {
                vec![None]
            } else {
                w.queues.iter().cloned().map(Some).collect()
            };
            for q in queues {
                bit.push(i64::from(w.bit));
                lo.push(w.start_ms);
                hi.push(w.end_ms);
                queue.push(q);
            }
        }
        tables.push(DimTable {
            name: "pacta_exclusions",
            columns: vec![
                ("bit", DimValues::Int(bit)),
                ("lo", DimValues::Int(lo)),
                ("hi", DimValues::Int(hi)),
                ("queue", DimValues::Text(queue)),
            ],
        });
    }
    tables
}

/// A value an engine returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqlValue {
    /// An integer.
    Int(i64),
    /// Text.
    Text(String),
    /// NULL.
    Null,
}

/// The rows one query returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryRows {
    /// The query's name ([`LoweredQuery::name`]).
    pub name: String,
    /// Column names.
    pub columns: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<SqlValue>>,
}

/// Reads the answers to a lowered plan's queries back as cells.
pub fn decode(plan: &CellPlan, answers: &[QueryRows]) -> Result<ExternalCells, KpiError> {
    let bad = |q: &str, what: String| KpiError::Engine(format!("query `{q}`: {what}"));
    let mut out = ExternalCells::default();
    let mut seen_summary = false;
    for answer in answers {
        let q = answer.name.as_str();
        let col = |name: &str| {
            answer
                .columns
                .iter()
                .position(|c| c == name)
                .ok_or_else(|| bad(q, format!("no column `{name}`")))
        };
        let int = |row: &[SqlValue], i: usize| -> Result<Option<u64>, KpiError> {
            match row.get(i) {
                Some(SqlValue::Int(v)) => u64::try_from(*v)
                    .map(Some)
                    .map_err(|_| bad(q, format!("negative count {v}"))),
                Some(SqlValue::Null) => Ok(None),
                other => Err(bad(q, format!("expected an integer, got {other:?}"))),
            }
        };
        let text = |row: &[SqlValue], i: usize| -> Result<Option<String>, KpiError> {
            match row.get(i) {
                Some(SqlValue::Text(v)) => Ok(Some(v.clone())),
                Some(SqlValue::Null) => Ok(None),
                other => Err(bad(q, format!("expected text, got {other:?}"))),
            }
        };
        if q == "summary" {
            let (rows, invalid) = (col("row_count")?, col("invalid")?);
            let row = answer.rows.first().ok_or_else(|| bad(q, "no row".into()))?;
            out.rows = int(row, rows)?.unwrap_or(0);
            out.invalid = int(row, invalid)?.unwrap_or(0);
            seen_summary = true;
            continue;
        }
        let key = [
            col("ch")?,
            col("q")?,
            col("s")?,
            col("l")?,
            col("x")?,
            col("outside")?,
            col("bucket")?,
        ];
        let counters: Vec<(usize, usize)> = answer
            .columns
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                c.strip_prefix('c')
                    .and_then(|n| n.parse::<usize>().ok())
                    .map(|n| (i, n))
            })
            .filter(|&(_, n)| n < plan.counters())
            .collect();
        let waits = if q == "waits" {
            Some((col("wait")?, col("n")?))
        } else {
            None
        };
        for row in &answer.rows {
            let need = |v: Option<u64>, what: &str| v.ok_or_else(|| bad(q, format!("NULL {what}")));
            let small = |v: u64, what: &str| {
                u8::try_from(v).map_err(|_| bad(q, format!("{what} {v} out of range")))
            };
            let cell = ExternalCell {
                channel: small(need(int(row, key[0])?, "channel")?, "channel")?,
                queue: text(row, key[1])?.ok_or_else(|| bad(q, "NULL queue".into()))?,
                site: text(row, key[2])?,
                language: text(row, key[3])?,
                mark: small(need(int(row, key[4])?, "mark")?, "mark")?,
                outside: need(int(row, key[5])?, "outside")? == 1,
                bucket: need(int(row, key[6])?, "bucket")? as usize,
                counters: counters
                    .iter()
                    .map(|&(i, n)| Ok((n, int(row, i)?.unwrap_or(0))))
                    .collect::<Result<_, KpiError>>()?,
                waits: match waits {
                    Some((w, n)) => vec![(need(int(row, w)?, "wait")?, need(int(row, n)?, "n")?)],
                    None => Vec::new(),
                },
            };
            out.cells.push(cell);
        }
    }
    if !seen_summary {
        return Err(KpiError::Engine("no `summary` answer".into()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// The rank an engine computing percentiles itself must use: `(p·n + 99) div 100`, in
    /// integers (engines disagree on `/` and on `ceil` of a float).
    #[allow(clippy::manual_div_ceil)]
    fn sql_rank(p: u32, n: u64) -> u64 {
        ((u64::from(p) * n + 99) / 100).clamp(1, n.max(1))
    }

    proptest! {
        /// The integer rank picks the same value as sorting and taking the smallest value
        /// with at least p% of the values at or below it, and the same rank as the local
        /// engine's percentile (which pacta applies to the engines' wait distributions).
        #[test]
        fn integer_nearest_rank_matches_a_sort(
            mut values in proptest::collection::vec(0u32..5_000, 1..400),
            p in 1u32..=100,
        ) {
            let n = values.len() as u64;
            let rank = sql_rank(p, n);
            let mut local = values.clone();
            let (local_value, local_rank) =
                crate::formulas::nearest_rank(&mut local, p).expect("non-empty");
            prop_assert_eq!(rank, local_rank as u64);
            values.sort_unstable();
            let by_sort = values
                .iter()
                .enumerate()
                .find(|(i, _)| (*i as u64 + 1) * 100 >= u64::from(p) * n)
                .map(|(_, v)| *v)
                .expect("p ≤ 100 reaches the last value");
            prop_assert_eq!(values[rank as usize - 1], by_sort);
            prop_assert_eq!(local_value, by_sort);
        }
    }

    #[test]
    fn float_ceil_would_miss_integer_percents() {
        // ⌈0.55 × 100⌉ is 56 in binary floating point; the integer rank is 55.
        assert_eq!(sql_rank(55, 100), 55);
        assert_eq!(((55.0_f64 / 100.0) * 100.0).ceil() as u64, 56);
    }
}
