//! What the broker's answers mean, shared by the session and `check`: name resolution, CONNACK
//! refusals, SUBACK grants, and for a failed TLS connect our own handshake to find the cause that paho
//! does not report.

use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

use paho_mqtt::{self as mqtt, ConnectReturnCode};

use super::client;
use super::connection::{ConnectionConfig, MqttVersion};
use super::error::Error;
use super::tls::{self, HandshakeFailure};
use crate::pipeline::Qos;

/// The broker's addresses, or the failure that says the name is the problem.
pub fn resolve(c: &ConnectionConfig) -> Result<Vec<SocketAddr>, Error> {
    let host = c.host.as_str();
    match (host, c.port).to_socket_addrs().map(Iterator::collect::<Vec<_>>) {
        Ok(addresses) if !addresses.is_empty() => Ok(addresses),
        Ok(_) => Err(Error::NoAddress { host: host.to_owned() }),
        Err(e) => Err(Error::Resolve { host: host.to_owned(), reason: e.to_string() }),
    }
}

/// Why a connect failed: for TLS, our own handshake finds the cause paho does not report.
pub fn connect_failure(c: &ConnectionConfig, paho_error: &mqtt::Error) -> Error {
    let generic = || Error::Unreachable { host: c.host.clone(), port: c.port, reason: paho_error.to_string() };
    let Some(tls) = &c.tls else { return generic() };
    let Ok(addresses) = resolve(c) else { return generic() };
    for address in addresses {
        match tls::handshake(&c.host, address, tls) {
            Err(HandshakeFailure::Tls(refusal)) => return Error::Tls(refusal),
            Err(HandshakeFailure::Connect(_)) => continue,
            // The handshake works now: the failure was after it (or has passed).
            Ok(_) => break,
        }
    }
    generic()
}

/// What a failed CONNECT with `version` means.
pub fn connect_error(c: &ConnectionConfig, version: MqttVersion, error: &mqtt::Error) -> Error {
    match error {
        mqtt::Error::ConnectReturn(code) => refusal(*code, c, version),
        // The vendored wrapper keeps a code MQTT 3.1.1 does not define (vendor/paho-mqtt.patch).
        #[cfg(paho_topic_bytes)]
        mqtt::Error::UnknownConnectReturn(code) => Error::UnknownConnack { code: *code },
        // paho says "TCP connect timeout" whether TCP or the CONNACK is what never came.
        mqtt::Error::TcpConnectTimeout if c.tls.is_none() && tcp_answers(c) => {
            Error::NoConnack { host: c.host.clone(), port: c.port, after: client::CONNECT_TIMEOUT }
        }
        other => connect_failure(c, other),
    }
}

/// Whether a plain TCP connection to the broker is accepted now (within a few seconds).
fn tcp_answers(c: &ConnectionConfig) -> bool {
    let Ok(addresses) = resolve(c) else { return false };
    addresses.iter().any(|address| TcpStream::connect_timeout(address, TCP_PROBE_WAIT).is_ok())
}

const TCP_PROBE_WAIT: Duration = Duration::from_secs(3);

/// The version a connect tries first: the one asked for, or MQTT 3.1.1 for `auto`.
pub fn first_version(asked: MqttVersion) -> MqttVersion {
    match asked {
        MqttVersion::Auto => MqttVersion::V311,
        version => version,
    }
}

/// Whether a connect asked for `auto`, refused as MQTT 3.1.1 with `failure`, tries 3.1 next: a
/// 3.1-era broker answers 3.1.1 with CONNACK 1, or just closes the connection. The session and
/// `check` both follow this rule, and report [`after_fallback`] when 3.1 fails too.
pub fn falls_back(asked: MqttVersion, failure: &Error) -> bool {
    asked == MqttVersion::Auto && matches!(failure, Error::ProtocolVersion { .. } | Error::Unreachable { .. })
}

/// The failure to report when 3.1.1 failed with `first` and 3.1 then with `second`: both versions
/// refused, or whichever says more (a CONNACK beats a closed connection).
pub fn after_fallback(first: Error, second: Error) -> Error {
    match (&first, &second) {
        (Error::ProtocolVersion { code, .. }, Error::ProtocolVersion { .. }) => {
            Error::ProtocolVersion { version: MqttVersion::Auto, code: *code }
        }
        (_, Error::Unreachable { .. }) => first,
        _ => second,
    }
}

