//! Checked money arithmetic: every product and sum of user-given amounts goes through here,
//! so an absurd rate or amount is an error naming the item rather than a panic.

use rust_decimal::Decimal;

use crate::error::TermsError;

/// `a × b`, or an overflow error naming `item`.
pub(crate) fn mul(a: Decimal, b: Decimal, item: &str) -> Result<Decimal, TermsError> {
    a.checked_mul(b).ok_or_else(|| TermsError::overflow(item))
}

/// `a + b`, or an overflow error naming `item`.
pub(crate) fn add(a: Decimal, b: Decimal, item: &str) -> Result<Decimal, TermsError> {
    a.checked_add(b).ok_or_else(|| TermsError::overflow(item))
}

/// `a − b`, or an overflow error naming `item`.
pub(crate) fn sub(a: Decimal, b: Decimal, item: &str) -> Result<Decimal, TermsError> {
    a.checked_sub(b).ok_or_else(|| TermsError::overflow(item))
}

/// `a ÷ b`, or an overflow error naming `item` (a zero `b` too).
pub(crate) fn div(a: Decimal, b: Decimal, item: &str) -> Result<Decimal, TermsError> {
    a.checked_div(b).ok_or_else(|| TermsError::overflow(item))
}

/// The sum of `values`, or an overflow error naming `item`.
pub(crate) fn sum(
    values: impl IntoIterator<Item = Decimal>,
    item: &str,
) -> Result<Decimal, TermsError> {
    values
        .into_iter()
        .try_fold(Decimal::ZERO, |acc, v| add(acc, v, item))
}

/// Percent of an amount: `amount × pct / 100`, or an overflow error naming `item`.
pub fn pct(amount: Decimal, pct: Decimal, item: &str) -> Result<Decimal, TermsError> {
    // Dividing first would lose digits the unchecked formula keeps; only the product can
    // overflow, and then the amount is beyond any invoice anyway.
    Ok(mul(amount, pct, item)? / Decimal::ONE_HUNDRED)
}
