//! The MQTT steps of `check`, one at a time, each with its own verdict: log in, subscribe, wait for
//! one push. Always a fresh client; what to connect as is the caller's choice.

use std::time::Duration;

use paho_mqtt as mqtt;

use super::client;
use super::connection::{ConnectionConfig, MqttVersion};
use super::diagnose;
use super::error::Error;
use crate::pipeline::Qos;

pub struct Probe<'a> {
    connection: &'a ConnectionConfig,
    client: mqtt::AsyncClient,
    pushes: mqtt::SyncReceiver<Option<mqtt::Message>>,
}

/// How a probe logged in.
pub struct Login {
    /// The MQTT version the broker accepted, as users write it.
    pub version: &'static str,
    /// `--mqtt-version auto` had to fall back to 3.1.
    pub fell_back: bool,
}

impl<'a> Probe<'a> {
    /// Connects and waits up to `limit` for each CONNACK; `auto` tries 3.1.1, then 3.1 as the
    /// session does.
    pub fn log_in(connection: &'a ConnectionConfig, limit: Duration) -> Result<(Probe<'a>, Login), Error> {
        let client = client::create(connection)?;
        let pushes = client.start_consuming();
        let attempt = |version| match client.connect(client::connect_options(connection, version)?).wait_for(limit) {
            Ok(response) => Ok(response),
            Err(e @ mqtt::Error::ConnectReturn(_)) => Err(diagnose::connect_error(connection, version, &e)),
            Err(e) => Err(Error::Unreachable {
                host: connection.host.clone(),
                port: connection.port,
                reason: format!("no CONNACK: {e}"),
            }),
        };
        let asked = connection.mqtt_version;
        let (response, fell_back) = match attempt(diagnose::first_version(asked)) {
            Err(refused) if diagnose::falls_back(asked, &refused) => {
                (attempt(MqttVersion::V31).map_err(|second| diagnose::after_fallback(refused, second))?, true)
            }
            first => (first?, false),
        };
        let version = diagnose::granted(&response).0;
        Ok((Probe { connection, client, pushes }, Login { version, fell_back }))
    }

    /// Subscribes to the connection's topic; returns the QoS the broker granted.
    pub fn subscribe(&self, limit: Duration) -> Result<Qos, Error> {
        let c = self.connection;
        diagnose::granted_qos(c, self.client.subscribe(&c.topic, client::qos_level(c.qos)).wait_for(limit))
    }

    /// The payload of the first push within `limit`, if one comes.
    pub fn first_payload(&self, limit: Duration) -> Option<Vec<u8>> {
        match self.pushes.recv_timeout(limit) {
            Ok(Some(message)) => Some(message.payload().to_vec()),
            _ => None,
        }
    }

    pub fn disconnect(self) {
        let _ = self.client.disconnect(None).wait_for(Duration::from_secs(2));
    }
}
