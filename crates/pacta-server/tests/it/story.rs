//! The data layer's story, on SQLite and on PostgreSQL: tenants, users, passwords,
//! sessions, keys, the contracts registry and its scope, all through the audit chain.

use jiff::{SignedDuration, Timestamp};
use pacta_db::{DbError, LogFilter, NewContract, Party, Role};

use crate::fixture::{Fixture, both_backends};
use crate::tenants::{CONTRACT_A, CONTRACT_B, PASSWORD, USERS, contract_text, seed};

fn t0() -> Timestamp {
    "2026-11-02T09:00:00Z".parse().expect("time")
}

fn identity_and_scope(f: &Fixture) {
    let db = f.open();
    let now = t0();
    let seeded = seed(&db, now);
    assert_eq!(seeded.a.n, 1);
    assert_eq!(seeded.a.client_org, "bank-a-org");

    // Passwords: right, wrong, unknown user.
    let carla = db
        .check_password("carla", PASSWORD)
        .expect("check")
        .expect("the right password signs in");
    assert_eq!(
        (carla.org(), carla.role()),
        ("bank-a-org", Role::ClientManager)
    );
    assert_eq!(
        db.check_password("carla", "wrong password").expect("check"),
        None
    );
    assert_eq!(db.check_password("nobody", PASSWORD).expect("check"), None);

    // Scope: each role sees exactly its contracts; another tenant's reads as absent.
    let ids = |name: &str| -> Vec<String> {
        let viewer = db.viewer_of(name).expect("read").expect("user");
        db.contracts(&viewer)
            .expect("contracts")
            .into_iter()
            .map(|c| c.id)
            .collect()
    };
    assert_eq!(ids("carla"), vec![CONTRACT_A]);
    assert_eq!(ids("pedro"), vec![CONTRACT_A]);
    assert_eq!(ids("ana"), vec![CONTRACT_A, CONTRACT_B]);
    assert_eq!(ids("root"), vec![CONTRACT_A, CONTRACT_B]);
    let pedro = db.viewer_of("pedro").expect("read").expect("user");
    assert!(db.contract(&pedro, CONTRACT_A).expect("read").is_some());
    assert_eq!(db.contract(&pedro, CONTRACT_B).expect("read"), None);
    assert_eq!(db.contract(&pedro, "NO-SUCH").expect("read"), None);
    // Who acts for which side: the parties' managers; auditors and admins never.
    assert_eq!(carla.party_on(&seeded.a), Some(Party::Client));
    assert_eq!(pedro.party_on(&seeded.a), Some(Party::Provider));
    assert_eq!(carla.party_on(&seeded.b), None);
    let ana = db.viewer_of("ana").expect("read").expect("user");
    assert_eq!(ana.party_on(&seeded.a), None);

    // Sessions: live, then expired by the clock, and revoked.
    let ttl = SignedDuration::from_hours(1);
    let session = db.create_session(&carla, ttl, now).expect("session");
    assert_eq!(session.secret.len(), 64);
    assert_eq!(
        db.session_viewer(&session.secret, now).expect("read"),
        Some(carla.clone())
    );
    let later = now.checked_add(ttl).expect("time");
    assert_eq!(
        db.session_viewer(&session.secret, later).expect("read"),
        None
    );
    let other = db.create_session(&carla, ttl, now).expect("session");
    assert!(db.revoke_session(&other.secret, now).expect("revoke"));
    assert!(!db.revoke_session(&other.secret, now).expect("revoke twice"));
    assert_eq!(db.session_viewer(&other.secret, now).expect("read"), None);

    // API keys.
    let key = db.create_api_key("ana", "ci", "root", now).expect("key");
    assert!(key.secret.starts_with(pacta_db::API_KEY_PREFIX));
    let ana = db
        .api_key_viewer(&key.secret, now)
        .expect("read")
        .expect("live key");
    assert_eq!(ana.role(), Role::Auditor);
    assert!(db.revoke_api_key(&key.id, "root", now).expect("revoke"));
    assert_eq!(db.api_key_viewer(&key.secret, now).expect("read"), None);
    assert!(matches!(
        db.create_api_key("nobody", "", "root", now),
        Err(DbError::UnknownUser { .. })
    ));
    // A feed key reads feeds only, an API key never feeds.
    let feed = db.create_feed_key("carla", "carla", now).expect("feed key");
    assert_eq!(
        db.feed_viewer(&feed.secret, now).expect("read"),
        Some(carla.clone())
    );
    assert_eq!(db.api_key_viewer(&feed.secret, now).expect("read"), None);
    assert_eq!(db.feed_viewer(&key.secret, now).expect("read"), None);

    // Registry: the same text is no new version; a changed one is; the parties are fixed.
    let text = contract_text(CONTRACT_A);
    let again = |toml: String, client: &str| {
        db.register_contract(
            &NewContract {
                id: CONTRACT_A.to_string(),
                contract_version: "1.1".to_string(),
                toml,
                client_org: client.to_string(),
                provider_org: "shore-a-org".to_string(),
            },
            "root",
            now,
        )
    };
    assert_eq!(again(text.clone(), "bank-a-org").expect("same text").n, 1);
    let changed = again(format!("{text}\n# amended\n"), "bank-a-org").expect("new version");
    assert_eq!(changed.n, 2);
    assert_eq!(
        db.contract(&carla, CONTRACT_A).expect("read").expect("A").n,
        2
    );
    assert!(matches!(
        again(text, "telco-b-org"),
        Err(DbError::ContractParties { .. })
    ));

    // Audit verification: auditors and admins only.
    assert!(matches!(
        db.verify_as(&carla),
        Err(DbError::NotPermitted { .. })
    ));
    let report = db.verify_as(&ana).expect("the chain verifies");

    // Every write has its entry; no payload holds a secret.
    let log = db.log(&LogFilter::default()).expect("log");
    assert_eq!(log.len() as u64, report.entries);
    let count = |action: &str| log.iter().filter(|e| e.action == action).count();
    assert_eq!(count("org.add"), 6);
    assert_eq!(count("user.add"), USERS.len());
    assert_eq!(count("session.create"), 2);
    assert_eq!(count("session.revoke"), 1);
    assert_eq!(count("key.create"), 1);
    assert_eq!(count("key.revoke"), 1);
    assert_eq!(count("feed.create"), 1);
    assert_eq!(count("contract.register"), 3);
    for entry in &log {
        for secret in [
            PASSWORD,
            &session.secret,
            &other.secret,
            &key.secret,
            &feed.secret,
        ] {
            assert!(
                !entry.payload.contains(secret),
                "{} holds a secret",
                entry.action
            );
        }
    }
}

