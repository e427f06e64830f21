//! Number, money and month formatting in the reader's language, on top of `pacta_render::fmt`
//! (the contract documents' formatting: `1,234,567.50` / `1.234.567,50`, month names), so a
//! report and the rendered contract write figures the same way.

use pacta_contract::Lang;
use pacta_render::fmt as render;
use rust_decimal::Decimal;

/// Money with the currency's minor units, e.g. `12,345.60`. The settlement has rounded
/// already; an amount carrying more places than the currency (a rate such as `14.625`) keeps
/// them, so formatting never hides a digit.
pub fn money(amount: Decimal, minor_units: u32, lang: Lang) -> String {
    render::fixed(amount, amount.normalize().scale().max(minor_units), lang)
}

/// A plain decimal (quantities, rates) without trailing zeros, grouped.
pub fn decimal(d: Decimal, lang: Lang) -> String {
    render::number(d, lang)
}

/// A float with `places` decimals, grouped.
pub fn number(v: f64, places: usize, lang: Lang) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    render::localize(&format!("{v:.places$}"), lang)
}

/// An integer count, grouped.
pub fn count(n: u64, lang: Lang) -> String {
    render::integer(n, lang)
}

/// `October 2026` / `octubre de 2026`.
pub fn month_long((year, month): (i16, i8), lang: Lang) -> String {
    render::month(year, month, lang)
}

/// `Oct 26` / `oct 26`, for chart axes and history columns.
pub fn month_short((year, month): (i16, i8), lang: Lang) -> String {
    let short: String = render::month_name(month, lang).chars().take(3).collect();
    format!("{short} {:02}", year.rem_euclid(100))
}

/// Escapes text for XML/HTML content and attribute values (chart labels come from the
/// contract, which the user wrote).
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn money_groups_and_pads_per_language() {
        assert_eq!(money(dec!(1234567.5), 2, Lang::En), "1,234,567.50");
        assert_eq!(money(dec!(1234567.5), 2, Lang::Es), "1.234.567,50");
        assert_eq!(money(dec!(-2000), 2, Lang::En), "-2,000.00");
        assert_eq!(money(dec!(999), 0, Lang::En), "999");
        assert_eq!(money(dec!(1000000), 0, Lang::Es), "1.000.000");
        // More places than the currency (a rate) are kept, not rounded away.
        assert_eq!(money(dec!(14.625), 2, Lang::En), "14.625");
        assert_eq!(money(dec!(0), 2, Lang::En), "0.00");
    }

    #[test]
    fn numbers_and_counts() {
        assert_eq!(number(81.23456, 2, Lang::En), "81.23");
        assert_eq!(number(81.23456, 2, Lang::Es), "81,23");
        assert_eq!(number(12345.0, 0, Lang::Es), "12.345");
        assert_eq!(number(f64::NAN, 2, Lang::En), "—");
        assert_eq!(count(300000, Lang::En), "300,000");
        assert_eq!(decimal(dec!(1250.500), Lang::En), "1,250.5");
    }

    #[test]
    fn months_and_escaping() {
        assert_eq!(month_long((2026, 10), Lang::En), "October 2026");
        assert_eq!(month_long((2026, 10), Lang::Es), "octubre de 2026");
        assert_eq!(month_short((2026, 9), Lang::Es), "sep 26");
        assert_eq!(xml_escape("<b>&\"'"), "&lt;b&gt;&amp;&quot;&#39;");
    }
}
