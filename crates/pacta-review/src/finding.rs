//! What a review returns: a [`Finding`], and the rulebook's rules and contract sections by
//! name (shared by the review and its reports).

use pacta_contract::{FieldPath, Lang};
use serde::Serialize;

use crate::rule::{Rule, Severity};
use crate::rulebook;

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
    /// Whether the clause's top-level section (`[credits]`, `[[sla]]`) is in the file: when
    /// it is not, `line` is the `[contract]` header's and says nothing about where to write.
    #[serde(skip)]
    pub section_present: bool,
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
