//! SENSORO's vocabulary and alarm rules through the real binary: the platform-shaped corpus decoded
//! line by line (tests/fixtures/platform), `--alarm` parsing, `--alarms-only`, `--exit-on-alarm`
//! (exit 6), rules from a profile, and the envelope's `alarms` field on a real mosquitto.

mod common;

use std::path::PathBuf;
use std::process::{Output, Stdio};

use common::*;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/platform").join(name)
}

/// `sensoro-sub decode ARGS` over `input` on stdin, in UTC so the times are the file's.
fn decode(args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let mut cmd = sub_command(&strings(&[&["decode"], args].concat()));
    cmd.env("TZ", "UTC").stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn sensoro-sub decode");
    child.stdin.take().unwrap().write_all(input).unwrap();
    let status = wait_bounded(&mut child, PATIENCE).expect("decode ends");
    let mut output = child.wait_with_output().unwrap();
    output.status = status;
    output
}

fn corpus() -> Vec<u8> {
    std::fs::read(fixture("pushes.ndjson")).unwrap()
}

fn lines(bytes: &[u8]) -> Vec<String> {
    String::from_utf8(bytes.to_vec()).unwrap().lines().map(str::to_owned).collect()
}

/// `expected` with `?` standing for any digit (an arrival time).
fn matches(line: &str, expected: &str) -> bool {
    line.chars().count() == expected.chars().count()
        && line.chars().zip(expected.chars()).all(|(a, e)| a == e || (e == '?' && a.is_ascii_digit()))
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            chars.by_ref().find(|&c| c == 'm');
        } else {
            out.push(c);
        }
    }
    out
}

/// The readings of a colored pretty line that are red (bold red: `ESC[1;31m`), by key.
fn red_readings(line: &str) -> Vec<String> {
    line.match_indices("\x1b[1;31m")
        .map(|(at, _)| {
            let before = strip_ansi(&line[..at]);
            before.trim_end_matches('=').rsplit("  ").next().unwrap().to_owned()
        })
        .collect()
}

#[test]
fn the_platform_corpus_decodes_line_by_line_in_pretty() {
    let expected = lines(&std::fs::read(fixture("pretty.txt")).unwrap());
    let done = decode(&["-f", "pretty", "--color", "never"], &corpus());
    assert_eq!(done.status.code(), Some(0), "{}", String::from_utf8_lossy(&done.stderr));
    let got = lines(&done.stdout);
    assert_eq!(got.len(), expected.len(), "{got:#?}");
    for (n, (line, want)) in got.iter().zip(&expected).enumerate() {
        assert!(matches(line, want), "line {}:\n got: {line}\nwant: {want}", n + 1);
    }
    assert!(!done.stdout.contains(&b'\x1b'));
}

#[test]
fn colors_mark_exactly_the_default_alarms_and_change_nothing_else() {
    let plain = lines(&decode(&["-f", "pretty", "--color", "never"], &corpus()).stdout);
    let done = decode(&["-f", "pretty", "--color", "always"], &corpus());
    let colored = lines(&done.stdout);
    assert_eq!(colored.len(), plain.len());
    let expected: [&[&str]; 12] = [
        &[],
        &["temperature"],
        &[],
        &["ch4", "battery"],
        &["flame", "water"],
        &["cover"],
        &[],
        &[],
        &[],
        &[],
        &[],
        &[],
    ];
    for (n, (line, plain)) in colored.iter().zip(&plain).enumerate() {
        // The arrival times of lines 3 and 9 may differ by a second between the two runs.
        assert!(matches(&strip_ansi(line)[21..], &plain[21..]) || line.starts_with("\x1b[2m~"), "line {}", n + 1);
        assert_eq!(red_readings(line), expected[n], "line {}: {line:?}", n + 1);
        assert!(line.contains("\x1b[36m"), "the serial number is cyan: {line:?}");
    }
}

