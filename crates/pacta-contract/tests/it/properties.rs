//! Properties of the parser: it never panics, its locations stay inside the text, and the
//! format round-trips (parse → serialize → parse).

use pacta_contract::{ContractDoc, parse_bytes, parse_str};
use proptest::prelude::*;

const BASE: &str = include_str!("../fixtures/base.toml");

#[test]
fn base_round_trips() {
    let c = parse_str(BASE).expect("valid");
    let text = c.to_toml().expect("serializes");
    let again = parse_str(&text).unwrap_or_else(|e| panic!("{e:#?}\n{text}"));
    assert_eq!(c.doc, again.doc);
}

#[test]
fn json_schema_describes_every_section() {
    let schema = pacta_contract::json_schema();
    let props = schema["properties"].as_object().expect("object schema");
    for key in [
        "contract",
        "parties",
        "scope",
        "calendar",
        "sla",
        "credits",
        "pricing",
        "people",
        "facilities",
        "security",
        "data_protection",
        "quality",
        "governance",
        "disputes",
        "liability",
        "termination",
        "exit",
        "legal",
        "data",
    ] {
        assert!(props.contains_key(key), "schema lacks {key}");
    }
    assert_eq!(
        schema["additionalProperties"],
        serde_json::Value::Bool(false)
    );
    // A quality report the provider delivers is `QualityReport`: no type is named plainly
    // `Report` (the word named six different things).
    let defs = schema["$defs"].as_object().expect("definitions");
    assert!(defs.contains_key("QualityReport") && !defs.contains_key("Report"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = parse_bytes(&bytes);
    }

    #[test]
    fn mutated_contracts_fail_with_locations_inside_the_text(
        at in 0usize..BASE.len(),
        cut in 1usize..40,
        insert in "[\\[\\]{}=\"#a-z0-9,. \n-]{0,12}",
    ) {
        let mut start = at;
        while !BASE.is_char_boundary(start) { start -= 1; }
        let mut end = (start + cut).min(BASE.len());
        while !BASE.is_char_boundary(end) { end -= 1; }
        let text = format!("{}{}{}", &BASE[..start], insert, &BASE[end..]);
        let lines = text.lines().count().max(1);
        if let Err(errors) = parse_str(&text) {
            prop_assert!(!errors.is_empty());
            for e in errors {
                prop_assert!(e.location.line >= 1 && e.location.line <= lines + 1, "{e}");
                prop_assert!(!e.message(pacta_contract::Lang::En).is_empty());
            }
        }
    }

    #[test]
    fn serialized_docs_reparse_equal(ix in 0usize..3) {
        // Round-trip after a few valid edits, not only the pristine fixture.
        let edited = match ix {
            0 => BASE.replacen("expected = 72", "expected = 73.5", 1),
            1 => BASE.replacen("net_days = 45", "net_days = 30", 1),
            _ => BASE.to_string(),
        };
        let c = parse_str(&edited).expect("valid edit");
        let again: ContractDoc = toml::from_str(&c.to_toml().expect("ser")).expect("reparse");
        prop_assert_eq!(c.doc, again);
    }
}
