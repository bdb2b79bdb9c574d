//! The REST half: Discord's HTTP API under `/api/v10`, as far as a bot like bridgebot uses it.
//!
//! One catch-all handler records the request, applies injected faults and the optional rate
//! limit, then routes by `(method, path segments)`. Routing by hand (rather than with axum's
//! router) keeps every request on one path, so nothing escapes recording, and lets an unknown
//! route become a recorded violation instead of a silent 404.
//!
//! Answers follow Discord: the JSON objects serenity expects, `204` where serenity expects no
//! body, and Discord's error codes (`10003 Unknown Channel`, `50013 Missing Permissions`...)
//! where the world says no.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::serve::ListenerExt as _;
use axum::Router;
use serde_json::{json, Value};
use tokio::sync::watch;
use tracing::debug;

use crate::faults::Fault;
use crate::ids::{perms, APP_ID, BOT_USER_ID};
use crate::limits::{self, MessageMode, Problem};
use crate::messages::{InteractionMeta, StoredMessage, EPHEMERAL, LOADING};
use crate::multipart;
use crate::record::{strip_api_prefix, RecordedRequest, Violation};
use crate::registries::InteractionState;
use crate::world::{ChannelKind, World};
use crate::Shared;

/// Largest request body the fake reads.
const BODY_LIMIT: usize = 64 * 1024 * 1024;

/// Serves the REST API until shutdown.
pub(crate) async fn serve(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    let app = Router::new().fallback(handle).with_state(shared);
    let stop = async move {
        let _ = shutdown.changed().await;
    };
    // Answers go out at once (see the gateway's accept loop for why).
    let listener = listener.tap_io(|tcp| {
        if let Err(error) = tcp.set_nodelay(true) {
            tracing::warn!(%error, "fake discord: cannot set TCP_NODELAY");
        }
    });
    if let Err(error) = axum::serve(listener, app)
        .with_graceful_shutdown(stop)
        .await
    {
        tracing::warn!(%error, "fake discord: REST server stopped");
    }
}

/// A request as the routes see it.
struct Incoming {
    index: usize,
    method: String,
    path: String,
    route: String,
    query: Option<String>,
    body: Option<Value>,
    files: Vec<multipart::UploadedFile>,
}

/// An answer: status, optional JSON, optional rate-limit hint.
#[derive(Debug)]
struct Reply {
    status: u16,
    body: Option<Value>,
    retry_after: Option<f64>,
}

impl Reply {
    fn ok(body: Value) -> Self {
        Self {
            status: 200,
            body: Some(body),
            retry_after: None,
        }
    }

    fn no_content() -> Self {
        Self {
            status: 204,
            body: None,
            retry_after: None,
        }
    }

    fn error(status: u16, code: u64, message: &str) -> Self {
        Self {
            status,
            body: Some(json!({"code": code, "message": message})),
            retry_after: None,
        }
    }

    fn unknown_channel() -> Self {
        Self::error(404, 10003, "Unknown Channel")
    }

    fn unknown_message() -> Self {
        Self::error(404, 10008, "Unknown Message")
    }

    fn missing_access() -> Self {
        Self::error(403, 50001, "Missing Access")
    }

    fn missing_permissions() -> Self {
        Self::error(403, 50013, "Missing Permissions")
    }

    fn unknown_interaction() -> Self {
        Self::error(404, 10062, "Unknown interaction")
    }

    fn unknown_webhook() -> Self {
        Self::error(404, 10015, "Unknown Webhook")
    }

    fn rate_limited(retry_after: f64) -> Self {
        Self {
            status: 429,
            body: Some(
                json!({"message": "You are being rate limited.", "retry_after": retry_after, "global": false}),
            ),
            retry_after: Some(retry_after),
        }
    }

    /// `400 Invalid Form Body` with the problems in Discord's nested `errors` shape.
    fn invalid_form_body(problems: &[Problem]) -> Self {
        let errors: Vec<Value> = problems
            .iter()
            .filter(|p| p.discord_rejects)
            .map(|p| json!({"code": "INVALID_FORM_BODY", "message": p.reason}))
            .collect();
        Self {
            status: 400,
            body: Some(
                json!({"code": 50035, "message": "Invalid Form Body", "errors": {"_errors": errors}}),
            ),
            retry_after: None,
        }
    }

    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = match self.body {
            Some(body) => (
                status,
                [(header::CONTENT_TYPE, "application/json")],
                body.to_string(),
            )
                .into_response(),
            None => status.into_response(),
        };
        if let Some(retry_after) = self.retry_after {
            let headers = response.headers_mut();
            let whole_seconds = retry_after.ceil().max(0.0) as u64;
            headers.insert(header::RETRY_AFTER, HeaderValue::from(whole_seconds));
            if let Ok(value) = HeaderValue::from_str(&format!("{retry_after:.3}")) {
                headers.insert("x-ratelimit-reset-after", value);
            }
            headers.insert("x-ratelimit-scope", HeaderValue::from_static("user"));
        }
        response
    }
}

