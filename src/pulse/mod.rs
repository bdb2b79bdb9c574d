//! The team pulse: which statements a week asks, how a member's answers are kept apart from
//! their id, and what a closed pulse's counts mean. Pure apart from drawing a random key.
//!
//! A member id never reaches the database: an open pulse stores a keyed hash of it (HMAC-SHA256
//! under a random key of that pulse), only so that answering again replaces the earlier
//! answers. Closing deletes the key, the hashes and the answers in one transaction and keeps
//! only counts (see `store::pulse`).

pub mod stats;

use std::borrow::Cow;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::content::team::TeamStatement;
use crate::content::{Content, PulseSide, Statement};

/// Bytes in a pulse's random key.
pub const KEY_LEN: usize = 32;

/// The lowest and highest score a statement can get.
pub const SCORES: std::ops::RangeInclusive<u8> = 1..=5;

/// Statements a pulse may ask; at most 4 fit the answer form (5 rows, one for Submit).
pub const MIN_QUESTIONS: u8 = 2;
pub const MAX_QUESTIONS: u8 = 3;

/// A fresh random key for a new pulse.
pub fn new_key() -> [u8; KEY_LEN] {
    rand::random()
}

/// Answers a pulse needs before its result shows how many gave each score (and the chart of
/// it); with fewer, but at least `[pulse] min_responses`, it shows averages only, so that the
/// spread of three or four people's answers cannot tell them apart.
pub const SCORE_COUNTS_FROM: u32 = 5;

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

/// How a server's own statement is named in a pulse: the statement itself, so the pulse, its
/// answers and its counts carry its text and side after the server edits or removes it.
const TEAM_PREFIX: &str = "team:";

/// The id a pulse knows a server's own statement by.
pub fn team_statement_id(statement: &TeamStatement) -> String {
    // Serializing a struct of strings, a side and a flag cannot fail.
    let json = serde_json::to_string(statement).unwrap_or_default();
    format!("{TEAM_PREFIX}{json}")
}

/// The server's own statement a pulse id names; `None` for a bundled one.
pub fn team_statement(id: &str) -> Option<TeamStatement> {
    serde_json::from_str(id.strip_prefix(TEAM_PREFIX)?).ok()
}

/// A server's own statements take one place in every pulse, in turn: the `round`-th replaces
/// the last picked statement of its side, so both sides are still asked.
pub fn with_team_statement(
    picked: &[&Statement],
    team: &[TeamStatement],
    round: u64,
) -> Vec<String> {
    let mut ids: Vec<String> = picked.iter().map(|s| s.id.to_string()).collect();
    if team.is_empty() {
        return ids;
    }
    let turn = usize::try_from(round % team.len() as u64).unwrap_or(0);
    let ours = &team[turn];
    if let Some(slot) = picked.iter().rposition(|s| s.side == ours.side) {
        ids[slot] = team_statement_id(ours);
    }
    ids
}

/// What a result needs of a statement a pulse asked: its words, the side it counts toward,
/// which way it is worded and the contrast it asks about (a server's own names none).
#[derive(Debug, Clone, PartialEq)]
pub struct Asked<'c> {
    pub text: Cow<'c, str>,
    pub side: PulseSide,
    pub reversed: bool,
    pub about: Option<&'c str>,
}

