//! Facts a document states: its number and date, the object it names, a test result, a validity
//! end, and counts from statistics sheets.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use super::dates::{FoundDate, find_dates};
use super::normalize::{
    NormalizedDoc, chars_after, chars_before, chars_between, lowercase_keeping_offsets, normalize, snippet, squash,
};
use crate::card::ObjectCard;
use crate::date::Date;
use crate::extract::Page;
use crate::rules::{CountField, DateAnchors, DateSide, Pattern, Rules, SubjectPatterns};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TestResult {
    Positive,
    /// A partial or conditional conclusion ("не в полной мере соответствует"): not positive.
    Qualified,
    Negative,
}

/// Whether, and how, a document names the object of the card it was submitted with as its
/// subject (title block, "Объект испытаний", decision), apart from objects it only mentions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "match", rename_all = "snake_case")]
pub enum ObjectMention {
    /// The card's object is a subject of the document.
    Named { page: u32, snippet: String },
    /// The document is about another object (and not this one).
    Other { name: String, page: u32, snippet: String },
    /// An object is named, but whether it is this one cannot be read without doubt: a name that
    /// only contains or is contained in the card's, or this object named only in passing beside
    /// another.
    Unclear { name: String, page: u32, snippet: String },
    /// No object name found.
    NotNamed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountFact {
    pub value: u64,
    pub page: u32,
    pub snippet: String,
}

/// A trial-operation period an act states.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrialPeriod {
    pub from: Date,
    pub to: Date,
    pub page: u32,
    pub snippet: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocFacts {
    pub number: Option<String>,
    pub date: Option<Date>,
    pub valid_until: Option<Date>,
    pub result: Option<(TestResult, u32, String)>,
    pub object: ObjectMention,
    /// Count field -> value.
    pub counts: BTreeMap<CountField, CountFact>,
    /// The first page carries a draft mark ("ПРОЕКТ").
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub trial_period: Option<TrialPeriod>,
    /// A trial-operation length stated without its dates, in months.
    #[serde(default)]
    pub trial_months: Option<u32>,
    /// The date of the IS test protocol (act) the document cites as its ground.
    #[serde(default)]
    pub cited_security_test: Option<Date>,
}

/// Reads every fact the rules know about. `card` is the submission's card, when it has one:
/// without it no document can be said to name "this" object.
pub fn read_facts(rules: &Rules, doc: &NormalizedDoc, pages: &[Page], card: Option<&ObjectCard>) -> DocFacts {
    let dates = find_dates(&doc.text);
    let head_end = doc.head(rules.recognition.head_chars).len();
    let stated_end = anchored_date(doc, &dates, &rules.facts.validity);
    // The number and date are the title block's, not a letterhead's ("Аттестат аккредитации №
    // KZ.И.02.1234 от 05.08.2021" above the title): read from the title on, else from the top.
    let title = super::title_match(rules, doc).map(|(_, start, end)| (start, end));
    let title_start = title.map_or(0, |(start, _)| start).min(head_end);
    let number_at = |from: usize| {
        rules
            .facts
            .number
            .captures(&doc.text[from..head_end])
            .and_then(|c| c.get(1))
            .map(|m| (from + m.end(), m.as_str().trim_end_matches(['.', '-', '/']).to_string()))
    };
    let numbered = number_at(title_start).or_else(|| number_at(0));
    let dated = |from: usize| {
        dates
            .iter()
            .find(|d| d.start >= from && d.start < head_end && Some(d.date) != stated_end)
            .map(|d| d.date)
    };
    // "№ 112-ИБ от 15.03.2025": the date right after the number; else the first after the title.
    let after_number = numbered.as_ref().and_then(|(end, _)| {
        dates
            .iter()
            .find(|d| d.start >= *end && d.start - end <= 24 && Some(d.date) != stated_end)
            .map(|d| d.date)
    });
    let date = after_number.or_else(|| dated(title_start)).or_else(|| dated(0));
    let number = numbered.map(|(_, number)| number);
    let valid_until = stated_end.or_else(|| {
        Some(date?.add_months(stated_months(
            doc,
            &rules.facts.validity.durations,
            &rules.facts.validity.number_words,
        )?))
    });
    DocFacts {
        number,
        date,
        valid_until,
        result: test_result(rules, doc),
        object: card
            .map(|card| object_mention(rules, doc, card, title))
            .unwrap_or(ObjectMention::NotNamed),
        counts: counts(rules, pages),
        draft: is_draft(rules, pages),
        trial_period: trial_period(rules, doc, &dates),
        trial_months: stated_months(
            doc,
            &rules.facts.trial_operation.durations,
            &rules.facts.validity.number_words,
        ),
        cited_security_test: anchored_date(doc, &dates, &rules.facts.cited_security_test),
    }
}

/// The date that the earliest anchor phrase points at (see `[validity]` in `facts.toml`).
fn anchored_date(doc: &NormalizedDoc, dates: &[FoundDate], anchors: &DateAnchors) -> Option<Date> {
    let reach = anchors.reach_chars;
    let mut found: Option<(usize, Date)> = None;
    for (re, side) in &anchors.anchors {
        for m in re.find_iter(&doc.text) {
            let date = match side {
                DateSide::After => dates
                    .iter()
                    .find(|d| d.start >= m.end() && chars_between(&doc.text, m.end(), d.start) <= reach),
                DateSide::Before => dates
                    .iter()
                    .rev()
                    .find(|d| d.end <= m.start() && chars_between(&doc.text, d.end, m.start()) <= reach),
            };
            if let Some(d) = date
                && found.is_none_or(|(at, _)| m.start() < at)
            {
                found = Some((m.start(), d.date));
            }
        }
    }
    found.map(|(_, date)| date)
}

/// A term stated in a document ("1 (один) год", "18 месяцев", "алты ай"), in months.
fn stated_months(doc: &NormalizedDoc, patterns: &[Pattern], number_words: &BTreeMap<String, u32>) -> Option<u32> {
    patterns.iter().find_map(|re| {
        let caps = re.captures(&doc.text)?;
        let n = caps.name("n")?.as_str().to_lowercase();
        let n: u32 = n.parse().ok().or_else(|| number_words.get(&n).copied())?;
        let unit = caps.name("unit")?.as_str().to_lowercase();
        let years = unit.starts_with(['г', 'л', 'ж']);
        Some(if years { n * 12 } else { n })
    })
}

/// A draft mark is a line of its own near the top of the first page with text.
fn is_draft(rules: &Rules, pages: &[Page]) -> bool {
    let Some(first) = pages.iter().find(|p| !p.text.trim().is_empty()) else {
        return false;
    };
    first
        .text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .take(rules.recognition.draft_first_lines)
        .any(|line| rules.recognition.draft_lines.iter().any(|re| re.is_match(line)))
}

/// Two dates joined as a period ("с … по …", "… бастап … дейін") near a trial-operation phrase.
fn trial_period(rules: &Rules, doc: &NormalizedDoc, dates: &[FoundDate]) -> Option<TrialPeriod> {
    let spec = &rules.facts.trial_operation;
    let text = &doc.text;
    dates.windows(2).find_map(|pair| {
        let (from, to) = (pair[0], pair[1]);
        let joined = spec.between.iter().any(|re| re.is_match(&text[from.end..to.start]));
        if !joined || to.date <= from.date {
            return None;
        }
        let window_start = chars_before(text, from.start, spec.reach_chars);
        let window_end = chars_after(text, to.end, spec.reach_chars);
        let near = spec
            .phrases
            .iter()
            .any(|re| re.is_match(&text[window_start..window_end]));
        near.then(|| TrialPeriod {
            from: from.date,
            to: to.date,
            page: doc.page_at(from.start),
            snippet: doc.snippet(from.start, to.end),
        })
    })
}

/// Reads the result from the conclusion only (see `[test_result]` in `facts.toml`): a protocol's
/// title ("на соответствие требованиям"), its method sections and its tables of individual
/// items must not decide it. The last heading is taken, so that a document titled "Заключение"
/// with a conclusion section reads that section. Negation wins over a qualified conclusion, which wins over a
/// positive one; without a conclusion there is no result.
fn test_result(rules: &Rules, doc: &NormalizedDoc) -> Option<(TestResult, u32, String)> {
    let text = &doc.text;
    let last_start = |patterns: &[Pattern]| {
        patterns
            .iter()
            .filter_map(|re| re.find_iter(text).last().map(|m| m.start()))
            .max()
    };
    let from =
        last_start(&rules.facts.conclusion_headings).or_else(|| last_start(&rules.facts.conclusion_sentences))?;
    // The conclusion ends where an annex starts ("Приложение: таблица замечаний … Не соответствует
    // … Устранено") or after `conclusion_chars`.
    let limit = chars_after(text, from, rules.facts.conclusion_chars);
    let to = rules
        .facts
        .conclusion_ends
        .iter()
        .filter_map(|re| {
            re.find(&text[from..limit])
                .filter(|m| m.start() > 0)
                .map(|m| from + m.start())
        })
        .min()
        .unwrap_or(limit);
    let region = &text[from..to];
    // A negative phrase inside a qualified one ("толық сәйкес келмейді", "does not fully comply")
    // is the qualified one.
    let qualified: Vec<(usize, usize)> = rules
        .facts
        .qualified_result
        .iter()
        .flat_map(|re| re.find_iter(region).map(|m| (m.start(), m.end())))
        .collect();
    let first_match = |patterns: &[Pattern], skip_qualified: bool| {
        patterns
            .iter()
            .flat_map(|re| re.find_iter(region))
            .filter(|m| !skip_qualified || !qualified.iter().any(|&(s, e)| s <= m.start() && m.end() <= e))
            .min_by_key(|m| m.start())
            .map(|m| (from + m.start(), from + m.end()))
    };
    [
        (TestResult::Negative, &rules.facts.negative_result, true),
        (TestResult::Qualified, &rules.facts.qualified_result, false),
        (TestResult::Positive, &rules.facts.positive_result, false),
    ]
    .into_iter()
    .find_map(|(result, patterns, skip_qualified)| {
        first_match(patterns, skip_qualified).map(|(start, end)| (result, doc.page_at(start), doc.snippet(start, end)))
    })
}

/// The forms under which the card's object may be named: full names, their quoted cores, and the
/// short name, all squashed.
fn name_forms(card: &ObjectCard) -> (Vec<String>, Option<String>) {
    let mut forms = Vec::new();
    for name in &card.names {
        forms.push(squash(&name.text));
        for quoted in quoted_parts(&name.text) {
            let core = squash(quoted);
            // A one-word core ("Е-лицензирование" is two) is too easily someone else's word.
            if core.chars().count() >= 6 {
                forms.push(core);
            }
        }
    }
    forms.retain(|f| !f.is_empty());
    forms.sort();
    forms.dedup();
    let short = card
        .short_name
        .as_deref()
        .map(squash)
        .filter(|s| s.chars().count() >= 2);
    (forms, short)
}

fn quoted_parts(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(['«', '"', '“', '„']) {
        let after = &rest[open..];
        let opener_len = after.chars().next().map(char::len_utf8).unwrap_or(1);
        let inner = &after[opener_len..];
        let Some(close) = inner.find(['»', '"', '”', '“']) else {
            break;
        };
        parts.push(&inner[..close]);
        let closer_len = inner[close..].chars().next().map(char::len_utf8).unwrap_or(1);
        rest = &inner[close + closer_len..];
    }
    parts
}

/// How a name found in a document relates to the card's object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Identity {
    Ours,
    /// Only the card's short name ("ИС ЭО"): an abbreviation others may share, so it is this object
    /// only where the full name says so too.
    OursShort,
    /// The name contains the card's name or is contained in it: "«Электронные обращения
    /// акимата»" is not «Электронные обращения», and «Обращения» may or may not be.
    Contains,
    Other,
    /// Another name only by words OCR was not sure of, and like the card's: most likely this
    /// object's name misread ("Цифровой докуенщообород"), but not read. It decides nothing by
    /// itself; where no subject names this object clearly, an analyst reads it.
    Misread,
}

