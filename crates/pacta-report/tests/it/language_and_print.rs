//! The report a vendor manager sends as is: nothing left in English in the Spanish report,
//! a banner on any report built from partial data, and a page that prints to PDF.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

use std::path::PathBuf;
use std::process::Command;

use pacta_contract::{Contract, Lang};
use pacta_data::batch::InteractionBatch;
use pacta_kpi::KpiInputs;
use pacta_report::labels;
use pacta_settle::{MonthInputs, Settlement, settle_month};

use crate::report::{bank, october, ym};

/// The text a reader sees: tags dropped, entities of the few characters the templates escape
/// turned back.
fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    let body = html.split("</style>").nth(1).unwrap_or(html);
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#x27;", "'")
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
}

/// Text that comes from the contract or the data as written (names, ids, titles) and is not
/// pacta's to translate.
fn contract_text(c: &Contract, s: &Settlement) -> Vec<String> {
    let mut texts = vec![
        c.doc.contract.title.clone(),
        c.doc.parties.client.legal_name.clone(),
        c.doc.parties.provider.legal_name.clone(),
    ];
    for o in &s.slas {
        texts.push(o.name.clone());
        texts.push(o.sla_id.clone());
        texts.push(o.metric.clone());
        texts.push(o.variant.clone());
    }
    for l in &s.invoice.lines {
        texts.push(l.item.clone());
    }
    texts.sort_by_key(|t| std::cmp::Reverse(t.len()));
    texts
}

