//! Team polls on Discord's native polls: closing them on time and posting their recap once.
//!
//! What a poll asks and how its recap reads is decided in `reply::poll`; this folder keeps
//! polls alive across restarts and outages.

mod keeper;
mod records;

pub use keeper::{PollApi, PollDeps, PollEvent, PollKeeper, Unstarted};
pub use records::{duration_of, pending_of, record_of, spec_of, spec_of_pending, Posted};
