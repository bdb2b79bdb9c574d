//! Values that several layers hold and none of them owns: a poll as built, claimed, stored and
//! recapped, a server's schedule for a duty, and the scheduled duties with their statuses. A leaf (serde, jiff and the limits
//! only), so `store` can keep these values as they are without knowing the layers that make or
//! use them.

pub mod duty;
pub mod file;
pub mod poll;
pub mod schedule;
pub mod server;
pub mod shards;
