//! The MQTT session: connect, subscribe, hand each message to the engine *inside* paho's callback,
//! reconnect with backoff after a lost connection, and decide when and how the run ends.
//!
//! Threads: paho's receive thread runs the message callback (engine: decode, write, flush; the PUBACK
//! goes out after the callback returns). The main thread supervises: it waits for events (connection
//! lost, count reached, Ctrl-C/SIGTERM) and for the `--timeout`/`--duration` clocks.

use std::io;
use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, sync_channel};
use std::time::{Duration, Instant, SystemTime};

use anyhow::Context;
use paho_mqtt::{self as mqtt, ConnectReturnCode};

use crate::address::UriHost;
use crate::broker_socket::BrokerSocket;
use crate::config::{Config, ConnectionConfig, MqttVersion};
use crate::duration::display;
use crate::engine::{Engine, Handled, Progress, Stats};
use crate::exit::{Exit, Failure};
use crate::output::{Delivery, Printer, Sink};
use crate::status::Status;
use crate::tls::{self, HandshakeFailure};

/// How long one TCP+CONNACK attempt may take before it counts as failed.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The supervisor re-checks the connection at least this often, whatever the events say.
const TICK: Duration = Duration::from_secs(1);
/// Reconnect backoff: doubles from the first to the cap, with jitter.
const BACKOFF_FIRST: Duration = Duration::from_secs(1);
const BACKOFF_CAP: Duration = Duration::from_secs(60);
/// A connection lost sooner than this after it was made counts as a quick drop.
const QUICK_DROP: Duration = Duration::from_secs(5);
/// This many quick drops in a row look like another client taking our clientId over (a broker that
/// restarts this often looks the same; the cost of a wrong guess is a longer backoff).
const TAKEOVER_DROPS: u32 = 3;
/// After a takeover is suspected, backoff starts at this attempt (8–16 s) to end the ping-pong.
const TAKEOVER_FIRST_ATTEMPT: u32 = 4;
/// Upper bound on a clean disconnect at the end of the run.
const DISCONNECT_WAIT: Duration = Duration::from_secs(2);

/// What wakes the supervisor. A bounded channel: callbacks drop a wake-up when it is full (a full
/// channel already holds one); request threads block until it is read.
enum Event {
    ConnectionLost,
    CountReached,
    Stop,
    /// The outcome of a connect or subscribe request (see [`Supervisor::request`]).
    Response(mqtt::Result<mqtt::ServerResponse>),
}