/// The optional REST rate limit on POST /channels/{id}/messages (a sliding one-second window).
#[derive(Debug, Default)]
pub(crate) struct RateWindow {
    recent: VecDeque<Instant>,
    pub(crate) limited: u64,
}

impl RateWindow {
    /// Admits a request, or says how many seconds to wait.
    fn admit(&mut self, per_second: u32) -> Result<(), f64> {
        let now = Instant::now();
        let window = Duration::from_secs(1);
        while self
            .recent
            .front()
            .is_some_and(|t| now.duration_since(*t) >= window)
        {
            self.recent.pop_front();
        }
        if self.recent.len() < per_second as usize {
            self.recent.push_back(now);
            return Ok(());
        }
        self.limited += 1;
        let oldest = self.recent.front().copied().unwrap_or(now);
        let wait = window.saturating_sub(now.duration_since(oldest));
        Err(wait.as_secs_f64().max(0.001))
    }
}

/// The one handler: record, fault, rate limit, route, record the answer.
async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, BODY_LIMIT)
        .await
        .unwrap_or_default();
    // The moment the whole request has arrived: what latency is measured to.
    let arrived = Instant::now();
    let path = parts.uri.path().to_string();
    let route = strip_api_prefix(&path).to_string();
    let method = parts.method.as_str().to_string();
    let authorization = header_string(&parts.headers, header::AUTHORIZATION);
    let is_multipart = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/"));
    let form = parse_body(&parts.headers, &bytes);
    let body = form.payload_json.clone();
    let index = shared.log.push_request(RecordedRequest {
        index: 0,
        method: method.clone(),
        path: path.clone(),
        query: parts.uri.query().map(str::to_string),
        authorization: authorization.clone(),
        body: body.clone(),
        files: form.files.clone(),
        at: arrived,
        status: None,
        response: None,
        fault: None,
    });
    let incoming = Incoming {
        index,
        body,
        files: form.files.clone(),
        method,
        path,
        route,
        query: parts.uri.query().map(str::to_string),
    };
    if let Some(served) = attachment(&shared, &incoming) {
        shared
            .log
            .finish_request(index, served.status().as_u16(), None);
        return served;
    }
    check_authorization(&shared, &incoming, authorization.as_deref());
    check_upload(&shared, &incoming, &form, is_multipart);
    // Answered in its own task so the request is finished (and recorded as such) even if the
    // client hangs up first, e.g. during a `Fault::Delay`.
    let answering = tokio::spawn(async move {
        let reply = answer(&shared, &incoming).await;
        debug!(method = %incoming.method, path = %incoming.path, status = reply.status, "fake discord: REST");
        shared
            .log
            .finish_request(index, reply.status, reply.body.clone());
        reply
    });
    match answering.await {
        Ok(reply) => reply.into_response(),
        Err(error) => {
            tracing::error!(%error, "fake discord: answering a request panicked");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

fn header_string(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// A member's attachment, served like Discord's CDN (no token needed): the file, or 404 once
/// it has expired. `None` for every other route.
fn attachment(shared: &Shared, req: &Incoming) -> Option<Response> {
    let rest = req.path.strip_prefix("/attachments/")?;
    if req.method != "GET" {
        return None;
    }
    let id: u64 = rest.split('/').next()?.parse().ok()?;
    let world = shared.world();
    Some(match world.attachments.get(&id).filter(|u| u.served) {
        Some(upload) => (
            [(header::CONTENT_TYPE, upload.content_type.clone())],
            upload.bytes.clone(),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    })
}

/// Bot routes need `Authorization: Bot <token>`; interaction routes need none.
fn check_authorization(shared: &Shared, req: &Incoming, authorization: Option<&str>) {
    let token_free = req.route.starts_with("/interactions/") || req.route.starts_with("/webhooks/");
    if !token_free && !authorization.is_some_and(|a| a.starts_with("Bot ")) {
        violation(
            shared,
            req,
            "request without an `Authorization: Bot <token>` header".into(),
        );
    }
}

/// Faults and rate limit first, then the route itself.
async fn answer(shared: &Shared, req: &Incoming) -> Reply {
    let fault = shared.faults().take(&req.method, &req.route);
    if let Some(fault) = fault {
        shared.log.note_fault(req.index, format!("{fault:?}"));
        match fault {
            Fault::Delay(delay) => tokio::time::sleep(delay).await,
            Fault::RateLimited { retry_after } => return Reply::rate_limited(retry_after),
            Fault::ServerError(status) => {
                return Reply {
                    status,
                    body: Some(json!({"message": "Internal Server Error", "code": 0})),
                    retry_after: None,
                }
            }
            Fault::MissingPermissions => return Reply::missing_permissions(),
            Fault::UnknownChannel => return Reply::unknown_channel(),
        }
    }
    if let Some(limit) = shared.options.rest_rate_limit {
        if is_channel_message_post(req) {
            if let Err(retry_after) = shared.rate().admit(limit) {
                return Reply::rate_limited(retry_after);
            }
        }
    }
    route(shared, req)
}

fn is_channel_message_post(req: &Incoming) -> bool {
    let segments: Vec<&str> = req.route.trim_matches('/').split('/').collect();
    req.method == "POST" && matches!(segments.as_slice(), ["channels", _, "messages"])
}

/// The JSON body, or the `payload_json` part and the files of a multipart body.
fn parse_body(headers: &HeaderMap, bytes: &[u8]) -> multipart::Form {
    if bytes.is_empty() {
        return multipart::Form::default();
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if let Some(boundary) = content_type.split("boundary=").nth(1) {
        return multipart::parse(bytes, boundary.trim_matches('"'));
    }
    multipart::Form {
        payload_json: serde_json::from_slice(bytes).ok(),
        ..multipart::Form::default()
    }
}

/// What Discord would refuse in a multipart body: no readable `payload_json`, more than 10
/// files, or a file outside a `files[n]` field.
fn check_upload(shared: &Shared, req: &Incoming, form: &multipart::Form, is_multipart: bool) {
    if !is_multipart {
        return;
    }
    if form.payload_json.is_none() {
        violation(
            shared,
            req,
            "multipart body without a JSON `payload_json` part".into(),
        );
    }
    if form.files.len() > limits::MAX_FILES {
        let reason = format!("{} files (max {})", form.files.len(), limits::MAX_FILES);
        violation(shared, req, reason);
    }
    for file in &form.files {
        let indexed = file
            .field
            .strip_prefix("files[")
            .and_then(|rest| rest.strip_suffix(']'))
            .is_some_and(|n| n.parse::<u32>().is_ok());
        if !indexed {
            let reason = format!("file in the form field `{}`, not `files[n]`", file.field);
            violation(shared, req, reason);
        }
    }
    for field in &form.other_fields {
        violation(shared, req, format!("unexpected form field `{field}`"));
    }
}

fn violation(shared: &Shared, req: &Incoming, reason: String) {
    shared.log.push_violation(Violation {
        reason,
        method: req.method.clone(),
        path: req.path.clone(),
        request_index: Some(req.index),
    });
}

/// Records every problem; returns the 400 to send if Discord would reject the body.
fn report(shared: &Shared, req: &Incoming, problems: &[Problem]) -> Option<Reply> {
    for problem in problems {
        violation(shared, req, problem.reason.clone());
    }
    let rejects = problems.iter().any(|p| p.discord_rejects);
    (rejects && shared.options.reject_invalid_bodies).then(|| Reply::invalid_form_body(problems))
}

fn parse_id(segment: &str) -> Option<u64> {
    segment.parse().ok()
}

/// Routes by method and path segments.
fn route(shared: &Shared, req: &Incoming) -> Reply {
    let segments: Vec<&str> = req.route.trim_matches('/').split('/').collect();
    match (req.method.as_str(), segments.as_slice()) {
        ("GET", ["gateway"]) => Reply::ok(json!({"url": shared.gateway_url()})),
        ("GET", ["gateway", "bot"]) => Reply::ok(json!({
            "url": shared.gateway_url(),
            "shards": 1,
            "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1},
        })),
        ("GET", ["users", "@me"]) => Reply::ok(shared.world().current_user_json()),
        ("GET", ["oauth2", "applications", "@me"] | ["applications", "@me"]) => {
            Reply::ok(shared.world().application_json())
        }
        ("PUT", ["applications", app, "commands"]) => register_commands(shared, req, app, None),
        ("PUT", ["applications", app, "guilds", guild, "commands"]) => {
            register_commands(shared, req, app, parse_id(guild))
        }
        ("GET", ["applications", _, "commands"]) => {
            Reply::ok(shared.world().commands.scope(None).into())
        }
        ("GET", ["applications", _, "guilds", guild, "commands"]) => {
            Reply::ok(shared.world().commands.scope(parse_id(guild)).into())
        }
        ("POST", ["interactions", id, token, "callback"]) => {
            interaction_callback(shared, req, id, token)
        }
        ("POST", ["webhooks", app, token]) => webhook_create(shared, req, app, token),
        (method @ ("GET" | "PATCH" | "DELETE"), ["webhooks", app, token, "messages", message]) => {
            webhook_message(shared, req, method, app, token, message)
        }
        ("POST", ["channels", channel, "messages"]) => create_message(shared, req, channel),
        ("GET", ["channels", channel, "messages"]) => list_messages(shared, req, channel),
        (method @ ("GET" | "PATCH" | "DELETE"), ["channels", channel, "messages", message]) => {
            channel_message(shared, req, method, channel, message)
        }
        ("POST", ["channels", channel, "polls", message, "expire"]) => {
            expire_poll(shared, channel, message)
        }
        ("GET", ["channels", _, "polls", _, "answers", _]) => Reply::ok(json!({"users": []})),
        ("POST", ["channels", channel, "messages", message, "threads"]) => {
            start_thread(shared, req, channel, message)
        }
        ("GET", ["channels", channel]) => get_channel(shared, channel),
        ("GET", ["guilds", guild]) => {
            let world = shared.world();
            parse_id(guild)
                .and_then(|g| world.partial_guild_json(g))
                .map_or_else(unknown_guild, Reply::ok)
        }
        ("GET", ["guilds", guild, "channels"]) => guild_channels(shared, guild),
        ("GET", ["guilds", guild, "roles"]) => {
            let world = shared.world();
            match parse_id(guild).filter(|g| world.guilds.contains_key(g)) {
                Some(g) => Reply::ok(world.roles_json(g).into()),
                None => unknown_guild(),
            }
        }
        ("GET", ["guilds", guild, "members", user]) => guild_member(shared, guild, user),
        _ => {
            violation(
                shared,
                req,
                format!("unhandled route {} {}", req.method, req.route),
            );
            Reply::error(404, 0, "404: Not Found (route unknown to the fake)")
        }
    }
}

fn unknown_guild() -> Reply {
    Reply::error(404, 10004, "Unknown Guild")
}

fn register_commands(shared: &Shared, req: &Incoming, app: &str, guild: Option<u64>) -> Reply {
    if parse_id(app) != Some(APP_ID) {
        violation(
            shared,
            req,
            format!("commands registered for application {app}, not {APP_ID}"),
        );
        return Reply::error(403, 50001, "Missing Access");
    }
    let body = req.body.as_ref().unwrap_or(&Value::Null);
    if let Some(reject) = report(shared, req, &limits::check_commands(body)) {
        return reject;
    }
    let commands = body.as_array().cloned().unwrap_or_default();
    let echoed = shared
        .world()
        .commands
        .overwrite(guild, &commands, || shared.ids.next());
    Reply::ok(echoed.into())
}

// ----- interactions -----------------------------------------------------------------------

/// Interaction callback types.
mod callback {
    pub const MESSAGE: u64 = 4;
    pub const DEFERRED_MESSAGE: u64 = 5;
    pub const DEFERRED_UPDATE: u64 = 6;
    pub const UPDATE_MESSAGE: u64 = 7;
    pub const AUTOCOMPLETE_RESULT: u64 = 8;
    pub const MODAL: u64 = 9;
}

/// Which callback types fit which interaction type (2 command, 3 component, 4 autocomplete,
/// 5 modal submit).
fn callback_fits(interaction_kind: u8, callback_kind: u64) -> bool {
    use callback::*;
    match interaction_kind {
        4 => callback_kind == AUTOCOMPLETE_RESULT,
        2 => matches!(callback_kind, MESSAGE | DEFERRED_MESSAGE | MODAL),
        3 => matches!(
            callback_kind,
            MESSAGE | DEFERRED_MESSAGE | DEFERRED_UPDATE | UPDATE_MESSAGE | MODAL
        ),
        5 => matches!(
            callback_kind,
            MESSAGE | DEFERRED_MESSAGE | DEFERRED_UPDATE | UPDATE_MESSAGE
        ),
        _ => false,
    }
}

fn interaction_callback(shared: &Shared, req: &Incoming, id: &str, token: &str) -> Reply {
    let state = {
        let world = shared.world();
        parse_id(id).filter(|id| world.interactions.token_matches(*id, token))
    };
    let Some(id) = state else {
        violation(
            shared,
            req,
            "callback for an interaction the fake never sent (wrong id or token)".into(),
        );
        return Reply::unknown_interaction();
    };
    let Some(state) = shared.world().interactions.get_mut(id).cloned() else {
        return Reply::unknown_interaction();
    };
    if state.callback.is_some() {
        violation(shared, req, "interaction acknowledged twice".into());
        return Reply::error(400, 40060, "Interaction has already been acknowledged.");
    }
    if let (Some(deadline), Some(delivered)) =
        (shared.options.interaction_deadline, state.delivered_at)
    {
        let waited = delivered.elapsed();
        if waited > deadline {
            violation(
                shared,
                req,
                format!("callback {waited:?} after the interaction (Discord allows {deadline:?})"),
            );
            return Reply::unknown_interaction();
        }
    }
    let body = req.body.as_ref().unwrap_or(&Value::Null);
    let Some(kind) = body.get("type").and_then(Value::as_u64) else {
        violation(shared, req, "callback body has no `type`".into());
        return Reply::invalid_form_body(&[]);
    };
    if !callback_fits(state.kind, kind) {
        let reason = format!(
            "callback type {kind} does not fit interaction type {}",
            state.kind
        );
        violation(shared, req, reason);
        return Reply::error(400, 50035, "Invalid Form Body");
    }
    let data = body.get("data").unwrap_or(&Value::Null);
    let roles = shared.world().allowed_role_mentions.clone();
    let problems = match kind {
        callback::MESSAGE => limits::check_message(data, MessageMode::Create, &roles),
        callback::UPDATE_MESSAGE => limits::check_message(data, MessageMode::Edit, &roles),
        callback::AUTOCOMPLETE_RESULT => limits::check_autocomplete(data),
        callback::MODAL => limits::check_modal(data),
        _ => Vec::new(),
    };
    if let Some(reject) = report(shared, req, &problems) {
        return reject;
    }
    apply_callback(shared, &state, kind, data, &req.files);
    Reply::no_content()
}

/// Makes the callback's effect visible in the world (the original response message).
fn apply_callback(
    shared: &Shared,
    state: &InteractionState,
    kind: u64,
    data: &Value,
    files: &[multipart::UploadedFile],
) {
    let mut world = shared.world();
    let original = match kind {
        callback::MESSAGE => Some(create_response_message(
            shared, &mut world, state, data, files, 0,
        )),
        callback::DEFERRED_MESSAGE => {
            let flags = data.get("flags").and_then(Value::as_u64).unwrap_or(0) & EPHEMERAL;
            let placeholder = json!({"flags": flags});
            Some(create_response_message(
                shared,
                &mut world,
                state,
                &placeholder,
                &[],
                LOADING,
            ))
        }
        callback::UPDATE_MESSAGE => {
            if let Some(message) = state.source_message.and_then(|m| world.messages.get_mut(m)) {
                message.apply(data);
                message.attach(files, || shared.ids.next());
            }
            state.source_message
        }
        callback::DEFERRED_UPDATE => state.source_message,
        _ => None,
    };
    if let Some(entry) = world.interactions.get_mut(state.id) {
        entry.callback = Some(kind);
        entry.original_message = original;
        entry.deferred = kind == callback::DEFERRED_MESSAGE;
    }
}

/// Stores a message answering `state` (reply or follow-up) and returns its id.
fn create_response_message(
    shared: &Shared,
    world: &mut World,
    state: &InteractionState,
    body: &Value,
    files: &[multipart::UploadedFile],
    extra_flags: u64,
) -> u64 {
    let id = shared.ids.next();
    let mut message = StoredMessage::from_body(
        id,
        state.channel_id,
        state.guild_id,
        body,
        shared.options.poll_finalize_lag,
    );
    message.attach(files, || shared.ids.next());
    message.flags |= extra_flags;
    message.interaction = Some(InteractionMeta {
        id: state.id,
        kind: state.kind,
        user: world.user_json(state.user_id),
        guild_id: state.guild_id,
        interacted_message: state.source_message,
    });
    world.messages.insert(message);
    id
}

fn webhook_create(shared: &Shared, req: &Incoming, app: &str, token: &str) -> Reply {
    let Some(state) = webhook_interaction(shared, req, app, token) else {
        return Reply::unknown_webhook();
    };
    if state.callback.is_none() {
        violation(
            shared,
            req,
            "follow-up before the interaction was acknowledged".into(),
        );
        return Reply::unknown_webhook();
    }
    let body = req.body.as_ref().unwrap_or(&Value::Null);
    let roles = shared.world().allowed_role_mentions.clone();
    if let Some(reject) = report(
        shared,
        req,
        &limits::check_message(body, MessageMode::Create, &roles),
    ) {
        return reject;
    }
    let mut world = shared.world();
    let author = world.user_json(BOT_USER_ID);
    if let Some(original) = state.original_message.filter(|_| state.deferred) {
        // Discord: the first follow-up after a deferred reply fills the "thinking" message
        // (keeping its ephemerality) instead of creating another.
        if let Some(interaction) = world.interactions.get_mut(state.id) {
            interaction.deferred = false;
        }
        let Some(message) = world.messages.get_mut(original) else {
            return Reply::unknown_message();
        };
        message.apply(body);
        message.attach(&req.files, || shared.ids.next());
        message.flags &= !LOADING;
        return Reply::ok(message.json(&author));
    }
    let id = create_response_message(shared, &mut world, &state, body, &req.files, 0);
    world
        .messages
        .get(id)
        .map_or_else(Reply::unknown_message, |m| Reply::ok(m.json(&author)))
}

/// The interaction behind a webhook route, recording a violation if there is none.
fn webhook_interaction(
    shared: &Shared,
    req: &Incoming,
    app: &str,
    token: &str,
) -> Option<InteractionState> {
    let state = shared.world().interactions.by_token_mut(token).cloned();
    if parse_id(app) != Some(APP_ID) || state.is_none() {
        violation(
            shared,
            req,
            "webhook route with an unknown application id or token".into(),
        );
        return None;
    }
    state
}

fn webhook_message(
    shared: &Shared,
    req: &Incoming,
    method: &str,
    app: &str,
    token: &str,
    message: &str,
) -> Reply {
    let Some(state) = webhook_interaction(shared, req, app, token) else {
        return Reply::unknown_webhook();
    };
    let target = if message == "@original" {
        state.original_message
    } else {
        parse_id(message)
    };
    let Some(target) = target else {
        return Reply::unknown_message();
    };
    match method {
        "GET" => {
            let mut world = shared.world();
            let author = world.user_json(BOT_USER_ID);
            world
                .messages
                .get_mut(target)
                .map_or_else(Reply::unknown_message, |m| {
                    Reply::ok(m.json_for_get(&author))
                })
        }
        "DELETE" => match shared.world().messages.remove(target) {
            Some(_) => Reply::no_content(),
            None => Reply::unknown_message(),
        },
        _ => {
            // The first edit of a deferred reply is what users see appear: it pings.
            let first_content = message == "@original" && state.deferred;
            edit_message(shared, req, target, None, first_content)
        }
    }
}

// ----- channels and messages --------------------------------------------------------------

/// The channel `segment` names, if it exists and the bot can see it; else the error to send.
fn visible_channel(world: &World, segment: &str) -> Result<u64, Reply> {
    let id = parse_id(segment)
        .filter(|id| world.channels.contains_key(id))
        .ok_or_else(Reply::unknown_channel)?;
    if world.channel_permissions(id, BOT_USER_ID) & perms::VIEW_CHANNEL == 0 {
        return Err(Reply::missing_access());
    }
    Ok(id)
}

fn create_message(shared: &Shared, req: &Incoming, channel: &str) -> Reply {
    let body = req.body.as_ref().unwrap_or(&Value::Null);
    let (channel_id, guild_id, roles) = {
        let world = shared.world();
        let channel_id = match visible_channel(&world, channel) {
            Ok(id) => id,
            Err(reply) => return reply,
        };
        if let Err(reply) = may_post(&world, channel_id, body) {
            return reply;
        }
        let guild_id = world.channels.get(&channel_id).map(|c| c.guild_id);
        (channel_id, guild_id, world.allowed_role_mentions.clone())
    };
    if let Some(reject) = report(
        shared,
        req,
        &limits::check_message(body, MessageMode::Create, &roles),
    ) {
        return reject;
    }
    let id = shared.ids.next();
    let mut message = StoredMessage::from_body(
        id,
        channel_id,
        guild_id,
        body,
        shared.options.poll_finalize_lag,
    );
    message.attach(&req.files, || shared.ids.next());
    let mut world = shared.world();
    let json = message.json(&world.user_json(BOT_USER_ID));
    world.messages.insert(message);
    Reply::ok(json)
}

/// Whether the bot may post `body` in `channel_id`: SEND_MESSAGES (in threads
/// SEND_MESSAGES_IN_THREADS) and, for a poll, SEND_POLLS.
fn may_post(world: &World, channel_id: u64, body: &Value) -> Result<(), Reply> {
    let permissions = world.channel_permissions(channel_id, BOT_USER_ID);
    let in_thread = world
        .channels
        .get(&channel_id)
        .is_some_and(|c| c.kind == ChannelKind::PublicThread);
    let send = if in_thread {
        perms::SEND_MESSAGES_IN_THREADS
    } else {
        perms::SEND_MESSAGES
    };
    let has_poll = body.get("poll").is_some_and(|p| !p.is_null());
    if permissions & send == 0 || (has_poll && permissions & perms::SEND_POLLS == 0) {
        return Err(Reply::missing_permissions());
    }
    Ok(())
}

/// GET of a channel's messages: newest first, `after` an id, at most `limit` (1-100, default
/// 50), as Discord answers it. Only the bot's own messages exist in the fake.
fn list_messages(shared: &Shared, req: &Incoming, channel: &str) -> Reply {
    let channel_id = match visible_channel(&shared.world(), channel) {
        Ok(id) => id,
        Err(reply) => return reply,
    };
    let param = |name: &str| -> Option<u64> {
        req.query
            .as_deref()?
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(key, _)| *key == name)
            .and_then(|(_, value)| value.parse().ok())
    };
    let after = param("after").unwrap_or(0);
    let limit = param("limit").unwrap_or(50).clamp(1, 100) as usize;
    let mut world = shared.world();
    let author = world.user_json(BOT_USER_ID);
    let ids: Vec<u64> = world
        .messages
        .of_channel(channel_id)
        .filter(|m| m.id > after && m.flags & EPHEMERAL == 0)
        .map(|m| m.id)
        .collect();
    let listed: Vec<Value> = ids
        .into_iter()
        .rev()
        .take(limit)
        .filter_map(|id| world.messages.get_mut(id).map(|m| m.json_for_get(&author)))
        .collect();
    Reply::ok(Value::Array(listed))
}

fn channel_message(
    shared: &Shared,
    req: &Incoming,
    method: &str,
    channel: &str,
    message: &str,
) -> Reply {
    let channel_id = match visible_channel(&shared.world(), channel) {
        Ok(id) => id,
        Err(reply) => return reply,
    };
    let Some(message_id) = parse_id(message) else {
        return Reply::unknown_message();
    };
    match method {
        "GET" => {
            let mut world = shared.world();
            let author = world.user_json(BOT_USER_ID);
            // Ephemeral messages exist only for their user: the channel route cannot see them.
            match world.messages.in_channel_mut(channel_id, message_id) {
                Some(m) if m.flags & EPHEMERAL == 0 => Reply::ok(m.json_for_get(&author)),
                _ => Reply::unknown_message(),
            }
        }
        "DELETE" => {
            let mut world = shared.world();
            if world
                .messages
                .in_channel_mut(channel_id, message_id)
                .is_none()
            {
                return Reply::unknown_message();
            }
            world.messages.remove(message_id);
            Reply::no_content()
        }
        _ => edit_message(shared, req, message_id, Some(channel_id), false),
    }
}

/// PATCH of a message (channel route or webhook route). `first_content` marks the edit that
/// fills a deferred reply: it creates what users see, so it must carry allowed_mentions.
fn edit_message(
    shared: &Shared,
    req: &Incoming,
    message_id: u64,
    channel_id: Option<u64>,
    first_content: bool,
) -> Reply {
    let body = req.body.as_ref().unwrap_or(&Value::Null);
    let roles = shared.world().allowed_role_mentions.clone();
    let mode = if first_content {
        MessageMode::Create
    } else {
        MessageMode::Edit
    };
    let mut problems = limits::check_message(body, mode, &roles);
    if first_content {
        // An edit may legitimately leave fields out; only the mention rules of Create apply.
        problems.retain(|p| !p.reason.starts_with("message is empty"));
    }
    if let Some(reject) = report(shared, req, &problems) {
        return reject;
    }
    let mut world = shared.world();
    let author = world.user_json(BOT_USER_ID);
    let message = match channel_id {
        Some(c) => world.messages.in_channel_mut(c, message_id),
        None => world.messages.get_mut(message_id),
    };
    let Some(message) = message else {
        return Reply::unknown_message();
    };
    message.apply(body);
    message.attach(&req.files, || shared.ids.next());
    message.flags &= !LOADING;
    let json = message.json(&author);
    if first_content {
        if let Some(interaction) = world.interactions.by_original_mut(message_id) {
            interaction.deferred = false;
        }
    }
    Reply::ok(json)
}

fn expire_poll(shared: &Shared, channel: &str, message: &str) -> Reply {
    let mut world = shared.world();
    let channel_id = match visible_channel(&world, channel) {
        Ok(id) => id,
        Err(reply) => return reply,
    };
    let author = world.user_json(BOT_USER_ID);
    let Some(stored) = parse_id(message).and_then(|m| world.messages.in_channel_mut(channel_id, m))
    else {
        return Reply::unknown_message();
    };
    let Some(poll) = stored.poll.as_mut() else {
        return Reply::error(400, 50035, "Invalid Form Body: the message has no poll");
    };
    poll.end(false);
    Reply::ok(stored.json(&author))
}

fn start_thread(shared: &Shared, req: &Incoming, channel: &str, message: &str) -> Reply {
    let body = req.body.as_ref().unwrap_or(&Value::Null);
    let mut world = shared.world();
    let channel_id = match visible_channel(&world, channel) {
        Ok(id) => id,
        Err(reply) => return reply,
    };
    let Some(message_id) =
        parse_id(message).filter(|m| world.messages.in_channel_mut(channel_id, *m).is_some())
    else {
        return Reply::unknown_message();
    };
    if world.channel_permissions(channel_id, BOT_USER_ID) & perms::CREATE_PUBLIC_THREADS == 0 {
        return Reply::missing_permissions();
    }
    if world.channels.contains_key(&message_id) {
        return Reply::error(
            400,
            160_004,
            "A thread has already been created for this message",
        );
    }
    let name = body
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let length = name.chars().count();
    if !(1..=100).contains(&length) {
        drop(world);
        violation(
            shared,
            req,
            format!("thread name is {length} characters (1 to 100)"),
        );
        return Reply::error(400, 50035, "Invalid Form Body");
    }
    let guild_id = world.channels.get(&channel_id).map_or(0, |c| c.guild_id);
    // Discord gives a thread started from a message the message's id.
    world.insert_channel(
        guild_id,
        message_id,
        ChannelKind::PublicThread,
        &name,
        Vec::new(),
        Some(channel_id),
    );
    let Some(thread) = world
        .channels
        .get(&message_id)
        .map(|c| world.channel_json(c))
    else {
        return Reply::unknown_channel();
    };
    drop(world);
    let mut event = thread.clone();
    event["newly_created"] = true.into();
    shared.gateway.dispatch("THREAD_CREATE", event);
    Reply::ok(thread)
}

fn get_channel(shared: &Shared, channel: &str) -> Reply {
    let world = shared.world();
    match visible_channel(&world, channel) {
        Ok(id) => world
            .channels
            .get(&id)
            .map_or_else(Reply::unknown_channel, |c| Reply::ok(world.channel_json(c))),
        Err(reply) => reply,
    }
}

fn guild_channels(shared: &Shared, guild: &str) -> Reply {
    let world = shared.world();
    match parse_id(guild).filter(|g| world.guilds.contains_key(g)) {
        Some(g) => Reply::ok(
            world
                .guild_channels(g)
                .map(|c| world.channel_json(c))
                .collect::<Vec<_>>()
                .into(),
        ),
        None => unknown_guild(),
    }
}

fn guild_member(shared: &Shared, guild: &str, user: &str) -> Reply {
    let world = shared.world();
    let Some(guild_id) = parse_id(guild).filter(|g| world.guilds.contains_key(g)) else {
        return unknown_guild();
    };
    let is_member = parse_id(user).filter(|u| {
        world
            .guilds
            .get(&guild_id)
            .is_some_and(|g| g.members.iter().any(|m| m.user_id == *u))
    });
    match is_member {
        Some(user_id) => {
            let mut member = world.member_json(guild_id, user_id, None);
            member["guild_id"] = guild_id.to_string().into();
            Reply::ok(member)
        }
        None => Reply::error(404, 10007, "Unknown Member"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_window_admits_n_per_second() {
        let mut window = RateWindow::default();
        assert!(window.admit(2).is_ok());
        assert!(window.admit(2).is_ok());
        let retry = window
            .admit(2)
            .expect_err("third request in the same second");
        assert!(retry > 0.0 && retry <= 1.0);
        assert_eq!(window.limited, 1);
    }

    #[test]
    fn callback_types_fit_interaction_types() {
        assert!(callback_fits(4, callback::AUTOCOMPLETE_RESULT));
        assert!(!callback_fits(2, callback::AUTOCOMPLETE_RESULT));
        assert!(!callback_fits(2, callback::UPDATE_MESSAGE));
        assert!(callback_fits(3, callback::UPDATE_MESSAGE));
        assert!(!callback_fits(2, 1), "PONG is only for HTTP interactions");
    }
}
