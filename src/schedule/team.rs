//! A server's own scenarios and statements where something draws from them beside ours: the
//! weekly pulse (one of its statements in turn), the weekly scenario poll, and the commands
//! (`/scenario`, `/poll scenario`). Read from the store here once; an entry whose texts no
//! longer read as its kind is passed over rather than shown broken.

use rand::Rng;

use crate::content::team::{Credit, TeamBody, TeamScenario, TeamStatement};
use crate::model::team::TeamKind;
use crate::reply::scenario::pick_team_scenario;
use crate::store::{Store, StoreError};

/// One of the server's scenarios: its item id (`team:<id>`), its texts and its credit.
#[derive(Debug, Clone, PartialEq)]
pub struct TheirScenario {
    pub id: String,
    pub scenario: TeamScenario,
    pub credit: Credit,
}

/// The server's own scenarios, oldest first.
pub async fn scenarios(store: &Store, guild: u64) -> Result<Vec<TheirScenario>, StoreError> {
    Ok(store
        .team_entries(guild, Some(TeamKind::Scenario))
        .await?
        .into_iter()
        .filter_map(|entry| {
            Some(TheirScenario {
                scenario: TeamBody::of_entry(&entry)?.into_scenario()?,
                id: entry.item_id(),
                credit: Credit::of(entry.suggested_by.as_deref()),
            })
        })
        .collect())
}

/// The server's own statements, oldest first.
pub(super) async fn statements(
    store: &Store,
    guild: u64,
) -> Result<Vec<TeamStatement>, StoreError> {
    Ok(store
        .team_entries(guild, Some(TeamKind::Statement))
        .await?
        .iter()
        .filter_map(|entry| TeamBody::of_entry(entry)?.into_statement())
        .collect())
}

/// Which of `theirs` a random pick among ours (`bundled` of them) and theirs lands on, never
/// `after` again; `None`: one of ours, which the caller draws as it always has.
pub fn drawn<'t>(
    bundled: usize,
    theirs: &'t [TheirScenario],
    after: &str,
    rng: &mut impl Rng,
) -> Option<&'t TheirScenario> {
    let ids: Vec<String> = theirs.iter().map(|t| t.id.clone()).collect();
    pick_team_scenario(bundled, &ids, after, rng).map(|i| &theirs[i])
}
