//! The team pulse as tests drive it: setting it up, answering through the private form,
//! waiting for its posts. Shared by the pulse, pulse-log and digest tests.

use bridgebot::clock::ManualClock;
use bridgebot::content::team::TeamBody;
use bridgebot::model::duty::DutyKind;
use bridgebot::schedule::ScheduleEvent;
use bridgebot::store::{Added, NewTeamEntry};
use fake_discord::{ADMIN_ID, GUILD_ID, MEMBER_ID, TEXT_CHANNEL_ID};
use jiff::Timestamp;
use serde_json::Value;
use tokio::sync::broadcast;

use super::events::next_event;
use super::{message_custom_ids, Answer, TestBot, CALLBACK_MESSAGE, EPHEMERAL};

/// Members of the test server, besides the admin.
pub const MEMBERS: [u64; 5] = [
    MEMBER_ID,
    1_200_000_000_000_000_301,
    1_200_000_000_000_000_302,
    1_200_000_000_000_000_303,
    1_200_000_000_000_000_304,
];

pub fn at(text: &str) -> Timestamp {
    text.parse().expect("timestamp")
}

pub async fn start() -> TestBot {
    TestBot::builder()
        .clock(ManualClock::new(at("2026-11-30T08:00:00Z")))
        .start()
        .await
}

pub fn clock(bot: &TestBot) -> &ManualClock {
    bot.clock().expect("started with a manual clock")
}

pub async fn pulse(bot: &TestBot, user: u64, sub: &str, options: &[(&str, Value)]) -> Answer {
    let slash = options.iter().fold(
        bot.fake().slash("pulse").subcommand(sub).as_user(user),
        |slash, (name, value)| slash.option(name, value.clone()),
    );
    bot.ask(slash).await
}

/// `/pulse now` by the admin: its private answer, which follows a "thinking…" callback.
pub async fn pulse_now(bot: &TestBot) -> String {
    let answer = bot
        .ask_deferred(
            bot.fake()
                .slash("pulse")
                .subcommand("now")
                .as_user(ADMIN_ID),
        )
        .await;
    assert_ne!(
        answer["flags"].as_u64().unwrap_or(0) & EPHEMERAL,
        0,
        "private: {answer}"
    );
    answer["content"].as_str().unwrap_or_default().to_string()
}

/// The team pulse posts in the channel so far.
pub fn pulse_posts(bot: &TestBot) -> usize {
    posts_titled(bot, "Team pulse: ").len()
}

/// The bot's posts in the test channel so far whose embed title starts with `prefix`.
pub fn posts_titled(bot: &TestBot, prefix: &str) -> Vec<Value> {
    bot.fake()
        .channel_messages(TEXT_CHANNEL_ID)
        .into_iter()
        .filter(|m| {
            m["embeds"][0]["title"]
                .as_str()
                .is_some_and(|t| t.starts_with(prefix))
        })
        .collect()
}

/// A pulse every Monday at 09:00 UTC, two statements, open two days.
pub async fn set_up(bot: &TestBot) {
    let answer = pulse(
        bot,
        ADMIN_ID,
        "setup",
        &[
            ("channel", TEXT_CHANNEL_ID.to_string().into()),
            ("day", 0.into()), // Monday, the first choice
            ("time", "09:00".into()),
            ("statements", 2.into()),
            ("open_for", "2d".into()),
        ],
    )
    .await;
    answer
        .assert_accepted(CALLBACK_MESSAGE)
        .assert_mentions_nobody();
    assert!(answer.is_ephemeral());
    answer.assert_says("team pulse");
}

pub async fn posted(events: &mut broadcast::Receiver<ScheduleEvent>, duty: DutyKind) -> u64 {
    let event = next_event(
        events,
        "a pulse post",
        |e| matches!(e, ScheduleEvent::Posted { duty: d, .. } if *d == duty),
    )
    .await;
    match event {
        ScheduleEvent::Posted { message_id, .. } => message_id,
        _ => unreachable!(),
    }
}

