//! The account and connection settings as the layers give them (flag > environment > profile),
//! each a [`Sourced`] value, before any of them is checked: what [`Resolved::resolve`](super::Resolved::resolve)
//! checks, and what `config show` prints even when something is missing or wrong.

use crate::cli::{AccountArgs, ConnectionArgs};
use crate::exit::Failure;
use crate::secret::Secret;

use super::account::read_secret_file;
use super::profile::{self, LoadedProfile};
use super::sourced::{Source, Sourced, or_profile};

#[derive(Debug)]
pub(crate) struct Layers {
    pub profile: Result<Option<LoadedProfile>, Failure>,
    /// Where the profile's name came from (`--profile`, `SENSORO_PROFILE`), or the default name.
    pub profile_named_by: Source,
    pub app_id: Option<Sourced<String>>,
    pub app_secret: Result<Option<Sourced<Secret>>, Failure>,
    pub app_key: Option<Sourced<String>>,
    pub session: Option<Sourced<String>>,
    pub host: Option<Sourced<String>>,
    /// The port given as such (`--port`, `SENSORO_PORT`, a profile's `port`), not in a host.
    pub port: Option<Sourced<u16>>,
}

impl Layers {
    pub(crate) fn gather(account: &AccountArgs, connection: &ConnectionArgs) -> Layers {
        let env = &account.from_env;
        // A value clap took from the environment is the environment's, else the flag's.
        let origin = |id: &str, flag: &'static str, variable: &'static str| {
            if env.has(id) { Source::Env(variable) } else { Source::Flag(flag) }
        };
        let profile = profile::load(account);
        let from = profile.as_ref().ok().and_then(Option::as_ref).map(|l| &l.profile);

        let app_id = or_profile(
            account
                .app_id
                .as_ref()
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .map(|id| Sourced::new(id, origin("app_id", "--app-id", "SENSORO_APP_ID"))),
            from.and_then(|p| p.app_id.clone()),
        );
        let app_secret = given_secret(account).map(|typed| or_profile(typed, from.and_then(|p| p.app_secret.clone())));
        let app_key = or_profile(
            account
                .safe_mode
                .app_key
                .clone()
                .filter(|k| !k.trim().is_empty())
                .map(|key| Sourced::new(key, origin("app_key", "--app-key", "SENSORO_APP_KEY"))),
            from.and_then(|p| p.app_key.clone().map(Secret::into_exposed)),
        );
        let session = or_profile(
            connection.session.clone().map(|name| Sourced::new(name, Source::Flag("--session"))),
            from.and_then(|p| p.session.clone()),
        );
        let host = or_profile(
            connection
                .host
                .as_ref()
                .map(|h| h.trim().to_owned())
                .map(|host| Sourced::new(host, origin("host", "--host", "SENSORO_HOST"))),
            from.and_then(|p| p.host.clone()),
        );
        let port = or_profile(
            connection.port.map(|port| Sourced::new(port, origin("port", "--port", "SENSORO_PORT"))),
            from.and_then(|p| p.port),
        );
        let profile_named_by = profile_named_by(account);
        Layers { profile, profile_named_by, app_id, app_secret, app_key, session, host, port }
    }
}

/// The AppSecret from `--app-secret`, `SENSORO_APP_SECRET` or `--app-secret-file`. Two flags that
/// both give it conflict; a flag and the environment do not.
fn given_secret(account: &AccountArgs) -> Result<Option<Sourced<Secret>>, Failure> {
    let typed = account.app_secret.clone().filter(|secret| !secret.is_empty()).map(|secret| {
        let source = if account.from_env.has("app_secret") {
            Source::Env("SENSORO_APP_SECRET")
        } else {
            Source::Flag("--app-secret")
        };
        Sourced::new(secret, source)
    });
    match (typed, &account.app_secret_file) {
        (Some(Sourced { source: Source::Flag(_), .. }), Some(_)) => Err(Failure::usage(
            "--app-secret and --app-secret-file both give the AppSecret: keep one (--app-secret-file keeps it out of `ps`)",
        )),
        (_, Some(path)) => {
            read_secret_file(path).map(|secret| Some(Sourced::new(secret, Source::Flag("--app-secret-file"))))
        }
        (Some(typed), None) => Ok(Some(typed.map(Secret::new))),
        (None, None) => Ok(None),
    }
}

fn profile_named_by(account: &AccountArgs) -> Source {
    match account.profile.as_deref().map(str::trim).filter(|name| !name.is_empty()) {
        Some(_) if account.from_env.has("profile") => Source::Env("SENSORO_PROFILE"),
        Some(_) => Source::Flag("--profile"),
        None => Source::Default,
    }
}
