//! The account a run logs in with — AppID, AppSecret, AppKey — checked, with where each came from.

use std::path::Path;

use crate::exit::Failure;
use crate::pipeline::safe_mode::{AppKey, SafeMode};
use crate::secret::Secret;
use crate::service;

use super::sourced::{Source, Sourced};
use super::{advice, file, profile};

pub(crate) const NO_APP_ID: &str =
    "no AppID given: pass --app-id ID or set SENSORO_APP_ID (the SENSORO console's developer page shows it)";
pub(crate) const NO_APP_SECRET: &str =
    "no AppSecret given: set SENSORO_APP_SECRET, pass --app-secret-file PATH, or use a --profile";

/// The account's settings, each checked.
#[derive(Debug)]
pub struct Account {
    pub app_id: Sourced<String>,
    pub app_secret: Sourced<Secret>,
    /// `None` (unset): the pushes are not encrypted.
    pub app_key: Sourced<Option<AppKey>>,
}

impl Account {
    /// The layers' account settings, checked in the order a user fixes them: AppID, AppSecret, AppKey.
    pub(crate) fn check(
        app_id: Option<Sourced<String>>,
        app_secret: Result<Option<Sourced<Secret>>, Failure>,
        app_key: Option<Sourced<String>>,
    ) -> Result<Account, Failure> {
        let app_id = app_id.ok_or_else(|| Failure::usage(NO_APP_ID))?;
        service::check_app_id(&app_id.value).map_err(advice::app_id)?;
        let app_secret = app_secret?.ok_or_else(|| Failure::usage(NO_APP_SECRET))?;
        let app_key = match app_key {
            Some(text) => Sourced::new(Some(parse_app_key(&text.value)?), text.source),
            None => Sourced::new(None, Source::Unset),
        };
        Ok(Account { app_id, app_secret, app_key })
    }

    /// Decryption as the AppKey says.
    pub fn safe_mode(&self) -> SafeMode {
        SafeMode::new(Some(self.app_id.value.clone()), self.app_key.value.clone())
    }
}

/// The AppKey is checked at start-up: a key that cannot be right fails now, not on every push.
pub fn parse_app_key(text: &str) -> Result<AppKey, Failure> {
    AppKey::parse(text).map_err(|why| advice::app_key(&why))
}

pub(crate) fn read_secret_file(path: &Path) -> Result<Secret, Failure> {
    let bytes = file::read(path, file::SECRET_LIMIT).map_err(|e| match e {
        file::ReadError::Io(e) => Failure::usage(format!(
            "cannot read --app-secret-file {}: {e}; check the path and its permissions",
            path.display()
        )),
        file::ReadError::TooLarge(limit) => Failure::usage(format!(
            "--app-secret-file {} is larger than {}: it should hold the AppSecret alone; check the path",
            path.display(),
            file::size(limit)
        )),
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Failure::usage(format!(
            "--app-secret-file {} is not UTF-8 text: it should hold the AppSecret alone; check the path",
            path.display()
        ))
    })?;
    profile::check_private(path, "--app-secret-file")?;
    let secret = text.strip_suffix('\n').map(|s| s.strip_suffix('\r').unwrap_or(s)).unwrap_or(&text);
    if secret.is_empty() {
        return Err(Failure::usage(format!(
            "--app-secret-file {} is empty: put the AppSecret from the SENSORO console in it",
            path.display()
        )));
    }
    Ok(Secret::new(secret.to_owned()))
}
