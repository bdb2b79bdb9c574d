//! The daily tip: when each server's tip is due, which tip it gets, and posting it exactly
//! once a day through restarts and Discord outages.

pub mod deck;
mod engine;
mod poll_job;
#[cfg(test)]
mod test_support;
mod tip_job;

pub use engine::{
    next_post, next_weekly_poll, BoxFuture, Deps, Duty, Poster, ScheduleEvent, Scheduler, Unstarted,
};
