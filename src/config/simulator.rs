//! `simulate` and `demo`: the simulator's settings (`simulator::settings`) from the flags.

use std::io::BufRead;

use crate::cli::{DemoArgs, FleetArgs, SimulateArgs, SimulateControl};
use crate::exit::Failure;
use crate::pipeline::safe_mode::AppKey;
use crate::service;
use crate::simulator::broker::Versions;
use crate::simulator::settings::{ControlRequest, Demo, FleetSettings, Simulate, StandIn};
use crate::status::{StatusConfig, Verbosity};

use super::{Terminal, ViewConfig, advice};

/// `sensoro-sub simulate`: a request to a running stand-in, or a stand-in to serve.
pub fn simulate(args: SimulateArgs, terminal: Terminal) -> Result<Simulate, Failure> {
    if let Some(action) = args.action {
        return Ok(Simulate::Control(control_request(action)));
    }
    let accounts = accounts(&args)?;
    let key = args.app_key.as_deref().map(stand_in_key).transpose()?;
    let verbosity = if args.verbose { Verbosity::Verbose } else { Verbosity::Normal };
    Ok(Simulate::Serve(StandIn {
        listen: args.listen,
        accounts,
        key,
        fleet: fleet(&args.fleet),
        count: args.count,
        versions: if args.mqtt_3_1_only { Versions::Only31 } else { Versions::All },
        status: StatusConfig { verbosity, color: terminal.stderr_auto_color() },
        control: args.control,
    }))
}

/// `sensoro-sub demo`: the fleet, and how its subscriber shows the pushes.
pub fn demo(args: DemoArgs, terminal: Terminal) -> Result<Demo, Failure> {
    #[cfg(feature = "watch")]
    if args.watch {
        // Not `sensoro-sub --format ndjson`: that would connect to the real cloud, not the demo.
        super::needs_terminal(terminal, "sensoro-sub demo --format ndjson")?;
    }
    Ok(Demo {
        fleet: fleet(&args.fleet),
        safe_mode: args.safe_mode,
        #[cfg(feature = "watch")]
        watch: args.watch,
        view: ViewConfig::resolve(args.view, None, terminal)?,
    })
}

/// No `--seed`: a fleet of its own each run.
fn fleet(args: &FleetArgs) -> FleetSettings {
    FleetSettings {
        devices: args.devices as usize,
        rate: args.rate,
        seed: args.seed.unwrap_or_else(|| fastrand::u64(..)),
    }
}

fn control_request(action: SimulateControl) -> ControlRequest {
    match action {
        SimulateControl::Publish { control, app_id, file } => ControlRequest::Publish { socket: control, app_id, file },
        SimulateControl::Alarm { control, sn } => ControlRequest::Alarm { socket: control, sn },
        SimulateControl::Silence { control, sn, duration } => ControlRequest::Silence { socket: control, sn, duration },
    }
}

/// `simulate --app-key`: there is no SENSORO console for a stand-in, so the fix says how to make a key.
fn stand_in_key(text: &str) -> Result<AppKey, Failure> {
    AppKey::parse(text).map_err(|why| {
        Failure::usage(format!(
            "--app-key is not a valid AppKey: {why}; the stand-in takes any 32 bytes in base64 without the \
             trailing '=' (43 characters), e.g. --app-key \"$(openssl rand -base64 32 | tr -d =)\", and the \
             subscriber needs the same key"
        ))
    })
}

/// The accounts from `--app-id`/`--app-secret` pairs and `--accounts FILE`, in order.
fn accounts(args: &SimulateArgs) -> Result<Vec<(String, String)>, Failure> {
    if args.app_ids.len() != args.app_secrets.len() {
        return Err(Failure::usage(format!(
            "{} --app-id but {} --app-secret: give one --app-secret after each --app-id",
            args.app_ids.len(),
            args.app_secrets.len()
        )));
    }
    let mut accounts: Vec<(String, String)> =
        args.app_ids.iter().cloned().zip(args.app_secrets.iter().cloned()).collect();
    if let Some(path) = &args.accounts {
        let file = std::fs::File::open(path)
            .map_err(|e| Failure::usage(format!("cannot read --accounts {}: {e}", path.display())))?;
        for (number, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line.map_err(|e| Failure::usage(format!("cannot read --accounts {}: {e}", path.display())))?;
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let mut words = line.split_whitespace();
            match (words.next(), words.next(), words.next()) {
                (Some(id), Some(secret), None) => accounts.push((id.to_owned(), secret.to_owned())),
                _ => {
                    return Err(Failure::usage(format!(
                        "{}:{}: expected \"APPID APPSECRET\"",
                        path.display(),
                        number + 1
                    )));
                }
            }
        }
    }
    if accounts.is_empty() {
        return Err(Failure::usage("no account to serve: pass --app-id ID --app-secret SECRET (or --accounts FILE)"));
    }
    for (app_id, _) in &accounts {
        service::check_app_id(app_id).map_err(advice::app_id)?;
    }
    Ok(accounts)
}
