//! The route table: one entry per route, read by the OpenAPI document and by the
//! authorization matrix test, so neither can forget a route.

use axum::Json;
use serde_json::{Map, Value, json};

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone.
    Public,
    /// Any signed-in user or API key.
    Viewer,
    /// Auditors and admins (others get 403).
    AuditorOrAdmin,
    /// A party to the contract: its client organisation's client manager or its provider
    /// organisation's provider manager (auditors and admins get 403).
    Party,
}

/// One route of the API.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The path, with `{id}` (a contract id) and `{month}` (YYYY-MM) parameters.
    pub path: &'static str,
    /// What it returns.
    pub summary: &'static str,
    /// Who may call it.
    pub access: Access,
    /// Query parameters (all required).
    pub query: &'static [(&'static str, &'static str)],
    /// Whether it reads one contract (`{id}`), scoped to the caller's organisation.
    pub tenant: bool,
    /// The status of success.
    pub status: u16,
    /// A dashboard page (HTML; signed out, it redirects to the login form with 303) rather
    /// than a JSON route; pages are left out of the OpenAPI document.
    pub page: bool,
}

/// Every route: the JSON API and the dashboard's pages.
pub const ROUTES: &[Route] = &[
    Route {
        method: "GET",
        path: "/api/me",
        summary: "The caller: user, organisation and role.",
        access: Access::Viewer,
        query: &[],
        tenant: false,
        status: 200,
        page: false,
    },
    Route {
        method: "GET",
        path: "/api/contracts",
        summary: "The latest version of every contract the caller may read.",
        access: Access::Viewer,
        query: &[],
        tenant: false,
        status: 200,
        page: false,
    },
    Route {
        method: "GET",
        path: "/api/contracts/{id}",
        summary: "One contract: its registration, parties and TOML text.",
        access: Access::Viewer,
        query: &[],
        tenant: true,
        status: 200,
        page: false,
    },
    Route {
        method: "GET",
        path: "/api/contracts/{id}/months",
        summary: "Every month with a saved settlement: latest version, versions, state.",
        access: Access::Viewer,
        query: &[],
        tenant: true,
        status: 200,
        page: false,
    },
    Route {
        method: "GET",
        path: "/api/contracts/{id}/months/{month}/settlement",
        summary: "The latest saved settlement of the month, as saved (JSON).",
        access: Access::Viewer,
        query: &[],
        tenant: true,
        status: 200,
        page: false,
    },
    Route {
        method: "GET",
        path: "/api/contracts/{id}/obligations",
        summary: "The obligations due in a date range with their status (listing records them).",
        access: Access::Viewer,
        query: &[
            ("from", "First day, YYYY-MM-DD"),
            ("to", "Last day, YYYY-MM-DD"),
        ],
        tenant: true,
        status: 200,
        page: false,
    },
    Route {
        method: "GET",
        path: "/api/contracts/{id}/disputes",
        summary: "Every dispute of the contract as it stands now.",
        access: Access::Viewer,
        query: &[],
        tenant: true,
        status: 200,
        page: false,
    },
    Route {
        method: "POST",
        path: "/api/contracts/{id}/disputes",
        summary: "Opens a dispute on a line of a settled month (JSON: month, subject, claim), as the caller's side.",
        access: Access::Party,
        query: &[],
        tenant: true,
        status: 201,
        page: false,
    },
    Route {
        method: "POST",
        path: "/api/contracts/{id}/months/{month}/disputes/{n}/actions",
        summary: "Records an action on dispute n of the month (comment, propose, accept, escalate, withdraw, record_outcome), as the caller's side.",
        access: Access::Party,
        query: &[],
        tenant: true,
        status: 200,
        page: false,
    },
    Route {
        method: "POST",
        path: "/api/feeds",
        summary: "A calendar feed key for the caller (shown once; it reads calendars only) and the path of a contract's feed: GET /feeds/{key}/contracts/{id} answers text/calendar.",
        access: Access::Viewer,
        query: &[],
        tenant: false,
        status: 201,
        page: false,
    },
    Route {
        method: "GET",
        path: "/api/audit/verify",
        summary: "Walks the audit log's hash chain: entries and head hash, or the first broken link.",
        access: Access::AuditorOrAdmin,
        query: &[],
        tenant: false,
        status: 200,
        page: false,
    },
    Route {
        method: "GET",
        path: "/api/audit/log",
        summary: "Audit entries after a sequence number, oldest first, at most `limit` (default 100, at most 1000).",
        access: Access::AuditorOrAdmin,
        query: &[],
        tenant: false,
        status: 200,
        page: false,
    },
    Route {
        method: "GET",
        path: "/api/openapi.json",
        summary: "This document.",
        access: Access::Public,
        query: &[],
        tenant: false,
        status: 200,
        page: false,
    },
    // --- what-if ---
    Route {
        method: "POST",
        path: "/api/contracts/{id}/months/{month}/what-if",
        summary: "The month re-settled with changed SLA terms (JSON: {\"changes\": [...]}: target, threshold, variant, exclusions, exclusion_window), never saved, with its differences from the latest saved version; a bad change answers 422 with the JSON path of the field.",
        access: Access::Viewer,
        query: &[],
        tenant: true,
        status: 200,
        page: false,
    },
    Route {
        method: "GET",
        path: "/",
        summary: "Portfolio page: every contract in scope with its latest month's SLA statuses and credit.",
        access: Access::Viewer,
        query: &[],
        tenant: false,
        status: 200,
        page: true,
    },
    Route {
        method: "GET",
        path: "/contracts/{id}/months/{month}",
        summary: "Contract month page: the scorecard, credit and invoice total of the latest saved settlement.",
        access: Access::Viewer,
        query: &[],
        tenant: true,
        status: 200,
        page: true,
    },
    Route {
        method: "GET",
        path: "/contracts/{id}/disputes",
        summary: "Disputes page: each dispute with its status, step and deadline.",
        access: Access::Viewer,
        query: &[],
        tenant: true,
        status: 200,
        page: true,
    },
    Route {
        method: "POST",
        path: "/contracts/{id}/disputes",
        summary: "The dispute form: opens a dispute as the caller's side, then back to the disputes page (303).",
        access: Access::Party,
        query: &[],
        tenant: true,
        status: 303,
        page: true,
    },
    Route {
        method: "GET",
        path: "/contracts/{id}/obligations",
        summary: "Obligations page: from 31 days ago to 92 days ahead, with their status.",
        access: Access::Viewer,
        query: &[],
        tenant: true,
        status: 200,
        page: true,
    },
    Route {
        method: "POST",
        path: "/contracts/{id}/calendar-link",
        summary: "Obligations page with a new calendar feed link for the caller (shown once).",
        access: Access::Viewer,
        query: &[],
        tenant: true,
        status: 200,
        page: true,
    },
    // --- what-if ---
    Route {
        method: "GET",
        path: "/contracts/{id}/months/{month}/what-if",
        summary: "What-if page: a form with each SLA's current target, threshold, variant and exclusions.",
        access: Access::Viewer,
        query: &[],
        tenant: true,
        status: 200,
        page: true,
    },
    Route {
        method: "POST",
        path: "/contracts/{id}/months/{month}/what-if",
        summary: "The what-if form submitted: the page with each SLA before and after and the credit and invoice change, nothing saved.",
        access: Access::Viewer,
        query: &[],
        tenant: true,
        status: 200,
        page: true,
    },
];

