//! The Debian package: `scripts/package` builds it (one release build, so only in the default-feature
//! run of the suite, whose build is what the package ships), then the test checks what a user gets —
//! the file list, the control fields, the generated man page and completions, a binary that runs, and
//! the systemd unit through `systemd-analyze verify` and `security`. As root, with no sensoro-sub
//! installed, it also installs the package with `dpkg -i` and purges it again.
//!
//! Skipped, with the reason printed, where cargo-deb or systemd-analyze is missing (scripts/test
//! installs both: scripts/deps test).

use std::collections::BTreeSet;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const UNIT: &str = "usr/lib/systemd/system/sensoro-sub@.service";

/// Every file the package installs (directories aside), besides the man pages (see [`man_pages`]).
const FILES: [&str; 10] = [
    "usr/bin/sensoro-sub",
    "usr/share/bash-completion/completions/sensoro-sub",
    "usr/share/zsh/vendor-completions/_sensoro-sub",
    "usr/share/fish/vendor_completions.d/sensoro-sub.fish",
    UNIT,
    "usr/lib/tmpfiles.d/sensoro-sub.conf",
    "usr/share/doc/sensoro-sub/copyright",
    "usr/share/doc/sensoro-sub/README.md",
    "usr/share/doc/sensoro-sub/guide.md",
    "usr/share/doc/sensoro-sub/CHANGELOG.md",
];

/// The committed man pages (docs/man/*.1), which the package installs gzipped.
fn man_pages() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo("docs/man"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".1"))
        .collect();
    names.sort();
    assert!(names.contains(&"sensoro-sub.1".to_owned()) && names.len() >= 8, "{names:?}");
    names
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(out.status.success(), "{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Whether `command ARGS` runs and succeeds (a tool is installed).
fn succeeds(command: &str, args: &[&str]) -> bool {
    Command::new(command).args(args).output().is_ok_and(|out| out.status.success())
}

/// Builds the .deb with the script users run and returns its path. Without the variables cargo sets
/// for a test (`CARGO_PKG_NAME`, `OUT_DIR`, …): build scripts that watch them would make this release
/// build and the next `scripts/package` from a shell rebuild each other's dependencies.
fn build_package() -> PathBuf {
    let mut cmd = Command::new(repo("scripts/package"));
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        let set_by_cargo_test = ["CARGO_PKG_", "CARGO_MANIFEST_", "CARGO_BIN_EXE_", "CARGO_CRATE_", "CARGO_PRIMARY_"]
            .iter()
            .any(|prefix| key.starts_with(prefix))
            || ["CARGO", "CARGO_TARGET_TMPDIR", "OUT_DIR", "LD_LIBRARY_PATH"].contains(&key.as_ref());
        if set_by_cargo_test {
            cmd.env_remove(key.as_ref());
        }
    }
    let out = run(cmd.stderr(std::process::Stdio::inherit()));
    let path = PathBuf::from(stdout(&out).trim());
    assert!(path.is_file() && path.extension().is_some_and(|e| e == "deb"), "printed {path:?}");
    path
}

