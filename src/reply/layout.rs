//! Checks that every answer built from content fits Discord's limits.
//!
//! The content loader checks each text against the field it renders into; only this layer
//! knows how texts combine into one embed (several fields, a footer, a 6000-character total),
//! so it renders every entry the way the commands do and reports what would not fit, at the
//! entry's line in its file.

use super::library::{
    contrast_reply, example_reply, question_reply, questions_index, quote_reply,
    similarities_reply, tip_reply, traits_reply,
};
use super::poll::recap;
use super::poll::scenario_poll_about;
use super::scenario::{scenario_answer_reply, scenario_reply};
use super::Reply;
use crate::content::{Content, Origin, Side, TraitKind};
use crate::diag::{Diagnostic, Diagnostics, Location};

/// Every answer content can produce that Discord would refuse, as diagnostics.
pub fn check(content: &Content) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut report = |origin: &Origin, what: String, reply: Reply| {
        let found = reply.limit_problems();
        if !found.is_empty() {
            problems.push(origin.diagnostic(
                format!(
                    "{what} does not fit in one Discord message: {}",
                    found.join("; ")
                ),
                "shorten the texts it shows (the message says which part is over)",
            ));
        }
    };
    for c in &content.contrasts {
        report(
            &c.origin,
            format!("contrast `{}`", c.id),
            contrast_reply(content, c),
        );
    }
    for e in &content.examples {
        report(
            &e.origin,
            format!("example `{}`", e.id),
            example_reply(content, e),
        );
    }
    for q in &content.questions {
        report(
            &q.origin,
            format!("question `{}`", q.id),
            question_reply(content, q),
        );
    }
    for q in &content.quotes {
        report(
            &q.origin,
            format!("quote `{}`", q.id),
            quote_reply(content, q),
        );
    }
    for t in &content.tips {
        report(&t.origin, format!("tip `{}`", t.id), tip_reply(content, t));
    }
    for s in &content.scenarios {
        let what = format!("scenario `{}`", s.id);
        report(&s.origin, what.clone(), scenario_reply(s));
        report(
            &s.origin,
            format!("the answer of {what}"),
            scenario_answer_reply(content, s),
        );
        if let Some(spec) = scenario_poll_about(content, &s.id) {
            report(
                &s.origin,
                format!("the poll recap of {what}"),
                recap(content, &spec, &[1, 1, 1]),
            );
        }
    }
    for side in [Side::Leader, Side::Manager] {
        for kind in [
            None,
            Some(TraitKind::Characteristic),
            Some(TraitKind::Skill),
        ] {
            let first = content
                .traits_of(side, kind)
                .next()
                .map(|t| t.origin.clone());
            let origin = first.unwrap_or_else(|| file_start("traits.toml"));
            let what = format!(
                "the {} list{}",
                side.label().to_lowercase(),
                kind.map(|k| format!(" of {}", k.plural().to_lowercase()))
                    .unwrap_or_default()
            );
            report(&origin, what, traits_reply(content, side, kind));
        }
    }
    let first = content.similarities.first().map(|s| s.origin.clone());
    report(
        &first.unwrap_or_else(|| file_start("similarities.toml")),
        "the similarities list".into(),
        similarities_reply(content),
    );
    let first = content.questions.first().map(|q| q.origin.clone());
    report(
        &first.unwrap_or_else(|| file_start("questions.toml")),
        "the question list".into(),
        questions_index(content),
    );
    problems.extend(scenario_polls(content));
    problems
}

/// Every scenario whose poll Discord would refuse (its situation is the poll's question).
fn scenario_polls(content: &Content) -> Vec<Diagnostic> {
    content
        .scenarios
        .iter()
        .filter_map(|s| {
            let found = scenario_poll_about(content, &s.id)?.limit_problems();
            (!found.is_empty()).then(|| {
                s.origin.diagnostic(
                    format!(
                        "the poll of scenario `{}` would be refused: {}",
                        s.id,
                        found.join("; ")
                    ),
                    "shorten its situation: the poll asks it as its question",
                )
            })
        })
        .collect()
}

/// [`check`] as a result, for loading.
pub fn validate(content: &Content) -> Result<(), Diagnostics> {
    Diagnostics(check(content)).into_result(())
}

fn file_start(file: &str) -> Location {
    Location {
        file: format!("content/{file}"),
        line: 1,
        column: 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Text;

    #[test]
    fn bundled_content_fits_every_limit() {
        let content = Content::bundled().expect("bundled content is valid");
        let problems = check(&content);
        assert!(problems.is_empty(), "{}", Diagnostics(problems));
    }

    #[test]
    fn an_entry_too_long_as_a_whole_is_reported_at_its_line() {
        let mut content = Content::bundled().expect("bundled content is valid");
        // Each text stays within its own field's limit; together they pass 6000 characters.
        let contrast = &mut content.contrasts[0];
        let near_limit = Text::new("word ".repeat(200));
        contrast.leader = near_limit.clone();
        contrast.manager = near_limit.clone();
        contrast.ask_yourself = near_limit;
        contrast.in_practice = Text::new("word ".repeat(700));
        let problems = check(&content);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0]
            .problem
            .contains(content.contrasts[0].id.as_str()));
        assert!(problems[0].problem.contains("6000"), "{}", problems[0]);
        assert_eq!(problems[0].file, "content/contrasts.toml");
        assert_eq!(problems[0].line, content.contrasts[0].origin.line);
    }
}
