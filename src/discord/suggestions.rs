//! Members' suggestions: the `/suggest` form's submit (checked, held to the limits, posted for
//! review in the channel the admins chose, never anywhere public), and the reviewers' buttons
//! on the review post (approve, edit and approve, decline), decided once in the database.

use poise::serenity_prelude as serenity;
use serenity::{ComponentInteraction, CreateInteractionResponse, ModalInteraction};

use super::convert::{channel_message, interaction_message, no_mentions};
use super::team::{add, answer, typed_body};
use super::{BotError, Data};
use crate::content::team::{
    Known, TeamBody, MAX_SUGGESTIONS_PER_DAY, MAX_WAITING_PER_MEMBER, MAX_WAITING_PER_SERVER,
};
use crate::model::team::{Suggestion, SuggestionStatus, TeamKind};
use crate::reply::team::{self as words, form};
use crate::reply::{said, CustomId, TeamForm, Verdict};
use crate::store::NewSuggestion;

/// A day, for the per-member limit.
const DAY: jiff::SignedDuration = jiff::SignedDuration::from_hours(24);

/// A member's submitted suggestion: checked, counted against the limits, stored and posted for
/// review; the member is told privately.
pub(crate) async fn submitted(
    ctx: &serenity::Context,
    modal: &ModalInteraction,
    data: &Data,
    guild: u64,
    kind: TeamKind,
    pick: &str,
) -> Result<(), BotError> {
    let review = data
        .store
        .review_settings(guild)
        .await?
        .ok_or_else(|| BotError::user(words::NO_REVIEW_CHANNEL))?;
    let body = typed_body(modal, kind, pick)?;
    let problems = body.problems();
    if !problems.is_empty() {
        return Err(BotError::user(words::invalid(&problems)));
    }
    let member = modal.user.id.get();
    let now = data.clock.now();
    let counts = data
        .store
        .suggestion_counts(guild, member, now - DAY)
        .await?;
    if counts.server_waiting >= MAX_WAITING_PER_SERVER {
        return Err(BotError::user(words::server_queue_full(
            MAX_WAITING_PER_SERVER,
        )));
    }
    if counts.member_waiting >= MAX_WAITING_PER_MEMBER {
        return Err(BotError::user(words::too_many_waiting(
            counts.member_waiting,
            MAX_WAITING_PER_MEMBER,
        )));
    }
    if counts.member_recent >= MAX_SUGGESTIONS_PER_DAY {
        let again = counts.oldest_recent.unwrap_or(now) + DAY;
        return Err(BotError::user(words::too_many_today(
            MAX_SUGGESTIONS_PER_DAY,
            again,
        )));
    }
    let name = modal
        .member
        .as_ref()
        .and_then(|m| m.nick.clone())
        .or_else(|| modal.user.global_name.clone())
        .unwrap_or_else(|| modal.user.name.clone());
    let fields = body.to_json();
    let id = data
        .store
        .add_suggestion(
            &NewSuggestion {
                guild_id: guild,
                kind,
                fields: &fields,
                member_id: member,
                member_name: &name,
            },
            now,
        )
        .await?;
    let held: Vec<TeamBody> = super::team::entries(data, guild, Some(kind))
        .await?
        .into_iter()
        .map(|(_, body)| body)
        .collect();
    let known = Known::new(&data.content(), &held);
    let post = words::review_post(id, &body, member, &name, known.resembled(&body));
    let sent = serenity::ChannelId::new(review.channel_id)
        .send_message(&ctx.http, channel_message(&post, no_mentions()))
        .await?;
    data.store.set_review_message(id, sent.id.get()).await?;
    answer(ctx, modal, &words::suggestion_sent()).await
}

/// Whether the member who clicked may decide: Manage Server, or the server's reviewer role.
async fn is_reviewer(
    data: &Data,
    guild: u64,
    member: Option<&serenity::Member>,
) -> Result<bool, BotError> {
    super::manages_or_holds(member, async {
        Ok(data
            .store
            .review_settings(guild)
            .await?
            .and_then(|r| r.reviewer_role_id))
    })
    .await
}

/// The suggestion a review button or form names, with its texts.
async fn named(data: &Data, guild: u64, id: i64) -> Result<(Suggestion, TeamBody), BotError> {
    let suggestion = data
        .store
        .suggestion(guild, id)
        .await?
        .ok_or_else(|| BotError::user(words::NO_SUCH_ENTRY))?;
    let body = TeamBody::from_json(suggestion.kind, &suggestion.fields)
        .map_err(|e| crate::store::StoreError::Corrupt(format!("suggestion {id}: {e}")))?;
    Ok((suggestion, body))
}

