//! The monthly settlement report: a self-contained HTML page with inline SVG charts, and the
//! same content as Markdown, in English or Spanish.
//!
//! The report is built in two steps. [`view::build`] turns a [`Settlement`] and the stored
//! history into a [`view::ReportView`]: every figure already formatted in the reader's language
//! (thousands separators, decimal comma in Spanish, the contract currency's minor units) and
//! every chart already drawn as an SVG string by [`charts`]. The minijinja templates under
//! `templates/` only lay that view out, so the arithmetic lives in one place and the two
//! formats cannot disagree.
//!
//! Nothing here reads the clock, the network or the file system: the page embeds its styles
//! and charts and opens offline.

pub mod charts;
pub mod labels;
mod selection_page;
mod settlement_csv;
mod staffing_page;
mod staffing_text;
pub mod view;

pub use selection_page::selection_html;
pub use settlement_csv::settlement_csv;
pub use staffing_page::staffing_html;
pub use staffing_text::{staffing_csv, staffing_table, staffing_table_wide};

use minijinja::{AutoEscape, Environment};
use pacta_contract::{Contract, Lang};
use pacta_settle::Settlement;
use pacta_terms::credits::MonthRecord;

/// Why a report could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A template failed to render (a bug in pacta's templates, not in the user's input).
    #[error("report template `{template}` failed: {source}")]
    Template {
        /// Template name.
        template: &'static str,
        /// The engine's error.
        #[source]
        source: minijinja::Error,
    },
}

impl pacta_core::Localized for ReportError {
    fn code(&self) -> &'static str {
        match self {
            ReportError::Template { .. } => "report-template",
        }
    }

    fn message(&self, lang: pacta_core::Lang) -> String {
        match (self, lang) {
            (_, pacta_core::Lang::En) => self.to_string(),
            (ReportError::Template { template, source }, pacta_core::Lang::Es) => {
                format!("falló la plantilla de informe `{template}`: {source}")
            }
        }
    }
}

const HTML_TEMPLATE: &str = include_str!("../templates/report.html");

/// The partials the report shares with the server's month page, by name: the credit
/// statement (`credits`, `charts.waterfall`) and the invoice (`invoice`, `currency`), each
/// with the report's labels as `t` ([`labels::table`]) and the report's CSS classes. A page
/// that includes them registers them under these names.
pub const SHARED_TEMPLATES: [(&str, &str); 2] = [
    (
        "settlement_credits.html",
        include_str!("../templates/settlement_credits.html"),
    ),
    (
        "settlement_invoice.html",
        include_str!("../templates/settlement_invoice.html"),
    ),
];
const MARKDOWN_TEMPLATE: &str = include_str!("../templates/report.md");

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    // Templates are compiled into the binary; a syntax error is caught by the unit tests.
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env
}

fn render(
    template: &'static str,
    source: &'static str,
    view: &view::ReportView,
) -> Result<String, ReportError> {
    let mut env = environment();
    let wrap = |source| ReportError::Template { template, source };
    for (name, text) in SHARED_TEMPLATES {
        env.add_template(name, text).map_err(wrap)?;
    }
    env.add_template(template, source).map_err(wrap)?;
    let tmpl = env.get_template(template).map_err(wrap)?;
    tmpl.render(minijinja::Value::from(minijinja::value::Serde(view)))
        .map_err(wrap)
}

/// The self-contained HTML report of a settled month.
///
/// `history` is the stored records of earlier months (any order); months after the settled
/// one are ignored. The page has no external references: styles and charts are inline.
pub fn html(
    contract: &Contract,
    settlement: &Settlement,
    history: &[MonthRecord],
    lang: Lang,
) -> Result<String, ReportError> {
    let view = view::build(contract, settlement, history, lang);
    render("report.html", HTML_TEMPLATE, &view)
}

/// The report as Markdown (tables, no charts), for pull requests, wikis and e-mail.
pub fn markdown(
    contract: &Contract,
    settlement: &Settlement,
    history: &[MonthRecord],
    lang: Lang,
) -> Result<String, ReportError> {
    let view = view::build(contract, settlement, history, lang);
    render("report.md", MARKDOWN_TEMPLATE, &view)
}
