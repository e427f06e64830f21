//! One module per group of subcommands.

pub mod args;
pub mod contract;
pub mod data;
pub mod demo;
pub mod dispute;
pub mod engine;
pub mod r#gen;
pub mod governance;
pub mod kpi;
pub mod plan;
pub mod record;
pub mod select;
pub mod server;
pub mod settle;

use std::path::Path;
use std::process::ExitCode;

use pacta_contract::Lang;

/// A command failure the CLI reports and turns into an exit code.
#[derive(Debug)]
pub enum CliError {
    /// An operation failed: rendered in the reader's language, a contract's problems located
    /// first (exit 2 for a file that cannot be read or written, else 1).
    Op(pacta_ops::OpError),
    /// A library refused (rendered in the reader's language, exit 1).
    Lib(Box<dyn pacta_core::Localized + Send + Sync>),
    /// The output could not be produced or written (exit 1).
    Output(String),
    /// The input is invalid: the message is already in the reader's language (exit 1).
    Invalid(String),
}

impl CliError {
    pub fn render(&self, lang: Lang) -> String {
        use pacta_core::Localized;
        match self {
            CliError::Op(pacta_ops::OpError::InvalidContract { path, text, errors }) => {
                let file = path.display().to_string();
                let mut out = String::new();
                for e in errors {
                    out.push_str(&crate::diag::render_validation(&file, text, e, lang));
                    out.push('\n');
                }
                let op = pacta_ops::OpError::InvalidContract {
                    path: path.clone(),
                    text: String::new(),
                    errors: errors.clone(),
                };
                out.push_str(&format!("error: {}", op.message(lang)));
                out
            }
            CliError::Op(e) => format!("error: {}", e.message(lang)),
            CliError::Lib(e) => format!("error: {}", e.message(lang)),
            CliError::Output(detail) => format!(
                "error: {}: {detail}",
                lang.pick(
                    "could not write the output",
                    "no se pudo escribir la salida"
                )
            ),
            CliError::Invalid(m) => format!("error: {m}"),
        }
    }

    pub fn exit_code(&self) -> ExitCode {
        match self {
            CliError::Op(e) if e.is_file_error() => ExitCode::from(2),
            _ => ExitCode::from(1),
        }
    }
}

impl CliError {
    /// A library's error, rendered in the reader's language.
    pub fn lib(e: impl pacta_core::Localized + Send + Sync + 'static) -> Self {
        CliError::Lib(Box::new(e))
    }
}

/// Pretty JSON of a result for standard output.
pub fn to_json(value: &impl serde::Serialize) -> Result<String, CliError> {
    serde_json::to_string_pretty(value).map_err(|e| CliError::Output(e.to_string()))
}

impl From<pacta_ops::OpError> for CliError {
    fn from(e: pacta_ops::OpError) -> Self {
        CliError::Op(e)
    }
}

pub type CliResult = Result<ExitCode, CliError>;

/// Reads a file (the error names it).
pub fn read_file(path: &Path) -> Result<Vec<u8>, CliError> {
    Ok(pacta_ops::files::read(path)?)
}

/// Writes a file atomically (temp file in the same directory, then rename).
pub fn write_file(path: &Path, contents: &[u8]) -> Result<(), CliError> {
    Ok(pacta_ops::files::write(path, contents)?)
}
