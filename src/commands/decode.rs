//! `sensoro-sub decode [FILE]`: the live pipeline (decode, decrypt, filter, print) over pushes stored
//! as NDJSON, one per line — a webhook log, or a stream saved with `--format raw`.

use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::time::{Instant, SystemTime};

use crate::config::DecodeConfig;
use crate::duration::display;
use crate::exit::{Exit, Failure, stdout_error};
use crate::pipeline::output::Printer;
use crate::pipeline::{Delivery, Engine, Handled, Qos, Release};
use crate::status::Status;

pub fn run(config: &DecodeConfig, status: Status) -> anyhow::Result<Exit> {
    let (name, input): (String, Box<dyn BufRead>) = match &config.input {
        Some(path) => {
            let file = File::open(path).map_err(|e| {
                Failure::usage(format!(
                    "cannot read {}: {e}; check the path (or pipe the pushes to stdin)",
                    path.display()
                ))
            })?;
            (path.display().to_string(), Box::new(BufReader::new(file)))
        }
        None => ("stdin".to_owned(), Box::new(io::stdin().lock())),
    };
    let printer = Printer::new(config.output);
    let mut engine = Engine::new(
        printer,
        config.filter.clone(),
        config.safe_mode.clone(),
        config.count,
        status,
        Box::new(io::stdout()),
    )
    .alarms(config.alarms.clone());
    let progress = engine.progress();
    let started = Instant::now();
    let mut why = "end of input";
    let mut line = Vec::new();
    let mut reader = input;
    for line_number in 1.. {
        line.clear();
        let read = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| Failure::new(Exit::Internal, format!("cannot read {name} at line {line_number}: {e}")))?;
        if read == 0 {
            break;
        }
        let payload = line.strip_suffix(b"\n").unwrap_or(&line);
        let payload = payload.strip_suffix(b"\r").unwrap_or(payload);
        if payload.trim_ascii().is_empty() {
            continue;
        }
        let source = format!("{name}:{line_number}");
        let delivery = Delivery {
            topic: source.as_bytes(),
            qos: Qos::AtMostOnce,
            retained: false,
            payload,
            received_at: SystemTime::now(),
        };
        // Line by line: `tail -f log | sensoro-sub decode` shows each push as it comes.
        if engine.handle(&delivery, Release::Now).map_err(stdout_error)? == Handled::Refused {
            break;
        }
        if progress.is_closed() {
            why = if progress.stopped_on_alarm() { "alarm raised" } else { "count reached" };
            break;
        }
    }
    status.info(format_args!("{why} after {}: {}", display(started.elapsed()), progress.stats()));
    Ok(if progress.stopped_on_alarm() { Exit::Alarm } else { Exit::Success })
}
