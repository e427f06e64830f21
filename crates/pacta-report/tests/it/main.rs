//! Integration tests of `pacta-report`, linked into one test binary (`tests/it`): one module per
//! area, each documented in its own file.

mod language_and_print;
mod report;
