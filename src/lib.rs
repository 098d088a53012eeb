//! sensoro-sub as a library: the pieces the binary is made of, public so that integration tests,
//! benchmarks and the simulator can use the same push model, crypto and printers.

pub mod address;
pub mod broker_socket;
pub mod check;
pub mod cli;
pub mod config;
pub mod decode;
pub mod duration;
pub mod engine;
pub mod exit;
#[cfg(any(test, fuzzing))]
pub mod hostile;
pub mod output;
pub mod profile;
pub mod push;
pub mod safe_mode;
pub mod service;
pub mod session;
#[cfg(feature = "simulator")]
pub mod simulator;
pub mod status;
pub mod tls;
