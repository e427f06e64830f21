//! The words and figures the terminal prints: enum values as words in the reader's language,
//! money and measured values with that language's separators, and long text wrapped to the
//! terminal's width.
//!
//! The settlement carries machine values (`Status::BelowMinimum`, `Exclusion::AcceptedRelief`,
//! plain decimals); nothing the reader sees should show them as code.

use pacta_contract::metrics::Unit;
use pacta_contract::{ChronicRemedy, Exclusion, Lang, SlaClass};
use pacta_core::fmt;
use pacta_terms::pricing::LineKind;
use pacta_terms::reconcile::DiscrepancyKind;
use rust_decimal::Decimal;

/// Default terminal output never goes past this column (`--wide` lifts it where offered).
pub const WIDTH: usize = 100;

/// An SLA class.
pub fn class(c: SlaClass, lang: Lang) -> &'static str {
    match c {
        SlaClass::Critical => lang.pick("critical", "crítico"),
        SlaClass::Key => lang.pick("key", "clave"),
        SlaClass::Tracked => lang.pick("tracked", "seguimiento"),
    }
}

/// Why contacts were left out of an SLA's figure.
pub fn exclusion(e: Exclusion, lang: Lang) -> &'static str {
    match e {
        Exclusion::AcceptedRelief => {
            lang.pick("accepted relief event", "evento de alivio aceptado")
        }
        Exclusion::ForceMajeure => lang.pick("force majeure", "fuerza mayor"),
        Exclusion::VolumeAboveFlex => lang.pick(
            "volume above the flex band",
            "volumen por encima de la banda",
        ),
        Exclusion::ClientCaused => {
            lang.pick("client-caused failure", "falla atribuible al cliente")
        }
        Exclusion::OutsideHours => lang.pick(
            "outside hours of operation",
            "fuera del horario de servicio",
        ),
    }
}

/// An invoice line's kind.
pub fn line_kind(k: LineKind, lang: Lang) -> &'static str {
    match k {
        LineKind::Service => lang.pick("service", "servicio"),
        LineKind::ShiftPremium => lang.pick("shift premium", "recargo por turno"),
        LineKind::MinimumCommitment => lang.pick("minimum commitment", "compromiso mínimo"),
        LineKind::OneTimeFee => lang.pick("one-time fee", "cargo único"),
        LineKind::PassThrough => lang.pick("pass-through", "costo trasladado"),
        LineKind::Credit => lang.pick("service credit", "crédito por servicio"),
        LineKind::Bonus => lang.pick("bonus", "bono"),
    }
}

/// A difference between the vendor's invoice and the expected one.
pub fn discrepancy(k: DiscrepancyKind, lang: Lang) -> &'static str {
    match k {
        DiscrepancyKind::Quantity => lang.pick("quantity differs", "cantidad distinta"),
        DiscrepancyKind::Rate => lang.pick("rate differs", "tarifa distinta"),
        DiscrepancyKind::Arithmetic => lang.pick("qty × rate ≠ amount", "cant. × tarifa ≠ importe"),
        DiscrepancyKind::NotAllowed => lang.pick("not allowed", "no permitido"),
        DiscrepancyKind::Missing => lang.pick("not invoiced", "no facturada"),
    }
}

/// What a chronic-failure trigger gives the client.
pub fn remedy(r: ChronicRemedy, lang: Lang) -> &'static str {
    match r {
        ChronicRemedy::TerminationRight => lang.pick("termination right", "derecho de terminación"),
        ChronicRemedy::EscalatedCredit => lang.pick("escalated credit", "crédito escalado"),
        ChronicRemedy::RemediationPlan => {
            lang.pick("remediation plan due", "plan de remediación exigible")
        }
    }
}

/// Why a chronic-failure trigger fired, in the reader's language, from the settlement's
/// English wording (`missed 2 consecutive months`, `3 misses in the last 12 months`); `None`
/// for a wording this does not know, rather than English in a Spanish line.
pub fn chronic_why(why: &str, lang: Lang) -> Option<String> {
    if lang == Lang::En {
        return Some(why.to_string());
    }
    let words: Vec<&str> = why.split_whitespace().collect();
    match words.as_slice() {
        ["below", "minimum", n, "consecutive", "months"] => {
            Some(format!("bajo el mínimo {n} meses consecutivos"))
        }
        ["missed", n, "consecutive", "months"] => {
            Some(format!("incumplido {n} meses consecutivos"))
        }
        [n, "misses", "in", "the", "last", w, "months"] => {
            Some(format!("{n} incumplimientos en los últimos {w} meses"))
        }
        _ => None,
    }
}

/// An amount in the contract's currency, rounded to its minor units: `350,000.00 USD` /
/// `350.000,00 USD`.
pub fn money(amount: Decimal, currency: &str, lang: Lang) -> String {
    let minor = pacta_contract::money::minor_units(currency).unwrap_or(2);
    fmt::money(amount, minor, currency, lang)
}

