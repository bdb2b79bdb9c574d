//! The daily tip: when each server's tip is due, which tip it gets, and posting it exactly
//! once a day through restarts and Discord outages.

pub mod deck;
mod engine;
pub mod when;

pub use engine::{next_post, BoxFuture, Deps, Poster, TipEvent, TipScheduler};
