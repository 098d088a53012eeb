//! The broker and who we are to it: host, port, TLS, topic, MQTT options and the identity, with
//! the account, checked into a [`Resolved`] — what a run, `check` and `config show` start from.

use std::path::Path;
use std::time::Duration;

use crate::cli::{AccountArgs, ConnectionArgs, MqttVersionArg, QosArg, SessionClearArgs, TlsArgs};
use crate::exit::Failure;
use crate::mqtt::tls::{DEFAULT_TLS_PORT, TlsConfig};
use crate::mqtt::{ConnectionConfig, Identity, MqttVersion};
use crate::pipeline::Qos;
use crate::pipeline::safe_mode::SafeMode;
use crate::service;

use super::account::Account;
use super::identity::{self, Consumer, SessionNote};
use super::layers::Layers;
use super::profile::LoadedProfile;
use super::sourced::{Source, Sourced};
use super::{address, advice, file};

/// Account and connection settings, checked, each shown one with its source; what `check` and
/// `config show` need too.
#[derive(Debug)]
pub struct Resolved {
    /// The profile read, and where its name came from.
    pub profile: Option<Sourced<LoadedProfile>>,
    pub account: Account,
    /// The broker's host name or address (without a scheme or port); its source is the host's.
    pub host: Sourced<String>,
    pub port: Sourced<u16>,
    /// `None`: plain MQTT.
    pub tls: Option<TlsConfig>,
    /// Who the run is to the broker; the source is the clientId's.
    pub identity: Sourced<Identity>,
    /// Where the session's name came from, even when this run leaves that session alone.
    pub session_source: Source,
    pub session_note: Option<SessionNote>,
    pub topic: String,
    pub qos: Qos,
    pub mqtt_version: MqttVersion,
    pub keepalive: Duration,
    pub give_up_after: Option<Duration>,
}

impl Resolved {
    /// The account and connection of a run that uses pushes as `consumer` says, which decides its
    /// [`Identity`].
    pub fn resolve(account: AccountArgs, connection: ConnectionArgs, consumer: Consumer) -> Result<Resolved, Failure> {
        let layers = Layers::gather(&account, &connection);
        let profile = layers.profile?;
        let account = Account::check(layers.app_id, layers.app_secret, layers.app_key)?;
        let app_id = &account.app_id.value;
        let profile_session = profile.as_ref().and_then(|loaded| loaded.profile.session.clone());
        let identity = identity::resolve(app_id, connection.session, connection.client_id, profile_session, consumer)?;
        let topic = topic(connection.topic, app_id)?;

        let host = layers.host.unwrap_or_else(|| Sourced::default_value(service::DEFAULT_HOST.to_owned()));
        if host.value.is_empty() {
            return Err(Failure::usage("--host is empty: leave it out to use iot.sensoro.com"));
        }
        let spec = address::parse_host(&host.value).map_err(|e| advice::host(&host.value, &e))?;
        let tls = resolve_tls(&spec, &connection.tls, profile.as_ref())?;
        let port = port(&host, spec.port, layers.port, tls.is_some())?;

        Ok(Resolved {
            profile: profile.map(|loaded| Sourced::new(loaded, layers.profile_named_by)),
            account,
            host: host.map(|_| spec.host),
            port,
            tls,
            identity: Sourced::new(identity.identity, identity.client_id_source),
            session_source: identity.session_source,
            session_note: identity.note,
            topic,
            qos: qos(connection.qos),
            mqtt_version: mqtt_version(connection.mqtt_version),
            keepalive: connection.keepalive,
            give_up_after: connection.give_up_after,
        })
    }

    /// `session clear NAME`: the account and broker as for any run, connecting as `APPID/NAME` with
    /// a clean session.
    pub fn clear(args: SessionClearArgs) -> Result<Resolved, Failure> {
        let connection = ConnectionArgs {
            host: args.host,
            port: args.port,
            tls: args.tls,
            client_id: None,
            session: Some(args.name),
            qos: QosArg::One,
            mqtt_version: args.mqtt_version,
            topic: None,
            keepalive: Duration::from_secs(30),
            give_up_after: None,
        };
        Resolved::resolve(args.account, connection, Consumer::Clear)
    }

