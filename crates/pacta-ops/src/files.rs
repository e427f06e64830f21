//! Reading and writing the files an operation names, with the path in every error.

use std::path::Path;

use crate::{OpError, OpResult};

/// Reads a whole file.
pub fn read(path: &Path) -> OpResult<Vec<u8>> {
    std::fs::read(path).map_err(|source| OpError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// Writes a file atomically: a temporary file in the same directory, then a rename, so a
/// reader never sees half a file and a failure leaves the old one in place.
pub fn write(path: &Path, contents: &[u8]) -> OpResult<()> {
    let err = |source| OpError::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(err)?;
    let tmp = dir.join(format!(
        ".{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("pacta")
    ));
    std::fs::write(&tmp, contents).map_err(err)?;
    std::fs::rename(&tmp, path).map_err(err)
}

/// Refuses to go on when `path` exists, unless `force`.
pub fn refuse_overwrite(path: &Path, force: bool) -> OpResult<()> {
    if path.exists() && !force {
        return Err(OpError::Exists {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_atomically_and_names_the_path() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("sub").join("out.txt");
        write(&path, b"one").expect("written");
        write(&path, b"two").expect("rewritten");
        assert_eq!(read(&path).expect("read"), b"two");
        assert!(!dir.path().join("sub").join(".out.txt.tmp").exists());
        let missing = read(&dir.path().join("nope"));
        assert!(matches!(missing, Err(OpError::Read { path, .. }) if path.ends_with("nope")));
        assert!(matches!(
            refuse_overwrite(&path, false),
            Err(OpError::Exists { .. })
        ));
        assert!(refuse_overwrite(&path, true).is_ok());
    }
}
