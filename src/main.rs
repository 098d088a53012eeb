//! sensoro-sub: subscribe to the SENSORO IoT cloud's MQTT push service and print every push.
//!
//! The only place the process ends: every command returns an exit code or an error, and `main` turns
//! it into the process's exit status (docs/architecture.md).

use std::process::ExitCode;

use anyhow::Result;
use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory, FromArgMatches};

use sensoro_sub::cli::{Cli, Command, ConfigCommand, completion_script};
use sensoro_sub::commands::{self, check, decode};
use sensoro_sub::config::{Config, DecodeConfig, Resolved, Terminal};
use sensoro_sub::exit::{self, Exit};
use sensoro_sub::mqtt::Outcome;
use sensoro_sub::status::{self, Status};

/// Whether the subscriber's AppSecret was typed on the command line (not taken from the
/// environment): it is then visible to other users in `ps`.
fn secret_on_command_line(matches: &ArgMatches) -> bool {
    matches.ids().any(|id| id == "app_secret") && matches.value_source("app_secret") == Some(ValueSource::CommandLine)
}

fn run() -> Result<ExitCode> {
    let matches = match Cli::command().try_get_matches() {
        Ok(matches) => matches,
        Err(e) => return Ok(clap_error(e)),
    };
    let secret_hint = secret_on_command_line(&matches);
    let mut cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => return Ok(clap_error(e)),
    };
    cli.note_environment(&matches);
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
            end_session(commands::subscribe::run(&config, status))?
        }
        Some(Command::Decode(args)) => {
            let config = DecodeConfig::resolve(args, terminal)?;
            decode::run(&config, Status::new(config.status))?
        }
        #[cfg(feature = "watch")]
        Some(Command::Watch(args)) => {
            let config = Config::watch(args, terminal)?;
            end_session(sensoro_sub::watch::run(&config, Status::new(config.status))?)?
        }
        #[cfg(feature = "simulator")]
        Some(Command::Demo(args)) => end_session(sensoro_sub::simulator::demo(args, terminal)?)?,
        #[cfg(feature = "simulator")]
        Some(Command::Simulate(args)) => sensoro_sub::simulator::simulate(args)?,
        Some(Command::Check(args)) => {
            let resolved = Resolved::resolve(args.account, args.connection)?;
            check::run(&resolved.connection, args.timeout, terminal.stdout_color(args.color))?
        }
        Some(Command::Completions { shell }) => {
            commands::print(&completion_script(shell))?;
            Exit::Success
        }
        Some(Command::Config(ConfigCommand::Show(args))) => {
            commands::print(sensoro_sub::config::show(args.account, args.connection).as_bytes())?;
            Exit::Success
        }
        Some(Command::Config(ConfigCommand::Init(args))) => {
            let (no_check, color) = (args.no_check, terminal.stdout_color(args.color));
            let status = Status::new(status::StatusConfig {
                verbosity: status::Verbosity::Normal,
                color: terminal.stderr_auto_color(),
            });
            let prepared = sensoro_sub::config::init::prepare(args)?;
            let checked = if no_check {
                Ok(Exit::Success)
            } else {
                prepared.resolve().map_err(anyhow::Error::from).and_then(|r| check::run(&r.connection, None, color))
            };
            match checked {
                Ok(Exit::Success) => {
                    let (name, path) = (prepared.name.clone(), prepared.path.clone());
                    let replaced = prepared.write()?;
                    let what = if replaced { "replaced" } else { "wrote" };
                    let mut usage = if name == "default" { String::new() } else { format!(" --profile {name}") };
                    if sensoro_sub::config::profile::default_path().as_deref() != Some(path.as_path()) {
                        usage = format!(" --config {}{usage}", path.display());
                    }
                    status.info(format_args!(
                        "{what} profile {name:?} in {} (mode 600); use it: sensoro-sub{usage}",
                        path.display()
                    ));
                    Exit::Success
                }
                other => {
                    prepared.discard();
                    status.info("the login check failed: nothing written (fix it, or --no-check to write anyway)");
                    other?
                }
            }
        }
        Some(Command::Config(ConfigCommand::Profiles(args))) => {
            let names = sensoro_sub::config::profile::names(args.config)?;
            commands::print(names.iter().map(|name| format!("{name}\n")).collect::<String>().as_bytes())?;
            Exit::Success
        }
    };
    Ok(exit.into())
}

/// clap's own messages: help and version as clap prints them; a usage error with our
/// `sensoro-sub: ` prefix, like every other error, and clap's exit code (2).
fn clap_error(error: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        // Prints to stdout; a closed stdout is a quiet exit 0 here too.
        let _ = error.print();
        return ExitCode::from(error.exit_code() as u8);
    }
    let rendered = error.render();
    let text = if Terminal::detect().stderr_auto_color() { rendered.ansi().to_string() } else { rendered.to_string() };
    let _ = std::io::Write::write_all(&mut std::io::stderr(), format!("sensoro-sub: {text}").as_bytes());
    ExitCode::from(error.exit_code() as u8)
}

/// A finished MQTT session's exit code. When a push is held unacknowledged, the MQTT library's receive
/// thread is blocked in our callback for good: the process ends right here, before anything could wait on it,
/// so the broker keeps that push for the next durable session.
fn end_session(outcome: Outcome) -> Result<Exit> {
    let result = commands::subscribe::result(outcome.result);
    if outcome.holding {
        std::process::exit(report(result) as i32);
    }
    result
}

/// The exit code of a run, after saying on stderr why it failed (a closed stdout says nothing).
fn report(result: Result<Exit>) -> Exit {
    match result {
        Ok(exit) => exit,
        Err(err) => {
            if !exit::is_stdout_closed(&err) {
                status::error_line(Terminal::detect().stderr_auto_color(), format!("{err:#}"));
            }
            exit::exit_for(&err)
        }
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(err) => report(Err(err)).into(),
    }
}
