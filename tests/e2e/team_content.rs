//! A server's own content end to end: an admin adds a tip through the form, it is the next
//! daily tip (the server draws from its own tips only, so the deck is its one tip), the export
//! holds it, and once removed it never comes up again; the form refuses bad input and anyone
//! without Manage Server.

use bridgebot::clock::ManualClock;
use bridgebot::model::server::ServerChange;
use bridgebot::model::team::TeamKind;
use bridgebot::schedule::ScheduleEvent;
use fake_discord::{ADMIN_ID, GUILD_ID, MEMBER_ID, TEXT_CHANNEL_ID};
use jiff::Timestamp;
use serde_json::Value;

use crate::support::events::next_event;
use crate::support::{
    message_custom_ids, on_both_engines, Answer, TestBot, CALLBACK_MESSAGE, CALLBACK_UPDATE_MESSAGE,
};

/// Callback type: a form (modal) opens.
const CALLBACK_MODAL: u64 = 9;

const TITLE: &str = "Name who can say stop";
const BODY: &str = "Before a release, agree on the one person who may call it off, and tell the whole team who it is.";

fn at(text: &str) -> Timestamp {
    text.parse().expect("timestamp")
}

async fn start() -> TestBot {
    TestBot::builder()
        .clock(ManualClock::new(at("2026-11-30T08:00:00Z")))
        .start()
        .await
}

/// `/content <path…>` as `user` with `options`, answered.
async fn content(bot: &TestBot, user: u64, path: &[&str], options: &[(&str, Value)]) -> Answer {
    let slash = path
        .iter()
        .fold(bot.fake().slash("content").as_user(user), |s, p| {
            s.subcommand(p)
        });
    let slash = options
        .iter()
        .fold(slash, |s, (name, value)| s.option(name, value.clone()));
    bot.ask(slash).await
}

/// Opens the tip form as the admin and returns its custom id.
async fn open_tip_form(bot: &TestBot) -> String {
    let form = content(bot, ADMIN_ID, &["add", "tip"], &[]).await;
    form.assert_accepted(CALLBACK_MODAL);
    let data = form.data();
    let inputs: Vec<&Value> = data["components"]
        .as_array()
        .expect("rows")
        .iter()
        .flat_map(|row| row["components"].as_array().expect("inputs"))
        .collect();
    assert_eq!(inputs.len(), 2, "{data}");
    assert_eq!(inputs[0]["custom_id"], "title");
    assert_eq!(
        inputs[0]["max_length"], 256,
        "the title's limit as an embed title"
    );
    assert_eq!(inputs[1]["max_length"], 4000, "a text box takes 4000");
    data["custom_id"].as_str().expect("custom id").to_string()
}

async fn submit(bot: &TestBot, user: u64, form: &str, title: &str, body: &str) -> Answer {
    let answer = bot
        .ask(
            bot.fake()
                .submit_modal(form)
                .as_user(user)
                .field("title", title)
                .field("body", body),
        )
        .await;
    answer
        .assert_accepted(CALLBACK_MESSAGE)
        .assert_mentions_nobody();
    assert!(answer.is_ephemeral(), "{}", answer.body());
    answer
}

/// The titles of the tips posted in the channel (not the answers to commands), in order.
async fn tip_titles_posted(bot: &TestBot) -> Vec<String> {
    let route = format!("/channels/{TEXT_CHANNEL_ID}/messages");
    bot.fake()
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.route() == route && r.status == Some(200))
        .filter_map(|r| {
            r.body.as_ref()?["embeds"][0]["title"]
                .as_str()
                .map(str::to_string)
        })
        .collect()
}

