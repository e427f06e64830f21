//! RFC 5545 text for a list of calendar events.
//!
//! Written by hand rather than with a crate: pacta only ever publishes a handful of
//! all-day or instant events, and owning the bytes keeps the output stable across
//! generations (same UIDs, same folding), which calendar clients rely on to update events
//! in place instead of duplicating them.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// The longest physical line, in octets, not counting the CRLF (RFC 5545 §3.1).
const MAX_LINE_OCTETS: usize = 75;

/// When an event happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventWhen {
    /// All day, on one civil date.
    Date(Date),
    /// All day, from `first` to `last`, both included.
    Window {
        /// First day of the window.
        first: Date,
        /// Last day of the window (included).
        last: Date,
    },
    /// At one instant.
    Instant(Timestamp),
}

/// Whether the event still holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventStatus {
    /// The event happens.
    Confirmed,
    /// The event was called off; published so that clients remove it.
    Cancelled,
}

/// One VEVENT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEvent {
    /// Globally unique and stable across generations; the caller appends `@pacta`.
    pub uid: String,
    /// Revision of the event; raise it when the event changes so clients take the update.
    pub sequence: u32,
    /// One-line title.
    pub summary: String,
    /// Longer text; omitted from the output when empty.
    pub description: String,
    /// When it happens.
    pub when: EventWhen,
    /// Confirmed or cancelled.
    pub status: EventStatus,
    /// Days before the start to remind; `None` or `Some(0)` means no reminder.
    pub alarm_lead_days: Option<u32>,
}

/// The whole calendar as RFC 5545 text: folded lines, each ending in CRLF.
///
/// `dtstamp` is when this generation was made (passed in, as nothing here reads the clock).
pub fn write_calendar(name: &str, dtstamp: Timestamp, events: &[CalendarEvent]) -> String {
    let mut out = String::new();
    let mut line = |text: String| out.push_str(&fold_line(&text));
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//pacta//pacta//EN".into());
    line("CALSCALE:GREGORIAN".into());
    line("METHOD:PUBLISH".into());
    line(format!("X-WR-CALNAME:{}", escape_text(name)));
    for event in events {
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}", escape_text(&event.uid)));
        line(format!("SEQUENCE:{}", event.sequence));
        line(format!("DTSTAMP:{}", utc(dtstamp)));
        match event.when {
            EventWhen::Date(d) => all_day(&mut line, d, d),
            EventWhen::Window { first, last } => {
                // A window given backwards still means the days between the two dates.
                all_day(&mut line, first.min(last), first.max(last));
            }
            EventWhen::Instant(t) => {
                line(format!("DTSTART:{}", utc(t)));
                line(format!("DTEND:{}", utc(t)));
            }
        }
        line(format!("SUMMARY:{}", escape_text(&event.summary)));
        if !event.description.is_empty() {
            line(format!("DESCRIPTION:{}", escape_text(&event.description)));
        }
        line(
            match event.status {
                EventStatus::Confirmed => "STATUS:CONFIRMED",
                EventStatus::Cancelled => "STATUS:CANCELLED",
            }
            .into(),
        );
        line("TRANSP:TRANSPARENT".into());
        if let (Some(days @ 1..), EventStatus::Confirmed) = (event.alarm_lead_days, event.status) {
            line("BEGIN:VALARM".into());
            line("ACTION:DISPLAY".into());
            line(format!("DESCRIPTION:{}", escape_text(&event.summary)));
            line(format!("TRIGGER:-P{days}D"));
            line("END:VALARM".into());
        }
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

/// DTSTART and the exclusive DTEND of an all-day span.
fn all_day(line: &mut impl FnMut(String), first: Date, last: Date) {
    line(format!("DTSTART;VALUE=DATE:{}", ymd(first)));
    match last.tomorrow() {
        Ok(end) => line(format!("DTEND;VALUE=DATE:{}", ymd(end))),
        // The day after 9999-12-31 does not exist in jiff's calendar; a DURATION says the
        // same thing without naming that day (and never a zero-length DTEND = DTSTART).
        Err(_) => {
            let days = first.until(last).map(|s| s.get_days()).unwrap_or(0);
            line(format!("DURATION:P{}D", i64::from(days) + 1));
        }
    }
}

fn ymd(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

fn utc(t: Timestamp) -> String {
    let dt = t.to_zoned(TimeZone::UTC).datetime();
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// Folds one logical content line: every physical line is at most 75 octets before its
/// CRLF, continuation lines start with one space, and no UTF-8 character is split.
pub fn fold_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 64 * 3 + 2);
    let mut room = MAX_LINE_OCTETS;
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > room {
            out.push_str("\r\n ");
            // The leading space is part of the continuation line's 75 octets.
            room = MAX_LINE_OCTETS - 1;
            used = 0;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
    out
}

/// Undoes folding: removes every line break followed by one space or tab. Other line
/// breaks (the ends of logical lines) stay.
pub fn unfold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("\r\n") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        match after.as_bytes().first() {
            Some(b' ' | b'\t') => rest = &after[1..],
            _ => {
                out.push_str("\r\n");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, `;`, `,` and line breaks.
///
/// CRLF and a lone CR are written as `\n` like LF: TEXT has no escape for CR, and a raw
/// CR would end the line for many readers. So [`unescape_text`] gives back the text with
/// its line breaks as LF, and the exact text for anything without CR.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            c => out.push(c),
        }
    }
    out
}

/// Reads back a TEXT value; an unknown escape is kept as written.
pub fn unescape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(e @ ('\\' | ';' | ',')) => out.push(e),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}
