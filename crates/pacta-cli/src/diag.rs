//! Rendering located errors with the source snippet (miette's graphical handler).

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
};
use pacta_contract::{Lang, ValidationError};

/// One located problem, ready for miette.
#[derive(Debug)]
struct Located {
    header: String,
    code: String,
    src: NamedSource<String>,
    label: String,
    offset: usize,
    len: usize,
    help: Option<String>,
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.header)
    }
}

impl std::error::Error for Located {}

impl Diagnostic for Located {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.src)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some(self.label.clone()),
            self.offset,
            self.len,
        ))))
    }
}

/// Renders a validation error as `file:line:col: message`, the source line with a caret, and
/// the fix hint.
pub fn render_validation(file: &str, text: &str, e: &ValidationError, lang: Lang) -> String {
    let offset = e.location.span.start.min(text.len());
    // Point at the first token of the span, not a whole table body.
    let end = e.location.span.end.min(text.len()).max(offset);
    let first_line_end = text[offset..end].find('\n').map_or(end, |i| offset + i);
    let len = (first_line_end - offset).max(usize::from(offset < text.len()));
    let header = format!(
        "{file}:{}:{}: {}",
        e.location.line,
        e.location.col,
        e.message(lang)
    );
    let label = match lang {
        Lang::En => {
            if e.location.exact {
                "here"
            } else {
                "in this section"
            }
        }
        Lang::Es => {
            if e.location.exact {
                "aquí"
            } else {
                "en esta sección"
            }
        }
    };
    let diag = Located {
        header,
        code: e.code.to_string(),
        src: NamedSource::new(file, text.to_string()),
        label: label.to_string(),
        offset,
        len,
        help: e.hint(lang),
    };
    let handler =
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_context_lines(1);
    let mut out = String::new();
    if handler.render_report(&mut out, &diag).is_err() {
        out = format!("{diag}");
    }
    out
}
