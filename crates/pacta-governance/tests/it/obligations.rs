//! obligations tests.
