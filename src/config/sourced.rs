//! "A value and where it came from": what ranks the layers (flag > environment > profile >
//! default) and what `config show` prints beside each value.

use std::fmt;

/// Where a setting came from, for `config show` and for ranking the layers: a flag beats the
/// environment, which beats the profile, which beats the built-in default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Unset,
    Default,
    Profile,
    /// The environment variable, e.g. `SENSORO_PORT`.
    Env(&'static str),
    /// The flag, e.g. `--port`.
    Flag(&'static str),
}

impl Source {
    /// The layer, for ranking: two sources of the same layer rank equal.
    pub(crate) fn rank(self) -> u8 {
        match self {
            Source::Unset => 0,
            Source::Default => 1,
            Source::Profile => 2,
            Source::Env(_) => 3,
            Source::Flag(_) => 4,
        }
    }

    /// The source of a setting that may be missing: a missing one is [`Source::Unset`].
    pub fn of<T>(setting: &Option<Sourced<T>>) -> Source {
        setting.as_ref().map_or(Source::Unset, |given| given.source)
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag(flag) => write!(f, "flag {flag}"),
            Source::Env(variable) => write!(f, "env {variable}"),
            Source::Profile => f.write_str("profile"),
            Source::Default => f.write_str("default"),
            Source::Unset => f.write_str("not set"),
        }
    }
}

/// A setting's value and the layer that gave it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sourced<T> {
    pub value: T,
    pub source: Source,
}

impl<T> Sourced<T> {
    pub fn new(value: T, source: Source) -> Sourced<T> {
        Sourced { value, source }
    }

    /// The built-in default.
    pub fn default_value(value: T) -> Sourced<T> {
        Sourced::new(value, Source::Default)
    }

    /// The same source, another value (the value parsed or checked).
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Sourced<U> {
        Sourced { value: f(self.value), source: self.source }
    }

    /// The value the higher layer gave; of two in the same layer, `self`.
    pub fn or_higher(self, other: Sourced<T>) -> Sourced<T> {
        if other.source.rank() > self.source.rank() { other } else { self }
    }
}

/// The flag or environment value if given, else the profile's.
pub(crate) fn or_profile<T>(given: Option<Sourced<T>>, from_profile: Option<T>) -> Option<Sourced<T>> {
    given.or_else(|| from_profile.map(|value| Sourced::new(value, Source::Profile)))
}
