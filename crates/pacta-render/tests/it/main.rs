//! Integration tests of `pacta-render`, linked into one test binary (`tests/it`): one module per
//! area, each documented in its own file.

mod render;
