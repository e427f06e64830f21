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
