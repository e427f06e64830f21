//! Line-by-line reconciliation of a vendor's invoice against the invoice pacta computed.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::TermsError;
use crate::money as mo;
use crate::pricing::{Invoice, PriceTerms};

/// A line of the vendor's invoice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VendorLine {
    /// Item as invoiced.
    pub item: String,
    /// Quantity.
    pub quantity: Decimal,
    /// Rate.
    pub rate: Decimal,
    /// Amount.
    pub amount: Decimal,
}

/// What is wrong with a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiscrepancyKind {
    /// The quantity does not match the data.
    Quantity,
    /// The rate does not match the contract.
    Rate,
    /// quantity × rate ≠ amount on the vendor's own line.
    Arithmetic,
    /// A charge the contract does not allow (hidden charge).
    NotAllowed,
    /// A line pacta expects that the vendor did not invoice (often credits not netted).
    Missing,
}

/// One difference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Discrepancy {
    /// Item.
    pub item: String,
    /// Kind.
    pub kind: DiscrepancyKind,
    /// What pacta expects.
    pub expected: Option<Decimal>,
    /// What the vendor invoiced.
    pub invoiced: Option<Decimal>,
    /// Money difference: invoiced − expected amount (positive = overcharge).
    pub difference: Decimal,
}

/// The reconciliation result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reconciliation {
    /// Differences found.
    pub discrepancies: Vec<Discrepancy>,
    /// Vendor invoice total.
    pub invoiced_total: Decimal,
    /// pacta's total.
    pub expected_total: Decimal,
    /// invoiced − expected.
    pub difference: Decimal,
}

/// Compares the vendor's lines with the computed invoice.
///
/// Fails when the vendor's figures are too large for a decimal.
pub fn reconcile(
    terms: PriceTerms<'_>,
    expected: &Invoice,
    vendor: &[VendorLine],
) -> Result<Reconciliation, TermsError> {
    let round = |d: Decimal| terms.round(d);
    let mut discrepancies = Vec::new();
    for v in vendor {
        let own = round(mo::mul(v.quantity, v.rate, &v.item)?);
        if own != round(v.amount) {
            discrepancies.push(Discrepancy {
                item: v.item.clone(),
                kind: DiscrepancyKind::Arithmetic,
                expected: Some(own),
                invoiced: Some(v.amount),
                difference: round(mo::sub(v.amount, own, &v.item)?),
            });
        }
        match expected.lines.iter().find(|l| l.item == v.item) {
            None => discrepancies.push(Discrepancy {
                item: v.item.clone(),
                kind: DiscrepancyKind::NotAllowed,
                expected: None,
                invoiced: Some(v.amount),
                difference: round(v.amount),
            }),
            Some(l) => {
                if v.quantity != l.quantity {
                    discrepancies.push(Discrepancy {
                        item: v.item.clone(),
                        kind: DiscrepancyKind::Quantity,
                        expected: Some(l.quantity),
                        invoiced: Some(v.quantity),
                        difference: round(mo::mul(
                            mo::sub(v.quantity, l.quantity, &v.item)?,
                            v.rate,
                            &v.item,
                        )?),
                    });
                }
                if v.rate.round_dp(4) != l.rate.round_dp(4) {
                    discrepancies.push(Discrepancy {
                        item: v.item.clone(),
                        kind: DiscrepancyKind::Rate,
                        expected: Some(l.rate),
                        invoiced: Some(v.rate),
                        difference: round(mo::mul(
                            mo::sub(v.rate, l.rate, &v.item)?,
                            l.quantity,
                            &v.item,
                        )?),
                    });
                }
            }
        }
    }
    for l in &expected.lines {
        if !vendor.iter().any(|v| v.item == l.item) {
            discrepancies.push(Discrepancy {
                item: l.item.clone(),
                kind: DiscrepancyKind::Missing,
                expected: Some(l.amount),
                invoiced: None,
                difference: -l.amount,
            });
        }
    }
    let invoiced_total = mo::sum(vendor.iter().map(|v| round(v.amount)), "total")?;
    Ok(Reconciliation {
        discrepancies,
        invoiced_total,
        expected_total: expected.total,
        difference: mo::sub(invoiced_total, expected.total, "total")?,
    })
}
