//! Safe mode through the real binary: live against mosquitto, and offline with `decode`.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::*;
use sensoro_sub::pipeline::safe_mode::{AppKey, encrypt, encrypt_blocks, frame};
use serde_json::Value;

/// A made-up AppKey whose 43rd character is not canonical base64, like most real ones.
const KEY: &str = "kT0pJ7n3VbQYxW9cH2mLs5RfA8dZe4Gu1qNyXoC6iBD";
const WRONG_KEY: &str = "Zm9vYmFyYmF6cXV4cXV1eGZvb2JhcmJhenF1eHF1dXg";

fn key() -> AppKey {
    AppKey::parse(KEY).expect("test key parses")
}

fn safe_push(n: usize, encrypt_data: &str) -> String {
    format!(
        r#"{{"appId":"{APP_ID}","sn":"0117C9A1B2C3D4E{n}","type":"text","deviceType":"temp_humi","createdTime":1764094329000,"msgId":"s-{n}","encryptData":"{encrypt_data}"}}"#
    )
}

fn plain_of(n: usize, data: &str) -> String {
    format!(
        r#"{{"appId":"{APP_ID}","sn":"0117C9A1B2C3D4E{n}","type":"text","deviceType":"temp_humi","createdTime":1764094329000,"msgId":"s-{n}","data":{data}}}"#
    )
}

const DATA: &str = r#"{"temperature":21.5,"humidity":44,"note":"北京 🌡️"}"#;

fn live(broker: &Broker, extra: &[&str], payloads: &[String]) -> Finished {
    let sub = Sub::spawn(&broker.args(extra));
    sub.wait_subscribed();
    for payload in payloads {
        broker.publish(payload.as_bytes(), 1);
    }
    sub.finish()
}

#[test]
fn decrypted_data_replaces_encrypt_data_in_every_format() {
    let broker = Broker::start();
    let push = safe_push(1, &encrypt(&key(), APP_ID, DATA, [9; 16]));
    let expected = plain_of(1, DATA);

    let done = live(&broker, &["--app-key", KEY, "-n", "1"], std::slice::from_ref(&push));
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(done.stdout, vec![expected.clone()], "ndjson: data in place of encryptData, order kept");

    let done = live(&broker, &["--app-key", KEY, "-n", "1", "-f", "json"], std::slice::from_ref(&push));
    let json: Value = serde_json::from_str(&done.stdout.join("\n")).unwrap();
    assert_eq!(json, serde_json::from_str::<Value>(&expected).unwrap());

    let done =
        live(&broker, &["--app-key", KEY, "-n", "1", "-f", "pretty", "--color", "never"], std::slice::from_ref(&push));
    assert!(done.stdout[0].ends_with("temperature=21.5°C  humidity=44%  note=\"北京 🌡️\""), "{done:#?}");

    let done = live(&broker, &["--app-key", KEY, "-n", "1", "-f", "raw"], std::slice::from_ref(&push));
    assert_eq!(done.stdout, vec![push.clone()], "raw prints what arrived");

    let done = live(&broker, &["--app-key", KEY, "-n", "1", "--envelope"], std::slice::from_ref(&push));
    let envelope: Value = serde_json::from_str(&done.stdout[0]).unwrap();
    assert_eq!(envelope["push"]["data"]["humidity"], 44);
    assert!(envelope["push"].get("encryptData").is_none());
}

/// The AppKey from the environment (as systemd and cron set it), live and in `decode`.
#[test]
fn the_app_key_can_come_from_sensoro_app_key() {
    let broker = Broker::start();
    let push = safe_push(1, &encrypt(&key(), APP_ID, DATA, [9; 16]));
    let mut cmd = sub_command(&broker.args(&["-n", "1"]));
    cmd.env("SENSORO_APP_KEY", KEY);
    let done = run_command_with_pushes(&broker, cmd, &[push.as_bytes()]);
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(done.stdout, vec![plain_of(1, DATA)], "{done:#?}");

    let mut cmd = sub_command(&strings(&["decode"]));
    cmd.env("SENSORO_APP_KEY", KEY).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn decode");
    child.stdin.take().unwrap().write_all(format!("{push}\n").as_bytes()).unwrap();
    wait_bounded(&mut child, PATIENCE).expect("decode ends");
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim_end(), plain_of(1, DATA));
}

