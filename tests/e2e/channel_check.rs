//! The admin commands' channel check end to end, with serenity's cache off as the bot runs it:
//! the bot keeps no copy of its servers, so what it lacks in a channel comes from Discord. In
//! the channel the command was typed in, from the interaction (`app_permissions`; each case
//! asserts no GET was made); in another, from GET guild, GET channel and GET the bot's member
//! (each case asserts all three were made).

use fake_discord::{
    perms, Fault, Overwrite, OverwriteTarget, RecordedRequest, RouteMatcher, ADMIN_ID, BOT_USER_ID,
    GUILD_ID, HIDDEN_CHANNEL_ID, SECOND_TEXT_CHANNEL_ID, TEXT_CHANNEL_ID,
};
use serde_json::Value;

use crate::support::on_both_engines;
use crate::support::{Answer, TestBot, CALLBACK_MESSAGE};

/// A setup command that checks a channel.
struct Setup {
    command: &'static str,
    sub: &'static str,
    /// The options besides the channel and the time.
    options: &'static [(&'static str, i64)],
    /// Words of its confirmation.
    confirmed: &'static str,
}

const SETUPS: [Setup; 4] = [
    Setup {
        command: "tips",
        sub: "setup",
        options: &[],
        confirmed: "Daily tips are set",
    },
    Setup {
        command: "polls",
        sub: "setup",
        options: &[("kind", 0), ("day", 0)],
        confirmed: "poll will run in",
    },
    Setup {
        command: "pulse",
        sub: "setup",
        options: &[("day", 0)],
        confirmed: "A team pulse will open",
    },
    Setup {
        command: "digest",
        sub: "setup",
        options: &[("day", 4)],
        confirmed: "A weekly digest will be posted",
    },
];

/// Runs `setup` as the admin, typed in `from`, for `channel`.
async fn set_up(bot: &TestBot, setup: &Setup, from: u64, channel: u64) -> Answer {
    let mut slash = bot
        .fake()
        .slash(setup.command)
        .subcommand(setup.sub)
        .as_user(ADMIN_ID)
        .in_channel(from)
        .option("channel", channel.to_string())
        .option("time", "11:00");
    for (name, value) in setup.options {
        slash = slash.option(name, Value::from(*value));
    }
    let answer = bot.ask(slash).await;
    answer
        .assert_accepted(CALLBACK_MESSAGE)
        .assert_mentions_nobody();
    assert!(answer.is_ephemeral(), "{}", answer.body());
    answer
}

/// The requests the bot made from `since` (a count of requests) on.
fn requests_since(bot: &TestBot, since: usize) -> Vec<RecordedRequest> {
    bot.fake()
        .requests()
        .into_iter()
        .filter(|r| r.index >= since)
        .collect()
}

/// The GETs a check of `channel` asks Discord, in any order.
fn check_routes(channel: u64) -> [String; 3] {
    [
        format!("/guilds/{GUILD_ID}"),
        format!("/channels/{channel}"),
        format!("/guilds/{GUILD_ID}/members/{BOT_USER_ID}"),
    ]
}

fn gets(requests: &[RecordedRequest]) -> Vec<&str> {
    requests
        .iter()
        .filter(|r| r.method == "GET")
        .map(RecordedRequest::route)
        .collect()
}

/// Gives the bot a role of its own (as Discord does when a bot joins), and in the second text
/// channel an overwrite denying that role Send Messages.
fn deny_send_messages_to_the_bots_role(bot: &TestBot) {
    let fake = bot.fake();
    let role = fake.add_role(GUILD_ID, "bridgebot", 0);
    fake.set_member_roles(GUILD_ID, BOT_USER_ID, vec![role]);
    fake.set_channel_overwrites(
        SECOND_TEXT_CHANNEL_ID,
        vec![Overwrite {
            target: OverwriteTarget::Role(role),
            allow: 0,
            deny: perms::SEND_MESSAGES,
        }],
    );
}

