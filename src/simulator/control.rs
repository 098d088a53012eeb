//! Controls for a running stand-in, so that durable sessions, decoding and `watch` can be tried on
//! purpose: `simulate --control PATH` listens on a Unix socket (mode 600) and
//! `sensoro-sub simulate publish|alarm|silence --control PATH ...` sends it one request, a line of
//! JSON, and prints its one-line answer.
//!
//! Requests: `{"publish": "<push JSON>", "app_id": null|"ID"}`, `{"alarm": "SN"}`,
//! `{"silence": "SN", "for_ms": null|N}`. Answers: `ok ...` or `error: ...`.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::Deserialize;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt};

use super::broker::Broker;
use super::fleet::SimulatedFleet;
use super::settings::ControlRequest;
use crate::exit::{Exit, Failure};
use crate::pipeline::safe_mode::AppKey;
use crate::status::Status;

/// The fleets, shared by the publisher and the control socket.
pub type Fleets = Arc<Mutex<Vec<(String, SimulatedFleet)>>>;

/// A request is one line; a push is small. Longer lines are refused, not buffered.
const REQUEST_LIMIT: u64 = 1 << 20;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    publish: Option<String>,
    app_id: Option<String>,
    alarm: Option<String>,
    silence: Option<String>,
    for_ms: Option<u64>,
}

/// Serves the control socket at `path` until the process ends. An old socket file there is replaced.
pub async fn serve(
    path: &Path,
    broker: Arc<Broker>,
    fleets: Fleets,
    key: Option<AppKey>,
    status: Status,
) -> anyhow::Result<()> {
    let _ = std::fs::remove_file(path);
    let listener = tokio::net::UnixListener::bind(path)
        .map_err(|e| Failure::usage(format!("cannot listen on --control {}: {e}", path.display())))?;
    std::fs::set_permissions(path, std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
    status.info(format_args!(
        "control socket {}: sensoro-sub simulate publish|alarm|silence --control {}",
        path.display(),
        path.display()
    ));
    loop {
        let (stream, _) = listener.accept().await?;
        let (broker, fleets, key, status) = (Arc::clone(&broker), Arc::clone(&fleets), key.clone(), status);
        tokio::spawn(async move {
            let (read, mut write) = stream.into_split();
            let mut line = String::new();
            let mut reader = tokio::io::BufReader::new(tokio::io::AsyncReadExt::take(read, REQUEST_LIMIT));
            let answer = match reader.read_line(&mut line).await {
                Ok(_) => answer(&line, &broker, &fleets, key.as_ref()).await,
                Err(e) => format!("error: cannot read the request: {e}"),
            };
            status.detail(format_args!("control: {}", answer.escape_debug()));
            let _ = write.write_all(format!("{answer}\n").as_bytes()).await;
        });
    }
}

async fn answer(line: &str, broker: &Broker, fleets: &Fleets, key: Option<&AppKey>) -> String {
    let request: Request = match serde_json::from_str(line) {
        Ok(request) => request,
        Err(e) => return format!("error: not a control request ({e})"),
    };
    let now_ms = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64);
    if let Some(payload) = request.publish {
        let app_id = {
            let fleets = fleets.lock().unwrap_or_else(|e| e.into_inner());
            let served: Vec<&str> = fleets.iter().map(|(id, _)| id.as_str()).collect();
            let named = request.app_id.clone().or_else(|| {
                serde_json::from_str::<serde_json::Value>(&payload)
                    .ok()
                    .and_then(|push| push.get("appId")?.as_str().map(str::to_owned))
                    .filter(|id| served.contains(&id.as_str()))
            });
            match named {
                Some(id) if served.contains(&id.as_str()) => id,
                Some(id) => return format!("error: AppID {id:?} is not served here (served: {})", served.join(", ")),
                None => served[0].to_owned(),
            }
        };
        return match broker.publish(&app_id, payload).await {
            Ok(()) => format!("ok published to users/{app_id}/devices"),
            Err(e) => format!("error: {e}"),
        };
    }
    let (sn, silence) = match (request.alarm, request.silence) {
        (Some(sn), None) => (sn, false),
        (None, Some(sn)) => (sn, true),
        _ => return "error: ask for one of publish, alarm or silence".to_owned(),
    };
    let found = {
        let mut fleets = fleets.lock().unwrap_or_else(|e| e.into_inner());
        fleets.iter_mut().find_map(|(app_id, fleet)| {
            let index = fleet.find(&sn)?;
            let described = fleet.describe(index);
            if silence {
                let until = request.for_ms.map(|ms| Instant::now() + Duration::from_millis(ms));
                fleet.silence(index, until);
                Some((app_id.clone(), described, None))
            } else {
                Some((app_id.clone(), described, Some(fleet.raise_alarm(index, now_ms, key))))
            }
        })
    };
    match found {
        None => format!("error: no device {sn:?} in the simulated fleet"),
        Some((_, described, None)) => match request.for_ms {
            Some(ms) => format!("ok {described} silenced for {}", crate::duration::display(Duration::from_millis(ms))),
            None => format!("ok {described} silenced until the stand-in stops"),
        },
        Some((app_id, described, Some(payload))) => match broker.publish(&app_id, payload).await {
            Ok(()) => format!("ok {described}: alarm raised and published"),
            Err(e) => format!("error: {e}"),
        },
    }
}

