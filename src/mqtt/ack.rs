//! When a QoS 1 push's PUBACK leaves: the lever of group commit.
//!
//! Stock paho sends each PUBACK in its own write as the message callback returns. Our patch to its
//! C core (vendor/paho-mqtt-sys.patch, `MQTTProtocol_setAckMode`) lets the callback leave a PUBACK
//! pending, and later send every pending one (and the current push's) in one write, in order. The
//! callback uses it so that the pushes of one burst are written (and, in a durable session to a
//! file, synced) first and acknowledged together after. A pending PUBACK is dropped with its
//! connection, so the broker redelivers that push: never acknowledged, never lost.
//!
//! Built against a stock core (build.rs sets `paho_deferred_ack` only for ours), nothing can be
//! deferred: [`DEFERRED`] is false and each PUBACK leaves as the callback returns, as before.

/// Whether PUBACKs can be deferred with this C core.
pub const DEFERRED: bool = cfg!(paho_deferred_ack);

/// Leaves the PUBACK of the push being delivered (if QoS 1) pending. Call only from the message
/// callback, before it returns.
pub fn defer_this() {
    set_mode(1);
}

/// Sends the pending PUBACKs and this push's (if QoS 1) when the callback returns, in one write.
/// Call only from the message callback, once the lines they stand for are written (and synced).
pub fn send_pending_and_this() {
    set_mode(2);
}

/// How many writes of batched PUBACKs the core has made, for `-v`'s summary.
pub fn batched_writes() -> u64 {
    #[cfg(paho_deferred_ack)]
    {
        // SAFETY: reads a counter of the patched core; no arguments, no memory handed over.
        u64::try_from(unsafe { paho_mqtt_sys::MQTTProtocol_deferredAcksSent() }).unwrap_or(0)
    }
    #[cfg(not(paho_deferred_ack))]
    {
        0
    }
}

#[cfg(paho_deferred_ack)]
fn set_mode(mode: i32) {
    // SAFETY: stores an int in the patched core, read by the same (receive) thread right after the
    // callback returns; we call it only from the message callback, on that thread.
    unsafe { paho_mqtt_sys::MQTTProtocol_setAckMode(mode) }
}

#[cfg(not(paho_deferred_ack))]
fn set_mode(_mode: i32) {}
