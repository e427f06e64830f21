//! The audit chain's arithmetic: canonical JSON, the timestamp text and the entry hash.

use jiff::Timestamp;
use serde_json::Value;

use crate::DbError;

/// The `prev_hash` of the first entry: 64 zeros.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The canonical text of a JSON value: object keys sorted (by their UTF-8 bytes) at every
/// depth, no insignificant whitespace; strings and numbers written as `serde_json` writes
/// them.
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(key, out);
                out.push(':');
                write_canonical(item, out);
            }
            out.push('}');
        }
    }
}

fn write_string(s: &str, out: &mut String) {
    // Serialising a string to JSON cannot fail; the fallback is never taken.
    match serde_json::to_string(s) {
        Ok(text) => out.push_str(&text),
        Err(_) => out.push_str("\"\""),
    }
}

/// The text an instant is stored and hashed as: RFC 3339 in UTC with milliseconds
/// (`2026-03-01T08:30:00.000Z`), the instant cut to the millisecond.
pub fn timestamp_text(at: Timestamp) -> String {
    let ms = at.as_millisecond();
    let at = Timestamp::from_millisecond(ms).unwrap_or(at);
    at.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// An instant as [`timestamp_text`] wrote it.
pub(crate) fn parse_timestamp(text: &str) -> Result<Timestamp, DbError> {
    text.parse::<Timestamp>()
        .map_err(|e| DbError::corrupt(format!("timestamp `{text}`: {e}")))
}

/// The hash of an audit entry: BLAKE3, hex, over each field as its length (u64
/// little-endian) then its UTF-8 bytes, in this order: seq (decimal), at
/// ([`timestamp_text`]), actor, action, object, payload (canonical JSON), prev_hash.
pub fn entry_hash(
    seq: u64,
    at: &str,
    actor: &str,
    action: &str,
    object: &str,
    payload: &str,
    prev_hash: &str,
) -> String {
    let seq = seq.to_string();
    let mut hasher = blake3::Hasher::new();
    for field in [seq.as_str(), at, actor, action, object, payload, prev_hash] {
        hasher.update(&(field.len() as u64).to_le_bytes());
        hasher.update(field.as_bytes());
    }
    hasher.finalize().to_hex().to_string()
}

/// BLAKE3 of a text, hex.
pub fn text_hash(text: &str) -> String {
    blake3::hash(text.as_bytes()).to_hex().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_cut_to_milliseconds_in_one_format() {
        let at: Timestamp = "2026-03-01T08:30:00.123456789Z".parse().unwrap_or_default();
        assert_eq!(timestamp_text(at), "2026-03-01T08:30:00.123Z");
        let whole: Timestamp = "2026-03-01T08:30:00Z".parse().unwrap_or_default();
        assert_eq!(timestamp_text(whole), "2026-03-01T08:30:00.000Z");
        assert_eq!(
            parse_timestamp("2026-03-01T08:30:00.123Z").ok(),
            "2026-03-01T08:30:00.123Z".parse().ok()
        );
    }

    #[test]
    fn canonical_sorts_keys_at_every_depth() {
        let v: Value = serde_json::from_str(r#"{ "b": [ {"z":1, "a":null} ], "a": "x\"y" }"#)
            .unwrap_or_default();
        assert_eq!(canonical_json(&v), r#"{"a":"x\"y","b":[{"a":null,"z":1}]}"#);
    }

    #[test]
    fn entry_hash_is_length_prefixed() {
        // Moving a character from one field to the next changes the hash.
        let a = entry_hash(1, "t", "ab", "c", "o", "{}", GENESIS_HASH);
        let b = entry_hash(1, "t", "a", "bc", "o", "{}", GENESIS_HASH);
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
    }
}