/// The words for a suggestion someone decided first.
fn decided_before(suggestion: &Suggestion) -> BotError {
    BotError::user(words::already_decided(
        suggestion.status == SuggestionStatus::Approved,
        suggestion.decided_by,
    ))
}

/// A click on a review post's button.
pub(crate) async fn review(
    ctx: &serenity::Context,
    component: &ComponentInteraction,
    data: &Data,
    id: i64,
    verdict: Verdict,
) -> Result<(), BotError> {
    let guild = component
        .guild_id
        .map(|g| g.get())
        .ok_or_else(|| BotError::user(said::GUILD_ONLY))?;
    if !is_reviewer(data, guild, component.member.as_ref()).await? {
        return Err(BotError::user(words::ONLY_REVIEWERS));
    }
    let (suggestion, body) = named(data, guild, id).await?;
    if suggestion.status != SuggestionStatus::Waiting {
        return Err(decided_before(&suggestion));
    }
    let reviewer = component.user.id.get();
    let approved = match verdict {
        Verdict::EditAndApprove => {
            let custom_id = CustomId::Team(TeamForm::Review { id }).encode();
            let form = form(suggestion.kind, custom_id, Some(&body));
            component
                .create_response(
                    &ctx.http,
                    CreateInteractionResponse::Modal(super::convert::modal(&form)),
                )
                .await?;
            return Ok(());
        }
        Verdict::Approve => decide(data, &suggestion, &body, true, reviewer).await?,
        Verdict::Decline => decide(data, &suggestion, &body, false, reviewer).await?,
    };
    let now = data.clock.now();
    let post = words::review_decided(&body, &suggestion.member_name, approved, reviewer, now);
    component
        .create_response(
            &ctx.http,
            CreateInteractionResponse::UpdateMessage(
                interaction_message(&post).components(Vec::new()),
            ),
        )
        .await?;
    Ok(())
}

/// Claims the decision and, on approval, adds the entry credited to the member; whether it
/// was approved. The claim comes first, so of two reviewers at once only one adds it.
async fn decide(
    data: &Data,
    suggestion: &Suggestion,
    body: &TeamBody,
    approve: bool,
    reviewer: u64,
) -> Result<bool, BotError> {
    let guild = suggestion.guild_id;
    let status = if approve {
        SuggestionStatus::Approved
    } else {
        SuggestionStatus::Declined
    };
    let won = data
        .store
        .decide_suggestion(guild, suggestion.id, status, reviewer, data.clock.now())
        .await?;
    if !won {
        let (now, _) = named(data, guild, suggestion.id).await?;
        return Err(decided_before(&now));
    }
    if approve {
        add(
            data,
            guild,
            std::slice::from_ref(body),
            reviewer,
            Some(&suggestion.member_name),
        )
        .await?;
    }
    Ok(approve)
}

/// The reviewer's texts from "Edit and approve": checked, approved, and the review post edited.
pub(crate) async fn edited(
    ctx: &serenity::Context,
    modal: &ModalInteraction,
    data: &Data,
    guild: u64,
    id: i64,
) -> Result<(), BotError> {
    if !is_reviewer(data, guild, modal.member.as_ref()).await? {
        return Err(BotError::user(words::ONLY_REVIEWERS));
    }
    let (suggestion, original) = named(data, guild, id).await?;
    if suggestion.status != SuggestionStatus::Waiting {
        return Err(decided_before(&suggestion));
    }
    let body = typed_body(modal, suggestion.kind, &original.pick())?;
    let problems = body.problems();
    if !problems.is_empty() {
        return Err(BotError::user(words::invalid(&problems)));
    }
    let reviewer = modal.user.id.get();
    decide(data, &suggestion, &body, true, reviewer).await?;
    if let (Some(message), Some(review)) = (
        suggestion.review_message_id,
        data.store.review_settings(guild).await?,
    ) {
        let post = words::review_decided(
            &body,
            &suggestion.member_name,
            true,
            reviewer,
            data.clock.now(),
        );
        let edit = serenity::EditMessage::new()
            .content(post.text.clone().unwrap_or_default())
            .embeds(post.embeds.iter().map(super::convert::embed).collect())
            .components(Vec::new())
            .allowed_mentions(no_mentions());
        serenity::ChannelId::new(review.channel_id)
            .edit_message(&ctx.http, serenity::MessageId::new(message), edit)
            .await?;
    }
    answer(ctx, modal, &words::decided_note(true)).await
}
