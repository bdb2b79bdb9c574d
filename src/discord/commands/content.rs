//! `/content`: a server's own tips, scenarios and pulse statements (admins). Adding and editing
//! open a form (`discord::team` saves its submit); the rest answer at once, privately.

use poise::serenity_prelude as serenity;

use super::{guild, send};
use crate::content::team::{self as rules, TeamBody, EXPORT_FILE};
use crate::content::{Calls, PulseSide};
use crate::discord::team::{entries, open_form};
use crate::discord::{BotError, Context, SlashContext};
use crate::model::server::ContentMix;
use crate::model::team::{item_id, parse_item_id, TeamKind};
use crate::reply::team::{self as words, form};
use crate::reply::{autocomplete, CustomId, TeamForm};

/// Your server's own tips, scenarios and pulse statements.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("add", "edit", "remove", "list", "mix", "export", "import"),
    subcommand_required
)]
pub async fn content(_ctx: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

/// Add a tip, scenario or pulse statement of your own.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("add_tip", "add_scenario", "add_statement"),
    subcommand_required
)]
pub async fn add(_ctx: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

async fn open_add(ctx: SlashContext<'_>, kind: TeamKind, pick: String) -> Result<(), BotError> {
    let id = CustomId::Team(TeamForm::Add { kind, pick }).encode();
    open_form(ctx, &form(kind, id, None)).await
}

/// Add a tip: a form asks its title and text.
#[poise::command(slash_command, guild_only, rename = "tip")]
pub async fn add_tip(ctx: SlashContext<'_>) -> Result<(), BotError> {
    open_add(ctx, TeamKind::Tip, String::new()).await
}

/// What a moment calls for, as the command offers it.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum CallsChoice {
    Leading,
    Managing,
    Both,
}

impl From<CallsChoice> for Calls {
    fn from(choice: CallsChoice) -> Calls {
        match choice {
            CallsChoice::Leading => Calls::Leading,
            CallsChoice::Managing => Calls::Managing,
            CallsChoice::Both => Calls::Both,
        }
    }
}

/// Add a scenario: a form asks the situation and what leading and managing would do.
#[poise::command(slash_command, guild_only, rename = "scenario")]
pub async fn add_scenario(
    ctx: SlashContext<'_>,
    #[description = "What the moment calls for most"] calls: CallsChoice,
) -> Result<(), BotError> {
    let calls = Calls::from(calls);
    open_add(ctx, TeamKind::Scenario, calls.id().to_string()).await
}

/// Which side a pulse statement counts toward.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum SideChoice {
    Leading,
    Managing,
}

/// Add a pulse statement: a form asks its text.
#[poise::command(slash_command, guild_only, rename = "statement")]
pub async fn add_statement(
    ctx: SlashContext<'_>,
    #[description = "The side its score counts toward"] side: SideChoice,
    #[description = "Worded negatively, so agreeing is the bad outcome (default no)"]
    reversed: Option<bool>,
) -> Result<(), BotError> {
    let side = match side {
        SideChoice::Leading => PulseSide::Leading,
        SideChoice::Managing => PulseSide::Managing,
    };
    let mut pick = side.label().to_lowercase();
    if reversed.unwrap_or(false) {
        pick.push_str("-reversed");
    }
    open_add(ctx, TeamKind::Statement, pick).await
}

