//! What a run prints and how: format, colors, stderr's verbosity, alarm rules, filters, clocks and
//! the output file, from the view flags, the profile's alarms and the terminal.

use crate::cli::{AlarmArgs, AlarmRuleArgs, FormatArg, OutputArgs, ViewArgs};
use crate::exit::Failure;
use crate::mqtt::Clocks;
use crate::pipeline::alarm::{AlarmConfig, Rules};
use crate::pipeline::dedupe;
use crate::pipeline::output::{Destination, Format, OutputConfig};
use crate::pipeline::push::Filter;
use crate::status::{StatusConfig, Verbosity};

use super::Terminal;
use super::profile::LoadedProfile;

/// A subscription's settings apart from its connection: what the view flags say, checked.
#[derive(Debug)]
pub struct ViewConfig {
    pub output: OutputConfig,
    pub filter: Filter,
    /// How many recent msgIds to remember for dropping redeliveries; 0 turns it off.
    pub dedupe_window: usize,
    /// Stop after printing this many pushes.
    pub count: Option<u64>,
    pub clocks: Clocks,
    pub status: StatusConfig,
    pub destination: Destination,
    pub alarms: AlarmConfig,
}

impl ViewConfig {
    /// Printing as `view` says; alarm rules from `view`, else from the profile.
    pub fn resolve(view: ViewArgs, profile: Option<&LoadedProfile>, terminal: Terminal) -> Result<ViewConfig, Failure> {
        if matches!(view.output.format, Some(FormatArg::Pretty | FormatArg::Raw)) && view.envelope {
            return Err(Failure::usage("--envelope works with --format ndjson or json, not pretty or raw"));
        }
        // A file gets NDJSON without colors, whatever stdout is.
        let out = if view.output_file.is_some() { Terminal { stdout_is_tty: false, ..terminal } } else { terminal };
        Ok(ViewConfig {
            alarms: alarm_config(&view.alarms, profile)?,
            output: output_config(&view.output, view.envelope, out),
            filter: Filter::new(view.filter.sn, view.filter.device_type),
            dedupe_window: if view.no_dedupe { 0 } else { dedupe::DEFAULT_WINDOW },
            count: view.count,
            clocks: Clocks { timeout: view.timeout, duration: view.duration },
            status: status_config(&view.output, terminal),
            destination: Destination { file: view.output_file, sync: !view.no_sync },
        })
    }
}

/// The alarm rules: `--alarm` if given, else the profile's `alarms`, applied to the defaults.
pub(crate) fn alarm_rules(args: &AlarmRuleArgs, profile: Option<&LoadedProfile>) -> Result<Rules, Failure> {
    if !args.rules.is_empty() {
        return Rules::parse(&args.rules).map_err(|e| Failure::usage(format!("--alarm {e}")));
    }
    match profile.and_then(|loaded| loaded.profile.alarms.as_ref().map(|alarms| (loaded, alarms))) {
        Some((loaded, alarms)) => Rules::parse(alarms).map_err(|e| {
            Failure::usage(format!("config file {}, profile {:?}, alarms: {e}", loaded.path.display(), loaded.name))
        }),
        None => Ok(Rules::defaults()),
    }
}

pub(crate) fn alarm_config(args: &AlarmArgs, profile: Option<&LoadedProfile>) -> Result<AlarmConfig, Failure> {
    Ok(AlarmConfig {
        rules: alarm_rules(&args.rules, profile)?,
        only: args.alarms_only,
        exit_on_first: args.exit_on_alarm,
    })
}

/// `--envelope` alone picks ndjson, even on a terminal; otherwise a terminal gets pretty.
pub(crate) fn output_config(args: &OutputArgs, envelope: bool, terminal: Terminal) -> OutputConfig {
    let format = match args.format {
        Some(chosen) => format(chosen),
        None if envelope || !terminal.stdout_is_tty => Format::Ndjson,
        None => Format::Pretty,
    };
    OutputConfig { format, envelope, color: terminal.color(args.color, terminal.stdout_is_tty) }
}

pub(crate) fn status_config(args: &OutputArgs, terminal: Terminal) -> StatusConfig {
    let verbosity = match (args.quiet, args.verbose) {
        (true, _) => Verbosity::Quiet,
        (false, 0) => Verbosity::Normal,
        (false, _) => Verbosity::Verbose,
    };
    StatusConfig { verbosity, color: terminal.color(args.color, terminal.stderr_is_tty) }
}

fn format(arg: FormatArg) -> Format {
    match arg {
        FormatArg::Pretty => Format::Pretty,
        FormatArg::Ndjson => Format::Ndjson,
        FormatArg::Json => Format::Json,
        FormatArg::Raw => Format::Raw,
    }
}
