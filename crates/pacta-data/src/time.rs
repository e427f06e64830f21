//! Timestamp parsing for importers: strftime formats, naive local times in a time zone,
//! with a fast path for `YYYY-MM-DD HH:MM:SS` and an hourly offset cache.

use std::collections::HashMap;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

use crate::{DataError, Result};

/// Resolves an IANA time zone name.
pub fn time_zone(name: &str) -> Result<TimeZone> {
    TimeZone::get(name).map_err(|_| DataError::TimeZone(name.to_string()))
}

/// Parses timestamps of one source column set.
///
/// `format` is a strftime format (`%Y-%m-%d %H:%M:%S`…); the special formats `epoch` and
/// `epoch_ms` read Unix seconds or milliseconds. Without a format, RFC 3339 / ISO 8601 with an
/// offset (`2024-03-01T10:00:00Z`) or a naive ISO date-time (`2024-03-01 10:00:00`,
/// `2024-03-01T10:00:00.250`) are accepted. Naive times are read in `tz`; in a DST gap or
/// fold the earlier ("compatible") reading is used.
#[derive(Debug, Clone)]
pub struct TimestampParser {
    format: Option<String>,
    tz: TimeZone,
    fast: bool,
    cache: HashMap<i64, i64, ahash::RandomState>,
    /// The last date read by the fast path: its text, days since 1970-01-01, the date.
    last_date: Option<([u8; 10], i64, Date)>,
}

impl TimestampParser {
    /// A parser for `format` (see the type docs) in `tz`.
    pub fn new(format: Option<&str>, tz: TimeZone) -> Self {
        let fast = matches!(
            format,
            None | Some("%Y-%m-%d %H:%M:%S") | Some("%Y-%m-%dT%H:%M:%S") | Some("%F %T")
        );
        TimestampParser {
            format: format.map(str::to_string),
            tz,
            fast,
            cache: HashMap::default(),
            last_date: None,
        }
    }

    /// The format as shown in messages.
    pub fn expected(&self) -> String {
        match &self.format {
            Some(f) => format!("format `{f}`"),
            None => "ISO 8601 (`YYYY-MM-DD HH:MM:SS`, optionally with an offset)".to_string(),
        }
    }

    /// Parses one value to UTC milliseconds; the error explains what was expected.
    pub fn parse(&mut self, s: &str) -> std::result::Result<i64, String> {
        let s = s.trim();
        if self.fast {
            // RFC 3339 in UTC (`2026-10-01T08:00:00.250Z`), what most exports write: no zone
            // lookup needed. Taken where the general path below would accept it too (no
            // format, or an ISO-like naive one, which falls back to RFC 3339).
            if let Some(naive) = s.strip_suffix('Z') {
                if let Some(f) = self.fast_naive(naive) {
                    return Ok(f.day * 86_400_000 + f.secs_of_day * 1000 + f.ms);
                }
            } else if let Some(f) = self.fast_naive(s) {
                return self.local_to_utc_ms(f);
            }
        }
        let bad = || format!("`{s}` does not match the expected {}", self.expected());
        match self.format.as_deref() {
            Some("epoch") => s.parse::<i64>().map(|v| v * 1000).map_err(|_| bad()),
            Some("epoch_ms") => s.parse::<i64>().map_err(|_| bad()),
            Some(f) if !self.fast => {
                let tm = jiff::fmt::strtime::parse(f, s).map_err(|_| bad())?;
                if tm.offset().is_some() {
                    return tm
                        .to_timestamp()
                        .map(|t| t.as_millisecond())
                        .map_err(|_| bad());
                }
                let dt = tm.to_datetime().map_err(|_| bad())?;
                self.civil_ms(dt).map_err(|_| bad())
            }
            _ => {
                if let Ok(t) = s.parse::<Timestamp>() {
                    return Ok(t.as_millisecond());
                }
                let dt: DateTime = s.parse().map_err(|_| bad())?;
                self.civil_ms(dt).map_err(|_| bad())
            }
        }
    }

    /// A naive civil date-time in the parser's zone to UTC ms.
    pub fn civil_ms(&self, dt: DateTime) -> std::result::Result<i64, String> {
        self.tz
            .to_ambiguous_timestamp(dt)
            .compatible()
            .map(|t| t.as_millisecond())
            .map_err(|e| e.to_string())
    }

