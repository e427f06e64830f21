//! FCR `repeat_contact`: for each handled contact, whether the same customer comes back.
//!
//! Candidates (answered or abandoned contacts with a known customer key) are partitioned by a
//! hash of (customer, sub-key) into cache-sized partitions with one counting pass and one
//! scatter pass, then each partition is sorted by (customer, sub-key, arrival) and scanned
//! backwards. The sub-key is 0 for `any`, the queue for `same_queue`, the channel for
//! `same_channel`. Partitions are processed on several threads; the result is one bit per row
//! and configuration, set when the row is an answered contact followed by another candidate
//! of the same customer arriving strictly later and at most the window after it.

use pacta_data::model::{InteractionTable, Outcome};

use pacta_contract::measure::RepeatScope;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Elem {
    c: u64,
    sub: u32,
    arr: i64,
    /// Row index; the top bit marks an answered (handled) contact.
    row: u32,
}

const HANDLED_BIT: u32 = 1 << 31;

#[inline]
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d1_049b_133e_b111);
    z ^ (z >> 31)
}

/// Bitsets (one `u64` word per 64 rows) of handled rows followed by a repeat, one per
/// configuration `(scope, window_ms, exclusion mask)`, in the order given. Rows whose
/// `marks` intersect a configuration's mask are not candidates for it (they were excluded
/// from the request, so they cannot be anyone's repeat); empty `marks` marks no row.
pub fn repeat_flags(
    t: &InteractionTable,
    configs: &[(RepeatScope, i64, u8)],
    marks: &[u8],
    threads: usize,
) -> Vec<Vec<u64>> {
    let n = t.row_count();
    let words = n.div_ceil(64);
    let mut out: Vec<Vec<u64>> = configs.iter().map(|_| vec![0u64; words]).collect();
    if n == 0 || n >= HANDLED_BIT as usize {
        return out;
    }
    let mut scopes: Vec<(RepeatScope, u8)> = configs.iter().map(|c| (c.0, c.2)).collect();
    scopes.sort_unstable();
    scopes.dedup();
    let answered = Outcome::Answered.code();
    let abandoned = Outcome::Abandoned.code();
    let marked = marks.len() == n;
    for (scope, exclude) in scopes {
        let windows: Vec<(usize, i64)> = configs
            .iter()
            .enumerate()
            .filter(|(_, c)| c.0 == scope && c.2 == exclude)
            .map(|(i, c)| (i, c.1))
            .collect();
        let candidate = |i: usize, o: u8| {
            (o == answered || o == abandoned)
                && (exclude == 0 || !marked || marks[i] & exclude == 0)
        };
        let sub_of = |i: usize| -> u32 {
            match scope {
                RepeatScope::SameChannel => u32::from(t.channel_code(i)),
                RepeatScope::SameQueue => t.queue(i),
                _ => 0,
            }
        };
        let bits = {
            let target = (n / 512).max(1);
            (usize::BITS - target.leading_zeros()).clamp(1, 16)
        };
        let nb = 1usize << bits;
        let part =
            move |c: u64, sub: u32| (mix(c ^ (u64::from(sub) << 40)) >> (64 - bits)) as usize;
        let threads = threads.clamp(1, 16);
        // Phase A, per row range: count, then scatter into the range's own partitioned array.
        let parts: Vec<(Vec<usize>, Vec<Elem>)> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|k| {
                    let (a, b) = (n * k / threads, n * (k + 1) / threads);
                    let sub_of = &sub_of;
                    let candidate = &candidate;
                    s.spawn(move || {
                        // Rows of a known customer that can repeat, with their customer key.
                        let rows = || {
                            (a..b).filter_map(|i| {
                                let c = t.customer(i)?;
                                candidate(i, t.outcome_code(i)).then_some((i, c))
                            })
                        };
                        let mut starts = vec![0usize; nb + 1];
                        for (i, c) in rows() {
                            starts[part(c, sub_of(i)) + 1] += 1;
                        }
                        for p in 0..nb {
                            starts[p + 1] += starts[p];
                        }
                        let mut cursor = starts.clone();
                        let mut elems = vec![
                            Elem {
                                c: 0,
                                sub: 0,
                                arr: 0,
                                row: 0
                            };
                            starts[nb]
                        ];
                        for (i, c) in rows() {
                            let sub = sub_of(i);
                            let p = part(c, sub);
                            let flag = if t.outcome_code(i) == answered {
                                HANDLED_BIT
                            } else {
                                0
                            };
                            elems[cursor[p]] = Elem {
                                c,
                                sub,
                                arr: t.arrived_at_ms(i),
                                row: i as u32 | flag,
                            };
                            cursor[p] += 1;
                        }
                        (starts, elems)
                    })
                })
                .collect();
            pacta_data::threads::join_all(handles)
        });
        // Phase B, per partition range: gather the partition from every row range, sort, scan.
        let windows_ref = &windows;
        let parts_ref = &parts;
        let results: Vec<Vec<Vec<u32>>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|k| {
                    let (b0, b1) = (nb * k / threads, nb * (k + 1) / threads);
                    s.spawn(move || {
                        let mut hits: Vec<Vec<u32>> =
                            windows_ref.iter().map(|_| Vec::new()).collect();
                        let mut buf: Vec<Elem> = Vec::new();
                        for p in b0..b1 {
                            buf.clear();
                            for (starts, elems) in parts_ref {
                                buf.extend_from_slice(&elems[starts[p]..starts[p + 1]]);
                            }
                            buf.sort_unstable_by_key(|e| (e.c, e.sub, e.arr));
                            scan_partition(&buf, windows_ref, &mut hits);
                        }
                        hits
                    })
                })
                .collect();
            pacta_data::threads::join_all(handles)
        });
        for hits in results {
            for (w, rows) in hits.into_iter().enumerate() {
                let bitset = &mut out[windows[w].0];
                for r in rows {
                    let r = r as usize;
                    bitset[r / 64] |= 1u64 << (r % 64);
                }
            }
        }
    }
    out
}

fn scan_partition(p: &[Elem], windows: &[(usize, i64)], hits: &mut [Vec<u32>]) {
    // Backwards: `run_arr` is the arrival of the current run of equal arrivals of this
    // customer, `next_later` the arrival of the nearest strictly later contact.
    let mut next_later: Option<i64> = None;
    let mut run_arr = i64::MIN;
    for j in (0..p.len()).rev() {
        let e = p[j];
        let same = j + 1 < p.len() && p[j + 1].c == e.c && p[j + 1].sub == e.sub;
        if !same {
            next_later = None;
            run_arr = e.arr;
        } else if e.arr < run_arr {
            next_later = Some(run_arr);
            run_arr = e.arr;
        }
        if e.row & HANDLED_BIT != 0
            && let Some(nx) = next_later
        {
            for (w, (_, win)) in windows.iter().enumerate() {
                if nx - e.arr <= *win {
                    hits[w].push(e.row & !HANDLED_BIT);
                }
            }
        }
    }
}
