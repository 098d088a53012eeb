//! Any bytes as an MQTT payload, through the whole engine (decode, safe mode, filter, dedupe, print).
//! The first byte picks the output format.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sensoro_sub::pipeline::hostile;

fuzz_target!(|input: &[u8]| {
    let Some((&choice, payload)) = input.split_first() else { return };
    let format = hostile::FORMATS[usize::from(choice) % hostile::FORMATS.len()];
    hostile::survives(&mut hostile::engine(format), payload);
});
