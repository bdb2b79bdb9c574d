//! How an article is named in a sentence a person reads.
//!
//! `sources.toml` gives each article's title and byline as the article gives them; a sentence
//! such as "… puts it with leaders" needs something shorter that a reader still recognizes:
//! the author and publisher where the article names them, else its title.

use crate::content::Source;

/// The name a sentence gives the article `source`: "Michelle Kaiser (CEO.com)" for an article
/// with a named author, the title in italics for one without. Keyed by the ids of the bundled
/// articles (ids never change); an article added later is named by its full title in italics
/// until it gets a line here.
pub fn article_name(source: &Source) -> String {
    match source.id.as_str() {
        "ceo-com" => "Michelle Kaiser (CEO.com)".into(),
        "optimist" => "Kristina Perunicic (Optimist)".into(),
        "kotter-based" => "*Leading vs. Managing* (after Kotter's *Leading Change*)".into(),
        "hubspot-style" => "*Key Differences You Should Know*".into(),
        _ => format!("*{}*", source.full_title()),
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
            let author = source.by.split(',').next().unwrap_or_default();
            assert!(
                name.contains(title) || name.contains(author),
                "{name} ({title}; {author})"
            );
        }
    }
}