fn refusals(f: &Fixture) {
    let db = f.open();
    let now = t0();
    db.add_org("acme", "Acme", "root", now).expect("org");
    assert!(matches!(
        db.add_org("acme", "Acme again", "root", now),
        Err(DbError::Exists { .. })
    ));
    assert!(matches!(
        db.add_org("no spaces", "x", "root", now),
        Err(DbError::InvalidName { .. })
    ));
    let user = |name: &str, org: &str, password: &str| {
        db.add_user(
            &pacta_db::NewUser {
                name: name.to_string(),
                org: org.to_string(),
                role: Role::ClientManager,
            },
            password,
            "root",
            now,
        )
    };
    assert!(matches!(
        user("x", "nowhere", PASSWORD),
        Err(DbError::UnknownOrg { .. })
    ));
    assert!(matches!(
        user("x", "acme", "short"),
        Err(DbError::WeakPassword)
    ));
    user("x", "acme", PASSWORD).expect("user");
    assert!(matches!(
        user("x", "acme", PASSWORD),
        Err(DbError::Exists { .. })
    ));
    assert!(matches!(
        "boss".parse::<Role>(),
        Err(DbError::InvalidRole { .. })
    ));
    // A refused write leaves nothing behind: the chain holds the org and the user only.
    assert_eq!(db.verify().expect("verify").entries, 2);
}

both_backends!(identity_and_scope, refusals);
