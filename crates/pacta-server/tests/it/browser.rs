//! The dashboard in Chromium, driven over WebDriver (fantoccini + Debian's `chromedriver`):
//! the real server in process on a loopback port over the demo's store (`pacta demo`'s
//! users and settled month, plus another tenant's contract), a headless browser signing in
//! through the form. Skipped with a note when `/usr/bin/chromium` or `/usr/bin/chromedriver` is missing,
//! a failure instead when `PACTA_REQUIRE_BROWSER=1` (as `.ci/run` sets). A failing flow
//! leaves a screenshot under `target/browser/`.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use jiff::Timestamp;
use pacta_server::{AppState, ServerConfig};
use serde_json::{Value, json};

use crate::tenants::{CONTRACT_A, CONTRACT_B, contract_text};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Whether the browser is installed; panics when it is required and missing.
fn browser_available() -> bool {
    let present = Path::new(CHROMIUM).is_file() && Path::new(CHROMEDRIVER).is_file();
    if !present {
        assert!(
            std::env::var("PACTA_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "PACTA_REQUIRE_BROWSER=1 but {CHROMIUM} or {CHROMEDRIVER} is missing \
             (apt-get install -y chromium chromium-driver)"
        );
        eprintln!("skipped: {CHROMIUM} or {CHROMEDRIVER} is missing");
    }
    present
}

/// A free loopback port (bound, read, released).
fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

/// `chromedriver` on a free port; killed on drop.
pub(crate) struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start() -> Driver {
        let port = free_port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let driver = Driver { child, port };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not listen");
            std::thread::sleep(Duration::from_millis(100));
        }
        driver
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A plain HTTP/1.1 exchange on loopback: (head, body). Reads exactly the response
/// (`Content-Length` or chunked), whether or not the peer closes the connection.
pub(crate) fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> (String, String) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let body = body.map(Value::to_string).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).expect("write");
    let mut bytes = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        if let Some((head, rest)) = split_head(&bytes)
            && let Some(body) = complete_body(&head, rest)
        {
            return (head, body);
        }
        let n = stream.read(&mut buf).expect("read");
        if n == 0 {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
            return (head.to_string(), body.to_string());
        }
        bytes.extend_from_slice(&buf[..n]);
    }
}

fn split_head(bytes: &[u8]) -> Option<(String, &[u8])> {
    let at = bytes.windows(4).position(|w| w == b"\r\n\r\n")?;
    Some((
        String::from_utf8_lossy(&bytes[..at]).into_owned(),
        &bytes[at + 4..],
    ))
}

/// The body when all of it has arrived.
fn complete_body(head: &str, rest: &[u8]) -> Option<String> {
    let lower = head.to_ascii_lowercase();
    if lower.contains("transfer-encoding: chunked") {
        let mut out = Vec::new();
        let mut at = 0;
        loop {
            let line_end = rest[at..].windows(2).position(|w| w == b"\r\n")? + at;
            let size =
                usize::from_str_radix(String::from_utf8_lossy(&rest[at..line_end]).trim(), 16)
                    .ok()?;
            let start = line_end + 2;
            if size == 0 {
                return Some(String::from_utf8_lossy(&out).into_owned());
            }
            if rest.len() < start + size + 2 {
                return None;
            }
            out.extend_from_slice(&rest[start..start + size]);
            at = start + size + 2;
        }
    }
    let length = lower
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())?;
    (rest.len() >= length).then(|| String::from_utf8_lossy(&rest[..length]).into_owned())
}

/// The browser's console since the last read (chromedriver's log endpoint; reading clears
/// it).
pub(crate) fn console(driver: &Driver, session: &str) -> Vec<Value> {
    let addr = SocketAddr::from(([127, 0, 0, 1], driver.port));
    let (head, body) = http(
        addr,
        "POST",
        &format!("/session/{session}/se/log"),
        Some(&json!({"type": "browser"})),
    );
    assert!(head.starts_with("HTTP/1.1 200"), "{head}\n{body}");
    let value: Value = serde_json::from_str(&body).expect("log JSON");
    value["value"].as_array().cloned().unwrap_or_default()
}

/// The errors among console entries (CSP violations are logged as SEVERE).
pub(crate) fn errors(entries: &[Value]) -> Vec<String> {
    entries
        .iter()
        .filter(|e| e["level"] == "SEVERE")
        .map(|e| e["message"].to_string())
        .collect()
}

pub(crate) fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target")))
}

/// The flows' failures carry their message; a screenshot is saved before the test fails.
pub(crate) type Flow = Result<(), String>;

pub(crate) fn check(ok: bool, what: impl Into<String>) -> Flow {
    if ok { Ok(()) } else { Err(what.into()) }
}

