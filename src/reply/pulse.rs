//! What the team pulse says: the pulse post, its private answer form, the thanks, and the
//! result. Pure: numbers come in as counts, nothing here ever sees a member.

use jiff::civil::Date;
use jiff::Timestamp;

use super::{Accent, Button, Embed, Field, Reply};
use crate::chart::{self, ChartError, Png, StatementBar, CHART_FILE};
use crate::content::{Content, PulseSide};
use crate::pulse::stats::{side_score, Counts, StatementResult, WeekPoint};
use crate::pulse::SCORE_COUNTS_FROM;
use crate::reply::Action;

/// Weeks `/pulse trend` shows when not asked for a number.
pub const TREND_WEEKS: u32 = 12;

/// What each score means, as the answer form labels it.
pub const SCORE_LABELS: [&str; 5] = [
    "1 - Not at all",
    "2 - Rarely",
    "3 - Sometimes",
    "4 - Mostly",
    "5 - Fully",
];

/// A number as the result shows it: one decimal.
pub fn one_decimal(value: f64) -> String {
    format!("{value:.1}")
}

/// A change as the result shows it: "+0.4", "-1.0", "no change".
pub fn change(now: f64, before: f64) -> String {
    let delta = now - before;
    if delta.abs() < 0.05 {
        "no change".to_string()
    } else {
        format!("{delta:+.1}")
    }
}

/// The title of a week's pulse post; also how the post is found again after a crash.
pub fn pulse_title(week: Date) -> String {
    format!("Team pulse: week of {week}")
}

/// The title of a week's result post; also how it is found again after a crash.
pub fn result_title(week: Date) -> String {
    format!("Team pulse result: week of {week}")
}

/// The statement's text (a retired one's, a server's own and a follow-up too), or its id when
/// the content no longer has it.
pub(crate) fn statement_text(content: &Content, id: &str) -> String {
    if let Some(follow_up) = super::pulse_focus::follow_up_text(id) {
        return follow_up.to_string();
    }
    crate::pulse::asked(content, id).map_or_else(|| id.to_string(), |s| s.text.into_owned())
}

/// Who could see what of a pulse, and when: the pulse post says it, and README's team pulse
/// section says the same (a test holds them together).
pub const WHO_SEES_WHAT: &str = "Who can see what: members and admins see how many have \
     answered and, once the pulse closes, the team's result; nobody is shown who answered what. \
     You can see your own answers again in your form until it closes. While it is open, the \
     database keeps each answer under a code made from the member's account, so the person \
     running the bot could look up one member's answers; when it closes, every answer and code \
     is deleted and only the totals are kept.";

/// The pulse as posted in the channel: the statements, how many answered, when it closes,
/// what its result needs and where it goes, who can see what, and the one button that opens
/// the private form.
pub fn pulse_post(
    content: &Content,
    pulse_id: i64,
    week: Date,
    statements: &[String],
    answered: u32,
    closes_at: Timestamp,
    min_responses: u32,
) -> Reply {
    let list = statements
        .iter()
        .enumerate()
        .map(|(i, id)| format!("{}. {}", i + 1, statement_text(content, id)))
        .collect::<Vec<_>>()
        .join("\n");
    let answered = match answered {
        0 => "Nobody has answered yet.".to_string(),
        1 => "1 person has answered so far.".to_string(),
        n => format!("{n} people have answered so far."),
    };
    let closes = closes_at.as_second();
    Reply {
        embeds: vec![Embed {
            title: Some(pulse_title(week)),
            description: Some(format!(
                "How was the past week? Rate each statement from 1 (not at all) to 5 (fully).\n\n{list}\n\n{WHO_SEES_WHAT}"
            )),
            fields: vec![
                Field::new("Answered", answered),
                Field::new("Closes", format!("<t:{closes}:F> (<t:{closes}:R>)")),
                Field::new("Result", result_promise(min_responses)),
            ],
            footer: None,
            accent: Accent::Both,
        }],
        buttons: vec![Button {
            action: Action::PulseAnswer { pulse: pulse_id },
            label: "Answer anonymously".into(),
        }],
        ..Reply::default()
    }
}

/// Where the result goes and what it needs, as the pulse post says it.
fn result_promise(min_responses: u32) -> String {
    format!(
        "Posted in this channel, as a reply to this post, when the pulse closes. It needs at \
         least {min_responses} answers; with fewer it is withheld."
    )
}

