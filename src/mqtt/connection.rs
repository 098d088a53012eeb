//! What the session needs to know to connect and subscribe, as the config layer resolves it.

use std::fmt;
use std::time::Duration;

use super::tls::TlsConfig;
use crate::pipeline::Qos;
use crate::secret::Secret;
use crate::service;

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
    /// Who we are to the broker; the clientId and the clean-session flag follow from it.
    pub identity: Identity,
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

/// Who we are to the broker, decided once by the config layer: the clientId, whether the broker
/// keeps our session, and the status lines about it all follow from this, so they cannot disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    /// A clean session: the broker forgets us, and any push it had not delivered, at disconnect.
    Clean {
        client_id: String,
        /// The user named this clientId (`--client-id`, `session clear`), so another client may use
        /// it too; a generated one is ours alone and cannot be taken over.
        chosen: bool,
    },
    /// A durable session, clientId `APPID/NAME`: the broker keeps our subscription and queues QoS 1
    /// pushes while we are away, for whichever client connects as it next.
    Durable { name: String, client_id: String },
}

impl Identity {
    /// A clean session under a clientId of our own, `APPID/<random uuid>`.
    pub fn fresh(app_id: &str) -> Identity {
        Identity::Clean { client_id: service::random_client_id(app_id), chosen: false }
    }

    /// The durable session `name` of `app_id`.
    pub fn durable(app_id: &str, name: &str) -> Identity {
        Identity::Durable { name: name.to_owned(), client_id: format!("{app_id}/{name}") }
    }

    pub fn client_id(&self) -> &str {
        match self {
            Identity::Clean { client_id, .. } | Identity::Durable { client_id, .. } => client_id,
        }
    }

    /// The durable session's name, when there is one.
    pub fn session(&self) -> Option<&str> {
        match self {
            Identity::Durable { name, .. } => Some(name),
            Identity::Clean { .. } => None,
        }
    }

    /// The CONNECT packet's flag: the broker keeps nothing for us.
    pub fn clean_session(&self) -> bool {
        matches!(self, Identity::Clean { .. })
    }

    /// Another client may connect with our clientId and take the connection over (the service allows
    /// one connection per clientId).
    pub fn can_be_taken_over(&self) -> bool {
        !matches!(self, Identity::Clean { chosen: false, .. })
    }
}
