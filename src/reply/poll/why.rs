//! Why a quiz's answer is right, written from the subject's evidence: what each article says
//! of it and where, so a team learns where the articles differ instead of only being marked
//! right or wrong.

use super::quiz::Subject;
use crate::content::{Content, Evidence, Finding, QuizAnswer, Says};
use crate::limits;
use crate::reply::articles::article_name;
use crate::text::{char_len, clip};

/// The recap's "why": one line per article that speaks to the subject (where it puts it, and
/// in which section), a line when the articles disagree, the articles that take no side, then
/// the subject's closing note. Fits one embed field: for an entry too long for that, the
/// sections go first, then the note.
pub(super) fn why(content: &Content, subject: Subject<'_>) -> String {
    let closing = subject.closing();
    let Some(evidence) = subject.evidence() else {
        return clip(closing, limits::EMBED_FIELD_VALUE);
    };
    let variants = [(true, true), (false, true), (true, false), (false, false)];
    let mut shortest = String::new();
    for (sections, with_closing) in variants {
        let mut text = article_lines(content, evidence, sections);
        if with_closing {
            text.push_str("\n\n");
            text.push_str(closing);
        }
        if char_len(&text) <= limits::EMBED_FIELD_VALUE {
            return text;
        }
        shortest = text;
    }
    clip(&shortest, limits::EMBED_FIELD_VALUE)
}

/// What each article says, in the order of `sources.toml`, one line each; the silent ones
/// together on the last line.
fn article_lines(content: &Content, evidence: &Evidence, sections: bool) -> String {
    let mut lines = Vec::new();
    let mut silent = Vec::new();
    for source in &content.sources {
        let Some(finding) = evidence.of(&source.id) else {
            continue;
        };
        let name = article_name(source);
        match speaks(finding) {
            Some(verb) => lines.push(format!("{name} {verb}{}.", section(finding, sections))),
            None => silent.push(name),
        }
    }
    let any_both = evidence.findings().any(|(_, f)| f.says() == Says::Both);
    if evidence.answer() == Some(QuizAnswer::Both) && !any_both {
        lines.push(
            "The articles disagree, so either side can be defended: the answer is Both.".into(),
        );
    }
    if !silent.is_empty() {
        let verb = if silent.len() == 1 {
            "doesn't take a side"
        } else {
            "don't take a side"
        };
        lines.push(format!("{} {verb}.", and_list(&silent)));
    }
    lines.join("\n")
}

/// What an article does with the subject, as the rest of its line; `None` when it is silent.
fn speaks(finding: &Finding) -> Option<&'static str> {
    match finding.says() {
        Says::Leader => Some("puts it with leaders"),
        Says::Manager => Some("puts it with managers"),
        Says::Both => Some("gives it to both roles"),
        Says::Silent => None,
    }
}

/// " (Key Characteristics of Leaders; the closing)", or nothing.
fn section(finding: &Finding, shown: bool) -> String {
    if !shown || finding.sections.is_empty() {
        return String::new();
    }
    let names: Vec<&str> = finding.sections.iter().map(|s| s.as_str()).collect();
    format!(" ({})", names.join("; "))
}

/// "A", "A and B", "A, B and C".
fn and_list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Text;

    fn content() -> Content {
        Content::bundled().expect("bundled content is valid")
    }

    #[test]
    fn names_are_listed_with_commas_and_a_final_and() {
        let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(and_list(&names(&["A"])), "A");
        assert_eq!(and_list(&names(&["A", "B"])), "A and B");
        assert_eq!(and_list(&names(&["A", "B", "C"])), "A, B and C");
    }

    #[test]
    fn every_bundled_why_names_each_article_once_with_its_section_and_ends_with_the_note() {
        let content = content();
        for subject in Subject::all(&content) {
            let text = why(&content, subject);
            let evidence = subject.evidence().expect("every quiz subject has evidence");
            for source in &content.sources {
                let name = article_name(source);
                assert_eq!(text.matches(&name).count(), 1, "{}: {name}", subject.id());
                let finding = evidence.of(&source.id).expect("every article recorded");
                if let Some(verb) = speaks(finding) {
                    let sections: Vec<&str> = finding.sections.iter().map(|s| s.as_str()).collect();
                    assert!(!sections.is_empty());
                    assert!(
                        text.contains(&format!("{name} {verb} ({}).", sections.join("; "))),
                        "{}: {text}",
                        subject.id()
                    );
                }
            }
            assert!(
                text.ends_with(subject.closing()),
                "{}: {text}",
                subject.id()
            );
            assert!(char_len(&text) <= limits::EMBED_FIELD_VALUE);
        }
    }

    #[test]
    fn the_why_reads_article_by_article() {
        let content = content();
        let subject = Subject::find(&content, "leader-makes-key-decisions").expect("quizzed");
        let text = why(&content, subject);
        let expected = "Michelle Kaiser (CEO.com) puts it with leaders (the opening; Key Characteristics of Leaders).\n\
            *Leading vs. Managing* gives it to both roles (Decision-Making Responsibilities; Problem-Solving and Decision-Making).\n\
            *Key Differences You Should Know* puts it with leaders (Leadership vs. Management Skills).\n\
            Kristina Perunicic (Optimist) doesn't take a side.";
        assert!(text.starts_with(expected), "{text}");
    }

    #[test]
    fn articles_that_disagree_without_calling_it_shared_are_said_to_disagree() {
        let content = content();
        let subject = Subject::find(&content, "manager-creativity").expect("quizzed");
        let text = why(&content, subject);
        assert!(text.contains("The articles disagree"), "{text}");
        let subject = Subject::find(&content, "leader-makes-key-decisions").expect("quizzed");
        assert!(!why(&content, subject).contains("The articles disagree"));
    }

    #[test]
    fn a_note_too_long_for_the_field_gives_way_to_the_articles() {
        let mut content = content();
        let id = "leader-makes-key-decisions";
        for t in content.traits.iter_mut().filter(|t| t.id.as_str() == id) {
            t.quiz_note = Some(Text::new("A very long note. ".repeat(60)));
        }
        let subject = Subject::find(&content, id).expect("quizzed");
        let text = why(&content, subject);
        assert!(char_len(&text) <= limits::EMBED_FIELD_VALUE, "{text}");
        assert!(
            text.contains("Michelle Kaiser (CEO.com) puts it with leaders"),
            "{text}"
        );
        assert!(!text.contains("A very long note"), "{text}");
    }
}
