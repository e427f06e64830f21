//! Fixed-width text tables for terminals (the CLI's scorecards, the staffing table).
//!
//! A table's layout (each column's width, alignment and the text before it) is declared once
//! as a slice of [`Column`]s; every row is then just its cells. Widths count characters, as
//! Rust's `{:<N}` does, so a table lines up in a terminal whatever the language.

/// One column: the text printed before it, its minimum width and its alignment.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    before: &'static str,
    width: usize,
    right: bool,
}

impl Column {
    /// Left-aligned, padded to `width` characters, after `before`.
    pub const fn left(before: &'static str, width: usize) -> Self {
        Column {
            before,
            width,
            right: false,
        }
    }

    /// Right-aligned, padded to `width` characters, after `before`.
    pub const fn right(before: &'static str, width: usize) -> Self {
        Column {
            before,
            width,
            right: true,
        }
    }

    /// The free text at the end of a row: not padded.
    pub const fn rest(before: &'static str) -> Self {
        Column::left(before, 0)
    }
}

/// One row of `cells` laid out in `columns`, with a newline. A row may have fewer cells than
/// the table has columns (a total line, say): the missing ones are left out, not padded.
pub fn row<S: AsRef<str>>(columns: &[Column], cells: &[S]) -> String {
    let mut out = laid_out(columns, cells);
    out.push('\n');
    out
}

/// `cells` laid out in `columns`, without a newline (for a row whose last columns depend on
/// the input, laid out by a second set of columns).
pub fn laid_out<S: AsRef<str>>(columns: &[Column], cells: &[S]) -> String {
    let mut out = String::new();
    for (c, cell) in columns.iter().zip(cells) {
        let cell = cell.as_ref();
        out.push_str(c.before);
        if c.right {
            out.push_str(&format!("{cell:>w$}", w = c.width));
        } else {
            out.push_str(&format!("{cell:<w$}", w = c.width));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_by_characters_and_leaves_out_missing_cells() {
        const COLS: [Column; 3] = [
            Column::left("  ", 6),
            Column::right(" ", 8),
            Column::rest("  "),
        ];
        assert_eq!(
            row(&COLS, &["línea", "1.234,5", "nota"]),
            "  línea   1.234,5  nota\n"
        );
        assert_eq!(row(&COLS, &["total", "9"]), "  total         9\n");
        assert_eq!(
            row(&COLS, &["much too long", "12345678901", ""]),
            "  much too long 12345678901  \n"
        );
    }
}
