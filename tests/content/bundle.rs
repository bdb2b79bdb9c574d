//! The bundled content as a whole: it loads, the tip deck is big and varied, the quiz never
//! marks a defensible answer wrong, needs polls never offer two labels that mean the same,
//! and the text follows the style guide's hard rules.

use std::collections::{BTreeSet, HashMap};

use bridgebot::content::{bundled_files, parse, Content, QuizAnswer, Says, TipSide};
use bridgebot::reply::poll::quiz_why;

fn content() -> Content {
    Content::bundled().expect("the bundled content is valid")
}

/// Words that carry meaning: four letters or more, minus the glue every tip shares.
fn content_words(text: &str) -> BTreeSet<String> {
    const STOP: [&str; 18] = [
        "that", "this", "with", "your", "they", "them", "their", "what", "when", "which", "would",
        "from", "have", "into", "about", "each", "week", "team",
    ];
    text.to_lowercase()
        .split(|c: char| !c.is_alphabetic() && c != '\'')
        .filter(|w| w.chars().count() >= 4 && !STOP.contains(w) && *w != "people")
        .map(str::to_string)
        .collect()
}

fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let shared = a.intersection(b).count() as f64;
    let all = a.union(b).count() as f64;
    if all == 0.0 {
        0.0
    } else {
        shared / all
    }
}

/// Two tips whose bodies share this much of their vocabulary say the same thing.
const NEAR_DUPLICATE: f64 = 0.34;

#[test]
fn no_two_tips_say_the_same_thing_in_other_words() {
    let content = content();
    let words: Vec<_> = content
        .tips
        .iter()
        .map(|t| (t.id.as_str(), content_words(&t.body)))
        .collect();
    let mut clashes = Vec::new();
    for (i, (a, wa)) in words.iter().enumerate() {
        for (b, wb) in &words[i + 1..] {
            let score = jaccard(wa, wb);
            if score >= NEAR_DUPLICATE {
                clashes.push(format!("{a} ~ {b}: {score:.2}"));
            }
        }
    }
    assert!(
        clashes.is_empty(),
        "near-duplicate tips (rewrite one of each pair):\n{}",
        clashes.join("\n")
    );
}

#[test]
fn the_near_duplicate_check_catches_a_reworded_tip() {
    let a = content_words("Pick one process your group has not questioned in a year and ask what would break without it.");
    let b = content_words(
        "Choose one process nobody has questioned in a year, and ask what would break if it went.",
    );
    assert!(jaccard(&a, &b) >= NEAR_DUPLICATE, "{:.2}", jaccard(&a, &b));
}

#[test]
fn the_deck_holds_at_least_a_hundred_short_tips_for_every_side() {
    let content = content();
    assert!(content.tips.len() >= 100, "{} tips", content.tips.len());
    for tip in &content.tips {
        let sentences = tip.body.matches(['.', '?']).count();
        assert!(
            (1..=3).contains(&sentences),
            "{}: {} sentences",
            tip.id,
            sentences
        );
        assert!(
            tip.title.split_whitespace().count() <= 8,
            "{}: long title",
            tip.id
        );
    }
    let mut sides: HashMap<&str, usize> = HashMap::new();
    for tip in &content.tips {
        let side = match tip.side {
            TipSide::Leader => "leader",
            TipSide::Manager => "manager",
            TipSide::Both => "both",
        };
        *sides.entry(side).or_default() += 1;
    }
    for side in ["leader", "manager", "both"] {
        assert!(
            sides.get(side).copied().unwrap_or(0) >= 20,
            "few tips for {side}: {sides:?}"
        );
    }
}

#[test]
fn every_contrast_has_tips_building_on_it() {
    let content = content();
    for contrast in &content.contrasts {
        let count = content.tips_building_on(&contrast.id).count();
        assert!(count >= 3, "{} has {count} tips", contrast.id);
    }
}

