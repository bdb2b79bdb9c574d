//! The reminder posted before a pulse closes: how many have answered (a count, never who),
//! from how many answers results are shown, when it closes, and the answer button. Its own
//! file so that the pulse's words (`pulse.rs`) stay as they are.

use jiff::civil::Date;
use jiff::Timestamp;

use super::{Accent, Action, Button, Embed, Field, Reply};

/// The title of a week's reminder; also how it is found again after a crash.
pub fn reminder_title(week: Date) -> String {
    format!("Team pulse reminder: week of {week}")
}

/// The reminder as posted, a reply to the pulse (the role the server asked for is added with
/// [`Reply::mentioning`], as on the pulse post).
pub fn reminder(
    pulse_id: i64,
    week: Date,
    answered: u32,
    min_responses: u32,
    closes_at: Timestamp,
) -> Reply {
    let so_far = match answered {
        0 => "Nobody has answered yet.".to_string(),
        1 => "1 person has answered so far.".to_string(),
        n => format!("{n} people have answered so far."),
    };
    let needed = if answered >= min_responses {
        format!("Results are shown from {min_responses} answers: this week will have them.")
    } else {
        let more = min_responses - answered;
        let people = if more == 1 { "person" } else { "people" };
        format!(
            "Results are shown from {min_responses} answers: {more} more {people} and the team \
             sees where it stands."
        )
    };
    let closes = closes_at.as_second();
    Reply {
        embeds: vec![Embed {
            title: Some(reminder_title(week)),
            description: Some(format!(
                "This week's pulse closes <t:{closes}:R>. It takes a minute, and nobody sees \
                 who answered what.\n\n{needed}"
            )),
            fields: vec![
                Field::new("Answered", so_far),
                Field::new("Closes", format!("<t:{closes}:F> (<t:{closes}:R>)")),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn text(reply: &Reply) -> String {
        let embed = &reply.embeds[0];
        let mut all = embed.description.clone().unwrap_or_default();
        for field in &embed.fields {
            all.push('\n');
            all.push_str(&field.value);
        }
        all
    }

    #[test]
    fn a_reminder_counts_says_how_many_more_and_when_it_closes() {
        let closes = Timestamp::from_second(1_800_000_000).expect("ts");
        let week = jiff::civil::date(2026, 11, 30);
        let reply = reminder(7, week, 2, 3, closes);
        let said = text(&reply);
        assert!(said.contains("2 people have answered so far"), "{said}");
        assert!(said.contains("Results are shown from 3 answers"), "{said}");
        assert!(said.contains("1 more person"), "{said}");
        assert!(said.contains("<t:1800000000:R>"), "{said}");
        assert_eq!(reply.embeds[0].title, Some(reminder_title(week)));
        assert_eq!(reply.text, None, "no mention of its own");
        assert!(matches!(
            reply.buttons[..],
            [Button {
                action: Action::PulseAnswer { pulse: 7 },
                ..
            }]
        ));
        let enough = text(&reminder(7, week, 4, 3, closes));
        assert!(enough.contains("this week will have them"), "{enough}");
    }
}
