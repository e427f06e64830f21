//! Loading a contract file.

use std::path::Path;

use pacta_contract::Contract;

use crate::{OpError, OpResult, files};

/// Reads and validates a contract file. A contract that does not validate is an
/// [`OpError::InvalidContract`] carrying every problem, located, and the text they point into.
pub fn load(path: &Path) -> OpResult<Contract> {
    let bytes = files::read(path)?;
    pacta_contract::parse_bytes(&bytes).map_err(|errors| OpError::InvalidContract {
        path: path.to_path_buf(),
        text: String::from_utf8_lossy(&bytes).into_owned(),
        errors,
    })
}

/// Validates contract text received as bytes (an upload); `name` is what errors call it.
pub fn parse_upload(name: &str, bytes: &[u8]) -> OpResult<Contract> {
    pacta_contract::parse_bytes(bytes).map_err(|errors| OpError::InvalidContract {
        path: std::path::PathBuf::from(name),
        text: String::from_utf8_lossy(bytes).into_owned(),
        errors,
    })
}

/// Registers a validated contract bound to its client and provider organisations: a new
/// contract, or a new version of one (the same text again is not a new version). `pacta
/// contract register` and `POST /api/contracts`.
pub fn register(
    db: &pacta_db::Db,
    contract: &Contract,
    client_org: &str,
    provider_org: &str,
    actor: &str,
    now: jiff::Timestamp,
) -> OpResult<pacta_db::RegisteredContract> {
    let header = &contract.doc.contract;
    Ok(db.register_contract(
        &pacta_db::NewContract {
            id: header.id.clone(),
            contract_version: header.version.clone(),
            toml: contract.source.text().to_string(),
            client_org: client_org.to_string(),
            provider_org: provider_org.to_string(),
        },
        actor,
        now,
    )?)
}
