//! What can go wrong computing the terms: an amount too large for a decimal.

use pacta_core::{Lang, Localized};

/// An error of the terms arithmetic.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TermsError {
    /// An amount does not fit in a decimal (its magnitude is above 7.9 × 10²⁸): a rate, an
    /// amount or a quantity in the contract, the data or an invoice is absurdly large.
    #[error(
        "the amount of `{item}` is too large to compute (above 79228162514264337593543950335); check the rates, amounts and quantities"
    )]
    Overflow {
        /// What was being computed: an invoice item id (`hours`, `minimum-commitment`), an
        /// SLA id, or the figure's name (`at-risk`, `total`).
        item: String,
    },
}

impl TermsError {
    /// The overflow error for `item`.
    pub(crate) fn overflow(item: impl Into<String>) -> Self {
        TermsError::Overflow { item: item.into() }
    }
}

impl Localized for TermsError {
    fn code(&self) -> &'static str {
        match self {
            TermsError::Overflow { .. } => "money-overflow",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (TermsError::Overflow { item }, Lang::Es) => format!(
                "el importe de `{item}` es demasiado grande para calcularlo (supera 79228162514264337593543950335); revise las tarifas, los importes y las cantidades"
            ),
        }
    }
}
