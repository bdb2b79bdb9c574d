//! Scheduled duties: the daily tip, the weekly poll, the team pulse and its result, and the
//! weekly digest, each posted exactly once on its day through restarts and Discord outages.
//!
//! One engine (`engine.rs`, `delivery.rs`) knows how to plan, claim, send, record and recover
//! a day of any duty; each duty (`tip.rs`, `weekly_poll.rs`) says only where its settings are,
//! what it posts and how to find it again. Discord is reached only through the port
//! (`crate::port`).

pub mod deck;
mod delivery;
mod digest;
mod duty;
mod engine;
mod focus;
mod pacer;
mod pulse;
mod pulse_reminder;
pub mod retention;
mod settings;
pub mod team;
#[cfg(test)]
mod test_support;
mod tip;
pub mod tip_settings;
mod weekly_poll;

pub use engine::{next_due, Deps, Requested, ScheduleEvent, Scheduler, Unstarted};
pub use focus::focus_lines;
pub use pulse::{open_for_week, trend_points};
pub use settings::{history, today, History, LastPost, Schedules};
