//! The daily tip deck reads right for a year of weekdays: enough tips that none repeats, each
//! asking one move no other tip asks, no two giving the same advice in other words, none tied to
//! a day of the week or to something that may not be going on, varied openings, and no tip
//! repeating the "ask yourself" line of the contrast it builds on (a member who runs `/contrast`
//! and reads the tip would get it twice).

use std::collections::{BTreeSet, HashMap};

use bridgebot::content::{bundled_files, parse, Content};

/// A year of weekdays, so a server never sees a tip twice in a year.
const YEAR_OF_WEEKDAYS: usize = 260;

/// Two texts sharing at least this many stems, making up at least this share of the shorter
/// one's stems, give the same advice. The pairs in `SAME_ADVICE_PAIRS` all reach it, while
/// tips giving different advice stay under it.
const SHARED_STEMS: usize = 4;
const SHARED_SHARE: f64 = 0.30;

/// Words every tip uses whatever its advice: grammar, and the vocabulary of "do this at work".
const STOP: &str = "a about above after again against all also am an and any are as at be because
been before being below between both but by can could did do does doing down during each even
every few for from further had has have having he her here hers him his how i if in into is it
its itself just let like made make makes many may me might more most much must my no nor not now
of off often on once one only or other our ours out over own per rather same she should so some
such than that the their theirs them then there these they this those through to too under until
up upon us very was we were what when where which while who whom why will with within without
would you your yours yourself team group people person work colleague colleagues teammate
teammates everyone anyone someone somebody nobody thing things week today day days time next
last ask pick choose take write two three four five ten minutes hour say tell keep put get give
go see set use try find look note whether instead";

/// Words that name the same idea in a tip, folded onto one stem so that rewording with a
/// synonym does not hide a duplicate.
const SAME_IDEA: [(&str, &str); 12] = [
    ("delegat", "hand"),
    ("ownership", "own"),
    ("owner", "own"),
    ("checkpoint", "check"),
    ("steadi", "steady"),
    ("dependabl", "steady"),
    ("improv", "chang"),
    ("launch", "start"),
    ("workflow", "routin"),
    ("rhythm", "routin"),
    ("repeat", "recur"),
    ("choic", "decision"),
];

const SUFFIXES: [&str; 13] = [
    "ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied", "ed", "es", "ly", "s", "er",
];

/// A small suffix-stripping stemmer: enough to make "changing", "changes" and "change" one word.
fn stem(word: &str) -> String {
    let mut w = word.to_string();
    for suffix in SUFFIXES {
        if w.len() >= suffix.len() + 3 && w.ends_with(suffix) {
            w.truncate(w.len() - suffix.len());
            if suffix == "ies" || suffix == "ied" {
                w.push('y');
            }
            break;
        }
    }
    if w.len() > 3 && w.ends_with('e') {
        w.pop();
    }
    let bytes = w.as_bytes();
    if w.len() > 3 {
        let (last, before) = (bytes[w.len() - 1], bytes[w.len() - 2]);
        if last == before && !b"aeiouls".contains(&last) {
            w.pop();
        }
    }
    w
}

fn stems(text: &str) -> BTreeSet<String> {
    let stop: BTreeSet<&str> = STOP.split_whitespace().collect();
    let lower = text.to_lowercase();
    lower
        .split(|c: char| !c.is_ascii_lowercase() && c != '\'')
        .map(|w| w.split('\'').next().unwrap_or_default())
        .filter(|w| w.len() >= 3 && !stop.contains(w))
        .map(stem)
        .filter(|s| !stop.contains(s.as_str()))
        .map(|s| {
            SAME_IDEA
                .iter()
                .find(|(from, _)| *from == s)
                .map_or(s.clone(), |(_, to)| to.to_string())
        })
        .collect()
}

/// The stems two texts share, when they share enough to say the same thing.
fn same_advice(a: &BTreeSet<String>, b: &BTreeSet<String>) -> Option<Vec<String>> {
    let shared: Vec<String> = a.intersection(b).cloned().collect();
    let shorter = a.len().min(b.len()).max(1) as f64;
    (shared.len() >= SHARED_STEMS && shared.len() as f64 / shorter >= SHARED_SHARE)
        .then_some(shared)
}

fn content() -> Content {
    Content::bundled().expect("the bundled content is valid")
}

fn tip_text(title: &str, body: &str) -> String {
    format!("{title} {body}")
}

#[test]
fn the_deck_lasts_a_year_of_weekdays() {
    let content = content();
    assert!(
        content.tips.len() >= YEAR_OF_WEEKDAYS,
        "{} tips, a year of weekdays needs {YEAR_OF_WEEKDAYS}",
        content.tips.len()
    );
}

