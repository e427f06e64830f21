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
mod finding;
mod pricing;
mod rule;
mod rulebook;
mod text;

use pacta_contract::{Contract, FieldPath, Lang, Seg};

pub use finding::{Finding, element_title, rule, rules};
pub use pricing::{PricingComparison, compare_pricing};
pub use rule::{Rule, Severity, Text};
pub use text::{location, to_text};

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
        match lang {
            Lang::En => rationale.push_str(en),
            Lang::Es => rationale.push_str(&spanish_numbers(es)),
        }
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
            .or_else(|| (!rule.snippet.is_empty()).then(|| rule.snippet.replace("{s}", subject)))
            .map(|s| snippet_in(&s, lang)),
        path: hit.path,
        line: loc.line,
        col: loc.col,
        clause_present: present,
        subject: subject_name,
        section_present: top_exists,
    }
}

/// The example values the rulebook's TOML snippets name, in Spanish: a fix is pasted into a
/// contract written in the reader's language. Keys, ids and enumerated values stay as they are.
const SNIPPET_VALUES_ES: &[(&str, &str)] = &[
    (
        "Laws of the State of New York",
        "Leyes del Estado de Nueva York",
    ),
    (
        "Monthly forecast 30 days ahead",
        "Pronóstico mensual con 30 días de antelación",
    ),
    (
        "Knowledge base updates",
        "Actualización de la base de conocimiento",
    ),
    ("System access", "Acceso a los sistemas"),
    ("Staffing to forecast", "Dotación según el pronóstico"),
    ("Quality assurance", "Aseguramiento de la calidad"),
    ("Interval-level reporting", "Informes por intervalo"),
    ("Voice abandonment", "Abandono en voz"),
    ("Account director", "Director de cuenta"),
    ("Quality manager", "Responsable de calidad"),
    (
        "Weekly operations review",
        "Revisión semanal de operaciones",
    ),
    (
        "Quarterly business review",
        "Revisión trimestral del negocio",
    ),
    (
        "Professional liability",
        "Responsabilidad civil profesional",
    ),
    ("Cyber liability", "Seguro de ciberriesgos"),
    (
        "Contact-center platform",
        "Plataforma del centro de contacto",
    ),
    ("ACD and recording", "ACD y grabación"),
];

/// A rulebook snippet with its example values in `lang`.
fn snippet_in(snippet: &str, lang: Lang) -> String {
    match lang {
        Lang::En => snippet.to_string(),
        Lang::Es => SNIPPET_VALUES_ES
            .iter()
            .fold(snippet.to_string(), |s, (en, es)| {
                s.replace(&format!("\"{en}\""), &format!("\"{es}\""))
            }),
    }
}

/// Renders findings as a Markdown report in `lang`: a summary by contract section, then the
/// findings grouped by severity and section, each with its fix and TOML.
pub fn to_markdown(findings: &[Finding], lang: Lang) -> String {
    text::to_markdown(findings, lang)
}

/// A detail's figures written the Spanish way: the checks write numbers once, as `1,234.56`;
/// in Spanish text each point or comma between two digits is swapped (`1.234,56`). Text in
/// backticks (a key, a TOML value) is left as it is.
fn spanish_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    for (i, &c) in chars.iter().enumerate() {
        if c == '`' {
            in_code = !in_code;
        }
        let between_digits = i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        out.push(match c {
            ',' if between_digits && !in_code => '.',
            '.' if between_digits && !in_code => ',',
            other => other,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::spanish_numbers;

    #[test]
    fn spanish_details_use_decimal_commas() {
        assert_eq!(
            spanish_numbers("USD 370,000.00 al mes, `2.40` y 1.68"),
            "USD 370.000,00 al mes, `2.40` y 1,68"
        );
        assert_eq!(spanish_numbers("a, b. 3, 4."), "a, b. 3, 4.");
    }
}
