//! A newcomer's first hour (#21): filters that say when they drop everything, the cron lines, the
//! way from `simulate` to a subscriber, and the small surprises (clap's errors, units, secret files).

mod common;

use std::path::Path;

use common::*;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The ```cron blocks of a doc.
fn cron_lines(doc: &str) -> Vec<String> {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(doc)).unwrap();
    let mut lines = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        match line.trim_start() {
            "```cron" => inside = true,
            "```" => inside = false,
            l if inside && !l.starts_with('#') && !l.is_empty() => lines.push(l.to_owned()),
            _ => {}
        }
    }
    lines
}

/// cron mails whatever a job writes: the documented cron lines run quietly.
#[test]
fn the_documented_cron_lines_are_quiet() {
    for doc in ["README.md", "docs/guide.md"] {
        let lines = cron_lines(doc);
        assert!(!lines.is_empty(), "{doc} has a cron line");
        for line in lines {
            assert!(line.contains("sensoro-sub -q "), "{doc}: {line}");
        }
    }
}

#[cfg(feature = "simulator")]
#[test]
fn a_quiet_run_writes_nothing_on_stderr() {
    let out =
        sub_command(&strings(&["demo", "-q", "-n", "2", "--rate", "50/s", "--duration", "20s"])).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).lines().count(), 2);
    assert_eq!(text(&out.stderr), "", "nothing for cron to mail");
}

#[cfg(feature = "simulator")]
#[test]
fn device_type_ignores_case_as_sn_does() {
    let out =
        sub_command(&strings(&["demo", "--device-type", "SMOKE", "-n", "2", "--rate", "100/s", "--duration", "20s"]))
            .output()
            .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    assert!(stdout.lines().all(|l| l.contains(r#""deviceType":"smoke""#)), "{stdout}");
}

/// Filters that drop every push say so once, naming the deviceTypes that did arrive.
#[cfg(feature = "simulator")]
#[test]
fn filters_that_drop_everything_say_what_arrived() {
    let out = sub_command(&strings(&["demo", "--device-type", "temperature", "--rate", "100/s", "--duration", "3s"]))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "");
    let stderr = text(&out.stderr);
    let notices: Vec<&str> =
        stderr.lines().filter(|l| l.contains("the filters (--sn/--device-type) dropped")).collect();
    assert_eq!(notices.len(), 1, "once: {stderr}");
    assert!(notices[0].contains("dropped all 50 pushes received so far; deviceTypes seen: "), "{stderr}");
    for seen in ["\"smoke\"", "\"temp_humi\"", "\"gas\""] {
        assert!(notices[0].contains(seen), "{seen} in {stderr}");
    }

    // A filter that matches prints and says nothing of the kind.
    let out =
        sub_command(&strings(&["demo", "--device-type", "gas", "-n", "1", "--rate", "100/s", "--duration", "20s"]))
            .output()
            .unwrap();
    assert!(!text(&out.stderr).contains("dropped all"), "{}", text(&out.stderr));
}

/// `simulate` says how to connect to it, and the line it prints works.
#[cfg(feature = "simulator")]
#[test]
fn simulate_prints_how_to_connect_and_that_works() {
    let (sim, listen) = stand_in(&[]);
    let lines = sim.wait_stderr("the connect line", |lines| lines.iter().any(|l| l.contains("connect with:")));
    let line = lines.iter().find(|l| l.contains("connect with:")).unwrap();
    let suggested = line.split("connect with: ").nth(1).unwrap().split(" and that AppID's").next().unwrap();
    assert_eq!(suggested, format!("sensoro-sub --host {listen} --app-id {APP_ID}"), "{line}");
    let mut words = suggested.split_whitespace().skip(1).map(str::to_owned).collect::<Vec<_>>();
    words.extend(strings(&["-n", "2", "--duration", "20s"]));
    let mut cmd = sub_command(&words);
    cmd.env("SENSORO_APP_SECRET", APP_SECRET);
    let done = Sub::spawn_command(cmd).finish();
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(done.stdout.len(), 2, "{done:#?}");
}

/// There is no console for a stand-in's AppKey: the error says how to make one, and that way works.
#[cfg(feature = "simulator")]
#[test]
fn a_bad_stand_in_app_key_says_how_to_make_one() {
    let done = run_to_end(&strings(&["simulate", "--app-id", APP_ID, "--app-secret", "s", "--app-key", "abc"]));
    assert_eq!(done.code, Some(2), "{done:#?}");
    let err = done.stderr_text();
    assert!(!err.contains("SENSORO console") && err.contains("$(openssl rand -base64 32 | tr -d =)"), "{err}");
    let out = std::process::Command::new("sh").args(["-c", "openssl rand -base64 32 | tr -d ="]).output().unwrap();
    let key = text(&out.stdout).trim().to_owned();
    let decoded = sub_command(&strings(&["decode", "--app-key", &key])).output().unwrap();
    assert_eq!(decoded.status.code(), Some(0), "the suggested key is an AppKey: {}", text(&decoded.stderr));
}

/// `demo --watch | cat` must not suggest a command that would connect to the real cloud.
#[cfg(all(feature = "simulator", feature = "watch"))]
#[test]
fn demo_watch_on_a_pipe_suggests_the_demo() {
    let out = sub_command(&strings(&["demo", "--watch"])).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("use `sensoro-sub demo --format ndjson`"), "{}", text(&out.stderr));
}

/// A wrong AppKey fails every push the same way: one warning, the rest counted in the summary.
#[cfg(feature = "simulator")]
#[test]
fn a_wrong_app_key_is_warned_about_once() {
    let key = "kT0pJ7n3VbQYxW9cH2mLs5RfA8dZe4Gu1qNyXoC6iBD";
    let wrong = "AT0pJ7n3VbQYxW9cH2mLs5RfA8dZe4Gu1qNyXoC6iBD";
    let (_sim, listen) = stand_in(&["--app-key", key, "--rate", "50/s"]);
    let done =
        Sub::spawn(&args_with(&["--host", &listen], &["--app-key", wrong, "-n", "5", "--duration", "20s"])).finish();
    assert_eq!(done.code, Some(0), "{done:#?}");
    let err = done.stderr_text();
    assert_eq!(err.matches("cannot decrypt push").count(), 1, "{err}");
    assert!(err.contains("undecryptable 5"), "{err}");
}

#[test]
fn clap_errors_carry_the_prefix_every_error_has() {
    let out = sub_command(&strings(&["--no-such-flag"])).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.starts_with("sensoro-sub: error: unexpected argument '--no-such-flag'"), "{err}");
    let help = sub_command(&strings(&["--help"])).output().unwrap();
    assert_eq!(help.status.code(), Some(0));
    assert!(text(&help.stdout).starts_with("Subscribe to the SENSORO"), "help is untouched");
}

