//! What `/settings` answers: the server's own settings, set once for every setup.

use super::Reply;
use crate::when::Zone;

/// The server's time zone, or that it has none yet (and what that means).
pub fn zone_shown(zone: Option<&Zone>) -> Reply {
    Reply::private_note(match zone {
        Some(zone) => format!(
            "This server's time zone is {}. Every setup uses it unless you give it another `timezone`. Change it with `/settings timezone zone:`.",
            zone.name()
        ),
        None => "This server has no time zone yet, so setups use UTC unless you give them a `timezone`. Set one with `/settings timezone zone:` (start typing a city, like Berlin).".into(),
    })
}

/// The time zone was saved.
pub fn zone_set(zone: &str) -> Reply {
    Reply::private_note(format!(
        "This server's time zone is now {zone}. Every setup uses it unless you give it another `timezone`. Schedules already set up keep their own zone: run their setup again to move them to {zone}."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_zone_answers_say_what_setups_will_use() {
        let berlin = Zone::parse("Europe/Berlin").expect("zone");
        let shown = zone_shown(Some(&berlin)).text.expect("text");
        assert!(shown.contains("Europe/Berlin"), "{shown}");
        let none = zone_shown(None).text.expect("text");
        assert!(
            none.contains("UTC") && none.contains("/settings timezone"),
            "{none}"
        );
        let set = zone_set("Europe/Berlin").text.expect("text");
        assert!(set.contains("now Europe/Berlin"), "{set}");
        assert!(zone_set("UTC").ephemeral);
    }
}
