//! A local stand-in for the SENSORO cloud: an embedded MQTT broker with the service's rules and a
//! simulated fleet publishing pushes of the service's exact shape. `simulate` runs it alone;
//! `demo` runs it and subscribes to it through the normal subscriber.

pub mod broker;
pub mod control;
pub mod fleet;

use std::io::BufRead;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;

use crate::cli::{DemoArgs, FleetArgs, SimulateArgs};
use crate::commands;
use crate::commands::subscribe::Ended;
use crate::config::{Config, Terminal, advice};
use crate::exit::{Exit, Failure};
use crate::mqtt::{ConnectionConfig, Identity, MqttVersion};
use crate::pipeline::Qos;
use crate::pipeline::safe_mode::{AppKey, SafeMode};
use crate::secret::Secret;
use crate::service;
use crate::status::{Status, StatusConfig, Verbosity};
use broker::{Accounts, Broker, Versions};
use fleet::Fleet;

/// Everything the publisher needs; one fleet per AppID.
struct Publishing {
    fleets: control::Fleets,
    key: Option<AppKey>,
    rate: f64,
    count: Option<u64>,
    sent: Arc<AtomicU64>,
}

/// Publishes each AppID's pushes at `rate` per second until `count` (per AppID) is reached.
async fn publish(broker: Arc<Broker>, plan: Publishing, status: Status) {
    // tokio's timer has millisecond resolution: above 1000/s, several pushes go out per tick.
    let period = Duration::from_secs_f64((1.0 / plan.rate).max(0.001));
    let per_tick = (plan.rate * period.as_secs_f64()).round().max(1.0) as u64;
    let mut ticks = tokio::time::interval(period);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut published = 0u64;
    loop {
        ticks.tick().await;
        for _ in 0..per_tick {
            if plan.count.is_some_and(|count| published >= count) {
                status.info(format_args!("published {published} pushes per AppID (--count); still serving"));
                return;
            }
            let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64);
            let payloads: Vec<(String, String)> = {
                let mut fleets = plan.fleets.lock().unwrap_or_else(|e| e.into_inner());
                fleets
                    .iter_mut()
                    .filter(|(_, fleet)| !fleet.all_silenced())
                    .map(|(app_id, fleet)| (app_id.clone(), fleet.next_payload(now, plan.key.as_ref())))
                    .collect()
            };
            for (app_id, payload) in payloads {
                if let Err(e) = broker.publish(&app_id, payload).await {
                    status.warn(e);
                }
                plan.sent.fetch_add(1, Ordering::Relaxed);
            }
            published += 1;
        }
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?)
}

fn seed(args: &FleetArgs) -> u64 {
    args.seed.unwrap_or_else(|| fastrand::u64(..))
}

