//! The recap posted when a poll closes: the tally, and for a quiz the answer and why, for a
//! needs poll a closer look at the winner.

use super::quiz::Subject;
use super::why::why;
use crate::content::{Content, Contrast, QuizAnswer, Side, Tip, Trait};
use crate::model::poll::{PollAnswer, PollKind, PollSpec};
use crate::reply::library::{contrast_embed, distinct_sources, source_line};
use crate::reply::{Accent, Embed, Field, Reply};

const QUIZ_RECAP_TITLE: &str = "Quiz results";
const NEEDS_RECAP_TITLE: &str = "Needs poll results";
const NOBODY_VOTED: &str = "Nobody voted this time.";
/// Said in place of a quiz's reason when content no longer has the entry it asked about.
const REASON_GONE: &str = "The trait this quiz asked about was removed from the bot's texts.";

/// The recap posted as a reply to the poll when it closes. `counts[i]` = votes for `answers[i]`;
/// a missing count is taken as no votes, and extra ones are ignored.
///
/// It depends only on its arguments, so a recap rebuilt after a restart is the same one.
pub fn recap(content: &Content, spec: &PollSpec, counts: &[u64]) -> Reply {
    let counts: Vec<u64> = (0..spec.answers.len())
        .map(|i| counts.get(i).copied().unwrap_or(0))
        .collect();
    let embed = match spec.kind {
        PollKind::Quiz => quiz_recap(content, spec, &counts),
        PollKind::Needs => needs_recap(content, spec, &counts),
        PollKind::Scenario => super::scenario::scenario_recap(content, spec, &counts),
    };
    Reply::embed(embed)
}

/// Whole percentages of `counts` that add up to 100, by the largest-remainder method (equal
/// remainders go to the earlier answer, so 1/1/1 is 34/33/33). `None` when nobody voted.
pub fn percentages(counts: &[u64]) -> Option<Vec<u8>> {
    let total: u128 = counts.iter().map(|&c| u128::from(c)).sum();
    if total == 0 {
        return None;
    }
    let scaled: Vec<u128> = counts.iter().map(|&c| u128::from(c) * 100).collect();
    let mut shares: Vec<u8> = scaled
        .iter()
        .map(|s| u8::try_from(s / total).unwrap_or(100))
        .collect();
    let given: usize = shares.iter().map(|&s| usize::from(s)).sum();
    let mut by_remainder: Vec<usize> = (0..counts.len()).collect();
    // A stable sort: equal remainders keep the answers' order.
    by_remainder.sort_by_key(|&i| std::cmp::Reverse(scaled[i] % total));
    for &i in by_remainder.iter().take(100usize.saturating_sub(given)) {
        shares[i] += 1;
    }
    Some(shares)
}

/// The answers with the most votes, in order; empty when nobody voted.
fn most_voted(counts: &[u64]) -> Vec<usize> {
    let top = counts.iter().copied().max().unwrap_or(0);
    if top == 0 {
        return Vec::new();
    }
    (0..counts.len()).filter(|&i| counts[i] == top).collect()
}

/// One line per answer with its votes and share, the `bold` ones in bold; or a note that
/// nobody voted.
pub(super) fn tally(spec: &PollSpec, counts: &[u64], bold: &[usize]) -> String {
    let Some(shares) = percentages(counts) else {
        return NOBODY_VOTED.into();
    };
    let lines: Vec<String> = spec
        .answers
        .iter()
        .zip(counts.iter().zip(shares))
        .enumerate()
        .map(|(i, (answer, (&count, share)))| {
            let line = format!("{} — {} ({share}%)", answer.text, votes(count));
            if bold.contains(&i) {
                format!("**{line}**")
            } else {
                line
            }
        })
        .collect();
    lines.join("\n")
}

fn votes(count: u64) -> String {
    if count == 1 {
        "1 vote".into()
    } else {
        format!("{count} votes")
    }
}

