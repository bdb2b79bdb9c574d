//! How each kind of content entry is shown: one function per answer, content in, embed out.

use super::{Accent, Action, Button, Embed, Field, Reply};
use crate::content::{
    Content, Contrast, Example, Question, Quote, Side, Text, Tip, TipSide, Trait, TraitKind,
};

/// The footer naming the articles an entry rests on, each by its short name; their titles and
/// notes are behind the "Sources" button ([`with_sources`]) where there are several.
pub fn source_line(content: &Content, ids: &[Text]) -> String {
    let names: Vec<String> = ids
        .iter()
        .filter_map(|id| content.source(id))
        .map(super::articles::footer_name)
        .collect();
    let label = if names.len() == 1 {
        "Source"
    } else {
        "Sources"
    };
    format!("{label}: {}", names.join("; "))
}

/// `reply` with a "Sources" button when it rests on several articles: the button shows each
/// one's full title, author and note, privately, instead of a long footer.
pub fn with_sources(reply: Reply, ids: &[Text]) -> Reply {
    if ids.len() < 2 {
        return reply;
    }
    reply.with_button(Button {
        action: Action::Sources {
            ids: ids.iter().map(Text::as_str).collect::<Vec<_>>().join(","),
        },
        label: "Sources".into(),
    })
}

/// What the "Sources" button shows: each article in full, privately.
pub fn sources_reply(content: &Content, ids: &str) -> Reply {
    let lines: Vec<String> = ids
        .split(',')
        .filter_map(|id| content.source(id))
        .map(|source| format!("• {}", source.credit()))
        .collect();
    Reply::embed(Embed {
        title: Some("Sources".into()),
        description: Some(if lines.is_empty() {
            "These articles are no longer among the bot's texts.".into()
        } else {
            lines.join("\n")
        }),
        fields: Vec::new(),
        footer: None,
        accent: Accent::Neutral,
    })
    .ephemeral()
}

/// The sources of several entries, each once, in order of first mention.
pub(super) fn distinct_sources<'a>(lists: impl Iterator<Item = &'a [Text]>) -> Vec<Text> {
    let mut sources: Vec<Text> = Vec::new();
    for source in lists.flatten() {
        if !sources.iter().any(|s| s.as_str() == source.as_str()) {
            sources.push(source.clone());
        }
    }
    sources
}

/// One contrast: both sides, what it means, and a question to take away.
pub fn contrast_embed(content: &Content, contrast: &Contrast) -> Embed {
    Embed {
        title: Some(contrast.title.to_string()),
        description: Some(contrast.in_practice.to_string()),
        fields: vec![
            Field::inline(Side::Leader.label(), contrast.leader.as_str()),
            Field::inline(Side::Manager.label(), contrast.manager.as_str()),
            Field::new("Ask yourself", contrast.ask_yourself.as_str()),
        ],
        footer: Some(source_line(content, &contrast.sources)),
        accent: Accent::Both,
    }
}

/// A contrast with the button that swaps in another one.
pub fn contrast_reply(content: &Content, contrast: &Contrast) -> Reply {
    let reply = Reply::embed(contrast_embed(content, contrast)).with_button(Button {
        action: Action::AnotherContrast {
            after: contrast.id.to_string(),
        },
        label: "Another contrast".into(),
    });
    with_sources(reply, &contrast.sources)
}

fn accent_of(side: Side) -> Accent {
    match side {
        Side::Leader => Accent::Leader,
        Side::Manager => Accent::Manager,
    }
}

