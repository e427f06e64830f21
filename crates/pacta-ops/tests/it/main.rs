//! Integration tests of the operations, one module per operation.

mod adjust;
mod demo;
mod dispute;
mod import;
mod import_streams;
mod scope;

use std::path::{Path, PathBuf};

/// The repository's examples directory.
pub fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

/// A fixed import time, so stores are reproducible.
pub fn imported_at() -> jiff::Timestamp {
    "2026-11-05T10:00:00Z".parse().expect("timestamp")
}
