//! How the bot's values are written into columns and read back, the same on both engines: ids
//! as signed 64-bit integers (PostgreSQL `BIGINT`), instants as Unix seconds, flags as 0 or 1,
//! local dates as `YYYY-MM-DD`, zones by IANA name.
//!
//! A row is read in two steps. First into a private struct of the column types the `Any`
//! driver carries (`i64`, `String`, their `Option`s), which derives `FromRow` (from `sqlx_macros`, see Cargo.toml), so the
//! column names and types are written once per table. Then, by hand with the functions here,
//! into the `model` value: the `Any` driver decodes none of `u64`, `Timestamp`, `Date`, `Zone`
//! or the stored enum names, `model` stays free of sqlx (`tests/content/layers.rs`), and a value that
//! does not convert (a negative id, an unknown status) is reported as the store's own
//! `StoreError::Corrupt` naming the value, not as a driver's decode error.

use jiff::civil::{Date, Weekday};
use jiff::Timestamp;

use super::StoreError;
use crate::when::Zone;

/// Discord ids are unsigned; database integers are signed. Every id Discord issues fits.
pub(super) fn id_to_db(id: u64) -> i64 {
    i64::try_from(id).unwrap_or(i64::MAX)
}

pub(super) fn id_from_db(id: i64) -> Result<u64, StoreError> {
    u64::try_from(id).map_err(|_| StoreError::Corrupt(format!("negative id {id}")))
}

pub(super) fn optional_id(value: Option<i64>) -> Result<Option<u64>, StoreError> {
    value.map(id_from_db).transpose()
}

/// A flag as an integer: the `Any` driver reads SQLite's integers as integers, never as
/// booleans, so both engines keep flags as 0 or 1.
pub(super) fn flag(on: bool) -> i64 {
    i64::from(on)
}

pub(super) fn from_flag(value: i64) -> bool {
    value != 0
}

pub(super) fn seconds(at: Timestamp) -> i64 {
    at.as_second()
}

pub(super) fn timestamp(seconds: i64) -> Result<Timestamp, StoreError> {
    Timestamp::from_second(seconds).map_err(|e| StoreError::Corrupt(format!("time {seconds}: {e}")))
}

pub(super) fn date(text: &str) -> Result<Date, StoreError> {
    text.parse()
        .map_err(|e| StoreError::Corrupt(format!("date {text:?}: {e}")))
}

/// A weekday as stored: 1 is Monday, 7 Sunday.
pub(super) fn weekday_number(day: Weekday) -> i64 {
    i64::from(day.to_monday_one_offset())
}

pub(super) fn weekday_from(number: i64) -> Result<Weekday, StoreError> {
    i8::try_from(number)
        .ok()
        .and_then(|n| Weekday::from_monday_one_offset(n).ok())
        .ok_or_else(|| StoreError::Corrupt(format!("weekday {number}")))
}

/// A stored zone name, as a zone (every stored name came from the same bundled database).
pub(super) fn zone(name: &str) -> Result<Zone, StoreError> {
    Zone::parse(name).map_err(|_| StoreError::Corrupt(format!("time zone {name:?}")))
}

/// A value the store keeps as JSON text.
pub(super) fn to_json(value: &impl serde::Serialize) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(super) fn from_json<T: serde::de::DeserializeOwned>(
    what: &str,
    text: &str,
) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}
