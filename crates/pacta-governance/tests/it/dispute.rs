//! dispute tests.
