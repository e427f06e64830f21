//! CSV writers for every generated data set, to a caller-provided [`Write`].
//!
//! Conventions shared by all files (RFC 4180, UTF-8, `\n` line ends, one header line):
//!
//! - instants are RFC 3339 in UTC with milliseconds: `2026-03-02T01:23:45.120Z`;
//! - durations are seconds, written as integers (`330`) or with up to three decimals;
//! - dates are `YYYY-MM-DD` (local calendar dates of the contract's time zone);
//! - an absent optional value is an empty field;
//! - booleans are `true` / `false`;
//! - fields containing a comma, a quote or a line break are quoted, quotes doubled.
//!
//! Headers (the canonical field names of `docs/spec/data-model.md`):
//!
//! | file | header |
//! |---|---|
//! | interactions | [`INTERACTIONS_HEADER`] |
//! | surveys | [`SURVEYS_HEADER`] |
//! | QA (one row per item) | [`QA_HEADER`] |
//! | roster | [`ROSTER_HEADER`] |
//! | training | [`TRAINING_HEADER`] |
//! | agent days | [`AGENT_DAYS_HEADER`] |
//! | incidents (`queues` `;`-separated, empty = all) | [`INCIDENTS_HEADER`] |

use std::io::{self, Write};

use pacta_data::model::{
    AgentDay, Incident, IncidentKind, Interaction, QaEvaluation, RosterEntry, Separation, Survey,
    TrainingKind, TrainingRecord,
};

/// Header of `interactions.csv`. `channel` and `outcome` use the machine names of the data
/// model (`voice_in`, `answered`, …); `arrived_at`, `answered_at`, `ended_at` and
/// `first_response_at` are RFC 3339 UTC instants; `talk_s`, `hold_s`, `wrap_s` are seconds.
pub const INTERACTIONS_HEADER: &str = "source_id,channel,queue,site,language,customer_key,arrived_at,answered_at,ended_at,outcome,talk_s,hold_s,wrap_s,agent_key,disposition,first_response_at";
/// Header of `surveys.csv` (`interaction_id` is the interaction's `source_id`; `csat` 1–5,
/// `nps` 0–10, `resolved` true/false, `answered_at` an RFC 3339 UTC instant).
pub const SURVEYS_HEADER: &str = "interaction_id,csat,nps,resolved,answered_at";
/// Header of `qa.csv`: one row per item of an evaluation.
pub const QA_HEADER: &str =
    "evaluation_id,interaction_id,agent_key,evaluated_at,item,score,max,weight,critical";
/// Header of `roster.csv` (`separation` is `voluntary` or `involuntary`).
pub const ROSTER_HEADER: &str = "agent_key,site,hired_on,left_on,separation";
/// Header of `training.csv` (`kind` is `initial` or `ongoing`).
pub const TRAINING_HEADER: &str = "agent_key,date,hours,kind";
/// Header of `agent_days.csv` (minutes).
pub const AGENT_DAYS_HEADER: &str =
    "agent_key,date,scheduled_min,logged_min,adherent_min,handling_min,available_min,night_min";
/// Header of `incidents.csv` (`kind` is `outage`, `force_majeure`, `security_breach` or
/// `client_caused`).
pub const INCIDENTS_HEADER: &str = "incident_id,kind,start,end,queues,declared_by,accepted";

/// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn push_digits(out: &mut String, v: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut i = buf.len();
    let mut v = v;
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    let start = i.min(buf.len() - width.min(buf.len()));
    for &b in &buf[start..] {
        out.push(char::from(b));
    }
}

/// Appends an instant (UTC ms) as RFC 3339 with milliseconds.
pub fn push_instant(out: &mut String, ms: i64) {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000) as u64;
    let (y, mo, d) = civil_from_days(days);
    if !(0..=9999).contains(&y) {
        use std::fmt::Write as _;
        let _ = write!(out, "{y:04}");
    } else {
        push_digits(out, y as u64, 4);
    }
    out.push('-');
    push_digits(out, u64::from(mo), 2);
    out.push('-');
    push_digits(out, u64::from(d), 2);
    out.push('T');
    push_digits(out, rem / 3_600_000, 2);
    out.push(':');
    push_digits(out, rem / 60_000 % 60, 2);
    out.push(':');
    push_digits(out, rem / 1000 % 60, 2);
    out.push('.');
    push_digits(out, rem % 1000, 3);
    out.push('Z');
}

/// Appends a duration (ms) as seconds.
fn push_seconds(out: &mut String, ms: i64) {
    if ms < 0 {
        out.push('-');
    }
    let a = ms.unsigned_abs();
    push_digits(out, a / 1000, 1);
    if !a.is_multiple_of(1000) {
        out.push('.');
        let mut frac = a % 1000;
        let mut width = 3;
        while frac.is_multiple_of(10) {
            frac /= 10;
            width -= 1;
        }
        push_digits(out, frac, width);
    }
}