/// One object name found in a document.
struct NameAt {
    identity: Identity,
    name: String,
    start: usize,
    end: usize,
}

/// What the document says of the card's object; `title` is the span of the title phrase that
/// decided its type.
fn object_mention(
    rules: &Rules,
    doc: &NormalizedDoc,
    card: &ObjectCard,
    title: Option<(usize, usize)>,
) -> ObjectMention {
    let text = &doc.text;
    let spec = &rules.facts.subject;
    let zones = subject_zones(text, spec);
    let references = reference_spans(text, spec, &zones);
    let inside = |spans: &[(usize, usize)], at: usize| spans.iter().any(|&(s, e)| s <= at && at < e);
    let mut names = names_in(rules, doc, card);
    names.retain(|n| !inside(&references, n.start));
    names.sort_by_key(|n| n.start);
    let mut in_title = title.map_or_else(Vec::new, |title| title_subjects(text, spec, &names, title));
    // A title whose name OCR misread says nothing of its subject: the labels and the decision
    // speak alone. (Its place still counts: the name after it is not taken for the title's.)
    in_title.retain(|&i| names[i].identity != Identity::Misread);
    let labelled = labelled_subjects(text, spec, &names, &zones, &in_title);
    let (mut subjects, mut passing): (Vec<&NameAt>, Vec<&NameAt>) = (Vec::new(), Vec::new());
    for (i, name) in names.iter().enumerate() {
        if in_title.contains(&i) || labelled.contains(&i) {
            subjects.push(name);
        } else {
            passing.push(name);
        }
    }
    mention_of(doc, &subjects, &passing)
}

