//! No log line, at the most verbose level, puts a member next to an answer of the team pulse,
//! its follow-up statement included.
//! In the log tests' binary: it sets a log subscriber for its thread, and tests running beside
//! it on other threads, with none, could leave the log lines it looks for unheard (`main.rs`).

use bridgebot::model::duty::DutyKind;

use crate::support::on_both_engines;
use crate::support::pulse::*;

async fn no_log_line_at_trace_puts_a_member_next_to_an_answer() {
    use bridgebot::config::{LogConfig, LogFormat};
    let captured = bridgebot::log::Memory::default();
    let config = LogConfig {
        level: "trace".into(),
        format: LogFormat::Json,
    };
    let filter = bridgebot::log::filter("trace,fake_discord=off");
    let subscriber = bridgebot::log::subscriber(&config, filter, captured.clone());
    let _guard = tracing::subscriber::set_default(subscriber);
    let bot = start().await;
    let mut events = bot.running().schedule_events();
    set_up(&bot).await;
    clock(&bot).set(at("2026-11-30T09:00:00Z"));
    let message = posted(&mut events, DutyKind::Pulse).await;
    for member in MEMBERS {
        answer(&bot, message, member, &[3, 5]).await;
    }
    clock(&bot).set(at("2026-12-02T09:00:00Z"));
    let result = posted(&mut events, DutyKind::PulseResult).await;
    // The lead chooses a focus, and the next week's pulse asks its follow-up too.
    let steps = press_focus(&bot, result, fake_discord::ADMIN_ID).await;
    choose(&bot, steps, 0, 0).await;
    clock(&bot).set(at("2026-12-07T09:00:00Z"));
    let message = posted(&mut events, DutyKind::Pulse).await;
    let post = embed_text(&bot.fake().message(message).expect("pulse"));
    assert!(post.contains("Last week we chose to try"), "{post}");
    for member in MEMBERS {
        answer(&bot, message, member, &[2, 4, 5]).await;
    }
    clock(&bot).set(at("2026-12-09T09:00:00Z"));
    posted(&mut events, DutyKind::PulseResult).await;
    bot.shutdown().await;
    let text = captured.text();
    assert!(
        text.contains("team pulse result posted"),
        "the scenario ran"
    );
    for line in text.lines() {
        for member in MEMBERS {
            let member = member.to_string();
            if !line.contains(&member) {
                continue;
            }
            for answer_mark in ["bb:pp:", "bb:ps:", "\"values\"", "score"] {
                assert!(
                    !line.contains(answer_mark),
                    "a log line names member {member} next to an answer ({answer_mark}): {line}"
                );
            }
        }
    }
}

on_both_engines!(no_log_line_at_trace_puts_a_member_next_to_an_answer);
