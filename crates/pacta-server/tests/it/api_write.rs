//! The routes that change or compute: settle, close, verify, KPIs, data and contract
//! uploads, obligation actions and API keys. Each asserts the answer's values and that a
//! refused request changed nothing.

use axum::http::StatusCode;
use pacta_core::Month;
use pacta_server::routes::{Body as RouteBody, ROUTES};
use serde_json::json;

use crate::data::{DATA_MONTH, DATA_ROWS, contract_a};
use crate::fixture::Fixture;
use crate::http::{BODY_LIMIT, Credential, Harness, Reply, UPLOAD_LIMIT};
use crate::tenants::{CONTRACT_A, CONTRACT_B, contract_text};

const JSON: &str = "application/json";

fn month() -> Month {
    Month::parse(DATA_MONTH).expect("month")
}

fn versions(h: &Harness) -> usize {
    h.db.settlement_versions(CONTRACT_A, month())
        .expect("versions")
        .len()
}

fn audit_entries(h: &Harness) -> usize {
    h.db.log(&pacta_db::LogFilter::default())
        .expect("log")
        .len()
}

fn code(reply: &Reply) -> String {
    reply.json()["code"].as_str().unwrap_or("").to_string()
}

#[test]
fn settle_close_verify_and_kpis() {
    let h = Harness::with_store(Fixture::sqlite());
    let (carla, pedro, ana) = (h.login("carla"), h.login("pedro"), h.login("ana"));
    let base = format!("/api/contracts/{CONTRACT_A}/months/{DATA_MONTH}");
    let settle = format!("{base}/settle");
    // Settled again by the provider: version 2, byte for byte version 1 (nothing changed).
    let settled = h.post(&settle, &pedro, JSON, "");
    assert_eq!(settled.status, StatusCode::CREATED, "{}", settled.body);
    let settled = settled.json();
    assert_eq!(settled["version"], 2);
    assert_eq!(settled["saved_by"], "pedro");
    assert_eq!(settled["state"], "provisional");
    assert_eq!(settled["rows_in_month"], DATA_ROWS);
    let v1 =
        h.db.settlement(CONTRACT_A, month(), 1)
            .expect("read")
            .expect("v1");
    assert_eq!(settled["settlement_hash"], v1.settlement_hash.as_str());
    assert_eq!(settled["settlement"]["contract_id"], CONTRACT_A);
    // A vendor invoice with a bad number: located, 422, nothing saved.
    let bad = h.post(
        &settle,
        &carla,
        JSON,
        json!({"vendor_invoice_csv": "item,quantity,rate,amount\nvoice,12x,1,1\n"}).to_string(),
    );
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert_eq!(code(&bad), "vendor-invoice-not-decimal");
    assert!(
        bad.json()["message"]
            .as_str()
            .is_some_and(|m| m.contains("vendor_invoice_csv:2:2")),
        "{}",
        bad.body
    );
    // An option the CLI does not have: 400.
    let unknown = h.post(&settle, &carla, JSON, "{\"save\": false}");
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(versions(&h), 2);
    // With the vendor's invoice: reconciled.
    let invoice = "item,quantity,rate,amount\nplatform-administration-fee,1,2500,2500\n";
    let reconciled = h.post(
        &settle,
        &carla,
        JSON,
        json!({ "vendor_invoice_csv": invoice }).to_string(),
    );
    assert_eq!(
        reconciled.status,
        StatusCode::CREATED,
        "{}",
        reconciled.body
    );
    let reconciled = reconciled.json();
    assert_eq!(reconciled["version"], 3);
    assert_eq!(reconciled["reconciliation"]["invoiced_total"], "2500");
    // Only the client manager closes.
    let close = format!("{base}/close");
    for who in [&pedro, &ana, &h.login("root")] {
        let refused = h.post(&close, who, JSON, "");
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    }
    let closed = h.post(&close, &carla, JSON, "");
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    let closed = closed.json();
    assert_eq!(closed["state"], "closed");
    assert_eq!(closed["version"], 3);
    assert_eq!(closed["closed_by"], "carla");
    assert_eq!(closed["settlement_hash"], reconciled["settlement_hash"]);
    let again = h.post(&close, &carla, JSON, "");
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(code(&again), "month-already-closed");
    // A closed month is not settled again.
    let late = h.post(&settle, &pedro, JSON, "");
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.body);
    assert_eq!(code(&late), "db-month-closed");
    assert_eq!(versions(&h), 3);
    // The auditor verifies it, byte for byte, even after a new contract version.
    let text = contract_text(CONTRACT_A).replacen("version = \"1.1\"", "version = \"1.2\"", 1);
    let version = h.post(
        &format!("/api/contracts/{CONTRACT_A}/versions"),
        &carla,
        "application/toml",
        text,
    );
    assert_eq!(version.status, StatusCode::CREATED, "{}", version.body);
    let verified = h.get(&format!("{base}/verify"), &ana);
    assert_eq!(verified.status, StatusCode::OK, "{}", verified.body);
    let verified = verified.json();
    assert_eq!(verified["reproduced"], true);
    assert_eq!(verified["version"], 3);
    assert_eq!(verified["contract_version"], "1.1");
    assert!(verified["bytes"].as_u64().is_some_and(|b| b > 1000));
    let open = h.get(
        &format!("/api/contracts/{CONTRACT_A}/months/2026-08/verify"),
        &ana,
    );
    assert_eq!(open.status, StatusCode::CONFLICT);
    assert_eq!(code(&open), "month-not-closed");
    // KPIs: what `pacta kpi` measures.
    let kpis = h.get(&format!("{base}/kpis?sla=SL-VOICE"), &pedro);
    assert_eq!(kpis.status, StatusCode::OK, "{}", kpis.body);
    let store = pacta_ops::store::open(&h.data.as_ref().expect("store").store_dir).expect("store");
    let query = pacta_ops::kpi::KpiQuery {
        slas: vec!["SL-VOICE".to_string()],
        ..Default::default()
    };
    let expected = pacta_ops::kpi::measure(&store, &contract_a(), month(), &query).expect("kpi");
    assert_eq!(kpis.json(), serde_json::to_value(&expected).expect("json"));
    let unknown = h.get(&format!("{base}/kpis?sla=NOPE"), &pedro);
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(code(&unknown), "sla-unknown");
}

