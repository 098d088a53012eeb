//! A paho client and its connect options, made from a [`ConnectionConfig`].

use std::fmt;
use std::time::Duration;

use paho_mqtt as mqtt;

use super::connection::{ConnectionConfig, MqttVersion};
use super::error::Error;
use super::tls::TlsConfig;

/// How long one TCP+CONNACK attempt may take before it counts as failed.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The URI paho connects to: `tcp://` or `ssl://`, IPv6 addresses in brackets.
pub fn server_uri(connection: &ConnectionConfig) -> String {
    let scheme = if connection.tls.is_some() { "ssl" } else { "tcp" };
    format!("{scheme}://{}:{}", UriHost(&connection.host), connection.port)
}

/// A host as it goes into a URI: IPv6 addresses in brackets.
pub struct UriHost<'a>(pub &'a str);

impl fmt::Display for UriHost<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.contains(':') { write!(f, "[{}]", self.0) } else { f.write_str(self.0) }
    }
}

/// A paho client for this connection. No client-side persistence: the broker keeps durable sessions.
pub fn create(connection: &ConnectionConfig) -> Result<mqtt::AsyncClient, Error> {
    if connection.tls.is_none() {
        skip_openssl_init();
    }
    mqtt::CreateOptionsBuilder::new()
        .server_uri(server_uri(connection))
        .client_id(connection.identity.client_id())
        .persistence(mqtt::PersistenceType::None)
        .create_client()
        .map_err(|e| Error::Setup(format!("cannot create the MQTT client: {e}")))
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
        // SAFETY: `options` is a valid, initialised `MQTTAsync_init_options` (struct id "MQTG",
        // version 0) that lives across the call; paho copies the flag and keeps no pointer to it.
        unsafe { paho_mqtt_sys::MQTTAsync_global_init(&mut options) };
    });
}

/// Options for one CONNECT with `version`. `Auto` is the caller's to resolve (3.1.1, then 3.1):
/// paho's own "default" negotiation does not fall back on a CONNACK 1.
pub fn connect_options(c: &ConnectionConfig, version: MqttVersion) -> Result<mqtt::ConnectOptions, Error> {
    let version = match version {
        MqttVersion::Auto | MqttVersion::V311 => mqtt::MqttVersion::V3_1_1,
        MqttVersion::V31 => mqtt::MqttVersion::V3_1,
    };
    let mut builder = mqtt::ConnectOptionsBuilder::with_mqtt_version(version);
    builder
        .user_name(&c.app_id)
        .password(c.app_secret.expose())
        .keep_alive_interval(paho_keepalive(c.keepalive))
        .clean_session(c.identity.clean_session())
        .connect_timeout(CONNECT_TIMEOUT);
    if let Some(tls) = &c.tls {
        builder.ssl_options(ssl_options(tls)?);
    }
    Ok(builder.finalize())
}

/// paho's options for the same checks [`super::tls::handshake`] makes.
fn ssl_options(tls: &TlsConfig) -> Result<mqtt::SslOptions, Error> {
    let mut builder = mqtt::SslOptionsBuilder::new();
    if let Some(ca_file) = &tls.ca_file {
        builder.trust_store(ca_file).map_err(|e| {
            Error::Setup(format!("the CA file path {} cannot be passed to the TLS library: {e}", ca_file.display()))
        })?;
    }
    builder.enable_server_cert_auth(tls.verify).verify(tls.verify);
    Ok(builder.finalize())
}

/// paho declares a link dead one interval after a PINGREQ went unanswered, so up to twice its
/// interval of silence. Asking it for half the user's keepalive notices a dead link within about one
/// keepalive, inside the promised 1.5x (the broker then allows 1.5x half). paho counts whole seconds.
pub fn paho_keepalive(keepalive: Duration) -> Duration {
    Duration::from_secs((keepalive.as_secs() / 2).max(1))
}

/// The subscription QoS as paho takes it.
pub fn qos_level(qos: crate::pipeline::Qos) -> i32 {
    i32::from(qos.level())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paho_gets_half_the_keepalive_in_whole_seconds() {
        assert_eq!(paho_keepalive(Duration::from_secs(30)), Duration::from_secs(15));
        assert_eq!(paho_keepalive(Duration::from_secs(3)), Duration::from_secs(1));
        assert_eq!(paho_keepalive(Duration::from_millis(500)), Duration::from_secs(1));
    }

    #[test]
    fn uri_host_brackets_ipv6_only() {
        assert_eq!(UriHost("::1").to_string(), "[::1]");
        assert_eq!(UriHost("127.0.0.1").to_string(), "127.0.0.1");
    }
}
