//! The MQTT boundary: the only code that names paho (`paho_mqtt`, `paho_mqtt_sys`), and the only
//! `unsafe` in the crate. Everything paho-specific is contained here, each workaround beside a test
//! that fails the day its assumption breaks, behind the exact version pinned in Cargo.toml:
//!
//! - acknowledge-after-write: paho sends a PUBACK when the message callback returns, so the callback
//!   writes the line first and never returns for a push that must not be acknowledged (`callback`);
//! - paho holds its client mutex while that callback runs, so the supervisor makes every paho request
//!   on a helper thread and never waits on paho itself (`supervisor`);
//! - paho does not say whether more of a burst has arrived; our patch to its C core reads the socket
//!   ahead and reports whether a whole push waits there, so a burst's lines leave in one write and
//!   their PUBACKs in another (`socket`, `ack`, `callback`);
//! - paho initialises OpenSSL even without TLS; that is skipped through its global init (`client`);
//! - paho says only "connect failure" for TLS; our own handshake finds the cause (`tls`, `diagnose`).
//!
//! Data flows in one direction: the config layer builds a [`ConnectionConfig`], the session hands each
//! push to the pipeline's engine, and returns an [`Outcome`]; it never ends the process itself, nor
//! takes its signals (the command does, and hands them over through a [`Stopper`]).

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
pub use supervisor::{Finish, Held, Outcome, Session, Stopper};
/// How the link is doing, for `watch`'s status line.
#[cfg(feature = "watch")]
pub use supervisor::{Link, LinkState};
