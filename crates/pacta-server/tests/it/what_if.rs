//! The what-if over HTTP: the month re-settled with changed terms and compared with the
//! saved version, nothing saved or audited, the month read from the store once (the cache),
//! bad changes located by their JSON path, another tenant's contract 404, and the page in
//! both languages.

use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use jiff::Timestamp;
use pacta_db::{Db, LogFilter, NewContract, NewUser, Role};
use pacta_server::{AppState, ServerConfig};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::tenants::{CONTRACT_A, CONTRACT_B, MONTH, contract_text};

struct Reply {
    status: StatusCode,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// The demo's store and database (two months, the second settled twice through a dispute),
/// another tenant's contract, and an API key per user.
struct Setup {
    _dir: tempfile::TempDir,
    store: std::path::PathBuf,
    db: Arc<Db>,
    state: AppState,
    app: Router,
    rt: tokio::runtime::Runtime,
    /// user → API key.
    keys: Vec<(String, String)>,
}

impl Setup {
    fn new() -> Setup {
        let dir = tempfile::tempdir().expect("temp dir");
        let options = pacta_ops::demo::DemoOptions {
            out: dir.path().join("demo"),
            store: dir.path().join("store"),
            rows: 3_000,
            month: pacta_core::Month::parse(MONTH).expect("month"),
            db: None,
        };
        let now = Timestamp::now();
        pacta_ops::demo::run(&options, now, &mut |_| {}).expect("demo");
        let url = pacta_ops::record::db_url(&options.store, None).expect("url");
        let db = Arc::new(pacta_ops::record::open(&url).expect("db"));
        for org in ["telco-b-org", "dial-b-org"] {
            db.add_org(org, org, "setup", now).expect("org");
        }
        db.add_user(
            &NewUser {
                name: "tina".to_string(),
                org: "telco-b-org".to_string(),
                role: Role::ClientManager,
            },
            "correct horse battery staple",
            "setup",
            now,
        )
        .expect("user");
        let text = contract_text(CONTRACT_B);
        let b = pacta_contract::parse_str(&text).expect("contract B");
        db.register_contract(
            &NewContract {
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
        let keys = ["carla", "pedro", "ana", "tina"]
            .iter()
            .map(|user| {
                let key = db.create_api_key(user, "test", user, now).expect("key");
                (user.to_string(), key.secret)
            })
            .collect();
        let config = ServerConfig {
            store_dir: Some(options.store.clone()),
            ..ServerConfig::default()
        };
        let state = AppState::new(Arc::clone(&db), config, Arc::new(Timestamp::now));
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        Setup {
            _dir: dir,
            store: options.store,
            db,
            app: pacta_server::router(state.clone()),
            state,
            rt,
            keys,
        }
    }

    fn key(&self, user: &str) -> &str {
        self.keys
            .iter()
            .find(|(u, _)| u == user)
            .map(|(_, k)| k.as_str())
            .expect("a key")
    }

    fn call(&self, req: Request<Body>) -> Reply {
        self.rt.block_on(async {
            let response = self.app.clone().oneshot(req).await.expect("infallible");
            let status = response.status();
            let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .expect("body");
            Reply {
                status,
                body: String::from_utf8_lossy(&bytes).into_owned(),
            }
        })
    }

    fn post(&self, user: &str, path: &str, lang: &str, kind: &str, body: String) -> Reply {
        self.call(
            Request::post(path)
                .header(header::AUTHORIZATION, format!("Bearer {}", self.key(user)))
                .header("sec-fetch-site", "same-origin")
                .header(header::ACCEPT_LANGUAGE, lang)
                .header(header::CONTENT_TYPE, kind)
                .body(Body::from(body))
                .expect("request"),
        )
    }

    fn what_if(&self, user: &str, contract: &str, body: Value) -> Reply {
        self.what_if_raw(user, contract, MONTH, "en", body.to_string())
    }

    fn what_if_raw(
        &self,
        user: &str,
        contract: &str,
        month: &str,
        lang: &str,
        body: String,
    ) -> Reply {
        let path = format!("/api/contracts/{contract}/months/{month}/what-if");
        self.post(user, &path, lang, "application/json", body)
    }

    fn get(&self, user: &str, path: &str, lang: &str) -> Reply {
        self.call(
            Request::get(path)
                .header(header::AUTHORIZATION, format!("Bearer {}", self.key(user)))
                .header(header::ACCEPT_LANGUAGE, lang)
                .body(Body::empty())
                .expect("request"),
        )
    }

    /// (audit entries, saved versions of the month): what a what-if must not change.
    fn recorded(&self) -> (usize, usize) {
        let entries = self.db.log(&LogFilter::default()).expect("log").len();
        let month = pacta_core::Month::parse(MONTH).expect("month");
        let versions = self
            .db
            .settlement_versions(CONTRACT_A, month)
            .expect("versions")
            .len();
        (entries, versions)
    }
}

fn sla<'a>(reply: &'a Value, id: &str) -> &'a Value {
    reply["slas"]
        .as_array()
        .and_then(|s| s.iter().find(|x| x["sla_id"] == id))
        .unwrap_or_else(|| panic!("no {id} in {reply}"))
}

#[test]
fn what_if_settles_unsaved_against_the_saved_version_from_the_cache() {
    let s = Setup::new();
    let before = s.recorded();
    assert!(before.0 > 0 && before.1 >= 1, "{before:?}");

    // No change: the saved latest version, reproduced figure for figure.
    let same = s.what_if("pedro", CONTRACT_A, json!({"changes": []}));
    assert_eq!(same.status, StatusCode::OK, "{}", same.body);
    let same = same.json();
    assert_eq!(same["saved"], false);
    assert_eq!(same["compared_with_version"], before.1);
    let slas = same["slas"].as_array().expect("slas");
    assert!(slas.len() >= 5);
    for d in slas {
        assert_eq!(d["changed"], false, "{d}");
        assert_eq!(d["before"]["status"], d["after"]["status"]);
    }
    assert_eq!(same["credit"]["change"].as_f64(), Some(0.0));
    assert_eq!(
        same["invoice_total"]["before"],
        same["invoice_total"]["after"]
    );

    // SL-VOICE's target: far above the measured level it is missed, far below it is met;
    // the measured value stays as saved, and the credit moves with the verdict.
    let target = |expected: &str, minimum: &str| {
        let reply = s.what_if(
            "carla",
            CONTRACT_A,
            json!({"changes": [{"change": "target", "sla": "SL-VOICE",
                                "expected": expected, "minimum": minimum}]}),
        );
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        reply.json()
    };
    let high = target("99.9", "10");
    let low = target("10", "5");
    let (h, l) = (sla(&high, "SL-VOICE"), sla(&low, "SL-VOICE"));
    assert_eq!(h["after"]["status"], "missed", "{h}");
    assert_eq!(l["after"]["status"], "met", "{l}");
    assert_eq!(h["after"]["expected"].as_f64(), Some(99.9));
    assert_eq!(l["after"]["expected"].as_f64(), Some(10.0));
    assert_eq!(h["after"]["value"], h["before"]["value"]);
    assert_eq!(l["after"]["value"], l["before"]["value"]);
    assert_eq!(l["after"]["credit"].as_f64(), Some(0.0));
    let amount = |v: &Value| -> rust_decimal::Decimal { v.to_string().parse().expect("decimal") };
    assert!(
        amount(&h["after"]["credit"]) > rust_decimal::Decimal::ZERO,
        "{h}"
    );
    assert!(amount(&high["credit"]["after"]) > amount(&low["credit"]["after"]));
    assert!(amount(&high["net_to_client"]["after"]) > amount(&low["net_to_client"]["after"]));
    // The bank contract nets a month's credits on the next invoice: this one's total holds.
    assert_eq!(
        high["invoice_total"]["after"],
        low["invoice_total"]["after"]
    );
    assert_eq!(
        amount(&high["credit"]["change"]),
        amount(&high["credit"]["after"]) - amount(&high["credit"]["before"])
    );
    // The other SLAs measure and fare as saved (their credits may move: the cap is shared
    // pro rata).
    for d in high["slas"].as_array().expect("slas") {
        if d["sla_id"] != "SL-VOICE" {
            assert_eq!(d["after"]["status"], d["before"]["status"], "{d}");
            assert_eq!(d["after"]["value"], d["before"]["value"], "{d}");
        }
    }
    assert_eq!(high["settlement"]["contract_id"], CONTRACT_A);

    // A stricter threshold lowers the measured service level.
    let stricter = s.what_if(
        "ana",
        CONTRACT_A,
        json!({"changes": [{"change": "threshold", "sla": "SL-VOICE", "seconds": 5}]}),
    );
    assert_eq!(stricter.status, StatusCode::OK, "{}", stricter.body);
    let stricter = stricter.json();
    let v = sla(&stricter, "SL-VOICE");
    assert!(
        v["after"]["value"].as_f64() < v["before"]["value"].as_f64(),
        "{v}"
    );

    // Nothing saved, nothing audited.
    assert_eq!(s.recorded(), before);

    // The month was read from the store once; with its Parquet files gone, a what-if still
    // answers the same from memory.
    assert_eq!(s.state.month_cache().loads(), 1);
    assert!(s.state.month_cache().bytes() > 0);
    let mut removed = 0;
    remove_parquet(&s.store, &mut removed);
    assert!(removed > 0);
    let again = target("99.9", "10");
    assert_eq!(again["slas"], high["slas"]);
    assert_eq!(s.state.month_cache().loads(), 1);
}

fn remove_parquet(dir: &Path, removed: &mut usize) {
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            remove_parquet(&path, removed);
        } else if path.extension().is_some_and(|e| e == "parquet") {
            std::fs::remove_file(&path).expect("remove");
            *removed += 1;
        }
    }
}