#[test]
fn every_tip_asks_a_move_no_other_tip_asks() {
    let content = content();
    let mut first: HashMap<&str, &str> = HashMap::new();
    let mut repeats = Vec::new();
    for tip in &content.tips {
        if let Some(earlier) = first.insert(tip.r#move.as_str(), tip.id.as_str()) {
            repeats.push(format!("{} and {earlier} both ask {}", tip.id, tip.r#move));
        }
    }
    assert!(repeats.is_empty(), "{}", repeats.join("\n"));
    assert!(
        first.len() >= YEAR_OF_WEEKDAYS,
        "{} different moves, a year of weekdays needs {YEAR_OF_WEEKDAYS}",
        first.len()
    );
}

/// The bundled tips.toml, and the bundled content parsed with `edit` applied to it.
fn parse_with_tips(edit: impl Fn(&str) -> String) -> (String, Result<Content, String>) {
    let mut original = String::new();
    let files: Vec<_> = bundled_files()
        .into_iter()
        .map(|mut file| {
            if file.name == "tips.toml" {
                original = file.text.clone();
                file.text = edit(&file.text);
            }
            file
        })
        .collect();
    (
        original,
        parse(&files).map_err(|problems| problems.to_string()),
    )
}

#[test]
fn a_repeated_or_malformed_move_is_reported_with_its_line_all_at_once() {
    // The second tip made to ask the first tip's move, and the third given a move that is no
    // name: both are reported, each at its own line.
    let (text, parsed) = parse_with_tips(|text| {
        let moves: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("move = "))
            .take(3)
            .collect();
        text.replacen(moves[1], moves[0], 1)
            .replacen(moves[2], "move = \"Ask Everyone\"", 1)
    });
    let move_lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("move = "))
        .take(3)
        .map(|(i, l)| (i + 1, l))
        .collect();
    let problems = parsed.expect_err("a deck asking one move twice is not valid");
    let (first_at, _) = move_lines[0];
    let (repeat_at, _) = move_lines[1];
    let (malformed_at, _) = move_lines[2];
    assert!(
        problems.contains(&format!("content/tips.toml:{repeat_at}:"))
            && problems.contains("already asks")
            && problems.contains(&format!("content/tips.toml:{first_at}:")),
        "{problems}"
    );
    assert!(
        problems.contains(&format!("content/tips.toml:{malformed_at}:"))
            && problems.contains("move `Ask Everyone` of tip")
            && problems.contains("is not a valid name"),
        "{problems}"
    );

    // A tip with no move at all is reported too, in the file it is missing from.
    let (_, parsed) = parse_with_tips(|text| text.replacen(move_lines[0].1, "", 1));
    let problems = parsed.expect_err("a tip must name its move");
    assert!(
        problems.contains("content/tips.toml:") && problems.contains("missing field `move`"),
        "{problems}"
    );
}

