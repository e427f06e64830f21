//! The HTTP surface in process (`tower::ServiceExt::oneshot`): the authorization matrix,
//! logins, sessions, CSRF, the rate limit, headers, and what the database file holds.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode, header};
use jiff::{SignedDuration, Timestamp};
use pacta_db::{Db, Role};
use pacta_server::routes::{Access, Body as RouteBody, ROUTES, Route};
use pacta_server::{AppState, SESSION_COOKIE, ServerConfig};
use serde_json::Value;
use tower::ServiceExt;

use crate::data::{StoreData, store_data};
use crate::fixture::Fixture;
use crate::tenants::{CONTRACT_A, CONTRACT_B, MONTH, PASSWORD, Seed, USERS, contract_text, seed};

const LOGIN_ATTEMPTS: u32 = 5;
const SESSION_HOURS: i64 = 8;

/// A response: status, headers, body text.
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: String,
}

impl Reply {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// The server over a seeded database, with a clock the test moves.
pub(crate) struct Harness {
    rt: tokio::runtime::Runtime,
    app: Router,
    pub(crate) now: Arc<Mutex<Timestamp>>,
    seed: Seed,
    pub(crate) db: Arc<Db>,
    fixture: Fixture,
    /// The store with data, for the routes that need one.
    pub(crate) data: Option<StoreData>,
    /// Makes each example request that creates something unique.
    counter: AtomicU32,
}

/// The request bodies' limit in these tests, and the uploads'.
pub(crate) const BODY_LIMIT: usize = 64 * 1024;
pub(crate) const UPLOAD_LIMIT: usize = 256 * 1024;

impl Harness {
    pub(crate) fn new(fixture: Fixture) -> Harness {
        Harness::build(fixture, false)
    }

    /// With a store holding September's data for contract A ([`crate::data`]).
    pub(crate) fn with_store(fixture: Fixture) -> Harness {
        Harness::build(fixture, true)
    }

    fn build(fixture: Fixture, with_store: bool) -> Harness {
        let start: Timestamp = "2026-11-02T09:00:00Z".parse().expect("time");
        let db = Arc::new(fixture.open());
        let seed = seed(&db, start);
        let data = with_store.then(|| store_data(&db, start));
        let now = Arc::new(Mutex::new(start));
        let clock_now = Arc::clone(&now);
        let config = ServerConfig {
            session_ttl: SignedDuration::from_hours(SESSION_HOURS),
            login_attempts: LOGIN_ATTEMPTS,
            login_window: SignedDuration::from_mins(15),
            body_limit: BODY_LIMIT,
            store_dir: data.as_ref().map(|d| d.store_dir.clone()),
            upload_limit: UPLOAD_LIMIT,
        };
        let state = AppState::new(
            Arc::clone(&db),
            config,
            Arc::new(move || *clock_now.lock().expect("clock")),
        );
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        Harness {
            rt,
            app: pacta_server::router(state),
            now,
            seed,
            db,
            fixture,
            data,
            counter: AtomicU32::new(0),
        }
    }

    fn next(&self) -> u32 {
        self.counter.fetch_add(1, Ordering::Relaxed) + 1
    }

    fn advance(&self, by: SignedDuration) {
        let mut now = self.now.lock().expect("clock");
        *now = now.checked_add(by).expect("time");
    }

    pub(crate) fn call(&self, req: Request<Body>) -> Reply {
        self.rt.block_on(async {
            let response = self.app.clone().oneshot(req).await.expect("infallible");
            let status = response.status();
            let headers = response.headers().clone();
            let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .expect("body");
            Reply {
                status,
                headers,
                body: String::from_utf8_lossy(&bytes).into_owned(),
            }
        })
    }

    pub(crate) fn get(&self, path: &str, auth: &Credential) -> Reply {
        self.call(
            auth.apply(Request::get(path))
                .body(Body::empty())
                .expect("request"),
        )
    }

    /// The route called as the dashboard would: a GET, or a same-origin JSON POST (opening
    /// a dispute on the month's credits, or commenting on dispute 1).
    fn request(&self, route: &Route, path: &str, auth: &Credential) -> Reply {
        if route.method == "GET" {
            return self.get(path, auth);
        }
        let (media, body) = self.example_body(route, path);
        self.post(path, auth, media, body)
    }

    /// A same-origin POST.
    pub(crate) fn post(
        &self,
        path: &str,
        auth: &Credential,
        media: &str,
        body: impl Into<Body>,
    ) -> Reply {
        self.call(
            auth.apply(Request::post(path))
                .header("sec-fetch-site", "same-origin")
                .header(header::CONTENT_TYPE, media)
                .body(body.into())
                .expect("request"),
        )
    }

