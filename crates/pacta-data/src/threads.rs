//! The one threading idiom the engine crates share: join scoped threads in spawn order.

use std::thread::ScopedJoinHandle;

/// Joins `handles` in order and returns their results; a thread's panic is re-raised with
/// its own payload (rather than `thread::scope`'s generic "a scoped thread panicked").
pub fn join_all<T>(handles: Vec<ScopedJoinHandle<'_, T>>) -> Vec<T> {
    handles
        .into_iter()
        .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_spawn_order() {
        let out =
            std::thread::scope(|s| join_all((0..5u64).map(|k| s.spawn(move || k * k)).collect()));
        assert_eq!(out, [0, 1, 4, 9, 16]);
    }

    #[test]
    fn a_panic_keeps_its_message() {
        let caught = std::panic::catch_unwind(|| {
            std::thread::scope(|s| join_all(vec![s.spawn(|| -> u8 { panic!("stretch 3 failed") })]))
        });
        let payload = caught.err().and_then(|p| p.downcast_ref::<&str>().copied());
        assert_eq!(payload, Some("stretch 3 failed"));
    }
}
