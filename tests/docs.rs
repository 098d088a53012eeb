//! The docs run: every fenced `sh` block (and the `$ ` lines of a `console` block) of README.md,
//! docs/guide.md and docs/output.md is run by
//! bash against the embedded stand-in (`simulate`), with the stand-in's address and credentials
//! put in, each command bounded, and must succeed (`set -e -o pipefail`). A block that cannot run
//! here says so in the doc, visibly, on the line before its fence:
//! `*Not run by the docs test: REASON.*`; a single command says so in its comment:
//! `(not run by the docs test: REASON)`. The list of what ran and what did not is printed once.
#![cfg(feature = "simulator")]

mod common;

use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::*;

const DOCS: [&str; 3] = ["README.md", "docs/guide.md", "docs/output.md"];
/// The stand-in's account: the one the docs' own examples use.
const DOC_APP_ID: &str = "foobar";
const DOC_SECRET: &str = "s3cret";
const BLOCK_MARK: &str = "*Not run by the docs test: ";
const LINE_MARK: &str = "(not run by the docs test: ";

struct Block {
    doc: &'static str,
    line: usize,
    text: String,
    /// Why it is not run, if the doc says so.
    not_run: Option<String>,
    /// What a `console` block shows its commands print.
    shown: Vec<String>,
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The `sh` blocks of a doc, with the annotation before each.
fn blocks(doc: &'static str, text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(info) = lines[i].strip_prefix("```") else {
            i += 1;
            continue;
        };
        let end = (i + 1..lines.len()).find(|&j| lines[j].starts_with("```")).unwrap_or(lines.len());
        let body = &lines[(i + 1).min(end)..end];
        // `sh`: every line is the script; `console`: the `$ ` lines are (the rest is their output).
        let text = match info.trim() {
            "sh" => Some(body.join("\n")),
            "console" => Some(body.iter().filter_map(|l| l.strip_prefix("$ ")).collect::<Vec<_>>().join("\n")),
            _ => None,
        };
        let shown = match info.trim() {
            "console" => body.iter().filter(|l| !l.starts_with("$ ")).map(|l| (*l).to_owned()).collect(),
            _ => Vec::new(),
        };
        if let Some(text) = text {
            let before = lines[..i].iter().rev().find(|l| !l.trim().is_empty()).copied().unwrap_or("");
            let not_run = before
                .strip_prefix(BLOCK_MARK)
                .map(|reason| reason.trim_end_matches('*').trim_end_matches('.').to_owned());
            found.push(Block { doc, line: i + 1, text, not_run, shown });
        }
        i = end + 1;
    }
    found
}

/// The block as bash runs it: the stand-in's address for 127.0.0.1:1883, its secret for `...`,
/// files in the work directory, and the commands marked not runnable commented out.
fn script(block: &Block, work: &Path, port: u16, skipped: &mut Vec<String>) -> String {
    let mut body = String::new();
    for (n, line) in block.text.lines().enumerate() {
        if let Some(at) = line.find(LINE_MARK) {
            let reason = line[at + LINE_MARK.len()..].split(')').next().unwrap_or_default();
            skipped.push(format!("{}:{} (one command): {reason}", block.doc, block.line + 1 + n));
            body.push_str(&format!("# {line}\n"));
            continue;
        }
        let line = line
            .replace("127.0.0.1:1883", &format!("127.0.0.1:{port}"))
            .replace("SENSORO_APP_SECRET=...", &format!("SENSORO_APP_SECRET={DOC_SECRET}"))
            .replace("SENSORO_APP_KEY=...", "SENSORO_APP_KEY=kT0pJ7n3VbQYxW9cH2mLs5RfA8dZe4Gu1qNyXoC6iBD")
            .replace("/tmp/sim.sock", &work.join("sim.sock").to_string_lossy());
        body.push_str(&line);
        body.push('\n');
    }
    format!(
        r#"set -e -o pipefail
# Every sensoro-sub is bounded: a stream is stopped with SIGINT (Ctrl-C: exit 0, as documented);
# a stand-in started in the background lives long enough for the block.
sensoro-sub() {{
    local bound=3
    [ "$1" = simulate ] && [ "${{2:-}}" != alarm ] && [ "${{2:-}}" != silence ] && [ "${{2:-}}" != publish ] && bound=20
    timeout --preserve-status -s INT "$bound" "$SENSORO_SUB_BIN" "$@"
}}
{body}
jobs -p | xargs -r kill -INT 2>/dev/null || true
wait || true
"#
    )
}

/// A work directory like a user's: a home with two profiles of the stand-in's account, and the
/// files the docs name (a saved stream, a webhook log).
fn work_dir(port: u16) -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let config_dir = dir.path().join(".config/sensoro-sub");
    std::fs::create_dir_all(&config_dir).unwrap();
    let profile = |name: &str| {
        format!(
            "[profiles.{name}]\napp_id = \"{DOC_APP_ID}\"\napp_secret = \"{DOC_SECRET}\"\nhost = \"127.0.0.1:{port}\"\n\n"
        )
    };
    let config = config_dir.join("config.toml");
    std::fs::write(&config, profile("default") + &profile("staging")).unwrap();
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
    let pushes: String = (1..=3).map(|n| push(n, &format!("0117C9F252E6B43{n}"), "temp_humi") + "\n").collect();
    for file in ["pushes.ndjson", "webhook.ndjson", "saved.ndjson"] {
        std::fs::write(dir.path().join(file), &pushes).unwrap();
    }
    dir
}

