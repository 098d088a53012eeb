//! The config layer: the flags after defaults, environment, the profile file and terminal detection
//! are applied, resolved into the settings each part of the program owns (`mqtt::ConnectionConfig`,
//! `pipeline::output::OutputConfig`, `status::StatusConfig`, ...). Everything that can be wrong with
//! the user's input is found here, before any connection is tried; this layer and `cli.rs` are the
//! only ones that know the flags, so only they name them in messages (see `advice`).

pub mod address;
pub mod advice;
pub mod file;
pub mod identity;
pub mod init;
pub mod profile;
mod show;
pub use show::show;
pub mod terminal;

use std::fmt;
use std::path::Path;

use crate::cli::{
    AccountArgs, AlarmArgs, AlarmRuleArgs, ConnectionArgs, DecodeArgs, FormatArg, MqttVersionArg, OutputArgs, QosArg,
    SessionClearArgs, SubscribeArgs, TlsArgs, ViewArgs,
};
use crate::exit::Failure;
use crate::mqtt::tls::{DEFAULT_TLS_PORT, TlsConfig};
use crate::mqtt::{Clocks, ConnectionConfig, MqttVersion};
use crate::pipeline::Qos;
use crate::pipeline::alarm::{AlarmConfig, Rules};
use crate::pipeline::dedupe;
use crate::pipeline::output::{Destination, Format, OutputConfig};
use crate::pipeline::push::Filter;
use crate::pipeline::safe_mode::{AppKey, SafeMode};
use crate::secret::Secret;
use crate::service;
use crate::status::{StatusConfig, Verbosity};
pub use identity::{Consumer, SessionNote};
use profile::LoadedProfile;
pub use terminal::Terminal;

/// Settings of a subscription (no subcommand).
#[derive(Debug)]
pub struct Config {
    pub connection: ConnectionConfig,
    pub output: OutputConfig,
    pub filter: Filter,
    pub safe_mode: SafeMode,
    /// How many recent msgIds to remember for dropping redeliveries; 0 turns it off.
    pub dedupe_window: usize,
    /// Stop after printing this many pushes.
    pub count: Option<u64>,
    pub clocks: Clocks,
    pub status: StatusConfig,
    /// Where the lines go, and whether they are synced before a durable session's PUBACKs.
    pub destination: Destination,
    /// Said once at the start, about the session this run took or left alone.
    pub session_note: Option<SessionNote>,
    pub alarms: AlarmConfig,
}

/// Settings of `sensoro-sub decode`.
#[derive(Debug)]
pub struct DecodeConfig {
    /// None: stdin.
    pub input: Option<std::path::PathBuf>,
    pub output: OutputConfig,
    pub filter: Filter,
    pub safe_mode: SafeMode,
    pub count: Option<u64>,
    pub status: StatusConfig,
    pub alarms: AlarmConfig,
}

