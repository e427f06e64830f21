//! ics tests.
