//! The settings' layers through the real binary: flag > environment > profile with no conflict
//! between layers (only two flags on one command line conflict), and `config show`, which always
//! runs and names each setting's source.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use common::*;

fn write_private(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    path
}

/// `SENSORO_APP_SECRET` exported (as the guide says) and `--app-secret-file` typed (as the cron line
/// does): the file's secret is used, no conflict. The exported one is wrong, so only the file's logs in.
#[test]
fn a_secret_file_flag_beats_an_exported_secret_without_conflict() {
    let broker = Broker::start();
    let dir = tempfile::tempdir().unwrap();
    let file = write_private(dir.path(), "secret", &format!("{APP_SECRET}\n"));
    let port = broker.port.to_string();
    let mut cmd = sub_command(&strings(&[
        "--host",
        "127.0.0.1",
        "--port",
        &port,
        "--app-id",
        APP_ID,
        "--app-secret-file",
        file.to_str().unwrap(),
        "-n",
        "1",
    ]));
    cmd.env("SENSORO_APP_SECRET", "wrong");
    let done = run_command_with_pushes(&broker, cmd, &[push(1, "A", "t").as_bytes()]);
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert!(done.stdout[0].contains(r#""msgId":"msg-1""#), "{done:#?}");
}

/// A profile's `host = "127.0.0.1:PORT"` on a closed port, and `SENSORO_PORT` naming the broker's:
/// the environment is the higher layer, so its port wins.
#[test]
fn an_exported_port_beats_the_port_in_a_profiles_host() {
    let broker = Broker::start();
    let dir = tempfile::tempdir().unwrap();
    let closed = free_port();
    let config = write_private(
        dir.path(),
        "config.toml",
        &format!(
            "[profiles.lab]\napp_id = \"{APP_ID}\"\napp_secret = \"{APP_SECRET}\"\nhost = \"127.0.0.1:{closed}\"\n"
        ),
    );
    let mut cmd = sub_command(&strings(&["--config", config.to_str().unwrap(), "--profile", "lab", "-n", "1"]));
    cmd.env("SENSORO_PORT", broker.port.to_string());
    let done = run_command_with_pushes(&broker, cmd, &[push(1, "A", "t").as_bytes()]);
    assert_eq!(done.code, Some(0), "{done:#?}");

    // And a --host with its own port beats SENSORO_PORT (a closed port there).
    let mut cmd = sub_command(&strings(&[
        "--config",
        config.to_str().unwrap(),
        "--profile",
        "lab",
        "--host",
        &format!("127.0.0.1:{}", broker.port),
        "-n",
        "1",
    ]));
    cmd.env("SENSORO_PORT", closed.to_string());
    let done = run_command_with_pushes(&broker, cmd, &[push(2, "A", "t").as_bytes()]);
    assert_eq!(done.code, Some(0), "{done:#?}");
}

/// Two flags typed on one line that say different things are still an error, with the fix.
#[test]
fn two_flags_that_disagree_are_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_private(dir.path(), "secret", "x\n");
    let done =
        run_to_end(&strings(&["--app-id", APP_ID, "--app-secret", "y", "--app-secret-file", file.to_str().unwrap()]));
    assert_eq!(done.code, Some(2), "{done:#?}");
    assert!(done.stderr_text().contains("--app-secret and --app-secret-file both give the AppSecret"), "{done:#?}");

    let done =
        run_to_end(&strings(&["--app-id", APP_ID, "--app-secret", "y", "--host", "127.0.0.1:1884", "--port", "1883"]));
    assert_eq!(done.code, Some(2), "{done:#?}");
    assert!(done.stderr_text().contains("says port 1884 but --port says 1883: give the port once"), "{done:#?}");
}

fn config_show(args: &[&str], env: &[(&str, &str)]) -> String {
    let mut cmd = sub_command(&strings(&[&["config", "show"][..], args].concat()));
    cmd.envs(env.iter().copied());
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(0), "config show always runs: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn row<'a>(shown: &'a str, name: &str) -> &'a str {
    shown.lines().find(|line| line.split_whitespace().next() == Some(name)).unwrap_or_else(|| panic!("{name}: {shown}"))
}

/// Each setting's source by name: the flag, the environment variable, the profile and its file, or
/// the default.
#[test]
fn config_show_names_each_source() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_private(
        dir.path(),
        "config.toml",
        &format!("[profiles.lab]\napp_id = \"{APP_ID}\"\napp_secret = \"{APP_SECRET}\"\nhost = \"127.0.0.1\"\n"),
    );
    let config = config.to_str().unwrap();
    let shown = config_show(
        &["--config", config, "--session", "collector"],
        &[("SENSORO_PROFILE", "lab"), ("SENSORO_PORT", "1999")],
    );
    assert!(!shown.contains(APP_SECRET), "{shown}");
    let in_profile = format!("(profile lab in {config})");
    assert!(row(&shown, "profile").ends_with("(env SENSORO_PROFILE)"), "{shown}");
    assert!(row(&shown, "app_id").ends_with(&in_profile), "{shown}");
    assert!(row(&shown, "app_secret").contains("set (hidden)") && row(&shown, "app_secret").ends_with(&in_profile));
    assert!(row(&shown, "host").ends_with(&in_profile), "{shown}");
    assert!(row(&shown, "port").contains("1999") && row(&shown, "port").ends_with("(env SENSORO_PORT)"), "{shown}");
    assert!(row(&shown, "session").ends_with("(flag --session)"), "{shown}");
    assert!(row(&shown, "app_key").ends_with("(not set)"), "{shown}");

    let shown = config_show(&["--config", config, "--profile", "lab", "--port", "2000"], &[("SENSORO_PORT", "1999")]);
    assert!(row(&shown, "port").contains("2000") && row(&shown, "port").ends_with("(flag --port)"), "{shown}");
    assert!(row(&shown, "profile").ends_with("(flag --profile)"), "{shown}");
    assert!(row(&shown, "client_id").ends_with("(default)"), "{shown}");
}

