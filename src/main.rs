//! sensoro-sub: subscribe to the SENSORO IoT cloud's MQTT push service and print every push.

use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;

use std::io::Write;

use sensoro_sub::cli::{Cli, Command, ConfigCommand, completion_script};
use sensoro_sub::config::{Config, DecodeConfig, Resolved, Terminal};
use sensoro_sub::exit::Exit;
use sensoro_sub::status::{self, Status};
use sensoro_sub::{check, decode, exit, session};

fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    let terminal = Terminal::detect();
    let exit = match cli.command {
        None => {
            let config = Config::resolve(cli.subscribe, terminal)?;
            session::subscribe(&config, Status::new(config.status))?
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
            status::error_line(terminal.stderr_is_tty && !terminal.colors_unwanted, format!("{err:#}"));
            exit::exit_for(&err).into()
        }
    }
}
