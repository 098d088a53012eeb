//! paho's callbacks: where a push is handed to the engine, and where acknowledge-after-write is kept.
//!
//! paho sends a QoS 1 push's PUBACK when the message callback returns, unless the callback defers
//! it (`ack`, our patch to the C core). Group commit: the pushes of one burst (those already whole
//! in the read-ahead buffer) have their lines written together, in a durable session synced once
//! when the output is a file, and only then are their PUBACKs sent, together. A push that must not
//! be acknowledged (stdout failed, or the run is ending) is never returned from: the callback tells
//! the supervisor and blocks, and the process ends with it (and the burst's pending PUBACKs)
//! unacknowledged, so the broker keeps them for the next durable session. The tests
//! `a_push_that_cannot_be_written_is_not_acknowledged`, `count_with_a_durable_session_leaves_the_rest_for_the_next_run`
//! and `tests/collector.rs` (strace) fail the day this changes.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::SyncSender;
use std::time::SystemTime;

use paho_mqtt as mqtt;

use super::ack;
use super::error::Error;
use super::event::Event;
use super::socket;
use crate::pipeline::output::Sink;
use crate::pipeline::{Delivery, Engine, Handled, Progress, Qos, Release};

/// The message callback: the push is decoded and written before it returns. `durable`: the broker
/// keeps our session, so a QoS 1 push unacknowledged at exit is redelivered to the next run.
pub fn on_message(
    mut engine: Engine,
    events: SyncSender<Event>,
    durable: bool,
) -> impl FnMut(&mqtt::AsyncClient, Option<mqtt::Message>) + Send + 'static {
    let progress = engine.progress();
    let sink = engine.sink();
    move |_client, message| {
        // paho also calls this with None when the connection drops; the lost-connection callback handles that.
        let Some(message) = message else { return };
        let qos = match message.qos() as i32 {
            0 => Qos::AtMostOnce,
            _ => Qos::AtLeastOnce,
        };
        // Only a durable session's QoS 1 push must be written (and synced) before its PUBACK: the
        // broker keeps it for the next run if we die first. A QoS 0 push is never acknowledged,
        // and a clean session's unacknowledged pushes are discarded with the connection, so
        // acknowledging them before or after the write loses exactly the same
        // (docs/reliability.md). A line may wait for the next push's, but only when that one has
        // already arrived whole (nothing waits on the network), and a durable QoS 1 line only
        // when its PUBACK can wait too.
        let must_write_through = qos == Qos::AtLeastOnce && durable && !ack::DEFERRED;
        let release = match must_write_through {
            false if socket::next_publish_ready() => Release::WithNext,
            _ => Release::Now,
        };
        let delivery = Delivery {
            topic: topic_of(&message),
            qos,
            retained: message.retained(),
            payload: message.payload(),
            received_at: SystemTime::now(),
        };
        match engine.handle(&delivery, release) {
            // The run is ending (count reached, Ctrl-C): the supervisor knows; keep the push.
            Ok(Handled::Refused) => hold(&progress, &events, None),
            Ok(_) => {
                let closed = progress.is_closed();
                if release == Release::WithNext && !closed {
                    // More of the burst is here: this PUBACK waits for the burst's write.
                    ack::defer_this();
                } else {
                    // The burst's lines are written; a durable session's are made durable before
                    // any of their PUBACKs leave, together.
                    if durable && let Err(e) = sink.flush_and_sync() {
                        hold(&progress, &events, Some(Event::Failed(Error::stdout(e, true))));
                    }
                    ack::send_pending_and_this();
                }
                if closed {
                    let _ = events.try_send(Event::CountReached);
                }
            }
            Err(e) => hold(&progress, &events, Some(Event::Failed(Error::stdout(e, true)))),
        }
    }
}

/// The topic as the broker sent it: the vendored wrapper (vendor/paho-mqtt.patch) hands it over
/// as bytes, and the engine decides whether it is text and ours. The stock wrapper (a build from
/// the published crate) has only the text, and aborts the process before we get here when the
/// topic is not UTF-8.
#[cfg(paho_topic_bytes)]
fn topic_of(message: &mqtt::Message) -> &[u8] {
    message.topic_bytes()
}

#[cfg(not(paho_topic_bytes))]
fn topic_of(message: &mqtt::Message) -> &[u8] {
    message.topic().as_bytes()
}

/// Never returns, so paho never acknowledges the push being delivered: marks it held, tells the
/// supervisor why (if it does not know), and blocks until the process ends. (paho holds its client
/// mutex meanwhile, so the supervisor stops calling paho.)
fn hold(progress: &Progress, events: &SyncSender<Event>, why: Option<Event>) -> ! {
    progress.hold();
    if let Some(why) = why {
        // Blocks only while the channel is full; the supervisor reads it until the run ends.
        let _ = events.send(why);
    }
    loop {
        std::thread::park();
    }
}

/// The lost-connection callback: tells the supervisor, and writes QoS 0 lines held back for a push
/// that will not come now.
pub fn on_connection_lost(
    lost: Arc<AtomicBool>,
    sink: Arc<Sink>,
    events: SyncSender<Event>,
) -> impl FnMut(&mqtt::AsyncClient) + Send + 'static {
    move |_client| {
        lost.store(true, Ordering::SeqCst);
        let _ = events.try_send(Event::ConnectionLost);
        if let Err(e) = sink.flush() {
            let _ = events.send(Event::Failed(Error::stdout(e, false)));
        }
    }
}

#[cfg(test)]
mod tests {
    /// Built in this repository, both vendored crates must be the patched ones (`[patch.crates-io]`
    /// in Cargo.toml): the test build fails the day one of them is lost.
    #[test]
    fn the_patched_wrapper_and_core_are_linked() {
        const {
            assert!(cfg!(paho_topic_bytes), "vendor/paho-mqtt is not the wrapper in use");
            assert!(cfg!(paho_read_ahead), "vendor/paho-mqtt-sys is not the core in use");
            assert!(cfg!(paho_deferred_ack), "vendor/paho-mqtt-sys has no deferred acknowledgement");
        }
    }
}
