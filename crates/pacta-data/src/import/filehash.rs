//! The BLAKE3 of a source file (the manifest's `blake3`, what `b3sum` prints), computed from
//! the bytes the parsing threads read anyway instead of reading the file a second time.
//!
//! BLAKE3 is a tree hash: the file is cut into 1 MiB blocks, each a whole subtree of the
//! BLAKE3 tree. Each thread hashes the blocks that start in its stretch (reading on past its
//! end to finish the last one), and the blocks' chaining values are merged the way BLAKE3's
//! tree joins them. `blake3::hazmat` provides the pieces; the test compares the result
//! with `blake3::hash` for many sizes and cuts.

use blake3::hazmat::{
    ChainingValue, HasherExt, Mode, left_subtree_len, merge_subtrees_non_root, merge_subtrees_root,
};

/// Bytes per block: a power of two number of BLAKE3 chunks.
pub(crate) const BLOCK: u64 = 1 << 20;

/// Hashes the blocks of a file of `size` bytes that start within one stretch.
#[derive(Debug)]
pub(crate) struct BlockHasher {
    size: u64,
    /// Next offset to hash.
    next: u64,
    /// Hashing stops here: the end of the stretch's last block.
    end: u64,
    current: blake3::Hasher,
    /// Chaining values of finished blocks, by block number.
    blocks: Vec<(u64, ChainingValue)>,
    /// The hash itself, for a file of one block (no tree).
    whole: Option<blake3::Hash>,
    /// Bytes arrived out of order (a caller bug): the result is not trusted.
    broken: bool,
}

impl BlockHasher {
    /// For the blocks starting at or after `from` and before `to`.
    pub fn new(from: u64, to: u64, size: u64) -> Self {
        let start = from.div_ceil(BLOCK) * BLOCK;
        let end = (to.div_ceil(BLOCK) * BLOCK).min(size);
        let mut current = blake3::Hasher::new();
        if start < end {
            current.set_input_offset(start);
        }
        let mut h = BlockHasher {
            size,
            next: start.min(end),
            end,
            current,
            blocks: Vec::new(),
            whole: None,
            broken: false,
        };
        if size == 0 && from == 0 {
            h.whole = Some(blake3::hash(b""));
        }
        h
    }

    /// The next offset this hasher needs, if any.
    pub fn wants(&self) -> Option<u64> {
        (self.next < self.end).then_some(self.next)
    }

    /// Takes bytes read at `offset`; the parts outside this hasher's blocks are ignored.
    pub fn feed(&mut self, offset: u64, bytes: &[u8]) {
        let stop = offset + bytes.len() as u64;
        if stop <= self.next || self.next >= self.end {
            return;
        }
        if offset > self.next {
            self.broken = true;
            return;
        }
        let mut rest = &bytes[usize::try_from(self.next - offset).unwrap_or(0)..];
        while !rest.is_empty() && self.next < self.end {
            let block_end = ((self.next / BLOCK + 1) * BLOCK).min(self.size);
            let take = usize::try_from(block_end - self.next)
                .unwrap_or(usize::MAX)
                .min(rest.len());
            self.current.update(&rest[..take]);
            self.next += take as u64;
            rest = &rest[take..];
            if self.next == block_end {
                let block = (block_end - 1) / BLOCK;
                if self.size <= BLOCK {
                    self.whole = Some(self.current.finalize());
                } else {
                    self.blocks.push((block, self.current.finalize_non_root()));
                }
                self.current = blake3::Hasher::new();
                if self.next < self.end {
                    self.current.set_input_offset(self.next);
                }
            }
        }
    }
}

/// The size and BLAKE3 of the file at `path`, a large one hashed on every core.
pub(crate) fn size_and_hash(path: &std::path::Path) -> std::io::Result<(u64, blake3::Hash)> {
    let size = std::fs::metadata(path)?.len();
    let threads = if size > 8 << 20 {
        std::thread::available_parallelism().map_or(1, usize::from)
    } else {
        1
    };
    Ok((size, hash_file(path, size, threads)?))
}

/// The BLAKE3 of the file at `path` (`size` bytes), its blocks hashed on `threads` threads,
/// each reading its own stretch: what reading a large store file back checks first.
pub(crate) fn hash_file(
    path: &std::path::Path,
    size: u64,
    threads: usize,
) -> std::io::Result<blake3::Hash> {
    use std::io::{Read, Seek, SeekFrom};
    let blocks = size.div_ceil(BLOCK).max(1);
    let threads = (threads.max(1) as u64).min(blocks);
    let hashers = std::thread::scope(|s| {
        crate::threads::join_all(
            (0..threads)
                .map(|k| {
                    let (from, to) = (
                        blocks * k / threads * BLOCK,
                        blocks * (k + 1) / threads * BLOCK,
                    );
                    let to = to.min(size);
                    s.spawn(move || -> std::io::Result<BlockHasher> {
                        let mut h = BlockHasher::new(from, to, size);
                        let mut file = std::fs::File::open(path)?;
                        file.seek(SeekFrom::Start(from))?;
                        let mut buf = vec![0u8; BLOCK as usize];
                        while let Some(at) = h.wants() {
                            let n = usize::try_from((to - at).min(BLOCK)).unwrap_or(0);
                            file.read_exact(&mut buf[..n])?;
                            h.feed(at, &buf[..n]);
                        }
                        Ok(h)
                    })
                })
                .collect(),
        )
    });
    let hashers = hashers.into_iter().collect::<std::io::Result<Vec<_>>>()?;
    combine(size, hashers)
        .ok_or_else(|| std::io::Error::other("the file changed while it was hashed"))
}