async fn a_team_tip_is_dealt_credited_exported_and_once_removed_never_comes_up() {
    let bot = start().await;
    let ours = bot.sub_choice_value("content", "mix", "draws", "Ours only");
    content(&bot, ADMIN_ID, &["mix"], &[("draws", ours)])
        .await
        .assert_accepted(CALLBACK_MESSAGE);
    let form = open_tip_form(&bot).await;
    let added = submit(&bot, ADMIN_ID, &form, &format!("  {TITLE} "), BODY).await;
    assert_eq!(added.embed()["title"], TITLE, "kept trimmed");
    assert_eq!(added.embed()["footer"]["text"], "From your team");

    first_tip_posted(&bot).await;
    // The days after: each posted tip is awaited from here.
    let mut events = bot.running().schedule_events();
    let posts = bot.fake().channel_messages(TEXT_CHANNEL_ID);
    let post = posts.last().expect("a post");
    assert_eq!(
        post["embeds"][0]["title"], TITLE,
        "the team's one tip is dealt"
    );
    assert_eq!(post["embeds"][0]["footer"]["text"], "From your team");

    let export = content(&bot, ADMIN_ID, &["export"], &[]).await;
    export.assert_accepted(CALLBACK_MESSAGE);
    let file = export
        .request
        .files
        .iter()
        .find(|f| f.filename.as_deref() == Some("team-content.toml"))
        .expect("the export is attached");
    let text = String::from_utf8(file.bytes.clone()).expect("utf-8");
    assert!(text.contains("[[tip]]") && text.contains(TITLE), "{text}");

    let choices = bot
        .autocomplete_sub("content", "remove", "entry", "stop")
        .await;
    let (name, value) = choices.first().cloned().expect("the tip is offered");
    assert!(name.contains(TITLE), "{name}");
    let removed = content(&bot, ADMIN_ID, &["remove"], &[("entry", value.into())]).await;
    assert!(
        removed.text().unwrap_or("").contains("Removed"),
        "{}",
        removed.body()
    );
    let store = bot.running().store();
    assert!(store
        .team_entries(GUILD_ID, Some(TeamKind::Tip))
        .await
        .expect("read")
        .is_empty());

    for day in ["2026-12-01", "2026-12-02", "2026-12-03"] {
        bot.clock()
            .expect("manual")
            .set(at(&format!("{day}T09:00:00Z")));
        next_event(&mut events, "the day's tip posted", |e| {
            matches!(e, ScheduleEvent::Posted { .. })
        })
        .await;
    }
    let titles = tip_titles_posted(&bot).await;
    assert_eq!(titles.len(), 4, "{titles:?}");
    assert!(
        titles[1..].iter().all(|t| t != TITLE),
        "a removed tip came up again: {titles:?}"
    );
    bot.shutdown().await;
}

async fn the_form_refuses_blank_and_over_long_texts_and_members_without_manage_server() {
    let bot = start().await;
    let form = open_tip_form(&bot).await;
    let blank = submit(&bot, ADMIN_ID, &form, "   ", BODY).await;
    let said = blank.text().unwrap_or_default();
    assert!(
        said.contains("Nothing was saved") && said.contains("`title` is empty"),
        "{said}"
    );
    let long = submit(&bot, ADMIN_ID, &form, TITLE, &"x".repeat(4001)).await;
    let said = long.text().unwrap_or_default();
    assert!(said.contains("4000"), "{said}");
    let member = submit(&bot, MEMBER_ID, &form, TITLE, BODY).await;
    let said = member.text().unwrap_or_default();
    assert!(said.contains("Manage Server"), "{said}");
    let added = submit(&bot, ADMIN_ID, &form, TITLE, BODY).await;
    assert_eq!(added.embed()["title"], TITLE);
    let again = submit(&bot, ADMIN_ID, &form, "Another name", &BODY.to_uppercase()).await;
    let said = again.text().unwrap_or_default();
    assert!(
        said.contains(&format!("your team's tip “{TITLE}”")),
        "{said}"
    );
    let store = bot.running().store();
    let kept = store.team_entries(GUILD_ID, None).await.expect("read");
    assert_eq!(kept.len(), 1, "only the good one is kept");
    assert_eq!(kept[0].added_by, ADMIN_ID);
    bot.shutdown().await;
}

