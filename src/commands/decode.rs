//! `sensoro-sub decode [FILE]`: the live pipeline (decode, decrypt, filter, print) over pushes stored
//! as NDJSON, one per line — a webhook log, or a stream saved with `--format raw`.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::time::{Instant, SystemTime};

use crate::config::DecodeConfig;
use crate::duration::display;
use crate::exit::{Exit, Failure, stdout_error};
use crate::pipeline::output::Printer;
use crate::pipeline::{Delivery, Engine, EngineOptions, Handled, Qos, Release};
use crate::status::Status;

/// The longest line taken (docs/output.md): a longer one is reported as undecodable and skipped,
/// so memory stays bounded whatever the input.
pub const LINE_LIMIT: usize = 16 * 1024 * 1024;
/// How much of an over-long line is skipped in search of its end. Input with no line end in this
/// much is not NDJSON (`/dev/zero`, a disk image): decode stops there.
pub const SKIP_LIMIT: u64 = 1024 * 1024 * 1024;

/// What [`read_line`] found.
#[derive(Debug, PartialEq, Eq)]
enum Line {
    /// End of input.
    End,
    /// A line (its newline included, if it had one) is in the buffer.
    Whole,
    /// The line is longer than [`LINE_LIMIT`]: the buffer holds its first bytes, the rest is unread.
    TooLong,
}

/// Reads one line into `line`, never more than [`LINE_LIMIT`] bytes of it and its newline.
fn read_line(reader: &mut dyn BufRead, line: &mut Vec<u8>) -> io::Result<Line> {
    line.clear();
    let read = reader.take(LINE_LIMIT as u64 + 1).read_until(b'\n', line)?;
    Ok(match read {
        0 => Line::End,
        _ if line.len() > LINE_LIMIT && line.last() != Some(&b'\n') => Line::TooLong,
        _ => Line::Whole,
    })
}

/// Skips the rest of a line, up to [`SKIP_LIMIT`] bytes, holding at most 64 KiB of it at a time.
/// False when no line end came within that.
fn skip_line(reader: &mut dyn BufRead) -> io::Result<bool> {
    let mut piece = Vec::with_capacity(64 * 1024);
    let mut skipped = 0;
    while skipped < SKIP_LIMIT {
        piece.clear();
        let read = reader.take(64 * 1024).read_until(b'\n', &mut piece)?;
        if read == 0 || piece.last() == Some(&b'\n') {
            return Ok(true);
        }
        skipped += read as u64;
    }
    Ok(false)
}

pub fn run(config: &DecodeConfig, status: Status) -> anyhow::Result<Exit> {
    let (name, input): (String, Box<dyn BufRead>) = match &config.input {
        Some(path) => {
            let file = File::open(path).map_err(|e| {
                Failure::usage(format!(
                    "cannot read {}: {e}; check the path (or pipe the pushes to stdin)",
                    path.display()
                ))
            })?;
            (path.display().to_string(), Box::new(BufReader::with_capacity(64 * 1024, file)))
        }
        None => ("stdin".to_owned(), Box::new(io::stdin().lock())),
    };
    let options = EngineOptions {
        filter: config.filter.clone(),
        safe_mode: config.safe_mode.clone(),
        count_limit: config.count,
        alarms: config.alarms.clone(),
        ..EngineOptions::default()
    };
    let mut engine = Engine::new(options, Box::new(Printer::new(config.output)), Box::new(io::stdout()), status);
    let progress = engine.progress();
    let started = Instant::now();
    let mut why = "end of input";
    let mut line = Vec::new();
    let mut reader = input;
    for line_number in 1.. {
        let cannot_read =
            |e: io::Error| Failure::new(Exit::Internal, format!("cannot read {name} at line {line_number}: {e}"));
        let read = read_line(&mut reader, &mut line).map_err(cannot_read)?;
        if read == Line::End {
            break;
        }
        if read == Line::TooLong {
            let source = format!("{name}:{line_number}");
            let delivery = Delivery {
                topic: source.as_bytes(),
                qos: Qos::AtMostOnce,
                retained: false,
                payload: &line,
                received_at: SystemTime::now(),
            };
            let reason = format!("a line longer than {} MiB, the limit; skipped", LINE_LIMIT >> 20);
            if engine.reject(&delivery, &reason) == Handled::Refused {
                break;
            }
            line = Vec::new();
            if !skip_line(&mut reader).map_err(cannot_read)? {
                status.info(format_args!("stopped after {}: {}", display(started.elapsed()), progress.stats()));
                return Err(Failure::usage(format!(
                    "{source} runs on for more than {} GiB without a line end: {name} is not NDJSON (one push per \
                     line); stopped reading it",
                    SKIP_LIMIT >> 30
                ))
                .into());
            }
            continue;
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
