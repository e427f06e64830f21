//! Integration tests of `pacta-kpi`, linked into one test binary (`tests/it`): one module per
//! area, each documented in its own file.

mod common;
mod engine;
mod evidence;
mod lower;
mod row_order;
