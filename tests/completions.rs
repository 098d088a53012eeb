//! The committed completion scripts (completions/, checked against the CLI by tests/ecosystem.rs)
//! in the real shells: bash through `complete -p` and `COMP_WORDS`, fish through `complete -C`, zsh
//! typed into a terminal (tmux) with Tab. `scripts/deps test` installs all three.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::*;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// A config directory with two profiles, for `XDG_CONFIG_HOME`; and a PATH that finds the binary.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("sensoro-sub")).unwrap();
        std::fs::write(
            dir.path().join("sensoro-sub/config.toml"),
            "[profiles.lab]\napp_id = \"foobar\"\n\n[profiles.prod]\napp_id = \"other\"\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("other.toml"), "[profiles.elsewhere]\napp_id = \"x\"\n").unwrap();
        Home { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        plain_environment(&mut cmd);
        let bin_dir = bin().parent().unwrap().to_owned();
        let path = std::env::join_paths(
            std::iter::once(bin_dir).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
        )
        .unwrap();
        cmd.env("PATH", path).env("XDG_CONFIG_HOME", self.path()).env("HOME", self.path()).current_dir(self.path());
        cmd
    }
}

fn output_of(mut cmd: Command, what: &str) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what} runs (scripts/deps test installs it): {e}"));
    assert!(out.status.success(), "{what}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What bash offers for the command line `words` (the last one is being completed), using the
/// function the committed script registers with `complete`.
fn bash_completes(home: &Home, words: &[&str]) -> Vec<String> {
    let script = format!(
        r#"source {script}
spec=$(complete -p sensoro-sub) || exit 1
fn=$(sed -E 's/.* -F ([^ ]+) .*/\1/' <<<"$spec")
COMP_WORDS=({words})
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
COMP_LINE="${{COMP_WORDS[*]}}"
COMP_POINT=${{#COMP_LINE}}
COMPREPLY=()
"$fn" sensoro-sub "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\n' "${{COMPREPLY[@]}}""#,
        script = repo("completions/sensoro-sub.bash").display(),
        words = words.iter().map(|w| format!("'{w}'")).collect::<Vec<_>>().join(" "),
    );
    let mut cmd = home.command("bash");
    cmd.args(["--norc", "--noprofile", "-c", &script]);
    output_of(cmd, "bash").lines().filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

#[test]
fn bash_completes_subcommand_options_and_profile_names() {
    let home = Home::new();
    assert_eq!(bash_completes(&home, &["sensoro-sub", "demo", "--w"]), ["--watch"]);
    assert_eq!(bash_completes(&home, &["sensoro-sub", "check", "--tim"]), ["--timeout"]);
    assert_eq!(bash_completes(&home, &["sensoro-sub", "--profile", ""]), ["lab", "prod"]);
    assert_eq!(bash_completes(&home, &["sensoro-sub", "watch", "--profile", "p"]), ["prod"]);
    assert_eq!(
        bash_completes(&home, &["sensoro-sub", "check", "--config", "other.toml", "--profile", ""]),
        ["elsewhere"]
    );
    let config = bash_completes(&home, &["sensoro-sub", "config", ""]);
    assert!(config.contains(&"show".to_owned()) && config.contains(&"profiles".to_owned()), "{config:?}");
}

fn fish_completes(home: &Home, line: &str) -> Vec<String> {
    let script = format!("source {}; complete -C '{line}'", repo("completions/sensoro-sub.fish").display());
    let mut cmd = home.command("fish");
    cmd.args(["--no-config", "-c", &script]);
    output_of(cmd, "fish").lines().map(|l| l.split('\t').next().unwrap_or_default().to_owned()).collect()
}

#[test]
fn fish_completes_subcommand_options_and_profile_names() {
    let home = Home::new();
    assert_eq!(fish_completes(&home, "sensoro-sub demo --w"), ["--watch"]);
    assert_eq!(fish_completes(&home, "sensoro-sub check --tim"), ["--timeout"]);
    assert_eq!(fish_completes(&home, "sensoro-sub --profile "), ["lab", "prod"]);
    assert_eq!(fish_completes(&home, "sensoro-sub watch --profile p"), ["prod"]);
}

/// zsh completes only in an interactive line editor: a real terminal (tmux) with compinit loaded
/// and the committed `_sensoro-sub` on `fpath`; Tab is pressed and the screen read.
#[test]
fn zsh_completes_subcommand_options_and_profile_names() {
    let home = Home::new();
    let fpath = home.path().join("fpath");
    std::fs::create_dir_all(&fpath).unwrap();
    std::fs::copy(repo("completions/_sensoro-sub"), fpath.join("_sensoro-sub")).unwrap();
    std::fs::write(
        home.path().join(".zshrc"),
        format!("fpath=({} $fpath)\nautoload -U compinit && compinit -u -D\nPS1='%% '\n", fpath.display()),
    )
    .unwrap();
    let socket = format!("sensoro-sub-zsh-{}", std::process::id());
    let tmux = |args: &[&str]| {
        let mut cmd = home.command("tmux");
        cmd.args(["-L", &socket, "-f", "/dev/null"]).args(args).env("ZDOTDIR", home.path()).env_remove("TMUX");
        output_of(cmd, "tmux")
    };
    struct Server<'a>(&'a dyn Fn(&[&str]) -> String);
    impl Drop for Server<'_> {
        fn drop(&mut self) {
            (self.0)(&["kill-server"]);
        }
    }
    tmux(&["new-session", "-d", "-x", "150", "-y", "30", "zsh", "-i"]);
    let _server = Server(&tmux);
    let screen = || tmux(&["capture-pane", "-p"]);
    poll_until(
        PATIENCE,
        Duration::from_millis(100),
        || Some(()).filter(|_| screen().contains('%')),
        || format!("zsh's prompt; the screen:\n{}", screen()),
    );
    for (typed, shown) in [
        ("sensoro-sub demo --w", "% sensoro-sub demo --watch"),
        ("sensoro-sub check --tim", "% sensoro-sub check --timeout"),
        ("sensoro-sub --profile ", "lab   prod"),
        ("sensoro-sub watch --profile p", "% sensoro-sub watch --profile prod"),
    ] {
        tmux(&["send-keys", "C-u", "C-l", typed, "Tab"]);
        poll_until(
            PATIENCE,
            Duration::from_millis(100),
            || Some(()).filter(|_| screen().contains(shown)),
            || format!("{typed:?} + Tab to show {shown:?}; the screen:\n{}", screen()),
        );
    }
}
