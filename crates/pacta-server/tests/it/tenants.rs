//! Two tenants' contracts and one user per role, seeded into a fresh database.
//!
//! Contract A (`AFB-MNL-2026`, the bank example) is between client `bank-a-org` and
//! provider `shore-a-org`; contract B is the same text under another id between
//! `telco-b-org` and `dial-b-org`. The client manager and the provider manager belong to
//! A's organisations; the auditor and the admin to organisations of their own.

use jiff::Timestamp;
use pacta_core::Month;
use pacta_db::{Db, NewContract, NewSettlement, NewUser, RegisteredContract, Role};

pub const CONTRACT_A: &str = "AFB-MNL-2026";
pub const CONTRACT_B: &str = "TEL-BOG-2027";
pub const MONTH: &str = "2026-10";
pub const PASSWORD: &str = "correct horse battery staple";

/// (user, org, role) for each role.
pub const USERS: [(&str, &str, Role); 4] = [
    ("carla", "bank-a-org", Role::ClientManager),
    ("pedro", "shore-a-org", Role::ProviderManager),
    ("ana", "audit-firm", Role::Auditor),
    ("root", "operator", Role::Admin),
];

pub struct Seed {
    pub a: RegisteredContract,
    pub b: RegisteredContract,
}

impl Seed {
    /// Strings that identify contract B: none may reach a reader of A's organisations.
    pub fn b_markers(&self) -> Vec<String> {
        vec![
            CONTRACT_B.to_string(),
            self.b.contract_hash.clone(),
            "telco-b-org".to_string(),
            "dial-b-org".to_string(),
        ]
    }
}

pub fn contract_text(id: &str) -> String {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/bank-inbound-manila.toml"
    ))
    .expect("the bank example");
    assert!(text.contains(CONTRACT_A));
    text.replace(CONTRACT_A, id)
}

pub fn seed(db: &Db, now: Timestamp) -> Seed {
    for org in [
        "bank-a-org",
        "shore-a-org",
        "telco-b-org",
        "dial-b-org",
        "audit-firm",
        "operator",
    ] {
        db.add_org(org, org, "setup", now).expect("add org");
    }
    for (name, org, role) in USERS {
        db.add_user(
            &NewUser {
                name: name.to_string(),
                org: org.to_string(),
                role,
            },
            PASSWORD,
            "setup",
            now,
        )
        .expect("add user");
    }
    let register = |id: &str, client: &str, provider: &str| {
        let text = contract_text(id);
        let contract = pacta_contract::parse_str(&text).expect("the example validates");
        db.register_contract(
            &NewContract {
                id: id.to_string(),
                contract_version: contract.doc.contract.version.clone(),
                toml: text,
                client_org: client.to_string(),
                provider_org: provider.to_string(),
            },
            "setup",
            now,
        )
        .expect("register")
    };
    let a = register(CONTRACT_A, "bank-a-org", "shore-a-org");
    let b = register(CONTRACT_B, "telco-b-org", "dial-b-org");
    for id in [CONTRACT_A, CONTRACT_B] {
        db.save_settlement(
            &NewSettlement {
                contract_id: id.to_string(),
                month: Month::parse(MONTH).expect("month"),
                settlement_json: format!("{{\"contract_id\":\"{id}\",\"credits\":\"0.00\"}}"),
                record_json: "{}".to_string(),
                inputs_json: "{}".to_string(),
                adjusts: None,
            },
            "setup",
            now,
        )
        .expect("save a settlement");
    }
    Seed { a, b }
}
