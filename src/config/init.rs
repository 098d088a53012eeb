//! `sensoro-sub config init`: a new user's set-up in one command, the way `gh auth login` does it.
//! AppID, AppSecret, optional AppKey and session come from flags or the environment, else are
//! asked on the terminal (the AppSecret without echo); the profile is written first to a private
//! temporary file, checked like `check` does (by the caller, `main`), and only then put in the
//! config file, mode 600. A login that fails leaves the config file as it was.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::cli::InitArgs;
use crate::exit::Failure;
use crate::secret::Secret;
use crate::service;

use super::account::{parse_app_key, read_secret_file};
use super::{Resolved, profile};

/// A profile ready to be written: checked values, its text, and where it goes.
#[derive(Debug)]
pub struct Prepared {
    pub name: String,
    pub path: PathBuf,
    table: toml::Table,
    /// The config file's text before, if it exists.
    existing: Option<String>,
    /// A private file holding this profile alone, for the login check.
    trial: PathBuf,
}

/// The profile's name becomes a TOML key and a `--profile` argument: keep it plain.
fn check_name(name: &str) -> Result<(), Failure> {
    if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        Ok(())
    } else {
        Err(Failure::usage(format!("--profile {name:?}: a profile name is letters, digits, '-' and '_'")))
    }
}

/// Asks on the terminal; `None` when stdin is not one (then the flag is the only way).
struct Asker {
    interactive: bool,
}

impl Asker {
    fn ask(&self, question: &str, hidden: bool) -> Result<Option<String>, Failure> {
        if !self.interactive {
            return Ok(None);
        }
        let mut stderr = std::io::stderr();
        let _ = write!(stderr, "{question}");
        let _ = stderr.flush();
        let _echo = if hidden { EchoOff::new() } else { None };
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| Failure::usage(format!("cannot read the answer from the terminal: {e}")))?;
        if hidden {
            let _ = writeln!(stderr);
        }
        Ok(Some(line.trim().to_owned()).filter(|answer| !answer.is_empty()))
    }
}

/// The terminal's echo turned off while the AppSecret is typed, and on again when dropped.
struct EchoOff(rustix::termios::Termios);

impl EchoOff {
    fn new() -> Option<EchoOff> {
        use rustix::termios::{LocalModes, OptionalActions, tcgetattr, tcsetattr};
        let stdin = std::io::stdin();
        let saved = tcgetattr(&stdin).ok()?;
        let mut quiet = saved.clone();
        quiet.local_modes.remove(LocalModes::ECHO);
        tcsetattr(&stdin, OptionalActions::Now, &quiet).ok()?;
        Some(EchoOff(saved))
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        let _ = rustix::termios::tcsetattr(std::io::stdin(), rustix::termios::OptionalActions::Now, &self.0);
    }
}

/// Gathers and checks the values, and writes the trial file.
pub fn prepare(args: InitArgs) -> Result<Prepared, Failure> {
    let name = args.profile.trim().to_owned();
    check_name(&name)?;
    let path =
        args.config.clone().or_else(profile::default_path).ok_or_else(|| {
            Failure::usage("cannot locate the config directory (HOME is not set): pass --config PATH")
        })?;
    let existing = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Failure::usage(format!("cannot read config file {}: {e}", path.display()))),
    };
    if let Some(text) = &existing {
        let file: toml::Table = toml::from_str(text).map_err(|e| {
            Failure::usage(format!(
                "config file {} is not valid: {}; fix it or pass --config PATH",
                path.display(),
                e.message()
            ))
        })?;
        let taken = file.get("profiles").and_then(|p| p.as_table()).is_some_and(|p| p.contains_key(&name));
        if taken && !args.force {
            return Err(Failure::usage(format!(
                "{} already has a profile {name:?}: pass --force to replace it, or --profile OTHER",
                path.display()
            )));
        }
    }

    let asker = Asker { interactive: std::io::stdin().is_terminal() };
    let app_id = match args.app_id.map(|id| id.trim().to_owned()).filter(|id| !id.is_empty()) {
        Some(id) => id,
        None => asker.ask("AppID (the SENSORO console's developer page): ", false)?.ok_or_else(|| {
            Failure::usage("no AppID given: pass --app-id ID or set SENSORO_APP_ID (or run this on a terminal)")
        })?,
    };
    service::check_app_id(&app_id).map_err(super::advice::app_id)?;
    let app_secret = match (&args.app_secret_file, args.app_secret.filter(|s| !s.is_empty())) {
        (Some(file), _) => read_secret_file(file)?,
        (None, Some(secret)) => Secret::new(secret),
        (None, None) => Secret::new(asker.ask("AppSecret (not shown as you type): ", true)?.ok_or_else(|| {
            Failure::usage(
                "no AppSecret given: set SENSORO_APP_SECRET or pass --app-secret-file PATH (or run this on a terminal)",
            )
        })?),
    };
    let app_key = match args.app_key.filter(|k| !k.trim().is_empty()) {
        Some(key) => Some(key),
        None if !asker.interactive => None,
        None => asker.ask("AppKey, for safe mode (Enter if the console shows none): ", true)?,
    };
    if let Some(key) = &app_key {
        parse_app_key(key)?;
    }
    let session = match args.session.filter(|s| !s.trim().is_empty()) {
        Some(session) => Some(session),
        None if !asker.interactive => None,
        None => asker.ask("Durable session name, for a collector (Enter for none): ", false)?,
    };
    if let Some(session) = &session {
        service::check_client_id(&app_id, &format!("{app_id}/{session}")).map_err(|reason| {
            Failure::usage(format!(
                "--session: {reason}; a session NAME may use up to {} characters of [-_0-9a-zA-Z]",
                service::MAX_CLIENT_SUFFIX
            ))
        })?;
    }

    let mut table = toml::Table::new();
    table.insert("app_id".into(), app_id.into());
    table.insert("app_secret".into(), app_secret.into_exposed().into());
    if let Some(key) = app_key {
        table.insert("app_key".into(), key.into());
    }
    if let Some(session) = session {
        table.insert("session".into(), session.into());
    }
    if let Some(host) = args.host.map(|h| h.trim().to_owned()).filter(|h| !h.is_empty()) {
        table.insert("host".into(), host.into());
    }
    if let Some(port) = args.port {
        table.insert("port".into(), i64::from(port).into());
    }

    let dir = path.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
    create_private_dir(&dir)?;
    let trial = dir.join(format!(".config-init-{}.toml", std::process::id()));
    let prepared = Prepared { name, path, table, existing, trial };
    write_private(&prepared.trial, &prepared.alone())?;
    Ok(prepared)
}

