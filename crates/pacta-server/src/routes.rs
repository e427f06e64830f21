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
    /// Admins only (others get 403).
    Admin,
    /// A party to the contract: its client organisation's client manager or its provider
    /// organisation's provider manager (auditors and admins get 403).
    Party,
    /// The contract's client manager only: closing a month makes its figures final, and the
    /// client is the party that pays on them and signs them off (the provider manager,
    /// auditors and admins get 403).
    ClientParty,
    /// Who may edit contracts: admins, and client managers for their own organisation's
    /// contracts (provider managers and auditors get 403).
    ContractEditor,
    /// The caller's own API key (`{key}`): another user's key answers 404, as a missing
    /// one; admins reach every user's keys.
    KeyOwner,
}

/// The type of a query parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// `YYYY-MM-DD`.
    Date,
    /// Free text.
    Text,
    /// One of these words.
    OneOf(&'static [&'static str]),
    /// A percentage, 0 to 100 (decimal point allowed).
    Percent,
    /// A non-negative whole number.
    Integer,
    /// `true` or `false`.
    Boolean,
}

/// A query parameter of a route.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    /// Its name.
    pub name: &'static str,
    /// Its type.
    pub kind: ParamKind,
    /// Whether the route refuses (400) a request without it.
    pub required: bool,
    /// What it is.
    pub description: &'static str,
}

impl Param {
    /// A required date.
    pub const fn date(name: &'static str, description: &'static str) -> Param {
        Param {
            name,
            kind: ParamKind::Date,
            required: true,
            description,
        }
    }

    /// An optional parameter.
    pub const fn optional(name: &'static str, kind: ParamKind, description: &'static str) -> Param {
        Param {
            name,
            kind,
            required: false,
            description,
        }
    }

    /// A required parameter.
    pub const fn required(name: &'static str, kind: ParamKind, description: &'static str) -> Param {
        Param {
            name,
            kind,
            required: true,
            description,
        }
    }
}

/// What a route's request body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// None (anything sent is ignored).
    None,
    /// JSON (`application/json`) matching `schema`, a JSON Schema as JSON text; `required`:
    /// whether an empty body is refused.
    Json {
        /// The JSON Schema, as JSON text.
        schema: &'static str,
        /// Whether an empty body is refused.
        required: bool,
    },
    /// A file, as is, of one of these media types (the first is the usual one).
    File {
        /// Media types accepted.
        media: &'static [&'static str],
    },
}

/// What the authorization matrix test sends to a route: a valid request in every role.
#[derive(Debug, Clone, Copy)]
pub struct Example {
    /// The query string, without `?` (empty: none).
    pub query: &'static str,
    /// The JSON body (empty: the test's default for the route, or none).
    pub body: &'static str,
    /// The month put in `{month}` (`None`: the test's month).
    pub month: Option<&'static str>,
}

impl Example {
    /// No example beyond the test's defaults.
    pub const NONE: Example = Example {
        query: "",
        body: "",
        month: None,
    };
}

/// One route of the API.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The path, with `{id}` (a contract id), `{month}` (YYYY-MM), `{n}` (a dispute's
    /// number) and `{key}` (an API key's id) parameters.
    pub path: &'static str,
    /// What it returns.
    pub summary: &'static str,
    /// Who may call it.
    pub access: Access,
    /// Query parameters.
    pub query: &'static [Param],
    /// Whether it reads one contract (`{id}`), scoped to the caller's organisation.
    pub tenant: bool,
    /// The status of success.
    pub status: u16,
    /// A dashboard page (HTML; signed out, it redirects to the login form with 303) rather
    /// than a JSON route; pages are left out of the OpenAPI document.
    pub page: bool,
    /// The request body.
    pub body: Body,
    /// A valid request for the authorization matrix test.
    pub example: Example,
}

impl Route {
    /// A dashboard page with no query parameters or body the matrix must know about.
    const fn page(
        method: &'static str,
        path: &'static str,
        access: Access,
        tenant: bool,
        status: u16,
        summary: &'static str,
    ) -> Route {
        Route {
            method,
            path,
            summary,
            access,
            query: &[],
            tenant,
            status,
            page: true,
            body: Body::None,
            example: Example::NONE,
        }
    }

