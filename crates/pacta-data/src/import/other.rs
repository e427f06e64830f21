//! Other inputs (placeholder, filled below).