pub(crate) fn e(err: impl std::fmt::Display) -> String {
    err.to_string()
}

/// The demo's users with their passwords, and the figures the pages must show.
pub(crate) struct Demo {
    pub(crate) passwords: std::collections::BTreeMap<String, String>,
    pub(crate) slas: usize,
    pub(crate) credit: String,
    /// What the month and intervals pages must show (`browser_month`).
    pub(crate) month: crate::browser_month::MonthExpect,
}

pub(crate) async fn sign_in(c: &Client, base: &str, user: &str, demo: &Demo) -> Flow {
    let password = demo.passwords.get(user).ok_or(format!("no user {user}"))?;
    c.goto(&format!("{base}/")).await.map_err(e)?;
    let url = c.current_url().await.map_err(e)?;
    check(
        url.path() == "/login",
        format!("signed out, / leads to {url}"),
    )?;
    let form = c
        .form(Locator::Css("form[action='/login']"))
        .await
        .map_err(e)?;
    form.set_by_name("user", user).await.map_err(e)?;
    form.set_by_name("password", password).await.map_err(e)?;
    form.submit().await.map_err(e)?;
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("table#portfolio"))
        .await
        .map_err(e)?;
    Ok(())
}

async fn portfolio_ids(c: &Client) -> Result<Vec<String>, String> {
    let mut ids = Vec::new();
    for row in c.find_all(Locator::Css("tr.contract")).await.map_err(e)? {
        ids.push(
            row.attr("data-contract")
                .await
                .map_err(e)?
                .unwrap_or_default(),
        );
    }
    Ok(ids)
}

/// The buttons on the page other than signing out.
pub(crate) async fn action_buttons(c: &Client) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for b in c.find_all(Locator::Css("button")).await.map_err(e)? {
        let form = b.find(Locator::XPath("ancestor::form")).await.map_err(e)?;
        if form.attr("action").await.map_err(e)?.as_deref() != Some("/logout") {
            out.push(b.text().await.map_err(e)?);
        }
    }
    Ok(out)
}

