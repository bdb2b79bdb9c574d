//! The key reader: every section lists its keys and how each sets its field, so a file is read
//! key by key and every mistake in it is reported, not just the first.

use std::path::PathBuf;

use serde::de::DeserializeOwned;
use toml::de::DeValue;
use toml::Spanned;

use super::values::{Bounded, LogLevel};
use super::*;
use crate::diag::{Diagnostic, SourceFile};

/// One setting's value as read from the file, for the per-key setters.
pub(super) struct Value<'f, 'a> {
    pub(super) file: &'f SourceFile<'a>,
    pub(super) value: Spanned<DeValue<'a>>,
}

impl Value<'_, '_> {
    pub(super) fn parse<T: DeserializeOwned>(self) -> Result<T, Diagnostic> {
        self.file.deserialize(self.value)
    }

    pub(super) fn path(self) -> Result<PathBuf, Diagnostic> {
        let span = self.value.span();
        let file = self.file;
        let text: String = self.parse()?;
        if text.trim().is_empty() {
            return Err(file.diagnostic(
                &span,
                "the path is empty",
                "write a file or folder path, or remove the key",
            ));
        }
        Ok(PathBuf::from(text))
    }
}

pub(super) type Setter<S> = fn(&mut S, Value<'_, '_>) -> Result<(), Diagnostic>;

/// A section: its name and, for each key, how to set it.
pub(super) trait Section: Sized + 'static {
    const NAME: &'static str;
    const KEYS: &'static [(&'static str, Setter<Self>)];
}

impl Section for DiscordConfig {
    const NAME: &'static str = "discord";
    const KEYS: &'static [(&'static str, Setter<Self>)] = &[
        ("token_file", |s, v| {
            s.token_file = Some(v.path()?);
            Ok(())
        }),
        ("api_base", |s, v| {
            s.api_base = Some(v.parse()?);
            Ok(())
        }),
        ("guild_id", |s, v| {
            s.guild_id = Some(v.parse()?);
            Ok(())
        }),
        ("owners", |s, v| {
            s.owners = v.parse()?;
            Ok(())
        }),
        ("shards", |s, v| {
            s.shards = v.parse()?;
            Ok(())
        }),
    ];
}

impl Section for ContentConfig {
    const NAME: &'static str = "content";
    const KEYS: &'static [(&'static str, Setter<Self>)] = &[("dir", |s, v| {
        s.dir = Some(v.path()?);
        Ok(())
    })];
}

impl Section for StorageConfig {
    const NAME: &'static str = "storage";
    const KEYS: &'static [(&'static str, Setter<Self>)] = &[
        ("database", |s, v| {
            s.database = v.parse()?;
            Ok(())
        }),
        ("lease_seconds", |s, v| {
            s.lease_seconds = v.parse::<Bounded<3, 600>>()?.0;
            Ok(())
        }),
    ];
}

impl Section for ScheduleConfig {
    const NAME: &'static str = "schedule";
    const KEYS: &'static [(&'static str, Setter<Self>)] = &[
        ("catch_up_hours", |s, v| {
            s.catch_up_hours = v.parse::<Bounded<0, 23>>()?.0;
            Ok(())
        }),
        ("posts_per_second", |s, v| {
            s.posts_per_second = v.parse::<Bounded<1, 50>>()?.0;
            Ok(())
        }),
    ];
}

impl Section for PollsConfig {
    const NAME: &'static str = "polls";
    const KEYS: &'static [(&'static str, Setter<Self>)] = &[("cooldown_seconds", |s, v| {
        s.cooldown_seconds = v.parse::<Bounded<0, 86_400>>()?.0;
        Ok(())
    })];
}

impl Section for PulseConfig {
    const NAME: &'static str = "pulse";
    const KEYS: &'static [(&'static str, Setter<Self>)] = &[("min_responses", |s, v| {
        s.min_responses = v.parse::<Bounded<3, 1000>>()?.0;
        Ok(())
    })];
}

impl Section for LogConfig {
    const NAME: &'static str = "log";
    const KEYS: &'static [(&'static str, Setter<Self>)] = &[
        ("level", |s, v| {
            s.level = v.parse::<LogLevel>()?.0;
            Ok(())
        }),
        ("format", |s, v| {
            s.format = v.parse()?;
            Ok(())
        }),
    ];
}

impl Section for MetricsConfig {
    const NAME: &'static str = "metrics";
    const KEYS: &'static [(&'static str, Setter<Self>)] = &[("listen", |s, v| {
        s.listen = Some(v.parse()?);
        Ok(())
    })];
}

pub(super) const SECTIONS: [&str; 8] = [
    DiscordConfig::NAME,
    ContentConfig::NAME,
    StorageConfig::NAME,
    ScheduleConfig::NAME,
    PollsConfig::NAME,
    PulseConfig::NAME,
    LogConfig::NAME,
    MetricsConfig::NAME,
];
