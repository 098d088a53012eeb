//! The embedded SENSORO-cloud stand-in, checked with a third-party client (mosquitto_sub) and with
//! our own subscriber.
#![cfg(feature = "simulator")]

mod common;

use std::collections::BTreeSet;
use std::process::{Command, Output};

use common::*;
use serde_json::Value;

/// `sensoro-sub simulate` on a free port, ready when it says so.
fn simulate(extra: &[&str]) -> (Sub, u16) {
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let mut args = strings(&["simulate", "--listen", &listen, "--app-id", APP_ID, "--app-secret", APP_SECRET]);
    args.extend(strings(&["--app-id", OTHER_ID, "--app-secret", OTHER_SECRET]));
    if !extra.contains(&"--rate") {
        args.extend(strings(&["--rate", "20/s"]));
    }
    args.extend(strings(extra));
    let sim = Sub::spawn(&args);
    sim.wait_stderr("the stand-in to listen", |lines| {
        lines.iter().any(|l| l.contains("simulating the SENSORO push service on"))
    });
    (sim, port)
}

fn mosquitto_sub(port: u16, args: &[&str]) -> Output {
    let mut cmd = Command::new("timeout");
    cmd.args(["20", "mosquitto_sub", "-h", "127.0.0.1", "-p", &port.to_string()]);
    cmd.args(args);
    cmd.output().expect("mosquitto_sub runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn assert_push_shape(line: &str, app_id: &str) -> Value {
    let push: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
    let keys: Vec<&String> = push.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["appId", "sn", "type", "deviceType", "createdTime", "msgId", "data"], "{line}");
    assert_eq!(push["appId"], app_id);
    let sn = push["sn"].as_str().unwrap();
    assert!(sn.len() == 16 && sn.chars().all(|c| c.is_ascii_hexdigit()), "{sn}");
    assert!(push["createdTime"].as_u64().unwrap() > 1_700_000_000_000);
    assert!(push["data"].as_object().unwrap().contains_key("battery"));
    push
}

#[test]
fn mosquitto_sub_receives_pushes_over_mqtt_3_1_and_3_1_1() {
    let (_sim, port) = simulate(&[]);
    for version in ["mqttv31", "mqttv311"] {
        let client_id = format!("{APP_ID}/{version}");
        let out = mosquitto_sub(
            port,
            &[
                "-V",
                version,
                "-u",
                APP_ID,
                "-P",
                APP_SECRET,
                "-i",
                &client_id,
                "-t",
                "users/foobar/devices",
                "-q",
                "1",
                "-C",
                "3",
            ],
        );
        assert!(out.status.success(), "{version}: {}", text(&out.stderr));
        let lines: Vec<String> = text(&out.stdout).lines().map(str::to_owned).collect();
        assert_eq!(lines.len(), 3, "{version}");
        for line in &lines {
            assert_push_shape(line, APP_ID);
        }
    }
}

#[test]
fn wrong_password_and_bad_client_ids_are_not_authorised() {
    let (_sim, port) = simulate(&[]);
    for (user, password, client_id) in [
        (APP_ID, "wrong", "foobar/x"),
        (APP_ID, APP_SECRET, "foobarx"),
        (APP_ID, APP_SECRET, "other/x"),
        ("nobody", "x", "nobody"),
    ] {
        let out = mosquitto_sub(
            port,
            &["-u", user, "-P", password, "-i", client_id, "-t", "users/foobar/devices", "-C", "1"],
        );
        assert!(!out.status.success(), "{user}/{client_id} must be refused");
        assert!(text(&out.stderr).contains("not authorised"), "{user}/{client_id}: {}", text(&out.stderr));
    }
}

#[test]
fn other_topics_and_wildcards_are_denied_with_suback_128() {
    let (_sim, port) = simulate(&[]);
    for topic in ["users/other/devices", "#", "users/+/devices"] {
        let out =
            mosquitto_sub(port, &["-d", "-u", APP_ID, "-P", APP_SECRET, "-i", "foobar/acl", "-t", topic, "-W", "2"]);
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert!(all.contains("Subscribed (mid: 1): 128"), "{topic}: {all}");
    }
}

