//! Test harness: a real mosquitto on a free loopback port with its own password file, ACL and
//! persistence; the real `sensoro-sub` binary as a subprocess; mosquitto's own clients to publish.
//! Every process is killed by PID when its handle drops; every wait is bounded.

#![allow(dead_code)]

pub mod hostile_broker;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

pub const APP_ID: &str = "foobar";
pub const APP_SECRET: &str = "s3cret-Zq9";
pub const OTHER_ID: &str = "other";
pub const OTHER_SECRET: &str = "other-secret";
pub const PUBLISHER: &str = "publisher";
pub const PUBLISHER_SECRET: &str = "publisher-secret";

/// How long any single wait in these tests may take before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(20);

pub fn topic() -> String {
    format!("users/{APP_ID}/devices")
}

/// A push in the service's shape, with a distinct msgId per `n`.
pub fn push(n: usize, sn: &str, device_type: &str) -> String {
    format!(
        r#"{{"appId":"{APP_ID}","sn":"{sn}","type":"text","deviceType":"{device_type}","createdTime":{},"msgId":"msg-{n}","data":{{"temperature":{}.5,"humidity":{},"battery":87}}}}"#,
        1_764_094_329_000u64 + n as u64,
        20 + n % 10,
        40 + n % 20
    )
}

pub struct Broker {
    pub port: u16,
    /// TLS listeners, when started with [`Broker::start_tls`].
    pub tls: Option<TlsPorts>,
    dir: tempfile::TempDir,
    child: Option<Child>,
}

/// A broker's TLS listeners, all with certificates from the test CA in `ca.pem`.
pub struct TlsPorts {
    /// Certificate for 127.0.0.1 and localhost.
    pub good: u16,
    /// Certificate for wrong.example only.
    pub wrong_host: u16,
}

impl Broker {
    pub fn start() -> Broker {
        Self::start_with(false)
    }

    /// Also listens with TLS on two more ports; see [`TlsPorts`]. The CA is [`Broker::ca_file`].
    pub fn start_tls() -> Broker {
        Self::start_with(true)
    }

    fn start_with(tls: bool) -> Broker {
        let dir = tempfile::tempdir().expect("temp dir");
        let password_file = dir.path().join("passwd");
        for (i, (user, secret)) in
            [(APP_ID, APP_SECRET), (OTHER_ID, OTHER_SECRET), (PUBLISHER, PUBLISHER_SECRET)].iter().enumerate()
        {
            let mut cmd = Command::new("mosquitto_passwd");
            cmd.arg("-b");
            if i == 0 {
                cmd.arg("-c");
            }
            let status = cmd.arg(&password_file).arg(user).arg(secret).status().expect("mosquitto_passwd runs");
            assert!(status.success(), "mosquitto_passwd failed");
        }
        let acl = format!("pattern read users/%u/devices\n\nuser {PUBLISHER}\ntopic readwrite #\n");
        std::fs::write(dir.path().join("acl"), acl).expect("write acl");
        let port = free_port();
        let d = dir.path().display();
        let config = format!(
            "user root\nlistener {port} 127.0.0.1\nallow_anonymous false\npassword_file {d}/passwd\nacl_file {d}/acl\n\
             persistence true\npersistence_location {d}/\nautosave_interval 1\nmax_queued_messages 0\n\
             log_dest file {d}/mosquitto.log\nlog_type all\n"
        );
        let mut config = config;
        let tls = tls.then(|| {
            make_certificates(dir.path());
            let ports = TlsPorts { good: free_port(), wrong_host: free_port() };
            for (port, name) in [(ports.good, "server"), (ports.wrong_host, "wrong-host")] {
                config.push_str(&format!(
                    "listener {port} 127.0.0.1\ncafile {d}/ca.pem\ncertfile {d}/{name}.pem\nkeyfile {d}/{name}.key\n"
                ));
            }
            ports
        });
        std::fs::write(dir.path().join("mosquitto.conf"), config).expect("write config");
        let mut broker = Broker { port, tls, dir, child: None };
        broker.launch();
        broker
    }