#[tokio::test]
async fn a_channel_denying_send_messages_to_the_bots_role_is_refused_and_a_fine_one_is_not() {
    let bot = TestBot::start().await;
    deny_send_messages_to_the_bots_role(&bot);
    for setup in &SETUPS {
        let Setup {
            command, confirmed, ..
        } = setup;
        // Another channel than the command's: asked over REST.
        let before = bot.fake().requests().len();
        let refused = set_up(&bot, setup, TEXT_CHANNEL_ID, SECOND_TEXT_CHANNEL_ID).await;
        let text = refused.text().unwrap_or_default();
        assert!(
            text.contains("I am missing Send Messages there"),
            "/{command}: {text}"
        );
        assert!(!text.contains(confirmed), "/{command}: {text}");
        let asked = requests_since(&bot, before);
        for route in check_routes(SECOND_TEXT_CHANNEL_ID) {
            assert!(
                gets(&asked).contains(&route.as_str()),
                "/{command}: {route} not asked"
            );
        }

        // The command's own channel: the interaction says, nothing is asked.
        let before = bot.fake().requests().len();
        let refused = set_up(&bot, setup, SECOND_TEXT_CHANNEL_ID, SECOND_TEXT_CHANNEL_ID).await;
        let text = refused.text().unwrap_or_default();
        assert!(
            text.contains("I am missing Send Messages there"),
            "/{command}: {text}"
        );
        let asked = requests_since(&bot, before);
        assert_eq!(
            gets(&asked),
            Vec::<&str>::new(),
            "/{command}: asked Discord"
        );

        // A fine channel, asked over REST and from the interaction: no warning.
        for from in [SECOND_TEXT_CHANNEL_ID, TEXT_CHANNEL_ID] {
            let fine = set_up(&bot, setup, from, TEXT_CHANNEL_ID).await;
            let text = fine.text().unwrap_or_default();
            assert!(text.contains(confirmed), "/{command} from {from}: {text}");
            assert!(!text.contains("missing"), "/{command} from {from}: {text}");
            assert!(!text.contains("could not check"), "/{command}: {text}");
        }
    }
    bot.fake().assert_no_violations();
    bot.shutdown().await;
}

#[tokio::test]
async fn a_channel_the_bot_cannot_see_is_refused_for_view_channel_only() {
    let bot = TestBot::start().await;
    let refused = set_up(&bot, &SETUPS[0], TEXT_CHANNEL_ID, HIDDEN_CHANNEL_ID).await;
    let text = refused.text().unwrap_or_default();
    assert!(text.contains("I am missing View Channel there"), "{text}");
    bot.shutdown().await;
}

async fn a_check_discord_does_not_answer_is_saved_and_says_it_could_not_check() {
    let bot = TestBot::start().await;
    bot.fake().fail_next(
        RouteMatcher::exact("GET", format!("/guilds/{GUILD_ID}/members/{BOT_USER_ID}")),
        Fault::ServerError(500),
        1,
    );
    let saved = set_up(&bot, &SETUPS[0], TEXT_CHANNEL_ID, SECOND_TEXT_CHANNEL_ID).await;
    let text = saved.text().unwrap_or_default();
    assert!(text.contains("Daily tips are set"), "{text}");
    assert!(
        text.contains(&format!(
            "I could not check my permissions in <#{SECOND_TEXT_CHANNEL_ID}>"
        )) && text.contains("View Channel, Send Messages, Embed Links"),
        "{text}"
    );
    // Asked again once Discord answers: the status says the channel is fine.
    let status = bot
        .ask(
            bot.fake()
                .slash("tips")
                .subcommand("status")
                .as_user(ADMIN_ID),
        )
        .await;
    let body = status.body().to_string();
    assert!(
        body.contains("Can I post there?") && body.contains("Yes."),
        "{body}"
    );
    bot.shutdown().await;
}

on_both_engines!(a_check_discord_does_not_answer_is_saved_and_says_it_could_not_check,);
