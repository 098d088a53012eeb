//! Command-line flags, as the user types them. The config layer turns them into the settings each
//! part of the program owns; nothing below it sees these types.

use std::path::PathBuf;
use std::time::Duration;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

use crate::duration::{parse_duration, parse_keepalive};
use crate::exit::EXIT_CODES_HELP;

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

impl Cli {
    /// The `--color` the command line chose, for the one line `main` writes when a run fails; a
    /// command without the flag colors as `auto` would.
    pub fn color_choice(&self) -> ColorArg {
        match &self.command {
            None => self.subscribe.view.output.color,
            Some(Command::Decode(args)) => args.output.color,
            Some(Command::Check(args)) => args.color,
            #[cfg(feature = "watch")]
            Some(Command::Watch(args)) => args.color,
            #[cfg(feature = "simulator")]
            Some(Command::Demo(args)) => args.view.output.color,
            _ => ColorArg::Auto,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Decode pushes stored as NDJSON (a webhook log, a saved stream) with the same decode, filter
    /// and print pipeline as the live subscriber
    #[command(after_help = DECODE_EXAMPLES)]
    Decode(DecodeArgs),

    /// Check the set-up step by step: name lookup, TCP, MQTT login, subscription, and optionally
    /// one push. Uses a clean session with a fresh clientId, so it never takes pushes queued for --session
    #[command(after_help = CHECK_HELP)]
    Check(CheckArgs),

    /// Watch the fleet live: a full-screen table, one row per device (latest readings, battery, last
    /// seen, pushes), where alarms (the --alarm rules; by default leak, smoke, battery below 20 %, …)
    /// are red and silent devices are flagged. Like the subscriber, it takes the profile's session only
    /// when unfiltered (a viewer with --sn/--device-type uses a clean one). q quits
    #[cfg(feature = "watch")]
    #[command(after_help = WATCH_HELP)]
    Watch(WatchArgs),

    /// Run a local stand-in for the SENSORO cloud and watch it: a simulated fleet, an embedded
    /// broker with the service's rules, and this tool subscribed to it (--watch: as a live table).
    /// Ctrl-C stops both
    #[cfg(feature = "simulator")]
    Demo(DemoArgs),

    /// Run the stand-in for the SENSORO MQTT service alone, for other clients, jq pipelines and tests
    #[cfg(feature = "simulator")]
    #[command(after_help = SIMULATE_HELP, args_conflicts_with_subcommands = true)]
    Simulate(SimulateArgs),

    /// Durable sessions the broker keeps for this AppID
    #[command(subcommand)]
    Session(SessionCommand),

    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },

    /// Show the settings a command line resolves to (flags, environment, profile), secrets masked
    #[command(subcommand)]
    Config(ConfigCommand),
}

// Parsed once per run: the size of a variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
pub enum ConfigCommand {
    /// Print the resolved settings and where each comes from
    Show(ShowArgs),

    /// List the profile names in the config file, one per line (what shell completion offers for --profile)
    Profiles(ProfilesArgs),

    /// Set up a profile: AppID, AppSecret, optional AppKey and session from flags, the environment or
    /// questions on the terminal; the login is checked as `check` does, then the profile is written
    /// (mode 600). A login that fails writes nothing
    #[command(after_help = INIT_HELP)]
    Init(InitArgs),
}

const INIT_HELP: &str = "\
Examples:
  sensoro-sub config init                              asks for each value; writes the profile \"default\"
  sensoro-sub config init --profile prod --app-id foobar --app-secret-file secret.txt
  SENSORO_APP_SECRET=... sensoro-sub config init --app-id foobar --host 127.0.0.1:1883

Exit codes:
  0  the login was checked and the profile written
  2  bad flags, a value missing with no terminal to ask on, or the profile exists (--force)
  3  the broker could not be reached; nothing written
  4  the login or subscription was refused; nothing written";

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Name of the profile to write
    #[arg(long, default_value = "default", value_name = "NAME")]
    pub profile: String,

    /// Config file to put it in [default: ~/.config/sensoro-sub/config.toml]
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// AppID from the SENSORO console [default: asked]
    #[arg(long, env = "SENSORO_APP_ID", value_name = "ID")]
    pub app_id: Option<String>,

    /// AppSecret [default: asked, without echo]. Prefer the env var or --app-secret-file: flags are visible in `ps`
    #[arg(long, env = "SENSORO_APP_SECRET", hide_env_values = true, value_name = "SECRET")]
    pub app_secret: Option<String>,

    /// Read the AppSecret from this file (mode 600)
    #[arg(long, value_name = "PATH")]
    pub app_secret_file: Option<PathBuf>,

    /// AppKey for safe mode [default: asked on a terminal; none otherwise]
    #[arg(long, env = "SENSORO_APP_KEY", hide_env_values = true, value_name = "KEY")]
    pub app_key: Option<String>,

    /// Durable session name for a collector [default: asked on a terminal; none otherwise]
    #[arg(long, value_name = "NAME")]
    pub session: Option<String>,

    /// Broker host, HOST:PORT or URL, for a broker other than the SENSORO cloud (e.g. `simulate`)
    #[arg(long, env = "SENSORO_HOST", value_name = "HOST|URL")]
    pub host: Option<String>,

