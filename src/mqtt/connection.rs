//! What the session needs to know to connect and subscribe, as the config layer resolves it.

use std::fmt;
use std::time::Duration;

use super::tls::TlsConfig;
use crate::pipeline::Qos;
use crate::secret::Secret;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MqttVersion {
    /// 3.1.1, falling back to 3.1 (paho's default negotiation)
    Auto,
    V31,
    V311,
}

impl fmt::Display for MqttVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MqttVersion::Auto => "auto",
            MqttVersion::V31 => "3.1",
            MqttVersion::V311 => "3.1.1",
        })
    }
}

#[derive(Debug, Clone)]
pub struct ConnectionConfig {
    pub host: String,
    pub port: u16,
    /// `None`: plain MQTT.
    pub tls: Option<TlsConfig>,
    pub app_id: String,
    pub app_secret: Secret,
    pub client_id: String,
    /// The durable session's name, when there is one.
    pub session: Option<String>,
    /// false with a durable session: the broker keeps our subscription and queues QoS 1 pushes while
    /// we are away.
    pub clean_session: bool,
    pub qos: Qos,
    pub mqtt_version: MqttVersion,
    pub topic: String,
    pub keepalive: Duration,
    /// After a lost connection, give up when the broker stays unreachable this long; `None`: never.
    pub give_up_after: Option<Duration>,
}

/// When the session ends by itself, besides a count reached or a signal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Clocks {
    /// Fail when no push was printed for this long.
    pub timeout: Option<Duration>,
    /// End normally after this long.
    pub duration: Option<Duration>,
}
