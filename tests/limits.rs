//! Flags, files and input at their limits (issue #20): refused with exit 2 and one line that names
//! the limit, never a panic, a silent wrap or an unbounded read. The real binary, no broker needed.

mod common;

use common::*;

/// Runs the binary with `args` (credentials and a closed loopback port added after any subcommand).
fn run(args: &[&str]) -> Finished {
    run_to_end(&args_with(&["--host", "127.0.0.1", "--port", "1"], args))
}

/// Exit 2, nothing on stdout, no panic, and an error line on stderr that holds `expected`.
fn assert_refused(done: &Finished, what: &str, expected: &str) {
    let err = done.stderr_text();
    assert_eq!(done.code, Some(2), "{what}: {done:#?}");
    assert!(done.stdout.is_empty(), "{what}: {done:#?}");
    assert!(!err.contains("panicked"), "{what}: {err}");
    let errors: Vec<&String> = done.stderr.iter().filter(|line| line.contains("error")).collect();
    assert_eq!(errors.len(), 1, "{what}: one error line: {err}");
    assert!(errors[0].contains(expected), "{what}: {err}");
}

/// `config show` always runs (exit 0): the problem is listed under "To fix before connecting".
fn assert_shown_to_fix(done: &Finished, what: &str, expected: &str) {
    assert_eq!(done.code, Some(0), "{what}: {done:#?}");
    let out = done.stdout.join("\n");
    let fix = out.split("To fix before connecting:").nth(1).unwrap_or_default();
    assert!(fix.contains(expected), "{what}: {out}");
}

#[test]
fn durations_beyond_the_maximum_are_refused_naming_it() {
    let cases: &[&[&str]] = &[
        &["--timeout", "300000000000y"],
        &["--duration", "18446744073709551615s"],
        &["--give-up-after", "300000000000y"],
        &["--keepalive", "300000000000y"],
        &["check", "--timeout", "300000000000y"],
        &["config", "show", "--give-up-after", "18446744073709551615s"],
        #[cfg(feature = "watch")]
        &["watch", "--give-up-after", "300000000000y"],
    ];
    for args in cases {
        assert_refused(&run(args), &args.join(" "), "maximum, 100y");
    }
    #[cfg(feature = "simulator")]
    {
        let done = run_to_end(&strings(&["demo", "--duration", "18446744073709551615s"]));
        assert_refused(&done, "demo --duration", "maximum, 100y");
    }
}

#[test]
fn keepalive_beyond_mqtts_16_bits_is_refused_not_wrapped() {
    for value in ["65536s", "131072s", "100000h"] {
        assert_refused(&run(&["--keepalive", value]), value, "maximum, 65535s (18h 12m 15s)");
    }
    // The largest keepalive the field holds is taken: the run gets as far as the (closed) port.
    let done = run(&["--keepalive", "65535s"]);
    assert_eq!(done.code, Some(3), "{done:#?}");
}

#[test]
fn control_characters_in_ids_and_the_topic_are_refused() {
    let hostile = ["a\u{1b}]0;pwned\u{7}", "a\rb", "a\u{7f}b", "a\u{9b}2Jb"];
    for value in hostile {
        let client_id = format!("{APP_ID}/{value}");
        let cases: Vec<(Vec<String>, &str)> = vec![
            (strings(&["--host", "127.0.0.1", "--port", "1", "--app-id", value, "--app-secret", "x"]), "the AppID"),
            (args_with(&["--host", "127.0.0.1", "--port", "1"], &["--topic", &format!("users/{value}")]), "--topic"),
            (args_with(&["--host", "127.0.0.1", "--port", "1"], &["--client-id", &client_id]), "--client-id"),
            (args_with(&["--host", "127.0.0.1", "--port", "1"], &["--session", value]), "--session"),
            (strings(&["decode", "--app-id", value, "/dev/null"]), "the AppID"),
        ];
        for (args, expected) in cases {
            let done = run_to_end(&args);
            let what = format!("{args:?}");
            assert_refused(&done, &what, expected);
            let err = done.stderr_text();
            assert!(
                !err.chars().any(|c| c.is_control() && c != '\n'),
                "{what}: a control character on stderr: {err:?}"
            );
        }
    }
}