    /// Broker port, with --host
    #[arg(long, env = "SENSORO_PORT")]
    pub port: Option<u16>,

    /// Replace a profile of the same name
    #[arg(long)]
    pub force: bool,

    /// Write the profile without checking the login
    #[arg(long)]
    pub no_check: bool,

    /// When to color the check's report
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN")]
    pub color: ColorArg,
}

#[derive(Args, Debug)]
pub struct ProfilesArgs {
    /// Config file with [profiles.NAME] tables [default: ~/.config/sensoro-sub/config.toml]
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum SessionCommand {
    /// End a durable session that will not come back (a renamed instance, a finished experiment):
    /// connect once as APPID/NAME with a clean session, which makes the broker discard the session's
    /// subscription and every push it kept for it
    #[command(after_help = SESSION_CLEAR_HELP)]
    Clear(SessionClearArgs),
}

const SESSION_CLEAR_HELP: &str = "\
Stop whatever still runs with --session NAME first: connecting as APPID/NAME takes its connection over.

Example:
  sensoro-sub session clear old-collector --profile prod";

#[derive(Args, Debug)]
pub struct SessionClearArgs {
    /// The session's name, as given to --session (clientId APPID/NAME)
    #[arg(value_name = "NAME")]
    pub name: String,

    #[command(flatten)]
    pub account: AccountArgs,

    /// Broker host, HOST:PORT, or a URL: mqtt://HOST[:PORT], or mqtts://HOST[:PORT] for TLS
    /// [default: iot.sensoro.com]
    #[arg(long, value_name = "HOST|URL", env = "SENSORO_HOST", help_heading = "Connection")]
    pub host: Option<String>,

    /// Broker port [default: 1883, or 8883 with TLS]
    #[arg(long, env = "SENSORO_PORT", help_heading = "Connection")]
    pub port: Option<u16>,

    #[command(flatten)]
    pub tls: TlsArgs,

    /// MQTT protocol version; auto tries 3.1.1, then 3.1 if the broker refuses it (CONNACK 1) or hangs up
    #[arg(long, value_enum, default_value_t = MqttVersionArg::Auto, help_heading = "Connection")]
    pub mqtt_version: MqttVersionArg,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    #[command(flatten)]
    pub account: AccountArgs,

    #[command(flatten)]
    pub connection: ConnectionArgs,
}

#[cfg(feature = "watch")]
const WATCH_HELP: &str = "\
Keys: s cycles the sort (last seen, SN, type, battery); arrows, PgUp/PgDn, Home/End scroll;
/ filters by text (SN, type, readings, \"alarm\", \"silent\"; Enter keeps it, Esc clears it);
q, Esc or Ctrl-C quit (exit 0) and the summary is printed on stderr.
A device is silent when not heard from for more than twice its own interval.
stdout must be a terminal; for pipes and files use the default command with --format ndjson.

Example:
  sensoro-sub watch --profile prod
  sensoro-sub demo --watch                     try it on a simulated fleet";

/// `watch`: the subscriber's account, connection, safe-mode and filter flags, for a screen.
#[cfg(feature = "watch")]
#[derive(Args, Debug)]
pub struct WatchArgs {
    #[command(flatten)]
    pub account: AccountArgs,

    #[command(flatten)]
    pub connection: ConnectionArgs,

    #[command(flatten)]
    pub filter: FilterArgs,

    #[command(flatten)]
    pub alarm: AlarmRuleArgs,

    /// When to color the table (NO_COLOR in the environment means never, unless "always"); without
    /// colors, alarms and silent devices are shown in reverse video
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN")]
    pub color: ColorArg,
}

#[cfg(feature = "simulator")]
const SIMULATE_HELP: &str = "\
Rules, as the service's: username = AppID, password = AppSecret, clientId ^APPID(/[-_0-9a-zA-Z]{0,36})?$
(else CONNACK 5); only users/APPID/devices may be subscribed (else SUBACK 0x80); QoS 0 and 1;
durable sessions. Pushes go to users/APPID/devices at QoS 1. With --mqtt-3.1-only it is a 3.1-era
broker: a CONNECT of any other version gets CONNACK 1.

Example:
  sensoro-sub simulate --app-id foobar --app-secret s3cret --listen 127.0.0.1:1883 --control sim.sock &
  SENSORO_APP_SECRET=s3cret sensoro-sub --host 127.0.0.1 --app-id foobar
  sensoro-sub simulate alarm --control sim.sock SN   raise an alarm on device SN (SNs: in its pushes)
  sensoro-sub simulate silence --control sim.sock SN --for 1m
  echo '{\"sn\":\"X1\",\"deviceType\":\"smoke\",\"data\":{\"smoke\":1}}' | sensoro-sub simulate publish --control sim.sock";

/// How a simulated fleet reports: shared by `demo` and `simulate`.
#[cfg(feature = "simulator")]
#[derive(Args, Debug)]
pub struct FleetArgs {
    /// Devices per AppID
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=100_000), help_heading = "Simulated fleet")]
    pub devices: u32,

    /// Pushes per AppID, e.g. 5/s, 300/m, 0.5/s
    #[arg(long, default_value = "5/s", value_parser = parse_rate, help_heading = "Simulated fleet")]
    pub rate: f64,

    /// Seed for a reproducible fleet and readings [default: random]
    #[arg(long, help_heading = "Simulated fleet")]
    pub seed: Option<u64>,
}

