//! Topics are bytes until we decide: a push is ours only when its topic is UTF-8 without NUL (MQTT
//! forbids both) and matches the subscription (MQTT's wildcard rules). Anything else is reported
//! as undecodable and never printed as one of ours: the broker is hostile until checked.

use std::fmt;

/// The subscription a session's pushes must match; `decode` has none (its "topic" is `FILE:LINE`).
#[derive(Clone, Debug, Default)]
pub struct Subscription {
    filter: Option<String>,
}

/// Why a topic is not one of ours.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BadTopic {
    NotUtf8,
    HasNul,
    /// The topic does not match the subscription's filter.
    Outside {
        filter: String,
    },
}

impl fmt::Display for BadTopic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadTopic::NotUtf8 => f.write_str("its topic is not UTF-8"),
            BadTopic::HasNul => f.write_str("its topic holds a NUL byte"),
            BadTopic::Outside { filter } => write!(f, "its topic is outside the subscription {filter}"),
        }
    }
}

impl Subscription {
    /// Pushes must match this MQTT topic filter (`+` and `#` wildcards allowed).
    pub fn to(filter: &str) -> Self {
        Self { filter: Some(filter.to_owned()) }
    }

    /// The topic as text, if it is one of ours.
    pub fn check<'a>(&self, topic: &'a [u8]) -> Result<&'a str, BadTopic> {
        let text = std::str::from_utf8(topic).map_err(|_| BadTopic::NotUtf8)?;
        if text.contains('\0') {
            return Err(BadTopic::HasNul);
        }
        match &self.filter {
            Some(filter) if !matches(filter, text) => Err(BadTopic::Outside { filter: filter.clone() }),
            _ => Ok(text),
        }
    }
}

/// MQTT 3.1.1 §4.7: `+` matches one level, a trailing `#` the parent and any levels below; a topic
/// starting with `$` is not matched by a wildcard in the first level.
pub fn matches(filter: &str, topic: &str) -> bool {
    if topic.starts_with('$') && (filter.starts_with('+') || filter.starts_with('#')) {
        return false;
    }
    let mut levels = topic.split('/');
    for wanted in filter.split('/') {
        match (wanted, levels.next()) {
            ("#", _) => return true,
            ("+", Some(_)) => {}
            (wanted, Some(level)) if wanted == level => {}
            _ => return false,
        }
    }
    levels.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_follow_mqtt() {
        assert!(matches("users/foobar/devices", "users/foobar/devices"));
        assert!(!matches("users/foobar/devices", "users/foobar/devices/x"));
        assert!(!matches("users/foobar/devices", "users/foobar"));
        assert!(!matches("users/foobar/devices", "/users/foobar/devices"));
        assert!(matches("users/+/devices", "users/x/devices"));
        assert!(matches("users/+/devices", "users//devices"));
        assert!(!matches("users/+/devices", "users/x/y/devices"));
        assert!(matches("users/#", "users"));
        assert!(matches("users/#", "users/a/b"));
        assert!(matches("#", "a/b"));
        assert!(!matches("#", "$SYS/x"));
        assert!(!matches("+/x", "$SYS/x"));
        assert!(matches("$SYS/#", "$SYS/x"));
        // A topic name with wildcard characters is matched literally, never as a wildcard.
        assert!(!matches("users/foobar/devices", "users/+/devices"));
    }

    #[test]
    fn bytes_are_checked_before_they_are_text() {
        let ours = Subscription::to("users/foobar/devices");
        assert_eq!(ours.check(b"users/foobar/devices"), Ok("users/foobar/devices"));
        assert_eq!(ours.check(b"users/\xff/devices"), Err(BadTopic::NotUtf8));
        assert_eq!(ours.check(b"users/foobar/devices\0"), Err(BadTopic::HasNul));
        assert_eq!(
            ours.check(b"users/other/devices"),
            Err(BadTopic::Outside { filter: "users/foobar/devices".into() })
        );
        assert_eq!(Subscription::default().check(b"file.ndjson:3"), Ok("file.ndjson:3"));
        assert_eq!(Subscription::default().check(b"\xff"), Err(BadTopic::NotUtf8));
    }
}
