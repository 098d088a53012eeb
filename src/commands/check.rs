//! `sensoro-sub check`: walk through the connection one step at a time and say, in plain words,
//! which step fails and what that means. For first-time set-up and for monitoring.

use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use colored::Color;

use crate::config::SessionNote;
use crate::config::advice::{self, INSECURE_WARNING};
use crate::duration::display;
use crate::exit::{Exit, Failure};
use crate::mqtt::tls::{self, HandshakeFailure};
use crate::mqtt::{self, ConnectionConfig, Probe};
use crate::pipeline::push::Push;
use crate::style::Style;
use crate::visible::visible;

const TCP_TIMEOUT: Duration = Duration::from_secs(5);
const MQTT_TIMEOUT: Duration = Duration::from_secs(15);

/// Prints one line per step on stdout.
struct Report {
    color: bool,
}

impl Report {
    fn step(&self, ok: bool, name: &str, detail: impl std::fmt::Display) -> anyhow::Result<()> {
        let mut line = Vec::new();
        let (mark, style) = if ok { ("ok  ", Style::fg(Color::Green)) } else { ("FAIL", Style::fg(Color::Red).bold()) };
        style.write(&mut line, self.color, mark);
        // A push's sn or deviceType is in some details: nothing from outside reaches a terminal raw.
        let _ = writeln!(line, "  {name:<13} {}", visible(&detail.to_string()));
        super::print(&line)
    }

    fn note(&self, text: impl std::fmt::Display) -> anyhow::Result<()> {
        let mut line = Vec::new();
        Style::dim().write(&mut line, self.color, format_args!("      {}", visible(&text.to_string())));
        line.push(b'\n');
        super::print(&line)
    }

    /// Reports a failed step; its exit code is the run's (the report already said why).
    fn fail(&self, name: &str, failure: Failure) -> anyhow::Result<Exit> {
        self.step(false, name, &failure.message)?;
        Ok(failure.exit)
    }

    /// Reports a failed MQTT step in the words of `advice`.
    fn fail_with(&self, name: &str, error: &mqtt::Error) -> anyhow::Result<Exit> {
        self.fail(name, advice::failure(error))
    }
}

/// Checks `c`, whose identity the config layer made a clean session under a fresh clientId (a check
/// must not consume pushes queued for a durable session, nor take a running subscriber's connection);
/// `note` says so when a session was named.
pub fn run(
    c: &ConnectionConfig,
    note: Option<&SessionNote>,
    wait_for_push: Option<Duration>,
    color: bool,
) -> anyhow::Result<Exit> {
    let report = Report { color };
    if let Some(note) = note {
        report.note(note)?;
    }
    if c.tls.as_ref().is_some_and(|tls| !tls.verify) {
        report.note(INSECURE_WARNING)?;
    }

    let addresses = match mqtt::resolve(c) {
        Ok(addresses) => addresses,
        Err(error) => return report.fail_with("name lookup", &error),
    };
    let shown: Vec<String> = addresses.iter().map(|a| a.ip().to_string()).collect();
    report.step(true, "name lookup", format_args!("{} -> {}", c.host, shown.join(", ")))?;

    let started = Instant::now();
    let reached =
        addresses.iter().find_map(|address| TcpStream::connect_timeout(address, TCP_TIMEOUT).ok().map(|_| *address));
    match reached {
        Some(address) => {
            report.step(true, "TCP", format_args!("connected to {address} in {} ms", started.elapsed().as_millis()))?;
            if let Some(tls) = &c.tls {
                match tls::handshake(&c.host, address, tls) {
                    Ok(done) => report.step(
                        true,
                        "TLS",
                        format_args!(
                            "{}; certificate names: {}; {}",
                            done.protocol,
                            done.names.join(", "),
                            advice::trust(tls)
                        ),
                    )?,
                    Err(HandshakeFailure::Tls(refusal)) => return report.fail_with("TLS", &mqtt::Error::Tls(refusal)),
                    Err(HandshakeFailure::Connect(e)) => {
                        let failure = Failure::new(
                            Exit::Unreachable,
                            format!("cannot connect again to {address} for the handshake ({e})"),
                        );
                        return report.fail("TLS", failure);
                    }
                }
            }
        }
        None => {
            let failure = Failure::new(
                Exit::Unreachable,
                format!(
                    "nothing accepts connections on port {} of {}: check --port, firewalls and proxies",
                    c.port, c.host
                ),
            );
            return report.fail("TCP", failure);
        }
    }

    let (probe, login) = match Probe::log_in(c, MQTT_TIMEOUT) {
        Ok(logged_in) => logged_in,
        Err(error) => return report.fail_with("MQTT login", &error),
    };
    let fallback = if login.fell_back { " (3.1.1 refused)" } else { "" };
    report.step(
        true,
        "MQTT login",
        format_args!("accepted (CONNACK 0) as {} with MQTT {}{fallback}", c.identity.client_id(), login.version),
    )?;

    let granted = match probe.subscribe(MQTT_TIMEOUT) {
        Ok(granted) => granted,
        Err(error) => return report.fail_with("subscription", &error),
    };
    report.step(true, "subscription", format_args!("{} granted at QoS {granted} (asked {})", c.topic, c.qos))?;

    if let Some(limit) = wait_for_push {
        match probe.first_payload(limit) {
            Some(payload) => {
                let what = match Push::parse(&payload) {
                    Ok(push) => format!(
                        "from sn {} ({}), {} bytes",
                        push.sn().unwrap_or("-"),
                        push.device_type().unwrap_or("no deviceType"),
                        payload.len()
                    ),
                    Err(e) => format!("{} bytes, but {}", payload.len(), e.reason),
                };
                report.step(true, "first push", what)?;
            }
            None => {
                let failure = Failure::new(
                    Exit::Timeout,
                    format!(
                        "none within {}: the set-up works, but no device reported; wait longer or check the devices",
                        display(limit)
                    ),
                );
                return report.fail("first push", failure);
            }
        }
    }
    probe.disconnect();
    report.note("all checks passed")?;
    Ok(Exit::Success)
}