#[test]
fn every_runnable_block_of_the_docs_runs() {
    let stand_in_port = free_port();
    let listen = format!("127.0.0.1:{stand_in_port}");
    let stand_in = Sub::spawn(&strings(&[
        "simulate",
        "--listen",
        &listen,
        "--app-id",
        DOC_APP_ID,
        "--app-secret",
        DOC_SECRET,
        "--rate",
        "20/s",
    ]));
    stand_in.wait_stderr("the stand-in", |lines| lines.iter().any(|l| l.contains("connect with:")));

    let (mut ran, mut not_run, mut failed) = (Vec::new(), Vec::new(), Vec::new());
    for doc in DOCS {
        let text = std::fs::read_to_string(repo(doc)).unwrap();
        for block in blocks(doc, &text) {
            let place = format!("{doc}:{}", block.line);
            if let Some(reason) = &block.not_run {
                not_run.push(format!("{place}: {reason}"));
                continue;
            }
            // A block that starts a stand-in of its own gets a free port for its 127.0.0.1:1883;
            // the others talk to ours.
            let port = if block.text.contains("sensoro-sub simulate --") { free_port() } else { stand_in_port };
            let work = work_dir(stand_in_port);
            let script = script(&block, work.path(), port, &mut not_run);
            let mut cmd = Command::new("bash");
            cmd.arg("-c").arg(&script).current_dir(work.path());
            plain_environment(&mut cmd);
            let path = std::env::join_paths(
                std::iter::once(bin().parent().unwrap().to_owned())
                    .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
            )
            .unwrap();
            cmd.env_remove("XDG_CONFIG_HOME")
                .env("HOME", work.path())
                .env("PATH", path)
                .env("SENSORO_SUB_BIN", bin())
                .env("SENSORO_HOST", &listen)
                .env("SENSORO_APP_ID", DOC_APP_ID)
                .env("SENSORO_APP_SECRET", DOC_SECRET)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .process_group(0);
            let mut child = cmd.spawn().expect("bash runs");
            let _ = child.stdin.take().unwrap().write_all(format!("{DOC_SECRET}\n").as_bytes());
            let (out, err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
            let read = |mut pipe: Box<dyn std::io::Read + Send>| {
                std::thread::spawn(move || {
                    let mut text = Vec::new();
                    let _ = pipe.read_to_end(&mut text);
                    String::from_utf8_lossy(&text).into_owned()
                })
            };
            let (out, err) = (read(Box::new(out)), read(Box::new(err)));
            let status = wait_bounded(&mut child, Duration::from_secs(90));
            if status.is_none() {
                // The whole group: bash and whatever it started.
                let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", child.id())]).status();
                let _ = child.wait();
            }
            let (out, err) = (out.join().unwrap(), err.join().unwrap());
            let mismatch = compare(&block.shown, &out, &err, &listen);
            match status {
                Some(status) if status.success() && mismatch.is_none() => ran.push(place),
                Some(status) if status.success() => failed.push(format!(
                    "{place}: the doc shows {}\n--- stdout:\n{}\n--- stderr:\n{}",
                    mismatch.unwrap_or_default(),
                    tail(&out),
                    tail(&err)
                )),
                other => failed.push(format!(
                    "{place} ({}):\n{}\n--- stdout:\n{}\n--- stderr:\n{}",
                    other.map_or("did not end within 90 s".to_owned(), |s| s.to_string()),
                    block.text,
                    tail(&out),
                    tail(&err)
                )),
            }
        }
    }
    let mut log = format!("docs harness: {} blocks run, {} not run:\n", ran.len(), not_run.len());
    for reason in &not_run {
        log.push_str(&format!("  not run {reason}\n"));
    }
    // Straight to stderr, not through the test harness's capture: the list belongs in the log.
    let _ = std::io::stderr().write_all(log.as_bytes());
    assert!(failed.is_empty(), "{} doc blocks failed:\n\n{}", failed.len(), failed.join("\n\n"));
    assert!(ran.len() >= 10, "{log}");
}

/// Numbers, hex serials, uuids and times differ from run to run: each run of hex digits that holds
/// a digit becomes `#`.
fn normalize(line: &str) -> String {
    let mut out = String::new();
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.chars().any(|c| c.is_ascii_digit()) {
            out.push('#');
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in line.chars() {
        if c.is_ascii_hexdigit() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// A shown line matches an actual one when they are equal once normalized; `…` in the doc stands
/// for anything.
fn matches(shown: &str, actual: &str) -> bool {
    let (shown, actual) = (normalize(shown), normalize(actual));
    let mut parts = shown.split('…');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = actual.strip_prefix(first) else { return false };
    let parts: Vec<&str> = parts.collect();
    if parts.is_empty() {
        return rest.is_empty();
    }
    for part in parts {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// What a `console` block shows against what ran: each status line shown (`sensoro-sub: ...`, on
/// stderr) is among the run's, and the run printed at least as many pushes as the doc shows (on a
/// pipe they are NDJSON, where the doc shows a terminal's pretty lines). `None`: they agree.
fn compare(shown: &[String], out: &str, err: &str, stand_in: &str) -> Option<String> {
    let status: Vec<&str> = err.lines().collect();
    let mut pushes = 0;
    for line in shown {
        let line = line.replace("iot.sensoro.com:1883", stand_in);
        if line.starts_with("sensoro-sub: ") {
            if !status.iter().any(|actual| matches(&line, actual)) {
                return Some(format!("{line:?}, which the run did not say"));
            }
        } else if !line.trim().is_empty() {
            pushes += 1;
        }
    }
    let printed = out.lines().count();
    (printed < pushes).then(|| format!("{pushes} pushes, and the run printed {printed}"))
}

fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(15)..].join("\n")
}