#[test]
fn verbose_says_why_a_line_shows_the_arrival_time() {
    let done = decode(&["-f", "pretty", "-v"], &corpus());
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert!(stderr.contains(":3: createdTime not read (it is an empty string)"), "{stderr}");
    assert!(stderr.contains(r#":9: createdTime not read ("soon" is not epoch seconds"#), "{stderr}");
    assert_eq!(stderr.matches("marked ~").count(), 2, "{stderr}");
    let quiet = decode(&["-f", "pretty"], &corpus());
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("createdTime"), "only with -v");
}

#[test]
fn a_bad_alarm_rule_exits_2_with_the_grammar_in_one_line() {
    for rule in ["temperature>", "temperature=50", ">50", "temperature>>5", "battery<low", "-"] {
        let done = decode(&["--alarm", rule], b"");
        assert_eq!(done.status.code(), Some(2), "{rule}");
        let stderr = String::from_utf8_lossy(&done.stderr);
        assert_eq!(stderr.lines().count(), 1, "{rule}: {stderr}");
        assert!(
            stderr.starts_with(&format!("sensoro-sub: error: --alarm {rule:?} is not an alarm rule (")),
            "{stderr}"
        );
        assert!(stderr.contains("a rule is KEY (true or not 0), KEY>N") && stderr.contains("e.g. temperature>50"));
        assert!(done.stdout.is_empty());
    }
}

/// The serial numbers `decode --alarms-only` prints with these rules.
fn alarmed(rules: &[&str]) -> Vec<String> {
    let mut args = vec!["-f", "ndjson", "--alarms-only"];
    for rule in rules {
        args.extend(["--alarm", rule]);
    }
    let done = decode(&args, &corpus());
    assert_eq!(done.status.code(), Some(0), "{}", String::from_utf8_lossy(&done.stderr));
    lines(&done.stdout)
        .iter()
        .map(|line| {
            let push: serde_json::Value = serde_json::from_str(line).unwrap();
            push["msgId"].as_str().unwrap().to_owned()
        })
        .collect()
}

#[test]
fn alarms_only_prints_the_pushes_with_an_alarm_under_each_operator() {
    // The defaults: 59.3 °C, 7173 ppm of methane and a 15 % battery, a flame and water, an open cover.
    assert_eq!(alarmed(&[]), ["p-2", "p-4", "p-5", "p-6"]);
    // Only the user's rules (none), one per operator, against the corpus's values.
    assert_eq!(alarmed(&["none", "humidity>40"]), ["p-1"]);
    assert_eq!(alarmed(&["none", "humidity>=35"]), ["p-1", "p-2"]);
    assert_eq!(alarmed(&["none", "battery<64"]), ["p-4"]);
    assert_eq!(alarmed(&["none", "battery<=64"]), ["p-3", "p-4"]);
    assert_eq!(alarmed(&["none", "t2_val==30"]), ["p-11"]);
    assert_eq!(alarmed(&["none", "door==open"]), ["p-12"]);
    assert_eq!(alarmed(&["none", "door!=closed"]), ["p-12"]);
    assert_eq!(alarmed(&["none", "water==true"]), ["p-5"]);
    assert_eq!(alarmed(&["none", "leakage_val>=100", "a_val>220"]), ["p-10"]);
    // A rule on a reading replaces its default; -KEY drops it; other defaults stay.
    assert_eq!(alarmed(&["temperature>60", "-battery", "-cover"]), ["p-4", "p-5"]);
    assert_eq!(alarmed(&["none", "temperature!=23.5"]), ["p-2"], "pushes without the reading raise nothing");
}

#[test]
fn exit_on_alarm_prints_the_push_then_exits_6() {
    let done = decode(&["-f", "pretty", "--color", "never", "--exit-on-alarm"], &corpus());
    assert_eq!(done.status.code(), Some(6));
    let out = lines(&done.stdout);
    assert_eq!(out.len(), 2, "{out:#?}");
    assert!(out[1].contains("0117C9A1B2C3D4E5  temp_humi     temperature=59.3°C"), "{out:#?}");
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert!(stderr.contains("alarm raised after"), "{stderr}");
    // No alarm in the input: the run ends normally.
    let calm = decode(&["--exit-on-alarm", "--alarm", "none"], &corpus());
    assert_eq!(calm.status.code(), Some(0));
    assert_eq!(lines(&calm.stdout).len(), 12);
}

#[test]
fn help_documents_exit_code_6() {
    let output = sub_command(&strings(&["--help"])).output().unwrap();
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains("6  --exit-on-alarm: a push with an alarm was printed"), "{help}");
    assert!(help.contains("--alarm <RULE>") && help.contains("--alarms-only"), "{help}");
}

fn profile(broker: &Broker, alarms: &str) -> (tempfile::TempDir, String) {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let text = format!(
        "[profiles.lab]\napp_id = \"{APP_ID}\"\napp_secret = \"{APP_SECRET}\"\nhost = \"127.0.0.1\"\nport = {}\nalarms = {alarms}\n",
        broker.port
    );
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let path = path.to_str().unwrap().to_owned();
    (dir, path)
}

const HUMID_AND_LOW: &str = r#"{"sn":"A1","deviceType":"temp_humi","createdTime":1764094329000,"msgId":"h-1","data":{"temperature":21.5,"humidity":71,"battery":10}}"#;

