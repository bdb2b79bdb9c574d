//! serenity's own HTTP client against the fake: every answer must deserialize into serenity's
//! models (a shape serenity cannot parse would make the bot fail for reasons Discord never
//! gives), errors must carry Discord's codes, and faults must arrive as the errors they imitate.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use fake_discord::*;
use serde_json::json;
use serenity::all::{
    ButtonStyle, ChannelId, ChannelType, CreateActionRow, CreateAllowedMentions, CreateButton,
    CreateEmbed, CreateMessage, CreatePoll, CreatePollAnswer, CreateThread, EditMessage, GuildId,
    HttpBuilder, UserId,
};
use serenity::http::Http;

fn http(fd: &FakeDiscord) -> Http {
    HttpBuilder::new("fake-token")
        .proxy(fd.api_base())
        .ratelimiter_disabled(true)
        .application_id(APP_ID.into())
        .build()
}

/// Status and Discord error code of a failed serenity call.
fn discord_error<T: std::fmt::Debug>(result: serenity::Result<T>) -> (u16, isize) {
    match result.expect_err("the call should fail") {
        serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(response)) => {
            (response.status_code.as_u16(), response.error.code)
        }
        other => panic!("expected an unsuccessful request, got {other:?}"),
    }
}

fn quiet() -> CreateAllowedMentions {
    CreateAllowedMentions::new()
}

#[tokio::test]
async fn world_routes_deserialize_with_serenity() {
    let fd = FakeDiscord::start().await;
    let http = http(&fd);

    let gateway = http.get_gateway().await.expect("GET /gateway");
    assert_eq!(gateway.url, fd.gateway_url());
    let bot_gateway = http.get_bot_gateway().await.expect("GET /gateway/bot");
    assert_eq!(bot_gateway.shards, 1);
    let me = http.get_current_user().await.expect("GET /users/@me");
    assert_eq!(me.id, UserId::new(BOT_USER_ID));
    assert!(me.bot);
    let app = http
        .get_current_application_info()
        .await
        .expect("GET /oauth2/applications/@me");
    assert_eq!(app.owner.map(|o| o.id), Some(UserId::new(APP_OWNER_ID)));

    let guild = http
        .get_guild(GuildId::new(GUILD_ID))
        .await
        .expect("GET /guilds/{id}");
    assert_eq!(guild.owner_id, UserId::new(OWNER_ID));
    assert_eq!(guild.roles.len(), 3);
    let channels = http
        .get_channels(GuildId::new(GUILD_ID))
        .await
        .expect("GET /guilds/{id}/channels");
    assert_eq!(
        channels.len(),
        5,
        "every channel parses (serenity skips ones that do not)"
    );
    let roles = http
        .get_guild_roles(GuildId::new(GUILD_ID))
        .await
        .expect("GET roles");
    assert!(roles
        .iter()
        .any(|r| r.id.get() == TEAM_ROLE_ID && r.mentionable));
    let admin = http
        .get_member(GuildId::new(GUILD_ID), UserId::new(ADMIN_ID))
        .await
        .expect("GET member");
    assert_eq!(
        admin.roles.iter().map(|r| r.get()).collect::<Vec<_>>(),
        vec![ADMIN_ROLE_ID]
    );
    let text = http
        .get_channel(ChannelId::new(TEXT_CHANNEL_ID))
        .await
        .expect("GET channel");
    assert_eq!(text.guild().map(|c| c.kind), Some(ChannelType::Text));
    let voice = http
        .get_channel(ChannelId::new(VOICE_CHANNEL_ID))
        .await
        .expect("GET voice channel");
    assert_eq!(voice.guild().map(|c| c.kind), Some(ChannelType::Voice));
}

