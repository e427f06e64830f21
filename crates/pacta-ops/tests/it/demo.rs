use pacta_core::Month;
use pacta_ops::demo::{DemoEvent, DemoOptions, STEPS, run};

use crate::imported_at;

#[test]
fn runs_every_step_in_process_and_settles_the_month() {
    let dir = tempfile::tempdir().expect("temp dir");
    let options = DemoOptions {
        out: dir.path().join("demo"),
        store: dir.path().join("store"),
        rows: 3_000,
        month: Month::parse("2026-10").expect("month"),
        db: None,
    };
    let mut seen = Vec::new();
    let outcome = run(&options, imported_at(), &mut |e| {
        seen.push(match e {
            DemoEvent::Generating { step, month } => format!("generating {step}/{STEPS} {month}"),
            DemoEvent::Generated { generated, .. } => {
                format!("generated {}", generated.files.len())
            }
            DemoEvent::Importing { step, month } => format!("importing {step}/{STEPS} {month}"),
            DemoEvent::Imported { outcome } => format!(
                "imported {}",
                outcome.committed.as_ref().map_or(0, |c| c.written)
            ),
        })
    })
    .expect("demo");
    assert_eq!(seen[0], "generating 1/4 2026-09");
    assert_eq!(seen[2], "importing 2/4 2026-09");
    assert_eq!(seen[10], "generating 3/4 2026-10");
    assert_eq!(seen.len(), 2 * (3 + 7));
    assert!(
        seen.iter()
            .filter(|s| s.starts_with("imported "))
            .all(|s| s != "imported 0"),
        "{seen:?}"
    );
    let s = &outcome.settled.settlement;
    assert_eq!(s.month, "2026-10");
    let reconciliation = s.reconciliation.as_ref().expect("reconciled");
    assert!(
        reconciliation
            .discrepancies
            .iter()
            .any(|d| d.item == "platform-administration-fee"),
        "the fee the contract does not allow is found"
    );
    assert_eq!(
        outcome.settled.history.len(),
        1,
        "September is October's history"
    );
    assert!(outcome.vendor_invoice_path.is_file());
    // The dispute on the SL-VOICE credit was resolved by an exclusion window: October's
    // version 2 supersedes version 1, and what the demo shows is version 2.
    let dispute = outcome.dispute.as_ref().expect("the demo walks a dispute");
    assert_eq!(dispute.view.record.id, "AFB-MNL-2026/2026-10/D1");
    assert_eq!(dispute.adjusted.note.supersedes, 1);
    assert_eq!(dispute.adjusted.note.version, 2);
    assert_eq!(
        dispute.adjusted.note.credit.after,
        outcome.settled.settlement.credits.credit
    );
    let sl = s
        .slas
        .iter()
        .find(|o| o.sla_id == "SL-VOICE")
        .expect("SL-VOICE");
    assert!(
        sl.exclusions
            .iter()
            .any(|e| e.reference == "AFB-MNL-2026/2026-10/D1"),
        "{:?}",
        sl.exclusions
    );
    let store = pacta_ops::store::info(&options.store).expect("store");
    assert_eq!(store.batches, 14);

    // The server side: three users, each logs in with the password printed once and sees
    // exactly the demo contract; a second setup creates nothing and shows no password.
    server_users_log_in_and_see_the_demo_contract(&options, &outcome);

    // The evidence of every SLA of the demo month: the rows counting in each input add up
    // to the figure's inputs, and SL-VOICE's excluded rows name the dispute.
    let opened = pacta_data::store::Store::open(&options.store).expect("open store");
    let month = Month::parse("2026-10").expect("month");
    for o in &s.slas {
        let (bytes, written) = pacta_ops::evidence::contacts_csv(
            &opened,
            &outcome.contract,
            month,
            o,
            &outcome.settled.adjustments,
            pacta_core::Lang::En,
        )
        .unwrap_or_else(|e| panic!("{}: {e}", o.sla_id));
        let mut r = csv::Reader::from_reader(bytes.as_slice());
        let h = r.headers().expect("header").clone();
        let col = |name: &str| h.iter().position(|x| x == name).expect(name);
        let recs: Vec<csv::StringRecord> = r.records().map(|r| r.expect("row")).collect();
        assert_eq!(recs.len(), written.rows, "{}", o.sla_id);
        assert!(!recs.is_empty(), "{}", o.sla_id);
        if let Some((with_data, met)) = o.periods {
            let (m, start) = (col("interval_met_target"), col("interval_start"));
            let distinct = |want: &[&str]| {
                recs.iter()
                    .filter(|r| want.contains(&&r[m]))
                    .map(|r| r[start].to_string())
                    .collect::<std::collections::BTreeSet<_>>()
                    .len() as u64
            };
            assert_eq!(distinct(&["true"]), met, "{}", o.sla_id);
            assert_eq!(distinct(&["true", "false"]), with_data, "{}", o.sla_id);
            continue;
        }
        let counts_in = col("counts_in");
        for (key, v) in &o.value.inputs {
            if pacta_kpi::evidence::NOT_COUNTS.contains(key) {
                continue;
            }
            let n = recs
                .iter()
                .filter(|r| r[counts_in].split(' ').any(|k| k == *key))
                .count();
            assert_eq!(n as f64, *v, "{} input {key}", o.sla_id);
        }
        if o.sla_id == "SL-VOICE" {
            let inc = col("incident_id");
            assert!(
                recs.iter().any(|r| &r[inc] == "AFB-MNL-2026/2026-10/D1"),
                "the dispute's window is in the evidence"
            );
        }
    }
}

