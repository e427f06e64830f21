//! Integration tests of `pacta-server`, one binary (`tests/it`): the data layer's story on
//! SQLite and PostgreSQL (`PACTA_TEST_POSTGRES`, required with `PACTA_REQUIRE_POSTGRES=1`),
//! and the HTTP surface in process.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

mod api_write;
mod browser;
mod browser_admin;
mod browser_gov;
mod browser_month;
mod data;
mod fixture;
mod http;
mod story;
mod tenants;
mod what_if;
