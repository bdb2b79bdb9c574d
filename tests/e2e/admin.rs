//! `/admin reload`: the bot's owners reload edited content without a restart; a bad edit
//! keeps the old content and reports every problem.

use std::path::{Path, PathBuf};

use bridgebot::config::Snowflake;
use fake_discord::{ADMIN_ID, MEMBER_ID};

use crate::support::on_both_engines;
use crate::support::TestBot;

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

async fn bot_reading_a_copy() -> TestBot {
    TestBot::builder()
        .configure(|config, dir| {
            config.content.dir = Some(copy_content(dir));
            config.discord.owners = vec![Snowflake(ADMIN_ID)];
        })
        .start()
        .await
}

fn edit(bot: &TestBot, file: &str, from: &str, to: &str) {
    let path = bot.dir().join("content").join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{from} not in {file}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

async fn contrast_title(bot: &TestBot) -> String {
    let answer = bot
        .ask(
            bot.fake()
                .slash("contrast")
                .option("topic", "vision-execution"),
        )
        .await;
    answer.embed()["title"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

async fn an_owner_reloads_edited_content_and_the_next_answer_uses_it() {
    let bot = bot_reading_a_copy().await;
    assert_eq!(contrast_title(&bot).await, "Vision vs execution");
    edit(
        &bot,
        "contrasts.toml",
        "title = \"Vision vs execution\"",
        "title = \"Vision vs delivery\"",
    );
    let answer = bot
        .ask(
            bot.fake()
                .slash("admin")
                .subcommand("reload")
                .as_user(ADMIN_ID),
        )
        .await;
    assert!(answer.is_ephemeral());
    answer.assert_says("Content reloaded");
    assert_eq!(contrast_title(&bot).await, "Vision vs delivery");
    bot.shutdown().await;
}

#[tokio::test]
async fn a_bad_edit_keeps_the_old_content_and_lists_every_problem_with_its_line() {
    let bot = bot_reading_a_copy().await;
    edit(
        &bot,
        "contrasts.toml",
        "title = \"Vision vs execution\"",
        "title = \"Vision vs delivery\"\ncolour = \"blue\"",
    );
    edit(&bot, "tips.toml", "side = \"both\"", "side = \"all\"");
    let answer = bot
        .ask(
            bot.fake()
                .slash("admin")
                .subcommand("reload")
                .as_user(ADMIN_ID),
        )
        .await;
    assert!(answer.is_ephemeral());
    let listed = answer.embed()["description"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        listed.contains("contrasts.toml:") && listed.contains("colour"),
        "{listed}"
    );
    assert!(
        listed.contains("tips.toml:") && listed.contains("all"),
        "{listed}"
    );
    assert_eq!(
        contrast_title(&bot).await,
        "Vision vs execution",
        "the old content stays in use"
    );
    bot.shutdown().await;
}

#[tokio::test]
async fn someone_who_is_not_an_owner_cannot_reload() {
    let bot = bot_reading_a_copy().await;
    let answer = bot
        .ask(
            bot.fake()
                .slash("admin")
                .subcommand("reload")
                .as_user(MEMBER_ID),
        )
        .await;
    assert!(answer.is_ephemeral());
    answer.assert_says("owners");
    bot.shutdown().await;
}

on_both_engines!(an_owner_reloads_edited_content_and_the_next_answer_uses_it,);