#[test]
fn a_durable_client_gets_the_pushes_sent_while_it_was_away() {
    let (_sim, port) = simulate(&["--rate", "50/s"]);
    let durable =
        ["-c", "-i", "foobar/durable", "-u", APP_ID, "-P", APP_SECRET, "-t", "users/foobar/devices", "-q", "1"];
    let mut first: Vec<&str> = durable.to_vec();
    first.extend(["-C", "1"]);
    let out = mosquitto_sub(port, &first);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let first_seen = assert_push_shape(text(&out.stdout).trim(), APP_ID);
    std::thread::sleep(std::time::Duration::from_secs(2));
    // About 100 pushes went out while the client was away: the next run gets them, from the one
    // after the last seen, none missing. Not strictly first or in order: rmqtt (0.24) may hand a new
    // push over before the queued ones and swap neighbours while it flushes the queue (README says so).
    let back_at = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64;
    let mut second: Vec<&str> = durable.to_vec();
    second.extend(["-C", "30"]);
    let out = mosquitto_sub(port, &second);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<Value> = text(&out.stdout).lines().map(|l| assert_push_shape(l, APP_ID)).collect();
    assert_eq!(lines.len(), 30);
    // The fleet numbers its pushes: the last 8 hex digits of msgId.
    let number = |push: &Value| u64::from_str_radix(&push["msgId"].as_str().unwrap()[16..], 16).unwrap();
    let mut queued: Vec<u64> =
        lines.iter().filter(|p| p["createdTime"].as_u64().unwrap() < back_at).map(number).collect();
    assert!(queued.len() >= 20, "{} of the first 30 pushes back were sent while away: {lines:#?}", queued.len());
    queued.sort();
    let expected: Vec<u64> = (number(&first_seen) + 1..).take(queued.len()).collect();
    assert_eq!(queued, expected, "the pushes sent while away, from the one after the last seen, none missing");
}

#[test]
fn each_app_id_gets_its_own_fleet_only() {
    let (_sim, port) = simulate(&[]);
    let args = |id: &str, secret: &str| {
        strings(&[
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--app-id",
            id,
            "--app-secret",
            secret,
            "-n",
            "5",
        ])
    };
    let ours = run_to_end(&args(APP_ID, APP_SECRET));
    let theirs = run_to_end(&args(OTHER_ID, OTHER_SECRET));
    assert_eq!((ours.code, theirs.code), (Some(0), Some(0)), "{ours:#?} {theirs:#?}");
    for line in &ours.stdout {
        assert_push_shape(line, APP_ID);
    }
    for line in &theirs.stdout {
        assert_push_shape(line, OTHER_ID);
    }
}

fn fleet_of(seed: &str) -> BTreeSet<(String, String)> {
    let (_sim, port) = simulate(&["--seed", seed, "--devices", "4", "--rate", "40/s"]);
    let done = run_to_end(&strings(&[
        "--host",
        "127.0.0.1",
        "--port",
        &port.to_string(),
        "--app-id",
        APP_ID,
        "--app-secret",
        APP_SECRET,
        "-n",
        "40",
    ]));
    assert_eq!(done.code, Some(0), "{done:#?}");
    done.stdout
        .iter()
        .map(|line| {
            let push = assert_push_shape(line, APP_ID);
            (push["sn"].as_str().unwrap().to_owned(), push["deviceType"].as_str().unwrap().to_owned())
        })
        .collect()
}

#[test]
fn a_seed_gives_the_same_fleet() {
    let a = fleet_of("42");
    assert_eq!(a.len(), 4, "four devices: {a:?}");
    assert_eq!(a, fleet_of("42"));
    assert_ne!(a, fleet_of("43"));
}

#[test]
fn safe_mode_pushes_decrypt_with_the_simulators_key() {
    let key = "kT0pJ7n3VbQYxW9cH2mLs5RfA8dZe4Gu1qNyXoC6iBD";
    let (_sim, port) = simulate(&["--app-key", key]);
    let base = ["--host", "127.0.0.1", "--port", &port.to_string(), "--app-id", APP_ID, "--app-secret", APP_SECRET];
    let mut raw = strings(&base);
    raw.extend(strings(&["-f", "raw", "-n", "2"]));
    let done = run_to_end(&raw);
    for line in &done.stdout {
        let push: Value = serde_json::from_str(line).unwrap();
        assert!(push["encryptData"].is_string() && push.get("data").is_none(), "{line}");
    }
    let mut decrypted = strings(&base);
    decrypted.extend(strings(&["--app-key", key, "-n", "3"]));
    let done = run_to_end(&decrypted);
    assert_eq!(done.code, Some(0), "{done:#?}");
    for line in &done.stdout {
        assert_push_shape(line, APP_ID);
    }
    assert!(done.stderr_text().contains("undecryptable 0"), "{done:#?}");
}

#[test]
fn demo_prints_the_requested_pushes_and_exits_0() {
    for extra in [&[][..], &["--safe-mode"][..]] {
        let mut args = strings(&["demo", "--count", "5"]);
        args.extend(strings(extra));
        let done = run_to_end(&args);
        assert_eq!(done.code, Some(0), "{extra:?}: {done:#?}");
        assert_eq!(done.stdout.len(), 5, "{extra:?}: {done:#?}");
        for line in &done.stdout {
            assert_push_shape(line, "demo");
        }
        assert!(done.stderr_text().contains("undecryptable 0"), "{done:#?}");
    }
}

