//! Integration tests of `pacta-data`, linked into one test binary (`tests/it`): one module per
//! area, each documented in its own file.

mod across_files;
mod bad_inputs;
mod parquet_import;
mod real_files;
mod store;