/// Why the supervisor stops: a normal end (with a word for the summary) or a failure.
enum Interrupt {
    Finished(&'static str),
    Failed(Failure),
}

type Flow<T> = Result<T, Interrupt>;

/// Subscribes and prints until the run ends; returns the exit code of a normal end.
pub fn subscribe(config: &Config, status: Status) -> anyhow::Result<Exit> {
    let printer = Printer::new(config.output);
    let stdout: Box<dyn io::Write + Send> = Box::new(io::stdout());
    let engine =
        Engine::new(printer, config.filter.clone(), config.safe_mode.clone(), config.stop.count, status, stdout)
            .dedupe(config.dedupe_window);
    let progress = engine.progress();
    let sink = engine.sink();
    let lost = Arc::new(AtomicBool::new(false));
    let (events, wakeups) = sync_channel::<Event>(16);
    {
        let events = events.clone();
        ctrlc::set_handler(move || {
            let _ = events.try_send(Event::Stop);
        })
        .context("cannot install the Ctrl-C/SIGTERM handler")?;
    }

    let connection = &config.connection;
    if let Some(tls) = connection.tls.as_ref().filter(|tls| !tls.verify) {
        status.warn(tls.insecure_warning());
    }
    // A name that does not resolve will not start to: say so plainly instead of "connect failure".
    let addresses = resolve(connection)?;
    // Through TLS the socket shows only ciphertext: no peeking, every line is written at once.
    let broker_socket = Arc::new(BrokerSocket::new(if connection.tls.is_none() { addresses } else { Vec::new() }));
    let client = create_client(connection)?;
    let callback = message_callback(engine, Arc::clone(&broker_socket), events.clone(), status, config.output.envelope);
    client.set_message_callback(callback);
    {
        let (lost, events, broker_socket, sink) =
            (Arc::clone(&lost), events.clone(), Arc::clone(&broker_socket), Arc::clone(&sink));
        client.set_connection_lost_callback(move |_| {
            lost.store(true, Ordering::SeqCst);
            broker_socket.forget();
            let _ = events.try_send(Event::ConnectionLost);
            // No push follows soon now: QoS 0 lines held back for one go out.
            if let Err(e) = sink.flush() {
                exit_on_write_error(&e, status, "these were QoS 0 pushes, which are not redelivered");
            }
        });
    }

    let mut supervisor = Supervisor {
        connection,
        client,
        events,
        wakeups,
        progress,
        sink,
        broker_socket,
        lost,
        status,
        started: Instant::now(),
        stop_at: config.stop.duration.map(|d| Instant::now() + d),
        timeout: config.stop.timeout,
        reconnects: 0,
        connected_at: None,
        quick_drops: 0,
    };
    let outcome = supervisor.run();
    supervisor.shutdown();
    let stats = supervisor.progress.stats();
    let elapsed = supervisor.started.elapsed();
    status.detail(format_args!("{} lines left in {} writes to stdout", stats.printed, supervisor.sink.writes()));
    match outcome {
        Interrupt::Finished(why) => {
            status.info(summary(why, elapsed, stats, supervisor.reconnects));
            Ok(Exit::Success)
        }
        Interrupt::Failed(failure) => {
            if stats.received > 0 || supervisor.reconnects > 0 {
                status.info(summary("stopped", elapsed, stats, supervisor.reconnects));
            }
            Err(failure.into())
        }
    }
}

fn server_uri(connection: &ConnectionConfig) -> String {
    let scheme = if connection.tls.is_some() { "ssl" } else { "tcp" };
    format!("{scheme}://{}:{}", UriHost(&connection.host), connection.port)
}

/// A paho client for this connection. No client-side persistence: the broker keeps durable sessions.
pub fn create_client(connection: &ConnectionConfig) -> anyhow::Result<mqtt::AsyncClient> {
    if connection.tls.is_none() {
        skip_openssl_init();
    }
    mqtt::CreateOptionsBuilder::new()
        .server_uri(server_uri(connection))
        .client_id(&connection.client_id)
        .persistence(mqtt::PersistenceType::None)
        .create_client()
        .context("cannot create the MQTT client")
}

/// paho initialises OpenSSL when it makes its first client, TLS or not, and OpenSSL 3 then touches
/// about 3 MiB of its library (strings, algorithms, configuration). Without TLS that is all waste;
/// paho's global init can skip it, and must be called before any client exists.
fn skip_openssl_init() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let mut options = paho_mqtt_sys::MQTTAsync_init_options {
            struct_id: [b'M', b'Q', b'T', b'G'].map(|b| b as std::ffi::c_char),
            struct_version: 0,
            do_openssl_init: 0,
        };
        // SAFETY: a valid, initialised options struct; paho copies the flag and keeps no pointer.
        unsafe { paho_mqtt_sys::MQTTAsync_global_init(&mut options) };
    });
}

pub fn connect_options(c: &ConnectionConfig) -> anyhow::Result<mqtt::ConnectOptions> {
    let version = match c.mqtt_version {
        MqttVersion::Auto => mqtt::MqttVersion::Default,
        MqttVersion::V31 => mqtt::MqttVersion::V3_1,
        MqttVersion::V311 => mqtt::MqttVersion::V3_1_1,
    };
    let mut builder = mqtt::ConnectOptionsBuilder::with_mqtt_version(version);
    builder
        .user_name(&c.app_id)
        .password(c.app_secret.expose())
        .keep_alive_interval(paho_keepalive(c.keepalive))
        .clean_session(c.clean_session)
        .connect_timeout(CONNECT_TIMEOUT);
    if let Some(tls) = &c.tls {
        builder.ssl_options(tls.paho_options()?);
    }
    Ok(builder.finalize())
}

