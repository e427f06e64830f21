//! Row counts settlement needs besides the KPIs (daily offered volume per service, offered
//! volume for the flex band, usage quantities for pricing), gathered in one pass over the
//! interaction table split across threads.
//!
//! Callers register what they want with [`Tally::add`], run the pass once, then read each
//! figure back with the handle they were given. Every figure is a sum, so the result does
//! not depend on row order or on how the rows were split.

use pacta_contract::ContactScope;
use pacta_data::model::{InteractionTable, Outcome, channel_from_code};

/// A [`ContactScope`] laid out as dense lookup tables over the table's dictionaries: a scope
/// test per row was a measurable share of a 10-million-row month. Sites are not looked at
/// (price components and services have none).
pub(crate) struct RowScope {
    /// Allowed (channel, queue) combinations, indexed `channel × stride + queue` (the last
    /// column of each channel row is for rows whose queue index is out of the dictionary).
    allowed: Vec<bool>,
    /// Allowed language indices (`None` = any language).
    languages: Option<Vec<bool>>,
}

impl RowScope {
    /// The rows `scope` covers.
    pub(crate) fn new(scope: &ContactScope, table: &InteractionTable) -> RowScope {
        let stride = table.queue_dict().len() + 1;
        let mut allowed = vec![false; 8 * stride];
        for code in 0..8u8 {
            let channel = channel_from_code(code);
            let row = usize::from(code) * stride;
            for (q, name) in table.queue_dict().iter().enumerate() {
                allowed[row + q] = scope.covers_queue(channel, Some(name));
            }
            allowed[row + stride - 1] = scope.covers_queue(channel, None);
        }
        let languages = (!scope.written().languages.is_empty()).then(|| {
            let mut v = vec![false; table.language_dict().len() + 1];
            for (n, l) in table.language_dict().iter().enumerate() {
                v[n] = scope.covers_language(Some(l));
            }
            v
        });
        RowScope { allowed, languages }
    }

    /// Every row.
    pub(crate) fn all(table: &InteractionTable) -> RowScope {
        RowScope::new(&ContactScope::everything(), table)
    }
}

/// What a figure sums over the month's rows in its scope.
pub(crate) enum Quantity {
    /// Offered contacts (everything but in-progress ones), per local day of the month.
    OfferedByDay,
    /// Offered contacts.
    Offered,
    /// Answered contacts.
    Handled,
    /// Answered contacts whose disposition index is marked `true`.
    Outcome(Vec<bool>),
    /// Talk milliseconds of answered contacts.
    TalkMs,
    /// Handle milliseconds of answered contacts ([`InteractionTable::handle_time_ms`]: none
    /// without talk time; a missing hold or wrap counts 0).
    HandleMs,
}

/// A handle to a registered figure.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Figure(usize);

/// The figures to gather over the rows arriving in `[start, end)`.
pub(crate) struct Tally<'t> {
    table: &'t InteractionTable,
    start: i64,
    end: i64,
    /// Starts of the month's local days (UTC ms), ascending, the first at `start`.
    day_starts: Vec<i64>,
    figures: Vec<(RowScope, Quantity)>,
    values: Vec<Vec<i64>>,
}

impl<'t> Tally<'t> {
    pub(crate) fn new(
        table: &'t InteractionTable,
        start: i64,
        end: i64,
        day_starts: Vec<i64>,
    ) -> Self {
        Tally {
            table,
            start,
            end,
            day_starts,
            figures: Vec::new(),
            values: Vec::new(),
        }
    }

    pub(crate) fn add(&mut self, scope: RowScope, quantity: Quantity) -> Figure {
        self.figures.push((scope, quantity));
        Figure(self.figures.len() - 1)
    }

    /// The sum of a figure over the month (0 before [`Tally::run`]).
    pub(crate) fn total(&self, f: Figure) -> i64 {
        self.values.get(f.0).map_or(0, |v| v.iter().sum())
    }

    /// Per local day, for an [`Quantity::OfferedByDay`] figure.
    pub(crate) fn daily(&self, f: Figure) -> &[i64] {
        self.values.get(f.0).map_or(&[], Vec::as_slice)
    }

