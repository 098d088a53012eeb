//! The config layer: the flags after defaults, environment, the profile file and terminal detection
//! are applied, resolved into the settings each part of the program owns (`mqtt::ConnectionConfig`,
//! `pipeline::output::OutputConfig`, `status::StatusConfig`, ...). Everything that can be wrong with
//! the user's input is found here, before any connection is tried; this layer and `cli.rs` are the
//! only ones that know the flags, so only they name them in messages (see `advice`).
//!
//! By concern: `sourced` (a value and where it came from), `layers` (flag > environment > profile),
//! `account`, `connection` (→ [`Resolved`]), `output` (the view flags), `subscribe` ([`Config`]),
//! `watch`, `decode`, `simulator` (`simulate` and `demo`).

pub mod account;
pub mod address;
pub mod advice;
pub mod connection;
pub mod decode;
pub mod file;
pub mod identity;
pub mod init;
mod layers;
pub mod output;
pub mod profile;
mod show;
#[cfg(feature = "simulator")]
pub mod simulator;
pub mod sourced;
mod subscribe;
pub mod terminal;
#[cfg(feature = "watch")]
mod watch;

pub use connection::Resolved;
pub use decode::DecodeConfig;
pub use identity::{Consumer, SessionNote};
#[cfg(feature = "simulator")]
pub use output::ViewConfig;
pub use show::show;
pub use subscribe::Config;
pub use terminal::Terminal;
#[cfg(feature = "watch")]
pub use watch::needs_terminal;