#[tokio::test]
async fn messages_polls_and_threads_round_trip() {
    let fd = FakeDiscord::start().await;
    let http = http(&fd);
    let channel = ChannelId::new(TEXT_CHANNEL_ID);

    let row = CreateActionRow::Buttons(vec![
        CreateButton::new("again")
            .label("Again")
            .style(ButtonStyle::Primary),
        CreateButton::new_link("https://example.invalid").label("Docs"),
    ]);
    let sent = channel
        .send_message(
            &http,
            CreateMessage::new()
                .content("hello")
                .embed(
                    CreateEmbed::new()
                        .title("t")
                        .description("d")
                        .field("n", "v", true),
                )
                .components(vec![row])
                .allowed_mentions(quiet()),
        )
        .await
        .expect("POST message");
    assert_eq!(sent.author.id, UserId::new(BOT_USER_ID));
    assert_eq!(sent.embeds[0].fields[0].value, "v");
    assert_eq!(sent.components.len(), 1, "components parse back");

    let edited = channel
        .edit_message(&http, sent.id, EditMessage::new().content("edited"))
        .await
        .expect("PATCH message");
    assert_eq!(edited.content, "edited");
    assert!(edited.edited_timestamp.is_some());

    let poll = CreatePoll::new()
        .question("Lead or manage?")
        .answers(vec![
            CreatePollAnswer::new().text("Lead"),
            CreatePollAnswer::new().text("Manage"),
        ])
        .duration(Duration::from_secs(24 * 3600));
    let poll_message = channel
        .send_message(
            &http,
            CreateMessage::new().poll(poll).allowed_mentions(quiet()),
        )
        .await
        .expect("POST poll");
    let results = poll_message
        .poll
        .as_ref()
        .and_then(|p| p.results.as_ref())
        .expect("results");
    assert!(!results.is_finalized);
    fd.set_poll_votes(TEXT_CHANNEL_ID, poll_message.id.get(), &[(1, 3), (2, 1)]);
    let fetched = http
        .get_message(channel, poll_message.id)
        .await
        .expect("GET message");
    let counts = &fetched
        .poll
        .as_ref()
        .and_then(|p| p.results.as_ref())
        .expect("results")
        .answer_counts;
    assert_eq!(
        counts.iter().map(|c| c.count).collect::<Vec<_>>(),
        vec![3, 1]
    );
    let expired = http
        .expire_poll(channel, poll_message.id)
        .await
        .expect("POST expire");
    assert!(expired
        .poll
        .and_then(|p| p.results)
        .is_some_and(|r| r.is_finalized));

    let thread = channel
        .create_thread_from_message(&http, sent.id, CreateThread::new("discussion"))
        .await
        .expect("POST thread");
    assert_eq!(thread.kind, ChannelType::PublicThread);
    assert_eq!(
        thread.id.get(),
        sent.id.get(),
        "a thread takes its message's id"
    );
    let in_thread = thread
        .id
        .send_message(
            &http,
            CreateMessage::new()
                .content("inside")
                .allowed_mentions(quiet()),
        )
        .await
        .expect("POST in thread");
    assert_eq!(in_thread.channel_id, thread.id);

    channel
        .delete_message(&http, sent.id)
        .await
        .expect("DELETE message");
    assert_eq!(
        discord_error(http.get_message(channel, sent.id).await),
        (404, 10008)
    );
    assert_eq!(
        fd.channel_messages(TEXT_CHANNEL_ID).len(),
        1,
        "only the poll is left"
    );
}

#[tokio::test]
async fn poll_results_finalize_after_the_configured_lag() {
    let fd = FakeDiscord::start_with(FakeOptions {
        poll_finalize_lag: 2,
        ..FakeOptions::default()
    })
    .await;
    let http = http(&fd);
    let channel = ChannelId::new(TEXT_CHANNEL_ID);
    let poll = CreatePoll::new()
        .question("Q")
        .answers(vec![
            CreatePollAnswer::new().text("a"),
            CreatePollAnswer::new().text("b"),
        ])
        .duration(Duration::from_secs(3600));
    let message = channel
        .send_message(
            &http,
            CreateMessage::new().poll(poll).allowed_mentions(quiet()),
        )
        .await
        .expect("POST poll");
    fd.expire_poll(TEXT_CHANNEL_ID, message.id.get());
    let mut finalized = Vec::new();
    for _ in 0..3 {
        let fetched = http.get_message(channel, message.id).await.expect("GET");
        finalized.push(
            fetched
                .poll
                .and_then(|p| p.results)
                .is_some_and(|r| r.is_finalized),
        );
    }
    assert_eq!(finalized, vec![false, false, true]);
}

