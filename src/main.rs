//! sensoro-sub: subscribe to the SENSORO IoT cloud's MQTT push service and print every push.
//!
//! The only place the process ends: the program (`sensoro_sub::main`, src/app.rs) returns an exit
//! code, or, when a push is held unacknowledged, asks for the process to end at once through the
//! function given here (docs/architecture.md).

use std::process::ExitCode;

fn main() -> ExitCode {
    sensoro_sub::main(|code| std::process::exit(code))
}
