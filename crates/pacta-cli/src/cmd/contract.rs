//! `pacta init`, `check`, `schema`, `review` and `render`: working with the contract file.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use pacta_contract::{Contract, Lang, ValidationError};

use super::{CliError, CliResult, read_file, write_file};
use crate::diag::render_validation;
use crate::words;
use pacta_core::text_table::Column;

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
    #[arg(long, short, visible_alias = "out", default_value = "contract.toml")]
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
    pacta_ops::files::refuse_overwrite(&args.output, args.force)?;
    write_file(&args.output, template_text(args.template, lang).as_bytes())?;
    println!(
        "{} {}\n{} pacta check {}",
        lang.pick("wrote", "escrito"),
        args.output.display(),
        lang.pick("next:", "siguiente paso:"),
        args.output.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Output format of `check`.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum CheckFormat {
    /// Human-readable with source snippets.
    #[value(alias = "table")]
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
/// Reads and validates a contract file; its problems are shown located when it fails.
pub fn load_contract(path: &Path) -> Result<Contract, CliError> {
    Ok(pacta_ops::contract::load(path)?)
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
                        lang.pick("valid", "válido"),
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
                        lang.pick("invalid", "no válido"),
                        errors.len(),
                        lang.pick("problem(s)", "problema(s)")
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
    #[arg(long, short, visible_alias = "out")]
    output: Option<PathBuf>,
}

pub fn schema(args: SchemaArgs, lang: Lang) -> CliResult {
    let text = serde_json::to_string_pretty(&pacta_contract::json_schema()).unwrap_or_default();
    match args.output {
        Some(p) => {
            write_file(&p, text.as_bytes())?;
            // On standard error, like `render -o`: standard output stays free for the schema.
            eprintln!("{} {}", lang.pick("wrote", "escrito"), p.display());
        }
        None => println!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// Output format of `review`.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ReviewFormat {
    /// Human-readable findings with locations.
    #[value(alias = "table")]
    Text,
    /// JSON array of findings (stable field names).
    Json,
    /// A Markdown report for a pull request or a memo.
    Markdown,
}

#[derive(Args)]
pub struct ReviewArgs {
    /// Contract file to review (required unless --list-rules).
    #[arg(required_unless_present = "list_rules")]
    file: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: ReviewFormat,
    /// Print the rulebook (id, severity, element, title) instead of reviewing.
    #[arg(long)]
    list_rules: bool,
    /// Print each paragraph on one line instead of wrapping at 100 columns.
    #[arg(long)]
    wide: bool,
    /// Exit 1 when a finding of this severity or worse is present (high, medium, low).
    #[arg(long, value_parser = ["high", "medium", "low"])]
    fail_on: Option<String>,
}

pub fn review(args: ReviewArgs, lang: Lang) -> CliResult {
    if args.list_rules {
        let rules = pacta_review::rules();
        match args.format {
            ReviewFormat::Json => println!("{}", super::to_json(&rules)?),
            _ => {
                const RULES: [Column; 2] = [Column::left("", 35), Column::left(" ", 11)];
                for r in rules {
                    let lead = pacta_core::text_table::laid_out(
                        &RULES[..2],
                        &[r.id, r.severity.label(lang)],
                    );
                    // The title wraps under itself, not under the rule id.
                    let under = " ".repeat(lead.chars().count() + 1);
                    println!(
                        "{}",
                        crate::words::hanging(
                            &r.title.get(lang).replace("{s}", "…"),
                            &format!("{lead} "),
                            &under,
                            crate::words::WIDTH,
                        )
                    );
                }
                println!("{} {}", rules.len(), lang.pick("rules", "reglas"));
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let Some(path) = args.file else {
        return Err(CliError::Invalid(
            lang.pick(
                "a contract file is required",
                "se necesita un archivo de contrato",
            )
            .into(),
        ));
    };
    let contract = load_contract(&path)?;
    let findings = pacta_review::review(&contract, lang);
    match args.format {
        ReviewFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&findings).unwrap_or_default()
        ),
        ReviewFormat::Markdown => print!("{}", pacta_review::to_markdown(&findings, lang)),
        ReviewFormat::Text => print!(
            "{}",
            pacta_review::to_text(
                &findings,
                &path.display().to_string(),
                lang,
                (!args.wide).then_some(crate::words::WIDTH),
            )
        ),
    }
    let threshold = match args.fail_on.as_deref() {
        Some("high") => Some(pacta_review::Severity::High),
        Some("medium") => Some(pacta_review::Severity::Medium),
        Some("low") => Some(pacta_review::Severity::Low),
        _ => None,
    };
    // Severity orders High < Medium < Low < Info, so "this or worse" is `<=`.
    let failed = threshold.is_some_and(|th| findings.iter().any(|f| f.severity <= th));
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Output format of `render`.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum RenderFormat {
    /// The document for the terminal, within 100 columns: paragraphs wrapped, each table row
    /// as a block of `heading: value` lines.
    #[value(alias = "table")]
    Text,
    /// GitHub-flavoured Markdown.
    Markdown,
    /// A self-contained HTML page.
    Html,
}

#[derive(Args)]
pub struct RenderArgs {
    /// Contract file to render.
    file: PathBuf,
    /// Document format.
    #[arg(long, value_enum, default_value = "text")]
    format: RenderFormat,
    /// Write to this file instead of standard output.
    #[arg(long, short, visible_alias = "out")]
    output: Option<PathBuf>,
    /// Overwrite the output file if it exists.
    #[arg(long)]
    force: bool,
}

pub fn render(args: RenderArgs, lang: Lang) -> CliResult {
    if let Some(p) = &args.output {
        pacta_ops::files::refuse_overwrite(p, args.force)?;
    }
    let contract = load_contract(&args.file)?;
    let format = match args.format {
        RenderFormat::Text | RenderFormat::Markdown => pacta_render::Format::Markdown,
        RenderFormat::Html => pacta_render::Format::Html,
    };
    let mut text = pacta_render::render(&contract, lang, format).map_err(CliError::lib)?;
    if args.format == RenderFormat::Text {
        text = terminal_document(&text);
    }
    match args.output {
        Some(p) => {
            write_file(&p, text.as_bytes())?;
            eprintln!("{} {}", lang.pick("wrote", "escrito"), p.display());
        }
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// A Markdown document laid out for a terminal of [`words::WIDTH`] columns: headings as they
/// are, paragraphs and list items wrapped, emphasis marks dropped, and each table row as a
/// block: its first cell, then `heading: value` for the others (a table's columns do not fit
/// side by side in 100 columns; `--format markdown` keeps them).
fn terminal_document(markdown: &str) -> String {
    let width = words::WIDTH;
    let cells = |line: &str| -> Vec<String> {
        line.trim()
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().replace("**", ""))
            .collect()
    };
    let mut out = String::new();
    let lines: Vec<&str> = markdown.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.starts_with('|') {
            let header = cells(line);
            i += 1;
            // The separator row under the header.
            if lines
                .get(i)
                .is_some_and(|l| l.starts_with("|-") || l.starts_with("| -") || l.starts_with("|:"))
            {
                i += 1;
            }
            while let Some(row) = lines.get(i).filter(|l| l.starts_with('|')) {
                let row = cells(row);
                out.push_str(&words::wrap(&row[0], "", width));
                out.push('\n');
                for (name, value) in header.iter().zip(&row).skip(1) {
                    if value.is_empty() {
                        continue;
                    }
                    let field = if name.is_empty() {
                        value.clone()
                    } else {
                        format!("{name}: {value}")
                    };
                    out.push_str(&words::hanging(&field, "  ", "      ", width));
                    out.push('\n');
                }
                i += 1;
            }
            continue;
        }
        let plain = line.replace("**", "");
        let trimmed = plain.trim_start();
        let indent = &plain[..plain.len() - trimmed.len()];
        let marker_len = if trimmed.starts_with("- ") || trimmed.starts_with("* ") {
            2
        } else {
            trimmed
                .find(". ")
                .filter(|n| *n > 0 && trimmed[..*n].chars().all(|c| c.is_ascii_digit()))
                .map_or(0, |n| n + 2)
        };
        if trimmed.starts_with('#') || trimmed.is_empty() {
            out.push_str(&plain);
        } else if marker_len > 0 {
            let first = format!("{indent}{}", &trimmed[..marker_len]);
            let rest = " ".repeat(first.chars().count());
            out.push_str(&words::hanging(
                &trimmed[marker_len..],
                &first,
                &rest,
                width,
            ));
        } else {
            out.push_str(&words::hanging(trimmed, indent, indent, width));
        }
        out.push('\n');
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::terminal_document;

    #[test]
    fn tables_become_blocks_and_paragraphs_wrap() {
        let long = "word ".repeat(30);
        let md = format!(
            "## Sites\n\n| Site | City | Seats |\n|---|---|---|\n| **MNL-BGC** | Taguig | 420 |\n\n{long}\n\n- {long}\n"
        );
        let text = terminal_document(&md);
        assert!(
            text.contains("## Sites\n\nMNL-BGC\n  City: Taguig\n  Seats: 420\n"),
            "{text}"
        );
        assert!(text.lines().all(|l| l.chars().count() <= 100), "{text}");
        // A list item's continuation lines hang under its text.
        let item: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("- ") || l.starts_with("  word"))
            .collect();
        assert!(item.len() >= 2, "{text}");
    }
}
