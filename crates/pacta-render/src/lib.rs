//! Readable contract documents rendered from the model, in formal English or Spanish.
//!
//! [`render`] turns a validated [`Contract`] into one document holding the master services
//! agreement, the service-level schedule (Schedule A), the pricing schedule (Schedule B) and
//! the confidentiality and data-protection terms (Schedule C), as Markdown or as a
//! self-contained printable HTML page.
//!
//! Layout: the clause prose lives in one template per language (`templates/en.jinja`,
//! `templates/es.jinja`), written once for both formats; it draws headings, paragraphs, lists
//! and tables through a macro library per format (`templates/fmt.md`, `templates/fmt.html`).
//! HTML pages are wrapped in `templates/page.html` (inline CSS, table of contents). The
//! templates receive a view of the contract in which money, dates, percentages, enumerations
//! and KPI formulas are already written out in the document's language (see [`fmt`]).
//! Sections the contract leaves out are kept and marked "Not agreed" / "No pactado".
//!
//! Values are escaped for the output format: HTML with minijinja's auto-escaping, Markdown
//! with a formatter that escapes the characters that would break a table or inject markup.

mod formula;
mod phrases;
mod view;

use minijinja::value::{Serde, Value};
use minijinja::{AutoEscape, Environment, Error, ErrorKind, UndefinedBehavior};
use pacta_contract::{Contract, Lang};

/// The output format of a rendered document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// GitHub-flavoured Markdown, with tables for the schedules.
    Markdown,
    /// A complete, self-contained HTML page (inline CSS, no external resources).
    Html,
}

impl Format {
    /// The template-name suffix (and file extension) of the format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
        }
    }
}

/// Why a document could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A template failed to load or to render (a bug in pacta's templates).
    #[error("template error: {0:#}")]
    Template(#[from] minijinja::Error),
}

impl pacta_core::Localized for RenderError {
    fn code(&self) -> &'static str {
        match self {
            RenderError::Template(_) => "render-template",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (RenderError::Template(e), Lang::Es) => format!("error de plantilla: {e:#}"),
        }
    }
}

const TEMPLATES: &[(&str, &str)] = &[
    ("fmt.md", include_str!("../templates/fmt.md")),
    ("fmt.html", include_str!("../templates/fmt.html")),
    ("page.html", include_str!("../templates/page.html")),
];

const MARKDOWN_ESCAPE: &str = "markdown";
const TOC_MARKER: &str = "<!--TOC-->";

/// Renders the contract as a document in `lang` and `format`.
pub fn render(contract: &Contract, lang: Lang, format: Format) -> Result<String, RenderError> {
    let env = environment(lang)?;
    let view = view::build(contract, lang);
    let ctx = minijinja::context! {
        c => Value::from(Serde(&view)),
        format => format.extension(),
        lang => lang.code(),
    };
    let out = match format {
        Format::Markdown => env
            .get_template(&format!("{}.md", lang.code()))?
            .render(ctx)?,
        Format::Html => {
            let page = env.get_template("page.html")?.render(ctx)?;
            insert_toc(&page)
        }
    };
    Ok(tidy(&out))
}

fn environment(lang: Lang) -> Result<Environment<'static>, Error> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()?,
    );
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            AutoEscape::Html
        } else if name.ends_with(".md") {
            AutoEscape::Custom(MARKDOWN_ESCAPE.into())
        } else {
            AutoEscape::None
        }
    });
    env.set_formatter(|out, state, value| {
        if value.is_none() || value.is_undefined() {
            return out.write_str("—").map_err(Error::from);
        }
        match state.auto_escape() {
            AutoEscape::Custom(name) if name == MARKDOWN_ESCAPE => if value.is_safe() {
                out.write_str(&value.to_string())
            } else {
                out.write_str(&escape_markdown(&value.to_string()))
            }
            .map_err(Error::from),
            _ => minijinja::escape_formatter(out, state, value),
        }
    });
    for (name, source) in TEMPLATES {
        env.add_template(name, source)?;
    }
    // The prose template of each language is registered once per format, so that its name
    // selects the escaping (`en.html` escapes HTML, `en.md` Markdown).
    let prose = match lang {
        Lang::En => include_str!("../templates/en.jinja"),
        Lang::Es => include_str!("../templates/es.jinja"),
    };
    env.add_template_owned(format!("{}.md", lang.code()), prose)?;
    env.add_template_owned(format!("{}.html", lang.code()), prose)?;
    env.add_filter("qty", move |n: Value, unit: String| qty(lang, &n, &unit));
    env.add_filter("squish", squish);
    env.add_filter("ucfirst", |s: String| {
        let mut cs = s.chars();
        match cs.next() {
            Some(f) => f.to_uppercase().chain(cs).collect(),
            None => String::new(),
        }
    });
    Ok(env)
}

