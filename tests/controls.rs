//! Controls for a running stand-in (`simulate --control PATH`, then `simulate publish|alarm|silence
//! --control PATH`): a push given as JSON is delivered as written, an alarm is raised on a device
//! at once, a silenced device says nothing.
#![cfg(feature = "simulator")]

mod common;

use std::path::Path;
use std::time::Duration;

use common::*;
use serde_json::Value;

fn control(socket: &Path, args: &[&str], stdin: &str) -> (Option<i32>, String, String) {
    let mut all = strings(&["simulate"]);
    all.extend(strings(&args[..1]));
    all.extend(strings(&["--control", socket.to_str().unwrap()]));
    all.extend(strings(&args[1..]));
    let mut child = sub_command(&all)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), stdin.as_bytes()).unwrap();
    let status = wait_bounded(&mut child, PATIENCE).expect("the control command ends");
    let read = |pipe: &mut dyn std::io::Read| {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        text
    };
    let out = read(child.stdout.as_mut().unwrap());
    let err = read(child.stderr.as_mut().unwrap());
    (status.code(), out, err)
}

#[test]
fn a_running_stand_in_publishes_raises_alarms_and_silences_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("sim.sock");
    let (sim, listen) = stand_in(&["--seed", "5", "--control", socket.to_str().unwrap()]);
    sim.wait_stderr("the control socket", |lines| lines.iter().any(|l| l.contains("control socket")));
    {
        use std::os::unix::fs::{FileTypeExt, MetadataExt};
        let meta = std::fs::metadata(&socket).unwrap();
        assert!(meta.file_type().is_socket() && meta.mode() & 0o777 == 0o600, "{meta:?}");
    }
    let sub = Sub::spawn(&args_with(&["--host", &listen], &["-f", "ndjson"]));
    let pushes =
        |lines: &[String]| -> Vec<Value> { lines.iter().filter_map(|l| serde_json::from_str(l).ok()).collect() };
    // A leak sensor of the fleet, from the stream.
    let first = sub.wait_stdout_lines(20);
    let leak = pushes(&first).into_iter().find(|p| p["deviceType"] == "leak").expect("a leak sensor in 20 pushes");
    let sn = leak["sn"].as_str().unwrap().to_owned();

    // An alarm: the device's next push, published at once, says leak=true.
    let seen = sub.stdout().len();
    let (code, out, err) = control(&socket, &["alarm", &sn.to_lowercase()], "");
    assert_eq!(code, Some(0), "{err}");
    assert!(out.starts_with(&format!("ok {sn} (leak): alarm raised")), "{out}");
    let alarm = poll_until(
        PATIENCE,
        Duration::from_millis(50),
        || pushes(&sub.stdout()[seen..]).into_iter().find(|p| p["sn"] == sn.as_str()),
        || "the device's next push".into(),
    );
    assert_eq!(alarm["data"]["leak"], true, "{alarm}");

    // A push given as JSON arrives as written.
    let mine = r#"{"appId":"foobar","sn":"00000000000000F1","type":"text","deviceType":"smoke","createdTime":1764094329000,"msgId":"given-1","data":{"smoke":1}}"#;
    let (code, out, err) = control(&socket, &["publish"], &format!("{mine}\n"));
    assert_eq!(code, Some(0), "{err}");
    assert!(out.starts_with("ok published to users/foobar/devices"), "{out}");
    poll_until(
        PATIENCE,
        Duration::from_millis(50),
        || sub.stdout().iter().find(|l| l.as_str() == mine).cloned(),
        || "the given push".into(),
    );

    // Silenced: nothing more from that device, while the others go on (20 devices at 20/s: each
    // reports about once a second).
    let (code, out, err) = control(&socket, &["silence", &sn, "--for", "1h"], "");
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("silenced for 1h"), "{out}");
    let from = sub.stdout().len();
    sub.wait_stdout_lines(from + 60);
    let after = pushes(&sub.stdout()[from..]);
    let spoke = after.iter().filter(|p| p["sn"] == sn.as_str()).count();
    assert_eq!(spoke, 0, "silenced {sn} spoke {spoke} times in {} pushes", after.len());

    // What it cannot do is said, with the exit code.
    let (code, _, err) = control(&socket, &["alarm", "NO-SUCH-DEVICE"], "");
    assert_eq!(code, Some(2));
    assert!(err.contains("no device \\\"NO-SUCH-DEVICE\\\" in the simulated fleet"), "{err}");
    let (code, _, err) = control(&socket, &["publish"], "not json\n");
    assert_eq!(code, Some(2));
    assert!(err.contains("not a JSON push"), "{err}");
    let (code, _, err) = control(&dir.path().join("none.sock"), &["alarm", &sn], "");
    assert_eq!(code, Some(3));
    assert!(err.contains("is `sensoro-sub simulate --control"), "{err}");
}
