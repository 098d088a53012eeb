//! The collector's promise (docs/reliability.md, "What acknowledged means"): in a durable session a
//! QoS 1 push is acknowledged only once its line is written and, when the output is a file,
//! synced; and the PUBACKs of a burst leave together. Checked on the system calls themselves,
//! traced with strace (installed by `scripts/deps test`).

mod common;

use std::fs::File;
use std::process::Command;

use common::*;

/// One traced system call: which, on which descriptor, and its data (strace `-xx`: all hex).
struct Call {
    name: String,
    fd: i32,
    data: Vec<u8>,
}

/// Parses strace's `-f -xx` output lines: `PID name(FD, "\x..\x..", ...) = RESULT`.
fn calls(trace: &str) -> Vec<Call> {
    let mut calls = Vec::new();
    for line in trace.lines() {
        let Some((_, call)) = line.trim_start().split_once(' ') else { continue };
        let Some((name, args)) = call.trim_start().split_once('(') else { continue };
        let fd = args.split([',', ')']).next().and_then(|fd| fd.trim().parse().ok()).unwrap_or(-1);
        let mut data = Vec::new();
        // Every quoted string of the call (writev has one per buffer), decoded from \xNN.
        for quoted in args.split('"').skip(1).step_by(2) {
            let hex: String = quoted.split("\\x").collect();
            data.extend((0..hex.len() / 2).filter_map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()));
        }
        calls.push(Call { name: name.to_owned(), fd, data });
    }
    calls
}

/// A burst of QoS 1 pushes into `--session collector` with stdout a regular file: no PUBACK leaves
/// while a line written before it is not yet synced, every push's line is written before its
/// PUBACK, and there are far fewer PUBACK writes than pushes.
#[test]
fn a_durable_session_acknowledges_only_synced_lines_and_in_batches() {
    let broker = Broker::start();
    let dir = tempfile::tempdir().unwrap();
    let (out_path, trace_path) = (dir.path().join("pushes.ndjson"), dir.path().join("trace"));
    let pushes = 1000;
    let mut cmd = Command::new("strace");
    plain_environment(&mut cmd);
    cmd.args(["-f", "-qq", "-xx", "-s", "1000000", "-e", "trace=write,writev,sendto,sendmsg,fdatasync,fsync"])
        .arg("-o")
        .arg(&trace_path)
        .arg(bin())
        .args(broker.args(&["--session", "collector", "--format", "ndjson", "-n", &pushes.to_string(), "-v"]));
    let sub = Sub::spawn_command_to(cmd, File::create(&out_path).unwrap());
    sub.wait_subscribed();
    let lines: Vec<String> = (0..pushes).map(|n| push(n, "0117C9A1B2C3D4E5", "temp_humi")).collect();
    broker.publish_lines(&lines, 1);
    let done = sub.finish();
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(std::fs::read_to_string(&out_path).unwrap().lines().count(), pushes);

    let trace = std::fs::read_to_string(&trace_path).unwrap();
    let (mut unsynced, mut lines_written, mut acked, mut ack_writes, mut syncs) = (false, 0usize, 0usize, 0, 0);
    for call in calls(&trace) {
        match (call.name.as_str(), call.fd) {
            ("write" | "writev", 1) => {
                lines_written += call.data.iter().filter(|&&b| b == b'\n').count();
                unsynced = true;
            }
            ("fdatasync" | "fsync", 1) => {
                unsynced = false;
                syncs += 1;
            }
            // PUBACKs: packets of 4 bytes, 0x40 0x02 and the message id.
            (_, fd) if fd > 2 && call.data.len() % 4 == 0 && call.data.starts_with(&[0x40, 0x02]) => {
                assert!(call.data.chunks(4).all(|p| p[..2] == [0x40, 0x02]), "only PUBACKs in one write");
                assert!(!unsynced, "a PUBACK left while lines written before it were not synced");
                acked += call.data.len() / 4;
                assert!(acked <= lines_written, "{acked} PUBACKs sent after only {lines_written} lines written");
                ack_writes += 1;
            }
            _ => {}
        }
    }
    assert_eq!(acked, pushes, "every push acknowledged once");
    assert!(ack_writes < pushes / 2, "PUBACKs in batches: {ack_writes} writes for {pushes} pushes");
    assert!(syncs >= 1 && syncs <= ack_writes, "one sync per batch at most: {syncs} syncs, {ack_writes} ack writes");
}

/// logrotate's way: rename the `--output` file, send SIGHUP, and the lines go on in a new file at
/// the path. Between the two files every push is there once, none lost in the rotation.
#[test]
fn rotation_by_rename_and_sighup_loses_nothing() {
    let broker = Broker::start();
    let dir = tempfile::tempdir().unwrap();
    let (path, rotated) = (dir.path().join("pushes.ndjson"), dir.path().join("pushes.ndjson.1"));
    let out = path.to_str().unwrap();
    let sub = Sub::spawn(&broker.args(&["--session", "rotate", "--output", out, "-v"]));
    sub.wait_subscribed();
    let batch = |from: usize, to: usize| -> Vec<String> {
        (from..to).map(|n| push(n, "0117C9A1B2C3D4E5", "temp_humi")).collect()
    };
    let count = |file: &std::path::Path| std::fs::read_to_string(file).map(|t| t.lines().count()).unwrap_or(0);
    broker.publish_lines(&batch(0, 300), 1);
    poll_until(
        PATIENCE,
        std::time::Duration::from_millis(20),
        || (count(&path) >= 300).then_some(()),
        || format!("300 lines in the first file, got {}", count(&path)),
    );
    // Pushes keep coming while the file is renamed and the signal is on its way.
    let publisher = {
        let lines = batch(300, 600);
        let port = broker.port;
        std::thread::spawn(move || {
            let mut cmd = Command::new("mosquitto_pub");
            cmd.args(["-h", "127.0.0.1", "-p", &port.to_string(), "-u", PUBLISHER, "-P", PUBLISHER_SECRET]);
            cmd.args(["-t", &topic(), "-q", "1", "-l"]).stdin(std::process::Stdio::piped());
            let mut child = cmd.spawn().unwrap();
            std::io::Write::write_all(&mut child.stdin.take().unwrap(), (lines.join("\n") + "\n").as_bytes()).unwrap();
            child.wait().unwrap()
        })
    };
    std::fs::rename(&path, &rotated).unwrap();
    signal(sub.pid(), "HUP");
    assert!(publisher.join().unwrap().success());
    broker.publish_lines(&batch(600, 700), 1);
    poll_until(
        PATIENCE,
        std::time::Duration::from_millis(20),
        || (count(&rotated) + count(&path) >= 700).then_some(()),
        || format!("700 lines in the two files, got {} + {}", count(&rotated), count(&path)),
    );
    sub.wait_stderr("the reopen", |lines| lines.iter().any(|l| l.contains("SIGHUP: output file opened anew")));
    signal(sub.pid(), "TERM");
    let done = sub.finish();
    assert_eq!(done.code, Some(0), "{done:#?}");
    let text = std::fs::read_to_string(&rotated).unwrap() + &std::fs::read_to_string(&path).unwrap();
    for n in 0..700 {
        let id = format!(r#""msgId":"msg-{n}""#);
        assert_eq!(text.matches(&id).count(), 1, "msg-{n} once in the two files");
    }
    assert!(count(&path) > 0, "lines after the SIGHUP went to the new file");
}
