//! Every validation error kind: its code, its message and its line:col, in both languages.
//!
//! Each case mutates a frozen copy of the bank example (tests/fixtures/base.toml) so line
//! numbers stay put when the published example evolves.

use pacta_contract::{Lang, parse_bytes, parse_str};

const BASE: &str = include_str!("../fixtures/base.toml");

struct Case {
    code: &'static str,
    find: &'static str,
    replace: &'static str,
    line: usize,
    col: usize,
    message: &'static str,
}

const CASES: &[Case] = &[
    Case {
        code: "syntax",
        find: "id = \"AFB-MNL-2026\"",
        replace: "id = \"AFB-MNL-2026",
        line: 5,
        col: 19,
        message: "invalid TOML",
    },
    Case {
        code: "unknown-key",
        find: "currency = \"USD\"",
        replace: "currency = \"USD\"\ncurrancy = \"USD\"",
        line: 12,
        col: 1,
        message: "unknown field `currancy`",
    },
    Case {
        code: "missing-key",
        find: "currency = \"USD\"\n",
        replace: "",
        line: 4,
        col: 1,
        message: "missing field `currency`",
    },
    Case {
        code: "wrong-type",
        find: "initial_term_months = 36",
        replace: "initial_term_months = \"36\"",
        line: 14,
        col: 23,
        message: "invalid type",
    },
    Case {
        code: "wrong-type",
        find: "class = \"key\"",
        replace: "class = \"important\"",
        line: 160,
        col: 9,
        message: "unknown variant `important`",
    },
    Case {
        code: "wrong-type",
        find: "effective_date = 2026-01-01",
        replace: "effective_date = \"2026-02-30\"",
        line: 13,
        col: 18,
        message: "not a valid date",
    },
    Case {
        code: "unknown-time-zone",
        find: "time_zone = \"Asia/Manila\"",
        replace: "time_zone = \"Asia/Manilla\"",
        line: 12,
        col: 13,
        message: "unknown time zone `Asia/Manilla`",
    },
    Case {
        code: "unknown-currency",
        find: "currency = \"USD\"",
        replace: "currency = \"USDX\"",
        line: 11,
        col: 12,
        message: "unknown currency `USDX`",
    },
    Case {
        code: "unknown-metric",
        find: "metric = \"fcr\"",
        replace: "metric = \"fcrr\"",
        line: 155,
        col: 10,
        message: "unknown metric `fcrr`",
    },
    Case {
        code: "unknown-variant",
        find: "variant = \"repeat_contact\"",
        replace: "variant = \"repeat\"",
        line: 156,
        col: 11,
        message: "has no variant `repeat`",
    },
    Case {
        code: "missing-param",
        find: "params = { threshold_s = 60 }",
        replace: "params = { short_abandon_s = 5 }",
        line: 141,
        col: 10,
        message: "needs parameter `threshold_s`",
    },
    Case {
        code: "param-not-accepted",
        find: "params = { scale = 5 }",
        replace: "params = { scale = 5, window_days = 7 }",
        line: 169,
        col: 37,
        message: "does not take parameter `window_days`",
    },
    Case {
        code: "minimum-above-target",
        find: "expected = 90, minimum = 85",
        replace: "expected = 90, minimum = 95",
        line: 185,
        col: 68,
        message: "minimum level 95 is stricter than the expected level 90",
    },
    Case {
        code: "out-of-range",
        find: "at_risk_percent = 10",
        replace: "at_risk_percent = 110",
        line: 198,
        col: 19,
        message: "110 is outside the allowed range 0–100",
    },
    Case {
        code: "not-positive",
        find: "earn_back = { periods = 3,",
        replace: "earn_back = { periods = 0,",
        line: 205,
        col: 25,
        message: "`credits.earn_back.periods`: 0 must be greater than zero",
    },
    Case {
        code: "negative",
        find: "rate = 14.50",
        replace: "rate = -14.50",
        line: 238,
        col: 8,
        message: "-14.5 must not be negative",
    },
    Case {
        code: "number-too-large",
        find: "rate = 14.50",
        replace: "rate = 1e25",
        line: 238,
        col: 8,
        message: "is larger than any amount or quantity pacta computes with (at most 1000000000000000)",
    },
    Case {
        code: "allocations-exceed-pool",
        find: "allocation_percent = 30\ntargets = [{ effective_from = 2026-01-01, expected = 85",
        replace: "allocation_percent = 90\ntargets = [{ effective_from = 2026-01-01, expected = 85",
        line: 173,
        col: 22,
        message: "add up to 210 %, above the pool of 150 %",
    },
    Case {
        code: "cap-above-at-risk",
        find: "monthly_cap_percent = 10",
        replace: "monthly_cap_percent = 12",
        line: 200,
        col: 23,
        message: "monthly credit cap 12 % is above the at-risk amount 10 %",
    },
    Case {
        code: "overlapping-tiers",
        find: "automatic = true\nsole_remedy",
        replace: "automatic = true\ntiers = [{ shortfall_from = 0, shortfall_to = 5, credit_percent = 50 }, { shortfall_from = 4, credit_percent = 100 }]\nsole_remedy",
        line: 204,
        col: 73,
        message: "tier 0 and tier 1 overlap",
    },
    Case {
        code: "end-before-start",
        find: "open = \"08:00\", close = \"22:00\"",
        replace: "open = \"22:00\", close = \"08:00\"",
        line: 98,
        col: 52,
        message: "ends (08:00) at or before it starts (22:00)",
    },
    Case {
        code: "before-effective-date",
        find: "date = 2026-07-01",
        replace: "date = 2025-07-01",
        line: 23,
        col: 8,
        message: "2025-07-01 is before the contract's effective date 2026-01-01",
    },
    Case {
        code: "duplicate-id",
        find: "id = \"QA\"",
        replace: "id = \"FCR\"",
        line: 177,
        col: 6,
        message: "duplicate SLA id `FCR`",
    },
    Case {
        code: "unknown-reference",
        find: "{ sla = \"CSAT\", level = 90 }",
        replace: "{ sla = \"CSTA\", level = 90 }",
        line: 209,
        col: 23,
        message: "unknown SLA `CSTA`",
    },
    Case {
        code: "no-targets",
        find: "targets = [{ effective_from = 2026-01-01, expected = 90, minimum = 85 }]",
        replace: "",
        line: 177,
        col: 6,
        message: "SLA `QA` has no target",
    },
    Case {
        code: "targets-out-of-order",
        find: "{ effective_from = 2026-07-01, expected = 85",
        replace: "{ effective_from = 2026-01-01, expected = 85",
        line: 119,
        col: 22,
        message: "distinct effective dates in increasing order",
    },
    Case {
        code: "bad-interval",
        find: "interval_minutes = 30",
        replace: "interval_minutes = 20",
        line: 144,
        col: 20,
        message: "interval length 20 min is not supported",
    },
    Case {
        code: "requires",
        find: "required_share_percent = 90\n",
        replace: "",
        line: 143,
        col: 10,
        message: "`period = \"interval\"` requires `required_share_percent`",
    },
    Case {
        code: "credit-on-non-critical",
        find: "class = \"key\"\ndata_source = \"acd\"",
        replace: "class = \"key\"\nallocation_percent = 10\ndata_source = \"acd\"",
        line: 161,
        col: 22,
        message: "SLA `FCR` is `key` but carries a credit",
    },
    Case {
        code: "bad-concurrency",
        find: "queues = [\"web-chat\"]",
        replace: "queues = [\"web-chat\"]\nconcurrency = 0.5",
        line: 89,
        col: 15,
        message: "concurrency 0.5 is not allowed on a `chat` service (chat only, from 1 to 10)",
    },
    Case {
        code: "bad-concurrency",
        find: "queues = [\"retail\"]",
        replace: "queues = [\"retail\"]\nconcurrency = 2",
        line: 80,
        col: 15,
        message: "concurrency 2 is not allowed on a `voice_in` service",
    },
    Case {
        code: "bad-code",
        find: "languages = [\"en\"]",
        replace: "languages = [\"english\"]",
        line: 9,
        col: 14,
        message: "`english` is not a valid language code",
    },
];