/// With nothing given, `config show` still prints every setting, and then what is missing and how
/// to give it; exit 0.
#[test]
fn config_show_runs_when_something_is_missing_and_says_what() {
    let shown = config_show(&[], &[]);
    for name in ["profile", "app_id", "app_secret", "app_key", "host", "port", "session", "client_id", "topic"] {
        row(&shown, name);
    }
    assert!(row(&shown, "host").contains("iot.sensoro.com") && row(&shown, "host").ends_with("(default)"), "{shown}");
    let fixes = shown.split_once("To fix before connecting:").map(|(_, fixes)| fixes).unwrap_or_default();
    assert!(fixes.contains("no AppID given: pass --app-id ID or set SENSORO_APP_ID"), "{shown}");
    assert!(fixes.contains("no AppSecret given: set SENSORO_APP_SECRET"), "{shown}");

    let shown = config_show(&["--app-id", APP_ID, "--port", "0"], &[("SENSORO_APP_SECRET", "x")]);
    assert!(row(&shown, "app_secret").ends_with("(env SENSORO_APP_SECRET)"), "{shown}");
    assert!(shown.contains("To fix before connecting:\n  --port 0 is not a broker port"), "{shown}");
}

#[cfg(feature = "simulator")]
fn init(config: &Path, extra: &[&str], secret: &str) -> Finished {
    let mut args = strings(&["config", "init", "--config", config.to_str().unwrap()]);
    args.extend(strings(extra));
    let mut cmd = sub_command(&args);
    cmd.env("SENSORO_APP_SECRET", secret).stdin(std::process::Stdio::null());
    Sub::spawn_command(cmd).finish()
}

