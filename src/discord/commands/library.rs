//! The content commands: contrasts, traits, similarities, examples, quotes, questions,
//! scenarios, help.
//!
//! Each one only names its [`Request`]; what to answer is decided in `reply`.

use poise::serenity_prelude as serenity;

use crate::content::{Side, TraitKind};
use crate::discord::{answers, BotError, Context, SlashContext};
use crate::reply::{autocomplete, Request};

/// Answers `request` from the loaded content.
async fn respond(ctx: SlashContext<'_>, request: Request<'_>) -> Result<(), BotError> {
    let data = ctx.data();
    let answer = data
        .answers
        .reply(&data.content(), request, &mut rand::rng())?;
    answers::respond(ctx, &answer).await
}

fn suggestions(choices: Vec<autocomplete::Choice>) -> serenity::CreateAutocompleteResponse {
    serenity::CreateAutocompleteResponse::new().set_choices(
        choices
            .into_iter()
            .map(|c| serenity::AutocompleteChoice::new(c.name, c.value))
            .collect(),
    )
}

async fn topics(ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    suggestions(autocomplete::contrasts(&ctx.data().content(), partial))
}

async fn example_names(ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    suggestions(autocomplete::examples(&ctx.data().content(), partial))
}

async fn questions(ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    suggestions(autocomplete::questions(&ctx.data().content(), partial))
}

async fn scenario_names(ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    let guild = ctx.guild_id().map(|g| g.get());
    suggestions(crate::discord::team_scenarios::choices(ctx.data(), guild, partial).await)
}

/// Which side's list to show.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum SideChoice {
    Leader,
    Manager,
}

impl From<SideChoice> for Side {
    fn from(choice: SideChoice) -> Side {
        match choice {
            SideChoice::Leader => Side::Leader,
            SideChoice::Manager => Side::Manager,
        }
    }
}

/// Which list of a side to show.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum TraitKindChoice {
    Characteristics,
    Skills,
}

impl From<TraitKindChoice> for TraitKind {
    fn from(choice: TraitKindChoice) -> TraitKind {
        match choice {
            TraitKindChoice::Characteristics => TraitKind::Characteristic,
            TraitKindChoice::Skills => TraitKind::Skill,
        }
    }
}

/// One difference between leading and managing, with both sides.
#[poise::command(slash_command)]
pub async fn contrast(
    ctx: SlashContext<'_>,
    #[description = "Which contrast (leave empty for a random one)"]
    #[autocomplete = "topics"]
    topic: Option<String>,
) -> Result<(), BotError> {
    respond(
        ctx,
        Request::Contrast {
            topic: topic.as_deref(),
        },
    )
    .await
}

/// What leaders or managers are known for: characteristics and skills.
#[poise::command(slash_command)]
pub async fn traits(
    ctx: SlashContext<'_>,
    #[description = "Leader or manager"] side: SideChoice,
    #[description = "Characteristics or skills (leave empty for both, in short)"] kind: Option<
        TraitKindChoice,
    >,
) -> Result<(), BotError> {
    respond(
        ctx,
        Request::Traits {
            side: side.into(),
            kind: kind.map(Into::into),
        },
    )
    .await
}

/// What leading and managing have in common.
#[poise::command(slash_command)]
pub async fn similarities(ctx: SlashContext<'_>) -> Result<(), BotError> {
    respond(ctx, Request::Similarities).await
}

/// A worked example of leading and managing side by side.
#[poise::command(slash_command)]
pub async fn example(
    ctx: SlashContext<'_>,
    #[description = "Which example (leave empty for a random one)"]
    #[autocomplete = "example_names"]
    name: Option<String>,
) -> Result<(), BotError> {
    respond(
        ctx,
        Request::Example {
            name: name.as_deref(),
        },
    )
    .await
}

/// An attributed quote on leading and managing.
#[poise::command(slash_command)]
pub async fn quote(ctx: SlashContext<'_>) -> Result<(), BotError> {
    respond(ctx, Request::Quote).await
}

/// Answers to questions people ask about leading and managing.
#[poise::command(slash_command)]
pub async fn faq(
    ctx: SlashContext<'_>,
    #[description = "Which question (leave empty to see them all)"]
    #[autocomplete = "questions"]
    question: Option<String>,
) -> Result<(), BotError> {
    respond(
        ctx,
        Request::Faq {
            question: question.as_deref(),
        },
    )
    .await
}

/// A situation to talk over: does it call for leading, managing, or both?
#[poise::command(slash_command)]
pub async fn scenario(
    ctx: SlashContext<'_>,
    #[description = "Which scenario (leave empty for a random one)"]
    #[autocomplete = "scenario_names"]
    name: Option<String>,
) -> Result<(), BotError> {
    let guild = ctx.guild_id().map(|g| g.get());
    let data = ctx.data();
    if let Some(theirs) =
        crate::discord::team_scenarios::for_command(data, guild, name.as_deref()).await?
    {
        return answers::respond(ctx, &answers::Serialized::now(&theirs)?).await;
    }
    respond(
        ctx,
        Request::Scenario {
            name: name.as_deref(),
        },
    )
    .await
}

/// What bridgebot is for, where to start, and its commands by group.
#[poise::command(slash_command)]
pub async fn help(ctx: SlashContext<'_>) -> Result<(), BotError> {
    let owners = &ctx.framework().options().owners;
    let interaction = ctx.interaction;
    let viewer = crate::discord::access(
        ctx.data(),
        interaction.user.id,
        interaction.member.as_ref().and_then(|m| m.permissions),
        owners.contains(&interaction.user.id),
    );
    respond(
        ctx,
        Request::Help {
            commands: &ctx.data().command_infos,
            page: crate::reply::HelpPage {
                group: crate::reply::HelpGroup::Start,
                viewer,
            },
        },
    )
    .await
}
