//! Vendor selection: weighted or AHP criteria, knock-outs, sensitivity, the total cost of each price proposal with the contract terms' pricing engine, and pilot comparison.
//!
//! [`model::parse`] reads an evaluation file (TOML; errors located at line:col) into a
//! validated [`model::Evaluation`]; [`evaluate`] ranks the candidates ([`rank`]), measures how
//! far each weight may move before the winner changes, prices every proposal on the client's
//! forecast over the term with `pacta_terms::pricing` ([`cost`]) and, given pilot data,
//! compares the candidates with confidence intervals ([`pilot`]). No I/O, no printing.

pub mod ahp;
pub mod cost;
pub mod model;
pub mod pilot;
pub mod rank;

use serde::Serialize;

pub use model::{Evaluation, InputError, parse};

/// Everything `pacta select` reports.
#[derive(Debug, Clone, Serialize)]
pub struct SelectionOutcome {
    /// Title.
    pub title: String,
    /// Client.
    pub client: String,
    /// Currency.
    pub currency: String,
    /// Score scale.
    pub scale: u32,
    /// Criteria and weights.
    pub criteria: Vec<model::Criterion>,
    /// How the weights were obtained.
    pub weights: model::WeightMethod,
    /// Candidates, best first.
    pub ranking: Vec<rank::Ranked>,
    /// Weight sensitivity.
    pub sensitivity: Vec<rank::Sensitivity>,
    /// Total cost per proposal.
    pub costs: Vec<cost::ProposalCost>,
    /// Break-even volumes.
    pub break_evens: Vec<cost::BreakEven>,
    /// Pilot comparisons.
    pub pilot: Vec<pilot::Comparison>,
    /// Warnings.
    pub warnings: Vec<String>,
}

/// Why an evaluation could not be completed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvaluateError {
    /// The pilot data is unusable.
    #[error(transparent)]
    Pilot(#[from] pilot::PilotError),
    /// A proposal is too large to price.
    #[error(transparent)]
    Cost(#[from] cost::CostError),
}

impl pacta_core::Localized for EvaluateError {
    fn code(&self) -> &'static str {
        match self {
            EvaluateError::Pilot(e) => e.code(),
            EvaluateError::Cost(e) => e.code(),
        }
    }

    fn message(&self, lang: pacta_core::Lang) -> String {
        match self {
            EvaluateError::Pilot(e) => e.message(lang),
            EvaluateError::Cost(e) => e.message(lang),
        }
    }
}

/// Ranks, prices and (with pilot rows) compares the candidates.
pub fn evaluate(
    e: &Evaluation,
    pilot_rows: &[pilot::PilotRow],
) -> Result<SelectionOutcome, EvaluateError> {
    let ranking = rank::rank(e);
    let sensitivity = rank::sensitivity(e, &ranking);
    let mut warnings = e.warnings.clone();
    for r in pilot_rows {
        if !e.candidates.iter().any(|c| c.id == r.candidate) {
            warnings.push(format!(
                "pilot data for `{}`, which is not a candidate",
                r.candidate
            ));
        }
    }
    Ok(SelectionOutcome {
        title: e.title.clone(),
        client: e.client.clone(),
        currency: e.currency.clone(),
        scale: e.scale,
        criteria: e.criteria.clone(),
        weights: e.weights.clone(),
        sensitivity,
        costs: cost::total_costs(e)?,
        break_evens: cost::break_evens(e)?,
        pilot: pilot::compare(pilot_rows)?,
        ranking,
        warnings,
    })
}
