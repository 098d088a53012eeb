//! The subscriber's settings (no subcommand): the resolved connection and the view.

use crate::cli::SubscribeArgs;
use crate::exit::Failure;
use crate::mqtt::{Clocks, ConnectionConfig};
use crate::pipeline::alarm::AlarmConfig;
use crate::pipeline::output::{Destination, OutputConfig};
use crate::pipeline::push::Filter;
use crate::pipeline::safe_mode::SafeMode;
use crate::status::StatusConfig;

use super::identity::{Consumer, SessionNote};
use super::output::ViewConfig;
use super::{Resolved, Terminal};

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

impl Config {
    pub fn resolve(cli: SubscribeArgs, terminal: Terminal) -> Result<Config, Failure> {
        let resolved = Resolved::resolve(cli.account, cli.connection, Consumer::of(&cli.view))?;
        let view = ViewConfig::resolve(cli.view, resolved.loaded_profile(), terminal)?;
        let mut config = Config::assemble(resolved.connection(), resolved.safe_mode(), view);
        config.session_note = resolved.session_note;
        Ok(config)
    }

    /// A subscription over a resolved connection, printing as `view` says.
    pub fn assemble(connection: ConnectionConfig, safe_mode: SafeMode, view: ViewConfig) -> Config {
        let ViewConfig { output, filter, dedupe_window, count, clocks, status, destination, alarms } = view;
        Config {
            connection,
            output,
            filter,
            safe_mode,
            dedupe_window,
            count,
            clocks,
            status,
            destination,
            session_note: None,
            alarms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use crate::pipeline::Qos;
    use crate::pipeline::output::Format;
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

    #[test]
    fn missing_credentials_say_how_to_give_them() {
        let cli = Cli::try_parse_from(["sensoro-sub", "--app-secret", "x"]).unwrap().subscribe;
        let err = Config::resolve(cli, PLAIN).unwrap_err();
        assert!(err.message.contains("SENSORO_APP_ID"), "{}", err.message);
    }
}
