//! What the bot logs, at the most verbose level: no secret (`secrets`), and no member next to
//! an answer of the team pulse (`pulse`).
//!
//! Apart from the other end-to-end tests (`tests/e2e/`), in a binary where every test sets a
//! log subscriber for its thread before anything else: `tracing` remembers, per call site,
//! whether anyone listens. While a single subscriber is registered, a call site first reached
//! on a thread without one (another test's bot, beside these) is remembered as "nobody
//! listens", and these tests would then not hear that line on their own thread either: a leak
//! in it would go unseen and the test pass. Here every test sets its subscriber before it
//! starts a bot, so no test thread runs a bot without one.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A panic in a test is its failure.

#[path = "../e2e/support/mod.rs"]
mod support;

mod pulse;
mod secrets;
