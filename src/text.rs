//! Small text helpers every layer needs: counting characters the way Discord's limits do, and
//! making what a person typed safe to echo back.
//!
//! A leaf module (std only), so the time arithmetic, the content checks and the replies can
//! all use it without reaching into one another.

/// Number of characters as Discord counts them for its length limits (Unicode scalar values).
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

/// Longest piece of a person's own input echoed back in an answer.
pub const ECHO_MAX: usize = 80;

/// Characters that reorder the text around them (bidirectional embeddings, overrides and
/// isolates). Left unclosed in an echo, they would turn the bot's own words around.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// What a person typed, made safe to show back: one line, no code marks, no reordering
/// marks, clipped.
pub fn echo(input: &str) -> String {
    let flat: String = input
        .chars()
        .filter(|c| !is_bidi_control(*c))
        .map(|c| if c.is_control() || c == '`' { ' ' } else { c })
        .collect();
    clip(flat.trim(), ECHO_MAX)
}

/// Adds a problem when `text` is empty or longer than `max` characters; `what` names it.
pub fn check_len(problems: &mut Vec<String>, what: &str, text: &str, max: usize) {
    let length = char_len(text);
    if length > max {
        problems.push(format!("{what} is {length} characters, more than {max}"));
    }
    if text.trim().is_empty() {
        problems.push(format!("{what} is empty"));
    }
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
    fn echo_flattens_and_clips_input() {
        assert_eq!(echo("a\nb`c"), "a b c");
        assert_eq!(echo(&"x".repeat(500)).chars().count(), ECHO_MAX);
        assert_eq!(echo("\u{202E}gnihtemos\u{2067}x"), "gnihtemosx");
    }

    #[test]
    fn char_len_counts_characters_not_bytes() {
        assert_eq!(char_len("é€"), 2);
    }
}