/// "15 days" / "15 días", "1 day" / "1 día": a count with its unit, pluralised.
fn qty(lang: Lang, n: &Value, unit: &str) -> Result<String, Error> {
    let count = n.as_i64().ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("qty: {n} is not a count"),
        )
    })?;
    let one = count == 1;
    let (en1, en, es1, es) = match unit {
        "day" => ("day", "days", "día", "días"),
        "business_day" => ("business day", "business days", "día hábil", "días hábiles"),
        "week" => ("week", "weeks", "semana", "semanas"),
        "month" => ("month", "months", "mes", "meses"),
        "year" => ("year", "years", "año", "años"),
        "hour" => ("hour", "hours", "hora", "horas"),
        "agent" => ("agent", "agents", "agente", "agentes"),
        "point" => ("point", "points", "punto", "puntos"),
        "time" => ("time", "times", "vez", "veces"),
        "period" => ("period", "periods", "periodo", "periodos"),
        "miss" => ("miss", "misses", "incumplimiento", "incumplimientos"),
        "evaluation" => ("evaluation", "evaluations", "evaluación", "evaluaciones"),
        "test" => ("test", "tests", "prueba", "pruebas"),
        "decimal" => ("decimal place", "decimal places", "decimal", "decimales"),
        other => {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                format!("qty: unknown unit `{other}`"),
            ));
        }
    };
    if unit == "time" {
        match (lang, count) {
            (Lang::En, 1) => return Ok("once".to_string()),
            (Lang::En, 2) => return Ok("twice".to_string()),
            (Lang::Es, 1) => return Ok("una vez".to_string()),
            _ => {}
        }
    }
    let word = match (lang, one) {
        (Lang::En, true) => en1,
        (Lang::En, false) => en,
        (Lang::Es, true) => es1,
        (Lang::Es, false) => es,
    };
    let number = u64::try_from(count)
        .map_or_else(|_| count.to_string(), |c| pacta_core::fmt::integer(c, lang));
    Ok(format!("{number} {word}"))
}

/// Joins a paragraph written over several template lines into one line: whitespace runs
/// become one space, and no space is left before closing punctuation.
fn squish(v: Value) -> Value {
    let text = v.to_string();
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        let glue = word.starts_with([',', '.', ';', ':', ')']) || out.ends_with('(');
        if !out.is_empty() && !glue {
            out.push(' ');
        }
        out.push_str(word);
    }
    if v.is_safe() {
        Value::from_safe_string(out)
    } else {
        Value::from(out)
    }
}

/// Escapes what would break a Markdown table or be read as markup; newlines become spaces.
fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\\' | '|' | '<' | '>' | '*' | '`' | '[' | ']' => {
                out.push('\\');
                out.push(ch);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(ch),
        }
    }
    out
}

/// Builds the HTML table of contents from the numbered headings and puts it at the marker.
fn insert_toc(page: &str) -> String {
    let mut items: Vec<(u8, String, String)> = Vec::new();
    let mut rest = page;
    while let Some(pos) = rest.find("<h") {
        rest = &rest[pos + 2..];
        let level = match rest.as_bytes().first() {
            Some(b'2') => 2,
            Some(b'3') => 3,
            _ => continue,
        };
        let Some(after) = rest[1..].strip_prefix(" id=\"") else {
            continue;
        };
        let Some(id_end) = after.find('"') else {
            continue;
        };
        let id = &after[..id_end];
        let Some(open_end) = after.find('>') else {
            continue;
        };
        let close = format!("</h{level}>");
        let Some(text_end) = after.find(&close) else {
            continue;
        };
        if open_end < text_end {
            items.push((
                level,
                id.to_string(),
                after[open_end + 1..text_end].to_string(),
            ));
        }
    }
    let mut toc = String::from("<ol>\n");
    let mut open_sub = false;
    for (i, (level, id, text)) in items.iter().enumerate() {
        if *level == 3 && !open_sub {
            toc.push_str("<ol>\n");
            open_sub = true;
        }
        if *level == 2 && open_sub {
            toc.push_str("</ol></li>\n");
            open_sub = false;
        }
        toc.push_str(&format!("<li><a href=\"#{id}\">{text}</a>"));
        let next_is_sub = items.get(i + 1).is_some_and(|n| n.0 == 3);
        if *level == 2 && next_is_sub {
            toc.push('\n');
        } else {
            toc.push_str("</li>\n");
        }
    }
    if open_sub {
        toc.push_str("</ol></li>\n");
    }
    toc.push_str("</ol>");
    page.replacen(TOC_MARKER, &toc, 1)
}

/// Collapses runs of blank lines and trailing spaces left by the templates.
fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = 0;
    for line in s.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
