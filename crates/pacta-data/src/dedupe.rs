//! The duplicate check of an import on all cores: which rows are new (their source id is
//! neither in the store nor earlier in the import).
//!
//! A hash set of ten million 128-bit hashes is a cache miss per row; instead the hashes are
//! scattered by their top bits into partitions small enough to stay in cache (one counting
//! and one scatter pass per row range, in row order), and each partition is checked with
//! its own small set. Row order inside a partition is kept, so the first row of an id is the
//! one kept, exactly as a sequential pass would.

use std::collections::HashSet;

/// Hashes of source ids (already well mixed: a fast hasher is enough).
pub(crate) type IdSet = HashSet<u128, ahash::RandomState>;

#[derive(Clone, Copy, Default)]
struct Elem {
    hi: u64,
    lo: u64,
    row: u32,
}

/// For each of `n` rows, whether it is new: its hash (`hash_of(row)`) is not in `existing`
/// and no earlier row has it. Also returns the number of duplicates.
pub(crate) fn new_rows(
    n: usize,
    hash_of: &(dyn Fn(usize) -> u128 + Sync),
    existing: &IdSet,
    threads: usize,
) -> (Vec<bool>, u64) {
    let mut keep = vec![true; n];
    if n == 0 {
        return (keep, 0);
    }
    let threads = if n < 100_000 { 1 } else { threads.clamp(1, 16) };
    // About 4,096 rows per partition.
    let bits = (usize::BITS - (n / 4096).max(1).leading_zeros()).clamp(1, 14);
    let nb = 1usize << bits;
    let part = move |h: u128| (h >> (128 - bits)) as usize;
    let ranges: Vec<(usize, usize)> = (0..threads)
        .map(|k| (n * k / threads, n * (k + 1) / threads))
        .collect();
    let scattered: Vec<(Vec<usize>, Vec<Elem>)> = run(&ranges, |&(a, b)| {
        let hashes: Vec<u128> = (a..b).map(hash_of).collect();
        let mut starts = vec![0usize; nb + 1];
        for h in &hashes {
            starts[part(*h) + 1] += 1;
        }
        for p in 0..nb {
            starts[p + 1] += starts[p];
        }
        let mut cursor = starts.clone();
        let mut elems = vec![Elem::default(); b - a];
        for (i, h) in hashes.iter().enumerate() {
            let p = part(*h);
            elems[cursor[p]] = Elem {
                hi: (*h >> 64) as u64,
                lo: *h as u64,
                row: (a + i) as u32,
            };
            cursor[p] += 1;
        }
        (starts, elems)
    });
    let part_ranges: Vec<(usize, usize)> = (0..threads)
        .map(|k| (nb * k / threads, nb * (k + 1) / threads))
        .collect();
    let dup_rows: Vec<Vec<u32>> = run(&part_ranges, |&(p0, p1)| {
        let mut dups = Vec::new();
        let mut seen: IdSet = IdSet::with_capacity_and_hasher(8192, ahash::RandomState::new());
        for p in p0..p1 {
            seen.clear();
            // Row ranges in order, rows in order within each: first occurrence first.
            for (starts, elems) in &scattered {
                for e in &elems[starts[p]..starts[p + 1]] {
                    let h = (u128::from(e.hi) << 64) | u128::from(e.lo);
                    if existing.contains(&h) || !seen.insert(h) {
                        dups.push(e.row);
                    }
                }
            }
        }
        dups
    });
    let mut count = 0u64;
    for rows in dup_rows {
        count += rows.len() as u64;
        for r in rows {
            keep[r as usize] = false;
        }
    }
    (keep, count)
}

/// `f` over each item on its own thread (inline when there is one), results in order.
fn run<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    if items.len() <= 1 {
        return items.iter().map(&f).collect();
    }
    std::thread::scope(|s| {
        let f = &f;
        let handles: Vec<_> = items.iter().map(|it| s.spawn(move || f(it))).collect();
        crate::threads::join_all(handles)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sequential(hashes: &[u128], existing: &IdSet) -> Vec<bool> {
        let mut seen = IdSet::default();
        hashes
            .iter()
            .map(|h| !existing.contains(h) && seen.insert(*h))
            .collect()
    }

    #[test]
    fn matches_a_sequential_pass_threaded_and_not() {
        // Many repeats, some of them of ids already in the store; large enough to thread.
        let hashes: Vec<u128> = (0..250_000u64)
            .map(|i| {
                let k = (i * 7919) % 180_000;
                u128::from(k).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835)
            })
            .collect();
        let existing: IdSet = hashes.iter().step_by(97).copied().collect();
        let expected = sequential(&hashes, &existing);
        for threads in [1, 2, 3] {
            let (keep, dups) = new_rows(hashes.len(), &|i| hashes[i], &existing, threads);
            assert_eq!(keep, expected, "threads {threads}");
            assert_eq!(
                dups,
                expected.iter().filter(|k| !**k).count() as u64,
                "threads {threads}"
            );
        }
        // The first of each id is the one kept.
        let (keep, _) = new_rows(hashes.len(), &|i| hashes[i], &IdSet::default(), 2);
        let first_rows = keep.iter().filter(|k| **k).count();
        assert_eq!(first_rows, 180_000);
        assert!(keep[0] && keep[1]);
    }

    #[test]
    fn empty_and_tiny_inputs() {
        assert_eq!(new_rows(0, &|_| 0, &IdSet::default(), 2), (vec![], 0));
        let h = [5u128, 5, 6];
        assert_eq!(
            new_rows(3, &|i| h[i], &IdSet::default(), 2),
            (vec![true, false, true], 1)
        );
    }
}
