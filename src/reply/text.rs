//! A reply as terminal text, for `bridgebot preview`.
//!
//! Discord's markdown is left as it is (it reads fine in a terminal); the layout mirrors how
//! Discord stacks an embed: title, description, fields, footer, then buttons.

use super::{Embed, Reply};

/// The reply as plain text, one embed after another.
pub fn to_plain_text(reply: &Reply) -> String {
    let mut out = String::new();
    if let Some(text) = &reply.text {
        out.push_str(text);
        out.push('\n');
    }
    for embed in &reply.embeds {
        if !out.is_empty() {
            out.push('\n');
        }
        embed_text(embed, &mut out);
    }
    if !reply.buttons.is_empty() {
        let labels: Vec<String> = reply
            .buttons
            .iter()
            .map(|b| format!("[ {} ]", b.label))
            .collect();
        out.push('\n');
        out.push_str(&labels.join(" "));
        out.push('\n');
    }
    for attachment in &reply.attachments {
        out.push_str(&format!(
            "[file: {}, {} bytes]\n",
            attachment.name,
            attachment.bytes.len()
        ));
    }
    if reply.ephemeral {
        out.push_str("(only the person who asked sees this)\n");
    }
    out
}

fn embed_text(embed: &Embed, out: &mut String) {
    if let Some(title) = &embed.title {
        out.push_str(title);
        out.push('\n');
        out.push_str(&"=".repeat(title.chars().count().min(72)));
        out.push('\n');
    }
    if let Some(description) = &embed.description {
        out.push_str(description);
        out.push('\n');
    }
    for field in &embed.fields {
        out.push('\n');
        out.push_str(&field.name);
        out.push('\n');
        for line in field.value.lines() {
            out.push_str("  ");
            out.push_str(line);
            out.push('\n');
        }
    }
    if let Some(footer) = &embed.footer {
        out.push_str("\n-- ");
        out.push_str(footer);
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Action, Button, Field};
    use super::*;

    #[test]
    fn plain_text_shows_title_fields_footer_and_buttons_in_order() {
        let reply = Reply::embed(Embed {
            title: Some("Title".into()),
            description: Some("Body".into()),
            fields: vec![Field::new("Leader", "Sets direction")],
            footer: Some("Source: x".into()),
            ..Embed::default()
        })
        .with_button(Button {
            action: Action::AnotherTip { after: "a".into() },
            label: "Another tip".into(),
        });
        let text = to_plain_text(&reply);
        let order = [
            "Title",
            "=====",
            "Body",
            "Leader",
            "  Sets direction",
            "-- Source: x",
            "[ Another tip ]",
        ];
        let mut at = 0;
        for piece in order {
            let found = text[at..]
                .find(piece)
                .unwrap_or_else(|| panic!("{piece} missing or out of order in\n{text}"));
            at += found + piece.len();
        }
    }

    #[test]
    fn plain_text_names_each_attached_file() {
        let reply = Reply::private_note("Trend").with_attachment("pulse.png", vec![0; 1234]);
        assert!(
            to_plain_text(&reply).contains("[file: pulse.png, 1234 bytes]"),
            "{}",
            to_plain_text(&reply)
        );
    }
}