    /// A valid body for the route: its example, or one made for it here (a file to upload,
    /// a contract with an id not used yet, an obligation nobody acted on yet).
    fn example_body(&self, route: &Route, path: &str) -> (&'static str, Vec<u8>) {
        let json = "application/json";
        if !route.example.body.is_empty() {
            return (json, route.example.body.as_bytes().to_vec());
        }
        match route.body {
            RouteBody::File { .. } if route.path.ends_with("/imports") => (
                "text/csv",
                self.data
                    .as_ref()
                    .map(|d| d.surveys.clone())
                    .unwrap_or_default(),
            ),
            RouteBody::File { .. } if route.path.ends_with("/vendor-invoice") => (
                "text/csv",
                b"item,quantity,rate,amount\nplatform-administration-fee,1,2500,2500\n".to_vec(),
            ),
            RouteBody::File { .. } if route.path.ends_with("/staffing-plan") => (
                "text/csv",
                b"interval_start,queue,agents\n2026-08-03 09:00,general,5\n".to_vec(),
            ),
            RouteBody::File { .. } if route.path.ends_with("/evidence") => (
                "application/octet-stream",
                format!("minutes {}", self.next()).into_bytes(),
            ),
            RouteBody::File { .. } if route.path == "/api/contracts" => (
                "application/toml",
                contract_text(&format!("NEW-{}", self.next())).into_bytes(),
            ),
            RouteBody::File { .. } => {
                // A new version of the contract in the path.
                let id = path.split('/').nth(3).unwrap_or(CONTRACT_A);
                let version = format!("version = \"1.1-{}\"", self.next());
                let text = contract_text(id).replacen("version = \"1.1\"", &version, 1);
                ("application/toml", text.into_bytes())
            }
            _ if route.path.ends_with("/obligations/actions") => {
                let body = self.obligation_example();
                (json, body.to_string().into_bytes())
            }
            _ if route.path.ends_with("/actions") => (
                json,
                serde_json::json!({"action": "comment", "text": "noted", "evidence": []})
                    .to_string()
                    .into_bytes(),
            ),
            _ if route.path == "/admin/users" => {
                // A new name each time: the matrix adds a user per call.
                let name = format!("matrix-{}", self.next());
                let body = serde_json::json!({"name": name, "org": "operator", "role": "auditor"});
                (json, body.to_string().into_bytes())
            }
            _ if route.path == "/admin/keys/revoke" => (json, br#"{"id": "no-such-key"}"#.to_vec()),
            RouteBody::None if !route.page => (json, Vec::new()),
            _ => (
                json,
                serde_json::json!({"month": MONTH, "subject": "credits", "claim": "short"})
                    .to_string()
                    .into_bytes(),
            ),
        }
    }

    /// Fulfils the first joint obligation of A (either side may) nobody acted on yet.
    fn obligation_example(&self) -> serde_json::Value {
        let open: Vec<String> = self
            .db
            .obligations(CONTRACT_A, "2026-01-01", "2027-12-31")
            .expect("obligations")
            .into_iter()
            .filter(|o| o.settled_by().is_none() && !o.superseded())
            .filter(|o| o.obligation_json.contains("\"party\":\"both\""))
            .map(|o| o.id)
            .collect();
        let obligation = open.first().cloned().unwrap_or_default();
        serde_json::json!({"obligation": obligation, "action": "fulfil", "note": "done"})
    }

    /// Logs in from `ip` (JSON, same-origin); the session cookie's token on success.
    fn login_from(&self, ip: [u8; 4], user: &str, password: &str) -> (Reply, Option<String>) {
        let mut req = Request::post("/login")
            .header(header::CONTENT_TYPE, "application/json")
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(
                serde_json::json!({"user": user, "password": password}).to_string(),
            ))
            .expect("request");
        req.extensions_mut()
            .insert(ConnectInfo(SocketAddr::from((ip, 40000))));
        let reply = self.call(req);
        let token = reply
            .headers
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix(&format!("{SESSION_COOKIE}=")))
            .and_then(|v| v.split(';').next())
            .map(str::to_string);
        (reply, token)
    }

    pub(crate) fn login(&self, user: &str) -> Credential {
        // Each user from its own address, so the matrix's logins stay under the limit.
        let ip = [
            10,
            1,
            0,
            USERS.iter().position(|u| u.0 == user).unwrap_or(9) as u8,
        ];
        let (reply, token) = self.login_from(ip, user, PASSWORD);
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        Credential::Session(token.expect("a session cookie"))
    }
}

pub(crate) enum Credential {
    None,
    Session(String),
    Key(String),
}

impl Credential {
    pub(crate) fn apply(
        &self,
        builder: axum::http::request::Builder,
    ) -> axum::http::request::Builder {
        match self {
            Credential::None => builder,
            Credential::Session(token) => {
                builder.header(header::COOKIE, format!("{SESSION_COOKIE}={token}"))
            }
            Credential::Key(key) => builder.header(header::AUTHORIZATION, format!("Bearer {key}")),
        }
    }
}

/// The route's example path: `{id}` the contract, `{month}` the example's month or the
/// test's, `{key}` or `{hash}` the key id or evidence hash given, and the example's query.
fn example_path(route: &Route, contract: &str, key: &str) -> String {
    let mut path = path_for(route.path, contract)
        .replace("{key}", key)
        .replace("{hash}", key);
    if let Some(month) = route.example.month {
        path = path.replace(MONTH, month);
    }
    if !route.example.query.is_empty() {
        path.push('?');
        path.push_str(route.example.query);
    }
    path
}

/// A fresh API key of `user`, for the key routes' examples.
fn key_of(h: &Harness, user: &str) -> String {
    let now = *h.now.lock().expect("clock");
    h.db.create_api_key(user, "matrix", user, now)
        .expect("key")
        .id
}

fn path_for(route: &str, contract: &str) -> String {
    // Dispute 1 of the month: the client manager opens it earlier in the walk.
    let mut path = route
        .replace("{id}", contract)
        .replace("{month}", MONTH)
        .replace("{n}", "1")
        .replace("{sla}", "SL-VOICE");
    if route.ends_with("/obligations") {
        path.push_str("?from=2026-10-01&to=2026-12-31");
    }
    path
}

