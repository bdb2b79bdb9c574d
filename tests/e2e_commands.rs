//! End to end: every slash command, autocomplete, the "Another contrast" button, bad input and
//! gateway faults, answered by the real bot through a fake Discord on loopback.

mod support;

use fake_discord::{APP_ID, GUILD_ID};
use support::{TestBot, CALLBACK_MESSAGE, TOKEN};

fn sorted(names: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut names: Vec<String> = names.into_iter().collect();
    names.sort();
    names
}

// ----- start-up ----------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starts_against_the_fake_and_registers_every_command_in_the_guild() {
    let bot = TestBot::start().await;
    let fake = bot.fake();
    assert_eq!(
        bot.config().discord.api_base.as_ref().map(|b| b.as_str()),
        Some(fake.api_base().as_str())
    );
    assert!(bot.config().content.dir.is_none(), "bundled content only");

    let identify = fake
        .frames()
        .into_iter()
        .find(|f| f.is_from_bot(2))
        .expect("the bot identified");
    assert_eq!(identify.json["d"]["token"], format!("Bot {TOKEN}"));
    assert!(fake.frames().iter().any(|f| f.is_dispatch("READY")));
    assert_eq!(fake.sessions_started(), 1);

    let routes: Vec<String> = fake
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.route()))
        .collect();
    assert!(routes.contains(&"GET /gateway".into()), "{routes:?}");
    let guild_route = format!("PUT /applications/{APP_ID}/guilds/{GUILD_ID}/commands");
    let registrations: Vec<&String> = routes.iter().filter(|r| r.ends_with("/commands")).collect();
    assert_eq!(
        registrations,
        [&guild_route],
        "registered in the guild only"
    );

    let guild = GUILD_ID.to_string();
    let registered = sorted(
        fake.registered_commands()
            .iter()
            .filter(|c| c["guild_id"].as_str() == Some(guild.as_str()))
            .filter_map(|c| c["name"].as_str().map(str::to_string)),
    );
    let expected = sorted(
        bridgebot::discord::all_commands()
            .into_iter()
            .map(|c| c.name.to_string()),
    );
    assert_eq!(registered, expected);

    // Registered is not enough: the bot answers through the same fake.
    let help = bot.command("help", &[]).await;
    help.assert_accepted(CALLBACK_MESSAGE);
    bot.shutdown().await;
}
