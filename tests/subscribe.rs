//! The subscriber end to end: real mosquitto, real binary, real pipes.

mod common;

use std::io::Read;
use std::process::{Command, Stdio};

use common::*;
use serde_json::Value;

/// A subscriber on `broker` with `extra` flags, given `payloads` once subscribed, run to its end.
fn run_with_pushes(broker: &Broker, extra: &[&str], payloads: &[&[u8]]) -> Finished {
    run_command_with_pushes(broker, sub_command(&broker.args(extra)), payloads)
}

#[test]
fn ndjson_is_the_default_off_a_terminal_and_prints_pushes_verbatim() {
    let broker = Broker::start();
    let (a, b) = (push(1, "0117C9A1B2C3D4E5", "temp_humi"), push(2, "0117C9A1B2C3D4E6", "smoke"));
    let done = run_with_pushes(&broker, &["--count", "2"], &[a.as_bytes(), b.as_bytes()]);
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(done.stdout, vec![a, b]);
    assert!(done.stderr_text().contains("count reached"), "{done:#?}");
    assert!(
        done.stderr_text()
            .contains("received 2, printed 2, filtered 0, undecodable 0, undecryptable 0, duplicates 0, reconnects 0")
    );
}

/// paho's C core reads the socket ahead in 64 KiB pieces (vendor/paho-mqtt-sys.patch): pushes larger
/// than that, among small ones and split across reads, arrive whole and in order, at QoS 0 and 1.
#[test]
fn pushes_larger_than_the_read_ahead_arrive_whole_and_in_order() {
    let broker = Broker::start();
    let big = |n: usize, size: usize| {
        let small = push(n, "0117C9A1B2C3D4E5", "temp_humi");
        small.replace(r#""battery":87"#, &format!(r#""battery":87,"blob":"{}""#, "x".repeat(size)))
    };
    for qos in ["0", "1"] {
        let pushes: Vec<String> = vec![
            push(1, "A", "t"),
            big(2, 300_000),
            push(3, "A", "t"),
            big(4, 70_000),
            big(5, 65_400),
            push(6, "A", "t"),
        ];
        let sub = Sub::spawn(&broker.args(&["--qos", qos, "-n", "6"]));
        sub.wait_subscribed();
        // Stopped, so the pushes pile up in the socket and are read ahead together.
        signal(sub.pid(), "STOP");
        for payload in &pushes {
            broker.publish(payload.as_bytes(), qos.parse().unwrap());
        }
        signal(sub.pid(), "CONT");
        let done = sub.finish();
        assert_eq!(done.code, Some(0), "QoS {qos}: {:?}", done.stderr);
        assert_eq!(done.stdout, pushes, "QoS {qos}");
    }
}

#[test]
fn pretty_prints_one_readable_line_per_push() {
    let broker = Broker::start();
    let a = push(3, "0117C9A1B2C3D4E5", "temp_humi");
    let nested = r#"{"sn":"0117C9A1B2C3D4E7","deviceType":"magnetic","createdTime":1764094329000,"data":{"magnetic":{"x":1,"y":2,"z":3},"lonlat":[116.39,39.91]}}"#;
    let done = run_with_pushes(
        &broker,
        &["--format", "pretty", "--color", "never", "-n", "2"],
        &[a.as_bytes(), nested.as_bytes()],
    );
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(done.stdout.len(), 2, "{done:#?}");
    assert!(
        done.stdout[0].ends_with("  0117C9A1B2C3D4E5  temp_humi     temperature=23.5°C  humidity=43%  battery=87%"),
        "{:?}",
        done.stdout[0]
    );
    assert!(
        done.stdout[1].ends_with("magnetic.x=1  magnetic.y=2  magnetic.z=3  lonlat=116.39,39.91"),
        "{:?}",
        done.stdout[1]
    );
    assert!(!done.stdout.concat().contains('\x1b'), "--color never must not color");
}

#[test]
fn pretty_and_json_are_colored_only_when_asked() {
    let broker = Broker::start();
    let a = push(4, "0117C9A1B2C3D4E5", "temp_humi");
    let done = run_with_pushes(&broker, &["--format", "json", "--color", "always", "-n", "1"], &[a.as_bytes()]);
    assert!(done.stdout.concat().contains("\x1b["), "{done:#?}");
    // Piped, "auto" never colors, even pretty output (NO_COLOR and TERM=dumb on a terminal:
    // tests/ecosystem.rs, colors_follow_the_terminal_no_color_and_term_dumb).
    let done = run_with_pushes(&broker, &["--format", "pretty", "-n", "1"], &[a.as_bytes()]);
    assert_eq!(done.stdout.len(), 1, "{done:#?}");
    assert!(!done.stdout[0].contains('\x1b'), "a pipe gets no colors from auto");
}

#[test]
fn json_is_indented_and_equal_to_the_push() {
    let broker = Broker::start();
    let a = push(5, "0117C9A1B2C3D4E5", "temp_humi");
    let done = run_with_pushes(&broker, &["--format", "json", "-n", "1"], &[a.as_bytes()]);
    assert_eq!(done.code, Some(0));
    assert!(done.stdout.len() > 5, "indented over many lines: {done:#?}");
    assert_eq!(done.stdout[1], r#"  "appId": "foobar","#);
    let parsed: Value = serde_json::from_str(&done.stdout.join("\n")).unwrap();
    assert_eq!(parsed, serde_json::from_str::<Value>(&a).unwrap());
}

#[test]
fn raw_passes_any_bytes_through() {
    let broker = Broker::start();
    let binary: &[u8] = b"\x00\xffnot json\x01";
    let sub = Sub::spawn_with_stdout(&broker.args(&["--format", "raw", "-n", "2"]));
    let (sub, mut stdout) = sub;
    sub.wait_subscribed();
    broker.publish(binary, 1);
    broker.publish(b"{\"sn\":\"A\"}", 1);
    let mut bytes = Vec::new();
    stdout.read_to_end(&mut bytes).unwrap();
    let done = sub.finish();
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(bytes, b"\x00\xffnot json\x01\n{\"sn\":\"A\"}\n");
}

#[test]
fn envelope_carries_topic_qos_flags_and_time() {
    let broker = Broker::start();
    let a = push(6, "0117C9A1B2C3D4E5", "temp_humi");
    let done = run_with_pushes(&broker, &["--envelope", "-n", "1"], &[a.as_bytes()]);
    assert_eq!(done.code, Some(0), "{done:#?}");
    let envelope: Value = serde_json::from_str(&done.stdout[0]).unwrap();
    let keys: Vec<&String> = envelope.as_object().unwrap().keys().collect();
    // No "dup": paho-mqtt 0.14 does not expose the DUP flag (docs/architecture.md).
    assert_eq!(keys, ["topic", "qos", "retained", "received_at", "push", "alarms"]);
    assert_eq!(envelope["alarms"], serde_json::json!([]), "a calm push: tests/alarms.rs has the others");
    assert_eq!(envelope["topic"], "users/foobar/devices");
    assert_eq!(envelope["qos"], 1);
    assert_eq!(envelope["retained"], false);
    assert!(envelope["received_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(envelope["push"], serde_json::from_str::<Value>(&a).unwrap());
}

#[test]
fn filters_select_by_serial_number_and_device_type() {
    let broker = Broker::start();
    let pushes = [
        push(1, "AAAA000000000001", "temp_humi"),
        push(2, "AAAA000000000002", "smoke"),
        push(3, "AAAA000000000001", "smoke"),
        push(4, "AAAA000000000003", "temp_humi"),
        push(5, "aaaa000000000001", "temp_humi"),
    ];
    let payloads: Vec<&[u8]> = pushes.iter().map(|p| p.as_bytes()).collect();
    let extra = ["--sn", "AAAA000000000001", "--sn", "AAAA000000000003", "--device-type", "temp_humi", "-n", "3"];
    let done = run_with_pushes(&broker, &extra, &payloads);
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(done.stdout, vec![pushes[0].clone(), pushes[3].clone(), pushes[4].clone()]);
    assert!(done.stderr_text().contains("received 5, printed 3, filtered 2"), "{done:#?}");
}

#[test]
fn timeout_without_a_push_exits_5() {
    let broker = Broker::start();
    let started = std::time::Instant::now();
    let done = run_to_end(&broker.args(&["--timeout", "1s"]));
    let took = started.elapsed();
    assert_eq!(done.code, Some(5), "{done:#?}");
    assert!(done.stderr_text().contains("no push for 1s (--timeout)"), "{done:#?}");
    // Counted from the start: never early, and not long after (room for a loaded 2-core machine).
    assert!(took >= std::time::Duration::from_secs(1) && took < std::time::Duration::from_secs(4), "{took:?}");
}

#[test]
fn timeout_counts_from_the_last_push() {
    let broker = Broker::start();
    let sub = Sub::spawn(&broker.args(&["--timeout", "3s"]));
    sub.wait_subscribed();
    // Four pushes 1 s apart, each counted from the moment the one before was printed: the run
    // outlasts the 3 s timeout only because each push restarts it (2 s of room per gap).
    for n in 0..4 {
        broker.publish(push(n, "A", "t").as_bytes(), 1);
        sub.wait_stdout_lines(n + 1);
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
    let done = sub.finish();
    assert_eq!(done.code, Some(5), "{done:#?}");
    assert_eq!(done.stdout.len(), 4, "pushes kept the timeout from firing: {done:#?}");
}

#[test]
fn duration_ends_normally() {
    let broker = Broker::start();
    let started = std::time::Instant::now();
    let sub = Sub::spawn(&broker.args(&["--duration", "3s"]));
    sub.wait_subscribed();
    broker.publish(push(1, "A", "t").as_bytes(), 1);
    let done = sub.finish();
    let took = started.elapsed();
    assert!(took >= std::time::Duration::from_secs(3) && took < std::time::Duration::from_secs(6), "{took:?}");
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(done.stdout.len(), 1);
    assert!(done.stderr_text().contains("duration reached"), "{done:#?}");
}

#[test]
fn wrong_secret_is_refused_with_exit_4_and_advice() {
    let broker = Broker::start();
    let mut a = broker.args(&["-v"]);
    let at = a.iter().position(|s| s == APP_SECRET).unwrap();
    a[at] = "wrong-secret".into();
    let done = run_to_end(&a);
    assert_eq!(done.code, Some(4), "{done:#?}");
    let err = done.stderr_text();
    assert!(err.contains("Not Authorized (CONNACK 5)") && err.contains("AppSecret"), "{err}");
    assert!(!err.contains("wrong-secret"), "the secret must never be printed: {err}");
}

/// Without `--topic`, each AppID subscribes to its own `users/APPID/devices`, and only what is
/// published there is printed: a push to another AppID's topic, routed first, is not. (That the
/// service refuses other topics is the simulator's test `a_refused_subscription_exits_4_…`.)
#[test]
fn each_app_id_subscribes_to_its_own_topic_by_default() {
    let broker = Broker::start();
    let port = broker.port.to_string();
    let other = ["--host", "127.0.0.1", "--port", &port, "--app-id", OTHER_ID, "--app-secret", OTHER_SECRET];
    let sub = Sub::spawn(&strings(&[&other[..], &["-n", "1"]].concat()));
    sub.wait_subscribed();
    // mosquitto_pub waits for its PUBACK, so msg-1 is routed before msg-2 is published.
    broker.publish(push(1, "A", "t").as_bytes(), 1);
    broker.publish_to("users/other/devices", push(2, "B", "t").as_bytes(), 1);
    let done = sub.finish();
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert!(done.stderr_text().contains("subscribed to users/other/devices (QoS 1)"), "{done:#?}");
    assert_eq!(done.stdout.len(), 1, "{done:#?}");
    assert!(done.stdout[0].contains(r#""msgId":"msg-2""#), "{done:#?}");
}

#[test]
fn closed_port_exits_3() {
    let port = free_port().to_string();
    let done = run_to_end(&strings(&["--host", "127.0.0.1", "--port", &port, "--app-id", APP_ID, "--app-secret", "x"]));
    assert_eq!(done.code, Some(3), "{done:#?}");
    assert!(done.stderr_text().contains("check --host/--port"), "{done:#?}");
    assert!(done.stderr_text().contains("hint: --app-secret on the command line is visible"), "{done:#?}");
}

#[test]
fn unresolvable_host_exits_3() {
    let done = run_to_end(&strings(&[
        "--host",
        "no-such-host.invalid",
        "--app-id",
        APP_ID,
        "--app-secret",
        "x",
        "--port",
        "1",
    ]));
    assert_eq!(done.code, Some(3), "{done:#?}");
    assert!(done.stderr_text().contains("cannot resolve no-such-host.invalid"), "{done:#?}");
}

#[test]
fn usage_errors_exit_2_with_one_line_that_says_what_to_do() {
    let base = ["--host", "127.0.0.1", "--port", "1", "--app-secret", "x"];
    let cases: &[(&[&str], &str)] = &[
        (&["--app-id", APP_ID, "--client-id", "someone-else/1"], "--client-id: invalid clientId"),
        (&["--app-id", APP_ID, "--client-id", "foobar/has.dot"], "'.' is not allowed"),
        (&["--app-id", APP_ID, "--qos", "2"], "offers QoS 0 and 1 only"),
        (&[], "no AppID given: pass --app-id ID or set SENSORO_APP_ID"),
        (&["--app-id", APP_ID, "--timeout", "30"], "add a unit, e.g. 30s"),
        (&["--app-id", APP_ID, "--envelope", "--format", "pretty"], "--envelope works with"),
        (&["--app-id", APP_ID, "--session", "a/b"], "--session:"),
    ];
    for (extra, expected) in cases {
        let mut a = strings(&base);
        a.extend(strings(extra));
        let done = run_to_end(&a);
        assert_eq!(done.code, Some(2), "{extra:?}: {done:#?}");
        assert!(done.stderr_text().contains(expected), "{extra:?}: {done:#?}");
        assert!(done.stdout.is_empty());
    }
    let done = run_to_end(&strings(&["--app-id", APP_ID]));
    assert_eq!(done.code, Some(2));
    assert!(done.stderr_text().contains("SENSORO_APP_SECRET"), "{done:#?}");
}

#[test]
fn environment_variables_configure_the_connection() {
    let broker = Broker::start();
    let mut cmd = sub_command(&strings(&["-n", "1"]));
    cmd.env("SENSORO_APP_ID", APP_ID)
        .env("SENSORO_APP_SECRET", APP_SECRET)
        .env("SENSORO_HOST", "127.0.0.1")
        .env("SENSORO_PORT", broker.port.to_string());
    let a = push(1, "A", "t");
    let done = run_command_with_pushes(&broker, cmd, &[a.as_bytes()]);
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(done.stdout, vec![a]);
    assert!(!done.stderr_text().contains("hint: --app-secret"), "no hint for the environment: {done:#?}");
}

#[test]
fn secret_file_works_and_secrets_never_reach_output() {
    let broker = Broker::start();
    let path = broker.dir().join("secret.txt");
    std::fs::write(&path, format!("{APP_SECRET}\n")).unwrap();
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let sub = Sub::spawn(&strings(&[
        "--host",
        "127.0.0.1",
        "--port",
        &broker.port.to_string(),
        "--app-id",
        APP_ID,
        "--app-secret-file",
        path.to_str().unwrap(),
        "-v",
        "-n",
        "1",
    ]));
    sub.wait_subscribed();
    broker.publish(push(1, "A", "t").as_bytes(), 1);
    let done = sub.finish();
    assert_eq!(done.code, Some(0), "{done:#?}");
    let all = format!("{}{}", done.stdout.concat(), done.stderr_text());
    assert!(!all.contains(APP_SECRET), "{all}");
    assert!(!all.contains("hint: --app-secret"), "no hint for a secret file: {all}");
    let help = Command::new(bin()).arg("--help").env("SENSORO_APP_SECRET", APP_SECRET).output().unwrap();
    assert!(!String::from_utf8_lossy(&help.stdout).contains(APP_SECRET));
}

#[test]
fn mqtt_3_1_and_3_1_1_both_work() {
    let broker = Broker::start();
    for (flag, shown) in [("3.1", "MQTT 3.1)"), ("3.1.1", "MQTT 3.1.1)"), ("auto", "MQTT 3.1.1)")] {
        let sub = Sub::spawn(&broker.args(&["--mqtt-version", flag, "-n", "1"]));
        sub.wait_subscribed();
        broker.publish(push(1, "A", "t").as_bytes(), 1);
        let done = sub.finish();
        assert_eq!(done.code, Some(0), "{flag}: {done:#?}");
        assert!(done.stderr_text().contains(shown), "{flag}: {done:#?}");
    }
}

#[test]
fn undecodable_payloads_are_reported_counted_and_the_stream_goes_on() {
    let broker = Broker::start();
    let good = push(1, "A", "t");
    let payloads: [&[u8]; 5] = [b"not json at all", b"[1,2,3]", b"{\"sn\":\"\xff\xfe\"}", b"", good.as_bytes()];
    let done = run_with_pushes(&broker, &["-n", "1"], &payloads);
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(done.stdout, vec![good]);
    let err = done.stderr_text();
    assert!(err.contains("undecodable push #1 from users/foobar/devices (not JSON"), "{err}");
    assert!(err.contains("\"not json at all\""), "payload shown: {err}");
    assert!(err.contains("(JSON array, not an object)"), "{err}");
    assert!(err.contains("\\xff\\xfe"), "invalid UTF-8 escaped: {err}");
    assert!(err.contains("(empty payload)"), "{err}");
    assert!(err.contains("received 5, printed 1, filtered 0, undecodable 4"), "{err}");
}

/// An undecodable report shows 1 KiB of the payload and says how much more there is; `-v` shows all.
#[test]
fn verbose_shows_the_whole_undecodable_payload() {
    let broker = Broker::start();
    let long = format!("{}END", "z".repeat(3000));
    for (verbose, shown) in [(false, false), (true, true)] {
        let mut extra = vec!["-n", "1"];
        if verbose {
            extra.push("-v");
        }
        let good = push(1, "A", "t");
        let done = run_with_pushes(&broker, &extra, &[long.as_bytes(), good.as_bytes()]);
        assert_eq!(done.code, Some(0), "{done:#?}");
        let report = done.stderr.iter().find(|l| l.contains("undecodable push #1")).expect("a report");
        assert_eq!(report.contains(&format!("{long}\"")), shown, "verbose {verbose}: {report}");
        assert_eq!(report.contains("(1979 more bytes; -v shows all)"), !shown, "verbose {verbose}: {report}");
    }
}

#[test]
fn quiet_hides_status_but_not_undecodable_reports() {
    let broker = Broker::start();
    let sub = Sub::spawn(&broker.args(&["-q", "-n", "1"]));
    // No "subscribed" line with -q: wait for the broker to log the subscription instead.
    broker.wait_log("the subscription", |log| log.contains("users/foobar/devices"));
    broker.publish(b"bad", 1);
    broker.publish(push(1, "A", "t").as_bytes(), 1);
    let done = sub.finish();
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(done.stderr.len(), 1, "only the undecodable report: {done:#?}");
    assert!(done.stderr[0].contains("undecodable push"));
}

fn interrupt_prints_a_summary(signal_name: &str) {
    let broker = Broker::start();
    let sub = Sub::spawn(&broker.args(&[]));
    sub.wait_subscribed();
    broker.publish(push(1, "A", "t").as_bytes(), 1);
    broker.publish(b"oops", 1);
    broker.publish(push(2, "A", "t").as_bytes(), 1);
    sub.wait_stdout_lines(2);
    signal(sub.pid(), signal_name);
    let done = sub.finish();
    assert_eq!(done.code, Some(0), "{done:#?}");
    let last = done.stderr.last().expect("a summary line");
    assert!(last.contains("interrupted after"), "{last}");
    assert!(
        last.ends_with("received 3, printed 2, filtered 0, undecodable 1, undecryptable 0, duplicates 0, reconnects 0"),
        "{last}"
    );
    // A clean end: the broker got a DISCONNECT, not a dropped connection.
    let log = broker.log();
    assert!(log.contains("Received DISCONNECT from foobar/"), "{signal_name}: {log}");
}

#[test]
fn sigint_disconnects_and_prints_a_summary() {
    interrupt_prints_a_summary("INT");
}

#[test]
fn sigterm_disconnects_and_prints_a_summary() {
    interrupt_prints_a_summary("TERM");
}

#[test]
fn closed_stdout_exits_0_quietly_and_leaves_the_unwritten_push_unacknowledged() {
    let broker = Broker::start();
    let (sub, stdout) = Sub::spawn_with_stdout(&broker.args(&["--session", "pipe", "--envelope"]));
    let mut head = Command::new("head")
        .args(["-n", "1"])
        .stdin(Stdio::from(stdout))
        .stdout(Stdio::piped())
        .spawn()
        .expect("head runs");
    sub.wait_subscribed();
    broker.publish(push(1, "A", "t").as_bytes(), 1);
    wait_bounded(&mut head, PATIENCE).expect("head exits after one line");
    let mut first = String::new();
    head.stdout.take().unwrap().read_to_string(&mut first).unwrap();
    assert!(first.contains("msg-1"), "{first}");
    // head has gone: the next push cannot be written.
    broker.publish(push(2, "A", "t").as_bytes(), 1);
    let done = sub.finish();
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert!(!done.stderr_text().contains("error"), "quiet on a closed pipe: {done:#?}");
    assert!(!done.stderr_text().contains("received"), "no summary on a closed pipe: {done:#?}");

    // Push 2 was never written: the same durable session gets it.
    let again = Sub::spawn(&broker.args(&["--session", "pipe", "--envelope", "-n", "1"]));
    let done = again.finish();
    assert_eq!(done.code, Some(0), "{done:#?}");
    let envelope: Value = serde_json::from_str(&done.stdout[0]).unwrap();
    assert_eq!(envelope["push"]["msgId"], "msg-2");
}

#[test]
fn a_push_that_cannot_be_written_is_not_acknowledged() {
    let broker = Broker::start();
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
    let sub = Sub::spawn_to(&broker.args(&["--session", "full"]), full);
    sub.wait_subscribed();
    broker.publish(push(1, "A", "t").as_bytes(), 1);
    let done = sub.finish();
    assert_eq!(done.code, Some(1), "{done:#?}");
    let err = done.stderr_text();
    assert!(err.contains("cannot write to stdout") && err.contains("not acknowledged"), "{err}");

    let done = run_to_end(&broker.args(&["--session", "full", "--envelope", "-n", "1"]));
    assert_eq!(done.code, Some(0), "{done:#?}");
    let envelope: Value = serde_json::from_str(&done.stdout[0]).unwrap();
    assert_eq!(envelope["push"]["msgId"], "msg-1", "the unwritten push comes again");
}

/// Makes the broker keep a durable session: one run with `--session NAME` that prints one push.
fn open_durable_session(broker: &Broker, name: &str) {
    let first = run_with_pushes(broker, &["--session", name, "-n", "1"], &[push(0, "A", "t").as_bytes()]);
    assert_eq!(first.code, Some(0), "{first:#?}");
}

#[test]
fn durable_session_gets_every_push_sent_while_away() {
    let broker = Broker::start();
    open_durable_session(&broker, "collector");

    let away: Vec<String> = (1..=100).map(|n| push(n, "A", "t")).collect();
    broker.publish_lines(&away, 1);

    let done = run_to_end(&broker.args(&["--session", "collector", "-n", "100"]));
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(done.stdout, away, "all 100, in order");
    assert!(done.stderr_text().contains("durable session resumed"), "{done:#?}");
}

#[test]
fn reconnects_after_the_broker_restarts_and_keeps_printing() {
    let mut broker = Broker::start();
    let sub = Sub::spawn(&broker.args(&["--session", "restart", "-n", "2"]));
    sub.wait_subscribed();
    broker.publish(push(1, "A", "t").as_bytes(), 1);
    sub.wait_stdout_lines(1);
    broker.restart();
    sub.wait_stderr("a reconnect", |lines| lines.iter().filter(|l| l.contains("subscribed to ")).count() >= 2);
    broker.publish(push(2, "A", "t").as_bytes(), 1);
    let done = sub.finish();
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(done.stdout.len(), 2);
    let err = done.stderr_text();
    assert!(err.contains("lost") && err.contains("reconnecting in"), "{err}");
    assert!(err.contains("reconnects 1"), "{err}");
}

#[test]
fn give_up_after_ends_with_exit_3_when_the_broker_stays_down() {
    let mut broker = Broker::start();
    let sub = Sub::spawn(&broker.args(&["--give-up-after", "2s"]));
    sub.wait_subscribed();
    broker.stop();
    let done = sub.finish();
    assert_eq!(done.code, Some(3), "{done:#?}");
    assert!(done.stderr_text().contains("gave up after 2s"), "{done:#?}");
}

#[test]
fn qos_0_subscription_works() {
    let broker = Broker::start();
    let a = push(1, "A", "t");
    let sub = Sub::spawn(&broker.args(&["--qos", "0", "--envelope", "-n", "1"]));
    sub.wait_subscribed();
    broker.publish(a.as_bytes(), 0);
    let done = sub.finish();
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert!(done.stderr_text().contains("(QoS 0)"));
    let envelope: Value = serde_json::from_str(&done.stdout[0]).unwrap();
    assert_eq!(envelope["qos"], 0);
}

#[test]
fn help_documents_exit_codes_and_the_topic_ambiguity() {
    let out = Command::new(bin()).arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for needle in ["Exit codes:", "5  --timeout elapsed", "leading slash", "--app-secret-file", "SENSORO_APP_ID"] {
        assert!(help.contains(needle), "--help lacks {needle:?}");
    }
}

#[test]
fn count_with_a_durable_session_leaves_the_rest_for_the_next_run() {
    let broker = Broker::start();
    open_durable_session(&broker, "cron");

    let away: Vec<String> = (1..=50).map(|n| push(n, "A", "t")).collect();
    broker.publish_lines(&away, 1);
    let mut printed = Vec::new();
    for _ in 0..5 {
        let done = run_to_end(&broker.args(&["--session", "cron", "-n", "10"]));
        assert_eq!(done.code, Some(0), "{done:#?}");
        assert_eq!(done.stdout.len(), 10);
        printed.extend(done.stdout);
    }
    assert_eq!(printed, away, "five runs of --count 10 print all 50 once, in order");
}

#[test]
fn a_closed_pipe_ends_the_run_without_waiting_for_another_push() {
    let broker = Broker::start();
    let (sub, stdout) = Sub::spawn_with_stdout(&broker.args(&[]));
    let mut head =
        Command::new("head").args(["-n", "1"]).stdin(Stdio::from(stdout)).stdout(Stdio::null()).spawn().expect("head");
    sub.wait_subscribed();
    broker.publish(push(1, "A", "t").as_bytes(), 1);
    wait_bounded(&mut head, PATIENCE).expect("head exits after one line");
    let head_gone = std::time::Instant::now();
    let mut sub = sub;
    let status = wait_bounded(&mut sub.child, PATIENCE).expect("sensoro-sub ends");
    let took = head_gone.elapsed();
    // Promised: within a second (the supervisor looks at stdout once a second); room for a busy machine.
    assert!(took <= std::time::Duration::from_millis(2_500), "ended {took:?} after its reader");
    assert_eq!(status.code(), Some(0));
    let done = sub.finish();
    assert!(!done.stderr_text().contains("received"), "quiet: {done:#?}");
}

#[test]
fn redeliveries_with_the_same_msg_id_are_printed_once_unless_no_dedupe() {
    let broker = Broker::start();
    let (a, b) = (push(1, "A", "t"), push(2, "A", "t"));
    let payloads = [a.as_bytes(), a.as_bytes(), b.as_bytes(), a.as_bytes()];
    let sub = Sub::spawn(&broker.args(&[]));
    sub.wait_subscribed();
    for payload in payloads {
        broker.publish(payload, 1);
    }
    // One connection delivers in order: once push 3 is printed, every copy before it was handled.
    broker.publish(push(3, "A", "t").as_bytes(), 1);
    sub.wait_stdout_lines(3);
    signal(sub.pid(), "INT");
    let done = sub.finish();
    assert_eq!(done.stdout, vec![a.clone(), b.clone(), push(3, "A", "t")], "{done:#?}");
    assert!(
        done.stderr_text().contains("received 5, printed 3, filtered 0, undecodable 0, undecryptable 0, duplicates 2")
    );

    let done = run_with_pushes(&broker, &["--no-dedupe", "-n", "4"], &payloads);
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(done.stdout, vec![a.clone(), a.clone(), b.clone(), a.clone()]);
}

/// The window is the last 10,000 printed msgIds, as documented: a copy of the 10,000th-last push is
/// still dropped, a copy of the 10,001st-last prints again.
#[test]
fn the_dedupe_window_holds_the_last_10000_msg_ids() {
    let broker = Broker::start();
    let mut lines: Vec<String> = (0..10_001).map(|n| push(n, "A", "t")).collect();
    lines.push(push(1, "A", "t")); // the 10,000th-last printed: a duplicate
    lines.push(push(0, "A", "t")); // left the window when push 10,000 came: printed again
    lines.push(push(10_001, "A", "t"));
    let sub = Sub::spawn(&broker.args(&["--format", "ndjson"]));
    sub.wait_subscribed();
    broker.publish_lines(&lines, 1);
    let printed = sub.wait_stdout_lines(10_003);
    signal(sub.pid(), "INT");
    let done = sub.finish();
    assert_eq!(printed[10_001], push(0, "A", "t"), "msg-0 left the window");
    assert_eq!(printed[10_002], push(10_001, "A", "t"));
    assert!(
        done.stderr_text()
            .contains("received 10004, printed 10003, filtered 0, undecodable 0, undecryptable 0, duplicates 1"),
        "{:?}",
        done.stderr.last()
    );
}

/// A takeover is told apart from a network problem at once: the broker that closed the connection
/// still accepts a login. The one taken over says so once, naming the clientId, and its one retry
/// waits 8–16 s instead of 0.5–1 s. A broker going away is no takeover: the retry comes at once.
#[test]
fn a_takeover_is_noticed_at_once_and_retried_after_a_wait() {
    let mut broker = Broker::start();
    let first = Sub::spawn(&broker.args(&["--client-id", "foobar/twin"]));
    first.wait_subscribed();
    let mut second = Sub::spawn(&broker.args(&["--client-id", "foobar/twin"]));
    let taken = "taken over: another client connected as clientId foobar/twin";
    let lines = first.wait_stderr("the takeover and the retry after it", |lines| {
        lines.iter().skip_while(|l| !l.contains(taken)).any(|l| l.contains("reconnecting in"))
    });
    assert_eq!(lines.iter().filter(|l| l.contains(taken)).count(), 1, "{lines:#?}");
    let retry = lines.iter().skip_while(|l| !l.contains(taken)).find(|l| l.contains("reconnecting in")).unwrap();
    let delay: f64 = retry.split("reconnecting in ").nth(1).and_then(|r| r.split('s').next()?.parse().ok()).unwrap();
    assert!((8.0..=16.0).contains(&delay), "{retry}");
    second.kill();
    drop(first);

    let sub = Sub::spawn(&broker.args(&["--client-id", "foobar/twin"]));
    sub.wait_subscribed();
    broker.restart();
    let lines = sub.wait_stderr("a quick retry", |lines| lines.iter().any(|l| l.contains("reconnecting in")));
    let retry = lines.iter().find(|l| l.contains("reconnecting in")).unwrap();
    let delay: f64 = retry.split("reconnecting in ").nth(1).and_then(|r| r.split('s').next()?.parse().ok()).unwrap();
    assert!(delay <= 1.0, "{lines:#?}");
    assert!(!lines.iter().any(|l| l.contains("taken over")), "{lines:#?}");
}

/// A burst nobody acknowledges after the write (QoS 0, or QoS 1 of a clean session) leaves in few
/// writes (a line may wait for a push that has already arrived), yet no line is held back at the end
/// of it; in a durable session every QoS 1 line is written through before its PUBACK.
#[test]
fn bursts_are_written_in_batches_in_clean_and_durable_sessions() {
    let broker = Broker::start();
    for (qos, session, pushes) in [(0u8, false, 3000usize), (1, false, 1000), (1, true, 500)] {
        let mut extra = vec!["--qos", if qos == 0 { "0" } else { "1" }, "--format", "ndjson", "-v"];
        if session {
            extra.extend(["--session", "burst"]);
        }
        let sub = Sub::spawn(&broker.args(&extra));
        sub.wait_subscribed();
        // Stopped, the subscriber reads nothing while the burst piles up in its socket.
        signal(sub.pid(), "STOP");
        let lines: Vec<String> = (0..pushes).map(|n| push(n, "10A1B2C3D4E5F601", "temp_humi")).collect();
        let sent_before = broker.log().matches("Sending PUBLISH to foobar/").count();
        broker.publish_lines(&lines, qos);
        // Resume once the broker has sent what it may to a reader that does not answer: all of a
        // QoS 0 burst, a QoS 1 burst up to mosquitto's window of 20 unacknowledged pushes.
        let window = if qos == 0 { pushes } else { 20 };
        broker.wait_log("the burst sent to the stopped subscriber", |log| {
            log.matches("Sending PUBLISH to foobar/").count() - sent_before >= window
        });
        signal(sub.pid(), "CONT");
        let printed = sub.wait_stdout_lines(pushes);
        for (n, line) in printed.iter().enumerate() {
            assert!(line.contains(&format!(r#""msgId":"msg-{n}""#)), "QoS {qos}, line {n}: {line}");
        }
        signal(sub.pid(), "INT");
        let done = sub.finish();
        assert_eq!(done.code, Some(0), "{done:?}");
        let writes_line = done.stderr.iter().find(|l| l.contains("writes to stdout")).expect("-v counts the writes");
        let writes: usize = writes_line.split(" in ").nth(1).and_then(|w| w.split(' ').next()?.parse().ok()).unwrap();
        assert!(writes_line.contains(&format!("{pushes} lines left in")), "{writes_line}");
        // A durable session's QoS 1 burst too: its PUBACKs wait for the batch's write (group
        // commit, tests/collector.rs checks the order on the system calls).
        assert!(writes < pushes / 3, "QoS {qos} (session {session}) burst in batches: {writes_line}");
    }
}
