//! Agreement with the independent mpmath reference (tests/vectors/gen_vectors.py).

use pacta_planning::{ErlangA, ErlangC, ServiceLevelVariant, ServiceTarget};
use serde_json::Value;

const VECTORS: &str = include_str!("../vectors/erlang_vectors.json");

fn vectors() -> Value {
    serde_json::from_str(VECTORS).expect("fixture parses")
}

fn num(v: &Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("`{key}` is not a number in {v}"))
}

fn opt(v: &Value, key: &str) -> Option<f64> {
    v.get(key).and_then(Value::as_f64)
}

#[track_caller]
fn close(what: &str, got: f64, want: f64, rel: f64) {
    let err = (got - want).abs();
    assert!(
        err <= rel * want.abs() + 1e-15,
        "{what}: got {got:.17e}, reference {want:.17e}, relative error {:.3e}",
        err / want.abs().max(1e-300)
    );
}

fn variant(name: &str) -> ServiceLevelVariant {
    serde_json::from_value(Value::String(name.to_string())).expect("known variant")
}

fn target(case: &Value) -> ServiceTarget {
    ServiceTarget {
        threshold_s: num(case, "threshold_s"),
        target_share: num(case, "target_share"),
        variant: case
            .get("variant")
            .and_then(Value::as_str)
            .map_or(ServiceLevelVariant::AbandonsAgainst, variant),
        short_abandon_s: opt(case, "short_abandon_s"),
        max_asa_s: opt(case, "max_asa_s"),
        max_abandon_share: opt(case, "max_abandon_share"),
        max_occupancy: opt(case, "max_occupancy"),
    }
}

#[test]
fn erlang_c_matches_reference() {
    let v = vectors();
    let cases = v["erlang_c"].as_array().expect("array");
    assert!(cases.len() >= 15, "at least 15 Erlang C vectors");
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let q = ErlangC::new(
            num(case, "volume"),
            num(case, "interval_s"),
            num(case, "aht_s"),
        )
        .expect("valid");
        close(
            &format!("{name} load"),
            q.offered_load(),
            num(case, "offered_load"),
            1e-14,
        );
        let t = target(case);
        let m = q.required_agents(&t).expect("staffable");
        let want_n = case["required_agents"].as_u64().expect("n") as u32;
        assert_eq!(m.agents, want_n, "{name}: required agents");
        let r = &case["at_required"];
        close(&format!("{name} p_wait"), m.p_wait, num(r, "p_wait"), 1e-11);
        close(
            &format!("{name} service level"),
            m.service_level,
            num(r, "service_level"),
            1e-12,
        );
        close(
            &format!("{name} asa"),
            m.asa_s.expect("stable"),
            num(r, "asa_s"),
            1e-11,
        );
        close(
            &format!("{name} occupancy"),
            m.occupancy,
            num(r, "occupancy"),
            1e-14,
        );
        // One agent fewer fails a target (or is unstable): the search never overstaffs.
        let fewer = q.metrics(want_n - 1, t.threshold_s);
        if let Some(p) = case["at_required_minus_one"].as_object() {
            let p = Value::Object(p.clone());
            close(
                &format!("{name} SL at N-1"),
                fewer.service_level,
                num(&p, "service_level"),
                1e-11,
            );
        }
        let fails = !fewer.stable
            || fewer.service_level < t.target_share
            || t.max_asa_s
                .is_some_and(|a| fewer.asa_s.is_none_or(|x| x > a))
            || t.max_occupancy.is_some_and(|o| fewer.occupancy > o + 1e-12);
        assert!(
            fails,
            "{name}: {} agents would already meet the target",
            want_n - 1
        );
    }
}

fn check_a_metrics(name: &str, q: &ErlangA, t: &ServiceTarget, r: &Value) {
    let n = r["agents"].as_u64().expect("agents") as u32;
    let m = q.metrics(n, t.threshold_s, t.short_abandon());
    let tag = |k: &str| format!("{name} N={n} {k}");
    let rel = 1e-11;
    close(&tag("p_wait"), m.p_wait, num(r, "p_wait"), rel);
    close(&tag("p_abandon"), m.p_abandon, num(r, "p_abandon"), rel);
    close(&tag("p_answered"), m.p_answered, num(r, "p_answered"), rel);
    close(
        &tag("p_answered_within"),
        m.p_answered_within,
        num(r, "p_answered_within"),
        rel,
    );
    close(
        &tag("p_abandon_within"),
        m.p_abandon_within,
        num(r, "p_abandon_within"),
        rel,
    );
    close(
        &tag("p_abandon_within_short"),
        m.p_abandon_within_short,
        num(r, "p_abandon_within_short"),
        rel,
    );
    close(
        &tag("SL answered"),
        m.service_level_answered.expect("answered"),
        num(r, "service_level_answered"),
        rel,
    );
    close(
        &tag("p_wait_within"),
        m.p_wait_within,
        num(r, "p_wait_within"),
        rel,
    );
    close(
        &tag("asa answered"),
        m.asa_answered_s.expect("answered"),
        num(r, "asa_answered_s"),
        rel,
    );
    close(&tag("occupancy"), m.occupancy, num(r, "occupancy"), rel);
    close(
        &tag("SL variant"),
        m.service_level(t.variant),
        num(r, "service_level"),
        rel,
    );
}

#[test]
fn erlang_a_matches_reference() {
    let v = vectors();
    let cases = v["erlang_a"].as_array().expect("array");
    let mut searched = 0;
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let q = ErlangA::new(
            num(case, "volume"),
            num(case, "interval_s"),
            num(case, "aht_s"),
            num(case, "patience_s"),
        )
        .expect("valid");
        let t = target(case);
        for r in case["at"].as_array().expect("at") {
            check_a_metrics(name, &q, &t, r);
        }
        let m = q.required_agents(&t).expect("staffable");
        if let Some(want) = case["required_agents"].as_u64() {
            searched += 1;
            assert_eq!(u64::from(m.agents), want, "{name}: required agents");
            check_a_metrics(name, &q, &t, &case["at_required"]);
        }
        // Never overstaffs: one agent fewer misses a target.
        assert!(q.meets(&m, &t), "{name}: result meets its targets");
        if m.agents > 1 {
            let fewer = q.metrics(m.agents - 1, t.threshold_s, t.short_abandon());
            assert!(
                !q.meets(&fewer, &t),
                "{name}: {} agents would already meet the target",
                m.agents - 1
            );
        }
    }
    assert!(
        searched >= 8,
        "minimal Erlang A staffing checked against the reference"
    );
}

#[test]
fn erlang_a_can_need_fewer_agents_than_the_load() {
    // Regression for searches that start at ⌈A⌉: with impatient callers the answered-only
    // service level is met far below the offered load.
    let v = vectors();
    let below: Vec<&Value> = v["erlang_a"]
        .as_array()
        .expect("array")
        .iter()
        .filter(|c| {
            c["required_agents"]
                .as_f64()
                .is_some_and(|n| n < num(c, "offered_load"))
        })
        .collect();
    assert!(!below.is_empty(), "a vector where Erlang A needs N < A");
}
