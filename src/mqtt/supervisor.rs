//! The session: connect, subscribe, reconnect with backoff after a lost connection, and decide when
//! and how the run ends. The pushes themselves go through the callbacks (`callback.rs`).
//!
//! Threads: paho's receive thread runs the message callback (engine: decode, write, flush; the PUBACK
//! goes out after the callback returns). The calling thread supervises, in one loop
//! ([`Supervisor::run`]): each step (connect, watch the link, judge a loss, reconnect) leads to the
//! next [`Phase`] or stops, with a failed attempt to judge ([`Stop::Retry`]) or the end of the run.
//! Every wait in a step hears the events that end the run (count reached, a [`Stopper`]'s stop, a
//! failed write) and the clocks. The process's signals are the command's to take (`crate::signals`):
//! they reach the session through a [`Stopper`].

use std::fmt;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, sync_channel};
use std::time::{Duration, Instant};

use paho_mqtt as mqtt;

use super::ack;
use super::callback;
use super::client::{self, server_uri};
use super::connection::{Clocks, ConnectionConfig, Identity, MqttVersion};
use super::diagnose;
use super::error::Error;
use super::event::Event;
use super::probe::Probe;
use crate::duration::display;
use crate::pipeline::output::{Sink, stdout_reader_gone};
use crate::pipeline::{Engine, Progress, Qos, Stats};
use crate::status::{self, Status};

/// The supervisor re-checks the connection at least this often, whatever the events say.
const TICK: Duration = Duration::from_secs(1);
/// Reconnect backoff: doubles from the first to the cap, with jitter.
const BACKOFF_FIRST: Duration = Duration::from_secs(1);
const BACKOFF_CAP: Duration = Duration::from_secs(60);
/// After a takeover, the one retry waits as backoff's attempt this (8–16 s): long enough for a
/// restarted process of our own to settle, short enough to come back soon.
const TAKEOVER_FIRST_ATTEMPT: u32 = 4;
/// Connections in a row ended by a takeover that end the run (exit 4) instead of fighting on.
const TAKEOVERS_TO_GIVE_UP: u32 = 2;
/// A takeover counts as "in a row" when it ends the retry within this long: the other client's own
/// wait (8–16 s for another sensoro-sub) and some slack. Later, it is a first takeover again.
const TAKEOVER_WINDOW: Duration = Duration::from_secs(25);
/// How long the broker gets to accept a throwaway login after it closed our connection.
const PROBE_WAIT: Duration = Duration::from_secs(3);
/// Upper bound on a clean disconnect at the end of the run.
const DISCONNECT_WAIT: Duration = Duration::from_secs(2);
/// How long the broker may take to answer a SUBSCRIBE before the connection is tried anew.
const SUBACK_WAIT: Duration = Duration::from_secs(10);
/// How long the answer to a CONNECT may still take once its pushes have ended the run.
const LATE_RESPONSE_WAIT: Duration = Duration::from_secs(1);
/// How long a status line may wait for stderr once the run is ending (`status::bound_writes`).
const STATUS_WAIT: Duration = Duration::from_secs(1);

/// How a session ended, said plainly. Each ending also says whether a push is [`Held`]
/// unacknowledged, which the caller must honour before anything else.
#[must_use]
#[derive(Debug)]
pub enum Outcome {
    /// A normal end; the summary has been shown.
    Finished { why: Finish, held: Held },
    /// stdout's reader went away (`| head -n 1`): a quiet end.
    StdoutClosed { held: Held },
    /// The run failed: refused, unreachable for good, `--timeout`, taken over, stdout failed.
    Failed { error: Error, held: Held },
}

impl Outcome {
    /// Whether the run left a push unacknowledged on paho's receive thread.
    pub fn held(&self) -> Held {
        match self {
            Outcome::Finished { held, .. } | Outcome::StdoutClosed { held } | Outcome::Failed { held, .. } => *held,
        }
    }
}

/// Whether a push is left unacknowledged when the run ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Held {
    /// Nothing is held: paho's threads wind down as usual.
    Nothing,
    /// paho's receive thread is blocked in our callback for good, on a push it must not acknowledge:
    /// the caller must end the process now, without waiting on paho's threads, so that the broker
    /// keeps the push for the next durable session.
    Push,
}

