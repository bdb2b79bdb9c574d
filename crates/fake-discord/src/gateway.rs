//! The gateway: a websocket server speaking enough of Discord's protocol for serenity.
//!
//! One *session* (created by IDENTIFY) outlives the sockets that carry it: every dispatch is
//! numbered and kept, so after a dropped socket, a close 4000 or an op 7 RECONNECT the bot can
//! RESUME on a new socket and get exactly the dispatches after the sequence number it reports,
//! like on Discord. Dispatches injected while no socket is attached are kept for that replay;
//! an op 9 that is not resumable ends the session, and the bot must IDENTIFY again.
//!
//! Each socket is served by one task that owns it; everything else talks to that task through
//! a channel ([`Outbound`]), so frames leave in the order they were numbered.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;
use tracing::{debug, warn};

use crate::record::{Direction, Frame};
use crate::Shared;

/// Gateway opcodes the fake uses.
mod op {
    pub const DISPATCH: u64 = 0;
    pub const HEARTBEAT: u64 = 1;
    pub const IDENTIFY: u64 = 2;
    pub const RESUME: u64 = 6;
    pub const RECONNECT: u64 = 7;
    pub const INVALID_SESSION: u64 = 9;
    pub const HELLO: u64 = 10;
    pub const HEARTBEAT_ACK: u64 = 11;
}

/// What a socket's task is told to do.
#[derive(Debug)]
enum Outbound {
    /// Send this frame.
    Frame(Value),
    /// Send a close frame with this code, then hang up.
    Close(u16),
    /// Hang up without a close frame.
    Drop,
}

/// The socket currently attached to the session.
#[derive(Debug)]
struct Attached {
    connection: u64,
    tx: mpsc::UnboundedSender<Outbound>,
}

/// The gateway session and the socket carrying it.
#[derive(Debug, Default)]
struct Session {
    /// `None` until the first IDENTIFY, and after a non-resumable op 9.
    id: Option<String>,
    seq: u64,
    /// Every dispatch of the session, for RESUME replays.
    history: Vec<(u64, Value)>,
    attached: Option<Attached>,
    next_connection: u64,
    sessions_started: u64,
}

impl Session {
    /// Numbers a dispatch, keeps it, and sends it if a socket is attached.
    fn dispatch(&mut self, event: &str, data: Value) -> u64 {
        self.seq += 1;
        let frame = json!({"op": op::DISPATCH, "t": event, "s": self.seq, "d": data});
        self.history.push((self.seq, frame.clone()));
        match &self.attached {
            Some(socket) => {
                let _ = socket.tx.send(Outbound::Frame(frame));
            }
            None => debug!(
                event,
                seq = self.seq,
                "fake gateway: no socket attached, kept for RESUME"
            ),
        }
        self.seq
    }

    /// Detaches the current socket after telling its task `last`; false if none was attached.
    fn detach_with(&mut self, last: Outbound) -> bool {
        match self.attached.take() {
            Some(socket) => {
                let _ = socket.tx.send(last);
                true
            }
            None => false,
        }
    }
}

/// The gateway's shared state.
#[derive(Debug)]
pub(crate) struct Gateway {
    session: Mutex<Session>,
    /// Connections accepted so far.
    accepted: watch::Sender<u64>,
}

impl Default for Gateway {
    fn default() -> Self {
        Gateway {
            session: Mutex::default(),
            accepted: watch::Sender::new(0),
        }
    }
}

impl Gateway {
    /// Connections accepted so far, to wait on.
    pub(crate) fn accepted(&self) -> watch::Receiver<u64> {
        self.accepted.subscribe()
    }

    fn lock(&self) -> MutexGuard<'_, Session> {
        self.session
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Sends (or keeps, if no socket is attached) an op 0 dispatch; returns its sequence number.
    pub(crate) fn dispatch(&self, event: &str, data: Value) -> u64 {
        self.lock().dispatch(event, data)
    }

    /// Hangs up the attached socket without a close frame. False if none is attached.
    pub(crate) fn drop_socket(&self) -> bool {
        self.lock().detach_with(Outbound::Drop)
    }

    /// Closes the attached socket with a close frame carrying `code`. False if none is attached.
    pub(crate) fn close_with(&self, code: u16) -> bool {
        self.lock().detach_with(Outbound::Close(code))
    }

    /// Sends op 7 RECONNECT; later dispatches wait for the RESUME. False if no socket is attached.
    pub(crate) fn send_reconnect(&self) -> bool {
        let reconnect = json!({"op": op::RECONNECT, "d": null});
        self.lock().detach_with(Outbound::Frame(reconnect))
    }

