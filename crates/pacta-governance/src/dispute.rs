//! The dispute state machine (to be written).
