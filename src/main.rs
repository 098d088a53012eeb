//! sensoro-sub: subscribe to the SENSORO IoT cloud's MQTT push service and print every push.

mod cli;
mod config;
mod duration;
mod engine;
mod exit;
mod output;
mod push;
mod service;
mod session;
mod status;

use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;

use crate::cli::Cli;
use crate::config::{Config, Terminal};
use crate::status::Status;

fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    let config = Config::resolve(cli, Terminal::detect())?;
    let status = Status::new(config.status);
    let exit = session::subscribe(&config, status)?;
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
