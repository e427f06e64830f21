//! The one pass over the interaction columns.
//!
//! A cell is (combination of channel, queue, site, language and exclusion mark) × (inside or
//! outside hours) × base period bucket; it holds the flat counter block of [`Layout`]. Combinations get cell
//! blocks lazily, the first time a row of theirs is seen. The table is split into contiguous
//! row ranges scanned on separate threads and merged; every counter is a sum or a maximum, so
//! the result does not depend on row order or on the split.

use std::collections::HashMap;

use pacta_data::model::{InteractionTable, Outcome};

use crate::calendar::{Hours, Segment};
use crate::layout::{self, Layout};
use crate::period::BaseGrid;

/// A (channel, queue, site, language, exclusion mark) combination; [`ABSENT`] for an absent
/// site/language. The mark keeps rows of exclusion windows in cells of their own, so each
/// request can leave out the ones it excludes when it sums cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ComboKey {
    pub ch: u8,
    pub q: u32,
    pub s: u32,
    pub l: u32,
    pub x: u8,
}

/// [`ComboKey`]'s code for an absent site or language: after every dictionary index, so
/// combinations without one sort last.
pub const ABSENT: u32 = u32::MAX;

/// What the scan reads.
pub struct ScanCtx<'a> {
    pub t: &'a InteractionTable,
    pub grid: &'a BaseGrid,
    pub hours: &'a Hours,
    pub layout: &'a Layout,
    pub fcr_bits: &'a [Vec<u64>],
    /// Per-row exclusion marks (empty = none).
    pub marks: &'a [u8],
    /// Disposition dictionary index → slot in `layout.disps` (`u8::MAX` = not of interest).
    pub disp_slot: Vec<u8>,
}

enum ComboMap {
    Dense(Vec<u32>),
    Sparse(HashMap<u64, u32>),
}

/// Counters of a scanned row range.
pub struct Accum {
    pub combos: Vec<ComboKey>,
    map: ComboMap,
    /// `combos × 2 × nb × k` counters.
    pub cells: Vec<u64>,
    /// Per combination: (flag × nb + bucket, answered wait ms), when percentiles are needed.
    pub waits: Vec<Vec<(u32, u32)>>,
    pub nb: usize,
    pub k: usize,
    pub invalid: u64,
    pub in_periods: u64,
    pub outside: u64,
}

struct Dims {
    nq: u64,
    ns: u64,
    nl: u64,
    /// One more than the largest exclusion mark.
    nx: u64,
}

impl Dims {
    fn product(&self) -> u64 {
        8u64.saturating_mul(self.nq)
            .saturating_mul(self.ns + 1)
            .saturating_mul(self.nl + 1)
            .saturating_mul(self.nx)
    }
    #[inline]
    fn index(&self, k: &ComboKey) -> u64 {
        let s1 = if k.s == ABSENT { 0 } else { u64::from(k.s) + 1 };
        let l1 = if k.l == ABSENT { 0 } else { u64::from(k.l) + 1 };
        (((u64::from(k.ch) * self.nq + u64::from(k.q)) * (self.ns + 1) + s1) * (self.nl + 1) + l1)
            * self.nx
            + u64::from(k.x)
    }
}

const DENSE_LIMIT: u64 = 1 << 22;

impl Accum {
    fn new(dims: &Dims, nb: usize, k: usize) -> Self {
        let map = if dims.product() <= DENSE_LIMIT {
            ComboMap::Dense(vec![0u32; dims.product() as usize])
        } else {
            ComboMap::Sparse(HashMap::new())
        };
        Accum {
            map,
            ..Accum::empty(nb, k)
        }
    }

    /// An accumulator filled from outside the scan (its combinations are pushed, never
    /// looked up by index).
    pub(crate) fn empty(nb: usize, k: usize) -> Self {
        Accum {
            combos: Vec::new(),
            map: ComboMap::Sparse(HashMap::new()),
            cells: Vec::new(),
            waits: Vec::new(),
            nb,
            k,
            invalid: 0,
            in_periods: 0,
            outside: 0,
        }
    }

    /// Adds a combination's zeroed cells; its slot.
    pub(crate) fn push_combo(&mut self, key: ComboKey) -> usize {
        let slot = self.combos.len();
        self.combos.push(key);
        self.cells
            .resize(self.cells.len() + 2 * self.nb * self.k, 0);
        self.waits.push(Vec::new());
        slot
    }

