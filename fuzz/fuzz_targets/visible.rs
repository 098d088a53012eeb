//! Any bytes as text a terminal will show: a topic, a push's fields, JSON text. Nothing that comes
//! out of the sanitizer, or out of `pretty` for a push made of these bytes, may be a character a
//! terminal acts on (docs/output.md, "Control characters").
#![no_main]

use libfuzzer_sys::fuzz_target;
use sensoro_sub::pipeline::hostile;

fuzz_target!(|input: &[u8]| {
    hostile::shows_safely(input);
});