#[test]
fn a_value_that_is_not_a_number_takes_no_unit() {
    let push = r#"{"appId":"foobar","sn":"0117C9A1B2C3D4E5","type":"text","deviceType":"temp_humi","createdTime":1764094329123,"msgId":"m-1","data":{"temperature":"n/a","humidity":41}}"#;
    let mut child = sub_command(&strings(&["decode", "-f", "pretty", "--color", "never"]))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), format!("{push}\n").as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let line = text(&out.stdout);
    assert!(line.contains("temperature=n/a  humidity=41%"), "{line}");
}

/// One rule for files with secrets: a secret file others can read is refused like a profiles file.
#[test]
fn a_secret_file_others_can_read_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret");
    std::fs::write(&path, "s3cret\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let done = run_to_end(&strings(&["--app-id", APP_ID, "--app-secret-file", path.to_str().unwrap()]));
    assert_eq!(done.code, Some(2), "{done:#?}");
    assert!(done.stderr_text().contains(&format!("run `chmod 600 {}`", path.display())), "{done:#?}");
}

/// `decode --help`'s example must not leave a durable session queuing pushes on the broker.
#[test]
fn decode_help_examples_take_no_durable_session() {
    let out = sub_command(&strings(&["decode", "--help"])).output().unwrap();
    let help = text(&out.stdout);
    let examples = help.split("Examples:").nth(1).unwrap();
    assert!(examples.contains("sensoro-sub -f raw -n 100 > saved.ndjson") && !examples.contains("--session"), "{help}");
}