/// `member` answers the pulse posted as `message` with `scores`, through the form.
pub async fn answer(bot: &TestBot, message: u64, member: u64, scores: &[u8]) {
    let post = bot.fake().message(message).expect("the pulse post");
    let open = message_custom_ids(&post)
        .into_iter()
        .next()
        .expect("the answer button");
    let mut form = bot
        .click_message(TEXT_CHANNEL_ID, message, &open, member)
        .await;
    assert!(form.is_ephemeral(), "the form is private: {}", form.body());
    for (index, score) in scores.iter().enumerate() {
        let select = form.custom_ids()[index].to_string();
        let value = score.to_string();
        form = bot
            .ask(
                bot.fake()
                    .click(&select)
                    .on_original(form.interaction())
                    .as_user(member)
                    .select(&[&value]),
            )
            .await;
    }
    let submit = form.custom_ids().last().expect("submit").to_string();
    let done = bot.click_on(&form, &submit, member).await;
    done.assert_says("your answers are in");
}

pub fn embed_text(message: &Value) -> String {
    message["embeds"].to_string()
}

/// The open pulse's key and the keyed hash of each of `members`, as the database holds them
/// while the pulse is open.
pub async fn secrets(bot: &TestBot, members: &[u64]) -> (i64, Vec<u8>, Vec<Vec<u8>>) {
    let store = bot.running().store();
    let pulse = store
        .current_pulse(GUILD_ID)
        .await
        .expect("read")
        .expect("a pulse is open");
    let key = store
        .pulse_key(pulse.id)
        .await
        .expect("read")
        .expect("an open pulse has its key");
    let hashes = members
        .iter()
        .map(|member| bridgebot::pulse::member_hash(&key, *member))
        .collect();
    (pulse.id, key, hashes)
}

/// Every file of the bot's database, as raw bytes, named: on SQLite the main file and its
/// write-ahead log; on PostgreSQL every file of the test database's folder, read through the
/// server after a checkpoint has written what its memory held.
pub async fn database_files(database: &bridgebot::config::Database) -> Vec<(String, Vec<u8>)> {
    use bridgebot::config::Database;
    match database {
        Database::Sqlite(path) => sqlite_files(path),
        Database::Postgres(url) => {
            use sqlx::{Connection, Executor, Row};
            let mut connection = sqlx::PgConnection::connect(url.expose())
                .await
                .expect("connect as the test server's superuser");
            connection.execute("CHECKPOINT").await.expect("checkpoint");
            let folder: String = sqlx::query_scalar(
                "SELECT 'base/' || oid::text FROM pg_database WHERE datname = current_database()",
            )
            .fetch_one(&mut connection)
            .await
            .expect("the database's folder");
            let rows = sqlx::query(
                "SELECT name, pg_read_binary_file($1 || '/' || name) AS bytes
                 FROM pg_ls_dir($1) AS name",
            )
            .bind(&folder)
            .fetch_all(&mut connection)
            .await
            .expect("read the database's files");
            let _ = connection.close().await;
            assert!(rows.len() > 10, "the database folder was read");
            rows.iter()
                .map(|row| {
                    (
                        format!("{folder}/{}", row.get::<String, _>("name")),
                        row.get("bytes"),
                    )
                })
                .collect()
        }
    }
}

/// A SQLite database's main file and its companions that exist, as raw bytes.
pub fn sqlite_files(path: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for suffix in ["", "-wal", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let name = std::path::PathBuf::from(name);
        if let Ok(bytes) = std::fs::read(&name) {
            files.push((name.display().to_string(), bytes));
        }
    }
    assert!(!files.is_empty(), "the database file is there");
    files
}

/// Where in `files` any of `needles` occurs: (file, which needle).
pub fn occurrences(files: &[(String, Vec<u8>)], needles: &[(&str, &[u8])]) -> Vec<String> {
    let mut found = Vec::new();
    for (file, bytes) in files {
        for (what, needle) in needles {
            if memchr::memmem::find(bytes, needle).is_some() {
                found.push(format!("{what} in {file}"));
            }
        }
    }
    found
}