/// Why a run ended normally, in the summary's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Finish {
    CountReached,
    /// `--exit-on-alarm`: a push with an alarm was printed.
    AlarmRaised,
    DurationReached,
    /// Ctrl-C, SIGTERM, SIGHUP with nothing to reopen, or a [`Stopper`].
    Interrupted,
}

impl fmt::Display for Finish {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Finish::CountReached => "count reached",
            Finish::AlarmRaised => "alarm raised",
            Finish::DurationReached => "duration reached",
            Finish::Interrupted => "interrupted",
        })
    }
}

/// A session about to run. Whoever runs it (a command, or `watch` from another thread) can stop
/// it with a [`Stopper`], and see whether it is connected.
pub struct Session {
    events: SyncSender<Event>,
    wakeups: Receiver<Event>,
    link: Arc<Link>,
}

/// Tells a running session what the process's signals mean (`crate::signals`), or stops it from
/// another thread (`watch`).
#[derive(Clone)]
pub struct Stopper(SyncSender<Event>);

impl Stopper {
    /// Ends the run as Ctrl-C does: the summary is shown and the outcome returned.
    pub fn stop(&self) {
        // Blocks only while the channel is full; the supervisor reads it until the run ends, and
        // after that the send fails at once.
        let _ = self.0.send(Event::Stop);
    }

    /// SIGHUP: the session opens `--output` anew (logrotate), or, with nothing to reopen, stops.
    pub fn hang_up(&self) {
        let _ = self.0.send(Event::Hangup);
    }
}

/// Where the connection stands, as the supervisor last saw it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkState {
    /// Before the first connection is made and subscribed.
    Connecting,
    Connected,
    /// Lost, and trying again.
    Reconnecting,
}

/// The supervisor's [`LinkState`], readable from any thread.
#[derive(Debug)]
pub struct Link(AtomicU8);

impl Link {
    #[cfg(feature = "watch")]
    pub fn state(&self) -> LinkState {
        match self.0.load(Ordering::Relaxed) {
            0 => LinkState::Connecting,
            1 => LinkState::Connected,
            _ => LinkState::Reconnecting,
        }
    }

    fn set(&self, state: LinkState) {
        self.0.store(state as u8, Ordering::Relaxed);
    }
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

impl Session {
    pub fn new() -> Session {
        let (events, wakeups) = sync_channel::<Event>(16);
        Session { events, wakeups, link: Arc::new(Link(AtomicU8::new(LinkState::Connecting as u8))) }
    }

    pub fn stopper(&self) -> Stopper {
        Stopper(self.events.clone())
    }

    #[cfg(feature = "watch")]
    pub fn link(&self) -> Arc<Link> {
        Arc::clone(&self.link)
    }

