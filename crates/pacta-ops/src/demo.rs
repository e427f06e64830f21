//! The end-to-end demo: the example bank contract, two generated months imported into the
//! store, both settled (the second with the first as history), and the second reconciled
//! against a simulated vendor invoice that has something to find.
//!
//! Every step is the same operation a user runs by hand ([`generate`](crate::generate),
//! [`import`](crate::import), [`settle`](crate::settle)); the caller is told of each step as it
//! happens, so a terminal can show progress and the importers' summaries.

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use pacta_contract::Contract;
use pacta_core::Month;
use pacta_data::record_kinds::RecordKind;
use pacta_gen::GenOptions;
use pacta_terms::pricing::{Invoice, LineKind};
use pacta_terms::reconcile::VendorLine;
use rust_decimal::Decimal;

use crate::generate::Generated;
use crate::import::{ImportKind, ImportOutcome, ImportRequest};
use crate::record::RecordPlace;
use crate::settle::{SettleOptions, settle};
use crate::{OpError, OpResult, files};

/// The demo's contract: examples/bank-inbound-manila.toml.
pub const CONTRACT: &str = include_str!("../../../examples/bank-inbound-manila.toml");

/// Steps the demo announces ([`DemoEvent::Generating`] and [`DemoEvent::Importing`] for each
/// of its two months).
pub const STEPS: usize = 4;

/// Where the demo writes and how much it generates.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// Directory for the contract, the generated files and the vendor invoice.
    pub out: PathBuf,
    /// Store directory.
    pub store: PathBuf,
    /// Interactions per month.
    pub rows: u64,
    /// The month to settle; the month before it is settled first, as history.
    pub month: Month,
    /// Where the settlements and the audit log go (`None`: the store's embedded database).
    pub db: Option<String>,
}

/// A step of the demo, as it happens.
#[derive(Debug)]
pub enum DemoEvent<'a> {
    /// Step `step` of [`STEPS`] begins: generating `month`.
    Generating {
        /// 1-based step.
        step: usize,
        /// The month.
        month: Month,
    },
    /// A month of data was written to `dir`.
    Generated {
        /// What was generated.
        generated: &'a Generated,
        /// Where.
        dir: &'a Path,
    },
    /// Step `step` of [`STEPS`] begins: importing `month`'s files.
    Importing {
        /// 1-based step.
        step: usize,
        /// The month.
        month: Month,
    },
    /// One file was imported into the store.
    Imported {
        /// The import's row accounting and batch.
        outcome: &'a ImportOutcome,
    },
}

/// What the demo leaves behind.
#[derive(Debug)]
pub struct DemoOutcome {
    /// The contract file written.
    pub contract_path: PathBuf,
    /// The contract.
    pub contract: Contract,
    /// The settled month, reconciled against the vendor invoice, as saved in the store.
    pub settled: crate::settle::SettleOutcome,
    /// The simulated vendor invoice written (CSV).
    pub vendor_invoice_path: PathBuf,
    /// The dispute the demo walks: the provider disputes the SL-VOICE credit, proposes to
    /// leave an outage out, the client accepts, and the month is settled again as the next
    /// version. `None` when the month's raising window has closed (a demo store settled on an
    /// earlier day and run again).
    pub dispute: Option<DemoDispute>,
    /// The server side of the demo: its organisations, the contract registered between them
    /// and three users, for `pacta serve` on the same store.
    pub server: DemoServer,
}

/// The demo's organisations: the client, the provider and an audit firm.
pub const DEMO_ORGS: [(&str, &str); 3] = [
    ("andes-bank", "Andes Federal Bank"),
    ("pacific-shore", "Pacific Shore Contact Solutions"),
    ("audit-firm", "Audit firm"),
];

/// The demo's users: the client's vendor manager, the provider's account manager and the
/// auditor, with their organisation (an index into [`DEMO_ORGS`]).
pub const DEMO_USERS: [(&str, usize, pacta_db::Role); 3] = [
    ("carla", 0, pacta_db::Role::ClientManager),
    ("pedro", 1, pacta_db::Role::ProviderManager),
    ("ana", 2, pacta_db::Role::Auditor),
];

/// What [`server_access`] set up for the dashboard.
#[derive(Clone, PartialEq, Eq)]
pub struct DemoServer {
    /// The contract as registered (its version `n`, its two organisations).
    pub contract: pacta_db::RegisteredContract,
    /// The three users, in [`DEMO_USERS`] order.
    pub users: Vec<DemoUser>,
}

impl std::fmt::Debug for DemoServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoServer")
            .field("contract", &self.contract.id)
            .field("users", &self.users)
            .finish()
    }
}

/// A demo user.
#[derive(Clone, PartialEq, Eq)]
pub struct DemoUser {
    /// Login name.
    pub name: String,
    /// Organisation slug.
    pub org: String,
    /// Role.
    pub role: pacta_db::Role,
    /// The password, when this run created the user (random; only its argon2id hash is
    /// stored, so it can be shown once). `None`: the user existed already, with the
    /// password shown when it was created.
    pub password: Option<String>,
}

