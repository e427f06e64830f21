//! Obligations (to be written).