on_both_engines!(
    a_team_tip_is_dealt_credited_exported_and_once_removed_never_comes_up,
    the_form_refuses_blank_and_over_long_texts_and_members_without_manage_server,
);

/// `/tips setup` for 09:00, and the clock moved to Monday 09:00 until the first tip is posted.
async fn first_tip_posted(bot: &TestBot) {
    let mut events = bot.running().schedule_events();
    tips_at_nine(bot).await.assert_accepted(CALLBACK_MESSAGE);
    next_event(&mut events, "the tip planned", |e| {
        matches!(e, ScheduleEvent::Planned { next: Some(_), .. })
    })
    .await;
    bot.clock().expect("manual").set(at("2026-11-30T09:00:00Z"));
    next_event(&mut events, "the first tip posted", |e| {
        matches!(e, ScheduleEvent::Posted { .. })
    })
    .await;
}

/// `/tips setup` by the admin: a tip every day at 09:00 UTC in the test channel.
async fn tips_at_nine(bot: &TestBot) -> Answer {
    bot.ask(
        bot.fake()
            .slash("tips")
            .subcommand("setup")
            .as_user(ADMIN_ID)
            .option("channel", TEXT_CHANNEL_ID.to_string())
            .option("time", "09:00")
            .option("timezone", "UTC"),
    )
    .await
}

/// Gives the server a tip of its own and a daily tip that has posted once, so it has rows in
/// several tables.
async fn a_server_with_data(bot: &TestBot) {
    let form = open_tip_form(bot).await;
    submit(bot, ADMIN_ID, &form, TITLE, BODY).await;
    first_tip_posted(bot).await;
}

async fn removed_from(bot: &TestBot, unavailable: bool) -> ServerChange {
    let mut changes = bot.running().server_events();
    if unavailable {
        let event = serde_json::json!({"id": GUILD_ID.to_string(), "unavailable": true});
        bot.fake().dispatch("GUILD_DELETE", event);
    } else {
        bot.fake().remove_guild(GUILD_ID);
    }
    next_event(&mut changes, "the removal noted", |e| {
        matches!(e, ServerChange::Removed(_) | ServerChange::Unavailable(_))
    })
    .await
}

async fn a_server_removed_and_not_back_in_30_days_has_no_rows_left() {
    let mut bot = start().await;
    a_server_with_data(&bot).await;
    assert_eq!(
        removed_from(&bot, true).await,
        ServerChange::Unavailable(GUILD_ID)
    );
    let store = bot.running().store();
    assert_eq!(
        store.server(GUILD_ID).await.expect("read").removed_at,
        None,
        "an outage is no removal"
    );
    assert_eq!(
        removed_from(&bot, false).await,
        ServerChange::Removed(GUILD_ID)
    );
    let removed_at = store.server(GUILD_ID).await.expect("read").removed_at;
    assert_eq!(removed_at, Some(at("2026-11-30T09:00:00Z")));

    assert!(store.rows_of_server(GUILD_ID).await.expect("count") >= 3);
    // Gone past the grace period: the start-up sweep deletes it before the bot connects.
    bot.clock().expect("manual").set(at("2026-12-30T09:00:01Z"));
    bot.restart_after(|_, _| async {}).await;
    assert_eq!(
        bot.running()
            .store()
            .rows_of_server(GUILD_ID)
            .await
            .expect("count"),
        0,
        "30 days after the removal nothing of the server is left"
    );
    bot.shutdown().await;
}

