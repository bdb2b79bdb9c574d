//! The team pulse: which statements a week asks, how a member's answers are kept apart from
//! their id, and what a closed pulse's counts mean. Pure apart from drawing a random key.
//!
//! A member id never reaches the database: an open pulse stores a keyed hash of it (HMAC-SHA256
//! under a random key of that pulse), only so that answering again replaces the earlier
//! answers. Closing deletes the key, the hashes and the answers in one transaction and keeps
//! only counts (see `store::pulse`).

pub mod stats;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::content::{Content, PulseSide, Statement};

/// Bytes in a pulse's random key.
pub const KEY_LEN: usize = 32;

/// The lowest and highest score a statement can get.
pub const SCORES: std::ops::RangeInclusive<u8> = 1..=5;

/// What each score means, as the answer form labels it.
pub const SCORE_LABELS: [&str; 5] = [
    "1 - Not at all",
    "2 - Rarely",
    "3 - Sometimes",
    "4 - Mostly",
    "5 - Fully",
];

/// Statements a pulse may ask; at most 4 fit the answer form (5 rows, one for Submit).
pub const MIN_QUESTIONS: u8 = 2;
pub const MAX_QUESTIONS: u8 = 3;

/// A fresh random key for a new pulse.
pub fn new_key() -> [u8; KEY_LEN] {
    rand::random()
}

/// The keyed hash an open pulse stores instead of a member's id.
pub fn member_hash(key: &[u8], member_id: u64) -> Vec<u8> {
    // HMAC accepts a key of any length, so this cannot fail.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => return Vec::new(),
    };
    mac.update(&member_id.to_be_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// The statements for the `round`-th pulse of a server: `count` of them, walking the deck in
/// order, and always at least one of each side. A retired statement is never picked.
pub fn pick_statements(content: &Content, round: u64, count: u8) -> Vec<&Statement> {
    let count = usize::from(count.clamp(MIN_QUESTIONS, MAX_QUESTIONS));
    let side = |side: PulseSide| -> Vec<&Statement> {
        content.deck().filter(|s| s.side == side).collect()
    };
    let (leading, managing) = (side(PulseSide::Leading), side(PulseSide::Managing));
    if leading.is_empty() || managing.is_empty() {
        return Vec::new();
    }
    // Alternate sides; the side that leads alternates by round, so 3-statement pulses balance.
    let mut picked = Vec::with_capacity(count);
    let round = usize::try_from(round).unwrap_or(0);
    let (mut from_leading, mut from_managing) = (0usize, 0usize);
    for slot in 0..count {
        let leading_turn = (slot + round) % 2 == 0;
        if leading_turn {
            picked.push(leading[(round * count / 2 + from_leading) % leading.len()]);
            from_leading += 1;
        } else {
            picked.push(managing[(round * count / 2 + from_managing) % managing.len()]);
            from_managing += 1;
        }
    }
    picked
}

/// The Monday of the local week a date belongs to: a server has at most one pulse per week.
pub fn week_of(date: jiff::civil::Date) -> jiff::civil::Date {
    let back = i64::from(date.weekday().to_monday_zero_offset());
    date.checked_sub(jiff::Span::new().days(back))
        .unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_depend_on_key_and_member_and_never_contain_the_id() {
        let key = new_key();
        let a = member_hash(&key, 1234);
        assert_eq!(a, member_hash(&key, 1234));
        assert_ne!(a, member_hash(&key, 1235));
        assert_ne!(a, member_hash(&new_key(), 1234));
        assert_eq!(a.len(), 32);
    }

    #[test]
    fn every_pulse_asks_both_sides_and_rotates() {
        let content = Content::bundled().expect("content");
        let mut seen = std::collections::HashSet::new();
        for round in 0..20 {
            for count in [2, 3] {
                let picked = pick_statements(&content, round, count);
                assert_eq!(picked.len(), usize::from(count));
                assert!(picked.iter().any(|s| s.side == PulseSide::Leading));
                assert!(picked.iter().any(|s| s.side == PulseSide::Managing));
                let ids: std::collections::HashSet<_> = picked.iter().map(|s| &*s.id).collect();
                assert_eq!(ids.len(), picked.len(), "no statement twice in one pulse");
                seen.extend(picked.iter().map(|s| s.id.to_string()));
            }
        }
        assert!(seen.len() >= 20, "the deck rotates: {}", seen.len());
    }

    /// Ids taken out of the deck. Servers keep them with past pulses, so none may come back
    /// with another meaning (the same list heads `content/pulse.toml`).
    const REMOVED: [&str; 15] = [
        "tasks-had-owners-and-dates",
        "felt-heard-as-a-person",
        "processes-helped-not-hindered",
        "everyday-work-ran-smoothly",
        "saw-how-work-fits-the-future",
        "felt-the-work-mattered",
        "understood-why-things-change",
        "could-count-on-the-basics",
        "risks-were-spotted-early",
        "people-were-kind-under-pressure",
        "had-the-skills-for-the-job",
        "straight-talk-from-the-lead",
        "decisions-were-explained",
        "unblocked-quickly",
        "decisions-came-in-time",
    ];

    #[test]
    fn no_removed_statement_id_comes_back_and_some_statements_are_worded_negatively() {
        let content = Content::bundled().expect("content");
        let file = crate::content::bundled_files()
            .into_iter()
            .find(|f| f.name == "pulse.toml")
            .map(|f| f.text)
            .unwrap_or_default();
        for id in REMOVED {
            assert!(
                content.statements.iter().all(|s| &*s.id != id),
                "{id} was removed: give the statement a new id"
            );
            assert!(file.contains(id), "{id} is listed in pulse.toml's header");
        }
        for side in PulseSide::BOTH {
            let reversed = content
                .statements
                .iter()
                .filter(|s| s.side == side && s.reversed)
                .count();
            assert!(reversed >= 3, "{side:?}: {reversed} reversed statements");
        }
    }

    #[test]
    fn weeks_start_on_monday() {
        let wednesday = jiff::civil::date(2026, 12, 2);
        assert_eq!(week_of(wednesday), jiff::civil::date(2026, 11, 30));
        assert_eq!(
            week_of(jiff::civil::date(2026, 11, 30)),
            jiff::civil::date(2026, 11, 30)
        );
    }
}