/// Every route × role × {own contract, other tenant's}: the status, and no trace of the
/// other tenant in what a client or provider manager reads.
#[test]
fn authorization_matrix() {
    let h = Harness::with_store(Fixture::sqlite());
    let markers = h.seed.b_markers();
    let mut checked = 0;
    let mut cross_tenant_reads = 0;
    for (user, _, role) in USERS {
        let who = h.login(user);
        // Another user's key: of an organisation of neither contract's parties.
        let other_user = if user == "ana" { "carla" } else { "ana" };
        for route in ROUTES {
            for (target, own) in [(CONTRACT_A, true), (CONTRACT_B, false)] {
                let key = if route.access == Access::KeyOwner {
                    key_of(&h, if own { user } else { other_user })
                } else if route.path.contains("{hash}") {
                    h.data.as_ref().expect("store").evidence_of(target)
                } else {
                    String::new()
                };
                let path = example_path(route, target, &key);
                let reply = h.request(route, &path, &who);
                let success = StatusCode::from_u16(route.status).expect("a status");
                let client = role == Role::ClientManager;
                let expected = match route.access {
                    Access::Public => success,
                    Access::AuditorOrAdmin if role.reads_all() => success,
                    Access::AuditorOrAdmin => StatusCode::FORBIDDEN,
                    Access::Admin if role == Role::Admin => success,
                    Access::Admin => StatusCode::FORBIDDEN,
                    Access::Viewer if !route.tenant || own || role.reads_all() => success,
                    Access::Viewer => StatusCode::NOT_FOUND,
                    Access::Party if role.reads_all() => StatusCode::FORBIDDEN,
                    Access::Party if own => success,
                    Access::Party => StatusCode::NOT_FOUND,
                    Access::ClientParty if role.reads_all() => StatusCode::FORBIDDEN,
                    Access::ClientParty if !own => StatusCode::NOT_FOUND,
                    Access::ClientParty if client => success,
                    Access::ClientParty => StatusCode::FORBIDDEN,
                    Access::ContractEditor if role == Role::Admin => success,
                    Access::ContractEditor if role == Role::Auditor => StatusCode::FORBIDDEN,
                    Access::ContractEditor if !route.tenant && client => success,
                    Access::ContractEditor if !route.tenant => StatusCode::FORBIDDEN,
                    Access::ContractEditor if !own => StatusCode::NOT_FOUND,
                    Access::ContractEditor if client => success,
                    Access::ContractEditor => StatusCode::FORBIDDEN,
                    Access::KeyOwner if own || role == Role::Admin => success,
                    Access::KeyOwner => StatusCode::NOT_FOUND,
                };
                let method = route.method;
                assert_eq!(
                    reply.status, expected,
                    "{user} ({role}) {method} {path}: {}",
                    reply.body
                );
                checked += 1;
                if !role.reads_all() {
                    let leaks = markers.iter().any(|m| reply.body.contains(m.as_str()));
                    if leaks || (!own && route.tenant && reply.status.is_success()) {
                        cross_tenant_reads += 1;
                    }
                    assert!(
                        !leaks,
                        "{user} {method} {path} shows contract B: {}",
                        reply.body
                    );
                }
                if !own && expected == StatusCode::NOT_FOUND {
                    // Exactly what a contract (or key) that does not exist gets.
                    let missing = h.request(
                        route,
                        &example_path(route, "NO-SUCH-CONTRACT", "no-such-key"),
                        &who,
                    );
                    assert_eq!((missing.status, &missing.body), (reply.status, &reply.body));
                }
            }
        }
    }
    // Each user's own view of A is complete.
    let carla = h.login("carla");
    let contracts = h.get("/api/contracts", &carla).json();
    // A, and the four contracts the client manager and the admin registered (twice each)
    // for bank-a-org.
    let contracts = contracts.as_array().expect("a list");
    assert_eq!(contracts[0]["id"], CONTRACT_A);
    assert_eq!(contracts.len(), 5, "{contracts:?}");
    assert!(contracts.iter().all(|c| c["client_org"] == "bank-a-org"));
    let months = h
        .get(&format!("/api/contracts/{CONTRACT_A}/months"), &carla)
        .json();
    // August settled twice through the API (client and provider), September closed by the
    // client manager, October as seeded.
    let states: Vec<(&str, &str, u64)> = months
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|m| {
            Some((
                m["month"].as_str()?,
                m["state"].as_str()?,
                m["versions"].as_u64()?,
            ))
        })
        .collect();
    assert_eq!(
        states,
        [
            ("2026-08", "provisional", 2),
            ("2026-09", "closed", 1),
            (MONTH, "provisional", 1)
        ]
    );
    let settlement = h
        .get(
            &format!("/api/contracts/{CONTRACT_A}/months/{MONTH}/settlement"),
            &carla,
        )
        .json();
    assert_eq!(settlement["settlement"]["contract_id"], CONTRACT_A);
    let obligations = h
        .get(
            &path_for("/api/contracts/{id}/obligations", CONTRACT_A),
            &carla,
        )
        .json();
    assert!(obligations.as_array().is_some_and(|o| !o.is_empty()));
    let ana = h.login("ana");
    let verify = h.get("/api/audit/verify", &ana).json();
    assert!(verify["entries"].as_u64().is_some_and(|n| n > 10));
    // The two parties each opened two disputes on A (through the API, then the page's
    // form); nobody wrote to B.
    let a_disputes = h
        .get(&format!("/api/contracts/{CONTRACT_A}/disputes"), &ana)
        .json();
    let sides: Vec<&str> = a_disputes
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|d| d["opened_by"].as_str())
        .collect();
    assert_eq!(sides, ["client", "client", "provider", "provider"]);
    assert_eq!(a_disputes[0]["step"], 1);
    // Both parties commented on the client's dispute through the API and through the page's
    // form (4), and attached evidence to it (2).
    assert_eq!(a_disputes[0]["events"], 6);
    let b_disputes = h
        .get(&format!("/api/contracts/{CONTRACT_B}/disputes"), &ana)
        .json();
    assert_eq!(b_disputes.as_array().map(Vec::len), Some(0));

    // Signed out: 401 everywhere but the OpenAPI document.
    for route in ROUTES {
        let reply = h.request(route, &path_for(route.path, CONTRACT_A), &Credential::None);
        let expected = if route.access == Access::Public {
            StatusCode::from_u16(route.status).expect("a status")
        } else if route.page {
            // A page sends the browser to the login form.
            StatusCode::SEE_OTHER
        } else {
            StatusCode::UNAUTHORIZED
        };
        assert_eq!(reply.status, expected, "{}", route.path);
    }
    let roles_routes = USERS.len() * ROUTES.len() * 2;
    assert_eq!(checked, roles_routes);
    assert_eq!(cross_tenant_reads, 0, "cross-tenant reads");
    eprintln!("authorization matrix: {checked} requests, cross-tenant reads: {cross_tenant_reads}");
}

#[test]
fn api_keys_authenticate_until_revoked() {
    let h = Harness::new(Fixture::sqlite());
    let now = *h.now.lock().expect("clock");
    let key =
        h.db.create_api_key("pedro", "ci", "root", now)
            .expect("key");
    let me = h.get("/api/me", &Credential::Key(key.secret.clone()));
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["role"], Role::ProviderManager.as_str());
    assert!(h.db.revoke_api_key(&key.id, "root", now).expect("revoke"));
    let me = h.get("/api/me", &Credential::Key(key.secret));
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    assert_eq!(me.json()["code"], "unauthenticated");
}

#[test]
fn revoked_and_expired_sessions_get_401() {
    let h = Harness::new(Fixture::sqlite());
    // Revoked by logging out (same-origin).
    let Credential::Session(token) = h.login("carla") else {
        unreachable!()
    };
    let logout = h.call(
        Request::post("/logout")
            .header(header::COOKIE, format!("{SESSION_COOKIE}={token}"))
            .header("sec-fetch-site", "same-origin")
            .body(Body::empty())
            .expect("request"),
    );
    assert_eq!(logout.status, StatusCode::NO_CONTENT);
    assert!(
        logout.headers[header::SET_COOKIE]
            .to_str()
            .is_ok_and(|c| c.contains("Max-Age=0"))
    );
    let me = h.get("/api/me", &Credential::Session(token));
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);

    // Expired by the clock: fine a second before, refused at the expiry.
    let session = h.login("pedro");
    h.advance(SignedDuration::from_hours(SESSION_HOURS) - SignedDuration::from_secs(1));
    assert_eq!(h.get("/api/me", &session).status, StatusCode::OK);
    h.advance(SignedDuration::from_secs(1));
    let me = h.get("/api/me", &session);
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    assert_eq!(me.json()["code"], "unauthenticated");
}