/// The server's entries as autocomplete choices.
async fn own_entries(ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    let listed = match guild(ctx) {
        Ok(guild) => entries(ctx.data(), guild, None).await.unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    let named: Vec<(String, String)> = listed
        .iter()
        .map(|(entry, body)| {
            (
                item_id(entry.id),
                words::choice_name(entry.kind, body.headline()),
            )
        })
        .collect();
    let choices = autocomplete::rank(
        named
            .iter()
            .map(|(value, name)| (value.as_str(), name.as_str())),
        partial,
    );
    serenity::CreateAutocompleteResponse::new().set_choices(
        choices
            .into_iter()
            .map(|c| serenity::AutocompleteChoice::new(c.name, c.value))
            .collect(),
    )
}

/// The store id of the entry an `entry` option names.
fn chosen(entry: &str) -> Result<i64, BotError> {
    parse_item_id(entry).ok_or_else(|| BotError::user(words::NO_SUCH_ENTRY))
}

/// Change one of your entries: a form opens with its texts.
#[poise::command(slash_command, guild_only)]
pub async fn edit(
    ctx: SlashContext<'_>,
    #[description = "The entry to change"]
    #[autocomplete = "own_entries"]
    entry: String,
) -> Result<(), BotError> {
    let guild = guild(ctx.into())?;
    let id = chosen(&entry)?;
    let stored = ctx
        .data()
        .store
        .team_entry(guild, id)
        .await?
        .ok_or_else(|| BotError::user(words::NO_SUCH_ENTRY))?;
    let body = crate::discord::team::decode(&stored)?;
    let custom_id = CustomId::Team(TeamForm::Edit { id }).encode();
    open_form(ctx, &form(stored.kind, custom_id, Some(&body))).await
}

/// Remove one of your entries: it is never posted again.
#[poise::command(slash_command, guild_only)]
pub async fn remove(
    ctx: Context<'_>,
    #[description = "The entry to remove"]
    #[autocomplete = "own_entries"]
    entry: String,
) -> Result<(), BotError> {
    let guild = guild(ctx)?;
    let id = chosen(&entry)?;
    let store = &ctx.data().store;
    let stored = store
        .team_entry(guild, id)
        .await?
        .ok_or_else(|| BotError::user(words::NO_SUCH_ENTRY))?;
    let body = crate::discord::team::decode(&stored)?;
    if !store.remove_team_entry(guild, id).await? {
        return Err(BotError::user(words::NO_SUCH_ENTRY));
    }
    send(ctx, words::removed(stored.kind, body.headline())).await
}

/// The kinds `/content list` can show.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum KindChoice {
    Tips,
    Scenarios,
    #[name = "Pulse statements"]
    Statements,
}

impl From<KindChoice> for TeamKind {
    fn from(choice: KindChoice) -> TeamKind {
        match choice {
            KindChoice::Tips => TeamKind::Tip,
            KindChoice::Scenarios => TeamKind::Scenario,
            KindChoice::Statements => TeamKind::Statement,
        }
    }
}

/// List your own entries, newest last, with who added them and when.
#[poise::command(slash_command, guild_only)]
pub async fn list(
    ctx: Context<'_>,
    #[description = "Only this kind (default all)"] kind: Option<KindChoice>,
    #[description = "Which page (default 1)"]
    #[min = 1]
    #[max = 100]
    page: Option<u32>,
) -> Result<(), BotError> {
    let guild = guild(ctx)?;
    let kind = kind.map(TeamKind::from);
    let listed = entries(ctx.data(), guild, kind).await?;
    let page = usize::try_from(page.unwrap_or(1).saturating_sub(1)).unwrap_or(0);
    send(ctx, words::list_page(kind, &listed, page)).await
}

/// Where the daily tip draws from, as the command offers it.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum MixChoice {
    #[name = "Bundled and ours (default)"]
    Both,
    #[name = "Ours only"]
    TeamOnly,
    #[name = "Bundled only"]
    BundledOnly,
}

/// Choose whether the daily tip draws from the bundled tips, your own, or both.
#[poise::command(slash_command, guild_only)]
pub async fn mix(
    ctx: Context<'_>,
    #[description = "Which tips the daily tip draws from"] draws: MixChoice,
) -> Result<(), BotError> {
    let guild = guild(ctx)?;
    let data = ctx.data();
    let mix = match draws {
        MixChoice::Both => ContentMix::Both,
        MixChoice::TeamOnly => ContentMix::TeamOnly,
        MixChoice::BundledOnly => ContentMix::BundledOnly,
    };
    let settings = crate::model::server::ServerSettings {
        content_mix: mix,
        ..data.store.server(guild).await?
    };
    data.store.save_server(&settings, data.clock.now()).await?;
    send(ctx, words::mix_set(mix)).await
}

/// Download your own entries as a file in the shape of bridgebot's content files.
#[poise::command(slash_command, guild_only)]
pub async fn export(ctx: Context<'_>) -> Result<(), BotError> {
    let guild = guild(ctx)?;
    let listed = entries(ctx.data(), guild, None).await?;
    let bodies: Vec<TeamBody> = listed.into_iter().map(|(_, body)| body).collect();
    send(
        ctx,
        words::export(EXPORT_FILE, rules::to_toml(&bodies), bodies.len()),
    )
    .await
}

