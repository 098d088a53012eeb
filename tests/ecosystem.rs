//! The man pages as rendered, `check`, profiles and `config show`, through the real binary. (That
//! the committed completions and man pages match the CLI is checked in `src/cli.rs`'s tests.)

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

#[test]
fn check_reports_each_step_and_waits_for_a_push() {
    let broker = Broker::start();
    let sub = Sub::spawn(&broker.args(&["check", "--timeout", "15s", "--session", "mine"]));
    sub.wait_stdout_lines(5);
    broker.publish(push(1, "0117C9A1B2C3D4E5", "temp_humi").as_bytes(), 1);
    let done = sub.finish();
    assert_eq!(done.code, Some(0), "{done:#?}");
    let report = done.stdout.join("\n");
    for step in [
        "fresh clientId; pushes queued for --session mine stay queued",
        "ok    name lookup   127.0.0.1 -> 127.0.0.1",
        "ok    TCP           connected to 127.0.0.1:",
        "ok    MQTT login    accepted (CONNACK 0) as foobar/",
        "ok    subscription  users/foobar/devices granted at QoS 1",
        "ok    first push    from sn 0117C9A1B2C3D4E5 (temp_humi)",
        "all checks passed",
    ] {
        assert!(report.contains(step), "missing {step:?} in:\n{report}");
    }
}

#[test]
fn check_fails_at_the_step_that_fails_with_its_exit_code() {
    let broker = Broker::start();
    let mut wrong = broker.args(&["check"]);
    let at = wrong.iter().position(|s| s == APP_SECRET).unwrap();
    wrong[at] = "nope".into();
    let done = run_to_end(&wrong);
    assert_eq!(done.code, Some(4), "{done:#?}");
    assert!(
        done.stdout
            .join("\n")
            .contains("FAIL  MQTT login    the broker refused the connection: Not Authorized (CONNACK 5)")
    );

    let port = free_port().to_string();
    let closed = run_to_end(&strings(&[
        "check",
        "--host",
        "127.0.0.1",
        "--port",
        &port,
        "--app-id",
        APP_ID,
        "--app-secret",
        "x",
    ]));
    assert_eq!(closed.code, Some(3), "{closed:#?}");
    assert!(closed.stdout.join("\n").contains("FAIL  TCP"), "{closed:#?}");
    // stderr has only the `ps` hint for the --app-secret typed above.
    assert!(closed.stderr.iter().all(|l| l.contains("hint: --app-secret")), "the report says it once: {closed:#?}");

    let quiet = run_to_end(&broker.args(&["check", "--timeout", "1s"]));
    assert_eq!(quiet.code, Some(5), "{quiet:#?}");
    assert!(quiet.stdout.join("\n").contains("FAIL  first push    none within 1s"), "{quiet:#?}");
}

fn write_config(dir: &Path, text: &str, mode: u32) -> PathBuf {
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    path
}

fn profile_text(broker: &Broker, secret: &str) -> String {
    format!(
        "[profiles.lab]\napp_id = \"{APP_ID}\"\napp_secret = \"{secret}\"\nhost = \"127.0.0.1\"\nport = {}\n\n[profiles.other]\napp_id = \"x\"\n",
        broker.port
    )
}

#[test]
fn a_profile_supplies_credentials_and_flags_override_it() {
    let broker = Broker::start();
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), &profile_text(&broker, APP_SECRET), 0o600);
    let config = config.to_str().unwrap();

    let cmd = sub_command(&strings(&["--config", config, "--profile", "lab", "-n", "1"]));
    assert_eq!(run_command_with_pushes(&broker, cmd, &[push(1, "A", "t").as_bytes()]).code, Some(0));

    // A wrong secret in the profile, the right one from the environment: the environment wins.
    let wrong = write_config(dir.path(), &profile_text(&broker, "wrong"), 0o600);
    let mut cmd = sub_command(&strings(&["--config", wrong.to_str().unwrap(), "-n", "1"]));
    cmd.env("SENSORO_PROFILE", "lab").env("SENSORO_APP_SECRET", APP_SECRET);
    assert_eq!(run_command_with_pushes(&broker, cmd, &[push(2, "A", "t").as_bytes()]).code, Some(0));

    // Flags win as well: the profile's port is closed and its secret wrong; --port and --app-secret fix both.
    let closed = free_port();
    let off = profile_text(&broker, "wrong").replace(&format!("port = {}", broker.port), &format!("port = {closed}"));
    let off = write_config(dir.path(), &off, 0o600);
    let port = broker.port.to_string();
    let flags = ["--config", off.to_str().unwrap(), "--profile", "lab", "--port", &port, "--app-secret", APP_SECRET];
    let done = run_command_with_pushes(
        &broker,
        sub_command(&strings(&[&flags[..], &["-n", "1"]].concat())),
        &[push(3, "A", "t").as_bytes()],
    );
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert!(done.stdout[0].contains(r#""msgId":"msg-3""#), "{done:#?}");
}

#[test]
fn the_default_profile_comes_from_the_users_config_directory() {
    let broker = Broker::start();
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join("sensoro-sub")).unwrap();
    let text = profile_text(&broker, APP_SECRET).replace("[profiles.lab]", "[profiles.default]");
    write_config(&home.path().join("sensoro-sub"), &text, 0o600);
    let mut cmd = sub_command(&strings(&["-n", "1"]));
    cmd.env("XDG_CONFIG_HOME", home.path());
    assert_eq!(run_command_with_pushes(&broker, cmd, &[push(1, "A", "t").as_bytes()]).code, Some(0));
}

