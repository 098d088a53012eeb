//! `sensoro-sub session clear NAME`: end a durable session the broker keeps, by connecting once as
//! its clientId with a clean session (MQTT 3.1.1: the broker then discards the session it had).

use std::time::Duration;

use crate::config::advice;
use crate::exit::Exit;
use crate::mqtt::{ConnectionConfig, Probe};

const MQTT_TIMEOUT: Duration = Duration::from_secs(15);

/// Connects as `c` (a clean session under `APPID/NAME`), disconnects, and says what it did.
pub fn clear(c: &ConnectionConfig) -> anyhow::Result<Exit> {
    let (probe, _) = Probe::log_in(c, MQTT_TIMEOUT).map_err(|error| advice::failure(&error))?;
    probe.disconnect();
    let client_id = c.identity.client_id();
    let name = client_id.strip_prefix(&format!("{}/", c.app_id)).unwrap_or(client_id);
    super::print(
        format!(
            "session {name} cleared: connected to {}:{} as {client_id} with a clean session and disconnected, so \
             the broker discarded the session's subscription and any pushes it kept\n",
            c.host, c.port
        )
        .as_bytes(),
    )?;
    Ok(Exit::Success)
}
