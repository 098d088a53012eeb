//! `watch` in a real terminal: the binary runs inside tmux, the way a person runs it, and the tests
//! read the screen (`capture-pane`), press keys (`send-keys`) and check that the terminal is given
//! back as it was (main screen, cursor shown, line mode and echo on) however the run ends.
#![cfg(feature = "watch")]

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::Duration;

use common::*;

/// A tmux server of our own (its own socket), killed when the test ends, pass or fail.
struct Tmux {
    socket: String,
    dir: tempfile::TempDir,
}

impl Tmux {
    /// Runs `script` (sh) in a fresh 120×30 terminal; `$0` is the sensoro-sub binary.
    fn start(name: &str, script: &str) -> Tmux {
        Tmux::start_sized(name, script, 120, 30)
    }

    /// As [`Tmux::start`], in a terminal of `width`×`height`.
    fn start_sized(name: &str, script: &str, width: u16, height: u16) -> Tmux {
        let (width, height) = (width.to_string(), height.to_string());
        let tmux = Tmux {
            socket: format!("sensoro-sub-test-{name}-{}", std::process::id()),
            dir: tempfile::tempdir().unwrap(),
        };
        let mut cmd = tmux.command();
        cmd.args(["new-session", "-d", "-x", &width, "-y", &height, "sh", "-c", script]).arg(bin());
        cmd.current_dir(tmux.dir.path());
        // The binary (started by this tmux server) sees a plain environment.
        plain_environment(&mut cmd);
        cmd.env_remove("TMUX");
        let out = cmd.output().expect("tmux runs (scripts/deps test installs it)");
        assert!(out.status.success(), "tmux new-session: {}", String::from_utf8_lossy(&out.stderr));
        tmux
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new("tmux");
        cmd.args(["-L", &self.socket, "-f", "/dev/null"]);
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("tmux runs")
    }

    fn screen(&self, escapes: bool) -> String {
        let args: &[&str] = if escapes { &["capture-pane", "-p", "-e"] } else { &["capture-pane", "-p"] };
        String::from_utf8_lossy(&self.run(args).stdout).into_owned()
    }

