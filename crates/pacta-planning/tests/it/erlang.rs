//! Published examples, regressions for known bugs elsewhere, planning helpers and errors.

use pacta_planning::{
    Combination, ErlangA, ErlangC, Field, IntervalInput, Model, PlanningError, ServiceLevelVariant,
    ServiceTarget, Shrinkage, aggregate_month, erlang_b, erlang_c, evaluate_staffing, fte_hours,
    plan_interval, scheduled_agents, scheduled_agents_whole,
};
use proptest::prelude::*;

fn round_to(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

fn sl80(threshold_s: f64) -> ServiceTarget {
    ServiceTarget::new(threshold_s, 0.8, ServiceLevelVariant::AbandonsAgainst)
}

fn input(volume: f64, aht_s: f64, patience_s: Option<f64>, target: ServiceTarget) -> IntervalInput {
    IntervalInput {
        volume,
        interval_s: 1800.0,
        aht_s,
        patience_s,
        target,
    }
}

/// The R `ErlangC` package / lucidmanager example: 100 calls per 30 min, AHT 180 s,
/// 80 % within 20 s → 14 agents, P(wait) 0.1741319, SL 0.88835, ASA 7.836 s.
#[test]
fn r_erlangc_example() {
    let q = ErlangC::new(100.0, 1800.0, 180.0).expect("valid");
    assert_eq!(q.offered_load(), 10.0);
    let m = q.required_agents(&sl80(20.0)).expect("staffable");
    assert_eq!(m.agents, 14);
    assert_eq!(round_to(m.p_wait, 7), 0.1741319);
    assert_eq!(round_to(m.service_level, 5), 0.88835);
    assert_eq!(round_to(m.asa_s.expect("stable"), 3), 7.836);
    assert_eq!(round_to(m.occupancy, 6), round_to(10.0 / 14.0, 6));
    // 13 agents miss it.
    assert!(q.metrics(13, 20.0).service_level < 0.8);
}

#[test]
fn erlang_b_and_c_free_functions() {
    // B(2, 1) = 0.2; C(2, 1) = 1/3.
    assert!((erlang_b(1.0, 2) - 0.2).abs() < 1e-15);
    assert!((erlang_c(1.0, 2) - 1.0 / 3.0).abs() < 1e-15);
    assert_eq!(erlang_c(3.0, 3), 1.0);
    assert_eq!(erlang_c(0.0, 3), 0.0);
}

/// pyworkforce 0.5.x compares occupancy by float division and starts at round(A + 1).
#[test]
fn occupancy_cap_is_inclusive_2_1_erlang_at_70_percent_is_3_agents() {
    let q = ErlangC::new(21.0, 1800.0, 180.0).expect("valid");
    assert!((q.offered_load() - 2.1).abs() < 1e-15);
    let mut t = ServiceTarget::new(20.0, 0.5, ServiceLevelVariant::AnsweredOnly);
    t.max_occupancy = Some(0.7);
    assert_eq!(q.required_agents(&t).expect("staffable").agents, 3);
    // Same with a load computed another way (7 calls × 540 s / 1800 s).
    let q = ErlangC::new(7.0, 1800.0, 540.0).expect("valid");
    assert_eq!(q.required_agents(&t).expect("staffable").agents, 3);
    // 4.9 Erlang at 70 %: 4.9 / 0.7 = 7.000000000000001 in floats, and pyworkforce 0.5.1's
    // ceil(A / occ) returns 8 (checked: ErlangC(49, aht=3, asa=1/3, interval=30)). It is 7.
    let q = ErlangC::new(49.0, 1800.0, 180.0).expect("valid");
    assert_eq!(q.required_agents(&t).expect("staffable").agents, 7);
}

#[test]
fn search_starts_at_smallest_stable_staffing() {
    // A = 2.6: pyworkforce 0.5.1 starts at round(A + 1) = 4 and returns 4 (checked); 3 agents
    // are stable and meet a 5 % target.
    let q = ErlangC::new(26.0, 1800.0, 180.0).expect("valid");
    let t = ServiceTarget::new(20.0, 0.05, ServiceLevelVariant::AnsweredOnly);
    assert_eq!(q.required_agents(&t).expect("staffable").agents, 3);
    // Integer load: N must exceed A.
    let q = ErlangC::new(20.0, 1800.0, 180.0).expect("valid"); // A = 2
    assert_eq!(q.required_agents(&t).expect("staffable").agents, 3);
}

#[test]
fn erlang_a_meets_target_below_offered_load() {
    let q = ErlangA::new(100.0, 1800.0, 180.0, 10.0).expect("valid");
    let t = ServiceTarget::new(20.0, 0.8, ServiceLevelVariant::AnsweredOnly);
    let m = q.required_agents(&t).expect("staffable");
    assert!(
        f64::from(m.agents) < q.offered_load(),
        "{} agents for A = {}",
        m.agents,
        q.offered_load()
    );
    assert!(m.service_level(ServiceLevelVariant::AnsweredOnly) >= 0.8);
}

#[test]
fn erlang_a_asa_excludes_abandoned_callers() {
    // Served-only ASA is below the mean time in queue over all callers (which includes the
    // patience of those who hung up), and the latter is P(ab) × patience by Little's law.
    let q = ErlangA::new(100.0, 1800.0, 180.0, 60.0).expect("valid");
    let m = q.metrics(9, 20.0, 5.0);
    let all_wait = m.p_abandon * 60.0; // E[time in queue] = P(ab)/θ
    let asa = m.asa_answered_s.expect("answered");
    let served_part = asa * m.p_answered;
    assert!(served_part < all_wait);
    assert!(asa > 0.0);
}

#[test]
fn erlang_a_tends_to_erlang_c_with_long_patience() {
    let c = ErlangC::new(100.0, 1800.0, 180.0)
        .expect("valid")
        .metrics(14, 20.0);
    let a = ErlangA::new(100.0, 1800.0, 180.0, 1.0e6)
        .expect("valid")
        .metrics(14, 20.0, 5.0);
    assert!(
        (a.p_wait - c.p_wait).abs() < 1e-4,
        "{} vs {}",
        a.p_wait,
        c.p_wait
    );
    assert!((a.p_answered_within - c.service_level).abs() < 1e-4);
    assert!(a.p_abandon < 1e-4);
}

#[test]
fn variants_order_as_expected() {
    let q = ErlangA::new(250.0, 1800.0, 240.0, 90.0).expect("valid");
    let m = q.metrics(30, 20.0, 5.0);
    let sl = |v| m.service_level(v);
    // Counting abandons against is the harshest, answered-only the most lenient.
    assert!(
        sl(ServiceLevelVariant::AbandonsAgainst) <= sl(ServiceLevelVariant::ExcludeShortAbandons)
    );
    assert!(
        sl(ServiceLevelVariant::ExcludeShortAbandons)
            <= sl(ServiceLevelVariant::AbandonsAfterThreshold)
    );
    assert!(
        sl(ServiceLevelVariant::AbandonsAfterThreshold) <= sl(ServiceLevelVariant::AnsweredOnly)
    );
    assert!(sl(ServiceLevelVariant::AbandonsAgainst) <= sl(ServiceLevelVariant::AbandonsWithinMet));
    assert_eq!(
        sl(ServiceLevelVariant::Offered),
        sl(ServiceLevelVariant::AbandonsWithinMet)
    );
}

#[test]
fn large_systems_do_not_overflow() {
    // 5,000 calls per half hour, AHT 300 s → A ≈ 833; and far overstaffed.
    let q = ErlangC::new(5000.0, 1800.0, 300.0).expect("valid");
    let m = q.required_agents(&sl80(20.0)).expect("staffable");
    assert!(m.agents > 833 && m.agents < 900);
    let far = q.metrics(50_000, 20.0);
    assert_eq!(far.p_wait, 0.0);
    assert_eq!(far.service_level, 1.0);
    let a = ErlangA::new(5000.0, 1800.0, 300.0, 120.0).expect("valid");
    for n in [1, 100, 833, 900, 5_000, 50_000] {
        let m = a.metrics(n, 20.0, 5.0);
        for x in [
            m.p_wait,
            m.p_abandon,
            m.p_answered_within,
            m.p_abandon_within,
            m.occupancy,
        ] {
            assert!(x.is_finite() && (0.0..=1.0).contains(&x), "N={n}: {m:?}");
        }
        assert!(m.asa_answered_s.is_some_and(f64::is_finite));
    }
    // 20,000 calls per half hour with AHT 600 s (A ≈ 6,667) and very patient callers.
    let a = ErlangA::new(20_000.0, 1800.0, 600.0, 900.0).expect("valid");
    let m = a.metrics(6_500, 20.0, 5.0);
    assert!(m.p_abandon.is_finite() && m.p_abandon > 0.0 && m.p_abandon < 1.0);
}

#[test]
fn zero_volume_needs_zero_agents() {
    let p = plan_interval(&input(0.0, 300.0, Some(60.0), sl80(20.0))).expect("valid");
    assert_eq!(p.erlang_c_agents(), 0);
    assert_eq!(p.erlang_a_agents(), Some(0));
    assert_eq!(p.erlang_c.service_level, 1.0);
}

#[test]
fn zero_agents_with_calls() {
    let e = evaluate_staffing(&input(100.0, 180.0, Some(60.0), sl80(20.0)), 0).expect("valid");
    assert!(!e.erlang_c.stable);
    assert_eq!(e.erlang_c.service_level, 0.0);
    assert_eq!(e.erlang_c.asa_s, None);
    let a = e.erlang_a.expect("erlang a");
    assert!((a.metrics.p_abandon - 1.0).abs() < 1e-12);
    assert_eq!(a.metrics.asa_answered_s, None);
    assert_eq!(a.service_level, 0.0);
    assert!(!a.meets_target);
}

#[test]
fn plan_and_evaluate_agree() {
    let mut t = ServiceTarget::new(20.0, 0.8, ServiceLevelVariant::ExcludeShortAbandons);
    t.max_abandon_share = Some(0.05);
    let i = input(250.0, 240.0, Some(90.0), t);
    let p = plan_interval(&i).expect("valid");
    assert_eq!(p.erlang_c_agents(), 39);
    let na = p.erlang_a_agents().expect("erlang a");
    assert!(na <= 39);
    let e = evaluate_staffing(&i, na).expect("valid");
    let a = e.erlang_a.expect("erlang a");
    assert!(a.meets_target);
    assert_eq!(a.service_level, p.erlang_a.expect("a").service_level);
    let fewer = evaluate_staffing(&i, na - 1).expect("valid");
    assert!(!fewer.erlang_a.expect("erlang a").meets_target);
    assert!(
        evaluate_staffing(&i, 39)
            .expect("valid")
            .erlang_c_meets_target
    );
    assert!(
        !evaluate_staffing(&i, 38)
            .expect("valid")
            .erlang_c_meets_target
    );
    // Outputs serialise (the CLI prints them as JSON).
    let json = serde_json::to_value(p).expect("serialises");
    assert_eq!(json["erlang_c"]["agents"], 39);
}

#[test]
fn month_aggregation_is_volume_weighted() {
    let t = ServiceTarget::new(20.0, 0.8, ServiceLevelVariant::AbandonsAgainst);
    let rows = [(100.0, 14), (300.0, 36), (0.0, 2)];
    let evals: Vec<_> = rows
        .iter()
        .map(|&(v, n)| evaluate_staffing(&input(v, 180.0, Some(60.0), t), n).expect("valid"))
        .collect();
    let s = aggregate_month(&evals);
    assert_eq!(s.intervals, 3);
    assert_eq!(s.volume, 400.0);
    let want_c =
        (100.0 * evals[0].erlang_c.service_level + 300.0 * evals[1].erlang_c.service_level) / 400.0;
    assert!((s.erlang_c_service_level.expect("calls") - want_c).abs() < 1e-15);
    let a = |i: usize| evals[i].erlang_a.expect("a");
    // abandons_against: the denominator is all offered calls, so this is the volume-weighted mean.
    let want_a = (100.0 * a(0).service_level + 300.0 * a(1).service_level) / 400.0;
    assert!((s.erlang_a_service_level.expect("calls") - want_a).abs() < 1e-15);
    let want_ab = (100.0 * a(0).metrics.p_abandon + 300.0 * a(1).metrics.p_abandon) / 400.0;
    assert!((s.erlang_a_abandon_share.expect("calls") - want_ab).abs() < 1e-15);
    assert_eq!(aggregate_month(&[]).erlang_c_service_level, None);
}

#[test]
fn shrinkage_combinations() {
    let s = Shrinkage {
        breaks: 0.10,
        training: 0.05,
        absence: 0.08,
        other: 0.0,
        combination: Combination::Multiplicative,
    };
    assert!((s.combined().expect("valid") - (1.0 - 0.9 * 0.95 * 0.92)).abs() < 1e-15);
    let add = Shrinkage {
        combination: Combination::Additive,
        ..s
    };
    assert!((add.combined().expect("valid") - 0.23).abs() < 1e-15);
    let thirty = Shrinkage {
        breaks: 0.3,
        ..Shrinkage::default()
    };
    assert!((scheduled_agents(14.0, &thirty).expect("valid") - 20.0).abs() < 1e-12);
    assert_eq!(scheduled_agents_whole(14, &thirty).expect("valid"), 20);
    assert_eq!(scheduled_agents_whole(15, &thirty).expect("valid"), 22);
    assert_eq!(fte_hours(14.0, 1800.0), 7.0);
    let bad = Shrinkage {
        absence: 1.0,
        ..Shrinkage::default()
    };
    let e = bad.combined().expect_err("invalid");
    assert_eq!(
        e,
        PlanningError::ShrinkageOutOfRange {
            field: Field::ShrinkageAbsence,
            value: 1.0
        }
    );
    let sum = Shrinkage {
        breaks: 0.5,
        training: 0.5,
        combination: Combination::Additive,
        ..Shrinkage::default()
    };
    assert_eq!(
        sum.combined().expect_err("invalid").to_string(),
        "`shrinkage (combined)` must be a share in [0, 1) (write 30 % as 0.3), got `1`"
    );
}

#[test]
fn invalid_inputs() {
    let err = |i: IntervalInput| plan_interval(&i).expect_err("invalid");
    let ok = input(100.0, 180.0, Some(60.0), sl80(20.0));

    let e = err(IntervalInput { volume: -1.0, ..ok });
    assert_eq!(e, PlanningError::NegativeVolume { value: -1.0 });
    assert_eq!(
        e.to_string(),
        "`volume` must not be negative, got `-1` calls"
    );
    assert_eq!(e.field(), Some(Field::Volume));
    assert_eq!(e.code(), "negative-volume");

    let e = err(IntervalInput { aht_s: 0.0, ..ok });
    assert_eq!(
        e,
        PlanningError::NotPositive {
            field: Field::AhtS,
            value: 0.0
        }
    );
    assert_eq!(
        e.to_string(),
        "`aht_s` must be greater than 0 seconds, got `0`"
    );

    let e = err(IntervalInput { aht_s: -3.0, ..ok });
    assert_eq!(
        e,
        PlanningError::NotPositive {
            field: Field::AhtS,
            value: -3.0
        }
    );

    let e = err(IntervalInput {
        interval_s: 0.0,
        ..ok
    });
    assert_eq!(
        e,
        PlanningError::NotPositive {
            field: Field::IntervalS,
            value: 0.0
        }
    );
    assert_eq!(
        e.to_string(),
        "`interval_s` must be greater than 0 seconds, got `0`"
    );

    let e = err(IntervalInput {
        patience_s: Some(0.0),
        ..ok
    });
    assert_eq!(
        e,
        PlanningError::NotPositive {
            field: Field::PatienceS,
            value: 0.0
        }
    );
    assert_eq!(
        e.to_string(),
        "`patience_s` must be greater than 0 seconds, got `0`"
    );

    let e = err(IntervalInput {
        volume: f64::NAN,
        ..ok
    });
    assert!(matches!(
        e,
        PlanningError::NotFinite {
            field: Field::Volume,
            ..
        }
    ));

    let e = err(IntervalInput {
        target: ServiceTarget {
            target_share: 80.0,
            ..ok.target
        },
        ..ok
    });
    assert_eq!(
        e,
        PlanningError::ShareOutOfRange {
            field: Field::TargetShare,
            value: 80.0
        }
    );
    assert_eq!(
        e.to_string(),
        "`target_share` must be a share in (0, 1] (write 80 % as 0.8), got `80`"
    );
    let e = err(IntervalInput {
        target: ServiceTarget {
            target_share: 0.0,
            ..ok.target
        },
        ..ok
    });
    assert_eq!(
        e,
        PlanningError::ShareOutOfRange {
            field: Field::TargetShare,
            value: 0.0
        }
    );
    let e = err(IntervalInput {
        target: ServiceTarget {
            target_share: 1.0000001,
            ..ok.target
        },
        ..ok
    });
    assert_eq!(e.code(), "share-out-of-range");
    // 100 % is allowed.
    assert!(
        plan_interval(&IntervalInput {
            target: ServiceTarget {
                target_share: 1.0,
                ..ok.target
            },
            ..ok
        })
        .is_ok()
    );

    let e = err(IntervalInput {
        target: ServiceTarget {
            threshold_s: -1.0,
            ..ok.target
        },
        ..ok
    });
    assert_eq!(
        e,
        PlanningError::NegativeSeconds {
            field: Field::ThresholdS,
            value: -1.0
        }
    );
    assert_eq!(
        e.to_string(),
        "`threshold_s` must not be negative, got `-1` seconds"
    );

    let e = err(IntervalInput {
        target: ServiceTarget {
            short_abandon_s: Some(-5.0),
            ..ok.target
        },
        ..ok
    });
    assert_eq!(
        e,
        PlanningError::NegativeSeconds {
            field: Field::ShortAbandonS,
            value: -5.0
        }
    );

    let e = err(IntervalInput {
        target: ServiceTarget {
            max_occupancy: Some(1.5),
            ..ok.target
        },
        ..ok
    });
    assert_eq!(
        e,
        PlanningError::ShareOutOfRange {
            field: Field::MaxOccupancy,
            value: 1.5
        }
    );
    let e = err(IntervalInput {
        target: ServiceTarget {
            max_abandon_share: Some(0.0),
            ..ok.target
        },
        ..ok
    });
    assert_eq!(
        e,
        PlanningError::ShareOutOfRange {
            field: Field::MaxAbandonShare,
            value: 0.0
        }
    );
    let e = err(IntervalInput {
        target: ServiceTarget {
            max_asa_s: Some(0.0),
            ..ok.target
        },
        ..ok
    });
    assert_eq!(
        e,
        PlanningError::NotPositive {
            field: Field::MaxAsaS,
            value: 0.0
        }
    );

    let e = evaluate_staffing(&ok, 100_001).expect_err("too many");
    assert_eq!(e, PlanningError::AgentsOutOfRange { value: 100_001 });

    let e = ErlangA::new(5000.0, 1800.0, 300.0, 1.0e9).expect_err("too patient");
    assert_eq!(e.code(), "patience-too-long");
    assert_eq!(e.field(), Some(Field::PatienceS));
}

#[test]
fn needs_more_than_100000_agents() {
    // 120,000 Erlang.
    let i = input(1_200_000.0, 180.0, None, sl80(20.0));
    let e = plan_interval(&i).expect_err("too large");
    assert!(matches!(
        e,
        PlanningError::TooManyAgents {
            model: Model::ErlangC,
            ..
        }
    ));
    assert!(
        e.to_string().starts_with("needs more than 100000 agents"),
        "{e}"
    );
    assert_eq!(e.code(), "too-many-agents");
    // Just below the limit is fine for Erlang C.
    let q = ErlangC::new(99_000.0 * 1800.0 / 180.0, 1800.0, 180.0).expect("valid");
    let m = q.required_agents(&sl80(20.0)).expect("staffable");
    assert!(m.agents > 99_000 && m.agents <= 100_000);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn erlang_c_service_level_monotone(volume in 1.0f64..3000.0, aht in 60.0f64..600.0, t in 0.0f64..60.0) {
        let q = ErlangC::new(volume, 1800.0, aht).expect("valid");
        let start = q.offered_load().floor() as u32 + 1;
        let mut prev = 0.0;
        for n in start..start + 40 {
            let m = q.metrics(n, t);
            prop_assert!((0.0..=1.0).contains(&m.p_wait));
            prop_assert!(m.service_level + 1e-12 >= prev);
            prev = m.service_level;
        }
    }

    #[test]
    fn erlang_a_monotone_and_bounded(volume in 1.0f64..1000.0, aht in 60.0f64..600.0, patience in 5.0f64..600.0) {
        let q = ErlangA::new(volume, 1800.0, aht, patience).expect("valid");
        let top = (q.offered_load() * 1.3) as u32 + 5;
        let step = (top / 25).max(1);
        let (mut prev_sl, mut prev_ab) = (0.0, 1.0);
        let mut n = 1;
        while n <= top {
            let m = q.metrics(n, 20.0, 5.0);
            for x in [m.p_wait, m.p_abandon, m.p_answered_within, m.p_wait_within, m.occupancy] {
                prop_assert!((0.0..=1.0).contains(&x), "{:?}", m);
            }
            let sl = m.service_level(ServiceLevelVariant::AbandonsAgainst);
            prop_assert!(sl + 1e-12 >= prev_sl);
            prop_assert!(m.p_abandon <= prev_ab + 1e-12);
            prev_sl = sl;
            prev_ab = m.p_abandon;
            n += step;
        }
    }
}
