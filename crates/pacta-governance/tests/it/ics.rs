//! ics tests.

#![allow(clippy::unwrap_used)]

use jiff::Timestamp;
use jiff::civil::date;
use pacta_governance::ics::{
    CalendarEvent, EventStatus, EventWhen, escape_text, fold_line, unescape_text, unfold,
    write_calendar,
};
use proptest::prelude::*;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn sample() -> String {
    let events = vec![
        CalendarEvent {
            uid: "report/2026-10@pacta".into(),
            sequence: 0,
            summary: "Monthly SLA report due, October 2026".into(),
            description: "Send the report; credits are computed from it.".into(),
            when: EventWhen::Date(date(2026, 11, 5)),
            status: EventStatus::Confirmed,
            alarm_lead_days: Some(3),
        },
        CalendarEvent {
            uid: "notice/renewal-2029@pacta".into(),
            sequence: 2,
            summary: "Non-renewal notice window".into(),
            description: String::new(),
            when: EventWhen::Window {
                first: date(2028, 8, 3),
                last: date(2028, 9, 2),
            },
            status: EventStatus::Confirmed,
            alarm_lead_days: Some(0),
        },
        CalendarEvent {
            uid: "dispute/credit,SL-VOICE;2026-10@pacta".into(),
            sequence: 1,
            summary: "Escalate dispute credit/SL-VOICE".into(),
            description: "Line 1\nLine 2, with a comma; and a \\ backslash".into(),
            when: EventWhen::Instant(ts("2026-11-20T05:00:00Z")),
            status: EventStatus::Confirmed,
            alarm_lead_days: Some(1),
        },
        CalendarEvent {
            uid: "invoice/2026-09@pacta".into(),
            sequence: 3,
            summary: "Invoice due (withdrawn)".into(),
            description: String::new(),
            when: EventWhen::Date(date(2026, 10, 5)),
            status: EventStatus::Cancelled,
            alarm_lead_days: Some(5),
        },
        CalendarEvent {
            uid: "es/informe-2026-10@pacta".into(),
            sequence: 0,
            summary: "Vencimiento del informe mensual de niveles de servicio: atención telefónica \
                      en Mánila, señalización y penalizaciones 📞🇵🇭✅ — revisión ejecutiva"
                .into(),
            description: "Día límite según la cláusula 7.2; ¿acuerdo? ¡Sí! ñandú, pingüino, acción"
                .into(),
            when: EventWhen::Date(date(2026, 11, 5)),
            status: EventStatus::Confirmed,
            alarm_lead_days: Some(2),
        },
    ];
    write_calendar(
        "Pacta: Bank, inbound; Manila",
        ts("2026-10-01T08:30:00Z"),
        &events,
    )
}

#[test]
fn calendar_snapshot() {
    let text = sample();
    // CRLF is made visible so that the snapshot file keeps it.
    insta::assert_snapshot!(text.replace("\r\n", "␍␊\n"));
}

#[test]
fn every_line_short_and_crlf() {
    let text = sample();
    assert!(text.ends_with("\r\n"));
    let body = text.strip_suffix("\r\n").unwrap();
    for line in body.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "bare line break in {line:?}"
        );
    }
    // The long Spanish summary needed folding.
    assert!(text.contains("\r\n "));
}

#[test]
fn all_day_end_is_exclusive_and_never_panics_at_the_end_of_time() {
    let ev = |when| CalendarEvent {
        uid: "x@pacta".into(),
        sequence: 0,
        summary: "x".into(),
        description: String::new(),
        when,
        status: EventStatus::Confirmed,
        alarm_lead_days: None,
    };
    let text = write_calendar(
        "x",
        ts("2026-01-01T00:00:00Z"),
        &[
            ev(EventWhen::Date(date(2026, 12, 31))),
            ev(EventWhen::Date(jiff::civil::Date::MAX)),
            ev(EventWhen::Window {
                first: date(9999, 12, 30),
                last: jiff::civil::Date::MAX,
            }),
        ],
    );
    assert!(text.contains("DTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270101\r\n"));
    assert!(text.contains("DTSTART;VALUE=DATE:99991231\r\nDURATION:P1D\r\n"));
    assert!(text.contains("DTSTART;VALUE=DATE:99991230\r\nDURATION:P2D\r\n"));
    assert!(!text.contains("VALARM"));
}