    /// A tmux format variable of the pane, e.g. `alternate_on`.
    fn pane(&self, variable: &str) -> String {
        let out = self.run(&["display-message", "-p", &format!("#{{{variable}}}")]);
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    #[cfg_attr(not(feature = "simulator"), allow(dead_code))]
    fn wait_screen(&self, what: &str, limit: Duration, ok: impl Fn(&str) -> bool) -> String {
        poll_until(
            limit,
            Duration::from_millis(200),
            || Some(self.screen(false)).filter(|s| ok(s)),
            || format!("{what}; the screen:\n{}", self.screen(false)),
        )
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The contents of a file the script writes once it is done.
    fn wait_file(&self, name: &str) -> String {
        let path = self.file(name);
        let written = || std::fs::read_to_string(&path).ok().filter(|text| text.ends_with('\n'));
        poll_until(PATIENCE, Duration::from_millis(100), written, || {
            format!("{} to be written; the screen:\n{}", path.display(), self.screen(false))
        })
    }

    /// Once the binary has exited: the main screen is back, with the cursor, and the terminal is
    /// in line mode with echo again (the script saved `stty -a` after the binary).
    fn assert_restored(&self) {
        assert_eq!(self.pane("alternate_on"), "0", "still on the alternate screen:\n{}", self.screen(false));
        assert_eq!(self.pane("cursor_flag"), "1", "the cursor is hidden");
        let stty = self.wait_file("stty");
        let modes: Vec<&str> = stty.split([' ', ';', '\n']).collect();
        assert!(modes.contains(&"icanon") && modes.contains(&"echo"), "still in raw mode: {stty}");
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

/// What the scripts do after the binary: record its exit status and the terminal's modes, then
/// keep the pane open for reading.
const AFTER: &str = r#"echo "EXIT=$?" > exit; stty -a > stty; sleep 120"#;

#[cfg_attr(not(feature = "simulator"), allow(dead_code))]
fn table_is_up(screen: &str) -> bool {
    screen.lines().any(|l| l.starts_with("SN ") && l.contains("TYPE") && l.contains("LAST SEEN"))
        && screen.lines().filter(|l| l.len() > 16 && l[..16].chars().all(|c| c.is_ascii_hexdigit())).count() >= 5
}

/// A 60×20 terminal: the status line still shows the alarm and silent counts (it used to be cut
/// to "… │ 1 al"), and the table its rows.
#[cfg(feature = "simulator")]
#[test]
fn demo_watch_at_60_by_20_keeps_the_alarm_and_silent_counts_on_screen() {
    let script = format!(r#""$0" demo --watch --rate 20/s --seed 7; {AFTER}"#);
    let tmux = Tmux::start_sized("narrow", &script, 60, 20);
    let counts = |line: &str| {
        let words: Vec<&str> = line.split(" │ ").collect();
        let count = |word: &str, names: &[&str]| {
            word.split_once(' ').is_some_and(|(n, name)| n.parse::<u32>().is_ok() && names.contains(&name))
        };
        words.len() >= 3 && count(words[0], &["alarm", "alarms"]) && count(words[1], &["silent"])
    };
    let screen = tmux.wait_screen("the counts on the status line", PATIENCE, |s| {
        s.lines().next().is_some_and(counts)
            && s.lines().filter(|l| l.len() > 16 && l.starts_with(|c: char| c.is_ascii_hexdigit())).count() >= 5
    });
    assert!(screen.lines().all(|l| l.chars().count() <= 60), "{screen}");
    assert!(screen.lines().next().unwrap().contains(" devices │ "), "{screen}");
    tmux.run(&["send-keys", "q"]);
    assert_eq!(tmux.wait_file("exit"), "EXIT=0\n");
}

#[cfg(feature = "simulator")]
#[test]
fn demo_watch_shows_the_fleet_with_alarms_and_silent_devices_and_q_gives_the_terminal_back() {
    let script = format!(r#"echo before-watch; "$0" demo --watch --rate 20/s --seed 7; {AFTER}"#);
    let tmux = Tmux::start("q", &script);
    let screen = tmux.wait_screen("all 20 devices", PATIENCE, |s| table_is_up(s) && s.contains("20 devices"));
    assert!(screen.contains("connected"), "{screen}");
    assert_eq!(tmux.pane("alternate_on"), "1", "full screen");
    // At 20/s a round of the fleet takes a second and a quiet device is flagged a few seconds
    // after it stops; the fleet's low battery is an alarm from its first push.
    let screen = tmux.wait_screen("silent device", Duration::from_secs(40), |s| {
        s.lines().any(|l| l.contains(" silent ") && !l.contains('│'))
    });
    assert!(!screen.contains(" 0 alarms"), "{screen}");
    // tmux writes red as color 1 of its palette.
    let escaped = tmux.screen(true);
    assert!(escaped.contains("\x1b[38;5;1m") || escaped.contains("\x1b[31m"), "alarms are red: {escaped:?}");
    // The sort key: the status line names the new order.
    tmux.run(&["send-keys", "s"]);
    tmux.wait_screen("sort by SN", PATIENCE, |s| s.contains("sort: SN"));

    tmux.run(&["send-keys", "q"]);
    assert_eq!(tmux.wait_file("exit"), "EXIT=0\n");
    tmux.assert_restored();
    let after = tmux.screen(false);
    assert!(after.contains("before-watch"), "the main screen is back as it was:\n{after}");
    assert!(!after.contains("LAST SEEN"), "the table is gone:\n{after}");
    assert!(after.contains("sensoro-sub: interrupted after"), "the summary after the screen:\n{after}");
}

#[cfg(feature = "simulator")]
#[test]
fn sigterm_ends_watch_with_the_summary_and_gives_the_terminal_back() {
    let script = format!(r#"sh -c 'echo $$ > pid; exec "$0" demo --watch' "$0"; {AFTER}"#);
    let tmux = Tmux::start("term", &script);
    tmux.wait_screen("fleet table", PATIENCE, table_is_up);
    let pid: u32 = tmux.wait_file("pid").trim().parse().unwrap();
    signal(pid, "TERM");
    assert_eq!(tmux.wait_file("exit"), "EXIT=0\n");
    tmux.assert_restored();
    assert!(tmux.screen(false).contains("sensoro-sub: interrupted after"), "{}", tmux.screen(false));
}

#[test]
fn a_refused_connection_is_reported_after_the_screen_is_restored() {
    let port = free_port();
    let script = format!(r#""$0" watch --app-id foobar --app-secret s3cret --host 127.0.0.1 --port {port}; {AFTER}"#);
    let tmux = Tmux::start("refused", &script);
    assert_eq!(tmux.wait_file("exit"), "EXIT=3\n");
    tmux.assert_restored();
    let screen = tmux.screen(false);
    assert!(
        screen.lines().any(|l| l.starts_with("sensoro-sub: error:") && l.contains(&port.to_string())),
        "the error, on the main screen:\n{screen}"
    );
    assert!(screen.contains("hint: --app-secret on the command line is visible"), "the ps hint:\n{screen}");
}

/// A bug that panics on the screen's thread: the panic hook leaves the alternate screen and raw mode
/// and writes the held status lines first, so they and the message land on the main screen and the
/// shell is usable. (The panic is injected by an environment variable that only debug builds read.)
#[cfg(all(feature = "simulator", debug_assertions))]
#[test]
fn a_panic_on_the_screen_thread_gives_the_terminal_back_with_the_message() {
    let script = format!(r#"SENSORO_SUB_TEST_PANIC_WATCH=1 "$0" demo --watch; {AFTER}"#);
    let tmux = Tmux::start("panic", &script);
    assert_eq!(tmux.wait_file("exit"), "EXIT=101\n", "Rust's exit status for a panic");
    tmux.assert_restored();
    let screen = tmux.screen(false);
    let subscribed = screen.find("sensoro-sub: subscribed to users/demo/devices");
    let panicked = screen.find("injected by SENSORO_SUB_TEST_PANIC_WATCH");
    assert!(screen.contains("panicked") && panicked.is_some(), "{screen}");
    assert!(subscribed.is_some_and(|at| Some(at) < panicked), "the held status lines, then the panic:\n{screen}");
}

#[test]
fn watch_without_a_terminal_exits_2_and_points_to_ndjson() {
    let mut runs = vec![strings(&["watch", "--app-id", "foobar", "--app-secret", "s3cret"])];
    if cfg!(feature = "simulator") {
        runs.push(strings(&["demo", "--watch"]));
    }
    for args in runs {
        let out = sub_command(&args).output().expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains("watch needs a terminal") && stderr.contains("--format ndjson"), "{stderr}");
        assert!(out.stdout.is_empty());
    }
}

/// True once `pid` has exited: gone, or a zombie not yet reaped.
fn exited(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map_or(true, |stat| stat.rsplit(')').next().is_some_and(|rest| rest.trim_start().starts_with('Z')))
}

/// Kills `pid` when dropped if it is still there: a watch that outlives its terminal must not
/// outlive the test too.
struct KillOnDrop(u32);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if !exited(self.0) {
            let _ = Command::new("kill").args(["-s", "KILL", &self.0.to_string()]).status();
        }
    }
}

/// Its window is closed, its ssh connection drops: the terminal goes away under a running watch,
/// which must then end on its own rather than linger (and spin: crossterm's reader retries a dead
/// terminal forever, crossterm-rs/crossterm#793). Two ways: watch leads the terminal's session and
/// gets the kernel's SIGHUP; or it runs under a shell that ignores SIGHUP, and no signal reaches it.
#[cfg(feature = "simulator")]
#[test]
fn watch_ends_when_its_terminal_goes_away() {
    for (name, script) in [
        ("hangup", r#"echo $$ > pid; exec "$0" demo --watch"#),
        ("no-signal", r#"trap "" HUP; sh -c 'echo $$ > pid; exec "$0" demo --watch' "$0"; echo "EXIT=$?" > exit"#),
    ] {
        let tmux = Tmux::start(name, script);
        tmux.wait_screen("fleet table", PATIENCE, table_is_up);
        let pid: u32 = tmux.wait_file("pid").trim().parse().unwrap();
        let _guard = KillOnDrop(pid);
        let out = tmux.run(&["kill-server"]);
        assert!(out.status.success(), "{name}: tmux kill-server: {}", String::from_utf8_lossy(&out.stderr));
        poll_until(
            Duration::from_secs(10),
            Duration::from_millis(100),
            || exited(pid).then_some(()),
            || {
                let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
                format!("{name}: watch to end after its terminal went away; it still runs: {stat}")
            },
        );
        if name == "no-signal" {
            // The shell outlives the terminal and records how watch ended: quietly, as for a closed stdout.
            assert_eq!(tmux.wait_file("exit"), "EXIT=0\n", "{name}");
        }
    }
}

/// A push whose sn, deviceType and readings hold a window-title change (OSC 0), a screen clear, a
/// carriage return and U+202E: the cells show them escaped, and the terminal acts on none of them
/// (tmux keeps its pane title, the table stays whole).
#[test]
fn a_hostile_push_is_shown_escaped_in_watch_cells() {
    use common::hostile_broker::{HostileBroker, Script, publish};
    let evil = serde_json::to_string("\x1b]2;pwned\x07\x1b[2J\r\u{202e}X").unwrap();
    let push = format!(r#"{{"sn":{evil},"deviceType":{evil},"msgId":"m","data":{{{evil}:{evil},"battery":80}}}}"#);
    let broker =
        HostileBroker::start(vec![Script::serving(vec![publish(b"users/foobar/devices", push.as_bytes(), 1, 1)])]);
    let script = format!(
        r#""$0" watch --app-id foobar --app-secret s3cret --host 127.0.0.1 --port {} --color never; {AFTER}"#,
        broker.port
    );
    let tmux = Tmux::start("hostile", &script);
    let title = tmux.pane("pane_title");
    let screen = tmux.wait_screen("the hostile device's row", PATIENCE, |s| s.contains("1 device │"));
    assert!(screen.contains("\\e]2;pwned\\x07\\e[2J\\r\\u{202e}X="), "escaped in the cells:\n{screen}");
    assert!(screen.contains("\\u001b]2;pwned\\u0007"), "the value, as JSON escapes:\n{screen}");
    assert!(screen.lines().any(|l| l.starts_with("SN ")), "the table is whole:\n{screen}");
    assert_eq!(tmux.pane("pane_title"), title, "the pane title was not changed");
    assert_ne!(tmux.pane("pane_title"), "pwned");
}

/// `--alarm` reaches the table: with only `humidity>=0`, exactly the fleet's two temp_humi devices
/// (of 20) are alarms, their humidity cells red, whatever the batteries and leaks do.
#[cfg(feature = "simulator")]
#[test]
fn alarm_rules_from_the_command_line_make_the_table_s_alarm_cells() {
    let script = format!(r#""$0" demo --watch --rate 40/s --seed 7 --alarm none --alarm 'humidity>=0'; {AFTER}"#);
    let tmux = Tmux::start("rules", &script);
    let screen = tmux.wait_screen("all 20 devices, 2 alarms", PATIENCE, |s| {
        table_is_up(s) && s.contains("2 alarms │ 0 silent │ 20 devices │")
    });
    assert_eq!(screen.lines().filter(|l| l.contains(" temp_humi ")).count(), 2, "{screen}");
    let escaped = tmux.screen(true);
    let humid = escaped.lines().find(|l| l.contains("humidity=")).expect("a temp_humi row");
    let before = &humid[..humid.find("humidity=").unwrap()];
    assert!(
        before.ends_with("\x1b[1m\x1b[31m") || before.ends_with("\x1b[1;31m") || before.contains("38;5;1m"),
        "the humidity cell is red: {humid:?}"
    );
    tmux.run(&["send-keys", "q"]);
    assert_eq!(tmux.wait_file("exit"), "EXIT=0\n");
}