    /// A JSON `GET` without query parameters, answering 200.
    const fn read(
        path: &'static str,
        access: Access,
        tenant: bool,
        summary: &'static str,
    ) -> Route {
        Route {
            method: "GET",
            path,
            summary,
            access,
            query: &[],
            tenant,
            status: 200,
            page: false,
            body: Body::None,
            example: Example::NONE,
        }
    }
}

/// Every route: the JSON API and the dashboard's pages.
pub const ROUTES: &[Route] = &[
    Route::read(
        "/api/me",
        Access::Viewer,
        false,
        "The caller: user, organisation and role.",
    ),
    Route::read(
        "/api/contracts",
        Access::Viewer,
        false,
        "The latest version of every contract the caller may read.",
    ),
    Route::read(
        "/api/contracts/{id}",
        Access::Viewer,
        true,
        "One contract: its registration, parties and TOML text.",
    ),
    Route::read(
        "/api/contracts/{id}/months",
        Access::Viewer,
        true,
        "Every month with a saved settlement: latest version, versions, state.",
    ),
    Route::read(
        "/api/contracts/{id}/months/{month}/settlement",
        Access::Viewer,
        true,
        "The latest saved settlement of the month, as saved (JSON).",
    ),
    Route {
        method: "GET",
        path: "/api/contracts/{id}/obligations",
        summary: "The obligations due in a date range with their status (listing records them).",
        access: Access::Viewer,
        query: &[
            Param::date("from", "First day, YYYY-MM-DD"),
            Param::date("to", "Last day, YYYY-MM-DD"),
        ],
        tenant: true,
        status: 200,
        page: false,
        body: Body::None,
        example: Example::NONE,
    },
    Route::read(
        "/api/contracts/{id}/disputes",
        Access::Viewer,
        true,
        "Every dispute of the contract as it stands now.",
    ),
    Route {
        method: "POST",
        path: "/api/contracts/{id}/disputes",
        summary: "Opens a dispute on a line of a settled month (JSON: month, subject, claim), as the caller's side.",
        access: Access::Party,
        query: &[],
        tenant: true,
        status: 201,
        page: false,
        body: Body::Json {
            schema: DISPUTE_OPENING_SCHEMA,
            required: true,
        },
        example: Example::NONE,
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
        body: Body::Json {
            schema: DISPUTE_ACTION_SCHEMA,
            required: true,
        },
        example: Example::NONE,
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
        body: Body::None,
        example: Example::NONE,
    },
    Route::read(
        "/api/audit/verify",
        Access::AuditorOrAdmin,
        false,
        "Walks the audit log's hash chain: entries and head hash, or the first broken link.",
    ),
    Route {
        method: "GET",
        path: "/api/audit/log",
        summary: "Audit entries after a sequence number, oldest first, at most `limit` (default 100, at most 1000).",
        access: Access::AuditorOrAdmin,
        query: &[
            Param::optional(
                "since",
                ParamKind::Integer,
                "Only entries after this sequence number",
            ),
            Param::optional(
                "limit",
                ParamKind::Integer,
                "At most this many entries (default 100, at most 1000)",
            ),
            Param::optional("action", ParamKind::Text, "Only entries of this action"),
            Param::optional(
                "object",
                ParamKind::Text,
                "Only entries whose object starts with this",
            ),
        ],
        tenant: false,
        status: 200,
        page: false,
        body: Body::None,
        example: Example::NONE,
    },
    Route::read("/api/openapi.json", Access::Public, false, "This document."),
    Route {
        method: "POST",
        path: "/api/contracts/{id}/months/{month}/settle",
        summary: "Settles the month from the store and saves it as its next version, as `pacta settle` does (JSON body, optional: allow_empty, vendor_invoice_csv or uploaded_vendor_invoice). Refused once the month is closed.",
        access: Access::Party,
        query: &[],
        tenant: true,
        status: 201,
        page: false,
        body: Body::Json {
            schema: SETTLE_SCHEMA,
            required: false,
        },
        example: Example {
            query: "",
            body: "{\"allow_empty\": true}",
            month: Some("2026-08"),
        },
    },
    Route {
        method: "POST",
        path: "/api/contracts/{id}/months/{month}/close",
        summary: "Closes the month, as `pacta month close`: its latest saved settlement must come out byte for byte from the store now; the store snapshot, contract hash and pacta version are recorded. The contract's client manager only.",
        access: Access::ClientParty,
        query: &[],
        tenant: true,
        status: 200,
        page: false,
        body: Body::None,
        example: Example {
            query: "",
            body: "",
            month: Some("2026-09"),
        },
    },
    Route {
        method: "GET",
        path: "/api/contracts/{id}/months/{month}/verify",
        summary: "Recomputes a closed month from the store snapshot, contract version and history it recorded, and compares it with the saved settlement byte for byte (`pacta settle --verify`).",
        access: Access::Viewer,
        query: &[],
        tenant: true,
        status: 200,
        page: false,
        body: Body::None,
        example: Example {
            query: "",
            body: "",
            month: Some("2026-09"),
        },
    },
    Route {
        method: "GET",
        path: "/api/contracts/{id}/months/{month}/kpis",
        summary: "The month's KPIs measured from the store, as `pacta kpi` (raw measurements: settlement applies exclusions).",
        access: Access::Viewer,
        query: &[Param::optional(
            "sla",
            ParamKind::Text,
            "Only these SLAs, comma-separated (default: every SLA of the contract)",
        )],
        tenant: true,
        status: 200,
        page: false,
        body: Body::None,
        example: Example {
            query: "sla=SL-VOICE",
            body: "",
            month: Some("2026-09"),
        },
    },
    Route {
        method: "POST",
        path: "/api/contracts/{id}/imports",
        summary: "Imports the file in the body into the store, as `pacta import`: the same importers, pseudonymisation, quarantine and report, under the store's writer lock. Answers the import report (rows imported, quarantined rows with file, row and column, batch id).",
        access: Access::Party,
        query: IMPORT_PARAMS,
        tenant: true,
        status: 200,
        page: false,
        body: Body::File {
            media: &[
                "text/csv",
                "application/octet-stream",
                "application/x-ndjson",
            ],
        },
        example: Example {
            query: "kind=surveys&filename=surveys.csv",
            body: "",
            month: None,
        },
    },
    Route {
        method: "POST",
        path: "/api/contracts",
        summary: "Registers a contract (TOML body) between client_org and provider_org, or a new version of one: validated first, with located errors (422 contract-invalid). Admins, and client managers for their own organisation.",
        access: Access::ContractEditor,
        query: &[
            Param::optional(
                "client_org",
                ParamKind::Text,
                "The client organisation (default: a client manager's own)",
            ),
            Param::required("provider_org", ParamKind::Text, "The provider organisation"),
        ],
        tenant: false,
        status: 201,
        page: false,
        body: Body::File {
            media: &["application/toml", "text/plain"],
        },
        example: Example {
            query: "client_org=bank-a-org&provider_org=shore-a-org",
            body: "",
            month: None,
        },
    },
    Route {
        method: "POST",
        path: "/api/contracts/{id}/versions",
        summary: "Registers a new version of the contract (TOML body with the same id), between the same organisations; the same text again answers 200 and registers nothing.",
        access: Access::ContractEditor,
        query: &[],
        tenant: true,
        status: 201,
        page: false,
        body: Body::File {
            media: &["application/toml", "text/plain"],
        },
        example: Example::NONE,
    },
    Route {
        method: "POST",
        path: "/api/contracts/{id}/obligations/actions",
        summary: "Fulfils or waives an obligation (ids contain slashes, so the id is in the body), as `pacta obligation fulfil|waive`: each side fulfils its own obligations and waives the other side's.",
        access: Access::Party,
        query: &[],
        tenant: true,
        status: 200,
        page: false,
        body: Body::Json {
            schema: OBLIGATION_ACTION_SCHEMA,
            required: true,
        },
        example: Example::NONE,
    },
    Route::read(
        "/api/keys",
        Access::Viewer,
        false,
        "The caller's API and calendar feed keys (an admin: everyone's): id, owner, purpose, label, created, revoked. Never the secret.",
    ),
    Route {
        method: "POST",
        path: "/api/keys",
        summary: "Creates an API key for the caller (JSON: label); the secret is in this answer only.",
        access: Access::Viewer,
        query: &[],
        tenant: false,
        status: 201,
        page: false,
        body: Body::Json {
            schema: KEY_SCHEMA,
            required: false,
        },
        example: Example {
            query: "",
            body: "{\"label\": \"ci\"}",
            month: None,
        },
    },
    Route {
        method: "POST",
        path: "/api/keys/{key}/revoke",
        summary: "Revokes one of the caller's keys (admins: anyone's); another user's key answers 404.",
        access: Access::KeyOwner,
        query: &[],
        tenant: false,
        status: 200,
        page: false,
        body: Body::None,
        example: Example::NONE,
    },
    Route {
        method: "POST",
        path: "/api/contracts/{id}/months/{month}/disputes/{n}/evidence",
        summary: "Attaches the file in the body to a comment (query: text, filename) on dispute n of the month, as the caller's side (`pacta dispute comment --evidence`).",
        access: Access::Party,
        query: &[
            Param::optional("text", ParamKind::Text, "The comment's text"),
            Param::optional(
                "filename",
                ParamKind::Text,
                "The file's name (letters, digits, . - _ kept; default: evidence)",
            ),
        ],
        tenant: true,
        status: 200,
        page: false,
        body: Body::File {
            media: &[
                "application/octet-stream",
                "application/pdf",
                "text/plain",
                "text/csv",
            ],
        },
        example: Example {
            query: "text=minutes&filename=minutes.txt",
            body: "",
            month: None,
        },
    },
    Route::read(
        "/api/contracts/{id}/evidence/{hash}",
        Access::Viewer,
        true,
        "An evidence file of the contract (a dispute comment's or an obligation's), by its BLAKE3 hash, as an attachment; another contract's hash answers 404.",
    ),
    Route {
        method: "POST",
        path: "/api/contracts/{id}/months/{month}/vendor-invoice",
        summary: "Keeps the vendor's invoice for the month (CSV item,quantity,rate,amount; checked first, located errors 422); settle with uploaded_vendor_invoice reconciles the latest one.",
        access: Access::Party,
        query: &[Param::optional(
            "filename",
            ParamKind::Text,
            "The file's name (default: vendor-invoice.csv)",
        )],
        tenant: true,
        status: 201,
        page: false,
        body: Body::File {
            media: &["text/csv"],
        },
        example: Example {
            query: "filename=invoice.csv",
            body: "",
            month: Some("2026-08"),
        },
    },
    Route {
        method: "POST",
        path: "/api/contracts/{id}/months/{month}/staffing-plan",
        summary: "Keeps the vendor's staffing plan for the month (CSV interval_start,queue,agents in the contract's zone; checked first, located errors 422); the intervals page sets the latest one beside the agents Erlang requires.",
        access: Access::Party,
        query: &[Param::optional(
            "filename",
            ParamKind::Text,
            "The file's name (default: staffing-plan.csv)",
        )],
        tenant: true,
        status: 201,
        page: false,
        body: Body::File {
            media: &["text/csv"],
        },
        example: Example {
            query: "filename=plan.csv",
            body: "",
            month: Some("2026-08"),
        },
    },
    Route {
        method: "POST",
        path: "/api/contracts/{id}/months/{month}/what-if",
        summary: "The month re-settled with changed SLA terms (JSON: {\"changes\": [...]}: target, threshold, variant, exclusions, exclusion_window), never saved, with its differences from the latest saved version; a bad change answers 422 with the JSON path of the field.",
        access: Access::Viewer,
        query: &[],
        tenant: true,
        status: 200,
        page: false,
        body: Body::Json {
            schema: WHAT_IF_SCHEMA,
            required: true,
        },
        example: Example {
            query: "",
            body: "{\"changes\": []}",
            month: Some("2026-09"),
        },
    },
    Route::page(
        "GET",
        "/",
        Access::Viewer,
        false,
        200,
        "Portfolio page: every contract in scope with its latest month's SLA statuses and credit.",
    ),
    Route::page(
        "GET",
        "/contracts/{id}/months/{month}",
        Access::Viewer,
        true,
        200,
        "Contract month page: the scorecard (each figure linking to its contacts as CSV), the credit waterfall, the invoice and the reconciliation of the vendor's invoice, as saved.",
    ),
    Route::page(
        "GET",
        "/contracts/{id}/months/{month}/intervals",
        Access::Viewer,
        true,
        200,
        "Intervals page: service level per interval against target (day × interval heatmap), volume against the forecast band, Erlang-required agents against the vendor's plan.",
    ),
    Route {
        method: "GET",
        path: "/contracts/{id}/months/{month}/slas/{sla}/contacts.csv",
        summary: "The contacts behind an SLA's figure as CSV (pacta explain --contacts), customers pseudonymised; 409 no-store when the server runs without a store.",
        access: Access::Viewer,
        query: &[],
        tenant: true,
        status: 200,
        page: true,
        body: Body::None,
        example: Example {
            query: "",
            body: "",
            month: Some("2026-09"),
        },
    },
    Route::page(
        "GET",
        "/contracts/{id}/disputes",
        Access::Viewer,
        true,
        200,
        "Disputes page: each dispute with its status, step and deadline.",
    ),
    Route::page(
        "POST",
        "/contracts/{id}/disputes",
        Access::Party,
        true,
        303,
        "The dispute form: opens a dispute as the caller's side, then back to the disputes page (303).",
    ),
    Route::page(
        "GET",
        "/contracts/{id}/obligations",
        Access::Viewer,
        true,
        200,
        "Obligations page: from 31 days ago to 92 days ahead, with their status.",
    ),
    Route::page(
        "POST",
        "/contracts/{id}/calendar-link",
        Access::Viewer,
        true,
        200,
        "Obligations page with a new calendar feed link for the caller (shown once).",
    ),
    Route::page(
        "POST",
        "/contracts/{id}/months/{month}/disputes/{n}/actions",
        Access::Party,
        true,
        200,
        "A dispute's action form (comment, propose, accept, escalate, withdraw) as the caller's side, answered with the disputes page and a notice; accepting an offer with an adjustment settles the month again and the notice gives the new version and its note.",
    ),
    Route::page(
        "GET",
        "/audit",
        Access::AuditorOrAdmin,
        false,
        200,
        "Audit page: the chain's verification and the entries that pass a filter (object prefix, action, after an entry), 50 a page.",
    ),
    Route::page(
        "GET",
        "/admin",
        Access::Admin,
        false,
        200,
        "Administration page: users with their roles, API and calendar keys with revoke buttons, and a form to add a user.",
    ),
    Route::page(
        "POST",
        "/admin/users",
        Access::Admin,
        false,
        200,
        "The add-user form (name, org, role): the administration page with the new user's one-time password.",
    ),
    Route::page(
        "POST",
        "/admin/keys/revoke",
        Access::Admin,
        false,
        303,
        "A key's revoke button (id): revokes it, then back to the administration page (303).",
    ),
    Route {
        method: "GET",
        path: "/contracts/{id}/months/{month}/what-if",
        summary: "What-if page: a form with each SLA's current target, threshold, variant and exclusions.",
        access: Access::Viewer,
        query: &[],
        tenant: true,
        status: 200,
        page: true,
        body: Body::None,
        example: Example {
            query: "",
            body: "",
            month: Some("2026-09"),
        },
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
        body: Body::None,
        example: Example {
            query: "",
            body: "",
            month: Some("2026-09"),
        },
    },
];

