//! `sensoro-sub watch` and `demo --watch`: a live, full-screen table of the fleet, one row per
//! device, where alarms and silent devices stand out.
//!
//! The same engine as the default command (decode, decrypt, filters, dedupe, counters, and so the
//! same acknowledgements), with the fleet as its [`crate::pipeline::Output`] in place of a printer:
//! each push becomes its device's latest row in `model`. `view` draws the model with ratatui; `app` owns the
//! terminal and the keys. The MQTT session knows nothing of any of it.

mod app;
pub mod model;
pub mod view;

pub use app::run;
