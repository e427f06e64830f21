//! `plan` and `kpi` read an SLA's scope with one meaning: for every service-level SLA of the
//! examples, the contacts the KPI engine counts are exactly those in the queues the staffing
//! plan assigns to the SLA.

use std::collections::BTreeMap;

use pacta_contract::{Channel, Measure};
use pacta_core::Month;
use pacta_gen::GenOptions;
use pacta_ops::import::{ImportKind, ImportRequest, prepare};

use crate::{examples, imported_at};

/// (channel, queue, site, language) of a contact, with how many contacts share it.
type Keys = BTreeMap<(Option<Channel>, String, Option<String>, Option<String>), u64>;

fn contacts_of(name: &str) -> (pacta_contract::Contract, Keys) {
    let contract =
        pacta_ops::contract::load(&examples().join(format!("{name}.toml"))).expect("contract");
    let dir = tempfile::tempdir().expect("temp dir");
    let month = Month::parse("2026-10").expect("month");
    let generated = dir.path().join("gen");
    pacta_ops::generate::generate_to_dir(
        &contract,
        &GenOptions::new(month, 6_000),
        &generated,
        true,
        &mut |_| {},
    )
    .expect("generated");
    // The generator writes canonical headers: an empty mapping overrides the contract's.
    let mapping = dir.path().join("canonical.toml");
    std::fs::write(&mapping, "[mapping]\n").expect("mapping");
    let request = ImportRequest {
        format: Some("csv".into()),
        mapping: Some(mapping),
        paths: vec![generated.join("interactions.csv")],
        ..ImportRequest::default()
    };
    let store = pacta_ops::store::open(&dir.path().join("store")).expect("store");
    prepare(&contract, ImportKind::Interactions, request)
        .expect("prepared")
        .run(&store, None, imported_at(), None)
        .expect("imported");
    let table = store
        .load_interactions(&contract.doc.contract.id, month)
        .expect("loaded");
    let name_in =
        |dict: &[String], code: Option<u32>| code.and_then(|c| dict.get(c as usize)).cloned();
    let mut keys = Keys::new();
    for i in 0..table.row_count() {
        let queue = table.queue_dict()[table.queue(i) as usize].clone();
        let key = (
            table.channel(i),
            queue,
            name_in(table.site_dict(), table.site(i)),
            name_in(table.language_dict(), table.language(i)),
        );
        *keys.entry(key).or_default() += 1;
    }
    (contract, keys)
}

#[test]
fn plan_and_kpi_pick_the_same_contacts_for_every_sla_of_the_examples() {
    let mut compared = 0;
    for name in [
        "bank-inbound-manila",
        "omnicanal-bogota",
        "telecom-outbound-sales",
    ] {
        let (contract, keys) = contacts_of(name);
        assert!(keys.len() > 1, "{name}: the month has several queues");
        for sla in contract.slas() {
            if !matches!(sla.measure, Measure::ServiceLevel { .. }) {
                continue;
            }
            let mut by_kpi = 0u64;
            let mut by_plan = 0u64;
            for ((channel, queue, site, language), n) in &keys {
                if sla
                    .scope
                    .covers(*channel, Some(queue), site.as_deref(), language.as_deref())
                {
                    by_kpi += n;
                }
                if pacta_planning::sla_covers_queue(&contract, sla, queue) {
                    by_plan += n;
                }
            }
            assert!(by_kpi > 0, "{name} {}: the SLA counts contacts", sla.id);
            assert_eq!(by_kpi, by_plan, "{name} {}", sla.id);
            compared += 1;
        }
    }
    assert!(compared >= 4, "only {compared} service-level SLAs compared");
}