/// Where a setting came from, for `config show` and for ranking the layers: a flag beats the
/// environment, which beats the profile, which beats the built-in default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Unset,
    Default,
    Profile,
    /// The environment variable, e.g. `SENSORO_PORT`.
    Env(&'static str),
    /// The flag, e.g. `--port`.
    Flag(&'static str),
}

impl Source {
    /// The layer, for ranking: two sources of the same layer rank equal.
    fn rank(self) -> u8 {
        match self {
            Source::Unset => 0,
            Source::Default => 1,
            Source::Profile => 2,
            Source::Env(_) => 3,
            Source::Flag(_) => 4,
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag(flag) => write!(f, "flag {flag}"),
            Source::Env(variable) => write!(f, "env {variable}"),
            Source::Profile => f.write_str("profile"),
            Source::Default => f.write_str("default"),
            Source::Unset => f.write_str("not set"),
        }
    }
}

/// The flag or environment value if given, else the profile's.
fn pick<T>(given: Option<(T, Source)>, from_profile: Option<T>) -> (Option<T>, Source) {
    match (given, from_profile) {
        (Some((value, source)), _) => (Some(value), source),
        (None, Some(value)) => (Some(value), Source::Profile),
        (None, None) => (None, Source::Unset),
    }
}

/// Account and connection settings with their sources; what `check` and `config show` need too.
#[derive(Debug)]
pub struct Resolved {
    pub connection: ConnectionConfig,
    pub safe_mode: SafeMode,
    pub profile: Option<LoadedProfile>,
    pub sources: Sources,
    pub session_note: Option<SessionNote>,
}

#[derive(Debug, Clone, Copy)]
pub struct Sources {
    pub profile: Source,
    pub app_id: Source,
    pub app_secret: Source,
    pub app_key: Source,
    pub host: Source,
    pub port: Source,
    pub session: Source,
    pub client_id: Source,
}

/// The account and connection settings as the layers give them (flag > environment > profile),
/// each with its source, before any of them is checked: what [`Resolved::resolve`] checks, and
/// what `config show` prints even when something is missing or wrong.
#[derive(Debug)]
pub(crate) struct Layers {
    pub profile: Result<Option<LoadedProfile>, Failure>,
    pub app_id: (Option<String>, Source),
    pub app_secret: Result<(Option<Secret>, Source), Failure>,
    pub app_key: (Option<String>, Source),
    pub session: (Option<String>, Source),
    pub host: (Option<String>, Source),
    /// The port given as such (`--port`, `SENSORO_PORT`, a profile's `port`), not in a host.
    pub port: (Option<u16>, Source),
}

impl Layers {
    pub(crate) fn gather(account: &AccountArgs, connection: &ConnectionArgs) -> Layers {
        let env = &account.from_env;
        let origin = |id: &str, flag: &'static str, variable: &'static str| {
            if env.has(id) { Source::Env(variable) } else { Source::Flag(flag) }
        };
        let profile = profile::load(account);
        let from = profile.as_ref().ok().and_then(Option::as_ref).map(|l| &l.profile);

        let app_id = pick(
            account.app_id.as_ref().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).map(|id| {
                let source = origin("app_id", "--app-id", "SENSORO_APP_ID");
                (id, source)
            }),
            from.and_then(|p| p.app_id.clone()),
        );

        // Two flags that both give the AppSecret conflict; a flag and the environment do not.
        let typed_secret = account
            .app_secret
            .clone()
            .filter(|secret| !secret.is_empty())
            .map(|secret| (secret, origin("app_secret", "--app-secret", "SENSORO_APP_SECRET")));
        let given_secret = match (typed_secret, &account.app_secret_file) {
            (Some((_, Source::Flag(_))), Some(_)) => Err(Failure::usage(
                "--app-secret and --app-secret-file both give the AppSecret: keep one (--app-secret-file keeps it out of `ps`)",
            )),
            (_, Some(path)) => read_secret_file(path).map(|secret| Some((secret, Source::Flag("--app-secret-file")))),
            (Some((secret, source)), None) => Ok(Some((Secret::new(secret), source))),
            (None, None) => Ok(None),
        };
        let app_secret = given_secret.map(|given| pick(given, from.and_then(|p| p.app_secret.clone())));

        let app_key = pick(
            account
                .safe_mode
                .app_key
                .clone()
                .filter(|k| !k.trim().is_empty())
                .map(|key| (key, origin("app_key", "--app-key", "SENSORO_APP_KEY"))),
            from.and_then(|p| p.app_key.clone().map(Secret::into_exposed)),
        );
        let session = pick(
            connection.session.clone().map(|name| (name, Source::Flag("--session"))),
            from.and_then(|p| p.session.clone()),
        );
        let host = pick(
            connection.host.as_ref().map(|h| (h.trim().to_owned(), origin("host", "--host", "SENSORO_HOST"))),
            from.and_then(|p| p.host.clone()),
        );
        let port =
            pick(connection.port.map(|p| (p, origin("port", "--port", "SENSORO_PORT"))), from.and_then(|p| p.port));
        Layers { profile, app_id, app_secret, app_key, session, host, port }
    }

    /// Where the profile's name came from (`--profile`, `SENSORO_PROFILE`), or the default name.
    pub(crate) fn profile_source(account: &AccountArgs) -> Source {
        match account.profile.as_deref().map(str::trim).filter(|name| !name.is_empty()) {
            Some(_) if account.from_env.has("profile") => Source::Env("SENSORO_PROFILE"),
            Some(_) => Source::Flag("--profile"),
            None => Source::Default,
        }
    }
}

