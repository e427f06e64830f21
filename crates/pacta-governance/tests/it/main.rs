//! pacta-governance's integration tests: one binary.

mod dispute;
mod ics;
mod obligations;