    /// Subscribes and feeds every push to `engine` until the run ends. Signals reach it only
    /// through a [`Stopper`]: taking them is the command's business (`crate::signals`).
    pub fn run(self, connection: &ConnectionConfig, clocks: Clocks, engine: Engine, status: Status) -> Outcome {
        let Session { events, wakeups, link } = self;
        let progress = engine.progress();
        let sink = engine.sink();
        let lost = Arc::new(AtomicBool::new(false));
        let not_started = |error| Outcome::Failed { error, held: Held::Nothing };

        // A name that does not resolve will not start to: say so plainly instead of "connect failure".
        if let Err(e) = diagnose::resolve(connection) {
            return not_started(e);
        }
        let client = match client::create(connection) {
            Ok(client) => client,
            Err(e) => return not_started(e),
        };
        client.set_message_callback(callback::on_message(engine, events.clone(), !connection.identity.clean_session()));
        client.set_connection_lost_callback(callback::on_connection_lost(
            Arc::clone(&lost),
            Arc::clone(&sink),
            events.clone(),
        ));

        let mut supervisor = Supervisor {
            connection,
            client,
            events,
            wakeups,
            progress,
            sink,
            lost,
            link,
            status,
            started: Instant::now(),
            stop_at: clocks.duration.map(|d| Instant::now() + d),
            timeout: clocks.timeout,
            reconnects: 0,
            takeovers: 0,
            connected_at: None,
            version: connection.mqtt_version,
        };
        let end = supervisor.run();
        supervisor.shutdown(&end);
        supervisor.outcome(end)
    }
}

/// How the supervisor's loop ended, before the shutdown and the summary.
enum End {
    Finished(Finish),
    Failed(Error),
}

/// What cuts a step of the loop short.
enum Stop {
    /// A connection attempt failed. The loop tries again after a backoff, unless the broker refused
    /// us (`diagnose::is_final`) or it was the run's first connection.
    Retry(Error),
    /// The run is over.
    End(End),
}

impl From<End> for Stop {
    fn from(end: End) -> Stop {
        Stop::End(end)
    }
}

/// Where the supervisor's loop stands.
#[derive(Clone, Copy)]
enum Phase {
    /// The run's first connection: its failure ends the run.
    Starting,
    /// Connected and subscribed: watching the link and the clocks.
    Connected,
    /// The link was lost just now: was it taken over?
    Lost,
    /// Connecting again after `backoff_delay(attempt)`; the link was lost at `lost_at`.
    Reconnecting { lost_at: Instant, attempt: u32 },
}

/// The one step type of the loop: on to the next phase, or stopped.
type Step = Result<Phase, Stop>;

/// `-v`'s count of lines and writes, in words that agree with the numbers.
fn lines_left(lines: u64, writes: u64) -> String {
    let plural = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!("{} left in {} to stdout", plural(lines, "line", "lines"), plural(writes, "write", "writes"))
}

fn summary(why: impl fmt::Display, elapsed: Duration, stats: Stats, reconnects: u64) -> String {
    format!("{why} after {}: {stats}, reconnects {reconnects}", display(elapsed))
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
    /// Set by paho's lost-connection callback; cleared before each connection attempt. Read instead of
    /// `is_connected()`, which waits for paho's mutex and so for a push being written.
    lost: Arc<AtomicBool>,
    link: Arc<Link>,
    status: Status,
    started: Instant,
    stop_at: Option<Instant>,
    timeout: Option<Duration>,
    reconnects: u64,
    /// Connections in a row that ended in a takeover (see [`Supervisor::taken_over`]).
    takeovers: u32,
    /// When the current connection was made.
    connected_at: Option<Instant>,
    /// The MQTT version to connect with: the configured one until a connection shows which works.
    version: MqttVersion,
}

impl Supervisor<'_> {
    /// The loop: each step leads to the next phase, or stops it. A failed attempt is judged here,
    /// and only here: try again after a backoff, or end the run.
    fn run(&mut self) -> End {
        let mut phase = Phase::Starting;
        loop {
            let step = match phase {
                Phase::Starting => self.connect_and_subscribe().map(|()| Phase::Connected),
                Phase::Connected => self.watch_link(),
                Phase::Lost => self.judge_loss(),
                Phase::Reconnecting { attempt, .. } => self.reconnect(attempt),
            };
            phase = match step {
                Ok(next) => next,
                Err(Stop::End(end)) => return end,
                Err(Stop::Retry(error)) => match phase {
                    Phase::Reconnecting { lost_at, attempt } if !diagnose::is_final(&error) => {
                        if let Some(limit) = self.connection.give_up_after
                            && lost_at.elapsed() >= limit
                        {
                            return End::Failed(Error::GaveUp { last: Box::new(error), after: limit });
                        }
                        self.status.info(error);
                        Phase::Reconnecting { lost_at, attempt: attempt + 1 }
                    }
                    // A refusal ends the run, and so does any failure of its first connection.
                    _ => return End::Failed(error),
                },
            };
        }
    }

    /// Connected: one tick of watching for the loss of the link or of stdout's reader.
    fn watch_link(&self) -> Step {
        self.wait(TICK)?;
        if stdout_reader_gone() {
            // `sensoro-sub | head -n 1`: end now rather than at the next push, so the pipeline
            // finishes. Quietly, as when a write fails on the closed pipe.
            return Err(End::Failed(Error::StdoutClosed).into());
        }
        Ok(if self.lost.load(Ordering::SeqCst) { Phase::Lost } else { Phase::Connected })
    }

