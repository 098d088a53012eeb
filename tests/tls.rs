//! TLS against a real mosquitto TLS listener, with a CA and certificates generated for each broker:
//! verification on by default, refused certificates explained, `--insecure` only when asked.

mod common;

use common::*;

/// A subscription with the given connection flags (no --host/--port of the plain listener), printing NDJSON.
fn args(connection: &[&str]) -> Vec<String> {
    args_with(connection, &["--format", "ndjson"])
}

/// Subscribes with `connection`, publishes one push on the plain listener, and expects it printed.
fn receives_a_push(broker: &Broker, connection: &[&str]) -> Sub {
    let sub = Sub::spawn(&args(connection));
    sub.wait_subscribed();
    broker.publish(push(1, "10A1B2C3D4E5F601", "temp_humi").as_bytes(), 1);
    let lines = sub.wait_stdout_lines(1);
    assert!(lines[0].contains(r#""msgId":"msg-1""#), "{lines:?}");
    sub
}

/// Runs to the end and expects exit 3 with one error line that contains every one of `said`.
fn refused(connection: &[&str], said: &[&str]) {
    let done = run_to_end(&args(connection));
    assert_eq!(done.code, Some(3), "{done:?}");
    assert!(done.stdout.is_empty(), "{done:?}");
    let errors: Vec<&String> = done.stderr.iter().filter(|l| l.contains("error:")).collect();
    assert_eq!(errors.len(), 1, "one error line: {done:?}");
    for part in said {
        assert!(errors[0].contains(part), "{part:?} missing from {:?}", errors[0]);
    }
}

#[test]
fn cafile_verifies_the_broker_and_pushes_arrive() {
    let broker = Broker::start_tls();
    let port = broker.tls.as_ref().unwrap().good.to_string();
    let ca = broker.ca_file();
    let sub = receives_a_push(&broker, &["--host", "127.0.0.1", "--port", &port, "--cafile", &ca]);
    let stderr = sub.stderr().join("\n");
    assert!(!stderr.contains("warning"), "{stderr}");

    // The same trust from the environment (as a systemd unit sets it): SENSORO_CAFILE implies TLS too.
    let mut cmd = sub_command(&args(&["--host", "127.0.0.1", "--port", &port, "-n", "1"]));
    cmd.env("SENSORO_CAFILE", &ca);
    let done = run_command_with_pushes(&broker, cmd, &[push(2, "10A1B2C3D4E5F601", "temp_humi").as_bytes()]);
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert!(done.stdout[0].contains(r#""msgId":"msg-2""#), "{done:#?}");
}

#[test]
fn mqtts_url_turns_tls_on_with_its_port() {
    let broker = Broker::start_tls();
    let url = format!("mqtts://127.0.0.1:{}", broker.tls.as_ref().unwrap().good);
    receives_a_push(&broker, &["--host", &url, "--cafile", &broker.ca_file()]);
}

#[test]
fn a_host_name_is_verified_against_the_certificates_dns_names() {
    let broker = Broker::start_tls();
    let ports = broker.tls.as_ref().unwrap();
    let ca = broker.ca_file();
    receives_a_push(&broker, &["--host", &format!("mqtts://localhost:{}", ports.good), "--cafile", &ca]);
    refused(
        &["--host", &format!("mqtts://localhost:{}", ports.wrong_host), "--cafile", &ca],
        &["certificate is for wrong.example, not localhost"],
    );
}

#[test]
fn certificate_for_another_host_is_refused_with_its_names() {
    let broker = Broker::start_tls();
    let port = broker.tls.as_ref().unwrap().wrong_host.to_string();
    refused(
        &["--host", "127.0.0.1", "--port", &port, "--tls", "--cafile", &broker.ca_file()],
        &["certificate is for wrong.example, not 127.0.0.1", "--host"],
    );
}

#[test]
fn untrusted_certificate_is_refused_with_the_fix() {
    let broker = Broker::start_tls();
    let port = broker.tls.as_ref().unwrap().good.to_string();
    // The system's CA store does not know the test CA.
    refused(&["--host", "127.0.0.1", "--port", &port, "--tls"], &["system's CA store", "--cafile"]);
    // Nor does a CA that signed something else.
    let other = broker.other_ca_file();
    refused(&["--host", "127.0.0.1", "--port", &port, "--cafile", &other], &["no CA in", "other-ca.pem", "--cafile"]);
}

#[test]
fn insecure_connects_to_any_certificate_and_warns() {
    let broker = Broker::start_tls();
    let port = broker.tls.as_ref().unwrap().wrong_host.to_string();
    let sub = receives_a_push(&broker, &["--host", "127.0.0.1", "--port", &port, "--tls", "--insecure"]);
    let warnings: Vec<String> = sub.stderr().into_iter().filter(|l| l.contains("warning: --insecure")).collect();
    assert_eq!(warnings.len(), 1, "{:?}", sub.stderr());
    assert!(warnings[0].contains("not checked"), "{warnings:?}");
}

#[test]
fn tls_to_a_plain_port_says_so() {
    let broker = Broker::start();
    let port = broker.port.to_string();
    refused(
        &["--host", "127.0.0.1", "--port", &port, "--tls"],
        &["did not complete a TLS handshake", "plain MQTT port"],
    );
}

#[test]
fn tls_flags_that_cannot_work_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let not_pem = dir.path().join("ca.txt");
    std::fs::write(&not_pem, "hello").unwrap();
    let not_pem = not_pem.display().to_string();
    for (flags, said) in [
        (vec!["--insecure"], "--insecure only applies to TLS"),
        (vec!["--cafile", "/nonexistent/ca.pem"], "cannot read --cafile /nonexistent/ca.pem"),
        (vec!["--cafile", &not_pem], "holds no PEM certificate"),
        (vec!["--host", "mqtt://127.0.0.1", "--tls"], "write mqtts://"),
        (vec!["--host", "mqtts://127.0.0.1:8883", "--port", "8884"], "give the port once"),
        (vec!["--host", "https://127.0.0.1"], "unknown scheme"),
    ] {
        let done = run_to_end(&args(&flags));
        assert_eq!(done.code, Some(2), "{flags:?}: {done:?}");
        assert_eq!(done.stderr.len(), 1, "{flags:?}: {done:?}");
        assert!(done.stderr[0].contains(said), "{flags:?}: {done:?}");
    }
}

#[test]
fn check_shows_the_tls_step() {
    let broker = Broker::start_tls();
    let ports = broker.tls.as_ref().unwrap();
    let ca = broker.ca_file();
    let done =
        run_to_end(&args_with(&["--host", &format!("mqtts://127.0.0.1:{}", ports.good), "--cafile", &ca], &["check"]));
    assert_eq!(done.code, Some(0), "{done:?}");
    let tls = done.stdout.iter().find(|l| l.contains("TLS ")).expect("a TLS step");
    assert!(tls.starts_with("ok") && tls.contains("certificate names: 127.0.0.1, localhost; verified with"), "{tls}");

    let wrong = format!("mqtts://127.0.0.1:{}", ports.wrong_host);
    let done = run_to_end(&args_with(&["--host", &wrong, "--cafile", &ca], &["check"]));
    assert_eq!(done.code, Some(3), "{done:?}");
    let tls = done.stdout.iter().find(|l| l.contains("TLS ")).expect("a TLS step");
    assert!(tls.starts_with("FAIL") && tls.contains("wrong.example"), "{tls}");
    assert!(!done.stdout.iter().any(|l| l.contains("MQTT login")), "stops at the failing step: {done:?}");
}

#[test]
fn a_profile_turns_tls_on_with_a_cafile_relative_to_itself() {
    let broker = Broker::start_tls();
    let home = tempfile::tempdir().unwrap();
    std::fs::copy(broker.ca_file(), home.path().join("lab-ca.pem")).unwrap();
    let text = format!(
        "[profiles.lab]\napp_id = \"{APP_ID}\"\napp_secret = \"{APP_SECRET}\"\nhost = \"127.0.0.1\"\nport = {}\n\
         tls = true\ncafile = \"lab-ca.pem\"\n",
        broker.tls.as_ref().unwrap().good
    );
    let config = home.path().join("config.toml");
    std::fs::write(&config, text).unwrap();
    std::fs::set_permissions(&config, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let config = config.display().to_string();

    let shown = run_to_end(&strings(&["config", "show", "--config", &config, "--profile", "lab"]));
    let tls_row = shown.stdout.iter().find(|l| l.starts_with("tls")).expect("a tls row");
    assert!(tls_row.contains(&format!("on, verified with {}/lab-ca.pem", home.path().display())), "{shown:?}");

    // Run from elsewhere: the relative cafile is still found next to the config file.
    let mut cmd = sub_command(&strings(&["--config", &config, "--profile", "lab", "-n", "1", "--format", "ndjson"]));
    cmd.current_dir("/");
    let done = run_command_with_pushes(&broker, cmd, &[push(7, "10A1B2C3D4E5F601", "temp_humi").as_bytes()]);
    assert_eq!(done.code, Some(0), "{done:?}");
    assert!(done.stdout[0].contains(r#""msgId":"msg-7""#), "{done:?}");
}