/// `sensoro-sub simulate publish|alarm|silence`: one request to a running stand-in.
pub fn send(request: ControlRequest) -> anyhow::Result<Exit> {
    let (socket, request) = match request {
        ControlRequest::Publish { socket, app_id, file } => {
            let mut text = String::new();
            match &file {
                Some(path) if path.as_os_str() != "-" => {
                    text = std::fs::read_to_string(path)
                        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
                }
                _ => {
                    std::io::stdin().read_to_string(&mut text).map_err(|e| Failure::usage(format!("stdin: {e}")))?;
                }
            }
            let pushes: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
            if pushes.is_empty() {
                return Err(
                    Failure::usage("no push to publish: give one JSON push per line, in FILE or on stdin").into()
                );
            }
            let mut last = Exit::Success;
            for push in pushes {
                let value: serde_json::Value = serde_json::from_str(push)
                    .map_err(|e| Failure::usage(format!("not a JSON push ({e}): {}", push.escape_debug())))?;
                // Sent as the user wrote it, compacted to one line.
                let request = json!({ "publish": value.to_string(), "app_id": app_id });
                last = exchange(&socket, &request)?;
            }
            return Ok(last);
        }
        ControlRequest::Alarm { socket, sn } => (socket, json!({ "alarm": sn })),
        ControlRequest::Silence { socket, sn, duration } => {
            (socket, json!({ "silence": sn, "for_ms": duration.map(|d| d.as_millis() as u64) }))
        }
    };
    exchange(&socket, &request)
}

fn exchange(socket: &Path, request: &serde_json::Value) -> anyhow::Result<Exit> {
    let mut stream = UnixStream::connect(socket).map_err(|e| {
        Failure::new(
            Exit::Unreachable,
            format!(
                "cannot reach the stand-in's control socket {}: {e}; is `sensoro-sub simulate --control {}` running?",
                socket.display(),
                socket.display()
            ),
        )
    })?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.write_all(format!("{request}\n").as_bytes())?;
    let mut answer = String::new();
    BufReader::new(stream.take(64 * 1024)).read_line(&mut answer)?;
    let answer = answer.trim_end();
    match answer.strip_prefix("error: ") {
        Some(error) => Err(Failure::usage(format!("the stand-in says: {}", error.escape_debug())).into()),
        None => {
            crate::commands::print(format!("{}\n", answer.escape_debug()).as_bytes())?;
            Ok(Exit::Success)
        }
    }
}
