//! Subscribing (no subcommand, and `demo`): the engine built from the config, fed by the MQTT session.

use std::io::{self, Write};

use crate::config::Config;
use crate::config::advice::{self, INSECURE_WARNING};
use crate::exit::{Exit, Failure, StdoutClosed};
use crate::mqtt::{self, Finish, Outcome};
use crate::pipeline::output::{OutputFile, Printer, stdout_syncer};
use crate::pipeline::topic::Subscription;
use crate::pipeline::{Engine, EngineOptions};
use crate::signals;
use crate::status::Status;

/// Subscribes and prints until the run ends. The caller must honour [`Outcome::held`].
pub fn run(config: &Config, status: Status) -> Result<Outcome, Failure> {
    if let Some(note) = &config.session_note {
        note.say(status);
    }
    if config.connection.tls.as_ref().is_some_and(|tls| !tls.verify) {
        status.warn(INSECURE_WARNING);
    }
    let (out, file): (Box<dyn Write + Send>, _) = match &config.destination.file {
        Some(path) => match OutputFile::open(path) {
            Ok(file) => (Box::new(file.clone()), Some(file)),
            Err(e) => {
                return Err(Failure::usage(format!(
                    "cannot open {} for appending: {e}; check --output's directory and permissions",
                    path.display()
                )));
            }
        },
        None => (Box::new(io::stdout()), None),
    };
    let engine = Engine::new(engine_options(config), Box::new(Printer::new(config.output)), out, status);
    let sink = engine.sink();
    // A durable session syncs a file before it acknowledges (group commit: mqtt::callback).
    let syncer = match &file {
        Some(file) => Some(file.syncer()),
        None => stdout_syncer(),
    };
    if let Some(syncer) = syncer.filter(|_| config.destination.sync) {
        sink.set_syncer(syncer);
    }
    if let Some(file) = &file {
        sink.set_reopener(file.reopener());
        status.detail(format_args!("writing to {}; SIGHUP opens it anew", file.path().display()));
    }
    let session = mqtt::Session::new();
    signals::forward_to(session.stopper())?;
    Ok(session.run(&config.connection, config.clocks, engine, status))
}

/// How a subscription's engine treats pushes (`watch`'s too): from the flags and the profile.
pub fn engine_options(config: &Config) -> EngineOptions {
    EngineOptions {
        filter: config.filter.clone(),
        safe_mode: config.safe_mode.clone(),
        count_limit: config.count,
        dedupe_window: config.dedupe_window,
        subscription: Subscription::to(&config.connection.topic),
        alarms: config.alarms.clone(),
    }
}

/// A session's outcome as the rest of the program's: an exit code, or a failure that says what to do.
/// A run that ended after a push with an alarm (`--exit-on-alarm`) is exit 6.
pub fn result(outcome: Outcome) -> anyhow::Result<Exit> {
    match outcome {
        Outcome::Finished { why: Finish::AlarmRaised, .. } => Ok(Exit::Alarm),
        Outcome::Finished { .. } => Ok(Exit::Success),
        Outcome::StdoutClosed { .. } => Err(StdoutClosed.into()),
        Outcome::Failed { error, .. } => Err(advice::failure(&error).into()),
    }
}