/// One statement's select in the private answer form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormQuestion {
    /// The statement, numbered, as the select's placeholder.
    pub placeholder: String,
    /// The five options: label and score. Each label names its statement's number, because
    /// once a score is picked Discord shows that option's label in place of the placeholder.
    pub options: Vec<(String, u8)>,
}

/// The private answer form: the statements numbered in its text, one select per statement,
/// and a Submit button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerForm {
    pub text: String,
    pub questions: Vec<FormQuestion>,
    pub submit_label: String,
}

/// What the form says to a member who has already answered this pulse: their answers are
/// picked in it (only they see the form), and Submit replaces them.
pub const ANSWERED_ALREADY: &str =
    "You have answered this pulse already: your answers are picked below, \
     shown only to you. Submitting again replaces them.";

/// The form for `statements`; `answered_before` when this member's answers are already in.
pub fn answer_form(content: &Content, statements: &[String], answered_before: bool) -> AnswerForm {
    let numbered: Vec<String> = statements
        .iter()
        .enumerate()
        .map(|(i, id)| format!("{}. {}", i + 1, statement_text(content, id)))
        .collect();
    let mut text = format!(
        "Rate each statement for the past week, from 1 (not at all) to 5 (fully), then press \
         Submit.\n\n{}\n\n",
        numbered.join("\n")
    );
    if answered_before {
        text.push_str(ANSWERED_ALREADY);
        text.push_str("\n\n");
    }
    text.push_str("Only you see this form; the pulse post says who can see what.");
    AnswerForm {
        text: crate::text::clip(&text, crate::limits::MESSAGE_CONTENT),
        questions: numbered
            .iter()
            .enumerate()
            .map(|(i, statement)| FormQuestion {
                placeholder: crate::text::clip(statement, crate::limits::SELECT_PLACEHOLDER),
                options: SCORE_LABELS
                    .iter()
                    .zip(1u8..)
                    .map(|(label, score)| (option_label(i + 1, label), score))
                    .collect(),
            })
            .collect(),
        submit_label: "Submit".into(),
    }
}

/// An option of statement `number`'s select: "Statement 2: 4 - Mostly".
fn option_label(number: usize, score: &str) -> String {
    crate::text::clip(
        &format!("Statement {number}: {score}"),
        crate::limits::SELECT_OPTION_LABEL,
    )
}

/// A member's stored answers as the form's picks, in the order the pulse asks its
/// statements; `None` unless every statement has one.
pub fn chosen_from(statements: &[String], answers: &[(String, u8)]) -> Option<String> {
    statements
        .iter()
        .map(|id| {
            answers
                .iter()
                .find(|(statement, _)| statement == id)
                .filter(|(_, score)| (1..=5).contains(score))
                .map(|(_, score)| char::from(b'0' + score))
        })
        .collect()
}

/// Nothing picked yet, for `count` statements.
pub fn nothing_chosen(count: usize) -> String {
    "_".repeat(count)
}

/// `chosen` with statement `index` set to `score`.
pub fn choose(chosen: &str, index: usize, score: u8) -> String {
    chosen
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i == index {
                char::from(b'0' + score.min(5))
            } else {
                c
            }
        })
        .collect()
}

/// The scores, once every statement has one.
pub fn scores(chosen: &str) -> Option<Vec<u8>> {
    chosen
        .chars()
        .map(|c| {
            c.to_digit(10)
                .and_then(|d| u8::try_from(d).ok())
                .filter(|d| (1..=5).contains(d))
        })
        .collect()
}

/// After Submit.
pub fn thanks() -> Reply {
    Reply::private_note("Thanks, your answers are in; you can change them until the pulse closes.")
}

/// Submit pressed before every statement was rated.
pub fn rate_every_statement() -> Reply {
    Reply::private_note("Rate every statement (pick 1 to 5 in each menu), then press Submit again.")
}

/// A pulse that has closed cannot be answered.
pub fn closed_already() -> Reply {
    Reply::private_note("This pulse has closed; the next one opens next week.")
}