    /// A wall-clock time in the parser's zone (a naive timestamp column) to UTC milliseconds,
    /// exactly as its text would parse, without the text.
    pub fn civil_to_utc_ms(&mut self, dt: DateTime) -> std::result::Result<i64, String> {
        let nanos = i64::from(dt.subsec_nanosecond());
        if nanos % 1_000_000 != 0 {
            return self.civil_ms(dt);
        }
        let date = dt.date();
        self.local_to_utc_ms(FastFields {
            day: days_from_civil(
                i64::from(date.year()),
                i64::from(date.month()),
                i64::from(date.day()),
            ),
            date,
            secs_of_day: i64::from(dt.hour()) * 3600
                + i64::from(dt.minute()) * 60
                + i64::from(dt.second()),
            ms: nanos / 1_000_000,
        })
    }

    fn local_to_utc_ms(&mut self, f: FastFields) -> std::result::Result<i64, String> {
        let FastFields {
            day,
            date,
            secs_of_day,
            ms,
        } = f;
        let hour = secs_of_day / 3600;
        let key = day * 24 + hour;
        let local_ms = day * 86_400_000 + secs_of_day * 1000 + ms;
        if let Some(&off) = self.cache.get(&key) {
            return Ok(local_ms - off);
        }
        // Offset at the start and end of the hour; cache only when they agree.
        let h = i8::try_from(hour).map_err(|e| e.to_string())?;
        let start = date.at(h, 0, 0, 0);
        let end = date.at(h, 59, 59, 0);
        let a = self.civil_ms(start)?;
        let b = self.civil_ms(end)?;
        let off_a = (day * 86_400 + hour * 3600) * 1000 - a;
        let off_b = (day * 86_400 + hour * 3600 + 3599) * 1000 - b;
        if off_a == off_b {
            self.cache.insert(key, off_a);
            Ok(local_ms - off_a)
        } else {
            let m = (secs_of_day % 3600) / 60;
            let sec = secs_of_day % 60;
            let dt = date.at(
                h,
                i8::try_from(m).map_err(|e| e.to_string())?,
                i8::try_from(sec).map_err(|e| e.to_string())?,
                i32::try_from(ms * 1_000_000).map_err(|e| e.to_string())?,
            );
            self.civil_ms(dt)
        }
    }
}

fn digits(b: &[u8]) -> Option<i64> {
    let mut v = 0i64;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(c - b'0');
    }
    Some(v)
}

/// A naive date-time read by the fast path.
#[derive(Debug, Clone, Copy)]
struct FastFields {
    /// Days since 1970-01-01.
    day: i64,
    date: Date,
    secs_of_day: i64,
    ms: i64,
}

