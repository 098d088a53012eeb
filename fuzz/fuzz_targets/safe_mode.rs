//! Any plaintext frame, correctly encrypted with the AppKey, as a push's `encryptData`: after the
//! AES layer every length field, padding byte, AppID and JSON text is the fuzzer's choice.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sensoro_sub::pipeline::hostile;
use sensoro_sub::pipeline::output::Format;
use sensoro_sub::pipeline::safe_mode;

fuzz_target!(|frame: &[u8]| {
    // AES-CBC needs whole blocks; keep at least one.
    let whole = frame.len() / 16 * 16;
    let frame = if whole == 0 { &[0u8; 16][..] } else { &frame[..whole] };
    let encrypt_data = safe_mode::encrypt_blocks(&hostile::app_key(), frame);
    let _ = safe_mode::decrypt(&hostile::app_key(), hostile::APP_ID, &encrypt_data);
    let push = format!(r#"{{"appId":"foobar","sn":"a","msgId":"m","encryptData":"{encrypt_data}"}}"#);
    hostile::survives(&mut hostile::engine(Format::Ndjson), push.as_bytes());
});
