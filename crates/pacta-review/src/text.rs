//! The review as the reader sees it in a terminal: a one-screen summary (findings per
//! contract section and severity, the high ones by name), then every finding grouped by
//! severity and section, each with where the clause is (or which section to add it to), why
//! it matters, the fix and the TOML to paste.
//!
//! Findings of one rule on several subjects (the same gap on five SLAs) are one entry naming
//! the subjects, so the count the reader sees is the number of things to change.

use std::fmt::Write as _;

use pacta_contract::{Lang, Seg};

use crate::finding::{Finding, element_title, rule};
use crate::rule::{Rule, Severity, Text};

/// Findings of one rule within a severity and section: one entry of the report.
struct Entry<'a> {
    findings: Vec<&'a Finding>,
}

impl Entry<'_> {
    fn first(&self) -> &Finding {
        self.findings[0]
    }

    /// The title in `lang`, naming every subject when the rule fired on several.
    fn title(&self, lang: Lang) -> String {
        self.merged(lang, |rule| rule.title, &self.first().title)
    }

    /// The fix in `lang`, for every subject.
    fn fix(&self, lang: Lang) -> String {
        self.merged(lang, |rule| rule.fix, &self.first().fix)
    }

    /// A text of the rule with its subject replaced by all the entry's subjects (the
    /// finding's own text when there is one subject or none).
    fn merged(&self, lang: Lang, text: fn(&Rule) -> Text, own: &str) -> String {
        let first = self.first();
        let subjects: Vec<String> = self
            .findings
            .iter()
            .filter_map(|f| f.subject.clone())
            .collect();
        if self.findings.len() < 2 || subjects.len() != self.findings.len() {
            return own.to_string();
        }
        match rule(first.rule_id) {
            Some(rule) => text(rule).get(lang).replace("{s}", &subjects.join("`, `")),
            None => own.to_string(),
        }
    }
}

const SEVERITIES: [Severity; 4] = [
    Severity::High,
    Severity::Medium,
    Severity::Low,
    Severity::Info,
];

/// Where a finding points, in words: the line of a clause that is there; for a missing one,
/// the key to add and the table to add it to, with that table's line (the line of a missing
/// clause alone would point at some other clause).
pub fn location(f: &Finding, lang: Lang) -> String {
    let keys = |segs: &[Seg]| {
        segs.iter()
            .filter_map(|s| match s {
                Seg::Key(k) => Some(k.as_str()),
                Seg::Index(_) => None,
            })
            .collect::<Vec<_>>()
            .join(".")
    };
    let segs = &f.path.0;
    // The table the clause belongs in: `[[sla]] ASA-CHAT` for an element of an array of
    // tables (the first array: the subject names its element), else the top-level table.
    let first_index = segs.iter().position(|s| matches!(s, Seg::Index(_)));
    let (table, key) = match first_index {
        Some(i) => {
            let name = f
                .subject
                .as_deref()
                .map(|s| format!(" `{s}`"))
                .unwrap_or_default();
            (
                format!("[[{}]]{name}", keys(&segs[..i])),
                keys(&segs[i + 1..]),
            )
        }
        None => (
            format!("[{}]", keys(&segs[..segs.len().min(1)])),
            keys(&segs[segs.len().min(1)..]),
        ),
    };
    if f.clause_present {
        let line = format!("{} {}", lang.pick("line", "línea"), f.line);
        return match (key.is_empty(), lang) {
            (true, _) => format!("{line} · {table}"),
            (false, Lang::En) => format!("{line} · `{key}` in {table}"),
            (false, Lang::Es) => format!("{line} · `{key}` en {table}"),
        };
    }
    match (f.section_present, key.is_empty(), lang) {
        (false, true, Lang::En) => format!("missing: add a {table} table"),
        (false, true, Lang::Es) => format!("falta: añada una tabla {table}"),
        (false, false, Lang::En) => format!("missing: add a {table} table with `{key}`"),
        (false, false, Lang::Es) => format!("falta: añada una tabla {table} con `{key}`"),
        // A whole element of an array of tables: another `[[sla]]` beside the others.
        (true, true, Lang::En) => format!(
            "missing: add another [[{}]] table (beside line {})",
            keys(segs),
            f.line
        ),
        (true, true, Lang::Es) => format!(
            "falta: añada otra tabla [[{}]] (junto a la línea {})",
            keys(segs),
            f.line
        ),
        (true, false, Lang::En) => format!("missing: add `{key}` to {table} (line {})", f.line),
        (true, false, Lang::Es) => {
            format!("falta: añada `{key}` a {table} (línea {})", f.line)
        }
    }
}