/// The statement behind a pulse's statement id, bundled or the server's own; `None` for an id
/// the content no longer has (and for a follow-up, which counts toward neither side).
pub fn asked<'c>(content: &'c Content, id: &str) -> Option<Asked<'c>> {
    if let Some(ours) = team_statement(id) {
        return Some(Asked {
            text: Cow::Owned(ours.text),
            side: ours.side,
            reversed: ours.reversed,
            about: None,
        });
    }
    content.statement(id).map(|s| Asked {
        text: Cow::Borrowed(&*s.text),
        side: s.side,
        reversed: s.reversed,
        about: Some(&*s.about),
    })
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
    fn a_servers_own_statements_take_one_place_in_turn_and_both_sides_stay() {
        let content = Content::bundled().expect("content");
        let ours = |text: &str, side| TeamStatement {
            text: text.into(),
            side,
            reversed: false,
        };
        let team = [
            ours("We said no to one request this week.", PulseSide::Managing),
            ours("I knew why this week's work mattered.", PulseSide::Leading),
        ];
        for round in 0..6 {
            for count in [2, 3] {
                let picked = pick_statements(&content, round, count);
                let ids = with_team_statement(&picked, &team, round);
                assert_eq!(ids.len(), usize::from(count));
                let team_ids: Vec<_> = ids.iter().filter_map(|id| team_statement(id)).collect();
                assert_eq!(
                    team_ids,
                    [team[(round % 2) as usize].clone()],
                    "round {round}"
                );
                let sides: Vec<PulseSide> = ids
                    .iter()
                    .filter_map(|id| asked(&content, id))
                    .map(|a| a.side)
                    .collect();
                assert!(
                    sides.contains(&PulseSide::Leading) && sides.contains(&PulseSide::Managing)
                );
            }
        }
        let picked = pick_statements(&content, 0, 3);
        assert_eq!(
            with_team_statement(&picked, &[], 0),
            picked.iter().map(|s| s.id.to_string()).collect::<Vec<_>>(),
            "without its own statements a pulse asks only ours"
        );
        let asked_ours = asked(&content, &team_statement_id(&team[0])).expect("read back");
        assert_eq!(asked_ours.text, team[0].text);
        assert_eq!(asked_ours.about, None);
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

    /// Every statement id `content/pulse.toml` held on `main` before statements could be
    /// retired. Servers keep them with past pulses, whose results are read with the statement's
    /// text, side and wording: none may leave the file (retire it instead).
    const ASKED_ON_MAIN: [&str; 26] = [
        "knew-where-we-are-heading",
        "tasks-had-owners-and-dates",
        "felt-heard-as-a-person",
        "processes-helped-not-hindered",
        "room-to-try-something-new",
        "everyday-work-ran-smoothly",
        "saw-how-work-fits-the-future",
        "this-weeks-plan-was-workable",
        "felt-the-work-mattered",
        "knew-what-good-looks-like",
        "understood-why-things-change",
        "could-count-on-the-basics",
        "trusted-to-decide",
        "got-useful-feedback",
        "safe-to-raise-a-bold-idea",
        "risks-were-spotted-early",
        "people-were-kind-under-pressure",
        "had-the-skills-for-the-job",
        "goal-worth-working-for",
        "progress-was-visible",
        "straight-talk-from-the-lead",
        "got-what-i-needed-to-know",
        "decisions-were-explained",
        "unblocked-quickly",
        "learning-was-encouraged",
        "decisions-came-in-time",
    ];

    #[test]
    fn every_statement_ever_asked_is_still_in_the_content() {
        let content = Content::bundled().expect("content");
        for id in ASKED_ON_MAIN {
            assert!(
                content.statement(id).is_some(),
                "{id} is named by past pulses: mark it `retired = true` instead of removing it"
            );
        }
        assert!(
            content.statements.iter().any(|s| s.retired),
            "the bundled content retires some statements"
        );
    }

    #[test]
    fn some_statements_are_worded_negatively() {
        let content = Content::bundled().expect("content");
        for side in PulseSide::BOTH {
            let reversed = content
                .deck()
                .filter(|s| s.side == side && s.reversed)
                .count();
            assert!(reversed >= 3, "{side:?}: {reversed} reversed statements");
        }
    }

    #[test]
    fn a_retired_statement_is_never_picked() {
        let content = Content::bundled().expect("content");
        let retired: std::collections::HashSet<&str> = content
            .statements
            .iter()
            .filter(|s| s.retired)
            .map(|s| &*s.id)
            .collect();
        assert!(retired.len() >= 15, "{retired:?}");
        let asked = content.deck().count();
        let mut seen = std::collections::HashSet::new();
        // Far more rounds than the deck needs to come round to every statement.
        for round in 0..1000 {
            for count in [MIN_QUESTIONS, MAX_QUESTIONS, 0, u8::MAX] {
                for statement in pick_statements(&content, round, count) {
                    assert!(
                        !statement.retired && !retired.contains(&*statement.id),
                        "round {round}: retired {} was picked",
                        statement.id
                    );
                    seen.insert(statement.id.to_string());
                }
            }
        }
        assert_eq!(seen.len(), asked, "every statement still asked comes round");
        // Even the first statement of a side, retired, is passed over.
        let mut edited = content.clone();
        let first = edited
            .statements
            .iter_mut()
            .find(|s| !s.retired && s.side == PulseSide::Leading)
            .expect("a leading statement");
        first.retired = true;
        let first = first.id.to_string();
        for round in 0..200 {
            assert!(pick_statements(&edited, round, MAX_QUESTIONS)
                .iter()
                .all(|s| *s.id != *first));
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