#[tokio::test]
async fn the_world_refuses_like_discord() {
    let fd = FakeDiscord::start().await;
    let http = http(&fd);
    let hidden = http.get_channel(ChannelId::new(HIDDEN_CHANNEL_ID)).await;
    assert_eq!(discord_error(hidden), (403, 50001));
    let poll = CreatePoll::new()
        .question("Q")
        .answers(vec![CreatePollAnswer::new().text("a")])
        .duration(Duration::from_secs(3600));
    let no_polls = ChannelId::new(NO_POLLS_CHANNEL_ID)
        .send_message(
            &http,
            CreateMessage::new().poll(poll).allowed_mentions(quiet()),
        )
        .await;
    assert_eq!(discord_error(no_polls), (403, 50013));
    let unknown = http.get_channel(ChannelId::new(12345)).await;
    assert_eq!(discord_error(unknown), (404, 10003));

    fd.delete_channel(SECOND_TEXT_CHANNEL_ID);
    let deleted = ChannelId::new(SECOND_TEXT_CHANNEL_ID)
        .send_message(
            &http,
            CreateMessage::new().content("x").allowed_mentions(quiet()),
        )
        .await;
    assert_eq!(discord_error(deleted), (404, 10003));

    fd.set_channel_overwrites(
        TEXT_CHANNEL_ID,
        vec![Overwrite::deny_everyone(GUILD_ID, perms::SEND_MESSAGES)],
    );
    let muted = ChannelId::new(TEXT_CHANNEL_ID)
        .send_message(
            &http,
            CreateMessage::new().content("x").allowed_mentions(quiet()),
        )
        .await;
    assert_eq!(discord_error(muted), (403, 50013));

    let invite = http.get_invite("abc", false, false, None).await;
    assert_eq!(discord_error(invite).0, 404);
    let violations = fd.take_violations();
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert!(
        violations[0]
            .reason
            .starts_with("unhandled route GET /invites/abc"),
        "{violations:?}"
    );
}

#[tokio::test]
async fn faults_reach_serenity_as_errors() {
    let fd = FakeDiscord::start().await;
    let http = http(&fd);
    let channel = ChannelId::new(TEXT_CHANNEL_ID);
    let post = || {
        channel.send_message(
            &http,
            CreateMessage::new().content("x").allowed_mentions(quiet()),
        )
    };

    fd.fail_next(
        RouteMatcher::prefix("POST", "/channels/"),
        Fault::RateLimited { retry_after: 1.5 },
        1,
    );
    fd.fail_next(
        RouteMatcher::prefix("POST", "/channels/"),
        Fault::ServerError(502),
        1,
    );
    fd.fail_next(
        RouteMatcher::contains("*", "/messages"),
        Fault::MissingPermissions,
        1,
    );
    fd.fail_next(RouteMatcher::any("POST"), Fault::UnknownChannel, 1);
    let (status, code) = discord_error(post().await);
    assert_eq!(status, 429);
    assert_eq!(
        code, -1,
        "Discord's 429 body has no code, so serenity cannot decode it"
    );
    assert_eq!(discord_error(post().await).0, 502);
    assert_eq!(discord_error(post().await), (403, 50013));
    assert_eq!(discord_error(post().await), (404, 10003));
    post().await.expect("faults are used up");
    let faulted: Vec<_> = fd.requests().into_iter().filter_map(|r| r.fault).collect();
    assert_eq!(faulted.len(), 4);

    fd.fail_next(
        RouteMatcher::prefix("GET", "/users/@me"),
        Fault::Delay(Duration::from_millis(300)),
        1,
    );
    let started = Instant::now();
    http.get_current_user()
        .await
        .expect("a delayed answer is still an answer");
    assert!(started.elapsed() >= Duration::from_millis(300));
}

