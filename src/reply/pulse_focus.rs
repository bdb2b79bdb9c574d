//! What choosing the team's focus says: the button on a result, the private steps of the lead
//! who presses it (the lowest statements, then a few actions for the one picked), and the
//! focus post. The actions come from the content tied to the statement: the tips that build on
//! its contrast for its side, and the contrast's "ask yourself".

use jiff::civil::Date;

use super::pulse::statement_text;
use super::{Accent, Action, Button, Embed, Field, Reply};
use crate::content::{Content, PulseSide, TipSide};
use crate::limits::BUTTON_LABEL;
use crate::pulse::stats::StatementResult;
use crate::text::clip;

/// How many of the lowest statements the lead chooses from.
pub const LOWEST: usize = 3;

/// How many tips are offered as actions, besides the contrast's question.
const TIPS_OFFERED: usize = 3;

/// How many of the server's own tips are offered besides ours (its newest).
pub const TEAM_TIPS_OFFERED: usize = 2;

/// The longest action the lead may write: what the bot shows back of anything typed, and
/// short enough that its follow-up statement a week later ("Last week we chose to try "…". It
/// made a difference.") still fits a menu's placeholder.
pub const OWN_ACTION_MAX: usize = crate::text::ECHO_MAX;

/// The label of the button that opens the form for the team's own action.
pub const OWN_ACTION_LABEL: &str = "Our own…";

/// The button a result carries when it shows scores.
pub fn focus_button(pulse: i64) -> Button {
    Button {
        action: Action::FocusOpen { pulse },
        label: "Choose our focus".into(),
    }
}

/// The title of a week's focus post.
pub fn focus_title(week: Date) -> String {
    format!("Our focus after the week of {week}")
}

/// The indices (into `results`) of the lowest-scoring statements, lowest first, at most
/// [`LOWEST`]; a statement without answers is left out.
pub fn lowest(results: &[StatementResult]) -> Vec<usize> {
    let mut scored: Vec<(usize, f64)> = results
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.score().map(|s| (i, s)))
        .collect();
    scored.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    scored.into_iter().take(LOWEST).map(|(i, _)| i).collect()
}

/// The actions offered for a statement, in the words the focus post uses: ours for it, then
/// the titles of the server's own tips (`team_tips`, newest first, at most
/// [`TEAM_TIPS_OFFERED`]).
pub fn focus_actions(content: &Content, team_tips: &[String], statement_id: &str) -> Vec<String> {
    let mut actions = bundled_actions(content, statement_id);
    if actions.is_empty() {
        return actions;
    }
    actions.extend(
        team_tips
            .iter()
            .filter(|title| !actions.contains(title))
            .take(TEAM_TIPS_OFFERED)
            .cloned()
            .collect::<Vec<_>>(),
    );
    actions
}

fn bundled_actions(content: &Content, statement_id: &str) -> Vec<String> {
    let Some(statement) = crate::pulse::asked(content, statement_id) else {
        return Vec::new();
    };
    let fits = |side: TipSide| {
        matches!(
            (statement.side, side),
            (_, TipSide::Both)
                | (PulseSide::Leading, TipSide::Leader)
                | (PulseSide::Managing, TipSide::Manager)
        )
    };
    // A server's own statement asks about no contrast: the tips of its side are offered.
    let Some(about) = statement.about else {
        return content
            .tips
            .iter()
            .filter(|tip| tip.side != TipSide::Both && fits(tip.side))
            .take(TIPS_OFFERED)
            .map(|tip| tip.title.to_string())
            .collect();
    };
    let anchor = content.anchor(about);
    let contrast_id = anchor
        .as_ref()
        .and_then(|a| a.contrast_id())
        .unwrap_or(about);
    let mut actions: Vec<String> = content
        .tips_building_on(contrast_id)
        .filter(|tip| fits(tip.side))
        .take(TIPS_OFFERED)
        .map(|tip| tip.title.to_string())
        .collect();
    if let Some(contrast) = content.contrast(contrast_id) {
        actions.push(format!("Talk it over: {}", contrast.ask_yourself));
    }
    actions
}

