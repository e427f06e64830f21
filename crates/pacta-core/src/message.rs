//! Errors that speak both languages.

use crate::Lang;

/// An error a person reads: a stable machine code and a message in each language.
///
/// Library crates implement it on their `thiserror` types (whose `Display` is the English
/// message); the CLI and the server render it at the edge in the reader's language and may
/// show the code, which never changes once published.
pub trait Localized: std::error::Error {
    /// A stable, kebab-case code (`month-invalid`, `kpi-unknown-variant`).
    fn code(&self) -> &'static str;
    /// The message in `lang`.
    fn message(&self, lang: Lang) -> String;
    /// What to do about it, when there is something to say.
    fn hint(&self, _lang: Lang) -> Option<String> {
        None
    }
}