async fn a_server_added_back_within_30_days_keeps_everything() {
    let bot = start().await;
    a_server_with_data(&bot).await;
    assert_eq!(
        removed_from(&bot, false).await,
        ServerChange::Removed(GUILD_ID)
    );
    bot.clock().expect("manual").set(at("2026-12-29T09:00:00Z"));
    // Added back: Discord sends the server again, joined now.
    let mut changes = bot.running().server_events();
    bot.fake()
        .add_guild_again(GUILD_ID, at("2026-12-29T09:00:00Z").into());
    let store = bot.running().store();
    // The GUILD_CREATE of the bot's first connection may be handled late too; it is no return.
    while store
        .server(GUILD_ID)
        .await
        .expect("read")
        .removed_at
        .is_some()
    {
        next_event(&mut changes, "the server noted back", |e| {
            *e == ServerChange::Present(GUILD_ID)
        })
        .await;
    }
    assert!(store
        .schedule::<bridgebot::model::schedule::TipOptions>(GUILD_ID)
        .await
        .expect("read")
        .is_some());
    assert_eq!(
        store
            .team_entries(GUILD_ID, None)
            .await
            .expect("read")
            .len(),
        1
    );
    bot.shutdown().await;
}

/// How many rows the database holds about the test's server.
async fn rows(bot: &TestBot) -> i64 {
    bot.running()
        .store()
        .rows_of_server(GUILD_ID)
        .await
        .expect("count")
}

async fn forget_server_deletes_everything_at_once_after_a_confirming_click() {
    let bot = start().await;
    a_server_with_data(&bot).await;
    let asked = bot
        .ask(bot.fake().slash("forget-server").as_user(ADMIN_ID))
        .await;
    asked.assert_accepted(CALLBACK_MESSAGE);
    assert!(asked.is_ephemeral());
    let button = asked.custom_ids()[0].to_string();
    assert!(rows(&bot).await > 0);
    let refused = bot.click_on(&asked, &button, MEMBER_ID).await;
    refused.assert_says("Manage Server");
    assert!(rows(&bot).await > 0);
    let done = bot.click_on(&asked, &button, ADMIN_ID).await;
    done.assert_says("Deleted");
    assert!(done.custom_ids().is_empty(), "the button is gone");
    assert_eq!(rows(&bot).await, 0);
    bot.shutdown().await;
}

on_both_engines!(
    a_server_removed_and_not_back_in_30_days_has_no_rows_left,
    a_server_added_back_within_30_days_keeps_everything,
    forget_server_deletes_everything_at_once_after_a_confirming_click,
);

/// `/content import` of a file the fake serves as an attachment, as the admin; the answer
/// (deferred, then sent through the interaction's webhook).
async fn import(bot: &TestBot, name: &str, content_type: &str, bytes: &[u8]) -> Value {
    let id = bot.fake().add_attachment(name, content_type, bytes);
    import_attachment(bot, id).await
}

async fn import_attachment(bot: &TestBot, id: u64) -> Value {
    let slash = bot
        .fake()
        .slash("content")
        .subcommand("import")
        .as_user(ADMIN_ID)
        .option("file", id);
    bot.ask_deferred(slash).await
}

/// `/content import` of a file refused from what Discord says of it (name, size): answered at
/// once and privately, the file never fetched.
async fn refused_early(bot: &TestBot, name: &str, content_type: &str, bytes: &[u8]) -> String {
    let id = bot.fake().add_attachment(name, content_type, bytes);
    let before = bot.fake().requests().len();
    let slash = bot
        .fake()
        .slash("content")
        .subcommand("import")
        .as_user(ADMIN_ID)
        .option("file", id);
    let answer = bot.ask(slash).await;
    answer.assert_accepted(CALLBACK_MESSAGE);
    assert!(answer.is_ephemeral());
    let fetched = bot
        .fake()
        .requests()
        .iter()
        .skip(before)
        .any(|r| r.path.starts_with("/attachments/"));
    assert!(!fetched, "a refused file is not fetched");
    answer.text().unwrap_or_default().to_string()
}

/// The words of an answer: its text and its embeds' titles and descriptions.
fn words_of(answer: &Value) -> String {
    let mut words = answer["content"].as_str().unwrap_or_default().to_string();
    for embed in answer["embeds"].as_array().into_iter().flatten() {
        for key in ["title", "description"] {
            words.push('\n');
            words.push_str(embed[key].as_str().unwrap_or_default());
        }
    }
    words
}

async fn stored(bot: &TestBot) -> usize {
    bot.running()
        .store()
        .team_entries(GUILD_ID, None)
        .await
        .expect("read")
        .len()
}