/// The port to use when the host names one and a port is given too: the higher layer wins (a
/// `--port` over a profile's `host = "h:1883"`, a `--host h:1884` over `SENSORO_PORT`); in the
/// same layer the port given as such wins, except on the command line, where the two flags conflict.
fn choose_port(host_text: &str, in_host: (u16, Source), given: (u16, Source)) -> Result<(u16, Source), Failure> {
    let ((url_port, host_source), (port, port_source)) = (in_host, given);
    if url_port == port {
        return Ok(if host_source.rank() > port_source.rank() { in_host } else { given });
    }
    match (host_source, port_source) {
        (Source::Flag(_), Source::Flag(_)) => Err(Failure::usage(format!(
            "--host {host_text} says port {url_port} but --port says {port}: give the port once"
        ))),
        _ if host_source.rank() > port_source.rank() => Ok(in_host),
        _ => Ok(given),
    }
}

impl Resolved {
    /// The account and connection of a run that uses pushes as `consumer` says, which decides its
    /// [`Identity`](crate::mqtt::Identity).
    pub fn resolve(account: AccountArgs, connection: ConnectionArgs, consumer: Consumer) -> Result<Resolved, Failure> {
        let layers = Layers::gather(&account, &connection);
        let loaded = layers.profile?;

        let (app_id, app_id_source) = layers.app_id;
        let Some(app_id) = app_id else {
            return Err(Failure::usage(NO_APP_ID));
        };
        service::check_app_id(&app_id).map_err(advice::app_id)?;

        let (app_secret, app_secret_source) = layers.app_secret?;
        let Some(app_secret) = app_secret else {
            return Err(Failure::usage(NO_APP_SECRET));
        };

        let (key_text, app_key_source) = layers.app_key;
        let safe_mode = SafeMode::new(Some(app_id.clone()), key_text.as_deref().map(parse_app_key).transpose()?);

        let from = loaded.as_ref().map(|l| &l.profile);
        let identity = identity::resolve(
            &app_id,
            connection.session.clone(),
            connection.client_id.clone(),
            from.and_then(|p| p.session.clone()),
            consumer,
        )?;

        let topic = connection.topic.unwrap_or_else(|| service::default_topic(&app_id));
        if topic.is_empty() {
            return Err(Failure::usage("--topic is empty: leave it out to use users/APPID/devices"));
        }
        if let Some(bad) = topic.chars().find(|c| c.is_control()) {
            return Err(Failure::usage(format!(
                "--topic {topic:?} contains {bad:?}, a control character, which an MQTT topic must not hold: \
                 leave --topic out to use users/APPID/devices"
            )));
        }
        let (host_text, host_source) = match layers.host {
            (Some(host), source) => (host, source),
            (None, _) => (service::DEFAULT_HOST.to_owned(), Source::Default),
        };
        if host_text.is_empty() {
            return Err(Failure::usage("--host is empty: leave it out to use iot.sensoro.com"));
        }
        let spec = address::parse_host(&host_text).map_err(|e| advice::host(&host_text, &e))?;
        let tls = resolve_tls(&spec, &connection.tls, loaded.as_ref())?;
        let (port, port_source) = match (spec.port, layers.port) {
            (Some(url_port), (Some(port), source)) => choose_port(&host_text, (url_port, host_source), (port, source))?,
            (Some(url_port), _) => (url_port, host_source),
            (None, (Some(port), source)) => (port, source),
            (None, (None, _)) if tls.is_some() => (DEFAULT_TLS_PORT, Source::Default),
            (None, (None, _)) => (service::DEFAULT_PORT, Source::Default),
        };
        if port == 0 {
            return Err(Failure::usage("--port 0 is not a broker port: leave it out to use 1883"));
        }
        let host = spec.host;

        Ok(Resolved {
            connection: ConnectionConfig {
                host,
                port,
                tls,
                app_id,
                app_secret,
                identity: identity.identity,
                qos: match connection.qos {
                    QosArg::Zero => Qos::AtMostOnce,
                    QosArg::One => Qos::AtLeastOnce,
                },
                mqtt_version: match connection.mqtt_version {
                    MqttVersionArg::Auto => MqttVersion::Auto,
                    MqttVersionArg::V31 => MqttVersion::V31,
                    MqttVersionArg::V311 => MqttVersion::V311,
                },
                topic,
                keepalive: connection.keepalive,
                give_up_after: connection.give_up_after,
            },
            safe_mode,
            profile: loaded,
            sources: Sources {
                profile: Layers::profile_source(&account),
                app_id: app_id_source,
                app_secret: app_secret_source,
                app_key: app_key_source,
                host: host_source,
                port: port_source,
                session: identity.session_source,
                client_id: identity.client_id_source,
            },
            session_note: identity.note,
        })
    }
}