/// The question, the tally, and the right answer with why: what each article says of it.
fn quiz_recap(content: &Content, spec: &PollSpec, counts: &[u64]) -> Embed {
    let correct = spec
        .correct
        .and_then(|i| spec.answers.get(i).map(|answer| (i, answer)));
    let subject = spec
        .subject
        .as_deref()
        .and_then(|id| Subject::find(content, id));
    let bold: Vec<usize> = correct.iter().map(|(i, _)| *i).collect();
    let fields = correct
        .map(|(_, answer)| {
            let reason = subject.map_or_else(|| REASON_GONE.into(), |s| why(content, s));
            Field::new(format!("The answer: {}", answer.text), reason)
        })
        .into_iter()
        .collect();
    let accent = correct
        .and_then(|(_, answer)| {
            QuizAnswer::ALL
                .into_iter()
                .find(|q| q.id() == answer.entry_id)
        })
        .map_or(Accent::Neutral, accent);
    Embed {
        title: Some(QUIZ_RECAP_TITLE.into()),
        description: Some(format!(
            "{}\n\n{}",
            spec.question,
            tally(spec, counts, &bold)
        )),
        fields,
        footer: subject.map(|s| source_line(content, s.sources())),
        accent,
    }
}

/// The question, the tally, the winner, and for the winner (the first, on a tie) the
/// contrast it belongs to and a tip to try. Without votes, the tally says so and nothing more.
fn needs_recap(content: &Content, spec: &PollSpec, counts: &[u64]) -> Embed {
    let top = most_voted(counts);
    let mut embed = Embed {
        title: Some(NEEDS_RECAP_TITLE.into()),
        description: Some(format!(
            "{}\n\n{}",
            spec.question,
            tally(spec, counts, &top)
        )),
        fields: Vec::new(),
        footer: None,
        accent: Accent::Neutral,
    };
    let winners: Vec<&PollAnswer> = top.iter().filter_map(|&i| spec.answers.get(i)).collect();
    let Some(first) = winners.first() else {
        return embed;
    };
    let winner_traits: Vec<&Trait> = winners
        .iter()
        .filter_map(|a| content.trait_by_id(&a.entry_id))
        .collect();
    embed.accent = accent_of_sides(&winner_traits);
    let names: Vec<&str> = winners.iter().map(|a| a.text.as_str()).collect();
    let said = winner_sentence(&names);
    let mut plain = embed.clone();
    append(&mut plain, &said);
    let looked_at = content
        .trait_by_id(&first.entry_id)
        .and_then(|t| content.contrast(&t.contrast).map(|c| (t, c)));
    let Some((trait_, contrast)) = looked_at else {
        return plain;
    };
    let tied = names.len() > 1;
    append(
        &mut embed,
        &format!("{said} {}", contrast_sentence(&first.text, tied, contrast)),
    );
    closer_look(content, embed, trait_, contrast).unwrap_or(plain)
}

/// Which contrast the recap looks at next, naming the answer it stands for on a tie.
fn contrast_sentence(first: &str, tied: bool, contrast: &Contrast) -> String {
    let which = if tied {
        format!("The first, **{first}**,")
    } else {
        "It".into()
    };
    format!(
        "{which} is part of the contrast **{}**, seen from both sides below.",
        contrast.title
    )
}

/// "Most votes: **A**." or "Tied for most votes: **A**, **B** and **C**."
fn winner_sentence(names: &[&str]) -> String {
    let bold: Vec<String> = names.iter().map(|n| format!("**{n}**")).collect();
    match bold.split_last() {
        Some((last, [])) => format!("Most votes: {last}."),
        Some((last, rest)) => format!("Tied for most votes: {} and {last}.", rest.join(", ")),
        None => String::new(),
    }
}

fn append(embed: &mut Embed, paragraph: &str) {
    let description = embed.description.get_or_insert_with(String::new);
    description.push_str("\n\n");
    description.push_str(paragraph);
}