/// Only the lead chooses the focus.
pub const LEAD_ONLY: &str = "Only the team's lead chooses the focus: someone with the Manage \
     Server permission, or the lead role set with `/pulse setup`. Ask them to press the button.";

/// A result without scores, or a pulse gone from the database, has no focus to choose.
pub const NOTHING_TO_CHOOSE: &str =
    "This result shows no scores, so there is no focus to choose from it.";

/// A button of the steps that names content no longer there (the content was reloaded).
pub const CHOICE_GONE: &str = "That choice is no longer offered. Press \"Choose our focus\" again.";

/// Only the lead chooses the focus.
pub fn lead_only() -> Reply {
    Reply::private_note(LEAD_ONLY)
}

/// A result without scores, or a pulse gone from the database, has no focus to choose.
pub fn nothing_to_choose() -> Reply {
    Reply::private_note(NOTHING_TO_CHOOSE)
}

/// A button of the steps that names content no longer there (the content was reloaded).
pub fn choice_gone() -> Reply {
    Reply::private_note(CHOICE_GONE)
}

/// Step one, privately: the lowest statements, one button each. `picks` are (index into the
/// pulse's statements, statement id).
pub fn pick_statement(content: &Content, pulse: i64, picks: &[(usize, String)]) -> Reply {
    let list = picks
        .iter()
        .enumerate()
        .map(|(n, (_, id))| format!("{}. {}", n + 1, statement_text(content, id)))
        .collect::<Vec<_>>()
        .join("\n");
    Reply {
        text: Some(format!(
            "Pick one statement to work on this week. These scored lowest:\n{list}"
        )),
        buttons: picks
            .iter()
            .enumerate()
            .map(|(n, (index, id))| Button {
                action: Action::FocusStatement {
                    pulse,
                    statement: *index,
                },
                label: clip(
                    &format!("{}. {}", n + 1, statement_text(content, id)),
                    BUTTON_LABEL,
                ),
            })
            .collect(),
        ephemeral: true,
        ..Reply::default()
    }
}

/// Step two, privately: the actions for the statement picked, and a button to write the
/// team's own.
pub fn pick_action(
    content: &Content,
    team_tips: &[String],
    pulse: i64,
    statement: usize,
    statement_id: &str,
) -> Reply {
    let actions = focus_actions(content, team_tips, statement_id);
    let list = actions
        .iter()
        .enumerate()
        .map(|(n, action)| format!("{}. {action}", n + 1))
        .collect::<Vec<_>>()
        .join("\n");
    Reply {
        text: Some(format!(
            "\"{}\"\nPick one action for the team to try this week, or write your own:\n{list}",
            statement_text(content, statement_id)
        )),
        buttons: actions
            .iter()
            .enumerate()
            .map(|(n, action)| Button {
                action: Action::FocusAction {
                    pulse,
                    statement,
                    action: n,
                },
                label: clip(&format!("{}. {action}", n + 1), BUTTON_LABEL),
            })
            .chain(std::iter::once(Button {
                action: Action::FocusOwn { pulse, statement },
                label: OWN_ACTION_LABEL.into(),
            }))
            .collect(),
        ephemeral: true,
        ..Reply::default()
    }
}

/// The form for the team's own action: one line.
pub fn own_action_form(pulse: i64, statement: usize) -> super::team::Form {
    super::team::Form {
        custom_id: super::CustomId::FocusOwn { pulse, statement }.encode(),
        title: "Our own action".into(),
        boxes: vec![super::team::TextBox {
            field: "action",
            label: "What will the team try this week?",
            max: OWN_ACTION_MAX,
            paragraph: false,
            value: None,
        }],
    }
}

/// The lead's own action as the focus keeps it: trimmed, on one line, shown as text; an empty
/// one is a mistake said in words.
pub fn own_action(typed: &str) -> Result<String, String> {
    let line = typed.split_whitespace().collect::<Vec<_>>().join(" ");
    if crate::text::char_len(&line) > OWN_ACTION_MAX {
        return Err(format!(
            "Keep the action to {OWN_ACTION_MAX} characters, so next week's follow-up can ask about it."
        ));
    }
    let action = crate::text::echo(&line);
    if action.is_empty() {
        return Err(
            "Write the action in a few words, like \"ask one person a day what blocks them\"."
                .into(),
        );
    }
    Ok(action)
}

