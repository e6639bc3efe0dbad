//! The reading level of the English texts, screen by screen: the Flesch-Kincaid grade of each
//! group of texts in `text.rs` (its comments name the groups: "Before you start.",
//! "Checking.", the server's pages), and of all of them, each held at grade 8 or lower so
//! that new texts stay plain (WCAG 3.1.5 asks for lower secondary education, grades 7 to 9;
//! docs/accessibility.md states the figures). Test-only: nothing here ships.
//!
//! Flesch-Kincaid grade (Kincaid et al., 1975):
//! `0.39 × words / sentences + 11.8 × syllables / words − 15.59`. Syllables are counted by
//! the usual vowel-group rule (silent final `e`, `-es`, `-ed`), which is what readability
//! tools do for words outside a dictionary.

use super::text::{Msg, PageMsg};

/// The ceiling, in US school grades.
const CEILING: f64 = 8.0;

/// Counts of a text: words, sentences, syllables.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Counts {
    words: usize,
    sentences: usize,
    syllables: usize,
}

impl Counts {
    fn add(self, other: Counts) -> Counts {
        Counts {
            words: self.words + other.words,
            sentences: self.sentences + other.sentences,
            syllables: self.syllables + other.syllables,
        }
    }

    /// The Flesch-Kincaid grade.
    fn grade(self) -> f64 {
        0.39 * self.words as f64 / self.sentences as f64
            + 11.8 * self.syllables as f64 / self.words as f64
            - 15.59
    }
}

/// Syllables in one word (letters only, any case).
fn syllables(word: &str) -> usize {
    let word: String = word
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if word.len() <= 3 {
        return 1;
    }
    let vowel = |c: u8| b"aeiouy".contains(&c);
    let bytes = word.as_bytes();
    let n = bytes.len();
    // A silent ending: "-es" and "-e" after a consonant other than l ("phone", "uses", but
    // "table"), and "-ed" ("checked").
    let mut end = n;
    if word.ends_with("ed")
        || (word.ends_with("es") && !vowel(bytes[n - 3]) && bytes[n - 3] != b'l')
    {
        end = n - 2;
    } else if word.ends_with('e') && !vowel(bytes[n - 2]) && bytes[n - 2] != b'l' {
        end = n - 1;
    }
    // A leading y is a consonant ("your").
    let start = usize::from(bytes[0] == b'y');
    // Vowel groups of one or two letters.
    let mut count = 0;
    let mut run = 0;
    for &c in &bytes[start..end] {
        if vowel(c) {
            if run % 2 == 0 {
                count += 1;
            }
            run += 1;
        } else {
            run = 0;
        }
    }
    count.max(1)
}

/// The counts of one text: its placeholders read as a word, each sentence ended by `.`, `!`,
/// `?` or `…` (a text without one, a heading or a button, is one sentence).
fn counts(text: &str) -> Counts {
    let text = text
        .replace("{name}", "Acme")
        .replace("{time}", "noon")
        .replace("{status}", "five");
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == '/' || c == '(' || c == ')')
        .filter(|w| w.chars().any(|c| c.is_ascii_alphanumeric()))
        .collect();
    let ends = text
        .split(['.', '!', '?', '…'])
        .filter(|part| part.chars().any(char::is_alphanumeric))
        .count();
    Counts {
        words: words.len(),
        sentences: ends.max(1),
        // A number is read as one word of about two syllables ("ninety", "ten minutes").
        syllables: words
            .iter()
            .map(|w| {
                if w.chars().any(|c| c.is_ascii_alphabetic()) {
                    syllables(w)
                } else {
                    2
                }
            })
            .sum(),
    }
}

/// The texts of `text.rs` by the group its comments put them in, in file order, read from
/// the source (and checked against the texts the app has, so none is missed or misread).
fn groups() -> Vec<(String, Vec<&'static str>)> {
    let source = include_str!("text.rs");
    let mut groups: Vec<(String, Vec<&'static str>)> = Vec::new();
    let mut found = 0;
    for line in source.lines().map(str::trim) {
        if line.starts_with("PageMsg {") {
            groups.push(("The server's own pages".to_owned(), Vec::new()));
        } else if let Some(name) = line.strip_prefix("// ").and_then(|c| c.strip_suffix('.')) {
            // A section comes back in the `later` group (the second module's texts): one
            // group, read as a whole.
            match groups.iter().position(|(group, _)| group == name) {
                Some(at) => {
                    let group = groups.remove(at);
                    groups.push(group);
                }
                None => groups.push((name.to_owned(), Vec::new())),
            }
        } else if let Some((key, _)) = line.split_once(" => \"") {
            let Some(text) = Msg::ALL
                .iter()
                .find(|m| m.key() == key)
                .map(|m| m.en())
                .or_else(|| PageMsg::ALL.iter().find(|m| m.key() == key).map(|m| m.en()))
            else {
                continue;
            };
            groups
                .last_mut()
                .expect("a group comment first")
                .1
                .push(text);
            found += 1;
        }
    }
    assert_eq!(
        found,
        Msg::ALL.len() + PageMsg::ALL.len(),
        "every text is in a group"
    );
    groups.retain(|(_, texts)| !texts.is_empty());
    groups
}

#[test]
fn syllables_are_counted_as_a_dictionary_has_them() {
    // CMU Pronouncing Dictionary counts.
    for (word, expected) in [
        ("the", 1),
        ("phone", 1),
        ("checked", 1),
        ("browser", 2),
        ("selfie", 2),
        ("license", 2),
        ("minutes", 2),
        ("your", 1),
        ("camera", 3),
        ("photograph", 3),
        ("government", 3),
        ("identity", 4),
        ("available", 4),
        ("verification", 5),
        ("Driver's", 2),
    ] {
        assert_eq!(syllables(word), expected, "{word}");
    }
}

#[test]
fn the_grade_follows_the_formula() {
    // 6 words, 1 sentence, 6 syllables: 0.39 × 6 + 11.8 × 1 − 15.59 = −1.45.
    let cat = counts("The cat sat on the mat.");
    assert_eq!(
        cat,
        Counts {
            words: 6,
            sentences: 1,
            syllables: 6
        }
    );
    assert!((cat.grade() + 1.45).abs() < 1e-9);
    // Two sentences, a heading without a full stop counts as one.
    assert_eq!(counts("Check again. Then wait!").sentences, 2);
    assert_eq!(counts("Before you start").sentences, 1);
    // A text a grade-8 reader would struggle with scores over the ceiling, so the test below
    // can fail.
    let hard = counts(
        "Notwithstanding the aforementioned considerations, identity verification \
         necessitates comprehensive documentation of governmental identification.",
    );
    assert!(hard.grade() > CEILING, "{}", hard.grade());
}

#[test]
fn every_screens_english_reads_at_grade_8_or_lower() {
    let mut all = Counts::default();
    let mut over = Vec::new();
    for (group, texts) in groups() {
        let counts = texts
            .iter()
            .map(|t| counts(t))
            .fold(Counts::default(), Counts::add);
        all = all.add(counts);
        println!("{:5.1}  {group} ({} words)", counts.grade(), counts.words);
        if counts.grade() > CEILING {
            over.push(format!("{group}: grade {:.1}", counts.grade()));
        }
    }
    println!("{:5.1}  all texts ({} words)", all.grade(), all.words);
    assert!(
        all.grade() <= CEILING,
        "all texts: grade {:.1}",
        all.grade()
    );
    assert!(over.is_empty(), "over grade {CEILING}: {over:?}");
}