async fn an_import_with_three_mistakes_answers_all_three_with_lines_and_stores_nothing() {
    let bot = start().await;
    let file = "[[tip]]\ntitle = \"Say stop\"\nbody = \"\"\n\n[[scenario]]\nname = \"Late\"\nsituation = \"The release slips.\"\nleading = \"Explain.\"\nmanaging = \"Re-plan.\"\ncalls = \"sideways\"\n\n[[statement]]\ntext = \"I knew what mattered.\"\nside = \"leading\"\ncolour = \"blue\"\n";
    let answer = import(
        &bot,
        "team-content.toml",
        "application/toml",
        file.as_bytes(),
    )
    .await;
    let said = words_of(&answer);
    assert!(said.contains("3 problems"), "{said}");
    for line in [":1:", ":10:", ":15:"] {
        assert!(said.contains(line), "no problem at line {line}: {said}");
    }
    assert!(said.contains("fix:"), "each says what to change: {said}");
    assert_eq!(
        stored(&bot).await,
        0,
        "nothing of a file with mistakes is kept"
    );

    let good = "[[tip]]\ntitle = \"Say stop\"\nbody = \"Before a release, name who can call it off.\"\n\n[[statement]]\ntext = \"I knew what mattered most this week.\"\nside = \"leading\"\n";
    let answer = import(
        &bot,
        "team-content.toml",
        "application/toml",
        good.as_bytes(),
    )
    .await;
    assert!(words_of(&answer).contains("Imported 2 entries"), "{answer}");
    assert_eq!(stored(&bot).await, 2);
    bot.shutdown().await;
}

async fn a_bad_file_is_refused_with_what_to_attach_and_stores_nothing() {
    let bot = start().await;
    let not_toml = import(&bot, "notes.toml", "text/plain", b"this is = = not toml [").await;
    assert!(
        words_of(&not_toml).contains("Nothing was imported"),
        "{not_toml}"
    );
    // A file of the wrong type or size is refused before anything is fetched.
    let picture = refused_early(&bot, "chart.png", "image/png", &[0x89, b'P', b'N', b'G']).await;
    assert!(picture.contains("is not a .toml file"), "{picture}");
    let huge = vec![b'#'; 600 * 1024];
    let big = refused_early(&bot, "big.toml", "application/toml", &huge).await;
    assert!(big.contains("600 KB"), "{big}");
    let id = bot
        .fake()
        .add_attachment("gone.toml", "application/toml", b"[[tip]]\n");
    bot.fake().expire_attachment(id);
    let gone = import_attachment(&bot, id).await;
    assert!(
        words_of(&gone).contains("no longer serves this file"),
        "{gone}"
    );
    let many: String = (0..500)
        .map(|n| format!("[[tip]]\ntitle = \"Tip {n}\"\nbody = \"Entry number {n} of a long file: {n} {n}.\"\n\n"))
        .collect();
    let over = import(&bot, "many.toml", "application/toml", many.as_bytes()).await;
    let said = words_of(&over);
    assert!(said.contains("at most 300 tips"), "{said}");
    assert_eq!(stored(&bot).await, 0);
    bot.shutdown().await;
}

on_both_engines!(
    an_import_with_three_mistakes_answers_all_three_with_lines_and_stores_nothing,
    a_bad_file_is_refused_with_what_to_attach_and_stores_nothing,
);

/// The review post the bot made in `channel`, last first: its message id and body.
fn review_post(bot: &TestBot, channel: u64) -> (u64, Value) {
    let route = format!("/channels/{channel}/messages");
    let request = bot
        .fake()
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.method == "POST" && r.route() == route && r.status == Some(200))
        .expect("a review post");
    let id = request.response.as_ref().expect("an answer")["id"]
        .as_str()
        .and_then(|id| id.parse().ok())
        .expect("a message id");
    (id, request.body.expect("a body"))
}

