//! A server's focuses as `/pulse focus` shows them: each with how the team rated it in the
//! follow-up of the pulse after it (read from that pulse's counts: nothing per member).

use crate::pulse::stats::Counts;
use crate::reply::pulse_focus::{follow_up_id, FocusLine, FollowUp};
use crate::store::{Store, StoreError};

/// How many closed pulses are searched for the follow-ups of the focuses shown.
const PULSES_SEARCHED: u32 = 60;

/// The server's last `count` focuses, latest first, with their follow-ups; a follow-up from
/// fewer than `min_responses` answers is withheld.
pub async fn focus_lines(
    store: &Store,
    guild: u64,
    count: u32,
    min_responses: u32,
) -> Result<Vec<FocusLine>, StoreError> {
    let closed = store.closed_pulses(guild, PULSES_SEARCHED).await?;
    let mut lines = Vec::new();
    for focus in store.focuses(guild, count).await? {
        let Some(chosen_from) = store.pulse(focus.pulse_id).await? else {
            continue;
        };
        let id = follow_up_id(&focus.action);
        let asked = closed
            .iter()
            .filter(|p| p.week > chosen_from.week)
            .min_by_key(|p| p.week)
            .filter(|p| p.statements.contains(&id));
        let follow_up = match asked {
            None => FollowUp::NotYet,
            Some(pulse) if pulse.responses < min_responses => FollowUp::Withheld,
            Some(pulse) => store
                .pulse_counts(pulse.id)
                .await?
                .into_iter()
                .find(|(statement, _)| *statement == id)
                .and_then(|(_, counts)| Counts(counts).average())
                .map_or(FollowUp::Withheld, FollowUp::Rated),
        };
        lines.push(FocusLine {
            week: chosen_from.week,
            statement_id: focus.statement_id,
            action: focus.action,
            follow_up,
        });
    }
    Ok(lines)
}