/// `text` wrapped at spaces to `width` columns (characters), each line after `indent`.
fn wrap(text: &str, indent: &str, width: Option<usize>) -> String {
    hanging(text, indent, indent, width)
}

/// `text` wrapped like [`wrap`], its first line after `first` and the others after `rest`
/// (a bullet's text lines up under the text, not the bullet).
fn hanging(text: &str, first: &str, rest: &str, width: Option<usize>) -> String {
    let Some(width) = width else {
        return format!("{first}{text}");
    };
    let indent = rest;
    let mut out = String::new();
    let mut line = String::from(first);
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(&line);
            out.push('\n');
            line = String::from(indent);
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(&line);
    out
}

/// The one-line count both formats open with: things to change, findings, and findings by
/// severity.
fn headline(
    findings: &[Finding],
    groups: &[(Severity, &str, Vec<Entry<'_>>)],
    lang: Lang,
) -> String {
    let things = groups.iter().map(|(_, _, e)| e.len()).sum::<usize>();
    let count = |sev: Severity| findings.iter().filter(|f| f.severity == sev).count();
    format!(
        "{things} {} ({} {}): {} {} · {} {} · {} {} · {} {}",
        plural(
            things,
            lang,
            ("thing to change", "things to change"),
            ("punto que cambiar", "puntos que cambiar")
        ),
        findings.len(),
        plural(
            findings.len(),
            lang,
            ("finding", "findings"),
            ("hallazgo", "hallazgos")
        ),
        count(Severity::High),
        lang.pick("high", "alta"),
        count(Severity::Medium),
        lang.pick("medium", "media"),
        count(Severity::Low),
        lang.pick("low", "baja"),
        count(Severity::Info),
        lang.pick("info", "informativa"),
    )
}

/// The review for a terminal: `file` names the contract; `width` wraps prose at that many
/// columns (`None`: one line per paragraph, for `--wide`).
pub fn to_text(findings: &[Finding], file: &str, lang: Lang, width: Option<usize>) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} — {file}",
        lang.pick("Contract review", "Revisión del contrato")
    );
    if findings.is_empty() {
        let _ = writeln!(
            s,
            "{}",
            lang.pick(
                "No findings: every clause the rulebook checks is there and sound.",
                "Sin hallazgos: todas las cláusulas que revisa el reglamento están y son sólidas."
            )
        );
        return s;
    }
    let groups = entries(findings);
    let _ = writeln!(s, "{}", headline(findings, &groups, lang));
    let _ = writeln!(s);
    summary_table(&mut s, findings, lang);
    let high: Vec<&Entry<'_>> = groups
        .iter()
        .filter(|(sev, _, _)| *sev == Severity::High)
        .flat_map(|(_, _, e)| e.iter())
        .collect();
    if !high.is_empty() {
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{}",
            lang.pick("Fix first (high):", "Corregir primero (alta):")
        );
        for e in high {
            let _ = writeln!(
                s,
                "{}",
                hanging(&format!("• {}", e.title(lang)), "  ", "    ", width)
            );
        }
    }
    let mut shown_severity = None;
    for (sev, element, es) in &groups {
        if shown_severity != Some(*sev) {
            let _ = writeln!(s);
            let heading = format!(
                "{} {}",
                match lang {
                    Lang::En => "Severity",
                    Lang::Es => "Severidad",
                },
                sev.label(lang).to_lowercase()
            );
            let _ = writeln!(s, "━━ {heading} ━━");
            shown_severity = Some(*sev);
        }
        let _ = writeln!(s);
        let _ = writeln!(s, "{}", element_title(element, lang));
        for e in es {
            entry(&mut s, e, lang, width);
        }
    }
    s
}