impl std::fmt::Debug for DemoUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoUser")
            .field("name", &self.name)
            .field("org", &self.org)
            .field("role", &self.role)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .finish()
    }
}

/// Sets up the server side of the demo on `db`, idempotently: the organisations of
/// [`DEMO_ORGS`] that do not exist yet, the contract registered between the client and the
/// provider (the same text again adds no version), and the users of [`DEMO_USERS`] that do
/// not exist yet, each with a new random password. Existing users are left as they are
/// (their passwords are not reset). Every creation is audited as `actor`.
pub fn server_access(
    db: &pacta_db::Db,
    contract: &Contract,
    actor: &str,
    now: Timestamp,
) -> OpResult<DemoServer> {
    for (slug, name) in DEMO_ORGS {
        if !db.org_exists(slug)? {
            db.add_org(slug, name, actor, now)?;
        }
    }
    let header = &contract.doc.contract;
    let registered = db.register_contract(
        &pacta_db::NewContract {
            id: header.id.clone(),
            contract_version: header.version.clone(),
            toml: contract.source.text().to_string(),
            client_org: DEMO_ORGS[0].0.to_string(),
            provider_org: DEMO_ORGS[1].0.to_string(),
        },
        actor,
        now,
    )?;
    let mut users = Vec::new();
    for (name, org, role) in DEMO_USERS {
        let org = DEMO_ORGS[org].0;
        let password = if db.viewer_of(name)?.is_some() {
            None
        } else {
            let password = pacta_db::generate_password()?;
            db.add_user(
                &pacta_db::NewUser {
                    name: name.to_string(),
                    org: org.to_string(),
                    role,
                },
                &password,
                actor,
                now,
            )?;
            Some(password)
        };
        users.push(DemoUser {
            name: name.to_string(),
            org: org.to_string(),
            role,
            password,
        });
    }
    Ok(DemoServer {
        contract: registered,
        users,
    })
}

/// The demo's dispute and what its resolution did to the month.
#[derive(Debug, Clone)]
pub struct DemoDispute {
    /// The dispute as it ended (resolved).
    pub view: crate::dispute::DisputeView,
    /// The adjusted version and its note.
    pub adjusted: crate::adjust::AdjustOutcome,
}

/// The outage the demo's provider asks to leave out: 09:00 to 15:00 on the 14th, local time.
fn demo_outage(contract: &Contract, month: Month) -> OpResult<(Timestamp, Timestamp)> {
    let day = month
        .first_day()
        .with()
        .day(14)
        .build()
        .map_err(|e| OpError::Encode {
            what: "demo outage",
            detail: e.to_string(),
        })?;
    let at = |hour: i8| -> OpResult<Timestamp> {
        day.at(hour, 0, 0, 0)
            .to_zoned(contract.time_zone.clone())
            .map(|z| z.timestamp())
            .map_err(|e| OpError::Encode {
                what: "demo outage",
                detail: e.to_string(),
            })
    };
    Ok((at(9)?, at(15)?))
}

/// Walks the dispute of [`DemoOutcome::dispute`].
fn walk_dispute(
    store: &pacta_data::store::Store,
    recorder: &crate::record::Recorder,
    contract: &Contract,
    month: Month,
    now: Timestamp,
) -> OpResult<Option<DemoDispute>> {
    use pacta_governance::dispute::{Action, Adjustment, DisputeError, ReliefKind, Side};
    let opened = crate::dispute::open(
        recorder,
        contract,
        month,
        "credit/SL-VOICE",
        Side::Provider,
        "A carrier outage on the 14th made the voice queues unreachable; it is excused relief.",
        now,
    );
    let opened = match opened {
        Err(OpError::Dispute(DisputeError::OutsideWindow { .. })) => return Ok(None),
        other => other?,
    };
    let id = opened.record.id.clone();
    let (start, end) = demo_outage(contract, month)?;
    crate::dispute::act(
        recorder,
        contract,
        &id,
        Side::Provider,
        Action::Propose {
            text: "Leave 09:00–15:00 on the 14th out of the measurement.".into(),
            adjustment: Some(Adjustment::ExclusionWindow {
                start,
                end,
                queues: Vec::new(),
                kind: ReliefKind::Outage,
            }),
        },
        &[],
        now,
    )?;
    let view = crate::dispute::act(
        recorder,
        contract,
        &id,
        Side::Client,
        Action::Accept,
        &[],
        now,
    )?;
    let Some(adjusted) = crate::dispute::apply_resolution(store, recorder, contract, &id, now)?
    else {
        return Ok(None);
    };
    Ok(Some(DemoDispute { view, adjusted }))
}