/// The traits of one side. With a kind, each trait with its detail; without, a compact list
/// of both kinds.
pub fn traits_reply(content: &Content, side: Side, kind: Option<TraitKind>) -> Reply {
    let chosen: Vec<&Trait> = content.traits_of(side, kind).collect();
    let sources = distinct_sources(chosen.iter().map(|t| t.sources.as_slice()));
    let footer = Some(source_line(content, &sources));
    let embed = match kind {
        Some(kind) => Embed {
            title: Some(format!("{} {}", side.label(), kind.plural().to_lowercase())),
            description: None,
            fields: chosen
                .iter()
                .map(|t| Field::new(t.short.as_str(), t.detail.as_str()))
                .collect(),
            footer,
            accent: accent_of(side),
        },
        None => Embed {
            title: Some(format!("{}: characteristics and skills", side.label())),
            description: Some(traits_overview(&chosen, side)),
            fields: Vec::new(),
            footer,
            accent: accent_of(side),
        },
    };
    with_sources(Reply::embed(embed), &sources)
}

fn traits_overview(chosen: &[&Trait], side: Side) -> String {
    let mut text = String::new();
    for kind in [TraitKind::Characteristic, TraitKind::Skill] {
        text.push_str(&format!("**{}**\n", kind.plural()));
        for trait_ in chosen.iter().filter(|t| t.kind == kind) {
            text.push_str(&format!("• {}\n", trait_.short));
        }
        text.push('\n');
    }
    text.push_str(&format!(
        "For what each one looks like in a working week: `/traits side:{} kind:Characteristics` or `kind:Skills`.",
        side.label()
    ));
    text
}

/// Where leading and managing overlap.
pub fn similarities_reply(content: &Content) -> Reply {
    let sources = distinct_sources(content.similarities.iter().map(|s| s.sources.as_slice()));
    let reply = Reply::embed(Embed {
        title: Some("What leading and managing share".into()),
        description: None,
        fields: content
            .similarities
            .iter()
            .map(|s| {
                Field::new(
                    s.title.as_str(),
                    format!(
                        "{}\n**Leader:** {}\n**Manager:** {}",
                        s.shared, s.leader, s.manager
                    ),
                )
            })
            .collect(),
        footer: Some(source_line(content, &sources)),
        accent: Accent::Both,
    });
    with_sources(reply, &sources)
}

/// An attributed quote. Quotation marks go only around a speaker's own words: a paraphrase
/// is shown without them and marked as one.
pub fn quote_reply(content: &Content, quote: &Quote) -> Reply {
    let description = if quote.verbatim {
        format!("“{}”\n— **{}**, {}", quote.text, quote.speaker, quote.role)
    } else {
        format!(
            "{}\n— **{}**, {} (paraphrased)",
            quote.text, quote.speaker, quote.role
        )
    };
    let reply = Reply::embed(Embed {
        title: None,
        description: Some(description),
        fields: vec![Field::new("Why it matters", quote.note.as_str())],
        footer: Some(source_line(content, &quote.sources)),
        accent: Accent::Neutral,
    });
    with_sources(reply, &quote.sources)
}

/// A worked example: the story, each side's part, and the lesson.
pub fn example_reply(content: &Content, example: &Example) -> Reply {
    let related: Vec<&str> = example
        .contrasts
        .iter()
        .filter_map(|id| content.contrast(id))
        .map(|c| c.title.as_str())
        .collect();
    let mut fields = vec![
        Field::inline(Side::Leader.label(), example.leader.as_str()),
        Field::inline(Side::Manager.label(), example.manager.as_str()),
        Field::new("Takeaway", example.takeaway.as_str()),
    ];
    if !related.is_empty() {
        fields.push(Field::new("Contrasts", related.join(", ")));
    }
    let reply = Reply::embed(Embed {
        title: Some(example.title.to_string()),
        description: Some(example.story.to_string()),
        fields,
        footer: Some(source_line(content, &example.sources)),
        accent: Accent::Both,
    });
    with_sources(reply, &example.sources)
}

/// One question with its answer.
pub fn question_reply(content: &Content, question: &Question) -> Reply {
    let reply = Reply::embed(Embed {
        title: Some(question.question.to_string()),
        description: Some(question.answer.to_string()),
        fields: Vec::new(),
        footer: Some(source_line(content, &question.sources)),
        accent: Accent::Both,
    });
    with_sources(reply, &question.sources)
}