/// The card's names as a found name is compared with them.
struct CardNames<'a> {
    rules: &'a Rules,
    card: &'a ObjectCard,
    doc: &'a NormalizedDoc,
    forms: Vec<String>,
    short: Option<String>,
    /// Every word of `forms` and `short`.
    words: HashSet<String>,
}

impl<'a> CardNames<'a> {
    fn new(rules: &'a Rules, card: &'a ObjectCard, doc: &'a NormalizedDoc) -> Self {
        let (forms, short) = name_forms(card);
        let words = forms
            .iter()
            .chain(&short)
            .flat_map(|form| form.split(' '))
            .map(str::to_string)
            .collect();
        CardNames {
            rules,
            card,
            doc,
            forms,
            short,
            words,
        }
    }

    /// The identity of `name`, found at byte `at` of the document.
    fn identity(&self, name: &str, at: usize) -> Identity {
        let mut squashed = squash(name);
        for re in &self.rules.facts.name_kind_words {
            squashed = re.replace(&squashed, "").into_owned();
        }
        match self.identity_as_read(&squashed) {
            Identity::Other if !self.doc.read_by_ocr(at) => Identity::Other,
            Identity::Other if self.number_sign_misread(&squashed) => Identity::Ours,
            Identity::Other if self.misread(name, &squashed) => Identity::Misread,
            identity => identity,
        }
    }

    /// Whether a name read by OCR is the card's with its "№" read as a short word, Tesseract's
    /// commonest slip on the sign: "средств Л 286347" for "средств № 286347". The number and
    /// every other word are the card's, read as they are.
    fn number_sign_misread(&self, squashed: &str) -> bool {
        if !self.card.names.iter().any(|name| name.text.contains('№')) {
            return false;
        }
        let words: Vec<&str> = squashed.split(' ').collect();
        let sign_at = words.iter().enumerate().position(|(i, word)| {
            reads_as_number_sign(word)
                && words
                    .get(i + 1)
                    .is_some_and(|next| next.chars().all(|c| c.is_ascii_digit()))
        });
        let Some(sign_at) = sign_at else {
            return false;
        };
        let without: Vec<&str> = words
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != sign_at)
            .map(|(_, word)| *word)
            .collect();
        self.identity_as_read(&without.join(" ")) == Identity::Ours
    }

    /// Whether a name read as another differs from the card's names only by words OCR doubted
    /// (at least one) and keeps most of their letters: "Национальный реестр С ССИАЙИ № 550003"
    /// for "Национальный реестр субсидий № 550003", «С» and «ССИАЙИ» read at confidence 0.
    /// Another system's name, read without doubt, has words of its own the engine was sure of.
    fn misread(&self, name: &str, squashed: &str) -> bool {
        let mut doubted = false;
        for word in squashed
            .split(' ')
            .filter(|word| !word.is_empty() && !self.words.contains(*word))
        {
            if !self.doc.doubted(word) {
                return false;
            }
            doubted = true;
        }
        doubted && may_be_misread_of(self.card, name)
    }

    /// The identity of a squashed name, its kind words taken off, by its words alone.
    fn identity_as_read(&self, name: &str) -> Identity {
        let forms = &self.forms;
        if forms.iter().any(|f| f == name) {
            return Identity::Ours;
        }
        if self.short.as_deref() == Some(name) {
            return Identity::OursShort;
        }
        // A longer name that holds ours is a more specific, other name.
        if forms.iter().any(|f| name.contains(f.as_str())) {
            return Identity::Other;
        }
        if forms.iter().any(|f| f.contains(name)) {
            return Identity::Contains;
        }
        let max_distance = self.rules.policy.object_match.max_relative_edit_distance;
        if forms.iter().any(|f| ocr_slip(f, name, max_distance)) {
            // An OCR slip ("обрашения"), not a different name.
            return Identity::Ours;
        }
        Identity::Other
    }
}

/// Whether a squashed word has a shape Tesseract reads "№" as ("л", "м", "n", "no", "ne", "мо"):
/// a letter like its N, then at most one like its raised o.
fn reads_as_number_sign(word: &str) -> bool {
    let mut letters = word.chars();
    letters.next().is_some_and(|c| matches!(c, 'n' | 'л' | 'м' | 'н' | 'и'))
        && letters
            .next()
            .is_none_or(|c| matches!(c, 'o' | 'e' | 's' | 'о' | 'е' | 'а'))
        && letters.next().is_none()
}

/// Every object name in the text: those after a kind word ("ИС «X»"), and the card's own names,
/// which may also stand without one.
fn names_in(rules: &Rules, doc: &NormalizedDoc, card: &ObjectCard) -> Vec<NameAt> {
    let text = &doc.text;
    let card_names = CardNames::new(rules, card, doc);
    let mut names: Vec<NameAt> = Vec::new();
    for re in &rules.facts.object_mention {
        for caps in re.captures_iter(text) {
            if let (Some(whole), Some(name)) = (caps.get(0), caps.get(1)) {
                names.push(NameAt {
                    identity: card_names.identity(name.as_str(), name.start()),
                    name: name.as_str().trim().to_string(),
                    start: whole.start(),
                    end: whole.end(),
                });
            }
        }
    }
    names.extend(bare_names(text, card));
    names
}

/// Where the document says what it is about: from each subject label or decision phrase on.
fn subject_zones(text: &str, spec: &SubjectPatterns) -> Vec<(usize, usize)> {
    let mut zones = Vec::new();
    for re in spec.labels.iter().chain(&spec.decisions) {
        for m in re.find_iter(text) {
            zones.push((m.start(), chars_after(text, m.end(), spec.segment_chars)));
        }
    }
    zones
}