    /// The slot of a combination, creating its cells when new.
    #[inline]
    fn slot(&mut self, dims: &Dims, key: ComboKey) -> usize {
        let idx = dims.index(&key);
        let found = match &self.map {
            ComboMap::Dense(v) => v.get(idx as usize).copied().unwrap_or(0),
            ComboMap::Sparse(m) => m.get(&idx).copied().unwrap_or(0),
        };
        if found != 0 {
            return found as usize - 1;
        }
        let slot = self.combos.len();
        self.combos.push(key);
        self.cells
            .resize(self.cells.len() + 2 * self.nb * self.k, 0);
        self.waits.push(Vec::new());
        let tag = slot as u32 + 1;
        match &mut self.map {
            ComboMap::Dense(v) => {
                if let Some(x) = v.get_mut(idx as usize) {
                    *x = tag;
                }
            }
            ComboMap::Sparse(m) => {
                m.insert(idx, tag);
            }
        }
        slot
    }

    /// Offset of a cell's counters.
    pub fn cell(&self, slot: usize, outside: bool, bucket: usize) -> usize {
        ((slot * 2 + usize::from(outside)) * self.nb + bucket) * self.k
    }

    fn merge(&mut self, dims: &Dims, other: Accum) {
        self.invalid += other.invalid;
        self.in_periods += other.in_periods;
        self.outside += other.outside;
        let block = 2 * self.nb * self.k;
        for (os, key) in other.combos.iter().enumerate() {
            let s = self.slot(dims, *key);
            let dst = &mut self.cells[s * block..(s + 1) * block];
            let src = &other.cells[os * block..(os + 1) * block];
            for (c, (d, v)) in dst.iter_mut().zip(src).enumerate() {
                if c % self.k == layout::MAX_WAIT {
                    *d = (*d).max(*v);
                } else {
                    *d += v;
                }
            }
        }
        for (os, w) in other.waits.into_iter().enumerate() {
            if let Some(key) = other.combos.get(os) {
                let s = self.slot(dims, *key);
                self.waits[s].extend(w);
            }
        }
    }
}

/// Scans the table on up to `threads` threads and merges the counters.
pub fn scan(ctx: &ScanCtx<'_>, threads: usize) -> Accum {
    let t = ctx.t;
    let n = t.row_count();
    let dims = Dims {
        nq: t.queue_dict().len() as u64,
        ns: t.site_dict().len() as u64,
        nl: t.language_dict().len() as u64,
        nx: if ctx.marks.len() == n {
            u64::from(ctx.marks.iter().copied().max().unwrap_or(0)) + 1
        } else {
            1
        },
    };
    let threads = if n < 200_000 { 1 } else { threads.clamp(1, 16) };
    let mut parts: Vec<Accum> = if threads == 1 {
        vec![scan_range(ctx, &dims, 0, n)]
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|k| {
                    let (a, b) = (n * k / threads, n * (k + 1) / threads);
                    let dims = &dims;
                    s.spawn(move || scan_range(ctx, dims, a, b))
                })
                .collect();
            pacta_data::threads::join_all(handles)
        })
    };
    let mut acc = parts.remove(0);
    for p in parts {
        acc.merge(&dims, p);
    }
    for w in &mut acc.waits {
        w.sort_unstable();
    }
    acc
}