/// Add entries from a file shaped like `/content export`'s: all of it, or nothing.
#[poise::command(slash_command, guild_only)]
pub async fn import(
    ctx: Context<'_>,
    #[description = "The .toml file, as /content export gives it"] file: serenity::Attachment,
) -> Result<(), BotError> {
    let guild = guild(ctx)?;
    let unreadable = |why: String| BotError::user(words::unreadable_file(&why));
    if !file.filename.to_lowercase().ends_with(".toml") {
        return Err(unreadable(words::not_toml(&file.filename)));
    }
    let size = usize::try_from(file.size).unwrap_or(usize::MAX);
    if size > rules::MAX_IMPORT_BYTES {
        return Err(unreadable(format!("the file is {} KB", size / 1024)));
    }
    // Fetching the file can take longer than Discord waits for a first answer.
    ctx.defer_ephemeral().await?;
    let data = ctx.data();
    let bytes = data
        .rest
        .download(&file.url, rules::MAX_IMPORT_BYTES)
        .await
        .map_err(|error| unreadable(error.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|_| unreadable("the file is not text".into()))?;
    let held: Vec<TeamBody> = crate::discord::team::entries(data, guild, None)
        .await?
        .into_iter()
        .map(|(_, body)| body)
        .collect();
    let known = rules::Known::new(&data.content(), &held);
    let bodies = match rules::import(&file.filename, &text, known) {
        Ok(bodies) => bodies,
        Err(problems) => return send(ctx, words::not_imported(&problems)).await,
    };
    crate::discord::team::check_new(data, guild, &bodies, None).await?;
    let added =
        crate::discord::team::add(data, guild, &bodies, ctx.author().id.get(), None).await?;
    send(ctx, words::imported(added.len())).await
}

/// Delete everything bridgebot keeps about this server, now (asks you to confirm).
#[poise::command(slash_command, guild_only, rename = "forget-server")]
pub async fn forget_server(ctx: Context<'_>) -> Result<(), BotError> {
    let guild = guild(ctx)?;
    send(ctx, words::forget_asked(guild)).await
}

/// Suggest a tip or scenario for this server; reviewers decide before anyone sees it.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("suggest_tip", "suggest_scenario"),
    subcommand_required
)]
pub async fn suggest(_ctx: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

async fn open_suggestion(
    ctx: SlashContext<'_>,
    kind: TeamKind,
    pick: String,
) -> Result<(), BotError> {
    let guild = guild(ctx.into())?;
    if ctx.data().store.review_settings(guild).await?.is_none() {
        return Err(BotError::user(words::NO_REVIEW_CHANNEL));
    }
    let id = CustomId::Team(TeamForm::Suggest { kind, pick }).encode();
    open_form(ctx, &form(kind, id, None)).await
}

/// Suggest a tip: a form asks its title and text.
#[poise::command(slash_command, guild_only, rename = "tip")]
pub async fn suggest_tip(ctx: SlashContext<'_>) -> Result<(), BotError> {
    open_suggestion(ctx, TeamKind::Tip, String::new()).await
}

/// Suggest a scenario: a form asks the situation and what leading and managing would do.
#[poise::command(slash_command, guild_only, rename = "scenario")]
pub async fn suggest_scenario(
    ctx: SlashContext<'_>,
    #[description = "What the moment calls for most"] calls: CallsChoice,
) -> Result<(), BotError> {
    let calls = Calls::from(calls);
    open_suggestion(ctx, TeamKind::Scenario, calls.id().to_string()).await
}

/// Where members' suggestions are reviewed (admins).
#[poise::command(slash_command, guild_only, subcommands("setup"), subcommand_required)]
pub async fn suggestions(_ctx: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

/// Choose the channel where suggestions are reviewed, and a reviewer role besides Manage Server.
#[poise::command(slash_command, guild_only)]
pub async fn setup(
    ctx: Context<'_>,
    #[description = "The channel review posts go to (keep it to reviewers)"]
    #[channel_types("Text")]
    channel: serenity::PartialChannel,
    #[description = "A role whose members may decide too (default: Manage Server only)"]
    reviewer_role: Option<serenity::Role>,
) -> Result<(), BotError> {
    let guild = guild(ctx)?;
    let data = ctx.data();
    let role = reviewer_role.map(|r| r.id.get()).filter(|r| *r != guild);
    let settings = crate::model::team::ReviewSettings {
        channel_id: channel.id.get(),
        reviewer_role_id: role,
    };
    data.store
        .save_review_settings(guild, settings, data.clock.now())
        .await?;
    send(ctx, words::review_set(settings.channel_id, role)).await
}
