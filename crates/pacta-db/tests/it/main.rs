//! Integration tests of `pacta-db`, linked into one test binary (`tests/it`). Each test is
//! written once against a [`fixture::Fixture`] and run on both backends: SQLite in a
//! temporary directory, and PostgreSQL in a fresh database of the server named by
//! `PACTA_TEST_POSTGRES` (skipped with a note when it is not set, unless
//! `PACTA_REQUIRE_POSTGRES=1`).

mod fixture;

mod admin;
mod audit;
mod canonical;
mod concurrency;
mod disputes;
mod obligations;
mod settlements;
mod url;
