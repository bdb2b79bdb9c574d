//! Autocomplete suggestions: the best matches for what a person has typed so far.
//!
//! Matching is case-insensitive over an entry's id and its title. Closer matches rank first
//! (exact, then prefix, then a word starting with the text, then anywhere, then every typed
//! word found), ties keep file order, and at most Discord's 25 suggestions are returned.

use crate::content::Content;
use crate::limits;

/// One suggestion: the `name` a person sees and the `value` the command receives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub name: String,
    pub value: String,
}

/// Ranks `(value, name)` pairs against `query`; an empty query lists them in order.
pub fn rank<'a>(items: impl IntoIterator<Item = (&'a str, &'a str)>, query: &str) -> Vec<Choice> {
    scored(items, query)
        .into_iter()
        .take(limits::AUTOCOMPLETE_CHOICES)
        .map(|(_, choice)| choice)
        .collect()
}

/// How a typed name resolves to one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// The value of the one entry meant.
    Found(String),
    /// Nothing clear: the names of a few entries to suggest.
    Unknown(Vec<String>),
}

/// Fewest typed characters for a partial match to count as naming an entry.
const MIN_PARTIAL: usize = 3;
/// Suggestions offered when a name is not found.
const SUGGESTIONS: usize = 5;

/// Resolves a typed name: an exact id or title, or a partial match that only one entry has.
pub fn resolve<'a>(
    items: impl IntoIterator<Item = (&'a str, &'a str)> + Clone,
    query: &str,
) -> Resolution {
    // What autocomplete sends is an id exactly: the usual case, answered without ranking.
    if let Some((value, _)) = items.clone().into_iter().find(|(value, _)| *value == query) {
        return Resolution::Found(value.to_string());
    }
    let matches = scored(items.clone(), query);
    let best = matches.first().map(|(score, _)| *score);
    let tied = matches
        .iter()
        .filter(|(score, _)| Some(*score) == best)
        .count();
    let long_enough = query.trim().chars().count() >= MIN_PARTIAL;
    match best {
        Some(0) if !query.trim().is_empty() => {
            return Resolution::Found(matches[0].1.value.clone())
        }
        Some(1..=3) if tied == 1 && long_enough => {
            return Resolution::Found(matches[0].1.value.clone())
        }
        _ => {}
    }
    let names = if matches.is_empty() || query.trim().is_empty() {
        scored(items, "")
    } else {
        matches
    };
    Resolution::Unknown(
        names
            .into_iter()
            .take(SUGGESTIONS)
            .map(|(_, choice)| choice.name)
            .collect(),
    )
}

/// Every matching item with its score, best first, ties in file order.
fn scored<'a>(
    items: impl IntoIterator<Item = (&'a str, &'a str)>,
    query: &str,
) -> Vec<(u8, Choice)> {
    let query = query.trim().to_lowercase();
    let mut scored: Vec<(u8, usize, Choice)> = items
        .into_iter()
        .enumerate()
        .filter_map(|(order, (value, name))| {
            let score = score(&value.to_lowercase(), &name.to_lowercase(), &query)?;
            let choice = Choice {
                name: name.to_string(),
                value: value.to_string(),
            };
            Some((score, order, choice))
        })
        .collect();
    scored.sort_by_key(|(score, order, _)| (*score, *order));
    scored
        .into_iter()
        .map(|(score, _, choice)| (score, choice))
        .collect()
}

