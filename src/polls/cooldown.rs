//! How long a member waits between two polls they start, so one person cannot flood a channel.
//!
//! Like Discord's own slowmode, it is for members only: the command exempts people who can
//! manage messages or the server. A member's wait ends when their poll closes if that comes
//! first (a one-minute quiz does not hold up the next poll for the rest of the cooldown), and
//! entries that have run out are dropped, so the map holds only the members waiting now. Kept in
//! memory: a restart forgets it, which costs nothing but a possible early poll.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

/// The members waiting to start another poll, and until when.
#[derive(Debug)]
pub struct Cooldowns {
    length: SignedDuration,
    until: Mutex<HashMap<(u64, u64), Timestamp>>,
}

impl Cooldowns {
    pub fn new(seconds: u32) -> Cooldowns {
        Cooldowns {
            length: SignedDuration::from_secs(i64::from(seconds)),
            until: Mutex::new(HashMap::new()),
        }
    }

    /// How long the member (server, user) still waits, if at all.
    pub fn left(&self, guild: u64, user: u64, now: Timestamp) -> Option<Duration> {
        let until = *self.until.lock().ok()?.get(&(guild, user))?;
        Duration::try_from(until.duration_since(now))
            .ok()
            .filter(|left| !left.is_zero())
    }

    /// Notes that a member started a poll now that closes at `closes_at`.
    pub fn started(&self, guild: u64, user: u64, now: Timestamp, closes_at: Timestamp) {
        let until = now
            .saturating_add(self.length)
            .unwrap_or(Timestamp::MAX)
            .min(closes_at);
        if let Ok(mut map) = self.until.lock() {
            map.retain(|_, until| *until > now);
            map.insert((guild, user), until);
        }
    }

    /// How many members are waiting (for tests and metrics).
    pub fn waiting(&self) -> usize {
        self.until.lock().map_or(0, |map| map.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(second: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + second).expect("ts")
    }

    #[test]
    fn a_member_waits_the_cooldown_after_starting_a_poll() {
        let cooldowns = Cooldowns::new(300);
        cooldowns.started(1, 7, at(0), at(3600));
        assert_eq!(
            cooldowns.left(1, 7, at(100)),
            Some(Duration::from_secs(200))
        );
        assert_eq!(cooldowns.left(1, 7, at(300)), None);
        assert_eq!(cooldowns.left(1, 8, at(100)), None, "another member");
        assert_eq!(cooldowns.left(2, 7, at(100)), None, "another server");
    }

    #[test]
    fn the_wait_ends_when_the_poll_closes() {
        let cooldowns = Cooldowns::new(300);
        cooldowns.started(1, 7, at(0), at(60));
        assert_eq!(cooldowns.left(1, 7, at(30)), Some(Duration::from_secs(30)));
        assert_eq!(cooldowns.left(1, 7, at(61)), None, "the poll has closed");
    }

    #[test]
    fn waits_that_ran_out_are_dropped() {
        let cooldowns = Cooldowns::new(300);
        for user in 0..100 {
            cooldowns.started(1, user, at(0), at(3600));
        }
        cooldowns.started(1, 1000, at(301), at(3600));
        assert_eq!(cooldowns.waiting(), 1);
    }
}
