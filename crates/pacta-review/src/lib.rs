//! The contract rulebook: findings on missing, weak, contradictory or risky clauses.
//!
//! [`review`] runs every [`Rule`] of the rulebook ([`rules`]) over a validated
//! [`Contract`] and returns [`Finding`]s, each with the element of `docs/spec/contract-elements.md` it
//! protects, a rationale, a suggested fix (usually with a TOML snippet) and the place in the
//! contract file where the clause is, or the section where it is missing. Texts come in
//! English and Spanish. [`to_markdown`] renders a report; findings serialize to JSON with
//! stable field names.
//!
//! The crate does no I/O and prints nothing.

mod checks;
mod pricing;
mod rule;
mod rulebook;
mod text;

use std::fmt::Write as _;

use pacta_contract::{Contract, FieldPath, Lang, Seg};
use serde::Serialize;

pub use pricing::{PricingComparison, compare_pricing};
pub use rule::{Rule, Severity, Text};
pub use text::{location, to_text};

/// A problem found in a contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The rule that produced it.
    pub rule_id: &'static str,
    /// Its severity.
    pub severity: Severity,
    /// The `docs/spec/contract-elements.md` section it protects.
    pub element: &'static str,
    /// Short title, in the requested language.
    pub title: String,
    /// Why it matters, with the figures of this contract where there are any.
    pub rationale: String,
    /// What to change.
    pub fix: String,
    /// A TOML snippet showing the fix.
    pub snippet: Option<String>,
    /// Where the clause is, or where it should be when missing.
    pub path: FieldPath,
    /// 1-based line of the clause or of the section where it is missing.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
    /// False when the clause is missing (the location is then its section, or the
    /// `[contract]` header when the whole section is absent).
    pub clause_present: bool,
    /// What the rule fired on (an SLA id, a fee id), when it names one: lets a report merge
    /// one rule's findings on several subjects. Not serialized (the title already names it).
    #[serde(skip)]
    pub subject: Option<String>,
}

/// The rulebook, in a stable order (by element, then as listed).
pub fn rules() -> &'static [Rule] {
    rulebook::RULES
}

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    rulebook::RULES.iter().find(|r| r.id == id)
}

/// The title of a `docs/spec/contract-elements.md` element in `lang`.
pub fn element_title(element: &str, lang: Lang) -> &str {
    if lang == Lang::En {
        return element;
    }
    rulebook::ELEMENTS
        .iter()
        .find(|(en, _)| *en == element)
        .map_or(element, |(_, es)| es)
}

/// Reviews a contract: every rule's findings, sorted by severity, then line, column and
/// rule id.
pub fn review(contract: &Contract, lang: Lang) -> Vec<Finding> {
    let ctx = checks::Ctx::new(contract);
    let mut out = Vec::new();
    for rule in rulebook::RULES {
        for hit in (rule.check)(&ctx) {
            out.push(finding(contract, rule, hit, lang));
        }
    }
    out.sort_by(|a, b| {
        (a.severity, a.line, a.col, a.rule_id, a.path.to_string()).cmp(&(
            b.severity,
            b.line,
            b.col,
            b.rule_id,
            b.path.to_string(),
        ))
    });
    out
}

fn finding(contract: &Contract, rule: &'static Rule, hit: checks::Hit, lang: Lang) -> Finding {
    let mut loc = contract.locate(&hit.path);
    let top_exists = match hit.path.0.first() {
        Some(Seg::Key(k)) => contract.locate(&FieldPath(vec![Seg::Key(k.clone())])).exact,
        _ => false,
    };
    let present = hit.present.unwrap_or(loc.exact && top_exists);
    if !top_exists {
        // The whole section is absent: point at the `[contract]` header.
        loc = contract.locate(&FieldPath::parse("contract"));
    }
    let subject_name = hit.subject.clone();
    let subject = hit.subject.as_deref().unwrap_or("");
    let mut rationale = rule.rationale.get(lang).to_string();
    if let Some((en, es)) = &hit.detail {
        rationale.push(' ');
        rationale.push_str(if lang == Lang::En { en } else { es });
    }
    Finding {
        rule_id: rule.id,
        severity: rule.severity,
        element: rule.element,
        title: rule.title.get(lang).replace("{s}", subject),
        rationale,
        fix: rule.fix.get(lang).replace("{s}", subject),
        snippet: hit
            .snippet
            .or_else(|| (!rule.snippet.is_empty()).then(|| rule.snippet.replace("{s}", subject))),
        path: hit.path,
        line: loc.line,
        col: loc.col,
        clause_present: present,
        subject: subject_name,
    }
}

/// Renders findings as a Markdown report in `lang`.
pub fn to_markdown(findings: &[Finding], lang: Lang) -> String {
    let es = lang == Lang::Es;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# {}\n",
        if es {
            "Revisión del contrato"
        } else {
            "Contract review"
        }
    );
    let count = |sev: Severity| findings.iter().filter(|f| f.severity == sev).count();
    if findings.is_empty() {
        let _ = writeln!(
            s,
            "{}",
            if es {
                "Sin hallazgos: ninguna regla del reglamento se activó."
            } else {
                "No findings: no rule of the rulebook fired."
            }
        );
        return s;
    }
    let _ = writeln!(
        s,
        "{} {}: {} {}, {} {}, {} {}{} {} {}.\n",
        findings.len(),
        match (es, findings.len()) {
            (true, 1) => "hallazgo",
            (true, _) => "hallazgos",
            (false, 1) => "finding",
            (false, _) => "findings",
        },
        count(Severity::High),
        if es { "de severidad alta" } else { "high" },
        count(Severity::Medium),
        if es { "de severidad media" } else { "medium" },
        count(Severity::Low),
        if es { "de severidad baja" } else { "low" },
        if es { " y" } else { "," },
        count(Severity::Info),
        if es { "informativos" } else { "info" },
    );
    let _ = writeln!(
        s,
        "| # | {} | {} | {} | {} |\n|---|---|---|---|---|",
        if es { "Severidad" } else { "Severity" },
        if es { "Regla" } else { "Rule" },
        if es { "Hallazgo" } else { "Finding" },
        if es { "Línea" } else { "Line" },
    );
    for (i, f) in findings.iter().enumerate() {
        let _ = writeln!(
            s,
            "| {} | {} | `{}` | {} | {} |",
            i + 1,
            f.severity.label(lang),
            f.rule_id,
            f.title.replace('|', "\\|"),
            f.line
        );
    }
    s.push('\n');
    for (i, f) in findings.iter().enumerate() {
        let _ = writeln!(
            s,
            "## {}. {} — {}\n",
            i + 1,
            f.severity.label(lang),
            f.title
        );
        let _ = writeln!(
            s,
            "- {}: `{}`\n- {}: {}\n- {}: {}\n",
            if es { "Regla" } else { "Rule" },
            f.rule_id,
            if es { "Ubicación" } else { "Location" },
            location(f, lang),
            if es {
                "Sección del contrato"
            } else {
                "Contract section"
            },
            element_title(f.element, lang),
        );
        let _ = writeln!(s, "{}\n", f.rationale);
        let _ = writeln!(
            s,
            "**{}** {}\n",
            if es { "Corrección:" } else { "Fix:" },
            f.fix
        );
        if let Some(snippet) = &f.snippet {
            let _ = writeln!(s, "```toml\n{}\n```\n", snippet.trim_end());
        }
    }
    s
}
