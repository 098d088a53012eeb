//! Who a run is to the broker: the one place where the clientId and the clean_session flag are
//! decided (as an [`Identity`]), by the rule that a durable session has one consumer
//! (docs/reliability.md). Nothing downstream patches it.

use std::fmt;

use super::sourced::Source;
use crate::cli::ViewArgs;
use crate::exit::Failure;
use crate::mqtt::Identity;
use crate::service;
use crate::status::Status;

/// What a run does with the pushes it receives, which decides whether it may take a durable session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Consumer {
    /// The subscriber or `watch`. Only a long-running (`one_shot` false: no `--count`, `--timeout`
    /// or `--duration`), unfiltered one takes the profile's `session`: a durable session's queue
    /// belongs to its one collector.
    Run { one_shot: bool, filtered: bool },
    /// `check`: always a clean session under a fresh clientId, so it neither consumes pushes queued
    /// for a durable session nor takes a running subscriber's connection.
    Check,
    /// `session clear NAME`: a clean session under `APPID/NAME`, which makes the broker discard the
    /// session of that name.
    Clear,
}

impl Consumer {
    /// The subscriber with these view flags.
    pub fn of(view: &ViewArgs) -> Consumer {
        Consumer::Run {
            one_shot: view.count.is_some() || view.timeout.is_some() || view.duration.is_some(),
            filtered: !(view.filter.sn.is_empty() && view.filter.device_type.is_empty()),
        }
    }
}

/// What a run says once, at its start, about the session it took or left alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionNote {
    /// The profile names a durable session that this one-shot or filtered run leaves to its collector.
    ProfileSessionLeft { name: String, one_shot: bool },
    /// `--session` with filters: what they drop is acknowledged all the same.
    FiltersDropFromSession,
    /// `check` with a session named: it checks with a fresh clientId.
    CheckLeavesSession { name: String },
}

impl SessionNote {
    /// A warning (shown even with `--quiet`) rather than a note.
    pub fn is_warning(&self) -> bool {
        matches!(self, SessionNote::FiltersDropFromSession)
    }

    /// On stderr, once at the start of the run.
    pub fn say(&self, status: Status) {
        if self.is_warning() { status.warn(self) } else { status.info(self) }
    }
}

impl fmt::Display for SessionNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SessionNote::ProfileSessionLeft { name, one_shot } => write!(
                f,
                "profile's session '{name}' not used by a {} run; pass --session {name} to take it",
                if *one_shot { "one-shot" } else { "filtered" }
            ),
            SessionNote::FiltersDropFromSession => f.write_str(
                "--session with --sn/--device-type: pushes your filters drop are acknowledged and gone for this session",
            ),
            SessionNote::CheckLeavesSession { name } => {
                write!(f, "checking with a fresh clientId; pushes queued for --session {name} stay queued")
            }
        }
    }
}

/// The resolved identity, what to say about it, and where the session and clientId came from.
pub struct Resolution {
    pub identity: Identity,
    pub note: Option<SessionNote>,
    pub session_source: Source,
    pub client_id_source: Source,
}

/// The run's identity from `--session`, `--client-id` and the profile's `session`.
pub fn resolve(
    app_id: &str,
    flag_session: Option<String>,
    flag_client_id: Option<String>,
    profile_session: Option<String>,
    consumer: Consumer,
) -> Result<Resolution, Failure> {
    let named = flag_session.clone().or_else(|| profile_session.clone());
    let session_source = match (&flag_session, &profile_session) {
        (Some(_), _) => Source::Flag("--session"),
        (None, Some(_)) => Source::Profile,
        (None, None) => Source::Unset,
    };
    if let Some(name) = &named {
        check_session_name(app_id, name, flag_session.is_some(), consumer)?;
    }
    let resolution = |identity, note, client_id_source| Resolution { identity, note, session_source, client_id_source };
    Ok(match consumer {
        Consumer::Check => resolution(
            Identity::fresh(app_id),
            named.map(|name| SessionNote::CheckLeavesSession { name }),
            Source::Default,
        ),
        Consumer::Clear => {
            let name = flag_session.expect("session clear always names its session");
            let client_id = Identity::durable(app_id, &name).client_id().to_owned();
            resolution(Identity::Clean { client_id, chosen: true }, None, Source::Flag("NAME"))
        }
        Consumer::Run { one_shot, filtered } => match (flag_session, flag_client_id, profile_session) {
            (Some(name), _, _) => resolution(
                Identity::durable(app_id, &name),
                filtered.then_some(SessionNote::FiltersDropFromSession),
                Source::Flag("--session"),
            ),
            (None, Some(client_id), _) => {
                service::check_client_id(app_id, &client_id)
                    .map_err(|reason| Failure::usage(format!("--client-id: {reason}")))?;
                resolution(Identity::Clean { client_id, chosen: true }, None, Source::Flag("--client-id"))
            }
            (None, None, Some(name)) if one_shot || filtered => resolution(
                Identity::fresh(app_id),
                Some(SessionNote::ProfileSessionLeft { name, one_shot }),
                Source::Default,
            ),
            (None, None, Some(name)) => resolution(Identity::durable(app_id, &name), None, Source::Profile),
            (None, None, None) => resolution(Identity::fresh(app_id), None, Source::Default),
        },
    })
}