/// `sensoro-sub simulate`: serve until Ctrl-C or SIGTERM.
pub fn simulate(args: SimulateArgs) -> anyhow::Result<Exit> {
    if let Some(action) = args.action {
        return control::send(action);
    }
    let accounts = accounts(&args)?;
    let key = args.app_key.as_deref().map(stand_in_key).transpose()?;
    let verbosity = if args.verbose { Verbosity::Verbose } else { Verbosity::Normal };
    let terminal = Terminal::detect();
    let status = Status::new(StatusConfig { verbosity, color: terminal.stderr_auto_color() });
    let seed = seed(&args.fleet);
    let fleets: control::Fleets = Arc::new(std::sync::Mutex::new(
        accounts
            .iter()
            .map(|(id, _)| (id.clone(), Fleet::new(id, args.fleet.devices as usize, args.fleet.rate, seed)))
            .collect(),
    ));
    let sent = Arc::new(AtomicU64::new(0));
    let plan = Publishing {
        fleets: Arc::clone(&fleets),
        key: key.clone(),
        rate: args.fleet.rate,
        count: args.count,
        sent: Arc::clone(&sent),
    };
    let app_ids: Vec<String> = accounts.iter().map(|(id, _)| id.clone()).collect();
    let safe_mode = plan.key.is_some();
    let summary = format!(
        "AppID {}; {} devices and {}/s each{}; seed {seed}",
        app_ids.join(", "),
        args.fleet.devices,
        args.fleet.rate,
        if plan.key.is_some() { ", safe mode" } else { "" }
    );
    runtime()?.block_on(async move {
        let versions = if args.mqtt_3_1_only { Versions::Only31 } else { Versions::All };
        let broker = broker::start(args.listen, accounts.into_iter().collect(), versions, status)
            .await
            .map_err(|e| Failure::usage(format!("{e}: choose another --listen address")))?;
        status.info(format_args!("simulating the SENSORO push service on {}: {summary}", broker.address));
        status.info(format_args!(
            "connect with: sensoro-sub --host {} --app-id {} and that AppID's --app-secret (or SENSORO_APP_SECRET){}",
            broker.address,
            app_ids[0],
            if safe_mode { ", and --app-key with the same AppKey" } else { "" }
        ));
        let broker = Arc::new(broker);
        if let Some(path) = args.control.clone() {
            let (broker, status) = (Arc::clone(&broker), status);
            tokio::spawn(async move {
                if let Err(e) = control::serve(&path, broker, fleets, key, status).await {
                    status.error(format_args!("{e:#}"));
                }
            });
        }
        tokio::spawn(publish(broker, plan, status));
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
        if let Some(path) = &args.control {
            let _ = std::fs::remove_file(path);
        }
        status.info(format_args!("stopped after {} pushes", sent.load(Ordering::Relaxed)));
        Ok(Exit::Success)
    })
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

/// `sensoro-sub demo`: the stand-in on a free loopback port with throwaway credentials, and the
/// ordinary subscriber connected to it. The caller must honour [`Outcome::holding`].
pub fn demo(args: DemoArgs, terminal: Terminal) -> anyhow::Result<Ended> {
    #[cfg(feature = "watch")]
    if args.watch {
        // Not `sensoro-sub --format ndjson`: that would connect to the real cloud, not the demo.
        crate::config::needs_terminal(terminal, "sensoro-sub demo --format ndjson")?;
    }
    let app_id = "demo".to_owned();
    let secret = uuid::Uuid::new_v4().to_string();
    let key = args.safe_mode.then(|| {
        let mut bytes = [0u8; 32];
        bytes[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        bytes[16..].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        AppKey::parse(&STANDARD_NO_PAD.encode(bytes)).expect("32 bytes make an AppKey")
    });
    let quiet = Status::new(StatusConfig { verbosity: Verbosity::Quiet, color: false });
    let plan = Publishing {
        fleets: Arc::new(std::sync::Mutex::new(vec![(
            app_id.clone(),
            Fleet::new(&app_id, args.fleet.devices as usize, args.fleet.rate, seed(&args.fleet)),
        )])),
        key: key.clone(),
        rate: args.fleet.rate,
        count: None,
        sent: Arc::new(AtomicU64::new(0)),
    };
    let accounts: Accounts = [(app_id.clone(), secret.clone())].into_iter().collect();
    let (ready, address) = std::sync::mpsc::sync_channel(1);
    let runtime = runtime()?;
    // The stand-in runs on its own threads for the life of the process; the subscriber has the main one.
    std::thread::spawn(move || {
        runtime.block_on(async move {
            match broker::start("127.0.0.1:0".parse().expect("an address"), accounts, Versions::All, quiet).await {
                Ok(broker) => {
                    let _ = ready.send(Ok(broker.address));
                    publish(Arc::new(broker), plan, quiet).await;
                    std::future::pending::<()>().await;
                }
                Err(e) => {
                    let _ = ready.send(Err(e));
                }
            }
        })
    });
    let address = address
        .recv_timeout(Duration::from_secs(10))
        .map_err(|_| anyhow::anyhow!("the demo broker did not start within 10 s"))??;

    let connection = ConnectionConfig {
        host: address.ip().to_string(),
        port: address.port(),
        tls: None,
        app_id: app_id.clone(),
        app_secret: Secret::new(secret),
        identity: Identity::fresh(&app_id),
        qos: Qos::AtLeastOnce,
        mqtt_version: MqttVersion::Auto,
        topic: service::default_topic(&app_id),
        keepalive: Duration::from_secs(30),
        give_up_after: None,
    };
    let view = crate::config::ViewConfig::resolve(args.view, None, terminal)?;
    let config = Config::assemble(connection, SafeMode::new(Some(app_id), key), view);
    let status = Status::new(config.status);
    status.info(format_args!(
        "demo: a local stand-in for the SENSORO cloud on {address} ({} devices, {}/s{}); Ctrl-C stops",
        args.fleet.devices,
        args.fleet.rate,
        if args.safe_mode { ", safe mode" } else { "" }
    ));
    #[cfg(feature = "watch")]
    if args.watch {
        return crate::watch::run(&config, status).map(Ended::from);
    }
    Ok(commands::subscribe::run(&config, status)?)
}