    fn launch(&mut self) {
        let child = Command::new("mosquitto")
            .arg("-c")
            .arg(self.dir.path().join("mosquitto.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("mosquitto starts (is it installed? scripts/test installs it)");
        self.child = Some(child);
        let mut ports = vec![self.port];
        ports.extend(self.tls.as_ref().map(|t| [t.good, t.wrong_host]).into_iter().flatten());
        for port in ports {
            poll_until(
                PATIENCE,
                Duration::from_millis(20),
                || TcpStream::connect(("127.0.0.1", port)).ok(),
                || format!("mosquitto to listen on port {port}"),
            );
        }
    }

    /// The test CA's certificate (PEM), which signed every TLS listener's certificate.
    pub fn ca_file(&self) -> String {
        self.dir.path().join("ca.pem").display().to_string()
    }

    /// A CA certificate that signed nothing the broker holds.
    pub fn other_ca_file(&self) -> String {
        self.dir.path().join("other-ca.pem").display().to_string()
    }

    /// Stops the broker with SIGTERM (it saves its persistence database) and waits for it.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            signal(child.id(), "TERM");
            wait_bounded(&mut child, PATIENCE).expect("mosquitto stops on SIGTERM");
        }
    }

    pub fn restart(&mut self) {
        self.stop();
        self.launch();
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("mosquitto.log")).unwrap_or_default()
    }

    /// Waits (bounded) until the broker's log satisfies `ok`; returns the log.
    pub fn wait_log(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        poll_until(
            PATIENCE,
            Duration::from_millis(20),
            || Some(self.log()).filter(|log| ok(log)),
            || format!("{what} in the broker log:\n{}", self.log()),
        )
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Publishes one message (any bytes) to the AppID's topic with mosquitto_pub, as the service would.
    pub fn publish(&self, payload: &[u8], qos: u8) {
        self.publish_to(&topic(), payload, qos);
    }

    pub fn publish_to(&self, topic: &str, payload: &[u8], qos: u8) {
        let mut cmd = self.mosquitto_pub(topic, qos);
        if payload.is_empty() {
            cmd.arg("-n");
        } else {
            cmd.arg("-s");
        }
        run_with_stdin(cmd, payload);
    }

    /// Publishes each line as one message.
    pub fn publish_lines(&self, lines: &[String], qos: u8) {
        let mut cmd = self.mosquitto_pub(&topic(), qos);
        cmd.arg("-l");
        let mut text = lines.join("\n");
        text.push('\n');
        run_with_stdin(cmd, text.as_bytes());
    }

    fn mosquitto_pub(&self, topic: &str, qos: u8) -> Command {
        let mut cmd = Command::new("mosquitto_pub");
        cmd.args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-u", PUBLISHER, "-P", PUBLISHER_SECRET]);
        cmd.args(["-t", topic, "-q", &qos.to_string()]);
        cmd
    }

    /// `sensoro-sub` arguments for this broker's plain listener: see [`args_with`].
    pub fn args(&self, extra: &[&str]) -> Vec<String> {
        args_with(&["--host", "127.0.0.1", "--port", &self.port.to_string()], extra)
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A CA, a second unrelated CA, and two server certificates signed by the first: one for 127.0.0.1 and
/// localhost, one for wrong.example. Made with the openssl command, fresh for each broker.
fn make_certificates(dir: &Path) {
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("openssl runs (scripts/deps installs it)");
        assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    for ca in ["ca", "other-ca"] {
        let (key_out, cert_out, subject) =
            (format!("{ca}.key"), format!("{ca}.pem"), format!("/CN=sensoro-sub test {ca}"));
        let mut args = vec!["req", "-x509", "-days", "2", "-subj", &subject, "-keyout", &key_out, "-out", &cert_out];
        args.extend(key);
        args.extend(["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign"]);
        openssl(&args);
    }
    for (name, alt_names) in [("server", "IP:127.0.0.1,DNS:localhost"), ("wrong-host", "DNS:wrong.example")] {
        let (key_out, csr, cert, ext) =
            (format!("{name}.key"), format!("{name}.csr"), format!("{name}.pem"), format!("{name}.ext"));
        std::fs::write(dir.join(&ext), format!("subjectAltName={alt_names}\n")).expect("write extensions");
        let subject = format!("/CN={}", alt_names.split(',').next().unwrap().split(':').nth(1).unwrap());
        let mut args = vec!["req", "-new", "-subj", &subject, "-keyout", &key_out, "-out", &csr];
        args.extend(key);
        openssl(&args);
        openssl(&[
            "x509",
            "-req",
            "-in",
            &csr,
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            &ext,
            "-out",
            &cert,
        ]);
    }
}

fn run_with_stdin(mut cmd: Command, input: &[u8]) {
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("spawn");
    child.stdin.take().expect("stdin").write_all(input).expect("write to publisher");
    let status = wait_bounded(&mut child, PATIENCE).expect("publisher finishes");
    let mut err = String::new();
    let _ = child.stderr.take().expect("stderr").read_to_string(&mut err);
    assert!(status.success(), "mosquitto_pub failed: {err}");
}

/// Calls `probe` every `every` until it gives a value, for at most `limit`; then fails the test with
/// "timed out … waiting for " and `describe()`: what was awaited and what there is instead.
pub fn poll_until<T>(
    limit: Duration,
    every: Duration,
    mut probe: impl FnMut() -> Option<T>,
    describe: impl FnOnce() -> String,
) -> T {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(value) = probe() {
            return value;
        }
        if Instant::now() >= deadline {
            panic!("timed out after {limit:?} waiting for {}", describe());
        }
        thread::sleep(every);
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("bind port 0").local_addr().expect("local addr").port()
}

pub fn signal(pid: u32, name: &str) {
    let status = Command::new("kill").args(["-s", name, &pid.to_string()]).status().expect("kill runs");
    assert!(status.success(), "kill -s {name} {pid} failed");
}

/// Waits for a child; on timeout kills it and returns None.
/// `sensoro-sub simulate` (the embedded stand-in) on a free loopback port with the test account,
/// at `--rate 20/s` unless `extra` says otherwise; ready once it prints how to connect. Its address.
pub fn stand_in(extra: &[&str]) -> (Sub, String) {
    let listen = format!("127.0.0.1:{}", free_port());
    let mut args = strings(&["simulate", "--listen", &listen, "--app-id", APP_ID, "--app-secret", APP_SECRET]);
    if !extra.contains(&"--rate") {
        args.extend(strings(&["--rate", "20/s"]));
    }
    args.extend(strings(extra));
    let sim = Sub::spawn(&args);
    sim.wait_stderr("the stand-in", |lines| lines.iter().any(|l| l.contains("connect with:")));
    (sim, listen)
}

/// Runs `cmd` with its stdout (and, with `stderr`, its stderr) on a fresh pseudo-terminal, `stdin`
/// fed through a pipe: what a user's terminal would show, and the exit code. The screen is read as
/// it comes, so the command never waits for the terminal. The caller sets TERM and the rest.
pub fn on_a_terminal(mut cmd: Command, stdin: &[u8], stderr: bool) -> (Option<i32>, Vec<u8>) {
    use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).expect("a pseudo-terminal");
    grantpt(&master).expect("grantpt");
    unlockpt(&master).expect("unlockpt");
    let slave_path = ptsname(&master, Vec::new()).expect("its name");
    let open = || std::fs::OpenOptions::new().read(true).write(true).open(slave_path.to_str().unwrap()).unwrap();
    cmd.stdin(Stdio::piped()).stdout(open());
    if stderr {
        cmd.stderr(open());
    } else {
        cmd.stderr(Stdio::null());
    }
    let mut master = std::fs::File::from(master);
    let reader = thread::spawn(move || {
        let mut shown = Vec::new();
        // Once every slave end is closed the master reads what is left, then fails with EIO.
        let _ = master.read_to_end(&mut shown);
        shown
    });
    let mut child = cmd.spawn().expect("spawn sensoro-sub");
    let _ = child.stdin.take().unwrap().write_all(stdin);
    let status = wait_bounded(&mut child, PATIENCE).expect("ends in time");
    drop(cmd); // our copies of the slave end
    (status.code(), reader.join().unwrap())
}

pub fn wait_bounded(child: &mut Child, limit: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return Some(status);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        thread::sleep(Duration::from_millis(10));
    }
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_sensoro-sub"))
}

