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

use crate::content::Content;

/// Fixed keys: the order must not change between runs or releases.
const KEYS: (u64, u64) = (0x6272_6964_6765_626f, 0x7464_6563_6b6f_7264);

fn rank(guild_id: u64, cycle: u64, tip_id: &str) -> u64 {
    let mut hasher = SipHasher13::new_with_keys(KEYS.0, KEYS.1);
    hasher.write_u64(guild_id);
    hasher.write_u64(cycle);
    hasher.write(tip_id.as_bytes());
    hasher.finish()
}

/// The next tip for a server among `deck` (the ids of every tip it draws from: the bundled
/// ones, its own, or both): the first in its order for `cycle` not in `shown`; when every tip
/// of the deck is in `shown`, the first of the next pass. Returns the pass it belongs to;
/// `None` only for an empty deck.
pub fn next_tip<'d>(
    deck: &[&'d str],
    guild_id: u64,
    cycle: u64,
    shown: &HashSet<&str>,
) -> Option<(u64, &'d str)> {
    match first_in_order(deck, guild_id, cycle, |id| !shown.contains(id)) {
        Some(id) => Some((cycle, id)),
        None => {
            let next = cycle + 1;
            first_in_order(deck, guild_id, next, |_| true).map(|id| (next, id))
        }
    }
}

fn first_in_order<'d>(
    deck: &[&'d str],
    guild_id: u64,
    cycle: u64,
    keep: impl Fn(&str) -> bool,
) -> Option<&'d str> {
    deck.iter()
        .copied()
        .filter(|id| keep(id))
        .min_by_key(|id| (rank(guild_id, cycle, id), *id))
}

/// The bundled tips' ids, as a deck.
pub fn bundled(content: &Content) -> Vec<&str> {
    content.tips.iter().map(|tip| tip.id.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deals one tip onto `log` as the daily tip does: the pass is the last one logged, what it
    /// has shown is read from the log.
    fn deal(deck: &[&str], guild: u64, log: &mut Vec<(u64, String)>) {
        let cycle = log.last().map_or(0, |(c, _)| *c);
        let shown: HashSet<&str> = log
            .iter()
            .filter(|(c, _)| *c == cycle)
            .map(|(_, id)| id.as_str())
            .collect();
        let (cycle, tip) = next_tip(deck, guild, cycle, &shown).expect("a tip");
        log.push((cycle, tip.to_string()));
    }

    fn walk(content: &Content, guild: u64, days: usize) -> Vec<(u64, String)> {
        let deck = bundled(content);
        let mut log: Vec<(u64, String)> = Vec::new();
        for _ in 0..days {
            deal(&deck, guild, &mut log);
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
            deal(&bundled(&content), 7, &mut log);
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

    #[test]
    fn an_empty_deck_deals_nothing() {
        assert_eq!(next_tip(&[], 1, 0, &HashSet::new()), None);
    }

    #[derive(Debug, Clone)]
    enum Step {
        Deal,
        /// A team adds a tip of its own.
        Add,
        /// A team removes one of its tips (by position among those it has), shown or not.
        Remove(usize),
    }

    fn step() -> impl proptest::strategy::Strategy<Value = Step> {
        use proptest::prelude::*;
        prop_oneof![
            6 => Just(Step::Deal),
            2 => Just(Step::Add),
            1 => any::<usize>().prop_map(Step::Remove),
        ]
    }

    proptest::proptest! {
        /// Bundled and team tips in one deck, with the team adding and removing tips in the
        /// middle of a round: no tip repeats within a pass, and a pass ends only once every tip
        /// in the deck at that moment has been shown in it.
        #[test]
        fn no_tip_repeats_before_the_round_is_through_whatever_is_added_or_removed(
            guild in proptest::prelude::any::<u64>(),
            bundled_count in 1usize..6,
            steps in proptest::collection::vec(step(), 1..120),
        ) {
            let bundled: Vec<String> = (0..bundled_count).map(|n| format!("bundled-{n}")).collect();
            let mut team: Vec<String> = Vec::new();
            let mut next_team = 0;
            let mut log: Vec<(u64, String)> = Vec::new();
            for step in steps {
                match step {
                    Step::Add => {
                        team.push(crate::model::team::item_id(next_team));
                        next_team += 1;
                    }
                    Step::Remove(at) if !team.is_empty() => {
                        team.remove(at % team.len());
                    }
                    Step::Remove(_) => {}
                    Step::Deal => {
                        let deck: Vec<&str> =
                            bundled.iter().chain(&team).map(String::as_str).collect();
                        let before = log.last().map_or(0, |(c, _)| *c);
                        deal(&deck, guild, &mut log);
                        let (cycle, id) = log.last().cloned().expect("dealt");
                        proptest::prop_assert!(deck.contains(&id.as_str()), "{id} is not in the deck");
                        let in_pass = log.iter().filter(|(c, i)| *c == cycle && *i == id).count();
                        proptest::prop_assert_eq!(in_pass, 1, "{} repeated in pass {}", id, cycle);
                        if cycle != before {
                            let shown: HashSet<&str> = log
                                .iter()
                                .filter(|(c, _)| *c == before)
                                .map(|(_, i)| i.as_str())
                                .collect();
                            proptest::prop_assert!(
                                deck.iter().all(|d| shown.contains(d)),
                                "pass {} ended before every tip was shown", before
                            );
                        }
                    }
                }
            }
        }
    }
}
