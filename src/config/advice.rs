//! What to change on the command line: the lower layers' typed errors, worded with the flags that
//! fix them. Only this layer and `cli.rs` know the flags, so only they name them.

use crate::exit::Failure;
use crate::mqtt::tls::{DEFAULT_TLS_PORT, TlsConfig, TlsRefusal};
use crate::mqtt::{Error, MqttVersion};
use crate::pipeline::safe_mode::AppKeyError;
use crate::service::AppIdError;

use super::address::{self, AddressError};

/// Shown on every run with `--insecure`.
pub const INSECURE_WARNING: &str = "--insecure: the broker's TLS certificate and host name are not checked, so \
                                    anyone on the path can pose as the broker and read the AppSecret";

/// A session's or probe's failure with what to do about it, and its exit code.
pub fn failure(error: &Error) -> Failure {
    Failure::new(error.exit(), explain(error))
}

/// The failure's sentence and, where a flag is the fix, that flag.
pub fn explain(error: &Error) -> String {
    match error {
        Error::NoAddress { .. } => format!("{error}; check --host"),
        Error::Resolve { .. } => format!("{error}; check --host and your DNS"),
        Error::Unreachable { .. } => format!("{error}: check --host/--port and your network"),
        Error::Tls(refusal) => tls(refusal),
        Error::ProtocolVersion { version: MqttVersion::V311, .. } => {
            format!("{error}: try --mqtt-version 3.1 (or auto, which falls back to it)")
        }
        Error::ProtocolVersion { version: MqttVersion::V31, .. } => {
            format!("{error}: try --mqtt-version 3.1.1 (or auto, which tries it first)")
        }
        Error::ProtocolVersion { .. } => {
            format!("{error}: check that --host/--port point at the SENSORO service or another MQTT 3.x broker")
        }
        Error::SubscriptionRefused { .. } => format!("{error}; check --topic"),
        Error::TakenOver { .. } => {
            format!("{error}: stop the other client, or give each its own --session NAME (or --client-id)")
        }
        Error::GaveUp { last, after } => format!(
            "{}; gave up after {} without a connection (--give-up-after)",
            explain(last),
            crate::duration::display(*after)
        ),
        Error::NoPush { .. } => format!("{error} (--timeout): check that devices are reporting and the filters"),
        Error::Stdout { unacknowledged: true, .. } => format!("{error} (--session)"),
        _ => error.to_string(),
    }
}

fn tls(refusal: &TlsRefusal) -> String {
    match refusal {
        TlsRefusal::WrongHost { .. } => {
            format!("{refusal}: connect with --host set to a name it holds (or fix the broker's certificate)")
        }
        TlsRefusal::Untrusted { .. } => format!("{refusal}; pass --cafile with the CA that signed it"),
        TlsRefusal::NotTls { .. } => format!(
            "{refusal}: is it a plain MQTT port? Drop --tls, or use the broker's TLS port (usually {DEFAULT_TLS_PORT})"
        ),
        TlsRefusal::Setup(_) => refusal.to_string(),
    }
}

/// Where TLS trust comes from, for `config show` and `check`.
pub fn trust(tls: &TlsConfig) -> String {
    match (&tls.ca_file, tls.verify) {
        (_, false) => "not verified (--insecure)".into(),
        (Some(file), true) => format!("verified with {}", file.display()),
        (None, true) => "verified with the system's CA store".into(),
    }
}

pub fn host(text: &str, error: &AddressError) -> Failure {
    Failure::usage(format!("--host {text:?}: {error}; write {}", address::FORMS))
}

pub fn app_id(error: AppIdError) -> Failure {
    match error {
        AppIdError::Empty => Failure::usage("the AppID is empty: pass --app-id ID or set SENSORO_APP_ID"),
        other => Failure::usage(other.to_string()),
    }
}

pub fn app_key(error: &AppKeyError) -> Failure {
    Failure::usage(format!(
        "--app-key is not a valid AppKey: {error}; copy the 43-character AppKey from the SENSORO console"
    ))
}

/// Shown (unless `-q`) when a secret was typed on the command line: `ps` shows it to other users.
/// `profiles`: the command also reads a `--profile` (every one but `decode`).
pub fn secret_on_command_line(flag: &str, profiles: bool) -> String {
    let instead = match (flag, profiles) {
        ("--app-secret", _) => "SENSORO_APP_SECRET, --app-secret-file or a --profile keep it out",
        (_, true) => "SENSORO_APP_KEY or a --profile keep it out",
        (_, false) => "SENSORO_APP_KEY keeps it out",
    };
    format!("hint: {flag} on the command line is visible to other users in `ps`; {instead}")
}
