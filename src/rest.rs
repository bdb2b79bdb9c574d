//! REST calls for what the bot owes: daily tips, polls and their recaps (with their files).
//!
//! Interaction answers go through poise; these calls go through a small client of our own
//! because serenity 0.12.5 cannot tell us what we need to retry properly: with `api_base` set
//! its rate limiter is off, it drops a 429's `retry_after` when the body has no `code`, never
//! retries a 5xx, and its errors print the request URL. Here every failure is classified
//! (wait this long, retry later, or give up) and described without secrets.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, RETRY_AFTER, USER_AGENT};
use reqwest::multipart::{Form, Part};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::config::{DiscordConfig, Token};
use crate::model::file::Attachment;
use crate::retry::Transient;

/// Discord's API, when no proxy is configured.
const DISCORD_BASE: &str = "https://discord.com";
/// Longest a single request may take before it counts as failed.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// Wait after a 429 that names no time.
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(1);

/// Discord's JSON error codes the bot reacts to.
pub mod codes {
    pub const UNKNOWN_CHANNEL: i64 = 10003;
    pub const UNKNOWN_MESSAGE: i64 = 10008;
    pub const MISSING_ACCESS: i64 = 50001;
    pub const MISSING_PERMISSIONS: i64 = 50013;
}

/// Discord's answer to `GET /gateway/bot`, the parts the bot uses.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct BotGateway {
    /// The gateway's websocket address.
    pub url: String,
    /// The number of shards Discord recommends.
    pub shards: u32,
}

/// How a request failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RestError {
    /// 429: wait this long, then try again.
    #[error("rate limited; retry after {retry_after:?}")]
    RateLimited { retry_after: Duration },
    /// 5xx: Discord had a problem; try again later.
    #[error("Discord answered {status}")]
    Server { status: u16 },
    /// No answer: timeout or connection failure; try again later.
    #[error("no answer from Discord ({0})")]
    Network(String),
    /// Any other 4xx: the request will not succeed as it is.
    #[error("Discord refused the request: {status} (code {code}) {message}")]
    Refused {
        status: u16,
        code: i64,
        message: String,
    },
    /// Discord answered with something this bot cannot read.
    #[error("unreadable answer from Discord: {0}")]
    Decode(String),
    /// The request could not be put together (a message that is not a JSON object).
    #[error("could not build the request: {0}")]
    Encode(String),
}

impl Transient for RestError {
    /// A refusal, or an answer we cannot read: trying again cannot help.
    fn is_permanent(&self) -> bool {
        matches!(
            self,
            RestError::Refused { .. } | RestError::Decode(_) | RestError::Encode(_)
        )
    }

    /// The wait Discord asked for, if it named one.
    fn retry_after(&self) -> Option<Duration> {
        match self {
            RestError::RateLimited { retry_after } => Some(*retry_after),
            _ => None,
        }
    }
}

impl RestError {
    /// The Discord error code of a refusal.
    pub fn code(&self) -> Option<i64> {
        match self {
            RestError::Refused { code, .. } => Some(*code),
            _ => None,
        }
    }
}

/// The parts of a message the bot reads back.
#[derive(Debug, Clone, Deserialize)]
pub struct MessageRef {
    #[serde(with = "snowflake")]
    pub id: u64,
    #[serde(with = "snowflake")]
    pub channel_id: u64,
    #[serde(default)]
    pub author: Option<AuthorRef>,
    #[serde(default)]
    pub embeds: Vec<EmbedRef>,
    #[serde(default)]
    pub poll: Option<PollRef>,
    #[serde(default)]
    pub message_reference: Option<ReferenceRef>,
}

/// The message a reply answers.
#[derive(Debug, Clone, Deserialize)]
pub struct ReferenceRef {
    #[serde(default, with = "optional_snowflake")]
    pub message_id: Option<u64>,
}