/// The file's hash from the hashers that covered it, `None` if they did not cover every
/// block exactly once.
pub(crate) fn combine(size: u64, hashers: Vec<BlockHasher>) -> Option<blake3::Hash> {
    if hashers.iter().any(|h| h.broken || h.wants().is_some()) {
        return None;
    }
    if size <= BLOCK {
        return hashers.into_iter().find_map(|h| h.whole);
    }
    let mut blocks: Vec<(u64, ChainingValue)> =
        hashers.into_iter().flat_map(|h| h.blocks).collect();
    blocks.sort_unstable_by_key(|b| b.0);
    let n = size.div_ceil(BLOCK);
    if blocks.len() as u64 != n || blocks.iter().enumerate().any(|(i, b)| b.0 != i as u64) {
        return None;
    }
    let cvs: Vec<ChainingValue> = blocks.into_iter().map(|b| b.1).collect();
    // The subtree of bytes [offset, offset + len), which starts on a block boundary.
    fn subtree(cvs: &[ChainingValue], offset: u64, len: u64) -> ChainingValue {
        if len <= BLOCK {
            return cvs[usize::try_from(offset / BLOCK).unwrap_or(0)];
        }
        let left = left_subtree_len(len);
        merge_subtrees_non_root(
            &subtree(cvs, offset, left),
            &subtree(cvs, offset + left, len - left),
            Mode::Hash,
        )
    }
    let left = left_subtree_len(size);
    Some(merge_subtrees_root(
        &subtree(&cvs, 0, left),
        &subtree(&cvs, left, size - left),
        Mode::Hash,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hashes `data` as threads cut at `cuts` would, each fed in reads of `read` bytes that
    /// run on past its stretch.
    fn by_stretches(data: &[u8], cuts: &[u64], read: usize) -> Option<blake3::Hash> {
        let size = data.len() as u64;
        let mut bounds = vec![0];
        bounds.extend_from_slice(cuts);
        bounds.push(size);
        let hashers = bounds
            .windows(2)
            .map(|w| {
                let mut h = BlockHasher::new(w[0], w[1], size);
                let mut at = w[0];
                while at < size {
                    let n = read.min((size - at) as usize);
                    h.feed(at, &data[at as usize..at as usize + n]);
                    at += n as u64;
                    if at >= w[1] && h.wants().is_none() {
                        break;
                    }
                }
                h
            })
            .collect();
        combine(size, hashers)
    }

    #[test]
    fn stretches_hash_to_the_whole_files_blake3() {
        let block = BLOCK as usize;
        let data: Vec<u8> = (0..5 * block + 12_345)
            .map(|i| (i * 31 % 251) as u8)
            .collect();
        for size in [
            0,
            1,
            1024,
            1025,
            block - 1,
            block,
            block + 1,
            2 * block,
            3 * block + 7,
            4 * block,
            data.len(),
        ] {
            let d = &data[..size];
            let want = blake3::hash(d);
            let s = size as u64;
            for cuts in [
                vec![],
                vec![s / 2],
                vec![s / 3, 2 * s / 3],
                vec![BLOCK.min(s)],
                vec![1.min(s), s.saturating_sub(1)],
            ] {
                let mut cuts: Vec<u64> = cuts.into_iter().filter(|&c| c > 0 && c < s).collect();
                cuts.dedup();
                for read in [1000, 65_536, 3 << 20] {
                    assert_eq!(
                        by_stretches(d, &cuts, read),
                        Some(want),
                        "size {size}, cuts {cuts:?}, reads of {read}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_file_hashed_on_threads_has_its_blake3() {
        let dir = tempfile::tempdir().expect("tmp");
        for size in [
            0usize,
            1,
            1_000,
            BLOCK as usize,
            BLOCK as usize + 1,
            3 * BLOCK as usize + 17,
        ] {
            let data: Vec<u8> = (0..size).map(|i| (i * 31 % 251) as u8).collect();
            let path = dir.path().join("f");
            std::fs::write(&path, &data).expect("write");
            for threads in 1..=4 {
                let got = hash_file(&path, size as u64, threads).expect("hash");
                assert_eq!(got, blake3::hash(&data), "size {size}, {threads} threads");
            }
        }
    }

    #[test]
    fn a_missing_block_gives_no_hash() {
        let data = vec![7u8; 3 * BLOCK as usize];
        let size = data.len() as u64;
        let mut h = BlockHasher::new(0, size, size);
        h.feed(0, &data[..BLOCK as usize]);
        assert_eq!(combine(size, vec![h]), None);
        let mut h = BlockHasher::new(0, size, size);
        h.feed(0, &data[..10]);
        h.feed(20, &data[20..]);
        assert_eq!(combine(size, vec![h]), None);
    }
}