/// One side's accent when every winner is of that side; both sides' otherwise.
fn accent_of_sides(winners: &[&Trait]) -> Accent {
    match winners.first().map(|t| t.side) {
        Some(side) if winners.iter().all(|t| t.side == side) => match side {
            Side::Leader => Accent::Leader,
            Side::Manager => Accent::Manager,
        },
        _ => Accent::Both,
    }
}

/// The needs recap with the winner's contrast and the first tip building on it that fits in
/// the message, or without a tip when none fits; `None` when even the contrast is too long.
/// Content is checked against the limits of each field when loaded, not against the whole
/// message, so the recap makes sure itself.
fn closer_look(
    content: &Content,
    base: Embed,
    trait_: &Trait,
    contrast: &Contrast,
) -> Option<Embed> {
    let with_contrast = |tip: Option<&Tip>| {
        let mut embed = base.clone();
        embed.fields = contrast_embed(content, contrast).fields;
        let mut sources = vec![trait_.sources.as_slice(), contrast.sources.as_slice()];
        if let Some(tip) = tip {
            embed.fields.push(Field::new(
                format!("A tip to try: {}", tip.title),
                tip.body.as_str(),
            ));
            sources.push(tip.sources.as_slice());
        }
        embed.footer = Some(source_line(content, &distinct_sources(sources.into_iter())));
        embed
    };
    content
        .tips_building_on(&contrast.id)
        .map(|tip| with_contrast(Some(tip)))
        .chain(std::iter::once_with(|| with_contrast(None)))
        .find(fits)
}

fn fits(embed: &Embed) -> bool {
    Reply::embed(embed.clone()).limit_problems().is_empty()
}

fn accent(answer: QuizAnswer) -> Accent {
    match answer {
        QuizAnswer::Leader => Accent::Leader,
        QuizAnswer::Manager => Accent::Manager,
        QuizAnswer::Both => Accent::Both,
    }
}

#[cfg(test)]
mod tests {
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    use super::*;
    use crate::content::Text;
    use crate::limits;
    use crate::reply::poll::{needs, needs_from, quiz_about, quiz_why, NeedsList};

    fn content() -> Content {
        Content::bundled().expect("bundled content is valid")
    }

    #[test]
    fn percentages_add_up_to_a_hundred_by_largest_remainder() {
        assert_eq!(percentages(&[1, 1, 1]), Some(vec![34, 33, 33]));
        assert_eq!(percentages(&[2, 1]), Some(vec![67, 33]));
        assert_eq!(percentages(&[0, 3]), Some(vec![0, 100]));
        assert_eq!(
            percentages(&[1, 1, 1, 1, 1, 1]),
            Some(vec![17, 17, 17, 17, 16, 16])
        );
        assert_eq!(percentages(&[1, 2, 2]), Some(vec![20, 40, 40]));
        assert_eq!(percentages(&[u64::MAX, u64::MAX]), Some(vec![50, 50]));
        assert_eq!(percentages(&[0, 0, 0]), None);
        assert_eq!(percentages(&[]), None);
    }

    #[test]
    fn percentages_stay_within_one_point_of_the_exact_share() {
        let mut rng = StdRng::seed_from_u64(3);
        for _ in 0..2000 {
            let len = rng.random_range(2..=10);
            let counts: Vec<u64> = (0..len).map(|_| rng.random_range(0..50)).collect();
            let Some(shares) = percentages(&counts) else {
                assert!(counts.iter().all(|&c| c == 0));
                continue;
            };
            let total: u64 = counts.iter().sum();
            assert_eq!(shares.iter().map(|&s| u64::from(s)).sum::<u64>(), 100);
            for (&count, &share) in counts.iter().zip(&shares) {
                let floor = count * 100 / total;
                assert!(
                    (floor..=floor + 1).contains(&u64::from(share)),
                    "{counts:?} -> {shares:?}"
                );
            }
        }
    }

