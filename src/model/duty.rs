//! Which scheduled duty a log row belongs to, and where it stands.
//!
//! Every duty the scheduler delivers (the daily tip, the weekly poll, the pulse, the digest) keeps one log row per
//! server and local date in the same table, with the same statuses, so claiming, recording and
//! recovering are written once for all of them.

use std::fmt;

use strum::VariantArray;

/// A kind of scheduled post. Its stored name (`weekly_poll`) is strum's snake case of the
/// variant.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[strum(serialize_all = "snake_case")]
pub enum DutyKind {
    /// The daily tip.
    Tip,
    /// The weekly poll.
    WeeklyPoll,
    /// Opening the week's team pulse.
    Pulse,
    /// Closing the week's team pulse and posting its result.
    PulseResult,
    /// Reminding the team, before the pulse closes, how many have answered.
    PulseReminder,
    /// The weekly digest for the team's lead.
    Digest,
}

impl DutyKind {
    pub const ALL: &'static [DutyKind] = DutyKind::VARIANTS;

    /// The word stored in the database and used in metrics labels.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The duty a stored word names.
    pub fn from_stored(word: &str) -> Option<DutyKind> {
        word.parse().ok()
    }

    /// How the duty is named in logs and messages: "daily tip", "weekly poll".
    pub fn label(self) -> &'static str {
        match self {
            DutyKind::Tip => "daily tip",
            DutyKind::WeeklyPoll => "weekly poll",
            DutyKind::Pulse => "team pulse",
            DutyKind::PulseResult => "team pulse result",
            DutyKind::PulseReminder => "team pulse reminder",
            DutyKind::Digest => "weekly digest",
        }
    }
}

impl fmt::Display for DutyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A channel permission a scheduled post needs. Which duty needs which is said here, once, for
/// the setup check and the words of a refusal alike; Discord's bits for them are `discord`'s,
/// their names `reply`'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Permission {
    ViewChannel,
    SendMessages,
    EmbedLinks,
    /// A chart goes out as a file.
    AttachFiles,
    SendPolls,
    /// A tip opens its discussion thread.
    CreatePublicThreads,
}

/// What every post needs: to see the channel, write in it and show an embed.
pub const TO_POST: [Permission; 3] = [
    Permission::ViewChannel,
    Permission::SendMessages,
    Permission::EmbedLinks,
];

/// `base`, then those of `more` it does not have yet.
pub fn all_of(base: &[Permission], more: &[Permission]) -> Vec<Permission> {
    let mut all = base.to_vec();
    for permission in more {
        if !all.contains(permission) {
            all.push(*permission);
        }
    }
    all
}

impl DutyKind {
    /// What the duty's posts need in their channel. A tip that opens a thread needs Create
    /// Public Threads too (`TipOptions`'s needs).
    pub fn needs(self) -> &'static [Permission] {
        const POLLS: [Permission; 4] = [
            Permission::ViewChannel,
            Permission::SendMessages,
            Permission::EmbedLinks,
            Permission::SendPolls,
        ];
        const CHARTS: [Permission; 4] = [
            Permission::ViewChannel,
            Permission::SendMessages,
            Permission::EmbedLinks,
            Permission::AttachFiles,
        ];
        match self {
            DutyKind::Tip | DutyKind::Pulse | DutyKind::PulseReminder => &TO_POST,
            DutyKind::WeeklyPoll => &POLLS,
            DutyKind::PulseResult | DutyKind::Digest => &CHARTS,
        }
    }
}

/// Where one day of a duty stands. Stored by its name in lower case (`posted`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[strum(serialize_all = "snake_case")]
pub enum DutyStatus {
    /// Claimed: being sent now, or the process stopped while sending (recovered at start).
    Sending,
    Posted,
    /// Skipped on purpose (`/tips skip`).
    Skipped,
    /// The bot was down past the catch-up window.
    Missed,
    /// Could not be posted; the detail says why.
    Failed,
}

impl DutyStatus {
    pub const ALL: &'static [DutyStatus] = DutyStatus::VARIANTS;

    /// The word stored in the database.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The status a stored word names.
    pub fn from_stored(word: &str) -> Option<DutyStatus> {
        word.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_statuses_read_back_what_they_store() {
        for &kind in DutyKind::ALL {
            assert_eq!(DutyKind::from_stored(kind.as_str()), Some(kind));
        }
        for &status in DutyStatus::ALL {
            assert_eq!(DutyStatus::from_stored(status.as_str()), Some(status));
        }
        assert_eq!(DutyKind::from_stored("tips"), None);
    }

    #[test]
    fn the_stored_names_are_the_ones_the_databases_hold() {
        let kinds: Vec<&str> = DutyKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "tip",
                "weekly_poll",
                "pulse",
                "pulse_result",
                "pulse_reminder",
                "digest"
            ]
        );
        let statuses: Vec<&str> = DutyStatus::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(
            statuses,
            ["sending", "posted", "skipped", "missed", "failed"]
        );
        assert_eq!(DutyStatus::from_stored("Posted"), None);
    }

    #[test]
    fn every_duty_needs_to_post_and_what_its_posts_carry() {
        for &kind in DutyKind::ALL {
            assert!(TO_POST.iter().all(|p| kind.needs().contains(p)), "{kind}");
        }
        assert!(DutyKind::WeeklyPoll
            .needs()
            .contains(&Permission::SendPolls));
        assert!(DutyKind::Digest.needs().contains(&Permission::AttachFiles));
        assert!(DutyKind::PulseResult
            .needs()
            .contains(&Permission::AttachFiles));
        assert!(!DutyKind::Tip.needs().contains(&Permission::AttachFiles));
        assert_eq!(
            all_of(&TO_POST, &[Permission::EmbedLinks, Permission::SendPolls]),
            [
                Permission::ViewChannel,
                Permission::SendMessages,
                Permission::EmbedLinks,
                Permission::SendPolls
            ]
        );
    }
}