#[cfg(feature = "simulator")]
#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Safe mode: the stand-in encrypts pushes and the subscriber decrypts them with a throwaway AppKey
    #[arg(long)]
    pub safe_mode: bool,

    /// Show the simulated fleet as `watch` does: a live full-screen table instead of lines
    #[cfg(feature = "watch")]
    #[arg(long, conflicts_with_all = ["format", "envelope", "quiet", "verbose", "alarms_only", "exit_on_alarm"])]
    pub watch: bool,

    #[command(flatten)]
    pub fleet: FleetArgs,

    #[command(flatten)]
    pub view: ViewArgs,
}

#[cfg(feature = "simulator")]
#[derive(Args, Debug)]
pub struct SimulateArgs {
    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1:1883", value_name = "ADDR")]
    pub listen: std::net::SocketAddr,

    /// AppID of an account to serve (repeatable; paired in order with --app-secret)
    #[arg(long = "app-id", value_name = "ID")]
    pub app_ids: Vec<String>,

    /// AppSecret of the account named by the --app-id in the same position
    #[arg(long = "app-secret", value_name = "SECRET")]
    pub app_secrets: Vec<String>,

    /// File of accounts, one "APPID APPSECRET" per line (# comments)
    #[arg(long, value_name = "PATH")]
    pub accounts: Option<PathBuf>,

    /// Encrypt pushes (safe mode) with this AppKey, for every account
    #[arg(long, value_name = "KEY")]
    pub app_key: Option<String>,

    #[command(flatten)]
    pub fleet: FleetArgs,

    /// Stop publishing after N pushes per AppID (the broker keeps serving)
    #[arg(long, short = 'n', value_name = "N")]
    pub count: Option<u64>,

    /// Behave as a 3.1-era broker: refuse MQTT 3.1.1 CONNECTs with CONNACK 1 (unacceptable protocol
    /// version), accept 3.1
    #[arg(long = "mqtt-3.1-only")]
    pub mqtt_3_1_only: bool,

    /// Log every login and subscription decision
    #[arg(short, long)]
    pub verbose: bool,

    /// Listen on this Unix socket (mode 600) for `simulate publish|alarm|silence --control PATH`
    #[arg(long, value_name = "PATH")]
    pub control: Option<PathBuf>,

    #[command(subcommand)]
    pub action: Option<SimulateControl>,
}

/// Controls for a stand-in started with `simulate --control PATH`.
#[cfg(feature = "simulator")]
#[derive(Subcommand, Debug)]
pub enum SimulateControl {
    /// Publish pushes given as JSON, one per line, from FILE or stdin, through a running stand-in
    /// (to the account named by --app-id, else the push's appId, else the first account)
    Publish {
        /// The running stand-in's control socket (its --control)
        #[arg(long, value_name = "PATH")]
        control: PathBuf,
        /// The account to publish to
        #[arg(long, value_name = "ID")]
        app_id: Option<String>,
        /// File of pushes, one JSON object per line [default: stdin]
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
    },

    /// Raise an alarm on a simulated device: its next pushes are alarms, the first published at once
    Alarm {
        /// The running stand-in's control socket (its --control)
        #[arg(long, value_name = "PATH")]
        control: PathBuf,
        /// The device's serial number
        sn: String,
    },

    /// Silence a simulated device (watch flags it silent after twice its interval)
    Silence {
        /// The running stand-in's control socket (its --control)
        #[arg(long, value_name = "PATH")]
        control: PathBuf,
        /// The device's serial number
        sn: String,
        /// For this long [default: until the stand-in stops]
        #[arg(long = "for", value_name = "DUR", value_parser = parse_duration)]
        duration: Option<Duration>,
    },
}

/// `5/s`, `300/m`, `0.5/s`, `2/h`, or a bare number per second.
#[cfg(feature = "simulator")]
pub fn parse_rate(text: &str) -> Result<f64, String> {
    let text = text.trim();
    let (number, per) = text.split_once('/').unwrap_or((text, "s"));
    let seconds = match per.trim() {
        "s" | "sec" => 1.0,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        other => return Err(format!("unknown unit {other:?}: use e.g. 5/s, 300/m or 2/h")),
    };
    let count: f64 = number.trim().parse().map_err(|_| format!("{text:?} is not a rate: use e.g. 5/s or 300/m"))?;
    let rate = count / seconds;
    // At least one push an hour: the time between pushes must fit a timer (1e-300/s used to panic).
    if !(rate.is_finite() && (1.0 / 3600.0..=100_000.0).contains(&rate)) {
        return Err("the rate must be at least 1/h and at most 100000/s".into());
    }
    Ok(rate)
}

const CHECK_HELP: &str = "\
Exit codes:
  0  all steps passed
  2  bad flags
  3  name lookup or TCP failed
  4  login or subscription refused
  5  no push within --timeout";

const DECODE_EXAMPLES: &str = "\
Examples:
  sensoro-sub decode webhook.ndjson             decrypt (with SENSORO_APP_KEY) and print a webhook log
  sensoro-sub -f raw -n 100 > saved.ndjson; sensoro-sub decode saved.ndjson -f pretty";

