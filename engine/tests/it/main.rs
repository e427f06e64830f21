//! Integration tests of pacta-engine: jobs over real Parquet files, on DataFusion and on a
//! standalone Ballista cluster, through the library and through the binary.

mod conformance;
mod runner;