/// The result posted when a pulse closes. `previous` is last week's result, if it showed one.
pub fn result(
    content: &Content,
    week: Date,
    responses: u32,
    min_responses: u32,
    results: &[StatementResult],
    previous: Option<&[StatementResult]>,
) -> Reply {
    let title = result_title(week);
    if responses < min_responses {
        let who = match responses {
            0 => "Nobody answered".to_string(),
            1 => "1 person answered".to_string(),
            n => format!("{n} people answered"),
        };
        return Reply::embed(Embed {
            title: Some(title),
            description: Some(format!(
                "{who}. Results are shown only with at least {min_responses} answers, to protect \
                 everyone's anonymity, so this week's are withheld."
            )),
            accent: Accent::Neutral,
            ..Embed::default()
        });
    }
    if results.is_empty() {
        // The content no longer has any statement it asked (see `results_of`).
        return Reply::embed(Embed {
            title: Some(title),
            description: Some(format!(
                "{responses} people answered, but the bot no longer has the statements this \
                 pulse asked (they were taken out of its texts), so there are no scores to show."
            )),
            accent: Accent::Neutral,
            ..Embed::default()
        });
    }
    let spread_shown = responses >= SCORE_COUNTS_FROM;
    let mut fields = Vec::new();
    for result in results {
        let Some(value) = statement_line(&result.counts, result.reversed, spread_shown) else {
            continue;
        };
        fields.push(Field::new(
            crate::text::clip(
                &statement_text(content, &result.statement_id),
                crate::limits::EMBED_FIELD_NAME,
            ),
            value,
        ));
    }
    for side in PulseSide::BOTH {
        let Some(score) = side_score(results, side) else {
            continue;
        };
        let since = previous
            .and_then(|before| side_score(before, side))
            .map_or_else(
                || "no result last week".to_string(),
                |before| format!("{} since last week", change(score, before)),
            );
        fields.push(Field::new(
            format!("{} score", side.label()),
            format!("{} of 5 ({since})", one_decimal(score)),
        ));
    }
    let worded_negatively = if results.iter().any(|r| r.reversed) {
        " A statement marked \"lower is better\" is worded negatively: its average is shown as answered, and the side scores count its answers the other way round (1 as 5)."
    } else {
        ""
    };
    let how_read = if spread_shown {
        "Averages are out of 5; the spread is how far apart the answers were (0 means everyone agreed). The chart shows the same numbers.".to_string()
    } else {
        format!(
            "Averages are out of 5. With fewer than {SCORE_COUNTS_FROM} answers the result shows averages only, not how many gave each score, so that nobody's answers can be told apart."
        )
    };
    let reply = Reply::embed(Embed {
        title: Some(title),
        description: Some(format!(
            "{responses} people answered. {how_read}{worded_negatively} {NOT_A_GRADE}"
        )),
        fields,
        footer: None,
        accent: Accent::Both,
    });
    if !spread_shown {
        return reply;
    }
    let bars: Vec<StatementBar> = results
        .iter()
        .map(|result| StatementBar {
            label: statement_text(content, &result.statement_id),
            average: result.counts.average().unwrap_or(0.0),
            counts: result.counts.0,
            reversed: result.reversed,
        })
        .collect();
    with_chart(reply, chart::result(&bars))
}

/// What the leading and managing scores are, said once in the result (and in README).
pub const NOT_A_GRADE: &str = "The leading and managing scores describe how the team \
     experienced the week, not a grade for its lead.";

/// One statement's line in a result: its average (with the good direction when it is worded
/// negatively), and, when `spread_shown`, the spread and how many gave each score. `None` when
/// nobody answered it.
fn statement_line(counts: &Counts, reversed: bool, spread_shown: bool) -> Option<String> {
    let average = counts.average()?;
    let better = if reversed { ", lower is better" } else { "" };
    let average = format!("Average {} of 5{better}", one_decimal(average));
    if !spread_shown {
        return Some(format!("{average} ({} answers)", counts.total()));
    }
    let spread = counts.spread()?;
    let per_score = counts
        .0
        .iter()
        .zip(1..)
        .map(|(n, score)| format!("{score}: {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    Some(format!(
        "{average}, spread {} ({} answers; {per_score})",
        one_decimal(spread),
        counts.total()
    ))
}

/// Attaches a chart drawn for a reply. The reply's text carries every number the chart shows,
/// so a chart that cannot be drawn leaves a complete answer without its picture.
pub(crate) fn with_chart(reply: Reply, drawn: Result<Png, ChartError>) -> Reply {
    match drawn {
        Ok(png) => reply.with_attachment(CHART_FILE, png.bytes),
        Err(_) => reply,
    }
}

/// A week's results from a closed pulse's counts, in the order it asked. A retired statement
/// counts like any other: it is still in the content. An id the content does not have (a
/// content folder dropped it) is left out: neither its side nor which way it is worded is
/// known, so its answers cannot be scored.
pub fn results_of(
    content: &Content,
    statements: &[String],
    counts: &[(String, [u32; 5])],
) -> Vec<StatementResult> {
    statements
        .iter()
        .filter_map(|id| {
            let statement = crate::pulse::asked(content, id)?;
            let counts = counts
                .iter()
                .find(|(c, _)| c == id)
                .map(|(_, n)| Counts(*n))
                .unwrap_or_default();
            Some(StatementResult {
                statement_id: id.clone(),
                side: statement.side,
                reversed: statement.reversed,
                counts,
            })
        })
        .collect()
}

