//! One push as it reached us: the payload and what the transport said about it. Nothing here says
//! how the transport is doing; that is the caller's business (see [`super::engine::Release`]).

use std::fmt;
use std::time::SystemTime;

/// The MQTT quality of service a push came with. The service offers 0 and 1 only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Qos {
    /// 0: at most once; never acknowledged, never redelivered.
    AtMostOnce,
    /// 1: at least once; acknowledged, redelivered until then.
    AtLeastOnce,
}

impl Qos {
    /// The number MQTT uses on the wire.
    pub fn level(self) -> u8 {
        match self {
            Qos::AtMostOnce => 0,
            Qos::AtLeastOnce => 1,
        }
    }
}

impl fmt::Display for Qos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.level())
    }
}

/// One message as it arrived, with what MQTT says about it.
#[derive(Debug, Clone, Copy)]
pub struct Delivery<'a> {
    /// The MQTT topic as it came, or for `decode`, `FILE:LINE`. Bytes until the engine has checked
    /// them (`pipeline::topic`): a broker may send a topic that is not UTF-8.
    pub topic: &'a [u8],
    pub qos: Qos,
    pub retained: bool,
    pub payload: &'a [u8],
    pub received_at: SystemTime,
}
