//! Files a reply carries reach Discord as uploads: a channel post through the bot's own REST
//! client (what the poster sends) and an interaction answer or follow-up through poise and
//! serenity (what commands send) each arrive at the fake as a multipart body, the message in
//! `payload_json` naming its files and each file, byte for byte, in a `files[n]` part.

use bridgebot::chart::{self, WeekPoint, CHART_FILE};
use bridgebot::config::{ApiBase, Config};
use bridgebot::discord::convert::poise_reply;
use bridgebot::discord::poster::DiscordPoster;
use bridgebot::model::ids::ChannelId;
use bridgebot::port::{Addressing, Poster as _};
use bridgebot::reply::{Embed, Reply};
use bridgebot::rest::Rest;
use fake_discord::{FakeDiscord, RecordedRequest, APP_ID, TEXT_CHANNEL_ID};
use poise::serenity_prelude as serenity;
use serenity::{
    Builder as _, CreateInteractionResponse, CreateInteractionResponseFollowup,
    CreateInteractionResponseMessage, HttpBuilder, InteractionId,
};

use crate::support;

fn chart_reply() -> Reply {
    let weeks: Vec<WeekPoint> = (0..12)
        .map(|week| WeekPoint {
            week: jiff::civil::date(2026, 9, 7)
                .checked_add(jiff::Span::new().weeks(week))
                .expect("in range"),
            leading: Some(3.0 + 0.1 * week as f64),
            managing: (week != 4).then_some(3.5),
            focus: false,
        })
        .collect();
    let png = chart::trend(&weeks, "withheld (fewer than 3 answers)").expect("renders");
    Reply::embed(Embed {
        title: Some("Team pulse".into()),
        ..Embed::default()
    })
    .with_attachment(CHART_FILE, png.bytes)
}

/// The request carried the reply's one file as `files[0]`, named in `payload_json`.
fn assert_uploaded(request: &RecordedRequest, reply: &Reply, payload_pointer: &str) {
    let sent = &reply.attachments[0];
    assert_eq!(request.files.len(), 1, "{:?}", request.files);
    let file = &request.files[0];
    assert_eq!(file.field, "files[0]");
    assert_eq!(file.filename.as_deref(), Some(CHART_FILE));
    assert_eq!(file.content_type.as_deref(), Some("image/png"));
    assert!(file.bytes == sent.bytes, "the file arrived changed");
    let attachments = request
        .body_at(payload_pointer)
        .and_then(|a| a.as_array())
        .unwrap_or_else(|| panic!("no {payload_pointer} in {:?}", request.body));
    assert_eq!(attachments.len(), 1);
    assert_eq!(attachments[0]["id"].as_u64(), Some(0));
    assert_eq!(attachments[0]["filename"], CHART_FILE);
}

#[tokio::test]
async fn a_channel_post_uploads_its_files() {
    let fake = FakeDiscord::start().await;
    let mut config = Config::default();
    config.discord.api_base = Some(ApiBase::parse(&fake.api_base()).expect("api base"));
    let token = config
        .token(|_| Some(support::TOKEN.into()))
        .expect("token");
    let poster = DiscordPoster::new(Rest::new(&config.discord, &token).expect("client"));
    let reply = chart_reply();
    let mark = fake.mark();
    poster
        .post(
            ChannelId::new(TEXT_CHANNEL_ID),
            &reply,
            Addressing::default(),
        )
        .await
        .expect("the fake accepts the post");
    let request = fake
        .wait_request(mark, |r| r.is("POST", "/channels/"))
        .await;
    assert_eq!(request.status, Some(200));
    assert_uploaded(&request, &reply, "/attachments");
    assert_eq!(
        request.body_at("/embeds/0/title"),
        Some(&"Team pulse".into())
    );
    let posted = fake.channel_messages(TEXT_CHANNEL_ID);
    let shown = &posted.last().expect("the post is stored")["attachments"][0];
    assert_eq!(shown["filename"], CHART_FILE);
    assert_eq!(
        shown["size"].as_u64(),
        Some(reply.attachments[0].bytes.len() as u64)
    );
    fake.assert_no_violations();
}

#[tokio::test]
async fn an_interaction_answer_and_a_follow_up_upload_their_files() {
    let fake = FakeDiscord::start().await;
    let http = HttpBuilder::new(support::TOKEN)
        .proxy(fake.api_base())
        .ratelimiter_disabled(true)
        .application_id(APP_ID.into())
        .build();
    let reply = chart_reply();
    let interaction = fake.slash("pulse").send().await;

    let mark = fake.mark();
    let message =
        poise_reply(&reply).to_slash_initial_response(CreateInteractionResponseMessage::new());
    CreateInteractionResponse::Message(message)
        .execute(
            &http,
            (InteractionId::new(interaction.id), &interaction.token),
        )
        .await
        .expect("the fake accepts the answer");
    let callback = fake
        .wait_request(mark, |r| r.route() == interaction.callback_route())
        .await;
    assert_uploaded(&callback, &reply, "/data/attachments");

    let mark = fake.mark();
    poise_reply(&reply)
        .to_slash_followup_response(CreateInteractionResponseFollowup::new())
        .execute(&http, (None, &interaction.token))
        .await
        .expect("the fake accepts the follow-up");
    let followup = fake
        .wait_request(mark, |r| r.is("POST", "/webhooks/"))
        .await;
    assert_uploaded(&followup, &reply, "/attachments");
    fake.assert_no_violations();
}