/// The title of the trend answer.
pub fn trend_title(weeks: usize) -> String {
    format!(
        "Team pulse: the last {}",
        if weeks == 1 {
            "week".to_string()
        } else {
            format!("{weeks} weeks")
        }
    )
}

/// How a week whose results were withheld reads, in the text and in the chart's legend.
pub fn withheld_words(min_responses: u32) -> String {
    format!("withheld (fewer than {min_responses} answers)")
}

/// The trend week by week in words, one line a week, oldest first: what the chart shows. Weeks
/// without a pulse between two that had one (paused, say) are one line, as the chart leaves
/// their place empty.
pub(crate) fn trend_lines(points: &[WeekPoint], min_responses: u32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut previous: Option<Date> = None;
    for p in points {
        if let Some(gap) = previous.and_then(|before| weeks_without_a_pulse(before, p.week)) {
            lines.push(gap);
        }
        previous = Some(p.week);
        let line = match (p.leading, p.managing) {
            (None, None) => format!("{}: {}", p.week, withheld_words(min_responses)),
            (leading, managing) => format!(
                "{}: leading {}, managing {}",
                p.week,
                leading.map_or_else(|| "-".into(), one_decimal),
                managing.map_or_else(|| "-".into(), one_decimal)
            ),
        };
        lines.push(if p.focus {
            format!("{line} (focus chosen)")
        } else {
            line
        });
    }
    lines
}

/// "2026-12-21: no pulse", or "2026-12-21 to 2027-01-04: no pulse", for the weeks strictly
/// between `before` and `after`; `None` when they follow each other.
fn weeks_without_a_pulse(before: Date, after: Date) -> Option<String> {
    let week = jiff::Span::new().weeks(1);
    let first = before.checked_add(week).ok()?;
    let last = after.checked_sub(week).ok()?;
    match first.cmp(&last) {
        std::cmp::Ordering::Greater => None,
        std::cmp::Ordering::Equal => Some(format!("{first}: no pulse")),
        std::cmp::Ordering::Less => Some(format!("{first} to {last}: no pulse")),
    }
}

