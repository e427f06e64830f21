//! Numbers, money, percentages, dates and months written the way each language writes them.
//!
//! English groups thousands with commas and uses a decimal point (`1,234.50 USD`); Spanish
//! groups with points and uses a decimal comma (`1.234,50 USD`). Dates are written out in full
//! (`1 January 2026`, `1 de enero de 2026`). Contract documents, settlement reports, the
//! terminal and the server all write figures through these functions, so they agree.

use jiff::civil::Date;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::{Lang, Month};

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

fn separators(lang: Lang) -> (char, char) {
    match lang {
        Lang::En => (',', '.'),
        Lang::Es => ('.', ','),
    }
}

/// Writes a plain decimal string (`-1234.5`) with the language's separators.
pub fn localize(plain: &str, lang: Lang) -> String {
    let (group, point) = separators(lang);
    let (sign, digits) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain),
    };
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(group);
        }
        grouped.push(c);
    }
    let mut out = format!("{sign}{grouped}");
    if let Some(f) = frac {
        out.push(point);
        out.push_str(f);
    }
    out
}

/// A decimal number without trailing zeros: `8.5` → "8.5" / "8,5"; `120000` → "120,000" /
/// "120.000".
pub fn number(value: Decimal, lang: Lang) -> String {
    let v = value.normalize();
    let v = if v.is_zero() { Decimal::ZERO } else { v };
    localize(&v.to_string(), lang)
}

/// A whole number with thousands separators.
pub fn integer(value: u64, lang: Lang) -> String {
    localize(&value.to_string(), lang)
}

/// A decimal with exactly `places` decimals (half away from zero), with separators.
pub fn fixed(value: Decimal, places: u32, lang: Lang) -> String {
    let mut v = value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
    if v.is_zero() {
        v = Decimal::ZERO;
    }
    v.rescale(places);
    localize(&v.to_string(), lang)
}

/// An amount in the contract currency, with the currency's minor units: "1,234.50 USD" /
/// "1.234,50 USD"; "1,235 CLP" for a currency without minor units.
pub fn money(amount: Decimal, minor_units: u32, currency: &str, lang: Lang) -> String {
    format!("{} {currency}", fixed(amount, minor_units, lang))
}

/// An amount with at least the currency's minor units and no currency code, e.g. `12,345.60`.
/// An amount carrying more places than the currency (a rate such as `14.625`) keeps them, so
/// formatting never hides a digit.
pub fn amount(value: Decimal, minor_units: u32, lang: Lang) -> String {
    fixed(value, value.normalize().scale().max(minor_units), lang)
}

/// A percentage written as a percent number: `10` → "10 %"; `8.5` → "8.5 %" / "8,5 %".
pub fn percent(value: Decimal, lang: Lang) -> String {
    format!("{} %", number(value, lang))
}

/// The name of a month (1–12) in the language, lower-case in Spanish.
pub fn month_name(month: i8, lang: Lang) -> &'static str {
    let i = usize::try_from(month.clamp(1, 12) - 1).unwrap_or(0);
    match lang {
        Lang::En => MONTHS_EN[i],
        Lang::Es => MONTHS_ES[i],
    }
}

/// A date written out: "1 January 2026" / "1 de enero de 2026".
pub fn date(d: Date, lang: Lang) -> String {
    let m = month_name(d.month(), lang);
    match lang {
        Lang::En => format!("{} {m} {}", d.day(), d.year()),
        Lang::Es => format!("{} de {m} de {}", d.day(), d.year()),
    }
}

/// A month of a year: "January 2026" / "enero de 2026".
pub fn month(month: Month, lang: Lang) -> String {
    let (m, year) = (month_name(month.month(), lang), month.year());
    match lang {
        Lang::En => format!("{m} {year}"),
        Lang::Es => format!("{m} de {year}"),
    }
}

/// "Oct 26" / "oct 26", for chart axes and history columns.
pub fn month_short(month: Month, lang: Lang) -> String {
    let short: String = month_name(month.month(), lang).chars().take(3).collect();
    format!("{short} {:02}", month.year().rem_euclid(100))
}

/// A float with `places` decimals, grouped; "—" for a value that is not a number.
pub fn float(v: f64, places: usize, lang: Lang) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    localize(&format!("{v:.places$}"), lang)
}

