//! The seam between planning and counting: what the one pass must count ([`CellPlan`]), and
//! counters computed elsewhere ([`ExternalCells`]) turned back into the scan's accumulator.
//!
//! The local engine counts cells by scanning the interaction columns. An external engine
//! (DataFusion, Ballista, Spark…) counts the same cells from SQL that [`crate::lower`] writes
//! from the plan. Everything after the counting — summing cells in scope, the formulas, rates
//! and money — is the same code for both, so values cannot drift between engines.

use std::collections::{BTreeMap, BTreeSet};

use pacta_contract::measure::RepeatScope;

use crate::KpiError;
use crate::layout::{self, Layout};
use crate::scan::{ABSENT, Accum, ComboKey};

/// An accepted incident's window as the exclusion marks see it: rows of the window (and of
/// its queues, when listed) carry `bit` in their mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExclusionWindow {
    /// The mark bit (one per exclusion kind).
    pub bit: u8,
    /// Start, UTC ms (inclusive).
    pub start_ms: i64,
    /// End, UTC ms (exclusive).
    pub end_ms: i64,
    /// Queues the window covers; empty = every queue.
    pub queues: Vec<String>,
}

/// One FCR repeat configuration the pass flags handled contacts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RepeatConfig {
    /// Which later contacts count as repeats.
    pub scope: RepeatScope,
    /// The window after the handled contact, ms.
    pub window_ms: i64,
    /// Rows whose marks intersect this mask are not candidates.
    pub exclude: u8,
}

/// Everything the one pass counts, decided from the requests and the contract before any row
/// is read. Engines other than the local scan receive it through [`CellSource::cells`].
#[derive(Debug, Clone)]
pub struct CellPlan {
    pub(crate) layout: Layout,
    /// Base period boundaries (UTC ms); bucket `k` is `[bounds[k], bounds[k + 1])`.
    pub(crate) bounds: Vec<i64>,
    /// Open intervals `(channel code, start, end)`, UTC ms, sorted and disjoint per channel.
    pub(crate) open: Vec<(u8, i64, i64)>,
    /// Exclusion windows (empty: no row is marked).
    pub(crate) windows: Vec<ExclusionWindow>,
}

impl CellPlan {
    /// Counters per cell.
    pub fn counters(&self) -> usize {
        self.layout.k
    }

    /// Base buckets.
    pub fn buckets(&self) -> usize {
        self.bounds.len().saturating_sub(1)
    }

    /// Whether percentile requests need every answered wait.
    pub fn needs_waits(&self) -> bool {
        self.layout.need_waits
    }

    /// The FCR repeat configurations.
    pub fn repeat_configs(&self) -> Vec<RepeatConfig> {
        self.layout
            .fcr
            .iter()
            .map(|&(scope, window_ms, exclude)| RepeatConfig {
                scope,
                window_ms,
                exclude,
            })
            .collect()
    }

    /// The longest FCR window, ms (0 without FCR).
    pub fn longest_repeat_window_ms(&self) -> i64 {
        self.layout.fcr.iter().map(|c| c.1).max().unwrap_or(0)
    }
}

/// Counts the plan's cells somewhere other than the local scan.
pub trait CellSource: Sync + std::fmt::Debug {
    /// The cells of `plan`, counted over the same rows the local scan would read.
    fn cells(&self, plan: &CellPlan) -> Result<ExternalCells, KpiError>;
}

/// One cell counted by an external engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalCell {
    /// Channel code.
    pub channel: u8,
    /// Queue name.
    pub queue: String,
    /// Site name, if any.
    pub site: Option<String>,
    /// Language, if any.
    pub language: Option<String>,
    /// Exclusion mark.
    pub mark: u8,
    /// Arrived outside hours of operation.
    pub outside: bool,
    /// Base bucket.
    pub bucket: usize,
    /// `(counter index, value)`; values of the same counter add up, except the maximum wait.
    pub counters: Vec<(usize, u64)>,
    /// `(answered wait ms, how many)`, for percentiles.
    pub waits: Vec<(u64, u64)>,
}

/// Cells counted by an external engine, with the scan's data-quality counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExternalCells {
    /// Rows read (the month, plus the next month's rows inside the FCR window).
    pub rows: u64,
    /// Rows with a channel or outcome the store does not know.
    pub invalid: u64,
    /// The cells, in any order; one cell may come in several parts.
    pub cells: Vec<ExternalCell>,
}

