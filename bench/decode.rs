//! Microbenchmarks of the per-push work: decrypting a safe-mode push, and the whole engine step
//! (parse, decrypt, filter, format, write to a sink) for each output format.
//!
//! Run: `cargo bench --bench decode` (criterion prints the time per push).

use std::hint::black_box;
use std::time::{Duration, UNIX_EPOCH};

use criterion::{Criterion, criterion_group, criterion_main};
use sensoro_sub::pipeline::output::{Format, OutputConfig, Printer};
use sensoro_sub::pipeline::safe_mode::{AppKey, SafeMode, decrypt, encrypt};
use sensoro_sub::pipeline::{Delivery, Engine, EngineOptions, Qos, Release};
use sensoro_sub::status::{Status, StatusConfig, Verbosity};

const APP_ID: &str = "foobar";
const KEY: &str = "kT0pJ7n3VbQYxW9cH2mLs5RfA8dZe4Gu1qNyXoC6iBD";
const DATA: &str = r#"{"temperature":21.5,"humidity":44,"battery":87,"interval":300,"lonlat":[116.39142,39.90376]}"#;

fn plain_push() -> String {
    format!(
        r#"{{"appId":"{APP_ID}","sn":"0117C9A1B2C3D4E5","type":"text","deviceType":"temp_humi","createdTime":1764094329000,"msgId":"m-1","data":{DATA}}}"#
    )
}

fn safe_push(key: &AppKey) -> String {
    let encrypted = encrypt(key, APP_ID, DATA, [7; 16]);
    format!(
        r#"{{"appId":"{APP_ID}","sn":"0117C9A1B2C3D4E5","type":"text","deviceType":"temp_humi","createdTime":1764094329000,"msgId":"m-1","encryptData":"{encrypted}"}}"#
    )
}

fn engine(format: Format, key: Option<AppKey>) -> Engine {
    let printer = Printer::new(OutputConfig { format, envelope: false, color: false });
    let status = Status::new(StatusConfig { verbosity: Verbosity::Quiet, color: false });
    let safe_mode = SafeMode::new(Some(APP_ID.into()), key);
    let options = EngineOptions { safe_mode, ..EngineOptions::default() };
    Engine::new(options, Box::new(printer), Box::new(std::io::sink()), status)
}

fn delivery(payload: &[u8]) -> Delivery<'_> {
    Delivery {
        topic: b"users/foobar/devices",
        qos: Qos::AtLeastOnce,
        retained: false,
        payload,
        received_at: UNIX_EPOCH + Duration::from_secs(1_764_094_330),
    }
}

fn benches(c: &mut Criterion) {
    let key = AppKey::parse(KEY).unwrap();
    let plain = plain_push();
    let safe = safe_push(&key);
    let encrypted = encrypt(&key, APP_ID, DATA, [7; 16]);

    c.bench_function("decrypt encryptData", |b| b.iter(|| decrypt(&key, APP_ID, black_box(&encrypted)).unwrap()));
    let mut safe_engine = engine(Format::Ndjson, Some(key.clone()));
    c.bench_function("safe-mode push: decode + decrypt + ndjson", |b| {
        b.iter(|| safe_engine.handle(&delivery(black_box(safe.as_bytes())), Release::Now).unwrap())
    });
    for (name, format) in
        [("ndjson", Format::Ndjson), ("json", Format::Json), ("pretty", Format::Pretty), ("raw", Format::Raw)]
    {
        let mut engine = engine(format, None);
        c.bench_function(&format!("plain push: decode + {name}"), |b| {
            b.iter(|| engine.handle(&delivery(black_box(plain.as_bytes())), Release::Now).unwrap())
        });
    }
}

criterion_group!(decode, benches);
criterion_main!(decode);
