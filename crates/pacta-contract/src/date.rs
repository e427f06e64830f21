//! Calendar dates and times of day as they appear in contract files.
//!
//! TOML has native local dates (`effective_date = 2026-01-01`), which the `toml` crate hands to
//! serde as a private map rather than a string, so `jiff`'s own `Deserialize` would reject them.
//! These newtypes accept both the native form and a quoted string, and always serialize as a
//! string so JSON output stays readable.

use std::fmt;

use schemars::JsonSchema;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A civil (time-zone-less) calendar date, such as an effective date or a holiday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub jiff::civil::Date);

impl Date {
    /// Builds a date from year, month and day; `None` when the date does not exist.
    pub fn new(year: i16, month: i8, day: i8) -> Option<Self> {
        jiff::civil::Date::new(year, month, day).ok().map(Date)
    }

    /// The underlying `jiff` date.
    pub fn civil(self) -> jiff::civil::Date {
        self.0
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct DateVisitor;
        impl<'de> Visitor<'de> for DateVisitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date such as 2026-01-31")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
                parse_date(v).map_err(E::custom)
            }
            fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Date, M::Error> {
                let dt =
                    toml::value::Datetime::deserialize(de::value::MapAccessDeserializer::new(map))?;
                if dt.time.is_some() || dt.offset.is_some() {
                    return Err(de::Error::custom(format!(
                        "expected a date without time, found `{dt}`"
                    )));
                }
                parse_date(&dt.to_string()).map_err(de::Error::custom)
            }
        }
        d.deserialize_any(DateVisitor)
    }
}

fn parse_date(v: &str) -> Result<Date, String> {
    v.parse::<jiff::civil::Date>()
        .map(Date)
        .map_err(|_| format!("`{v}` is not a valid date (expected YYYY-MM-DD)"))
}

impl JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "format": "date" })
    }
}

/// A time of day (`"08:00"`, `"23:59:59"`), used for hours of operation and shift windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeOfDay(pub jiff::civil::Time);

impl TimeOfDay {
    /// The underlying `jiff` time.
    pub fn civil(self) -> jiff::civil::Time {
        self.0
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == jiff::civil::Time::MAX {
            f.write_str("24:00")
        } else if self.0.second() == 0 {
            write!(f, "{:02}:{:02}", self.0.hour(), self.0.minute())
        } else {
            write!(f, "{}", self.0.strftime("%H:%M:%S"))
        }
    }
}

impl Serialize for TimeOfDay {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TimeOfDay {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct TimeVisitor;
        impl<'de> Visitor<'de> for TimeVisitor {
            type Value = TimeOfDay;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a time of day such as \"08:00\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<TimeOfDay, E> {
                parse_time(v).map_err(E::custom)
            }
            fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<TimeOfDay, M::Error> {
                let dt =
                    toml::value::Datetime::deserialize(de::value::MapAccessDeserializer::new(map))?;
                if dt.date.is_some() || dt.offset.is_some() {
                    return Err(de::Error::custom(format!(
                        "expected a time of day, found `{dt}`"
                    )));
                }
                parse_time(&dt.to_string()).map_err(de::Error::custom)
            }
        }
        d.deserialize_any(TimeVisitor)
    }
}

fn parse_time(v: &str) -> Result<TimeOfDay, String> {
    // "24:00" closes a day that runs to midnight; jiff has no 24:00, so it maps to 23:59:59.999.
    if v == "24:00" || v == "24:00:00" {
        return Ok(TimeOfDay(jiff::civil::Time::MAX));
    }
    v.parse::<jiff::civil::Time>()
        .map(TimeOfDay)
        .map_err(|_| format!("`{v}` is not a valid time of day (expected HH:MM)"))
}

impl JsonSchema for TimeOfDay {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "TimeOfDay".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "pattern": "^([01][0-9]|2[0-4]):[0-5][0-9](:[0-5][0-9])?$" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Holder {
        d: Date,
        t: TimeOfDay,
    }

    #[test]
    fn native_and_string_dates_both_parse() {
        let h: Holder = toml::from_str("d = 2026-02-28\nt = 08:30:00").expect("native");
        assert_eq!(h.d.to_string(), "2026-02-28");
        assert_eq!(h.t.to_string(), "08:30");
        let h: Holder = toml::from_str("d = \"2026-02-28\"\nt = \"24:00\"").expect("strings");
        assert_eq!(h.d, Date::new(2026, 2, 28).expect("valid"));
        assert_eq!(h.t.0, jiff::civil::Time::MAX);
    }

    #[test]
    fn impossible_date_is_rejected_with_location() {
        let err = toml::from_str::<Holder>("d = \"2026-02-30\"\nt = \"08:00\"")
            .err()
            .expect("must fail");
        assert!(err.message().contains("not a valid date"), "{err}");
        assert!(err.span().is_some());
    }
}
