//! How an article is named in a sentence a person reads.
//!
//! `sources.toml` gives each article's title and byline as the article gives them; a sentence
//! such as "… puts it with leaders" needs something shorter that a reader still recognizes:
//! the author and publisher where the article names them, else its title.

use crate::content::Source;

/// The name a sentence gives the article `source`: its author and publisher where it names
/// them ("Michelle Kaiser (CEO.com)"), else its title in italics.
pub fn article_name(source: &Source) -> String {
    match &source.by {
        Some(by) => by.to_string(),
        None => format!("*{}*", source.full_title()),
    }
}

/// The article as a footer names it (a footer shows no italics): its author and publisher
/// where it names them, else its title.
pub fn footer_name(source: &Source) -> String {
    match &source.by {
        Some(by) => by.to_string(),
        None => source.full_title(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Content;

    #[test]
    fn every_bundled_article_has_a_name_a_reader_recognizes() {
        let content = Content::bundled().expect("bundled content is valid");
        for source in &content.sources {
            let name = article_name(source);
            for guess in ["HubSpot", "Unnamed", "style"] {
                assert!(!name.contains(guess), "{name}");
            }
            // The name holds the article's title or its author's name, so a reader can find it.
            let title = source.title.as_str();
            let author = source.by.as_deref().unwrap_or_default();
            assert!(
                name.contains(title) || name.contains(author),
                "{name} ({title}; {author})"
            );
        }
    }
}