impl Resolved {
    /// `session clear NAME`: the account and broker as for any run, connecting as `APPID/NAME` with
    /// a clean session.
    pub fn clear(args: SessionClearArgs) -> Result<Resolved, Failure> {
        let connection = ConnectionArgs {
            host: args.host,
            port: args.port,
            tls: args.tls,
            client_id: None,
            session: Some(args.name),
            qos: QosArg::One,
            mqtt_version: args.mqtt_version,
            topic: None,
            keepalive: std::time::Duration::from_secs(30),
            give_up_after: None,
        };
        Resolved::resolve(args.account, connection, Consumer::Clear)
    }
}

const NO_APP_ID: &str =
    "no AppID given: pass --app-id ID or set SENSORO_APP_ID (the SENSORO console's developer page shows it)";
const NO_APP_SECRET: &str =
    "no AppSecret given: set SENSORO_APP_SECRET, pass --app-secret-file PATH, or use a --profile";

/// TLS settings from `--host`'s scheme, the flags and the profile; `None` for plain MQTT.
fn resolve_tls(
    spec: &address::HostSpec,
    flags: &TlsArgs,
    loaded: Option<&LoadedProfile>,
) -> Result<Option<TlsConfig>, Failure> {
    let profile_ca = loaded.and_then(|l| {
        let file = l.profile.cafile.as_ref()?;
        // A relative path in the config file is relative to that file, not to wherever we run.
        Some(l.path.parent().map_or_else(|| file.clone(), |dir| dir.join(file)))
    });
    let ca_file = flags.cafile.clone().or(profile_ca);
    let asked = flags.tls || ca_file.is_some() || loaded.and_then(|l| l.profile.tls) == Some(true);
    let on = match spec.tls {
        Some(false) if flags.tls || flags.cafile.is_some() => {
            return Err(Failure::usage(
                "--host says mqtt:// (plain) but --tls/--cafile ask for TLS: write mqtts:// or drop the TLS flags",
            ));
        }
        Some(scheme) => scheme,
        None => asked,
    };
    if !on {
        if flags.insecure {
            return Err(Failure::usage(
                "--insecure only applies to TLS: add --tls or write --host mqtts://HOST, or drop --insecure",
            ));
        }
        return Ok(None);
    }
    if let Some(file) = &ca_file {
        check_ca_file(file)?;
    }
    Ok(Some(TlsConfig { ca_file, verify: !flags.insecure }))
}

/// A missing or wrong `--cafile` is a usage error found now, not a handshake failure later.
fn check_ca_file(path: &Path) -> Result<(), Failure> {
    let text = file::read(path, file::CA_LIMIT).map_err(|e| match e {
        file::ReadError::Io(e) => Failure::usage(format!("cannot read --cafile {}: {e}", path.display())),
        file::ReadError::TooLarge(limit) => Failure::usage(format!(
            "--cafile {} is larger than {}: give the PEM file of the broker's CA; check the path",
            path.display(),
            file::size(limit)
        )),
    })?;
    if !text.windows(27).any(|w| w == b"-----BEGIN CERTIFICATE-----") {
        return Err(Failure::usage(format!(
            "--cafile {} holds no PEM certificate (-----BEGIN CERTIFICATE-----): give the CA's certificate in PEM form",
            path.display()
        )));
    }
    Ok(())
}

impl Config {
    pub fn resolve(cli: SubscribeArgs, terminal: Terminal) -> Result<Config, Failure> {
        let resolved = Resolved::resolve(cli.account, cli.connection, Consumer::of(&cli.view))?;
        let mut config =
            Config::assemble(resolved.connection, resolved.safe_mode, cli.view, resolved.profile.as_ref(), terminal)?;
        config.session_note = resolved.session_note;
        Ok(config)
    }

