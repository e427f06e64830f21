//! Bad inputs: each is quarantined with its location and reason, or refused before anything
//! is written, never silently dropped. Plus Amazon Connect and raw Asterisk fixtures.

use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;
use pacta_data::DataError;
use pacta_data::import::{Format, ImportOptions, Mapping, import_interactions};
use pacta_data::model::Outcome;
use pacta_data::pseudo::Pseudonymizer;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(name)
}

fn pseudo() -> Pseudonymizer {
    Pseudonymizer::from_key([3; 32])
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p
}

fn first_lines(name: &str, n: usize) -> String {
    std::fs::read_to_string(data(name))
        .expect("read")
        .lines()
        .take(n)
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn anonbank_truncated_last_row_is_quarantined() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut text = first_lines("anonbank-august.csv", 25);
    text.push_str("AA0213,24281,33052234,1,PS,2010-08-01,10:00:45\n");
    let path = write(dir.path(), "cut.csv", &text);
    let p = pseudo();
    let opts = ImportOptions::new(TimeZone::get("Asia/Jerusalem").expect("tz"), &p);
    let out = import_interactions(Format::Anonbank, &[path.as_path()], &opts).expect("import");
    assert_eq!(out.report.rows_read, 25);
    assert_eq!(out.report.quarantined.len(), 1);
    let q = &out.report.quarantined[0];
    assert_eq!((q.row, q.field.as_str()), (26, "*"));
    assert_eq!(q.reason, "row has 7 field(s), expected 17 (truncated row?)");
    assert!(
        !q.value.contains("33052234"),
        "customer ids stay out of the quarantine"
    );
    assert!(out.report.reconciles());
}

#[test]
fn anonbank_unknown_type_and_bad_time_are_quarantined() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut text = first_lines("anonbank-august.csv", 1);
    text.push_str("AA0213,1,0,1,AA,2010-08-01,10:00:45,10:00:51,6,10:00:51,10:01:33,42,AGENT,10:01:32,10:03:08,96,VICKY\n");
    text.push_str("AA0213,2,0,1,PS,2010-08-01,10:00:45,10:0x:51,6,10:00:51,10:01:33,42,AGENT,10:01:32,10:03:08,96,VICKY\n");
    text.push_str("AA0213,3,0,1,PS,2010-08-01,10:00:45,10:00:51,6,10:00:51,10:01:33,42,BUSY,10:01:32,10:03:08,96,VICKY\n");
    let path = write(dir.path(), "bad.csv", &text);
    let p = pseudo();
    let opts = ImportOptions::new(TimeZone::get("Asia/Jerusalem").expect("tz"), &p);
    let out = import_interactions(Format::Anonbank, &[path.as_path()], &opts).expect("import");
    let q: Vec<(u64, &str, &str)> = out
        .report
        .quarantined
        .iter()
        .map(|q| (q.row, q.field.as_str(), q.value.as_str()))
        .collect();
    assert_eq!(
        q,
        vec![
            (2, "type", "AA"),
            (3, "vru_exit", "10:0x:51"),
            (4, "outcome", "BUSY")
        ]
    );
    assert!(
        out.report.quarantined[0]
            .reason
            .contains("expected one of PS, PE, IN, NE, NW, TT")
    );
    assert!(out.report.reconciles());
}

