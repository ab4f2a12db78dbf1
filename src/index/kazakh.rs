//! Analysis the search fields share: a Kazakh suffix-stripping stemmer and ё/е folding, as Tantivy
//! token filters.
//!
//! No search engine ships a Kazakh stemmer, so this is our own. Kazakh is agglutinative with a
//! fixed order of endings: stem + plural + possessive + case. The stemmer strips, from the end,
//! at most one case ending, then one 3rd-person possessive, then one plural ending. Each ending
//! has allomorphs chosen by the sound before it (vowel harmony: а/е, ы/і; voicing: да/та, лар/дар/тар),
//! and an ending is only stripped when the remainder is a sound that allomorph may follow and the
//! remainder keeps at least [`MIN_STEM_CHARS`] letters. That is what keeps it conservative:
//! «хаттама» stays «хаттама» (no ending -ма), «карта» stays «карта» (after р the locative is -да,
//! not -та). The suffix table below *is* the algorithm (the language's morphology), so it lives
//! here; words that look inflected but are not are data, in `schemas/kazakh-stemmer.toml`.
//!
//! First- and second-person possessives (-ым, -ың, ...) are left alone on purpose: official
//! documents hardly use them, and stripping a lone -м or -ң would merge words like «адам», «келісім».

use foldhash::{HashMap, HashMapExt, HashSet};
use std::cell::RefCell;
use std::sync::OnceLock;

use serde::Deserialize;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

pub const STEMMER_DATA: &str = include_str!("../../schemas/kazakh-stemmer.toml");
const MIN_STEM_CHARS: usize = 3;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct StemmerData {
    keep: Vec<String>,
    /// A stem left by a form whose base drops a vowel («орны» → орн) → the base's stem (орын).
    #[serde(default)]
    restore: HashMap<String, String>,
}

fn data() -> &'static StemmerData {
    static DATA: OnceLock<StemmerData> = OnceLock::new();
    DATA.get_or_init(|| {
        // The file is compiled in and checked by a unit test, so a parse failure here is a build defect;
        // still, an unreadable list only makes the stemmer less conservative, never crashes a search.
        toml::from_str::<StemmerData>(STEMMER_DATA)
            .map(|d| StemmerData {
                keep: d.keep.iter().map(|w| fold_yo(w)).collect(),
                restore: d.restore.iter().map(|(k, v)| (fold_yo(k), fold_yo(v))).collect(),
            })
            .unwrap_or_default()
    })
}

fn kept_words() -> &'static HashSet<String> {
    static KEEP: OnceLock<HashSet<String>> = OnceLock::new();
    // A restored base is a whole word too: «мұрын» must not read as мұр + ы + н.
    KEEP.get_or_init(|| data().keep.iter().chain(data().restore.values()).cloned().collect())
}

/// What may precede an ending.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sound {
    Vowel,
    /// й, у, и: glides that take the "voiced" endings (оқу-ға, оқу-ды) but the plural -лар.
    Glide,
    R,
    L,
    /// м, н, ң
    Nasal,
    /// ж, з
    Sibilant,
    /// б, в, г, ғ, д: rare at the end of native stems; loanwords take either voicing.
    VoicedStop,
    Voiceless,
    /// A 3rd-person possessive (ы/і after a consonant, сы/сі after a vowel) just before.
    Possessive3,
}

use Sound::*;

const AFTER_VOICED: &[Sound] = &[Vowel, Glide, R, L, Nasal, Sibilant, VoicedStop];
const AFTER_VOICELESS: &[Sound] = &[Voiceless, VoicedStop];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Slot {
    Case,
    Possessive,
    Plural,
}

struct Ending {
    text: &'static str,
    slot: Slot,
    after: &'static [Sound],
}

const fn e(text: &'static str, slot: Slot, after: &'static [Sound]) -> Ending {
    Ending { text, slot, after }
}

