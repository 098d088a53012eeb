//! A local stand-in for the SENSORO cloud: an embedded MQTT broker with the service's rules and a
//! simulated fleet publishing pushes of the service's exact shape. `simulate` runs it alone;
//! `demo` runs it and subscribes to it through the normal subscriber.

pub mod broker;
pub mod control;
pub mod fleet;
pub mod settings;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;

use crate::commands;
use crate::config::Config;
use crate::exit::{Exit, Failure};
use crate::mqtt::{ConnectionConfig, Identity, MqttVersion, Outcome};
use crate::pipeline::Qos;
use crate::pipeline::safe_mode::{AppKey, SafeMode};
use crate::secret::Secret;
use crate::service;
use crate::status::{Status, StatusConfig, Verbosity};
use broker::{Accounts, Broker, Versions};
use fleet::SimulatedFleet;
use settings::{Demo, FleetSettings, Simulate, StandIn};

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

impl FleetSettings {
    fn fleet(&self, app_id: &str) -> SimulatedFleet {
        SimulatedFleet::new(app_id, self.devices, self.rate, self.seed)
    }
}

/// `sensoro-sub simulate`: serve until Ctrl-C or SIGTERM, or send a running stand-in one request.
pub fn simulate(settings: Simulate) -> anyhow::Result<Exit> {
    match settings {
        Simulate::Control(request) => control::send(request),
        Simulate::Serve(stand_in) => serve(stand_in),
    }
}

fn serve(settings: StandIn) -> anyhow::Result<Exit> {
    let StandIn { listen, accounts, key, fleet, count, versions, status, control } = settings;
    let status = Status::new(status);
    let seed = fleet.seed;
    let fleets: control::Fleets =
        Arc::new(std::sync::Mutex::new(accounts.iter().map(|(id, _)| (id.clone(), fleet.fleet(id))).collect()));
    let sent = Arc::new(AtomicU64::new(0));
    let plan =
        Publishing { fleets: Arc::clone(&fleets), key: key.clone(), rate: fleet.rate, count, sent: Arc::clone(&sent) };
    let app_ids: Vec<String> = accounts.iter().map(|(id, _)| id.clone()).collect();
    let safe_mode = plan.key.is_some();
    let summary = format!(
        "AppID {}; {} devices and {}/s each{}; seed {seed}",
        app_ids.join(", "),
        fleet.devices,
        fleet.rate,
        if plan.key.is_some() { ", safe mode" } else { "" }
    );
    runtime()?.block_on(async move {
        let broker = broker::start(listen, accounts.into_iter().collect(), versions, status)
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
        if let Some(path) = control.clone() {
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
        if let Some(path) = &control {
            let _ = std::fs::remove_file(path);
        }
        status.info(format_args!("stopped after {} pushes", sent.load(Ordering::Relaxed)));
        Ok(Exit::Success)
    })
}

/// `sensoro-sub demo`: the stand-in on a free loopback port with throwaway credentials, and the
/// ordinary subscriber connected to it. The caller must honour [`Outcome::held`].
pub fn demo(args: Demo) -> anyhow::Result<Outcome> {
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
        fleets: Arc::new(std::sync::Mutex::new(vec![(app_id.clone(), args.fleet.fleet(&app_id))])),
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
    let config = Config::assemble(connection, SafeMode::new(Some(app_id), key), args.view);
    let status = Status::new(config.status);
    status.info(format_args!(
        "demo: a local stand-in for the SENSORO cloud on {address} ({} devices, {}/s{}); Ctrl-C stops",
        args.fleet.devices,
        args.fleet.rate,
        if args.safe_mode { ", safe mode" } else { "" }
    ));
    #[cfg(feature = "watch")]
    if args.watch {
        return crate::watch::run(&config, status);
    }
    Ok(commands::subscribe::run(&config, status)?)
}