#[test]
fn wrong_delimiter_is_named() {
    let dir = tempfile::tempdir().expect("tmp");
    let text = first_lines("anonbank-august.csv", 3).replace(',', ";");
    let path = write(dir.path(), "semi.csv", &text);
    let p = pseudo();
    let opts = ImportOptions::new(TimeZone::UTC, &p);
    let err =
        import_interactions(Format::Anonbank, &[path.as_path()], &opts).expect_err("delimiter");
    assert!(
        matches!(err, DataError::WrongDelimiter { guess: ';', .. }),
        "{err}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("found one column `vru+line;call_id;customer_id;"),
        "{msg}"
    );
    assert!(msg.contains("wrong delimiter?"), "{msg}");
}

#[test]
fn missing_required_column_is_named() {
    let dir = tempfile::tempdir().expect("tmp");
    let text = first_lines("anonbank-august.csv", 3).replace("q_time", "qtime");
    let path = write(dir.path(), "nocol.csv", &text);
    let p = pseudo();
    let opts = ImportOptions::new(TimeZone::UTC, &p);
    let err = import_interactions(Format::Anonbank, &[path.as_path()], &opts).expect_err("missing");
    assert!(
        matches!(&err, DataError::MissingColumn { column, .. } if column == "q_time"),
        "{err}"
    );

    // Generic CSV: the mapped column is named.
    let path = write(
        dir.path(),
        "g.csv",
        "id,queue,start\n1,Q,2024-01-01 10:00:00\n",
    );
    let m = Mapping::from_toml(
        "[mapping]\nsource_id = \"id\"\narrived_at = \"start\"\noutcome = \"result\"\n",
    )
    .expect("m");
    let mut opts = ImportOptions::new(TimeZone::UTC, &p);
    opts.mapping = Some(&m);
    let err = import_interactions(Format::Csv, &[path.as_path()], &opts).expect_err("missing");
    assert!(
        err.to_string().contains("missing required column `result`"),
        "{err}"
    );
}

#[test]
fn unknown_timestamp_format_is_quarantined_with_value_and_expected_format() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = write(
        dir.path(),
        "ts.csv",
        "id;queue;start;result;wait\n1;Q;01/03/2024 10:00:00;answered;5\n2;Q;2024-03-01T10:00:00;answered;5\n3;Q;01/03/2024 10:05:00;abandoned;30\n",
    );
    let m = Mapping::from_toml(
        "timestamp_format = \"%d/%m/%Y %H:%M:%S\"\ntime_zone = \"America/Bogota\"\ndelimiter = \";\"\n[mapping]\nsource_id = \"id\"\narrived_at = \"start\"\noutcome = \"result\"\nwait_s = \"wait\"\n",
    )
    .expect("m");
    let p = pseudo();
    let mut opts = ImportOptions::new(TimeZone::UTC, &p);
    opts.mapping = Some(&m);
    let out = import_interactions(Format::Csv, &[path.as_path()], &opts).expect("import");
    assert_eq!(out.report.imported, 2);
    let q = &out.report.quarantined;
    assert_eq!(q.len(), 1);
    assert_eq!(
        (q[0].row, q[0].field.as_str(), q[0].value.as_str()),
        (3, "start", "2024-03-01T10:00:00")
    );
    assert_eq!(
        q[0].reason,
        "`2024-03-01T10:00:00` does not match the expected format `%d/%m/%Y %H:%M:%S`"
    );
    // 10:00 in Bogotá (UTC−5) is 15:00 UTC.
    let rows = out.batch.to_interactions();
    assert_eq!(
        rows[0].arrived_at_ms,
        "2024-03-01T15:00:00Z"
            .parse::<jiff::Timestamp>()
            .expect("t")
            .as_millisecond()
    );
    assert_eq!(rows[0].wait_ms(), Some(5_000));
    assert_eq!(rows[1].outcome, Outcome::Abandoned);
    assert_eq!(rows[1].wait_ms(), Some(30_000));
}

#[test]
fn amazon_connect_duplicates_collapse_to_the_latest() {
    let dir = tempfile::tempdir().expect("tmp");
    let rec = |id: &str, upd: &str, connected: Option<&str>, talk: u32| {
        let agent = match connected {
            Some(c) => format!(
                r#"{{"ConnectedToAgentTimestamp":"{c}","AgentInteractionDuration":{talk},"CustomerHoldDuration":7,"AfterContactWorkDuration":20,"Username":"maria","Unknown":1}}"#
            ),
            None => "null".into(),
        };
        format!(
            r#"{{"ContactId":"{id}","Channel":"VOICE","InitiationMethod":"INBOUND","InitiationTimestamp":"2024-05-02T14:00:00Z","DisconnectTimestamp":"2024-05-02T14:10:00Z","LastUpdateTimestamp":"{upd}","Queue":{{"Name":"Billing","EnqueueTimestamp":"2024-05-02T14:00:30Z","DequeueTimestamp":"2024-05-02T14:01:00Z","Duration":30}},"Agent":{agent},"CustomerEndpoint":{{"Address":"+14155550100","Type":"TELEPHONE_NUMBER"}},"SomethingNew":{{"x":1}}}}"#
        )
    };
    let text = [
        rec("c-1", "2024-05-02T14:10:05Z", Some("2024-05-02T14:01:00Z"), 300),
        rec("c-1", "2024-05-02T14:12:00Z", Some("2024-05-02T14:01:00Z"), 310),
        rec("c-1", "2024-05-02T14:11:00Z", Some("2024-05-02T14:01:00Z"), 305),
        rec("c-2", "2024-05-02T14:10:05Z", None, 0),
        r#"{"ContactId":"c-3","Channel":"VOICE","LastUpdateTimestamp":"2024-05-02T14:10:05Z","Queue":null,"Agent":null}"#.to_string(),
    ]
    .join("\n");
    let path = write(dir.path(), "ctr.jsonl", &text);
    let p = pseudo();
    let opts = ImportOptions::new(TimeZone::UTC, &p);
    let out = import_interactions(Format::AmazonConnect, &[path.as_path()], &opts).expect("import");
    let r = &out.report;
    assert_eq!((r.rows_read, r.imported, r.not_offered), (5, 2, 1));
    assert_eq!(r.dropped.get("superseded ContactId duplicate"), Some(&2));
    assert!(r.reconciles());
    let rows = out.batch.to_interactions();
    let c1 = rows.iter().find(|i| i.source_id == "c-1").expect("c-1");
    assert_eq!(
        c1.talk_ms,
        Some(310_000),
        "the latest LastUpdateTimestamp wins"
    );
    assert_eq!((c1.hold_ms, c1.wrap_ms), (Some(7_000), Some(20_000)));
    assert_eq!(c1.wait_ms(), Some(30_000));
    assert_eq!(c1.customer_key, p.hex("+14155550100"));
    let c2 = rows.iter().find(|i| i.source_id == "c-2").expect("c-2");
    assert_eq!(c2.outcome, Outcome::Abandoned);

    // The same records as a JSON array give the same result.
    let path = write(
        dir.path(),
        "ctr.json",
        &format!("[{}]", text.replace('\n', ",")),
    );
    let out2 =
        import_interactions(Format::AmazonConnect, &[path.as_path()], &opts).expect("import");
    assert_eq!(out2.batch.to_interactions(), rows);
}

#[test]
fn asterisk_raw_out_of_order_transfers_and_exits() {
    let dir = tempfile::tempdir().expect("tmp");
    // Lines deliberately out of order; Asterisk 11 TRANSFER and 13 ATTENDEDTRANSFER; an
    // EXITWITHKEY, an EXITEMPTY, an orphan CONNECT, an open call, a vendor event.
    let text = "\
1700000100|c1|sales|Agent/1|COMPLETECALLER|20|80|1
1700000000|c1|sales|NONE|ENTERQUEUE||+34600111222|1
1700000020|c1|sales|Agent/1|CONNECT|20|c1.2|3
1700000000|c2|sales|NONE|ENTERQUEUE||+34600333444|1
1700000010|c2|sales|Agent/2|RINGNOANSWER|15000
1700000030|c2|sales|Agent/3|CONNECT|30|c2.1|2
1700000090|c2|sales|Agent/3|TRANSFER|2001|default|30|60|1
1700000000|c3|support|NONE|ENTERQUEUE||+34600555666|1
1700000040|c3|support|Agent/4|CONNECT|40|c3.1|2
1700000100|c3|support|Agent/4|ATTENDEDTRANSFER|BRIDGE|b1|40|60|1
1700000000|c4|support|NONE|ENTERQUEUE||anonymous|1
1700000045|c4|support|NONE|EXITWITHKEY|5|1|1|45
1700000000|c5|support|NONE|ENTERQUEUE|||1
1700000012|c5|support|NONE|EXITEMPTY|1|1|12
1700000050|c6|support|Agent/4|CONNECT|10|c6.1|2
1700000000|c7|support|NONE|ENTERQUEUE||+34600777888|1
1700000000|NONE|NONE|Agent/4|PAUSEALL|
1700000000|c8|support|NONE|VENDORTHING|x
1700000000|c9
";
    let path = write(dir.path(), "queue_log", text);
    let p = pseudo();
    let opts = ImportOptions::new(TimeZone::UTC, &p);
    let out = import_interactions(Format::Asterisk, &[path.as_path()], &opts).expect("import");
    let r = &out.report;
    assert_eq!(r.rows_read, 19);
    assert_eq!(r.imported, 6);
    assert!(r.reconciles(), "{r:?}");
    let q: Vec<(u64, &str)> = r
        .quarantined
        .iter()
        .map(|q| (q.row, q.field.as_str()))
        .collect();
    assert_eq!(q, vec![(19, "*"), (15, "event")]);
    assert!(
        r.quarantined[1]
            .reason
            .contains("CONNECT without an ENTERQUEUE")
    );
    let rows = out.batch.to_interactions();
    let get = |id: &str| rows.iter().find(|i| i.source_id == id).expect(id).clone();
    let c1 = get("c1/sales");
    assert_eq!(
        (c1.outcome, c1.wait_ms(), c1.talk_ms),
        (Outcome::Answered, Some(20_000), Some(80_000))
    );
    assert_eq!(c1.customer_key, p.hex("+34600111222"));
    let c2 = get("c2/sales");
    assert_eq!(
        (c2.talk_ms, c2.disposition.as_deref()),
        (Some(60_000), Some("transferred"))
    );
    assert_eq!(c2.agent_key.as_deref(), Some("Agent/3"));
    let c3 = get("c3/support");
    assert_eq!((c3.wait_ms(), c3.talk_ms), (Some(40_000), Some(60_000)));
    let c4 = get("c4/support");
    assert_eq!(
        (c4.outcome, c4.wait_ms()),
        (Outcome::Callback, Some(45_000))
    );
    let c5 = get("c5/support");
    assert_eq!(
        (c5.outcome, c5.wait_ms(), c5.customer_key),
        (Outcome::QueueEmpty, Some(12_000), None)
    );
    assert_eq!(get("c7/support").outcome, Outcome::InProgress);
}

#[test]
fn impossible_rows_are_quarantined_with_their_reason() {
    // Issue 13, defects 7 and 8: a duration that would overflow the sums, an answer before the
    // arrival (an ASA of 0, answered in time), and years no month partition can name.
    let dir = tempfile::tempdir().expect("tmp");
    let path = write(
        dir.path(),
        "calls.csv",
        "source_id,queue,arrived_at,answered_at,outcome,talk_s\n\
         ok,cards,2026-10-01T09:00:00Z,2026-10-01T09:00:10Z,answered,60\n\
         huge,cards,2026-10-01T09:01:00Z,2026-10-01T09:01:10Z,answered,9223372036854775\n\
         early,cards,2026-10-01T09:02:00Z,2026-10-01T08:02:00Z,answered,60\n\
         far,cards,9999-10-01T09:03:00Z,9999-10-01T09:03:10Z,answered,60\n",
    );
    let p = pseudo();
    let opts = ImportOptions::new(TimeZone::UTC, &p);
    let out = import_interactions(Format::Csv, &[path.as_path()], &opts).expect("import");
    assert_eq!(out.report.imported, 1);
    let reasons: Vec<(u64, &str, &str)> = out
        .report
        .quarantined
        .iter()
        .map(|q| (q.row, q.field.as_str(), q.reason.as_str()))
        .collect();
    assert_eq!(
        reasons,
        [
            (
                3,
                "talk_s",
                "more than 30 days: not a duration of one contact"
            ),
            (4, "answered_at", "answered_at is before arrived_at"),
            (
                5,
                "arrived_at",
                "arrived_at is outside the years 1900 to 9998"
            ),
        ]
    );
    assert!(out.report.reconciles());
}

#[test]
fn a_repeated_header_column_is_an_error() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = write(
        dir.path(),
        "calls.csv",
        "source_id,queue,arrived_at,outcome,queue\nx,a,2026-10-01T09:00:00Z,abandoned,b\n",
    );
    let p = pseudo();
    let opts = ImportOptions::new(TimeZone::UTC, &p);
    let err = import_interactions(Format::Csv, &[path.as_path()], &opts).expect_err("refused");
    assert!(
        err.to_string()
            .ends_with("calls.csv:1: column `queue` appears twice in the header (columns 2 and 5)"),
        "{err}"
    );
}

/// The quarantine CSV of an import, as the bytes written to disk.
fn quarantine_bytes(report: &pacta_data::report::ImportReport) -> String {
    let mut buf = Vec::new();
    report.write_quarantine_csv(&mut buf).expect("csv");
    String::from_utf8(buf).expect("utf-8")
}

/// The planted caller number, with and without its leading `+`.
const PHONE: &str = "+34600999888";

fn assert_no_phone(report: &pacta_data::report::ImportReport) {
    let bytes = quarantine_bytes(report);
    assert!(
        !bytes.contains("34600999888"),
        "the caller number leaked into the quarantine:\n{bytes}"
    );
}

#[test]
fn asterisk_invalid_utf8_line_is_described_not_copied() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut bytes = b"1700000000|c1|sales|NONE|ENTERQUEUE||+34600111222|1\n".to_vec();
    bytes.extend_from_slice(b"1700000000|c2|sal\xffes|NONE|ENTERQUEUE||");
    bytes.extend_from_slice(PHONE.as_bytes());
    bytes.extend_from_slice(b"|1\n1700000001|c3\n");
    let path = dir.path().join("queue_log");
    std::fs::write(&path, &bytes).expect("write");
    let p = pseudo();
    let opts = ImportOptions::new(TimeZone::UTC, &p);
    let out = import_interactions(Format::Asterisk, &[path.as_path()], &opts).expect("import");
    let r = &out.report;
    assert!(r.reconciles());
    let q: Vec<(u64, &str, &str)> = r
        .quarantined
        .iter()
        .map(|q| (q.row, q.field.as_str(), q.reason.as_str()))
        .collect();
    assert_eq!(q[0], (2, "*", "not valid UTF-8"));
    assert_eq!(q[1].0, 3);
    assert_no_phone(r);
    assert!(
        r.quarantined[0].value.contains("byte"),
        "{:?}",
        r.quarantined[0]
    );
    let csv = quarantine_bytes(r);
    assert!(csv.contains("not valid UTF-8"), "{csv}");
}

#[test]
fn generic_invalid_utf8_customer_key_shows_as_its_pseudonym() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut bytes =
        b"source_id,queue,arrived_at,outcome,customer_key\nok,cards,2026-10-01T09:00:00Z,abandoned,+1555\n"
            .to_vec();
    bytes.extend_from_slice(b"bad,cards,2026-10-01T09:01:00Z,abandoned,");
    bytes.extend_from_slice(PHONE.as_bytes());
    bytes.extend_from_slice(b"\xe9\n");
    let path = dir.path().join("calls.csv");
    std::fs::write(&path, &bytes).expect("write");
    let p = pseudo();
    let opts = ImportOptions::new(TimeZone::UTC, &p);
    let out = import_interactions(Format::Csv, &[path.as_path()], &opts).expect("import");
    let r = &out.report;
    assert_eq!((r.imported, r.quarantined.len()), (1, 1));
    let q = &r.quarantined[0];
    assert_eq!(
        (q.row, q.field.as_str(), q.reason.as_str()),
        (3, "customer_key", "not valid UTF-8")
    );
    assert_no_phone(r);
    assert!(q.value.starts_with("pseudonym:"), "{q:?}");
}

#[test]
fn anonbank_quarantine_finds_the_customer_id_by_header_name() {
    let dir = tempfile::tempdir().expect("tmp");
    let good = "AA0213,1,33052234,1,PS,2010-08-01,10:00:45,10:00:51,6,10:00:51,10:01:33,42,AGENT,10:01:32,10:03:08,96,VICKY";
    let mut text = first_lines("anonbank-august.csv", 1);
    text.push_str(good);
    text.push('\n');
    // One extra field before the customer id: it moves to the fourth position.
    text.push_str(&format!(
        "AA0213,2,extra,{PHONE},1,PS,2010-08-01,10:00:45,10:00:51,6,10:00:51,10:01:33,42,AGENT,10:01:32,10:03:08,96,VICKY\n"
    ));
    // A customer id that is not a number.
    text.push_str(&format!(
        "AA0213,3,tel{PHONE},1,PS,2010-08-01,10:00:45,10:00:51,6,10:00:51,10:01:33,42,AGENT,10:01:32,10:03:08,96,VICKY\n"
    ));
    let path = write(dir.path(), "calls.csv", &text);
    let p = pseudo();
    let opts = ImportOptions::new(TimeZone::get("Asia/Jerusalem").expect("tz"), &p);
    let out = import_interactions(Format::Anonbank, &[path.as_path()], &opts).expect("import");
    let r = &out.report;
    assert_eq!(r.imported, 1);
    let q: Vec<(u64, &str, &str)> = r
        .quarantined
        .iter()
        .map(|q| (q.row, q.field.as_str(), q.reason.as_str()))
        .collect();
    assert_eq!(
        q,
        [
            (3, "*", "row has 18 field(s), expected 17 (truncated row?)"),
            (4, "customer_id", "not a numeric customer id"),
        ]
    );
    assert_no_phone(r);
    assert_eq!(
        r.quarantined[1].value,
        format!("pseudonym:{}", p.hex(&format!("tel{PHONE}")).expect("hex"))
    );

    // The customer id column found by its name when the header puts it elsewhere: the
    // invalid UTF-8 id shows as a pseudonym, the other columns as they are.
    let cols = pacta_data::import::anonbank::COLUMNS;
    let mut order: Vec<usize> = (0..cols.len()).collect();
    order.swap(2, 16);
    let header: Vec<&str> = order.iter().map(|&i| cols[i]).collect();
    let fields: Vec<String> = good.split(',').map(str::to_string).collect();
    let mut bytes = format!("{}\n", header.join(",")).into_bytes();
    let row: Vec<Vec<u8>> = order
        .iter()
        .map(|&i| {
            if i == 2 {
                let mut b = PHONE.as_bytes().to_vec();
                b.push(0xff);
                b
            } else {
                fields[i].clone().into_bytes()
            }
        })
        .collect();
    bytes.extend_from_slice(&row.join(&b","[..]));
    bytes.push(b'\n');
    let path = dir.path().join("reordered.csv");
    std::fs::write(&path, &bytes).expect("write");
    let out = import_interactions(Format::Anonbank, &[path.as_path()], &opts).expect("import");
    let q = &out.report.quarantined;
    assert_eq!(q.len(), 1, "{q:?}");
    assert_eq!(
        (q[0].row, q[0].field.as_str(), q[0].reason.as_str()),
        (2, "customer_id", "not valid UTF-8")
    );
    assert_no_phone(&out.report);
    assert!(q[0].value.starts_with("pseudonym:"), "{:?}", q[0]);
}