#[test]
fn uploads_import_with_the_report_and_refuse_bad_files() {
    let h = Harness::with_store(Fixture::sqlite());
    let pedro = h.login("pedro");
    let data = h.data.as_ref().expect("store");
    let store = || pacta_ops::store::open(&data.store_dir).expect("store");
    let path = |query: &str| format!("/api/contracts/{CONTRACT_A}/imports?{query}");
    let before = store().snapshot_number().expect("snapshot");
    let uploaded = h.post(
        &path("kind=interactions&filename=nov%2Finteractions.csv"),
        &pedro,
        "text/csv",
        data.interactions.clone(),
    );
    assert_eq!(uploaded.status, StatusCode::OK, "{}", uploaded.body);
    let report = uploaded.json();
    let written = report["written"].as_u64().expect("written");
    assert!(written > 0 && written <= 100, "{report}");
    assert_eq!(report["imported"], written);
    assert!(
        report["months_changed"]
            .as_array()
            .is_some_and(|m| m.contains(&json!("2026-11"))),
        "{report}"
    );
    let batch = report["batch"].as_str().expect("a batch").to_string();
    // The file is named as uploaded (its last component), never where it was staged.
    assert_eq!(report["files"][0]["name"], "interactions.csv");
    assert!(!uploaded.body.contains("pacta-upload"));
    assert_eq!(store().snapshot_number().expect("snapshot"), before + 1);
    // The audit log names the batch and the uploader.
    let log = h.db.log(&pacta_db::LogFilter::default()).expect("log");
    let entry = log.last().expect("an entry");
    assert_eq!(entry.action, "import");
    assert_eq!(entry.actor, "pedro");
    assert!(entry.object.ends_with(&batch));
    // The same file again: every row a duplicate, nothing written.
    let again = h.post(
        &path("kind=interactions"),
        &pedro,
        "text/csv",
        data.interactions.clone(),
    );
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(again.json()["written"], 0);
    assert_eq!(again.json()["duplicates_skipped"], written);
    let snapshot = store().snapshot_number().expect("snapshot");
    // Rows the importer cannot read are quarantined, located; over the limit, refused.
    let text = String::from_utf8(data.surveys.clone()).expect("utf-8");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let broken_row = 3;
    let header: Vec<&str> = lines[0].split(',').collect();
    let mut cells: Vec<String> = lines[broken_row - 1]
        .split(',')
        .map(str::to_string)
        .collect();
    let column = header
        .iter()
        .position(|h| h.trim() == "answered_at")
        .expect("an answered_at column");
    cells[column] = "not a time".to_string();
    lines[broken_row - 1] = cells.join(",");
    let limited = h.post(
        &path("kind=surveys&max_quarantine_percent=0&filename=surveys.csv"),
        &pedro,
        "text/csv",
        lines.join("\n"),
    );
    assert_eq!(
        limited.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        limited.body
    );
    let refused = limited.json();
    assert_eq!(refused["code"], "import-quarantine-limit");
    let quarantined = &refused["report"]["quarantined"][0];
    assert_eq!(quarantined["row"], broken_row as u64, "{refused}");
    assert_eq!(quarantined["file"], "surveys.csv");
    assert!(quarantined["field"].is_string());
    assert!(quarantined.get("value").is_none());
    assert_eq!(refused["report"]["written"], 0);
    // A file that is not the kind's layout at all: 422, nothing written.
    let garbage = h.post(
        &path("kind=surveys"),
        &pedro,
        "text/csv",
        "no,such,columns\n1,2,3\n",
    );
    assert_eq!(
        garbage.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        garbage.body
    );
    assert_ne!(code(&garbage), "internal");
    let bad_kind = h.post(&path("kind=payroll"), &pedro, "text/csv", "a\n");
    assert_eq!(bad_kind.status, StatusCode::BAD_REQUEST);
    assert_eq!(store().snapshot_number().expect("snapshot"), snapshot);
    // The auditor reads but does not upload.
    let ana = h.login("ana");
    let auditor = h.post(
        &path("kind=surveys"),
        &ana,
        "text/csv",
        data.surveys.clone(),
    );
    assert_eq!(auditor.status, StatusCode::FORBIDDEN);
    // Uploads take more than other bodies, up to their own limit.
    let big = vec![b'x'; BODY_LIMIT * 2];
    let over_json = h.post(
        &format!("/api/contracts/{CONTRACT_A}/disputes"),
        &pedro,
        JSON,
        big.clone(),
    );
    assert_eq!(over_json.status, StatusCode::PAYLOAD_TOO_LARGE);
    let within = h.post(&path("kind=surveys"), &pedro, "text/csv", big);
    assert_eq!(
        within.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        within.body
    );
    let over = h.post(
        &path("kind=surveys"),
        &pedro,
        "text/csv",
        vec![b'x'; UPLOAD_LIMIT + 1],
    );
    assert_eq!(over.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(code(&over), "payload-too-large");
    assert_eq!(store().snapshot_number().expect("snapshot"), snapshot);
}

#[test]
fn contracts_are_uploaded_validated_and_versioned() {
    let h = Harness::new(Fixture::sqlite());
    let (carla, pedro) = (h.login("carla"), h.login("pedro"));
    let register = |who: &Credential, query: &str, text: String| {
        h.post(
            &format!("/api/contracts?{query}"),
            who,
            "application/toml",
            text,
        )
    };
    let root = h.login("root");
    let count = || {
        h.get("/api/contracts", &root)
            .json()
            .as_array()
            .map(Vec::len)
    };
    let before = count();
    // Invalid: every problem located, nothing registered.
    let broken = contract_text("NEW-1").replacen("currency = \"USD\"", "currency = 12", 1);
    let invalid = register(&carla, "provider_org=shore-a-org", broken);
    assert_eq!(
        invalid.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        invalid.body
    );
    let invalid = invalid.json();
    assert_eq!(invalid["code"], "contract-invalid");
    let first = &invalid["errors"][0];
    assert!(first["code"].is_string() && first["message"].is_string());
    assert!(first["line"].as_u64().is_some_and(|l| l > 1), "{invalid}");
    assert!(first["column"].as_u64().is_some_and(|c| c >= 1));
    let unparsable = register(&carla, "provider_org=shore-a-org", "[contract\n".into());
    assert_eq!(unparsable.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unparsable.json()["errors"][0]["line"], 1);
    // The provider cannot edit contracts; a client manager registers for its own org only.
    let provider = register(&pedro, "provider_org=shore-a-org", contract_text("NEW-1"));
    assert_eq!(provider.status, StatusCode::FORBIDDEN);
    let elsewhere = register(
        &carla,
        "client_org=telco-b-org&provider_org=dial-b-org",
        contract_text("NEW-1"),
    );
    assert_eq!(elsewhere.status, StatusCode::FORBIDDEN);
    // Another tenant's id is taken, without naming its organisations.
    let taken = register(
        &carla,
        "provider_org=shore-a-org",
        contract_text(CONTRACT_B),
    );
    assert_eq!(taken.status, StatusCode::CONFLICT, "{}", taken.body);
    assert_eq!(code(&taken), "contract-id-taken");
    assert!(!taken.body.contains("telco-b-org") && !taken.body.contains("dial-b-org"));
    let missing = register(&carla, "", contract_text("NEW-1"));
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert_eq!(count(), before);
    // Registered; the same text again registers nothing.
    let created = register(&carla, "provider_org=shore-a-org", contract_text("NEW-1"));
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let created = created.json();
    assert_eq!(
        (&created["id"], &created["client_org"], &created["created"]),
        (&json!("NEW-1"), &json!("bank-a-org"), &json!(true))
    );
    assert_eq!(created["registration"], 1);
    let same = register(&carla, "provider_org=shore-a-org", contract_text("NEW-1"));
    assert_eq!(same.status, StatusCode::OK);
    assert_eq!(same.json()["created"], false);
    // A new version, through the contract's own route.
    let versions = format!("/api/contracts/{CONTRACT_A}/versions");
    let text = contract_text(CONTRACT_A).replacen("version = \"1.1\"", "version = \"2.0\"", 1);
    let refused = h.post(&versions, &pedro, "application/toml", text.clone());
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let mismatch = h.post(
        &versions,
        &carla,
        "application/toml",
        contract_text("NEW-1"),
    );
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(code(&mismatch), "contract-id-mismatch");
    let other = h.post(
        &format!("/api/contracts/{CONTRACT_B}/versions"),
        &carla,
        "application/toml",
        contract_text(CONTRACT_B),
    );
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let v2 = h.post(&versions, &carla, "application/toml", text);
    assert_eq!(v2.status, StatusCode::CREATED, "{}", v2.body);
    assert_eq!(v2.json()["registration"], 2);
    assert_eq!(v2.json()["version"], "2.0");
    let read = h
        .get(&format!("/api/contracts/{CONTRACT_A}"), &pedro)
        .json();
    assert_eq!(read["version"], "2.0");
}

#[test]
fn obligations_are_fulfilled_by_their_side_and_waived_by_the_client() {
    let h = Harness::new(Fixture::sqlite());
    let (carla, pedro) = (h.login("carla"), h.login("pedro"));
    // Listing records the obligations of the range.
    let listed = h.get(
        &format!("/api/contracts/{CONTRACT_A}/obligations?from=2026-10-01&to=2027-03-31"),
        &carla,
    );
    assert_eq!(listed.status, StatusCode::OK);
    let listed = listed.json();
    let of = |party: &str| -> Vec<String> {
        listed
            .as_array()
            .expect("a list")
            .iter()
            .filter(|o| o["obligation"]["party"] == party)
            .filter_map(|o| o["id"].as_str().map(str::to_string))
            .collect()
    };
    let (client, provider) = (of("client"), of("provider"));
    assert!(!client.is_empty() && provider.len() >= 2, "{listed}");
    let act = |who: &Credential, body: serde_json::Value| {
        h.post(
            &format!("/api/contracts/{CONTRACT_A}/obligations/actions"),
            who,
            JSON,
            body.to_string(),
        )
    };
    let settled = |id: &str| {
        h.db.obligation(id)
            .expect("read")
            .expect("recorded")
            .settled_by()
            .map(|e| e.action.clone())
    };
    // The provider fulfils its own, not the client's, and waives nothing.
    let not_its = act(&pedro, json!({"obligation": client[0], "action": "fulfil"}));
    assert_eq!(not_its.status, StatusCode::FORBIDDEN, "{}", not_its.body);
    let no_waiver = act(
        &pedro,
        json!({"obligation": provider[0], "action": "waive", "reason": "busy"}),
    );
    assert_eq!(no_waiver.status, StatusCode::FORBIDDEN);
    assert_eq!(settled(&client[0]), None);
    assert_eq!(settled(&provider[0]), None);
    let done = act(
        &pedro,
        json!({"obligation": provider[0], "action": "fulfil", "note": "sent"}),
    );
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.json()["action"], "fulfil");
    assert_eq!(done.json()["actor"], "pedro");
    assert_eq!(settled(&provider[0]).as_deref(), Some("fulfil"));
    let twice = act(
        &pedro,
        json!({"obligation": provider[0], "action": "fulfil"}),
    );
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(code(&twice), "obligation-settled");
    // The client waives, with a reason.
    let no_reason = act(
        &carla,
        json!({"obligation": provider[1], "action": "waive"}),
    );
    assert_eq!(no_reason.status, StatusCode::BAD_REQUEST);
    let waived = act(
        &carla,
        json!({"obligation": provider[1], "action": "waive", "reason": "holiday"}),
    );
    assert_eq!(waived.status, StatusCode::OK, "{}", waived.body);
    assert_eq!(settled(&provider[1]).as_deref(), Some("waive"));
    // Unknown ids and another contract's obligations read as missing.
    let unknown = act(
        &carla,
        json!({"obligation": "AFB-MNL-2026/nope", "action": "fulfil"}),
    );
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let bad = act(&carla, json!({"obligation": client[0], "action": "ignore"}));
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

fn api_keys(fixture: Fixture) {
    let h = Harness::new(fixture);
    let (carla, pedro, root) = (h.login("carla"), h.login("pedro"), h.login("root"));
    let created = h.post("/api/keys", &carla, JSON, "{\"label\": \"ci\"}");
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let created = created.json();
    let secret = created["key"].as_str().expect("the secret").to_string();
    let id = created["id"].as_str().expect("an id").to_string();
    assert!(secret.starts_with(pacta_db::API_KEY_PREFIX));
    // The key works; the listing shows it without its secret or hash.
    let me = h.get("/api/me", &Credential::Key(secret.clone()));
    assert_eq!(me.json()["user"], "carla");
    let listed = h.get("/api/keys", &carla);
    assert_eq!(listed.status, StatusCode::OK);
    assert!(!listed.body.contains(&secret));
    assert!(!listed.body.contains(&pacta_db::secret_hash(&secret)));
    let mine = listed.json();
    assert_eq!(mine.as_array().map(Vec::len), Some(1));
    assert_eq!(
        (&mine[0]["id"], &mine[0]["label"], &mine[0]["revoked_at"]),
        (&json!(id), &json!("ci"), &json!(null))
    );
    // Not another user's: pedro sees none of carla's and cannot revoke it.
    assert_eq!(h.get("/api/keys", &pedro).json(), json!([]));
    let revoke = format!("/api/keys/{id}/revoke");
    let foreign = h.post(&revoke, &pedro, JSON, "");
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    let missing = h.post("/api/keys/000000000000/revoke", &pedro, JSON, "");
    assert_eq!(foreign.body, missing.body);
    assert_eq!(
        h.get("/api/me", &Credential::Key(secret.clone())).status,
        StatusCode::OK
    );
    // The admin sees every key.
    let all = h.get("/api/keys", &root).json();
    assert!(
        all.as_array()
            .is_some_and(|a| a.iter().any(|k| k["id"] == id.as_str()))
    );
    let long = h.post(
        "/api/keys",
        &carla,
        JSON,
        json!({"label": "x".repeat(101)}).to_string(),
    );
    assert_eq!(long.status, StatusCode::BAD_REQUEST);
    // Revoked by its owner: it stops working, and a second revoke is refused.
    let revoked = h.post(&revoke, &carla, JSON, "");
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    assert!(revoked.json()["revoked_at"].is_string());
    assert_eq!(
        h.get("/api/me", &Credential::Key(secret)).status,
        StatusCode::UNAUTHORIZED
    );
    let again = h.post(&revoke, &carla, JSON, "");
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(code(&again), "key-revoked");
}

#[test]
fn api_keys_on_sqlite() {
    api_keys(Fixture::sqlite());
}

#[test]
fn api_keys_on_postgres() {
    if let Some(fixture) = Fixture::postgres() {
        api_keys(fixture);
    }
}

/// Garbage in every parameter and body of these routes is refused with 4xx, never 5xx,
/// and changes nothing.
#[test]
fn garbage_input_gets_4xx() {
    let h = Harness::with_store(Fixture::sqlite());
    let carla = h.login("carla");
    let audit_before =
        h.db.log(&pacta_db::LogFilter::default())
            .expect("log")
            .len();
    let bodies: [&[u8]; 8] = [
        b"",
        b"{",
        b"[]",
        b"null",
        b"{\"allow_empty\": \"yes\"}",
        b"\xff\xfe\x00garbage",
        b"{\"obligation\": 1, \"action\": []}",
        b"1e999999",
    ];
    let months = ["2026-13", "0000-00", "abc", "%00"];
    let mine = ROUTES
        .iter()
        .filter(|r| !r.page && r.method == "POST" && r.body != RouteBody::None);
    let mut sent = 0;
    for route in mine {
        for body in bodies {
            if body.is_empty()
                && matches!(
                    route.body,
                    RouteBody::Json {
                        required: false,
                        ..
                    }
                )
            {
                continue;
            }
            for media in [JSON, "text/csv", "application/toml"] {
                let path = route
                    .path
                    .replace("{id}", CONTRACT_A)
                    .replace("{month}", "2026-13")
                    .replace("{n}", "1");
                let reply = h.post(&path, &carla, media, body.to_vec());
                assert!(
                    reply.status.is_client_error(),
                    "{} {path} {body:?}: {} {}",
                    route.method,
                    reply.status,
                    reply.body
                );
                sent += 1;
            }
        }
    }
    for m in months {
        for suffix in ["settle", "close", "verify", "kpis?sla=%FF"] {
            let path = format!("/api/contracts/{CONTRACT_A}/months/{m}/{suffix}");
            let reply = if suffix == "verify" || suffix.starts_with("kpis") {
                h.get(&path, &carla)
            } else {
                h.post(&path, &carla, JSON, "{}")
            };
            assert!(reply.status.is_client_error(), "{path}: {}", reply.status);
            sent += 1;
        }
    }
    let temp = std::env::temp_dir().display().to_string();
    for query in [
        "",
        "kind=",
        "kind=surveys&max_quarantine_percent=NaN",
        "kind=surveys&max_quarantine_percent=-1",
        "kind=surveys&replace=maybe",
        "kind=interactions&format=nope",
        "kind=interactions&source=nope",
        "kind=interactions&time_zone=Mars%2FOlympus",
        "kind=surveys&replace=true",
        "kind=interactions&format=parquet",
        "kind=interactions&format=jsonl",
        "kind=interactions&format=asterisk",
        "kind=interactions&format=amazon-connect",
        "kind=interactions&format=anonbank",
        "kind=qa",
        "kind=roster",
        "kind=training",
        "kind=agent_days",
        "kind=incidents",
        "kind=invoices",
    ] {
        let path = format!("/api/contracts/{CONTRACT_A}/imports?{query}");
        for body in [
            &b"a,b\n1,2\n"[..],
            b"PAR1\x00\x01garbage PAR1",
            b"{\"x\": 1}\n",
        ] {
            let reply = h.post(&path, &carla, "text/csv", body.to_vec());
            // Refused, or read with every row quarantined (as the CLI does): nothing written.
            let nothing_written = reply.status == StatusCode::OK && reply.json()["written"] == 0;
            assert!(
                reply.status.is_client_error() || nothing_written,
                "{path} {body:?}: {} {}",
                reply.status,
                reply.body
            );
            // The answer names the file as uploaded, never where the server staged it.
            assert!(
                !reply.body.contains("pacta-upload-") && !reply.body.contains(&temp),
                "{path} {body:?}: {}",
                reply.body
            );
            sent += 1;
        }
    }
    for key in ["..%2F..".to_string(), "%00".to_string(), "x".repeat(300)] {
        let reply = h.post(&format!("/api/keys/{key}/revoke"), &carla, JSON, "");
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        sent += 1;
    }
    // Nothing was recorded by any of them.
    let audit_after =
        h.db.log(&pacta_db::LogFilter::default())
            .expect("log")
            .len();
    assert_eq!(audit_after, audit_before);
    assert!(sent > 100);
}

/// The OpenAPI document describes these routes' parameters and bodies as they are taken.
#[test]
fn the_openapi_document_describes_bodies_and_parameters() {
    let doc = pacta_server::routes::openapi();
    let op = |path: &str, method: &str| doc["paths"][path][method].clone();
    let import = op("/api/contracts/{id}/imports", "post");
    let params = import["parameters"].as_array().expect("parameters");
    let kind = params.iter().find(|p| p["name"] == "kind").expect("kind");
    assert_eq!(kind["required"], true);
    assert_eq!(kind["in"], "query");
    assert!(
        kind["schema"]["enum"]
            .as_array()
            .is_some_and(|e| e.contains(&json!("surveys")))
    );
    let source = params
        .iter()
        .find(|p| p["name"] == "source")
        .expect("source");
    assert_eq!(source["required"], false);
    assert!(import["requestBody"]["content"]["text/csv"].is_object());
    assert!(import["responses"]["413"].is_object());
    let contract = op("/api/contracts", "post");
    assert!(contract["requestBody"]["content"]["application/toml"].is_object());
    let settle = op("/api/contracts/{id}/months/{month}/settle", "post");
    assert_eq!(settle["requestBody"]["required"], false);
    assert_eq!(
        settle["requestBody"]["content"]["application/json"]["schema"]["properties"]["allow_empty"]
            ["type"],
        "boolean"
    );
    let month = settle["parameters"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["name"] == "month"))
        .expect("month");
    assert!(month["schema"]["pattern"].is_string());
    let obligations = op("/api/contracts/{id}/obligations/actions", "post");
    assert_eq!(
        obligations["requestBody"]["content"]["application/json"]["schema"]["required"],
        json!(["obligation", "action"])
    );
    // Every `{name}` of every path is a declared path parameter.
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("operations") {
            let declared: Vec<&str> = operation["parameters"]
                .as_array()
                .expect("parameters")
                .iter()
                .filter(|p| p["in"] == "path")
                .filter_map(|p| p["name"].as_str())
                .collect();
            let in_path: Vec<&str> = path
                .split('/')
                .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
                .collect();
            assert_eq!(declared, in_path, "{method} {path}");
        }
    }
    let revoke = op("/api/keys/{key}/revoke", "post");
    assert!(revoke["responses"]["404"].is_object());
    assert!(revoke.get("requestBody").is_none());
    // Every JSON schema given is valid JSON (a typo would silently become "object").
    for route in ROUTES {
        if let RouteBody::Json { schema, .. } = route.body {
            assert!(
                serde_json::from_str::<serde_json::Value>(schema).is_ok(),
                "{}",
                route.path
            );
        }
    }
}

