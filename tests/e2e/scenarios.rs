//! Scenarios end to end: `/scenario` with and without a name, its autocomplete, the button that
//! reveals the answer privately, "Another scenario", and the scenario poll with its recap,
//! answered by the real bot through the fake Discord.
//!
//! Expected answers are read from the bundled content, not from the bot's reply code.

use std::path::{Path, PathBuf};

use bridgebot::clock::ManualClock;
use bridgebot::config::Snowflake;
use bridgebot::content::{Content, Scenario};
use bridgebot::model::duty::DutyKind;
use bridgebot::polls::PollEvent;
use fake_discord::{Mark, RecordedRequest, ADMIN_ID, MEMBER_ID, TEXT_CHANNEL_ID};
use jiff::{SignedDuration, Timestamp};
use serde_json::{json, Value};

use crate::support::events::next_event;
use crate::support::on_both_engines;
use crate::support::{
    Answer, TestBot, CALLBACK_AUTOCOMPLETE, CALLBACK_MESSAGE, CALLBACK_UPDATE_MESSAGE,
};

fn content() -> Content {
    Content::bundled().expect("the bundled content is valid")
}

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key].as_str().unwrap_or_default()
}

/// The scenario an answer shows, found by its title.
fn shown<'c>(answer: &Answer, content: &'c Content) -> &'c Scenario {
    let title = text(answer.embed(), "title");
    content
        .scenarios
        .iter()
        .find(|s| s.name.as_str() == title)
        .unwrap_or_else(|| panic!("{title:?} is no scenario's name"))
}

/// Checks that `answer` shows the situation of `scenario` publicly, keeps its answer back and
/// carries the reveal and "Another scenario" buttons.
fn assert_shows_situation(answer: &Answer, scenario: &Scenario) {
    assert!(!answer.is_ephemeral(), "the channel sees the situation");
    assert_shows_situation_to_someone(answer, scenario);
}