    /// The link was just lost: a takeover waits longer before the one retry it gets, and a second
    /// one in a row ends the run; any other loss is retried with backoff from the first attempt.
    fn judge_loss(&mut self) -> Step {
        let lost_at = Instant::now();
        let lasted = self.connected_at.map(|at| at.elapsed());
        self.link.set(LinkState::Reconnecting);
        self.status.info(format_args!("connection to {}:{} lost", self.connection.host, self.connection.port));
        if !(self.closed_by_the_broker(lost_at) && self.taken_over()?) {
            self.takeovers = 0;
            return Ok(Phase::Reconnecting { lost_at, attempt: 0 });
        }
        // The newer connection wins (MQTT's rule): fighting back at once would only bounce the two
        // clients off each other, and each bounce acknowledges pushes the other never sees.
        let soon = lasted.is_some_and(|lasted| lasted < TAKEOVER_WINDOW);
        self.takeovers = if soon { self.takeovers + 1 } else { 1 };
        let client_id = self.connection.identity.client_id();
        if self.takeovers >= TAKEOVERS_TO_GIVE_UP {
            return Err(End::Failed(Error::TakenOver { client_id: client_id.to_owned() }).into());
        }
        self.status.warn(format_args!(
            "taken over: another client connected as clientId {client_id} and the broker closed this \
             connection (the service allows one connection per clientId). Trying once more after a wait; \
             taken over again right after, this run ends with exit 4. Give each client its own --session"
        ));
        Ok(Phase::Reconnecting { lost_at, attempt: TAKEOVER_FIRST_ATTEMPT })
    }

    /// One reconnect attempt, after its backoff.
    fn reconnect(&mut self, attempt: u32) -> Step {
        let delay = backoff_delay(attempt);
        self.status.info(format_args!("reconnecting in {} (attempt {})", display(delay), attempt + 1));
        self.sleep(delay)?;
        self.connect_and_subscribe()?;
        self.reconnects += 1;
        Ok(Phase::Connected)
    }

    /// Waits up to `max` for a wake-up, ending the run on Ctrl-C, count, `--duration` or `--timeout`.
    /// Other events are the caller's: `Ok(None)` means `max` passed without one.
    fn wait(&self, max: Duration) -> Result<Option<Event>, End> {
        let now = Instant::now();
        let mut until = now + max;
        if let Some(stop_at) = self.stop_at {
            if now >= stop_at {
                return Err(End::Finished(Finish::DurationReached));
            }
            until = until.min(stop_at);
        }
        if let Some(timeout) = self.timeout {
            let expires = self.progress.last_printed() + timeout;
            if now >= expires {
                return Err(End::Failed(Error::NoPush { after: timeout }));
            }
            until = until.min(expires);
        }
        match self.wakeups.recv_timeout(until.saturating_duration_since(now)) {
            Ok(Event::Stop) => Err(End::Finished(Finish::Interrupted)),
            Ok(Event::Hangup) => self.hang_up().map(|()| None),
            Ok(Event::CountReached) if self.progress.stopped_on_alarm() => Err(End::Finished(Finish::AlarmRaised)),
            Ok(Event::CountReached) => Err(End::Finished(Finish::CountReached)),
            Ok(Event::Failed(error)) => Err(End::Failed(error)),
            Ok(event) => Ok(Some(event)),
            Err(RecvTimeoutError::Timeout) => Ok(None),
            Err(RecvTimeoutError::Disconnected) => {
                Err(End::Failed(Error::Setup("internal error: the event channel closed".into())))
            }
        }
    }

    /// SIGHUP: logrotate renamed `--output`; lines go to a new file at its path from now on, none
    /// lost (the held ones go to the old file, synced). With nothing to reopen (stdout), SIGHUP
    /// ends the run as SIGTERM does: the terminal is gone.
    fn hang_up(&self) -> Result<(), End> {
        match self.sink.reopen() {
            Ok(true) => {
                self.status.info("SIGHUP: output file opened anew");
                Ok(())
            }
            Ok(false) => Err(End::Finished(Finish::Interrupted)),
            Err(e) => {
                self.status
                    .warn(format_args!("SIGHUP: cannot open the output file anew ({e}); still writing to the old one"));
                Ok(())
            }
        }
    }