#[test]
fn session_cookie_is_host_only_secure_and_strict() {
    let h = Harness::new(Fixture::sqlite());
    let (reply, _) = h.login_from([10, 9, 9, 9], "carla", PASSWORD);
    let cookie = reply.headers[header::SET_COOKIE].to_str().expect("ascii");
    assert!(cookie.starts_with("__Host-pacta_session="));
    for attribute in ["Path=/", "HttpOnly", "Secure", "SameSite=Strict"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    assert!(!cookie.contains("Domain"));
}

#[test]
fn cross_site_requests_are_refused() {
    let h = Harness::new(Fixture::sqlite());
    let Credential::Session(token) = h.login("carla") else {
        unreachable!()
    };
    let forged = |site: Option<&str>, origin: Option<&str>| {
        let mut b = Request::post("/logout")
            .header(header::COOKIE, format!("{SESSION_COOKIE}={token}"))
            .header(header::HOST, "pacta.example");
        if let Some(site) = site {
            b = b.header("sec-fetch-site", site);
        }
        if let Some(origin) = origin {
            b = b.header(header::ORIGIN, origin);
        }
        h.call(b.body(Body::empty()).expect("request"))
    };
    for (site, origin) in [
        (Some("cross-site"), None),
        (Some("same-site"), Some("https://pacta.example")),
        (None, Some("https://evil.example")),
        (None, None),
    ] {
        let reply = forged(site, origin);
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{site:?} {origin:?}");
        assert_eq!(reply.json()["code"], "cross-site-refused");
    }
    // Refused means not done: the session still works.
    assert_eq!(
        h.get("/api/me", &Credential::Session(token.clone())).status,
        StatusCode::OK
    );
    // The same request from the site itself goes through.
    let own = forged(None, Some("https://pacta.example"));
    assert_eq!(own.status, StatusCode::NO_CONTENT);
    // A login form posted from another site is refused before the password is checked.
    let login = h.call(
        Request::post("/login")
            .header("sec-fetch-site", "cross-site")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("user=carla&password={PASSWORD}")))
            .expect("request"),
    );
    assert_eq!(login.status, StatusCode::FORBIDDEN);
}

#[test]
fn login_attempt_after_the_limit_gets_429() {
    let h = Harness::new(Fixture::sqlite());
    let ip = [192, 0, 2, 7];
    for _ in 0..LOGIN_ATTEMPTS {
        let (reply, token) = h.login_from(ip, "carla", "wrong password");
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert_eq!(reply.json()["code"], "login-failed");
        assert_eq!(token, None);
    }
    // Attempt N+1 is refused even with the right password.
    let (reply, token) = h.login_from(ip, "carla", PASSWORD);
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(reply.json()["code"], "rate-limited");
    assert_eq!(token, None);
    // A person at the form gets a page with the same status and code.
    let mut form = Request::post("/login")
        .header("sec-fetch-site", "same-origin")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("user=carla&password={PASSWORD}")))
        .expect("request");
    form.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((ip, 40000))));
    let page = h.call(form);
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        page.body.contains("<code>rate-limited</code>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("href=\"/login\""));
    // Another address is not affected; the same one is after the window.
    assert_eq!(
        h.login_from([192, 0, 2, 8], "carla", PASSWORD).0.status,
        StatusCode::OK
    );
    h.advance(SignedDuration::from_mins(15));
    assert_eq!(h.login_from(ip, "carla", PASSWORD).0.status, StatusCode::OK);
}

#[test]
fn the_database_file_holds_no_secret() {
    let h = Harness::new(Fixture::sqlite());
    let session = h.login("carla");
    let now = *h.now.lock().expect("clock");
    let key = h.db.create_api_key("ana", "ci", "root", now).expect("key");
    let Credential::Session(token) = session else {
        unreachable!()
    };
    // The secrets work (so they are the real ones)…
    assert_eq!(
        h.get("/api/me", &Credential::Key(key.secret.clone()))
            .status,
        StatusCode::OK
    );
    assert_eq!(
        h.get("/api/me", &Credential::Session(token.clone())).status,
        StatusCode::OK
    );
    // …and none of them is in the database's files (main file, WAL, shared memory).
    let files = h.fixture.sqlite_files();
    assert!(!files.is_empty());
    let mut bytes = Vec::new();
    for file in &files {
        bytes.extend(std::fs::read(file).expect("read the database file"));
    }
    for secret in [PASSWORD, token.as_str(), key.secret.as_str()] {
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "a secret is stored in clear"
        );
    }
    // What is stored instead: the SHA-256 of the token.
    let hash = pacta_db::secret_hash(&token);
    assert!(bytes.windows(hash.len()).any(|w| w == hash.as_bytes()));
}

#[test]
fn every_response_has_the_security_headers() {
    let h = Harness::new(Fixture::sqlite());
    let carla = h.login("carla");
    let replies = [
        h.get("/api/me", &carla),
        h.get("/api/me", &Credential::None),
        h.get("/nowhere", &carla),
        h.get("/login", &Credential::None),
        h.get("/", &carla),
    ];
    for reply in &replies {
        let has = |name: &str, value: &str| {
            reply.headers.get(name).and_then(|v| v.to_str().ok()) == Some(value)
        };
        assert!(
            has("content-security-policy", pacta_server_csp()),
            "{:?}",
            reply.headers
        );
        assert!(has("x-content-type-options", "nosniff"));
        assert!(has("x-frame-options", "DENY"));
        assert!(has("referrer-policy", "no-referrer"));
        assert!(reply.headers.contains_key("x-request-id"));
    }
    assert!(!pacta_server_csp().contains("unsafe-inline"));
    // The portfolio lists the viewer's contract and no script.
    let portfolio = &replies[4];
    assert_eq!(portfolio.status, StatusCode::OK);
    assert!(portfolio.body.contains(CONTRACT_A));
    assert!(!portfolio.body.contains(CONTRACT_B));
    assert!(!portfolio.body.contains("<script"));
    // Signed out, the portfolio sends to the login form.
    let signed_out = h.get("/", &Credential::None);
    assert_eq!(signed_out.status, StatusCode::SEE_OTHER);
}