    /// The MQTT session's settings.
    pub fn connection(&self) -> ConnectionConfig {
        ConnectionConfig {
            host: self.host.value.clone(),
            port: self.port.value,
            tls: self.tls.clone(),
            app_id: self.account.app_id.value.clone(),
            app_secret: self.account.app_secret.value.clone(),
            identity: self.identity.value.clone(),
            qos: self.qos,
            mqtt_version: self.mqtt_version,
            topic: self.topic.clone(),
            keepalive: self.keepalive,
            give_up_after: self.give_up_after,
        }
    }

    pub fn safe_mode(&self) -> SafeMode {
        self.account.safe_mode()
    }

    /// The profile as read, without its source.
    pub fn loaded_profile(&self) -> Option<&LoadedProfile> {
        self.profile.as_ref().map(|profile| &profile.value)
    }
}

/// `--topic`, else the service's topic for the AppID; it must be a topic MQTT can hold.
fn topic(given: Option<String>, app_id: &str) -> Result<String, Failure> {
    let topic = given.unwrap_or_else(|| service::default_topic(app_id));
    if topic.is_empty() {
        return Err(Failure::usage("--topic is empty: leave it out to use users/APPID/devices"));
    }
    if let Some(bad) = topic.chars().find(|c| c.is_control()) {
        return Err(Failure::usage(format!(
            "--topic {topic:?} contains {bad:?}, a control character, which an MQTT topic must not hold: \
             leave --topic out to use users/APPID/devices"
        )));
    }
    Ok(topic)
}

/// The port named in the host, or given as such, or the default of plain MQTT or of TLS.
fn port(
    host: &Sourced<String>,
    in_host: Option<u16>,
    given: Option<Sourced<u16>>,
    tls: bool,
) -> Result<Sourced<u16>, Failure> {
    let port = match (in_host, given) {
        (Some(url_port), Some(given)) => choose_port(&host.value, Sourced::new(url_port, host.source), given)?,
        (Some(url_port), None) => Sourced::new(url_port, host.source),
        (None, Some(given)) => given,
        (None, None) if tls => Sourced::default_value(DEFAULT_TLS_PORT),
        (None, None) => Sourced::default_value(service::DEFAULT_PORT),
    };
    if port.value == 0 {
        return Err(Failure::usage("--port 0 is not a broker port: leave it out to use 1883"));
    }
    Ok(port)
}

/// The port to use when the host names one and a port is given too: the higher layer wins (a
/// `--port` over a profile's `host = "h:1883"`, a `--host h:1884` over `SENSORO_PORT`); in the
/// same layer the port given as such wins, except on the command line, where the two flags conflict.
pub(crate) fn choose_port(
    host_text: &str,
    in_host: Sourced<u16>,
    given: Sourced<u16>,
) -> Result<Sourced<u16>, Failure> {
    match (in_host.source, given.source) {
        (Source::Flag(_), Source::Flag(_)) if in_host.value != given.value => Err(Failure::usage(format!(
            "--host {host_text} says port {} but --port says {}: give the port once",
            in_host.value, given.value
        ))),
        _ => Ok(given.or_higher(in_host)),
    }
}

fn qos(arg: QosArg) -> Qos {
    match arg {
        QosArg::Zero => Qos::AtMostOnce,
        QosArg::One => Qos::AtLeastOnce,
    }
}

fn mqtt_version(arg: MqttVersionArg) -> MqttVersion {
    match arg {
        MqttVersionArg::Auto => MqttVersion::Auto,
        MqttVersionArg::V31 => MqttVersion::V31,
        MqttVersionArg::V311 => MqttVersion::V311,
    }
}

