//! Locating things in the contract source: key paths → byte spans → line and column.
//!
//! Validation and review reason about the typed model, which has no positions. They speak in
//! [`FieldPath`]s (`sla[2].targets[0].minimum`), and the [`SourceMap`] built from the same text
//! with `toml_edit` turns a path into the span of that value, or of its nearest existing
//! ancestor when the clause is missing (so a "missing clause" finding points at its section).

use std::fmt;
use std::ops::Range;

use serde::Serialize;
use toml_edit::{Document, Item, Value};

/// One step of a path into the contract.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Seg {
    /// A table key.
    Key(String),
    /// An array index.
    Index(usize),
}

/// A path to a value in the contract, e.g. `credits.tiers[1].shortfall_from`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldPath(pub Vec<Seg>);

impl FieldPath {
    /// The empty path (the whole document).
    pub fn root() -> Self {
        FieldPath(Vec::new())
    }

    /// Parses `a.b[2].c` into a path. Keys may not contain `.` or `[`.
    pub fn parse(s: &str) -> Self {
        let mut segs = Vec::new();
        for part in s.split('.').filter(|p| !p.is_empty()) {
            let mut rest = part;
            if let Some(i) = rest.find('[') {
                segs.push(Seg::Key(rest[..i].to_string()));
                rest = &rest[i..];
                while let Some(stripped) = rest.strip_prefix('[') {
                    let end = stripped.find(']').unwrap_or(stripped.len());
                    if let Ok(n) = stripped[..end].parse() {
                        segs.push(Seg::Index(n));
                    }
                    rest = stripped.get(end + 1..).unwrap_or("");
                }
            } else {
                segs.push(Seg::Key(rest.to_string()));
            }
        }
        FieldPath(segs)
    }

    /// This path extended by a key.
    pub fn key(&self, k: &str) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Key(k.to_string()));
        p
    }

    /// This path extended by an index.
    pub fn index(&self, i: usize) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Index(i));
        p
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for s in &self.0 {
            match s {
                Seg::Key(k) => {
                    if !first {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
                Seg::Index(i) => write!(f, "[{i}]")?,
            }
            first = false;
        }
        Ok(())
    }
}

impl Serialize for FieldPath {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A resolved location in the source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// Byte range.
    #[serde(skip)]
    pub span: Range<usize>,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    /// Whether the exact path exists (false: this is the nearest ancestor).
    pub exact: bool,
}

/// Maps paths to positions in one contract source text.
#[derive(Debug)]
pub struct SourceMap {
    text: String,
    doc: Option<Document<String>>,
    line_starts: Vec<usize>,
}

impl SourceMap {
    /// Builds the map. A text that is not valid TOML yields a map that can still convert
    /// byte offsets to line:col but resolves no paths.
    pub fn new(text: &str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceMap {
            text: text.to_string(),
            doc: Document::parse(text.to_string()).ok(),
            line_starts,
        }
    }

    /// The source text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let col = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count())
            + 1;
        (line + 1, col)
    }

    /// The text of a 1-based line, without its newline.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self
            .line_starts
            .get(line.wrapping_sub(1))
            .copied()
            .unwrap_or(0);
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |e| e.saturating_sub(1));
        self.text
            .get(start..end)
            .unwrap_or("")
            .trim_end_matches('\r')
    }

    /// A location for a byte span.
    pub fn location_of_span(&self, span: Range<usize>, exact: bool) -> Location {
        let (line, col) = self.line_col(span.start);
        Location {
            span,
            line,
            col,
            exact,
        }
    }

    /// Locates the value at `path`, or the nearest ancestor that exists.
    pub fn locate(&self, path: &FieldPath) -> Location {
        self.locate_inner(path, false)
    }

    /// Locates the key of the value at `path` (for "remove this key" messages), or the value.
    pub fn locate_key(&self, path: &FieldPath) -> Location {
        self.locate_inner(path, true)
    }

    fn locate_inner(&self, path: &FieldPath, want_key: bool) -> Location {
        let fallback = Location {
            span: 0..0,
            line: 1,
            col: 1,
            exact: false,
        };
        let Some(doc) = &self.doc else {
            return fallback;
        };
        let mut best: Option<Range<usize>> = None;
        let mut node = Node::Item(doc.as_item());
        let mut exact = true;
        for (i, seg) in path.0.iter().enumerate() {
            let last = i + 1 == path.0.len();
            match node.child(seg) {
                Some((child, key_span)) => {
                    if last && want_key {
                        if let Some(s) = key_span {
                            best = Some(s);
                        }
                    } else if let Some(s) = child.span().or(key_span) {
                        best = Some(s);
                    }
                    node = child;
                }
                None => {
                    exact = false;
                    break;
                }
            }
        }
        match best {
            Some(span) => self.location_of_span(span, exact && !path.0.is_empty()),
            None => fallback,
        }
    }
}

#[derive(Clone, Copy)]
enum Node<'a> {
    Item(&'a Item),
    Table(&'a toml_edit::Table),
    Value(&'a Value),
}

impl<'a> Node<'a> {
    fn span(&self) -> Option<Range<usize>> {
        match *self {
            Node::Item(Item::Table(t)) | Node::Table(t) => t.span(),
            Node::Item(Item::ArrayOfTables(a)) => a.span(),
            Node::Item(Item::Value(v)) | Node::Value(v) => v.span(),
            Node::Item(Item::None) => None,
        }
    }

    fn child(&self, seg: &Seg) -> Option<(Node<'a>, Option<Range<usize>>)> {
        let table = match *self {
            Node::Item(Item::Table(t)) | Node::Table(t) => Some(t),
            _ => None,
        };
        if let (Some(t), Seg::Key(k)) = (table, seg) {
            let (key, item) = t.get_key_value(k)?;
            return Some((Node::Item(item), key.span()));
        }
        match (*self, seg) {
            (Node::Item(Item::ArrayOfTables(a)), Seg::Index(i)) => {
                let t = a.get(*i)?;
                Some((Node::Table(t), t.span()))
            }
            (Node::Item(Item::Value(v)) | Node::Value(v), seg) => match (v, seg) {
                (Value::InlineTable(t), Seg::Key(k)) => {
                    let (key, item) = t.get_key_value(k)?;
                    Some((Node::Item(item), key.span()))
                }
                (Value::Array(a), Seg::Index(i)) => {
                    let val = a.get(*i)?;
                    Some((Node::Value(val), val.span()))
                }
                _ => None,
            },
            _ => None,
        }
    }
}
