//! `sensoro-sub check`: walk through the connection one step at a time and say, in plain words,
//! which step fails and what that means. For first-time set-up and for monitoring.

use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use colored::Color;
use paho_mqtt as mqtt;

use crate::config::ConnectionConfig;
use crate::duration::display;
use crate::exit::{Exit, Failure};
use crate::output::Style;
use crate::push::Push;
use crate::service;
use crate::session::{connect_options, create_client, granted_version, refusal, resolve, subscription_refused};
use crate::tls::{self, HandshakeFailure};

const TCP_TIMEOUT: Duration = Duration::from_secs(5);
const MQTT_TIMEOUT: Duration = Duration::from_secs(15);

/// Prints one line per step on stdout.
struct Report {
    color: bool,
}

impl Report {
    fn step(&self, ok: bool, name: &str, detail: impl std::fmt::Display) {
        let mut line = Vec::new();
        let (mark, style) = if ok { ("ok  ", Style::fg(Color::Green)) } else { ("FAIL", Style::fg(Color::Red).bold()) };
        style.write(&mut line, self.color, mark);
        let _ = writeln!(line, "  {name:<13} {detail}");
        let _ = std::io::stdout().lock().write_all(&line);
    }

    fn note(&self, text: impl std::fmt::Display) {
        let mut line = Vec::new();
        Style::dim().write(&mut line, self.color, format_args!("      {text}"));
        line.push(b'\n');
        let _ = std::io::stdout().lock().write_all(&line);
    }

    /// Reports a failed step; its exit code is the run's (the report already said why).
    fn fail(&self, name: &str, failure: Failure) -> anyhow::Result<Exit> {
        self.step(false, name, &failure.message);
        Ok(failure.exit)
    }
}

pub fn run(connection: &ConnectionConfig, wait_for_push: Option<Duration>, color: bool) -> anyhow::Result<Exit> {
    let report = Report { color };
    // A clean session under a fresh clientId: a check must not consume pushes queued for a durable
    // session, nor kick off a running subscriber that uses the same clientId.
    let mut c = connection.clone();
    if let Some(name) = &c.session {
        report.note(format_args!("checking with a fresh clientId; pushes queued for --session {name} stay queued"));
    }
    c.client_id = service::random_client_id(&c.app_id);
    c.clean_session = true;
    c.session = None;
    if let Some(tls) = c.tls.as_ref().filter(|tls| !tls.verify) {
        report.note(tls.insecure_warning());
    }

    let addresses = match resolve(&c) {
        Ok(addresses) => addresses,
        Err(failure) => return report.fail("name lookup", failure),
    };
    let shown: Vec<String> = addresses.iter().map(|a| a.ip().to_string()).collect();
    report.step(true, "name lookup", format_args!("{} -> {}", c.host, shown.join(", ")));

    let started = Instant::now();
    let reached =
        addresses.iter().find_map(|address| TcpStream::connect_timeout(address, TCP_TIMEOUT).ok().map(|_| *address));
    match reached {
        Some(address) => {
            report.step(true, "TCP", format_args!("connected to {address} in {} ms", started.elapsed().as_millis()));
            if let Some(tls) = &c.tls {
                match tls::handshake(&c.host, address, tls) {
                    Ok(done) => report.step(
                        true,
                        "TLS",
                        format_args!(
                            "{}; certificate names: {}; {}",
                            done.protocol,
                            done.names.join(", "),
                            tls.trust()
                        ),
                    ),
                    Err(HandshakeFailure::Tls(reason)) => {
                        return report.fail("TLS", Failure::new(Exit::Unreachable, reason));
                    }
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

    let client = create_client(&c)?;
    let pushes = client.start_consuming();
    let response = match client.connect(connect_options(&c)?).wait_for(MQTT_TIMEOUT) {
        Ok(response) => response,
        Err(mqtt::Error::ConnectReturn(code)) => {
            let failure = refusal(code, &c).unwrap_or_else(|| {
                Failure::new(Exit::Unreachable, format!("the broker is unavailable (CONNACK {})", code as u8))
            });
            return report.fail("MQTT login", failure);
        }
        Err(e) => return report.fail("MQTT login", Failure::new(Exit::Unreachable, format!("no CONNACK: {e}"))),
    };
    let (version, _) = granted_version(&response);
    report.step(true, "MQTT login", format_args!("accepted (CONNACK 0) as {} with MQTT {version}", c.client_id));

    let granted = match client.subscribe(&c.topic, c.qos).wait_for(MQTT_TIMEOUT) {
        Ok(response) => response.subscribe_response().unwrap_or(c.qos),
        Err(e) => return report.fail("subscription", subscription_refused(&c, &e.to_string())),
    };
    if granted >= 0x80 {
        return report.fail("subscription", subscription_refused(&c, "SUBACK 0x80"));
    }
    report.step(true, "subscription", format_args!("{} granted at QoS {granted} (asked {})", c.topic, c.qos));

    if let Some(limit) = wait_for_push {
        match pushes.recv_timeout(limit) {
            Ok(Some(message)) => {
                let what = match Push::parse(message.payload()) {
                    Ok(push) => format!(
                        "from sn {} ({}), {} bytes",
                        push.sn().unwrap_or("-"),
                        push.device_type().unwrap_or("no deviceType"),
                        message.payload().len()
                    ),
                    Err(e) => format!("{} bytes, but {}", message.payload().len(), e.reason),
                };
                report.step(true, "first push", what);
            }
            _ => {
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
    let _ = client.disconnect(None).wait_for(Duration::from_secs(2));
    report.note("all checks passed");
    Ok(Exit::Success)
}
