//! Durable sessions have one consumer (docs/reliability.md): a one-shot run from the collector's
//! profile does not touch its session, two processes with one `--session` do not ping-pong, and
//! `session clear` ends a session the broker keeps. Real mosquitto, real binary.

mod common;

use std::collections::HashSet;
use std::fs::OpenOptions;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use common::*;

/// The serial number of the guide's cron line.
const CRON_SN: &str = "0117C9F252E6B438";

/// msgIds of the NDJSON lines in `lines`.
fn msg_ids(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|push| push["msgId"].as_str().map(str::to_owned))
        .collect()
}

fn file_lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path).unwrap_or_default().lines().map(str::to_owned).collect()
}

/// The guide's profile (docs/guide.md, "A collector and a cron job from one profile") in
/// `$XDG_CONFIG_HOME/sensoro-sub/config.toml`, pointed at `broker`; returns XDG_CONFIG_HOME.
fn guide_profile(broker: &Broker) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("sensoro-sub");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("config.toml");
    std::fs::write(
        &file,
        format!(
            "[profiles.default]\napp_id = \"{APP_ID}\"\napp_secret = \"{APP_SECRET}\"\nhost = \"127.0.0.1\"\n\
             port = {}\nsession = \"collector\"\n",
            broker.port
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    home
}

/// A `sensoro-sub` command line as the guide writes it, with the guide's profile file.
fn guide_command(home: &Path, args: &[&str]) -> std::process::Command {
    let mut cmd = sub_command(&strings(args));
    cmd.env("XDG_CONFIG_HOME", home);
    cmd
}

/// Sets the publisher's stop flag when dropped, so a failing assertion inside `thread::scope` does not
/// wait for a publisher that never stops.
struct StopOnDrop<'a>(&'a AtomicBool);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Publishes pushes numbered from 0 in batches of 10 every 50 ms until `stop`, every tenth from
/// the cron line's device; `published` counts them.
fn publish_until(broker: &Broker, stop: &AtomicBool, published: &AtomicUsize) {
    let mut n = 0;
    while !stop.load(Ordering::SeqCst) {
        let batch: Vec<String> = (n..n + 10)
            .map(|i| if i % 10 == 0 { push(i, CRON_SN, "temp_humi") } else { push(i, "10A1B2C3D4E5F601", "smoke") })
            .collect();
        // Counted before it goes out: a push numbered from a count read at some moment was sent after it.
        published.store(n + 10, Ordering::SeqCst);
        broker.publish_lines(&batch, 1);
        n += 10;
        thread::sleep(Duration::from_millis(50));
    }
}

/// The guide's collector (`sensoro-sub >> pushes.ndjson`) and its cron line (`--profile default --sn
/// … --count 1 --timeout 5m`), from one profile naming `session = "collector"`, while pushes flow:
/// the cron run takes a clean session of its own and says so, so the collector keeps every push.
#[test]
fn the_guides_collector_and_cron_job_share_a_profile_and_lose_nothing() {
    let broker = Broker::start();
    let home = guide_profile(&broker);
    let out = tempfile::tempdir().unwrap();
    let (pushes, temp) = (out.path().join("pushes.ndjson"), out.path().join("temp.ndjson"));
    let append = |path: &Path| OpenOptions::new().create(true).append(true).open(path).unwrap();

    let mut collector = Sub::spawn_command_to(guide_command(home.path(), &[]), append(&pushes));
    collector.wait_subscribed();
    assert!(collector.stderr().iter().any(|l| l.contains("as foobar/collector")), "{:#?}", collector.stderr());

    let (stop, published) = (AtomicBool::new(false), AtomicUsize::new(0));
    thread::scope(|scope| {
        let publisher = scope.spawn(|| publish_until(&broker, &stop, &published));
        let _stop = StopOnDrop(&stop);
        // The cron line, three times while pushes flow (cron would run it every 10 minutes).
        let cron = ["--profile", "default", "--sn", CRON_SN, "--count", "1", "--timeout", "5m"];
        for run in 0..3 {
            let mut sub = Sub::spawn_command_to(guide_command(home.path(), &cron), append(&temp));
            let status = wait_bounded(&mut sub.child, PATIENCE).expect("the cron run ends");
            let stderr = sub.stderr();
            assert_eq!(status.code(), Some(0), "cron run {run}: {stderr:#?}");
            let said = stderr.iter().filter(|l| l.contains("profile's session 'collector' not used")).count();
            assert_eq!(said, 1, "cron run {run} says once why it left the session alone: {stderr:#?}");
            assert!(!stderr.iter().any(|l| l.contains("as foobar/collector")), "{stderr:#?}");
            thread::sleep(Duration::from_millis(300));
        }
        thread::sleep(Duration::from_secs(1));
        stop.store(true, Ordering::SeqCst);
        publisher.join().unwrap();
    });
    let total = published.load(Ordering::SeqCst);

    let readings = file_lines(&temp);
    assert_eq!(readings.len(), 3, "{readings:#?}");
    assert!(readings.iter().all(|l| l.contains(CRON_SN)), "{readings:#?}");

    let expected: HashSet<String> = (0..total).map(|n| format!("msg-{n}")).collect();
    let collected = poll_until(
        PATIENCE,
        Duration::from_millis(100),
        || {
            let got: HashSet<String> = msg_ids(&file_lines(&pushes)).into_iter().collect();
            expected.is_subset(&got).then_some(got)
        },
        || {
            let got: HashSet<String> = msg_ids(&file_lines(&pushes)).into_iter().collect();
            format!(
                "the collector to hold all {total} pushes; {} missing; stderr {:#?}",
                expected.difference(&got).count(),
                collector.stderr()
            )
        },
    );
    assert_eq!(collected.len(), total);
    assert!(
        !collector.stderr().iter().any(|l| l.contains("connection to") && l.contains("lost")),
        "{:#?}",
        collector.stderr()
    );
    collector.kill();
}