    fn trait_of(content: &Content, side: Side) -> &Trait {
        content
            .traits_of(side, None)
            .next()
            .expect("a trait of each side")
    }

    /// The first trait of `side` that the quiz answers with that side.
    fn quizzed_as(content: &Content, side: Side) -> &Trait {
        content
            .traits_of(side, None)
            .find(|t| t.quiz_answer() == Some(QuizAnswer::of_side(side)))
            .expect("a trait quizzed as each side")
    }

    fn description(reply: &Reply) -> &str {
        reply.embeds[0].description.as_deref().unwrap_or_default()
    }

    #[test]
    fn a_quiz_recap_shows_the_tally_the_answer_and_why() {
        let content = content();
        let trait_ = quizzed_as(&content, Side::Manager);
        let spec = quiz_about(&content, &trait_.id).expect("exists");
        let reply = recap(&content, &spec, &[1, 3, 1]);
        assert_eq!(reply.embeds.len(), 1);
        assert!(!reply.ephemeral);
        let embed = &reply.embeds[0];
        let text = description(&reply);
        assert!(text.starts_with(&spec.question), "{text}");
        assert!(text.contains("Leader — 1 vote (20%)"), "{text}");
        assert!(text.contains("**Manager — 3 votes (60%)**"), "{text}");
        assert!(text.contains("Both — 1 vote (20%)"), "{text}");
        assert_eq!(embed.fields.len(), 1);
        assert_eq!(embed.fields[0].name, "The answer: Manager");
        // The reason: what each article says, then the trait's own words.
        assert_eq!(
            Some(&embed.fields[0].value),
            quiz_why(&content, &trait_.id).as_ref()
        );
        assert!(embed.fields[0].value.ends_with(trait_.quiz_reason()));
        assert_eq!(
            embed.footer.as_deref(),
            Some(source_line(&content, &trait_.sources).as_str())
        );
        assert_eq!(embed.accent, Accent::Manager);
    }

    #[test]
    fn a_quiz_about_a_similarity_answers_both_with_what_is_shared() {
        let content = content();
        let similarity = &content.similarities[0];
        let spec = quiz_about(&content, &similarity.id).expect("exists");
        let reply = recap(&content, &spec, &[2, 0, 1]);
        let embed = &reply.embeds[0];
        assert_eq!(embed.fields[0].name, "The answer: Both");
        assert_eq!(
            Some(&embed.fields[0].value),
            quiz_why(&content, &similarity.id).as_ref()
        );
        assert!(embed.fields[0].value.ends_with(similarity.quiz_reason()));
        assert!(description(&reply).contains("**Both — 1 vote (33%)**"));
        assert_eq!(embed.accent, Accent::Both);
    }

    #[test]
    fn a_quiz_nobody_answered_still_gives_the_answer() {
        let content = content();
        let trait_ = quizzed_as(&content, Side::Leader);
        let spec = quiz_about(&content, &trait_.id).expect("exists");
        let reply = recap(&content, &spec, &[0, 0, 0]);
        let text = description(&reply);
        assert!(text.ends_with(NOBODY_VOTED), "{text}");
        assert!(!text.contains('%'), "{text}");
        assert_eq!(reply.embeds[0].fields[0].name, "The answer: Leader");
        assert_eq!(reply.embeds[0].accent, Accent::Leader);
    }

    #[test]
    fn a_quiz_whose_entry_left_the_library_still_names_the_answer() {
        let content = content();
        let trait_ = quizzed_as(&content, Side::Leader);
        let spec = quiz_about(&content, &trait_.id).expect("exists");
        let mut later = content.clone();
        later.traits.retain(|t| t.id.as_str() != trait_.id.as_str());
        let reply = recap(&later, &spec, &[1, 0, 0]);
        assert_eq!(reply.embeds[0].fields[0].name, "The answer: Leader");
        assert_eq!(reply.embeds[0].fields[0].value, REASON_GONE);
        assert!(reply.limit_problems().is_empty());
    }

