//! Which servers a process serves: all of them, or those on a range of the gateway's shards.
//!
//! Discord sends a server's events on shard `(guild_id >> 22) % total`, so a process that
//! connects shards `first..=last` of `total` hears only those servers' interactions. Everything
//! it plans, recovers and keeps must be the same servers, or two processes would both post for
//! one server, or none would. The value is parsed once, from `"0-3/8"` (shards 0 to 3 of 8),
//! `"5/8"` (shard 5 alone) or `"0-3:8"` (for a systemd instance name, which cannot hold a `/`),
//! and every layer asks it the one question: [`Ownership::owns`].

use std::fmt;
use std::str::FromStr;

/// Shards `first..=last` of `total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardRange {
    first: u32,
    last: u32,
    total: u32,
}

/// Why a shard range was not understood, in words that say what to write.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RangeError {
    #[error(
        "{0:?} is not a shard range (first-last/total, such as \"0-3/8\", or one shard as \"5/8\")"
    )]
    Shape(String),
    #[error("shards {first}-{last} are not a range inside 0-{max} of a total of {total} (the first at most the last, the last below the total)")]
    Outside {
        first: u32,
        last: u32,
        total: u32,
        max: u32,
    },
}

impl ShardRange {
    /// Shards `first..=last` of `total`, when that is a range of the total.
    pub fn new(first: u32, last: u32, total: u32) -> Result<ShardRange, RangeError> {
        if total == 0 || first > last || last >= total {
            return Err(RangeError::Outside {
                first,
                last,
                total,
                max: total.saturating_sub(1),
            });
        }
        Ok(ShardRange { first, last, total })
    }

    pub fn first(&self) -> u32 {
        self.first
    }

    pub fn last(&self) -> u32 {
        self.last
    }

    pub fn total(&self) -> u32 {
        self.total
    }

    /// How many shards the range holds.
    pub fn len(&self) -> u32 {
        self.last - self.first + 1
    }

    /// Never: a range holds at least one shard.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Whether two ranges share a shard (ranges of different totals always might).
    pub fn overlaps(&self, other: &ShardRange) -> bool {
        self.total != other.total || (self.first <= other.last && other.first <= self.last)
    }

    /// The shard a server's events arrive on.
    pub fn shard_of(guild_id: u64, total: u32) -> u32 {
        ((guild_id >> 22) % u64::from(total.max(1))) as u32
    }
}

impl fmt::Display for ShardRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last {
            write!(f, "{}/{}", self.first, self.total)
        } else {
            write!(f, "{}-{}/{}", self.first, self.last, self.total)
        }
    }
}

impl FromStr for ShardRange {
    type Err = RangeError;

    fn from_str(text: &str) -> Result<ShardRange, RangeError> {
        let shape = || RangeError::Shape(text.to_string());
        // `0-2:6` is the same range in a form a systemd instance name can carry.
        let (shards, total) = text.trim().split_once(['/', ':']).ok_or_else(shape)?;
        let number = |part: &str| part.trim().parse::<u32>().map_err(|_| shape());
        let total = number(total)?;
        let (first, last) = match shards.split_once('-') {
            Some((first, last)) => (number(first)?, number(last)?),
            None => {
                let only = number(shards)?;
                (only, only)
            }
        };
        ShardRange::new(first, last, total)
    }
}

/// The servers a process serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Ownership {
    /// Every server: the process runs all shards.
    #[default]
    All,
    /// The servers on a range of shards.
    Range(ShardRange),
}

impl Ownership {
    /// Whether this process plans, recovers and keeps the server's work.
    pub fn owns(&self, guild_id: u64) -> bool {
        match self {
            Ownership::All => true,
            Ownership::Range(range) => {
                let shard = ShardRange::shard_of(guild_id, range.total);
                (range.first..=range.last).contains(&shard)
            }
        }
    }

    /// Whether two processes would serve a server in common.
    pub fn overlaps(&self, other: &Ownership) -> bool {
        match (self, other) {
            (Ownership::Range(a), Ownership::Range(b)) => a.overlaps(b),
            _ => true,
        }
    }

