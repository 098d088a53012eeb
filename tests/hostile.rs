//! A hostile broker and hostile pushes (docs/reliability.md, "Hostile broker and hostile pushes"):
//! nothing a broker sends ends the process but our own decision, nothing from outside reaches a
//! terminal raw, and a stalled reader never holds the process after SIGTERM. The broker here is the
//! tests' own (tests/common/hostile_broker.rs), since no real broker sends such bytes.

mod common;

use std::process::Stdio;
use std::thread;
use std::time::{Duration, Instant};

use common::hostile_broker::{HostileBroker, Script, publish};
use common::*;

const GOOD_TOPIC: &[u8] = b"users/foobar/devices";

fn good_push(n: usize) -> Vec<u8> {
    push(n, "0117C9A1B2C3D4E5", "temp_humi").into_bytes()
}

/// Runs the subscriber against `broker` until it ends by itself (`--count 1`, a refusal, ...).
fn run(broker: &HostileBroker, extra: &[&str]) -> Finished {
    Sub::spawn(&broker.args(extra)).finish()
}

#[test]
fn a_topic_that_is_not_utf8_or_holds_a_nul_is_reported_and_the_stream_goes_on() {
    for qos in [0u8, 1] {
        for (topic, why) in [
            (&b"users/\xff/devices"[..], "its topic is not UTF-8"),
            (b"users/foobar/devices\0", "its topic holds a NUL byte"),
        ] {
            let broker = HostileBroker::start(vec![Script::serving(vec![
                publish(topic, &good_push(1), qos, 1),
                publish(GOOD_TOPIC, &good_push(2), qos, 2),
            ])]);
            let done = run(&broker, &["--count", "1", "--format", "ndjson", "--color", "never"]);
            let context = format!("QoS {qos}, {topic:?}: {done:#?}");
            assert_eq!(done.code, Some(0), "{context}");
            assert_eq!(done.stdout, [String::from_utf8(good_push(2)).unwrap()], "{context}");
            let shown = String::from_utf8_lossy(topic).replace('\u{fffd}', "\\xff").replace('\0', "\\x00");
            let report = format!("undecodable push #1 from {shown} ({why})");
            assert!(done.stderr_text().contains(&report), "{report:?}: {context}");
            assert!(done.stderr_text().contains("undecodable 1"), "counted in the summary: {context}");
            if qos == 1 {
                // Handled is acknowledged: a durable session must not crash-loop on it either.
                let seen = broker.seen();
                assert!(seen.contains(&"puback 1".into()) && seen.contains(&"puback 2".into()), "{seen:?}");
            }
        }
    }
}

#[test]
fn a_push_on_a_topic_outside_the_subscription_is_reported_not_printed_and_its_topic_escaped() {
    let evil = b"users/foobar/devices\x1b]0;pwned\x07/\x9b";
    let broker = HostileBroker::start(vec![Script::serving(vec![
        publish(b"users/other/devices", &good_push(1), 1, 1),
        publish(evil, &good_push(2), 1, 2),
        publish(GOOD_TOPIC, &good_push(3), 1, 3),
    ])]);
    let done = run(&broker, &["--count", "1", "--format", "ndjson", "--color", "never", "-v"]);
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(done.stdout, [String::from_utf8(good_push(3)).unwrap()], "only ours: {done:#?}");
    let err = done.stderr_text();
    assert!(
        err.contains(
            "undecodable push #1 from users/other/devices (its topic is outside the subscription users/foobar/devices)"
        ),
        "{err}"
    );
    assert!(err.contains("from users/foobar/devices\\e]0;pwned\\x07/\\x9b (its topic is not UTF-8)"), "{err}");
    assert!(!err.contains('\x1b') && !err.contains('\x07'), "no control byte on stderr: {err:?}");
}