/// The focus as posted, a reply to the result.
pub fn focus_post(content: &Content, week: Date, statement_id: &str, action: &str) -> Reply {
    Reply::embed(Embed {
        title: Some(focus_title(week)),
        description: Some(format!(
            "From this result, the team works on one thing this week.\n\n**Statement:** {}\n**What we will try:** {action}",
            statement_text(content, statement_id)
        )),
        fields: vec![Field::new(
            "When we look again",
            "At next week's pulse: its result shows whether this statement moved.",
        )],
        footer: None,
        accent: Accent::Both,
    })
}

/// What marks the follow-up statement among a pulse's statement ids: the rest of the id is
/// the sentence itself, so the form, the post and the counts carry it like any statement while
/// the content, which does not know it, keeps it out of the leading and managing scores.
const FOLLOW_UP: &str = "followup:";

/// The follow-up statement a pulse asks about last week's focus, as a statement id.
pub fn follow_up_id(action: &str) -> String {
    format!("{FOLLOW_UP}Last week we chose to try \"{action}\". It made a difference.")
}

/// The sentence of a follow-up statement id; `None` for any other statement.
pub fn follow_up_text(id: &str) -> Option<&str> {
    id.strip_prefix(FOLLOW_UP)
}

/// The follow-up's line on the result: the statement and how the team rated it, or that it is
/// withheld like the rest below the minimum.
pub fn follow_up_field(id: &str, counts: &crate::pulse::stats::Counts, shown: bool) -> Field {
    let text = follow_up_text(id).unwrap_or(id);
    let value = match counts.average() {
        Some(average) if shown => format!(
            "{text}\nAverage {} of 5 from {} answers (not part of the leading and managing scores).",
            super::pulse::one_decimal(average),
            counts.total()
        ),
        _ => format!("{text}\nWithheld: too few answers."),
    };
    Field::new(
        "Last week's focus",
        clip(&value, crate::limits::EMBED_FIELD_VALUE),
    )
}

/// How the team rated a focus in the follow-up a week later.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FollowUp {
    /// The next pulse has not closed yet (or did not ask it).
    NotYet,
    /// Asked, but too few answered for it to be shown.
    Withheld,
    /// The average of the follow-up's answers, 1 to 5.
    Rated(f64),
}

/// One focus of `/pulse focus`.
#[derive(Debug, Clone, PartialEq)]
pub struct FocusLine {
    /// The week of the pulse it was chosen from.
    pub week: Date,
    pub statement_id: String,
    pub action: String,
    pub follow_up: FollowUp,
}

/// One focus in a line: the action, the statement, and how the follow-up went.
fn focus_line(content: &Content, focus: &FocusLine) -> String {
    let rated = match focus.follow_up {
        FollowUp::NotYet => "not rated yet".to_string(),
        FollowUp::Withheld => "rated by too few to show".to_string(),
        FollowUp::Rated(average) => {
            format!(
                "rated {} of 5 a week later",
                super::pulse::one_decimal(average)
            )
        }
    };
    clip(
        &format!(
            "\"{}\" on \"{}\" ({rated})",
            focus.action,
            statement_text(content, &focus.statement_id)
        ),
        crate::limits::EMBED_FIELD_VALUE,
    )
}

/// The digest's part about the focus: the latest and the one before with its follow-up; with
/// none chosen, where to choose one (the digest's suggestion names the lowest statement).
pub fn digest_focus_field(content: &Content, lines: &[FocusLine]) -> Field {
    let value = match lines {
        [] => {
            "No focus chosen yet. On a result with scores the lead presses \"Choose our focus\"; \
               \"Where to look next\" names a good place to start."
                .to_string()
        }
        [latest, rest @ ..] => {
            let mut text = format!("Latest: {}", focus_line(content, latest));
            if let Some(before) = rest.first() {
                text.push_str(&format!("\nBefore: {}", focus_line(content, before)));
            }
            text
        }
    };
    Field::new("Our focus", clip(&value, crate::limits::EMBED_FIELD_VALUE))
}