/// Why a connect failed, in words: for TLS, our own handshake finds the cause paho does not report.
pub fn connect_failure(c: &ConnectionConfig, paho_error: &mqtt::Error) -> String {
    let generic = format!(
        "cannot reach the broker at {}:{} ({paho_error}): check --host/--port and your network",
        c.host, c.port
    );
    let Some(tls) = &c.tls else { return generic };
    let Ok(addresses) = resolve(c) else { return generic };
    for address in addresses {
        match tls::handshake(&c.host, address, tls) {
            Err(HandshakeFailure::Tls(reason)) => return reason,
            Err(HandshakeFailure::Connect(_)) => continue,
            // The handshake works now: the failure was after it (or has passed).
            Ok(_) => break,
        }
    }
    generic
}

/// paho declares a link dead one interval after a PINGREQ went unanswered, so up to twice its
/// interval of silence. Asking it for half the user's keepalive notices a dead link within about one
/// keepalive, inside the promised 1.5x (the broker then allows 1.5x half). paho counts whole seconds.
fn paho_keepalive(keepalive: Duration) -> Duration {
    Duration::from_secs((keepalive.as_secs() / 2).max(1))
}

/// The broker's addresses, or a failure that says the name is the problem (exit 3).
pub fn resolve(c: &ConnectionConfig) -> Result<Vec<SocketAddr>, Failure> {
    let host = c.host.as_str();
    match (host, c.port).to_socket_addrs().map(Iterator::collect::<Vec<_>>) {
        Ok(addresses) if !addresses.is_empty() => Ok(addresses),
        Ok(_) => Err(Failure::new(Exit::Unreachable, format!("{host} has no address; check --host"))),
        Err(e) => {
            Err(Failure::new(Exit::Unreachable, format!("cannot resolve {host}: {e}; check --host and your DNS")))
        }
    }
}

/// The MQTT version a CONNACK granted, as users write it.
pub fn granted_version(response: &mqtt::ServerResponse) -> (&'static str, bool) {
    response
        .connect_response()
        .map(|r| (if r.mqtt_version == mqtt::MQTT_VERSION_3_1 { "3.1" } else { "3.1.1" }, r.session_present))
        .unwrap_or(("3.1.1", false))
}

/// What a refused CONNACK means and what to check. `None`: worth retrying (server unavailable).
pub fn refusal(code: ConnectReturnCode, c: &ConnectionConfig) -> Option<Failure> {
    let rc = code as u8;
    match code {
        ConnectReturnCode::ServerUnavailable | ConnectReturnCode::Accepted => None,
        ConnectReturnCode::UnacceptableProtocolVersion => Some(Failure::new(
            Exit::Refused,
            format!("the broker refused MQTT {} (CONNACK {rc}): try --mqtt-version auto, 3.1 or 3.1.1", c.mqtt_version),
        )),
        _ => Some(Failure::new(
            Exit::Refused,
            format!(
                "the broker refused the connection: {code} (CONNACK {rc}). Check the AppID ({}) and AppSecret, \
                 that clientId {} matches ^APPID(/[-_0-9a-zA-Z]{{0,36}})?$, and that no other client uses it",
                c.app_id, c.client_id
            ),
        )),
    }
}

/// Why a subscription was refused, and what to check.
pub fn subscription_refused(c: &ConnectionConfig, why: &str) -> Failure {
    Failure::new(
        Exit::Refused,
        format!(
            "the broker refused the subscription to {} ({why}): the service allows only users/{}/devices; check --topic",
            c.topic, c.app_id
        ),
    )
}

fn summary(why: &str, elapsed: Duration, stats: Stats, reconnects: u64) -> String {
    format!("{why} after {}: {stats}, reconnects {reconnects}", display(elapsed))
}