    /// Sleeps for `delay` while still honouring Ctrl-C and the clocks.
    fn sleep(&self, delay: Duration) -> Result<(), End> {
        let until = Instant::now() + delay;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(());
            }
            self.wait(left)?;
        }
    }

    /// Runs a paho request on its own thread and waits for its response, still honouring Ctrl-C and
    /// the clocks; `failed` says what paho's error means for the run. Any paho call can wait for
    /// paho's mutex, which the message callback holds while it writes a push (or holds one back at
    /// the end of the run); the supervisor must never wait on it. With a `limit`, paho's error is
    /// `mqtt::Error::Timeout` once it has passed.
    fn request<F>(
        &self,
        limit: Option<Duration>,
        call: F,
        failed: impl FnOnce(mqtt::Error) -> Stop,
    ) -> Result<mqtt::ServerResponse, Stop>
    where
        F: FnOnce(&mqtt::AsyncClient) -> mqtt::Token + Send + 'static,
    {
        let (client, events) = (self.client.clone(), self.events.clone());
        std::thread::spawn(move || {
            let token = call(&client);
            let outcome = match limit {
                Some(limit) => token.wait_for(limit),
                None => token.wait(),
            };
            // Fails only once the supervisor is gone, when the outcome no longer matters.
            let _ = events.send(Event::Response(outcome));
        });
        loop {
            if let Some(Event::Response(outcome)) = self.wait(TICK)? {
                return outcome.map_err(failed);
            }
        }
    }

    /// One connect + subscribe.
    fn connect_and_subscribe(&mut self) -> Result<(), Stop> {
        let c = self.connection;
        self.lost.store(false, Ordering::SeqCst);
        let response = match self.connect() {
            // A resumed session's queued pushes follow the CONNACK at once, and can reach `--count`
            // before paho's answer reaches this thread: the connection was made, so say how.
            Err(Stop::End(End::Finished(why @ (Finish::CountReached | Finish::AlarmRaised)))) => {
                if let Some(response) = self.late_response() {
                    self.connected(&response);
                }
                return Err(End::Finished(why).into());
            }
            other => other?,
        };
        self.connected(&response);

        let granted = self.subscribe()?;
        if granted < c.qos {
            self.status.warn(format_args!(
                "the broker granted QoS {granted} instead of {}: pushes sent while disconnected may be lost",
                c.qos
            ));
        }
        self.link.set(LinkState::Connected);
        self.status.info(format_args!("subscribed to {} (QoS {granted}); waiting for pushes", c.topic));
        Ok(())
    }

    /// The CONNACK came: remember when and with which version, and say which session it is.
    fn connected(&mut self, response: &mqtt::ServerResponse) {
        let c = self.connection;
        self.connected_at = Some(Instant::now());
        let (version, session_present) = diagnose::granted(response);
        // The version that worked is the one to reconnect with: no fallback dance every time.
        self.version = if version == "3.1" { MqttVersion::V31 } else { MqttVersion::V311 };
        let session = match (&c.identity, session_present) {
            (Identity::Clean { .. }, _) => "",
            (Identity::Durable { .. }, true) => ", durable session resumed",
            (Identity::Durable { .. }, false) => ", new durable session",
        };
        let client_id = c.identity.client_id();
        self.status.info(format_args!("connected to {}:{} as {client_id} (MQTT {version}{session})", c.host, c.port));
    }

    /// The answer to the request in flight when the run ended, if it comes within a moment.
    fn late_response(&self) -> Option<mqtt::ServerResponse> {
        let until = Instant::now() + LATE_RESPONSE_WAIT;
        loop {
            match self.wakeups.recv_timeout(until.saturating_duration_since(Instant::now())) {
                Ok(Event::Response(Ok(response))) => return Some(response),
                Ok(Event::Response(Err(_))) | Err(_) => return None,
                Ok(_) => {}
            }
        }
    }

    /// A CONNECT and its CONNACK; for `--mqtt-version auto`, MQTT 3.1.1 and then, when a 3.1-era
    /// broker refused it, 3.1 (the rule `check` follows too: `diagnose::falls_back`).
    fn connect(&self) -> Result<mqtt::ServerResponse, Stop> {
        let refused = match self.connect_as(diagnose::first_version(self.version)) {
            Err(Stop::Retry(refused)) if diagnose::falls_back(self.version, &refused) => refused,
            first => return first,
        };
        self.status.detail(format_args!("MQTT 3.1.1: {refused}; trying 3.1"));
        self.connect_as(MqttVersion::V31).map_err(|stop| match stop {
            Stop::Retry(second) => Stop::Retry(diagnose::after_fallback(refused, second)),
            end => end,
        })
    }

    /// One CONNECT with this MQTT version (not `Auto`), waiting for its CONNACK.
    fn connect_as(&self, version: MqttVersion) -> Result<mqtt::ServerResponse, Stop> {
        let c = self.connection;
        let options = client::connect_options(c, version).map_err(End::Failed)?;
        let client_id = c.identity.client_id();
        self.status.detail(format_args!("connecting to {} as {client_id} (MQTT {version})", server_uri(c)));
        self.request(
            None,
            move |client| client.connect(options),
            |e| Stop::Retry(diagnose::connect_error(c, version, &e)),
        )
    }

    /// SUBSCRIBE, and the QoS its SUBACK granted. No SUBACK in time is transient like a lost
    /// connection; a refusal ends the run.
    fn subscribe(&self) -> Result<Qos, Stop> {
        let c = self.connection;
        let (topic, qos) = (c.topic.clone(), client::qos_level(c.qos));
        let response = self.request(
            Some(SUBACK_WAIT),
            move |client| client.subscribe(topic, qos),
            |error| match error {
                _ if self.lost.load(Ordering::SeqCst) => Stop::Retry(Error::DroppedWhileSubscribing),
                mqtt::Error::Timeout => {
                    // Drop this connection, and the reconnect loop tries anew.
                    self.drop_connection(DISCONNECT_WAIT);
                    Stop::Retry(Error::NoSuback { topic: c.topic.clone(), after: SUBACK_WAIT })
                }
                refused => End::Failed(diagnose::subscription_refused(c, &refused.to_string())).into(),
            },
        )?;
        diagnose::granted_qos(c, Ok(response)).map_err(|refused| End::Failed(refused).into())
    }

    /// Whether the loss was the broker closing a live link, as it does on a takeover, rather than
    /// paho giving up on a silent one. paho declares a link dead only after hearing nothing for its
    /// keepalive interval; traffic we know of (the CONNACK, a push) closer to the loss than that
    /// means the link was alive. Longer quiet may be a dead network path, which a login over a fresh
    /// path would pass too: that loss is retried at once like any other (test
    /// `a_silently_dead_network_is_noticed_…`), and a takeover shows on the next round.
    fn closed_by_the_broker(&self, lost_at: Instant) -> bool {
        let heard = self.connected_at.into_iter().chain([self.progress.last_printed()]).max();
        let interval = client::paho_keepalive(self.connection.keepalive);
        heard.is_some_and(|at| lost_at.saturating_duration_since(at) < interval)
    }

    /// Whether the connection just lost was taken over: our clientId is one another client may use,
    /// and the broker that closed it still accepts a login at once (a throwaway clean one, which
    /// touches no session). A broker going down or a dead network answers no login; MQTT 3.1.1 gives
    /// no reason for a close, and paho none for a loss, so this is how a takeover is told apart.
    fn taken_over(&self) -> Result<bool, End> {
        if !self.connection.identity.can_be_taken_over() {
            return Ok(false);
        }
        let mut probe = self.connection.clone();
        probe.identity = Identity::fresh(&probe.app_id);
        probe.mqtt_version = self.version;
        let events = self.events.clone();
        std::thread::spawn(move || {
            let answered = match Probe::log_in(&probe, PROBE_WAIT) {
                Ok((probe, _)) => {
                    probe.disconnect();
                    true
                }
                Err(_) => false,
            };
            let _ = events.send(Event::BrokerAnswered(answered));
        });
        let until = Instant::now() + PROBE_WAIT + TICK;
        while Instant::now() < until {
            if let Some(Event::BrokerAnswered(answered)) = self.wait(until.saturating_duration_since(Instant::now()))? {
                return Ok(answered);
            }
        }
        Ok(false)
    }

    /// Ends the run: no more output, then a clean DISCONNECT, bounded in time. Pushes that arrive now
    /// stay unacknowledged (their callback holds them), so a durable session gets them next time.
    fn shutdown(&mut self, why: &End) {
        self.progress.close();
        // From here on nothing may wait for long on a reader that stopped reading, stderr's
        // included (the summary line): the process ends within a few seconds of SIGTERM.
        status::bound_writes(STATUS_WAIT);
        let deadline = Instant::now() + DISCONNECT_WAIT;
        if let End::Failed(Error::StdoutClosed | Error::Stdout { .. }) = why {
            // Lines held back cannot be written either; the failure is already reported.
            self.leave_client();
            return;
        }
        // QoS 0 lines held back for a push that will now not be printed. A stalled reader could
        // block this write, and with it the exit: wait for it only so long.
        let sink = Arc::clone(&self.sink);
        let (done, flushed) = sync_channel(1);
        std::thread::spawn(move || {
            let _ = done.send(sink.flush());
        });
        match flushed.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(Err(e)) if e.kind() != io::ErrorKind::BrokenPipe => {
                self.status.error(format_args!("cannot write to stdout: {e}"));
            }
            _ => {}
        }
        // A held push keeps paho's mutex: a DISCONNECT could not be sent, and the TCP close at exit
        // leaves the session (and that push) on the broker all the same.
        if !self.lost.load(Ordering::SeqCst) && !self.progress.is_holding() {
            self.drop_connection(deadline.saturating_duration_since(Instant::now()));
        }
        self.leave_client();
    }

    /// The summary the end calls for (none for stdout's failures, which are reported already), and
    /// the [`Outcome`] that says how the run ended.
    fn outcome(&self, end: End) -> Outcome {
        let stats = self.progress.stats();
        let elapsed = self.started.elapsed();
        match end {
            End::Finished(why) => {
                self.status.detail(format_args!(
                    "{}; {} syncs; PUBACKs in {} batched writes",
                    lines_left(stats.printed, self.sink.writes()),
                    self.sink.syncs(),
                    ack::batched_writes()
                ));
                self.status.info(summary(why, elapsed, stats, self.reconnects));
                Outcome::Finished { why, held: self.held() }
            }
            // The reader went away (`| head -n 1`): a quiet end.
            End::Failed(Error::StdoutClosed) => Outcome::StdoutClosed { held: self.held() },
            End::Failed(error @ Error::Stdout { .. }) => Outcome::Failed { error, held: self.held() },
            End::Failed(error) => {
                self.status.detail(lines_left(stats.printed, self.sink.writes()));
                if stats.received > 0 || self.reconnects > 0 {
                    self.status.info(summary("stopped", elapsed, stats, self.reconnects));
                }
                Outcome::Failed { error, held: self.held() }
            }
        }
    }

    /// Read last, once the run's last words are out: a push that arrived meanwhile is held too.
    fn held(&self) -> Held {
        if self.progress.is_holding() { Held::Push } else { Held::Nothing }
    }

    /// Ends the current connection, waiting on paho for no longer than `limit`.
    fn drop_connection(&self, limit: Duration) {
        let client = self.client.clone();
        let (done, disconnected) = sync_channel(1);
        std::thread::spawn(move || {
            let options = mqtt::DisconnectOptionsBuilder::new().timeout(Duration::ZERO).finalize();
            let _ = client.disconnect(options).wait_for(limit);
            let _ = done.send(());
        });
        let _ = disconnected.recv_timeout(limit);
    }

    /// Dropping the client would join paho's threads, one of which may be holding an unacknowledged
    /// push in our callback; the process is about to end, so leave them be.
    fn leave_client(&self) {
        std::mem::forget(self.client.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_is_not_lines() {
        assert_eq!(lines_left(1, 1), "1 line left in 1 write to stdout");
        assert_eq!(lines_left(3, 2), "3 lines left in 2 writes to stdout");
    }

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