async fn flows(
    c: &Client,
    driver: &Driver,
    session: &str,
    server: SocketAddr,
    demo: &Demo,
    admin: &crate::browser_admin::AdminSetup,
) -> Flow {
    let base = format!("http://{server}");
    // The console reader works: a probe error is seen (and the log is cleared).
    c.goto(&format!("{base}/login")).await.map_err(e)?;
    c.execute("console.error('pacta-probe')", vec![])
        .await
        .map_err(e)?;
    let probe = errors(&console(driver, session));
    check(
        probe.iter().any(|m| m.contains("pacta-probe")),
        format!("the console probe was not read back: {probe:?}"),
    )?;

    // The provider signs in through the form and sees only its contract.
    sign_in(c, &base, "pedro", demo).await?;
    let ids = portfolio_ids(c).await?;
    check(ids == [CONTRACT_A], format!("pedro's portfolio: {ids:?}"))?;
    let source = c.source().await.map_err(e)?;
    check(!source.contains(CONTRACT_B), "contract B on pedro's page")?;
    // The latest month's page: the scorecard with its totals, styled from the stylesheet.
    c.find(Locator::Css("tr.contract td a"))
        .await
        .map_err(e)?
        .click()
        .await
        .map_err(e)?;
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("table#scorecard"))
        .await
        .map_err(e)?;
    let total = c
        .find(Locator::Css("#invoice-total"))
        .await
        .map_err(e)?
        .text()
        .await
        .map_err(e)?;
    check(
        total.ends_with(" USD"),
        format!("an invoice total: {total}"),
    )?;
    let credit = c
        .find(Locator::Css("#credit"))
        .await
        .map_err(e)?
        .text()
        .await
        .map_err(e)?;
    check(
        credit == demo.credit,
        format!("credit {credit}, settled {}", demo.credit),
    )?;
    let rows = c.find_all(Locator::Css("tr.sla")).await.map_err(e)?.len();
    check(
        rows == demo.slas,
        format!("{rows} scorecard rows, {} SLAs", demo.slas),
    )?;
    let collapse = c
        .find(Locator::Css("table#scorecard"))
        .await
        .map_err(e)?
        .css_value("border-collapse")
        .await
        .map_err(e)?;
    check(
        collapse == "collapse",
        format!("the stylesheet did not apply: border-collapse {collapse}"),
    )?;
    // The demo's dispute, with its status and step.
    c.goto(&format!("{base}/contracts/{CONTRACT_A}/disputes"))
        .await
        .map_err(e)?;
    let disputes = c
        .find(Locator::Css("table#disputes"))
        .await
        .map_err(e)?
        .text()
        .await
        .map_err(e)?;
    check(
        disputes.contains("AFB-MNL-2026/2026-10/D1") && disputes.contains("resolved"),
        format!("the demo's dispute, resolved: {disputes}"),
    )?;
    // The provider opens a dispute on a credit line through the form, and sees it at step
    // 1 with its deadline.
    let form = c.form(Locator::Css("form.action")).await.map_err(e)?;
    form.set_by_name("subject", "credit/ABN-VOICE")
        .await
        .map_err(e)?;
    form.set_by_name(
        "claim",
        "Abandonment counted calls that hung up in the IVR.",
    )
    .await
    .map_err(e)?;
    form.submit_with(Locator::Css("button#open-dispute"))
        .await
        .map_err(e)?;
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::XPath(
            "//table[@id='disputes']//td[text()='AFB-MNL-2026/2026-10/D2']",
        ))
        .await
        .map_err(e)?;
    let row = c
        .find(Locator::XPath(
            "//table[@id='disputes']//tr[td[text()='AFB-MNL-2026/2026-10/D2']]",
        ))
        .await
        .map_err(e)?
        .text()
        .await
        .map_err(e)?;
    check(
        row.contains("credit/ABN-VOICE")
            && row.contains("provider")
            && row.contains(" open ")
            && !row.contains('{')
            && row.contains(" 1 / "),
        format!("the new dispute's row: {row}"),
    )?;
    let deadline = c
        .find(Locator::XPath(
            "//table[@id='disputes']//tr[td[text()='AFB-MNL-2026/2026-10/D2']]/td[6]",
        ))
        .await
        .map_err(e)?
        .text()
        .await
        .map_err(e)?;
    check(
        deadline.starts_with("20") && deadline.len() > 10,
        format!("a deadline: {deadline}"),
    )?;
    let logged = errors(&console(driver, session));
    check(
        logged.is_empty(),
        format!("console errors on pedro's portfolio, month and disputes: {logged:?}"),
    )?;
    // Another tenant's page answers the not-found page (the console notes the 404, and
    // nothing else).
    c.goto(&format!("{base}/contracts/{CONTRACT_B}/disputes"))
        .await
        .map_err(e)?;
    let h1 = c
        .find(Locator::Css("h1"))
        .await
        .map_err(e)?
        .text()
        .await
        .map_err(e)?;
    check(h1 == "Not found", format!("contract B's disputes: {h1}"))?;
    let logged = errors(&console(driver, session));
    check(
        logged.len() == 1 && logged[0].contains("status of 404"),
        format!("console on contract B's page: {logged:?}"),
    )?;
    // The calendar link answers text/calendar.
    c.goto(&format!("{base}/contracts/{CONTRACT_A}/obligations"))
        .await
        .map_err(e)?;
    c.find(Locator::Css("button#calendar-link"))
        .await
        .map_err(e)?
        .click()
        .await
        .map_err(e)?;
    let link = c
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("a#feed"))
        .await
        .map_err(e)?;
    let href = link.prop("href").await.map_err(e)?.unwrap_or_default();
    let path = href.strip_prefix(&base).unwrap_or(&href).to_string();
    check(
        path.starts_with("/feeds/pacta_f_"),
        format!("feed link {href}"),
    )?;
    let (head, body) = http(server, "GET", &path, None);
    check(
        head.starts_with("HTTP/1.1 200")
            && head
                .to_ascii_lowercase()
                .contains("content-type: text/calendar"),
        format!("the feed answered {head}"),
    )?;
    check(body.contains("BEGIN:VCALENDAR"), "a calendar body")?;
    let logged = errors(&console(driver, session));
    check(
        logged.is_empty(),
        format!("console errors on pedro's pages: {logged:?}"),
    )?;
    crate::browser_month::month_flows(c, driver, session, server, demo).await?;
    // Signing out leads back to the form.
    c.find(Locator::Css("form[action='/logout'] button"))
        .await
        .map_err(e)?
        .click()
        .await
        .map_err(e)?;
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("form[action='/login']"))
        .await
        .map_err(e)?;

    // The auditor reads both contracts and has no action buttons on any page.
    sign_in(c, &base, "ana", demo).await?;
    let mut ids = portfolio_ids(c).await?;
    ids.sort();
    let mut both = vec![CONTRACT_A.to_string(), CONTRACT_B.to_string()];
    both.sort();
    check(ids == both, format!("ana's portfolio: {ids:?}"))?;
    for path in [
        "/".to_string(),
        format!("/contracts/{CONTRACT_A}/months/{}", crate::tenants::MONTH),
        format!("/contracts/{CONTRACT_A}/disputes"),
    ] {
        c.goto(&format!("{base}{path}")).await.map_err(e)?;
        let buttons = action_buttons(c).await?;
        check(
            buttons.is_empty(),
            format!("ana sees buttons on {path}: {buttons:?}"),
        )?;
    }
    let logged = errors(&console(driver, session));
    check(
        logged.is_empty(),
        format!("console errors on ana's pages: {logged:?}"),
    )?;
    crate::browser_gov::governance_flow(c, driver, session, server, demo).await?;
    crate::browser_admin::admin_flow(c, driver, session, server, demo, admin).await
}