/// What a refusing CONNACK means. [`Error::Unavailable`] is worth retrying; the others are not.
fn refusal(code: ConnectReturnCode, c: &ConnectionConfig, version: MqttVersion) -> Error {
    let rc = code as u8;
    match code {
        ConnectReturnCode::ServerUnavailable | ConnectReturnCode::Accepted => Error::Unavailable { code: rc },
        ConnectReturnCode::UnacceptableProtocolVersion => Error::ProtocolVersion { version, code: rc },
        _ => Error::LoginRefused {
            code: rc,
            reason: code.to_string(),
            app_id: c.app_id.clone(),
            client_id: c.identity.client_id().to_owned(),
        },
    }
}

/// Whether a failure ends the run rather than being worth another attempt.
pub fn is_final(error: &Error) -> bool {
    matches!(
        error,
        Error::ProtocolVersion { .. }
            | Error::UnknownConnack { .. }
            | Error::LoginRefused { .. }
            | Error::SubscriptionRefused { .. }
    )
}

/// What a CONNACK granted: the MQTT version as users write it, and whether a session was resumed.
pub fn granted(response: &mqtt::ServerResponse) -> (&'static str, bool) {
    response
        .connect_response()
        .map(|r| (if r.mqtt_version == mqtt::MQTT_VERSION_3_1 { "3.1" } else { "3.1.1" }, r.session_present))
        .unwrap_or(("3.1.1", false))
}

/// The QoS a SUBACK granted, or why the subscription was refused.
pub fn granted_qos(c: &ConnectionConfig, outcome: mqtt::Result<mqtt::ServerResponse>) -> Result<Qos, Error> {
    let code = match outcome {
        Ok(response) => response.subscribe_response().unwrap_or(i32::from(c.qos.level())),
        Err(e) => return Err(subscription_refused(c, &e.to_string())),
    };
    match code {
        0 => Ok(Qos::AtMostOnce),
        // We never ask for more than 1; a broker that grants more still delivers at least once.
        1 | 2 => Ok(Qos::AtLeastOnce),
        _ => Err(subscription_refused(c, "SUBACK 0x80")),
    }
}

/// A SUBSCRIBE the broker refused, or answered with an error.
pub fn subscription_refused(c: &ConnectionConfig, why: &str) -> Error {
    Error::SubscriptionRefused { topic: c.topic.clone(), app_id: c.app_id.clone(), why: why.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unreachable() -> Error {
        Error::Unreachable { host: "broker".into(), port: 1883, reason: "connection closed".into() }
    }

    fn protocol(version: MqttVersion) -> Error {
        Error::ProtocolVersion { version, code: 1 }
    }

    #[test]
    fn auto_tries_3_1_1_first_and_falls_back_only_from_what_a_3_1_broker_answers() {
        assert!(first_version(MqttVersion::Auto) == MqttVersion::V311);
        assert!(first_version(MqttVersion::V31) == MqttVersion::V31);
        assert!(falls_back(MqttVersion::Auto, &protocol(MqttVersion::V311)));
        assert!(falls_back(MqttVersion::Auto, &unreachable()));
        assert!(!falls_back(MqttVersion::V311, &protocol(MqttVersion::V311)));
        assert!(!falls_back(MqttVersion::Auto, &Error::UnknownConnack { code: 9 }));
    }

    #[test]
    fn after_a_fallback_the_failure_that_says_more_is_reported() {
        let both = after_fallback(protocol(MqttVersion::V311), protocol(MqttVersion::V31));
        assert!(matches!(both, Error::ProtocolVersion { version: MqttVersion::Auto, code: 1 }), "{both}");
        let refused_then_closed = after_fallback(protocol(MqttVersion::V311), unreachable());
        assert!(matches!(refused_then_closed, Error::ProtocolVersion { version: MqttVersion::V311, .. }));
        let closed_then_refused = after_fallback(unreachable(), Error::UnknownConnack { code: 9 });
        assert!(matches!(closed_then_refused, Error::UnknownConnack { code: 9 }));
    }
}