/// Where the document only mentions others: from a reference phrase to the end of its sentence,
/// or the next subject zone, whichever comes first.
fn reference_spans(text: &str, spec: &SubjectPatterns, zones: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut references = Vec::new();
    for re in &spec.references {
        for m in re.find_iter(text) {
            let sentence_end = text[m.end()..].find(". ").map_or(text.len(), |i| m.end() + i);
            let next_zone = zones
                .iter()
                .map(|&(start, _)| start)
                .filter(|&s| s > m.start())
                .min()
                .unwrap_or(text.len());
            references.push((
                m.start(),
                sentence_end
                    .min(next_zone)
                    .min(chars_after(text, m.end(), spec.segment_chars)),
            ));
        }
    }
    references
}

/// Whether `name` is listed with the names before it, which end at `end`: it overlaps them or
/// only a separator stands between ("систем «A» и «B»").
fn continues_list(text: &str, spec: &SubjectPatterns, end: usize, name: &NameAt) -> bool {
    end >= name.start || spec.list_separator.is_match(&text[end..name.start])
}

/// The title block's subjects (indices into `names`, which are in text order): the name nearest
/// the title phrase, inside it, right after it (Russian: "АКТ ввода … системы «X»") or right
/// before it (Kazakh: "«X» жүйесін … енгізу"), and the names listed with it.
fn title_subjects(text: &str, spec: &SubjectPatterns, names: &[NameAt], (start, end): (usize, usize)) -> Vec<usize> {
    let gap = |n: &NameAt| {
        if n.end <= start {
            chars_between(text, n.end, start)
        } else if n.start > end {
            chars_between(text, end, n.start)
        } else {
            0
        }
    };
    let Some(nearest) = names.iter().map(gap).filter(|&g| g <= spec.title_tail_chars).min() else {
        return Vec::new();
    };
    let mut in_title: Vec<usize> = Vec::new();
    let mut previous_end: Option<usize> = None;
    for (i, name) in names.iter().enumerate() {
        match previous_end {
            None if gap(name) == nearest => {}
            None => continue,
            Some(end) if continues_list(text, spec, end, name) => {}
            Some(_) => break,
        }
        in_title.push(i);
        previous_end = Some(previous_end.map_or(name.end, |end| end.max(name.end)));
    }
    in_title
}

/// The subjects a label or decision names (indices into `names`, which are in text order). After
/// a label or in a decision, the subject is the first name and the names listed with it
/// ("Объект испытаний: ИС «A», ИС «B»"); a name further on in the same sentence ("…,
/// обрабатывающая данные ИС «C»") is a mention. The title decides what the document is about: a
/// label or decision adds subjects only when its list includes the title's subject. Without a
/// subject in the title, the labels and the decision speak alone.
fn labelled_subjects(
    text: &str,
    spec: &SubjectPatterns,
    names: &[NameAt],
    zones: &[(usize, usize)],
    in_title: &[usize],
) -> Vec<usize> {
    let mut labelled = Vec::new();
    for &(zone_start, zone_end) in zones {
        let mut listed: Vec<usize> = Vec::new();
        let mut previous_end: Option<usize> = None;
        for (i, name) in names.iter().enumerate() {
            if name.start < zone_start || name.start >= zone_end {
                continue;
            }
            if previous_end.is_some_and(|end| !continues_list(text, spec, end, name)) {
                break;
            }
            listed.push(i);
            previous_end = Some(previous_end.map_or(name.end, |end| end.max(name.end)));
        }
        if in_title.is_empty() || listed.iter().any(|i| in_title.contains(i)) {
            labelled.extend(listed);
        }
    }
    labelled
}

/// What the names found say of the document's object: a subject is decisive, ours before
/// another's before a doubtful one.
fn mention_of(doc: &NormalizedDoc, subjects: &[&NameAt], passing: &[&NameAt]) -> ObjectMention {
    let first = |list: &[&NameAt], wanted: Identity| {
        list.iter()
            .filter(|n| n.identity == wanted)
            .min_by_key(|n| n.start)
            .map(|n| (n.name.clone(), doc.page_at(n.start), doc.snippet(n.start, n.end)))
    };
    if let Some((_, page, snippet)) = first(subjects, Identity::Ours) {
        return ObjectMention::Named { page, snippet };
    }
    if let Some((name, page, snippet)) = first(subjects, Identity::Other) {
        return ObjectMention::Other { name, page, snippet };
    }
    let unclear = |list: &[&NameAt]| first(list, Identity::Contains).or_else(|| first(list, Identity::OursShort));
    if let Some((name, page, snippet)) = unclear(subjects) {
        return ObjectMention::Unclear { name, page, snippet };
    }
    // A misread name and no subject read clearly: this object, most likely, but not read.
    if let Some((name, page, snippet)) =
        first(subjects, Identity::Misread).or_else(|| first(passing, Identity::Misread))
    {
        return ObjectMention::Unclear { name, page, snippet };
    }
    // No subject could be read: a document naming only this object in passing is still about it;
    // one that names others beside it, or only names like it, is for an analyst.
    let ours = first(passing, Identity::Ours);
    let doubt = first(passing, Identity::Other).or_else(|| unclear(passing));
    match (ours, doubt) {
        (Some((_, page, snippet)), None) => ObjectMention::Named { page, snippet },
        (_, Some((name, page, snippet))) => ObjectMention::Unclear { name, page, snippet },
        (None, None) => ObjectMention::NotNamed,
    }
}