/// A message's poll: its answers and, once Discord has them, its results.
#[derive(Debug, Clone, Deserialize)]
pub struct PollRef {
    #[serde(default)]
    pub question: Option<PollMediaRef>,
    #[serde(default)]
    pub answers: Vec<PollAnswerRef>,
    #[serde(default)]
    pub results: Option<PollResultsRef>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PollMediaRef {
    #[serde(default)]
    pub text: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PollAnswerRef {
    pub answer_id: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PollResultsRef {
    #[serde(default)]
    pub is_finalized: bool,
    #[serde(default)]
    pub answer_counts: Vec<AnswerCountRef>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AnswerCountRef {
    pub id: u64,
    pub count: u64,
}

impl PollRef {
    /// The question's text.
    pub fn question_text(&self) -> Option<&str> {
        self.question.as_ref()?.text.as_deref()
    }

    /// Final votes per answer, in the order the answers were sent; `None` until Discord says
    /// the count is final. Answers nobody chose are absent from Discord's counts: zero.
    pub fn final_counts(&self) -> Option<Vec<u64>> {
        let results = self.results.as_ref().filter(|r| r.is_finalized)?;
        Some(
            self.answers
                .iter()
                .map(|answer| {
                    results
                        .answer_counts
                        .iter()
                        .find(|c| c.id == answer.answer_id)
                        .map_or(0, |c| c.count)
                })
                .collect(),
        )
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct AuthorRef {
    #[serde(with = "snowflake")]
    pub id: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct EmbedRef {
    #[serde(default)]
    pub title: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct UserRef {
    #[serde(with = "snowflake")]
    id: u64,
}

/// An id that may be absent.
mod optional_snowflake {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<u64>, D::Error> {
        Option::<String>::deserialize(deserializer)?
            .map(|text| text.parse().map_err(serde::de::Error::custom))
            .transpose()
    }
}

/// Discord sends ids as strings.
mod snowflake {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Number(u64),
        }
        match Raw::deserialize(deserializer)? {
            Raw::Number(n) => Ok(n),
            Raw::Text(text) => text.parse().map_err(serde::de::Error::custom),
        }
    }
}

#[derive(Debug, Deserialize)]
struct ErrorBody {
    #[serde(default)]
    code: i64,
    #[serde(default)]
    message: String,
    #[serde(default)]
    retry_after: Option<f64>,
}

/// Why a file a member attached could not be fetched.
#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    /// The address is not Discord's file server (nor, with `api_base` set, its stand-in).
    #[error("this is not a file Discord serves")]
    NotDiscord,
    /// Discord answered with an error status: the file has expired or was deleted.
    #[error("Discord no longer serves this file (status {0})")]
    Gone(u16),
    #[error("the file is larger than {0} bytes")]
    TooLarge(usize),
    #[error("the file could not be fetched: {0}")]
    Failed(String),
}

/// Discord's file servers, where a member's attachment lives.
const ATTACHMENT_HOSTS: [&str; 2] = ["cdn.discordapp.com", "media.discordapp.net"];

/// The client could not be built: reqwest could not set up TLS (or its timeout).
#[derive(Debug, thiserror::Error)]
#[error("could not build the HTTP client for Discord's REST API: {0}")]
pub struct ClientError(String);

/// The client.
#[derive(Clone)]
pub struct Rest {
    client: reqwest::Client,
    base: String,
    /// `Bot <token>`, marked sensitive so that no HTTP layer logs it.
    authorization: HeaderValue,
}

impl std::fmt::Debug for Rest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rest")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

impl Rest {
    /// A client with the request timeout, for `config`'s API base. Fails rather than fall
    /// back to a client without the timeout (or one that panics where TLS cannot start).
    pub fn new(config: &DiscordConfig, token: &Token) -> Result<Rest, ClientError> {
        let client = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(|error| {
                ClientError(format!(
                    "{}; a restart cannot help until TLS works on this machine",
                    described(&error)
                ))
            })?;
        let mut authorization =
            HeaderValue::from_str(&format!("Bot {}", token.expose())).map_err(|_| {
                ClientError("the bot token has characters an HTTP header cannot carry".into())
            })?;
        authorization.set_sensitive(true);
        Ok(Rest {
            client,
            base: config
                .api_base
                .as_ref()
                .map_or(DISCORD_BASE.to_string(), |b| b.as_str().to_string()),
            authorization,
        })
    }

    /// Whether a member's attachment at `url` may be fetched: over https from Discord's file
    /// servers, or, with `[discord] api_base` set (a proxy, or the tests' fake on loopback),
    /// from that same scheme, host and port. Nothing else is ever fetched.
    pub fn may_fetch(&self, url: &str) -> bool {
        let Ok(url) = url::Url::parse(url) else {
            return false;
        };
        if url.scheme() == "https"
            && url
                .host_str()
                .is_some_and(|h| ATTACHMENT_HOSTS.contains(&h))
        {
            return true;
        }
        let Ok(base) = url::Url::parse(&self.base) else {
            return false;
        };
        self.base != DISCORD_BASE
            && url.scheme() == base.scheme()
            && url.host_str() == base.host_str()
            && url.port_or_known_default() == base.port_or_known_default()
    }

    /// Fetches a member's attachment (never with the bot's token), refusing one larger than
    /// `max` bytes or from anywhere [`Rest::may_fetch`] does not allow.
    pub async fn download(&self, url: &str, max: usize) -> Result<Vec<u8>, DownloadError> {
        if !self.may_fetch(url) {
            return Err(DownloadError::NotDiscord);
        }
        let mut response = self
            .client
            .get(url)
            .send()
            .await
            .map_err(|e| DownloadError::Failed(described(&e)))?;
        if !response.status().is_success() {
            return Err(DownloadError::Gone(response.status().as_u16()));
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| DownloadError::Failed(described(&e)))?
        {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > max {
                return Err(DownloadError::TooLarge(max));
            }
        }
        Ok(bytes)
    }

    /// Posts a message in a channel. `body` is a serenity `CreateMessage` (or any JSON); with
    /// `files` it goes as multipart form data, the JSON as `payload_json` naming each file in
    /// `attachments` and each file as the part `files[n]`, as Discord takes uploads.
    pub async fn create_message(
        &self,
        channel_id: u64,
        body: &impl Serialize,
        files: &[Attachment],
    ) -> Result<MessageRef, RestError> {
        let path = format!("/channels/{channel_id}/messages");
        if files.is_empty() {
            return self.call(Method::POST, &path, Some(body)).await;
        }
        let form = upload_form(body, files)?;
        self.send(self.request(Method::POST, &path).multipart(form))
            .await
    }

    pub async fn get_message(
        &self,
        channel_id: u64,
        message_id: u64,
    ) -> Result<MessageRef, RestError> {
        self.call(
            Method::GET,
            &format!("/channels/{channel_id}/messages/{message_id}"),
            None::<&()>,
        )
        .await
    }

    /// Up to 100 messages posted in a channel after `after_id`.
    pub async fn messages_after(
        &self,
        channel_id: u64,
        after_id: u64,
    ) -> Result<Vec<MessageRef>, RestError> {
        self.call(
            Method::GET,
            &format!("/channels/{channel_id}/messages?after={after_id}&limit=100"),
            None::<&()>,
        )
        .await
    }

    /// Opens a thread on a message.
    pub async fn start_thread(
        &self,
        channel_id: u64,
        message_id: u64,
        name: &str,
    ) -> Result<(), RestError> {
        #[derive(Serialize)]
        struct Thread<'a> {
            name: &'a str,
            auto_archive_duration: u32,
        }
        let body = Thread {
            name,
            auto_archive_duration: 1440,
        };
        let _: serde_json::Value = self
            .call(
                Method::POST,
                &format!("/channels/{channel_id}/messages/{message_id}/threads"),
                Some(&body),
            )
            .await?;
        Ok(())
    }

    /// Ends a poll now.
    pub async fn expire_poll(
        &self,
        channel_id: u64,
        message_id: u64,
    ) -> Result<MessageRef, RestError> {
        self.call(
            Method::POST,
            &format!("/channels/{channel_id}/polls/{message_id}/expire"),
            None::<&()>,
        )
        .await
    }

    /// Where to connect the gateway and how many shards Discord recommends
    /// (`GET /gateway/bot`; it needs the token, so a refused token shows here first).
    pub async fn bot_gateway(&self) -> Result<BotGateway, RestError> {
        self.call(Method::GET, "/gateway/bot", None::<&()>).await
    }

    /// The bot's own user id.
    pub async fn current_user_id(&self) -> Result<u64, RestError> {
        let user: UserRef = self.call(Method::GET, "/users/@me", None::<&()>).await?;
        Ok(user.id)
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&impl Serialize>,
    ) -> Result<T, RestError> {
        let mut request = self.request(method, path);
        if let Some(body) = body {
            request = request.json(body);
        }
        self.send(request).await
    }

    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let url = format!("{}/api/v10{path}", self.base);
        self.client
            .request(method, url)
            .header(AUTHORIZATION, &self.authorization)
            .header(
                USER_AGENT,
                concat!(
                    "DiscordBot (https://github.com/bridgebot, ",
                    env!("CARGO_PKG_VERSION"),
                    ")"
                ),
            )
    }

    async fn send<T: DeserializeOwned>(&self, request: RequestBuilder) -> Result<T, RestError> {
        let response = request.send().await.map_err(network_error)?;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.map_err(network_error)?;
        if status.is_success() {
            let bytes = if bytes.is_empty() {
                &b"null"[..]
            } else {
                &bytes[..]
            };
            return serde_json::from_slice(bytes).map_err(|e| RestError::Decode(e.to_string()));
        }
        count_rest_error(status.as_u16());
        Err(classify(status, &headers, &bytes))
    }
}

/// Counts a request Discord answered with an error, by status (`bridgebot_rest_errors_total`).
pub(crate) fn count_rest_error(status: u16) {
    metrics::counter!("bridgebot_rest_errors_total", "status" => status.to_string()).increment(1);
}

/// The multipart body of a message with files: `payload_json` (the message, its
/// `attachments` naming file `n` as id `n`) and one `files[n]` part per file.
fn upload_form(body: &impl Serialize, files: &[Attachment]) -> Result<Form, RestError> {
    let mut payload = serde_json::to_value(body).map_err(|e| RestError::Encode(e.to_string()))?;
    let Some(fields) = payload.as_object_mut() else {
        return Err(RestError::Encode("the message is not a JSON object".into()));
    };
    let named: Vec<serde_json::Value> = files
        .iter()
        .enumerate()
        .map(|(id, file)| serde_json::json!({"id": id, "filename": file.name}))
        .collect();
    fields.insert("attachments".into(), named.into());
    let payload = Part::text(payload.to_string())
        .mime_str("application/json")
        .map_err(|e| RestError::Encode(e.to_string()))?;
    let mut form = Form::new().part("payload_json", payload);
    for (id, file) in files.iter().enumerate() {
        let part = Part::bytes(file.bytes.clone())
            .file_name(file.name.clone())
            .mime_str(mime_of(&file.name))
            .map_err(|e| RestError::Encode(e.to_string()))?;
        form = form.part(format!("files[{id}]"), part);
    }
    Ok(form)
}

fn mime_of(name: &str) -> &'static str {
    if name.to_ascii_lowercase().ends_with(".png") {
        "image/png"
    } else {
        "application/octet-stream"
    }
}

/// An error with its causes, one after another.
fn described(error: &(dyn std::error::Error + 'static)) -> String {
    let mut words = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        words.push_str(": ");
        words.push_str(&inner.to_string());
        cause = inner.source();
    }
    words
}

/// A network failure, described without the URL (which can hold an interaction token).
fn network_error(error: reqwest::Error) -> RestError {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else {
        "connection failed"
    };
    RestError::Network(kind.into())
}

/// Turns a failed answer into what to do about it.
pub(crate) fn classify(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> RestError {
    let parsed: Option<ErrorBody> = serde_json::from_slice(body).ok();
    if status == StatusCode::TOO_MANY_REQUESTS {
        let from_body = parsed.as_ref().and_then(|b| b.retry_after);
        let from_header = headers
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<f64>().ok());
        let seconds = from_body.or(from_header);
        let retry_after = seconds
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map_or(DEFAULT_RETRY_AFTER, Duration::from_secs_f64);
        return RestError::RateLimited { retry_after };
    }
    if status.is_server_error() {
        return RestError::Server {
            status: status.as_u16(),
        };
    }
    let (code, message) = parsed.map_or((0, String::new()), |b| (b.code, b.message));
    RestError::Refused {
        status: status.as_u16(),
        code,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(retry_after: Option<&str>) -> HeaderMap {
        let mut map = HeaderMap::new();
        if let Some(value) = retry_after {
            map.insert(RETRY_AFTER, value.parse().expect("header"));
        }
        map
    }

    #[test]
    fn a_429_waits_what_the_body_says_else_the_header() {
        let body = br#"{"message":"You are being rate limited.","retry_after":2.5,"global":false}"#;
        assert_eq!(
            classify(StatusCode::TOO_MANY_REQUESTS, &headers(Some("9")), body),
            RestError::RateLimited {
                retry_after: Duration::from_millis(2500)
            }
        );
        assert_eq!(
            classify(
                StatusCode::TOO_MANY_REQUESTS,
                &headers(Some("3")),
                b"not json"
            ),
            RestError::RateLimited {
                retry_after: Duration::from_secs(3)
            }
        );
        assert_eq!(
            classify(StatusCode::TOO_MANY_REQUESTS, &headers(None), b""),
            RestError::RateLimited {
                retry_after: DEFAULT_RETRY_AFTER
            }
        );
    }

    #[test]
    fn only_discords_file_servers_or_the_configured_stand_in_are_fetched() {
        let token = crate::config::Config::default()
            .token(|_| Some("t".into()))
            .expect("token");
        let discord = Rest::new(&DiscordConfig::default(), &token).expect("client");
        assert!(discord.may_fetch("https://cdn.discordapp.com/attachments/1/2/a.toml"));
        assert!(!discord.may_fetch("http://cdn.discordapp.com/attachments/1/2/a.toml"));
        assert!(!discord.may_fetch("https://example.com/a.toml"));
        assert!(!discord.may_fetch("http://127.0.0.1:9/a.toml"));
        let proxied = DiscordConfig {
            api_base: Some(crate::config::ApiBase::parse("http://127.0.0.1:4000").expect("url")),
            ..DiscordConfig::default()
        };
        let proxied = Rest::new(&proxied, &token).expect("client");
        assert!(proxied.may_fetch("http://127.0.0.1:4000/attachments/1/a.toml"));
        assert!(!proxied.may_fetch("http://127.0.0.1:4001/attachments/1/a.toml"));
        assert!(!proxied.may_fetch("http://10.0.0.1:4000/a.toml"));
    }

    #[test]
    fn a_client_builds_with_its_timeout_and_a_failure_says_what_failed() {
        let token = crate::config::Config::default()
            .token(|_| Some("a-token".into()))
            .expect("token");
        let rest = Rest::new(&DiscordConfig::default(), &token).expect("client");
        assert_eq!(rest.base, DISCORD_BASE);
        assert!(rest.authorization.is_sensitive());
        assert!(!format!("{rest:?}").contains("a-token"));
        let failed = ClientError(described(&std::io::Error::other("no TLS provider")));
        assert!(
            failed.to_string().starts_with(
                "could not build the HTTP client for Discord's REST API: no TLS provider"
            ),
            "{failed}"
        );
    }

    #[test]
    fn final_counts_follow_the_answer_order_and_wait_for_finalization() {
        let poll: PollRef = serde_json::from_str(
            r#"{"answers":[{"answer_id":1},{"answer_id":2},{"answer_id":3}],
                "results":{"is_finalized":true,"answer_counts":[{"id":3,"count":4},{"id":1,"count":2}]}}"#,
        )
        .expect("json");
        assert_eq!(poll.final_counts(), Some(vec![2, 0, 4]));
        let running: PollRef = serde_json::from_str(
            r#"{"answers":[{"answer_id":1}],"results":{"is_finalized":false,"answer_counts":[]}}"#,
        )
        .expect("json");
        assert_eq!(running.final_counts(), None);
    }

    #[test]
    fn server_errors_are_retried_and_refusals_are_not() {
        let server = classify(StatusCode::BAD_GATEWAY, &headers(None), b"");
        assert!(!server.is_permanent());
        let refused = classify(
            StatusCode::FORBIDDEN,
            &headers(None),
            br#"{"code":50013,"message":"Missing Permissions"}"#,
        );
        assert!(refused.is_permanent());
        assert_eq!(refused.code(), Some(codes::MISSING_PERMISSIONS));
        let gone = classify(
            StatusCode::NOT_FOUND,
            &headers(None),
            br#"{"code":10003,"message":"Unknown Channel"}"#,
        );
        assert_eq!(gone.code(), Some(codes::UNKNOWN_CHANNEL));
    }
}
