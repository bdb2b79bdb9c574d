//! The bundled content as a whole: it loads, the tip deck is big and varied, and the text
//! follows the style guide's hard rules.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A panic in a test is its failure.

use std::collections::{BTreeSet, HashMap};

use bridgebot::content::{Content, TipSide};

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
