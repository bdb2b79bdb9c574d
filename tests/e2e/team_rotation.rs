//! A server's own scenarios and pulse statements beside ours: `/scenario` finds theirs by name
//! and autocomplete, shows it credited to the team with its answer kept back, and the weekly
//! pulse asks one of their statements, scored on its side. On one engine: what differs between
//! engines, the storage of entries, is tested on both in `team_content`.

use bridgebot::content::team::{TeamBody, TeamScenario, TeamStatement};
use bridgebot::content::{Calls, PulseSide};
use bridgebot::model::duty::DutyKind;
use fake_discord::MEMBER_ID;
use serde_json::json;

use crate::support::pulse::*;
use crate::support::CALLBACK_MESSAGE;

const SITUATION: &str = "Two days before the customer demo, the feature it shows is half done.";

fn demo() -> TeamBody {
    TeamBody::Scenario(TeamScenario {
        name: "The demo that slipped".into(),
        situation: SITUATION.into(),
        leading: "Remind everyone why this customer matters and ask what they would cut.".into(),
        managing: "List what is left, cut what the demo can do without, give each task an owner."
            .into(),
        calls: Calls::Managing,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teams_scenario_is_found_by_name_credited_and_its_answer_kept_back() {
    let bot = start().await;
    let id = add_team_entry(&bot, demo()).await;

    let suggested = bot.autocomplete("scenario", "name", "demo").await;
    assert!(
        suggested
            .choices()
            .iter()
            .any(|(name, value)| *value == id && name == "The demo that slipped (your team's)"),
        "{:?}",
        suggested.choices()
    );

    let shown = bot.command("scenario", &[("name", json!(id))]).await;
    shown
        .assert_accepted(CALLBACK_MESSAGE)
        .assert_mentions_nobody();
    assert!(!shown.is_ephemeral(), "the situation is for the channel");
    let text = shown.body().to_string();
    assert!(text.contains(SITUATION), "{text}");
    assert!(text.contains("From your team"), "{text}");
    assert!(
        !text.contains("give each task an owner"),
        "kept back: {text}"
    );

    let reveal = format!("bb:scenario-answer:{id}");
    assert!(
        shown.custom_ids().contains(&reveal.as_str()),
        "{}",
        shown.body()
    );
    let answer = bot
        .ask(
            bot.fake()
                .click(&reveal)
                .on_original(&shown.interaction)
                .as_user(MEMBER_ID),
        )
        .await;
    assert!(
        answer.is_ephemeral(),
        "the answer is for the one who clicked"
    );
    let text = answer.body().to_string();
    assert!(
        text.contains("It calls for: Managing") && text.contains("give each task an owner"),
        "{text}"
    );

    // Typed out by its name, it is found too.
    let by_name = bot
        .command("scenario", &[("name", json!("the demo that slipped"))])
        .await;
    assert!(by_name.body().to_string().contains(SITUATION));
    bot.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teams_statement_is_asked_in_the_pulse_and_scored_on_its_side() {
    const OURS: &str = "This week I knew which request we would say no to.";
    let bot = start().await;
    add_team_entry(
        &bot,
        TeamBody::Statement(TeamStatement {
            text: OURS.into(),
            side: PulseSide::Managing,
            reversed: false,
        }),
    )
    .await;
    let mut events = bot.running().schedule_events();
    set_up(&bot).await;
    clock(&bot).set(at("2026-11-30T09:00:00Z"));
    let message = posted(&mut events, DutyKind::Pulse).await;
    let post = bot.fake().message(message).expect("post");
    assert!(embed_text(&post).contains(OURS), "{post}");
    for member in MEMBERS {
        answer(&bot, message, member, &[4, 2]).await;
    }
    clock(&bot).set(at("2026-12-02T09:00:00Z"));
    let result = posted(&mut events, DutyKind::PulseResult).await;
    let result = embed_text(&bot.fake().message(result).expect("result"));
    assert!(result.contains(OURS), "{result}");
    assert!(
        result.contains("Leading score") && result.contains("Managing score"),
        "its side counts: {result}"
    );
    bot.shutdown().await;
}
