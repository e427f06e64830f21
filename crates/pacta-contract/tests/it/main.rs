//! Integration tests of `pacta-contract`, linked into one test binary (`tests/it`): one module per
//! area, each documented in its own file.

mod examples_and_templates;
mod properties;
mod validation;
