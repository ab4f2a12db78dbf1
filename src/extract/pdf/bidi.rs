//! Right-to-left text back into reading order.
//!
//! A PDF draws glyphs where they stand, so Arabic or Hebrew comes out of the content stream in
//! visual order: left to right across the page, each word reversed. Poppler turns such runs
//! back; so do we, per line, with the Unicode Bidirectional Algorithm (UAX #9, the
//! `unicode-bidi` crate). Reordering a line that is already visual reverses its right-to-left
//! runs and keeps numbers and left-to-right text in place, which undoes how it was drawn.

use unicode_bidi::BidiInfo;

/// The text with every line that holds right-to-left letters put in reading order.
pub(super) fn to_reading_order(text: String) -> String {
    if !text.chars().any(is_right_to_left) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        if line.chars().any(is_right_to_left) {
            out.push_str(&reorder(line));
        } else {
            out.push_str(line);
        }
    }
    out
}

fn reorder(line: &str) -> String {
    let info = BidiInfo::new(line, None);
    match info.paragraphs.first() {
        Some(paragraph) => info.reorder_line(paragraph, paragraph.range.clone()).into_owned(),
        None => line.to_string(),
    }
}

/// Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms.
fn is_right_to_left(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::to_reading_order;

    #[test]
    fn an_arabic_word_drawn_left_to_right_reads_right_to_left() {
        // "العربية" drawn as the page shows it: its last letter first.
        let drawn: String = "العربية".chars().rev().collect();
        assert_eq!(
            to_reading_order(format!("A line with an Arabic {drawn} word.")),
            "A line with an Arabic العربية word."
        );
    }

    #[test]
    fn a_right_to_left_line_keeps_its_numbers_in_order() {
        // "14 April 1434" in Arabic, drawn: the year at the left, the day at the right.
        let drawn = format!("١٤٣٤ {} ١٤", "إبريل".chars().rev().collect::<String>());
        assert_eq!(to_reading_order(drawn), "١٤ إبريل ١٤٣٤");
    }

    #[test]
    fn text_without_right_to_left_letters_is_untouched() {
        let text = "Акт ввода\nв эксплуатацию (2026)".to_string();
        assert_eq!(to_reading_order(text.clone()), text);
    }
}
