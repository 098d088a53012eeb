//! Why a session or a probe could not go on. `Display` is one line in the service's terms, without
//! flag names: the config layer (`config::advice`) adds what to change on the command line.

use std::fmt;
use std::io;
use std::time::Duration;

use super::connection::MqttVersion;
use super::tls::TlsRefusal;
use crate::duration::display;
use crate::exit::Exit;

#[derive(Debug)]
pub enum Error {
    /// The broker's name resolved to nothing.
    NoAddress {
        host: String,
    },
    /// The broker's name did not resolve.
    Resolve {
        host: String,
        reason: String,
    },
    /// TCP or MQTT connect failed; `reason` is paho's word for it.
    Unreachable {
        host: String,
        port: u16,
        reason: String,
    },
    /// The TLS handshake failed, for this reason (found by our own handshake).
    Tls(TlsRefusal),
    /// CONNACK 3: worth trying again later.
    Unavailable {
        code: u8,
    },
    /// CONNACK 1.
    ProtocolVersion {
        version: MqttVersion,
        code: u8,
    },
    /// A CONNACK code MQTT 3.1.1 does not define (6–255): not the service's kind of broker.
    UnknownConnack {
        code: i32,
    },
    /// TCP connected, but no CONNACK came within the connect timeout.
    NoConnack {
        host: String,
        port: u16,
        after: Duration,
    },
    /// Subscribed, but no SUBACK came in time: worth another connection.
    NoSuback {
        topic: String,
        after: Duration,
    },
    /// CONNACK 2, 4 or 5: credentials or clientId.
    LoginRefused {
        code: u8,
        reason: String,
        app_id: String,
        client_id: String,
    },
    SubscriptionRefused {
        topic: String,
        app_id: String,
        why: String,
    },
    /// Two connections in a row were taken over by another client with our clientId.
    TakenOver {
        client_id: String,
    },
    /// The connection dropped between CONNACK and SUBACK.
    DroppedWhileSubscribing,
    /// The broker stayed unreachable past the limit; `last` is the last attempt's failure.
    GaveUp {
        last: Box<Error>,
        after: Duration,
    },
    /// No push was printed for this long.
    NoPush {
        after: Duration,
    },
    /// The reader of stdout went away: a normal, quiet end.
    StdoutClosed,
    /// stdout failed for another reason. `unacknowledged`: the push being written was held back from
    /// acknowledgement (else the lines lost were QoS 0 lines held for a burst).
    Stdout {
        error: io::Error,
        unacknowledged: bool,
    },
    /// The session could not be set up (a bug or a system limit).
    Setup(String),
}

impl Error {
    /// The exit code this failure ends the run with.
    pub fn exit(&self) -> Exit {
        match self {
            Error::NoAddress { .. }
            | Error::Resolve { .. }
            | Error::Unreachable { .. }
            | Error::Tls(_)
            | Error::Unavailable { .. }
            | Error::DroppedWhileSubscribing
            | Error::NoConnack { .. }
            | Error::NoSuback { .. }
            | Error::GaveUp { .. } => Exit::Unreachable,
            Error::ProtocolVersion { .. }
            | Error::UnknownConnack { .. }
            | Error::LoginRefused { .. }
            | Error::SubscriptionRefused { .. }
            | Error::TakenOver { .. } => Exit::Refused,
            Error::NoPush { .. } => Exit::Timeout,
            Error::StdoutClosed => Exit::Success,
            Error::Stdout { .. } | Error::Setup(_) => Exit::Internal,
        }
    }

    /// A failed write to stdout, as the session reports it.
    pub(crate) fn stdout(error: io::Error, unacknowledged: bool) -> Error {
        match error.kind() {
            io::ErrorKind::BrokenPipe => Error::StdoutClosed,
            _ => Error::Stdout { error, unacknowledged },
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NoAddress { host } => write!(f, "{host} has no address"),
            Error::Resolve { host, reason } => write!(f, "cannot resolve {host}: {reason}"),
            Error::Unreachable { host, port, reason } => {
                write!(f, "cannot reach the broker at {host}:{port} ({reason})")
            }
            Error::Tls(refusal) => refusal.fmt(f),
            Error::Unavailable { code } => write!(f, "the broker is unavailable (CONNACK {code}): try again later"),
            Error::ProtocolVersion { version: MqttVersion::Auto, code } => {
                write!(f, "the broker refused both MQTT 3.1.1 and 3.1 (CONNACK {code})")
            }
            Error::ProtocolVersion { version, code } => write!(f, "the broker refused MQTT {version} (CONNACK {code})"),
            Error::UnknownConnack { code } => write!(
                f,
                "the broker refused the connection with CONNACK code {code}, which MQTT 3.1.1 does not define \
                 (codes 1–5 are the refusals): this is not an MQTT 3.1 broker like the SENSORO service's"
            ),
            Error::NoConnack { host, port, after } => write!(
                f,
                "{host}:{port} accepted the TCP connection but sent no CONNACK within {}: it is not answering MQTT",
                display(*after)
            ),
            Error::NoSuback { topic, after } => {
                write!(f, "the broker did not answer the subscription to {topic} within {}", display(*after))
            }
            Error::LoginRefused { code, reason, app_id, client_id } => write!(
                f,
                "the broker refused the connection: {reason} (CONNACK {code}). Check the AppID ({app_id}) and \
                 AppSecret, that clientId {client_id} matches ^APPID(/[-_0-9a-zA-Z]{{0,36}})?$, and that no other \
                 client uses it"
            ),
            Error::SubscriptionRefused { topic, app_id, why } => write!(
                f,
                "the broker refused the subscription to {topic} ({why}): the service allows only users/{app_id}/devices"
            ),
            Error::TakenOver { client_id } => write!(
                f,
                "clientId {client_id} was taken over twice in a row: another client keeps connecting with it, and \
                 the broker (one connection per clientId) closes ours each time"
            ),
            Error::DroppedWhileSubscribing => f.write_str("the connection dropped while subscribing"),
            Error::GaveUp { last, after } => {
                write!(f, "{last}; gave up after {} without a connection", display(*after))
            }
            Error::NoPush { after } => write!(f, "no push for {}", display(*after)),
            Error::StdoutClosed => f.write_str("the reader of stdout went away"),
            Error::Stdout { error, unacknowledged: true } => write!(
                f,
                "cannot write to stdout: {error}; this push was not acknowledged, so a durable session gets it again"
            ),
            Error::Stdout { error, unacknowledged: false } => {
                write!(f, "cannot write to stdout: {error}; these were QoS 0 pushes, which are not redelivered")
            }
            Error::Setup(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for Error {}