/// A session name must make a valid clientId `APPID/NAME`.
fn check_session_name(app_id: &str, name: &str, from_flag: bool, consumer: Consumer) -> Result<(), Failure> {
    let client_id = Identity::durable(app_id, name);
    service::check_client_id(app_id, client_id.client_id()).map_err(|reason| {
        let what = match (consumer, from_flag) {
            (Consumer::Clear, _) => "session clear NAME",
            (_, true) => "--session",
            (_, false) => "the profile's session",
        };
        Failure::usage(format!(
            "{what}: {reason}; a session NAME may use up to {} characters of [-_0-9a-zA-Z]",
            service::MAX_CLIENT_SUFFIX
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONG: Consumer = Consumer::Run { one_shot: false, filtered: false };
    const ONE_SHOT: Consumer = Consumer::Run { one_shot: true, filtered: false };
    const FILTERED: Consumer = Consumer::Run { one_shot: false, filtered: true };

    fn resolve_with(
        flag: Option<&str>,
        client_id: Option<&str>,
        profile: Option<&str>,
        consumer: Consumer,
    ) -> Resolution {
        let owned = |s: Option<&str>| s.map(str::to_owned);
        resolve("foobar", owned(flag), owned(client_id), owned(profile), consumer).unwrap()
    }

    #[test]
    fn a_profiles_session_is_for_the_long_running_unfiltered_run_only() {
        let long = resolve_with(None, None, Some("collector"), LONG);
        assert_eq!(long.identity, Identity::durable("foobar", "collector"));
        assert_eq!(long.note, None);

        for (consumer, one_shot) in [(ONE_SHOT, true), (FILTERED, false)] {
            let left = resolve_with(None, None, Some("collector"), consumer);
            assert!(matches!(left.identity, Identity::Clean { chosen: false, .. }), "{:?}", left.identity);
            assert_ne!(left.identity.client_id(), "foobar/collector");
            let note = left.note.unwrap();
            assert_eq!(note, SessionNote::ProfileSessionLeft { name: "collector".into(), one_shot });
            assert!(!note.is_warning());
        }
        assert_eq!(
            SessionNote::ProfileSessionLeft { name: "collector".into(), one_shot: true }.to_string(),
            "profile's session 'collector' not used by a one-shot run; pass --session collector to take it"
        );
    }

    #[test]
    fn an_explicit_session_is_taken_and_filters_on_it_are_warned() {
        let one_shot = resolve_with(Some("mine"), None, Some("collector"), ONE_SHOT);
        assert_eq!(one_shot.identity, Identity::durable("foobar", "mine"));
        assert_eq!(one_shot.note, None);
        let filtered = resolve_with(Some("mine"), None, None, FILTERED);
        assert_eq!(filtered.identity.client_id(), "foobar/mine");
        assert!(!filtered.identity.clean_session());
        let note = filtered.note.unwrap();
        assert!(note.is_warning() && note.to_string().contains("acknowledged and gone"), "{note}");
    }

    #[test]
    fn check_and_clear_take_no_durable_session() {
        let check = resolve_with(Some("mine"), None, None, Consumer::Check);
        assert!(matches!(check.identity, Identity::Clean { chosen: false, .. }));
        assert_eq!(check.note, Some(SessionNote::CheckLeavesSession { name: "mine".into() }));
        let clear = resolve_with(Some("old"), None, Some("collector"), Consumer::Clear);
        assert_eq!(clear.identity, Identity::Clean { client_id: "foobar/old".into(), chosen: true });
        assert!(clear.identity.can_be_taken_over());
    }

    #[test]
    fn a_client_id_flag_beats_the_profiles_session() {
        let chosen = resolve_with(None, Some("foobar/x"), Some("collector"), LONG);
        assert_eq!(chosen.identity, Identity::Clean { client_id: "foobar/x".into(), chosen: true });
        assert!(resolve("foobar", None, Some("other/x".into()), None, LONG).is_err());
    }

    #[test]
    fn bad_session_names_are_usage_errors_naming_where_they_came_from() {
        let err = |flag: Option<&str>, profile: Option<&str>, consumer| {
            resolve("foobar", flag.map(str::to_owned), None, profile.map(str::to_owned), consumer)
                .err()
                .unwrap()
                .message
        };
        assert!(err(Some("has space"), None, LONG).starts_with("--session:"));
        assert!(err(None, Some("has space"), ONE_SHOT).starts_with("the profile's session:"));
        assert!(err(Some("has space"), None, Consumer::Clear).starts_with("session clear NAME:"));
    }
}