#[test]
fn dispute_evidence_is_uploaded_by_parties_and_downloaded_by_readers() {
    let h = Harness::with_store(Fixture::sqlite());
    let (carla, pedro, ana) = (h.login("carla"), h.login("pedro"), h.login("ana"));
    let opened = h.post(
        &format!("/api/contracts/{CONTRACT_A}/disputes"),
        &carla,
        JSON,
        json!({"month": crate::tenants::MONTH, "subject": "credits", "claim": "short"}).to_string(),
    );
    assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
    let upload = |who: &Credential, query: &str, body: Vec<u8>| {
        h.post(
            &format!(
                "/api/contracts/{CONTRACT_A}/months/{}/disputes/1/evidence?{query}",
                crate::tenants::MONTH
            ),
            who,
            "application/pdf",
            body,
        )
    };
    let file = b"%PDF-1.4 the provider's staffing log".to_vec();
    let uploaded = upload(
        &pedro,
        "text=our%20log&filename=..%2Flog%20v1.pdf",
        file.clone(),
    );
    assert_eq!(uploaded.status, StatusCode::OK, "{}", uploaded.body);
    let uploaded = uploaded.json();
    let hash = uploaded["evidence"]["hash"]
        .as_str()
        .expect("a hash")
        .to_string();
    assert_eq!(hash, pacta_db::evidence_hash(&file));
    assert_eq!(uploaded["evidence"]["name"], "logv1.pdf");
    assert_eq!(uploaded["dispute"]["events"], 1);
    // Auditors read but do not act; an empty file is refused; neither is recorded.
    assert_eq!(
        upload(&ana, "text=x", file.clone()).status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        upload(&carla, "text=x", Vec::new()).status,
        StatusCode::BAD_REQUEST
    );
    let events = h.db.disputes(CONTRACT_A).expect("disputes")[0].events.len();
    assert_eq!(events, 1);
    // Every reader of the contract downloads it, byte for byte, as an attachment.
    for who in [&ana, &carla, &pedro] {
        let got = h.get(&format!("/api/contracts/{CONTRACT_A}/evidence/{hash}"), who);
        assert_eq!(got.status, StatusCode::OK, "{}", got.body);
        assert_eq!(got.body.as_bytes(), file.as_slice());
        assert_eq!(
            got.headers["content-disposition"],
            "attachment; filename=\"logv1.pdf\""
        );
        assert_eq!(got.headers["content-type"], "application/octet-stream");
    }
    // An obligation's evidence too; another contract's, through this contract, is missing.
    let data = h.data.as_ref().expect("store");
    let (a_hash, a_bytes) = &data.evidence[0];
    let got = h.get(
        &format!("/api/contracts/{CONTRACT_A}/evidence/{a_hash}"),
        &pedro,
    );
    assert_eq!(got.body.as_bytes(), a_bytes.as_slice());
    let b_hash = data.evidence_of(CONTRACT_B);
    let through_a = h.get(
        &format!("/api/contracts/{CONTRACT_A}/evidence/{b_hash}"),
        &ana,
    );
    let missing = h.get(
        &format!("/api/contracts/{CONTRACT_A}/evidence/{}", "0".repeat(64)),
        &ana,
    );
    assert_eq!(through_a.status, StatusCode::NOT_FOUND);
    assert_eq!(through_a.body, missing.body);
    let b_for_pedro = h.get(
        &format!("/api/contracts/{CONTRACT_B}/evidence/{b_hash}"),
        &pedro,
    );
    assert_eq!(b_for_pedro.status, StatusCode::NOT_FOUND);
    assert!(!b_for_pedro.body.contains(CONTRACT_B));
    let b_for_ana = h.get(
        &format!("/api/contracts/{CONTRACT_B}/evidence/{b_hash}"),
        &ana,
    );
    assert_eq!(b_for_ana.status, StatusCode::OK);
}