    /// The part of the bot's shards this process runs (1 for all), for splitting budgets
    /// that are per bot.
    pub fn share(&self) -> f64 {
        match self {
            Ownership::All => 1.0,
            Ownership::Range(range) => f64::from(range.len()) / f64::from(range.total),
        }
    }

    /// Whether the process runs shard 0, which is where one-per-bot work (registering the
    /// slash commands) is done.
    pub fn holds_shard_zero(&self) -> bool {
        match self {
            Ownership::All => true,
            Ownership::Range(range) => range.first == 0,
        }
    }

    /// How it is written in the config, in logs and in the `shards` label of the metrics.
    pub fn label(&self) -> String {
        match self {
            Ownership::All => "all".into(),
            Ownership::Range(range) => range.to_string(),
        }
    }

    /// Read back from [`Ownership::label`] (as the lease table keeps it).
    pub fn from_label(label: &str) -> Option<Ownership> {
        match label {
            "all" => Some(Ownership::All),
            other => other.parse().ok().map(Ownership::Range),
        }
    }
}

impl fmt::Display for Ownership {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ownership::All => f.write_str("all shards"),
            Ownership::Range(range) => write!(f, "shards {range}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(text: &str) -> ShardRange {
        text.parse().expect("a range")
    }

    #[test]
    fn ranges_are_read_as_written() {
        assert_eq!(range("0-3/8"), ShardRange::new(0, 3, 8).expect("range"));
        assert_eq!(range(" 5/8 "), ShardRange::new(5, 5, 8).expect("range"));
        assert_eq!(
            range("0-3:8"),
            range("0-3/8"),
            "as a systemd instance names it"
        );
        assert_eq!(range("0-3/8").to_string(), "0-3/8");
        assert_eq!(range("5-5/8").to_string(), "5/8");
        assert_eq!(range("2-5/6").len(), 4);
    }

    #[test]
    fn ranges_outside_their_total_or_misshapen_are_refused() {
        for bad in ["3-1/8", "0-8/8", "0/0", "8/8"] {
            assert!(
                matches!(bad.parse::<ShardRange>(), Err(RangeError::Outside { .. })),
                "{bad}"
            );
        }
        for bad in ["", "0-3", "a-b/8", "0-3/", "-1/4", "1-2-3/8"] {
            assert!(
                matches!(bad.parse::<ShardRange>(), Err(RangeError::Shape(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_server_belongs_to_exactly_one_range_of_a_split() {
        let split = [range("0-1/6"), range("2-3/6"), range("4-5/6")];
        for guild in (0..600u64).map(|n| (n * 7919) << 22 | n) {
            let owners = split
                .iter()
                .filter(|r| Ownership::Range(**r).owns(guild))
                .count();
            assert_eq!(owners, 1, "server {guild}");
            assert!(Ownership::All.owns(guild));
        }
        assert!(Ownership::Range(range("2-3/6")).owns(2 << 22));
        assert!(!Ownership::Range(range("2-3/6")).owns(4 << 22));
    }

    #[test]
    fn overlap_is_any_shared_shard_or_a_different_total() {
        assert!(range("0-3/8").overlaps(&range("3-5/8")));
        assert!(!range("0-3/8").overlaps(&range("4-7/8")));
        assert!(range("0-1/8").overlaps(&range("6-7/9")));
        assert!(Ownership::All.overlaps(&Ownership::Range(range("4/8"))));
    }

    #[test]
    fn labels_round_trip() {
        for ownership in [Ownership::All, Ownership::Range(range("2-3/6"))] {
            assert_eq!(Ownership::from_label(&ownership.label()), Some(ownership));
        }
        assert!((Ownership::Range(range("0-1/6")).share() - 1.0 / 3.0).abs() < 1e-9);
        assert!(!Ownership::Range(range("2-3/6")).holds_shard_zero());
    }
}