#[test]
fn filters_apply_to_decrypted_pushes() {
    let broker = Broker::start();
    let pushes: Vec<String> = (1..=3).map(|n| safe_push(n, &encrypt(&key(), APP_ID, DATA, [n as u8; 16]))).collect();
    let done = live(&broker, &["--app-key", KEY, "--sn", "0117C9A1B2C3D4E2", "-n", "1"], &pushes);
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(done.stdout, vec![plain_of(2, DATA)]);
}

#[test]
fn every_failure_is_reported_printed_unchanged_and_the_stream_goes_on() {
    let broker = Broker::start();
    let k = key();
    let mut bad_length_field = frame([1; 16], DATA.as_bytes(), APP_ID);
    bad_length_field[16..20].copy_from_slice(&5000u32.to_be_bytes());
    let cases: Vec<(String, &str)> = vec![
        (safe_push(1, "not base64!"), "encryptData is not base64"),
        (safe_push(2, "AAAAAAAAAAAAAAAAAAAAAAAAAAAA"), "not a multiple of 16"),
        (safe_push(3, &encrypt(&AppKey::parse(WRONG_KEY).unwrap(), APP_ID, DATA, [1; 16])), "wrong AppKey?"),
        (safe_push(4, &encrypt(&k, "someone-else", DATA, [1; 16])), "encrypted for AppID \"someone-else\""),
        (safe_push(5, &encrypt(&k, APP_ID, "[1,2,3]", [1; 16])), "not a JSON object"),
        (safe_push(6, &encrypt_blocks(&k, &frame([1; 16], b"{\"a\":\"\xff\"}", APP_ID))), "not UTF-8"),
        (safe_push(7, &encrypt_blocks(&k, &bad_length_field)), "length field says 5000 bytes"),
        (safe_push(8, "").replace("\"encryptData\":\"\"", "\"encryptData\":42"), "encryptData is not a string"),
    ];
    let good = safe_push(9, &encrypt(&k, APP_ID, DATA, [2; 16]));
    let mut payloads: Vec<String> = cases.iter().map(|(p, _)| p.clone()).collect();
    payloads.push(good);
    let done = live(&broker, &["--app-key", KEY, "-n", "9"], &payloads);
    assert_eq!(done.code, Some(0), "{done:#?}");
    let (failed, last) = done.stdout.split_at(8);
    assert_eq!(failed, payloads[..8].to_vec(), "undecryptable pushes are printed as received");
    assert_eq!(last, [plain_of(9, DATA)], "the stream goes on");
    let err = done.stderr_text();
    for (n, (_, reason)) in cases.iter().enumerate() {
        let line = err.lines().find(|l| l.contains(&format!("cannot decrypt push #{}", n + 1))).unwrap_or_else(|| {
            panic!("no report for case {}: {err}", n + 1);
        });
        assert!(line.contains(reason) && line.ends_with("printed as received"), "case {}: {line}", n + 1);
    }
    assert!(err.contains("undecryptable 8"), "{err}");
    assert!(!err.contains(KEY), "the AppKey is never printed");
}

#[test]
fn without_a_key_encrypted_pushes_pass_through_with_one_hint() {
    let broker = Broker::start();
    let pushes: Vec<String> = (1..=3).map(|n| safe_push(n, &encrypt(&key(), APP_ID, DATA, [3; 16]))).collect();
    let done = live(&broker, &["-n", "3"], &pushes);
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(done.stdout, pushes);
    assert_eq!(done.stderr_text().matches("set SENSORO_APP_KEY or pass --app-key").count(), 1, "{done:#?}");
}

#[test]
fn an_invalid_app_key_is_refused_at_start_up() {
    for bad in ["short", "not*base64*at*all*not*base64*at*all*not*ba", &format!("{KEY}AAAA")] {
        let done = run_to_end(&strings(&[
            "--host",
            "127.0.0.1",
            "--port",
            "1",
            "--app-id",
            APP_ID,
            "--app-secret",
            "x",
            "--app-key",
            bad,
        ]));
        assert_eq!(done.code, Some(2), "{bad}: {done:#?}");
        assert!(done.stderr_text().contains("--app-key is not a valid AppKey"), "{done:#?}");
        assert!(!done.stderr_text().contains(bad), "the key is not echoed");
    }
}

fn decode(args: &[&str], stdin: &[u8]) -> Finished {
    let mut cmd = sub_command(&strings(&["decode"]));
    cmd.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn decode");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let status = wait_bounded(&mut child, PATIENCE).expect("decode ends");
    let out = child.wait_with_output().unwrap();
    Finished {
        code: status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).lines().map(str::to_owned).collect(),
        stderr: String::from_utf8_lossy(&out.stderr).lines().map(str::to_owned).collect(),
    }
}

