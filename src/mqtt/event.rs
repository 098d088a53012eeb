//! What the callbacks and request threads tell the supervisor.

use paho_mqtt as mqtt;

use super::error::Error;

/// What wakes the supervisor. A bounded channel: callbacks drop a wake-up when it is full (a full
/// channel already holds one); request threads and failures block until it is read.
pub enum Event {
    ConnectionLost,
    CountReached,
    Stop,
    /// SIGHUP: open `--output` anew (logrotate), or, with nothing to reopen, stop.
    Hangup,
    /// A callback cannot go on (stdout failed); the push it was writing is held unacknowledged.
    Failed(Error),
    /// Whether the broker accepted a throwaway login right after closing our connection (see
    /// `Supervisor::taken_over`).
    BrokerAnswered(bool),
    /// The outcome of a connect or subscribe request (see `Supervisor::request`).
    Response(mqtt::Result<mqtt::ServerResponse>),
}
