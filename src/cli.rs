//! Command-line flags, as the user types them. [`crate::config::Config`] turns them into settings.

use std::path::PathBuf;
use std::time::Duration;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

use crate::duration::parse_duration;
use crate::exit::EXIT_CODES_HELP;
use crate::service::{DEFAULT_HOST, DEFAULT_PORT};

const EXAMPLES: &str = "\
Examples:
  export SENSORO_APP_ID=foobar SENSORO_APP_SECRET=...
  sensoro-sub                                   watch pushes in the terminal
  sensoro-sub | jq .data.temperature            NDJSON when stdout is not a terminal
  sensoro-sub --count 1 --timeout 60s           cron: one reading or exit 5
  sensoro-sub --session collector --qos 1       durable: pushes sent while away arrive next run";

#[derive(Parser, Debug)]
#[command(
    name = "sensoro-sub",
    version,
    about = "Subscribe to the SENSORO IoT cloud's MQTT push service and print every push, decoded.",
    long_about = "Subscribe to the SENSORO IoT cloud's MQTT push service and print every push, decoded.\n\n\
        stdout carries the pushes only (pretty on a terminal, NDJSON otherwise); connection status, \
        warnings and the exit summary go to stderr.",
    after_help = format!("{EXAMPLES}\n\n{EXIT_CODES_HELP}"),
    args_conflicts_with_subcommands = true,
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// With no subcommand: subscribe and print pushes.
    #[command(flatten)]
    pub subscribe: SubscribeArgs,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Decode pushes stored as NDJSON (a webhook log, a saved stream) with the same decode, filter
    /// and print pipeline as the live subscriber
    #[command(after_help = DECODE_EXAMPLES)]
    Decode(DecodeArgs),
}

const DECODE_EXAMPLES: &str = "\
Examples:
  sensoro-sub decode webhook.ndjson             decrypt (with SENSORO_APP_KEY) and print a webhook log
  sensoro-sub -f raw --session s > saved.ndjson; sensoro-sub decode saved.ndjson -f pretty";

#[derive(Args, Debug)]
pub struct SubscribeArgs {
    /// AppID from the SENSORO console (MQTT username; part of clientId and topic)
    #[arg(long, env = "SENSORO_APP_ID", value_name = "ID", help_heading = "Credentials")]
    pub app_id: Option<String>,

    /// AppSecret (MQTT password). Prefer the env var or --app-secret-file: flags are visible in `ps`
    #[arg(
        long,
        env = "SENSORO_APP_SECRET",
        hide_env_values = true,
        value_name = "SECRET",
        conflicts_with = "app_secret_file",
        help_heading = "Credentials"
    )]
    pub app_secret: Option<String>,

    /// Read the AppSecret from this file (trailing newline ignored)
    #[arg(long, value_name = "PATH", help_heading = "Credentials")]
    pub app_secret_file: Option<PathBuf>,

    #[command(flatten)]
    pub safe_mode: SafeModeArgs,

    /// Broker host
    #[arg(long, env = "SENSORO_HOST", default_value = DEFAULT_HOST, help_heading = "Connection")]
    pub host: String,

    /// Broker port
    #[arg(long, env = "SENSORO_PORT", default_value_t = DEFAULT_PORT, help_heading = "Connection")]
    pub port: u16,

    /// MQTT clientId; must match ^APPID(/[-_0-9a-zA-Z]{0,36})?$ [default: APPID/<random uuid>]
    #[arg(long, value_name = "ID", conflicts_with = "session", help_heading = "Connection")]
    pub client_id: Option<String>,

    /// Durable session: clientId APPID/NAME, clean session off, so QoS 1 pushes sent while this tool
    /// is stopped arrive on the next run with the same NAME
    #[arg(long, value_name = "NAME", help_heading = "Connection")]
    pub session: Option<String>,

    /// Subscription QoS: 0 (at most once) or 1 (at least once). The service offers no QoS 2
    #[arg(long, default_value = "1", value_parser = parse_qos, help_heading = "Connection")]
    pub qos: i32,

    /// MQTT protocol version; auto tries 3.1.1, then 3.1
    #[arg(long, value_enum, default_value_t = MqttVersionArg::Auto, help_heading = "Connection")]
    pub mqtt_version: MqttVersionArg,

    /// Topic to subscribe to [default: users/APPID/devices]. The vendor's page names
    /// `/users/:APPID/devices` (leading slash) but its sample subscribes without the slash; these are
    /// different MQTT topics, and we follow the sample
    #[arg(long, value_name = "TOPIC", help_heading = "Connection")]
    pub topic: Option<String>,

    /// MQTT keepalive: how soon a silently dead connection is noticed (about 1.5x this)
    #[arg(long, value_name = "DUR", default_value = "30s", value_parser = parse_duration, help_heading = "Connection")]
    pub keepalive: Duration,

    /// After a lost connection, exit 3 if the broker stays unreachable this long [default: retry forever]
    #[arg(long, value_name = "DUR", value_parser = parse_duration, help_heading = "Connection")]
    pub give_up_after: Option<Duration>,

    #[command(flatten)]
    pub output: OutputArgs,

    /// ndjson/json: wrap each push as {"topic","qos","retained","dup","received_at","push"}
    #[arg(long, help_heading = "Output")]
    pub envelope: bool,

    #[command(flatten)]
    pub filter: FilterArgs,

    /// Exit 0 after printing N pushes
    #[arg(long, short = 'n', value_name = "N", value_parser = clap::value_parser!(u64).range(1..), help_heading = "Stopping")]
    pub count: Option<u64>,

    /// Exit 5 if no push is printed for DUR (e.g. 30s, 5m)
    #[arg(long, value_name = "DUR", value_parser = parse_duration, help_heading = "Stopping")]
    pub timeout: Option<Duration>,

    /// Exit 0 after DUR
    #[arg(long, value_name = "DUR", value_parser = parse_duration, help_heading = "Stopping")]
    pub duration: Option<Duration>,
}

