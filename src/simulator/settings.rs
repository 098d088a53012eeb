//! The simulator's own settings: plain values the config layer builds from the flags
//! (`config::simulator`), so that nothing here knows a flag.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::config::ViewConfig;
use crate::pipeline::safe_mode::AppKey;
use crate::status::StatusConfig;

use super::broker::Versions;

/// The simulated fleet of each AppID.
#[derive(Debug, Clone, Copy)]
pub struct FleetSettings {
    /// Devices per AppID.
    pub devices: usize,
    /// Pushes per second per AppID.
    pub rate: f64,
    /// The same seed makes the same fleet and readings.
    pub seed: u64,
}

/// `simulate`: serve a stand-in, or send one request to a running one.
#[derive(Debug)]
pub enum Simulate {
    Serve(StandIn),
    Control(ControlRequest),
}

/// A stand-in for the SENSORO cloud that `simulate` serves until it is stopped.
#[derive(Debug)]
pub struct StandIn {
    pub listen: SocketAddr,
    /// (AppID, AppSecret) of each account served, in order; the first is named in the hints.
    pub accounts: Vec<(String, String)>,
    /// Encrypts every account's pushes (safe mode).
    pub key: Option<AppKey>,
    pub fleet: FleetSettings,
    /// Stop publishing after this many pushes per AppID (the broker keeps serving).
    pub count: Option<u64>,
    pub versions: Versions,
    pub status: StatusConfig,
    /// The control socket to listen on.
    pub control: Option<PathBuf>,
}

/// One request to a running stand-in's control socket (`socket`).
#[derive(Debug)]
pub enum ControlRequest {
    /// Pushes, one JSON object per line, from `file` or stdin, to `app_id` (else the push's appId,
    /// else the first account).
    Publish { socket: PathBuf, app_id: Option<String>, file: Option<PathBuf> },
    /// The device's next pushes are alarms, the first published at once.
    Alarm { socket: PathBuf, sn: String },
    /// The device stops publishing, for `duration` or until the stand-in stops.
    Silence { socket: PathBuf, sn: String, duration: Option<Duration> },
}

/// `demo`: a stand-in on a free loopback port, and the subscriber connected to it.
#[derive(Debug)]
pub struct Demo {
    pub fleet: FleetSettings,
    /// The stand-in encrypts pushes with a throwaway AppKey, which the subscriber is given.
    pub safe_mode: bool,
    /// Draw the fleet as `watch` does instead of printing lines.
    #[cfg(feature = "watch")]
    pub watch: bool,
    /// How the subscriber prints.
    pub view: ViewConfig,
}
