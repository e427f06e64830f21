//! Integration tests of `pacta-cli`, linked into one test binary (`tests/it`): one module per
//! area, each documented in its own file.

mod cli_contract;
mod cli_data;
mod cli_dispute;
mod cli_engine;
mod cli_evidence;
mod cli_friction;
mod cli_governance;
mod cli_kpi;
mod cli_plan;
mod cli_print;
mod cli_record;
mod cli_select;
mod cli_server;
mod cli_settle;
mod cli_spanish;
mod cli_terminal;
mod cli_tour;
mod common;
