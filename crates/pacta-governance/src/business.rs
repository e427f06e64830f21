//! Business days (to be written).