/// The body of `POST /api/contracts/{id}/disputes`.
const DISPUTE_OPENING_SCHEMA: &str = r#"{"type": "object", "required": ["month", "subject", "claim"],
  "properties": {"month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
    "subject": {"type": "string"}, "claim": {"type": "string"}}}"#;

/// The body of a dispute action.
const DISPUTE_ACTION_SCHEMA: &str = r#"{"type": "object", "required": ["action"],
  "properties": {"action": {"type": "string", "enum": ["comment", "propose", "accept",
    "escalate", "withdraw", "record_outcome"]}}}"#;

/// The body of `POST .../settle`.
const SETTLE_SCHEMA: &str = r#"{"type": "object", "additionalProperties": false,
  "properties": {"allow_empty": {"type": "boolean",
      "description": "Settle even a month without data (every SLA without data counts as missed unless excused)"},
    "vendor_invoice_csv": {"type": "string",
      "description": "The vendor's invoice to reconcile: CSV with columns item,quantity,rate,amount"},
    "uploaded_vendor_invoice": {"type": "boolean",
      "description": "Reconcile the latest vendor invoice uploaded for the month instead"}}}"#;

/// The body of `POST .../obligations/actions`.
const OBLIGATION_ACTION_SCHEMA: &str = r#"{"type": "object", "additionalProperties": false,
  "required": ["obligation", "action"],
  "properties": {"obligation": {"type": "string", "description": "The obligation's id"},
    "action": {"type": "string", "enum": ["fulfil", "waive"]},
    "reason": {"type": "string", "description": "Why it is waived (required to waive)"},
    "note": {"type": "string", "description": "A note on the fulfilment"}}}"#;

