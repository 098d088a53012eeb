//! The broker's address as users write it: a host name, `HOST:PORT`, or a URL whose scheme says
//! whether to use TLS (`mqtts://`, `ssl://`) or not (`mqtt://`, `tcp://`).

use std::fmt;

/// What `--host` said, split into its parts. A part it did not say is `None`, so flags can fill it in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostSpec {
    pub host: String,
    pub port: Option<u16>,
    /// `Some(true)` for an `mqtts://` URL, `Some(false)` for `mqtt://`, `None` for a bare host.
    pub tls: Option<bool>,
}

/// Why a text is not a broker address. `Display` names the problem; the caller adds the forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressError {
    UnknownScheme(String),
    /// A path, user, query or blank: not just a host and port.
    NotAnAddress,
    UnclosedIpv6,
    AfterIpv6(String),
    BadPort(String),
    NoHost,
}

impl fmt::Display for AddressError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddressError::UnknownScheme(scheme) => write!(f, "unknown scheme {scheme:?}"),
            AddressError::NotAnAddress => f.write_str("not a broker address"),
            AddressError::UnclosedIpv6 => f.write_str("an IPv6 address needs its closing ']'"),
            AddressError::AfterIpv6(after) => write!(f, "unexpected {after:?} after the IPv6 address"),
            AddressError::BadPort(port) => write!(f, "{port:?} is not a port (1-65535)"),
            AddressError::NoHost => f.write_str("no host name"),
        }
    }
}

impl std::error::Error for AddressError {}

/// The forms [`parse_host`] accepts, for messages.
pub const FORMS: &str = "HOST, HOST:PORT, mqtt://HOST[:PORT] or mqtts://HOST[:PORT]";

/// Parses a broker address as users write it.
pub fn parse_host(text: &str) -> Result<HostSpec, AddressError> {
    let (tls, rest) = match text.split_once("://") {
        Some((scheme, rest)) => match scheme.to_ascii_lowercase().as_str() {
            "mqtt" | "tcp" => (Some(false), rest),
            "mqtts" | "ssl" => (Some(true), rest),
            other => return Err(AddressError::UnknownScheme(other.to_owned())),
        },
        None => (None, text),
    };
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.contains(['/', '@', '?', '#']) || rest.chars().any(char::is_whitespace) {
        return Err(AddressError::NotAnAddress);
    }
    let (host, port) = split_port(rest)?;
    if host.is_empty() {
        return Err(AddressError::NoHost);
    }
    Ok(HostSpec { host: host.to_owned(), port, tls })
}

/// `[v6]:port`, `[v6]`, bare `v6` (two colons or more), `name:port` or `name`.
fn split_port(text: &str) -> Result<(&str, Option<u16>), AddressError> {
    if let Some(bracketed) = text.strip_prefix('[') {
        let (host, after) = bracketed.split_once(']').ok_or(AddressError::UnclosedIpv6)?;
        return match after {
            "" => Ok((host, None)),
            _ => match after.strip_prefix(':') {
                Some(port) => Ok((host, Some(parse_port(port)?))),
                None => Err(AddressError::AfterIpv6(after.to_owned())),
            },
        };
    }
    match text.matches(':').count() {
        0 => Ok((text, None)),
        1 => {
            let (host, port) = text.split_once(':').expect("one colon");
            Ok((host, Some(parse_port(port)?)))
        }
        _ => Ok((text, None)),
    }
}

fn parse_port(text: &str) -> Result<u16, AddressError> {
    match text.parse::<u16>() {
        Ok(0) | Err(_) => Err(AddressError::BadPort(text.to_owned())),
        Ok(port) => Ok(port),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(host: &str, port: Option<u16>, tls: Option<bool>) -> HostSpec {
        HostSpec { host: host.into(), port, tls }
    }

    #[test]
    fn accepts_every_documented_form() {
        assert_eq!(parse_host("iot.sensoro.com"), Ok(spec("iot.sensoro.com", None, None)));
        assert_eq!(parse_host("127.0.0.1:1884"), Ok(spec("127.0.0.1", Some(1884), None)));
        assert_eq!(parse_host("mqtts://broker.example"), Ok(spec("broker.example", None, Some(true))));
        assert_eq!(parse_host("MQTTS://broker.example:8884/"), Ok(spec("broker.example", Some(8884), Some(true))));
        assert_eq!(parse_host("ssl://h:1"), Ok(spec("h", Some(1), Some(true))));
        assert_eq!(parse_host("mqtt://h:1883"), Ok(spec("h", Some(1883), Some(false))));
        assert_eq!(parse_host("tcp://h"), Ok(spec("h", None, Some(false))));
        assert_eq!(parse_host("[::1]:8883"), Ok(spec("::1", Some(8883), None)));
        assert_eq!(parse_host("mqtts://[::1]"), Ok(spec("::1", None, Some(true))));
        assert_eq!(parse_host("fe80::1"), Ok(spec("fe80::1", None, None)));
    }

    #[test]
    fn rejects_what_is_not_an_address_and_says_why() {
        for bad in [
            "http://h",
            "mqtts://",
            ":1883",
            "h:0",
            "h:70000",
            "h:port",
            "mqtt://h/devices",
            "user@h",
            "[::1",
            "[::1]x",
            "a b",
        ] {
            assert!(parse_host(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_host("http://h"), Err(AddressError::UnknownScheme("http".into())));
        assert_eq!(parse_host("h:port"), Err(AddressError::BadPort("port".into())));
        assert_eq!(parse_host("mqtts://"), Err(AddressError::NoHost));
        assert_eq!(parse_host("user@h"), Err(AddressError::NotAnAddress));
        assert_eq!(parse_host("[::1"), Err(AddressError::UnclosedIpv6));
    }
}