#[test]
fn markup_in_a_contract_renders_inert() {
    let h = Harness::new(Fixture::sqlite());
    let script = "<script>alert(1)</script>";
    // The version, and the names the obligations are titled with.
    let text = crate::tenants::contract_text("XSS-1")
        .replacen("version = \"1.1\"", &format!("version = \"{script}\""), 1)
        .replace("Monthly SLA report", script)
        .replace("Weekly operations review", script);
    let contract = pacta_contract::parse_str(&text).expect("markup is valid contract text");
    assert_eq!(contract.doc.contract.version, script);
    let now = *h.now.lock().expect("clock");
    h.db.register_contract(
        &pacta_db::NewContract {
            id: "XSS-1".to_string(),
            contract_version: contract.doc.contract.version.clone(),
            toml: text,
            client_org: "bank-a-org".to_string(),
            provider_org: "shore-a-org".to_string(),
        },
        "setup",
        now,
    )
    .expect("register");
    let page = h.get("/", &h.login("carla"));
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("XSS-1"));
    // minijinja escapes `/` too (`&#x2f;`).
    assert!(
        page.body
            .contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("<script"));
    // Every governance page: a dispute whose claim and comment are markup, the contract's
    // obligations, the audit log (the registration's payload names the version) and the
    // admin page (a key labelled with markup).
    h.db.save_settlement(
        &pacta_db::NewSettlement {
            contract_id: "XSS-1".to_string(),
            month: pacta_core::Month::parse(MONTH).expect("month"),
            settlement_json: "{\"contract_id\":\"XSS-1\",\"credits\":\"0.00\"}".to_string(),
            record_json: "{}".to_string(),
            inputs_json: "{}".to_string(),
            adjusts: None,
        },
        "setup",
        now,
    )
    .expect("save");
    h.db.create_api_key("ana", script, "root", now)
        .expect("key");
    let carla = h.login("carla");
    let encoded: String = serde_urlencoded::to_string([("claim", script)]).expect("encode");
    let opened = h.form(
        "/contracts/XSS-1/disputes",
        &format!("month={MONTH}&subject=credits&{encoded}"),
        &carla,
        "en",
    );
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let commented = h.form(
        &format!("/contracts/XSS-1/months/{MONTH}/disputes/1/actions"),
        &format!("action=comment&{}", encoded.replace("claim=", "text=")),
        &carla,
        "en",
    );
    assert_eq!(commented.status, StatusCode::OK, "{}", commented.body);
    let (ana, root) = (h.login("ana"), h.login("root"));
    for (path, who) in [
        ("/contracts/XSS-1/disputes", &carla),
        ("/contracts/XSS-1/disputes", &ana),
        ("/contracts/XSS-1/obligations", &carla),
        ("/audit", &ana),
        ("/admin", &root),
    ] {
        let page = h.get(path, who);
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
        assert!(
            page.body
                .contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"),
            "{path}: {}",
            page.body
        );
        assert!(!page.body.contains("<script"), "{path}: {}", page.body);
    }
    // The API returns it as JSON data, which a browser does not render.
    let api = h.get("/api/contracts/XSS-1", &h.login("carla"));
    assert_eq!(api.headers[header::CONTENT_TYPE], "application/json");
    assert_eq!(api.json()["version"], script);
}

fn pacta_server_csp() -> &'static str {
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
}

#[test]
fn errors_speak_the_readers_language_and_bodies_are_limited() {
    let h = Harness::new(Fixture::sqlite());
    let es = h.call(
        Request::get("/api/me")
            .header(header::ACCEPT_LANGUAGE, "es-CO,es;q=0.9,en;q=0.5")
            .body(Body::empty())
            .expect("request"),
    );
    assert_eq!(es.status, StatusCode::UNAUTHORIZED);
    assert_eq!(es.json()["code"], "unauthenticated");
    assert_eq!(
        es.json()["message"],
        "inicie sesión o envíe una clave de API válida"
    );
    let carla = h.login("carla");
    let bad = h.get(
        &format!("/api/contracts/{CONTRACT_A}/obligations?from=yesterday&to=2026-12-31"),
        &carla,
    );
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.json()["code"], "bad-request");
    let big = h.call(
        Request::post("/login")
            .header("sec-fetch-site", "same-origin")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(vec![b' '; 128 * 1024]))
            .expect("request"),
    );
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(big.json()["code"], "payload-too-large");
    let declared = h.call(
        Request::post("/login")
            .header("sec-fetch-site", "same-origin")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::CONTENT_LENGTH, 128 * 1024)
            .body(Body::from(vec![b' '; 128 * 1024]))
            .expect("request"),
    );
    assert_eq!(declared.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(declared.json()["code"], "payload-too-large");
    // The framework's own refusals come in the same shape.
    let not_a_number = h.call(
        carla
            .apply(Request::post(format!(
                "/api/contracts/{CONTRACT_A}/months/{MONTH}/disputes/first/actions"
            )))
            .header("sec-fetch-site", "same-origin")
            .body(Body::from("{\"action\": \"accept\"}"))
            .expect("request"),
    );
    assert_eq!(not_a_number.status, StatusCode::BAD_REQUEST);
    assert_eq!(not_a_number.json()["code"], "bad-request");
    let wrong_method = h.call(
        carla
            .apply(Request::delete("/api/contracts"))
            .header("sec-fetch-site", "same-origin")
            .header(header::ACCEPT_LANGUAGE, "es")
            .body(Body::empty())
            .expect("request"),
    );
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        wrong_method.json()["message"],
        "esta ruta no admite ese método"
    );
}

#[test]
fn the_openapi_document_lists_every_route() {
    let h = Harness::new(Fixture::sqlite());
    let reply = h.get("/api/openapi.json", &Credential::None);
    assert_eq!(reply.status, StatusCode::OK);
    let doc = reply.json();
    assert_eq!(doc["openapi"], "3.1.0");
    for route in ROUTES.iter().filter(|r| r.page) {
        assert!(
            doc["paths"][route.path][route.method.to_ascii_lowercase()].is_null(),
            "page {} is not an API route",
            route.path
        );
    }
    for route in ROUTES.iter().filter(|r| !r.page) {
        let op = &doc["paths"][route.path][route.method.to_ascii_lowercase()];
        assert!(op["summary"].is_string(), "{} missing", route.path);
        assert_eq!(
            op["responses"]["404"].is_object(),
            route.tenant || route.access == Access::KeyOwner,
            "{}",
            route.path
        );
    }
}

