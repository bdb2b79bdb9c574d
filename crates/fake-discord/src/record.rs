//! The fake's memory of everything that crossed it, and waiting on it.
//!
//! Every REST request and every gateway frame (both directions) is appended to one log. Tests
//! take a [`Mark`] before acting and then wait for the first record strictly after it, so a
//! record from an earlier step can never satisfy a later wait. Waiting is driven by a `watch`
//! channel bumped on every append: no polling sleeps. A wait that times out panics with the
//! last records, so a failing test says what the bot did instead.

use std::fmt::Write as _;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::watch;

use crate::multipart::UploadedFile;

/// How long the `wait_*` helpers wait unless told otherwise.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(10);

/// How many records a timed-out wait prints.
const DIGEST_LEN: usize = 20;

/// One REST request the bot made, as the fake saw it.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    /// Position in the request log (0-based).
    pub index: usize,
    /// HTTP method, upper case (`"POST"`).
    pub method: String,
    /// Full path, e.g. `/api/v10/channels/1/messages`.
    pub path: String,
    /// Query string without the `?`, if any.
    pub query: Option<String>,
    /// The `Authorization` header (`Bot <token>` for bot routes).
    pub authorization: Option<String>,
    /// The JSON body; for multipart requests, the parsed `payload_json` part.
    pub body: Option<Value>,
    /// The files of a multipart request (`files[n]` parts), in the order sent.
    pub files: Vec<UploadedFile>,
    /// When the request arrived.
    pub at: Instant,
    /// The status the fake answered with; `None` while it is still being answered (for example
    /// during a [`crate::Fault::Delay`]).
    pub status: Option<u16>,
    /// The JSON the fake answered with, if any.
    pub response: Option<Value>,
    /// The fault injected into this request, if one was.
    pub fault: Option<String>,
}

impl RecordedRequest {
    /// The path without the `/api/v10` prefix, e.g. `/channels/1/messages`.
    pub fn route(&self) -> &str {
        strip_api_prefix(&self.path)
    }

    /// Whether this is `method` on a path whose route (see [`Self::route`]) starts with `prefix`.
    pub fn is(&self, method: &str, prefix: &str) -> bool {
        self.method.eq_ignore_ascii_case(method) && self.route().starts_with(prefix)
    }

    /// A field of the JSON body by JSON pointer (`"/data/content"`), if present.
    pub fn body_at(&self, pointer: &str) -> Option<&Value> {
        self.body.as_ref()?.pointer(pointer)
    }
}

/// Strips `/api/v10` (or `/api`) so routes read like Discord's documentation.
pub(crate) fn strip_api_prefix(path: &str) -> &str {
    path.strip_prefix("/api/v10")
        .or_else(|| path.strip_prefix("/api"))
        .unwrap_or(path)
}

/// Which way a gateway frame went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Sent by the fake to the bot.
    ToBot,
    /// Sent by the bot to the fake.
    FromBot,
}

/// One gateway frame.
#[derive(Clone, Debug)]
pub struct Frame {
    /// Position in the frame log (0-based).
    pub index: usize,
    /// Which way it went.
    pub direction: Direction,
    /// Which websocket connection carried it (1 for the first, counting up).
    pub connection: u64,
    /// The opcode.
    pub op: u64,
    /// The dispatch event name (`t`), for op 0.
    pub t: Option<String>,
    /// The sequence number (`s`), for op 0.
    pub s: Option<u64>,
    /// The whole frame.
    pub json: Value,
    /// When it was sent or received.
    pub at: Instant,
}

impl Frame {
    /// Whether this is an op 0 dispatch named `event` (`"READY"`, `"INTERACTION_CREATE"`...).
    pub fn is_dispatch(&self, event: &str) -> bool {
        self.op == 0 && self.t.as_deref() == Some(event)
    }

    /// Whether the bot sent this frame with opcode `op`.
    pub fn is_from_bot(&self, op: u64) -> bool {
        self.direction == Direction::FromBot && self.op == op
    }
}

/// Something the bot did that Discord would refuse or that this project forbids.
#[derive(Clone, Debug)]
pub struct Violation {
    /// What is wrong, e.g. `content is 3000 characters (max 2000)`.
    pub reason: String,
    /// Method of the offending request (`"GATEWAY"` for a frame).
    pub method: String,
    /// Path of the offending request.
    pub path: String,
    /// Index of the offending request in the request log, if it was a request.
    pub request_index: Option<usize>,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.method, self.path, self.reason)
    }
}

