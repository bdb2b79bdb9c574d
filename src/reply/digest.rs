//! The weekly digest for a team's lead: one post that gathers the week.
//!
//! It reads the week back in three parts: how many answered the team pulse and its leading and
//! managing scores (with the trend chart, and the same numbers in words); how the week's quiz
//! and scenario polls went, as the share of voters who picked the answer the articles support,
//! by topic; and one suggestion: the contrast behind the week's weakest statement (the lowest
//! score once a negatively worded statement's answers are counted the other way round), with a
//! tip from it.
//!
//! A poll's *topic* is the contrast it is about: a quiz on a trait is about that trait's
//! contrast, a scenario about the contrast it names. A quiz on a similarity, or a scenario that
//! names no contrast, is its own topic (the similarity's title, the scenario's name). Polls of
//! one topic are added together.

use jiff::civil::Date;

use super::pulse::one_decimal;
use super::pulse::{trend_lines, with_chart, withheld_words};
use super::{Accent, Embed, Field, Reply};
use crate::chart::{self, WeekPoint};
use crate::content::{Anchor, Content, PulseSide};
use crate::model::poll::{PollKind, PollTally};
use crate::pulse::stats::{side_score, StatementResult};
use crate::text::clip;

/// The week's pulse as the digest shows it.
#[derive(Debug, Clone)]
pub struct PulseWeek {
    pub responses: u32,
    /// Per statement; empty when the results were withheld, or when the content has none of
    /// the statements the pulse asked (retired ones it still has).
    pub results: Vec<StatementResult>,
}

/// What a digest is built from.
#[derive(Debug, Clone)]
pub struct DigestInput<'a> {
    /// The local date the digest is for; it covers the seven days before.
    pub date: Date,
    /// The pulse that closed in the week, if one did.
    pub pulse: Option<PulseWeek>,
    pub trend: &'a [WeekPoint],
    pub min_responses: u32,
    pub polls: &'a [PollTally],
}

/// The digest's title, which also finds it again after a restart.
pub fn digest_title(date: Date) -> String {
    format!("Weekly digest: the week to {date}")
}

/// What a poll is about, as the digest groups it.
pub fn topic_of(content: &Content, kind: PollKind, subject: &str) -> String {
    let contrast_title = |id: &str| content.contrast(id).map(|c| c.title.to_string());
    if let Some(ours) = super::poll::team_scenario_of(subject) {
        return ours.name;
    }
    let named = match kind {
        PollKind::Scenario => content.scenario(subject).and_then(|scenario| {
            scenario
                .contrast
                .as_deref()
                .and_then(contrast_title)
                .or_else(|| Some(scenario.name.to_string()))
        }),
        _ => content.anchor(subject).map(|anchor| match anchor {
            Anchor::Similarity(similarity) => similarity.title.to_string(),
            other => other
                .contrast_id()
                .and_then(contrast_title)
                .unwrap_or_else(|| other.title().to_string()),
        }),
    };
    named.unwrap_or_else(|| subject.to_string())
}

/// The weekly digest.
pub fn digest(content: &Content, input: &DigestInput<'_>) -> Reply {
    let fields = vec![
        Field::new("Team pulse", pulse_part(input)),
        Field::new("Polls this week", polls_part(content, input.polls)),
        Field::new("Where to look next", suggestion(content, input)),
    ];
    let fields = fields
        .into_iter()
        .map(|f| Field::new(f.name, clip(&f.value, crate::limits::EMBED_FIELD_VALUE)))
        .collect();
    let reply = Reply::embed(Embed {
        title: Some(digest_title(input.date)),
        description: Some(
            "The week in one post: how the team rated itself, how the polls went, and one place to start."
                .into(),
        ),
        fields,
        footer: Some("Pulse answers are anonymous; only counts are kept once a pulse closes.".into()),
        accent: Accent::Both,
    });
    let has_scores = input
        .trend
        .iter()
        .any(|p| p.leading.is_some() || p.managing.is_some());
    if has_scores {
        with_chart(
            reply,
            chart::trend(input.trend, &withheld_words(input.min_responses)),
        )
    } else {
        reply
    }
}