#[test]
fn simulate_refuses_unpaired_accounts_and_a_taken_port() {
    let done = run_to_end(&strings(&["simulate", "--app-id", "a", "--app-id", "b", "--app-secret", "x"]));
    assert_eq!(done.code, Some(2), "{done:#?}");
    assert!(done.stderr_text().contains("2 --app-id but 1 --app-secret"), "{done:#?}");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let listen = taken.local_addr().unwrap().to_string();
    let done = run_to_end(&strings(&["simulate", "--listen", &listen, "--app-id", "a", "--app-secret", "x"]));
    assert_eq!(done.code, Some(2), "{done:#?}");
    assert!(done.stderr_text().contains("choose another --listen"), "{done:#?}");
}

/// A 3.1-era broker (`simulate --mqtt-3.1-only`) answers a 3.1.1 CONNECT with CONNACK 1: the default
/// `--mqtt-version auto` falls back to 3.1 and says so, `check` reports it, a forced 3.1.1 is refused
/// with advice that names 3.1, and a third-party 3.1 client still works there.
#[test]
fn auto_falls_back_to_mqtt_3_1_on_a_broker_that_refuses_3_1_1() {
    let (_sim, port) = simulate(&["--mqtt-3.1-only"]);
    let connection = ["--host", "127.0.0.1", "--port", &port.to_string()];

    let auto = run_to_end(&args_with(&connection, &["-n", "2", "-v"]));
    assert_eq!(auto.code, Some(0), "{auto:#?}");
    assert_eq!(auto.stdout.len(), 2, "{auto:#?}");
    for line in &auto.stdout {
        assert_push_shape(line, APP_ID);
    }
    let said = auto.stderr_text();
    assert!(said.contains("refused MQTT 3.1.1 (CONNACK 1); trying 3.1"), "{said}");
    assert!(said.contains(&format!("connected to 127.0.0.1:{port} as")) && said.contains("(MQTT 3.1)"), "{said}");

    let forced = run_to_end(&args_with(&connection, &["-n", "1", "--mqtt-version", "3.1.1"]));
    assert_eq!(forced.code, Some(4), "{forced:#?}");
    assert!(forced.stderr_text().contains("refused MQTT 3.1.1 (CONNACK 1): try --mqtt-version 3.1"), "{forced:#?}");

    let v31 = run_to_end(&args_with(&connection, &["-n", "1", "--mqtt-version", "3.1"]));
    assert_eq!((v31.code, v31.stdout.len()), (Some(0), 1), "{v31:#?}");

    let check = run_to_end(&args_with(&connection, &["check"]));
    assert_eq!(check.code, Some(0), "{check:#?}");
    assert!(check.stdout.iter().any(|l| l.contains("with MQTT 3.1 (3.1.1 refused)")), "{check:#?}");

    let login = ["-u", APP_ID, "-P", APP_SECRET, "-t", "users/foobar/devices", "-C", "1"];
    let old = mosquitto_sub(port, &[&login[..], &["-i", "foobar/m31", "-V", "mqttv31"]].concat());
    assert!(old.status.success(), "{}", text(&old.stderr));
    assert_push_shape(text(&old.stdout).trim(), APP_ID);
    let new = mosquitto_sub(port, &[&login[..], &["-i", "foobar/m311", "-V", "mqttv311"]].concat());
    assert!(!new.status.success() && text(&new.stderr).contains("unacceptable protocol version"), "{new:?}");
}

/// The service refuses a subscription to another topic with SUBACK 0x80 (mosquitto would grant it and
/// deliver nothing): the subscriber and `check` both exit 4 and say which topic the service allows.
#[test]
fn a_refused_subscription_exits_4_and_names_the_allowed_topic() {
    let (_sim, port) = simulate(&[]);
    let connection = ["--host", "127.0.0.1", "--port", &port.to_string()];
    for extra in [&["--topic", "users/other/devices"][..], &["check", "--topic", "users/other/devices"][..]] {
        let done = run_to_end(&args_with(&connection, extra));
        assert_eq!(done.code, Some(4), "{extra:?}: {done:#?}");
        let said = format!("{}\n{}", done.stdout.join("\n"), done.stderr_text());
        assert!(
            said.contains("refused the subscription to users/other/devices (")
                && said.contains("the service allows only users/foobar/devices; check --topic"),
            "{extra:?}: {said}"
        );
    }
}