/// Joins items as a sentence does: "a, b and c" / "a, b y c" (Spanish "e" before an i sound).
pub fn join_and(items: &[String], lang: Lang) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => {
            let conj = match lang {
                Lang::En => "and",
                Lang::Es => {
                    let l = last.to_lowercase();
                    let starts_i = l.starts_with('i') || l.starts_with('í');
                    let starts_hi = l.starts_with("hi")
                        && !l[2..].starts_with(['a', 'e', 'o', 'u', 'á', 'é', 'ó', 'ú']);
                    if starts_i || starts_hi { "e" } else { "y" }
                }
            };
            format!("{} {conj} {last}", init.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn money_uses_minor_units_and_separators() {
        assert_eq!(money(d("1234.5"), 2, "USD", Lang::En), "1,234.50 USD");
        assert_eq!(money(d("1234.5"), 2, "USD", Lang::Es), "1.234,50 USD");
        assert_eq!(money(d("350000"), 2, "USD", Lang::En), "350,000.00 USD");
        assert_eq!(money(d("350000"), 2, "USD", Lang::Es), "350.000,00 USD");
        assert_eq!(
            money(d("1234567.891"), 2, "EUR", Lang::En),
            "1,234,567.89 EUR"
        );
        assert_eq!(money(d("1234.5"), 0, "CLP", Lang::Es), "1.235 CLP");
        assert_eq!(money(d("999.9995"), 3, "KWD", Lang::En), "1,000.000 KWD");
        assert_eq!(money(d("12.5"), 2, "USD", Lang::En), "12.50 USD");
        assert_eq!(money(d("-1500"), 2, "USD", Lang::Es), "-1.500,00 USD");
        assert_eq!(money(d("0"), 2, "USD", Lang::En), "0.00 USD");
    }

    #[test]
    fn amounts_keep_every_digit() {
        assert_eq!(amount(d("1234567.5"), 2, Lang::Es), "1.234.567,50");
        assert_eq!(amount(d("999"), 0, Lang::En), "999");
        assert_eq!(amount(d("14.625"), 2, Lang::En), "14.625");
        assert_eq!(amount(d("0"), 2, Lang::En), "0.00");
    }

    #[test]
    fn numbers_drop_trailing_noise() {
        assert_eq!(number(d("8.50"), Lang::En), "8.5");
        assert_eq!(number(d("8.50"), Lang::Es), "8,5");
        assert_eq!(number(d("120000"), Lang::En), "120,000");
        assert_eq!(number(d("120000"), Lang::Es), "120.000");
        assert_eq!(number(d("100.000"), Lang::En), "100");
        assert_eq!(number(d("-0.0"), Lang::En), "0");
        assert_eq!(percent(d("10"), Lang::En), "10 %");
        assert_eq!(percent(d("2.5"), Lang::Es), "2,5 %");
        assert_eq!(integer(1000, Lang::En), "1,000");
        assert_eq!(integer(999, Lang::Es), "999");
    }

    #[test]
    fn dates_are_written_out() {
        let jan1 = Date::new(2026, 1, 1).expect("valid date");
        assert_eq!(date(jan1, Lang::En), "1 January 2026");
        assert_eq!(date(jan1, Lang::Es), "1 de enero de 2026");
        let dec31 = Date::new(2028, 12, 31).expect("valid date");
        assert_eq!(date(dec31, Lang::En), "31 December 2028");
        assert_eq!(date(dec31, Lang::Es), "31 de diciembre de 2028");
        let sep = Month::new(2026, 9).expect("valid month");
        assert_eq!(month(sep, Lang::En), "September 2026");
        assert_eq!(month(sep, Lang::Es), "septiembre de 2026");
        assert_eq!(month_short(sep, Lang::Es), "sep 26");
        assert_eq!(float(1234.5, 1, Lang::Es), "1.234,5");
        assert_eq!(float(f64::NAN, 1, Lang::Es), "—");
    }

    #[test]
    fn lists_join_like_sentences() {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(join_and(&v(&["a", "b", "c"]), Lang::En), "a, b and c");
        assert_eq!(
            join_and(&v(&["español", "inglés"]), Lang::Es),
            "español e inglés"
        );
        assert_eq!(join_and(&v(&["PH", "US"]), Lang::Es), "PH y US");
        assert_eq!(join_and(&v(&["x"]), Lang::Es), "x");
    }
}