/// A `sensoro-sub` command with no SENSORO_* or color variables inherited from the developer's shell.
pub fn sub_command(args: &[String]) -> Command {
    let mut cmd = Command::new(bin());
    plain_environment(&mut cmd);
    cmd.args(args);
    cmd
}

/// Leaves out SENSORO_* and color variables from the developer's shell, and their profile file.
pub fn plain_environment(cmd: &mut Command) {
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("SENSORO_") {
            cmd.env_remove(&key);
        }
    }
    cmd.env_remove("NO_COLOR").env("XDG_CONFIG_HOME", "/nonexistent/sensoro-sub-tests");
}

/// A running `sensoro-sub` with its stderr collected line by line (and stdout too, unless taken).
pub struct Sub {
    pub child: Child,
    stderr: Lines,
    stdout: Option<Lines>,
}

#[derive(Clone)]
struct Lines {
    lines: Arc<Mutex<Vec<String>>>,
    done: Arc<Mutex<bool>>,
}

impl Lines {
    fn collect<R: Read + Send + 'static>(reader: R) -> (Lines, Receiver<()>) {
        let lines = Lines { lines: Arc::default(), done: Arc::default() };
        let (tx, rx) = channel();
        let sink = lines.clone();
        thread::spawn(move || {
            let mut reader = BufReader::new(reader);
            let mut buf = Vec::new();
            while reader.read_until(b'\n', &mut buf).map(|n| n > 0).unwrap_or(false) {
                let line = String::from_utf8_lossy(&buf).trim_end_matches('\n').to_string();
                sink.lines.lock().unwrap().push(line);
                buf.clear();
                let _ = tx.send(());
            }
            *sink.done.lock().unwrap() = true;
            let _ = tx.send(());
        });
        (lines, rx)
    }

    fn snapshot(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    fn wait_for(&self, what: &str, mut ok: impl FnMut(&[String]) -> bool) -> Vec<String> {
        let probe = || {
            let closed = *self.done.lock().unwrap();
            let lines = self.snapshot();
            if ok(&lines) {
                return Some(lines);
            }
            assert!(!closed, "stream closed while waiting for {what}; got {lines:#?}");
            None
        };
        poll_until(PATIENCE, Duration::from_millis(10), probe, || format!("{what}; got {:#?}", self.snapshot()))
    }
}