#[test]
fn decode_runs_the_same_pipeline_over_a_file_or_stdin() {
    let k = key();
    let log = [
        plain_of(1, r#"{"battery":90}"#),
        String::new(),
        safe_push(2, &encrypt(&k, APP_ID, DATA, [4; 16])),
        "garbage line".to_owned(),
        safe_push(3, &encrypt(&k, "someone-else", DATA, [4; 16])),
    ]
    .join("\n")
        + "\n";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("webhook.ndjson");
    std::fs::write(&path, &log).unwrap();

    let from_file = decode(&[path.to_str().unwrap(), "--app-key", KEY], b"");
    assert_eq!(from_file.code, Some(0), "{from_file:#?}");
    assert_eq!(
        from_file.stdout,
        vec![
            plain_of(1, r#"{"battery":90}"#),
            plain_of(2, DATA),
            safe_push(3, &encrypt(&k, "someone-else", DATA, [4; 16]))
        ]
    );
    let err = from_file.stderr_text();
    assert!(err.contains("webhook.ndjson:4 (not JSON"), "{err}");
    assert!(
        err.contains("cannot decrypt push #4 from") && err.contains("webhook.ndjson:5: encrypted for AppID"),
        "{err}"
    );
    assert!(
        err.contains("end of input")
            && err.contains("received 4, printed 3, filtered 0, undecodable 1, undecryptable 1, duplicates 0"),
        "{err}"
    );

    let from_stdin = decode(&["--app-key", KEY, "--count", "3"], log.as_bytes());
    assert_eq!(from_stdin.code, Some(0), "{from_stdin:#?}");
    assert_eq!(from_stdin.stdout, from_file.stdout);
    assert!(from_stdin.stderr_text().contains("from stdin:4 (not JSON"), "{from_stdin:#?}");
    assert!(from_stdin.stderr_text().contains("count reached"), "{from_stdin:#?}");

    let filtered =
        decode(&["--app-key", KEY, "--sn", "0117C9A1B2C3D4E2", "-f", "pretty", "--color", "never"], log.as_bytes());
    assert_eq!(filtered.stdout.len(), 1, "{filtered:#?}");
    assert!(filtered.stdout[0].contains("temperature=21.5°C"), "{filtered:#?}");
}

/// `decode --app-id` checks every push against that AppID instead of the push's own `appId`.
#[test]
fn decode_with_app_id_decrypts_only_what_was_encrypted_for_it() {
    let k = key();
    let ours = safe_push(1, &encrypt(&k, APP_ID, DATA, [4; 16]));
    let theirs = safe_push(2, &encrypt(&k, "someone-else", DATA, [4; 16]));
    let log = format!("{ours}\n{theirs}\n");
    let done = decode(&["--app-key", KEY, "--app-id", "someone-else"], log.as_bytes());
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(done.stdout, vec![ours, plain_of(2, DATA)], "{done:#?}");
    assert!(done.stderr_text().contains(&format!("stdin:1: encrypted for AppID \"{APP_ID}\"")), "{done:#?}");
}

#[test]
fn decode_without_app_id_checks_each_push_against_its_own_app_id() {
    let fixtures: Value =
        serde_json::from_str(include_str!("fixtures/safe_mode/vectors.json")).expect("fixtures parse");
    for vector in fixtures["vectors"].as_array().unwrap().iter().step_by(7) {
        let app_id = vector["app_id"].as_str().unwrap();
        let push =
            format!(r#"{{"appId":"{app_id}","sn":"X","encryptData":"{}"}}"#, vector["encrypt_data"].as_str().unwrap());
        let done = decode(&["--app-key", vector["app_key"].as_str().unwrap()], push.as_bytes());
        assert_eq!(done.code, Some(0), "{done:#?}");
        let printed: Value = serde_json::from_str(&done.stdout[0]).unwrap();
        let expected: Value = serde_json::from_str(vector["message"].as_str().unwrap()).unwrap();
        assert_eq!(printed["data"], expected, "{}", vector["name"]);
    }
}

#[test]
fn decode_of_a_missing_file_is_a_usage_error() {
    let done = decode(&["/no/such/file.ndjson"], b"");
    assert_eq!(done.code, Some(2), "{done:#?}");
    assert!(done.stderr_text().contains("cannot read /no/such/file.ndjson"), "{done:#?}");
}

#[test]
fn decode_refuses_subscriber_flags_before_the_subcommand() {
    let out = Command::new(bin()).args(["--host", "x", "decode"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