    /// A subscription over a resolved connection, printing as `view` says; alarm rules from `view`,
    /// else from the profile.
    pub fn assemble(
        connection: ConnectionConfig,
        safe_mode: SafeMode,
        view: ViewArgs,
        profile: Option<&LoadedProfile>,
        terminal: Terminal,
    ) -> Result<Config, Failure> {
        if matches!(view.output.format, Some(FormatArg::Pretty | FormatArg::Raw)) && view.envelope {
            return Err(Failure::usage("--envelope works with --format ndjson or json, not pretty or raw"));
        }
        // A file gets NDJSON without colors, whatever stdout is.
        let out = if view.output_file.is_some() { Terminal { stdout_is_tty: false, ..terminal } } else { terminal };
        let alarms = alarm_config(&view.alarms, profile)?;
        Ok(Config {
            alarms,
            connection,
            output: output_config(&view.output, view.envelope, out),
            filter: Filter::new(view.filter.sn, view.filter.device_type),
            safe_mode,
            dedupe_window: if view.no_dedupe { 0 } else { dedupe::DEFAULT_WINDOW },
            count: view.count,
            clocks: Clocks { timeout: view.timeout, duration: view.duration },
            status: status_config(&view.output, terminal),
            destination: Destination { file: view.output_file, sync: !view.no_sync },
            session_note: None,
        })
    }
}

#[cfg(feature = "watch")]
impl Config {
    /// `watch`: the subscriber's settings, drawn on the terminal instead of printed. It runs until
    /// `q`, so it is a long-running consumer: unfiltered, it takes the profile's durable session.
    pub fn watch(args: crate::cli::WatchArgs, terminal: Terminal) -> Result<Config, Failure> {
        needs_terminal(terminal, "sensoro-sub --format ndjson")?;
        let filtered = !(args.filter.sn.is_empty() && args.filter.device_type.is_empty());
        let resolved = Resolved::resolve(args.account, args.connection, Consumer::Run { one_shot: false, filtered })?;
        let color = terminal.stdout_color(args.color);
        let rules = alarm_rules(&args.alarm, resolved.profile.as_ref())?;
        Ok(Config {
            alarms: AlarmConfig { rules, only: false, exit_on_first: false },
            connection: resolved.connection,
            output: OutputConfig { format: Format::Pretty, envelope: false, color },
            filter: Filter::new(args.filter.sn, args.filter.device_type),
            safe_mode: resolved.safe_mode,
            dedupe_window: dedupe::DEFAULT_WINDOW,
            count: None,
            destination: Destination::default(),
            clocks: Clocks::default(),
            status: StatusConfig {
                verbosity: Verbosity::Normal,
                color: terminal.color(args.color, terminal.stderr_is_tty),
            },
            session_note: resolved.session_note,
        })
    }
}

/// A full-screen view needs stdout to be a terminal; anything else gets a usage error that points
/// to the format for pipes and files.
#[cfg(feature = "watch")]
pub fn needs_terminal(terminal: Terminal, instead: &str) -> Result<(), Failure> {
    if terminal.stdout_is_tty {
        Ok(())
    } else {
        Err(Failure::usage(format!(
            "watch needs a terminal, and stdout is not one: for pipes and files use `{instead}`"
        )))
    }
}

impl DecodeConfig {
    pub fn resolve(args: DecodeArgs, terminal: Terminal) -> Result<DecodeConfig, Failure> {
        let app_id = args.app_id.map(|id| id.trim().to_owned()).filter(|id| !id.is_empty());
        if let Some(app_id) = &app_id {
            service::check_app_id(app_id).map_err(advice::app_id)?;
        }
        Ok(DecodeConfig {
            alarms: alarm_config(&args.alarms, None)?,
            input: args.file.filter(|path| path.as_os_str() != "-"),
            output: output_config(&args.output, false, terminal),
            filter: Filter::new(args.filter.sn, args.filter.device_type),
            safe_mode: SafeMode::new(
                app_id,
                args.safe_mode.app_key.as_deref().filter(|k| !k.trim().is_empty()).map(parse_app_key).transpose()?,
            ),
            count: args.count,
            status: status_config(&args.output, terminal),
        })
    }
}

/// The alarm rules: `--alarm` if given, else the profile's `alarms`, applied to the defaults.
fn alarm_rules(args: &AlarmRuleArgs, profile: Option<&LoadedProfile>) -> Result<Rules, Failure> {
    if !args.rules.is_empty() {
        return Rules::parse(&args.rules).map_err(|e| Failure::usage(format!("--alarm {e}")));
    }
    match profile.and_then(|loaded| loaded.profile.alarms.as_ref().map(|alarms| (loaded, alarms))) {
        Some((loaded, alarms)) => Rules::parse(alarms).map_err(|e| {
            Failure::usage(format!("config file {}, profile {:?}, alarms: {e}", loaded.path.display(), loaded.name))
        }),
        None => Ok(Rules::defaults()),
    }
}