/// The message callback. It writes the push before returning, because paho sends the PUBACK when it
/// returns. When the push cannot be written it never returns normally: the process ends first, so
/// the broker keeps the push for the next durable session.
fn message_callback(
    mut engine: Engine,
    broker_socket: Arc<BrokerSocket>,
    events: SyncSender<Event>,
    status: Status,
    want_dup: bool,
) -> impl FnMut(&mqtt::AsyncClient, Option<mqtt::Message>) + Send + 'static {
    let progress = engine.progress();
    move |_client, message| {
        // paho also calls this with None when the connection drops; the lost-connection callback handles that.
        let Some(message) = message else { return };
        let qos = message.qos() as i32;
        let delivery = Delivery {
            topic: message.topic(),
            qos,
            retained: message.retained(),
            dup: want_dup && dup_flag(&message),
            payload: message.payload(),
            received_at: SystemTime::now(),
            // Only a QoS 0 line may wait, so only then is it worth a look at the socket.
            next_ready: qos == 0 && broker_socket.next_publish_ready(),
        };
        match engine.handle(&delivery) {
            Ok(Handled::Refused) => {
                // The run is ending: acknowledging this push would lose it. Hold it until the process
                // exits. (paho holds its client mutex meanwhile, so the supervisor stops calling paho.)
                progress.hold();
                loop {
                    std::thread::park();
                }
            }
            Ok(_) => {
                if progress.is_closed() {
                    let _ = events.try_send(Event::CountReached);
                }
            }
            Err(e) => exit_on_write_error(
                &e,
                status,
                "this push was not acknowledged, so a durable session (--session) gets it again",
            ),
        }
    }
}

/// Ends the process when stdout fails, before the push being written could be acknowledged.
fn exit_on_write_error(error: &io::Error, status: Status, consequence: &str) -> ! {
    // The reader went away (`| head -n 1`): a normal, quiet end.
    if error.kind() == io::ErrorKind::BrokenPipe {
        std::process::exit(Exit::Success as i32);
    }
    status.error(format_args!("cannot write to stdout: {error}; {consequence}"));
    std::process::exit(Exit::Internal as i32);
}

/// The MQTT DUP flag. paho-mqtt 0.14 keeps it in the copied C message struct but has no accessor;
/// its `Debug` output carries it as `dup: N` near the start, so we scan that and stop early.
fn dup_flag(message: &mqtt::Message) -> bool {
    use std::fmt::Write as _;
    struct Scan {
        tail: String,
        found: Option<bool>,
    }
    impl std::fmt::Write for Scan {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.tail.push_str(s);
            if let Some(at) = self.tail.find("dup: ")
                && let Some(digit) = self.tail[at + 5..].chars().next()
            {
                self.found = Some(digit != '0');
                return Err(std::fmt::Error);
            }
            // Keep just enough to match across write_str boundaries.
            if self.tail.len() > 16 {
                let cut = self.tail.len() - 8;
                let cut = (0..=cut).rev().find(|&i| self.tail.is_char_boundary(i)).unwrap_or(0);
                self.tail.drain(..cut);
            }
            Ok(())
        }
    }
    let mut scan = Scan { tail: String::new(), found: None };
    let _ = write!(scan, "{message:?}");
    scan.found.unwrap_or(false)
}

/// True when stdout is a pipe or socket whose reading end has closed (poll reports POLLERR/POLLHUP).
fn stdout_reader_gone() -> bool {
    use rustix::event::{PollFd, PollFlags, poll};
    use std::os::fd::AsFd;
    let stdout = io::stdout();
    let fd = stdout.as_fd();
    let mut fds = [PollFd::from_borrowed_fd(fd, PollFlags::empty())];
    let ready = poll(&mut fds, Some(&rustix::event::Timespec { tv_sec: 0, tv_nsec: 0 })).unwrap_or(0);
    ready > 0 && fds[0].revents().intersects(PollFlags::ERR | PollFlags::HUP)
}