#[test]
fn profiles_are_refused_when_others_can_read_the_secrets_or_the_name_is_unknown() {
    let broker = Broker::start();
    let dir = tempfile::tempdir().unwrap();
    let open = write_config(dir.path(), &profile_text(&broker, APP_SECRET), 0o644);
    let done = run_to_end(&strings(&["--config", open.to_str().unwrap(), "--profile", "lab"]));
    assert_eq!(done.code, Some(2), "{done:#?}");
    assert!(done.stderr_text().contains(&format!("run `chmod 600 {}`", open.display())), "{done:#?}");
    assert!(!done.stderr_text().contains(APP_SECRET));

    let private = write_config(dir.path(), &profile_text(&broker, APP_SECRET), 0o600);
    let done = run_to_end(&strings(&["--config", private.to_str().unwrap(), "--profile", "prod"]));
    assert_eq!(done.code, Some(2), "{done:#?}");
    assert!(
        done.stderr_text().contains("no profile \"prod\"") && done.stderr_text().contains("lab, other"),
        "{done:#?}"
    );

    let bad = write_config(dir.path(), "[profiles.lab]\napp_secrett = \"x\"\n", 0o600);
    let done = run_to_end(&strings(&["--config", bad.to_str().unwrap(), "--profile", "lab"]));
    assert_eq!(done.code, Some(2), "{done:#?}");
    assert!(done.stderr_text().contains("is not valid: unknown field `app_secrett`"), "{done:#?}");
}

/// Under systemd (`LoadCredential=`, as in pkg/sensoro-sub@.service) the profile is a copy in
/// `$CREDENTIALS_DIRECTORY` that the service's user may read through an ACL, so its mode shows group
/// bits (0440, the ACL mask): accepted there, refused anywhere else.
#[test]
fn a_profile_handed_over_as_a_systemd_credential_is_accepted_despite_its_acl_mode() {
    let broker = Broker::start();
    let credentials = tempfile::tempdir().unwrap();
    let config = write_config(credentials.path(), &profile_text(&broker, APP_SECRET), 0o440);
    let args = strings(&["config", "show", "--config", config.to_str().unwrap(), "--profile", "lab"]);

    let mut cmd = sub_command(&args);
    cmd.env("CREDENTIALS_DIRECTORY", credentials.path());
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("app_secret    set (hidden)"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    let elsewhere = tempfile::tempdir().unwrap();
    // `config show` would print the refusal and exit 0; the subscriber refuses to start.
    let mut cmd = sub_command(&args[2..]);
    cmd.env("CREDENTIALS_DIRECTORY", elsewhere.path());
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(2), "a credentials directory elsewhere proves nothing");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("others can read it (mode 440)"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn config_show_prints_resolved_settings_with_secrets_masked() {
    let broker = Broker::start();
    let dir = tempfile::tempdir().unwrap();
    let key = "kT0pJ7n3VbQYxW9cH2mLs5RfA8dZe4Gu1qNyXoC6iBD";
    let text = format!("{}app_key = \"{key}\"\nsession = \"collector\"\n", profile_text(&broker, APP_SECRET))
        .replace("\n\n[profiles.other]\napp_id = \"x\"\n", "\n");
    let config = write_config(dir.path(), &text, 0o600);
    let mut cmd = sub_command(&strings(&["config", "show", "--config", config.to_str().unwrap(), "--profile", "lab"]));
    cmd.env("SENSORO_PORT", "1999");
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(!shown.contains(APP_SECRET) && !shown.contains(key), "secrets masked:\n{shown}");
    for line in [
        "app_id        foobar",
        "app_secret    set (hidden)",
        "app_key       set (hidden)",
        "port          1999",
        "(env SENSORO_PORT)",
        "session       collector",
        "client_id     foobar/collector",
        "host          127.0.0.1",
        "topic         users/foobar/devices",
    ] {
        assert!(shown.contains(line), "missing {line:?} in:\n{shown}");
    }
    assert!(shown.lines().any(|l| l.starts_with("host") && l.contains("(profile lab in ")), "{shown}");
}

/// Runs `args` with stdout a pipe whose reading end is already closed, so the first write fails
/// with EPIPE; `stdin` is fed to the command.
fn run_with_closed_stdout(args: &[String], stdin: &[u8]) -> Finished {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let mut cmd = sub_command(args);
    cmd.stdin(std::process::Stdio::piped()).stdout(writer).stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("spawn sensoro-sub");
    // The command may end before it reads its input; a failed write here is not the test's concern.
    let _ = std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), stdin);
    let code = wait_bounded(&mut child, PATIENCE).map(|status| status.code());
    let mut stderr = String::new();
    let _ = std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut stderr);
    Finished { code: code.flatten(), stdout: Vec::new(), stderr: stderr.lines().map(str::to_owned).collect() }
}