    /// Sends op 1 HEARTBEAT, Discord's request for a heartbeat at once; the socket stays.
    /// False if no socket is attached.
    pub(crate) fn request_heartbeat(&self) -> bool {
        let session = self.lock();
        match &session.attached {
            Some(socket) => socket
                .tx
                .send(Outbound::Frame(json!({"op": op::HEARTBEAT, "d": null})))
                .is_ok(),
            None => false,
        }
    }

    /// Sends op 9 INVALID_SESSION; if not resumable the session is over. False if no socket is
    /// attached.
    pub(crate) fn invalid_session(&self, resumable: bool) -> bool {
        let mut session = self.lock();
        let invalid = json!({"op": op::INVALID_SESSION, "d": resumable});
        if !session.detach_with(Outbound::Frame(invalid)) {
            return false;
        }
        if !resumable {
            session.id = None;
            session.history.clear();
        }
        true
    }

    /// How many sessions IDENTIFY has started.
    pub(crate) fn sessions_started(&self) -> u64 {
        self.lock().sessions_started
    }
}

/// Accepts gateway sockets until shutdown.
pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    // Frames go out at once, as Discord's do: without this, Nagle's algorithm
                    // meets the client's delayed ACKs and holds a frame for up to 40 ms.
                    if let Err(error) = stream.set_nodelay(true) {
                        warn!(%error, "fake gateway: cannot set TCP_NODELAY");
                    }
                    let connection = {
                        let mut session = shared.gateway.lock();
                        session.next_connection += 1;
                        session.next_connection
                    };
                    shared.gateway.accepted.send_modify(|n| *n += 1);
                    tokio::spawn(serve_socket(Arc::clone(&shared), stream, connection, shutdown.clone()));
                }
                Err(error) => warn!(%error, "fake gateway: accept failed"),
            },
            _ = shutdown.changed() => return,
        }
    }
}

/// Serves one socket: HELLO, then frames both ways until either side hangs up.
async fn serve_socket(
    shared: Arc<Shared>,
    stream: TcpStream,
    connection: u64,
    mut shutdown: watch::Receiver<bool>,
) {
    if let Some(delay) = shared.options.gateway_handshake_delay {
        tokio::select! {
            () = tokio::time::sleep(delay) => {}
            _ = shutdown.changed() => return,
        }
    }
    let ws = match tokio_tungstenite::accept_async(stream).await {
        Ok(ws) => ws,
        Err(error) => {
            warn!(%error, "fake gateway: websocket handshake failed");
            return;
        }
    };
    debug!(connection, "fake gateway: socket open");
    let (mut sink, mut stream) = ws.split();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let hello =
        json!({"op": op::HELLO, "d": {"heartbeat_interval": shared.options.heartbeat_interval_ms}});
    let _ = tx.send(Outbound::Frame(hello));
    loop {
        tokio::select! {
            inbound = stream.next() => match inbound {
                Some(Ok(Message::Text(text))) => on_text(&shared, connection, &tx, &text),
                Some(Ok(Message::Close(frame))) => {
                    debug!(connection, ?frame, "fake gateway: bot closed the socket");
                    // tungstenite queued the close reply; flushing sends it.
                    let _ = sink.flush().await;
                    break;
                }
                Some(Ok(_)) => {}
                Some(Err(error)) => {
                    debug!(connection, %error, "fake gateway: socket error");
                    break;
                }
                None => break,
            },
            outbound = rx.recv() => match outbound {
                Some(Outbound::Frame(frame)) => {
                    if sink.send(Message::Text(frame.to_string())).await.is_err() {
                        break;
                    }
                    on_sent(&shared, connection, frame);
                }
                Some(Outbound::Close(code)) => {
                    let close = CloseFrame { code: CloseCode::from(code), reason: "fake discord".into() };
                    let _ = sink.send(Message::Close(Some(close))).await;
                    break;
                }
                Some(Outbound::Drop) | None => break,
            },
            _ = shutdown.changed() => break,
        }
    }
    let mut session = shared.gateway.lock();
    if session
        .attached
        .as_ref()
        .is_some_and(|a| a.connection == connection)
    {
        session.attached = None;
    }
    debug!(connection, "fake gateway: socket gone");
}

fn record(shared: &Shared, connection: u64, direction: Direction, json: Value) {
    let op = json.get("op").and_then(Value::as_u64).unwrap_or(u64::MAX);
    let t = json.get("t").and_then(Value::as_str).map(str::to_string);
    let s = json.get("s").and_then(Value::as_u64);
    shared.log.push_frame(Frame {
        index: 0,
        direction,
        connection,
        op,
        t,
        s,
        json,
        at: Instant::now(),
    });
}

