//! The review as the reader sees it in a terminal: a one-screen summary (findings per
//! contract section and severity, the high ones by name), then every finding grouped by
//! severity and section, each with where the clause is (or which section to add it to), why
//! it matters, the fix and the TOML to paste.
//!
//! Findings of one rule on several subjects (the same gap on five SLAs) are one entry naming
//! the subjects, so the count the reader sees is the number of things to change.

use std::fmt::Write as _;

use pacta_contract::{FieldPath, Lang, Seg};

use crate::{Finding, Severity, element_title};

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
        let first = self.first();
        let subjects: Vec<String> = self
            .findings
            .iter()
            .filter_map(|f| f.subject.clone())
            .collect();
        if self.findings.len() < 2 || subjects.len() != self.findings.len() {
            return first.title.clone();
        }
        match crate::rule(first.rule_id) {
            Some(rule) => rule.title.get(lang).replace("{s}", &subjects.join(", ")),
            None => first.title.clone(),
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
/// the key to add and the section it belongs in (a line number would point at some other
/// clause).
pub fn location(f: &Finding, lang: Lang) -> String {
    let key = readable_path(&f.path, f.subject.as_deref());
    if f.clause_present {
        return format!("{} {} · {key}", lang.pick("line", "línea"), f.line);
    }
    let section = match f.path.0.first() {
        Some(Seg::Key(k)) => k.clone(),
        _ => String::new(),
    };
    let top_only = f.path.0.len() <= 1;
    match (top_only, lang) {
        (true, Lang::En) => format!("missing: add a [{section}] section"),
        (true, Lang::Es) => format!("falta: añada una sección [{section}]"),
        (false, Lang::En) => format!("missing: add {key} (section [{section}])"),
        (false, Lang::Es) => format!("falta: añada {key} (sección [{section}])"),
    }
}

/// `slas[2].measure.variant` with the SLA named when the finding has a subject:
/// `slas[2].measure.variant (SL-VOICE)`.
fn readable_path(path: &FieldPath, subject: Option<&str>) -> String {
    let text = path.to_string();
    match subject {
        Some(s) if path.0.iter().any(|seg| matches!(seg, Seg::Index(_))) && !s.is_empty() => {
            format!("{text} ({s})")
        }
        _ => text,
    }
}

/// `text` wrapped at spaces to `width` columns (characters), each line after `indent`.
fn wrap(text: &str, indent: &str, width: Option<usize>) -> String {
    let Some(width) = width else {
        return format!("{indent}{text}");
    };
    let mut out = String::new();
    let mut line = String::from(indent);
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
    let things = groups.iter().map(|(_, _, e)| e.len()).sum::<usize>();
    let count = |sev: Severity| findings.iter().filter(|f| f.severity == sev).count();
    let _ = writeln!(
        s,
        "{} {} {} {} ({}): {} {} · {} {} · {} {} · {} {}",
        things,
        lang.pick("things to change or check, from", "puntos que cambiar o revisar, de"),
        findings.len(),
        lang.pick("findings", "hallazgos"),
        lang.pick("by severity", "por severidad"),
        count(Severity::High),
        lang.pick("high", "alta"),
        count(Severity::Medium),
        lang.pick("medium", "media"),
        count(Severity::Low),
        lang.pick("low", "baja"),
        count(Severity::Info),
        lang.pick("info", "informativa"),
    );
    let _ = writeln!(s);
    summary_table(&mut s, findings, lang);
    let high: Vec<&Entry<'_>> = groups
        .iter()
        .filter(|(sev, _, _)| *sev == Severity::High)
        .flat_map(|(_, _, e)| e.iter())
        .collect();
    if !high.is_empty() {
        let _ = writeln!(s);
        let _ = writeln!(s, "{}", lang.pick("Fix first (high):", "Corregir primero (alta):"));
        for e in high {
            let _ = writeln!(s, "{}", wrap(&format!("• {}", e.title(lang)), "  ", width));
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
    let _ = writeln!(s, "{}", wrap(&format!("• {}", e.title(lang)), "  ", width));
    for f in &e.findings {
        let _ = writeln!(s, "{}", wrap(&location(f, lang), "      ", width));
    }
    let first = e.first();
    let why = format!("{} {}", lang.pick("Why:", "Por qué:"), first.rationale);
    let _ = writeln!(s, "{}", wrap(&why, "    ", width));
    let fix = format!("{} {}", lang.pick("Fix:", "Corrección:"), first.fix);
    let _ = writeln!(s, "{}", wrap(&fix, "    ", width));
    if let Some(snippet) = &first.snippet {
        for line in snippet.trim_end().lines() {
            let _ = writeln!(s, "{}", toml_line(line, width));
        }
    }
    let _ = writeln!(
        s,
        "    ({} {})",
        lang.pick("rule", "regla"),
        first.rule_id
    );
}

/// A line of a TOML snippet, indented; a long array is broken after its commas (still valid
/// TOML) so it fits the width.
fn toml_line(line: &str, width: Option<usize>) -> String {
    const INDENT: &str = "      ";
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