impl TimestampParser {
    /// `YYYY-MM-DD[ T]HH:MM:SS[.fff]`; `None` for anything else (the general path decides).
    fn fast_naive(&mut self, s: &str) -> Option<FastFields> {
        let b = s.as_bytes();
        if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !(b[10] == b' ' || b[10] == b'T') {
            return None;
        }
        if b[13] != b':' || b[16] != b':' {
            return None;
        }
        let ms = match b.len() {
            19 => 0,
            23 if b[19] == b'.' => digits(&b[20..23])?,
            _ => return None,
        };
        let h = digits(&b[11..13])?;
        let mi = digits(&b[14..16])?;
        let se = digits(&b[17..19])?;
        if h > 23 || mi > 59 || se > 59 {
            return None;
        }
        // A file's timestamps fall on few dates, usually in runs: the last date is kept.
        let (day, date) = match self.last_date {
            Some((text, day, date)) if text == b[..10] => (day, date),
            _ => {
                let y = i16::try_from(digits(&b[0..4])?).ok()?;
                let mo = i8::try_from(digits(&b[5..7])?).ok()?;
                let d = i8::try_from(digits(&b[8..10])?).ok()?;
                let date = Date::new(y, mo, d).ok()?;
                let day = days_from_civil(i64::from(y), i64::from(mo), i64::from(d));
                let mut text = [0u8; 10];
                text.copy_from_slice(&b[..10]);
                self.last_date = Some((text, day, date));
                (day, date)
            }
        };
        Some(FastFields {
            day,
            date,
            secs_of_day: h * 3600 + mi * 60 + se,
            ms,
        })
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses `H:MM:SS` (hours may have one or two digits) to seconds of the day.
pub fn parse_hms(s: &str) -> Option<i64> {
    let mut it = s.trim().split(':');
    let h: i64 = it.next()?.parse().ok()?;
    let m: i64 = it.next()?.parse().ok()?;
    let sec: i64 = it.next()?.parse().ok()?;
    if it.next().is_some()
        || !(0..24).contains(&h)
        || !(0..60).contains(&m)
        || !(0..60).contains(&sec)
    {
        return None;
    }
    Some(h * 3600 + m * 60 + sec)
}

/// `YYYY-MM` of an instant in a time zone.
pub fn month_of(ms: i64, tz: &TimeZone) -> String {
    match Timestamp::from_millisecond(ms) {
        Ok(t) => {
            let d = t.to_zoned(tz.clone()).date();
            format!("{:04}-{:02}", d.year(), d.month())
        }
        Err(_) => "invalid".to_string(),
    }
}

/// Seconds (integer or decimal, e.g. `12` or `12.5`) to milliseconds.
pub fn seconds_to_ms(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(v) = s.parse::<i64>() {
        return v.checked_mul(1000);
    }
    let v: f64 = s.parse().ok()?;
    (v.is_finite() && v.abs() < 1e12).then(|| (v * 1000.0).round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_fast_path_agrees_with_jiff() {
        let manila = TimeZone::get("Asia/Manila").unwrap_or(TimeZone::UTC);
        let mut p = TimestampParser::new(None, manila);
        for s in [
            "2026-10-01T08:00:00Z",
            "2026-10-01T08:00:00.250Z",
            "1969-12-31T23:59:59Z",
            "2000-02-29T12:00:00Z",
            "2100-03-01 00:00:00.001Z",
        ] {
            let want = s
                .replace(' ', "T")
                .parse::<Timestamp>()
                .map(|t| t.as_millisecond())
                .unwrap_or(i64::MIN);
            assert_eq!(p.parse(s), Ok(want), "{s}");
        }
    }

    #[test]
    fn local_fast_path_agrees_with_jiff_across_dst_and_date_changes() {
        let ny = TimeZone::get("America/New_York").unwrap_or(TimeZone::UTC);
        let mut p = TimestampParser::new(None, ny.clone());
        // Spring gap (02:30 does not exist) and autumn fold (01:30 happens twice) in 2026,
        // dates alternating so the last-date cache is hit and missed.
        let cases = [
            "2026-03-08 01:59:59",
            "2026-03-08 02:30:00",
            "2026-03-08T03:00:00.125",
            "2026-11-01 00:59:59",
            "2026-03-08 01:00:00",
            "2026-11-01 01:30:00",
            "2026-11-01 01:30:00.999",
            "2026-11-01 02:00:00",
            "2024-02-29 23:59:59",
        ];
        for s in cases {
            let dt: DateTime = s.parse().unwrap_or_default();
            let want = ny
                .to_ambiguous_timestamp(dt)
                .compatible()
                .map(|t| t.as_millisecond())
                .unwrap_or(i64::MIN);
            assert_eq!(p.parse(s), Ok(want), "{s}");
        }
        // An impossible date is refused even right after a valid one with the same digits
        // up to the day.
        assert!(p.parse("2026-02-28 10:00:00").is_ok());
        assert!(p.parse("2026-02-30 10:00:00").is_err());
        assert!(p.parse("2026-02-28 24:00:00").is_err());
    }

    proptest::proptest! {
        /// A naive typed timestamp gives the instant its text would (DST gaps and folds
        /// included, sub-millisecond digits truncated like the text's).
        #[test]
        fn civil_values_convert_as_their_text_parses(
            secs in -2_000_000_000i64..4_000_000_000,
            nanos in 0i32..1_000_000_000,
            whole_ms in proptest::bool::ANY,
            zone in proptest::sample::select(vec!["America/New_York", "Europe/London", "Asia/Manila", "Australia/Lord_Howe", "UTC"]),
        ) {
            let nanos = if whole_ms { nanos / 1_000_000 * 1_000_000 } else { nanos };
            let tz = TimeZone::get(zone).unwrap_or(TimeZone::UTC);
            let dt = Timestamp::new(secs, nanos).unwrap_or(Timestamp::UNIX_EPOCH)
                .to_zoned(TimeZone::UTC).datetime();
            let mut by_value = TimestampParser::new(None, tz.clone());
            let mut by_text = TimestampParser::new(None, tz);
            proptest::prop_assert_eq!(by_value.civil_to_utc_ms(dt), by_text.parse(&dt.to_string()));
        }
    }
}
