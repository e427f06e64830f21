//! Integration tests of `pacta-planning`, linked into one test binary (`tests/it`): one module per
//! area, each documented in its own file.

mod erlang;
mod simulation;
mod vectors;
