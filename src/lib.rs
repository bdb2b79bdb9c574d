//! bridgebot: a Discord bot that helps a team tell leading from managing.
//!
//! The bot is a library so that tests start it exactly as production does. Layers depend one
//! way: [`content`] (load and validate, pure) → [`reply`] (what to answer, pure, no Discord
//! types) → [`discord`] (poise commands turning replies into serenity builders). Beside them:
//! [`config`], [`store`] (the database), [`schedule`] (every scheduled duty: the daily tip, the
//! weekly poll, the pulse and its result, the digest), [`cli`] and [`preview`].

pub mod app;
pub mod chart;
pub mod cli;
pub mod clock;
pub mod config;
pub mod content;
pub mod diag;
pub mod discord;
pub mod files;
pub mod lease;
pub mod limits;
pub mod live;
pub mod log;
pub mod metrics;
pub mod model;
pub mod polls;
pub mod port;
pub mod preview;
pub mod pulse;
pub mod reload_fanout;
pub mod reply;
pub mod rest;
pub mod retry;
pub mod schedule;
pub mod store;
pub mod tasks;
pub mod text;
pub mod when;