/// Two processes with one `--session`: the newer connection wins each time, so each is taken over
/// in turn. The one taken over twice in a row exits 4 naming the clientId, within two reconnect
/// waits (8–16 s each); the other goes on. No push is lost: the survivor has every push but those
/// the loser printed while it held the session, and every push after the loser left.
#[test]
fn two_processes_with_one_session_the_one_taken_over_twice_exits_4() {
    let broker = Broker::start();
    let args = broker.args(&["--session", "twin", "--format", "ndjson"]);
    let first = Sub::spawn(&args);
    first.wait_subscribed();
    let (stop, published) = (AtomicBool::new(false), AtomicUsize::new(0));
    thread::scope(|scope| {
        let publisher = scope.spawn(|| publish_until(&broker, &stop, &published));
        let _stop = StopOnDrop(&stop);
        let started = Instant::now();
        let second = Sub::spawn(&args);
        let mut subs = [first, second];
        let loser = poll_until(
            Duration::from_secs(60),
            Duration::from_millis(50),
            || subs.iter_mut().position(|sub| sub.child.try_wait().unwrap().is_some()),
            || "one of the two to exit".into(),
        );
        let took = started.elapsed();
        let published_at_exit = published.load(Ordering::SeqCst);
        let [a, b] = subs;
        let (loser, mut survivor) = if loser == 0 { (a, b) } else { (b, a) };
        let lost = loser.finish();
        assert_eq!(lost.code, Some(4), "{lost:#?}");
        let last = lost.stderr.last().cloned().unwrap_or_default();
        assert!(last.contains("foobar/twin") && last.contains("taken over twice"), "{lost:#?}");
        assert!(took <= Duration::from_secs(36), "exited after {took:?}, documented: within about 35 s");
        thread::sleep(Duration::from_secs(1));
        stop.store(true, Ordering::SeqCst);
        publisher.join().unwrap();
        let total = published.load(Ordering::SeqCst);
        assert!(survivor.child.try_wait().is_ok_and(|s| s.is_none()), "the survivor goes on");

        let printed_by_loser: HashSet<String> = msg_ids(&lost.stdout).into_iter().collect();
        let should_have: HashSet<String> =
            (0..total).map(|n| format!("msg-{n}")).filter(|id| !printed_by_loser.contains(id)).collect();
        let got = poll_until(
            PATIENCE,
            Duration::from_millis(100),
            || {
                let got: HashSet<String> = msg_ids(&survivor.stdout()).into_iter().collect();
                should_have.is_subset(&got).then_some(got)
            },
            || {
                let got: HashSet<String> = msg_ids(&survivor.stdout()).into_iter().collect();
                format!(
                    "the survivor to have {} more pushes: {:#?}",
                    should_have.difference(&got).count(),
                    survivor.stderr()
                )
            },
        );
        for n in published_at_exit..total {
            assert!(got.contains(&format!("msg-{n}")), "msg-{n}, sent after the loser left");
        }
        let warned = survivor.stderr().iter().filter(|l| l.contains("taken over")).count();
        assert!(warned <= 1, "{:#?}", survivor.stderr());
    });
}

/// `session clear NAME` ends a durable session the broker keeps: pushes queued while it was away
/// are gone, and the next `--session NAME` run starts a new durable session.
#[test]
fn session_clear_discards_what_an_absent_session_kept() {
    let broker = Broker::start();
    let mut away = Sub::spawn(&broker.args(&["--session", "gone"]));
    away.wait_subscribed();
    signal(away.pid(), "TERM");
    assert_eq!(wait_bounded(&mut away.child, PATIENCE).and_then(|s| s.code()), Some(0));
    let queued: Vec<String> = (0..5).map(|n| push(n, "10A1B2C3D4E5F601", "smoke")).collect();
    broker.publish_lines(&queued, 1);

    let cleared = run_to_end(&broker.args(&["session", "clear", "gone"]));
    assert_eq!(cleared.code, Some(0), "{cleared:#?}");
    let said = cleared.stdout.join("\n");
    assert!(said.contains("foobar/gone") && said.contains("cleared"), "{cleared:#?}");

    let next = run_to_end(&broker.args(&["--session", "gone", "--duration", "2s"]));
    assert_eq!(next.code, Some(0), "{next:#?}");
    assert!(next.stderr_text().contains("new durable session"), "{next:#?}");
    assert!(next.stdout.is_empty(), "the queued pushes are gone: {next:#?}");

    // Without the clear, the same steps keep them: the test tells the two apart.
    let mut away = Sub::spawn(&broker.args(&["--session", "kept"]));
    away.wait_subscribed();
    signal(away.pid(), "TERM");
    assert_eq!(wait_bounded(&mut away.child, PATIENCE).and_then(|s| s.code()), Some(0));
    broker.publish_lines(&queued, 1);
    let next = run_to_end(&broker.args(&["--session", "kept", "--count", "5"]));
    assert_eq!(next.code, Some(0), "{next:#?}");
    assert!(next.stderr_text().contains("durable session resumed"), "{next:#?}");
}