fn whole_word_in(text: &str, phrase: &str) -> bool {
    let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    text.match_indices(phrase).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + phrase.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

#[test]
fn spanish_report_shows_no_english_label_or_phrase() {
    let (c, s, history) = october();
    let html = pacta_report::html(&c, &s, &history, Lang::Es).unwrap();
    let md = pacta_report::markdown(&c, &s, &history, Lang::Es).unwrap();
    let mut checked = 0;
    for (format, page) in [("html", visible_text(&html)), ("markdown", md)] {
        let mut page = page;
        for t in contract_text(&c, &s) {
            if !t.is_empty() {
                page = page.replace(&t, " ");
            }
        }
        // Every English label that differs from its Spanish, and every English phrase of
        // the settlement's notes the report translates; words of three letters or fewer are
        // too often part of a code or a formula to mean anything.
        let english: Vec<&str> = labels::english_labels()
            .map(|(en, _)| en)
            .chain(labels::english_prose().map(str::trim))
            .filter(|en| en.chars().filter(|c| c.is_alphabetic()).count() > 3)
            .collect();
        assert!(english.len() > 150, "the label table is larger than that");
        for en in english {
            checked += 1;
            assert!(
                !whole_word_in(&page, en),
                "the Spanish {format} report still shows `{en}`"
            );
        }
        // Codes the settlement writes, and the units of the invoice.
        for code in [
            "BelowMinimum",
            "Missed",
            "Excused",
            "productive hour",
            "new hire",
            "initialtraining",
        ] {
            assert!(
                !page.contains(code),
                "the Spanish {format} report shows `{code}`"
            );
        }
    }
    assert!(checked > 300);
}

#[test]
fn english_report_has_no_codes_typos_or_raw_numbers() {
    let (c, s, history) = october();
    let html = pacta_report::html(&c, &s, &history, Lang::En).unwrap();
    let text = visible_text(&html);
    assert!(!text.contains("BelowMinimum"));
    assert!(!text.contains("initialtraining"));
    assert!(text.contains("initial training per new hire"));
    // The arithmetic groups thousands like every other figure.
    assert!(
        text.contains("at-risk amount = 350,000.00 × 10% = 35,000.00"),
        "{text}"
    );
    // Every formula has its plain-language line.
    assert_eq!(text.matches("In plain words:").count(), s.slas.len());
    let es = visible_text(&pacta_report::html(&c, &s, &history, Lang::Es).unwrap());
    assert_eq!(es.matches("En palabras:").count(), s.slas.len());
    assert!(
        es.contains("monto en riesgo = 350.000,00 × 10% = 35.000,00"),
        "{es}"
    );
}

#[test]
fn interval_sla_is_charted_by_what_its_verdict_counts() {
    let (c, s, history) = october();
    let o = s
        .slas
        .iter()
        .find(|o| o.period == pacta_contract::PeriodKind::Interval)
        .unwrap();
    let (with_data, met) = o.periods.unwrap();
    // The marks are the verdict's own count.
    assert_eq!(o.period_marks.len() as u64, with_data);
    assert_eq!(
        o.period_marks.iter().filter(|m| m.met_expected).count() as u64,
        met
    );
    let days: Vec<String> = o.daily.iter().map(|d| d.day.clone()).collect();
    let bars = pacta_report::view::daily_shares(&o.period_marks, &days);
    assert_eq!(bars.iter().map(|b| b.met).sum::<u64>(), met);
    assert_eq!(bars.iter().map(|b| b.with_data).sum::<u64>(), with_data);
    let html = pacta_report::html(&c, &s, &history, Lang::En).unwrap();
    assert!(html.contains(&format!(
        "{} · Share of intervals at target, by day",
        o.sla_id
    )));
    assert!(html.contains(&format!("{} · Intervals by day and time", o.sla_id)));
    assert!(html.contains(">% of intervals at target<"));
}

#[test]
fn fcr_caveat_is_on_the_chart_and_in_the_report_while_the_next_month_is_missing() {
    let (c, s, history) = october();
    // The generated October ends at the month end: the FCR window is still open.
    assert_eq!(s.fcr_window_open, Some(7));
    let html = pacta_report::html(&c, &s, &history, Lang::En).unwrap();
    assert!(html.contains("Provisional: the next month is not imported yet"));
    assert!(
        html.contains(r##"fill="#fff3cd""##),
        "the chart shades the provisional days"
    );
    let md = pacta_report::markdown(&c, &s, &history, Lang::Es).unwrap();
    assert!(md.contains("Provisional: el mes siguiente aún no está importado"));
}

fn settle_without_data(c: &Contract) -> Settlement {
    let table = InteractionBatch::new().to_table();
    let data = KpiInputs {
        interactions: &table,
        surveys: &[],
        qa: &[],
        roster: &[],
        training: &[],
        agent_days: &[],
        report_deliveries: &[],
        exclusion_marks: &[],
        exclusion_windows: &[],
        cells: None,
    };
    settle_month(
        c,
        ym(2026, 10),
        &MonthInputs {
            data,
            incidents: &[],
            history: &[],
            vendor_invoice: None,
            agreed: &[],
        },
    )
    .unwrap()
}

#[test]
fn a_report_from_partial_data_carries_a_banner_saying_what_is_missing() {
    let c = bank();
    let empty = settle_without_data(&c);
    let en = pacta_report::html(&c, &empty, &[], Lang::En).unwrap();
    assert!(en.contains("Partial data: this report is not final"));
    assert!(en.contains("No interactions were imported for this month."));
    assert!(en.contains("No data for CSAT (survey responses)"), "{en}");
    assert!(en.contains("No data for ATTRITION (the roster)"));
    let es = pacta_report::markdown(&c, &empty, &[], Lang::Es).unwrap();
    assert!(es.contains("**⚠ Datos parciales: este informe no es definitivo**"));
    assert!(es.contains("Sin datos para QA (evaluaciones de calidad)"));
    // Excused SLAs are not counted as failed: the headline counts judged SLAs only.
    let excused = empty
        .slas
        .iter()
        .filter(|o| o.status == pacta_terms::Status::Excused)
        .count();
    let view = pacta_report::view::build(&c, &empty, &[], Lang::En);
    assert_eq!(view.summary.judged, empty.slas.len() - excused);
    // A month with all its data has no banner.
    let (c, s, history) = october();
    assert!(pacta_report::view::partial_data(&s, Lang::En).is_empty());
    let full = pacta_report::html(&c, &s, &history, Lang::En).unwrap();
    assert!(!full.contains("Partial data"));
}

/// Pages of a PDF as Chromium writes it: one `/Type /Page` dictionary per page.
fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.matches("/Type /Page").count() - text.matches("/Type /Pages").count()
}

/// With poppler's `pdftotext` at hand (it is optional), reads each printed page's text and
/// checks that its last line above the page number is not a section heading left alone at
/// the bottom. Without it, says so and checks nothing more.
fn no_page_ends_with_a_heading(pdf: &std::path::Path, lang: Lang) {
    let Ok(out) = Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
    else {
        eprintln!("pdftotext missing: page endings not checked");
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let table = labels::table(lang);
    let headings: Vec<&str> = [
        "summary",
        "scorecard",
        "daily_title",
        "volume_title",
        "credits",
        "chronic_title",
        "exclusions_title",
        "invoice_title",
        "reconciliation_title",
        "history_title",
    ]
    .iter()
    .map(|k| table[k])
    .collect();
    let page_word = table["page"];
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(pages.len() >= 4, "pdftotext read {} pages", pages.len());
    for (n, page) in pages.iter().enumerate() {
        let last = page
            .lines()
            .map(str::trim)
            .rfind(|l| !l.is_empty() && !l.starts_with(page_word))
            .unwrap_or_default();
        assert!(
            !headings.contains(&last),
            "{lang:?}: page {} ends with the heading `{last}`",
            n + 1
        );
    }
}

#[test]
fn the_report_prints_to_a_sane_number_of_pages() {
    let chromium = PathBuf::from("/usr/bin/chromium");
    if !chromium.exists() {
        assert!(
            std::env::var("PACTA_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "PACTA_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing"
        );
        eprintln!("skipped: /usr/bin/chromium is missing");
        return;
    }
    let (c, s, history) = october();
    let dir = std::env::temp_dir().join(format!("pacta-report-pdf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for lang in [Lang::En, Lang::Es] {
        let html = pacta_report::html(&c, &s, &history, lang).unwrap();
        let page = dir.join(format!("report-{lang:?}.html"));
        let pdf = dir.join(format!("report-{lang:?}.pdf"));
        std::fs::write(&page, html).unwrap();
        let profile = dir.join(format!("profile-{lang:?}"));
        let status = Command::new(&chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--no-pdf-header-footer",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(format!("file://{}", page.display()))
            .output()
            .unwrap();
        assert!(status.status.success(), "chromium failed: {status:?}");
        let bytes = std::fs::read(&pdf).unwrap();
        assert!(bytes.starts_with(b"%PDF"), "not a PDF");
        let pages = pdf_pages(&bytes);
        // The bank month: scorecard, charts, heatmap, credits, invoice, history. Fewer pages
        // means content was lost; many more means something prints one item per page.
        assert!((4..=16).contains(&pages), "{lang:?}: {pages} pages");
        no_page_ends_with_a_heading(&pdf, lang);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
