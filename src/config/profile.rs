//! Profiles: named sets of AppID, AppSecret, AppKey, host, port and session in a TOML file, so that
//! secrets need not be typed or exported. Flags and environment variables override a profile.
//!
//! ```toml
//! [profiles.default]
//! app_id = "foobar"
//! app_secret = "..."
//! app_key = "..."
//! session = "collector"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::cli::AccountArgs;
use crate::exit::Failure;
use crate::secret::Secret;

/// The profile used when `--profile` is not given, if the file has it.
pub const DEFAULT_PROFILE: &str = "default";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub app_id: Option<String>,
    pub app_secret: Option<Secret>,
    pub app_key: Option<Secret>,
    pub host: Option<String>,
    pub port: Option<u16>,
    pub tls: Option<bool>,
    pub cafile: Option<PathBuf>,
    pub session: Option<String>,
}

impl Profile {
    fn holds_secrets(&self) -> bool {
        self.app_secret.is_some() || self.app_key.is_some()
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    profiles: BTreeMap<String, Profile>,
}

/// A profile and where it came from, for messages and `config show`.
#[derive(Debug)]
pub struct LoadedProfile {
    pub name: String,
    pub path: PathBuf,
    pub profile: Profile,
}

/// `$XDG_CONFIG_HOME/sensoro-sub/config.toml`, else `~/.config/sensoro-sub/config.toml`.
pub fn default_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()).map(PathBuf::from).or_else(|| {
        std::env::var_os("HOME").filter(|v| !v.is_empty()).map(|home| PathBuf::from(home).join(".config"))
    })?;
    Some(base.join("sensoro-sub").join("config.toml"))
}

/// Loads the profile the flags ask for: `--profile NAME` must exist; without it the "default"
/// profile is used when present, and a missing default file is no error.
pub fn load(args: &AccountArgs) -> Result<Option<LoadedProfile>, Failure> {
    let asked = args.profile.as_deref().map(str::trim).filter(|name| !name.is_empty());
    let Some(path) = args.config.clone().or_else(default_path) else {
        return match asked {
            Some(_) => Err(Failure::usage("cannot locate the config directory (HOME is not set): pass --config PATH")),
            None => Ok(None),
        };
    };
    if !path.exists() {
        if asked.is_some() || args.config.is_some() {
            return Err(Failure::usage(format!(
                "config file {} does not exist: create it with a [profiles.NAME] table (see docs/guide.md)",
                path.display()
            )));
        }
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Failure::usage(format!("cannot read config file {}: {e}", path.display())))?;
    let file: ConfigFile = toml::from_str(&text).map_err(|e| {
        let reason = e.message().to_owned();
        Failure::usage(format!("config file {} is not valid: {reason}; fix it or pass --config PATH", path.display()))
    })?;
    if file.profiles.values().any(Profile::holds_secrets) {
        check_private(&path, "config file")?;
    }
    let name = asked.unwrap_or(DEFAULT_PROFILE);
    let mut profiles = file.profiles;
    match profiles.remove(name) {
        Some(profile) => Ok(Some(LoadedProfile { name: name.to_owned(), path, profile })),
        None if asked.is_none() => Ok(None),
        None => {
            let known: Vec<&str> = profiles.keys().map(String::as_str).collect();
            let known = if known.is_empty() { "none".to_owned() } else { known.join(", ") };
            Err(Failure::usage(format!("no profile {name:?} in {} (profiles there: {known})", path.display())))
        }
    }
}

/// The profile names in the config file (`config profiles`, for shell completion): `config`, else
/// the default file; no file is no names. Only names are read, so the file's mode is not checked.
pub fn names(config: Option<PathBuf>) -> Result<Vec<String>, Failure> {
    let Some(path) = config.clone().or_else(default_path) else { return Ok(Vec::new()) };
    if !path.exists() && config.is_none() {
        return Ok(Vec::new());
    }
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Failure::usage(format!("cannot read config file {}: {e}", path.display())))?;
    let file: ConfigFile = toml::from_str(&text).map_err(|e| {
        let reason = e.message().to_owned();
        Failure::usage(format!("config file {} is not valid: {reason}; fix it or pass --config PATH", path.display()))
    })?;
    Ok(file.profiles.into_keys().collect())
}

/// A file systemd handed this service with `LoadCredential=` (it sits in `$CREDENTIALS_DIRECTORY`).
/// Its mode says nothing useful: systemd makes it read-only for the service's user alone, by owner
/// (0400, systemd 252) or by an ACL whose mask shows as group bits (0440, where the file system
/// has ACLs). The mode that matters is the source file's, which systemd read as root (docs/guide.md:
/// keep it 600).
fn is_systemd_credential(path: &Path) -> bool {
    let Some(dir) = std::env::var_os("CREDENTIALS_DIRECTORY").filter(|dir| !dir.is_empty()) else {
        return false;
    };
    match (path.parent().map(std::fs::canonicalize), std::fs::canonicalize(dir)) {
        (Some(Ok(parent)), Ok(dir)) => parent == dir,
        _ => false,
    }
}

/// One rule for every file that holds a secret (a profiles file, `--app-secret-file`): readable by
/// its owner alone (mode 600), unless systemd handed it over as a credential. `what` names it.
pub fn check_private(path: &Path, what: &str) -> Result<(), Failure> {
    if is_systemd_credential(path) { Ok(()) } else { refuse_if_readable_by_others(path, what) }
}

#[cfg(unix)]
fn refuse_if_readable_by_others(path: &Path, what: &str) -> Result<(), Failure> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(|e| Failure::usage(format!("cannot read {what} {}: {e}", path.display())))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(Failure::usage(format!(
            "{what} {} holds secrets but others can read it (mode {:o}): run `chmod 600 {}`",
            path.display(),
            mode & 0o777,
            path.display()
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
fn refuse_if_readable_by_others(_path: &Path, _what: &str) -> Result<(), Failure> {
    Ok(())
}