/// `| head -c1`, `| true`: whichever command writes to a reader that went away ends at once, with
/// exit 0 and nothing on stderr about it (as ripgrep and bat do). `simulate` writes nothing to stdout.
#[test]
fn every_command_ends_quietly_with_0_when_stdout_is_closed() {
    let broker = Broker::start();
    let push = push(1, "0117C9A1B2C3D4E5", "temp_humi");
    let mut commands: Vec<(Vec<String>, Vec<u8>)> = vec![
        (strings(&["completions", "bash"]), Vec::new()),
        (broker.args(&["config", "show"]), Vec::new()),
        (strings(&["decode"]), format!("{push}\n").into_bytes()),
        (broker.args(&["check"]), Vec::new()),
        (broker.args(&["session", "clear", "quiet"]), Vec::new()),
        (broker.args(&["--format", "ndjson"]), Vec::new()),
    ];
    if cfg!(feature = "simulator") {
        commands.push((strings(&["demo", "--count", "3", "--rate", "50/s"]), Vec::new()));
    }
    for (args, stdin) in commands {
        let done = run_with_closed_stdout(&args, &stdin);
        assert_eq!(done.code, Some(0), "{args:?}: {done:#?}");
        let stderr = done.stderr_text().to_lowercase();
        for word in ["error", "panicked", "broken pipe"] {
            assert!(!stderr.contains(word), "{args:?} says {word:?}: {done:#?}");
        }
    }
}

/// Runs `sensoro-sub decode` on one push with stdout a pseudo-terminal, as a person's terminal is;
/// returns what the terminal showed.
fn decode_on_a_terminal(args: &[&str], env: &[(&str, &str)]) -> String {
    let mut cmd = sub_command(&strings(&[&["decode"][..], args].concat()));
    cmd.env_remove("TERM").envs(env.iter().copied());
    let push = format!("{}\n", push(1, "0117C9A1B2C3D4E5", "temp_humi"));
    let (code, shown) = on_a_terminal(cmd, push.as_bytes(), false);
    assert_eq!(code, Some(0), "{args:?} {env:?}");
    String::from_utf8_lossy(&shown).into_owned()
}

/// "auto" colors a terminal, unless NO_COLOR is set or TERM is dumb; `--color always` wins over both.
#[test]
fn colors_follow_the_terminal_no_color_and_term_dumb() {
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], bool);
    let cases: [Case; 5] = [
        (&[], &[("TERM", "xterm-256color")], true),
        (&[], &[("TERM", "xterm-256color"), ("NO_COLOR", "1")], false),
        (&[], &[("TERM", "dumb")], false),
        (&["--color", "always"], &[("TERM", "dumb"), ("NO_COLOR", "1")], true),
        (&["--color", "never"], &[("TERM", "xterm-256color")], false),
    ];
    for (args, env, colored) in cases {
        let shown = decode_on_a_terminal(args, env);
        assert!(shown.contains("0117C9A1B2C3D4E5"), "the push is shown as pretty text: {shown:?}");
        assert_eq!(shown.contains("\x1b["), colored, "{args:?} {env:?}: {shown:?}");
    }
}

/// The committed man pages as `man` shows them in 80 columns: no line is wider, and the examples
/// and exit codes are items (a command, then its meaning indented below it), not one reflowed block.
#[test]
fn man_pages_render_in_80_columns() {
    let dir = repo("docs/man");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    pages.sort();
    assert!(pages.len() >= 8, "{pages:?}");
    for page in &pages {
        let out = Command::new("man")
            .arg("-l")
            .arg(page)
            .env("MANWIDTH", "80")
            .env("MAN_KEEP_FORMATTING", "")
            .env("LC_ALL", "C.UTF-8")
            .env_remove("MANPAGER")
            .env("PAGER", "cat")
            .output()
            .expect("man runs (scripts/deps test installs man-db)");
        assert!(out.status.success(), "{}: {}", page.display(), String::from_utf8_lossy(&out.stderr));
        let shown = String::from_utf8_lossy(&out.stdout);
        for line in shown.lines() {
            assert!(line.chars().count() <= 80, "{}: {line:?}", page.display());
        }
        if page.ends_with("sensoro-sub.1") {
            assert!(
                shown.contains("\n       sensoro-sub | jq .data.temperature\n              NDJSON when stdout"),
                "{shown}"
            );
            assert!(shown.contains("\n       5      --timeout elapsed with no push\n"), "{shown}");
        }
        if page.ends_with("sensoro-sub-check.1") {
            assert!(shown.contains("\n       4      login or subscription refused\n"), "{shown}");
        }
    }
}
