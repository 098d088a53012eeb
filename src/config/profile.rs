//! Profiles: named sets of AppID, AppSecret, AppKey, host, port, session and alarm rules in a TOML
//! file, so that secrets need not be typed or exported. Flags and environment variables override a
//! profile.
//!
//! ```toml
//! [profiles.default]
//! app_id = "foobar"
//! app_secret = "..."
//! app_key = "..."
//! session = "collector"
//! alarms = ["temperature>40", "door==open"]
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::file;
use crate::cli::AccountArgs;
use crate::exit::Failure;
use crate::secret::{self, Secret};

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
    /// Alarm rules, as `--alarm` takes them (`["temperature>40", "-battery"]`).
    pub alarms: Option<Vec<String>>,
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
    let text = read(&path)?;
    let file: ConfigFile = toml::from_str(&text).map_err(|e| invalid(&path, &text, &e))?;
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

/// The config file's text, at most [`file::CONFIG_LIMIT`] bytes of UTF-8.
fn read(path: &Path) -> Result<String, Failure> {
    let bytes = file::read(path, file::CONFIG_LIMIT).map_err(|e| match e {
        file::ReadError::Io(e) => Failure::usage(format!("cannot read config file {}: {e}", path.display())),
        file::ReadError::TooLarge(limit) => Failure::usage(format!(
            "config file {} is larger than {}: a profiles file is a few lines; check the path (--config)",
            path.display(),
            file::size(limit)
        )),
    })?;
    String::from_utf8(bytes).map_err(|e| {
        Failure::usage(format!(
            "config file {} is not UTF-8 text (a byte at offset {} is not): check the path (--config)",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })
}

/// A parse error in one line, with where it is. A secret's value never reaches the message: a
/// [`Secret`] refuses a non-string without quoting it, and the words name its key and the fix.
fn invalid(path: &Path, text: &str, error: &toml::de::Error) -> Failure {
    let mut start = error.span().map_or(0, |span| span.start.min(text.len()));
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let line = text.as_bytes()[..start].iter().filter(|&&b| b == b'\n').count() + 1;
    // The key whose value the error points at: the bare key just before its `=` on that line.
    let line_start = text[..start].rfind('\n').map_or(0, |at| at + 1);
    let key = text[line_start..start].trim_end().strip_suffix('=').map_or("", |before| {
        let before = before.trim_end();
        let key_start =
            before.rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')).map_or(0, |at| at + 1);
        &before[key_start..]
    });
    let message = error.message().lines().next().unwrap_or_default();
    let reason = match message {
        secret::NOT_A_STRING if !key.is_empty() => format!("{key} {message}, e.g. {key} = \"...\""),
        secret::NOT_A_STRING => "app_secret and app_key must be quoted strings, e.g. app_secret = \"...\"".to_owned(),
        other => other.to_owned(),
    };
    Failure::usage(format!(
        "config file {} line {line} is not valid: {reason}; fix it or pass --config PATH",
        path.display()
    ))
}

/// The profile names in the config file (`config profiles`, for shell completion): `config`, else
/// the default file; no file is no names. Only names are read, so the file's mode is not checked.
pub fn names(config: Option<PathBuf>) -> Result<Vec<String>, Failure> {
    let Some(path) = config.clone().or_else(default_path) else { return Ok(Vec::new()) };
    if !path.exists() && config.is_none() {
        return Ok(Vec::new());
    }
    let text = read(&path)?;
    let file: ConfigFile = toml::from_str(&text).map_err(|e| invalid(&path, &text, &e))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The error for a config file holding `text`.
    fn error(text: &str) -> String {
        let error = toml::from_str::<ConfigFile>(text).unwrap_err();
        invalid(Path::new("config.toml"), text, &error).message
    }

    #[test]
    fn a_parse_error_never_quotes_a_secret_and_names_the_field_and_the_fix() {
        for (value, key) in [
            ("12345678", "app_secret"),
            ("-12345678", "app_secret"),
            ("12345678.5", "app_key"),
            ("true", "app_key"),
            ("1979-05-27T07:32:00Z", "app_secret"),
            ("[\"12345678\"]", "app_key"),
            ("{ x = \"12345678\" }", "app_secret"),
        ] {
            let message = error(&format!("[profiles.default]\napp_id = \"foobar\"\n{key} = {value}\n"));
            assert!(!message.contains("12345678") && !message.contains("1979"), "{value}: {message}");
            assert!(
                message.contains(&format!("line 3 is not valid: {key} must be a quoted string, e.g. {key} = \"...\"")),
                "{value}: {message}"
            );
        }
        let message = error("[profiles]\ndefault = { app_key = 12345678 }\n");
        assert!(message.contains("line 2 is not valid: app_key must be a quoted string"), "{message}");
        // Broken syntax in a secret's value: toml's words, which never quote it.
        for line in
            ["app_secret = s3cret-Zq9", "app_secret = 's3cret-Zq9", "app_key = \"s3cret-Zq9", "app_key = \"s3cret\\q\""]
        {
            let message = error(&format!("[profiles.default]\n{line}\n"));
            assert!(!message.contains("s3cret") && message.contains("line 2 is not valid: "), "{line}: {message}");
        }
    }

    #[test]
    fn other_parse_errors_keep_their_words_and_line() {
        let message = error("[profiles.default]\n\nport = 99999999\n");
        assert!(message.contains("line 3 is not valid: invalid value: integer `99999999`, expected u16"), "{message}");
        assert!(message.ends_with("; fix it or pass --config PATH"), "{message}");
    }
}