    /// A needs poll offering the first trait of each side, leader first.
    fn two_sided_needs(content: &Content) -> (PollSpec, &Trait, &Trait) {
        let leader = trait_of(content, Side::Leader);
        let manager = trait_of(content, Side::Manager);
        let ids = [leader.id.to_string(), manager.id.to_string()];
        let spec = needs_from(content, &ids, false).expect("both exist");
        (spec, leader, manager)
    }

    #[test]
    fn a_needs_recap_looks_closer_at_the_winner_with_its_contrast_and_a_tip() {
        let content = content();
        let (spec, _, manager) = two_sided_needs(&content);
        let reply = recap(&content, &spec, &[1, 4]);
        let embed = &reply.embeds[0];
        let text = description(&reply);
        assert!(
            text.contains(&format!("{} — 1 vote (20%)", spec.answers[0].text)),
            "{text}"
        );
        assert!(
            text.contains(&format!("**{} — 4 votes (80%)**", manager.short)),
            "{text}"
        );
        assert!(
            text.contains(&format!("Most votes: **{}**.", manager.short)),
            "{text}"
        );
        let contrast = content.contrast(&manager.contrast).expect("exists");
        assert!(text.contains(&format!("**{}**", contrast.title)), "{text}");

        let tip = content
            .tips_building_on(&contrast.id)
            .next()
            .expect("a tip builds on every contrast");
        let mut expected = contrast_embed(&content, contrast).fields;
        expected.push(Field::new(
            format!("A tip to try: {}", tip.title),
            tip.body.as_str(),
        ));
        assert_eq!(embed.fields, expected);
        let sources = distinct_sources(
            [&manager.sources, &contrast.sources, &tip.sources]
                .into_iter()
                .map(|s| s.as_slice()),
        );
        assert_eq!(
            embed.footer.as_deref(),
            Some(source_line(&content, &sources).as_str())
        );
        assert_eq!(embed.accent, Accent::Manager);
    }

    #[test]
    fn a_tie_names_every_winner_and_looks_closer_at_the_first() {
        let content = content();
        let (spec, leader, manager) = two_sided_needs(&content);
        let reply = recap(&content, &spec, &[2, 2]);
        let text = description(&reply);
        assert!(
            text.contains(&format!(
                "Tied for most votes: **{}** and **{}**.",
                leader.short, manager.short
            )),
            "{text}"
        );
        assert!(
            text.contains(&format!("The first, **{}**", leader.short)),
            "{text}"
        );
        let contrast = content.contrast(&leader.contrast).expect("exists");
        let embed = &reply.embeds[0];
        assert_eq!(embed.fields[0].value, contrast.leader.as_str());
        assert_eq!(embed.accent, Accent::Both);
        assert_eq!(
            winner_sentence(&["A", "B", "C"]),
            "Tied for most votes: **A**, **B** and **C**."
        );
    }

    #[test]
    fn a_needs_poll_nobody_answered_says_so_and_nothing_more() {
        let content = content();
        let (spec, _, _) = two_sided_needs(&content);
        for counts in [&[0, 0][..], &[]] {
            let reply = recap(&content, &spec, counts);
            let embed = &reply.embeds[0];
            assert!(description(&reply).ends_with(NOBODY_VOTED));
            assert!(embed.fields.is_empty());
            assert_eq!(embed.footer, None);
            assert_eq!(embed.accent, Accent::Neutral);
            assert!(reply.limit_problems().is_empty());
        }
    }

