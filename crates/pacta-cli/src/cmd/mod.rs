//! One module per group of subcommands.

pub mod contract;
pub mod data;
pub mod demo;
pub mod r#gen;
pub mod plan;
pub mod settle;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use pacta_contract::Lang;

/// A command failure the CLI reports and turns into an exit code.
#[derive(Debug)]
pub enum CliError {
    /// A file could not be read or written (exit 2).
    Io {
        path: PathBuf,
        source: std::io::Error,
        writing: bool,
    },
    /// The input is invalid; the details were already printed (exit 1).
    Invalid(String),
    /// Refused to overwrite an existing file (exit 2).
    Exists(PathBuf),
    /// Anything else with a message (exit 1).
    Other(String),
}

impl CliError {
    pub fn render(&self, lang: Lang) -> String {
        let es = lang == Lang::Es;
        match self {
            CliError::Io {
                path,
                source,
                writing: false,
            } => {
                if es {
                    format!("error: no se pudo leer {}: {source}", path.display())
                } else {
                    format!("error: could not read {}: {source}", path.display())
                }
            }
            CliError::Io {
                path,
                source,
                writing: true,
            } => {
                if es {
                    format!("error: no se pudo escribir {}: {source}", path.display())
                } else {
                    format!("error: could not write {}: {source}", path.display())
                }
            }
            CliError::Invalid(m) | CliError::Other(m) => format!("error: {m}"),
            CliError::Exists(p) => {
                if es {
                    format!(
                        "error: {} ya existe; use --force para sobrescribirlo",
                        p.display()
                    )
                } else {
                    format!(
                        "error: {} already exists; use --force to overwrite it",
                        p.display()
                    )
                }
            }
        }
    }

    pub fn exit_code(&self) -> ExitCode {
        match self {
            CliError::Io { .. } | CliError::Exists(_) => ExitCode::from(2),
            _ => ExitCode::from(1),
        }
    }
}

pub type CliResult = Result<ExitCode, CliError>;

/// Reads a file, mapping the error to a located CLI error.
pub fn read_file(path: &Path) -> Result<Vec<u8>, CliError> {
    std::fs::read(path).map_err(|source| CliError::Io {
        path: path.to_path_buf(),
        source,
        writing: false,
    })
}

/// Writes a file atomically (temp file in the same directory, then rename).
pub fn write_file(path: &Path, contents: &[u8]) -> Result<(), CliError> {
    let err = |source| CliError::Io {
        path: path.to_path_buf(),
        source,
        writing: true,
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