#[test]
fn base_fixture_is_valid() {
    if let Err(errors) = parse_str(BASE) {
        panic!("{errors:#?}");
    }
}

#[test]
fn every_error_kind_has_its_message_and_location() {
    let mut failures = Vec::new();
    for case in CASES {
        assert!(BASE.contains(case.find), "fixture lacks {:?}", case.find);
        let text = BASE.replacen(case.find, case.replace, 1);
        let errors = match parse_str(&text) {
            Ok(_) => {
                failures.push(format!("{}: accepted", case.code));
                continue;
            }
            Err(e) => e,
        };
        let Some(e) = errors.iter().find(|e| e.code == case.code) else {
            failures.push(format!(
                "{}: got {:?}",
                case.code,
                errors
                    .iter()
                    .map(|e| (e.code, e.to_string()))
                    .collect::<Vec<_>>()
            ));
            continue;
        };
        let msg = e.message(Lang::En);
        if (e.location.line, e.location.col) != (case.line, case.col) || !msg.contains(case.message)
        {
            failures.push(format!(
                "{}: {}:{} {msg:?} (expected {}:{} {:?})",
                case.code, e.location.line, e.location.col, case.line, case.col, case.message
            ));
        }
        let es = e.message(Lang::Es);
        if es == msg || es.is_empty() {
            failures.push(format!("{}: no Spanish message", case.code));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn a_chat_service_takes_a_concurrency_from_1_to_10() {
    for ok in ["1", "2.0", "2.5", "10"] {
        let text = BASE.replacen(
            "queues = [\"web-chat\"]",
            &format!("queues = [\"web-chat\"]\nconcurrency = {ok}"),
            1,
        );
        let contract = parse_str(&text).unwrap_or_else(|e| panic!("{ok}: {e:?}"));
        let chat = contract.doc.scope.services.iter().find(|s| s.id == "chat");
        assert_eq!(
            chat.and_then(|s| s.concurrency)
                .and_then(|c| c.to_string().parse::<f64>().ok()),
            ok.parse::<f64>().ok()
        );
    }
    let text = BASE.replacen(
        "queues = [\"web-chat\"]",
        "queues = [\"web-chat\"]\nconcurrency = 11",
        1,
    );
    let errors = parse_str(&text).expect_err("11 chats at once is refused");
    assert_eq!(errors[0].code, "bad-concurrency");
    assert_eq!(
        errors[0].message(Lang::Es),
        "`scope.services[2].concurrency`: la concurrencia 11 no está permitida en un servicio \
         `chat` (solo chat, de 1 a 10)"
    );
    assert!(
        errors[0]
            .hint(Lang::En)
            .is_some_and(|h| h.contains("concurrency = 2.0"))
    );
}

#[test]
fn every_problem_code_is_covered() {
    let covered: std::collections::BTreeSet<_> = CASES.iter().map(|c| c.code).collect();
    for code in [
        "syntax",
        "unknown-key",
        "missing-key",
        "wrong-type",
        "unknown-time-zone",
        "unknown-currency",
        "unknown-metric",
        "unknown-variant",
        "missing-param",
        "param-not-accepted",
        "minimum-above-target",
        "out-of-range",
        "not-positive",
        "negative",
        "allocations-exceed-pool",
        "cap-above-at-risk",
        "overlapping-tiers",
        "end-before-start",
        "before-effective-date",
        "duplicate-id",
        "unknown-reference",
        "no-targets",
        "targets-out-of-order",
        "bad-interval",
        "requires",
        "credit-on-non-critical",
        "bad-code",
        "bad-concurrency",
        "number-too-large",
    ] {
        assert!(covered.contains(code), "no case for {code}");
    }
}

#[test]
fn hints_suggest_the_closest_names() {
    let text = BASE.replacen("metric = \"fcr\"", "metric = \"service_levle\"", 1);
    let Err(errors) = parse_str(&text) else {
        panic!("expected an error: invalid")
    };
    let hint = errors[0].hint(Lang::En).unwrap_or_default();
    assert!(hint.contains("did you mean `service_level`?"), "{hint}");
    assert!(
        errors[0]
            .hint(Lang::Es)
            .unwrap_or_default()
            .contains("¿quiso decir `service_level`?")
    );
}

#[test]
fn several_problems_are_reported_in_one_run() {
    let text = BASE
        .replacen("at_risk_percent = 10", "at_risk_percent = 110", 1)
        .replacen("metric = \"fcr\"", "metric = \"fcrr\"", 1);
    let Err(errors) = parse_str(&text) else {
        panic!("expected an error: invalid")
    };
    let codes: Vec<_> = errors.iter().map(|e| e.code).collect();
    assert!(
        codes.contains(&"out-of-range") && codes.contains(&"unknown-metric"),
        "{codes:?}"
    );
}

#[test]
fn unreadable_inputs_get_clear_errors() {
    let Err(empty) = parse_str("  \n") else {
        panic!("expected an error: empty")
    };
    assert_eq!(empty[0].code, "empty");
    let mut bytes = b"[contract]\nid = \"".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe, 0x00]);
    let Err(bin) = parse_bytes(&bytes) else {
        panic!("expected an error: binary")
    };
    assert_eq!(bin[0].code, "not-text");
    assert_eq!((bin[0].location.line, bin[0].location.col), (2, 7));
    let big = vec![b'#'; 50 * 1024 * 1024];
    let Err(too_large) = parse_bytes(&big) else {
        panic!("expected an error: too large")
    };
    assert_eq!(too_large[0].code, "too-large");
    assert!(too_large[0].message(Lang::En).contains("52428800 bytes"));
    let Err(garbage) = parse_str("[[[[[[ = = ]]") else {
        panic!("expected an error: garbage")
    };
    assert_eq!(garbage[0].code, "syntax");
}

#[test]
fn deeply_nested_input_does_not_overflow_the_stack() {
    let text = format!("x = {}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(parse_str(&text).is_err());
}

#[test]
fn a_pricing_table_is_validated_on_its_own_and_located_in_its_source() {
    let text = "[offer]\nname = \"x\"\n[offer.pricing]\n[[offer.pricing.components]]\nid = \"c\"\nunit = \"handled_contact\"\nrate = -1\nservices = [\"voice\", \"chat\"]\n";
    let source = pacta_contract::SourceMap::new(text);
    let doc: toml::Table = toml::from_str(text).expect("TOML");
    let table = doc["offer"]["pricing"].clone();
    let setting = pacta_contract::PricingSetting {
        currency: "USD",
        effective_date: pacta_contract::Date::new(2027, 1, 1).expect("a date"),
        term_months: 12,
        services: &["voice"],
    };
    let at = pacta_contract::FieldPath::parse("offer.pricing");
    let errors = pacta_contract::parse_pricing(table.clone(), &setting, &source, &at)
        .expect_err("a negative rate and an unknown service");
    let paths: Vec<String> = errors
        .iter()
        .map(|e| e.path.as_ref().map(ToString::to_string).unwrap_or_default())
        .collect();
    assert_eq!(
        paths,
        [
            "pricing.components[0].rate",
            "pricing.components[0].services[1]"
        ]
    );
    // Located where the values are in the source they were read from.
    assert_eq!(errors[0].location.line, 7);
    assert_eq!(errors[1].location.line, 8);

    let ok = pacta_contract::PricingSetting {
        services: &["voice", "chat"],
        ..setting
    };
    let fixed = toml::Value::Table({
        let mut t = table.as_table().cloned().unwrap_or_default();
        t["components"][0]["rate"] = toml::Value::Float(2.5);
        t.into_iter().collect()
    });
    let pricing = pacta_contract::parse_pricing(fixed, &ok, &source, &at).expect("valid pricing");
    assert_eq!(pricing.components[0].id, "c");
}