#[derive(Args, Debug)]
pub struct SubscribeArgs {
    #[command(flatten)]
    pub account: AccountArgs,

    #[command(flatten)]
    pub connection: ConnectionArgs,

    #[command(flatten)]
    pub view: ViewArgs,
}

/// What to print and when to stop: shared by the subscriber and `demo`.
#[derive(Args, Debug)]
pub struct ViewArgs {
    #[command(flatten)]
    pub output: OutputArgs,

    /// ndjson/json: wrap each push as {"topic","qos","retained","received_at","push","alarms"}
    #[arg(long, help_heading = "Output")]
    pub envelope: bool,

    /// Append the lines to PATH instead of stdout (created with mode 600 if missing), synced before a
    /// durable session acknowledges them; SIGHUP opens PATH anew (logrotate: rename, then HUP)
    #[arg(long = "output", short = 'o', value_name = "PATH", help_heading = "Output")]
    pub output_file: Option<PathBuf>,

    /// Do not sync the output file (--output, or stdout when it is a file) before acknowledging:
    /// faster, but a power cut can lose pushes the broker has already forgotten
    #[arg(long, help_heading = "Output")]
    pub no_sync: bool,

    /// Print QoS 1 redeliveries again. By default a push whose msgId is among the last 10,000
    /// printed is dropped and counted as a duplicate
    #[arg(long, help_heading = "Output")]
    pub no_dedupe: bool,

    #[command(flatten)]
    pub filter: FilterArgs,

    #[command(flatten)]
    pub alarms: AlarmArgs,

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
pub struct CheckArgs {
    #[command(flatten)]
    pub account: AccountArgs,

    #[command(flatten)]
    pub connection: ConnectionArgs,

    /// Also wait up to DUR for one push (exit 5 if none arrives)
    #[arg(long, value_name = "DUR", value_parser = parse_duration)]
    pub timeout: Option<Duration>,

    /// When to color the report
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN")]
    pub color: ColorArg,
}

/// Who we are: AppID, AppSecret, AppKey, from flags, the environment or a profile.
#[derive(Args, Debug)]
pub struct AccountArgs {
    /// Read AppID, AppSecret, AppKey, host, port, tls, cafile, session and alarms from this profile of the config file;
    /// flags and environment variables override it [default: the profile "default", if any]
    #[arg(long, env = "SENSORO_PROFILE", value_name = "NAME", help_heading = "Credentials")]
    pub profile: Option<String>,

    /// Config file with [profiles.NAME] tables [default: ~/.config/sensoro-sub/config.toml]
    #[arg(long, value_name = "PATH", help_heading = "Credentials")]
    pub config: Option<PathBuf>,

    /// AppID from the SENSORO console (MQTT username; part of clientId and topic)
    #[arg(long, env = "SENSORO_APP_ID", value_name = "ID", help_heading = "Credentials")]
    pub app_id: Option<String>,

    /// AppSecret (MQTT password). Prefer the env var, --app-secret-file or a profile: flags are visible in `ps`
    #[arg(
        long,
        env = "SENSORO_APP_SECRET",
        hide_env_values = true,
        value_name = "SECRET",
        help_heading = "Credentials"
    )]
    pub app_secret: Option<String>,

    /// Read the AppSecret from this file (trailing newline ignored); wins over SENSORO_APP_SECRET
    #[arg(long, value_name = "PATH", help_heading = "Credentials")]
    pub app_secret_file: Option<PathBuf>,

    #[command(flatten)]
    pub safe_mode: SafeModeArgs,

    /// Which of this command's values came from the environment rather than a flag: clap merges the
    /// two, and the config layer ranks them (flag > environment > profile) and names them.
    #[arg(skip)]
    pub from_env: FromEnv,
}

/// The ids of the arguments (`app_secret`, `port`, ...) whose value clap took from an environment
/// variable. Filled by [`Cli::note_environment`].
#[derive(Debug, Default, Clone)]
pub struct FromEnv(Vec<String>);

impl FromEnv {
    pub fn has(&self, id: &str) -> bool {
        self.0.iter().any(|known| known == id)
    }
}

impl Cli {
    /// Records in the command's `AccountArgs` which values came from the environment (`matches` is
    /// what these flags were parsed from).
    pub fn note_environment(&mut self, matches: &clap::ArgMatches) {
        let mut leaf = matches;
        while let Some((_, sub)) = leaf.subcommand() {
            leaf = sub;
        }
        let from_env = FromEnv(
            leaf.ids()
                .filter(|id| leaf.value_source(id.as_str()) == Some(clap::parser::ValueSource::EnvVariable))
                .map(|id| id.as_str().to_owned())
                .collect(),
        );
        let account = match &mut self.command {
            None => &mut self.subscribe.account,
            Some(Command::Check(args)) => &mut args.account,
            #[cfg(feature = "watch")]
            Some(Command::Watch(args)) => &mut args.account,
            Some(Command::Config(ConfigCommand::Show(args))) => &mut args.account,
            _ => return,
        };
        account.from_env = from_env;
    }
}