/// Every ending, longest first within a slot (so -ндағы wins over -ғы ... over -да).
const ENDINGS: &[Ending] = &[
    // Locative + relative -ғы: «жүйедегі», «жүйесіндегі».
    e("ндағы", Slot::Case, &[Possessive3]),
    e("ндегі", Slot::Case, &[Possessive3]),
    e("дағы", Slot::Case, AFTER_VOICED),
    e("дегі", Slot::Case, AFTER_VOICED),
    e("тағы", Slot::Case, AFTER_VOICELESS),
    e("тегі", Slot::Case, AFTER_VOICELESS),
    // Instrumental.
    e("менен", Slot::Case, &[Vowel, Glide, R, L]),
    e("бенен", Slot::Case, &[Nasal, Sibilant, VoicedStop]),
    e("пенен", Slot::Case, AFTER_VOICELESS),
    e("мен", Slot::Case, &[Vowel, Glide, R, L]),
    e("бен", Slot::Case, &[Nasal, Sibilant, VoicedStop]),
    e("пен", Slot::Case, AFTER_VOICELESS),
    // Genitive.
    e("ның", Slot::Case, &[Vowel, Nasal]),
    e("нің", Slot::Case, &[Vowel, Nasal]),
    e("дың", Slot::Case, &[Glide, R, L, Sibilant, VoicedStop]),
    e("дің", Slot::Case, &[Glide, R, L, Sibilant, VoicedStop]),
    e("тың", Slot::Case, AFTER_VOICELESS),
    e("тің", Slot::Case, AFTER_VOICELESS),
    // Ablative.
    e("дан", Slot::Case, &[Vowel, Glide, R, L, Sibilant, VoicedStop]),
    e("ден", Slot::Case, &[Vowel, Glide, R, L, Sibilant, VoicedStop]),
    e("нан", Slot::Case, &[Nasal, Possessive3]),
    e("нен", Slot::Case, &[Nasal, Possessive3]),
    e("тан", Slot::Case, AFTER_VOICELESS),
    e("тен", Slot::Case, AFTER_VOICELESS),
    // Locative.
    e("нда", Slot::Case, &[Possessive3]),
    e("нде", Slot::Case, &[Possessive3]),
    e("да", Slot::Case, AFTER_VOICED),
    e("де", Slot::Case, AFTER_VOICED),
    e("та", Slot::Case, AFTER_VOICELESS),
    e("те", Slot::Case, AFTER_VOICELESS),
    // Dative.
    e("ға", Slot::Case, AFTER_VOICED),
    e("ге", Slot::Case, AFTER_VOICED),
    e("қа", Slot::Case, AFTER_VOICELESS),
    e("ке", Slot::Case, AFTER_VOICELESS),
    e("на", Slot::Case, &[Possessive3]),
    e("не", Slot::Case, &[Possessive3]),
    // Accusative.
    e("ны", Slot::Case, &[Vowel]),
    e("ні", Slot::Case, &[Vowel]),
    e("ды", Slot::Case, &[Glide, R, L, Nasal, Sibilant, VoicedStop]),
    e("ді", Slot::Case, &[Glide, R, L, Nasal, Sibilant, VoicedStop]),
    e("ты", Slot::Case, AFTER_VOICELESS),
    e("ті", Slot::Case, AFTER_VOICELESS),
    e("н", Slot::Case, &[Possessive3]),
    // 3rd-person possessive.
    e("сы", Slot::Possessive, &[Vowel]),
    e("сі", Slot::Possessive, &[Vowel]),
    e(
        "ы",
        Slot::Possessive,
        &[Glide, R, L, Nasal, Sibilant, VoicedStop, Voiceless],
    ),
    e(
        "і",
        Slot::Possessive,
        &[Glide, R, L, Nasal, Sibilant, VoicedStop, Voiceless],
    ),
    // Plural.
    e("лар", Slot::Plural, &[Vowel, Glide, R]),
    e("лер", Slot::Plural, &[Vowel, Glide, R]),
    e("дар", Slot::Plural, &[L, Nasal, Sibilant, VoicedStop]),
    e("дер", Slot::Plural, &[L, Nasal, Sibilant, VoicedStop]),
    e("тар", Slot::Plural, AFTER_VOICELESS),
    e("тер", Slot::Plural, AFTER_VOICELESS),
];

fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'а' | 'ә' | 'е' | 'э' | 'ё' | 'о' | 'ө' | 'ұ' | 'ү' | 'ы' | 'і' | 'я' | 'ю'
    )
}