#[test]
fn bad_changes_are_located_and_other_tenants_contracts_are_404() {
    let s = Setup::new();
    let before = s.recorded();
    // Not JSON, a wrong type, an unknown change kind, a missing field: 400 with the path.
    let cases = [
        ("{", ""),
        (r#"{"changes": 3}"#, "changes"),
        (
            r#"{"changes": [{"change": "nope", "sla": "SL-VOICE"}]}"#,
            "changes[0]",
        ),
        (
            r#"{"changes": [{"change": "threshold", "sla": "SL-VOICE"}]}"#,
            "changes[0]",
        ),
        (r#"{"changes": [], "extra": 1}"#, "extra"),
    ];
    for (body, path) in cases {
        let reply = s.what_if_raw("carla", CONTRACT_A, MONTH, "en", body.to_string());
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{body}: {}",
            reply.body
        );
        let reply = reply.json();
        assert_eq!(reply["code"], "bad-request");
        let got = reply["path"].as_str().expect("a path");
        assert!(got.starts_with(path), "{body}: path {got}, wanted {path}");
    }
    let month = s.what_if_raw(
        "carla",
        CONTRACT_A,
        "2026-13",
        "en",
        r#"{"changes": []}"#.into(),
    );
    assert_eq!(month.status, StatusCode::BAD_REQUEST);

    // Valid JSON, invalid terms: 422 naming the change, the SLA and the field.
    let refused = s.what_if(
        "carla",
        CONTRACT_A,
        json!({"changes": [
            {"change": "target", "sla": "SL-VOICE", "expected": "80"},
            {"change": "target", "sla": "SL-VOICE", "expected": "50", "minimum": "60"},
            {"change": "variant", "sla": "NO-SUCH-SLA", "variant": "x"},
        ]}),
    );
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    let refused = refused.json();
    assert_eq!(refused["code"], "what-if-invalid");
    assert_eq!(refused["path"], "changes[1].minimum");
    let paths: Vec<&str> = refused["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .filter_map(|p| p["path"].as_str())
        .collect();
    assert_eq!(paths, ["changes[1].minimum", "changes[2].sla"]);
    assert_eq!(refused["problems"][0]["sla"], "SL-VOICE");
    assert_eq!(refused["problems"][0]["field"], "minimum");
    let es = s.what_if_raw(
        "carla",
        CONTRACT_A,
        MONTH,
        "es",
        json!({"changes": [{"change": "threshold", "sla": "NOPE", "seconds": 20}]}).to_string(),
    );
    assert_eq!(es.status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = es.json()["message"].as_str().expect("message").to_string();
    assert!(
        message.contains("no son válidos") && message.contains("changes[0].sla"),
        "{message}"
    );

    // Another tenant's contract answers exactly as a missing one, both ways.
    let body = json!({"changes": []});
    let other = s.what_if("carla", CONTRACT_B, body.clone());
    let missing = s.what_if("carla", "NO-SUCH-CONTRACT", body.clone());
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert_eq!(
        (other.status, other.body.clone()),
        (missing.status, missing.body)
    );
    assert!(!other.body.contains(CONTRACT_B));
    let reverse = s.what_if("tina", CONTRACT_A, body);
    assert_eq!(reverse.status, StatusCode::NOT_FOUND);
    assert!(!reverse.body.contains(CONTRACT_A));
    let page = s.get(
        "tina",
        &format!("/contracts/{CONTRACT_A}/months/{MONTH}/what-if"),
        "en",
    );
    assert_eq!(page.status, StatusCode::NOT_FOUND);

    assert_eq!(s.recorded(), before);
    // Nothing was read for refused requests.
    assert_eq!(s.state.month_cache().loads(), 0);
}

#[test]
fn the_what_if_page_in_both_languages() {
    let s = Setup::new();
    let path = format!("/contracts/{CONTRACT_A}/months/{MONTH}/what-if");
    let form = s.get("pedro", &path, "en");
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    // Every SLA with its target in force (SL-VOICE: 85 % from July in the bank example).
    assert!(
        form.body.contains(r#"name="expected.SL-VOICE" value="85""#),
        "{}",
        form.body
    );
    assert!(form.body.contains(r#"name="minimum.SL-VOICE" value="78""#));
    assert!(
        form.body
            .contains(r#"name="threshold.SL-VOICE" value="20""#)
    );
    assert!(form.body.contains("Re-settle without saving"));
    assert!(!form.body.contains("<script"));
    let es = s.get("pedro", &path, "es");
    assert!(es.body.contains("Simulación") && es.body.contains("Liquidar de nuevo sin guardar"));

    let before = s.recorded();
    let submit = |lang: &str, fields: &str| {
        s.post(
            "pedro",
            &path,
            lang,
            "application/x-www-form-urlencoded",
            fields.to_string(),
        )
    };
    let result = submit(
        "en",
        "sla=SL-VOICE&expected.SL-VOICE=50&minimum.SL-VOICE=40",
    );
    assert_eq!(result.status, StatusCode::OK, "{}", result.body);
    assert!(result.body.contains(r#"id="what-if-result""#));
    // SL-VOICE's row shows before → after: the target went from 85 to 50, the status to met.
    let row = result
        .body
        .split(r#"id="what-if-SL-VOICE""#)
        .nth(1)
        .and_then(|r| r.split("</tr>").next())
        .expect("the SL-VOICE row");
    assert!(row.contains("85 → 50"), "{row}");
    assert!(row.contains("→ met"), "{row}");
    assert!(result.body.contains(r#"id="what-if-credit""#));
    // The form keeps what was submitted.
    assert!(
        result
            .body
            .contains(r#"name="expected.SL-VOICE" value="50""#)
    );

    let result_es = submit(
        "es",
        "sla=SL-VOICE&expected.SL-VOICE=50%2C5&minimum.SL-VOICE=40",
    );
    assert_eq!(result_es.status, StatusCode::OK, "{}", result_es.body);
    assert!(result_es.body.contains("50,5") && result_es.body.contains("cumplido"));

    let bad = submit("en", "sla=SL-VOICE&expected.SL-VOICE=lots");
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("expected.SL-VOICE") && bad.body.contains("not a number"));
    let refused = submit("es", "sla=SL-VOICE&variant.SL-VOICE=nada");
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("changes[0].variant"),
        "{}",
        refused.body
    );
    assert_eq!(s.recorded(), before);
}