/// The body of `POST .../what-if` (`pacta_ops::what_if::Change`).
const WHAT_IF_SCHEMA: &str = r#"{"type": "object", "additionalProperties": false,
  "required": ["changes"],
  "properties": {"changes": {"type": "array", "items": {"type": "object", "required": ["change"],
    "properties": {"change": {"type": "string",
        "enum": ["target", "threshold", "variant", "exclusions", "exclusion_window"]},
      "sla": {"type": "string"}, "expected": {"type": ["number", "string"]},
      "minimum": {"type": ["number", "string"]}, "seconds": {"type": "integer", "minimum": 0},
      "variant": {"type": "string"}, "exclusions": {"type": "array", "items": {"type": "string"}},
      "start": {"type": "string", "format": "date-time"},
      "end": {"type": "string", "format": "date-time"},
      "queues": {"type": "array", "items": {"type": "string"}},
      "kind": {"type": "string", "enum": ["outage", "force_majeure", "client_caused"]}}}}}}"#;

/// The body of `POST /api/keys`.
const KEY_SCHEMA: &str = r#"{"type": "object", "additionalProperties": false,
  "properties": {"label": {"type": "string", "maxLength": 100}}}"#;

/// What `pacta import` takes, as query parameters of the upload.
const IMPORT_PARAMS: &[Param] = &[
    Param::required(
        "kind",
        ParamKind::OneOf(&[
            "interactions",
            "surveys",
            "qa",
            "roster",
            "training",
            "agent_days",
            "incidents",
            "invoices",
        ]),
        "What the file holds",
    ),
    Param::optional(
        "source",
        ParamKind::Text,
        "Which [[data.sources]] entry of the contract to use (default: the first of the kind)",
    ),
    Param::optional(
        "format",
        ParamKind::OneOf(&[
            "anonbank",
            "asterisk",
            "amazon-connect",
            "csv",
            "jsonl",
            "parquet",
        ]),
        "Source format of interactions (default: the source's)",
    ),
    Param::optional(
        "time_zone",
        ParamKind::Text,
        "Time zone of naive timestamps (default: the source's, else the contract's)",
    ),
    Param::optional(
        "max_quarantine_percent",
        ParamKind::Percent,
        "Refuse the import (nothing written, 422) when more than this percent of rows is quarantined",
    ),
    Param::optional(
        "replace",
        ParamKind::Boolean,
        "Correct earlier imports: rows whose source id is stored with other values replace them",
    ),
    Param::optional(
        "filename",
        ParamKind::Text,
        "The file's name, as the report and the audit log show it (default: upload)",
    ),
];

