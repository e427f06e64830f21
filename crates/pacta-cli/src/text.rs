//! CLI strings in English and Spanish.

use pacta_contract::Lang;

/// A message of the CLI, in both languages.
pub fn t(lang: Lang, en: &'static str, es: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Es => es,
    }
}
