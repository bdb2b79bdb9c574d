//! The tests that need no bot, in one test binary: the bundled content as a whole (`bundle`),
//! the tip deck (`tips`), the scenarios (`scenarios`), and the layer map of the code
//! (`layers`), which reads the source files as the others read the content files.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A panic in a test is its failure.

mod bundle;
mod layers;
mod scenarios;
mod tips;
