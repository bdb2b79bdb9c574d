//! Discord's documented limits, named once.
//!
//! Content validation, reply building and poll building all check against these, so a
//! message that would be refused by Discord is caught when content is loaded or a poll is
//! built, not when a person is waiting for an answer. Values are from Discord's API reference
//! (`../shared/discord-api-spec/openapi.json` and the channel/interaction docs).

/// Plain message content.
pub const MESSAGE_CONTENT: usize = 2000;
/// Embeds in one message.
pub const EMBEDS_PER_MESSAGE: usize = 10;
/// Embed title.
pub const EMBED_TITLE: usize = 256;
/// Embed description.
pub const EMBED_DESCRIPTION: usize = 4096;
/// Fields in one embed.
pub const EMBED_FIELDS: usize = 25;
/// Embed field name.
pub const EMBED_FIELD_NAME: usize = 256;
/// Embed field value.
pub const EMBED_FIELD_VALUE: usize = 1024;
/// Embed footer text.
pub const EMBED_FOOTER: usize = 2048;
/// Sum of title, description, field names and values, and footer over all embeds of a message.
pub const EMBED_TOTAL: usize = 6000;

/// Files attached to one message.
pub const ATTACHMENTS_PER_MESSAGE: usize = 10;
/// An attachment's file name.
pub const ATTACHMENT_NAME: usize = 1024;
/// Bytes one message may upload in a server without boosts (Discord's smallest upload limit).
pub const UPLOAD_BYTES: usize = 10 * 1024 * 1024;

/// Autocomplete: suggestions in one answer.
pub const AUTOCOMPLETE_CHOICES: usize = 25;
/// Autocomplete: a suggestion's name (what the person sees).
pub const CHOICE_NAME: usize = 100;

/// Button label.
pub const BUTTON_LABEL: usize = 80;
/// A component's custom id.
pub const CUSTOM_ID: usize = 100;
/// Buttons in one action row.
pub const BUTTONS_PER_ROW: usize = 5;
/// Characters in a select menu's placeholder.
pub const SELECT_PLACEHOLDER: usize = 150;
/// Characters in a select menu option's label.
pub const SELECT_OPTION_LABEL: usize = 100;
/// Options in one select menu.
pub const SELECT_OPTIONS: usize = 25;
/// Action rows in one message.
pub const ACTION_ROWS: usize = 5;

/// A form's (modal's) text box: the most characters it lets a person type.
pub const TEXT_INPUT: usize = 4000;
/// A form's title.
pub const MODAL_TITLE: usize = 45;
/// A form text box's label.
pub const TEXT_INPUT_LABEL: usize = 45;

/// A thread's name.
pub const THREAD_NAME: usize = 100;

/// Poll question text.
pub const POLL_QUESTION: usize = 300;
/// Poll answer text.
pub const POLL_ANSWER: usize = 55;
/// Fewest answers a poll of ours offers (a one-answer poll asks nothing).
pub const POLL_MIN_ANSWERS: usize = 2;
/// Most answers in one poll.
pub const POLL_MAX_ANSWERS: usize = 10;
/// Shortest poll Discord accepts, in hours.
pub const POLL_MIN_HOURS: u32 = 1;
/// Longest poll Discord accepts, in hours (32 days).
pub const POLL_MAX_HOURS: u32 = 768;
/// Shortest poll the bot runs, in minutes. Our own rule, not Discord's: Discord's shortest poll
/// is an hour, so the bot creates shorter ones with an hour and ends them itself.
pub const POLL_MIN_MINUTES: u64 = 1;
/// Longest poll the bot runs, in days. Our own rule, well inside Discord's 32 days: a team
/// question that stays open longer than a week has stopped being a pulse.
pub const POLL_MAX_DAYS: u64 = 7;