fn scan_range(ctx: &ScanCtx<'_>, dims: &Dims, from: usize, to: usize) -> Accum {
    let t = ctx.t;
    let l = ctx.layout;
    let grid = ctx.grid;
    let nb = grid.len();
    let k = l.k;
    let mut acc = Accum::new(dims, nb, k);
    if nb == 0 {
        return acc;
    }
    let (nq, ns, nl, nd) = (
        t.queue_dict().len() as u32,
        t.site_dict().len() as u32,
        t.language_dict().len() as u32,
        t.disposition_dict().len() as u32,
    );
    let thetas = &l.thetas_ms;
    let answered = Outcome::Answered.code();
    let abandoned = Outcome::Abandoned.code();
    let in_progress = Outcome::InProgress.code();
    let any_business = l.resp.iter().any(|r| r.1);
    // Caches for time-ordered data.
    let mut b_lo = i64::MAX;
    let mut b_hi = i64::MIN;
    let mut b_idx = 0usize;
    let mut seg = [Segment::EMPTY; 8];
    // Cache of the last combination.
    let mut last_key: Option<(ComboKey, usize)> = None;
    let marks = (ctx.marks.len() == t.row_count()).then_some(ctx.marks);
    for i in from..to {
        let ch = t.channel_code(i);
        let q = t.queue(i);
        let s = t.site(i);
        let lg = t.language(i);
        let oc = t.outcome_code(i);
        if ch > 7 || q >= nq || s.is_some_and(|s| s >= ns) || lg.is_some_and(|l| l >= nl) || oc > 7
        {
            acc.invalid += 1;
            continue;
        }
        let arr = t.arrived_at_ms(i);
        let b = if arr >= b_lo && arr < b_hi {
            b_idx
        } else {
            match grid.bucket(arr) {
                Some(b) => {
                    b_lo = grid.bounds[b];
                    b_hi = grid.bounds[b + 1];
                    b_idx = b;
                    b
                }
                None => continue,
            }
        };
        acc.in_periods += 1;
        let sg = &mut seg[usize::from(ch)];
        if !(arr >= sg.lo && arr < sg.hi) {
            *sg = ctx.hours.segment(ch, arr);
        }
        let outside = !sg.open;
        acc.outside += u64::from(outside);
        let key = ComboKey {
            ch,
            q,
            s: s.unwrap_or(ABSENT),
            l: lg.unwrap_or(ABSENT),
            x: marks.map_or(0, |m| m[i]),
        };
        let slot = match last_key {
            Some((kk, sl)) if kk == key => sl,
            _ => {
                let sl = acc.slot(dims, key);
                last_key = Some((key, sl));
                sl
            }
        };
        let off = acc.cell(slot, outside, b);
        let c = &mut acc.cells[off..off + k];
        if oc == answered {
            c[layout::A] += 1;
            if let Some(ans) = t.answered_at_ms(i) {
                let w = ans.saturating_sub(arr).max(0);
                c[layout::A_WAIT_KNOWN] += 1;
                c[layout::SUM_WAIT] += w as u64;
                c[layout::MAX_WAIT] = c[layout::MAX_WAIT].max(w as u64);
                for (j, th) in thetas.iter().enumerate() {
                    if w <= *th {
                        c[l.a_le(j)] += 1;
                    }
                }
                if l.need_waits {
                    let fb = (usize::from(outside) * nb + b) as u32;
                    acc.waits[slot].push((fb, w.min(i64::from(u32::MAX)) as u32));
                }
            }
            let c = &mut acc.cells[off..off + k];
            // The AHT sums handle time by part (its variants leave hold or wrap out).
            if let Some(h) = t.handle_time(i) {
                c[layout::HANDLED] += 1;
                c[layout::SUM_TALK] += h.talk_ms as u64;
                match h.hold_ms {
                    Some(hold) => c[layout::SUM_HOLD] += hold as u64,
                    None => c[layout::NO_HOLD] += 1,
                }
                match h.wrap_ms {
                    Some(wrap) => c[layout::SUM_WRAP] += wrap as u64,
                    None => c[layout::NO_WRAP] += 1,
                }
            } else {
                c[layout::NO_TALK] += 1;
            }
            if t.customer(i).is_none() {
                c[layout::CUST_UNKNOWN] += 1;
            } else {
                c[layout::CUST_KNOWN] += 1;
                for (j, bits) in ctx.fcr_bits.iter().enumerate() {
                    if bits[i / 64] >> (i % 64) & 1 == 1 {
                        c[l.repeat(j)] += 1;
                    }
                }
            }
            if let Some(d) = t.disposition(i).filter(|&d| d < nd) {
                let sl = ctx.disp_slot[d as usize];
                if sl != u8::MAX {
                    c[l.disp(usize::from(sl))] += 1;
                }
            }
        } else if oc == abandoned {
            c[layout::AB] += 1;
            if let Some(end) = t.ended_at_ms(i) {
                let w = end.saturating_sub(arr);
                for (j, th) in thetas.iter().enumerate() {
                    if w <= *th {
                        c[l.ab_le(j)] += 1;
                    }
                }
            } else {
                c[layout::AB_WAIT_UNKNOWN] += 1;
            }
        } else if oc == in_progress {
            c[layout::IN_PROGRESS] += 1;
        } else {
            c[layout::X] += 1;
        }
        if !l.resp.is_empty() {
            let c = &mut acc.cells[off..off + k];
            if let Some(fr) = t.first_response_at_ms(i) {
                let cal = fr.saturating_sub(arr);
                let bus = if any_business {
                    ctx.hours.open_ms_between(ch, arr, fr)
                } else {
                    0
                };
                for (r, (limit, business)) in l.resp.iter().enumerate() {
                    let e = if *business { bus } else { cal };
                    if e <= *limit {
                        c[l.resp_within(r)] += 1;
                    }
                }
            } else {
                c[layout::RESP_NONE] += 1;
            }
        }
    }
    acc
}