#[test]
fn no_two_tips_give_the_same_advice() {
    let content = content();
    let tips: Vec<(&str, BTreeSet<String>)> = content
        .tips
        .iter()
        .map(|t| (t.id.as_str(), stems(&tip_text(&t.title, &t.body))))
        .collect();
    let mut problems = Vec::new();
    for (i, (a, a_stems)) in tips.iter().enumerate() {
        for (b, b_stems) in &tips[i + 1..] {
            if let Some(shared) = same_advice(a_stems, b_stems) {
                problems.push(format!("{a} ~ {b}: {}", shared.join(" ")));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_tip_repeats_the_ask_yourself_of_its_contrast() {
    let content = content();
    let asks: HashMap<&str, &str> = content
        .contrasts
        .iter()
        .map(|c| (c.id.as_str(), c.ask_yourself.as_str()))
        .collect();
    let trait_contrast: HashMap<&str, &str> = content
        .traits
        .iter()
        .map(|t| (t.id.as_str(), t.contrast.as_str()))
        .collect();
    let mut problems = Vec::new();
    for tip in &content.tips {
        let anchor = tip.builds_on.as_str();
        let contrast = trait_contrast.get(anchor).copied().unwrap_or(anchor);
        let Some(ask) = asks.get(contrast) else {
            continue;
        };
        if let Some(shared) = same_advice(&stems(&tip_text(&tip.title, &tip.body)), &stems(ask)) {
            problems.push(format!("{} ~ {contrast}: {}", tip.id, shared.join(" ")));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_tip_depends_on_the_day_of_the_week() {
    const DAYS: [&str; 8] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "weekend",
    ];
    let content = content();
    let problems: Vec<String> = content
        .tips
        .iter()
        .filter_map(|tip| {
            let text = tip_text(&tip.title, &tip.body).to_lowercase();
            let words: Vec<&str> = text.split(|c: char| !c.is_alphabetic()).collect();
            DAYS.iter()
                .find(|day| words.contains(day))
                .map(|day| format!("{}: {day}", tip.id))
        })
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A tip that opens on a condition only applies on the days that condition holds.
fn opens_on_a_condition(body: &str) -> bool {
    const CONDITIONS: [&str; 8] = [
        "if ",
        "when ",
        "whenever ",
        "next time ",
        "the next time ",
        "once ",
        "should ",
        "during any ",
    ];
    let lower = body.trim_start().to_lowercase();
    CONDITIONS.iter().any(|c| lower.starts_with(c))
}

#[test]
fn few_tips_wait_for_something_to_happen() {
    let content = content();
    let conditional: Vec<&str> = content
        .tips
        .iter()
        .filter(|t| opens_on_a_condition(&t.body))
        .map(|t| t.id.as_str())
        .collect();
    assert!(
        conditional.len() * 10 <= content.tips.len(),
        "{} of {} tips open on a condition: {}",
        conditional.len(),
        content.tips.len(),
        conditional.join(", ")
    );
}

#[test]
fn openings_vary() {
    let content = content();
    let mut openings: HashMap<String, Vec<&str>> = HashMap::new();
    for tip in &content.tips {
        let key = tip
            .body
            .split_whitespace()
            .take(2)
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            })
            .collect::<Vec<_>>()
            .join(" ");
        openings.entry(key).or_default().push(tip.id.as_str());
    }
    let mut problems: Vec<String> = openings
        .iter()
        .filter(|(_, ids)| ids.len() > 2)
        .map(|(opening, ids)| format!("\"{opening}\" opens {}", ids.join(", ")))
        .collect();
    problems.sort();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Pairs of tips that give one piece of advice in different words.
const SAME_ADVICE_PAIRS: [(&str, &str); 5] = [
    (
        "Find the root cause. Pick one problem that keeps recurring and ask why it happens, then ask why again until you reach something you can change. Fix that, not the symptom.",
        "Split a problem in two. Take one recurring problem and ask two questions: what quick fix keeps work moving today, and what deeper change would stop it happening? Assign an owner to each.",
    ),
    (
        "Fix it so it stays fixed. Look at the problems you keep patching by hand and choose one. Spend an hour on a change that stops it recurring, rather than handling it yet again.",
        "Find the root cause. Pick one problem that keeps recurring and ask why it happens, then ask why again until you reach something you can change. Fix that, not the symptom.",
    ),
    (
        "Hand over a whole piece. Give one person full ownership of a small piece of work, including how it gets done. Agree on the outcome and a check-in date, then resist stepping in before it.",
        "Agree on checkpoints, not steps. For your next delegated task, agree on two checkpoints instead of describing every step. Notice whether the result comes back better or worse than when you spell it all out.",
    ),
    (
        "Name what must keep running. Before starting any improvement, list the routines that must not slip while it happens and name who watches each. Steady basics give the new idea room to land.",
        "Pair a changer with a steadier. For your next improvement, name one person to drive the change and another to keep current work dependable while it happens. Have them compare notes for ten minutes every Friday.",
    ),
    (
        "Name what must keep running. Before starting any improvement, list the routines that must not slip while it happens and name who watches each. Steady basics give the new idea room to land.",
        "Count a change's ripple. Before launching your next change, write down which workflows it touches and who runs them. Talk to each of those people before the announcement, not after.",
    ),
];

#[test]
fn the_duplicate_check_catches_advice_given_twice() {
    for (a, b) in SAME_ADVICE_PAIRS {
        assert!(
            same_advice(&stems(a), &stems(b)).is_some(),
            "not caught:\n{a}\n{b}\nshared: {:?}",
            stems(a).intersection(&stems(b)).collect::<Vec<_>>()
        );
    }
}

#[test]
fn the_duplicate_check_lets_different_advice_through() {
    let a = stems("Protect a focus block. Agree on one two-hour block with no meetings and no expectation of chat replies. Use it to finish whatever keeps slipping.");
    let b = stems("Credit someone in public. Name a teammate's specific contribution in a channel or meeting where senior colleagues will see it. Be exact about what they did and why it mattered.");
    assert!(same_advice(&a, &b).is_none());
}

#[test]
fn the_stemmer_folds_word_forms() {
    assert_eq!(stem("changing"), stem("change"));
    assert_eq!(stem("changes"), stem("changed"));
    assert_eq!(stem("recurring"), stem("recur"));
    assert_eq!(stem("priorities"), stem("priority"));
    assert_eq!(stems("delegated checkpoints"), stems("hand check"));
}

#[test]
fn a_condition_is_told_from_a_named_moment() {
    assert!(opens_on_a_condition(
        "When a deadline slips, talk to the owner."
    ));
    assert!(opens_on_a_condition(
        "If a plan has stopped working, say so."
    ));
    assert!(!opens_on_a_condition(
        "At your next one-to-one, ask what helps."
    ));
}