fn alarm_config(args: &AlarmArgs, profile: Option<&LoadedProfile>) -> Result<AlarmConfig, Failure> {
    Ok(AlarmConfig {
        rules: alarm_rules(&args.rules, profile)?,
        only: args.alarms_only,
        exit_on_first: args.exit_on_alarm,
    })
}

/// `--envelope` alone picks ndjson, even on a terminal; otherwise a terminal gets pretty.
fn output_config(args: &OutputArgs, envelope: bool, terminal: Terminal) -> OutputConfig {
    let format = match args.format {
        Some(chosen) => format(chosen),
        None if envelope || !terminal.stdout_is_tty => Format::Ndjson,
        None => Format::Pretty,
    };
    OutputConfig { format, envelope, color: terminal.color(args.color, terminal.stdout_is_tty) }
}

fn status_config(args: &OutputArgs, terminal: Terminal) -> StatusConfig {
    let verbosity = match (args.quiet, args.verbose) {
        (true, _) => Verbosity::Quiet,
        (false, 0) => Verbosity::Normal,
        (false, _) => Verbosity::Verbose,
    };
    StatusConfig { verbosity, color: terminal.color(args.color, terminal.stderr_is_tty) }
}

fn format(arg: FormatArg) -> Format {
    match arg {
        FormatArg::Pretty => Format::Pretty,
        FormatArg::Ndjson => Format::Ndjson,
        FormatArg::Json => Format::Json,
        FormatArg::Raw => Format::Raw,
    }
}

/// The AppKey is checked at start-up: a key that cannot be right fails now, not on every push.
pub fn parse_app_key(text: &str) -> Result<AppKey, Failure> {
    AppKey::parse(text).map_err(|why| advice::app_key(&why))
}

