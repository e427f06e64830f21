//! Errors of obligation and calendar arithmetic.

use pacta_core::{Lang, Localized};

/// Why obligations or a calendar could not be derived.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GovernanceError {
    /// The range ends before it starts.
    #[error("the range {from} – {to} ends before it starts")]
    RangeInverted {
        /// First day asked for.
        from: jiff::civil::Date,
        /// Last day asked for.
        to: jiff::civil::Date,
    },
    /// The range is longer than ten years.
    #[error("the range {from} – {to} is longer than {max_years} years")]
    RangeTooLong {
        /// First day asked for.
        from: jiff::civil::Date,
        /// Last day asked for.
        to: jiff::civil::Date,
        /// The longest range accepted.
        max_years: i16,
    },
    /// Date arithmetic left the calendar jiff supports.
    #[error("date arithmetic from {from} left the supported calendar")]
    DateOutOfRange {
        /// The date the arithmetic started from.
        from: jiff::civil::Date,
    },
    /// The contract's calendar has no business day at all.
    #[error("the contract's calendar has no business day (calendar.business_days is empty)")]
    NoBusinessDay,
}

impl Localized for GovernanceError {
    fn code(&self) -> &'static str {
        match self {
            GovernanceError::RangeInverted { .. } => "governance-range-inverted",
            GovernanceError::RangeTooLong { .. } => "governance-range-too-long",
            GovernanceError::DateOutOfRange { .. } => "governance-date-out-of-range",
            GovernanceError::NoBusinessDay => "governance-no-business-day",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (GovernanceError::RangeInverted { from, to }, Lang::Es) => {
                format!("el intervalo {from} – {to} termina antes de empezar")
            }
            (GovernanceError::RangeTooLong { from, to, max_years }, Lang::Es) => {
                format!("el intervalo {from} – {to} supera los {max_years} años")
            }
            (GovernanceError::DateOutOfRange { from }, Lang::Es) => {
                format!("el cálculo de fechas desde {from} sale del calendario admitido")
            }
            (GovernanceError::NoBusinessDay, Lang::Es) => {
                "el calendario del contrato no tiene ningún día hábil (calendar.business_days está vacío)".into()
            }
        }
    }

    fn hint(&self, lang: Lang) -> Option<String> {
        match self {
            GovernanceError::RangeInverted { .. } => {
                Some(lang.pick("swap --from and --to", "intercambie --from y --to").into())
            }
            GovernanceError::RangeTooLong { .. } => Some(
                lang.pick(
                    "ask for ten years or less at a time",
                    "pida diez años o menos cada vez",
                )
                .into(),
            ),
            GovernanceError::NoBusinessDay => Some(
                lang.pick(
                    "list at least one weekday in calendar.business_days, or remove the key for Monday to Friday",
                    "indique al menos un día en calendar.business_days, o quite la clave para usar lunes a viernes",
                )
                .into(),
            ),
            GovernanceError::DateOutOfRange { .. } => None,
        }
    }
}