/// The same matrix core on PostgreSQL when it is available: a provider manager reads its
/// contract and not the other tenant's.
#[test]
fn tenant_scope_on_postgres() {
    let Some(fixture) = Fixture::postgres() else {
        return;
    };
    let h = Harness::new(fixture);
    let pedro = h.login("pedro");
    assert_eq!(
        h.get(&format!("/api/contracts/{CONTRACT_A}/months"), &pedro)
            .status,
        StatusCode::OK
    );
    let other = h.get(&format!("/api/contracts/{CONTRACT_B}/months"), &pedro);
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert!(!other.body.contains(CONTRACT_B));
    let list = h.get("/api/contracts", &pedro);
    assert!(list.body.contains(CONTRACT_A) && !list.body.contains(CONTRACT_B));
}

/// The ladder's rules answer through the API: accepting when nothing was offered is
/// refused with 422 and the rule's code, and nothing is recorded.
#[test]
fn dispute_rules_refuse_with_422() {
    let h = Harness::new(Fixture::sqlite());
    let post = |who: &Credential, path: &str, body: serde_json::Value| {
        h.call(
            who.apply(Request::post(path))
                .header("sec-fetch-site", "same-origin")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .expect("request"),
        )
    };
    let carla = h.login("carla");
    let pedro = h.login("pedro");
    let opened = post(
        &carla,
        &format!("/api/contracts/{CONTRACT_A}/disputes"),
        serde_json::json!({"month": MONTH, "subject": "credits", "claim": "short"}),
    );
    assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
    assert_eq!(opened.json()["opened_by"], "client");
    let actions = format!("/api/contracts/{CONTRACT_A}/months/{MONTH}/disputes/1/actions");
    let refused = post(&pedro, &actions, serde_json::json!({"action": "accept"}));
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_ne!(refused.json()["code"], "internal");
    let unknown = post(
        &carla,
        &format!("/api/contracts/{CONTRACT_A}/disputes"),
        serde_json::json!({"month": MONTH, "subject": "sla/NOPE", "claim": "x"}),
    );
    assert_eq!(
        unknown.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        unknown.body
    );
    let list = h
        .get(&format!("/api/contracts/{CONTRACT_A}/disputes"), &carla)
        .json();
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(list[0]["events"], 0);
}

/// A calendar feed key reads its owner's calendars and nothing else, until revoked.
#[test]
fn calendar_feeds() {
    let h = Harness::new(Fixture::sqlite());
    let carla = h.login("carla");
    let created = h.call(
        carla
            .apply(Request::post("/api/feeds"))
            .header("sec-fetch-site", "same-origin")
            .body(Body::empty())
            .expect("request"),
    );
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let created = created.json();
    let key = created["key"].as_str().expect("a key").to_string();
    assert!(key.starts_with(pacta_db::FEED_KEY_PREFIX));
    let feed = |contract: &str, key: &str| {
        h.get(
            &format!("/feeds/{key}/contracts/{contract}"),
            &Credential::None,
        )
    };
    let own = feed(CONTRACT_A, &key);
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);
    assert_eq!(
        own.headers[header::CONTENT_TYPE],
        "text/calendar; charset=utf-8"
    );
    assert!(own.body.starts_with("BEGIN:VCALENDAR"));
    assert!(own.body.contains("BEGIN:VEVENT"));
    let other = feed(CONTRACT_B, &key);
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert!(!other.body.contains(CONTRACT_B));
    // The feed key does not open the API, nor an API key the feed.
    assert_eq!(
        h.get("/api/me", &Credential::Key(key.clone())).status,
        StatusCode::UNAUTHORIZED
    );
    let now = *h.now.lock().expect("clock");
    let api_key =
        h.db.create_api_key("carla", "ci", "root", now)
            .expect("key");
    assert_eq!(
        feed(CONTRACT_A, &api_key.secret).status,
        StatusCode::UNAUTHORIZED
    );
    // Revoked: 401.
    let id = created["id"].as_str().expect("an id");
    assert!(h.db.revoke_api_key(id, "carla", now).expect("revoke"));
    assert_eq!(feed(CONTRACT_A, &key).status, StatusCode::UNAUTHORIZED);
}

#[test]
fn dashboard_pages_in_both_languages_and_scoped() {
    let h = Harness::new(Fixture::sqlite());
    let pedro = h.login("pedro");
    let es = |path: &str| {
        h.call(
            Credential::Session(match &pedro {
                Credential::Session(t) => t.clone(),
                _ => unreachable!("a session"),
            })
            .apply(Request::get(path))
            .header(header::ACCEPT_LANGUAGE, "es-CO,es;q=0.9,en;q=0.5")
            .body(Body::empty())
            .expect("request"),
        )
    };
    let month = h.get(&format!("/contracts/{CONTRACT_A}/months/{MONTH}"), &pedro);
    assert_eq!(month.status, StatusCode::OK, "{}", month.body);
    assert!(month.body.contains("Invoice total"));
    assert!(
        month
            .body
            .contains("<link rel=\"stylesheet\" href=\"/static/pacta.css\">")
    );
    assert!(!month.body.contains("<script") && !month.body.contains("<style"));
    let month_es = es(&format!("/contracts/{CONTRACT_A}/months/{MONTH}"));
    assert!(
        month_es.body.contains("Total de la factura"),
        "{}",
        month_es.body
    );
    assert!(month_es.body.contains("<html lang=\"es\">"));
    let portfolio = h.get("/", &pedro);
    // Links are escaped like every value (`/` as `&#x2f;`), which a browser reads as `/`.
    assert!(
        portfolio.body.contains(&format!(
            "href=\"&#x2f;contracts&#x2f;{CONTRACT_A}&#x2f;months&#x2f;{MONTH}\""
        )),
        "{}",
        portfolio.body
    );
    let disputes = es(&format!("/contracts/{CONTRACT_A}/disputes"));
    assert_eq!(disputes.status, StatusCode::OK);
    assert!(disputes.body.contains("Disputas"));
    let obligations = h.get(&format!("/contracts/{CONTRACT_A}/obligations"), &pedro);
    assert_eq!(obligations.status, StatusCode::OK, "{}", obligations.body);
    assert!(obligations.body.contains("id=\"obligations\""));
    // Another tenant's pages: the 404 page a missing contract gets.
    let other = h.get(&format!("/contracts/{CONTRACT_B}/disputes"), &pedro);
    let missing = h.get("/contracts/NO-SUCH/disputes", &pedro);
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert_eq!(other.body, missing.body);
    assert!(!other.body.contains(CONTRACT_B));
    let month_b = h.get(&format!("/contracts/{CONTRACT_B}/months/{MONTH}"), &pedro);
    assert_eq!(month_b.status, StatusCode::NOT_FOUND);
    // The sign-out button (a form post) revokes the session and returns to the form.
    let Credential::Session(token) = &pedro else {
        unreachable!("a session")
    };
    let out = h.call(
        Request::post("/logout")
            .header(header::COOKIE, format!("{SESSION_COOKIE}={token}"))
            .header("sec-fetch-site", "same-origin")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::empty())
            .expect("request"),
    );
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(out.headers[header::LOCATION], "/login");
    assert_eq!(h.get("/api/me", &pedro).status, StatusCode::UNAUTHORIZED);
    // The stylesheet is served, as CSS.
    let css = h.get("/static/pacta.css", &Credential::None);
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(css.headers[header::CONTENT_TYPE], "text/css; charset=utf-8");
    assert!(css.body.contains("table{"));
}