    #[test]
    fn a_tip_too_long_for_the_message_is_passed_over() {
        let mut content = content();
        let (spec, _, manager) = two_sided_needs(&content);
        let contrast = manager.contrast.to_string();
        let building: Vec<String> = content
            .tips_building_on(&contrast)
            .map(|t| t.id.to_string())
            .collect();
        for tip in content
            .tips
            .iter_mut()
            .filter(|t| building.contains(&t.id.to_string()))
        {
            tip.body = Text::new("A very long tip. ".repeat(200));
        }
        let reply = recap(&content, &spec, &[0, 1]);
        assert!(
            reply.limit_problems().is_empty(),
            "{:?}",
            reply.limit_problems()
        );
        let fields = &reply.embeds[0].fields;
        assert_eq!(fields.len(), 3, "the contrast stays, the tip goes");
        assert!(fields.iter().all(|f| !f.name.starts_with("A tip to try")));
    }

    #[test]
    fn every_recap_fits_in_one_message() {
        let content = content();
        let quiz_counts: [&[u64]; 4] = [&[0, 0, 0], &[1, 1, 1], &[u64::MAX, 0, 1], &[7, 7, 0]];
        for subject in Subject::all(&content) {
            let spec = quiz_about(&content, subject.id()).expect("exists");
            for counts in quiz_counts {
                let reply = recap(&content, &spec, counts);
                assert!(
                    reply.limit_problems().is_empty(),
                    "{}: {:?}",
                    subject.id(),
                    reply.limit_problems()
                );
                assert!(!reply.ephemeral);
            }
        }
        // Each trait as the winner, beside the nine longest labels, alone or in a ten-way tie.
        let mut longest: Vec<&Trait> = content.traits.iter().collect();
        longest.sort_by_key(|t| std::cmp::Reverse(t.short.chars().count()));
        for winner in &content.traits {
            let mut ids = vec![winner.id.to_string()];
            ids.extend(
                longest
                    .iter()
                    .filter(|t| t.id.as_str() != winner.id.as_str())
                    .take(limits::POLL_MAX_ANSWERS - 1)
                    .map(|t| t.id.to_string()),
            );
            let spec = needs_from(&content, &ids, true).expect("all exist");
            let tie = vec![u64::MAX; ids.len()];
            let mut clear_win = vec![1; ids.len()];
            clear_win[0] = 1_000_000;
            for counts in [tie, clear_win] {
                let reply = recap(&content, &spec, &counts);
                assert!(
                    reply.limit_problems().is_empty(),
                    "{}: {:?}",
                    winner.id,
                    reply.limit_problems()
                );
                assert!(
                    reply.embeds[0]
                        .fields
                        .iter()
                        .any(|f| f.name.starts_with("A tip to try")),
                    "{} has no tip in its recap",
                    winner.id
                );
            }
        }
    }

    #[test]
    fn a_recap_rebuilt_from_storage_is_the_same() {
        let content = content();
        let spec = needs(
            &content,
            NeedsList::Mixed,
            5,
            false,
            &mut StdRng::seed_from_u64(9),
        )
        .expect("ok");
        let ids: Vec<String> = spec.answers.iter().map(|a| a.entry_id.clone()).collect();
        let rebuilt = needs_from(&content, &ids, false).expect("same content");
        let counts = [3, 1, 3, 0, 2];
        assert_eq!(
            recap(&content, &spec, &counts),
            recap(&content, &rebuilt, &counts)
        );
    }

    #[test]
    fn a_contrast_too_long_for_the_message_leaves_just_the_winner() {
        let mut content = content();
        let (spec, _, manager) = two_sided_needs(&content);
        let (contrast, short) = (manager.contrast.to_string(), manager.short.to_string());
        for c in content
            .contrasts
            .iter_mut()
            .filter(|c| c.id.as_str() == contrast)
        {
            c.leader = Text::new("A very long side. ".repeat(100));
        }
        let reply = recap(&content, &spec, &[0, 1]);
        assert!(
            reply.limit_problems().is_empty(),
            "{:?}",
            reply.limit_problems()
        );
        let text = description(&reply);
        assert!(
            text.ends_with(&format!("Most votes: **{short}**.")),
            "{text}"
        );
        assert!(reply.embeds[0].fields.is_empty());
    }
}
