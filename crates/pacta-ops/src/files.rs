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
/// reader never sees half a file and a failure leaves the old one in place. A path that is a
/// symbolic link, a device or a pipe is written through instead, never replaced by a regular
/// file (`-o /dev/stdout`, a link into another folder).
pub fn write(path: &Path, contents: &[u8]) -> OpResult<()> {
    write_with_mode(path, contents, false)
}

/// Writes a file only its owner may read (mode 0600 on Unix): quarantine files hold what
/// was wrong with a customer's row.
pub fn write_private(path: &Path, contents: &[u8]) -> OpResult<()> {
    write_with_mode(path, contents, true)
}

fn write_with_mode(path: &Path, contents: &[u8], private: bool) -> OpResult<()> {
    use std::io::Write;
    let err = |source| OpError::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Ok(meta) = std::fs::symlink_metadata(path)
        && (meta.file_type().is_symlink() || !meta.is_file())
    {
        return std::fs::write(path, contents).map_err(err);
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(err)?;
    let tmp = dir.join(format!(
        ".{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("pacta")
    ));
    let _ = std::fs::remove_file(&tmp);
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    let written = opts
        .open(&tmp)
        .and_then(|mut f| f.write_all(contents).and_then(|()| f.sync_all()));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(err(e));
    }
    std::fs::rename(&tmp, path).map_err(err)
}

/// Refuses to go on when `path` exists, unless `force`.
pub fn refuse_overwrite(path: &Path, force: bool) -> OpResult<()> {
    // Devices and pipes (`-o /dev/stdout`) are written to, not overwritten.
    if path.is_file() && !force {
        return Err(OpError::Exists {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// The largest evidence file accepted: evidence is a report or a certificate, not a dump.
pub const MAX_EVIDENCE_BYTES: u64 = 20 * 1024 * 1024;

/// An evidence file's name and bytes; refused (naming the file) when it is not a regular
/// file or is larger than [`MAX_EVIDENCE_BYTES`].
pub fn read_evidence(path: &Path) -> OpResult<(String, Vec<u8>)> {
    let read = |source| OpError::Read {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(read)?;
    if !meta.is_file() {
        return Err(read(std::io::Error::other("not a regular file")));
    }
    if meta.len() > MAX_EVIDENCE_BYTES {
        return Err(read(std::io::Error::other(format!(
            "{} bytes, more than the {MAX_EVIDENCE_BYTES} accepted for evidence",
            meta.len()
        ))));
    }
    let bytes = std::fs::read(path).map_err(read)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "evidence".to_string());
    Ok((name, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_and_devices_are_written_through_and_private_files_are_0600() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("target.txt");
        std::fs::write(&target, b"old").expect("written");
        let link = dir.path().join("link.txt");
        std::os::unix::fs::symlink(&target, &link).expect("link");
        write(&link, b"new").expect("written through");
        assert!(
            std::fs::symlink_metadata(&link)
                .expect("meta")
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&target).expect("read"), b"new");
        let full = write(Path::new("/dev/full"), b"x");
        assert!(matches!(full, Err(OpError::Write { .. })), "{full:?}");
        assert!(Path::new("/dev/full").exists());
        let private = dir.path().join("q.csv");
        write_private(&private, b"row").expect("written");
        let mode = std::fs::metadata(&private)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

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