impl Harness {
    /// A same-origin form post, as the browser sends it.
    fn form(&self, path: &str, body: &str, auth: &Credential, lang: &str) -> Reply {
        self.call(
            auth.apply(Request::post(path))
                .header("sec-fetch-site", "same-origin")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT_LANGUAGE, lang)
                .body(Body::from(body.to_string()))
                .expect("request"),
        )
    }

    fn get_in(&self, path: &str, auth: &Credential, lang: &str) -> Reply {
        self.call(
            auth.apply(Request::get(path))
                .header(header::ACCEPT_LANGUAGE, lang)
                .body(Body::empty())
                .expect("request"),
        )
    }
}

/// The dispute forms on the page walk the ladder: each side sees only the actions it may
/// take now, an offer is accepted through its button, a bad window is refused with nothing
/// written, auditors get no forms and 403; the header names the role in words.
#[test]
fn dispute_actions_on_the_page() {
    let h = Harness::new(Fixture::sqlite());
    let (carla, pedro, ana) = (h.login("carla"), h.login("pedro"), h.login("ana"));
    let page = format!("/contracts/{CONTRACT_A}/disputes");
    let opened = h.form(
        &page,
        &format!("month={MONTH}&subject=credits&claim=The+credits+are+short"),
        &carla,
        "en",
    );
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let actions = format!("/contracts/{CONTRACT_A}/months/{MONTH}/disputes/1/actions");
    let d1 = format!("{CONTRACT_A}/{MONTH}/D1");

    // The provider may comment and propose; nothing to accept yet.
    let seen = h.get_in(&page, &pedro, "en");
    assert_eq!(seen.status, StatusCode::OK);
    for form in ["act-comment", "act-propose"] {
        assert!(seen.body.contains(form), "{form}: {}", seen.body);
    }
    assert!(!seen.body.contains("act-accept"));
    assert!(seen.body.contains("negotiation") && seen.body.contains("current"));
    assert!(seen.body.contains("The credits are short"));
    assert!(
        seen.body
            .contains("<span class=\"role\">Provider manager</span>")
    );

    // A window that ends before it starts: 400 on a page, nothing recorded.
    let bad = h.form(
        &actions,
        "action=propose&text=x&exclude_start=2026-10-14T15:00&exclude_end=2026-10-14T09:00",
        &pedro,
        "en",
    );
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
    assert!(
        bad.body.contains("<code>bad-request</code>"),
        "{}",
        bad.body
    );
    let events = |who: &Credential| {
        h.get(&format!("/api/contracts/{CONTRACT_A}/disputes"), who)
            .json()[0]["events"]
            .clone()
    };
    assert_eq!(events(&carla), 0);

    // An offer in words, then the client's accept button.
    let proposed = h.form(
        &actions,
        "action=propose&text=Half+the+credit",
        &pedro,
        "en",
    );
    assert_eq!(proposed.status, StatusCode::OK, "{}", proposed.body);
    assert!(
        proposed.body.contains(&format!(
            "Recorded on {}: offer.",
            d1.replace('/', "&#x2f;")
        )),
        "{}",
        proposed.body
    );
    let client_view = h.get_in(&page, &carla, "es");
    assert!(
        client_view.body.contains("act-accept"),
        "{}",
        client_view.body
    );
    assert!(client_view.body.contains("Cronología"));
    assert!(client_view.body.contains("Gestor del cliente"));
    let accepted = h.form(&actions, "action=accept", &carla, "es");
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
    assert!(accepted.body.contains("aceptada"), "{}", accepted.body);
    // No adjustment: no new version, no note.
    assert!(!accepted.body.contains("id=\"note\""));
    let list = h
        .get(&format!("/api/contracts/{CONTRACT_A}/disputes"), &ana)
        .json();
    assert_eq!(list[0]["status"]["status"], "resolved", "{list}");
    assert_eq!(list[0]["events"], 2);

    // The auditor reads the timeline and may do nothing.
    let audited = h.get_in(&page, &ana, "en");
    assert_eq!(audited.status, StatusCode::OK);
    assert!(audited.body.contains("Half the credit"));
    assert!(!audited.body.contains("class=\"act"), "{}", audited.body);
    assert!(audited.body.contains("<span class=\"role\">Auditor</span>"));
    let refused = h.form(&actions, "action=comment&text=hi", &ana, "en");
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        refused.body.contains("<code>not-permitted</code>"),
        "{}",
        refused.body
    );
    assert_eq!(
        h.get(&format!("/api/contracts/{CONTRACT_A}/disputes"), &ana)
            .json()[0]["events"],
        2
    );
}

/// The API's accept goes through the same operation: an offer with a window needs the
/// store, and without one it is refused with nothing recorded.
#[test]
fn the_apis_accept_is_the_operations_accept() {
    let h = Harness::new(Fixture::sqlite());
    let (carla, pedro) = (h.login("carla"), h.login("pedro"));
    let post = |who: &Credential, path: &str, body: Value| {
        h.call(
            who.apply(Request::post(path))
                .header("sec-fetch-site", "same-origin")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .expect("request"),
        )
    };
    let opened = post(
        &carla,
        &format!("/api/contracts/{CONTRACT_A}/disputes"),
        serde_json::json!({"month": MONTH, "subject": "credits", "claim": "short"}),
    );
    assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
    let actions = format!("/api/contracts/{CONTRACT_A}/months/{MONTH}/disputes/1/actions");
    let offer = post(
        &pedro,
        &actions,
        serde_json::json!({"action": "propose", "text": "an outage", "adjustment": {
            "type": "exclusion_window", "start": "2026-10-14T01:00:00Z",
            "end": "2026-10-14T07:00:00Z", "queues": [], "kind": "outage"}}),
    );
    assert_eq!(offer.status, StatusCode::OK, "{}", offer.body);
    let refused = post(&carla, &actions, serde_json::json!({"action": "accept"}));
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(refused.json()["code"], "store-missing");
    let list = h
        .get(&format!("/api/contracts/{CONTRACT_A}/disputes"), &carla)
        .json();
    assert_eq!(list[0]["events"], 1, "the acceptance is not recorded");
}