fn push_text(out: &mut String, s: &str) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

fn push_opt_text(out: &mut String, s: Option<&str>) {
    if let Some(s) = s {
        push_text(out, s);
    }
}

fn push_opt_instant(out: &mut String, ms: Option<i64>) {
    if let Some(ms) = ms {
        push_instant(out, ms);
    }
}

fn push_opt_seconds(out: &mut String, ms: Option<i64>) {
    if let Some(ms) = ms {
        push_seconds(out, ms);
    }
}

fn header<W: Write>(w: &mut W, h: &str) -> io::Result<()> {
    w.write_all(h.as_bytes())?;
    w.write_all(b"\n")
}

/// Appends one interaction as a CSV line (with its `\n`).
pub fn push_interaction(out: &mut String, i: &Interaction) {
    push_text(out, &i.source_id);
    out.push(',');
    out.push_str(i.channel.as_str());
    out.push(',');
    push_text(out, &i.queue);
    out.push(',');
    push_opt_text(out, i.site.as_deref());
    out.push(',');
    push_opt_text(out, i.language.as_deref());
    out.push(',');
    push_opt_text(out, i.customer_key.as_deref());
    out.push(',');
    push_instant(out, i.arrived_at_ms);
    out.push(',');
    push_opt_instant(out, i.answered_at_ms);
    out.push(',');
    push_opt_instant(out, i.ended_at_ms);
    out.push(',');
    out.push_str(i.outcome.as_str());
    out.push(',');
    push_opt_seconds(out, i.talk_ms);
    out.push(',');
    push_opt_seconds(out, i.hold_ms);
    out.push(',');
    push_opt_seconds(out, i.wrap_ms);
    out.push(',');
    push_opt_text(out, i.agent_key.as_deref());
    out.push(',');
    push_opt_text(out, i.disposition.as_deref());
    out.push(',');
    push_opt_instant(out, i.first_response_at_ms);
    out.push('\n');
}

/// Writes the [`INTERACTIONS_HEADER`] line.
pub fn write_interactions_header<W: Write>(w: &mut W) -> io::Result<()> {
    header(w, INTERACTIONS_HEADER)
}

/// Writes interactions without a header (for appending chunks).
pub fn write_interactions_rows<W: Write>(w: &mut W, rows: &[Interaction]) -> io::Result<()> {
    let mut buf = String::with_capacity(64 * 1024);
    for i in rows {
        push_interaction(&mut buf, i);
        if buf.len() >= 60 * 1024 {
            w.write_all(buf.as_bytes())?;
            buf.clear();
        }
    }
    w.write_all(buf.as_bytes())
}

/// Writes interactions with the [`INTERACTIONS_HEADER`] line.
pub fn write_csv<W: Write>(w: &mut W, rows: &[Interaction]) -> io::Result<()> {
    write_interactions_header(w)?;
    write_interactions_rows(w, rows)
}

/// Writes the [`SURVEYS_HEADER`] line.
pub fn write_surveys_header<W: Write>(w: &mut W) -> io::Result<()> {
    header(w, SURVEYS_HEADER)
}

/// Writes surveys without a header.
pub fn write_surveys_rows<W: Write>(w: &mut W, rows: &[Survey]) -> io::Result<()> {
    use std::fmt::Write as _;
    let mut b = String::with_capacity(rows.len() * 64);
    for s in rows {
        push_text(&mut b, &s.interaction_id);
        b.push(',');
        if let Some(c) = s.csat {
            let _ = write!(b, "{c}");
        }
        b.push(',');
        if let Some(n) = s.nps {
            let _ = write!(b, "{n}");
        }
        b.push(',');
        if let Some(r) = s.resolved {
            b.push_str(if r { "true" } else { "false" });
        }
        b.push(',');
        push_instant(&mut b, s.answered_at_ms);
        b.push('\n');
    }
    w.write_all(b.as_bytes())
}

/// Writes surveys with the header.
pub fn write_surveys_csv<W: Write>(w: &mut W, rows: &[Survey]) -> io::Result<()> {
    write_surveys_header(w)?;
    write_surveys_rows(w, rows)
}

/// Writes QA evaluations with the [`QA_HEADER`], one row per item.
pub fn write_qa_csv<W: Write>(w: &mut W, rows: &[QaEvaluation]) -> io::Result<()> {
    use std::fmt::Write as _;
    header(w, QA_HEADER)?;
    let mut b = String::new();
    for e in rows {
        for it in &e.items {
            push_text(&mut b, &e.evaluation_id);
            b.push(',');
            push_opt_text(&mut b, e.interaction_id.as_deref());
            b.push(',');
            push_text(&mut b, &e.agent_key);
            b.push(',');
            push_instant(&mut b, e.evaluated_at_ms);
            b.push(',');
            push_text(&mut b, &it.item);
            let _ = write!(b, ",{},{},{},{}", it.score, it.max, it.weight, it.critical);
            b.push('\n');
        }
    }
    w.write_all(b.as_bytes())
}