fn pulse_part(input: &DigestInput<'_>) -> String {
    let Some(pulse) = &input.pulse else {
        return "No team pulse closed this week. `/pulse setup` runs one every week.".into();
    };
    if pulse.responses < input.min_responses {
        return format!(
            "{} answered, fewer than {}: the scores are withheld so that nobody's answers can be told apart.",
            people(pulse.responses),
            input.min_responses
        );
    }
    if pulse.results.is_empty() {
        return format!(
            "{} answered, but the statements the pulse asked were removed from the bot's texts, so there are no scores to show.",
            people(pulse.responses)
        );
    }
    let score = |side| side_score(&pulse.results, side).map_or_else(|| "-".into(), one_decimal);
    let mut text = format!(
        "{} answered. Leading score {} of 5, managing score {} of 5.",
        people(pulse.responses),
        score(PulseSide::Leading),
        score(PulseSide::Managing)
    );
    let lines = trend_lines(input.trend, input.min_responses);
    if lines.len() > 1 {
        text.push_str("\nBy week (the chart shows the same):\n");
        text.push_str(&lines.join("\n"));
    }
    text
}

fn people(count: u32) -> String {
    match count {
        1 => "1 person".into(),
        n => format!("{n} people"),
    }
}

/// The week's polls added up by topic, in the order the topics first came up.
fn polls_part(content: &Content, polls: &[PollTally]) -> String {
    let mut topics: Vec<(String, u32, u32)> = Vec::new();
    for poll in polls.iter().filter(|p| p.votes > 0) {
        let topic = topic_of(content, poll.kind, &poll.subject);
        match topics.iter_mut().find(|(name, _, _)| *name == topic) {
            Some((_, votes, supported)) => {
                *votes += poll.votes;
                *supported += poll.supported;
            }
            None => topics.push((topic, poll.votes, poll.supported)),
        }
    }
    if topics.is_empty() {
        return "No quiz or scenario poll got votes this week. `/poll quiz` and `/poll scenario` start one; `/polls setup` runs one weekly.".into();
    }
    let lines: Vec<String> = topics
        .iter()
        .map(|(topic, votes, supported)| {
            format!(
                "{topic}: {supported} of {votes} ({}%) picked the answer the articles support",
                percent(*supported, *votes)
            )
        })
        .collect();
    lines.join("\n")
}

fn percent(part: u32, whole: u32) -> u32 {
    if whole == 0 {
        return 0;
    }
    (f64::from(part) * 100.0 / f64::from(whole)).round() as u32
}

