//! Integration tests of `pacta-settle`, linked into one test binary (`tests/it`): one module per
//! area, each documented in its own file.

mod month;
