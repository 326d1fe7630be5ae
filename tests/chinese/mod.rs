//! What the Chinese-by-default tests (issue 21) count as English: runs of three or more
//! English words, outside ids, codes, file names, flags, `gongyu …` commands and text in
//! backquotes; one finder for every test file.

/// Runs of three or more English words: what a person would read as an English sentence.
/// Words joined by `-`, `_`, `.` or `/` (ids, codes, file names), flags, `gongyu …`
/// commands, and text inside backquotes are not words of a sentence.
pub fn english_sentences(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        // Text in backquotes is a command to type.
        let mut plain = String::new();
        for (i, part) in line.split('`').enumerate() {
            if i % 2 == 0 {
                plain.push_str(part);
                plain.push(' ');
            }
        }
        let mut run: Vec<&str> = Vec::new();
        let mut flush = |run: &mut Vec<&str>| {
            if run.len() >= 3 && run[0] != "gongyu" {
                found.push(format!("{} ⟵ {line}", run.join(" ")));
            }
            run.clear();
        };
        for token in plain.split([' ', '\t']) {
            let word = token.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '.' | '(' | ')' | '"' | '\'' | '!' | '?'));
            let is_word = word.len() >= 2 && word.chars().all(|c| c.is_ascii_alphabetic()) && !token.starts_with('-');
            if is_word {
                run.push(word);
            } else {
                flush(&mut run);
            }
        }
        flush(&mut run);
    }
    found
}

/// Whether `text` holds Chinese characters.
pub fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// The first run of three or more English words in `text`, if any.
pub fn english_sentence(text: &str) -> Option<String> {
    english_sentences(text).into_iter().next()
}

/// `text` is Chinese and holds no English sentence.
#[track_caller]
pub fn assert_chinese(text: &str) {
    assert!(has_cjk(text), "not Chinese:\n{text}");
    if let Some(s) = english_sentence(text) {
        panic!("an English sentence: {s}\n--- in\n{text}");
    }
}

/// The line of `text` holding `needle`.
#[track_caller]
pub fn line_with<'t>(text: &'t str, needle: &str) -> &'t str {
    text.lines().find(|l| l.contains(needle)).unwrap_or_else(|| panic!("no line with {needle:?} in\n{text}"))
}