/// Records a frame the fake wrote, and starts the interaction deadline clock.
fn on_sent(shared: &Shared, connection: u64, frame: Value) {
    if frame.get("t").and_then(Value::as_str) == Some("INTERACTION_CREATE") {
        let id = frame
            .pointer("/d/id")
            .and_then(Value::as_str)
            .and_then(|id| id.parse().ok());
        if let Some(id) = id {
            shared.world().interactions.delivered(id);
        }
    }
    record(shared, connection, Direction::ToBot, frame);
}

/// Handles one frame from the bot.
fn on_text(shared: &Shared, connection: u64, tx: &mpsc::UnboundedSender<Outbound>, text: &str) {
    let Ok(frame) = serde_json::from_str::<Value>(text) else {
        warn!(
            connection,
            text, "fake gateway: bot sent a frame that is not JSON"
        );
        return;
    };
    let opcode = frame.get("op").and_then(Value::as_u64);
    let data = frame.get("d").cloned().unwrap_or(Value::Null);
    record(shared, connection, Direction::FromBot, frame);
    match opcode {
        Some(op::HEARTBEAT) => {
            let _ = tx.send(Outbound::Frame(json!({"op": op::HEARTBEAT_ACK, "d": null})));
        }
        Some(op::IDENTIFY) => identify(shared, connection, tx, &data),
        Some(op::RESUME) => resume(shared, connection, tx, &data),
        other => debug!(connection, ?other, "fake gateway: opcode ignored"),
    }
}

/// Starts a new session on this socket: READY, then GUILD_CREATE for every guild on the
/// shard the IDENTIFY names (`shard: [id, total]`, `[0, 1]` when absent), as Discord sends a
/// guild's events on shard `(guild_id >> 22) % total` only.
fn identify(shared: &Shared, connection: u64, tx: &mpsc::UnboundedSender<Outbound>, data: &Value) {
    let session_id = format!("fake-session-{}", shared.ids.next());
    let shard = |at: usize| {
        data.pointer(&format!("/shard/{at}"))
            .and_then(Value::as_u64)
    };
    let (id, total) = (shard(0).unwrap_or(0), shard(1).unwrap_or(1).max(1));
    let on_shard = |guild: u64| (guild >> 22) % total == id;
    let (ready, guilds) = {
        let world = shared.world();
        let ready = world.ready_json(&session_id, &shared.gateway_url(), [id, total], &on_shard);
        let guilds: Vec<Value> = world
            .guilds
            .values()
            .filter(|guild| on_shard(guild.id) && !guild.bot_removed)
            .filter_map(|guild| world.guild_create_json(guild.id))
            .collect();
        (ready, guilds)
    };
    let mut session = shared.gateway.lock();
    let next_connection = session.next_connection;
    let sessions_started = session.sessions_started + 1;
    *session = Session {
        id: Some(session_id),
        attached: Some(Attached {
            connection,
            tx: tx.clone(),
        }),
        next_connection,
        sessions_started,
        ..Session::default()
    };
    session.dispatch("READY", ready);
    for guild in guilds {
        session.dispatch("GUILD_CREATE", guild);
    }
}

/// Resumes the session on this socket: replays what the bot missed, then RESUMED.
fn resume(shared: &Shared, connection: u64, tx: &mpsc::UnboundedSender<Outbound>, data: &Value) {
    let wanted = data.get("session_id").and_then(Value::as_str);
    let after = data.get("seq").and_then(Value::as_u64).unwrap_or(0);
    let mut session = shared.gateway.lock();
    if wanted.is_none() || session.id.as_deref() != wanted {
        debug!(
            connection,
            ?wanted,
            "fake gateway: RESUME of an unknown session"
        );
        let _ = tx.send(Outbound::Frame(
            json!({"op": op::INVALID_SESSION, "d": false}),
        ));
        return;
    }
    let _ = session.detach_with(Outbound::Drop);
    let missed: Vec<Value> = session
        .history
        .iter()
        .filter(|(seq, _)| *seq > after)
        .map(|(_, frame)| frame.clone())
        .collect();
    debug!(
        connection,
        after,
        missed = missed.len(),
        "fake gateway: RESUME"
    );
    for frame in missed {
        let _ = tx.send(Outbound::Frame(frame));
    }
    session.attached = Some(Attached {
        connection,
        tx: tx.clone(),
    });
    session.dispatch("RESUMED", json!({}));
}