/// The audit page: the chain's status with its entry count, the filter, 403 for managers,
/// and a broken link named in words.
#[test]
fn the_audit_page() {
    let h = Harness::new(Fixture::sqlite());
    let (carla, ana) = (h.login("carla"), h.login("ana"));
    let entries = h.db.verify().expect("verify").entries;
    let page = h.get_in("/audit", &ana, "en");
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains(&format!(
            "The audit chain verifies: <span id=\"chain-entries\">{entries}</span> entries"
        )),
        "{}",
        page.body
    );
    assert!(page.body.contains("<a href=\"&#x2f;audit\">Audit</a>"));
    let rows = |body: &str| body.matches("<tr><td class=\"num\">").count();
    assert_eq!(rows(&page.body) as u64, entries.min(50));
    let users = h.get_in("/audit?action=user.add&object=user%2F", &ana, "es");
    assert_eq!(users.status, StatusCode::OK);
    assert_eq!(rows(&users.body), USERS.len(), "{}", users.body);
    assert!(users.body.contains("La cadena de auditoría se verifica"));
    let later = h.get_in("/audit?since=3", &ana, "en");
    assert_eq!(rows(&later.body) as u64, (entries - 3).min(50));
    assert!(!later.body.contains("<tr><td class=\"num\">3</td>"));
    assert_eq!(
        h.get_in("/audit?since=x", &ana, "en").status,
        StatusCode::BAD_REQUEST
    );
    // Managers: the 403 page, and no nav link to it.
    let refused = h.get_in("/audit", &carla, "en");
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("<code>not-permitted</code>"));
    assert!(!h.get_in("/", &carla, "en").body.contains("/audit"));
    // A DBA edits an entry: the page names the first broken link.
    h.db.execute_raw_for_tests(
        "DROP TRIGGER audit_log_no_update; \
         UPDATE audit_log SET actor = 'mallory' WHERE seq = 2",
    )
    .expect("tamper");
    let broken = h.get_in("/audit", &ana, "en");
    assert_eq!(broken.status, StatusCode::OK);
    assert!(
        broken.body.contains("The audit chain is broken:")
            && broken.body.contains("hash mismatch at seq 2"),
        "{}",
        broken.body
    );
}

/// The admin page: users with their roles in words, keys without secrets and revocable,
/// and a new user's one-time password shown once; other roles get 403.
#[test]
fn the_admin_page() {
    let h = Harness::new(Fixture::sqlite());
    let (root, ana) = (h.login("root"), h.login("ana"));
    let now = *h.now.lock().expect("clock");
    let key =
        h.db.create_api_key("ana", "ci-key", "root", now)
            .expect("key");
    let page = h.get_in("/admin", &root, "en");
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for (name, _, role) in USERS {
        assert!(
            page.body.contains(&format!("<td>{name}</td>"))
                && page.body.contains(role.label(pacta_core::Lang::En)),
            "{name}"
        );
    }
    assert!(page.body.contains("ci-key") && page.body.contains(&key.id));
    assert!(!page.body.contains(&key.secret));
    assert!(
        page.body
            .contains("<a href=\"&#x2f;admin\">Administration</a>")
    );
    let es = h.get_in("/admin", &root, "es");
    assert!(es.body.contains("Gestor del proveedor"), "{}", es.body);

    // Revoke: back to the page (303), the key stops working, the page says when.
    let revoked = h.form("/admin/keys/revoke", &format!("id={}", key.id), &root, "en");
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    assert_eq!(revoked.headers[header::LOCATION], "/admin");
    assert_eq!(
        h.get("/api/me", &Credential::Key(key.secret.clone()))
            .status,
        StatusCode::UNAUTHORIZED
    );
    let after = h.get_in("/admin", &root, "en");
    assert!(!after.body.contains(&format!("value=\"{}\"", key.id)));

    // A new user: its password shown once, and it signs in with it.
    let added = h.form(
        "/admin/users",
        "name=dora&org=audit-firm&role=auditor",
        &root,
        "en",
    );
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    let password = added
        .body
        .split("<code id=\"one-time-password\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("a one-time password")
        .to_string();
    assert_eq!(password.len(), 24);
    assert!(
        h.db.check_password("dora", &password)
            .expect("check")
            .is_some()
    );
    assert!(!h.get_in("/admin", &root, "en").body.contains(&password));
    let taken = h.form(
        "/admin/users",
        "name=dora&org=audit-firm&role=auditor",
        &root,
        "en",
    );
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert!(taken.body.contains("<code>name-taken</code>"));

    // Not an admin: 403 page, nothing added, no nav link.
    let refused = h.get_in("/admin", &ana, "en");
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let sneaked = h.form(
        "/admin/users",
        "name=eve&org=audit-firm&role=admin",
        &ana,
        "en",
    );
    assert_eq!(sneaked.status, StatusCode::FORBIDDEN);
    assert_eq!(h.db.viewer_of("eve").expect("read"), None);
    assert!(!h.get_in("/", &ana, "en").body.contains("/admin"));
}

/// The obligations page: the list next to the month's calendar grid, with links to the
/// neighbouring months.
#[test]
fn the_obligations_calendar() {
    let h = Harness::new(Fixture::sqlite());
    let carla = h.login("carla");
    let page = h.get_in(
        &format!("/contracts/{CONTRACT_A}/obligations?month=2026-11"),
        &carla,
        "en",
    );
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("id=\"calendar\"") && page.body.contains("id=\"obligations\""));
    // November 2026 starts on a Sunday: six cells before it, 30 days.
    assert_eq!(page.body.matches("class=\"day").count(), 30);
    assert!(page.body.contains("data-date=\"2026-11-02\""));
    assert!(page.body.contains("month=2026-12") && page.body.contains("month=2026-10"));
    let due = page.body.matches("<span class=\"due ").count();
    assert!(due > 0, "the bank contract has obligations in November");
    let es = h.get_in(
        &format!("/contracts/{CONTRACT_A}/obligations?month=2026-11"),
        &carla,
        "es",
    );
    assert!(
        es.body.contains("Calendario") && es.body.contains("noviembre"),
        "{}",
        es.body
    );
    let bad = h.get_in(
        &format!("/contracts/{CONTRACT_A}/obligations?month=soon"),
        &carla,
        "en",
    );
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}