/// The files the generator writes, in import order, with what each holds.
const IMPORTS: [(&str, ImportKind); 7] = [
    ("interactions.csv", ImportKind::Interactions),
    ("surveys.csv", ImportKind::Records(RecordKind::Surveys)),
    ("qa.csv", ImportKind::Records(RecordKind::Qa)),
    ("roster.csv", ImportKind::Records(RecordKind::Roster)),
    ("training.csv", ImportKind::Records(RecordKind::Training)),
    ("agent_days.csv", ImportKind::Records(RecordKind::AgentDays)),
    ("incidents.csv", ImportKind::Records(RecordKind::Incidents)),
];

/// Runs the demo; `now` stamps the imports. Each step is reported to `observe` as it happens.
pub fn run(
    options: &DemoOptions,
    now: Timestamp,
    observe: &mut dyn FnMut(DemoEvent<'_>),
) -> OpResult<DemoOutcome> {
    let contract_path = options.out.join("contract.toml");
    files::write(&contract_path, CONTRACT.as_bytes())?;
    let contract = crate::contract::load(&contract_path)?;
    let month = options.month;
    let previous = month.prev().ok_or(OpError::NoAdjacentMonth {
        month,
        before: true,
    })?;
    let months = [previous, month];
    let mut store = None;
    let records = RecordPlace::new(&options.store, options.db.as_deref(), "demo")?;
    for (n, m) in months.into_iter().enumerate() {
        let dir = options.out.join(format!("data-{m}"));
        observe(DemoEvent::Generating {
            step: n * 2 + 1,
            month: m,
        });
        let gen_options = GenOptions {
            seed: 42 + n as u64,
            ..GenOptions::new(m, options.rows)
        };
        let generated =
            crate::generate::generate_to_dir(&contract, &gen_options, &dir, true, &mut |_| {})?;
        observe(DemoEvent::Generated {
            generated: &generated,
            dir: &dir,
        });
        observe(DemoEvent::Importing {
            step: n * 2 + 2,
            month: m,
        });
        for (file, kind) in IMPORTS {
            let request = ImportRequest {
                format: Some("csv".into()),
                paths: vec![dir.join(file)],
                ..ImportRequest::default()
            };
            let plan = crate::import::prepare(&contract, kind, request)?;
            let store = match &mut store {
                Some(s) => s,
                None => store.insert(crate::store::open(&options.store)?),
            };
            let outcome = plan.run(store, Some(&records), now, None)?;
            observe(DemoEvent::Imported { outcome: &outcome });
        }
    }
    let store = match store {
        Some(s) => s,
        None => crate::store::open(&options.store)?,
    };
    let recorder = records.recorder()?;
    let db = Some(recorder.db.as_ref());
    let first = settle(&store, db, &contract, previous, &SettleOptions::default())?;
    crate::record::save(&recorder, &contract, &first, &SettleOptions::default(), now)?;
    let expected = settle(&store, db, &contract, month, &SettleOptions::default())?.settlement;
    let vendor = simulated_vendor_invoice(&expected.invoice);
    let vendor_invoice_path = options.out.join(format!("vendor-invoice-{month}.csv"));
    files::write(
        &vendor_invoice_path,
        crate::vendor_invoice::to_csv(&vendor).as_bytes(),
    )?;
    let reconciled = SettleOptions {
        vendor_invoice: Some(&vendor),
        ..SettleOptions::default()
    };
    let settled = settle(&store, db, &contract, month, &reconciled)?;
    crate::record::save(&recorder, &contract, &settled, &reconciled, now)?;
    let dispute = walk_dispute(&store, &recorder, &contract, month, now)?;
    let settled = match &dispute {
        Some(d) => d.adjusted.settled.clone(),
        None => settled,
    };
    let server = server_access(&recorder.db, &contract, &records.actor, now)?;
    Ok(DemoOutcome {
        contract_path,
        contract,
        settled,
        vendor_invoice_path,
        dispute,
        server,
    })
}

/// The vendor's invoice as a provider might send it: pacta's service lines with the first
/// quantity padded by 3 %, credits not netted, and an administration fee the contract does not
/// allow.
fn simulated_vendor_invoice(expected: &Invoice) -> Vec<VendorLine> {
    let mut out = Vec::new();
    let mut padded = false;
    for l in &expected.lines {
        if matches!(l.kind, LineKind::Credit) {
            continue;
        }
        let mut quantity = l.quantity;
        if !padded && l.kind == LineKind::Service && !l.quantity.is_zero() {
            quantity = (l.quantity * Decimal::new(103, 2)).round_dp(2);
            padded = true;
        }
        out.push(VendorLine {
            item: l.item.clone(),
            quantity,
            rate: l.rate,
            amount: (quantity * l.rate).round_dp(2),
        });
    }
    out.push(VendorLine {
        item: "platform-administration-fee".into(),
        quantity: Decimal::ONE,
        rate: Decimal::new(2500, 0),
        amount: Decimal::new(2500, 0),
    });
    out
}