/// The card's names, their quoted cores and short name where the text has them as whole words,
/// outside a longer quoted name ("«Электронные обращения акимата»" does not hold «Электронные
/// обращения»).
fn bare_names(text: &str, card: &ObjectCard) -> Vec<NameAt> {
    let Some(lower) = lowercase_keeping_offsets(text) else {
        // Lower-casing changed byte lengths (rare letters): offsets would not map back.
        return Vec::new();
    };
    let full = card
        .names
        .iter()
        .flat_map(|n| {
            quoted_parts(&n.text)
                .into_iter()
                .chain(std::iter::once(n.text.as_str()))
        })
        .filter(|n| n.chars().count() >= 6)
        .map(|n| (n, Identity::Ours));
    let short = card
        .short_name
        .as_deref()
        .filter(|s| s.chars().count() >= 2)
        .map(|s| (s, Identity::OursShort));
    let mut needles: Vec<(String, Identity)> = full
        .chain(short)
        .map(|(n, identity)| (normalize(n).to_lowercase(), identity))
        .filter(|(n, _)| !n.is_empty())
        .collect();
    needles.sort_by(|a, b| a.0.cmp(&b.0));
    needles.dedup_by(|a, b| a.0 == b.0);
    let is_word = |c: char| c.is_alphanumeric();
    let mut found = Vec::new();
    for (needle, identity) in &needles {
        let mut quotes = QuoteState::default();
        for (start, _) in lower.match_indices(needle.as_str()) {
            let end = start + needle.len();
            let before = lower[..start].chars().next_back();
            let after = lower[end..].chars().next();
            if before.is_some_and(is_word) || after.is_some_and(is_word) {
                continue;
            }
            // Inside an open quotation that does not close right here: part of a longer name.
            let in_quote = quotes.open_at(&lower, start);
            let closes_here = lower[end..].trim_start().starts_with(['»', '”', '"']);
            if in_quote && !closes_here {
                continue;
            }
            found.push(NameAt {
                identity: *identity,
                name: text[start..end].to_string(),
                start,
                end,
            });
        }
    }
    found
}

/// Whether a quotation is open at a position, read forward once through a text for positions
/// asked in increasing order: the last quotation mark before it opens one. (Searching back from
/// each position instead cost the square of the text's length for a name found many times.)
#[derive(Default)]
struct QuoteState {
    read_to: usize,
    open: bool,
}

impl QuoteState {
    fn open_at(&mut self, text: &str, at: usize) -> bool {
        for c in text[self.read_to..at].chars() {
            match c {
                '«' | '“' | '„' => self.open = true,
                '»' | '”' => self.open = false,
                _ => {}
            }
        }
        self.read_to = at;
        self.open
    }
}

/// At or above this share of its letter pairs found in one of the card's names, an object name
/// read by OCR may be a misread of the card's object. A misread keeps most pairs (the eight the
/// benchmark's 5k scans produced keep 0.81 to 0.95); another system's name of the same kind shares
/// only its generic words (0.2 to 0.7).
const OCR_MISREAD_RESEMBLANCE: f32 = 0.7;

/// Whether `name`, read by OCR, may be one of the card's names misread.
pub fn may_be_misread_of(card: &ObjectCard, name: &str) -> bool {
    let pairs = |text: &str| -> HashSet<(char, char)> {
        let chars: Vec<char> = text
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .map(|c| if c == 'ё' { 'е' } else { c })
            .collect();
        chars.windows(2).map(|w| (w[0], w[1])).collect()
    };
    let read = pairs(name);
    if read.is_empty() {
        return false;
    }
    card.names
        .iter()
        .map(|n| n.text.as_str())
        .chain(card.short_name.as_deref())
        .any(|card_name| {
            let known = pairs(card_name);
            let shared = read.iter().filter(|pair| known.contains(pair)).count();
            shared as f32 / read.len() as f32 >= OCR_MISREAD_RESEMBLANCE
        })
}

/// Whether `b` reads as `a` with a few letters misrecognised: the same words, each within one
/// slip (two in a long word), and the whole within `max_relative` of the longer length. A
/// different word ("водный" for "земельный", "жолдама" for "кезек") is another name, and so is
/// a different number ("№ 12" for "№ 13"): numbers tell systems apart, and a misread digit is
/// not read.
fn ocr_slip(a: &str, b: &str, max_relative: f64) -> bool {
    let (words_a, words_b): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    let has_digit = |word: &str| word.chars().any(|c| c.is_ascii_digit());
    words_a.len() == words_b.len()
        && words_a.iter().zip(&words_b).all(|(x, y)| {
            if has_digit(x) || has_digit(y) {
                return x == y;
            }
            let longest = x.chars().count().max(y.chars().count());
            let allowed = if longest >= 8 { 2.0 } else { 1.0 };
            relative_distance(x, y) * longest as f64 <= allowed
        })
        && relative_distance(a, b) <= max_relative
}

/// Levenshtein distance over characters divided by the longer length.
fn relative_distance(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 0.0;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()] as f64 / longest as f64
}

/// Counts from label-and-number lines (spreadsheet rows, table rows).
fn counts(rules: &Rules, pages: &[Page]) -> BTreeMap<CountField, CountFact> {
    let mut found = BTreeMap::new();
    for page in pages {
        let lines: Vec<String> = page.text.lines().map(normalize).collect();
        // Most pages hold no label: one search of the page says so, where eight searches of
        // each line were a fifth of reading facts.
        if let Some(any_label) = &rules.facts.any_count_label
            && !any_label.is_match(&lines.join("\n"))
        {
            continue;
        }
        for line in lines {
            let Some((field, label_end)) = rules
                .facts
                .counts
                .iter()
                .find_map(|(field, labels)| labels.iter().find_map(|re| re.find(&line)).map(|m| (field, m.end())))
            else {
                continue;
            };
            if found.contains_key(field) {
                continue;
            }
            if let Some(value) = first_whole_number(&line[label_end..]) {
                let fact = CountFact {
                    value,
                    page: page.number,
                    snippet: snippet(&line, 0, line.len()),
                };
                found.insert(*field, fact);
            }
        }
    }
    found
}

