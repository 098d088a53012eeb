//! `sensoro-sub config show`: every setting, its value (secrets masked) and where it came from by
//! name (`flag --port`, `env SENSORO_PORT`, `profile default in PATH`, `default`), and what is
//! missing or wrong with the fix. It always runs: showing what is missing is its job.

use crate::cli::{AccountArgs, ConnectionArgs, MqttVersionArg, QosArg};
use crate::exit::Failure;
use crate::service;

use super::account::{NO_APP_ID, NO_APP_SECRET};
use super::connection::choose_port;
use super::layers::Layers;
use super::profile::LoadedProfile;
use super::sourced::{Source, Sourced};
use super::{Consumer, Resolved, address, advice};

/// The report `config show` prints, whatever the flags, environment and profile hold.
pub fn show(account: AccountArgs, connection: ConnectionArgs) -> String {
    let layers = Layers::gather(&account, &connection);
    let unlayered = Unlayered {
        topic: connection.topic.clone(),
        client_id: connection.client_id.clone(),
        qos: match connection.qos {
            QosArg::Zero => "0",
            QosArg::One => "1",
        },
        mqtt_version: match connection.mqtt_version {
            MqttVersionArg::Auto => "auto",
            MqttVersionArg::V31 => "3.1",
            MqttVersionArg::V311 => "3.1.1",
        },
    };
    // What a plain run with these settings would be (a one-shot or filtered run may leave the
    // profile's session alone: config::identity).
    match Resolved::resolve(account, connection, Consumer::Run { one_shot: false, filtered: false }) {
        Ok(resolved) => resolved.show(),
        Err(failure) => unresolved(layers, failure, unlayered),
    }
}

/// The settings the layers do not give, as the flags say them.
struct Unlayered {
    topic: Option<String>,
    client_id: Option<String>,
    qos: &'static str,
    mqtt_version: &'static str,
}

/// What the layers give when they do not resolve, and every problem found on the way.
fn unresolved(layers: Layers, failure: Failure, flags: Unlayered) -> String {
    let Layers { profile, profile_named_by, app_id, app_secret, app_key, session, host, port } = layers;
    let mut problems = Vec::new();
    let profile = profile.unwrap_or_else(|failure| {
        problems.push(failure.message);
        None
    });
    let from = |source: Source| describe(source, profile.as_ref());
    if app_id.is_none() {
        problems.push(NO_APP_ID.to_owned());
    }
    let app_id_text = app_id.as_ref().map_or_else(|| "-".to_owned(), |id| id.value.clone());
    let app_secret = match app_secret {
        Ok(Some(secret)) => ("set (hidden)", from(secret.source)),
        Ok(None) => {
            problems.push(NO_APP_SECRET.to_owned());
            ("-", from(Source::Unset))
        }
        Err(failure) => {
            problems.push(failure.message);
            ("-", from(Source::Unset))
        }
    };
    if !problems.contains(&failure.message) {
        problems.push(failure.message);
    }
    let host = host.unwrap_or_else(|| Sourced::default_value(service::DEFAULT_HOST.to_owned()));
    let in_host = address::parse_host(&host.value).ok().and_then(|spec| spec.port);
    let port = match (port, in_host) {
        (Some(port), None) => port.map(|port| port.to_string()),
        (Some(port), Some(url_port)) => choose_port(&host.value, Sourced::new(url_port, host.source), port)
            .map_or_else(|_| Sourced::new("?".to_owned(), Source::Unset), |port| port.map(|port| port.to_string())),
        (None, Some(url_port)) => Sourced::new(url_port.to_string(), host.source),
        (None, None) => Sourced::default_value(format!("{} (8883 with TLS)", service::DEFAULT_PORT)),
    };
    let client_id = match (&session, flags.client_id) {
        (Some(name), _) => Sourced::new(format!("{app_id_text}/{}", name.value), name.source),
        (None, Some(id)) => Sourced::new(id, Source::Flag("--client-id")),
        (None, None) => Sourced::default_value(format!("{app_id_text}/<random uuid, new each run>")),
    };
    let rows = vec![
        ("profile", profile_text(profile.as_ref()), Some(from(profile_named_by))),
        ("app_id", app_id_text.clone(), Some(from(Source::of(&app_id)))),
        ("app_secret", app_secret.0.to_owned(), Some(app_secret.1)),
        ("app_key", if app_key.is_some() { "set (hidden)" } else { "-" }.to_owned(), Some(from(Source::of(&app_key)))),
        ("host", host.value, Some(from(host.source))),
        ("port", port.value, Some(from(port.source))),
        (
            "session",
            session.as_ref().map_or_else(|| "-".into(), |name| name.value.clone()),
            Some(from(Source::of(&session))),
        ),
        ("client_id", client_id.value, Some(from(client_id.source))),
        ("topic", flags.topic.unwrap_or_else(|| format!("users/{app_id_text}/devices")), None),
        ("qos", flags.qos.to_owned(), None),
        ("mqtt_version", flags.mqtt_version.to_owned(), None),
    ];
    let mut out = table(rows);
    out.push_str("\nTo fix before connecting:\n");
    for problem in problems {
        out.push_str(&format!("  {problem}\n"));
    }
    out
}

/// A source by name; a profile's says which profile of which file.
fn describe(source: Source, profile: Option<&LoadedProfile>) -> String {
    match (source, profile) {
        (Source::Profile, Some(p)) => format!("profile {} in {}", p.name, p.path.display()),
        (source, _) => source.to_string(),
    }
}

fn profile_text(profile: Option<&LoadedProfile>) -> String {
    match profile {
        Some(p) => format!("{} ({})", p.name, p.path.display()),
        None => "-".to_owned(),
    }
}

fn table(rows: Vec<(&str, String, Option<String>)>) -> String {
    let mut out = String::new();
    for (name, value, source) in rows {
        let source = source.map(|s| format!("  ({s})")).unwrap_or_default();
        // Values come from files and the environment: nothing in them reaches a terminal raw.
        let value = crate::visible::visible(&value);
        out.push_str(format!("{name:<13} {value:<40}{source}").trim_end());
        out.push('\n');
    }
    out
}

impl Resolved {
    /// One line per setting: name, value, and where the value came from.
    pub fn show(&self) -> String {
        let profile = self.loaded_profile();
        let from = |source: Source| Some(describe(source, profile));
        let secret = |set: bool| if set { "set (hidden)" } else { "-" }.to_owned();
        let (account, identity) = (&self.account, &self.identity);
        let client_id = match identity.source {
            Source::Default => format!("{}/<random uuid, new each run>", account.app_id.value),
            _ => identity.value.client_id().to_owned(),
        };
        let rows = vec![
            ("profile", profile_text(profile), self.profile.as_ref().and_then(|p| from(p.source))),
            ("app_id", account.app_id.value.clone(), from(account.app_id.source)),
            ("app_secret", secret(true), from(account.app_secret.source)),
            ("app_key", secret(account.app_key.value.is_some()), from(account.app_key.source)),
            ("host", self.host.value.clone(), from(self.host.source)),
            ("port", self.port.value.to_string(), from(self.port.source)),
            ("tls", self.tls.as_ref().map_or_else(|| "off".to_owned(), |t| format!("on, {}", advice::trust(t))), None),
            ("session", identity.value.session().unwrap_or("-").to_owned(), from(self.session_source)),
            ("client_id", client_id, from(identity.source)),
            ("topic", self.topic.clone(), None),
            ("qos", self.qos.to_string(), None),
            ("mqtt_version", self.mqtt_version.to_string(), None),
        ];
        table(rows)
    }
}
