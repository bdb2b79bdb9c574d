//! Small text helpers every layer needs: counting characters the way Discord's limits do, and
//! clipping what a person typed before echoing it back.
//!
//! A leaf module (std only), so the time arithmetic, the content checks and the replies can
//! all use it without reaching into one another.

/// Number of characters as Discord counts them for its length limits (Unicode scalar values).
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

/// Cuts `text` to at most `max` characters, marking the cut with an ellipsis. For echoing
/// what a person typed, which can be far longer than any place it is shown.
pub fn clip(text: &str, max: usize) -> String {
    if char_len(text) <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{kept}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_keeps_short_text_and_marks_a_cut() {
        assert_eq!(clip("short", 10), "short");
        let cut = clip(&"é".repeat(50), 10);
        assert_eq!(char_len(&cut), 10);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn char_len_counts_characters_not_bytes() {
        assert_eq!(char_len("é€"), 2);
    }
}