fn sound_of(c: char) -> Option<Sound> {
    Some(match c {
        c if is_vowel(c) => Vowel,
        'й' | 'у' | 'и' => Glide,
        'р' => R,
        'л' => L,
        'м' | 'н' | 'ң' => Nasal,
        'ж' | 'з' => Sibilant,
        'б' | 'в' | 'г' | 'ғ' | 'д' => VoicedStop,
        'к' | 'қ' | 'п' | 'с' | 'т' | 'ф' | 'х' | 'һ' | 'ц' | 'ч' | 'ш' | 'щ' => Voiceless,
        _ => return None,
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Harmony {
    Back,
    Front,
    Either,
}

fn harmony_of_vowel(c: char) -> Option<Harmony> {
    Some(match c {
        'а' | 'о' | 'ұ' | 'ы' | 'я' | 'ё' => Harmony::Back,
        'ә' | 'е' | 'э' | 'ө' | 'ү' | 'і' => Harmony::Front,
        'и' | 'у' | 'ю' => Harmony::Either,
        _ => return None,
    })
}

/// The harmony a stem imposes on its endings: that of its last vowel (a final soft sign makes a
/// loanword front: «модульдер»).
fn harmony_of_stem(stem: &[char]) -> Harmony {
    if stem.last() == Some(&'ь') {
        return Harmony::Front;
    }
    // A loanword ending in a cluster native stems never end in («акт», «проект», «пункт») takes
    // endings of either row («акті», «проектісі»).
    if ends_in_loan_cluster(stem) {
        return Harmony::Either;
    }
    stem.iter()
        .rev()
        .find_map(|&c| harmony_of_vowel(c))
        .unwrap_or(Harmony::Either)
}

/// Two consonants no native stem ends in: a stop or fricative, then any consonant («кт», «пт»),
/// but not «ст», which native words end in too («қаст»).
fn ends_in_loan_cluster(stem: &[char]) -> bool {
    matches!(stem, [.., a, b]
        if sound_of(*a).is_some_and(|s| !matches!(s, Vowel | Glide | R | L | Nasal))
            && sound_of(*b).is_some_and(|s| !matches!(s, Vowel | Glide))
            && *a != 'с')
}

/// Kazakh does not let a consonant ending follow a loan cluster: it puts ы/і between them
/// («акт» + лар → «актілер», + сі → «актісі», + ге → «актіге»). With the endings stripped that vowel
/// is left over («акті»), and dropping it makes every form meet the bare word «акт».
fn drop_epenthetic_vowel(stem: &mut Vec<char>) {
    if let [head @ .., 'ы' | 'і'] = stem.as_slice()
        && head.len() >= MIN_STEM_CHARS
        && ends_in_loan_cluster(head)
    {
        stem.pop();
    }
}

fn harmony_of_ending(ending: &str) -> Harmony {
    // The instrumental has one vowel for both rows: «құжатпен», «жүйемен».
    if ["мен", "бен", "пен"].iter().any(|i| ending.starts_with(i)) {
        return Harmony::Either;
    }
    ending
        .chars()
        .filter_map(harmony_of_vowel)
        .next()
        .unwrap_or(Harmony::Either)
}

/// Whether `stem` ends in a 3rd-person possessive (ы/і after a consonant, сы/сі after a vowel).
fn ends_in_possessive3(stem: &[char]) -> bool {
    let n = stem.len();
    if n < MIN_STEM_CHARS + 1 || !matches!(stem[n - 1], 'ы' | 'і') {
        return false;
    }
    !is_vowel(stem[n - 2]) || (stem[n - 2] == 'с' && n >= MIN_STEM_CHARS + 2 && is_vowel(stem[n - 3]))
}

fn may_follow(stem: &[char], ending: &Ending) -> bool {
    if stem.len() < MIN_STEM_CHARS || !stem.iter().any(|&c| is_vowel(c) || c == 'и' || c == 'у') {
        return false;
    }
    let harmony_ok = match (harmony_of_stem(stem), harmony_of_ending(ending.text)) {
        (Harmony::Either, _) | (_, Harmony::Either) => true,
        (a, b) => a == b,
    };
    if !harmony_ok {
        return false;
    }
    // A soft or hard sign is silent: the sound before the ending is the letter before it.
    let last = stem.iter().rev().find(|&&c| c != 'ь' && c != 'ъ');
    let Some(sound) = last.and_then(|&c| sound_of(c)) else {
        return false;
    };
    ending.after.contains(&sound) || (ending.after.contains(&Possessive3) && ends_in_possessive3(stem))
}

fn strip_slot(word: &mut Vec<char>, slot: Slot) {
    for ending in ENDINGS.iter().filter(|e| e.slot == slot) {
        let len = ending.text.chars().count();
        if word.len() <= len || !word[word.len() - len..].iter().copied().eq(ending.text.chars()) {
            continue;
        }
        let stem = &word[..word.len() - len];
        if !may_follow(stem, ending) {
            continue;
        }
        if slot == Slot::Possessive && matches!(ending.text, "сы" | "сі") && stem.len() >= 2 {
            // «актісі» is акті + сі, and «акті» itself is акт + і: strip both so the two meet.
            // When that would leave too little («әдісі» → әд), the word is әдіс + і instead.
            let n = stem.len();
            if matches!(stem[n - 1], 'ы' | 'і') && !is_vowel(stem[n - 2]) {
                if n > MIN_STEM_CHARS {
                    word.truncate(n - 1);
                    return;
                }
                continue;
            }
        }
        word.truncate(word.len() - len);
        return;
    }
}

/// The stem of one lower-case, ё-folded word. Words with letters outside the Cyrillic alphabet,
/// short words and listed words are returned unchanged.
pub fn stem(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let cyrillic = chars
        .iter()
        .all(|&c| ('а'..='я').contains(&c) || "әғқңөұүһіё".contains(c));
    if !cyrillic || chars.len() <= MIN_STEM_CHARS || kept_words().contains(word) {
        return word.to_string();
    }
    let mut stem = chars;
    strip_slot(&mut stem, Slot::Case);
    strip_slot(&mut stem, Slot::Possessive);
    strip_slot(&mut stem, Slot::Plural);
    drop_epenthetic_vowel(&mut stem);
    // Stem-final к/қ/п voice before a vowel ending (кепілдік → кепілдігі, есеп → есебі); native stems
    // do not end in the voiced letters, so writing them voiceless makes both forms meet.
    if let Some(last) = stem.last_mut() {
        *last = match *last {
            'г' => 'к',
            'ғ' => 'қ',
            'б' => 'п',
            other => other,
        };
    }
    let stem: String = stem.into_iter().collect();
    match data().restore.get(&stem) {
        Some(base) => base.clone(),
        None => stem,
    }
}

/// ё → е, as Russian and Kazakh texts write either («объём», «объем»).
pub fn fold_yo(word: &str) -> String {
    word.replace('ё', "е").replace('Ё', "Е")
}

/// A token filter that rewrites each token's text in place with a function.
#[derive(Clone)]
pub struct MapFilter {
    map: fn(&mut String),
}

impl MapFilter {
    pub(crate) fn new(map: fn(&mut String)) -> MapFilter {
        MapFilter { map }
    }
}

/// The Kazakh stemmer (place after [`Words`](super::words::Words), which lower-cases and folds ё).
pub fn kazakh_stemmer() -> MapFilter {
    MapFilter::new(|word| {
        thread_local! {
            static MEMO: RefCell<StemMemo> = RefCell::new(StemMemo::new(stem));
        }
        MEMO.with_borrow_mut(|memo| memo.rewrite(word));
    })
}

/// Words a thread has stemmed, with their stems. Pages repeat their words, and every page goes
/// through both stemmers on Tantivy's indexing threads, so a word is stemmed once per thread, not
/// once per occurrence. Cleared when full, which bounds it (under 1 MB) however large the corpus;
/// the common words come back at once. (At 32 768 words the four memos of two indexing threads
/// held 13 MB at a 10 000-file run's peak.)
pub(crate) struct StemMemo {
    stem: fn(&str) -> String,
    stems: HashMap<String, String>,
}

/// Words a memo holds before it is cleared.
pub(crate) const MEMO_WORDS: usize = 1 << 13;

impl StemMemo {
    pub(crate) fn new(stem: fn(&str) -> String) -> StemMemo {
        StemMemo {
            stem,
            stems: HashMap::new(),
        }
    }

    /// Replaces `word` with its stem.
    pub(crate) fn rewrite(&mut self, word: &mut String) {
        if let Some(stem) = self.stems.get(word.as_str()) {
            if stem != word {
                word.clear();
                word.push_str(stem);
            }
            return;
        }
        if self.stems.len() >= MEMO_WORDS {
            self.stems.clear();
        }
        let stem = (self.stem)(word);
        let original = std::mem::replace(word, stem);
        self.stems.insert(original, word.clone());
    }
}

impl TokenFilter for MapFilter {
    type Tokenizer<T: Tokenizer> = MapFilterWrapper<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> MapFilterWrapper<T> {
        MapFilterWrapper { map: self.map, inner }
    }
}

#[derive(Clone)]
pub struct MapFilterWrapper<T> {
    map: fn(&mut String),
    inner: T,
}

impl<T: Tokenizer> Tokenizer for MapFilterWrapper<T> {
    type TokenStream<'a> = MapTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MapTokenStream {
            map: self.map,
            tail: self.inner.token_stream(text),
        }
    }
}

pub struct MapTokenStream<T> {
    map: fn(&mut String),
    tail: T,
}

impl<T: TokenStream> TokenStream for MapTokenStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        (self.map)(&mut self.tail.token_mut().text);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STEMS: &str = include_str!("../../tests/fixtures/kazakh/stems.tsv");
    const DISTINCT: &str = include_str!("../../tests/fixtures/kazakh/distinct.tsv");

    fn rows(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
            .map(|(i, l)| (i + 1, l.split('\t').map(str::trim).collect()))
    }

    #[test]
    fn the_keep_list_parses() {
        let data: StemmerData = toml::from_str(STEMMER_DATA).expect("schemas/kazakh-stemmer.toml parses");
        assert!(data.keep.iter().any(|w| w == "басқа"));
    }

    #[test]
    fn every_word_of_the_list_gets_its_expected_stem() {
        let mut wrong = Vec::new();
        let mut count = 0;
        for (line, cols) in rows(STEMS) {
            let [word, expected] = cols[..] else {
                panic!("stems.tsv line {line}: expected `word<TAB>stem`");
            };
            count += 1;
            let got = stem(word);
            if got != expected {
                wrong.push(format!("line {line}: {word} → {got}, expected {expected}"));
            }
        }
        assert!(count >= 60, "the word list is too short ({count})");
        assert!(
            wrong.is_empty(),
            "{} of {count} wrong:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
    }

    #[test]
    fn every_restored_base_is_its_own_stem() {
        // Otherwise «орны» would become орын while «орын» itself stems to something else.
        for (short, base) in &data().restore {
            assert_eq!(stem(base), *base, "restore {short} → {base}");
            assert_ne!(short, base);
        }
        assert!(data().restore.contains_key("орн"), "the restore table was read");
    }

    #[test]
    fn different_words_keep_different_stems() {
        let mut merged = Vec::new();
        for (line, cols) in rows(DISTINCT) {
            let [a, b] = cols[..] else {
                panic!("distinct.tsv line {line}: expected `word<TAB>word`");
            };
            if stem(a) == stem(b) {
                merged.push(format!("line {line}: {a} and {b} both → {}", stem(a)));
            }
        }
        assert!(merged.is_empty(), "merged:\n{}", merged.join("\n"));
    }

    #[test]
    fn forms_of_one_word_meet() {
        for (a, b) in [("акті", "актісі"), ("жүйе", "жүйесі"), ("хаттама", "хаттамасының")]
        {
            assert_eq!(stem(a), stem(b), "{a} / {b}");
        }
    }

    #[test]
    fn yo_is_folded_and_the_filter_stems_tokens() {
        use tantivy::tokenizer::TextAnalyzer;
        let mut analyzer = TextAnalyzer::builder(crate::index::words::Words)
            .filter(kazakh_stemmer())
            .build();
        let mut stream = analyzer.token_stream("Жүйенің ХАТТАМАСЫ объём");
        let mut tokens = Vec::new();
        while stream.advance() {
            tokens.push(stream.token().text.clone());
        }
        assert_eq!(tokens, ["жүйе", "хаттама", "объем"]);
    }
}