#[test]
fn truncated_packets_and_absurd_lengths_end_a_connection_not_the_process() {
    let mut half = publish(GOOD_TOPIC, &good_push(1), 1, 1);
    half.truncate(half.len() / 2);
    // Remaining length 268,435,455: the most MQTT can say, with nothing behind it.
    let absurd = vec![0x32, 0xff, 0xff, 0xff, 0x7f];
    for (name, bad) in [("truncated", half), ("absurd length", absurd)] {
        let broker = HostileBroker::start(vec![
            Script { send: vec![bad], close_after: Some(Duration::from_millis(300)), ..Script::serving(vec![]) },
            Script::serving(vec![publish(GOOD_TOPIC, &good_push(2), 1, 2)]),
        ]);
        let done = run(&broker, &["--count", "1", "--format", "ndjson"]);
        assert_eq!(done.code, Some(0), "{name}: {done:#?}");
        assert_eq!(done.stdout, [String::from_utf8(good_push(2)).unwrap()], "{name}: {done:#?}");
        assert!(done.stderr_text().contains("reconnecting"), "{name}: {done:#?}");
    }
}

#[test]
fn connack_codes_mqtt_does_not_define_are_named_and_refused() {
    for code in [0x80u8, 6] {
        let broker = HostileBroker::start(vec![Script { connack: Some(code), ..Script::serving(vec![]) }]);
        let done = run(&broker, &["--color", "never"]);
        assert_eq!(done.code, Some(4), "{code}: {done:#?}");
        let err = done.stderr_text();
        assert!(err.contains(&format!("CONNACK code {code}, which MQTT 3.1.1 does not define")), "{err}");
        assert!(!err.contains("General failure") && !err.contains('\x1b'), "{err:?}");
    }
}

#[test]
fn no_connack_is_said_as_that() {
    let broker = HostileBroker::start(vec![Script { connack: None, ..Script::serving(vec![]) }]);
    let done = run(&broker, &[]);
    assert_eq!(done.code, Some(3), "{done:#?}");
    assert!(done.stderr_text().contains("accepted the TCP connection but sent no CONNACK within 10s"), "{done:#?}");
}

#[test]
fn no_suback_is_a_timeout_first_and_retried_on_a_reconnect() {
    let silent = Script { suback: false, ..Script::serving(vec![]) };
    // On the first connection it ends the run (as any first failure does), in its own words.
    let broker = HostileBroker::start(vec![silent.clone()]);
    let done = run(&broker, &[]);
    assert_eq!(done.code, Some(3), "{done:#?}");
    assert!(done.stderr_text().contains("did not answer the subscription to users/foobar/devices within 10s"));

    // After a lost connection it is one more transient failure: the next connection serves.
    let broker = HostileBroker::start(vec![
        Script { close_after: Some(Duration::from_millis(300)), ..Script::serving(vec![]) },
        silent,
        Script::serving(vec![publish(GOOD_TOPIC, &good_push(1), 1, 1)]),
    ]);
    let done = run(&broker, &["--count", "1", "--format", "ndjson"]);
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(done.stdout.len(), 1, "{done:#?}");
    assert!(done.stderr_text().contains("did not answer the subscription"), "{done:#?}");
    assert_eq!(broker.seen().iter().filter(|s| *s == "connect").count(), 3, "{:?}", broker.seen());
}

/// Every character a terminal would act on, in one string.
const EVIL: &str = "\x1b]0;pwned\x07\x1b[2J\x1b[31m\r\x08\u{9b}1m\u{202e}rev";