/// An amount without its currency, rounded to the currency's minor units (table cells).
pub fn amount(amount: Decimal, currency: &str, lang: Lang) -> String {
    let minor = pacta_contract::money::minor_units(currency).unwrap_or(2);
    fmt::fixed(amount, minor, lang)
}

/// A rate or an amount in a table: at least the currency's minor units, and every further
/// digit it has (`14.50`, `1.375`), so formatting never hides a digit of a contract rate.
pub fn rate(value: Decimal, currency: &str, lang: Lang) -> String {
    let minor = pacta_contract::money::minor_units(currency).unwrap_or(2);
    fmt::amount(value, minor, lang)
}

/// A rate or quantity: every digit it has, with separators (`14.625`, `1.234,5`).
pub fn number(value: Decimal, lang: Lang) -> String {
    fmt::number(value, lang)
}

/// A measured value in its unit (`82.68 %` / `82,68 %`, `10.3 s`); `—` for no data.
pub fn unit_value(value: Option<f64>, unit: Unit, lang: Lang) -> String {
    match value {
        None => "—".into(),
        Some(v) => match unit {
            Unit::Percent => format!("{} %", fmt::float(v, 2, lang)),
            Unit::Seconds => format!("{} s", fmt::float(v, 1, lang)),
            // Two decimals: a one-decimal "6.0 h" against "≥ 6 h" would hide a 5.96 miss.
            Unit::Hours => format!("{} h", fmt::float(v, 2, lang)),
            Unit::Score => fmt::float(v, 2, lang),
            Unit::Count => fmt::float(v, 0, lang),
        },
    }
}

/// `text` wrapped at word boundaries so that no line, with `indent` before it, passes
/// `width` characters; every line after the first starts with `indent` too. A single word
/// longer than the line (a path, a URL) is left whole rather than broken.
pub fn wrap(text: &str, indent: &str, width: usize) -> String {
    hanging(text, indent, indent, width)
}

/// `text` wrapped like [`wrap`], its first line after `first` and the others after `rest`
/// (a table row's last cell, a `label: value` line).
pub fn hanging(text: &str, first: &str, rest: &str, width: usize) -> String {
    let mut out = String::new();
    for (n, paragraph) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let mut line = String::from(if n == 0 { first } else { rest });
        let mut empty = true;
        for word in paragraph.split_whitespace() {
            let len = line.chars().count();
            if !empty && len + 1 + word.chars().count() > width {
                out.push_str(&line);
                out.push('\n');
                line = String::from(rest);
                empty = true;
            }
            if !empty {
                line.push(' ');
            }
            line.push_str(word);
            empty = false;
        }
        out.push_str(&line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_rounded_to_minor_units_and_written_per_language() {
        let d = |s: &str| s.parse::<Decimal>().unwrap_or_default();
        assert_eq!(money(d("350000"), "USD", Lang::En), "350,000.00 USD");
        assert_eq!(money(d("350000"), "USD", Lang::Es), "350.000,00 USD");
        assert_eq!(money(d("-26013.605"), "USD", Lang::En), "-26,013.61 USD");
        assert_eq!(money(d("1234.5"), "CLP", Lang::Es), "1.235 CLP");
        assert_eq!(amount(d("1.375"), "USD", Lang::Es), "1,38");
        assert_eq!(number(d("1.375"), Lang::Es), "1,375");
    }

    #[test]
    fn chronic_reasons_are_translated_or_left_out() {
        assert_eq!(
            chronic_why("3 misses in the last 12 months", Lang::Es).as_deref(),
            Some("3 incumplimientos en los últimos 12 meses")
        );
        assert_eq!(
            chronic_why("missed 2 consecutive months", Lang::Es).as_deref(),
            Some("incumplido 2 meses consecutivos")
        );
        assert_eq!(chronic_why("something new", Lang::Es), None);
        assert_eq!(
            chronic_why("something new", Lang::En).as_deref(),
            Some("something new")
        );
    }

    #[test]
    fn measured_values_use_the_language_decimal_mark() {
        assert_eq!(unit_value(Some(82.857), Unit::Percent, Lang::Es), "82,86 %");
        assert_eq!(unit_value(Some(82.857), Unit::Percent, Lang::En), "82.86 %");
        assert_eq!(unit_value(Some(1234.0), Unit::Count, Lang::Es), "1.234");
        assert_eq!(unit_value(None, Unit::Seconds, Lang::Es), "—");
    }

    #[test]
    fn wrapping_keeps_lines_within_the_width() {
        let text = "one two three four five six seven eight nine ten eleven twelve";
        let wrapped = wrap(text, "    ", 20);
        assert_eq!(
            wrapped,
            "    one two three\n    four five six\n    seven eight nine\n    ten eleven\n    twelve"
        );
        assert!(wrapped.lines().all(|l| l.chars().count() <= 20));
        assert_eq!(wrap("a\nb", "  ", 10), "  a\n  b");
        assert_eq!(
            wrap("averyveryverylongword x", "", 5),
            "averyveryverylongword\nx"
        );
        assert_eq!(
            hanging("title words here", "id  ", "    ", 12),
            "id  title\n    words\n    here"
        );
    }
}