#[test]
#[cfg_attr(not(feature = "simulator"), ignore = "the package ships the default build; built once, in that run")]
fn the_debian_package_installs_the_binary_docs_completions_and_a_verified_collector_unit() {
    if !succeeds("cargo", &["deb", "--version"]) {
        eprintln!("SKIPPED: cargo-deb is not installed (scripts/deps package installs it)");
        return;
    }
    let deb = build_package();
    let version = env!("CARGO_PKG_VERSION");
    assert!(deb.file_name().unwrap().to_string_lossy().starts_with(&format!("sensoro-sub_{version}-1_")), "{deb:?}");

    check_control_fields(&deb, version);
    check_file_list(&deb);

    let tree = tempfile::tempdir().unwrap();
    run(Command::new("dpkg-deb").arg("-x").arg(&deb).arg(tree.path()));
    let root = tree.path();

    // The binary runs and is this version.
    let out = run(Command::new(root.join("usr/bin/sensoro-sub")).arg("--version"));
    assert_eq!(stdout(&out).trim(), format!("sensoro-sub {version}"));

    // The generated man pages (gzipped: the tool's and one per subcommand) and completions are the committed ones.
    for name in man_pages() {
        let gz = std::fs::File::open(root.join(format!("usr/share/man/man1/{name}.gz"))).unwrap();
        let page = run(Command::new("gzip").arg("-dc").stdin(gz)).stdout;
        assert!(page == std::fs::read(repo(&format!("docs/man/{name}"))).unwrap(), "the man page is docs/man/{name}");
    }
    for (installed, committed) in [
        ("usr/share/bash-completion/completions/sensoro-sub", "completions/sensoro-sub.bash"),
        ("usr/share/zsh/vendor-completions/_sensoro-sub", "completions/_sensoro-sub"),
        ("usr/share/fish/vendor_completions.d/sensoro-sub.fish", "completions/sensoro-sub.fish"),
    ] {
        assert_eq!(
            std::fs::read(root.join(installed)).unwrap(),
            std::fs::read(repo(committed)).unwrap(),
            "{installed}"
        );
    }

    // The unit, as shipped.
    let unit = std::fs::read_to_string(root.join(UNIT)).unwrap();
    for line in [
        "DynamicUser=yes",
        "LoadCredential=config.toml:/etc/sensoro-sub/%i.toml",
        "ExecStart=/usr/bin/sensoro-sub --config ${CREDENTIALS_DIRECTORY}/config.toml --session %i --format ndjson --output /var/lib/sensoro-sub/%i/pushes.ndjson",
        "StateDirectory=sensoro-sub/%i",
        "ExecReload=/bin/kill -HUP $MAINPID",
        "RestartPreventExitStatus=2",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
    ] {
        assert!(unit.lines().any(|l| l == line), "the unit lacks {line:?}");
    }
    let tmpfiles = std::fs::read_to_string(root.join("usr/lib/tmpfiles.d/sensoro-sub.conf")).unwrap();
    assert!(tmpfiles.contains("d /var/lib/sensoro-sub 0755 root root"), "{tmpfiles}");

    if !succeeds("systemd-analyze", &["--version"]) {
        eprintln!("SKIPPED the unit's checks: systemd-analyze is not installed (scripts/deps test installs systemd)");
        return;
    }
    let installed = Installed::try_install(&deb);
    let unit_path = match &installed {
        // The unit exactly as installed, with /usr/bin/sensoro-sub in place.
        Some(_) => PathBuf::from("/").join(UNIT),
        // verify checks that ExecStart's binary exists: point a copy at the extracted one.
        None => {
            let copy = tree.path().join("sensoro-sub@.service");
            let exec = root.join("usr/bin/sensoro-sub");
            std::fs::write(&copy, unit.replace("/usr/bin/sensoro-sub", exec.to_str().unwrap())).unwrap();
            copy
        }
    };
    let verify = Command::new("systemd-analyze").args(["verify", "--man=no"]).arg(&unit_path).output().unwrap();
    let said = String::from_utf8_lossy(&verify.stderr).into_owned() + &String::from_utf8_lossy(&verify.stdout);
    assert!(verify.status.success() && !said.contains("sensoro-sub"), "systemd-analyze verify:\n{said}");

    // The sandbox as systemd rates it (0 = locked down, 10 = exposed); --offline needs systemd 250.
    let security =
        Command::new("systemd-analyze").args(["security", "--offline=true"]).arg(&unit_path).output().unwrap();
    let report = String::from_utf8_lossy(&security.stdout);
    match report.lines().find_map(|l| l.split("Overall exposure level for ").nth(1)) {
        Some(level) => {
            let score: f32 = level.split(": ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
            assert!(score <= 2.0, "exposure {score}:\n{report}");
        }
        None => eprintln!("SKIPPED the exposure score: {}", String::from_utf8_lossy(&security.stderr).trim()),
    }

    if let Some(installed) = installed {
        installed.check();
    }
}

/// Control fields (Depends is computed from the binary: libc and the OpenSSL it links) and the
/// maintainer scripts.
fn check_control_fields(deb: &Path, version: &str) {
    let field = |name: &str| stdout(&run(Command::new("dpkg-deb").args(["-f"]).arg(deb).arg(name))).trim().to_owned();
    assert_eq!(field("Package"), "sensoro-sub");
    assert_eq!(field("Version"), format!("{version}-1"));
    let arch = stdout(&run(Command::new("dpkg").arg("--print-architecture")));
    assert_eq!(field("Architecture"), arch.trim());
    let depends = field("Depends");
    assert!(depends.contains("libc6 (>=") && depends.contains("libssl"), "Depends: {depends}");
    assert!(field("Maintainer").contains('<') && !field("Description").is_empty());
    let control = stdout(&run(Command::new("dpkg-deb").arg("-I").arg(deb)));
    for script in ["postinst", "prerm", "postrm"] {
        assert!(control.contains(script), "maintainer script {script} missing:\n{control}");
    }
}

/// The file list, exactly.
fn check_file_list(deb: &Path) {
    let listing = stdout(&run(Command::new("dpkg-deb").arg("-c").arg(deb)));
    let files: BTreeSet<String> = listing
        .lines()
        .filter(|line| !line.starts_with('d'))
        .map(|line| line.rsplit(' ').next().unwrap().trim_start_matches("./").to_owned())
        .collect();
    let mut expected: BTreeSet<String> = FILES.iter().map(|f| f.to_string()).collect();
    expected.extend(man_pages().iter().map(|name| format!("usr/share/man/man1/{name}.gz")));
    assert_eq!(files, expected, "{listing}");
}

/// The package installed with dpkg for the length of the test, and purged when it ends.
struct Installed;

impl Installed {
    /// Installs the package when this is root and no sensoro-sub is installed already (the test
    /// must not replace or remove a real installation).
    fn try_install(deb: &Path) -> Option<Installed> {
        let root = stdout(&run(Command::new("id").arg("-u"))).trim() == "0";
        let reason = if !root {
            "not root"
        } else if succeeds("dpkg-query", &["-W", "sensoro-sub"]) {
            "sensoro-sub is installed already"
        } else if Path::new("/var/lib/sensoro-sub").exists() {
            "/var/lib/sensoro-sub holds an earlier installation's pushes"
        } else {
            let installed = Installed;
            run(Command::new("dpkg").arg("-i").arg(deb));
            return Some(installed);
        };
        eprintln!("NOT INSTALLING with dpkg -i: {reason}");
        None
    }

    fn check(self) {
        let out = run(Command::new("/usr/bin/sensoro-sub").arg("--version"));
        assert!(stdout(&out).starts_with("sensoro-sub "));
        let listed = stdout(&run(Command::new("dpkg").args(["-L", "sensoro-sub"])));
        assert!(listed.lines().any(|l| l == "/usr/lib/systemd/system/sensoro-sub@.service"), "{listed}");
        // postinst made the parent of the instances' directories.
        let meta = std::fs::metadata("/var/lib/sensoro-sub").expect("postinst makes /var/lib/sensoro-sub");
        assert_eq!((meta.permissions().mode() & 0o777, meta.uid()), (0o755, 0));
        drop(self);
        assert!(!Path::new("/usr/bin/sensoro-sub").exists() && !Path::new("/var/lib/sensoro-sub").exists());
    }
}

impl Drop for Installed {
    fn drop(&mut self) {
        let purged = Command::new("dpkg").args(["--purge", "sensoro-sub"]).output();
        if !purged.as_ref().is_ok_and(|o| o.status.success()) && !std::thread::panicking() {
            panic!("dpkg --purge sensoro-sub: {purged:?}");
        }
    }
}
