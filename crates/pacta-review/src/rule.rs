//! What a rule of the rulebook is: its severity, its text in both languages and its check.

use serde::Serialize;

use pacta_contract::Lang;

use crate::checks;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Exposes the client to material loss or leaves a core right unenforceable.
    High,
    /// A weak or vague clause that will likely cause disputes or cost.
    Medium,
    /// A gap worth closing before signature.
    Low,
    /// Information (e.g. a cost comparison), no action required.
    Info,
}

impl Severity {
    /// Machine name (`high`, `medium`, `low`, `info`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
        }
    }

    /// Human label.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Severity::High, Lang::En) => "High",
            (Severity::Medium, Lang::En) => "Medium",
            (Severity::Low, Lang::En) => "Low",
            (Severity::Info, Lang::En) => "Info",
            (Severity::High, Lang::Es) => "Alta",
            (Severity::Medium, Lang::Es) => "Media",
            (Severity::Low, Lang::Es) => "Baja",
            (Severity::Info, Lang::Es) => "Informativa",
        }
    }
}

/// A text in both languages pacta writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Text {
    /// English.
    pub en: &'static str,
    /// Spanish.
    pub es: &'static str,
}

impl Text {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Es => self.es,
        }
    }
}

/// One rule of the rulebook.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    /// Stable kebab-case identifier, e.g. `no-dispute-procedure`.
    pub id: &'static str,
    /// Severity of its findings.
    pub severity: Severity,
    /// The `docs/spec/contract-elements.md` section it protects, e.g.
    /// `"4. Service credits, bonuses and remedies"`.
    pub element: &'static str,
    /// Short title. `{s}` stands for the subject (an SLA id, a fee id) when there is one.
    pub title: Text,
    /// Why it matters.
    pub rationale: Text,
    /// What to change.
    pub fix: Text,
    /// A TOML snippet showing the fix (empty when none applies).
    pub snippet: &'static str,
    #[serde(skip)]
    pub(crate) check: fn(&checks::Ctx<'_>) -> Vec<checks::Hit>,
}
