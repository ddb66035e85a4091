//! The patient text reads at US grade 8 or lower: Flesch–Kincaid in English, and
//! Fernández-Huerta's reading ease in Spanish.
//!
//! Flesch–Kincaid grade = 0.39 · words/sentences + 11.8 · syllables/words − 15.59
//! (Kincaid, Fishburne, Rogers, Chissom, Naval Technical Training Command report 8-75, 1975).
//!
//! Fernández-Huerta ease = 206.84 − 60 · syllables/word − 1.02 · words/sentence
//! (Fernández Huerta, "Medidas sencillas de lecturabilidad", Consigna 214, 1959, in the form
//! corrected by G. Law, 2011). Like Flesch's ease, 60–70 reads as US grades 8–9 and 70–80
//! as grade 7, so grade 8 or lower is an ease of 70 or more.

use scs_studio::i18n::Text;
use scs_studio::learn::journey::STEPS;
use scs_studio::learn::pathway::Stimulation;
use scs_studio::learn::pictures::Picture;
use scs_studio::learn::{diary, remote};
use wasm_bindgen_test::*;

/// Syllables of an English word: vowel groups, less a silent final "e" and a silent "-es" or
/// "-ed" (the usual heuristic). It undercounts split vowels such as "ia" in "diabetes",
/// which lowers the grade a little.
fn syllables(word: &str) -> usize {
    let w: Vec<char> = word
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphabetic())
        .collect();
    if w.is_empty() {
        return 0;
    }
    let vowel = |c: char| "aeiouy".contains(c);
    let mut count = 0;
    let mut previous = false;
    for &c in &w {
        let v = vowel(c);
        if v && !previous {
            count += 1;
        }
        previous = v;
    }
    let n = w.len();
    let silent_e = n > 2 && w[n - 1] == 'e' && !vowel(w[n - 2]) && w[n - 2] != 'l';
    // "nerves", "placed" — but not "places", "wanted", "needed".
    let silent_ending = n > 3
        && w[n - 2] == 'e'
        && ((w[n - 1] == 's' && !"scxzg".contains(w[n - 3]))
            || (w[n - 1] == 'd' && !"td".contains(w[n - 3])));
    if (silent_e || silent_ending) && count > 1 {
        count -= 1;
    }
    count.max(1)
}

/// Syllables of a Spanish word: one per vowel group, plus one for each further strong
/// vowel in it (a, e, o and accented í, ú stand apart: "dí-a", "a-é-re-o"), as Spanish
/// spelling is regular. "y" is a vowel only at a word's end ("muy", "hay", "y").
fn sílabas(word: &str) -> usize {
    let w: Vec<char> = word
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphabetic())
        .collect();
    let strong = |c: char| "aeoáéíóú".contains(c);
    let vowel = |i: usize| "aeiouáéíóúü".contains(w[i]) || (w[i] == 'y' && i + 1 == w.len());
    let mut count = 0;
    let mut i = 0;
    while i < w.len() {
        if !vowel(i) {
            i += 1;
            continue;
        }
        let start = i;
        while i < w.len() && vowel(i) {
            i += 1;
        }
        count += w[start..i].iter().filter(|&&c| strong(c)).count().max(1);
    }
    count
}

/// Fernández-Huerta reading ease of Spanish sentences.
fn ease(sentences: &[&str]) -> f64 {
    let words: Vec<&str> = sentences
        .iter()
        .flat_map(|s| s.split_whitespace())
        .collect();
    let syllable_count: usize = words.iter().map(|w| sílabas(w)).sum();
    206.84
        - 60.0 * syllable_count as f64 / words.len() as f64
        - 1.02 * words.len() as f64 / sentences.len() as f64
}

fn grade(sentences: &[&str]) -> f64 {
    let words: Vec<&str> = sentences
        .iter()
        .flat_map(|s| s.split_whitespace())
        .collect();
    let syllable_count: usize = words.iter().map(|w| syllables(w)).sum();
    0.39 * words.len() as f64 / sentences.len() as f64
        + 11.8 * syllable_count as f64 / words.len() as f64
        - 15.59
}

#[wasm_bindgen_test]
fn the_syllable_counter_counts_known_words() {
    let known = [
        ("pain", 1),
        ("nerves", 1),
        ("stimulator", 4),
        ("tingling", 2),
        ("remote", 2),
        ("signals", 2),
        ("placed", 1),
        ("places", 2),
        ("needed", 2),
        ("generator", 4),
    ];
    for (word, expected) in known {
        assert_eq!(syllables(word), expected, "{word}");
    }
}

#[wasm_bindgen_test]
fn the_spanish_syllable_counter_counts_known_words() {
    let known = [
        ("dolor", 2),
        ("tiene", 2),
        ("día", 2),
        ("aéreo", 4),
        ("neuropatía", 5),
        ("diabética", 4),
        ("estimulación", 5),
        ("cirugía", 4),
        ("guerra", 2),
        ("muy", 1),
        ("y", 1),
        ("ayuda", 3),
        ("médula", 3),
        ("cosquilleo", 4),
    ];
    for (word, expected) in known {
        assert_eq!(sílabas(word), expected, "{word}");
    }
}

#[wasm_bindgen_test]
fn the_journey_reads_at_grade_8_or_lower() {
    let english: Vec<&str> = STEPS
        .iter()
        .flat_map(|s| s.lines.iter().map(|l| l.en))
        .collect();
    let g = grade(&english);
    web_sys::console::log_1(&format!("Flesch-Kincaid grade of the journey: {g:.1}").into());
    assert!(g <= 8.0, "grade {g:.1}");
    let spanish: Vec<&str> = STEPS
        .iter()
        .flat_map(|s| s.lines.iter().map(|l| l.es))
        .collect();
    let e = ease(&spanish);
    web_sys::console::log_1(&format!("Fernández-Huerta ease of the journey: {e:.1}").into());
    assert!(e >= 70.0, "ease {e:.1}");
}

#[wasm_bindgen_test]
fn the_pictures_the_pathway_the_remote_and_the_diary_read_at_grade_8_or_lower() {
    let mut texts: Vec<Text> = Picture::ALL.iter().map(|p| p.alt()).collect();
    texts.extend(
        [
            Stimulation::Off,
            Stimulation::On,
            Stimulation::Unfelt,
            Stimulation::Felt,
        ]
        .map(Stimulation::caption),
    );
    texts.extend(diary::SENTENCES);
    texts.extend(remote::SENTENCES);
    // One sentence per full stop: "Picture: a nerve… Beside it, …" is two.
    let split = |s: &'static str| {
        s.split_terminator(['.', '?', '…'])
            .filter(|s| !s.trim().is_empty())
    };
    let english: Vec<&str> = texts.iter().flat_map(|t| split(t.en)).collect();
    let g = grade(&english);
    web_sys::console::log_1(
        &format!("Flesch-Kincaid grade of the pictures, pathway, remote and diary: {g:.1}").into(),
    );
    assert!(g <= 8.0, "grade {g:.1}");
    let spanish: Vec<&str> = texts.iter().flat_map(|t| split(t.es)).collect();
    let e = ease(&spanish);
    web_sys::console::log_1(
        &format!("Fernández-Huerta ease of the pictures, pathway, remote and diary: {e:.1}").into(),
    );
    assert!(e >= 70.0, "ease {e:.1}");
}