/// How well `query` matches an entry; lower is better, `None` is no match.
fn score(value: &str, name: &str, query: &str) -> Option<u8> {
    if query.is_empty() || value == query || name == query {
        return Some(0);
    }
    if value.starts_with(query) || name.starts_with(query) {
        return Some(1);
    }
    let starts_a_word = |text: &str| words(text).any(|word| word.starts_with(query));
    if starts_a_word(value) || starts_a_word(name) {
        return Some(2);
    }
    if value.contains(query) || name.contains(query) {
        return Some(3);
    }
    // A query of only symbols or emoji has no words, and must not match everything.
    let mut typed_words = words(query).peekable();
    typed_words.peek()?;
    let every_word_found = typed_words.all(|typed| {
        words(value)
            .chain(words(name))
            .any(|word| word.starts_with(typed))
    });
    every_word_found.then_some(4)
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Suggestions for `/contrast topic`.
pub fn contrasts(content: &Content, query: &str) -> Vec<Choice> {
    rank(
        content
            .contrasts
            .iter()
            .map(|c| (c.id.as_str(), c.title.as_str())),
        query,
    )
}

/// Suggestions for `/example name`.
pub fn examples(content: &Content, query: &str) -> Vec<Choice> {
    rank(
        content
            .examples
            .iter()
            .map(|e| (e.id.as_str(), e.title.as_str())),
        query,
    )
}

/// Suggestions for `/faq question`.
pub fn questions(content: &Content, query: &str) -> Vec<Choice> {
    rank(
        content
            .questions
            .iter()
            .map(|q| (q.id.as_str(), q.question.as_str())),
        query,
    )
}

/// Suggestions for `/scenario name`.
pub fn scenarios(content: &Content, query: &str) -> Vec<Choice> {
    rank(
        content
            .scenarios
            .iter()
            .map(|s| (s.id.as_str(), s.name.as_str())),
        query,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const ITEMS: [(&str, &str); 4] = [
        ("vision-execution", "Vision vs execution"),
        ("risk-taking-management", "Risk-taking vs risk management"),
        ("change-stability", "Change vs stability"),
        ("inspiration-supervision", "Inspiration vs supervision"),
    ];

    fn values(query: &str) -> Vec<String> {
        rank(ITEMS, query).into_iter().map(|c| c.value).collect()
    }

    #[test]
    fn empty_query_lists_everything_in_file_order() {
        assert_eq!(values("").len(), ITEMS.len());
        assert_eq!(values("  ")[0], "vision-execution");
    }

    #[test]
    fn prefix_beats_word_start_beats_substring() {
        // "sta" starts no entry, starts the word "stability", and sits inside nothing else.
        assert_eq!(values("sta"), ["change-stability"]);
        // "vis": prefix of vision-execution, substring of "supervision".
        assert_eq!(
            values("vis"),
            ["vision-execution", "inspiration-supervision"]
        );
    }

    #[test]
    fn matching_ignores_case() {
        assert_eq!(values("RISK")[0], "risk-taking-management");
    }

    #[test]
    fn every_typed_word_must_be_found_when_nothing_else_matches() {
        assert_eq!(values("risk manage"), ["risk-taking-management"]);
    }

    #[test]
    fn nonsense_matches_nothing() {
        assert!(values("zzqx").is_empty());
        for symbols in ["🙂", "#!?", "\u{200B}"] {
            assert!(values(symbols).is_empty(), "{symbols:?} matched");
        }
    }

    #[test]
    fn resolve_accepts_an_exact_title_or_a_clear_partial() {
        assert_eq!(
            resolve(ITEMS, "Change vs Stability"),
            Resolution::Found("change-stability".into())
        );
        assert_eq!(
            resolve(ITEMS, "vision-execution"),
            Resolution::Found("vision-execution".into())
        );
        assert_eq!(
            resolve(ITEMS, "stab"),
            Resolution::Found("change-stability".into())
        );
    }

    #[test]
    fn resolve_refuses_ambiguous_short_or_empty_names_with_suggestions() {
        // "vis" is a prefix of one entry but too short to count as naming it.
        assert!(matches!(resolve(ITEMS, "vi"), Resolution::Unknown(_)));
        let Resolution::Unknown(suggestions) = resolve(ITEMS, "zzqx") else {
            panic!("nonsense must not resolve");
        };
        assert_eq!(suggestions.len(), ITEMS.len().min(SUGGESTIONS));
        assert!(matches!(resolve(ITEMS, ""), Resolution::Unknown(_)));
    }

    #[test]
    fn at_most_twenty_five_suggestions() {
        let many: Vec<(String, String)> = (0..40)
            .map(|i| (format!("id-{i}"), format!("Title {i}")))
            .collect();
        let choices = rank(many.iter().map(|(v, n)| (v.as_str(), n.as_str())), "");
        assert_eq!(choices.len(), limits::AUTOCOMPLETE_CHOICES);
    }
}
