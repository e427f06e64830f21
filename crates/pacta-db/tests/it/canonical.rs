//! Canonical JSON: the same payload, whatever its keys' order, is stored as the same text.

use pacta_db::canonical_json;
use proptest::prelude::*;
use serde_json::Value;

/// A JSON object's text with its members in the given order.
fn object_text(members: &[(String, String)]) -> String {
    let parts: Vec<String> = members
        .iter()
        .map(|(k, v)| format!("{}: {v}", Value::String(k.clone())))
        .collect();
    format!("{{ {} }}", parts.join(" , "))
}

fn leaf() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("null".to_string()),
        any::<bool>().prop_map(|b| b.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        "[a-zé\"\\\\ ]{0,6}".prop_map(|s| Value::String(s).to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn key_order_does_not_change_the_canonical_text(
        inner in proptest::collection::btree_map("[a-zA-Z_é]{1,5}", leaf(), 0..5),
        outer in proptest::collection::btree_map("[a-z0-9]{1,4}", leaf(), 0..5),
        rotate in 0usize..5,
    ) {
        let inner: Vec<(String, String)> = inner.into_iter().collect();
        let mut inner_rev = inner.clone();
        inner_rev.reverse();
        let mut members: Vec<(String, String)> = outer
            .into_iter()
            .filter(|(k, _)| k != "nested")
            .collect();
        members.push(("nested".to_string(), object_text(&inner)));
        let mut other: Vec<(String, String)> = members.clone();
        other.reverse();
        let len = other.len();
        other.rotate_left(rotate % len);
        if let Some(last) = other.iter_mut().find(|(k, _)| k == "nested") {
            last.1 = format!("[{}]", object_text(&inner_rev));
            if let Some(first) = members.iter_mut().find(|(k, _)| k == "nested") {
                first.1 = format!("[{}]", object_text(&inner));
            }
        }
        let a: Value = serde_json::from_str(&object_text(&members)).expect("json a");
        let b: Value = serde_json::from_str(&object_text(&other)).expect("json b");
        let text = canonical_json(&a);
        prop_assert_eq!(&text, &canonical_json(&b));
        // The canonical text parses back to the same value and is its own canonical form.
        let back: Value = serde_json::from_str(&text).expect("canonical parses");
        prop_assert_eq!(&back, &a);
        prop_assert_eq!(canonical_json(&back), text.clone());
        prop_assert!(!text.contains(": ") && !text.contains(", "));
    }
}
