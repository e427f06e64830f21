//! RFC 5545 calendar text (to be written).