/// The list of questions, for `/faq` without a question.
pub fn questions_index(content: &Content) -> Reply {
    let lines: Vec<String> = content
        .questions
        .iter()
        .map(|q| format!("• {}", q.question))
        .collect();
    Reply::embed(Embed {
        title: Some("Questions people ask".into()),
        description: Some(format!(
            "{}\n\nPick one with `/faq question:` to read the answer.",
            lines.join("\n")
        )),
        fields: Vec::new(),
        footer: None,
        accent: Accent::Neutral,
    })
}

/// One tip, as posted each day and shown by `/tip`.
pub fn tip_embed(content: &Content, tip: &Tip) -> Embed {
    let builds_on = content
        .anchor(&tip.builds_on)
        .map(|anchor| format!("Builds on: {} · ", anchor.title()))
        .unwrap_or_default();
    Embed {
        title: Some(tip.title.to_string()),
        description: Some(tip.body.to_string()),
        fields: Vec::new(),
        footer: Some(format!("{builds_on}{}", source_line(content, &tip.sources))),
        accent: match tip.side {
            TipSide::Leader => Accent::Leader,
            TipSide::Manager => Accent::Manager,
            TipSide::Both => Accent::Both,
        },
    }
}

/// A tip with the button that shows another one.
pub fn tip_reply(content: &Content, tip: &Tip) -> Reply {
    let reply = Reply::embed(tip_embed(content, tip)).with_button(Button {
        action: Action::AnotherTip {
            after: tip.id.to_string(),
        },
        label: "Another tip".into(),
    });
    with_sources(reply, &tip.sources)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content() -> Content {
        Content::bundled().expect("bundled content")
    }

    #[test]
    fn the_footer_credits_each_article_as_it_names_itself() {
        let content = content();
        let ids: Vec<Text> = content.sources.iter().map(|s| s.id.clone()).collect();
        let footer = source_line(&content, &ids);
        assert_eq!(
            footer,
            "Sources: Michelle Kaiser (CEO.com); Kristina Perunicic (Optimist); Leading vs. Managing; Key Differences You Should Know"
        );
        let sources = sources_reply(
            &content,
            &ids.iter().map(Text::as_str).collect::<Vec<_>>().join(","),
        );
        let full = sources.embeds[0].description.clone().unwrap_or_default();
        for credit in [
            "Leadership vs. management — Michelle Kaiser (CEO.com)",
            "Leadership vs. Management: 3 Key Differences to Know — Kristina Perunicic (Optimist)",
            "Leading vs. Managing (title taken from its section headings;",
            "Key Differences You Should Know (title taken from its first heading;",
        ] {
            assert!(full.contains(credit), "{credit:?} in {full:?}");
        }
        assert!(sources.ephemeral);
        let button = with_sources(Reply::default(), &ids);
        assert_eq!(button.buttons[0].label, "Sources");
        assert!(with_sources(Reply::default(), &ids[..1]).buttons.is_empty());
        assert!(
            !footer.contains("HubSpot"),
            "a guess is not a credit: {footer}"
        );
    }

    #[test]
    fn only_a_speakers_own_words_go_in_quotation_marks() {
        let content = content();
        let quote = content.quotes.first().expect("a quote").clone();
        assert!(quote.verbatim);
        let said = quote_reply(&content, &quote).embeds[0]
            .description
            .clone()
            .unwrap_or_default();
        assert!(
            said.starts_with('“') && !said.contains("(paraphrased)"),
            "{said}"
        );
        let paraphrase = Quote {
            verbatim: false,
            ..quote
        };
        let retold = quote_reply(&content, &paraphrase).embeds[0]
            .description
            .clone()
            .unwrap_or_default();
        assert!(!retold.contains('“') && !retold.contains('”'), "{retold}");
        assert!(retold.contains("(paraphrased)"), "{retold}");
    }
}
