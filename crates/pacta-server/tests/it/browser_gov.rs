//! The governance pages in Chromium, after the dashboard's first flow (`browser::flows`,
//! which leaves the provider's dispute D2 open on `credit/ABN-VOICE` and the auditor signed
//! in): the provider offers to leave ten days of October out of the measurement, the client
//! accepts the offer on the page, and the month is settled again as the next version, with
//! a changed scorecard and the note; the auditor has no action buttons on the disputes,
//! audit and obligations pages, and the audit page says the chain verifies with its entry
//! count. No console errors. With `PACTA_BROWSER_SHOTS=DIR`, each page is also saved there
//! as a PNG, to be looked at.

use std::net::SocketAddr;
use std::time::Duration;

use fantoccini::{Client, Locator};
use serde_json::Value;

use crate::browser::{Demo, Driver, Flow, action_buttons, check, console, e, errors, sign_in};
use crate::tenants::{CONTRACT_A, MONTH};

/// The provider's dispute from the first flow, as the page anchors it.
const D2: &str = "section#d-2026-10-2";

pub(crate) async fn wait_for(c: &Client, css: &str) -> Flow {
    c.wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css(css))
        .await
        .map(|_| ())
        .map_err(|err| format!("waiting for {css}: {err}"))
}

pub(crate) async fn text_of(c: &Client, css: &str) -> Result<String, String> {
    c.find(Locator::Css(css))
        .await
        .map_err(|err| format!("{css}: {err}"))?
        .text()
        .await
        .map_err(e)
}

pub(crate) async fn sign_out(c: &Client) -> Flow {
    c.find(Locator::Css("form[action='/logout'] button"))
        .await
        .map_err(e)?
        .click()
        .await
        .map_err(e)?;
    wait_for(c, "form[action='/login']").await
}

/// The page as a PNG under `PACTA_BROWSER_SHOTS`, when it is set.
pub(crate) async fn shot(c: &Client, name: &str) -> Flow {
    let Some(dir) = std::env::var_os("PACTA_BROWSER_SHOTS") else {
        return Ok(());
    };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).map_err(e)?;
    let png = c.screenshot().await.map_err(e)?;
    std::fs::write(dir.join(format!("{name}.png")), png).map_err(e)
}

/// A JSON route read through the browser's session (a GET, as the page's links are).
pub(crate) async fn api(c: &Client, base: &str, path: &str) -> Result<Value, String> {
    c.goto(&format!("{base}{path}")).await.map_err(e)?;
    // Chromium shows a JSON document's text in a `pre`.
    let body = text_of(c, "pre").await?;
    serde_json::from_str(&body).map_err(|err| format!("{path}: {err}: {body}"))
}

/// The month's latest saved version (from the API) and the scorecard rows' text (from the
/// page).
async fn month_state(c: &Client, base: &str) -> Result<(u64, Vec<String>), String> {
    let months = api(c, base, &format!("/api/contracts/{CONTRACT_A}/months")).await?;
    let version = months
        .as_array()
        .and_then(|m| m.iter().find(|m| m["month"] == MONTH))
        .and_then(|m| m["latest_version"].as_u64())
        .ok_or(format!("no {MONTH} in {months}"))?;
    c.goto(&format!("{base}/contracts/{CONTRACT_A}/months/{MONTH}"))
        .await
        .map_err(e)?;
    wait_for(c, "table#scorecard").await?;
    let mut rows = Vec::new();
    for row in c.find_all(Locator::Css("tr.sla")).await.map_err(e)? {
        rows.push(row.text().await.map_err(e)?);
    }
    Ok((version, rows))
}

pub(crate) fn no_errors(driver: &Driver, session: &str, pages: &str) -> Flow {
    let logged = errors(&console(driver, session));
    check(
        logged.is_empty(),
        format!("console errors on {pages}: {logged:?}"),
    )
}

