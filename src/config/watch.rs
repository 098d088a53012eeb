//! `watch`'s settings, and the rule of every full-screen view: stdout must be a terminal.

use crate::cli::WatchArgs;
use crate::exit::Failure;
use crate::mqtt::Clocks;
use crate::pipeline::alarm::AlarmConfig;
use crate::pipeline::dedupe;
use crate::pipeline::output::{Destination, Format, OutputConfig};
use crate::pipeline::push::Filter;
use crate::status::{StatusConfig, Verbosity};

use super::output::alarm_rules;
use super::{Config, Consumer, Resolved, Terminal};

impl Config {
    /// `watch`: the subscriber's settings, drawn on the terminal instead of printed. It runs until
    /// `q`, so it is a long-running consumer: unfiltered, it takes the profile's durable session.
    pub fn watch(args: WatchArgs, terminal: Terminal) -> Result<Config, Failure> {
        needs_terminal(terminal, "sensoro-sub --format ndjson")?;
        let filtered = !(args.filter.sn.is_empty() && args.filter.device_type.is_empty());
        let resolved = Resolved::resolve(args.account, args.connection, Consumer::Run { one_shot: false, filtered })?;
        let color = terminal.stdout_color(args.color);
        let rules = alarm_rules(&args.alarm, resolved.loaded_profile())?;
        Ok(Config {
            alarms: AlarmConfig { rules, only: false, exit_on_first: false },
            connection: resolved.connection(),
            output: OutputConfig { format: Format::Pretty, envelope: false, color },
            filter: Filter::new(args.filter.sn, args.filter.device_type),
            safe_mode: resolved.safe_mode(),
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
pub fn needs_terminal(terminal: Terminal, instead: &str) -> Result<(), Failure> {
    if terminal.stdout_is_tty {
        Ok(())
    } else {
        Err(Failure::usage(format!(
            "watch needs a terminal, and stdout is not one: for pipes and files use `{instead}`"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use crate::config::SessionNote;
    use clap::Parser;

    const PLAIN: Terminal = Terminal { stdout_is_tty: false, stderr_is_tty: false, colors_unwanted: false };
    const TTY: Terminal = Terminal { stdout_is_tty: true, stderr_is_tty: true, colors_unwanted: false };

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
}