/// The OpenAPI 3.1 document of [`ROUTES`] (written by hand from the table rather than
/// derived with utoipa: the table is small and this keeps a proc-macro stack out of the
/// build).
pub fn openapi() -> Value {
    let mut paths = Map::new();
    for route in ROUTES.iter().filter(|r| !r.page) {
        let mut parameters = Vec::new();
        for (name, kind, description) in [
            ("id", "string", "Contract id"),
            ("month", "string", "Month, YYYY-MM"),
            ("n", "integer", "The dispute's number in the month (Dn)"),
        ] {
            if route.path.contains(&format!("{{{name}}}")) {
                parameters.push(json!({
                    "name": name, "in": "path", "required": true,
                    "schema": {"type": kind},
                    "description": description,
                }));
            }
        }
        for (name, description) in route.query {
            parameters.push(json!({
                "name": name, "in": "query", "required": true,
                "schema": {"type": "string", "format": "date"},
                "description": description,
            }));
        }
        let mut responses = Map::new();
        responses.insert(
            route.status.to_string(),
            json!({"description": "OK", "content": {"application/json": {}}}),
        );
        let error = |description: &str| json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
        if route.access != Access::Public {
            responses.insert(
                "401".into(),
                error("Not signed in, or the session or key is revoked or expired"),
            );
        }
        if matches!(route.access, Access::AuditorOrAdmin | Access::Party) {
            responses.insert("403".into(), error("The caller's role may not do this"));
        }
        if route.method == "POST" {
            responses.insert(
                "422".into(),
                error("The operation refused (a rule of the contract)"),
            );
            responses.insert(
                "403".into(),
                error("The caller's role may not do this, or the request came from another site"),
            );
        }
        if route.tenant {
            responses.insert(
                "404".into(),
                error("No such contract for this caller (another organisation's reads the same)"),
            );
        }
        if !route.query.is_empty() || route.path.contains("{month}") {
            responses.insert("400".into(), error("A parameter cannot be understood"));
        }
        let mut operation = json!({
            "summary": route.summary,
            "parameters": parameters,
            "responses": responses,
        });
        if route.method == "POST" {
            operation["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": {"type": "object"}}}});
        }
        if route.access != Access::Public {
            operation["security"] = json!([{"session": []}, {"apiKey": []}]);
        }
        let entry = paths
            .entry(route.path.to_string())
            .or_insert_with(|| json!({}));
        entry[route.method.to_ascii_lowercase()] = operation;
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "pacta", "version": env!("CARGO_PKG_VERSION")},
        "paths": paths,
        "components": {
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": crate::auth::SESSION_COOKIE},
                "apiKey": {"type": "http", "scheme": "bearer"},
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {
                        "code": {"type": "string", "description": "Stable code (docs/server.md)"},
                        "message": {"type": "string", "description": "English or Spanish per Accept-Language"},
                    },
                },
            },
        },
    })
}

/// `GET /api/openapi.json`.
pub async fn openapi_json() -> Json<Value> {
    Json(openapi())
}
