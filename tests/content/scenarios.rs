//! The scenarios as content: the bundled ones are many enough, fairly mixed and well sourced,
//! and a mistake in `scenarios.toml` is reported with its file and line.

use std::collections::HashSet;

use bridgebot::content::{bundled_files, parse, Calls, Content, ContentFile};
use bridgebot::diag::{Diagnostic, Diagnostics};
use bridgebot::reply::layout;

fn content() -> Content {
    Content::bundled().expect("the bundled content is valid")
}

/// One good entry, on lines 1 to 9 of the file it is put in.
const GOOD: &str = r#"[[scenario]]
id = "a-good-one"
name = "A good one"
situation = "Something happens at work."
leading = "Leading would do this."
managing = "Managing would do that."
calls = "both"
why = "Because the article says so."
sources = ["kotter-based"]
"#;

/// The bundled files with `scenarios.toml` replaced by `text`, parsed.
fn problems_with(text: &str) -> Vec<Diagnostic> {
    let files: Vec<ContentFile> = bundled_files()
        .into_iter()
        .map(|mut file| {
            if file.name == "scenarios.toml" {
                file.text = text.to_string();
            }
            file
        })
        .collect();
    match parse(&files) {
        Ok(_) => Vec::new(),
        Err(Diagnostics(problems)) => problems,
    }
}

/// Two good entries (lines 1 to 19, so the minimum count holds whatever the third does),
/// then a third one, on lines 21 to 29, changed by `edit`.
fn with_third(edit: impl Fn(&str) -> String) -> Vec<Diagnostic> {
    let second = GOOD
        .replace("a-good-one", "second-one")
        .replace("A good one", "Second");
    let third = edit(
        &GOOD
            .replace("a-good-one", "another-one")
            .replace("A good one", "Another"),
    );
    problems_with(&format!("{GOOD}\n{second}\n{third}"))
}

fn assert_one_at(problems: &[Diagnostic], line: usize, says: &str) {
    assert_eq!(problems.len(), 1, "{}", Diagnostics(problems.to_vec()));
    let problem = &problems[0];
    assert_eq!(problem.file, "content/scenarios.toml");
    assert_eq!(problem.line, line, "{problem}");
    assert!(problem.problem.contains(says), "{problem}");
}

#[test]
fn there_are_at_least_thirty_scenarios_with_a_fair_mix_of_answers() {
    let content = content();
    let total = content.scenarios.len();
    assert!(total >= 30, "{total} scenarios");
    for calls in Calls::ALL {
        let count = content
            .scenarios
            .iter()
            .filter(|s| s.calls == calls)
            .count();
        let share = count as f64 / total as f64;
        assert!(
            (0.25..=0.42).contains(&share),
            "{} answers {count} of {total}: aim for about a third each",
            calls.label()
        );
    }
}

#[test]
fn every_scenario_has_a_distinct_name_and_names_real_sources() {
    let content = content();
    let mut names = HashSet::new();
    for scenario in &content.scenarios {
        assert!(
            names.insert(scenario.name.to_lowercase()),
            "the name {:?} is used twice",
            scenario.name.as_str()
        );
        assert!(!scenario.sources.is_empty());
        for source in &scenario.sources {
            assert!(
                content.source(source).is_some(),
                "{}: {source}",
                scenario.id
            );
        }
        if let Some(contrast) = &scenario.contrast {
            assert!(
                content.contrast(contrast).is_some(),
                "{}: {contrast}",
                scenario.id
            );
        }
    }
}

#[test]
fn the_bundled_scenarios_fit_every_answer_and_poll() {
    let problems = layout::check(&content());
    assert!(problems.is_empty(), "{}", Diagnostics(problems));
}

#[test]
fn an_unknown_field_is_reported_at_its_line() {
    let problems = with_third(|entry| entry.replace("calls = ", "colour = \"red\"\ncalls = "));
    assert_one_at(&problems, 27, "colour");
}

#[test]
fn a_missing_field_is_reported_at_its_entry() {
    let problems =
        with_third(|entry| entry.replace("why = \"Because the article says so.\"\n", ""));
    assert_one_at(&problems, 21, "why");
}

#[test]
fn an_answer_other_than_leading_managing_or_both_is_reported() {
    let problems = with_third(|entry| entry.replace("calls = \"both\"", "calls = \"neither\""));
    assert_eq!(problems.len(), 1, "{}", Diagnostics(problems.clone()));
    assert_eq!(problems[0].file, "content/scenarios.toml");
    assert_eq!(problems[0].line, 27, "{}", problems[0]);
    assert!(
        problems[0].to_string().contains("neither"),
        "{}",
        problems[0]
    );
}

#[test]
fn unknown_sources_and_contrasts_are_reported_with_a_suggestion() {
    let problems = with_third(|entry| {
        entry.replace(
            "sources = [\"kotter-based\"]",
            "sources = [\"kotter-basd\"]\ncontrast = \"vision-executon\"",
        )
    });
    assert_eq!(problems.len(), 2, "{}", Diagnostics(problems.clone()));
    for (problem, line, wrong, meant) in [
        (&problems[0], 29, "kotter-basd", "kotter-based"),
        (&problems[1], 30, "vision-executon", "vision-execution"),
    ] {
        assert_eq!(problem.file, "content/scenarios.toml");
        assert_eq!(problem.line, line, "{problem}");
        assert!(problem.problem.contains(wrong), "{problem}");
        assert!(problem.fix.contains(meant), "{problem}");
    }
}

#[test]
fn a_name_too_long_for_autocomplete_is_reported_at_its_line() {
    let long = "n".repeat(101);
    let problems =
        with_third(|entry| entry.replace("name = \"Another\"", &format!("name = \"{long}\"")));
    assert_one_at(&problems, 23, "autocomplete");
}

#[test]
fn every_problem_in_the_file_is_reported_at_once() {
    let problems = with_third(|entry| {
        entry
            .replace("calls = ", "colour = \"red\"\ncalls = ")
            .replace("sources = [\"kotter-based\"]", "sources = []")
    })
    .into_iter()
    .chain(problems_with(
        &GOOD.replace("id = \"a-good-one\"", "id = \"Not An Id\""),
    ))
    .collect::<Vec<_>>();
    assert!(problems.len() >= 3, "{}", Diagnostics(problems));
}

#[test]
fn a_situation_too_long_to_ask_as_a_poll_is_reported_at_its_entry() {
    let mut content = content();
    let long = "word ".repeat(60);
    content.scenarios[1].situation = bridgebot::content::Text::new(long);
    let line = content.scenarios[1].origin.line;
    let problems = layout::check(&content);
    assert_eq!(problems.len(), 1, "{}", Diagnostics(problems.clone()));
    assert_eq!(problems[0].file, "content/scenarios.toml");
    assert_eq!(problems[0].line, line);
    assert!(problems[0].problem.contains("poll"), "{}", problems[0]);
}