/// Where and how to connect.
#[derive(Args, Debug)]
pub struct ConnectionArgs {
    /// Broker host, HOST:PORT, or a URL: mqtt://HOST[:PORT], or mqtts://HOST[:PORT] for TLS
    /// [default: iot.sensoro.com]
    #[arg(long, value_name = "HOST|URL", env = "SENSORO_HOST", help_heading = "Connection")]
    pub host: Option<String>,

    /// Broker port [default: 1883, or 8883 with TLS]
    #[arg(long, env = "SENSORO_PORT", help_heading = "Connection")]
    pub port: Option<u16>,

    #[command(flatten)]
    pub tls: TlsArgs,

    /// MQTT clientId; must match ^APPID(/[-_0-9a-zA-Z]{0,36})?$ [default: APPID/<random uuid>]
    #[arg(long, value_name = "ID", conflicts_with = "session", help_heading = "Connection")]
    pub client_id: Option<String>,

    /// Durable session: clientId APPID/NAME, clean session off, so QoS 1 pushes sent while this tool
    /// is stopped arrive on the next run with the same NAME. One process at a time: taken over twice
    /// in a row by another client with that clientId, a run exits 4. A profile's session is taken
    /// only by a run with no --count/--timeout/--duration/--sn/--device-type
    #[arg(long, value_name = "NAME", help_heading = "Connection")]
    pub session: Option<String>,

    /// Subscription QoS: 0 (at most once) or 1 (at least once). The service offers no QoS 2
    #[arg(long, default_value = "1", value_parser = parse_qos, help_heading = "Connection")]
    pub qos: QosArg,

    /// MQTT protocol version; auto tries 3.1.1, then 3.1 if the broker refuses it (CONNACK 1) or hangs up
    #[arg(long, value_enum, default_value_t = MqttVersionArg::Auto, help_heading = "Connection")]
    pub mqtt_version: MqttVersionArg,

    /// Topic to subscribe to [default: users/APPID/devices]. The vendor's page names
    /// `/users/:APPID/devices` (leading slash) but its sample subscribes without the slash; these are
    /// different MQTT topics, and we follow the sample
    #[arg(long, value_name = "TOPIC", help_heading = "Connection")]
    pub topic: Option<String>,

    /// MQTT keepalive: a silently dead connection is noticed within 1.5x this (at most 65535s)
    #[arg(long, value_name = "DUR", default_value = "30s", value_parser = parse_keepalive, help_heading = "Connection")]
    pub keepalive: Duration,

    /// After a lost connection, exit 3 if the broker stays unreachable this long [default: retry forever]
    #[arg(long, value_name = "DUR", value_parser = parse_duration, help_heading = "Connection")]
    pub give_up_after: Option<Duration>,
}

/// TLS to the broker: on with --tls, --cafile or an mqtts:// --host.
#[derive(Args, Debug)]
pub struct TlsArgs {
    /// Connect over TLS; the broker's certificate and host name are verified
    #[arg(long, help_heading = "Connection")]
    pub tls: bool,

    /// PEM file of the CA certificates that vouch for the broker, instead of the system's store;
    /// implies --tls
    #[arg(long, value_name = "FILE", env = "SENSORO_CAFILE", help_heading = "Connection")]
    pub cafile: Option<PathBuf>,

    /// TLS without checking the certificate or host name (still encrypted, but anyone on the path can
    /// pose as the broker and read the AppSecret); for test brokers only
    #[arg(long, help_heading = "Connection")]
    pub insecure: bool,
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

    #[command(flatten)]
    pub alarms: AlarmArgs,

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

/// The alarm rules, for every command that shows readings.
#[derive(Args, Debug, Default)]
pub struct AlarmRuleArgs {
    /// Alarm rule (repeatable): KEY (true or not 0), KEY>N, KEY>=N, KEY<N, KEY<=N, KEY==V, KEY!=V;
    /// -KEY drops KEY's default rules, none drops them all. Added to the defaults (leak, smoke and the
    /// other detectors, battery<20, temperature>50, ch4>=1000); a rule on a reading replaces its
    /// defaults. Given, it is used instead of a profile's `alarms`
    #[arg(long = "alarm", value_name = "RULE", allow_hyphen_values = true, help_heading = "Alarms")]
    pub rules: Vec<String>,
}

/// The alarm rules and what alarms do to a run of pushes.
#[derive(Args, Debug, Default)]
pub struct AlarmArgs {
    #[command(flatten)]
    pub rules: AlarmRuleArgs,

    /// Print only pushes with at least one alarm (the others count as filtered)
    #[arg(long, help_heading = "Alarms")]
    pub alarms_only: bool,

    /// Exit 6 after printing the first push with an alarm: run until something is wrong
    #[arg(long, help_heading = "Alarms")]
    pub exit_on_alarm: bool,
}

/// `--qos`: parsed by hand rather than as a value enum, so that 2 gets its own explanation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QosArg {
    Zero,
    One,
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

fn parse_qos(text: &str) -> Result<QosArg, String> {
    match text.trim() {
        "0" => Ok(QosArg::Zero),
        "1" => Ok(QosArg::One),
        "2" => Err("the SENSORO service offers QoS 0 and 1 only; use --qos 1 for at-least-once delivery".into()),
        _ => Err("QoS must be 0 or 1".into()),
    }
}

/// The secret flags (`--app-secret`, `--app-key`) typed on the command line of the command that
/// runs, rather than taken from the environment: they are then visible to other users in `ps`.
pub fn secrets_on_command_line(matches: &clap::ArgMatches) -> Vec<&'static str> {
    let mut leaf = matches;
    while let Some((_, sub)) = leaf.subcommand() {
        leaf = sub;
    }
    [("app_secret", "--app-secret"), ("app_key", "--app-key")]
        .into_iter()
        .filter(|(id, _)| {
            leaf.ids().any(|known| known == id) && leaf.value_source(id) == Some(clap::parser::ValueSource::CommandLine)
        })
        .map(|(_, flag)| flag)
        .collect()
}

