//! Contract governance without IO: dated obligations, the business-day calendar, disputes
//! along the contract's own ladder, and the ICS calendar.
//!
//! Nothing here reads a file, a database or the clock: the contract, the date range and
//! "now" are passed in, so every deadline is a pure function of the contract text and can be
//! snapshot-tested and recomputed by either party.
//!
//! - [`business`]: which days are business days for a contract, and the arithmetic on them;
//! - [`obligation`]: every dated obligation the contract derives over a range;
//! - [`dispute`]: the dispute state machine, replayed from its recorded events;
//! - [`ics`]: RFC 5545 text for a list of calendar events.

pub mod business;
pub mod dispute;
mod error;
pub mod ics;
pub mod kind;
pub mod obligation;
pub mod proven;

pub use business::BusinessCalendar;
pub use error::GovernanceError;
