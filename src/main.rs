//! sensoro-sub: subscribe to the SENSORO IoT cloud's MQTT push service and print every push.

use std::process::ExitCode;

use anyhow::Result;
use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory, FromArgMatches};

use std::io::Write;

use sensoro_sub::cli::{Cli, Command, ConfigCommand, completion_script};
use sensoro_sub::config::{Config, DecodeConfig, Resolved, Terminal};
use sensoro_sub::exit::Exit;
use sensoro_sub::status::{self, Status};
use sensoro_sub::{check, decode, exit, session};

/// Whether the subscriber's AppSecret was typed on the command line (not taken from the
/// environment): it is then visible to other users in `ps`.
fn secret_on_command_line(matches: &ArgMatches) -> bool {
    matches.ids().any(|id| id == "app_secret") && matches.value_source("app_secret") == Some(ValueSource::CommandLine)
}

fn run() -> Result<ExitCode> {
    let matches = Cli::command().get_matches();
    let secret_hint = secret_on_command_line(&matches);
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let terminal = Terminal::detect();
    let exit = match cli.command {
        None => {
            let config = Config::resolve(cli.subscribe, terminal)?;
            let status = Status::new(config.status);
            if secret_hint {
                status.info(
                    "hint: --app-secret on the command line is visible to other users in `ps`; \
                     SENSORO_APP_SECRET, --app-secret-file or a --profile keep it out",
                );
            }
            session::subscribe(&config, status)?
        }
        Some(Command::Decode(args)) => {
            let config = DecodeConfig::resolve(args, terminal)?;
            decode::run(&config, Status::new(config.status))?
        }
        #[cfg(feature = "simulator")]
        Some(Command::Demo(args)) => sensoro_sub::simulator::demo(args, terminal)?,
        #[cfg(feature = "simulator")]
        Some(Command::Simulate(args)) => sensoro_sub::simulator::simulate(args)?,
        Some(Command::Check(args)) => {
            let resolved = Resolved::resolve(args.account, args.connection)?;
            check::run(&resolved.connection, args.timeout, terminal.stdout_color(args.color))?
        }
        Some(Command::Completions { shell }) => {
            std::io::stdout().write_all(&completion_script(shell))?;
            Exit::Success
        }
        Some(Command::Config(ConfigCommand::Show(args))) => {
            let resolved = Resolved::resolve(args.account, args.connection)?;
            print!("{}", resolved.show());
            Exit::Success
        }
    };
    Ok(exit.into())
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(err) => {
            let terminal = Terminal::detect();
            status::error_line(terminal.stderr_auto_color(), format!("{err:#}"));
            exit::exit_for(&err).into()
        }
    }
}