#[derive(Args, Debug)]
pub struct DecodeArgs {
    /// NDJSON file of pushes, one per line [default: stdin]
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,

    /// AppID the safe-mode pushes must be encrypted for [default: each push's own appId]
    #[arg(long, env = "SENSORO_APP_ID", value_name = "ID", help_heading = "Credentials")]
    pub app_id: Option<String>,

    #[command(flatten)]
    pub safe_mode: SafeModeArgs,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub filter: FilterArgs,

    /// Stop after printing N pushes
    #[arg(long, short = 'n', value_name = "N", value_parser = clap::value_parser!(u64).range(1..), help_heading = "Stopping")]
    pub count: Option<u64>,
}

#[derive(Args, Debug)]
pub struct SafeModeArgs {
    /// AppKey (43 characters) to decrypt safe-mode pushes (`encryptData`)
    #[arg(long, env = "SENSORO_APP_KEY", hide_env_values = true, value_name = "KEY", help_heading = "Credentials")]
    pub app_key: Option<String>,
}

#[derive(Args, Debug)]
pub struct OutputArgs {
    /// Output format [default: pretty on a terminal, ndjson otherwise]
    #[arg(long, short = 'f', value_enum, help_heading = "Output")]
    pub format: Option<FormatArg>,

    /// When to color stdout and stderr (NO_COLOR in the environment means never, unless "always")
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN", help_heading = "Output")]
    pub color: ColorArg,

    /// Less status on stderr (errors, undecodable pushes and hard warnings only)
    #[arg(short, long, conflicts_with = "verbose", help_heading = "Output")]
    pub quiet: bool,

    /// More status on stderr (MQTT details; full payloads of undecodable pushes)
    #[arg(short, long, action = ArgAction::Count, help_heading = "Output")]
    pub verbose: u8,
}

#[derive(Args, Debug)]
pub struct FilterArgs {
    /// Only pushes from this device serial number (repeatable; case-insensitive)
    #[arg(long, value_name = "SN", help_heading = "Filters")]
    pub sn: Vec<String>,

    /// Only pushes of this deviceType (repeatable)
    #[arg(long, value_name = "TYPE", help_heading = "Filters")]
    pub device_type: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MqttVersionArg {
    Auto,
    #[value(name = "3.1")]
    V31,
    #[value(name = "3.1.1")]
    V311,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// One colored, readable line per push
    Pretty,
    /// One JSON object per line, exactly as the service sent it
    Ndjson,
    /// Indented JSON, colored on a terminal
    Json,
    /// Payload bytes as received, plus a newline
    Raw,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

fn parse_qos(text: &str) -> Result<i32, String> {
    match text.trim() {
        "0" => Ok(0),
        "1" => Ok(1),
        "2" => Err("the SENSORO service offers QoS 0 and 1 only; use --qos 1 for at-least-once delivery".into()),
        _ => Err("QoS must be 0 or 1".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn qos_2_is_refused_with_the_reason() {
        assert_eq!(parse_qos("1"), Ok(1));
        assert_eq!(parse_qos("0"), Ok(0));
        assert!(parse_qos("2").unwrap_err().contains("0 and 1"));
        assert!(parse_qos("x").is_err());
    }
}