/// serenity hides response headers, so read the 429 with a raw HTTP/1.1 request.
#[tokio::test]
async fn a_rate_limit_carries_retry_after_header_and_body() {
    let fd = FakeDiscord::start().await;
    fd.fail_next(
        RouteMatcher::prefix("GET", "/gateway"),
        Fault::RateLimited { retry_after: 1.25 },
        1,
    );
    let address = fd.api_base().trim_start_matches("http://").to_string();
    let response = tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(address).expect("connect");
        let request = "GET /api/v10/gateway HTTP/1.1\r\nHost: fake\r\nAuthorization: Bot x\r\nConnection: close\r\n\r\n";
        stream.write_all(request.as_bytes()).expect("write");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        response
    })
    .await
    .expect("raw request");
    assert!(response.starts_with("HTTP/1.1 429"), "{response}");
    assert!(
        response.to_ascii_lowercase().contains("retry-after: 2"),
        "{response}"
    );
    let body = response.split("\r\n\r\n").nth(1).expect("body");
    let json: serde_json::Value = serde_json::from_str(body).expect("JSON body");
    assert_eq!(
        json,
        json!({"message": "You are being rate limited.", "retry_after": 1.25, "global": false})
    );
}

#[tokio::test]
async fn the_rest_rate_limit_option_answers_429() {
    let fd = FakeDiscord::start_with(FakeOptions {
        rest_rate_limit: Some(3),
        ..FakeOptions::default()
    })
    .await;
    let http = http(&fd);
    let channel = ChannelId::new(TEXT_CHANNEL_ID);
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let result = channel
            .send_message(
                &http,
                CreateMessage::new().content("x").allowed_mentions(quiet()),
            )
            .await;
        statuses.push(result.map_or_else(|e| discord_error::<()>(Err(e)).0, |_| 200));
    }
    assert_eq!(statuses[..3], [200, 200, 200], "{statuses:?}");
    assert!(statuses[3..].iter().all(|s| *s == 429), "{statuses:?}");
    assert_eq!(fd.rate_limited_count(), 2);
}

#[tokio::test]
async fn limit_violations_are_recorded_and_rejected() {
    let fd = FakeDiscord::start().await;
    let http = http(&fd);
    let channel = ChannelId::new(TEXT_CHANNEL_ID);
    // serenity checks content length itself, so send raw JSON like a careless bot could.
    let too_long = json!({"content": "x".repeat(2001), "allowed_mentions": {"parse": []}});
    let rejected = http.send_message(channel, Vec::new(), &too_long).await;
    assert_eq!(discord_error(rejected), (400, 50035));
    // serenity does not check field lengths at all.
    let long_field = CreateEmbed::new().field("name", "v".repeat(1025), false);
    let rejected = channel
        .send_message(
            &http,
            CreateMessage::new()
                .embed(long_field)
                .allowed_mentions(quiet()),
        )
        .await;
    assert_eq!(discord_error(rejected), (400, 50035));
    // Without allowed_mentions Discord accepts, but the project forbids it.
    channel
        .send_message(&http, CreateMessage::new().content("ping?"))
        .await
        .expect("accepted");
    let everyone = CreateAllowedMentions::new().everyone(true);
    channel
        .send_message(
            &http,
            CreateMessage::new()
                .content("@everyone")
                .allowed_mentions(everyone),
        )
        .await
        .expect("accepted");
    fd.allow_role_mention(TEAM_ROLE_ID);
    let team = CreateAllowedMentions::new().roles(vec![TEAM_ROLE_ID]);
    channel
        .send_message(
            &http,
            CreateMessage::new().content("team!").allowed_mentions(team),
        )
        .await
        .expect("an allowed role is fine");

    let reasons: Vec<String> = fd.take_violations().into_iter().map(|v| v.reason).collect();
    assert_eq!(reasons.len(), 4, "{reasons:?}");
    assert!(
        reasons[0].contains("content is 2001 characters"),
        "{reasons:?}"
    );
    assert!(
        reasons[1].contains("fields[0].value is 1025 characters"),
        "{reasons:?}"
    );
    assert!(
        reasons[2].contains("allowed_mentions is missing"),
        "{reasons:?}"
    );
    assert!(reasons[3].contains("@everyone"), "{reasons:?}");
    fd.assert_no_violations();
}

#[tokio::test]
#[should_panic(expected = "broke 1 rule")]
async fn dropping_a_fake_with_violations_panics() {
    let fd = FakeDiscord::start().await;
    let http = http(&fd);
    let _ = http.get_invite("nope", false, false, None).await;
    drop(fd);
}