/// The man pages (docs/man/), generated from the same definition as `--help`. Only the test that
/// keeps docs/man/ in step needs them (`scripts/generate` rewrites the files through it), so they
/// are built for tests only: the binary carries no roff writer.
#[cfg(test)]
pub mod man {
    use super::*;

    /// The man pages, generated from the same definition as `--help` and kept in docs/man/: one for
    /// the tool and one per subcommand (`sensoro-sub-watch.1`, `sensoro-sub-config-show.1`, ...), as
    /// git and ripgrep have them. Returns (file name, page).
    pub fn man_pages() -> Vec<(String, Vec<u8>)> {
        use clap::CommandFactory;
        fn collect(command: &clap::Command, pages: &mut Vec<(String, Vec<u8>)>) {
            pages.push(man_page_of(command));
            for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
                collect(sub, pages);
            }
        }
        let mut command = Cli::command().disable_help_subcommand(true);
        command.build();
        let mut pages = Vec::new();
        collect(&command, &mut pages);
        pages
    }

    /// One page: clap_mangen's sections, with the `--help` epilogue laid out as roff items instead of
    /// reflowed text (EXAMPLES and EXIT STATUS as `.TP` items, other notes as paragraphs), and the
    /// environment variables the command reads.
    fn man_page_of(command: &clap::Command) -> (String, Vec<u8>) {
        let epilogue = command.get_after_help().map(|text| text.to_string()).unwrap_or_default();
        let stripped = command.clone().after_help(None::<&str>).after_long_help(None::<&str>);
        let man = clap_mangen::Man::new(stripped);
        let name = man.get_filename();
        let mut page = Vec::new();
        man.render(&mut page).expect("rendering into memory cannot fail");
        page.extend_from_slice(epilogue_sections(&epilogue).as_bytes());
        page.extend_from_slice(environment_section(command).as_bytes());
        (name, page)
    }

    fn roff_escape(text: &str) -> String {
        let text = text.replace('\\', "\\\\").replace('-', "\\-");
        // A line that starts with '.' or '\'' would be a roff request.
        if text.starts_with('.') || text.starts_with('\'') { format!("\\&{text}") } else { text }
    }

    /// The `--help` epilogue (paragraphs that start with "Examples:", "Exit codes:", or notes) as man
    /// sections. An item is `  COMMAND   what it does` (two or more spaces apart) or `  COMMAND`.
    fn epilogue_sections(epilogue: &str) -> String {
        let mut examples = String::new();
        let mut exit_codes = String::new();
        let mut notes = String::new();
        for paragraph in epilogue.split("\n\n") {
            let mut lines = paragraph.lines();
            let Some(first) = lines.next() else { continue };
            let (heading, rest) = first.split_once(':').unwrap_or(("", first));
            let list = match heading {
                "Examples" | "Example" => &mut examples,
                "Exit codes" => &mut exit_codes,
                _ => {
                    notes.push_str(".PP\n");
                    for line in paragraph.lines() {
                        notes.push_str(&roff_escape(line.trim()));
                        notes.push('\n');
                    }
                    continue;
                }
            };
            let items = std::iter::once(rest).chain(lines).map(str::trim).filter(|line| !line.is_empty());
            for item in items {
                match item.split_once("  ") {
                    Some((what, meaning)) => {
                        list.push_str(&format!(
                            ".TP\n\\fB{}\\fR\n{}\n",
                            roff_escape(what),
                            roff_escape(meaning.trim())
                        ));
                    }
                    None => list.push_str(&format!(".TP\n\\fB{}\\fR\n.br\n", roff_escape(item))),
                }
            }
        }
        let mut sections = String::new();
        for (title, body) in [("NOTES", notes), ("EXAMPLES", examples), ("EXIT STATUS", exit_codes)] {
            if !body.is_empty() {
                sections.push_str(&format!(".SH \"{title}\"\n{body}"));
            }
        }
        sections
    }

    /// clap_mangen leaves out the environment variables that flags read; systemd and cron users need them.
    fn environment_section(command: &clap::Command) -> String {
        let escape = |text: &str| text.replace('\\', "\\\\").replace('-', "\\-");
        if command.get_arguments().all(|arg| arg.get_env().is_none()) {
            return String::new();
        }
        let mut section = String::from(".SH ENVIRONMENT\n");
        let mut entry = |name: &str, text: &str| {
            section.push_str(&format!(".TP\n\\fB{}\\fR\n{}\n", escape(name), escape(text)));
        };
        for arg in command.get_arguments() {
            let (Some(env), Some(long)) = (arg.get_env(), arg.get_long()) else { continue };
            let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            entry(&env.to_string_lossy(), &format!("as --{long}: {}", help.lines().next().unwrap_or_default()));
        }
        entry("NO_COLOR", "set and not empty: no colors, unless --color always");
        entry("XDG_CONFIG_HOME", "where the profiles file is looked for: $XDG_CONFIG_HOME/sensoro-sub/config.toml");
        entry(
            "CREDENTIALS_DIRECTORY",
            "set by systemd (LoadCredential=, as in sensoro-sub@.service): a profiles file in it may show group read \
             bits (the ACL systemd grants the service user); elsewhere a file with secrets must be mode 600",
        );
        section
    }
}