/// A push with [`EVIL`] in sn, deviceType, type, a key, a nested key and a value.
fn evil_push() -> Vec<u8> {
    let q = serde_json::to_string(EVIL).unwrap();
    format!(r#"{{"sn":{q},"deviceType":{q},"type":{q},"msgId":"m","data":{{{q}:{q},"n":{{{q}:1}},"temperature":20}}}}"#)
        .into_bytes()
}

/// `cmd` with stdout and stderr on one pseudo-terminal that says it is an xterm, as in a person's
/// terminal; what the terminal received once the command ended.
fn on_an_xterm(mut cmd: std::process::Command, stdin: &[u8]) -> (Option<i32>, Vec<u8>) {
    cmd.env("TERM", "xterm-256color");
    on_a_terminal(cmd, stdin, true)
}

/// What must never reach a terminal from outside: C0 controls (a newline is ours; the terminal
/// driver turns it into CR LF), DEL, C1 controls and the bidi overrides and isolates.
fn assert_nothing_acts_on_the_terminal(shown: &[u8], what: &str) {
    let text = String::from_utf8_lossy(shown).replace("\r\n", "\n");
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| {
            matches!(c, '\0'..='\x09' | '\x0b'..='\x1f' | '\x7f'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect();
    assert!(bad.is_empty(), "{what}: {bad:?} reached the terminal in {text:?}");
}

#[test]
fn nothing_from_a_push_or_a_topic_acts_on_the_terminal() {
    // The live subscriber, pretty on a terminal, with a -v warning about a hostile topic.
    let broker = HostileBroker::start(vec![Script::serving(vec![
        publish(format!("users/foobar/devices{EVIL}").as_bytes(), &good_push(1), 1, 1),
        publish(GOOD_TOPIC, &evil_push(), 1, 2),
    ])]);
    let (code, shown) = on_an_xterm(sub_command(&broker.args(&["--count", "1", "--color", "never", "-v"])), b"");
    let text = String::from_utf8_lossy(&shown);
    assert_eq!(code, Some(0), "{text}");
    assert_nothing_acts_on_the_terminal(&shown, "the subscriber");
    assert!(
        text.contains("\\e]0;pwned\\x07\\e[2J\\e[31m\\r\\x08\\u{9b}1m\\u{202e}rev"),
        "the push still shows: {text}"
    );
    assert!(text.contains("temperature=20°C"), "{text}");
    assert!(text.contains("undecodable push #1 from users/foobar/devices\\e]0;pwned"), "{text}");

    // `decode` on a terminal, pretty and json.
    for format in ["pretty", "json"] {
        let cmd = sub_command(&strings(&["decode", "--format", format, "--color", "never"]));
        let (code, shown) = on_an_xterm(cmd, &[evil_push(), b"\n".to_vec()].concat());
        assert_eq!(code, Some(0), "{}", String::from_utf8_lossy(&shown));
        assert_nothing_acts_on_the_terminal(&shown, &format!("decode --format {format}"));
        assert!(String::from_utf8_lossy(&shown).contains("pwned"), "the push still shows");
    }

    // `check`'s first-push line.
    let broker = HostileBroker::start(vec![Script::serving(vec![publish(GOOD_TOPIC, &evil_push(), 1, 1)])]);
    let (code, shown) = on_an_xterm(sub_command(&broker.args(&["check", "--timeout", "20s", "--color", "never"])), b"");
    let text = String::from_utf8_lossy(&shown);
    assert_eq!(code, Some(0), "{text}");
    assert_nothing_acts_on_the_terminal(&shown, "check");
    assert!(text.contains("first push") && text.contains("\\e]0;pwned"), "{text}");
}

/// `sensoro-sub 2>&1 | less`, never scrolled: stdout and stderr in one pipe nobody reads. SIGTERM
/// still ends the run within a few seconds, the summary line (which cannot be written) dropped.
#[test]
fn sigterm_ends_the_run_when_nobody_reads_stdout_or_stderr() {
    let broker = Broker::start();
    let (reader, writer) = std::io::pipe().expect("a pipe");
    let mut cmd = sub_command(&broker.args(&["--format", "ndjson", "-v"]));
    cmd.stdin(Stdio::null()).stdout(writer.try_clone().unwrap()).stderr(writer);
    let mut child = cmd.spawn().expect("spawn sensoro-sub");
    drop(cmd);
    // Subscribed when the broker says so; then far more than a pipe holds.
    broker.wait_log("the subscription", |log| log.contains("users/foobar/devices"));
    let lines: Vec<String> = (0..3000).map(|n| push(n, "0117C9A1B2C3D4E5", "temp_humi")).collect();
    broker.publish_lines(&lines, 1);
    thread::sleep(Duration::from_millis(500));
    assert!(child.try_wait().unwrap().is_none(), "still running, blocked on the full pipe");
    let sent = Instant::now();
    signal(child.id(), "TERM");
    let status = wait_bounded(&mut child, Duration::from_secs(5));
    assert!(status.is_some(), "still running 5 s after SIGTERM with nobody reading");
    assert_eq!(status.unwrap().code(), Some(0), "an interrupted run is a normal end");
    assert!(sent.elapsed() < Duration::from_secs(5));
    drop(reader);
}
