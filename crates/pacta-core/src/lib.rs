//! The vocabulary every pacta crate shares: calendar months in a time zone, the two languages, numbers per language, HTML escaping and localised errors.
//!
//! Each concept exists once here so that no crate grows its own copy: a [`Month`] is cut into
//! UTC instants in the contract's zone in one place (DST days included), [`Lang::pick`] is the
//! one way to choose between an English and a Spanish text, [`fmt`] writes numbers and money
//! the way each language does, [`html::escape`] is the one escape for text that goes into HTML
//! or SVG, [`text_table`] lays out fixed-width terminal tables, and [`Localized`] is what every error type implements so that the front ends can
//! render it with a stable code in the reader's language.
//!
//! The crate does no I/O and never reads the clock.

pub mod fmt;
pub mod html;
mod lang;
mod message;
pub mod month;
pub mod text_table;

pub use lang::Lang;
pub use message::Localized;
pub use month::{Month, MonthError};