#[test]
fn an_uploaded_vendor_invoice_is_reconciled_by_settle() {
    let h = Harness::with_store(Fixture::sqlite());
    let (carla, pedro) = (h.login("carla"), h.login("pedro"));
    let base = format!("/api/contracts/{CONTRACT_A}/months/{DATA_MONTH}");
    let settle = format!("{base}/settle");
    let uploaded_only = json!({"uploaded_vendor_invoice": true}).to_string();
    // None uploaded yet: 409, nothing saved.
    let none = h.post(&settle, &carla, JSON, uploaded_only.clone());
    assert_eq!(none.status, StatusCode::CONFLICT, "{}", none.body);
    assert_eq!(code(&none), "vendor-invoice-none");
    // A bad file is refused, located, and not kept.
    let upload = |body: &str| {
        h.post(
            &format!("{base}/vendor-invoice?filename=inv.csv"),
            &pedro,
            "text/csv",
            body.to_string(),
        )
    };
    let bad = upload("item,quantity,rate,amount\nvoice,1,x,1\n");
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(code(&bad), "vendor-invoice-not-decimal");
    assert!(bad.body.contains("inv.csv:2:3"), "{}", bad.body);
    assert_eq!(
        h.db.vendor_file(pacta_db::VendorFile::Invoice, CONTRACT_A, month())
            .expect("read"),
        None
    );
    // Kept; the latest one is the one settled.
    let first = upload("item,quantity,rate,amount\nplatform-administration-fee,1,2500,2500\n");
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert_eq!(first.json()["invoiced_total"], "2500");
    let second = upload("item,quantity,rate,amount\nplatform-administration-fee,1,1000,1000\n");
    assert_eq!(second.json()["lines"], 1);
    let kept =
        h.db.vendor_file(pacta_db::VendorFile::Invoice, CONTRACT_A, month())
            .expect("read")
            .expect("kept");
    assert_eq!(kept.hash, second.json()["hash"].as_str().expect("hash"));
    let settled = h.post(&settle, &carla, JSON, uploaded_only);
    assert_eq!(settled.status, StatusCode::CREATED, "{}", settled.body);
    assert_eq!(settled.json()["reconciliation"]["invoiced_total"], "1000");
    let both = h.post(
        &settle,
        &carla,
        JSON,
        json!({"uploaded_vendor_invoice": true, "vendor_invoice_csv": "item,quantity,rate,amount\n"})
            .to_string(),
    );
    assert_eq!(both.status, StatusCode::BAD_REQUEST);
    // The auditor reads but does not upload.
    let ana = h.login("ana");
    let refused = h.post(
        &format!("{base}/vendor-invoice"),
        &ana,
        "text/csv",
        "item,quantity,rate,amount\n",
    );
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(versions(&h), 2);
}

