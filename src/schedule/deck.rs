//! Which tip a server gets next.
//!
//! Each server walks the deck in its own order and sees every tip once before any repeats.
//! The order is not stored: it is derived by sorting tips on a keyed hash of (server, pass,
//! tip id), so it is stable across restarts and versions, and a tip added to the content
//! simply takes its place in the current pass while a removed one drops out. The post log
//! says which tips a pass has already shown.

use std::collections::HashSet;
use std::hash::Hasher;

use siphasher::sip::SipHasher13;

use crate::content::{Content, Tip};

/// Fixed keys: the order must not change between runs or releases.
const KEYS: (u64, u64) = (0x6272_6964_6765_626f, 0x7464_6563_6b6f_7264);

fn rank(guild_id: u64, cycle: u64, tip_id: &str) -> u64 {
    let mut hasher = SipHasher13::new_with_keys(KEYS.0, KEYS.1);
    hasher.write_u64(guild_id);
    hasher.write_u64(cycle);
    hasher.write(tip_id.as_bytes());
    hasher.finish()
}

/// The next tip for a server: the first in its order for `cycle` not in `shown`; when every
/// tip of the deck is in `shown`, the first of the next pass. Returns the pass it belongs to.
pub fn next_tip<'c>(
    content: &'c Content,
    guild_id: u64,
    cycle: u64,
    shown: &HashSet<&str>,
) -> (u64, &'c Tip) {
    let unseen = |tip: &&Tip| !shown.contains(tip.id.as_str());
    match first_in_order(content, guild_id, cycle, unseen) {
        Some(tip) => (cycle, tip),
        None => {
            let next = cycle + 1;
            let tip = first_in_order(content, guild_id, next, |_| true).unwrap_or(&content.tips[0]);
            (next, tip)
        }
    }
}

fn first_in_order<'c>(
    content: &'c Content,
    guild_id: u64,
    cycle: u64,
    keep: impl Fn(&&'c Tip) -> bool,
) -> Option<&'c Tip> {
    content
        .tips
        .iter()
        .filter(keep)
        .min_by_key(|tip| (rank(guild_id, cycle, &tip.id), tip.id.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk(content: &Content, guild: u64, days: usize) -> Vec<(u64, String)> {
        let mut log: Vec<(u64, String)> = Vec::new();
        for _ in 0..days {
            let cycle = log.last().map_or(0, |(c, _)| *c);
            let shown: HashSet<&str> = log
                .iter()
                .filter(|(c, _)| *c == cycle)
                .map(|(_, id)| id.as_str())
                .collect();
            let (cycle, tip) = next_tip(content, guild, cycle, &shown);
            log.push((cycle, tip.id.to_string()));
        }
        log
    }

    #[test]
    fn every_tip_is_shown_once_before_any_repeats() {
        let content = Content::bundled().expect("valid");
        let deck = content.tips.len();
        let log = walk(&content, 42, deck * 2 + 3);
        let first: HashSet<&str> = log[..deck].iter().map(|(_, id)| id.as_str()).collect();
        assert_eq!(first.len(), deck, "the first pass repeated a tip");
        assert!(log[..deck].iter().all(|(c, _)| *c == 0));
        let second: HashSet<&str> = log[deck..deck * 2]
            .iter()
            .map(|(_, id)| id.as_str())
            .collect();
        assert_eq!(second.len(), deck, "the second pass repeated a tip");
        assert!(log[deck..deck * 2].iter().all(|(c, _)| *c == 1));
    }

    #[test]
    fn servers_walk_different_orders_and_each_order_is_stable() {
        let content = Content::bundled().expect("valid");
        assert_ne!(walk(&content, 1, 10), walk(&content, 2, 10));
        assert_eq!(walk(&content, 1, 10), walk(&content, 1, 10));
    }

    #[test]
    fn tips_removed_or_added_mid_pass_cause_no_repeats() {
        let mut content = Content::bundled().expect("valid");
        let mut log = walk(&content, 7, 10);
        // Remove a tip already shown and one not yet shown; add a new one.
        let shown_id = log[0].1.clone();
        content.tips.retain(|t| t.id.as_str() != shown_id);
        let unshown = content
            .tips
            .iter()
            .position(|t| !log.iter().any(|(_, id)| *id == t.id.as_str()))
            .expect("one");
        content.tips.remove(unshown);
        let mut added = content.tips[0].clone();
        added.id = crate::content::Text::new("brand-new-tip");
        content.tips.push(added);
        for _ in 0..content.tips.len() + 5 {
            let cycle = log.last().map_or(0, |(c, _)| *c);
            let shown: HashSet<&str> = log
                .iter()
                .filter(|(c, _)| *c == cycle)
                .map(|(_, id)| id.as_str())
                .collect();
            let (cycle, tip) = next_tip(&content, 7, cycle, &shown);
            log.push((cycle, tip.id.to_string()));
        }
        let first_pass: Vec<&str> = log
            .iter()
            .filter(|(c, _)| *c == 0)
            .map(|(_, id)| id.as_str())
            .collect();
        let distinct: HashSet<&str> = first_pass.iter().copied().collect();
        assert_eq!(
            distinct.len(),
            first_pass.len(),
            "a tip repeated within a pass"
        );
        assert!(
            first_pass.contains(&"brand-new-tip"),
            "the new tip joined the current pass"
        );
    }
}
