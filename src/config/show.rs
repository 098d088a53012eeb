//! `sensoro-sub config show`: every setting, where it came from, secrets masked.

use super::{Resolved, Source, advice};

impl Resolved {
    /// One line per setting: name, value, and where the value came from.
    pub fn show(&self) -> String {
        let c = &self.connection;
        let s = &self.sources;
        let secret = |set: bool| if set { "set (hidden)" } else { "-" };
        let client_id = match s.client_id {
            Source::Default => format!("{}/<random uuid, new each run>", c.app_id),
            _ => c.identity.client_id().to_owned(),
        };
        let profile = match &self.profile {
            Some(p) => format!("{} ({})", p.name, p.path.display()),
            None => "-".to_owned(),
        };
        let rows: [(&str, String, Option<Source>); 12] = [
            ("profile", profile, None),
            ("app_id", c.app_id.clone(), Some(s.app_id)),
            ("app_secret", secret(true).to_owned(), Some(s.app_secret)),
            ("app_key", secret(self.safe_mode.has_key()).to_owned(), Some(s.app_key)),
            ("host", c.host.clone(), Some(s.host)),
            ("port", c.port.to_string(), Some(s.port)),
            ("tls", c.tls.as_ref().map_or_else(|| "off".to_owned(), |t| format!("on, {}", advice::trust(t))), None),
            ("session", c.identity.session().unwrap_or("-").to_owned(), Some(s.session)),
            ("client_id", client_id, Some(s.client_id)),
            ("topic", c.topic.clone(), None),
            ("qos", c.qos.to_string(), None),
            ("mqtt_version", c.mqtt_version.to_string(), None),
        ];
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
}