/// A new "reviews" channel, made the suggestions' review channel by the admin; its id.
async fn set_up_reviews(bot: &TestBot) -> u64 {
    let reviews = bot.fake().add_text_channel(GUILD_ID, "reviews");
    bot.ask(
        bot.fake()
            .slash("suggestions")
            .subcommand("setup")
            .as_user(ADMIN_ID)
            .option("channel", reviews.to_string()),
    )
    .await
    .assert_accepted(CALLBACK_MESSAGE);
    reviews
}

/// A member's `/suggest tip`: the form, or the answer that says why there is none.
async fn ask_to_suggest_a_tip(bot: &TestBot) -> Answer {
    bot.ask(
        bot.fake()
            .slash("suggest")
            .subcommand("tip")
            .as_user(MEMBER_ID),
    )
    .await
}

async fn suggest_tip(bot: &TestBot, title: &str) -> Answer {
    let form = ask_to_suggest_a_tip(bot).await;
    form.assert_accepted(CALLBACK_MODAL);
    let custom_id = form.data()["custom_id"].as_str().expect("id").to_string();
    submit(bot, MEMBER_ID, &custom_id, title, BODY).await
}

async fn a_members_suggestion_is_reviewed_edited_approved_and_becomes_the_daily_tip() {
    let bot = start().await;
    let none = ask_to_suggest_a_tip(&bot).await;
    none.assert_says("/suggestions setup");
    let reviews = set_up_reviews(&bot).await;

    let sent = suggest_tip(&bot, "Say who can stop").await;
    assert!(sent
        .text()
        .unwrap_or_default()
        .contains("sent to the reviewers"));
    let public = format!("/channels/{TEXT_CHANNEL_ID}/messages");
    assert!(
        !bot.fake()
            .requests()
            .iter()
            .any(|r| r.method == "POST" && r.route() == public),
        "nothing reaches a public channel before approval"
    );
    let (message, post) = review_post(&bot, reviews);
    assert_eq!(post["embeds"][0]["footer"]["text"], "Suggested by member");
    assert_eq!(post["allowed_mentions"]["parse"], serde_json::json!([]));
    let buttons = message_custom_ids(&post);
    assert_eq!(buttons.len(), 3, "{post}");

    let refused = bot
        .click_message(reviews, message, &buttons[0], MEMBER_ID)
        .await;
    refused.assert_says("Only reviewers");

    let edit = bot
        .click_message(reviews, message, &buttons[1], ADMIN_ID)
        .await;
    edit.assert_accepted(CALLBACK_MODAL);
    let prefilled: Vec<String> = edit.data()["components"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|row| row["components"][0]["value"].as_str().map(str::to_string))
        .collect();
    assert_eq!(
        prefilled,
        vec!["Say who can stop".to_string(), BODY.to_string()]
    );
    let form = edit.data()["custom_id"].as_str().expect("id").to_string();
    let approved = submit(&bot, ADMIN_ID, &form, TITLE, BODY).await;
    assert!(approved.text().unwrap_or_default().contains("Approved"));
    let edited = bot.fake().message(message).expect("the review post");
    assert!(
        edited["content"]
            .as_str()
            .unwrap_or_default()
            .contains(&format!("Approved by <@{ADMIN_ID}>")),
        "{edited}"
    );
    assert!(
        message_custom_ids(&edited).is_empty(),
        "its buttons go: {edited}"
    );
    let ours = bot.sub_choice_value("content", "mix", "draws", "Ours only");
    content(&bot, ADMIN_ID, &["mix"], &[("draws", ours)]).await;
    first_tip_posted(&bot).await;
    let titles = tip_titles_posted(&bot).await;
    assert_eq!(
        titles,
        vec![TITLE.to_string()],
        "the approved, edited tip is dealt"
    );
    let export = content(&bot, ADMIN_ID, &["export"], &[]).await;
    let file = &export.request.files[0];
    assert!(String::from_utf8_lossy(&file.bytes).contains(TITLE));
    bot.shutdown().await;
}