/// Writes the roster with the [`ROSTER_HEADER`].
pub fn write_roster_csv<W: Write>(w: &mut W, rows: &[RosterEntry]) -> io::Result<()> {
    use std::fmt::Write as _;
    header(w, ROSTER_HEADER)?;
    let mut b = String::new();
    for r in rows {
        push_text(&mut b, &r.agent_key);
        b.push(',');
        push_opt_text(&mut b, r.site.as_deref());
        let _ = write!(b, ",{},", r.hired_on);
        if let Some(d) = r.left_on {
            let _ = write!(b, "{d}");
        }
        b.push(',');
        b.push_str(match r.separation {
            Some(Separation::Voluntary) => "voluntary",
            Some(Separation::Involuntary) => "involuntary",
            None => "",
        });
        b.push('\n');
    }
    w.write_all(b.as_bytes())
}

/// Writes training records with the [`TRAINING_HEADER`].
pub fn write_training_csv<W: Write>(w: &mut W, rows: &[TrainingRecord]) -> io::Result<()> {
    use std::fmt::Write as _;
    header(w, TRAINING_HEADER)?;
    let mut b = String::new();
    for r in rows {
        push_text(&mut b, &r.agent_key);
        let kind = match r.kind {
            TrainingKind::Initial => "initial",
            TrainingKind::Ongoing => "ongoing",
        };
        let _ = writeln!(b, ",{},{},{kind}", r.date, r.hours);
    }
    w.write_all(b.as_bytes())
}

/// Writes agent days with the [`AGENT_DAYS_HEADER`].
pub fn write_agent_days_csv<W: Write>(w: &mut W, rows: &[AgentDay]) -> io::Result<()> {
    use std::fmt::Write as _;
    header(w, AGENT_DAYS_HEADER)?;
    let mut b = String::new();
    for r in rows {
        push_text(&mut b, &r.agent_key);
        let _ = writeln!(
            b,
            ",{},{},{},{},{},{},{}",
            r.date,
            r.scheduled_min,
            r.logged_min,
            r.adherent_min,
            r.handling_min,
            r.available_min,
            r.night_min
        );
    }
    w.write_all(b.as_bytes())
}

/// Writes incidents with the [`INCIDENTS_HEADER`].
pub fn write_incidents_csv<W: Write>(w: &mut W, rows: &[Incident]) -> io::Result<()> {
    header(w, INCIDENTS_HEADER)?;
    let mut b = String::new();
    for r in rows {
        push_text(&mut b, &r.incident_id);
        b.push(',');
        b.push_str(match r.kind {
            IncidentKind::Outage => "outage",
            IncidentKind::ForceMajeure => "force_majeure",
            IncidentKind::SecurityBreach => "security_breach",
            IncidentKind::ClientCaused => "client_caused",
        });
        b.push(',');
        push_instant(&mut b, r.start_ms);
        b.push(',');
        push_instant(&mut b, r.end_ms);
        b.push(',');
        push_text(&mut b, &r.queues.join(";"));
        b.push(',');
        push_text(&mut b, &r.declared_by);
        b.push(',');
        b.push_str(if r.accepted { "true" } else { "false" });
        b.push('\n');
    }
    w.write_all(b.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_match_jiff() {
        for ms in [
            0i64,
            1_772_323_200_123,
            -1,
            951_782_400_000,
            4_102_444_799_999,
            1_709_164_800_000,
        ] {
            let mut s = String::new();
            push_instant(&mut s, ms);
            let ts = jiff::Timestamp::from_millisecond(ms).expect("in range");
            assert_eq!(
                s,
                format!("{}", ts.strftime("%Y-%m-%dT%H:%M:%S.%3fZ")),
                "{ms}"
            );
            assert_eq!(s.parse::<jiff::Timestamp>().expect("parses"), ts);
        }
    }

    #[test]
    fn seconds_and_quoting() {
        let mut s = String::new();
        push_seconds(&mut s, 330_000);
        s.push(' ');
        push_seconds(&mut s, 1_250);
        s.push(' ');
        push_seconds(&mut s, 1_005);
        s.push(' ');
        push_seconds(&mut s, 0);
        s.push(' ');
        push_text(&mut s, "a,\"b\"");
        assert_eq!(s, "330 1.25 1.005 0 \"a,\"\"b\"\"\"");
    }
}
