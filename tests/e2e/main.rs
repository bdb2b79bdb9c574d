//! The end-to-end tests, in one test binary: the real bot against a fake Discord on loopback
//! (`support`), one module per area. One binary links serenity, poise, sqlx, reqwest and
//! plotters once instead of once per area, and its tests run side by side.
//!
//! Two kinds of test live in binaries of their own, because they set something the whole
//! process shares: `tests/e2e_metrics.rs` (the metrics recorder) and `tests/e2e_logs/` (log
//! subscribers). Both use this binary's `support`.
//!
//! Tests whose outcome the storage could change run on SQLite and PostgreSQL
//! (`on_both_engines!`); the rest run on SQLite (see `support`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // A panic in a test is its failure.

mod support;

mod admin;
mod attachments;
mod channel_check;
mod commands;
mod digest;
mod faults;
mod first_contact;
mod polls;
mod pulse;
mod pulse_loop;
mod scenarios;
mod shards;
mod shutdown;
mod startup;
mod team_content;
mod team_rotation;
mod tips;