/// TLS settings from `--host`'s scheme, the flags and the profile; `None` for plain MQTT.
fn resolve_tls(
    spec: &address::HostSpec,
    flags: &TlsArgs,
    loaded: Option<&LoadedProfile>,
) -> Result<Option<TlsConfig>, Failure> {
    let profile_ca = loaded.and_then(|l| {
        let file = l.profile.cafile.as_ref()?;
        // A relative path in the config file is relative to that file, not to wherever we run.
        Some(l.path.parent().map_or_else(|| file.clone(), |dir| dir.join(file)))
    });
    let ca_file = flags.cafile.clone().or(profile_ca);
    let asked = flags.tls || ca_file.is_some() || loaded.and_then(|l| l.profile.tls) == Some(true);
    let on = match spec.tls {
        Some(false) if flags.tls || flags.cafile.is_some() => {
            return Err(Failure::usage(
                "--host says mqtt:// (plain) but --tls/--cafile ask for TLS: write mqtts:// or drop the TLS flags",
            ));
        }
        Some(scheme) => scheme,
        None => asked,
    };
    if !on {
        if flags.insecure {
            return Err(Failure::usage(
                "--insecure only applies to TLS: add --tls or write --host mqtts://HOST, or drop --insecure",
            ));
        }
        return Ok(None);
    }
    if let Some(file) = &ca_file {
        check_ca_file(file)?;
    }
    Ok(Some(TlsConfig { ca_file, verify: !flags.insecure }))
}

/// A missing or wrong `--cafile` is a usage error found now, not a handshake failure later.
fn check_ca_file(path: &Path) -> Result<(), Failure> {
    let text = file::read(path, file::CA_LIMIT).map_err(|e| match e {
        file::ReadError::Io(e) => Failure::usage(format!("cannot read --cafile {}: {e}", path.display())),
        file::ReadError::TooLarge(limit) => Failure::usage(format!(
            "--cafile {} is larger than {}: give the PEM file of the broker's CA; check the path",
            path.display(),
            file::size(limit)
        )),
    })?;
    if !text.windows(27).any(|w| w == b"-----BEGIN CERTIFICATE-----") {
        return Err(Failure::usage(format!(
            "--cafile {} holds no PEM certificate (-----BEGIN CERTIFICATE-----): give the CA's certificate in PEM form",
            path.display()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOST_FLAG: Source = Source::Flag("--host");
    const PORT_FLAG: Source = Source::Flag("--port");
    const PORT_ENV: Source = Source::Env("SENSORO_PORT");

    fn choose(in_host: (u16, Source), given: (u16, Source)) -> Result<Sourced<u16>, Failure> {
        choose_port("h", Sourced::new(in_host.0, in_host.1), Sourced::new(given.0, given.1))
    }

    #[test]
    fn a_port_in_the_host_and_one_given_as_such_the_higher_layer_wins() {
        assert_eq!(choose((1884, Source::Profile), (1885, PORT_FLAG)).unwrap(), Sourced::new(1885, PORT_FLAG));
        assert_eq!(choose((1884, HOST_FLAG), (1885, PORT_ENV)).unwrap(), Sourced::new(1884, HOST_FLAG));
        // In the same layer, the port given as such.
        assert_eq!(
            choose((1884, Source::Profile), (1885, Source::Profile)).unwrap(),
            Sourced::new(1885, Source::Profile)
        );
        assert_eq!(choose((1884, HOST_FLAG), (1884, PORT_FLAG)).unwrap(), Sourced::new(1884, PORT_FLAG));
        let err = choose((1884, HOST_FLAG), (1885, PORT_FLAG)).unwrap_err();
        assert_eq!(err.message, "--host h says port 1884 but --port says 1885: give the port once");
    }

    #[test]
    fn with_no_port_given_plain_mqtt_and_tls_have_their_defaults() {
        let host = Sourced::default_value("h".to_owned());
        assert_eq!(port(&host, None, None, false).unwrap(), Sourced::default_value(service::DEFAULT_PORT));
        assert_eq!(port(&host, None, None, true).unwrap(), Sourced::default_value(DEFAULT_TLS_PORT));
        let named = Sourced::new("h:1884".to_owned(), HOST_FLAG);
        assert_eq!(port(&named, Some(1884), None, true).unwrap(), Sourced::new(1884, HOST_FLAG));
        assert!(port(&host, None, Some(Sourced::new(0, PORT_FLAG)), false).is_err());
    }
}