/// The contrast behind the weakest statement, and a tip from it. Statements are compared by
/// their scored answers, so a negatively worded one is weakest when most agreed with it.
fn suggestion(content: &Content, input: &DigestInput<'_>) -> String {
    let weakest = input.pulse.as_ref().and_then(|pulse| {
        pulse
            .results
            .iter()
            .filter_map(|r| r.score().map(|score| (r, score)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
    });
    let Some((result, _)) = weakest else {
        return "Once a pulse shows results, this names the week's weakest statement and a tip to work on it.".into();
    };
    // Shown as answered, with the direction that is good when it is worded negatively.
    let average = result.counts.average().unwrap_or_default();
    let better = if result.reversed {
        ", lower is better"
    } else {
        ""
    };
    let Some(statement) = crate::pulse::asked(content, &result.statement_id) else {
        return "The weakest statement is no longer among the bot's statements, so no tip goes with it.".into();
    };
    let score = format!("{} of 5{better}", one_decimal(average));
    let Some(about_id) = statement.about else {
        return format!(
            "Weakest this week: \"{}\" ({score}), one of your team's own statements. The result's **Choose our focus** button offers tips for it.",
            statement.text
        );
    };
    let about = content.anchor(about_id);
    let contrast_id = about
        .as_ref()
        .and_then(|a| a.contrast_id())
        .unwrap_or(about_id);
    let title = about.as_ref().map_or(about_id, |a| a.title());
    let mut text = format!(
        "Weakest this week: \"{}\" ({score}). It comes back to {}.",
        statement.text, title
    );
    let tips: Vec<_> = content.tips_building_on(contrast_id).collect();
    if !tips.is_empty() {
        let pick = usize::try_from(input.date.day_of_year()).unwrap_or(0) % tips.len();
        let tip = tips[pick];
        // The title on a line of its own, so it never reads as the first words of the tip.
        text.push_str(&format!("\nTry this: **{}**\n{}", tip.title, tip.body));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pulse::stats::Counts;
    use jiff::civil::date;

    fn content() -> Content {
        Content::bundled().expect("bundled content")
    }

    fn result(
        content: &Content,
        side: PulseSide,
        counts: [u32; 5],
        skip: usize,
    ) -> StatementResult {
        let statement = content
            .statements
            .iter()
            .filter(|s| s.side == side)
            .nth(skip)
            .expect("a statement of that side");
        StatementResult {
            statement_id: statement.id.to_string(),
            side,
            reversed: statement.reversed,
            counts: Counts(counts),
        }
    }

    /// The result of the bundled statement `id`, checked to be worded as the test expects.
    fn result_of(content: &Content, id: &str, reversed: bool, counts: [u32; 5]) -> StatementResult {
        let statement = content
            .statements
            .iter()
            .find(|s| &*s.id == id)
            .unwrap_or_else(|| panic!("{id} is in the deck"));
        assert_eq!(statement.reversed, reversed, "{id}");
        StatementResult {
            statement_id: id.to_string(),
            side: statement.side,
            reversed,
            counts: Counts(counts),
        }
    }

    fn text(reply: &Reply) -> String {
        reply.embeds[0]
            .fields
            .iter()
            .map(|f| format!("{}\n{}", f.name, f.value))
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn quiz_on_a_trait(content: &Content) -> (String, String) {
        let trait_ = content.traits.first().expect("a trait");
        let contrast = content.contrast(&trait_.contrast).expect("its contrast");
        (trait_.id.to_string(), contrast.title.to_string())
    }

    #[test]
    fn the_digest_shows_participation_scores_poll_shares_by_topic_and_a_suggestion() {
        let content = content();
        let leading = result(&content, PulseSide::Leading, [0, 0, 1, 2, 1], 0); // 4.0
        let managing = result(&content, PulseSide::Managing, [1, 2, 1, 0, 0], 0); // 2.0
        let (subject, topic) = quiz_on_a_trait(&content);
        let polls = [
            PollTally {
                kind: PollKind::Quiz,
                subject: subject.clone(),
                votes: 6,
                supported: 3,
            },
            PollTally {
                kind: PollKind::Quiz,
                subject,
                votes: 4,
                supported: 4,
            },
        ];
        let trend = [
            WeekPoint {
                week: date(2026, 11, 23),
                leading: None,
                managing: None,
                focus: false,
            },
            WeekPoint {
                week: date(2026, 11, 30),
                leading: Some(4.0),
                managing: Some(2.0),
                focus: false,
            },
        ];
        let input = DigestInput {
            date: date(2026, 11, 30),
            pulse: Some(PulseWeek {
                responses: 4,
                results: vec![leading, managing.clone()],
            }),
            trend: &trend,
            min_responses: 3,
            polls: &polls,
        };
        let reply = digest(&content, &input);
        let words = text(&reply);
        assert_eq!(
            reply.embeds[0].title.as_deref(),
            Some("Weekly digest: the week to 2026-11-30")
        );
        assert!(words.contains("4 people answered"), "{words}");
        assert!(
            words.contains("Leading score 4.0 of 5, managing score 2.0 of 5"),
            "{words}"
        );
        assert!(words.contains("2026-11-23: withheld"), "{words}");
        assert!(
            words.contains(&format!("{topic}: 7 of 10 (70%) picked the answer")),
            "one topic, both polls added: {words}"
        );
        let lowest = content
            .statements
            .iter()
            .find(|s| *s.id == managing.statement_id)
            .expect("statement");
        assert!(
            words.contains(&format!("\"{}\" (2.0 of 5)", lowest.text)),
            "{words}"
        );
        assert!(words.contains("Try this: **"), "{words}");
        let tried = words
            .lines()
            .find(|line| line.starts_with("Try this: **"))
            .unwrap_or_default();
        assert!(
            tried.ends_with("**"),
            "the tip's text starts on its own line: {tried}"
        );
        assert_eq!(reply.attachments.len(), 1, "the trend chart");
        assert!(reply.embeds[0].total_chars() <= crate::limits::EMBED_TOTAL);
    }

    #[test]
    fn a_quiet_week_still_says_something_in_every_part() {
        let content = content();
        let reply = digest(
            &content,
            &DigestInput {
                date: date(2026, 11, 30),
                pulse: None,
                trend: &[],
                min_responses: 3,
                polls: &[],
            },
        );
        let words = text(&reply);
        assert!(words.contains("No team pulse closed this week"), "{words}");
        assert!(
            words.contains("No quiz or scenario poll got votes"),
            "{words}"
        );
        assert!(words.contains("Once a pulse shows results"), "{words}");
        assert!(reply.attachments.is_empty(), "no chart without scores");
    }

    #[test]
    fn withheld_results_say_how_many_answered_and_show_no_score() {
        let content = content();
        let reply = digest(
            &content,
            &DigestInput {
                date: date(2026, 11, 30),
                pulse: Some(PulseWeek {
                    responses: 2,
                    results: Vec::new(),
                }),
                trend: &[],
                min_responses: 3,
                polls: &[],
            },
        );
        let words = text(&reply);
        assert!(words.contains("2 people answered, fewer than 3"), "{words}");
        assert!(!words.contains("Leading score"), "{words}");
    }

    #[test]
    fn the_fullest_digest_fits_discords_limits() {
        let content = content();
        let polls: Vec<PollTally> = content
            .scenarios
            .iter()
            .map(|s| PollTally {
                kind: PollKind::Scenario,
                subject: s.id.to_string(),
                votes: 1000,
                supported: 999,
            })
            .chain(content.traits.iter().map(|t| PollTally {
                kind: PollKind::Quiz,
                subject: t.id.to_string(),
                votes: 1000,
                supported: 1,
            }))
            .collect();
        let results: Vec<StatementResult> = (0..3)
            .map(|i| result(&content, PulseSide::Leading, [9, 9, 9, 9, 9], i))
            .collect();
        let trend: Vec<WeekPoint> = (0..52)
            .map(|i| WeekPoint {
                week: date(2026, 1, 5) + jiff::Span::new().weeks(i),
                leading: Some(3.3),
                managing: None,
                focus: false,
            })
            .collect();
        let reply = digest(
            &content,
            &DigestInput {
                date: date(2026, 11, 30),
                pulse: Some(PulseWeek {
                    responses: 1000,
                    results,
                }),
                trend: &trend,
                min_responses: 3,
                polls: &polls,
            },
        );
        let embed = &reply.embeds[0];
        assert!(reply.embeds.len() <= crate::limits::EMBEDS_PER_MESSAGE);
        assert!(embed.total_chars() <= crate::limits::EMBED_TOTAL);
        for field in &embed.fields {
            assert!(field.value.chars().count() <= crate::limits::EMBED_FIELD_VALUE);
        }
    }

    #[test]
    fn a_scenario_is_grouped_under_the_contrast_it_names() {
        let content = content();
        let scenario = content
            .scenarios
            .iter()
            .find(|s| s.contrast.is_some())
            .expect("a scenario naming a contrast");
        let contrast = content
            .contrast(scenario.contrast.as_deref().expect("named"))
            .expect("the contrast");
        assert_eq!(
            topic_of(&content, PollKind::Scenario, &scenario.id),
            contrast.title.to_string()
        );
    }

    #[test]
    fn the_weakest_statement_and_the_scores_count_a_negatively_worded_one_the_other_way_round() {
        let content = content();
        // Most agreed their work sat waiting for a decision: 4.8 as answered, the worst week.
        let waiting = result_of(&content, "waited-on-a-decision", true, [0, 0, 0, 1, 4]);
        let mine = result_of(&content, "knew-what-was-mine-to-do", false, [0, 0, 2, 2, 0]);
        let heading = result_of(
            &content,
            "knew-where-we-are-heading",
            false,
            [0, 0, 1, 2, 1],
        );
        let reply = digest(
            &content,
            &DigestInput {
                date: date(2026, 11, 30),
                pulse: Some(PulseWeek {
                    responses: 5,
                    results: vec![heading, waiting, mine],
                }),
                trend: &[],
                min_responses: 3,
                polls: &[],
            },
        );
        let words = text(&reply);
        // Managing pools 1 1 1 1 2 (the reversed answers) with 3 3 4 4: 20 / 9.
        assert!(
            words.contains("Leading score 4.0 of 5, managing score 2.2 of 5"),
            "{words}"
        );
        assert!(
            words.contains(
                "Weakest this week: \"My work sat waiting this week for a decision someone else had to make.\" (4.8 of 5, lower is better)"
            ),
            "the highest average as answered is the weakest statement: {words}"
        );
    }

    #[test]
    fn a_pulse_that_asked_retired_statements_is_read_with_them() {
        // A pulse opened before its statements were retired, and closed after.
        let content = content();
        let stuck = content
            .statement("unblocked-quickly")
            .expect("kept in the content");
        assert!(stuck.retired);
        let unblocked = result_of(&content, "unblocked-quickly", false, [2, 2, 0, 0, 0]);
        let mattered = result_of(&content, "felt-the-work-mattered", false, [0, 0, 0, 2, 2]);
        assert_eq!(
            (unblocked.side, mattered.side),
            (PulseSide::Managing, PulseSide::Leading)
        );
        let reply = digest(
            &content,
            &DigestInput {
                date: date(2026, 11, 30),
                pulse: Some(PulseWeek {
                    responses: 4,
                    results: vec![mattered, unblocked],
                }),
                trend: &[],
                min_responses: 3,
                polls: &[],
            },
        );
        let words = text(&reply);
        assert!(
            words.contains("Leading score 4.5 of 5, managing score 1.5 of 5"),
            "{words}"
        );
        let about = content
            .anchor(&stuck.about)
            .expect("its similarity")
            .title()
            .to_string();
        assert!(
            words.contains(&format!(
                "Weakest this week: \"{}\" (1.5 of 5). It comes back to {about}.",
                stuck.text
            )),
            "{words}"
        );
    }

    #[test]
    fn a_pulse_whose_statements_left_the_content_is_not_called_withheld() {
        let content = content();
        let reply = digest(
            &content,
            &DigestInput {
                date: date(2026, 11, 30),
                pulse: Some(PulseWeek {
                    responses: 4,
                    results: Vec::new(),
                }),
                trend: &[],
                min_responses: 3,
                polls: &[],
            },
        );
        let words = text(&reply);
        assert!(words.contains("4 people answered, but"), "{words}");
        assert!(words.contains("removed from the bot's texts"), "{words}");
        assert!(!words.contains("withheld"), "{words}");
    }
}
