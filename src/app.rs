//! The program: flags parsed, a command dispatched, a failure's one line printed, an exit code
//! returned. `main.rs` only calls [`main`] and hands it the one way to end the process at once
//! (a push held unacknowledged must not wait for anything on the way out).

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Result;
use clap::{CommandFactory, FromArgMatches};

use crate::cli::{Cli, Command, ConfigCommand, SessionCommand, completion_script, secrets_on_command_line};
use crate::commands::{self, check, decode, session};
use crate::config::{Config, Consumer, DecodeConfig, Resolved, Terminal, advice};
use crate::exit::{self, Exit};
use crate::mqtt::{Held, Outcome};
use crate::status::{self, Status, StatusConfig, Verbosity};

/// Ends the process at once with this code: `main.rs` passes the standard library's exit, which it alone names.
pub type ExitNow = fn(i32) -> !;

fn run(cli: Cli, secrets: Vec<&'static str>, terminal: Terminal, exit_now: ExitNow) -> Result<ExitCode> {
    // The `ps` hint for each secret typed on the command line, once the settings are known good.
    let hint = |status: Status, profiles: bool| {
        for flag in &secrets {
            status.info(advice::secret_on_command_line(flag, profiles));
        }
        status
    };
    // `check` and `config show` have no -q/-v: their stderr shows what a plain run's does.
    let plain = StatusConfig { verbosity: Verbosity::Normal, color: terminal.stderr_auto_color() };
    let exit = match cli.command {
        None => {
            let config = Config::resolve(cli.subscribe, terminal)?;
            let status = hint(Status::new(config.status), true);
            end_session(commands::subscribe::run(&config, status)?, exit_now)?
        }
        Some(Command::Decode(args)) => {
            let config = DecodeConfig::resolve(args, terminal)?;
            decode::run(&config, hint(Status::new(config.status), false))?
        }
        #[cfg(feature = "watch")]
        Some(Command::Watch(args)) => {
            let config = Config::watch(args, terminal)?;
            end_session(crate::watch::run(&config, hint(Status::new(config.status), true))?, exit_now)?
        }
        #[cfg(feature = "simulator")]
        Some(Command::Demo(args)) => {
            end_session(crate::simulator::demo(crate::config::simulator::demo(args, terminal)?)?, exit_now)?
        }
        #[cfg(feature = "simulator")]
        Some(Command::Simulate(args)) => {
            crate::simulator::simulate(crate::config::simulator::simulate(args, terminal)?)?
        }
        Some(Command::Check(args)) => {
            let resolved = Resolved::resolve(args.account, args.connection, Consumer::Check)?;
            hint(Status::new(StatusConfig { color: terminal.stderr_color(args.color), ..plain }), true);
            let note = resolved.session_note.as_ref();
            check::run(&resolved.connection(), note, args.timeout, terminal.stdout_color(args.color))?
        }
        Some(Command::Session(SessionCommand::Clear(args))) => session::clear(&Resolved::clear(args)?.connection())?,
        Some(Command::Completions { shell }) => {
            commands::print(&completion_script(shell))?;
            Exit::Success
        }
        Some(Command::Config(ConfigCommand::Show(args))) => {
            hint(Status::new(plain), true);
            commands::print(crate::config::show(args.account, args.connection).as_bytes())?;
            Exit::Success
        }
        Some(Command::Config(ConfigCommand::Init(args))) => {
            let (no_check, color) = (args.no_check, terminal.stdout_color(args.color));
            let status = Status::new(status::StatusConfig {
                verbosity: status::Verbosity::Normal,
                color: terminal.stderr_auto_color(),
            });
            let prepared = crate::config::init::prepare(args)?;
            let checked = if no_check {
                Ok(Exit::Success)
            } else {
                prepared
                    .resolve()
                    .map_err(anyhow::Error::from)
                    .and_then(|r| check::run(&r.connection(), None, None, color))
            };
            match checked {
                Ok(Exit::Success) => {
                    let (name, path) = (prepared.name.clone(), prepared.path.clone());
                    let replaced = prepared.write()?;
                    let what = if replaced { "replaced" } else { "wrote" };
                    let mut usage = if name == "default" { String::new() } else { format!(" --profile {name}") };
                    if crate::config::profile::default_path().as_deref() != Some(path.as_path()) {
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
            let names = crate::config::profile::names(args.config)?;
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
fn end_session(outcome: Outcome, exit_now: ExitNow) -> Result<Exit> {
    let held = outcome.held();
    let result = commands::subscribe::result(outcome);
    if held == Held::Push {
        // The choice of colors is gone with the command line here; an uncolored line is never wrong.
        exit_now(report(result, false) as i32);
    }
    result
}

/// The exit code of a run, after saying on stderr why it failed (a closed stdout says nothing).
/// `color`: stderr's colors as `--color` and the terminal decide (`never`: not one escape byte).
fn report(result: Result<Exit>, color: bool) -> Exit {
    match result {
        Ok(exit) => exit,
        Err(err) => {
            if !exit::is_stdout_closed(&err) {
                // A stderr nobody reads must not keep a failed run from ending.
                status::bound_writes(Duration::from_secs(1));
                status::error_line(color, format!("{err:#}"));
            }
            exit::exit_for(&err)
        }
    }
}

/// The whole program, as `main.rs` runs it. `exit_now` ends the process at once (see [`ExitNow`]).
pub fn main(exit_now: ExitNow) -> ExitCode {
    let matches = match Cli::command().try_get_matches() {
        Ok(matches) => matches,
        Err(e) => return clap_error(e),
    };
    let secrets = secrets_on_command_line(&matches);
    let mut cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => return clap_error(e),
    };
    cli.note_environment(&matches);
    let terminal = Terminal::detect();
    let error_color = terminal.stderr_color(cli.color_choice());
    match run(cli, secrets, terminal, exit_now) {
        Ok(code) => code,
        Err(err) => report(Err(err), error_color).into(),
    }
}
