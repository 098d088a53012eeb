//! Subscribing (no subcommand, and `demo`): the engine built from the config, fed by the MQTT session.

use std::io;

use crate::config::Config;
use crate::config::advice::{self, INSECURE_WARNING};
use crate::exit::{Exit, StdoutClosed};
use crate::mqtt::{self, Outcome};
use crate::pipeline::Engine;
use crate::pipeline::output::Printer;
use crate::pipeline::topic::Subscription;
use crate::status::Status;

/// Subscribes and prints until the run ends. The caller must honour [`Outcome::holding`].
pub fn run(config: &Config, status: Status) -> Outcome {
    if let Some(note) = &config.session_note {
        note.say(status);
    }
    if config.connection.tls.as_ref().is_some_and(|tls| !tls.verify) {
        status.warn(INSECURE_WARNING);
    }
    let engine = Engine::new(
        Printer::new(config.output),
        config.filter.clone(),
        config.safe_mode.clone(),
        config.count,
        status,
        Box::new(io::stdout()),
    )
    .dedupe(config.dedupe_window)
    .subscribed_to(Subscription::to(&config.connection.topic));
    mqtt::subscribe(&config.connection, config.clocks, engine, status)
}

/// A session's result as the rest of the program's: an exit code, or a failure that says what to do.
pub fn result(result: Result<(), mqtt::Error>) -> anyhow::Result<Exit> {
    match result {
        Ok(()) => Ok(Exit::Success),
        Err(mqtt::Error::StdoutClosed) => Err(StdoutClosed.into()),
        Err(error) => Err(advice::failure(&error).into()),
    }
}