pub(crate) async fn governance_flow(
    c: &Client,
    driver: &Driver,
    session: &str,
    server: SocketAddr,
    demo: &Demo,
) -> Flow {
    let base = format!("http://{server}");
    let disputes = format!("{base}/contracts/{CONTRACT_A}/disputes");
    sign_out(c).await?;

    // The provider offers to leave 6–15 October (Manila) out of the measurement.
    sign_in(c, &base, "pedro", demo).await?;
    let role = text_of(c, ".role").await?;
    check(role == "Provider manager", format!("pedro's role: {role}"))?;
    let (version, before) = month_state(c, &base).await?;
    c.goto(&disputes).await.map_err(e)?;
    let form = c
        .form(Locator::Css(&format!("{D2} form.propose")))
        .await
        .map_err(e)?;
    form.set_by_name(
        "text",
        "Leave 6–15 October out: the carrier's trunk failed.",
    )
    .await
    .map_err(e)?;
    form.set_by_name("exclude_start", "2026-10-06T00:00")
        .await
        .map_err(e)?;
    form.set_by_name("exclude_end", "2026-10-16T00:00")
        .await
        .map_err(e)?;
    form.submit_with(Locator::Css(&format!("{D2} button.act-propose")))
        .await
        .map_err(e)?;
    wait_for(c, "#notice").await?;
    let section = text_of(c, D2).await?;
    check(
        section.contains("leave out 2026-10-06 00:00") && section.contains("2026-10-16 00:00"),
        format!("the offer in D2's timeline: {section}"),
    )?;
    // The provider cannot accept its own offer.
    check(
        c.find(Locator::Css(&format!("{D2} button.act-accept")))
            .await
            .is_err(),
        "pedro has an accept button on his own offer",
    )?;
    shot(c, "gov-disputes-provider").await?;
    no_errors(driver, session, "pedro's disputes page")?;
    sign_out(c).await?;

    // The client accepts it on the page: the month is settled again with the note.
    sign_in(c, &base, "carla", demo).await?;
    let role = text_of(c, ".role").await?;
    check(role == "Client manager", format!("carla's role: {role}"))?;
    c.goto(&disputes).await.map_err(e)?;
    c.find(Locator::Css(&format!("{D2} button.act-accept")))
        .await
        .map_err(e)?
        .click()
        .await
        .map_err(e)?;
    wait_for(c, "#note").await?;
    let note = text_of(c, "#note").await?;
    check(
        note.contains(&format!("settled again as version {}", version + 1))
            && note.contains(&format!("supersedes {version}"))
            && note.contains("credit"),
        format!("the note: {note}"),
    )?;
    let status = text_of(c, &format!("{D2} .status")).await?;
    check(status == "resolved", format!("D2 is {status}"))?;
    shot(c, "gov-disputes-accepted").await?;
    c.find(Locator::Css("a#see-month"))
        .await
        .map_err(e)?
        .click()
        .await
        .map_err(e)?;
    wait_for(c, "table#scorecard").await?;
    let page = text_of(c, "main").await?;
    check(
        page.contains(&format!("version {}", version + 1)),
        format!("the month page after the acceptance: {page}"),
    )?;
    shot(c, "gov-month-after").await?;
    let (after_version, after) = month_state(c, &base).await?;
    check(
        after_version == version + 1,
        format!("version {after_version}, was {version}"),
    )?;
    check(
        after.len() == before.len() && after != before,
        format!("the scorecard did not change: {before:?} → {after:?}"),
    )?;
    no_errors(driver, session, "carla's disputes and month pages")?;
    sign_out(c).await?;

    // The auditor: no action buttons; the chain verifies with its entry count.
    sign_in(c, &base, "ana", demo).await?;
    for path in [
        format!("/contracts/{CONTRACT_A}/disputes"),
        "/audit".to_string(),
        format!("/contracts/{CONTRACT_A}/obligations"),
    ] {
        c.goto(&format!("{base}{path}")).await.map_err(e)?;
        // A calendar link reads, it does not act: every reader may take one.
        let buttons: Vec<String> = action_buttons(c)
            .await?
            .into_iter()
            .filter(|b| b != "Get a calendar link")
            .collect();
        check(
            buttons.is_empty(),
            format!("ana sees buttons on {path}: {buttons:?}"),
        )?;
        let name = path.trim_start_matches('/').replace('/', "-");
        shot(c, &format!("gov-ana-{name}")).await?;
    }
    let calendar = c
        .find_all(Locator::Css("#calendar td.day"))
        .await
        .map_err(e)?;
    check(calendar.len() >= 28, "the obligations calendar")?;
    c.goto(&format!("{base}/audit")).await.map_err(e)?;
    let chain = text_of(c, "#chain").await?;
    let entries = text_of(c, "#chain-entries").await?.replace(',', "");
    // Read right after the page: visiting obligations records them (and audits that).
    let verify = api(c, &base, "/api/audit/verify").await?;
    check(
        chain.starts_with("The audit chain verifies")
            && Some(entries.as_str())
                == verify["entries"].as_u64().map(|n| n.to_string()).as_deref(),
        format!("the audit page says {chain}; verify says {verify}"),
    )?;
    no_errors(driver, session, "ana's governance pages")?;
    Ok(())
}
