//! Team polls on Discord's native polls: opening them, closing them on time and posting their
//! recap once.
//!
//! What a poll asks and how its recap reads is decided in `reply::poll`; this folder keeps
//! polls alive across restarts and outages, and reaches Discord only through the port's
//! [`PollApi`](crate::port::PollApi).

mod cooldown;
mod keeper;
mod open;

pub use cooldown::Cooldowns;
pub use keeper::{PollDeps, PollEvent, PollKeeper, Unstarted};
pub use open::{EndError, OpenError, Opened, Polls, Venue};