impl Prepared {
    /// This profile alone, as TOML.
    fn alone(&self) -> String {
        let mut profiles = toml::Table::new();
        profiles.insert(self.name.clone(), self.table.clone().into());
        let mut file = toml::Table::new();
        file.insert("profiles".into(), profiles.into());
        toml::to_string(&file).expect("a table of strings serializes")
    }

    /// The settings the profile resolves to, as `check --profile NAME` would see them (without the
    /// environment's or the default profile's values in the way).
    pub fn resolve(&self) -> Result<Resolved, Failure> {
        use clap::Parser;
        let trial = self.trial.to_string_lossy().into_owned();
        let cli = crate::cli::Cli::try_parse_from(["sensoro-sub", "--config", &trial, "--profile", &self.name])
            .map_err(|e| Failure::usage(e.to_string()))?;
        let mut args = cli.subscribe;
        // Only the profile speaks: what clap took from the environment is set aside.
        args.account.app_id = None;
        args.account.app_secret = None;
        args.account.app_secret_file = None;
        args.account.safe_mode.app_key = None;
        args.connection.host = None;
        args.connection.port = None;
        args.connection.tls.cafile = None;
        Resolved::resolve(args.account, args.connection, super::Consumer::Check)
    }

    /// Puts the profile in the config file (mode 600), keeping the other profiles; returns whether
    /// an older profile of the same name was replaced.
    pub fn write(self) -> Result<bool, Failure> {
        let result = self.write_file();
        let _ = std::fs::remove_file(&self.trial);
        result
    }

    fn write_file(&self) -> Result<bool, Failure> {
        let (text, replaced) = match &self.existing {
            None => (self.alone(), false),
            Some(text) => {
                let mut file: toml::Table = toml::from_str(text).map_err(|e| Failure::usage(e.to_string()))?;
                let taken = file.get("profiles").and_then(|p| p.as_table()).is_some_and(|p| p.contains_key(&self.name));
                if taken {
                    // Replacing a table in place: the file is rewritten (its comments are lost).
                    let profiles = file.entry("profiles").or_insert_with(|| toml::Table::new().into());
                    if let Some(profiles) = profiles.as_table_mut() {
                        profiles.insert(self.name.clone(), self.table.clone().into());
                    }
                    (toml::to_string(&file).expect("a parsed table serializes"), true)
                } else {
                    // Appended: the rest of the file, comments included, stays as it was.
                    let separator = if text.is_empty() || text.ends_with("\n\n") {
                        ""
                    } else if text.ends_with('\n') {
                        "\n"
                    } else {
                        "\n\n"
                    };
                    (format!("{text}{separator}{}", self.alone()), false)
                }
            }
        };
        let staged = self.trial.with_extension("staged");
        write_private(&staged, &text)?;
        std::fs::rename(&staged, &self.path)
            .map_err(|e| Failure::usage(format!("cannot write config file {}: {e}", self.path.display())))?;
        Ok(replaced)
    }

    /// Leaves the config file alone and removes the trial file.
    pub fn discard(self) {
        let _ = std::fs::remove_file(&self.trial);
    }
}

fn create_private_dir(dir: &Path) -> Result<(), Failure> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| Failure::usage(format!("cannot create {}: {e}", dir.display())))
}

/// Writes `text` to a new file readable by its owner alone, synced to disk.
fn write_private(path: &Path, text: &str) -> Result<(), Failure> {
    let fail = |e: std::io::Error| Failure::usage(format!("cannot write {}: {e}", path.display()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(fail)?;
    #[cfg(unix)]
    std::fs::set_permissions(path, std::os::unix::fs::PermissionsExt::from_mode(0o600)).map_err(fail)?;
    file.write_all(text.as_bytes()).and_then(|()| file.sync_all()).map_err(fail)
}
