//! Every HTML output printed to PDF by headless Chromium, as a reader would from the browser:
//! the settlement report, the rendered contract, the staffing plan and the vendor selection,
//! in English and Spanish. Each PDF has a sane number of pages, and no page but the last ends
//! with a heading (a heading orphaned from what it introduces). The page text is read with
//! poppler's `pdftotext`; without `/usr/bin/chromium` or `pdftotext` the test is skipped with
//! a note, unless `PACTA_REQUIRE_BROWSER=1` (set by `.ci/run`, which installs both).

#![allow(clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use crate::common::{example, pacta};

const CHROMIUM: &str = "/usr/bin/chromium";

fn tools_available() -> bool {
    let pdftotext = Process::new("pdftotext").arg("-v").output().is_ok();
    let found = Path::new(CHROMIUM).exists() && pdftotext;
    if !found {
        assert!(
            std::env::var_os("PACTA_REQUIRE_BROWSER").is_none(),
            "PACTA_REQUIRE_BROWSER is set, but {CHROMIUM} or pdftotext is missing"
        );
        eprintln!("skipped: {CHROMIUM} or pdftotext (poppler-utils) is not installed");
    }
    found
}

fn run(args: &[&str], dir: &Path) {
    let out = pacta()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("pacta runs");
    // `settle` and `plan` exit 3 when an SLA is missed or intervals are at risk: still written.
    assert!(
        matches!(out.status.code(), Some(0 | 3)),
        "pacta {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The page as Chromium prints it (A4 by the pages' own `@page` rules).
fn print_to_pdf(html: &Path, profile: &Path) -> PathBuf {
    let pdf = html.with_extension("pdf");
    let out = Process::new(CHROMIUM)
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .expect("chromium runs");
    assert!(
        pdf.exists(),
        "no PDF from {}: {}",
        html.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    pdf
}

/// A line of text on a printed page: its words and the height of its tallest word.
struct Line {
    text: String,
    bottom: f64,
    height: f64,
}

/// The value of `name="…"` in an element's start tag.
fn attr(tag: &str, name: &str) -> f64 {
    tag.split(&format!(" {name}=\""))
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}

/// Each page's lines, top to bottom, with their size, from `pdftotext -bbox-layout`.
fn pages(pdf: &Path) -> Vec<Vec<Line>> {
    let out = Process::new("pdftotext")
        .args(["-bbox-layout", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success(), "pdftotext {}", pdf.display());
    let xml = String::from_utf8_lossy(&out.stdout).to_string();
    let mut pages = Vec::new();
    for page in xml.split("<page ").skip(1) {
        let mut lines: Vec<Line> = Vec::new();
        for line in page.split("<line ").skip(1) {
            let mut words = Vec::new();
            let mut bottom: f64 = 0.0;
            let mut height: f64 = 0.0;
            for word in line.split("<word ").skip(1) {
                let Some((tag, rest)) = word.split_once('>') else {
                    continue;
                };
                let text = rest.split("</word>").next().unwrap_or_default();
                words.push(
                    text.replace("&amp;", "&")
                        .replace("&lt;", "<")
                        .replace("&gt;", ">")
                        .replace("&quot;", "\"")
                        .replace("&apos;", "'"),
                );
                bottom = bottom.max(attr(tag, "yMax"));
                height = height.max(attr(tag, "yMax") - attr(tag, "yMin"));
            }
            if !words.is_empty() {
                lines.push(Line {
                    text: words.join(" "),
                    bottom,
                    height,
                });
            }
        }
        lines.sort_by(|a, b| a.bottom.total_cmp(&b.bottom));
        pages.push(lines);
    }
    pages
}

/// The page's last line when it is a heading left at the page's foot: the text of one of the
/// page's headings, set larger than the page's usual line (so a table of contents' entry, in
/// body size, is not taken for one).
fn ends_with_heading(page: &[Line], heads: &[String]) -> Option<String> {
    let last = page.last()?;
    let mut heights: Vec<f64> = page.iter().map(|l| l.height).collect();
    heights.sort_by(f64::total_cmp);
    let usual = heights[heights.len() / 2];
    (heads.contains(&last.text) && last.height > usual * 1.1).then(|| last.text.clone())
}

/// The text of every `h1`–`h3` of the page, tags inside them removed and spaces collapsed.
fn headings(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let lower = html.to_ascii_lowercase();
    for level in ["h1", "h2", "h3"] {
        let open = format!("<{level}");
        let close = format!("</{level}>");
        let mut from = 0;
        while let Some(start) = lower[from..].find(&open).map(|i| i + from) {
            let Some(body) = lower[start..].find('>').map(|i| start + i + 1) else {
                break;
            };
            let Some(end) = lower[body..].find(&close).map(|i| body + i) else {
                break;
            };
            let mut text = String::new();
            let mut in_tag = false;
            for ch in html[body..end].chars() {
                match ch {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            let text = text
                .replace("&amp;", "&")
                .replace("&#39;", "'")
                .replace("&quot;", "\"")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            if !text.is_empty() {
                found.push(text);
            }
            from = end;
        }
    }
    found
}

#[test]
fn every_html_output_prints_to_pdf_without_orphan_headings() {
    if !tools_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let work = dir.path();
    let profile = work.join("profile");
    let bank = example("bank-inbound-manila.toml");
    let selection = example("selection/bank-cards-2027.toml");
    let pilot = example("selection/pilot-2026-q4.csv");
    run(
        &[
            "demo", "--rows", "3000", "--out", "demo", "--store", "store",
        ],
        work,
    );
    // (name, pages at most, command) for each language.
    let mut outputs: Vec<(String, usize)> = Vec::new();
    for lang in ["en", "es"] {
        let report = format!("report.{lang}.html");
        run(
            &[
                "--lang",
                lang,
                "settle",
                "--contract",
                "demo/contract.toml",
                "--store",
                "store",
                "--month",
                "2026-10",
                "--no-save",
                "--html",
                &report,
            ],
            work,
        );
        outputs.push((report, 30));
        let contract = format!("contract.{lang}.html");
        run(
            &[
                "--lang", lang, "render", &bank, "--format", "html", "-o", &contract,
            ],
            work,
        );
        outputs.push((contract, 40));
        let plan = format!("plan.{lang}.html");
        run(
            &[
                "--lang",
                lang,
                "plan",
                "--contract",
                "demo/contract.toml",
                "--store",
                "store",
                "--from-store",
                "--month",
                "2026-10",
                "--html",
                &plan,
            ],
            work,
        );
        outputs.push((plan, 20));
        let select = format!("select.{lang}.html");
        run(
            &[
                "--lang", lang, "select", &selection, "--pilot", &pilot, "--html", &select,
            ],
            work,
        );
        outputs.push((select, 20));
    }
    let mut problems = Vec::new();
    for (name, most) in &outputs {
        let html_path = work.join(name);
        let html = std::fs::read_to_string(&html_path).expect("the page was written");
        let heads = headings(&html);
        assert!(!heads.is_empty(), "{name} has no headings");
        let pdf = print_to_pdf(&html_path, &profile);
        let pages = pages(&pdf);
        if pages.is_empty() || pages.len() > *most {
            problems.push(format!(
                "{name}: {} pages (1 to {most} expected)",
                pages.len()
            ));
        }
        for (n, page) in pages.iter().enumerate().take(pages.len().saturating_sub(1)) {
            if let Some(heading) = ends_with_heading(page, &heads) {
                problems.push(format!(
                    "{name}: page {} ends with the heading `{heading}`",
                    n + 1
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
