//! Team polls on Discord's native polls: closing them on time and posting their recap once.
//!
//! What a poll asks and how its recap reads is decided in `reply::poll`; this folder keeps
//! polls alive across restarts and outages.

mod keeper;

pub use keeper::{spec_of, PollApi, PollDeps, PollEvent, PollKeeper};