/// A position in the logs; waits look only at records strictly after it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Mark {
    requests: usize,
    frames: usize,
}

impl Mark {
    /// The very beginning: every record is after it.
    pub const START: Mark = Mark {
        requests: 0,
        frames: 0,
    };
}

#[derive(Default)]
pub(crate) struct LogInner {
    pub(crate) requests: Vec<RecordedRequest>,
    pub(crate) frames: Vec<Frame>,
    pub(crate) violations: Vec<Violation>,
}

impl LogInner {
    fn requests_after(&self, mark: Mark) -> &[RecordedRequest] {
        self.requests.get(mark.requests..).unwrap_or_default()
    }

    fn frames_after(&self, mark: Mark) -> &[Frame] {
        self.frames.get(mark.frames..).unwrap_or_default()
    }

    /// The last records of both logs, oldest first, one per line.
    fn digest(&self) -> String {
        let mut lines: Vec<(Instant, String)> = Vec::new();
        let skip_requests = self.requests.len().saturating_sub(DIGEST_LEN);
        for r in &self.requests[skip_requests..] {
            let status = r.status.map_or("…".to_string(), |s| s.to_string());
            let body = r
                .body
                .as_ref()
                .map(|b| abbreviate(&b.to_string()))
                .unwrap_or_default();
            lines.push((
                r.at,
                format!(
                    "REST #{} {} {} -> {status} {body}",
                    r.index, r.method, r.path
                ),
            ));
        }
        let skip_frames = self.frames.len().saturating_sub(DIGEST_LEN);
        for f in &self.frames[skip_frames..] {
            let arrow = match f.direction {
                Direction::ToBot => "fake->bot",
                Direction::FromBot => "bot->fake",
            };
            let name = f.t.as_deref().unwrap_or("");
            let seq = f.s.map(|s| format!(" s={s}")).unwrap_or_default();
            lines.push((
                f.at,
                format!(
                    "GW #{} conn{} {arrow} op{} {name}{seq}",
                    f.index, f.connection, f.op
                ),
            ));
        }
        lines.sort_by_key(|(at, _)| *at);
        let skip = lines.len().saturating_sub(DIGEST_LEN);
        let mut out = String::new();
        for (_, line) in &lines[skip..] {
            let _ = writeln!(out, "  {line}");
        }
        if !self.violations.is_empty() {
            let _ = writeln!(out, "  violations so far:");
            for v in &self.violations {
                let _ = writeln!(out, "    {v}");
            }
        }
        out
    }
}

fn abbreviate(s: &str) -> String {
    const MAX: usize = 160;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let head: String = s.chars().take(MAX).collect();
        format!("{head}…")
    }
}

/// The shared log plus the signal that wakes waiters.
pub(crate) struct Log {
    inner: Mutex<LogInner>,
    changed: watch::Sender<u64>,
}

impl Default for Log {
    fn default() -> Self {
        Self {
            inner: Mutex::default(),
            changed: watch::channel(0).0,
        }
    }
}

