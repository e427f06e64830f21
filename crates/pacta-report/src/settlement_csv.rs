//! A settlement as one CSV for spreadsheets: the scorecard, the credit lines, the invoice
//! lines and the totals, one row each, with a `section` column saying which. Numbers are
//! plain decimals (`1234.5`) and statuses and kinds are their stable codes, so a spreadsheet
//! in any language reads them; `pacta settle --format json` has every figure besides.

use pacta_settle::month::Settlement;
use rust_decimal::Decimal;
use serde::Serialize;

const HEADER: &str =
    "section,id,name,kind,measured,expected,minimum,status,quantity,unit,rate,amount,currency";

/// One field, quoted when it holds a comma, a quote or a line break (RFC 4180).
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The stable code a value serializes to (`below_minimum`, `minimum_commitment`).
fn code(value: &impl Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn decimal(d: Option<Decimal>) -> String {
    d.map(|d| d.normalize().to_string()).unwrap_or_default()
}

/// The settlement as CSV: a header, then the `sla`, `credit`, `invoice` and `total` rows.
pub fn settlement_csv(s: &Settlement) -> String {
    let mut rows: Vec<[String; 13]> = Vec::new();
    let currency = s.currency.clone();
    for o in &s.slas {
        rows.push([
            "sla".into(),
            o.sla_id.clone(),
            o.name.clone(),
            o.metric.clone(),
            o.value.value.map(|v| format!("{v:.4}")).unwrap_or_default(),
            decimal(o.expected),
            decimal(o.minimum),
            code(&o.status),
            String::new(),
            code(&o.unit),
            String::new(),
            String::new(),
            String::new(),
        ]);
    }
    for l in &s.credits.lines {
        rows.push([
            "credit".into(),
            l.sla_id.clone(),
            String::new(),
            "sla_credit".into(),
            String::new(),
            String::new(),
            String::new(),
            code(&l.status),
            String::new(),
            String::new(),
            String::new(),
            decimal(Some(l.allocation_credit + l.fixed_credit)),
            currency.clone(),
        ]);
    }
    for l in &s.invoice.lines {
        rows.push([
            "invoice".into(),
            l.item.clone(),
            String::new(),
            code(&l.kind),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            decimal(Some(l.quantity)),
            l.unit.clone(),
            decimal(Some(l.rate)),
            decimal(Some(l.amount)),
            currency.clone(),
        ]);
    }
    for (id, amount) in [
        ("credit_due", s.credits.credit),
        ("service_charges", s.invoice.service_charges),
        ("invoice_total", s.invoice.total),
    ] {
        let mut row: [String; 13] = Default::default();
        row[0] = "total".into();
        row[1] = id.into();
        row[11] = decimal(Some(amount));
        row[12] = currency.clone();
        rows.push(row);
    }
    let mut out = String::from(HEADER);
    out.push('\n');
    for row in rows {
        let line: Vec<String> = row.iter().map(|f| field(f)).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_are_quoted_only_when_they_must_be() {
        assert_eq!(field("voice-productive-hours"), "voice-productive-hours");
        assert_eq!(field("cards, platinum"), "\"cards, platinum\"");
        assert_eq!(field("the \"gold\" queue"), "\"the \"\"gold\"\" queue\"");
    }
}
