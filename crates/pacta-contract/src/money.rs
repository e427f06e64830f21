//! Money: currencies, their minor units, and explicit rounding.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::model::Rounding;

/// ISO 4217 minor units for the currencies pacta accepts.
const MINOR_UNITS: &[(&str, u32)] = &[
    ("USD", 2),
    ("EUR", 2),
    ("GBP", 2),
    ("PHP", 2),
    ("COP", 2),
    ("MXN", 2),
    ("CLP", 0),
    ("JPY", 0),
    ("INR", 2),
    ("BRL", 2),
    ("ARS", 2),
    ("PEN", 2),
    ("ILS", 2),
    ("CAD", 2),
    ("AUD", 2),
    ("KRW", 0),
    ("KWD", 3),
    ("BHD", 3),
    ("CHF", 2),
    ("ZAR", 2),
    ("UYU", 2),
    ("DOP", 2),
    ("GTQ", 2),
    ("CRC", 2),
    ("EGP", 2),
    ("MAD", 2),
    ("PLN", 2),
    ("SEK", 2),
    ("NOK", 2),
    ("DKK", 2),
    ("SGD", 2),
    ("MYR", 2),
    ("VND", 0),
    ("IDR", 2),
    ("NZD", 2),
];

/// Decimal places of a currency, `None` when pacta does not know it.
pub fn minor_units(code: &str) -> Option<u32> {
    MINOR_UNITS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, u)| *u)
}

/// Rounds an amount to the currency's minor unit with the contract's rule.
pub fn round(amount: Decimal, minor_units: u32, rule: Rounding) -> Decimal {
    let strategy = match rule {
        Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
        Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
    };
    amount.round_dp_with_strategy(minor_units, strategy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_per_currency_and_rule() {
        let x = Decimal::new(12345, 3); // 12.345
        assert_eq!(round(x, 2, Rounding::HalfUp).to_string(), "12.35");
        assert_eq!(round(x, 2, Rounding::HalfEven).to_string(), "12.34");
        assert_eq!(
            round(Decimal::new(25, 1), 0, Rounding::HalfEven).to_string(),
            "2"
        );
        assert_eq!(minor_units("CLP"), Some(0));
        assert_eq!(minor_units("XXX"), None);
    }
}