#[test]
fn escaping_by_hand() {
    assert_eq!(escape_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    assert_eq!(
        unescape_text("a\\,b\\;c\\\\d\\ne\\Nf\\x\\"),
        "a,b;c\\d\ne\nf\\x\\"
    );
    assert_eq!(escape_text("a\r\nb\rc"), "a\\nb\\nc");
}

#[test]
fn folding_by_hand() {
    let line = "A".repeat(75);
    assert_eq!(fold_line(&line), format!("{line}\r\n"));
    let line = "A".repeat(76);
    assert_eq!(fold_line(&line), format!("{}\r\n A\r\n", "A".repeat(75)));
    // A 4-octet character that would end at octet 76 moves whole to the next line.
    let line = format!("{}😀", "A".repeat(72));
    assert_eq!(fold_line(&line), format!("{}\r\n 😀\r\n", "A".repeat(72)));
    assert_eq!(unfold("AB\r\n C\r\n\tD\r\nE\r\n"), "ABCD\r\nE\r\n");
}

fn tricky_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just('é'),
            Just('ñ'),
            Just('😀'),
            Just('中'),
            Just(','),
            Just(';'),
            Just('\\'),
            Just('\n'),
            Just(' '),
            Just('\t'),
            Just('a'),
            Just('N'),
            Just('n'),
        ],
        0..300,
    )
    .prop_map(|cs| cs.into_iter().collect())
}

fn round_trip(s: &str) -> String {
    let folded = fold_line(&format!("SUMMARY:{}", escape_text(s)));
    let unfolded = unfold(&folded);
    let value = unfolded
        .strip_prefix("SUMMARY:")
        .unwrap()
        .strip_suffix("\r\n")
        .unwrap();
    unescape_text(value)
}

fn check_physical_lines(folded: &str) {
    assert!(folded.ends_with("\r\n"));
    let body = folded.strip_suffix("\r\n").unwrap();
    for (i, line) in body.split("\r\n").enumerate() {
        assert!(line.len() <= 75, "{} octets", line.len());
        if i > 0 {
            assert!(line.starts_with(' '));
        }
    }
}

proptest! {
    #[test]
    fn any_text_round_trips(s in any::<String>()) {
        // Text has no escape for CR (see escape_text): its line breaks come back as LF.
        let expected = s.replace("\r\n", "\n").replace('\r', "\n");
        prop_assert_eq!(round_trip(&s), expected);
    }

    #[test]
    fn tricky_text_round_trips_exactly(s in tricky_text()) {
        prop_assert_eq!(round_trip(&s), s);
    }

    #[test]
    fn folded_lines_are_short_and_whole_utf8(s in any::<String>(), t in tricky_text()) {
        for text in [s, t] {
            let folded = fold_line(&format!("DESCRIPTION:{}", escape_text(&text)));
            // Split on bytes so that a split character would show as invalid UTF-8.
            for physical in folded.as_bytes().split(|&b| b == b'\n') {
                let physical = physical.strip_suffix(b"\r").unwrap_or(physical);
                prop_assert!(physical.len() <= 75);
                prop_assert!(std::str::from_utf8(physical).is_ok());
            }
            check_physical_lines(&folded);
        }
    }
}

/// Writes the sample calendar for `.ci/check_ics.py` when `PACTA_ICS_SAMPLE` names a
/// file; a no-op otherwise.
#[test]
fn write_sample_for_ci_check() {
    if let Ok(path) = std::env::var("PACTA_ICS_SAMPLE") {
        std::fs::write(path, sample()).unwrap();
    }
}