/// Full jitter over the upper half: attempt 0 waits 0.5–1 s, then 1–2 s, … up to 30–60 s.
fn backoff_delay(attempt: u32) -> Duration {
    let ceiling = BACKOFF_FIRST.saturating_mul(1u32 << attempt.min(16)).min(BACKOFF_CAP);
    let half = ceiling / 2;
    half + half.mul_f64(fastrand::f64())
}

struct Supervisor<'a> {
    connection: &'a ConnectionConfig,
    client: mqtt::AsyncClient,
    events: SyncSender<Event>,
    wakeups: Receiver<Event>,
    progress: Arc<Progress>,
    sink: Arc<Sink>,
    broker_socket: Arc<BrokerSocket>,
    /// Set by paho's lost-connection callback; cleared before each connection attempt. Read instead of
    /// `is_connected()`, which waits for paho's mutex and so for a push being written.
    lost: Arc<AtomicBool>,
    status: Status,
    started: Instant,
    stop_at: Option<Instant>,
    timeout: Option<Duration>,
    reconnects: u64,
    /// When the current connection was made, to tell a takeover's ping-pong from an ordinary loss.
    connected_at: Option<Instant>,
    /// Connections in a row that were lost within [`QUICK_DROP`].
    quick_drops: u32,
}

impl Supervisor<'_> {
    fn run(&mut self) -> Interrupt {
        match self.run_inner() {
            Ok(never) => match never {},
            Err(interrupt) => interrupt,
        }
    }

    fn run_inner(&mut self) -> Flow<std::convert::Infallible> {
        if let Err(reason) = self.attempt()? {
            return Err(Interrupt::Failed(Failure::new(Exit::Unreachable, reason)));
        }
        loop {
            self.wait(TICK)?;
            if stdout_reader_gone() {
                // `sensoro-sub | head -n 1`: end now rather than at the next push, so the pipeline
                // finishes. Quietly, as when a write fails on the closed pipe.
                std::process::exit(Exit::Success as i32);
            }
            if self.lost.load(Ordering::SeqCst) {
                self.reconnect()?;
            }
        }
    }

    /// Waits up to `max` for a wake-up, ending the run on Ctrl-C, count, `--duration` or `--timeout`.
    /// Other events are the caller's: `Ok(None)` means `max` passed without one.
    fn wait(&self, max: Duration) -> Flow<Option<Event>> {
        let now = Instant::now();
        let mut until = now + max;
        if let Some(stop_at) = self.stop_at {
            if now >= stop_at {
                return Err(Interrupt::Finished("duration reached"));
            }
            until = until.min(stop_at);
        }
        if let Some(timeout) = self.timeout {
            let expires = self.progress.last_printed() + timeout;
            if now >= expires {
                return Err(Interrupt::Failed(Failure::new(
                    Exit::Timeout,
                    format!(
                        "no push for {} (--timeout): check that devices are reporting and the filters",
                        display(timeout)
                    ),
                )));
            }
            until = until.min(expires);
        }
        match self.wakeups.recv_timeout(until.saturating_duration_since(now)) {
            Ok(Event::Stop) => Err(Interrupt::Finished("interrupted")),
            Ok(Event::CountReached) => Err(Interrupt::Finished("count reached")),
            Ok(event) => Ok(Some(event)),
            Err(RecvTimeoutError::Timeout) => Ok(None),
            Err(RecvTimeoutError::Disconnected) => {
                Err(Interrupt::Failed(Failure::new(Exit::Internal, "internal error: the event channel closed")))
            }
        }
    }

    /// Sleeps for `delay` while still honouring Ctrl-C and the clocks.
    fn sleep(&self, delay: Duration) -> Flow<()> {
        let until = Instant::now() + delay;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(());
            }
            self.wait(left)?;
        }
    }

    /// Runs a paho request on its own thread and waits for its outcome, still honouring Ctrl-C and
    /// the clocks. Any paho call can wait for paho's mutex, which the message callback holds while it
    /// writes a push (or holds one back at the end of the run); the supervisor must never wait on it.
    fn request<F>(&self, call: F) -> Flow<mqtt::Result<mqtt::ServerResponse>>
    where
        F: FnOnce(&mqtt::AsyncClient) -> mqtt::Token + Send + 'static,
    {
        let (client, events) = (self.client.clone(), self.events.clone());
        std::thread::spawn(move || {
            let outcome = call(&client).wait();
            // Fails only once the supervisor is gone, when the outcome no longer matters.
            let _ = events.send(Event::Response(outcome));
        });
        loop {
            if let Some(Event::Response(outcome)) = self.wait(TICK)? {
                return Ok(outcome);
            }
        }
    }

    /// One connect + subscribe. `Ok(Err(reason))` is worth retrying; a refusal ends the run.
    fn attempt(&mut self) -> Flow<Result<(), String>> {
        let c = self.connection;
        let options = connect_options(c).map_err(|e| Interrupt::Failed(Failure::usage(format!("{e:#}"))))?;
        self.lost.store(false, Ordering::SeqCst);
        self.broker_socket.forget();
        self.status.detail(format_args!(
            "connecting to {} as {} (MQTT {})",
            server_uri(c),
            c.client_id,
            c.mqtt_version
        ));
        let response = match self.request(move |client| client.connect(options))? {
            Ok(response) => response,
            Err(mqtt::Error::ConnectReturn(code)) => {
                return match refusal(code, c) {
                    Some(failure) => Err(Interrupt::Failed(failure)),
                    None => Ok(Err(format!("the broker is unavailable (CONNACK {}): try again later", code as u8))),
                };
            }
            Err(e) => return Ok(Err(connect_failure(c, &e))),
        };
        self.connected_at = Some(Instant::now());
        let (version, session_present) = granted_version(&response);
        let session = match (c.clean_session, session_present) {
            (true, _) => String::new(),
            (false, true) => ", durable session resumed".into(),
            (false, false) => ", new durable session".into(),
        };
        self.status
            .info(format_args!("connected to {}:{} as {} (MQTT {version}{session})", c.host, c.port, c.client_id));

        let (topic, qos) = (c.topic.clone(), c.qos);
        let granted = match self.request(move |client| client.subscribe(topic, qos))? {
            Ok(response) => response.subscribe_response().unwrap_or(c.qos),
            Err(_) if self.lost.load(Ordering::SeqCst) => {
                return Ok(Err("the connection dropped while subscribing".into()));
            }
            Err(e) => return Err(self.subscription_refused(&e.to_string())),
        };
        if granted >= 0x80 {
            return Err(self.subscription_refused("SUBACK 0x80"));
        }
        if granted < c.qos {
            self.status.warn(format_args!(
                "the broker granted QoS {granted} instead of {}: pushes sent while disconnected may be lost",
                c.qos
            ));
        }
        self.status.info(format_args!("subscribed to {} (QoS {granted}); waiting for pushes", c.topic));
        Ok(Ok(()))
    }

    fn subscription_refused(&self, why: &str) -> Interrupt {
        Interrupt::Failed(subscription_refused(self.connection, why))
    }

    /// Reconnects with exponential backoff and jitter until connected, refused, or `--give-up-after`.
    fn reconnect(&mut self) -> Flow<()> {
        let lost_at = Instant::now();
        self.status.info(format_args!("connection to {}:{} lost", self.connection.host, self.connection.port));
        let quick = self.connected_at.is_some_and(|at| at.elapsed() < QUICK_DROP);
        self.quick_drops = if quick { self.quick_drops + 1 } else { 0 };
        let mut first_attempt = 0;
        if self.quick_drops >= TAKEOVER_DROPS {
            // Two clients with one clientId kick each other off in turn; retrying fast feeds the storm.
            first_attempt = TAKEOVER_FIRST_ATTEMPT;
            if self.quick_drops == TAKEOVER_DROPS {
                self.status.warn(format_args!(
                    "the connection keeps dropping right after it is made: another client is probably using \
                     clientId {} (the service allows one connection per clientId); waiting longer between \
                     attempts. Give each client its own --session or --client-id",
                    self.connection.client_id
                ));
            }
        }
        for attempt in first_attempt.. {
            let delay = backoff_delay(attempt);
            self.status.info(format_args!("reconnecting in {} (attempt {})", display(delay), attempt + 1));
            self.sleep(delay)?;
            match self.attempt()? {
                Ok(()) => {
                    self.reconnects += 1;
                    return Ok(());
                }

                Err(reason) => {
                    if let Some(limit) = self.connection.give_up_after
                        && lost_at.elapsed() >= limit
                    {
                        return Err(Interrupt::Failed(Failure::new(
                            Exit::Unreachable,
                            format!(
                                "{reason}; gave up after {} without a connection (--give-up-after)",
                                display(limit)
                            ),
                        )));
                    }
                    self.status.info(reason);
                }
            }
        }
        unreachable!("the reconnect loop only ends by returning")
    }

    /// Ends the run: no more output, then a clean DISCONNECT, bounded in time. Pushes that arrive now
    /// stay unacknowledged (their callback holds them), so a durable session gets them next time.
    fn shutdown(&mut self) {
        self.progress.close();
        // QoS 0 lines held back for a push that will now not be printed. A stalled reader could
        // block this write, and with it the exit: wait for it only so long.
        let sink = Arc::clone(&self.sink);
        let (done, flushed) = sync_channel(1);
        std::thread::spawn(move || {
            let _ = done.send(sink.flush());
        });
        match flushed.recv_timeout(DISCONNECT_WAIT) {
            Ok(Err(e)) if e.kind() != io::ErrorKind::BrokenPipe => {
                self.status.error(format_args!("cannot write to stdout: {e}"));
            }
            _ => {}
        }
        // A held push keeps paho's mutex: a DISCONNECT could not be sent, and the TCP close at exit
        // leaves the session (and that push) on the broker all the same.
        if !self.lost.load(Ordering::SeqCst) && !self.progress.is_holding() {
            let client = self.client.clone();
            let (done, disconnected) = sync_channel(1);
            std::thread::spawn(move || {
                let options = mqtt::DisconnectOptionsBuilder::new().timeout(Duration::ZERO).finalize();
                let _ = client.disconnect(options).wait_for(DISCONNECT_WAIT);
                let _ = done.send(());
            });
            let _ = disconnected.recv_timeout(DISCONNECT_WAIT);
        }
        // Dropping the client would join paho's threads, one of which may be holding an
        // unacknowledged push in our callback; the process is about to exit, so leave them be.
        std::mem::forget(self.client.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_caps_at_a_minute() {
        for _ in 0..200 {
            let first = backoff_delay(0);
            assert!(first >= Duration::from_millis(500) && first <= Duration::from_secs(1), "{first:?}");
            let third = backoff_delay(2);
            assert!(third >= Duration::from_secs(2) && third <= Duration::from_secs(4), "{third:?}");
            let late = backoff_delay(30);
            assert!(late >= Duration::from_secs(30) && late <= BACKOFF_CAP, "{late:?}");
        }
    }

    #[test]
    fn paho_gets_half_the_keepalive_in_whole_seconds() {
        assert_eq!(paho_keepalive(Duration::from_secs(30)), Duration::from_secs(15));
        assert_eq!(paho_keepalive(Duration::from_secs(3)), Duration::from_secs(1));
        assert_eq!(paho_keepalive(Duration::from_millis(500)), Duration::from_secs(1));
    }

    #[test]
    fn backoff_is_jittered() {
        let delays: std::collections::HashSet<Duration> = (0..20).map(|_| backoff_delay(3)).collect();
        assert!(delays.len() > 1);
    }

    #[test]
    fn summary_names_every_counter() {
        let stats = Stats { received: 5, printed: 3, filtered: 1, undecodable: 1, undecryptable: 0, duplicates: 0 };
        assert_eq!(
            summary("interrupted", Duration::from_secs(12), stats, 2),
            "interrupted after 12s: received 5, printed 3, filtered 1, undecodable 1, undecryptable 0, duplicates 0, \
             reconnects 2"
        );
    }
}