/// The first whole number in `text`, allowing spaces as thousands separators ("12 500").
fn first_whole_number(text: &str) -> Option<u64> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let mut digits = String::new();
    let mut chars = text[start..].chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if c == ' ' || c == '\u{00A0}' || c == '\u{202F}' {
            // A separator only when exactly three digits follow.
            let rest: String = chars.clone().take(4).collect();
            let group: String = rest.chars().take_while(char::is_ascii_digit).collect();
            if group.len() != 3 {
                break;
            }
        } else if c == '.' || c == ',' {
            // "12500.0" from a spreadsheet float: keep the integer part.
            break;
        } else {
            break;
        }
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::card::LocalizedName;

    fn rules() -> Rules {
        Rules::embedded().unwrap()
    }

    fn card() -> ObjectCard {
        ObjectCard {
            id: "IS-1".into(),
            names: vec![
                LocalizedName {
                    lang: Some("ru".into()),
                    text: "Информационная система «Электронные обращения»".into(),
                },
                LocalizedName {
                    lang: Some("kk".into()),
                    text: "«Электрондық өтініштер» ақпараттық жүйесі".into(),
                },
            ],
            short_name: Some("ИС ЭО".into()),
            ..ObjectCard::default()
        }
    }

    fn facts(text: &str) -> DocFacts {
        let pages = [Page {
            number: 1,
            name: None,
            text: text.to_string(),
            ocr: false,
            doubtful_words: Vec::new(),
        }];
        read_facts(&rules(), &NormalizedDoc::new(&pages), &pages, Some(&card()))
    }

    #[test]
    fn reads_a_protocol() {
        let f = facts(
            "ПРОТОКОЛ № 112-ИБ от «12» марта 2025 г.\nиспытаний информационной системы «Электронные обращения» на соответствие требованиям информационной безопасности\n\
             1. Методика. Проверено соответствие требованиям.\nЗАКЛЮЧЕНИЕ\nИнформационная система соответствует требованиям информационной безопасности.\nПротокол действителен до 15.03.2028.",
        );
        assert_eq!(f.number.as_deref(), Some("112-ИБ"));
        assert_eq!(f.date, Date::new(2025, 3, 12));
        assert_eq!(f.valid_until, Date::new(2028, 3, 15));
        assert_eq!(f.result.map(|r| r.0), Some(TestResult::Positive));
        assert!(matches!(f.object, ObjectMention::Named { .. }), "{:?}", f.object);
    }

    #[test]
    fn a_word_after_the_number_sign_is_a_column_header_not_a_number() {
        let table = facts("Технические характеристики\n№ Компонент Модель Количество\n1 Сервер HP 2");
        assert_eq!(table.number, None);
        let act = facts("№ п/п\nАКТ № ИБ-7 от 02.03.2026\nввода в промышленную эксплуатацию");
        assert_eq!(act.number.as_deref(), Some("ИБ-7"));
    }

    #[test]
    fn negation_wins() {
        let f = facts(
            "ПРОТОКОЛ испытаний\nЗаключение: система не соответствует требованиям информационной безопасности по пунктам 3, 7. Остальные требования соответствуют требованиям.",
        );
        assert_eq!(f.result.map(|r| r.0), Some(TestResult::Negative));
        let f = facts("ПРОТОКОЛ испытаний\nЗаключение: несоответствий не выявлено.");
        assert_eq!(f.result.map(|r| r.0), Some(TestResult::Positive));
        let f = facts("Хаттама. Қорытынды: жүйе ақпараттық қауіпсіздік талаптарына сәйкес келмейді.");
        assert_eq!(f.result.map(|r| r.0), Some(TestResult::Negative));
        assert_eq!(facts("Протокол без вывода.").result, None);
    }

    #[test]
    fn kazakh_validity_puts_the_date_first() {
        let f = facts("Хаттама 2025 жылғы 3 ақпан. Осы хаттама 2028 жылғы 3 ақпанға дейін жарамды.");
        assert_eq!(f.valid_until, Date::new(2028, 2, 3));
        assert_eq!(f.date, Date::new(2025, 2, 3));
    }

    #[test]
    fn tells_this_object_from_another() {
        assert!(matches!(
            facts("АКТ ввода в промышленную эксплуатацию информационной системы «Электронное лицензирование»").object,
            ObjectMention::Other { ref name, .. } if name == "Электронное лицензирование"
        ));
        assert!(matches!(
            facts("«Электрондық өтініштер» ақпараттық жүйесін енгізу туралы акт").object,
            ObjectMention::Named { .. }
        ));
        // The short name alone is an abbreviation others may share: not read without doubt.
        assert!(matches!(
            facts("Акт ввода ИС ЭО в промышленную эксплуатацию").object,
            ObjectMention::Unclear { .. }
        ));
        // An OCR slip in the name is still our object.
        assert!(matches!(
            facts("информационной системы «Электронные обрашения»").object,
            ObjectMention::Named { .. }
        ));
        assert_eq!(
            facts("Акт ввода в промышленную эксплуатацию").object,
            ObjectMention::NotNamed
        );
    }

    #[test]
    fn reads_counts_from_rows() {
        let f = facts(
            "Показатель\tЗначение\nКоличество зарегистрированных пользователей\t12 500\nКоличество государственных органов, использующих ИС\t14\nКоличество объектов внедрения\t230.0",
        );
        assert_eq!(f.counts[&CountField::RegisteredUsers].value, 12_500);
        assert_eq!(f.counts[&CountField::StateBodies].value, 14);
        assert_eq!(f.counts[&CountField::DeploymentSites].value, 230);
        let kk = facts(
            "Тіркелген пайдаланушылар саны\t3400\nПайдаланатын мемлекеттік органдар саны\t5\nЕнгізілген объектілер саны\t17",
        );
        assert_eq!(kk.counts[&CountField::RegisteredUsers].value, 3400);
        assert_eq!(kk.counts[&CountField::StateBodies].value, 5);
        assert_eq!(kk.counts[&CountField::DeploymentSites].value, 17);
    }

    #[test]
    fn whole_numbers_with_separators() {
        assert_eq!(first_whole_number(": 12 500 человек"), Some(12_500));
        assert_eq!(first_whole_number("14 органов, 230 объектов"), Some(14));
        assert_eq!(first_whole_number("нет данных"), None);
    }

    fn result_of(text: &str) -> Option<TestResult> {
        facts(text).result.map(|r| r.0)
    }

    #[test]
    fn the_conclusion_decides_not_the_table_of_items() {
        let text = "ПРОТОКОЛ № 5 испытаний информационной системы «Электронные обращения» на соответствие требованиям информационной безопасности\n\
             1. Результаты испытаний\n1 Анализ исходных кодов Не соответствует (устранено при повторной проверке)\n2 Сетевая инфраструктура Соответствует\n\
             2. Заключение\nИнформационная система «Электронные обращения» соответствует требованиям информационной безопасности.";
        assert_eq!(result_of(text), Some(TestResult::Positive));
        let no_conclusion =
            "ПРОТОКОЛ № 5 испытаний\n1 Анализ исходных кодов Соответствует\n2 Сетевая инфраструктура Соответствует";
        assert_eq!(result_of(no_conclusion), None);
    }

    #[test]
    fn partial_and_off_topic_conclusions_are_not_positive() {
        assert_eq!(
            result_of(
                "Протокол. Заключение: система не в полной мере соответствует требованиям информационной безопасности."
            ),
            Some(TestResult::Qualified)
        );
        assert_eq!(
            result_of(
                "Хаттама. Қорытынды: жүйе ақпараттық қауіпсіздік талаптарына ішінара сәйкес келеді; осалдықтар жойылмаған."
            ),
            Some(TestResult::Qualified)
        );
        assert_eq!(
            result_of(
                "ПРОТОКОЛ приемочных испытаний. Заключение: система соответствует требованиям технического задания."
            ),
            None
        );
        assert_eq!(
            result_of("Хаттама. Қорытынды: жүйе ақпараттық қауіпсіздік талаптарына сәйкес келеді."),
            Some(TestResult::Positive)
        );
    }

    #[test]
    fn kazakh_validity_in_the_officials_form() {
        let f = facts("Хаттама 2025 жылғы 10 ақпан. Хаттаманың қолданылу мерзімі: 2027 жылғы 1 наурызға дейін.");
        assert_eq!(f.valid_until, Date::new(2027, 3, 1));
        let f = facts("Протокол от 10.02.2025. Срок действия протокола — по 01.03.2026.");
        assert_eq!(f.valid_until, Date::new(2026, 3, 1));
    }

    fn object_of(text: &str) -> ObjectMention {
        facts(text).object
    }

    /// The object a scanned page names, OCR having doubted `doubtful` of its words.
    fn scanned_object_of(text: &str, doubtful: &[&str]) -> ObjectMention {
        let pages = [Page {
            number: 1,
            name: None,
            text: text.to_string(),
            ocr: true,
            doubtful_words: doubtful.iter().map(|w| w.to_string()).collect(),
        }];
        read_facts(&rules(), &NormalizedDoc::new(&pages), &pages, Some(&card())).object
    }

    /// An act whose title names `titled` and whose decision names `decided`.
    fn scanned_act(titled: &str, decided: &str) -> String {
        format!(
            "УТВЕРЖДАЮ\n«17» декабря 2022 г.\nАКТ № 37-ПЭ\nввода в промышленную эксплуатацию\nинформационной системы «{titled}»\n\
             г. Астана\nКомиссия рассмотрела результаты опытной эксплуатации.\nРЕШЕНИЕ: ввести информационную систему «{decided}» в промышленную эксплуатацию."
        )
    }

    #[test]
    fn a_name_ocr_misread_in_the_title_gives_way_to_a_clear_subject() {
        let text = scanned_act("Электронные обрвшениия", "Электронные обращения");
        assert!(
            matches!(scanned_object_of(&text, &["обрвшениия»"]), ObjectMention::Named { .. }),
            "{:?}",
            scanned_object_of(&text, &["обрвшениия»"])
        );
        // The same words read without doubt are another name, whoever read them.
        for doubtful in [&[][..], &["Электронные"][..]] {
            assert!(
                matches!(scanned_object_of(&text, doubtful), ObjectMention::Other { ref name, .. } if name == "Электронные обрвшениия"),
                "{doubtful:?}: {:?}",
                scanned_object_of(&text, doubtful)
            );
        }
        assert!(matches!(object_of(&text), ObjectMention::Other { .. }));
    }

    #[test]
    fn a_misread_name_without_a_clear_subject_is_for_an_analyst() {
        // Only the misread name: most likely ours, but not read.
        let text = scanned_act("Электронные обрвшениия", "Электронные обрвшениия");
        assert!(
            matches!(scanned_object_of(&text, &["обрвшениия"]), ObjectMention::Unclear { ref name, .. } if name == "Электронные обрвшениия"),
            "{:?}",
            scanned_object_of(&text, &["обрвшениия"])
        );
        // Ours named only in passing beside it.
        let text = "АКТ № 37-ПЭ ввода в промышленную эксплуатацию информационной системы «Электронные обрвшениия». \
                    Система заменяет информационную систему «Электронные обращения».";
        assert!(
            matches!(scanned_object_of(text, &["обрвшениия"]), ObjectMention::Unclear { .. }),
            "{:?}",
            scanned_object_of(text, &["обрвшениия"])
        );
        // The decision clearly names another system: the act is the other's.
        let text = scanned_act("Электронные обрвшениия", "Е-лицензирование");
        assert!(
            matches!(scanned_object_of(&text, &["обрвшениия"]), ObjectMention::Other { ref name, .. } if name == "Е-лицензирование"),
            "{:?}",
            scanned_object_of(&text, &["обрвшениия"])
        );
    }

    #[test]
    fn a_number_sign_read_as_a_letter_is_still_ours_on_a_scan() {
        let card = ObjectCard {
            id: "IS-2".into(),
            names: vec![LocalizedName {
                lang: Some("ru".into()),
                text: "Информационная система «Межведомственный учет транспортных средств № 286347»".into(),
            }],
            ..ObjectCard::default()
        };
        let object = |text: &str, ocr: bool| {
            let pages = [Page {
                number: 1,
                name: None,
                text: text.to_string(),
                ocr,
                doubtful_words: Vec::new(),
            }];
            read_facts(&rules(), &NormalizedDoc::new(&pages), &pages, Some(&card)).object
        };
        let act = |name: &str| {
            format!(
                "АКТ № 51 ввода в промышленную эксплуатацию информационной системы «{name}». Комиссия установила готовность."
            )
        };
        let misread = act("Межведомственный учет транспортных средств Л 286347");
        assert!(
            matches!(object(&misread, true), ObjectMention::Named { .. }),
            "{:?}",
            object(&misread, true)
        );
        // Typed, the letter is what the author wrote; another number is another system.
        assert!(matches!(object(&misread, false), ObjectMention::Other { .. }));
        let other = act("Межведомственный учет транспортных средств Л 286348");
        assert!(matches!(object(&other, true), ObjectMention::Other { .. }));
        // One digit apart is another number, typed or scanned, however like the rest.
        for ocr in [false, true] {
            let other = act("Межведомственный учет транспортных средств № 286348");
            assert!(matches!(object(&other, ocr), ObjectMention::Other { .. }), "{ocr}");
        }
        // A word in the sign's place that does not look like it is a word.
        let longer = act("Межведомственный учет транспортных средств ЮГ 286347");
        assert!(matches!(object(&longer, true), ObjectMention::Other { .. }));
        assert!(matches!(
            object(&act("Межведомственный учет транспортных средств Ne 286347"), true),
            ObjectMention::Named { .. }
        ));
    }

    #[test]
    fn a_doubtful_name_unlike_ours_is_another_object() {
        // OCR doubted a word of another system's name: doubt does not set it aside, and the
        // title's subject still decides over a decision that names ours.
        for decided in ["Электронные обращения", "Е-лицензирвание"] {
            let text = scanned_act("Е-лицензирвание", decided);
            let object = scanned_object_of(&text, &["Е-лицензирвание"]);
            assert!(matches!(object, ObjectMention::Other { .. }), "{decided}: {object:?}");
        }
        // Ours with a word of its own added, the added word read surely: a longer, other name.
        let text = scanned_act("Электронные обращения акимата", "Электронные обращения акимата");
        assert!(matches!(
            scanned_object_of(&text, &["обращения"]),
            ObjectMention::Other { .. }
        ));
    }

    #[test]
    fn a_protocol_about_another_system_that_mentions_ours_is_about_the_other() {
        for text in [
            "ПРОТОКОЛ № 9 испытаний информационной системы «Е-лицензирование» на соответствие требованиям информационной безопасности. Объект испытаний: ИС «Е-лицензирование». Интеграция: ИС «Электронные обращения», шлюз электронного правительства. Заключение: соответствует требованиям информационной безопасности.",
            "ПРОТОКОЛ № 9 испытаний информационной системы «Е-лицензирование» на соответствие требованиям информационной безопасности. Смежные системы: информационная система «Электронные обращения». Заключение: соответствует.",
            "ПРОТОКОЛ № 9 испытаний информационной системы «Е-лицензирование» на соответствие требованиям информационной безопасности. В ходе испытаний проверен обмен с ИС ЭО. Заключение: соответствует.",
            "ПРОТОКОЛ № 9 испытаний информационной системы «Электронные обращения акимата города Алматы» на соответствие требованиям информационной безопасности.",
        ] {
            assert!(
                matches!(object_of(text), ObjectMention::Other { .. }),
                "{text}\n{:?}",
                object_of(text)
            );
        }
    }

    #[test]
    fn our_subject_is_read_past_the_systems_it_mentions() {
        let text = "ПРОТОКОЛ № 9 испытаний на соответствие требованиям информационной безопасности информационной системы «Электронные обращения». Интеграция: ИС «Е-лицензирование». Заключение: соответствует требованиям информационной безопасности.";
        assert!(matches!(object_of(text), ObjectMention::Named { .. }));
        // Several subjects: the protocol counts for each.
        let text = "ПРОТОКОЛ № 9 испытаний на соответствие требованиям информационной безопасности. Объект испытаний: ИС «Е-лицензирование», ИС «Электронные обращения».";
        assert!(matches!(object_of(text), ObjectMention::Named { .. }));
        // A name further on in the label's sentence is a mention, not a second subject.
        let text = "ПРОТОКОЛ № 9 испытаний на соответствие требованиям информационной безопасности. Объект испытаний: ИС «Е-лицензирование», обрабатывающая данные информационной системы «Электронные обращения».";
        assert!(
            matches!(object_of(text), ObjectMention::Other { .. }),
            "{:?}",
            object_of(text)
        );
        // Only a part of our name: not read without doubt.
        let text = "ПРОТОКОЛ № 9 испытаний на соответствие требованиям информационной безопасности информационной системы «Обращения».";
        assert!(
            matches!(object_of(text), ObjectMention::Unclear { .. }),
            "{:?}",
            object_of(text)
        );
    }

    #[test]
    fn drafts_trial_periods_and_cited_tests_are_read() {
        assert!(facts("ПРОЕКТ\nПРИКАЗ\nО вводе в промышленную эксплуатацию").draft);
        assert!(!facts("ТЕХНИЧЕСКИЙ ПРОЕКТ\nинформационной системы").draft);
        let f = facts(
            "АКТ ввода в промышленную эксплуатацию. Система прошла опытную эксплуатацию в период с 01.02.2022 по 15.03.2024. \
             Основание: протокол испытаний на соответствие требованиям информационной безопасности от 20.01.2024 № 17-ИБ.",
        );
        let period = f.trial_period.expect("a period");
        assert_eq!(
            (period.from, period.to),
            (Date::new(2022, 2, 1).unwrap(), Date::new(2024, 3, 15).unwrap())
        );
        assert_eq!(f.cited_security_test, Date::new(2024, 1, 20));
        let kk =
            facts("«Х» ақпараттық жүйесі 01.06.2023 бастап 30.11.2024 дейінгі кезеңде тәжірибелік пайдаланудан өтті.");
        assert_eq!(kk.trial_period.map(|p| p.to), Date::new(2024, 11, 30));
    }

    #[test]
    fn a_validity_term_counts_from_the_protocol_date() {
        let f = facts(
            "ПРОТОКОЛ № 5 от 10.02.2025. Заключение: соответствует требованиям информационной безопасности. Срок действия протокола — 1 (один) год.",
        );
        assert_eq!(f.valid_until, Date::new(2026, 2, 10));
        let f = facts(
            "Хаттама 2025 жылғы 10 ақпан. Қорытынды: ақпараттық қауіпсіздік талаптарына сәйкес келеді. Хаттама 3 (үш) жыл бойы жарамды.",
        );
        assert_eq!(f.valid_until, Date::new(2028, 2, 10));
    }

    #[test]
    fn fixed_nonconformities_do_not_make_a_conclusion_negative() {
        assert_eq!(
            result_of(
                "Заключение: выявленные в ходе испытаний несоответствия устранены. Система соответствует требованиям информационной безопасности."
            ),
            Some(TestResult::Positive)
        );
        assert_eq!(
            result_of("Заключение: выявлено несоответствие требованиям информационной безопасности."),
            Some(TestResult::Negative)
        );
        assert_eq!(
            result_of(
                "Заключение: система соответствует требованиям информационной безопасности при условии устранения замечаний."
            ),
            Some(TestResult::Qualified)
        );
    }

    #[test]
    fn the_number_and_date_are_the_title_blocks_not_the_letterheads() {
        let f = facts(
            "ГТС. Аттестат аккредитации № KZ.И.02.1234 от 05.08.2021 г.\nПРОТОКОЛ № 112-ИБ\nиспытаний на соответствие требованиям информационной безопасности информационной системы «Электронные обращения»\nг. Астана 02.12.2026",
        );
        assert_eq!(f.number.as_deref(), Some("112-ИБ"));
        assert_eq!(f.date, Date::new(2026, 12, 2));
    }

    #[test]
    fn a_different_word_is_another_name_not_an_ocr_slip() {
        assert!(ocr_slip("электронные обращения", "электронные обрашения", 0.2));
        assert!(!ocr_slip(
            "государственный земельный кадастр",
            "государственный водный кадастр",
            0.2
        ));
        assert!(!ocr_slip("электронные обращения", "электронные обращения 2", 0.2));
    }
}