/// `/pulse focus`: the focus now and the ones before, latest first, with their follow-ups.
pub fn focus_history(content: &Content, lines: &[FocusLine]) -> Reply {
    let Some((current, past)) = lines.split_first() else {
        return Reply::private_note(
            "No focus has been chosen yet. When a pulse result shows scores, the lead presses \
             \"Choose our focus\" on it.",
        );
    };
    let line = |focus: &FocusLine| focus_line(content, focus);
    let mut fields = vec![Field::new(
        format!("Now: from the week of {}", current.week),
        line(current),
    )];
    fields.extend(
        past.iter()
            .take(crate::limits::EMBED_FIELDS - 1)
            .map(|focus| Field::new(format!("Week of {}", focus.week), line(focus))),
    );
    Reply {
        embeds: vec![Embed {
            title: Some("Our focus, week by week".into()),
            description: Some(
                "What the team chose to try after each result, and how it rated that a week later."
                    .into(),
            ),
            fields,
            footer: None,
            accent: Accent::Both,
        }],
        ephemeral: true,
        ..Reply::default()
    }
}

/// After the lead chose: posted, or the earlier post edited.
pub fn focus_posted(replaced: bool) -> Reply {
    Reply::private_note(if replaced {
        "Done: the focus post now shows your new choice."
    } else {
        "Done: the focus is posted as a reply to the result."
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pulse::stats::Counts;

    fn content() -> Content {
        Content::bundled().expect("bundled content")
    }

    fn result(id: &str, counts: [u32; 5], reversed: bool) -> StatementResult {
        StatementResult {
            statement_id: id.into(),
            side: PulseSide::Leading,
            reversed,
            counts: Counts(counts),
        }
    }

    #[test]
    fn the_lowest_statements_come_first_counting_a_reversed_one_the_other_way() {
        let results = [
            result("a", [0, 0, 0, 3, 0], false), // 4
            result("b", [0, 0, 0, 0, 3], true),  // 5 as answered: 1 scored
            result("c", [3, 0, 0, 0, 0], false), // 1... tied with b, after it
            result("d", [0, 0, 0, 0, 0], false), // no answers
            result("e", [0, 3, 0, 0, 0], false), // 2
        ];
        assert_eq!(lowest(&results), [1, 2, 4]);
    }

    #[test]
    fn every_statement_offers_actions_from_its_contrast_and_each_fits_a_button() {
        let content = content();
        let team = vec![
            "Name who can say stop".to_string(),
            "Demo on Fridays".into(),
            "A third".into(),
        ];
        for statement in content.deck() {
            let actions = focus_actions(&content, &[], &statement.id);
            assert!(!actions.is_empty(), "{}: no action", statement.id);
            let with_team = focus_actions(&content, &team, &statement.id);
            assert_eq!(
                with_team.len(),
                actions.len() + TEAM_TIPS_OFFERED,
                "the newest two of theirs"
            );
            assert_eq!(with_team[actions.len()], team[0]);
            let reply = pick_action(&content, &team, 1, 0, &statement.id);
            assert_eq!(reply.buttons.len(), with_team.len() + 1, "and our own");
            assert_eq!(
                reply.buttons.last().map(|b| b.label.as_str()),
                Some(OWN_ACTION_LABEL)
            );
            assert!(
                reply.limit_problems().is_empty(),
                "{:?}",
                reply.limit_problems()
            );
            for button in &reply.buttons {
                assert!(button.label.chars().count() <= BUTTON_LABEL);
                assert!(button.action.custom_id().len() <= crate::limits::CUSTOM_ID);
            }
        }
    }

    #[test]
    fn the_teams_own_action_is_one_trimmed_line_that_its_follow_up_can_ask_about() {
        assert_eq!(
            own_action("  ask one person \n a day  ").as_deref(),
            Ok("ask one person a day")
        );
        assert!(own_action("   ").is_err());
        assert!(own_action(&"x".repeat(OWN_ACTION_MAX + 1)).is_err());
        let longest = own_action(&"x".repeat(OWN_ACTION_MAX)).expect("fits");
        assert_eq!(longest, "x".repeat(OWN_ACTION_MAX), "kept whole");
        let follow_up = follow_up_id(&longest);
        let sentence = follow_up_text(&follow_up).expect("a follow-up");
        assert!(crate::text::char_len(sentence) <= crate::limits::SELECT_PLACEHOLDER);
        let form = own_action_form(4, 1);
        assert_eq!(form.boxes[0].max, OWN_ACTION_MAX);
        assert_eq!(
            crate::reply::CustomId::parse(&form.custom_id),
            Some(crate::reply::CustomId::FocusOwn {
                pulse: 4,
                statement: 1
            })
        );
    }

    #[test]
    fn a_follow_up_id_carries_its_sentence_and_no_content_statement_is_one() {
        let id = follow_up_id("Say the destination plainly");
        assert_eq!(
            follow_up_text(&id),
            Some(
                "Last week we chose to try \"Say the destination plainly\". It made a difference."
            )
        );
        let content = content();
        assert!(content.statement(&id).is_none(), "kept out of the scores");
        assert!(content
            .statements
            .iter()
            .all(|s| follow_up_text(&s.id).is_none()));
        let field = follow_up_field(&id, &Counts([0, 0, 1, 1, 1]), true);
        assert!(
            field.value.contains("Average 4.0 of 5 from 3 answers"),
            "{}",
            field.value
        );
        let withheld = follow_up_field(&id, &Counts([0, 0, 1, 1, 0]), false);
        assert!(withheld.value.contains("Withheld"), "{}", withheld.value);
    }

    #[test]
    fn the_history_shows_the_current_focus_first_and_each_follow_up() {
        let content = content();
        let statement = content.deck().next().expect("a statement").id.to_string();
        let line = |day: i8, follow_up| FocusLine {
            week: jiff::civil::date(2026, 11, day),
            statement_id: statement.clone(),
            action: "Say the destination plainly".into(),
            follow_up,
        };
        let reply = focus_history(
            &content,
            &[
                line(30, FollowUp::NotYet),
                line(23, FollowUp::Rated(4.0)),
                line(16, FollowUp::Withheld),
            ],
        );
        let fields = &reply.embeds[0].fields;
        assert_eq!(fields[0].name, "Now: from the week of 2026-11-30");
        assert!(fields[0].value.contains("not rated yet"));
        assert!(fields[1].value.contains("rated 4.0 of 5 a week later"));
        assert!(fields[2].value.contains("too few"));
        assert!(focus_history(&content, &[])
            .text
            .is_some_and(|t| t.contains("No focus")));
    }

    #[test]
    fn the_digest_part_names_the_latest_focus_and_the_rating_of_the_one_before() {
        let content = content();
        let statement = content.deck().next().expect("a statement").id.to_string();
        let line = |day: i8, action: &str, follow_up| FocusLine {
            week: jiff::civil::date(2026, 11, day),
            statement_id: statement.clone(),
            action: action.into(),
            follow_up,
        };
        let field = digest_focus_field(
            &content,
            &[
                line(30, "Agree three working rules", FollowUp::NotYet),
                line(23, "Say the destination plainly", FollowUp::Rated(3.5)),
            ],
        );
        assert!(
            field
                .value
                .starts_with("Latest: \"Agree three working rules\""),
            "{}",
            field.value
        );
        assert!(
            field
                .value
                .contains("Before: \"Say the destination plainly\""),
            "{}",
            field.value
        );
        assert!(
            field.value.contains("rated 3.5 of 5 a week later"),
            "{}",
            field.value
        );
        assert!(digest_focus_field(&content, &[])
            .value
            .contains("Choose our focus"));
    }

    #[test]
    fn the_focus_post_names_the_statement_and_the_action() {
        let content = content();
        let statement = content.deck().next().expect("a statement");
        let post = focus_post(
            &content,
            jiff::civil::date(2026, 11, 30),
            &statement.id,
            "Say the destination plainly",
        );
        let text = post.embeds[0].description.clone().unwrap_or_default();
        assert!(text.contains(&*statement.text) && text.contains("Say the destination plainly"));
        assert_eq!(
            post.embeds[0].title.as_deref(),
            Some("Our focus after the week of 2026-11-30")
        );
    }
}