#[test]
fn a_vendor_staffing_plan_is_checked_then_kept() {
    let h = Harness::with_store(Fixture::sqlite());
    let pedro = h.login("pedro");
    let audit_before = audit_entries(&h);
    let upload = |contract: &str, body: &str| {
        h.post(
            &format!(
                "/api/contracts/{contract}/months/{DATA_MONTH}/staffing-plan?filename=plan.csv"
            ),
            &pedro,
            "text/csv",
            body.to_string(),
        )
    };
    // Every bad value is located, and nothing is kept or audited.
    let bad = upload(
        CONTRACT_A,
        "interval_start,queue,agents\n2026-09-01 09:00,general,x\nnot a time,general,3\n",
    );
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("plan.csv:2:3"), "{}", bad.body);
    assert!(bad.body.contains("plan.csv:3:1"), "{}", bad.body);
    let missing = upload(CONTRACT_A, "interval_start,agents\n2026-09-01 09:00,3\n");
    assert_eq!(
        missing.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        missing.body
    );
    assert!(missing.body.contains("queue"), "{}", missing.body);
    assert_eq!(
        h.db.vendor_file(pacta_db::VendorFile::StaffingPlan, CONTRACT_A, month())
            .expect("read"),
        None
    );
    assert_eq!(audit_entries(&h), audit_before);
    // Kept; the latest one is the one read.
    let plan =
        "interval_start,queue,agents\n2026-09-01 09:00,general,3\n2026-09-01 09:30,general,4\n";
    let first = upload(CONTRACT_A, plan);
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert_eq!(first.json()["rows"], 2);
    let second = upload(
        CONTRACT_A,
        "interval_start,queue,agents\n2026-09-01 09:00,general,5\n",
    );
    assert_eq!(second.json()["rows"], 1);
    let kept =
        h.db.vendor_file(pacta_db::VendorFile::StaffingPlan, CONTRACT_A, month())
            .expect("read")
            .expect("kept");
    assert_eq!(kept.hash, second.json()["hash"].as_str().expect("hash"));
    assert_eq!(kept.name, "plan.csv");
    // Not the invoice's slot.
    assert_eq!(
        h.db.vendor_file(pacta_db::VendorFile::Invoice, CONTRACT_A, month())
            .expect("read"),
        None
    );
    // Another tenant's contract does not exist for the provider; the auditor does not upload.
    assert_eq!(upload(CONTRACT_B, plan).status, StatusCode::NOT_FOUND);
    let ana = h.login("ana");
    let refused = h.post(
        &format!("/api/contracts/{CONTRACT_A}/months/{DATA_MONTH}/staffing-plan"),
        &ana,
        "text/csv",
        plan,
    );
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}