fn envelope_alarms(line: &str) -> Vec<String> {
    let envelope: serde_json::Value = serde_json::from_str(line).unwrap();
    envelope["alarms"].as_array().unwrap().iter().map(|a| a["rule"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn a_profile_s_rules_apply_and_alarm_flags_replace_them_in_the_envelope() {
    let broker = Broker::start();
    let (_dir, config) = profile(&broker, r#"["humidity>=70", "-battery"]"#);
    let base = ["--config", config.as_str(), "--profile", "lab", "--envelope", "-n", "1"];
    let done = run_command_with_pushes(&broker, sub_command(&strings(&base)), &[HUMID_AND_LOW.as_bytes()]);
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(envelope_alarms(&done.stdout[0]), ["humidity>=70"], "{done:#?}");
    let envelope: serde_json::Value = serde_json::from_str(&done.stdout[0]).unwrap();
    assert_eq!(envelope["alarms"][0], serde_json::json!({"reading": "humidity", "value": 71, "rule": "humidity>=70"}));

    // --alarm is used instead of the profile's list: the battery default is back, humidity is calm.
    let flags = [&base[..], &["--alarm", "temperature>20"]].concat();
    let done = run_command_with_pushes(&broker, sub_command(&strings(&flags)), &[HUMID_AND_LOW.as_bytes()]);
    assert_eq!(envelope_alarms(&done.stdout[0]), ["temperature>20", "battery<20"], "{done:#?}");

    // A bad rule in the profile is a usage error that names the file and the profile.
    let (_bad, bad) = profile(&broker, r#"["humidity=>70"]"#);
    let done = run_to_end(&strings(&["--config", bad.as_str(), "--profile", "lab"]));
    assert_eq!(done.code, Some(2));
    let stderr = done.stderr_text();
    assert!(stderr.contains("profile \"lab\", alarms: \"humidity=>70\" is not an alarm rule"), "{stderr}");
}

#[test]
fn exit_on_alarm_ends_a_live_run_with_6_after_the_alarm_s_line() {
    let broker = Broker::start();
    let calm = push(1, "B2", "temp_humi");
    let cmd = sub_command(&broker.args(&["--exit-on-alarm", "--alarm", "humidity>=70"]));
    let sub = Sub::spawn_command(cmd);
    sub.wait_subscribed();
    broker.publish(calm.as_bytes(), 1);
    sub.wait_stdout_lines(1);
    broker.publish(HUMID_AND_LOW.as_bytes(), 1);
    let done = sub.finish();
    assert_eq!(done.code, Some(6), "{done:#?}");
    assert_eq!(done.stdout.len(), 2, "{done:#?}");
    assert!(done.stdout[1].contains(r#""msgId":"h-1""#), "the alarm's push is printed: {done:#?}");
    assert!(done.stderr_text().contains("alarm raised after"), "{done:#?}");
}

#[test]
fn alarms_only_passes_a_live_stream_through_the_rules() {
    let broker = Broker::start();
    let cmd = sub_command(&broker.args(&["--alarms-only", "-n", "1", "-f", "pretty", "--color", "never"]));
    let done = run_command_with_pushes(
        &broker,
        cmd,
        &[push(1, "C3", "temp_humi").as_bytes(), HUMID_AND_LOW.as_bytes(), push(2, "C3", "temp_humi").as_bytes()],
    );
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(done.stdout.len(), 1, "{done:#?}");
    assert!(done.stdout[0].contains("  A1  ") && done.stdout[0].ends_with("battery=10%"), "{done:#?}");
    assert!(done.stderr_text().contains("filtered 1"), "{done:#?}");
}

/// README's pager recipe: a durable session run with `--exit-on-alarm` ends with 6 at the alarm's
/// line, and the pushes after it, already queued, are left for the next run (not acknowledged).
#[test]
fn exit_on_alarm_with_a_durable_session_leaves_what_follows_for_the_next_run() {
    let broker = Broker::start();
    let first = run_command_with_pushes(
        &broker,
        sub_command(&broker.args(&["--session", "pager", "-n", "1"])),
        &[push(0, "A", "t").as_bytes()],
    );
    assert_eq!(first.code, Some(0), "{first:#?}");
    let hot = |n: usize| push(n, "A", "t").replace(r#""humidity":"#, r#""ch4":7000,"humidity":"#);
    let away: Vec<String> = vec![push(1, "A", "t"), hot(2), push(3, "A", "t"), hot(4), push(5, "A", "t")];
    broker.publish_lines(&away, 1);
    let rules = ["--session", "pager", "--alarm", "ch4>=500", "--exit-on-alarm"];
    let done = run_to_end(&broker.args(&rules));
    assert_eq!(done.code, Some(6), "{done:#?}");
    assert_eq!(done.stdout, away[..2], "up to the alarm's push, which is the last line");
    let next = run_to_end(&broker.args(&rules));
    assert_eq!(next.code, Some(6), "{next:#?}");
    assert_eq!(next.stdout, away[2..4], "the pushes after the first alarm were kept for this run");
}