impl Log {
    pub(crate) fn lock(&self) -> MutexGuard<'_, LogInner> {
        // A panic while holding this lock cannot leave the log half-written in a way that
        // matters to a test, so a poisoned lock is still usable.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn bump(&self) {
        self.changed.send_modify(|n| *n += 1);
    }

    /// Appends a request (its `index` is assigned here) and returns its index.
    pub(crate) fn push_request(&self, mut request: RecordedRequest) -> usize {
        let index = {
            let mut log = self.lock();
            request.index = log.requests.len();
            log.requests.push(request);
            log.requests.len() - 1
        };
        self.bump();
        index
    }

    /// Fills in how request `index` was answered.
    pub(crate) fn finish_request(&self, index: usize, status: u16, response: Option<Value>) {
        if let Some(r) = self.lock().requests.get_mut(index) {
            r.status = Some(status);
            r.response = response;
        }
        self.bump();
    }

    /// Notes the fault injected into request `index`.
    pub(crate) fn note_fault(&self, index: usize, fault: String) {
        if let Some(r) = self.lock().requests.get_mut(index) {
            r.fault = Some(fault);
        }
    }

    /// Appends a gateway frame (its `index` is assigned here).
    pub(crate) fn push_frame(&self, mut frame: Frame) {
        {
            let mut log = self.lock();
            frame.index = log.frames.len();
            log.frames.push(frame);
        }
        self.bump();
    }

    pub(crate) fn push_violation(&self, violation: Violation) {
        tracing::warn!(%violation, "fake discord: violation");
        self.lock().violations.push(violation);
        self.bump();
    }

    pub(crate) fn mark(&self) -> Mark {
        let log = self.lock();
        Mark {
            requests: log.requests.len(),
            frames: log.frames.len(),
        }
    }

    /// Waits until `find` returns something for the records after `mark`; panics with a digest
    /// of the last records after `timeout`.
    pub(crate) async fn wait<T>(
        &self,
        timeout: Duration,
        what: &str,
        mut find: impl FnMut(&LogInner) -> Option<T>,
    ) -> T {
        let mut rx = self.changed.subscribe();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            rx.borrow_and_update();
            if let Some(found) = find(&self.lock()) {
                return found;
            }
            if tokio::time::timeout_at(deadline, rx.changed())
                .await
                .is_err()
            {
                let digest = self.lock().digest();
                panic!("fake discord: timed out after {timeout:?} waiting for {what}; last records:\n{digest}");
            }
        }
    }

    /// Waits until `ready()` holds (checked after every new record); panics after `timeout`.
    pub(crate) async fn wait_until(
        &self,
        timeout: Duration,
        what: &str,
        mut ready: impl FnMut() -> bool,
    ) {
        let mut rx = self.changed.subscribe();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            rx.borrow_and_update();
            if ready() {
                return;
            }
            if tokio::time::timeout_at(deadline, rx.changed())
                .await
                .is_err()
            {
                let digest = self.lock().digest();
                panic!("fake discord: timed out after {timeout:?} waiting for {what}; last records:\n{digest}");
            }
        }
    }

    pub(crate) async fn wait_request(
        &self,
        mark: Mark,
        timeout: Duration,
        what: &str,
        pred: impl Fn(&RecordedRequest) -> bool,
    ) -> RecordedRequest {
        // The first match decides; it is returned once answered.
        self.wait(timeout, what, |log| {
            let first = log.requests_after(mark).iter().find(|r| pred(r))?;
            first.status.is_some().then(|| first.clone())
        })
        .await
    }

    /// Like [`Self::wait_request`], but returns as soon as the request has arrived, before
    /// the fake answers it (its `status` is then `None`).
    pub(crate) async fn wait_request_arrived(
        &self,
        mark: Mark,
        timeout: Duration,
        what: &str,
        pred: impl Fn(&RecordedRequest) -> bool,
    ) -> RecordedRequest {
        self.wait(timeout, what, |log| {
            log.requests_after(mark).iter().find(|r| pred(r)).cloned()
        })
        .await
    }

    pub(crate) async fn wait_frame(
        &self,
        mark: Mark,
        timeout: Duration,
        what: &str,
        pred: impl Fn(&Frame) -> bool,
    ) -> Frame {
        self.wait(timeout, what, |log| {
            log.frames_after(mark).iter().find(|f| pred(f)).cloned()
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(path: &str) -> RecordedRequest {
        RecordedRequest {
            index: 0,
            method: "GET".into(),
            path: path.into(),
            query: None,
            authorization: None,
            body: None,
            files: Vec::new(),
            at: Instant::now(),
            status: None,
            response: None,
            fault: None,
        }
    }

    #[tokio::test]
    async fn wait_sees_only_records_after_the_mark() {
        let log = std::sync::Arc::new(Log::default());
        log.push_request(request("/api/v10/gateway"));
        let mark = log.mark();
        let writer = std::sync::Arc::clone(&log);
        tokio::spawn(async move {
            writer.push_request(request("/api/v10/users/@me"));
            let gateway = writer.push_request(request("/api/v10/gateway"));
            writer.finish_request(gateway, 200, None);
        });
        let found = log
            .wait_request(mark, Duration::from_secs(5), "gateway", |r| {
                r.route() == "/gateway"
            })
            .await;
        assert_eq!(found.index, 2);
    }

    #[tokio::test]
    #[should_panic(expected = "timed out")]
    async fn wait_panics_with_a_digest_on_timeout() {
        let log = Log::default();
        log.push_request(request("/api/v10/gateway"));
        log.wait_request(Mark::START, Duration::from_millis(20), "nothing", |_| false)
            .await;
    }
}
