//! Rules of the SENSORO MQTT push service (docs/service.md): broker address, topic, clientId rule.

use std::fmt;

pub const DEFAULT_HOST: &str = "iot.sensoro.com";
pub const DEFAULT_PORT: u16 = 1883;

/// The longest suffix the service accepts after `APPID/` in a clientId.
pub const MAX_CLIENT_SUFFIX: usize = 36;

/// The topic the vendor's sample subscribes to. The vendor's page heading writes `/users/:APPID/devices`
/// (leading slash): a different MQTT topic. We follow the sample's code; `--topic` overrides.
pub fn default_topic(app_id: &str) -> String {
    format!("users/{app_id}/devices")
}

/// Why an AppID cannot be used. `Display` is one line without flag names; the config layer adds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppIdError {
    Empty,
    /// It holds a character that cannot be part of an MQTT topic or clientId.
    ForbiddenCharacter {
        app_id: String,
        character: char,
    },
}

impl fmt::Display for AppIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppIdError::Empty => f.write_str("the AppID is empty"),
            AppIdError::ForbiddenCharacter { app_id, character } => write!(
                f,
                "the AppID {app_id:?} contains {character:?}, which cannot be part of an MQTT topic: copy the AppID \
                 exactly from the SENSORO console"
            ),
        }
    }
}

impl std::error::Error for AppIdError {}

/// An AppID becomes part of a topic and of the clientId, so MQTT's special characters cannot appear,
/// nor control characters (MQTT forbids or discourages them in topics, and they would reach a terminal).
pub fn check_app_id(app_id: &str) -> Result<(), AppIdError> {
    if app_id.is_empty() {
        return Err(AppIdError::Empty);
    }
    if let Some(bad) = app_id.chars().find(|c| matches!(c, '/' | '+' | '#') || c.is_whitespace() || c.is_control()) {
        return Err(AppIdError::ForbiddenCharacter { app_id: app_id.to_owned(), character: bad });
    }
    Ok(())
}

/// How a clientId breaks the service's rule. `Display` says the rule; no flag names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientIdError {
    pub app_id: String,
    pub client_id: String,
    pub problem: ClientIdProblem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientIdProblem {
    /// Not `APPID` or `APPID/...`.
    WrongPrefix,
    /// The part after `APPID/` has this many characters, over [`MAX_CLIENT_SUFFIX`].
    TooLong(usize),
    /// The part after `APPID/` holds this character, outside `[-_0-9a-zA-Z]`.
    Character(char),
}

impl fmt::Display for ClientIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (app_id, client_id) = (&self.app_id, &self.client_id);
        let rule = format!(
            "it must be \"{app_id}\" or \"{app_id}/\" followed by up to {MAX_CLIENT_SUFFIX} characters of [-_0-9a-zA-Z]"
        );
        match self.problem {
            ClientIdProblem::WrongPrefix => write!(f, "invalid clientId {client_id:?}: {rule}"),
            ClientIdProblem::TooLong(length) => write!(
                f,
                "invalid clientId {client_id:?}: the part after \"{app_id}/\" has {length} characters, the service \
                 allows {MAX_CLIENT_SUFFIX}"
            ),
            ClientIdProblem::Character(bad) => {
                write!(f, "invalid clientId {client_id:?}: {bad:?} is not allowed; {rule}")
            }
        }
    }
}

impl std::error::Error for ClientIdError {}

/// The service's clientId rule: `^APPID(/[-_0-9a-zA-Z]{0,36})?$`, checked before connecting so the user
/// gets a reason instead of the broker's bare "Not authorized".
pub fn check_client_id(app_id: &str, client_id: &str) -> Result<(), ClientIdError> {
    let error = |problem| Err(ClientIdError { app_id: app_id.to_owned(), client_id: client_id.to_owned(), problem });
    let Some(rest) = client_id.strip_prefix(app_id) else {
        return error(ClientIdProblem::WrongPrefix);
    };
    let suffix = match rest.strip_prefix('/') {
        Some(suffix) => suffix,
        None if rest.is_empty() => return Ok(()),
        None => return error(ClientIdProblem::WrongPrefix),
    };
    if suffix.len() > MAX_CLIENT_SUFFIX {
        return error(ClientIdProblem::TooLong(suffix.chars().count()));
    }
    if let Some(bad) = suffix.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')) {
        return error(ClientIdProblem::Character(bad));
    }
    Ok(())
}

/// `APPID/<random uuid>`, as the vendor's sample does: a hyphenated UUID is exactly 36 characters.
pub fn random_client_id(app_id: &str) -> String {
    format!("{app_id}/{}", uuid::Uuid::new_v4())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_vendors_examples() {
        for id in ["foobar", "foobar/", "foobar/abc", "foobar/A-b_9"] {
            assert_eq!(check_client_id("foobar", id), Ok(()), "{id}");
        }
    }

    #[test]
    fn accepts_exactly_36_suffix_characters_and_refuses_37() {
        let ok = format!("foobar/{}", "a".repeat(36));
        let too_long = format!("foobar/{}", "a".repeat(37));
        assert_eq!(check_client_id("foobar", &ok), Ok(()));
        let err = check_client_id("foobar", &too_long).unwrap_err();
        assert_eq!(err.problem, ClientIdProblem::TooLong(37));
        assert!(err.to_string().contains("37 characters"), "{err}");
    }

    #[test]
    fn refuses_other_prefixes_and_characters() {
        for id in ["fooba", "foobarx", "foobar//x", "foobar/a.b", "foobar/a b", "xfoobar/a", "foobar/é", ""] {
            assert!(check_client_id("foobar", id).is_err(), "{id} should be refused");
        }
    }

    #[test]
    fn random_client_ids_follow_the_rule_and_differ() {
        let a = random_client_id("foobar");
        let b = random_client_id("foobar");
        assert_eq!(check_client_id("foobar", &a), Ok(()));
        assert_ne!(a, b);
    }

    #[test]
    fn app_ids_with_topic_characters_are_refused() {
        assert!(check_app_id("abc").is_ok());
        for id in ["", "a/b", "a+b", "a#", "a b", "a\0b", "a\x1b]0;x\x07", "a\rb", "a\x7fb", "a\u{9b}b"] {
            assert!(check_app_id(id).is_err(), "{id:?}");
        }
    }

    #[test]
    fn default_topic_has_no_leading_slash() {
        assert_eq!(default_topic("foobar"), "users/foobar/devices");
    }
}
