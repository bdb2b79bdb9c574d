//! Discord's documented limits, checked on every body the bot sends.
//!
//! Discord answers an over-long embed or an 11th poll answer with `400 Invalid Form Body`, and
//! it happily pings @everyone if a message allows it: neither shows up in a unit test. Every
//! body that carries message data goes through `check_message` (and its siblings for
//! autocomplete results, modals and command registration). Each finding is a `Problem`:
//! either one Discord itself rejects (the fake then answers 400 like Discord), or a rule of
//! this project (allowed_mentions must be explicit and must not reach @everyone or roles),
//! which Discord would accept but the test suite must not.
//!
//! Lengths are counted in Unicode code points, as Discord counts them.

use std::collections::{BTreeSet, HashSet};

use serde_json::Value;

/// Maximum characters of message content.
pub const CONTENT_MAX: usize = 2000;
/// Maximum embeds in one message.
pub const EMBEDS_MAX: usize = 10;
/// Maximum characters of an embed title.
pub const EMBED_TITLE_MAX: usize = 256;
/// Maximum characters of an embed description.
pub const EMBED_DESCRIPTION_MAX: usize = 4096;
/// Maximum fields in one embed.
pub const EMBED_FIELDS_MAX: usize = 25;
/// Maximum characters of an embed field name.
pub const EMBED_FIELD_NAME_MAX: usize = 256;
/// Maximum characters of an embed field value.
pub const EMBED_FIELD_VALUE_MAX: usize = 1024;
/// Maximum characters of an embed footer text.
pub const EMBED_FOOTER_MAX: usize = 2048;
/// Maximum characters of an embed author name.
pub const EMBED_AUTHOR_MAX: usize = 256;
/// Maximum characters of title, description, field names and values, footer text and author
/// name, summed over all embeds of a message.
pub const EMBED_TOTAL_MAX: usize = 6000;
/// Maximum action rows in a message.
pub const ACTION_ROWS_MAX: usize = 5;
/// Maximum components (buttons) in one action row.
pub const ROW_COMPONENTS_MAX: usize = 5;
/// Maximum characters of a button label.
pub const BUTTON_LABEL_MAX: usize = 80;
/// Maximum characters of a component custom_id.
pub const CUSTOM_ID_MAX: usize = 100;
/// Maximum characters of a poll question.
pub const POLL_QUESTION_MAX: usize = 300;
/// Maximum answers of a poll.
pub const POLL_ANSWERS_MAX: usize = 10;
/// Maximum characters of a poll answer.
pub const POLL_ANSWER_MAX: usize = 55;
/// Maximum poll duration in hours (32 days).
pub const POLL_DURATION_MAX_HOURS: u64 = 768;
/// Maximum files uploaded with one message.
pub const MAX_FILES: usize = 10;
/// Maximum autocomplete choices.
pub const AUTOCOMPLETE_CHOICES_MAX: usize = 25;
/// Maximum characters of an autocomplete choice name (and of a string choice value).
pub const CHOICE_NAME_MAX: usize = 100;

/// One finding about a body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Problem {
    /// Human-readable, with the JSON path: `embeds[0].title is 300 characters (max 256)`.
    pub(crate) reason: String,
    /// Whether Discord itself answers such a body with 400 Invalid Form Body.
    pub(crate) discord_rejects: bool,
}

/// Whether a message body creates a message (and may therefore ping) or edits one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MessageMode {
    /// A new message: content must not be empty and allowed_mentions must be present.
    Create,
    /// An edit: fields are optional, polls cannot be added.
    Edit,
}

/// Accumulates problems, with the JSON path as context.
#[derive(Default)]
struct Findings(Vec<Problem>);

impl Findings {
    fn reject(&mut self, reason: String) {
        self.0.push(Problem {
            reason,
            discord_rejects: true,
        });
    }

    fn policy(&mut self, reason: String) {
        self.0.push(Problem {
            reason,
            discord_rejects: false,
        });
    }