/// A config file of `text`, mode 600, in a fresh directory (kept alive by the returned guard).
fn config_file(text: &[u8]) -> (tempfile::TempDir, String) {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let path = path.to_str().unwrap().to_owned();
    (dir, path)
}

#[test]
fn a_config_parse_error_never_quotes_a_secret() {
    for key in ["app_secret", "app_key"] {
        let (_dir, path) =
            config_file(format!("[profiles.default]\napp_id = \"foobar\"\n{key} = 12345678\n").as_bytes());
        for command in [&["--config", &path][..], &["config", "show", "--config", &path], &["check", "--config", &path]]
        {
            let done = run_to_end(&strings(command));
            let what = format!("{key}: {command:?}");
            let expected = format!("line 3 is not valid: {key} must be a quoted string");
            if command[0] == "config" {
                assert_shown_to_fix(&done, &what, &expected);
            } else {
                assert_refused(&done, &what, &expected);
            }
            assert!(!done.stderr_text().contains("12345678"), "{what}: {done:#?}");
            assert!(!done.stdout.join("\n").contains("12345678"), "{what}: {done:#?}");
        }
    }
}

#[test]
fn the_ps_hint_comes_for_every_secret_typed_on_any_command_line_unless_quiet() {
    let key = "A".repeat(43);
    const SECRET_HINT: &str = "hint: --app-secret on the command line is visible to other users in `ps`";
    const KEY_HINT: &str = "hint: --app-key on the command line is visible to other users in `ps`";
    let (secret_hint, key_hint) = (SECRET_HINT, KEY_HINT);
    let cases: Vec<(Vec<&str>, &[&str])> = vec![
        (vec![], &[SECRET_HINT]),
        (vec!["--app-key", &key], &[SECRET_HINT, KEY_HINT]),
        (vec!["check"], &[SECRET_HINT]),
        (vec!["check", "--app-key", &key], &[SECRET_HINT, KEY_HINT]),
        (vec!["config", "show"], &[SECRET_HINT]),
        (vec!["config", "show", "--app-key", &key], &[SECRET_HINT, KEY_HINT]),
        (vec!["-q", "--app-key", &key], &[]),
    ];
    for (args, hints) in cases {
        let done = run(&args);
        let err = done.stderr_text();
        for hint in [secret_hint, key_hint] {
            assert_eq!(err.contains(hint), hints.contains(&hint), "{args:?}: {hint}: {err}");
        }
    }
    // decode takes an AppKey (and no profile); from the environment there is nothing to hint.
    let decode = |args: &[&str], env_key: Option<&str>| {
        let mut cmd = sub_command(&strings(args));
        if let Some(key) = env_key {
            cmd.env("SENSORO_APP_KEY", key);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let err = decode(&["decode", "--app-key", &key, "/dev/null"], None);
    assert!(err.contains(&format!("{key_hint}; SENSORO_APP_KEY keeps it out")), "{err}");
    assert!(!decode(&["decode", "-q", "--app-key", &key, "/dev/null"], None).contains("hint"));
    assert!(!decode(&["decode", "/dev/null"], Some(&key)).contains("hint"));
}

/// Runs `args` and requires it to end within a few seconds (an unbounded read of `/dev/zero` would
/// take much longer, or fill memory).
fn run_promptly(args: &[String]) -> Finished {
    let started = std::time::Instant::now();
    let done = run_to_end(args);
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "{args:?} took {:?}", started.elapsed());
    done
}

#[test]
fn secret_config_and_ca_files_are_read_with_a_bound() {
    let base = ["--host", "127.0.0.1", "--port", "1", "--app-id", APP_ID];
    let with = |extra: &[&str]| {
        let mut args = strings(&base);
        args.extend(strings(extra));
        args
    };
    let done = run_promptly(&with(&["--app-secret-file", "/dev/zero"]));
    assert_refused(&done, "--app-secret-file /dev/zero", "--app-secret-file /dev/zero is larger than 64 KiB");
    let done = run_promptly(&with(&["--app-secret", "x", "--config", "/dev/zero"]));
    assert_refused(&done, "--config /dev/zero", "config file /dev/zero is larger than 1 MiB");
    let done = run_promptly(&with(&["--app-secret", "x", "--cafile", "/dev/zero"]));
    assert_refused(&done, "--cafile /dev/zero", "--cafile /dev/zero is larger than 8 MiB");
    // `config show` and `check` read them the same way.
    for command in [&["config", "show"][..], &["check"]] {
        let mut args = strings(command);
        args.extend(with(&["--app-secret-file", "/dev/zero"]));
        let (done, what) = (run_promptly(&args), format!("{command:?}"));
        if command[0] == "config" {
            assert_shown_to_fix(&done, &what, "is larger than 64 KiB");
        } else {
            assert_refused(&done, &what, "is larger than 64 KiB");
        }
    }

    // At the bound a file is read; one byte beyond, refused.
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret");
    std::fs::write(&secret, vec![b'x'; 64 * 1024]).unwrap();
    // A file that holds a secret must be private (mode 600), as a profiles file must.
    std::fs::set_permissions(&secret, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let done = run_promptly(&with(&["--app-secret-file", secret.to_str().unwrap()]));
    assert_eq!(done.code, Some(3), "read, then the closed port: {done:#?}");
    std::fs::write(&secret, vec![b'x'; 64 * 1024 + 1]).unwrap();
    assert_refused(&run_promptly(&with(&["--app-secret-file", secret.to_str().unwrap()])), "64 KiB + 1", "64 KiB");
    let (_dir, config) = config_file(&[b'#'; 1024 * 1024 + 1]);
    assert_refused(&run_promptly(&with(&["--app-secret", "x", "--config", &config])), "1 MiB + 1", "1 MiB");
}

#[test]
fn decode_of_an_endless_line_reports_it_and_stops_promptly() {
    for args in [strings(&["decode", "/dev/zero"]), strings(&["decode", "-f", "raw", "/dev/zero"])] {
        let done = run_promptly(&args);
        let err = done.stderr_text();
        assert_refused(&done, &format!("{args:?}"), "/dev/zero:1 runs on for more than 1 GiB without a line end");
        assert!(
            err.contains(r#"undecodable push #1 from /dev/zero:1 (a line longer than 16 MiB, the limit; skipped); it starts: "\x00"#),
            "{err}"
        );
        assert!(err.contains("undecodable 1"), "counted: {err}");
    }
}

#[test]
fn decode_skips_a_line_over_the_limit_and_goes_on() {
    let good = push(1, "A", "t");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pushes.ndjson");
    let mut text = format!("{good}\n").into_bytes();
    text.extend(std::iter::repeat_n(b'x', 17 * 1024 * 1024));
    text.extend(format!("\n{good}\n").as_bytes());
    std::fs::write(&path, &text).unwrap();
    let done = run_promptly(&strings(&["decode", path.to_str().unwrap()]));
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(done.stdout, [good.clone(), good], "both good lines");
    let err = done.stderr_text();
    assert!(err.contains("undecodable push #2 from") && err.contains(":2 (a line longer than 16 MiB"), "{err}");
    assert!(err.contains("received 3, printed 2, filtered 0, undecodable 1"), "{err}");
}

/// The peak resident memory of a running process, in KiB (Linux).
fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn decode_holds_no_more_than_the_limit_of_a_long_line() {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = sub_command(&strings(&["decode"]))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let chunk = vec![b'x'; 1024 * 1024];
    // A write to the pipe returns once decode has read all but a pipe's buffer of it.
    for _ in 0..128 {
        stdin.write_all(&chunk).unwrap();
    }
    let peak = peak_rss_kib(child.id());
    let good = push(1, "A", "t");
    stdin.write_all(format!("\n{good}\n").as_bytes()).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(peak < 64 * 1024, "decode held {peak} KiB of a 128 MiB line: {err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("{good}\n"), "{err}");
    assert!(err.contains("undecodable push #1 from stdin:1 (a line longer than 16 MiB"), "{err}");
}