/// The OpenAPI 3.1 document of [`ROUTES`] (written by hand from the table rather than
/// derived with utoipa: the table is small and this keeps a proc-macro stack out of the
/// build).
pub fn openapi() -> Value {
    let mut paths = Map::new();
    for route in ROUTES.iter().filter(|r| !r.page) {
        let mut parameters = Vec::new();
        for (name, schema, description) in [
            (
                "id",
                // The demo's contract, so that a fuzzer reaches past the 404.
                json!({"type": "string", "minLength": 1, "examples": ["AFB-MNL-2026"]}),
                "Contract id",
            ),
            (
                "month",
                json!({"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$", "examples": ["2026-10"]}),
                "Month, YYYY-MM",
            ),
            (
                "n",
                json!({"type": "integer", "minimum": 1}),
                "The dispute's number in the month (Dn)",
            ),
            (
                "key",
                json!({"type": "string", "minLength": 1}),
                "An API key's id",
            ),
            (
                "hash",
                json!({"type": "string", "pattern": "^[0-9a-f]{64}$"}),
                "BLAKE3 of the file, hex",
            ),
        ] {
            if route.path.contains(&format!("{{{name}}}")) {
                parameters.push(json!({
                    "name": name, "in": "path", "required": true,
                    "schema": schema,
                    "description": description,
                }));
            }
        }
        for param in route.query {
            let schema = match param.kind {
                ParamKind::Date => json!({"type": "string", "format": "date"}),
                ParamKind::Text => json!({"type": "string"}),
                ParamKind::OneOf(words) => json!({"type": "string", "enum": words}),
                ParamKind::Percent => json!({"type": "number", "minimum": 0, "maximum": 100}),
                ParamKind::Integer => json!({"type": "integer", "minimum": 0}),
                ParamKind::Boolean => json!({"type": "boolean"}),
            };
            parameters.push(json!({
                "name": param.name, "in": "query", "required": param.required,
                "schema": schema,
                "description": param.description,
            }));
        }
        let mut responses = Map::new();
        // Files come back as they were uploaded; everything else is JSON.
        let media = if route.method == "GET" && route.path.ends_with("/{hash}") {
            "application/octet-stream"
        } else {
            "application/json"
        };
        responses.insert(
            route.status.to_string(),
            json!({"description": "OK", "content": {media: {}}}),
        );
        let error = |description: &str| json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
        if route.access != Access::Public {
            responses.insert(
                "401".into(),
                error("Not signed in, or the session or key is revoked or expired"),
            );
        }
        if matches!(
            route.access,
            Access::AuditorOrAdmin
                | Access::Admin
                | Access::Party
                | Access::ClientParty
                | Access::ContractEditor
        ) {
            responses.insert("403".into(), error("The caller's role may not do this"));
        }
        if route.method == "POST" {
            responses.insert(
                "422".into(),
                error("The operation refused (a rule of the contract, or input it cannot take)"),
            );
            responses.insert(
                "409".into(),
                error("The state does not allow it (a closed month, no store, a taken id)"),
            );
            responses.insert(
                "403".into(),
                error("The caller's role may not do this, or the request came from another site"),
            );
        }
        if route.tenant || route.access == Access::KeyOwner {
            responses.insert(
                "404".into(),
                error("No such object for this caller (another organisation's reads the same)"),
            );
        }
        if !route.query.is_empty()
            || route.path.contains("{month}")
            || route.path.contains("{n}")
            || route.body != Body::None
        {
            responses.insert(
                "400".into(),
                error("A parameter or the body cannot be understood"),
            );
        }
        match route.body {
            Body::None => {}
            Body::Json { .. } => {
                responses.insert("415".into(), error("The body is not JSON"));
            }
            Body::File { .. } => {
                responses.insert("413".into(), error("The file is larger than the limit"));
            }
        }
        let mut operation = json!({
            "summary": route.summary,
            "parameters": parameters,
            "responses": responses,
        });
        match route.body {
            Body::None => {}
            Body::Json { schema, required } => {
                let schema: Value =
                    serde_json::from_str(schema).unwrap_or(json!({"type": "object"}));
                operation["requestBody"] = json!({"required": required, "content": {"application/json": {"schema": schema}}});
            }
            Body::File { media } => {
                let mut content = Map::new();
                for m in media {
                    content.insert(
                        (*m).to_string(),
                        json!({"schema": {"type": "string", "format": "binary"}}),
                    );
                }
                operation["requestBody"] = json!({"required": true, "content": content});
            }
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