/// A completion script for `shell`, as `sensoro-sub completions SHELL` prints it: clap_complete's,
/// corrected where it is wrong for us and taught the profile names.
pub fn completion_script(shell: clap_complete::Shell) -> Vec<u8> {
    use clap::CommandFactory;
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "sensoro-sub", &mut script);
    let script = String::from_utf8(script).expect("clap_complete writes UTF-8");
    match shell {
        clap_complete::Shell::Bash => bash_completion(&script),
        clap_complete::Shell::Zsh => zsh_completion(&script),
        clap_complete::Shell::Fish => fish_completion(&script),
        _ => script,
    }
    .into_bytes()
}

/// clap_complete 4.6.11's bash script names each subcommand's `case` arm after the binary name with
/// its hyphen replaced twice over (`sensoro__subcmd__sub__subcmd__demo`) while the dispatch loop
/// builds `sensoro__sub__subcmd__demo`, so nothing after a subcommand completed (clap-rs/clap #6421,
/// #6529; fixes not released). We correct the arms, and complete `--profile` with the names that
/// `config profiles` lists (from the `--config` on the line, if any) instead of file names.
fn bash_completion(script: &str) -> String {
    const FILES: &str = "--profile)\n                    COMPREPLY=($(compgen -f \"${cur}\"))";
    const NAMES: &str =
        "--profile)\n                    COMPREPLY=($(compgen -W \"$(_sensoro__sub_profiles)\" -- \"${cur}\"))";
    const HELPER: &str = r#"# The profile names in the config file (the --config given on the line, else the default one).
_sensoro__sub_profiles() {
    local i config=()
    for ((i = 1; i < COMP_CWORD; i++)); do
        if [[ ${COMP_WORDS[i]} == --config ]]; then
            config=(--config "${COMP_WORDS[i + 1]}")
        elif [[ ${COMP_WORDS[i]} == --config=* ]]; then
            config=(--config "${COMP_WORDS[i]#--config=}")
        fi
    done
    "${COMP_WORDS[0]}" config profiles "${config[@]}" 2>/dev/null
}

"#;
    let fixed = script.replace("sensoro__subcmd__sub__subcmd__", "sensoro__sub__subcmd__").replace(FILES, NAMES);
    format!("{HELPER}{fixed}")
}

/// zsh: `--profile` completes the profile names (`config profiles`, with the line's `--config`).
fn zsh_completion(script: &str) -> String {
    const HELPER: &str = r#"# The profile names in the config file (the --config given on the line, else the default one).
_sensoro-sub_profiles() {
    local -a names config
    [[ -n ${opt_args[--config]} ]] && config=(--config ${(Q)opt_args[--config]})
    names=(${(f)"$(${words[1]} config profiles $config 2>/dev/null)"})
    compadd -a names
}

"#;
    let lines: Vec<String> = script
        .lines()
        .map(|line| match line.strip_suffix(":NAME:_default' \\") {
            Some(start) if line.starts_with("'--profile=[") => format!("{start}:NAME:_sensoro-sub_profiles' \\"),
            _ => line.to_owned(),
        })
        .collect();
    let body = lines.join("\n") + "\n";
    body.replacen("autoload -U is-at-least\n", &format!("autoload -U is-at-least\n\n{HELPER}"), 1)
}

