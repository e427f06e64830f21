//! `pacta init`, `check`, `schema`, `review` and `render`: working with the contract file.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use pacta_contract::{Contract, Lang, ValidationError};

use super::{CliError, CliResult, read_file, write_file};
use crate::diag::render_validation;
use crate::text::t;

/// Which starting contract `pacta init` writes.
#[derive(Clone, Copy, ValueEnum)]
pub enum Template {
    /// Inbound voice and chat customer care.
    Inbound,
    /// Outbound sales campaign.
    Outbound,
    /// Omnichannel (voice, chat, e-mail, social).
    Omnichannel,
}

#[derive(Args)]
pub struct InitArgs {
    /// Kind of operation the contract covers.
    #[arg(long, value_enum, default_value = "inbound")]
    template: Template,
    /// Where to write the contract.
    #[arg(long, short, default_value = "contract.toml")]
    output: PathBuf,
    /// Overwrite an existing file.
    #[arg(long)]
    force: bool,
}

fn template_text(template: Template, lang: Lang) -> &'static str {
    match (template, lang) {
        (Template::Inbound, Lang::En) => include_str!("../../templates/init/inbound.en.toml"),
        (Template::Inbound, Lang::Es) => include_str!("../../templates/init/inbound.es.toml"),
        (Template::Outbound, Lang::En) => include_str!("../../templates/init/outbound.en.toml"),
        (Template::Outbound, Lang::Es) => include_str!("../../templates/init/outbound.es.toml"),
        (Template::Omnichannel, Lang::En) => {
            include_str!("../../templates/init/omnichannel.en.toml")
        }
        (Template::Omnichannel, Lang::Es) => {
            include_str!("../../templates/init/omnichannel.es.toml")
        }
    }
}

pub fn init(args: InitArgs, lang: Lang) -> CliResult {
    if args.output.exists() && !args.force {
        return Err(CliError::Exists(args.output));
    }
    write_file(&args.output, template_text(args.template, lang).as_bytes())?;
    println!(
        "{} {}\n{} pacta check {}",
        t(lang, "wrote", "escrito"),
        args.output.display(),
        t(lang, "next:", "siguiente paso:"),
        args.output.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Output format of `check`.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum CheckFormat {
    /// Human-readable with source snippets.
    Text,
    /// JSON array of errors per file.
    Json,
}

#[derive(Args)]
pub struct CheckArgs {
    /// Contract files to check.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: CheckFormat,
}

/// Reads and validates one contract, printing located errors. `Err` only for unreadable files.
pub fn load_contract(path: &Path, lang: Lang) -> Result<Contract, CliError> {
    let bytes = read_file(path)?;
    pacta_contract::parse_bytes(&bytes).map_err(|errors| {
        let text = String::from_utf8_lossy(&bytes);
        for e in &errors {
            eprintln!(
                "{}",
                render_validation(&path.display().to_string(), &text, e, lang)
            );
        }
        CliError::Invalid(match lang {
            Lang::En => format!(
                "{} is not a valid contract ({} problem(s))",
                path.display(),
                errors.len()
            ),
            Lang::Es => format!(
                "{} no es un contrato válido ({} problema(s))",
                path.display(),
                errors.len()
            ),
        })
    })
}

pub fn check(args: CheckArgs, lang: Lang) -> CliResult {
    let mut worst = 0u8;
    let mut json = Vec::new();
    for path in &args.files {
        let bytes = match read_file(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{}", e.render(lang));
                worst = 2;
                json.push(
                    serde_json::json!({ "file": path.display().to_string(), "readable": false }),
                );
                continue;
            }
        };
        match pacta_contract::parse_bytes(&bytes) {
            Ok(c) => {
                if args.format == CheckFormat::Text {
                    println!(
                        "{}: {} ({} {}, {} SLA)",
                        path.display(),
                        t(lang, "valid", "válido"),
                        c.doc.contract.id,
                        c.doc.contract.version,
                        c.doc.slas.len()
                    );
                }
                json.push(serde_json::json!({ "file": path.display().to_string(), "valid": true, "errors": [] }));
            }
            Err(errors) => {
                worst = worst.max(1);
                if args.format == CheckFormat::Text {
                    let text = String::from_utf8_lossy(&bytes);
                    for e in &errors {
                        eprintln!(
                            "{}",
                            render_validation(&path.display().to_string(), &text, e, lang)
                        );
                    }
                    eprintln!(
                        "{}: {} ({} {})",
                        path.display(),
                        t(lang, "invalid", "no válido"),
                        errors.len(),
                        t(lang, "problem(s)", "problema(s)")
                    );
                }
                json.push(serde_json::json!({
                    "file": path.display().to_string(),
                    "valid": false,
                    "errors": errors.iter().map(|e| error_json(e, lang)).collect::<Vec<_>>(),
                }));
            }
        }
    }
    if args.format == CheckFormat::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        );
    }
    Ok(ExitCode::from(worst))
}

fn error_json(e: &ValidationError, lang: Lang) -> serde_json::Value {
    serde_json::json!({
        "code": e.code,
        "path": e.path.as_ref().map(|p| p.to_string()),
        "line": e.location.line,
        "col": e.location.col,
        "message": e.message(lang),
        "hint": e.hint(lang),
    })
}

#[derive(Args)]
pub struct SchemaArgs {
    /// Write the schema to a file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

pub fn schema(args: SchemaArgs) -> CliResult {
    let text = serde_json::to_string_pretty(&pacta_contract::json_schema()).unwrap_or_default();
    match args.output {
        Some(p) => write_file(&p, text.as_bytes())?,
        None => println!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}