/// Every text of the content, with where it is.
fn all_texts(content: &Content) -> Vec<(String, String)> {
    let mut texts = Vec::new();
    for c in &content.contrasts {
        for t in [
            &c.title,
            &c.leader,
            &c.manager,
            &c.in_practice,
            &c.ask_yourself,
        ] {
            texts.push((format!("contrast {}", c.id), t.to_string()));
        }
    }
    for t in &content.traits {
        texts.push((
            format!("trait {}", t.id),
            format!("{} {}", t.short, t.detail),
        ));
    }
    for s in &content.similarities {
        texts.push((
            format!("similarity {}", s.id),
            format!("{} {} {} {}", s.title, s.shared, s.leader, s.manager),
        ));
    }
    for e in &content.examples {
        texts.push((
            format!("example {}", e.id),
            format!("{} {} {} {}", e.story, e.leader, e.manager, e.takeaway),
        ));
    }
    for q in &content.questions {
        texts.push((
            format!("question {}", q.id),
            format!("{} {}", q.question, q.answer),
        ));
    }
    for tip in &content.tips {
        texts.push((
            format!("tip {}", tip.id),
            format!("{} {}", tip.title, tip.body),
        ));
    }
    texts
}

#[test]
fn the_text_keeps_the_style_guides_hard_rules() {
    const HYPE: [&str; 5] = [
        "synergy",
        "game-changer",
        "game changer",
        "unlock",
        "leverage",
    ];
    let content = content();
    let mut problems = Vec::new();
    for (place, text) in all_texts(&content) {
        let lower = text.to_lowercase();
        if let Some(word) = HYPE.iter().find(|w| lower.contains(*w)) {
            problems.push(format!("{place}: hype word {word:?}"));
        }
        if text
            .chars()
            .any(|c| matches!(c as u32, 0x1F300..=0x1FAFF | 0x2600..=0x27BF))
        {
            problems.push(format!("{place}: emoji"));
        }
        if place.starts_with("tip ") && text.contains('!') {
            problems.push(format!("{place}: exclamation mark"));
        }
        if lower.contains("fast-paced world") {
            problems.push(format!("{place}: filler opener"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_entry_names_a_source_article() {
    let content = content();
    assert_eq!(content.sources.len(), 4);
    assert!(content.tips.iter().all(|t| !t.sources.is_empty()));
    assert!(content.traits.iter().all(|t| !t.sources.is_empty()));
}

// ----- Labels: quiz fairness and needs polls -----

/// Words a label is made of that say nothing about what it means.
const LABEL_STOP: [&str; 22] = [
    "a", "an", "and", "the", "to", "of", "on", "in", "it", "its", "as", "at", "for", "with",
    "what", "when", "who", "up", "out", "that", "their", "people",
];

/// A crude stem: lowercase, drop a common ending, undo a doubled last consonant, keep at most
/// six letters, so "plans", "planning" and "planned" all become "plan".
fn stem(word: &str) -> String {
    let word = word.to_lowercase();
    let mut base = word.as_str();
    for ending in [
        "ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "ly", "s",
    ] {
        if let Some(rest) = base.strip_suffix(ending) {
            if rest.chars().count() >= 3 {
                base = rest;
                break;
            }
        }
    }
    let mut letters: Vec<char> = base.chars().collect();
    let n = letters.len();
    if n >= 4 && letters[n - 1] == letters[n - 2] && !"aeiou".contains(letters[n - 1]) {
        letters.pop();
    }
    letters.into_iter().take(6).collect()
}

/// The stems of a label's content words.
fn label_stems(label: &str) -> BTreeSet<String> {
    label
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !LABEL_STOP.contains(&w.to_lowercase().as_str()))
        .map(stem)
        .collect()
}

/// How alike two labels are: the stems they share over the stems of the shorter one. Two
/// labels sharing at least two stems and half of the shorter one read as the same question.
fn label_overlap(a: &str, b: &str) -> (usize, f64) {
    let (sa, sb) = (label_stems(a), label_stems(b));
    let shared = sa.intersection(&sb).count();
    let smaller = sa.len().min(sb.len()).max(1);
    (shared, shared as f64 / smaller as f64)
}

fn near_identical(a: &str, b: &str) -> bool {
    let (shared, share) = label_overlap(a, b);
    shared >= 2 && share >= 0.5
}

#[test]
fn the_label_measure_catches_reworded_labels_and_passes_different_ones() {
    for (a, b) in [
        (
            "Plans projects and their budgets",
            "Handles planning and budgeting",
        ),
        (
            "Solves problems as they come up",
            "Solves problems and adjusts when things change",
        ),
        ("Tracks progress", "Tracks progress against goals"),
        (
            "Communicates clearly with the team",
            "Communicating clearly",
        ),
    ] {
        assert!(
            near_identical(a, b),
            "{a:?} ~ {b:?}: {:?}",
            label_overlap(a, b)
        );
    }
    for (a, b) in [
        (
            "Takes risks after weighing them",
            "Reduces risk before it causes damage",
        ),
        (
            "Gets the work finished",
            "Pushes the limits of what seems possible",
        ),
    ] {
        assert!(
            !near_identical(a, b),
            "{a:?} ~ {b:?}: {:?}",
            label_overlap(a, b)
        );
    }
    assert_eq!(stem("planning"), "plan");
    assert_eq!(stem("budgets"), stem("budgeting"));
}

/// Every quiz subject: its label and its answer.
fn quiz_subjects(content: &Content) -> Vec<(&str, &str, QuizAnswer)> {
    content
        .traits
        .iter()
        .filter_map(|t| {
            t.quiz_answer()
                .map(|a| (t.id.as_str(), t.short.as_str(), a))
        })
        .chain(
            content
                .similarities
                .iter()
                .map(|s| (s.id.as_str(), s.short.as_str(), QuizAnswer::Both)),
        )
        .collect()
}

#[test]
fn quiz_subjects_with_near_identical_labels_have_the_same_answer() {
    let content = content();
    let subjects = quiz_subjects(&content);
    let mut clashes = Vec::new();
    for (i, (id_a, a, answer_a)) in subjects.iter().enumerate() {
        for (id_b, b, answer_b) in &subjects[i + 1..] {
            if answer_a != answer_b && near_identical(a, b) {
                clashes.push(format!(
                    "{id_a} ({}) ~ {id_b} ({}): {a:?} / {b:?}",
                    answer_a.label(),
                    answer_b.label()
                ));
            }
        }
    }
    assert!(
        clashes.is_empty(),
        "the same question with different answers:\n{}",
        clashes.join("\n")
    );
}

#[test]
fn at_least_a_quarter_of_quiz_subjects_answer_both() {
    let content = content();
    let subjects = quiz_subjects(&content);
    let mut mix: HashMap<&str, usize> = HashMap::new();
    for (_, _, answer) in &subjects {
        *mix.entry(answer.label()).or_default() += 1;
    }
    let both = mix.get("Both").copied().unwrap_or(0);
    assert!(
        both * 4 >= subjects.len(),
        "{both} of {} quiz subjects answer Both: {mix:?}",
        subjects.len()
    );
    for side in ["Leader", "Manager"] {
        assert!(mix.get(side).copied().unwrap_or(0) >= 5, "{mix:?}");
    }
}

#[test]
fn every_both_answer_explains_which_article_says_what() {
    let content = content();
    // As the recap names them: author and publisher, or the title.
    let names = [
        "CEO.com",
        "Optimist",
        "Kotter's",
        "Key Differences You Should Know",
    ];
    let both = quiz_subjects(&content)
        .into_iter()
        .filter(|(_, _, answer)| *answer == QuizAnswer::Both)
        .map(|(id, _, _)| id);
    for id in both {
        let note = quiz_why(&content, id).unwrap_or_default();
        let named = names.iter().filter(|n| note.contains(*n)).count();
        assert!(named >= 2, "{id}: the quiz recap names {named} articles");
    }
}

/// What the article `source` says of the quiz subject `id`, as its evidence records it.
fn says_of(content: &Content, id: &str, source: &str) -> Option<Says> {
    let evidence = match content.trait_by_id(id) {
        Some(t) => t.evidence.as_ref(),
        None => content.similarity(id).and_then(|s| s.evidence.as_ref()),
    };
    evidence.and_then(|e| e.of(source)).map(|f| f.says())
}

#[test]
fn every_quiz_answer_follows_from_what_the_articles_say() {
    let content = content();
    let mut wrong = Vec::new();
    for (id, short, answer) in quiz_subjects(&content) {
        let said: Vec<Says> = content
            .sources
            .iter()
            .map(|source| {
                says_of(&content, id, &source.id)
                    .unwrap_or_else(|| panic!("{id}: nothing recorded for {}", source.id))
            })
            .collect();
        let leader = said.contains(&Says::Leader);
        let manager = said.contains(&Says::Manager);
        let shared = said.contains(&Says::Both);
        // "Leader" or "Manager" only when at least one article puts it on that side and none
        // puts it on the other side or with both; "Both" when one calls it shared or two
        // disagree.
        let expected = match (leader, manager, shared) {
            (_, _, true) | (true, true, _) => QuizAnswer::Both,
            (true, false, false) => QuizAnswer::Leader,
            (false, true, false) => QuizAnswer::Manager,
            (false, false, false) => panic!("{id}: every article is silent"),
        };
        if answer != expected {
            wrong.push(format!(
                "{id} {short:?}: answers {}, the evidence gives {}",
                answer.label(),
                expected.label()
            ));
        }
    }
    for similarity in &content.similarities {
        let id = similarity.id.as_str();
        let said: Vec<Option<Says>> = content
            .sources
            .iter()
            .map(|s| says_of(&content, id, &s.id))
            .collect();
        let shared = said.contains(&Some(Says::Both))
            || (said.contains(&Some(Says::Leader)) && said.contains(&Some(Says::Manager)));
        if !shared {
            wrong.push(format!(
                "{id}: a similarity whose evidence does not give Both"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_answers_the_issue_found_contested_follow_the_articles() {
    let content = content();
    for (id, source) in [
        // Both roles make the hard decisions; decision-making is also a manager skill.
        ("leader-makes-key-decisions", "kotter-based"),
        // Both leading and managing set a direction for others to follow.
        ("leader-visionary-thinking", "hubspot-style"),
        // In both roles the ability to persuade decides success.
        ("leader-influence-persuasion", "kotter-based"),
    ] {
        assert_eq!(says_of(&content, id, source), Some(Says::Both), "{id}");
        let answer = content.trait_by_id(id).and_then(|t| t.quiz_answer());
        assert_eq!(answer, Some(QuizAnswer::Both), "{id}");
    }
}

#[test]
fn a_pulse_never_offers_two_labels_that_mean_the_same() {
    let content = content();
    let mut clashes = Vec::new();
    for (i, a) in content.traits.iter().enumerate() {
        for b in &content.traits[i + 1..] {
            if a.needs_key() != b.needs_key() && near_identical(&a.short, &b.short) {
                clashes.push(format!("{} {:?} ~ {} {:?}", a.id, a.short, b.id, b.short));
            }
        }
    }
    assert!(
        clashes.is_empty(),
        "give each pair one needs_group, or reword one label:\n{}",
        clashes.join("\n")
    );
}

/// The bundled files with `edit` applied to traits.toml, parsed.
fn parse_with_traits(edit: impl Fn(&str) -> String) -> Result<Content, String> {
    parse_with("traits.toml", edit)
}

/// The bundled files with `edit` applied to the file `name`, parsed.
fn parse_with(name: &str, edit: impl Fn(&str) -> String) -> Result<Content, String> {
    let files: Vec<_> = bundled_files()
        .into_iter()
        .map(|mut file| {
            if file.name == name {
                file.text = edit(&file.text);
            }
            file
        })
        .collect();
    parse(&files).map_err(|problems| problems.to_string())
}

/// The bundled text of the content file `name`.
fn bundled_text(name: &str) -> String {
    bundled_files()
        .into_iter()
        .find(|f| f.name == name)
        .expect("a bundled file")
        .text
}

/// `text` with the first `from` after the line holding `id = "{id}"` replaced by `to`.
fn edit_entry(text: &str, id: &str, from: &str, to: &str) -> String {
    let start = text
        .find(&format!("id = \"{id}\""))
        .expect("the entry is in the file");
    let at = start + text[start..].find(from).expect("the entry holds the text");
    format!("{}{to}{}", &text[..at], &text[at + from.len()..])
}

/// The line of the first `needle` after the entry `id`.
fn line_in_entry(text: &str, id: &str, needle: &str) -> usize {
    let start = text
        .find(&format!("id = \"{id}\""))
        .expect("the entry is in the file");
    let at = start
        + text[start..]
            .find(needle)
            .expect("the entry holds the text");
    text[..at].matches('\n').count() + 1
}

#[test]
fn a_content_folder_that_still_says_pulse_group_keeps_its_groups() {
    let old = parse_with_traits(|t| t.replace("needs_group =", "pulse_group ="))
        .expect("the older name is read");
    let now = parse_with_traits(|t| t.to_string()).expect("bundled");
    let groups = |c: &Content| -> Vec<String> {
        c.traits.iter().map(|t| t.needs_key().to_string()).collect()
    };
    assert_eq!(groups(&old), groups(&now));
    assert!(now.traits.iter().any(|t| t.needs_group.is_some()));
}

#[test]
fn a_both_answer_without_a_note_or_a_lonely_needs_group_is_reported_with_its_line() {
    let text = bundled_files()
        .into_iter()
        .find(|f| f.name == "traits.toml")
        .expect("traits.toml")
        .text;
    let line_of = |needle: &str| {
        text.lines()
            .position(|l| l.contains(needle))
            .map(|i| i + 1)
            .expect("the needle is in traits.toml")
    };
    // The first trait quizzed on its side, made "both" with no note.
    let both_at = line_of("quiz = \"side\"");
    let problems = parse_with_traits(|t| t.replacen("quiz = \"side\"", "quiz = \"both\"", 1))
        .expect_err("a both answer needs a note");
    assert!(
        problems.contains(&format!("content/traits.toml:{both_at}:"))
            && problems.contains("no quiz_note"),
        "{problems}"
    );

    let group_at = line_of("needs_group = \"planning-budgets\"");
    let problems = parse_with_traits(|t| {
        t.replacen(
            "needs_group = \"planning-budgets\"",
            "needs_group = \"planing-budgets\"",
            1,
        )
    })
    .expect_err("a group of one is a typo");
    assert!(
        problems.contains(&format!("content/traits.toml:{group_at}:"))
            && problems.contains("has no other trait"),
        "{problems}"
    );

    let problems = parse_with_traits(|t| t.replacen("quiz = \"side\"", "quiz = \"maybe\"", 1))
        .expect_err("an unknown rule");
    assert!(
        problems.contains(&format!("content/traits.toml:{both_at}")),
        "{problems}"
    );

    let skip_at = line_of("quiz = \"skip\"");
    let problems = parse_with_traits(|t| {
        t.replacen(
            "quiz = \"skip\"",
            "quiz = \"skip\"\nquiz_note = \"Never shown.\"",
            1,
        )
    })
    .expect_err("a note nobody sees");
    assert!(
        problems.contains(&format!("content/traits.toml:{}:", skip_at + 1))
            && problems.contains("never shown"),
        "{problems}"
    );
}

#[test]
fn a_quiz_answer_the_evidence_does_not_give_is_reported_with_its_line_and_fix() {
    let text = bundled_text("traits.toml");
    // An article read as giving the mission to both roles: the trait says "side".
    let mission = "leader-sets-mission";
    let mission_quiz = line_in_entry(&text, mission, "quiz = ");
    // An article read as putting creativity with leaders: nothing then puts it with managers.
    let creativity = "manager-creativity";
    let creativity_quiz = line_in_entry(&text, creativity, "quiz = ");
    let problems = parse_with_traits(|t| {
        let t = edit_entry(
            t,
            mission,
            "kotter-based = { says = \"leader\"",
            "kotter-based = { says = \"both\"",
        );
        edit_entry(
            &t,
            creativity,
            "hubspot-style = { says = \"manager\"",
            "hubspot-style = { says = \"leader\"",
        )
    })
    .expect_err("the evidence decides the answer");
    // Every problem at once, each with its line and the fix.
    assert!(
        problems.contains(&format!("content/traits.toml:{mission_quiz}:"))
            && problems.contains("its evidence gives Both: ")
            && problems.contains("kotter-based says both")
            && problems.contains("set quiz = \"both\""),
        "{problems}"
    );
    assert!(
        problems.contains(&format!("content/traits.toml:{creativity_quiz}:"))
            && problems.contains("its evidence gives Leader")
            && problems.contains("set side = \"leader\" and quiz = \"side\""),
        "{problems}"
    );
}

#[test]
fn a_record_that_forgets_an_article_or_its_section_is_reported_with_its_line() {
    let text = bundled_text("traits.toml");
    let id = "leader-calculated-risks";
    let id_line = line_in_entry(&text, id, "id = ");
    let kotter_line = line_in_entry(&text, id, "kotter-based = ");
    let ceo_line = line_in_entry(&text, id, "ceo-com = ");
    let problems = parse_with_traits(|t| {
        // No line for Optimist; no section for the Kotter-based article; a section for a
        // silent one; an article that is not in sources.toml.
        let t = edit_entry(t, id, "optimist = { says = \"silent\" }\n", "");
        let t = edit_entry(
            &t,
            id,
            "says = \"leader\", sections = [\"Risk-Taking vs. Risk Management\"]",
            "says = \"leader\"",
        );
        edit_entry(
            &t,
            id,
            "ceo-com = { says = \"silent\" }",
            "ceo-com = { says = \"silent\", sections = [\"the opening\"] }\nkotter = { says = \"leader\", sections = [\"x\"] }",
        )
    })
    .expect_err("an incomplete record");
    for (line, words) in [
        (id_line, "leaves out `optimist`"),
        (kotter_line, "names no section"),
        (ceo_line, "so it has no section"),
        (ceo_line + 1, "`kotter` in the evidence"),
    ] {
        assert!(
            problems.contains(&format!("content/traits.toml:{line}:")) && problems.contains(words),
            "line {line}, {words:?}:\n{problems}"
        );
    }
}

#[test]
fn a_similarity_whose_evidence_does_not_give_both_is_reported() {
    let text = bundled_text("similarities.toml");
    let id = "shared-team-development";
    let id_line = line_in_entry(&text, id, "id = ");
    let problems = parse_with("similarities.toml", |t| {
        edit_entry(
            t,
            id,
            "kotter-based = { says = \"both\"",
            "kotter-based = { says = \"leader\"",
        )
    })
    .expect_err("a similarity is always Both");
    assert!(
        problems.contains(&format!("content/similarities.toml:{id_line}:"))
            && problems.contains("always answered Both"),
        "{problems}"
    );
}

#[test]
fn a_quiz_note_too_long_to_sit_beside_the_articles_is_reported() {
    let text = bundled_text("traits.toml");
    let id = "leader-makes-key-decisions";
    let note_line = line_in_entry(&text, id, "quiz_note = ");
    let problems = parse_with_traits(|t| {
        edit_entry(
            t,
            id,
            "quiz_note = \"",
            &format!("quiz_note = \"{}", "A long note. ".repeat(32)),
        )
    })
    .expect_err("a note longer than its share of the recap");
    assert!(
        problems.contains(&format!("content/traits.toml:{note_line}:"))
            && problems.contains("keeps it to 400"),
        "{problems}"
    );
}
