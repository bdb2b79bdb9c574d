//! The one message a server gets when the bot joins it: what the bot is for, in two lines, and
//! a numbered start for admins that ends at `/help`. A lead who follows only this and `/help`
//! has the daily tip and the team pulse running.

use super::{Accent, Embed, Reply};

/// The welcome posted once in a server the bot joined.
pub fn welcome() -> Reply {
    Reply::embed(Embed {
        title: Some("Hello! I'm bridgebot".into()),
        description: Some(
            "I help a team tell leading (direction, people, change) from managing (plans, order, results), and practise both.\n\
             Anyone can ask me for contrasts, examples and scenarios; admins can set up a daily tip, weekly polls and an anonymous weekly team pulse.\n\n\
             **Start here** (admins: members with Manage Server)\n\
             1. `/settings timezone zone:` your team's time zone, once; every setup uses it.\n\
             2. `/tips setup channel:` a short tip each weekday at 9am.\n\
             3. `/pulse setup channel: day: time:` the anonymous weekly pulse: a few statements each member scores from 1 to 5.\n\
             4. `/help` for everything else, for you and your team."
                .into(),
        ),
        fields: Vec::new(),
        footer: Some("I only post here once. Each setup tells you what is missing and what comes next.".into()),
        accent: Accent::Neutral,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_welcome_fits_and_numbers_its_first_steps_up_to_help() {
        let reply = welcome();
        assert!(reply.limit_problems().is_empty());
        assert!(!reply.ephemeral, "posted in a channel");
        let text = reply.embeds[0].description.clone().unwrap_or_default();
        for (n, step) in ["/settings timezone", "/tips setup", "/pulse setup", "/help"]
            .iter()
            .enumerate()
        {
            assert!(text.contains(&format!("{}. `{step}", n + 1)), "{text}");
        }
    }
}
