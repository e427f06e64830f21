//! Number, money and month formatting in the reader's language.
//!
//! English groups thousands with `,` and uses `.` for decimals; Spanish groups with `.` and
//! uses `,` (the RAE and most Latin American usage), so `1234567.5` reads `1,234,567.50` or
//! `1.234.567,50`. Money is shown with exactly the currency's minor units: the settlement has
//! already rounded it, so formatting never rounds again.

use pacta_contract::Lang;
use rust_decimal::Decimal;

/// Inserts thousands separators into a plain decimal string (`-1234.5` → `-1,234.5`).
fn group(plain: &str, lang: Lang) -> String {
    let (sep, point) = match lang {
        Lang::En => (',', '.'),
        Lang::Es => ('.', ','),
    };
    let (sign, rest) = plain.strip_prefix('-').map_or(("", plain), |r| ("-", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut out = String::with_capacity(plain.len() + plain.len() / 3 + 1);
    out.push_str(sign);
    let digits = int.len();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (digits - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push(point);
        out.push_str(f);
    }
    out
}

/// Money with the currency's minor units, e.g. `12,345.60`.
pub fn money(amount: Decimal, minor_units: u32, lang: Lang) -> String {
    let mut a = amount;
    // The settlement rounded already; rescale only pads (12.5 → 12.50) or, for amounts
    // carrying more places than the currency (rates), keeps them: never hides a digit.
    if a.scale() < minor_units {
        a.rescale(minor_units);
    }
    group(&a.normalize_keep(minor_units), lang)
}

trait NormalizeKeep {
    fn normalize_keep(&self, min_scale: u32) -> String;
}

impl NormalizeKeep for Decimal {
    /// The decimal without trailing zeros beyond `min_scale` places.
    fn normalize_keep(&self, min_scale: u32) -> String {
        let mut d = self.normalize();
        if d.scale() < min_scale {
            d.rescale(min_scale);
        }
        d.to_string()
    }
}

/// A plain decimal (quantities, rates) without trailing zeros, grouped.
pub fn decimal(d: Decimal, lang: Lang) -> String {
    group(&d.normalize().to_string(), lang)
}

/// A float with `places` decimals, grouped.
pub fn number(v: f64, places: usize, lang: Lang) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    group(&format!("{v:.places$}"), lang)
}

/// An integer count, grouped.
pub fn count(n: u64, lang: Lang) -> String {
    group(&n.to_string(), lang)
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_ES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

/// `October 2026` / `octubre de 2026`.
pub fn month_long((year, month): (i16, i8), lang: Lang) -> String {
    let i = usize::try_from(month.clamp(1, 12) - 1).unwrap_or(0);
    match lang {
        Lang::En => format!("{} {year}", MONTHS_EN[i]),
        Lang::Es => format!("{} de {year}", MONTHS_ES[i]),
    }
}

/// `Oct 26` / `oct 26`, for chart axes and history columns.
pub fn month_short((year, month): (i16, i8), lang: Lang) -> String {
    let i = usize::try_from(month.clamp(1, 12) - 1).unwrap_or(0);
    let name = match lang {
        Lang::En => MONTHS_EN[i],
        Lang::Es => MONTHS_ES[i],
    };
    let short: String = name.chars().take(3).collect();
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