/// A pulse every Monday at 09:00 UTC, two statements, open two days, with `extra` options.
pub async fn set_up_with(bot: &TestBot, extra: &[(&str, Value)]) {
    let mut options: Vec<(&str, Value)> = vec![
        ("channel", TEXT_CHANNEL_ID.to_string().into()),
        ("day", 0.into()),
        ("time", "09:00".into()),
        ("statements", 2.into()),
        ("open_for", "2d".into()),
    ];
    options.extend(extra.iter().cloned());
    let answer = pulse(bot, ADMIN_ID, "setup", &options).await;
    answer
        .assert_accepted(CALLBACK_MESSAGE)
        .assert_mentions_nobody();
    answer.assert_says("reminder:");
}

/// The focus posts in the channel so far.
pub fn focus_posts(bot: &TestBot) -> Vec<Value> {
    posts_titled(bot, "Our focus")
}

/// `user` presses the result's "Choose our focus" button.
pub async fn press_focus(bot: &TestBot, result: u64, user: u64) -> Answer {
    let post = bot.fake().message(result).expect("the result");
    let button = message_custom_ids(&post)
        .into_iter()
        .find(|id| id.starts_with("bb:fo:"))
        .expect("the focus button");
    bot.click_message(TEXT_CHANNEL_ID, result, &button, user)
        .await
}

/// The lead picks statement button `statement` then action button `action` in the private
/// steps `steps` opened; the last private answer.
pub async fn choose(bot: &TestBot, steps: Answer, statement: usize, action: usize) -> Answer {
    assert!(steps.is_ephemeral(), "private: {}", steps.body());
    let pick = steps.custom_ids()[statement].to_string();
    assert!(pick.starts_with("bb:fs:"), "{pick}");
    let actions = bot.click_on(&steps, &pick, ADMIN_ID).await;
    let pick = actions.custom_ids()[action].to_string();
    assert!(pick.starts_with("bb:fa:"), "{pick}");
    bot.click_on(&actions, &pick, ADMIN_ID).await
}

/// The pulse set up for Monday 30 November opens, three members answer it (5 and 1), and it
/// closes on Wednesday with a result that shows scores: the result's message id.
pub async fn a_result_with_scores(
    bot: &TestBot,
    events: &mut broadcast::Receiver<ScheduleEvent>,
) -> u64 {
    clock(bot).set(at("2026-11-30T09:00:00Z"));
    let message = posted(events, DutyKind::Pulse).await;
    for member in &MEMBERS[..3] {
        answer(bot, message, *member, &[5, 1]).await;
    }
    clock(bot).set(at("2026-12-02T09:00:00Z"));
    posted(events, DutyKind::PulseResult).await
}

/// Week one: a pulse three members answer, its result, and the lead's focus (first statement
/// offered, first action).
pub async fn a_week_with_a_focus(bot: &TestBot, events: &mut broadcast::Receiver<ScheduleEvent>) {
    let result = a_result_with_scores(bot, events).await;
    let steps = press_focus(bot, result, ADMIN_ID).await;
    choose(bot, steps, 0, 0).await;
    assert_eq!(focus_posts(bot).len(), 1);
}

/// What each select of a form shows once closed: the label of its picked option, or its
/// placeholder when nothing is picked (what Discord draws in the collapsed menu).
pub fn shown_in_selects(form: &Value) -> Vec<String> {
    form["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().into_iter().flatten())
        .filter(|c| c["options"].is_array())
        .map(|select| {
            select["options"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|o| o["default"].as_bool() == Some(true))
                .and_then(|o| o["label"].as_str())
                .or(select["placeholder"].as_str())
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

/// Adds one entry of the server's own, as an admin's form would, and returns its item id.
pub async fn add_team_entry(bot: &TestBot, body: TeamBody) -> String {
    let added = bot
        .running()
        .store()
        .add_team_entries(
            GUILD_ID,
            &[NewTeamEntry {
                kind: body.kind(),
                fields: body.to_json(),
                suggested_by: None,
            }],
            ADMIN_ID,
            |_| 100,
            at("2026-11-30T08:00:00Z"),
        )
        .await
        .expect("added");
    let Added::All(ids) = added else {
        panic!("{added:?}")
    };
    bridgebot::model::team::item_id(ids[0])
}