    /// One pass over the rows, on up to `threads` threads.
    pub(crate) fn run(&mut self, threads: usize) {
        let n = self.table.row_count();
        let threads = if n < 200_000 { 1 } else { threads.clamp(1, 16) };
        let this = &*self;
        let parts: Vec<Vec<Vec<i64>>> = if threads == 1 || self.figures.is_empty() {
            vec![this.range(0, n)]
        } else {
            std::thread::scope(|s| {
                let handles: Vec<_> = (0..threads)
                    .map(|k| {
                        let (a, b) = (n * k / threads, n * (k + 1) / threads);
                        s.spawn(move || this.range(a, b))
                    })
                    .collect();
                pacta_data::threads::join_all(handles)
            })
        };
        let mut total = self.empty();
        for part in parts {
            for (t, p) in total.iter_mut().zip(part) {
                for (a, b) in t.iter_mut().zip(p) {
                    *a += b;
                }
            }
        }
        self.values = total;
    }

    fn empty(&self) -> Vec<Vec<i64>> {
        self.figures
            .iter()
            .map(|(_, m)| match m {
                Quantity::OfferedByDay => vec![0; self.day_starts.len()],
                _ => vec![0],
            })
            .collect()
    }

    fn range(&self, from: usize, to: usize) -> Vec<Vec<i64>> {
        let mut out = self.empty();
        // Up to 64 figures per pass, each a bit: a row looks up which figures its (channel,
        // queue) and its language belong to, instead of testing every scope.
        for (chunk, start) in self.figures.chunks(64).zip((0..).step_by(64)) {
            self.range_chunk(chunk, &mut out[start..start + chunk.len()], from, to);
        }
        out
    }

    fn range_chunk(
        &self,
        figures: &[(RowScope, Quantity)],
        out: &mut [Vec<i64>],
        from: usize,
        to: usize,
    ) {
        let t = self.table;
        let stride = t.queue_dict().len() + 1;
        let mut by_queue = vec![0u64; 8 * stride];
        // Languages: one slot per dictionary entry, the last for absent or unknown ones.
        let nl = t.language_dict().len();
        let mut by_language = vec![0u64; nl + 1];
        for (bit, (scope, _)) in figures.iter().enumerate() {
            for (cell, allowed) in by_queue.iter_mut().zip(&scope.allowed) {
                if *allowed {
                    *cell |= 1 << bit;
                }
            }
            for (l, cell) in by_language.iter_mut().enumerate() {
                let ok = match &scope.languages {
                    None => true,
                    Some(ls) => l < nl && ls[l],
                };
                if ok {
                    *cell |= 1 << bit;
                }
            }
        }
        let answered_only = figures
            .iter()
            .enumerate()
            .fold(0u64, |m, (bit, (_, measure))| match measure {
                Quantity::OfferedByDay | Quantity::Offered => m,
                _ => m | 1 << bit,
            });
        let answered = Outcome::Answered.code();
        let in_progress = Outcome::InProgress.code();
        let days = &self.day_starts;
        let mut day = 0usize;
        for row in from..to {
            let at = t.arrived_at_ms(row);
            if at < self.start || at >= self.end {
                continue;
            }
            let oc = t.outcome_code(row);
            let ch = usize::from(t.channel_code(row));
            if oc == in_progress || ch >= 8 {
                continue;
            }
            let q = (t.queue(row) as usize).min(stride - 1);
            let l = t.language(row).map_or(nl, |l| (l as usize).min(nl));
            let mut bits = by_queue[ch * stride + q] & by_language[l];
            if oc != answered {
                bits &= !answered_only;
            }
            if bits == 0 {
                continue;
            }
            // Rows are mostly in time order: try the last day first, else search.
            let in_day = |d: usize| days[d] <= at && days.get(d + 1).is_none_or(|next| at < *next);
            if !days.is_empty() && !in_day(day) {
                day = days.partition_point(|d| *d <= at).saturating_sub(1);
            }
            while bits != 0 {
                let f = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let value = &mut out[f];
                match &figures[f].1 {
                    Quantity::OfferedByDay => {
                        if let Some(v) = value.get_mut(day) {
                            *v += 1;
                        }
                    }
                    Quantity::Offered | Quantity::Handled => value[0] += 1,
                    Quantity::Outcome(ok) => {
                        value[0] += i64::from(
                            t.disposition(row)
                                .and_then(|d| ok.get(d as usize).copied())
                                .unwrap_or(false),
                        )
                    }
                    Quantity::TalkMs => value[0] += t.talk_ms(row).map_or(0, |v| v.max(0)),
                    // The one handle-time rule (`InteractionTable::handle_time`): a
                    // contact without talk time has none to bill.
                    Quantity::HandleMs => value[0] += t.handle_time_ms(row).unwrap_or(0),
                }
            }
        }
    }
}
