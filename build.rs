//! Tells the code whether paho's crates are our patched ones (vendor/README.md).
//!
//! `[patch.crates-io]` applies only to builds from this repository. A build from the published
//! crate (`cargo install sensoro-sub`) links the stock paho-mqtt and paho-mqtt-sys. Each patched
//! crate says what it has through its `links` metadata; without it the cfg stays off:
//! - `paho_read_ahead` (`DEP_PAHO_MQTT_C_READ_AHEAD`): the C core's read-ahead and
//!   `Socket_readAheadPublishReady()`; without it every line is written at once (correct, only
//!   slower on bursts: docs/performance.md).
//! - `paho_topic_bytes` (`DEP_PAHO_MQTT_RS_TOPIC_BYTES`): the wrapper hands over a received topic as
//!   bytes and keeps unknown CONNACK codes; the stock wrapper aborts the process on a topic that
//!   is not UTF-8 (CHANGELOG.md, "Known limitations").
//! - `paho_deferred_ack` (`DEP_PAHO_MQTT_C_DEFERRED_ACK`): `MQTTProtocol_setAckMode()`, so PUBACKs can
//!   wait for their burst's write and sync (`mqtt::ack`); without it each leaves as its callback
//!   returns and a durable session's QoS 1 line is written on its own first.

fn main() {
    for (cfg, key) in [
        ("paho_read_ahead", "DEP_PAHO_MQTT_C_READ_AHEAD"),
        ("paho_topic_bytes", "DEP_PAHO_MQTT_RS_TOPIC_BYTES"),
        ("paho_deferred_ack", "DEP_PAHO_MQTT_C_DEFERRED_ACK"),
    ] {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        println!("cargo::rerun-if-env-changed={key}");
        if std::env::var_os(key).is_some() {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
}