/// fish: `--profile` completes the profile names (`config profiles`), not file names. And the
/// check "no subcommand yet" no longer fails while a top-level option waits for the value being
/// completed (clap_complete runs fish's argparse on the words so far, and `--profile` alone is an
/// error there), so `sensoro-sub --profile <TAB>` offers the names, not files.
fn fish_completion(script: &str) -> String {
    const CHECK: &str = "    argparse -s (__fish_sensoro_sub_global_optspecs) -- $cmd 2>/dev/null\n    or return\n";
    const FORGIVING: &str = "    argparse -s (__fish_sensoro_sub_global_optspecs) -- $cmd 2>/dev/null\n    \
                             or argparse -s (__fish_sensoro_sub_global_optspecs) -- $cmd[1..-2] 2>/dev/null\n    \
                             or return\n";
    let script = script.replacen(CHECK, FORGIVING, 1);
    let lines: Vec<String> = script
        .lines()
        .map(|line| {
            if line.contains(" -l profile ") && line.ends_with(" -r") {
                format!("{line} -f -a \"(sensoro-sub config profiles 2>/dev/null)\"")
            } else {
                line.to_owned()
            }
        })
        .collect();
    lines.join("\n") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    /// A file of the repository, for the committed files the CLI generates.
    fn repo(path: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
    }

    /// Compares a generated file with the committed one; `SENSORO_SUB_REGENERATE=1` (what
    /// `scripts/generate` sets) rewrites it instead.
    fn assert_committed(path: &str, generated: &[u8]) {
        let file = repo(path);
        if std::env::var_os("SENSORO_SUB_REGENERATE").is_some() {
            std::fs::write(&file, generated).unwrap();
            return;
        }
        let committed = std::fs::read(&file).unwrap_or_default();
        assert!(committed == generated, "{path} has drifted from the CLI: run scripts/generate and commit the result");
    }

    #[test]
    #[cfg_attr(
        not(all(feature = "simulator", feature = "watch")),
        ignore = "the committed files describe the default build"
    )]
    fn committed_completions_match_the_cli() {
        use clap_complete::Shell;
        for (shell, file) in [
            (Shell::Bash, "sensoro-sub.bash"),
            (Shell::Zsh, "_sensoro-sub"),
            (Shell::Fish, "sensoro-sub.fish"),
            (Shell::PowerShell, "_sensoro-sub.ps1"),
            (Shell::Elvish, "sensoro-sub.elv"),
        ] {
            let script = completion_script(shell);
            for needle in ["app-id", "session", "decode", "check"] {
                assert!(String::from_utf8_lossy(&script).contains(needle), "{shell} completion lacks {needle}");
            }
            assert_committed(&format!("completions/{file}"), &script);
        }
    }

    #[test]
    #[cfg_attr(
        not(all(feature = "simulator", feature = "watch")),
        ignore = "the committed files describe the default build"
    )]
    fn committed_man_pages_match_the_cli() {
        let pages = man::man_pages();
        let names: Vec<&str> = pages.iter().map(|(name, _)| name.as_str()).collect();
        for name in ["sensoro-sub.1", "sensoro-sub-watch.1", "sensoro-sub-check.1", "sensoro-sub-config-show.1"] {
            assert!(names.contains(&name), "{name} in {names:?}");
        }
        let page = |name: &str| String::from_utf8_lossy(&pages.iter().find(|(n, _)| n == name).unwrap().1).into_owned();
        let root = page("sensoro-sub.1");
        assert!(root.contains(".TH sensoro-sub") && root.contains("app\\-secret\\-file"), "a man page");
        assert!(root.contains(".SH ENVIRONMENT") && root.contains("SENSORO_APP_SECRET"), "with the environment");
        // Every page the SUBCOMMANDS sections cite exists.
        for (name, text) in &pages {
            for cited in String::from_utf8_lossy(text).lines().filter(|l| l.ends_with("(1)")) {
                let file = format!("{}.1", cited.trim_end_matches("(1)").replace("\\-", "-"));
                assert!(names.contains(&file.as_str()), "{name} cites {cited}, which is not generated");
            }
        }
        // Subcommands' own options are on their pages; examples and exit codes are items, not reflowed text.
        assert!(page("sensoro-sub-demo.1").contains("\\-\\-watch"));
        assert!(page("sensoro-sub-simulate.1").contains("\\-\\-listen"));
        let check = page("sensoro-sub-check.1");
        assert!(
            check.contains("\\-\\-timeout") && check.contains(".SH \"EXIT STATUS\"\n.TP\n\\fB0\\fR\nall steps passed")
        );
        assert!(
            root.contains(".SH \"EXAMPLES\"\n") && root.contains(".TP\n\\fBsensoro\\-sub | jq .data.temperature\\fR\n")
        );
        assert!(!root.contains(".SH EXTRA"), "no reflowed epilogue");

        let dir = repo("docs/man");
        if std::env::var_os("SENSORO_SUB_REGENERATE").is_some() {
            std::fs::create_dir_all(&dir).unwrap();
            for stale in std::fs::read_dir(&dir).unwrap() {
                std::fs::remove_file(stale.unwrap().path()).unwrap();
            }
        }
        for (name, text) in &pages {
            assert_committed(&format!("docs/man/{name}"), text);
        }
        let committed: Vec<String> =
            std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        for file in committed {
            assert!(names.contains(&file.as_str()), "docs/man/{file} is not generated any more: run scripts/generate");
        }
    }

    #[cfg(feature = "simulator")]
    #[test]
    fn rates_take_units() {
        assert_eq!(parse_rate("5/s"), Ok(5.0));
        assert_eq!(parse_rate("300/m"), Ok(5.0));
        assert_eq!(parse_rate("7"), Ok(7.0));
        assert_eq!(parse_rate("0.5/s"), Ok(0.5));
        assert!(parse_rate("0/s").is_err());
        assert_eq!(parse_rate("1/h"), Ok(1.0 / 3600.0));
        assert!(parse_rate("1e-300/s").unwrap_err().contains("at least 1/h"));
        assert!(parse_rate("0.5/h").is_err());
        assert!(parse_rate("5/d").unwrap_err().contains("unknown unit"));
        assert!(parse_rate("fast").is_err());
    }

    #[test]
    fn qos_2_is_refused_with_the_reason() {
        assert_eq!(parse_qos("1"), Ok(QosArg::One));
        assert_eq!(parse_qos("0"), Ok(QosArg::Zero));
        assert!(parse_qos("2").unwrap_err().contains("0 and 1"));
        assert!(parse_qos("x").is_err());
    }
}
