//! Tells the code whether paho's C core is our patched one (vendor/paho-mqtt-sys.patch).
//!
//! `[patch.crates-io]` applies only to builds from this repository. A build from the published
//! crate (`cargo install sensoro-sub`) links the stock paho-mqtt-sys, which has neither the
//! read-ahead nor `Socket_readAheadPublishReady()`. The patched crate says so through its `links`
//! metadata (`DEP_PAHO_MQTT_C_READ_AHEAD`); without it the `paho_read_ahead` cfg stays off and every
//! line is written at once (correct, only slower on bursts: docs/performance.md).

fn main() {
    // Two capabilities of the patched core, each announced by its own metadata key:
    // `paho_deferred_ack`: `MQTTProtocol_setAckMode()`, so PUBACKs can wait for a batch's sync.
    for (cfg, key) in
        [("paho_read_ahead", "DEP_PAHO_MQTT_C_READ_AHEAD"), ("paho_deferred_ack", "DEP_PAHO_MQTT_C_DEFERRED_ACK")]
    {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        println!("cargo::rerun-if-env-changed={key}");
        if std::env::var_os(key).is_some() {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
}
