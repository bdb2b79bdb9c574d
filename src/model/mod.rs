//! Values that several layers hold and none of them owns: a poll as built, claimed, stored and
//! recapped, a server's schedule for a duty, the scheduled duties with their statuses and the
//! channel permissions each needs, and Discord's ids where they cross the scheduler's port. A
//! leaf (serde, strum, jiff and the limits only), so `store` can keep these values as they are
//! without knowing the layers that make or use them.

pub mod duty;
pub mod file;
pub mod ids;
pub mod poll;
pub mod schedule;
pub mod server;
pub mod shards;
pub mod team;