/// `config init` against the stand-in: the login is checked as `check` does, then the profile is
/// written, mode 600, with what was given; a refused login writes nothing; other profiles (and
/// their comments) stay; an existing name needs --force.
#[cfg(feature = "simulator")]
#[test]
fn config_init_checks_the_login_then_writes_a_private_profile() {
    use std::os::unix::fs::MetadataExt;
    let (_sim, listen) = stand_in(&[]);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("sub").join("config.toml");
    let key = "kT0pJ7n3VbQYxW9cH2mLs5RfA8dZe4Gu1qNyXoC6iBD";
    let base = ["--app-id", APP_ID, "--host", &listen];

    let done = init(
        &config,
        &[&base[..], &["--profile", "lab", "--app-key", key, "--session", "collector"]].concat(),
        APP_SECRET,
    );
    assert_eq!(done.code, Some(0), "{done:#?}");
    let report = done.stdout.join("\n");
    assert!(
        report.contains("ok    MQTT login    accepted (CONNACK 0)") && report.contains("all checks passed"),
        "{report}"
    );
    assert!(done.stderr_text().contains(&format!("wrote profile \"lab\" in {}", config.display())), "{done:#?}");
    assert_eq!(std::fs::metadata(&config).unwrap().mode() & 0o777, 0o600);
    let written: toml::Table = toml::from_str(&std::fs::read_to_string(&config).unwrap()).unwrap();
    let lab = &written["profiles"]["lab"];
    assert_eq!(lab["app_id"].as_str(), Some(APP_ID));
    assert_eq!(lab["app_secret"].as_str(), Some(APP_SECRET));
    assert_eq!(lab["app_key"].as_str(), Some(key));
    assert_eq!(lab["session"].as_str(), Some("collector"));
    assert_eq!(lab["host"].as_str(), Some(listen.as_str()));
    assert_eq!(std::fs::read_dir(config.parent().unwrap()).unwrap().count(), 1, "no temporary file left");

    // The profile works as written.
    let shown = config_show(&["--config", config.to_str().unwrap(), "--profile", "lab"], &[]);
    assert!(row(&shown, "client_id").contains("foobar/collector"), "{shown}");

    // A refused login writes nothing.
    let before = std::fs::read_to_string(&config).unwrap();
    let done = init(&config, &[&base[..], &["--profile", "other"]].concat(), "wrong");
    assert_eq!(done.code, Some(4), "{done:#?}");
    assert!(done.stdout.join("\n").contains("FAIL  MQTT login"), "{done:#?}");
    assert!(done.stderr_text().contains("nothing written"), "{done:#?}");
    assert_eq!(std::fs::read_to_string(&config).unwrap(), before);

    // A second profile is appended: the first, and a comment, stay as they were.
    std::fs::write(&config, format!("# mine\n{before}")).unwrap();
    let done = init(&config, &[&base[..], &["--profile", "second"]].concat(), APP_SECRET);
    assert_eq!(done.code, Some(0), "{done:#?}");
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.starts_with(&format!("# mine\n{before}")) && text.contains("[profiles.second]"), "{text}");
    assert_eq!(std::fs::metadata(&config).unwrap().mode() & 0o777, 0o600);

    // An existing name is refused unless --force.
    let done = init(&config, &[&base[..], &["--profile", "lab"]].concat(), APP_SECRET);
    assert_eq!(done.code, Some(2), "{done:#?}");
    assert!(done.stderr_text().contains("already has a profile \"lab\": pass --force"), "{done:#?}");
    let done = init(&config, &[&base[..], &["--profile", "lab", "--force"]].concat(), APP_SECRET);
    assert_eq!(done.code, Some(0), "{done:#?}");
    let written: toml::Table = toml::from_str(&std::fs::read_to_string(&config).unwrap()).unwrap();
    assert!(written["profiles"]["lab"].get("session").is_none(), "replaced: {written:?}");
    assert!(written["profiles"].get("second").is_some(), "{written:?}");

    // With no terminal to ask on, a missing AppID is a usage error naming the flag.
    let done = init(&config, &["--profile", "x"], APP_SECRET);
    assert_eq!(done.code, Some(2), "{done:#?}");
    assert!(done.stderr_text().contains("pass --app-id ID or set SENSORO_APP_ID"), "{done:#?}");
}

/// On a terminal `config init` asks, and the AppSecret is not echoed (tmux: keys typed, screen read).
#[cfg(feature = "simulator")]
#[test]
fn config_init_asks_on_a_terminal_without_echoing_the_secret() {
    let (_sim, listen) = stand_in(&[]);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let socket = format!("sensoro-sub-init-{}", std::process::id());
    let tmux = |args: &[&str]| {
        let mut cmd = std::process::Command::new("tmux");
        cmd.args(["-L", &socket, "-f", "/dev/null"]).args(args);
        plain_environment(&mut cmd);
        cmd.env_remove("TMUX");
        let out = cmd.output().expect("tmux runs (scripts/deps test installs it)");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    struct Server<'a>(&'a dyn Fn(&[&str]) -> String);
    impl Drop for Server<'_> {
        fn drop(&mut self) {
            (self.0)(&["kill-server"]);
        }
    }
    let script = format!("\"$0\" config init --config {} --host {listen}; echo EXIT=$?; sleep 60", config.display());
    tmux(&["new-session", "-d", "-x", "150", "-y", "30", "sh", "-c", &script, bin().to_str().unwrap()]);
    let _server = Server(&tmux);
    let screen = || tmux(&["capture-pane", "-p"]);
    let wait = |what: &str| {
        poll_until(
            PATIENCE,
            std::time::Duration::from_millis(100),
            || Some(()).filter(|_| screen().contains(what)),
            || format!("{what:?}; the screen:\n{}", screen()),
        )
    };
    wait("AppID (the SENSORO console's developer page):");
    tmux(&["send-keys", APP_ID, "Enter"]);
    wait("AppSecret (not shown as you type):");
    tmux(&["send-keys", APP_SECRET, "Enter"]);
    wait("AppKey, for safe mode");
    tmux(&["send-keys", "Enter"]);
    wait("Durable session name");
    tmux(&["send-keys", "Enter"]);
    wait("EXIT=");
    let shown = screen();
    assert!(shown.contains("EXIT=0") && shown.contains("all checks passed"), "{shown}");
    assert!(!shown.contains(APP_SECRET), "the AppSecret was echoed:\n{shown}");
    let written: toml::Table = toml::from_str(&std::fs::read_to_string(&config).unwrap()).unwrap();
    assert_eq!(written["profiles"]["default"]["app_secret"].as_str(), Some(APP_SECRET));
    assert!(written["profiles"]["default"].get("app_key").is_none());
}