/// `/pulse trend`: the leading and managing scores week by week, as text. A week below the
/// minimum of answers shows as withheld, never as zero.
pub fn trend(points: &[WeekPoint], min_responses: u32) -> Reply {
    let lines = trend_lines(points, min_responses);
    let description = if lines.is_empty() {
        "No pulse has closed yet.".to_string()
    } else {
        format!(
            "Scores are averages out of 5, oldest week first.\n\n{}",
            lines.join("\n")
        )
    };
    let reply = Reply {
        embeds: vec![Embed {
            title: Some(trend_title(points.len())),
            description: Some(crate::text::clip(
                &description,
                crate::limits::EMBED_DESCRIPTION,
            )),
            accent: Accent::Both,
            ..Embed::default()
        }],
        ephemeral: true,
        ..Reply::default()
    };
    if points.is_empty() {
        return reply;
    }
    with_chart(reply, chart::trend(points, &withheld_words(min_responses)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scored(side: PulseSide, reversed: bool, counts: [u32; 5]) -> StatementResult {
        StatementResult {
            statement_id: format!("{side:?}-{reversed}"),
            side,
            reversed,
            counts: Counts(counts),
        }
    }

    #[test]
    fn a_change_reads_with_its_sign_or_as_no_change() {
        assert_eq!(change(4.0, 3.6), "+0.4");
        assert_eq!(change(3.0, 3.0), "no change");
    }

    #[test]
    fn the_change_since_last_week_follows_the_scored_answers() {
        // Last week most agreed they waited on a decision (bad); this week most disagreed.
        let before = [scored(PulseSide::Managing, true, [0, 0, 0, 1, 4])];
        let now = [scored(PulseSide::Managing, true, [4, 1, 0, 0, 0])];
        let (now, before) = (
            side_score(&now, PulseSide::Managing).expect("a score"),
            side_score(&before, PulseSide::Managing).expect("a score"),
        );
        assert_eq!(change(now, before), "+3.6", "fewer waiting is better");
    }

    /// The ids of the content's first three statements, as a pulse of three asks them.
    fn first_statement_ids(content: &Content) -> Vec<String> {
        content
            .statements
            .iter()
            .take(3)
            .map(|s| s.id.to_string())
            .collect()
    }

    #[test]
    fn a_post_and_a_result_fit_discord() {
        let content = Content::bundled().expect("content");
        let ids = first_statement_ids(&content);
        let week = jiff::civil::date(2026, 11, 30);
        let post = pulse_post(
            &content,
            1,
            week,
            &ids,
            12,
            Timestamp::from_second(1_800_000_000).expect("ts"),
            3,
        );
        assert!(
            post.limit_problems().is_empty(),
            "{:?}",
            post.limit_problems()
        );
        let counts: Vec<(String, [u32; 5])> =
            ids.iter().map(|id| (id.clone(), [1, 0, 2, 1, 1])).collect();
        let results = results_of(&content, &ids, &counts);
        let reply = result(&content, week, 5, 3, &results, Some(&results));
        assert!(reply.limit_problems().is_empty());
        let text = format!("{reply:?}");
        assert!(text.contains("Average 3.2 of 5"), "{text}");
        assert!(text.contains("Leading score"), "{text}");
        let withheld = result(&content, week, 2, 3, &results, None);
        let text = format!("{withheld:?}");
        assert!(
            text.contains("2 people answered") && text.contains("withheld"),
            "{text}"
        );
        assert!(!text.contains("Average"));
        use crate::reply::FormId;
        let pick = FormId::Pick {
            pulse: 9_007_199_254_740_993,
            index: 2,
            chosen: "5_3".into(),
        };
        assert_eq!(FormId::parse(&pick.custom_id()), Some(pick.clone()));
        assert!(pick.custom_id().len() <= crate::limits::CUSTOM_ID);
        let submit = FormId::Submit {
            pulse: 3,
            chosen: "51".into(),
        };
        assert_eq!(FormId::parse(&submit.custom_id()), Some(submit));
        assert_eq!(FormId::parse("bb:ps:3:9"), None);
        assert_eq!(choose("___", 1, 4), "_4_");
        assert_eq!(scores("_4_"), None);
        assert_eq!(scores("143"), Some(vec![1, 4, 3]));
        let points = [
            WeekPoint {
                week: jiff::civil::date(2026, 11, 23),
                leading: None,
                managing: None,
                focus: false,
            },
            WeekPoint {
                week,
                leading: Some(3.75),
                managing: Some(2.0),
                focus: false,
            },
        ];
        let text = format!("{:?}", trend(&points, 3));
        assert!(text.contains("2026-11-23: withheld"), "{text}");
        assert!(
            text.contains("2026-11-30: leading 3.8, managing 2.0"),
            "{text}"
        );
        let form = answer_form(&content, &ids, false);
        assert!(form.questions.len() < crate::limits::ACTION_ROWS);
        assert!(form
            .questions
            .iter()
            .all(|q| q.options.len() <= crate::limits::SELECT_OPTIONS));
    }

    #[test]
    fn the_form_numbers_its_statements_and_every_option_names_the_statement_it_rates() {
        let content = Content::bundled().expect("content");
        let ids = first_statement_ids(&content);
        let form = answer_form(&content, &ids, false);
        for (i, id) in ids.iter().enumerate() {
            let numbered = format!("{}. {}", i + 1, statement_text(&content, id));
            assert!(form.text.contains(&numbered), "{}", form.text);
            let question = &form.questions[i];
            assert!(question.placeholder.starts_with(&format!("{}. ", i + 1)));
            // After a pick Discord shows the picked option's label, not the placeholder.
            for (label, score) in &question.options {
                assert!(
                    label.starts_with(&format!("Statement {}: {score} - ", i + 1)),
                    "{label}"
                );
                assert!(label.chars().count() <= crate::limits::SELECT_OPTION_LABEL);
            }
        }
        assert!(!form.text.contains(ANSWERED_ALREADY));
        assert!(form.text.chars().count() <= crate::limits::MESSAGE_CONTENT);
        let again = answer_form(&content, &ids, true);
        assert!(again.text.contains(ANSWERED_ALREADY), "{}", again.text);
        assert!(ANSWERED_ALREADY.contains("Submitting again replaces them"));
    }

    #[test]
    fn stored_answers_become_the_forms_picks_only_when_every_statement_has_one() {
        let asked = vec!["a".to_string(), "b".to_string()];
        let stored = vec![("b".to_string(), 2), ("a".to_string(), 5)];
        assert_eq!(chosen_from(&asked, &stored), Some("52".to_string()));
        assert_eq!(chosen_from(&asked, &stored[..1]), None);
        assert_eq!(chosen_from(&asked, &[]), None);
    }

    fn three_statements(content: &Content) -> Vec<String> {
        content
            .statements
            .iter()
            .filter(|s| !s.retired)
            .take(3)
            .map(|s| s.id.to_string())
            .collect()
    }

    #[test]
    fn below_the_named_number_a_result_shows_averages_only_and_no_chart() {
        let content = Content::bundled().expect("content");
        let ids = three_statements(&content);
        let week = jiff::civil::date(2026, 11, 30);
        let small = SCORE_COUNTS_FROM - 1;
        // Four people: 1, 2, 4, 5 on each statement.
        let counts: Vec<(String, [u32; 5])> =
            ids.iter().map(|id| (id.clone(), [1, 1, 0, 1, 1])).collect();
        let results = results_of(&content, &ids, &counts);
        let averages_only = result(&content, week, small, 3, &results, None);
        let text = words(&averages_only);
        assert!(text.contains("Average 3.0 of 5 (4 answers)"), "{text}");
        assert!(!text.contains("spread") && !text.contains("1: 1"), "{text}");
        assert!(
            text.contains(&format!("fewer than {SCORE_COUNTS_FROM} answers")),
            "{text}"
        );
        assert!(text.contains("Leading score"), "{text}");
        assert!(
            averages_only.attachments.is_empty(),
            "the chart draws how many gave each score"
        );
        // From the named number on: the counts of each score, the spread and the chart.
        let counts: Vec<(String, [u32; 5])> =
            ids.iter().map(|id| (id.clone(), [1, 1, 1, 1, 1])).collect();
        let results = results_of(&content, &ids, &counts);
        let full = result(&content, week, SCORE_COUNTS_FROM, 3, &results, None);
        let text = words(&full);
        assert!(
            text.contains("Average 3.0 of 5, spread 1.4 (5 answers; 1: 1, 2: 1, 3: 1, 4: 1, 5: 1)"),
            "{text}"
        );
        assert_eq!(full.attachments.len(), 1);
        // A higher minimum of answers withholds first.
        let withheld = result(&content, week, small, small + 1, &results, None);
        assert!(words(&withheld).contains("withheld"));
    }

    #[test]
    fn a_shown_result_says_once_that_the_scores_are_no_grade_for_the_lead() {
        let content = Content::bundled().expect("content");
        let ids = three_statements(&content);
        let counts: Vec<(String, [u32; 5])> =
            ids.iter().map(|id| (id.clone(), [0, 1, 2, 1, 1])).collect();
        let results = results_of(&content, &ids, &counts);
        for answered in [3, 5, 12] {
            let shown = result(
                &content,
                jiff::civil::date(2026, 11, 30),
                answered,
                3,
                &results,
                None,
            );
            assert_eq!(words(&shown).matches(NOT_A_GRADE).count(), 1);
        }
        assert!(NOT_A_GRADE.contains("not a grade for its lead"));
    }

    /// Text with its line breaks and runs of spaces made single spaces, as Markdown reads it.
    fn flowing(text: &str) -> String {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn the_post_says_when_it_closes_what_the_result_needs_where_it_goes_and_who_sees_what() {
        let content = Content::bundled().expect("content");
        let ids = three_statements(&content);
        let closes = Timestamp::from_second(1_800_000_000).expect("ts");
        let post = pulse_post(
            &content,
            1,
            jiff::civil::date(2026, 11, 30),
            &ids,
            0,
            closes,
            4,
        );
        let embed = &post.embeds[0];
        let field = |name: &str| {
            embed
                .fields
                .iter()
                .find(|f| f.name == name)
                .map(|f| f.value.clone())
                .unwrap_or_else(|| panic!("a {name} field: {embed:?}"))
        };
        assert_eq!(field("Closes"), "<t:1800000000:F> (<t:1800000000:R>)");
        let promise = field("Result");
        assert!(
            promise.contains("at least 4 answers") && promise.contains("reply to this post"),
            "{promise}"
        );
        let description = embed.description.clone().unwrap_or_default();
        assert!(description.contains(WHO_SEES_WHAT), "{description}");
        for who in [
            "members",
            "admins",
            "the person running the bot",
            "when it closes",
        ] {
            assert!(WHO_SEES_WHAT.contains(who), "{who}");
        }
        assert!(
            post.limit_problems().is_empty(),
            "{:?}",
            post.limit_problems()
        );
        let mentioning = post.mentioning(Some(77));
        assert_eq!(mentioning.text.as_deref(), Some("<@&77>"));
    }

    #[test]
    fn readme_says_what_the_post_and_the_result_say() {
        let readme = flowing(include_str!("../../README.md"));
        assert!(
            readme.contains(&flowing(WHO_SEES_WHAT)),
            "README's team pulse section quotes the post's words on who sees what"
        );
        assert!(readme.contains(&flowing(NOT_A_GRADE)));
        assert!(readme.contains(&format!("From {SCORE_COUNTS_FROM} answers")));
    }

    /// The PNG signature and the IHDR width and height of an attached chart.
    fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
        let signature = b"\x89PNG\r\n\x1a\n";
        if bytes.len() < 24 || &bytes[..8] != signature || &bytes[12..16] != b"IHDR" {
            return None;
        }
        let word = |at: usize| {
            u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
        };
        Some((word(16), word(20)))
    }

    #[test]
    fn a_shown_result_and_a_trend_attach_their_chart_and_a_withheld_result_none() {
        let content = Content::bundled().expect("content");
        let ids = first_statement_ids(&content);
        let week = jiff::civil::date(2026, 11, 30);
        let counts: Vec<(String, [u32; 5])> =
            ids.iter().map(|id| (id.clone(), [0, 1, 2, 1, 1])).collect();
        let results = results_of(&content, &ids, &counts);
        let shown = result(&content, week, 5, 3, &results, None);
        let [chart] = shown.attachments.as_slice() else {
            panic!("one chart attached: {shown:?}");
        };
        assert_eq!(chart.name, CHART_FILE);
        assert!(png_size(&chart.bytes).is_some(), "a PNG");
        assert!(
            shown.limit_problems().is_empty(),
            "{:?}",
            shown.limit_problems()
        );
        let withheld = result(&content, week, 2, 3, &results, None);
        assert!(
            withheld.attachments.is_empty(),
            "no chart of withheld results"
        );
        let points: Vec<WeekPoint> = (0..12)
            .map(|n| WeekPoint {
                week: week - jiff::ToSpan::weeks(11 - n),
                leading: (n % 4 != 0).then_some(3.0 + f64::from(n as u8) / 10.0),
                managing: Some(2.5),
                focus: false,
            })
            .collect();
        let trend = trend(&points, 3);
        let [chart] = trend.attachments.as_slice() else {
            panic!("one chart attached: {trend:?}");
        };
        assert_eq!(png_size(&chart.bytes), Some(chart::TREND_SIZE));
        let paused = [
            WeekPoint {
                week: jiff::civil::date(2026, 12, 14),
                leading: Some(3.0),
                managing: Some(3.0),
                focus: false,
            },
            WeekPoint {
                week: jiff::civil::date(2027, 1, 11),
                leading: Some(3.5),
                managing: None,
                focus: true,
            },
            WeekPoint {
                week: jiff::civil::date(2027, 1, 25),
                leading: None,
                managing: None,
                focus: false,
            },
        ];
        assert_eq!(
            trend_lines(&paused, 3),
            [
                "2026-12-14: leading 3.0, managing 3.0",
                "2026-12-21 to 2027-01-04: no pulse",
                "2027-01-11: leading 3.5, managing - (focus chosen)",
                "2027-01-18: no pulse",
                "2027-01-25: withheld (fewer than 3 answers)",
            ]
        );
        assert!(
            chart.bytes.len() < 100 * 1024,
            "{} bytes",
            chart.bytes.len()
        );
    }

    /// A result's words: description and fields.
    fn words(reply: &Reply) -> String {
        let embed = &reply.embeds[0];
        let mut words = embed.description.clone().unwrap_or_default();
        for field in &embed.fields {
            words.push_str(&format!("\n{}\n{}", field.name, field.value));
        }
        words
    }

    #[test]
    fn a_negatively_worded_statement_is_shown_as_answered_and_scored_the_other_way_round() {
        let content = Content::bundled().expect("content");
        let ids = vec![
            "knew-where-we-are-heading".to_string(),
            "going-through-the-motions".to_string(),
        ];
        let motions = content
            .statements
            .iter()
            .find(|s| &*s.id == "going-through-the-motions")
            .expect("in the deck");
        assert!(motions.reversed && motions.side == PulseSide::Leading);
        // This week everyone fully agreed they were going through the motions; last week nobody.
        let now = results_of(
            &content,
            &ids,
            &[
                (ids[0].clone(), [0, 0, 0, 5, 0]),
                (ids[1].clone(), [0, 0, 0, 0, 5]),
            ],
        );
        let before = results_of(
            &content,
            &ids,
            &[
                (ids[0].clone(), [0, 0, 0, 5, 0]),
                (ids[1].clone(), [5, 0, 0, 0, 0]),
            ],
        );
        assert!(now[1].reversed && !now[0].reversed);
        let reply = result(
            &content,
            jiff::civil::date(2026, 11, 30),
            5,
            3,
            &now,
            Some(&before),
        );
        let text = words(&reply);
        assert!(
            text.contains("Average 5.0 of 5, lower is better, spread 0.0"),
            "as answered, with the good direction: {text}"
        );
        assert!(
            text.contains("Average 4.0 of 5, spread"),
            "a positive one says nothing more: {text}"
        );
        // Leading pools 4 4 4 4 4 with the reversed 1 1 1 1 1: 2.5; last week 4 and 5: 4.5.
        assert!(text.contains("2.5 of 5 (-2.0 since last week)"), "{text}");
        assert!(text.contains("worded negatively"), "{text}");
        assert!(
            reply.limit_problems().is_empty(),
            "{:?}",
            reply.limit_problems()
        );
        assert_eq!(reply.attachments.len(), 1, "the chart");
    }

    #[test]
    fn a_past_pulse_that_asked_a_retired_statement_reads_it_as_before() {
        let content = Content::bundled().expect("content");
        let retired = content
            .statement("tasks-had-owners-and-dates")
            .expect("kept in the content");
        assert!(retired.retired && retired.side == PulseSide::Managing && !retired.reversed);
        let asked = vec![
            retired.id.to_string(),
            "knew-where-we-are-heading".to_string(),
        ];
        let counts = vec![
            (asked[0].clone(), [0, 0, 0, 1, 2]),
            (asked[1].clone(), [0, 1, 2, 0, 0]),
        ];
        let results = results_of(&content, &asked, &counts);
        assert_eq!(results.len(), 2, "the retired statement is kept");
        assert_eq!(
            (results[0].side, results[0].reversed),
            (PulseSide::Managing, false)
        );
        let week = jiff::civil::date(2026, 11, 30);
        let reply = result(&content, week, 3, 3, &results, Some(&results));
        let text = words(&reply);
        assert!(text.contains(&*retired.text), "its text labels it: {text}");
        assert!(text.contains("Average 4.7 of 5"), "{text}");
        assert!(
            text.contains("Leading score\n2.7 of 5") && text.contains("Managing score\n4.7 of 5"),
            "{text}"
        );
        assert!(reply.attachments.is_empty(), "three answers: averages only");
        // Exactly what the same pulse showed while the statement was still asked.
        let mut before = content.clone();
        for statement in &mut before.statements {
            statement.retired = false;
        }
        let then = results_of(&before, &asked, &counts);
        assert_eq!(then, results);
        assert_eq!(
            result(&before, week, 3, 3, &then, Some(&then)),
            reply,
            "retiring changes nothing in a past result"
        );
    }

    #[test]
    fn a_past_pulse_naming_an_id_the_content_lacks_still_renders() {
        let content = Content::bundled().expect("content");
        // An operator's content folder can drop an id that a past pulse names.
        let gone = "dropped-by-an-operator".to_string();
        assert!(content.statement(&gone).is_none());
        let asked = vec![gone.clone(), "knew-where-we-are-heading".to_string()];
        let counts = vec![
            (gone.clone(), [0, 0, 0, 0, 3]),
            (asked[1].clone(), [0, 1, 2, 0, 0]),
        ];
        let results = results_of(&content, &asked, &counts);
        assert_eq!(results.len(), 1, "the unknown statement is left out");
        assert_eq!(results[0].statement_id, asked[1]);
        let week = jiff::civil::date(2026, 11, 30);
        let reply = result(&content, week, 3, 3, &results, Some(&results));
        let text = words(&reply);
        assert!(text.contains("Average 2.7 of 5"), "{text}");
        assert!(!text.contains(&gone), "{text}");
        assert!(
            text.contains("Leading score") && !text.contains("Managing score"),
            "{text}"
        );
        assert!(reply.limit_problems().is_empty());
        // Every statement gone: the answers are counted, and the result says why nothing shows.
        let none = results_of(&content, std::slice::from_ref(&gone), &counts);
        assert!(none.is_empty());
        let reply = result(&content, week, 3, 3, &none, None);
        let text = words(&reply);
        assert!(
            text.contains("3 people answered") && text.contains("no longer has the statements"),
            "{text}"
        );
        assert!(
            !text.contains("withheld") && !text.contains("Average"),
            "{text}"
        );
        assert!(reply.attachments.is_empty(), "no chart of nothing");
    }
}