/// Dictionaries the combination keys of an accumulator index into.
#[derive(Debug, Clone, Default)]
pub(crate) struct Dicts {
    pub queue: Vec<String>,
    pub site: Vec<String>,
    pub language: Vec<String>,
}

impl Dicts {
    /// A table's dictionaries.
    pub(crate) fn of(t: &pacta_data::model::InteractionTable) -> Dicts {
        Dicts {
            queue: t.queue_dict().to_vec(),
            site: t.site_dict().to_vec(),
            language: t.language_dict().to_vec(),
        }
    }
}

impl ExternalCells {
    /// The accumulator these cells stand for, with the dictionaries its keys index into.
    pub(crate) fn into_accum(self, plan: &CellPlan) -> Result<(Accum, Dicts), KpiError> {
        let k = plan.layout.k;
        let nb = plan.buckets();
        let bad = |what: String| KpiError::Engine(format!("the engine returned {what}"));
        let names = |f: fn(&ExternalCell) -> Option<&str>| -> Vec<String> {
            let set: BTreeSet<&str> = self.cells.iter().filter_map(f).collect();
            set.into_iter().map(str::to_string).collect()
        };
        let dicts = Dicts {
            queue: names(|c| Some(c.queue.as_str())),
            site: names(|c| c.site.as_deref()),
            language: names(|c| c.language.as_deref()),
        };
        let index = |d: &[String], v: Option<&str>| -> u32 {
            v.and_then(|v| d.binary_search_by(|x| x.as_str().cmp(v)).ok())
                .map_or(ABSENT, |i| i as u32)
        };
        let waits: u64 = self
            .cells
            .iter()
            .flat_map(|c| c.waits.iter().map(|w| w.1))
            .fold(0u64, u64::saturating_add);
        if waits > self.rows {
            return Err(bad(format!(
                "{waits} answered waits for {} rows",
                self.rows
            )));
        }
        let mut slots: BTreeMap<ComboKey, usize> = BTreeMap::new();
        let mut acc = Accum::empty(nb, k);
        acc.invalid = self.invalid;
        for cell in &self.cells {
            if cell.channel > 7 {
                return Err(bad(format!("channel code {}", cell.channel)));
            }
            if cell.bucket >= nb {
                return Err(bad(format!("bucket {} of {nb}", cell.bucket)));
            }
            let key = ComboKey {
                ch: cell.channel,
                q: index(&dicts.queue, Some(&cell.queue)),
                s: index(&dicts.site, cell.site.as_deref()),
                l: index(&dicts.language, cell.language.as_deref()),
                x: cell.mark,
            };
            let slot = *slots.entry(key).or_insert_with(|| acc.push_combo(key));
            let off = acc.cell(slot, cell.outside, cell.bucket);
            let tag = (usize::from(cell.outside) * nb + cell.bucket) as u32;
            for &(wait, n) in &cell.waits {
                // As the scan keeps them: one entry per answered contact, capped to u32.
                let wait = u32::try_from(wait).unwrap_or(u32::MAX);
                let n = usize::try_from(n).map_err(|_| bad(format!("{n} waits")))?;
                acc.waits[slot].extend(std::iter::repeat_n((tag, wait), n));
            }
            for &(c, v) in &cell.counters {
                let Some(d) = acc.cells.get_mut(off + c).filter(|_| c < k) else {
                    return Err(bad(format!("counter {c} of {k}")));
                };
                if c == layout::MAX_WAIT {
                    *d = (*d).max(v);
                } else {
                    *d = d
                        .checked_add(v)
                        .ok_or_else(|| bad("a counter overflow".into()))?;
                }
            }
        }
        for w in &mut acc.waits {
            w.sort_unstable();
        }
        // Every valid row in the periods adds one to exactly one outcome counter.
        let outcomes = [layout::A, layout::AB, layout::X, layout::IN_PROGRESS];
        for slot in 0..acc.combos.len() {
            for outside in [false, true] {
                for b in 0..nb {
                    let off = acc.cell(slot, outside, b);
                    let n: u64 = outcomes.iter().map(|&c| acc.cells[off + c]).sum();
                    acc.in_periods += n;
                    if outside {
                        acc.outside += n;
                    }
                }
            }
        }
        Ok((acc, dicts))
    }
}