/// Findings per section (rows) and severity (columns), with totals.
fn summary_table(s: &mut String, findings: &[Finding], lang: Lang) {
    let mut elements: Vec<&str> = findings.iter().map(|f| f.element).collect();
    elements.sort_unstable();
    elements.dedup();
    let labels: Vec<String> = SEVERITIES
        .iter()
        .map(|sev| sev.label(lang).to_lowercase())
        .collect();
    let _ = writeln!(
        s,
        "  {:<58}{:>8}{:>8}{:>8}{:>12}",
        lang.pick("Contract section", "Sección del contrato"),
        labels[0],
        labels[1],
        labels[2],
        labels[3]
    );
    for element in elements {
        let n = |sev: Severity| {
            findings
                .iter()
                .filter(|f| f.element == element && f.severity == sev)
                .count()
        };
        let title: String = element_title(element, lang).chars().take(57).collect();
        let cell = |sev: Severity| match n(sev) {
            0 => "·".to_string(),
            k => k.to_string(),
        };
        let _ = writeln!(
            s,
            "  {title:<58}{:>8}{:>8}{:>8}{:>12}",
            cell(Severity::High),
            cell(Severity::Medium),
            cell(Severity::Low),
            cell(Severity::Info)
        );
    }
}

/// One entry: title and rule, where, why, the fix and its TOML.
fn entry(s: &mut String, e: &Entry<'_>, lang: Lang, width: Option<usize>) {
    let title = format!("• {} ({})", e.title(lang), e.first().rule_id);
    let _ = writeln!(s, "{}", hanging(&title, "  ", "    ", width));
    for f in &e.findings {
        let _ = writeln!(s, "{}", wrap(&location(f, lang), "      ", width));
    }
    let first = e.first();
    let why = format!("{} {}", lang.pick("Why:", "Por qué:"), first.rationale);
    let _ = writeln!(s, "{}", wrap(&why, "    ", width));
    let fix = format!("{} {}", lang.pick("Fix:", "Corrección:"), e.fix(lang));
    let _ = writeln!(s, "{}", wrap(&fix, "    ", width));
    if let Some(snippet) = &first.snippet {
        for line in snippet.trim_end().lines() {
            let _ = writeln!(s, "{}", toml_line(line, width));
        }
    }
}

/// A line of a TOML snippet, indented; a long array is broken after its commas (still valid
/// TOML) so it fits the width.
fn toml_line(line: &str, width: Option<usize>) -> String {
    const INDENT: &str = "      ";
    if line.trim().is_empty() {
        return String::new();
    }
    let whole = format!("{INDENT}{line}");
    let Some(width) = width else {
        return whole;
    };
    // Only arrays may span lines in TOML; an inline table must stay on one.
    if whole.chars().count() <= width || !line.contains(" = [") || line.contains('{') {
        return whole;
    }
    let mut out = String::new();
    let mut current = String::from(INDENT);
    for piece in line.split(", ") {
        let addition = if current.trim().is_empty() {
            piece.to_string()
        } else {
            format!(", {piece}")
        };
        if current.chars().count() + addition.chars().count() > width && !current.trim().is_empty()
        {
            out.push_str(&current);
            out.push_str(",\n");
            current = format!("{INDENT}    {piece}");
        } else {
            current.push_str(&addition);
        }
    }
    out.push_str(&current);
    out
}

