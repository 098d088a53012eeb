//! Rules of the SENSORO MQTT push service (see SPEC.md): broker address, topic, clientId rule.

pub const DEFAULT_HOST: &str = "iot.sensoro.com";
pub const DEFAULT_PORT: u16 = 1883;

/// The longest suffix the service accepts after `APPID/` in a clientId.
pub const MAX_CLIENT_SUFFIX: usize = 36;

/// The topic the vendor's sample subscribes to. The vendor's page heading writes `/users/:APPID/devices`
/// (leading slash): a different MQTT topic. We follow the sample's code; `--topic` overrides.
pub fn default_topic(app_id: &str) -> String {
    format!("users/{app_id}/devices")
}

/// An AppID becomes part of a topic and of the clientId, so MQTT's special characters cannot appear.
pub fn check_app_id(app_id: &str) -> Result<(), String> {
    if app_id.is_empty() {
        return Err("the AppID is empty: pass --app-id ID or set SENSORO_APP_ID".into());
    }
    if let Some(bad) = app_id.chars().find(|c| matches!(c, '/' | '+' | '#' | '\0') || c.is_whitespace()) {
        return Err(format!(
            "the AppID {app_id:?} contains {bad:?}, which cannot be part of an MQTT topic: copy the AppID exactly from the SENSORO console"
        ));
    }
    Ok(())
}

/// The service's clientId rule: `^APPID(/[-_0-9a-zA-Z]{0,36})?$`, checked before connecting so the user
/// gets a reason instead of the broker's bare "Not authorized".
pub fn check_client_id(app_id: &str, client_id: &str) -> Result<(), String> {
    let rule = format!(
        "it must be \"{app_id}\" or \"{app_id}/\" followed by up to {MAX_CLIENT_SUFFIX} characters of [-_0-9a-zA-Z]"
    );
    let Some(rest) = client_id.strip_prefix(app_id) else {
        return Err(format!("invalid clientId {client_id:?}: {rule}"));
    };
    let suffix = match rest.strip_prefix('/') {
        Some(suffix) => suffix,
        None if rest.is_empty() => return Ok(()),
        None => return Err(format!("invalid clientId {client_id:?}: {rule}")),
    };
    if suffix.len() > MAX_CLIENT_SUFFIX {
        return Err(format!(
            "invalid clientId {client_id:?}: the part after \"{app_id}/\" has {} characters, the service allows {MAX_CLIENT_SUFFIX}",
            suffix.chars().count()
        ));
    }
    if let Some(bad) = suffix.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')) {
        return Err(format!("invalid clientId {client_id:?}: {bad:?} is not allowed; {rule}"));
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
        assert!(err.contains("37 characters"), "{err}");
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
        for id in ["", "a/b", "a+b", "a#", "a b"] {
            assert!(check_app_id(id).is_err(), "{id:?}");
        }
    }

    #[test]
    fn default_topic_has_no_leading_slash() {
        assert_eq!(default_topic("foobar"), "users/foobar/devices");
    }
}