fn server_users_log_in_and_see_the_demo_contract(
    options: &DemoOptions,
    outcome: &pacta_ops::demo::DemoOutcome,
) {
    use pacta_db::Role;
    let server = &outcome.server;
    assert_eq!(server.contract.id, "AFB-MNL-2026");
    assert_eq!(server.contract.n, 1);
    assert_eq!(server.contract.client_org, "andes-bank");
    assert_eq!(server.contract.provider_org, "pacific-shore");
    let roles: Vec<(&str, &str, Role)> = server
        .users
        .iter()
        .map(|u| (u.name.as_str(), u.org.as_str(), u.role))
        .collect();
    assert_eq!(
        roles,
        [
            ("carla", "andes-bank", Role::ClientManager),
            ("pedro", "pacific-shore", Role::ProviderManager),
            ("ana", "audit-firm", Role::Auditor),
        ]
    );
    let url = pacta_ops::record::db_url(&options.store, None).expect("url");
    let db = pacta_ops::record::open(&url).expect("db");
    let mut passwords = std::collections::BTreeSet::new();
    for u in &server.users {
        let password = u.password.as_deref().expect("a new user's password");
        assert!(password.len() >= 20, "random, not a short fixed word");
        passwords.insert(password.to_string());
        assert!(
            db.check_password(&u.name, "wrong password")
                .expect("check")
                .is_none()
        );
        let viewer = db
            .check_password(&u.name, password)
            .expect("check")
            .unwrap_or_else(|| panic!("{} logs in", u.name));
        assert_eq!(viewer.role(), u.role);
        let ids: Vec<String> = db
            .contracts(&viewer)
            .expect("contracts")
            .into_iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(ids, ["AFB-MNL-2026"], "{}", u.name);
    }
    assert_eq!(passwords.len(), 3, "each user its own password");
    // No password is stored in clear.
    let file = std::fs::read(options.store.join("pacta.db")).expect("db file");
    for p in &passwords {
        assert!(
            !file.windows(p.len()).any(|w| w == p.as_bytes()),
            "a password is in the database file"
        );
    }
    // Idempotent: again, nothing is created and no password can be shown.
    let again =
        pacta_ops::demo::server_access(&db, &outcome.contract, "demo", crate::imported_at())
            .expect("second setup");
    assert_eq!(again.contract.n, 1, "the same text adds no version");
    assert!(again.users.iter().all(|u| u.password.is_none()));
    let log = db.log(&Default::default()).expect("log");
    let count = |action: &str| log.iter().filter(|e| e.action == action).count();
    assert_eq!(count("user.add"), 3);
    assert_eq!(count("org.add"), 3);
    assert_eq!(count("contract.register"), 1);
}
