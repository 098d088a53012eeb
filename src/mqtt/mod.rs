//! The MQTT boundary: the only code that names paho (`paho_mqtt`, `paho_mqtt_sys`), and the only
//! `unsafe` in the crate. Everything paho-specific is contained here, each workaround beside a test
//! that fails the day its assumption breaks, behind the exact version pinned in Cargo.toml:
//!
//! - acknowledge-after-write: paho sends a PUBACK when the message callback returns, so the callback
//!   writes the line first and never returns for a push that must not be acknowledged (`callback`);
//! - paho holds its client mutex while that callback runs, so the supervisor makes every paho request
//!   on a helper thread and never waits on paho itself (`supervisor`);
//! - paho does not expose its socket; QoS 0 bursts are batched by peeking at it (`socket`, Linux);
//! - paho initialises OpenSSL even without TLS; that is skipped through its global init (`client`);
//! - paho says only "connect failure" for TLS; our own handshake finds the cause (`tls`, `diagnose`).
//!
//! Data flows in one direction: the config layer builds a [`ConnectionConfig`], the session hands each
//! push to the pipeline's engine, and returns an [`Outcome`]; it never ends the process itself.

mod ack;
mod callback;
mod client;
pub mod connection;
mod diagnose;
pub mod error;
mod event;
pub mod probe;
mod socket;
mod supervisor;
pub mod tls;

pub use connection::{Clocks, ConnectionConfig, Identity, MqttVersion};
pub use diagnose::resolve;
pub use error::Error;
pub use probe::Probe;
pub use supervisor::{Link, LinkState, Outcome, Session, Stopper, subscribe};