impl Sub {
    pub fn spawn(args: &[String]) -> Sub {
        Self::spawn_command(sub_command(args))
    }

    pub fn spawn_command(mut cmd: Command) -> Sub {
        let mut child =
            cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn sensoro-sub");
        let (stderr, _) = Lines::collect(child.stderr.take().expect("stderr"));
        let (stdout, _) = Lines::collect(child.stdout.take().expect("stdout"));
        Sub { child, stderr, stdout: Some(stdout) }
    }

    /// Spawns with stdout as a pipe the test owns (to feed `head`, say), collecting only stderr.
    pub fn spawn_with_stdout(args: &[String]) -> (Sub, ChildStdout) {
        let mut sub = Self::spawn_to(args, Stdio::piped());
        let stdout = sub.child.stdout.take().expect("stdout");
        (sub, stdout)
    }

    /// Spawns with stdout sent to `stdout` (a file, say), collecting only stderr.
    pub fn spawn_to(args: &[String], stdout: impl Into<Stdio>) -> Sub {
        Self::spawn_command_to(sub_command(args), stdout)
    }

    /// [`Sub::spawn_to`] for a command of the caller's (its own environment, say).
    pub fn spawn_command_to(mut cmd: Command, stdout: impl Into<Stdio>) -> Sub {
        let mut child =
            cmd.stdin(Stdio::null()).stdout(stdout).stderr(Stdio::piped()).spawn().expect("spawn sensoro-sub");
        let (stderr, _) = Lines::collect(child.stderr.take().expect("stderr"));
        Sub { child, stderr, stdout: None }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits until the subscriber says it is subscribed: the point from which pushes reach it.
    pub fn wait_subscribed(&self) {
        self.wait_stderr("the subscription", |lines| lines.iter().any(|l| l.contains("subscribed to ")));
    }

    pub fn wait_stderr(&self, what: &str, ok: impl FnMut(&[String]) -> bool) -> Vec<String> {
        self.stderr.wait_for(what, ok)
    }

    pub fn wait_stdout_lines(&self, n: usize) -> Vec<String> {
        self.stdout.as_ref().expect("stdout collected").wait_for(&format!("{n} stdout lines"), |l| l.len() >= n)
    }

    pub fn stdout(&self) -> Vec<String> {
        self.stdout.as_ref().expect("stdout collected").snapshot()
    }

    pub fn stderr(&self) -> Vec<String> {
        self.stderr.snapshot()
    }

    /// Waits for the process to exit by itself and for its output to be read to the end.
    pub fn finish(mut self) -> Finished {
        let status = wait_bounded(&mut self.child, PATIENCE).expect("sensoro-sub exits in time");
        let stderr = self.stderr.wait_for("stderr to close", |_| *self.stderr.done.lock().unwrap());
        let stdout = match &self.stdout {
            Some(out) => out.wait_for("stdout to close", |_| *out.done.lock().unwrap()),
            None => Vec::new(),
        };
        Finished { code: status.code(), stdout, stderr }
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Sub {
    fn drop(&mut self) {
        self.kill();
    }
}

#[derive(Debug)]
pub struct Finished {
    pub code: Option<i32>,
    pub stdout: Vec<String>,
    pub stderr: Vec<String>,
}

impl Finished {
    pub fn stderr_text(&self) -> String {
        self.stderr.join("\n")
    }
}

/// Starts `cmd`, waits until it is subscribed, publishes `payloads` at QoS 1, and waits for it to end
/// (it should stop by itself, e.g. with `-n`).
pub fn run_command_with_pushes(broker: &Broker, cmd: Command, payloads: &[&[u8]]) -> Finished {
    let sub = Sub::spawn_command(cmd);
    sub.wait_subscribed();
    for payload in payloads {
        broker.publish(payload, 1);
    }
    sub.finish()
}

/// Runs `sensoro-sub` to completion with no broker interaction expected (usage errors and the like).
pub fn run_to_end(args: &[String]) -> Finished {
    Sub::spawn(args).finish()
}

/// The one argument builder of the tests: a leading subcommand of `extra` (`check`, `config show`),
/// then the `connection` flags and valid credentials, then the rest of `extra`.
pub fn args_with(connection: &[&str], extra: &[&str]) -> Vec<String> {
    let subcommand = extra.iter().take_while(|word| !word.starts_with('-')).count();
    let mut args = strings(&extra[..subcommand]);
    args.extend(strings(connection));
    args.extend(strings(&["--app-id", APP_ID, "--app-secret", APP_SECRET]));
    args.extend(strings(&extra[subcommand..]));
    args
}

pub fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}