async fn a_member_is_told_when_they_have_too_many_suggestions_waiting() {
    let bot = start().await;
    let reviews = set_up_reviews(&bot).await;
    for n in 0..3 {
        let sent = suggest_tip(&bot, &format!("Idea {n}")).await;
        sent.assert_says("sent");
    }
    let fourth = suggest_tip(&bot, "Idea 4").await;
    let said = fourth.text().unwrap_or_default();
    assert!(
        said.contains("3 suggestions waiting") && said.contains("at most 3"),
        "{said}"
    );

    // Two reviewers click at the same moment, one to approve and one to decline: one wins.
    let (message, post) = review_post(&bot, reviews);
    let buttons = message_custom_ids(&post);
    let approve = bot
        .fake()
        .click(&buttons[0])
        .on_message(reviews, message)
        .as_user(ADMIN_ID)
        .send()
        .await;
    let decline = bot
        .fake()
        .click(&buttons[2])
        .on_message(reviews, message)
        .as_user(fake_discord::OWNER_ID)
        .send()
        .await;
    let answers = [bot.answer_to(&approve).await, bot.answer_to(&decline).await];
    let won = answers
        .iter()
        .filter(|a| a.kind() == CALLBACK_UPDATE_MESSAGE)
        .count();
    let told = answers
        .iter()
        .filter(|a| a.text().unwrap_or_default().contains("already"))
        .count();
    assert_eq!(
        (won, told),
        (1, 1),
        "{:?}",
        answers.map(|a| a.body().clone())
    );
    bot.shutdown().await;
}

on_both_engines!(
    a_members_suggestion_is_reviewed_edited_approved_and_becomes_the_daily_tip,
    a_member_is_told_when_they_have_too_many_suggestions_waiting,
);

async fn the_list_pages_through_the_entries_with_buttons() {
    let bot = start().await;
    let bodies = [
        "Ask the newest member what confused them in their first week.",
        "Close the sprint review with one thing to stop doing.",
        "Write the goal of the quarter on the board where everyone sits.",
        "Thank one colleague by name for work nobody saw.",
        "Move a recurring meeting to a shorter slot and see what changes.",
        "Let a junior engineer run the next planning session.",
        "Share the customer complaint of the week with the whole group.",
        "Pick the riskiest task and pair on it today.",
        "Name the decision you keep putting off and set a date for it.",
        "Cancel one status report that nobody reads.",
        "Walk a new hire through how a release actually ships.",
        "End Friday by listing what got unblocked this week.",
    ];
    let file: String = bodies
        .iter()
        .enumerate()
        .map(|(n, body)| format!("[[tip]]\ntitle = \"Tip {n}\"\nbody = \"{body}\"\n\n"))
        .collect();
    let imported = import(&bot, "tips.toml", "application/toml", file.as_bytes()).await;
    assert!(words_of(&imported).contains("Imported 12"), "{imported}");
    let list = content(&bot, ADMIN_ID, &["list"], &[]).await;
    list.assert_accepted(CALLBACK_MESSAGE);
    assert!(list.is_ephemeral());
    assert!(list.embed()["footer"]["text"]
        .as_str()
        .unwrap_or_default()
        .contains("Page 1 of 2"));
    let next = list.custom_ids();
    assert_eq!(next.len(), 1, "only a next page from the first");
    let refused = bot.click_on(&list, next[0], MEMBER_ID).await;
    assert!(refused.text().unwrap_or_default().contains("Manage Server"));
    let turned = bot.click_on(&list, next[0], ADMIN_ID).await;
    turned.assert_accepted(CALLBACK_UPDATE_MESSAGE);
    let page = turned.embed();
    assert!(page["footer"]["text"]
        .as_str()
        .unwrap_or_default()
        .contains("Page 2 of 2"));
    assert!(page["description"]
        .as_str()
        .unwrap_or_default()
        .contains("Tip 11"));
    bot.shutdown().await;
}

on_both_engines!(the_list_pages_through_the_entries_with_buttons);
