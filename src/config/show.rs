//! `sensoro-sub config show`: every setting, its value (secrets masked) and where it came from by
//! name (`flag --port`, `env SENSORO_PORT`, `profile default in PATH`, `default`), and what is
//! missing or wrong with the fix. It always runs: showing what is missing is its job.

use crate::cli::{AccountArgs, ConnectionArgs, MqttVersionArg, QosArg};
use crate::service;

use super::profile::LoadedProfile;
use super::{Consumer, Layers, NO_APP_ID, NO_APP_SECRET, Resolved, Source, address, advice};

/// The report `config show` prints, whatever the flags, environment and profile hold.
pub fn show(account: AccountArgs, connection: ConnectionArgs) -> String {
    let layers = Layers::gather(&account, &connection);
    let profile_source = Layers::profile_source(&account);
    let qos = match connection.qos {
        QosArg::Zero => "0",
        QosArg::One => "1",
    };
    let mqtt_version = match connection.mqtt_version {
        MqttVersionArg::Auto => "auto",
        MqttVersionArg::V31 => "3.1",
        MqttVersionArg::V311 => "3.1.1",
    };
    let topic = connection.topic.clone();
    let client_id = connection.client_id.clone();
    // What a plain run with these settings would be (a one-shot or filtered run may leave the
    // profile's session alone: config::identity).
    match Resolved::resolve(account, connection, Consumer::Run { one_shot: false, filtered: false }) {
        Ok(resolved) => resolved.show(),
        Err(failure) => {
            let mut problems = Vec::new();
            let profile = match layers.profile {
                Ok(profile) => profile,
                Err(failure) => {
                    problems.push(failure.message);
                    None
                }
            };
            let from = |source: Source| describe(source, profile.as_ref());
            let (app_id, app_id_source) = layers.app_id;
            if app_id.is_none() {
                problems.push(NO_APP_ID.to_owned());
            }
            let app_id_text = app_id.clone().unwrap_or_else(|| "-".to_owned());
            let app_secret = match layers.app_secret {
                Ok((Some(_), source)) => ("set (hidden)", from(source)),
                Ok((None, _)) => {
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
            let (host, host_source) = match layers.host {
                (Some(host), source) => (host, source),
                (None, _) => (service::DEFAULT_HOST.to_owned(), Source::Default),
            };
            let in_host = address::parse_host(&host).ok().and_then(|spec| spec.port);
            let (port, port_source) = match (layers.port, in_host) {
                ((Some(port), source), None) => (port.to_string(), source),
                ((Some(port), source), Some(url_port)) => {
                    super::choose_port(&host, (url_port, host_source), (port, source))
                        .map_or_else(|_| ("?".to_owned(), Source::Unset), |(port, source)| (port.to_string(), source))
                }
                ((None, _), Some(url_port)) => (url_port.to_string(), host_source),
                ((None, _), None) => (format!("{} (8883 with TLS)", service::DEFAULT_PORT), Source::Default),
            };
            let (session, session_source) = layers.session;
            let client_id = match (&session, client_id) {
                (Some(name), _) => (format!("{app_id_text}/{name}"), from(session_source)),
                (None, Some(id)) => (id, from(Source::Flag("--client-id"))),
                (None, None) => (format!("{app_id_text}/<random uuid, new each run>"), from(Source::Default)),
            };
            let (app_key, app_key_source) = layers.app_key;
            let rows = vec![
                ("profile", profile_text(profile.as_ref()), Some(from(profile_source))),
                ("app_id", app_id_text.clone(), Some(from(app_id_source))),
                ("app_secret", app_secret.0.to_owned(), Some(app_secret.1)),
                (
                    "app_key",
                    if app_key.is_some() { "set (hidden)" } else { "-" }.to_owned(),
                    Some(from(app_key_source)),
                ),
                ("host", host, Some(from(host_source))),
                ("port", port, Some(from(port_source))),
                ("session", session.unwrap_or_else(|| "-".into()), Some(from(session_source))),
                ("client_id", client_id.0, Some(client_id.1)),
                ("topic", topic.unwrap_or_else(|| format!("users/{app_id_text}/devices")), None),
                ("qos", qos.to_owned(), None),
                ("mqtt_version", mqtt_version.to_owned(), None),
            ];
            let mut out = table(rows);
            out.push_str("\nTo fix before connecting:\n");
            for problem in problems {
                out.push_str(&format!("  {problem}\n"));
            }
            out
        }
    }
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
        let c = &self.connection;
        let s = &self.sources;
        let from = |source: Source| Some(describe(source, self.profile.as_ref()));
        let secret = |set: bool| if set { "set (hidden)" } else { "-" };
        let client_id = match s.client_id {
            Source::Default => format!("{}/<random uuid, new each run>", c.app_id),
            _ => c.identity.client_id().to_owned(),
        };
        let profile_source = if self.profile.is_some() { from(s.profile) } else { None };
        let rows = vec![
            ("profile", profile_text(self.profile.as_ref()), profile_source),
            ("app_id", c.app_id.clone(), from(s.app_id)),
            ("app_secret", secret(true).to_owned(), from(s.app_secret)),
            ("app_key", secret(self.safe_mode.has_key()).to_owned(), from(s.app_key)),
            ("host", c.host.clone(), from(s.host)),
            ("port", c.port.to_string(), from(s.port)),
            ("tls", c.tls.as_ref().map_or_else(|| "off".to_owned(), |t| format!("on, {}", advice::trust(t))), None),
            ("session", c.identity.session().unwrap_or("-").to_owned(), from(s.session)),
            ("client_id", client_id, from(s.client_id)),
            ("topic", c.topic.clone(), None),
            ("qos", c.qos.to_string(), None),
            ("mqtt_version", c.mqtt_version.to_string(), None),
        ];
        table(rows)
    }
}