/// Checks that `answer` shows the situation of `scenario`, keeps its answer back and carries
/// the reveal and "Another scenario" buttons, whoever sees it.
fn assert_shows_situation_to_someone(answer: &Answer, scenario: &Scenario) {
    answer.assert_mentions_nobody();
    let embed = answer.embed();
    assert_eq!(text(embed, "title"), scenario.name.as_str());
    assert_eq!(text(embed, "description"), scenario.situation.as_str());
    let body = answer.body().to_string();
    assert!(
        !body.contains(scenario.why.as_str()),
        "the answer is kept back"
    );
    assert_eq!(
        answer.custom_ids(),
        [
            format!("bb:scenario-answer:{}", scenario.id),
            format!("bb:scenario:{}", scenario.id)
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_by_name_shows_that_situation_with_its_buttons() {
    let content = content();
    let bot = TestBot::start().await;
    for scenario in content.scenarios.iter().take(3) {
        let answer = bot
            .command("scenario", &[("name", json!(scenario.id.as_str()))])
            .await;
        answer.assert_accepted(CALLBACK_MESSAGE);
        assert_shows_situation(&answer, scenario);
    }
    let typed = bot
        .command("scenario", &[("name", json!("same deadline"))])
        .await;
    typed.assert_accepted(CALLBACK_MESSAGE);
    let expected = content.scenario("second-missed-deadline").expect("exists");
    assert_shows_situation(&typed, expected);
    bot.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_without_a_name_shows_one_of_the_scenarios() {
    let content = content();
    let bot = TestBot::start().await;
    for _ in 0..3 {
        let answer = bot.command("scenario", &[]).await;
        answer.assert_accepted(CALLBACK_MESSAGE);
        let scenario = shown(&answer, &content);
        assert_shows_situation(&answer, scenario);
    }
    bot.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_scenario_is_answered_privately_with_names_to_try() {
    let bot = TestBot::start().await;
    let answer = bot.command("scenario", &[("name", json!("zzqx"))]).await;
    answer.assert_accepted(CALLBACK_MESSAGE);
    assert!(answer.is_ephemeral());
    let said = answer.text().unwrap_or_default();
    assert!(said.contains("zzqx") && said.contains("scenario"), "{said}");
    bot.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autocomplete_offers_scenario_names_and_answers_even_when_nothing_matches() {
    let content = content();
    let bot = TestBot::start().await;
    let all = bot.autocomplete("scenario", "name", "").await;
    all.assert_accepted(CALLBACK_AUTOCOMPLETE);
    let expected: Vec<(String, String)> = content
        .scenarios
        .iter()
        .take(25)
        .map(|s| (s.name.to_string(), s.id.to_string()))
        .collect();
    assert_eq!(all.choices(), expected);

    let partial = bot.autocomplete("scenario", "name", "audit").await;
    partial.assert_accepted(CALLBACK_AUTOCOMPLETE);
    assert_eq!(
        partial.choices().first().map(|(_, value)| value.as_str()),
        Some("audit-scattered-records")
    );

    let nothing = bot.autocomplete("scenario", "name", "zzqx").await;
    nothing.assert_accepted(CALLBACK_AUTOCOMPLETE);
    assert_eq!(nothing.choices(), []);
    bot.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reveal_button_answers_only_the_one_who_clicked_and_leaves_the_situation() {
    let content = content();
    let bot = TestBot::start().await;
    let fake = bot.fake();
    let scenario = content.scenario("two-directions").expect("exists");
    let asked = bot
        .command("scenario", &[("name", json!(scenario.id.as_str()))])
        .await;
    assert_shows_situation(&asked, scenario);
    let revealed = bot
        .ask(
            fake.click(&format!("bb:scenario-answer:{}", scenario.id))
                .on_original(&asked.interaction),
        )
        .await;
    revealed
        .assert_accepted(CALLBACK_MESSAGE)
        .assert_mentions_nobody();
    assert!(revealed.is_ephemeral(), "only the one who clicked sees it");
    let fields: Vec<(&str, &str)> = revealed.embed()["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| (text(f, "name"), text(f, "value")))
        .collect();
    assert!(fields.contains(&("Leading would", scenario.leading.as_str())));
    assert!(fields.contains(&("Managing would", scenario.managing.as_str())));
    let calls = format!("It calls for: {}", scenario.calls.label());
    assert!(
        fields.contains(&(calls.as_str(), scenario.why.as_str())),
        "{fields:?}"
    );
    assert!(revealed.embed()["footer"]["text"]
        .as_str()
        .is_some_and(|f| f.starts_with("Source")));
    let message = fake
        .original_response(&asked.interaction)
        .expect("the scenario message exists");
    assert_eq!(
        message["embeds"][0]["description"],
        scenario.situation.as_str(),
        "the channel's message still shows only the situation"
    );
    bot.shutdown().await;
}

/// A copy of the bundled content in the test's folder, which the bot is configured to read.
fn copy_content(dir: &Path) -> PathBuf {
    let copy = dir.join("content");
    std::fs::create_dir_all(&copy).expect("mkdir");
    for file in bridgebot::content::FILES {
        let source = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("content")
            .join(file);
        std::fs::copy(source, copy.join(file)).expect("copy");
    }
    copy
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revealing_a_scenario_reloaded_away_is_answered_privately() {
    let bot = TestBot::builder()
        .configure(|config, dir| {
            config.content.dir = Some(copy_content(dir));
            config.discord.owners = vec![Snowflake(ADMIN_ID)];
        })
        .start()
        .await;
    let fake = bot.fake();
    let asked = bot
        .command("scenario", &[("name", json!("two-directions"))])
        .await;
    let path = bot.dir().join("content").join("scenarios.toml");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(
        &path,
        text.replacen("id = \"two-directions\"", "id = \"two-ways\"", 1),
    )
    .expect("write");
    let reloaded = bot
        .ask(fake.slash("admin").subcommand("reload").as_user(ADMIN_ID))
        .await;
    reloaded.assert_says("Content reloaded");
    let answer = bot
        .ask(
            fake.click("bb:scenario-answer:two-directions")
                .on_original(&asked.interaction),
        )
        .await;
    answer.assert_accepted(CALLBACK_MESSAGE);
    assert!(answer.is_ephemeral());
    answer.assert_says("two-directions");
    bot.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_scenario_answers_privately_with_a_different_one() {
    let content = content();
    let bot = TestBot::start().await;
    let fake = bot.fake();
    let asked = bot
        .command("scenario", &[("name", json!("two-directions"))])
        .await;
    let mut current = "two-directions".to_string();
    let mut under = asked.interaction.clone();
    for click in 0..4 {
        let answer = bot
            .ask(
                fake.click(&format!("bb:scenario:{current}"))
                    .on_original(&under),
            )
            .await;
        // The first click is under the public answer: a private one; then that one changes.
        if click == 0 {
            answer.assert_accepted(CALLBACK_MESSAGE);
            assert!(answer.is_ephemeral(), "{}", answer.body());
            under = answer.interaction.clone();
        } else {
            answer.assert_accepted(CALLBACK_UPDATE_MESSAGE);
        }
        let scenario = shown(&answer, &content);
        assert_ne!(
            scenario.id.as_str(),
            current,
            "click {click} showed the same one"
        );
        assert_shows_situation_to_someone(&answer, scenario);
        current = scenario.id.to_string();
    }
    let public = fake.original_response(&asked.interaction).expect("posted");
    assert_eq!(
        public["embeds"],
        asked.data()["embeds"],
        "the channel's message is as it was"
    );
    bot.shutdown().await;
}

// ----- the scenario poll ---------------------------------------------------------------------

fn start() -> Timestamp {
    "2026-11-30T10:00:00Z".parse().expect("timestamp")
}

fn is_poll_post(request: &RecordedRequest) -> bool {
    request.method == "POST"
        && request.route().ends_with("/messages")
        && request
            .body
            .as_ref()
            .is_some_and(|b| b.get("poll").is_some())
}

fn recap_of(bot: &TestBot, poll_message: u64) -> Vec<Value> {
    bot.fake()
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.route().ends_with("/messages"))
        .filter_map(|r| r.body)
        .filter(|b| {
            b["message_reference"]["message_id"]
                .as_str()
                .and_then(|id| id.parse::<u64>().ok())
                == Some(poll_message)
        })
        .collect()
}

/// The poll posted after `mark`: its message id, question and answer texts.
async fn posted_poll(bot: &TestBot, mark: Mark) -> (u64, String, Vec<String>) {
    let post = bot.fake().wait_request(mark, is_poll_post).await;
    let body = post.body.as_ref().expect("body");
    let question = body["poll"]["question"]["text"]
        .as_str()
        .expect("question")
        .to_string();
    let answers = body["poll"]["answers"]
        .as_array()
        .expect("answers")
        .iter()
        .filter_map(|a| a["poll_media"]["text"].as_str().map(str::to_string))
        .collect();
    let id = post
        .response
        .as_ref()
        .and_then(|r| r["id"].as_str())
        .and_then(|id| id.parse().ok())
        .expect("the poll message id");
    (id, question, answers)
}

fn asked_about<'c>(content: &'c Content, question: &str) -> &'c Scenario {
    content
        .scenarios
        .iter()
        .find(|s| question.starts_with(s.situation.as_str()))
        .unwrap_or_else(|| panic!("{question:?} asks about no scenario"))
}

async fn poll_scenario_opens_a_three_answer_poll_and_its_recap_names_the_supported_answer() {
    let content = content();
    let bot = TestBot::builder()
        .clock(ManualClock::new(start()))
        .start()
        .await;
    let mut events = bot.running().poll_events();
    let mark = bot.fake().mark();
    let answer = bot
        .ask(
            bot.fake()
                .slash("poll")
                .subcommand("scenario")
                .as_user(MEMBER_ID)
                .in_channel(TEXT_CHANNEL_ID),
        )
        .await;
    answer.assert_accepted(CALLBACK_MESSAGE);
    assert!(answer.is_ephemeral());
    let (message, question, answers) = posted_poll(&bot, mark).await;
    assert_eq!(answers, ["Leading", "Managing", "Both"]);
    assert!(
        question.ends_with("What does this moment call for most?"),
        "{question}"
    );
    let scenario = asked_about(&content, &question);

    bot.fake()
        .set_poll_votes(TEXT_CHANNEL_ID, message, &[(1, 2), (2, 1), (3, 1)]);
    bot.fake().finalize_poll(TEXT_CHANNEL_ID, message);
    bot.fake().send_message_update(message);
    next_event(
        &mut events,
        "the scenario poll's recap",
        |e| matches!(e, PollEvent::Recapped { message_id, .. } if *message_id == message),
    )
    .await;
    let recaps = recap_of(&bot, message);
    assert_eq!(recaps.len(), 1, "exactly one recap");
    let embed = &recaps[0]["embeds"][0];
    let first = &embed["fields"][0];
    assert_eq!(
        text(first, "name"),
        format!("The articles support: {}", scenario.calls.label())
    );
    assert_eq!(text(first, "value"), scenario.why.as_str());
    let description = text(embed, "description");
    assert!(
        description.contains(&format!("**{} —", scenario.calls.label())),
        "the supported answer is in bold: {description}"
    );
    assert!(description.contains("2 votes (50%)"), "{description}");
    bot.shutdown().await;
}

/// The value Discord sends for the choice `label` of `/polls setup option`.
fn schedule_choice(bot: &TestBot, option: &str, label: &str) -> Value {
    let commands = bot.fake().registered_commands();
    let schedule = commands
        .iter()
        .find(|c| c["name"] == "polls")
        .and_then(|polls| polls["options"].as_array())
        .and_then(|subs| subs.iter().find(|s| s["name"] == "setup"))
        .cloned()
        .expect("/polls setup registered");
    schedule["options"]
        .as_array()
        .and_then(|o| o.iter().find(|o| o["name"] == option))
        .and_then(|o| o["choices"].as_array())
        .and_then(|c| c.iter().find(|c| c["name"] == label))
        .map(|c| c["value"].clone())
        .unwrap_or_else(|| panic!("/polls setup {option} has no choice {label:?}"))
}

async fn a_weekly_scenario_poll_is_posted_on_its_day() {
    use bridgebot::schedule::ScheduleEvent;
    let content = content();
    let bot = TestBot::builder()
        .clock(ManualClock::new(start()))
        .start()
        .await;
    let mut schedule_events = bot.running().schedule_events();
    let slash = bot
        .fake()
        .slash("polls")
        .subcommand("setup")
        .as_user(ADMIN_ID)
        .option("channel", TEXT_CHANNEL_ID.to_string())
        .option(
            "kind",
            schedule_choice(&bot, "kind", "Scenario: lead, manage, or both?"),
        )
        .option("day", schedule_choice(&bot, "day", "Monday"))
        .option("time", "11:00")
        .option("open_for", "30m");
    let answer = bot.ask(slash).await;
    answer.assert_says("A scenario poll");
    next_event(&mut schedule_events, "the weekly poll's plan", |e| {
        matches!(
            e,
            ScheduleEvent::Planned {
                duty: DutyKind::WeeklyPoll,
                next: Some(_),
                ..
            }
        )
    })
    .await;
    let mark = bot.fake().mark();
    let eleven = start() + SignedDuration::from_hours(1);
    bot.clock().expect("a manual clock").set(eleven);
    let (_, question, answers) = posted_poll(&bot, mark).await;
    assert_eq!(answers, ["Leading", "Managing", "Both"]);
    asked_about(&content, &question);
    bot.shutdown().await;
}

on_both_engines!(
    poll_scenario_opens_a_three_answer_poll_and_its_recap_names_the_supported_answer,
    a_weekly_scenario_poll_is_posted_on_its_day,
);
