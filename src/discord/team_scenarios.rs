//! A server's own scenarios beside ours: `/scenario` (by name, at random, and its buttons) and
//! `/poll scenario` draw from both. Ours are answered from the prepared answers as before; this
//! module only reads the server's entries and decides when one of theirs is shown.

use poise::serenity_prelude as serenity;
use serenity::ComponentInteraction;

use super::{answers, BotError, Data};
use crate::model::poll::PollSpec;
use crate::model::team::{item_id, parse_item_id};
use crate::reply::autocomplete::Choice;
use crate::reply::scenario::{team_scenario_answer, team_scenario_reply, TEAM_SCENARIO_GONE};
use crate::reply::{Action, Reply};
use crate::schedule::team::{self, TheirScenario};

/// The server's own scenarios; none outside a server.
async fn theirs(data: &Data, guild: Option<u64>) -> Result<Vec<TheirScenario>, BotError> {
    match guild {
        Some(guild) => Ok(team::scenarios(&data.store, guild).await?),
        None => Ok(Vec::new()),
    }
}

/// Which of `theirs` a random pick lands on (`None`: one of ours), never `after` again.
fn drawn<'t>(data: &Data, theirs: &'t [TheirScenario], after: &str) -> Option<&'t TheirScenario> {
    team::drawn(
        data.content().scenarios.len(),
        theirs,
        after,
        &mut rand::rng(),
    )
}

/// `/scenario [name]`: the server's scenario it names (by item id from autocomplete, or by its
/// name typed out), or the server's own when the random pick lands on it; `None` leaves the
/// answer to ours.
pub(crate) async fn for_command(
    data: &Data,
    guild: Option<u64>,
    name: Option<&str>,
) -> Result<Option<Reply>, BotError> {
    let theirs = theirs(data, guild).await?;
    let chosen = match name {
        Some(name) => theirs
            .iter()
            .find(|t| t.id == name || t.scenario.name.eq_ignore_ascii_case(name.trim())),
        None => drawn(data, &theirs, ""),
    };
    Ok(chosen.map(|t| team_scenario_reply(&t.id, &t.scenario, &t.credit)))
}

/// `/scenario name` suggestions: the server's own first, then ours.
pub(crate) async fn choices(data: &Data, guild: Option<u64>, partial: &str) -> Vec<Choice> {
    // Autocomplete always answers: without the server's entries it offers ours.
    let theirs = theirs(data, guild).await.unwrap_or_default();
    let query = partial.to_lowercase();
    let mut choices: Vec<Choice> = theirs
        .iter()
        .filter(|t| t.scenario.name.to_lowercase().contains(&query))
        .map(|t| Choice {
            name: crate::reply::scenario::team_choice_name(&t.scenario.name),
            value: t.id.clone(),
        })
        .collect();
    choices.extend(crate::reply::autocomplete::scenarios(
        &data.content(),
        partial,
    ));
    choices.truncate(crate::limits::AUTOCOMPLETE_CHOICES);
    choices
}

/// `/poll scenario`: the server's own scenario when the random pick lands on it.
pub(crate) async fn poll(data: &Data, guild: Option<u64>) -> Result<Option<PollSpec>, BotError> {
    let theirs = theirs(data, guild).await?;
    Ok(drawn(data, &theirs, "").map(|t| crate::reply::poll::team_scenario_poll(&t.scenario)))
}

/// The scenario buttons where the server has its own: "What does it call for?" on one of
/// theirs, and "Another scenario" when the pick lands on one of theirs. `false` leaves the
/// click to ours.
pub(crate) async fn clicked(
    ctx: &serenity::Context,
    component: &ComponentInteraction,
    data: &Data,
    action: &Action,
    private: bool,
) -> Result<bool, BotError> {
    let guild = component.guild_id.map(|g| g.get());
    let reply = match action {
        Action::RevealScenario { id } => {
            let Some(entry) = parse_item_id(id) else {
                return Ok(false);
            };
            let theirs = theirs(data, guild).await?;
            match theirs.iter().find(|t| t.id == item_id(entry)) {
                Some(t) => team_scenario_answer(&t.scenario, &t.credit),
                None => Reply::private_note(TEAM_SCENARIO_GONE),
            }
        }
        Action::AnotherScenario { after } => {
            let theirs = theirs(data, guild).await?;
            match drawn(data, &theirs, after) {
                Some(t) => team_scenario_reply(&t.id, &t.scenario, &t.credit),
                // One of ours, unless the one just shown was theirs: ours never equal it.
                None => return Ok(false),
            }
        }
        _ => return Ok(false),
    };
    let replaces = action.replaces_message() && private;
    let reply = if replaces { reply } else { reply.ephemeral() };
    let answer = answers::Serialized::now(&reply)?;
    if replaces {
        answers::update(&ctx.http, component, &answer).await?;
    } else {
        answers::reply_to_button(&ctx.http, component, &answer).await?;
    }
    Ok(true)
}
