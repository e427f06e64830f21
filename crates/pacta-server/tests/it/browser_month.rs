//! The month and intervals pages in Chromium, on the demo's settled month: the credit
//! waterfall's total is the settled credit, the heatmap has one cell per interval of every
//! day with a legend, each scorecard figure's CSV link answers `text/csv` with as many rows as
//! `pacta explain --contacts` writes, and no page logs a console error. Called from
//! `browser::flows` while the provider (pedro) is signed in.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::Duration;

use fantoccini::{Client, Locator};
use pacta_core::{Lang, Month};
use serde_json::Value;

use crate::browser::{Demo, Driver, Flow, check, console, e, errors};
use crate::tenants::{CONTRACT_A, MONTH};

/// What the month's pages must show, computed through the same operations as the CLI.
pub(crate) struct MonthExpect {
    /// The settled credit, formatted as the page shows it (`1,234.00`).
    pub credit: String,
    /// Each listable SLA's contacts CSV: its header row and its rows (the header aside).
    pub csv_rows: BTreeMap<String, (String, usize)>,
    /// Heatmap cells of each service-level SLA: days × intervals of the day.
    pub heatmap_cells: BTreeMap<String, usize>,
    /// A vendor staffing plan for the month: the agents Erlang C requires in every interval
    /// and queue, one fewer in every tenth row that needs any.
    pub vendor_plan: String,
    /// The intervals (all queues) that plan leaves short.
    pub short_intervals: usize,
}

/// The figures `pacta settle` / `pacta explain --contacts` give for the demo's month.
pub(crate) fn expect(
    outcome: &pacta_ops::demo::DemoOutcome,
    store: &std::path::Path,
) -> MonthExpect {
    let contract = &outcome.contract;
    let month = Month::parse(MONTH).expect("month");
    let store = pacta_data::store::Store::open(store).expect("store");
    let url = pacta_ops::record::db_url(store.dir(), None).expect("url");
    let db = pacta_ops::record::open(&url).expect("db");
    let settled =
        pacta_ops::settle::settle(&store, Some(&db), contract, month, &Default::default())
            .expect("settle");
    let mut csv_rows = BTreeMap::new();
    for o in &settled.settlement.slas {
        if pacta_ops::evidence::can_list(contract, &o.sla_id) {
            let (bytes, written) = pacta_ops::evidence::contacts_csv(
                &store,
                contract,
                month,
                o,
                &settled.adjustments,
                Lang::En,
            )
            .expect("contacts");
            let header = String::from_utf8_lossy(&bytes)
                .lines()
                .next()
                .unwrap_or_default()
                .to_string();
            csv_rows.insert(o.sla_id.clone(), (header, written.rows));
        }
    }
    let days = usize::try_from(month.days_in_month()).expect("days");
    let heatmap_cells = contract
        .slas()
        .iter()
        .filter(|s| matches!(s.measure, pacta_contract::Measure::ServiceLevel { .. }))
        .map(|s| {
            let minutes = s
                .interval_minutes
                .unwrap_or(pacta_ops::intervals::DEFAULT_INTERVAL_MINUTES);
            (s.id.clone(), days * (1440 / minutes as usize))
        })
        .collect();
    let required = pacta_ops::plan::plan(
        contract,
        &pacta_ops::plan::PlanInput {
            forecast: pacta_ops::plan::ForecastInput::Store {
                dir: store.dir().to_path_buf(),
                month: month.prev().expect("a month before"),
                write_forecast: None,
            },
            staffing: None,
        },
        &Default::default(),
    )
    .expect("plan");
    let mut vendor_plan = String::from("interval_start,queue,agents\n");
    let mut short = std::collections::BTreeSet::new();
    for (i, row) in required.intervals.iter().enumerate() {
        let mut agents = row.erlang_c.agents;
        if i % 10 == 0 && agents > 0 {
            agents -= 1;
            short.insert(row.interval_start.clone());
        }
        vendor_plan.push_str(&format!("{},{},{agents}\n", row.interval_start, row.queue));
    }
    MonthExpect {
        credit: pacta_core::fmt::amount(settled.settlement.credits.credit, 2, Lang::En),
        csv_rows,
        heatmap_cells,
        vendor_plan,
        short_intervals: short.len(),
    }
}

