//! Any bytes as the topic of a push, to an engine subscribed to `users/foobar/devices`: the push
//! has exactly one fate, and unless the topic is exactly that one it is never printed. The first
//! byte picks the output format, the next one how much of the rest is the topic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sensoro_sub::pipeline::hostile;

const PUSH: &[u8] = br#"{"sn":"0117C9A1B2C3D4E5","deviceType":"temp_humi","msgId":"m-1","data":{"battery":87}}"#;

fuzz_target!(|input: &[u8]| {
    let [choice, split, rest @ ..] = input else { return };
    let format = hostile::FORMATS[usize::from(*choice) % hostile::FORMATS.len()];
    let (topic, payload) = rest.split_at(usize::from(*split).min(rest.len()));
    hostile::topic_survives(format, topic, if payload.is_empty() { PUSH } else { payload });
});