pub(crate) fn read_secret_file(path: &Path) -> Result<Secret, Failure> {
    let bytes = file::read(path, file::SECRET_LIMIT).map_err(|e| match e {
        file::ReadError::Io(e) => Failure::usage(format!(
            "cannot read --app-secret-file {}: {e}; check the path and its permissions",
            path.display()
        )),
        file::ReadError::TooLarge(limit) => Failure::usage(format!(
            "--app-secret-file {} is larger than {}: it should hold the AppSecret alone; check the path",
            path.display(),
            file::size(limit)
        )),
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Failure::usage(format!(
            "--app-secret-file {} is not UTF-8 text: it should hold the AppSecret alone; check the path",
            path.display()
        ))
    })?;
    profile::check_private(path, "--app-secret-file")?;
    let secret = text.strip_suffix('\n').map(|s| s.strip_suffix('\r').unwrap_or(s)).unwrap_or(&text);
    if secret.is_empty() {
        return Err(Failure::usage(format!(
            "--app-secret-file {} is empty: put the AppSecret from the SENSORO console in it",
            path.display()
        )));
    }
    Ok(Secret::new(secret.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::Parser;

    const PLAIN: Terminal = Terminal { stdout_is_tty: false, stderr_is_tty: false, colors_unwanted: false };
    const TTY: Terminal = Terminal { stdout_is_tty: true, stderr_is_tty: true, colors_unwanted: false };

    fn resolve(args: &[&str], terminal: Terminal) -> Result<Config, Failure> {
        let mut argv = vec!["sensoro-sub", "--app-id", "foobar", "--app-secret", "s3cret"];
        argv.extend_from_slice(args);
        Config::resolve(Cli::try_parse_from(argv).expect("flags parse").subscribe, terminal)
    }

    #[test]
    fn defaults_follow_the_vendor_sample() {
        let config = resolve(&[], PLAIN).unwrap();
        let c = &config.connection;
        assert_eq!((c.host.as_str(), c.port), ("iot.sensoro.com", 1883));
        assert_eq!(c.topic, "users/foobar/devices");
        assert_eq!(c.qos, Qos::AtLeastOnce);
        assert!(c.identity.clean_session());
        let client_id = c.identity.client_id();
        assert!(client_id.starts_with("foobar/") && client_id.len() == "foobar/".len() + 36);
        assert_eq!(config.output.format, Format::Ndjson);
        assert!(!config.output.color);
    }

    #[test]
    fn terminal_gets_pretty_colored_output_unless_no_color() {
        let config = resolve(&[], TTY).unwrap();
        assert_eq!(config.output.format, Format::Pretty);
        assert!(config.output.color);
        let no_color = Terminal { colors_unwanted: true, ..TTY };
        assert!(!resolve(&[], no_color).unwrap().output.color);
        assert!(resolve(&["--color", "always"], no_color).unwrap().output.color);
        assert!(!resolve(&["--color", "never"], TTY).unwrap().output.color);
    }

    #[test]
    fn session_makes_a_durable_client_id() {
        let config = resolve(&["--session", "collector-1"], PLAIN).unwrap();
        assert_eq!(config.connection.identity.client_id(), "foobar/collector-1");
        assert!(!config.connection.identity.clean_session());
    }

    #[test]
    fn invalid_client_ids_and_sessions_are_usage_errors() {
        let err = resolve(&["--client-id", "other/x"], PLAIN).unwrap_err();
        assert!(err.message.starts_with("--client-id: invalid clientId"), "{}", err.message);
        let err = resolve(&["--session", "has space"], PLAIN).unwrap_err();
        assert!(err.message.starts_with("--session:"), "{}", err.message);
    }

    #[test]
    fn envelope_needs_a_json_format() {
        assert!(resolve(&["--envelope", "--format", "pretty"], PLAIN).is_err());
        assert_eq!(resolve(&["--envelope"], TTY).unwrap().output.format, Format::Ndjson);
    }

    #[test]
    fn secret_file_drops_one_trailing_newline_and_debug_hides_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret");
        std::fs::write(&path, "top-secret\r\n").unwrap();
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
        let cli =
            Cli::try_parse_from(["sensoro-sub", "--app-id", "foobar", "--app-secret-file", path.to_str().unwrap()])
                .unwrap();
        let config = Config::resolve(cli.subscribe, PLAIN).unwrap();
        assert_eq!(config.connection.app_secret.expose(), "top-secret");
        assert!(!format!("{config:?}").contains("top-secret"));
    }

    #[test]
    fn app_key_is_checked_at_start_up() {
        assert!(resolve(&["--app-key", &"A".repeat(43)], PLAIN).unwrap().safe_mode.has_key());
        let err = resolve(&["--app-key", "too-short"], PLAIN).unwrap_err();
        assert!(err.message.contains("not a valid AppKey") && !err.message.contains("too-short"), "{}", err.message);
    }

    #[cfg(feature = "watch")]
    #[test]
    fn watch_needs_a_terminal_and_takes_a_profile_session_only_unfiltered() {
        let watch = |args: &[&str], terminal| {
            let mut argv = vec!["sensoro-sub", "watch", "--app-id", "foobar", "--app-secret", "s3cret"];
            argv.extend_from_slice(args);
            match Cli::try_parse_from(argv).expect("flags parse").command {
                Some(crate::cli::Command::Watch(args)) => Config::watch(args, terminal),
                other => panic!("{other:?}"),
            }
        };
        let err = watch(&[], PLAIN).unwrap_err();
        assert_eq!(err.exit, crate::exit::Exit::Usage);
        assert!(err.message.contains("needs a terminal") && err.message.contains("--format ndjson"), "{}", err.message);

        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        std::fs::write(&file, "[profiles.default]\nsession = \"collector\"\n").unwrap();
        let config = watch(&["--config", file.to_str().unwrap()], TTY).unwrap();
        assert_eq!(config.connection.identity.session(), Some("collector"));
        assert_eq!(config.session_note, None);
        let config = watch(&["--config", file.to_str().unwrap(), "--sn", "0117C9F252E6B438"], TTY).unwrap();
        assert!(config.connection.identity.clean_session());
        assert!(matches!(config.session_note, Some(SessionNote::ProfileSessionLeft { one_shot: false, .. })));
        let config = watch(&["--config", file.to_str().unwrap(), "--session", "peek"], TTY).unwrap();
        assert_eq!(config.connection.identity.client_id(), "foobar/peek");
        assert!(!config.connection.identity.clean_session());
    }

    #[test]
    fn missing_credentials_say_how_to_give_them() {
        let cli = Cli::try_parse_from(["sensoro-sub", "--app-secret", "x"]).unwrap().subscribe;
        let err = Config::resolve(cli, PLAIN).unwrap_err();
        assert!(err.message.contains("SENSORO_APP_ID"), "{}", err.message);
    }
}