async fn text_of(c: &Client, css: &str) -> Result<String, String> {
    c.find(Locator::Css(css))
        .await
        .map_err(|err| format!("{css}: {err}"))?
        .text()
        .await
        .map_err(e)
}

/// The month page, its CSV links and the intervals page.
pub(crate) async fn month_flows(
    c: &Client,
    driver: &Driver,
    session: &str,
    server: SocketAddr,
    demo: &Demo,
) -> Flow {
    let base = format!("http://{server}");
    let expect = &demo.month;
    let month_path = format!("/contracts/{CONTRACT_A}/months/{MONTH}");
    c.goto(&format!("{base}{month_path}")).await.map_err(e)?;
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("section#credits svg"))
        .await
        .map_err(e)?;
    // The credit statement's "credit due" row is the settled credit, and the waterfall
    // (the report's chart) is drawn.
    let due = c
        .find(Locator::XPath(
            "//section[@id='credits']//tr[td/strong[text()='Credit due']]/td[2]",
        ))
        .await
        .map_err(e)?
        .text()
        .await
        .map_err(e)?;
    check(
        due == expect.credit,
        format!(
            "the statement's credit due {due}, settled {}",
            expect.credit
        ),
    )?;
    let bars = c
        .find_all(Locator::Css("section#credits svg rect"))
        .await
        .map_err(e)?
        .len();
    check(bars >= 1, "the waterfall has no bars")?;
    // The waterfall's last bar (the month's total) carries the settled credit (the demo's
    // month has no earn-back or bonus, so the net is the credit).
    let totals = c
        .find_all(Locator::Css("section#credits svg text"))
        .await
        .map_err(e)?;
    let mut last_amount = String::new();
    for t in &totals {
        let text = t.text().await.map_err(e)?;
        if text.contains('.') {
            last_amount = text;
        }
    }
    check(
        last_amount == expect.credit,
        format!(
            "the waterfall ends at {last_amount}, settled {}",
            expect.credit
        ),
    )?;
    let lines = c
        .find_all(Locator::Css("section#invoice tbody tr"))
        .await
        .map_err(e)?
        .len();
    check(lines >= 1, "no invoice lines")?;
    // The demo's vendor invoice has something to find: a difference with its unit.
    let difference = text_of(c, "#vendor-difference").await?;
    check(
        difference.ends_with(" USD"),
        format!("the vendor difference in its currency: {difference}"),
    )?;
    let discrepancies = text_of(c, "table#discrepancies").await?;
    check(
        discrepancies.contains("USD"),
        format!("discrepancies with units: {discrepancies}"),
    )?;

    // Each figure's CSV: text/csv, an attachment, a header and one row per contact.
    let mut links = Vec::new();
    for a in c
        .find_all(Locator::Css("table#scorecard a.contacts"))
        .await
        .map_err(e)?
    {
        links.push(a.attr("href").await.map_err(e)?.unwrap_or_default());
    }
    check(
        links.len() == expect.csv_rows.len(),
        format!(
            "{} CSV links, {} listable SLAs",
            links.len(),
            expect.csv_rows.len()
        ),
    )?;
    for href in links.iter().take(2) {
        let sla = href
            .split('/')
            .rev()
            .nth(1)
            .ok_or(format!("an SLA in {href}"))?
            .to_string();
        // The browser's own request, with its session cookie.
        let got = c
            .execute(
                "return fetch(arguments[0]).then(r => r.text().then(t => \
                 [r.status, r.headers.get('content-type'), \
                  r.headers.get('content-disposition'), t]))",
                vec![Value::String(href.clone())],
            )
            .await
            .map_err(e)?;
        let status = got[0].as_u64().unwrap_or_default();
        let kind = got[1].as_str().unwrap_or_default();
        let disposition = got[2].as_str().unwrap_or_default();
        let body = got[3].as_str().unwrap_or_default();
        check(
            status == 200 && kind.starts_with("text/csv") && disposition.starts_with("attachment"),
            format!("{href}: {status} {kind} {disposition}"),
        )?;
        let mut rows = body.lines();
        let header = rows.next().unwrap_or_default();
        let (want_header, want) = expect
            .csv_rows
            .get(&sla)
            .ok_or(format!("{href}: an SLA explain cannot list"))?;
        check(
            header == want_header && header.contains(','),
            format!("{href}: header {header}, explain writes {want_header}"),
        )?;
        let n = rows.filter(|l| !l.is_empty()).count();
        check(
            n == *want && n > 0,
            format!("{href}: {n} rows, explain writes {want}"),
        )?;
    }
    // Another tenant's CSV is the not-found page.
    let other = c
        .execute(
            "return fetch(arguments[0]).then(r => r.status)",
            vec![Value::String(format!(
                "/contracts/{}/months/{MONTH}/slas/SL-VOICE/contacts.csv",
                crate::tenants::CONTRACT_B
            ))],
        )
        .await
        .map_err(e)?;
    check(other == 404, format!("contract B's CSV answered {other}"))?;
    // That fetch's 404 is logged; nothing else may be.
    let logged: Vec<String> = errors(&console(driver, session))
        .into_iter()
        .filter(|m| !m.contains("contacts.csv"))
        .collect();
    check(
        logged.is_empty(),
        format!("console errors on the month page: {logged:?}"),
    )?;

    // The provider uploads its staffing plan for the month, as the browser's own request.
    let upload = c
        .execute(
            "return fetch(arguments[0], {method: 'POST', headers: {'content-type': 'text/csv'}, \
             body: arguments[1]}).then(r => r.status)",
            vec![
                Value::String(format!(
                    "/api/contracts/{CONTRACT_A}/months/{MONTH}/staffing-plan?filename=plan.csv"
                )),
                Value::String(expect.vendor_plan.clone()),
            ],
        )
        .await
        .map_err(e)?;
    check(
        upload.as_u64() == Some(201),
        format!("the staffing plan upload answered {upload}"),
    )?;

    // The intervals page: a heatmap per service-level SLA, one cell per interval, a legend.
    c.find(Locator::Css("a#intervals-link"))
        .await
        .map_err(e)?
        .click()
        .await
        .map_err(e)?;
    c.wait()
        .at_most(Duration::from_secs(60))
        .for_element(Locator::Css("table.heatmap"))
        .await
        .map_err(e)?;
    check(
        !expect.heatmap_cells.is_empty(),
        "the demo contract has a service-level SLA",
    )?;
    for (sla, want) in &expect.heatmap_cells {
        let cells = c
            .find_all(Locator::Css(&format!(
                "table.heatmap[data-sla='{sla}'] td.hm"
            )))
            .await
            .map_err(e)?;
        check(
            cells.len() == *want,
            format!("{sla}: {} heatmap cells, want {want}", cells.len()),
        )?;
        let coloured = c
            .find_all(Locator::Css(&format!(
                "table.heatmap[data-sla='{sla}'] td.hm.met, table.heatmap[data-sla='{sla}'] td.hm.missed"
            )))
            .await
            .map_err(e)?
            .len();
        check(coloured > 0, format!("{sla}: no interval judged"))?;
        let first = &cells[0];
        let title = first.attr("title").await.map_err(e)?.unwrap_or_default();
        check(
            title.starts_with(&format!("{MONTH}-01 00:00")),
            format!("{sla}: the first cell's title {title}"),
        )?;
        let colour = first.css_value("background-color").await.map_err(e)?;
        check(
            colour != "rgba(0, 0, 0, 0)",
            format!("{sla}: the cells are not coloured ({colour})"),
        )?;
    }
    if std::env::var_os("PACTA_SAVE_PAGES").is_some() {
        save_pages(c, &month_path).await?;
    }
    let legend = text_of(c, "ul.legend").await?;
    check(
        legend.contains("met the target") && legend.contains("no traffic"),
        format!("a legend: {legend}"),
    )?;
    // The demo's store holds the month before too: the staffing is estimated from it, one
    // cell per interval of every day, and the missing vendor plan is said in words.
    let staffing = c
        .find_all(Locator::Css("table.staffing td.hm"))
        .await
        .map_err(e)?
        .len();
    let days = usize::try_from(Month::parse(MONTH).map_err(e)?.days_in_month()).map_err(e)?;
    check(
        staffing == days * 48,
        format!("{staffing} staffing cells, want {}", days * 48),
    )?;
    // The vendor's plan beside the required agents: the short intervals counted and drawn.
    let short = text_of(c, "#short-intervals").await?;
    let drawn = c
        .find_all(Locator::Css("table.staffing td.hm.short"))
        .await
        .map_err(e)?
        .len();
    check(
        short == pacta_core::fmt::integer(expect.short_intervals as u64, Lang::En)
            && drawn == expect.short_intervals,
        format!(
            "short intervals: the page says {short} and draws {drawn}, the plan leaves {}",
            expect.short_intervals
        ),
    )?;
    let volumes = c
        .find_all(Locator::Css("table#volumes tbody tr"))
        .await
        .map_err(e)?;
    check(!volumes.is_empty(), "the volume table is empty")?;
    let logged = errors(&console(driver, session));
    check(
        logged.is_empty(),
        format!("console errors on the intervals page: {logged:?}"),
    )?;

    // The what-if, reached from the month page: a stricter target on the first service-level
    // SLA re-settles the month and marks that SLA changed; nothing is saved.
    let Some(sla) = expect.heatmap_cells.keys().next() else {
        return Err("the demo contract has no service-level SLA".into());
    };
    c.goto(&format!("{base}{month_path}")).await.map_err(e)?;
    c.find(Locator::Css("a#what-if-link"))
        .await
        .map_err(e)?
        .click()
        .await
        .map_err(e)?;
    let expected = c
        .wait()
        .at_most(Duration::from_secs(60))
        .for_element(Locator::Css(&format!("input[name='expected.{sla}']")))
        .await
        .map_err(e)?;
    expected.clear().await.map_err(e)?;
    expected.send_keys("100").await.map_err(e)?;
    c.find(Locator::Css("#what-if-run"))
        .await
        .map_err(e)?
        .click()
        .await
        .map_err(e)?;
    let row = c
        .wait()
        .at_most(Duration::from_secs(60))
        .for_element(Locator::Css(&format!("tr#what-if-{sla}")))
        .await
        .map_err(e)?;
    let class = row.attr("class").await.map_err(e)?.unwrap_or_default();
    check(
        class.contains("changed"),
        format!("{sla} after a target of 100: row class `{class}`"),
    )?;
    let credit = text_of(c, "tr#what-if-credit").await?;
    check(
        !credit.is_empty(),
        "the what-if shows the credit before and after",
    )?;
    let logged = errors(&console(driver, session));
    check(
        logged.is_empty(),
        format!("console errors on the what-if page: {logged:?}"),
    )?;
    Ok(())
}

/// Writes the two pages in English and Spanish, with the stylesheet beside them, under
/// `target/pages/` (to look at them: `PACTA_SAVE_PAGES=1`, then a screenshot of each file).
async fn save_pages(c: &Client, month_path: &str) -> Flow {
    let dir = crate::browser::target_dir().join("pages");
    std::fs::create_dir_all(&dir).map_err(e)?;
    std::fs::write(
        dir.join("pacta.css"),
        include_str!("../../templates/pacta.css"),
    )
    .map_err(e)?;
    for lang in ["en", "es"] {
        for (name, path) in [
            ("month", month_path.to_string()),
            ("intervals", format!("{month_path}/intervals")),
        ] {
            let html = c
                .execute(
                    "return fetch(arguments[0], {headers: {'Accept-Language': arguments[1]}})\
                     .then(r => r.text())",
                    vec![Value::String(path), Value::String(lang.into())],
                )
                .await
                .map_err(e)?;
            let html = html
                .as_str()
                .unwrap_or_default()
                .replace("/static/pacta.css", "pacta.css");
            std::fs::write(dir.join(format!("{name}.{lang}.html")), html).map_err(e)?;
        }
    }
    Ok(())
}