#[test]
fn the_dashboard_in_chromium() {
    if !browser_available() {
        return;
    }
    // The demo's store and database, with its three users; and another tenant's contract
    // between two other organisations.
    let dir = tempfile::tempdir().expect("temp dir");
    let options = pacta_ops::demo::DemoOptions {
        out: dir.path().join("demo"),
        store: dir.path().join("store"),
        rows: 3_000,
        month: pacta_core::Month::parse(crate::tenants::MONTH).expect("month"),
        db: None,
    };
    let outcome = pacta_ops::demo::run(&options, Timestamp::now(), &mut |_| {}).expect("demo");
    let s = &outcome.settled.settlement;
    let demo = Demo {
        passwords: outcome
            .server
            .users
            .iter()
            .map(|u| (u.name.clone(), u.password.clone().expect("new users")))
            .collect(),
        slas: s.slas.len(),
        credit: format!(
            "{} {}",
            pacta_core::fmt::amount(s.credits.credit, 2, pacta_core::Lang::En),
            s.currency
        ),
        month: crate::browser_month::expect(&outcome, &options.store),
    };
    let url = pacta_ops::record::db_url(&options.store, None).expect("url");
    let db = Arc::new(pacta_ops::record::open(&url).expect("db"));
    let now = Timestamp::now();
    for org in ["telco-b-org", "dial-b-org"] {
        db.add_org(org, org, "setup", now).expect("org");
    }
    let text = contract_text(CONTRACT_B);
    let b = pacta_contract::parse_str(&text).expect("contract B");
    db.register_contract(
        &pacta_db::NewContract {
            id: CONTRACT_B.to_string(),
            contract_version: b.doc.contract.version.clone(),
            toml: text,
            client_org: "telco-b-org".to_string(),
            provider_org: "dial-b-org".to_string(),
        },
        "setup",
        now,
    )
    .expect("register B");
    // An administrator (the demo has none) and an API key of the provider's to revoke.
    db.add_org("operator", "operator", "setup", now)
        .expect("org");
    let admin_password = "a long administrator passphrase".to_string();
    db.add_user(
        &pacta_db::NewUser {
            name: "root".into(),
            org: "operator".into(),
            role: pacta_db::Role::Admin,
        },
        &admin_password,
        "setup",
        now,
    )
    .expect("admin");
    let provider_key = db
        .create_api_key("pedro", "ci", "pedro", now)
        .expect("key")
        .id;
    let admin = crate::browser_admin::AdminSetup {
        user: "root".into(),
        password: admin_password,
        provider_key,
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let profile = tempfile::tempdir().expect("profile dir");
    let driver = Driver::start();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let (outcome, shot) = rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let server = listener.local_addr().expect("addr");
        let config = ServerConfig {
            store_dir: Some(options.store.clone()),
            ..ServerConfig::default()
        };
        let state = AppState::new(Arc::clone(&db), config, Arc::new(Timestamp::now));
        let serving = tokio::spawn(pacta_server::serve(listener, state, async {
            let _ = stopped.await;
        }));
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--disable-background-networking",
                    "--disable-component-update", "--no-first-run",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            }),
        );
        caps.insert("goog:loggingPrefs".into(), json!({"browser": "ALL"}));
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
            .expect("a WebDriver session");
        let session = client
            .session_id()
            .await
            .ok()
            .flatten()
            .expect("a session id");
        let outcome = flows(&client, &driver, &session, server, &demo, &admin).await;
        let shot = if outcome.is_err() {
            client.screenshot().await.ok()
        } else {
            None
        };
        let _ = client.close().await;
        let _ = stop.send(());
        let _ = serving.await;
        (outcome, shot)
    });
    if let Err(message) = outcome {
        let dir = target_dir().join("browser");
        let saved = shot.and_then(|png| {
            std::fs::create_dir_all(&dir).ok()?;
            let path = dir.join("the_dashboard_in_chromium.png");
            std::fs::write(&path, png).ok()?;
            Some(path)
        });
        panic!("{message} (screenshot: {saved:?})");
    }
}