/// Findings grouped by severity, then section, then rule, in that order.
fn entries(findings: &[Finding]) -> Vec<(Severity, &'static str, Vec<Entry<'_>>)> {
    let mut out: Vec<(Severity, &'static str, Vec<Entry<'_>>)> = Vec::new();
    for sev in SEVERITIES {
        let mut elements: Vec<&'static str> = findings
            .iter()
            .filter(|f| f.severity == sev)
            .map(|f| f.element)
            .collect();
        elements.sort_unstable();
        elements.dedup();
        for element in elements {
            let mut es: Vec<Entry<'_>> = Vec::new();
            for f in findings
                .iter()
                .filter(|f| f.severity == sev && f.element == element)
            {
                match es.iter_mut().find(|e| e.first().rule_id == f.rule_id) {
                    Some(e) => e.findings.push(f),
                    None => es.push(Entry { findings: vec![f] }),
                }
            }
            out.push((sev, element, es));
        }
    }
    out
}

/// The review as Markdown: the same summary and grouping as [`to_text`], each finding with
/// its location, why, the fix and the TOML in a fenced block.
pub fn to_markdown(findings: &[Finding], lang: Lang) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# {}\n",
        lang.pick("Contract review", "Revisión del contrato")
    );
    if findings.is_empty() {
        let _ = writeln!(
            s,
            "{}",
            lang.pick(
                "No findings: no rule of the rulebook fired.",
                "Sin hallazgos: ninguna regla del reglamento se activó."
            )
        );
        return s;
    }
    let groups = entries(findings);
    let _ = writeln!(s, "{}.\n", headline(findings, &groups, lang));
    let _ = writeln!(
        s,
        "| {} | {} | {} | {} | {} |\n|---|---:|---:|---:|---:|",
        lang.pick("Contract section", "Sección del contrato"),
        Severity::High.label(lang),
        Severity::Medium.label(lang),
        Severity::Low.label(lang),
        Severity::Info.label(lang),
    );
    let mut elements: Vec<&str> = findings.iter().map(|f| f.element).collect();
    elements.sort_unstable();
    elements.dedup();
    for element in elements {
        let n = |sev: Severity| {
            findings
                .iter()
                .filter(|f| f.element == element && f.severity == sev)
                .count()
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} |",
            element_title(element, lang),
            n(Severity::High),
            n(Severity::Medium),
            n(Severity::Low),
            n(Severity::Info)
        );
    }
    let mut shown_severity = None;
    for (sev, element, es) in &groups {
        if shown_severity != Some(*sev) {
            let _ = writeln!(
                s,
                "\n## {} {}",
                lang.pick("Severity", "Severidad"),
                sev.label(lang).to_lowercase()
            );
            shown_severity = Some(*sev);
        }
        let _ = writeln!(s, "\n### {}\n", element_title(element, lang));
        for e in es {
            let first = e.first();
            let _ = writeln!(
                s,
                "#### {} (`{}`)\n",
                e.title(lang).replace('|', "\\|"),
                first.rule_id
            );
            for f in &e.findings {
                let _ = writeln!(s, "- {}", location(f, lang));
            }
            let _ = writeln!(s, "\n{}\n", first.rationale);
            let _ = writeln!(
                s,
                "**{}** {}\n",
                lang.pick("Fix:", "Corrección:"),
                e.fix(lang)
            );
            if let Some(snippet) = &first.snippet {
                let _ = writeln!(s, "```toml\n{}\n```\n", snippet.trim_end());
            }
        }
    }
    s
}

/// The singular or plural of a noun in `lang`, for `n` of them.
fn plural(
    n: usize,
    lang: Lang,
    en: (&'static str, &'static str),
    es: (&'static str, &'static str),
) -> &'static str {
    let (one, many) = match lang {
        Lang::En => en,
        Lang::Es => es,
    };
    if n == 1 { one } else { many }
}