    /// Rejects `value` at `path` if it is a string longer than `max` (or shorter than `min`).
    fn length(&mut self, path: &str, value: Option<&Value>, min: usize, max: usize) -> usize {
        let Some(text) = value.and_then(Value::as_str) else {
            if min > 0 {
                self.reject(format!(
                    "{path} is missing (must be {min} to {max} characters)"
                ));
            }
            return 0;
        };
        let len = chars(text);
        if len > max {
            self.reject(format!("{path} is {len} characters (max {max})"));
        } else if len < min {
            self.reject(format!("{path} is {len} characters (min {min})"));
        }
        len
    }
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

fn array(value: Option<&Value>) -> &[Value] {
    value.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

fn non_empty_str(value: Option<&Value>) -> bool {
    value.and_then(Value::as_str).is_some_and(|s| !s.is_empty())
}

/// Checks a message body (create or edit): content, embeds, components, poll, allowed_mentions.
///
/// `allowed_roles` are the roles a test declared mentionable with
/// [`crate::FakeDiscord::allow_role_mention`].
pub(crate) fn check_message(
    body: &Value,
    mode: MessageMode,
    allowed_roles: &BTreeSet<u64>,
) -> Vec<Problem> {
    let mut f = Findings::default();
    f.length("content", body.get("content"), 0, CONTENT_MAX);
    check_embeds(&mut f, array(body.get("embeds")));
    check_components(&mut f, array(body.get("components")));
    match (body.get("poll"), mode) {
        (Some(Value::Null) | None, _) => {}
        (Some(_), MessageMode::Edit) => f.reject("poll: a poll cannot be added by an edit".into()),
        (Some(poll), MessageMode::Create) => check_poll(&mut f, poll),
    }
    if mode == MessageMode::Create && is_empty_message(body) {
        f.reject("message is empty: no content, embeds, poll, components or attachments".into());
    }
    check_allowed_mentions(&mut f, body.get("allowed_mentions"), mode, allowed_roles);
    f.0
}

fn is_empty_message(body: &Value) -> bool {
    let has_poll = body.get("poll").is_some_and(|p| !p.is_null());
    !non_empty_str(body.get("content"))
        && array(body.get("embeds")).is_empty()
        && array(body.get("components")).is_empty()
        && array(body.get("attachments")).is_empty()
        && array(body.get("sticker_ids")).is_empty()
        && !has_poll
}

fn check_embeds(f: &mut Findings, embeds: &[Value]) {
    if embeds.len() > EMBEDS_MAX {
        f.reject(format!(
            "embeds has {} embeds (max {EMBEDS_MAX})",
            embeds.len()
        ));
    }
    let total: usize = embeds
        .iter()
        .enumerate()
        .map(|(i, e)| check_embed(f, i, e))
        .sum();
    if total > EMBED_TOTAL_MAX {
        f.reject(format!(
            "embeds total {total} characters (max {EMBED_TOTAL_MAX})"
        ));
    }
}

/// Checks one embed and returns its characters counted towards the 6000 total.
fn check_embed(f: &mut Findings, i: usize, embed: &Value) -> usize {
    let p = format!("embeds[{i}]");
    let mut total = f.length(
        &format!("{p}.title"),
        embed.get("title"),
        0,
        EMBED_TITLE_MAX,
    );
    total += f.length(
        &format!("{p}.description"),
        embed.get("description"),
        0,
        EMBED_DESCRIPTION_MAX,
    );
    let fields = array(embed.get("fields"));
    if fields.len() > EMBED_FIELDS_MAX {
        f.reject(format!(
            "{p}.fields has {} fields (max {EMBED_FIELDS_MAX})",
            fields.len()
        ));
    }
    for (j, field) in fields.iter().enumerate() {
        let fp = format!("{p}.fields[{j}]");
        total += f.length(
            &format!("{fp}.name"),
            field.get("name"),
            1,
            EMBED_FIELD_NAME_MAX,
        );
        total += f.length(
            &format!("{fp}.value"),
            field.get("value"),
            1,
            EMBED_FIELD_VALUE_MAX,
        );
    }
    if let Some(footer) = embed.get("footer") {
        total += f.length(
            &format!("{p}.footer.text"),
            footer.get("text"),
            1,
            EMBED_FOOTER_MAX,
        );
    }
    if let Some(author) = embed.get("author") {
        total += f.length(
            &format!("{p}.author.name"),
            author.get("name"),
            1,
            EMBED_AUTHOR_MAX,
        );
    }
    total
}

fn check_components(f: &mut Findings, rows: &[Value]) {
    if rows.len() > ACTION_ROWS_MAX {
        f.reject(format!(
            "components has {} action rows (max {ACTION_ROWS_MAX})",
            rows.len()
        ));
    }
    let mut custom_ids = HashSet::new();
    for (i, row) in rows.iter().enumerate() {
        let p = format!("components[{i}]");
        if row.get("type").and_then(Value::as_u64) != Some(1) {
            f.reject(format!("{p} is not an action row (type 1)"));
            continue;
        }
        let children = array(row.get("components"));
        if children.is_empty() || children.len() > ROW_COMPONENTS_MAX {
            f.reject(format!(
                "{p} has {} components (1 to {ROW_COMPONENTS_MAX})",
                children.len()
            ));
        }
        let has_select = children
            .iter()
            .any(|c| is_select(c.get("type").and_then(Value::as_u64)));
        if has_select && children.len() > 1 {
            f.reject(format!(
                "{p}: a select menu must be alone in its action row"
            ));
        }
        for (j, child) in children.iter().enumerate() {
            check_component(f, &format!("{p}.components[{j}]"), child, &mut custom_ids);
        }
    }
}

fn is_select(kind: Option<u64>) -> bool {
    matches!(kind, Some(3 | 5 | 6 | 7 | 8))
}

fn check_component(f: &mut Findings, p: &str, c: &Value, custom_ids: &mut HashSet<String>) {
    let kind = c.get("type").and_then(Value::as_u64);
    match kind {
        Some(2) => check_button(f, p, c, custom_ids),
        k if is_select(k) => {
            check_custom_id(f, p, c, custom_ids);
            f.length(&format!("{p}.placeholder"), c.get("placeholder"), 0, 150);
            if k == Some(3) {
                let options = array(c.get("options"));
                if options.is_empty() || options.len() > 25 {
                    f.reject(format!(
                        "{p}.options has {} options (1 to 25)",
                        options.len()
                    ));
                }
                for (k, o) in options.iter().enumerate() {
                    let op = format!("{p}.options[{k}]");
                    f.length(&format!("{op}.label"), o.get("label"), 1, 100);
                    f.length(&format!("{op}.value"), o.get("value"), 1, 100);
                    f.length(&format!("{op}.description"), o.get("description"), 0, 100);
                }
            }
        }
        other => f.reject(format!(
            "{p} has type {other:?}, not allowed in a message row"
        )),
    }
}

fn check_button(f: &mut Findings, p: &str, c: &Value, custom_ids: &mut HashSet<String>) {
    f.length(&format!("{p}.label"), c.get("label"), 0, BUTTON_LABEL_MAX);
    match c.get("style").and_then(Value::as_u64) {
        Some(5) => {
            if !non_empty_str(c.get("url")) {
                f.reject(format!("{p}: a link button needs a url"));
            }
            if c.get("custom_id").is_some_and(|v| !v.is_null()) {
                f.reject(format!("{p}: a link button cannot have a custom_id"));
            }
        }
        Some(6) => {}
        Some(1..=4) => check_custom_id(f, p, c, custom_ids),
        other => f.reject(format!("{p}.style is {other:?} (1 to 6)")),
    }
}

fn check_custom_id(f: &mut Findings, p: &str, c: &Value, custom_ids: &mut HashSet<String>) {
    f.length(
        &format!("{p}.custom_id"),
        c.get("custom_id"),
        1,
        CUSTOM_ID_MAX,
    );
    if let Some(id) = c.get("custom_id").and_then(Value::as_str) {
        if !custom_ids.insert(id.to_string()) {
            f.reject(format!("{p}.custom_id {id:?} is used twice in the message"));
        }
    }
}

fn check_poll(f: &mut Findings, poll: &Value) {
    let question = poll.get("question").and_then(|q| q.get("text"));
    f.length("poll.question.text", question, 1, POLL_QUESTION_MAX);
    let answers = array(poll.get("answers"));
    if answers.is_empty() || answers.len() > POLL_ANSWERS_MAX {
        f.reject(format!(
            "poll.answers has {} answers (1 to {POLL_ANSWERS_MAX})",
            answers.len()
        ));
    }
    for (i, answer) in answers.iter().enumerate() {
        let text = answer.get("poll_media").and_then(|m| m.get("text"));
        f.length(
            &format!("poll.answers[{i}].poll_media.text"),
            text,
            1,
            POLL_ANSWER_MAX,
        );
    }
    if let Some(duration) = poll.get("duration").filter(|d| !d.is_null()) {
        match duration.as_u64() {
            Some(1..=POLL_DURATION_MAX_HOURS) => {}
            _ => f.reject(format!(
                "poll.duration is {duration} hours (1 to {POLL_DURATION_MAX_HOURS})"
            )),
        }
    }
    if let Some(layout) = poll.get("layout_type").filter(|l| !l.is_null()) {
        if layout.as_u64() != Some(1) {
            f.reject(format!("poll.layout_type is {layout} (only 1 exists)"));
        }
    }
}

fn check_allowed_mentions(
    f: &mut Findings,
    mentions: Option<&Value>,
    mode: MessageMode,
    allowed_roles: &BTreeSet<u64>,
) {
    let Some(mentions) = mentions.filter(|m| !m.is_null()) else {
        if mode == MessageMode::Create {
            f.policy("allowed_mentions is missing: a new message must say whom it may ping".into());
        }
        return;
    };
    let parse: Vec<&str> = array(mentions.get("parse"))
        .iter()
        .filter_map(Value::as_str)
        .collect();
    if parse.contains(&"everyone") {
        f.policy(
            "allowed_mentions.parse contains \"everyone\": the message may ping @everyone".into(),
        );
    }
    if parse.contains(&"roles") {
        f.policy("allowed_mentions.parse contains \"roles\": the message may ping any role".into());
    }
    let roles = array(mentions.get("roles"));
    for role in roles {
        let id = role
            .as_str()
            .and_then(|s| s.parse::<u64>().ok())
            .or_else(|| role.as_u64());
        if !id.is_some_and(|id| allowed_roles.contains(&id)) {
            f.policy(format!(
                "allowed_mentions.roles contains {role}, which the test did not allow to be pinged"
            ));
        }
    }
    for kind in ["users", "roles"] {
        if parse.contains(&kind) && !array(mentions.get(kind)).is_empty() {
            f.reject(format!(
                "allowed_mentions: parse [\"{kind}\"] and a {kind} list are mutually exclusive"
            ));
        }
    }
}

/// Checks the data of an autocomplete result (interaction callback type 8).
pub(crate) fn check_autocomplete(data: &Value) -> Vec<Problem> {
    let mut f = Findings::default();
    let Some(choices) = data.get("choices").and_then(Value::as_array) else {
        f.reject("data.choices is missing".into());
        return f.0;
    };
    if choices.len() > AUTOCOMPLETE_CHOICES_MAX {
        f.reject(format!(
            "data.choices has {} choices (max {AUTOCOMPLETE_CHOICES_MAX})",
            choices.len()
        ));
    }
    for (i, choice) in choices.iter().enumerate() {
        let p = format!("data.choices[{i}]");
        f.length(&format!("{p}.name"), choice.get("name"), 1, CHOICE_NAME_MAX);
        if let Some(value) = choice.get("value").filter(|v| v.is_string()) {
            f.length(&format!("{p}.value"), Some(value), 0, CHOICE_NAME_MAX);
        }
    }
    f.0
}

/// Checks the data of a modal (interaction callback type 9).
pub(crate) fn check_modal(data: &Value) -> Vec<Problem> {
    let mut f = Findings::default();
    f.length("data.title", data.get("title"), 1, 45);
    f.length("data.custom_id", data.get("custom_id"), 1, CUSTOM_ID_MAX);
    let rows = array(data.get("components"));
    if rows.is_empty() || rows.len() > ACTION_ROWS_MAX {
        f.reject(format!(
            "data.components has {} rows (1 to {ACTION_ROWS_MAX})",
            rows.len()
        ));
    }
    for (i, row) in rows.iter().enumerate() {
        for (j, input) in array(row.get("components")).iter().enumerate() {
            let p = format!("data.components[{i}].components[{j}]");
            f.length(&format!("{p}.label"), input.get("label"), 1, 45);
            f.length(
                &format!("{p}.custom_id"),
                input.get("custom_id"),
                1,
                CUSTOM_ID_MAX,
            );
            f.length(&format!("{p}.value"), input.get("value"), 0, 4000);
        }
    }
    f.0
}

/// Checks a bulk command registration (`PUT .../commands`).
pub(crate) fn check_commands(commands: &Value) -> Vec<Problem> {
    let mut f = Findings::default();
    let Some(list) = commands.as_array() else {
        f.reject("body is not an array of commands".into());
        return f.0;
    };
    if list.len() > 100 {
        f.reject(format!(
            "{} commands registered (max 100 chat input commands)",
            list.len()
        ));
    }
    let mut names = HashSet::new();
    for (i, command) in list.iter().enumerate() {
        let kind = command.get("type").and_then(Value::as_u64).unwrap_or(1);
        let name = command
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !names.insert((kind, name.to_string())) {
            f.reject(format!("commands[{i}]: name {name:?} is registered twice"));
        }
        check_command(&mut f, &format!("commands[{i}]"), command, kind == 1);
    }
    f.0
}

fn check_command(f: &mut Findings, p: &str, command: &Value, chat_input: bool) {
    let name = command.get("name");
    f.length(&format!("{p}.name"), name, 1, 32);
    if chat_input {
        check_command_name(f, &format!("{p}.name"), name);
        f.length(
            &format!("{p}.description"),
            command.get("description"),
            1,
            100,
        );
    }
    let total = chars(name.and_then(Value::as_str).unwrap_or_default())
        + chars(
            command
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default(),
        )
        + check_options(f, &format!("{p}.options"), array(command.get("options")));
    if total > 4000 {
        f.reject(format!(
            "{p}: names, descriptions and choices total {total} characters (max 4000)"
        ));
    }
}

fn check_command_name(f: &mut Findings, p: &str, name: Option<&Value>) {
    let name = name.and_then(Value::as_str).unwrap_or_default();
    let valid = name
        .chars()
        .all(|c| c == '-' || c == '_' || c.is_alphanumeric())
        && name.to_lowercase() == name;
    if !valid {
        f.reject(format!(
            "{p} {name:?} must be lower case letters, digits, '-' or '_'"
        ));
    }
}

/// Checks command options recursively; returns their characters counted towards 4000.
fn check_options(f: &mut Findings, p: &str, options: &[Value]) -> usize {
    if options.len() > 25 {
        f.reject(format!("{p} has {} options (max 25)", options.len()));
    }
    let mut total = 0;
    let mut seen_optional = false;
    for (i, option) in options.iter().enumerate() {
        let op = format!("{p}[{i}]");
        check_command_name(f, &format!("{op}.name"), option.get("name"));
        total += f.length(&format!("{op}.name"), option.get("name"), 1, 32);
        total += f.length(
            &format!("{op}.description"),
            option.get("description"),
            1,
            100,
        );
        let required = option
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if required && seen_optional {
            f.reject(format!(
                "{op}: a required option comes after an optional one"
            ));
        }
        seen_optional |= !required;
        let choices = array(option.get("choices"));
        if choices.len() > 25 {
            f.reject(format!(
                "{op}.choices has {} choices (max 25)",
                choices.len()
            ));
        }
        for (j, choice) in choices.iter().enumerate() {
            total += f.length(
                &format!("{op}.choices[{j}].name"),
                choice.get("name"),
                1,
                100,
            );
            if let Some(value) = choice.get("value").filter(|v| v.is_string()) {
                total += f.length(&format!("{op}.choices[{j}].value"), Some(value), 1, 100);
            }
        }
        total += check_options(f, &format!("{op}.options"), array(option.get("options")));
    }
    total
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn mentions() -> Value {
        json!({"parse": ["users"], "users": [], "roles": []})
    }

    fn create(body: Value) -> Vec<String> {
        check_message(&body, MessageMode::Create, &BTreeSet::new())
            .into_iter()
            .map(|p| p.reason)
            .collect()
    }

    fn single(problems: Vec<String>, needle: &str) {
        assert_eq!(
            problems.len(),
            1,
            "expected one problem about {needle}: {problems:?}"
        );
        assert!(problems[0].contains(needle), "{needle} not in {problems:?}");
    }

    #[test]
    fn an_ordinary_message_passes() {
        let body = json!({
            "content": "hello",
            "embeds": [{"title": "t", "description": "d", "fields": [{"name": "n", "value": "v"}]}],
            "components": [{"type": 1, "components": [
                {"type": 2, "style": 1, "label": "Go", "custom_id": "go"},
                {"type": 2, "style": 5, "label": "Docs", "url": "https://example.invalid"}
            ]}],
            "allowed_mentions": mentions(),
        });
        assert_eq!(create(body), Vec::<String>::new());
    }

    #[test]
    fn content_counts_code_points() {
        let ok = "é".repeat(CONTENT_MAX);
        assert!(create(json!({"content": ok, "allowed_mentions": mentions()})).is_empty());
        let long = "🙂".repeat(CONTENT_MAX + 1);
        single(
            create(json!({"content": long, "allowed_mentions": mentions()})),
            "content is 2001",
        );
    }

    #[test]
    fn embed_limits() {
        let embed = |title: usize, desc: usize| json!({"title": "t".repeat(title), "description": "d".repeat(desc)});
        let cases = [
            (json!([embed(257, 1)]), "title is 257"),
            (json!([embed(1, 4097)]), "description is 4097"),
            (json!([embed(256, 4096), embed(1, 2000)]), "total 6353"),
            (
                json!((0..11).map(|_| embed(1, 1)).collect::<Vec<_>>()),
                "11 embeds",
            ),
            (
                json!([{"fields": (0..26).map(|_| json!({"name": "n", "value": "v"})).collect::<Vec<_>>()}]),
                "26 fields",
            ),
            (
                json!([{"fields": [{"name": "n", "value": "v".repeat(1025)}]}]),
                "value is 1025",
            ),
            (
                json!([{"fields": [{"name": "n".repeat(257), "value": "v"}]}]),
                "name is 257",
            ),
            (
                json!([{"fields": [{"name": "", "value": "v"}]}]),
                "name is 0",
            ),
            (
                json!([{"footer": {"text": "f".repeat(2049)}}]),
                "footer.text is 2049",
            ),
            (
                json!([{"author": {"name": "a".repeat(257)}}]),
                "author.name is 257",
            ),
        ];
        for (embeds, needle) in cases {
            single(
                create(json!({"embeds": embeds, "allowed_mentions": mentions()})),
                needle,
            );
        }
    }

    #[test]
    fn component_limits() {
        let button = |id: &str| json!({"type": 2, "style": 1, "label": "b", "custom_id": id});
        let row = |n: usize, prefix: &str| json!({"type": 1, "components": (0..n).map(|i| button(&format!("{prefix}{i}"))).collect::<Vec<_>>()});
        let cases = [
            (
                json!((0..6)
                    .map(|i| row(1, &format!("r{i}-")))
                    .collect::<Vec<_>>()),
                "6 action rows",
            ),
            (json!([row(6, "x")]), "has 6 components"),
            (
                json!([{"type": 1, "components": [{"type": 2, "style": 1, "label": "l".repeat(81), "custom_id": "a"}]}]),
                "label is 81",
            ),
            (
                json!([{"type": 1, "components": [button(&"c".repeat(101))]}]),
                "custom_id is 101",
            ),
            (
                json!([{"type": 1, "components": [button("same"), button("same")]}]),
                "used twice",
            ),
        ];
        for (components, needle) in cases {
            single(
                create(
                    json!({"content": "x", "components": components, "allowed_mentions": mentions()}),
                ),
                needle,
            );
        }
    }

    #[test]
    fn poll_limits() {
        let poll = |question: usize, answers: usize, answer_len: usize, hours: u64| {
            json!({"poll": {
                "question": {"text": "q".repeat(question)},
                "answers": (0..answers).map(|_| json!({"poll_media": {"text": "a".repeat(answer_len)}})).collect::<Vec<_>>(),
                "duration": hours, "allow_multiselect": false, "layout_type": 1,
            }, "allowed_mentions": mentions()})
        };
        assert!(
            create(poll(300, 10, 55, 768)).is_empty(),
            "a poll alone is a valid message"
        );
        single(create(poll(301, 2, 5, 24)), "question.text is 301");
        single(create(poll(10, 11, 5, 24)), "11 answers");
        single(create(poll(10, 0, 5, 24)), "0 answers");
        single(create(poll(10, 1, 56, 24)), "poll_media.text is 56");
        single(create(poll(10, 2, 5, 769)), "duration is 769");
        single(create(poll(10, 2, 5, 0)), "duration is 0");
    }

    #[test]
    fn empty_message_is_rejected() {
        single(
            create(json!({"content": "", "allowed_mentions": mentions()})),
            "empty",
        );
        single(
            create(json!({"embeds": [], "allowed_mentions": mentions()})),
            "empty",
        );
    }

    #[test]
    fn allowed_mentions_rules() {
        single(
            create(json!({"content": "x"})),
            "allowed_mentions is missing",
        );
        single(
            create(json!({"content": "x", "allowed_mentions": {"parse": ["everyone"]}})),
            "@everyone",
        );
        single(
            create(json!({"content": "x", "allowed_mentions": {"parse": ["roles"]}})),
            "any role",
        );
        single(
            create(json!({"content": "x", "allowed_mentions": {"parse": [], "roles": ["5"]}})),
            "did not allow",
        );
        let allowed = BTreeSet::from([5]);
        let body = json!({"content": "x", "allowed_mentions": {"parse": [], "roles": ["5"]}});
        assert!(check_message(&body, MessageMode::Create, &allowed).is_empty());
        let edit = json!({"content": "x"});
        assert!(
            check_message(&edit, MessageMode::Edit, &allowed).is_empty(),
            "edits do not ping"
        );
        let both =
            json!({"content": "x", "allowed_mentions": {"parse": ["users"], "users": ["1"]}});
        single(create(both), "mutually exclusive");
    }

    #[test]
    fn policy_problems_are_not_discord_rejections() {
        let problems = check_message(
            &json!({"content": "x"}),
            MessageMode::Create,
            &BTreeSet::new(),
        );
        assert!(!problems[0].discord_rejects);
        let problems = check_message(
            &json!({"content": "x".repeat(2001), "allowed_mentions": mentions()}),
            MessageMode::Create,
            &BTreeSet::new(),
        );
        assert!(problems[0].discord_rejects);
    }

    #[test]
    fn autocomplete_limits() {
        let choices = |n: usize, name_len: usize| json!({"choices": (0..n).map(|i| json!({"name": "n".repeat(name_len), "value": i.to_string()})).collect::<Vec<_>>()});
        assert!(check_autocomplete(&choices(25, 100)).is_empty());
        assert_eq!(check_autocomplete(&choices(26, 1)).len(), 1);
        assert_eq!(check_autocomplete(&choices(1, 101)).len(), 1);
        assert_eq!(check_autocomplete(&choices(1, 0)).len(), 1);
    }

    #[test]
    fn command_registration_limits() {
        let ok = json!([{"name": "ping", "description": "Ping", "options": [
            {"type": 3, "name": "topic", "description": "t", "required": true},
            {"type": 4, "name": "count", "description": "c"}
        ]}]);
        assert!(check_commands(&ok).is_empty());
        let bad = json!([
            {"name": "Ping", "description": "upper case"},
            {"name": "x", "description": ""},
            {"name": "y", "description": "y", "options": [
                {"type": 3, "name": "a", "description": "a"},
                {"type": 3, "name": "b", "description": "b", "required": true}
            ]},
        ]);
        let problems = check_commands(&bad);
        assert_eq!(problems.len(), 3, "{problems:?}");
    }
}
