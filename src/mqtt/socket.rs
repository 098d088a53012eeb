//! Whether the next push has already arrived whole, so that a line nobody acknowledges may wait for
//! it (`Release::WithNext`) and a burst leaves in one write.
//!
//! paho-mqtt does not say; our patch to its C core (vendor/paho-mqtt-sys.patch) does. The patched
//! core reads the socket ahead into a buffer of its own, so it knows whether a whole PUBLISH packet
//! is waiting there (or, when that buffer is empty, in the socket). For a TLS connection it never
//! knows, and every line is written at once. The integration test
//! `bursts_are_written_in_batches_in_clean_and_durable_sessions` fails the
//! day this stops answering.
//!
//! Built against a stock paho-mqtt-sys (the published crate: `[patch]` does not travel with it;
//! build.rs sets the `paho_read_ahead` cfg only for the patched core), the answer is always false.

/// True when a whole PUBLISH packet is already here after the one being delivered. Call only from
/// the message callback, on paho's receive thread; any doubt answers false.
#[cfg(paho_read_ahead)]
pub fn next_publish_ready() -> bool {
    // SAFETY: a function of the patched C core without arguments. It reads paho's read-ahead state
    // under the lock that guards it and may read the socket into that buffer with a non-blocking
    // recv(); we call it only on paho's receive thread, the one thread that reads that socket.
    unsafe { paho_mqtt_sys::Socket_readAheadPublishReady() != 0 }
}

/// The stock C core cannot tell: every line is written at once.
#[cfg(not(paho_read_ahead))]
pub fn next_publish_ready() -> bool {
    false
}
