//! The rules, loaded from `schemas/`: document types, facts, requirements, criteria, policy and
//! the legal acts the reports cite.
//!
//! Rules are data so that an analyst can read and change what the law requires without touching
//! Rust. The binary embeds the shipped `schemas/`; `--rules DIR` reads another copy. Every
//! pattern's syntax is checked here, so a bad pattern is reported at start-up with its file and
//! pattern, never in the middle of a run; each is compiled on its first search
//! ([`Pattern`]).

use std::path::{Path, PathBuf};

mod pattern;

#[cfg(test)]
pub(crate) use pattern::tests::{TEXTS as PATTERN_TEXTS, agree as pattern_agrees_with_regex};
pub use pattern::{Captures, Match, Pattern};
use serde::{Deserialize, Serialize};

use crate::card::{ObjectKind, Stage};
pub use crate::lang::Localized;

// The reserved document types: given by the pipeline, never by a pattern in `doctypes.toml`.

/// The type of a document no pattern recognised.
pub const OTHER: &str = "other";
/// The type of the object card itself.
pub const OBJECT_CARD: &str = "object_card";
/// The type of a detached electronic signature file: never evidence for any requirement.
pub const SIGNATURE: &str = "signature";

const FILES: [(&str, &str); 8] = [
    ("doctypes.toml", include_str!("../schemas/doctypes.toml")),
    ("facts.toml", include_str!("../schemas/facts.toml")),
    ("requirements.toml", include_str!("../schemas/requirements.toml")),
    ("criteria.toml", include_str!("../schemas/criteria.toml")),
    ("policy.toml", include_str!("../schemas/policy.toml")),
    ("acts.toml", include_str!("../schemas/acts.toml")),
    ("letterhead.toml", include_str!("../schemas/letterhead.toml")),
    ("declension.toml", include_str!("../schemas/declension.toml")),
];

/// Files of [`FILES`] that only word the letters: left out of the rules' fingerprint, like the
/// holiday calendars, since a new signatory or declension head changes no stored classification.
const WORDING_FILES: [&str; 2] = ["letterhead.toml", "declension.toml"];

/// Holiday calendars, one year a file: read like the rules, but not part of their fingerprint,
/// since they change no stored classification (a new holiday must not rebuild the index).
/// `from_dir` reads every [`is_holiday_file`] in the directory; a test fails when `schemas/`
/// holds one this list misses.
const CALENDAR_FILES: &[(&str, &str)] = &[(
    "holidays-kz-2026.toml",
    include_str!("../schemas/holidays-kz-2026.toml"),
)];

/// Whether a file in a rules directory is a holiday calendar (`holidays-kz-2027.toml`).
fn is_holiday_file(name: &str) -> bool {
    name.starts_with("holidays-kz-") && name.ends_with(".toml")
}

#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("cannot read rules file `{path}`: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("rules file `{file}` is not valid: {message}")]
    Invalid { file: String, message: String },
    #[error("rules file `{file}`: pattern `{pattern}` is not a valid regular expression: {source}")]
    Pattern {
        file: String,
        pattern: String,
        source: Box<regex_syntax::Error>,
    },
}

// ---- doctypes.toml -------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DoctypesFile {
    recognition: RecognitionSpec,
    doctype: Vec<DoctypeSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RecognitionSpec {
    head_chars: usize,
    min_body_score: u32,
    split: SplitSpec,
    draft: DraftSpec,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SplitSpec {
    head_chars: usize,
    mark_reach: usize,
    marks: Vec<String>,
    before_title: Vec<String>,
    number: String,
    blank: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DraftSpec {
    first_lines: usize,
    lines: Vec<String>,
}

#[derive(Debug)]
pub struct RecognitionSettings {
    pub head_chars: usize,
    pub min_body_score: u32,
    /// How many non-empty lines at the top of the first page may carry a draft mark.
    pub draft_first_lines: usize,
    /// A line that, alone, marks the document as a draft ("ПРОЕКТ").
    pub draft_lines: Vec<Pattern>,
    pub split: SplitSettings,
}

/// Where a later page of a file starts a new document (`[recognition.split]` in doctypes.toml).
#[derive(Debug)]
pub struct SplitSettings {
    /// How far into a page its title may start.
    pub head_chars: usize,
    /// How close (in bytes of normalised text) a mark must stand to the title match.
    pub mark_reach: usize,
    /// Case-sensitive: a title block's capitals or number ("АКТ", "Акт №").
    pub marks: Vec<Pattern>,
    /// Text before the title that makes it part of the current document (a section heading, a form).
    pub before_title: Vec<Pattern>,
    /// A document number next to a title: a second document of the same type has its own.
    pub number: Pattern,
    /// A title block left blank: a form, not a document.
    pub blank: Vec<Pattern>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DoctypeSpec {
    id: String,
    name: Localized,
    title: Vec<String>,
    #[serde(default)]
    body: Vec<WeightedPatternSpec>,
    #[serde(default)]
    resembles: Vec<String>,
    #[serde(default)]
    lists_only: bool,
    #[serde(default, deserialize_with = "deserialize_stages")]
    contradicts_stages: Vec<Stage>,
    #[serde(default)]
    refuted_by: Vec<RefutationSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RefutationSpec {
    pattern: String,
    #[serde(rename = "as")]
    as_type: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WeightedPatternSpec {
    pattern: String,
    weight: u32,
}

#[derive(Debug)]
pub struct DocType {
    pub id: String,
    pub name: Localized,
    pub title: Vec<Pattern>,
    pub body: Vec<(Pattern, u32)>,
    /// Types this one is mistaken for (a refusal act for a commissioning act): recognised so that
    /// it is never evidence for them. At the same title position, a look-alike wins.
    pub resembles: Vec<String>,
    /// A document that only lists or promises others (a cover letter): the documents it names
    /// are missing, not invalid.
    pub lists_only: bool,
    /// Card stages that a document of this type contradicts (a commissioning act at `creation`).
    pub contradicts_stages: Vec<Stage>,
    /// A decision that makes a document titled as this type another one ("РЕШЕНИЕ: отказать во
    /// вводе" makes an act a refusal): the pattern, and the type it makes.
    pub refuted_by: Vec<(Pattern, String)>,
}

// ---- facts.toml ----------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FactsFile {
    test_result: TestResultSpec,
    validity: ValiditySpec,
    number: NumberSpec,
    object_mention: ObjectMentionSpec,
    subject: SubjectSpec,
    trial_operation: TrialOperationSpec,
    cited_security_test: ValiditySpec,
    count: Vec<CountSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TestResultSpec {
    conclusion_chars: usize,
    conclusion_ends: Vec<String>,
    conclusion_headings: Vec<String>,
    conclusion_sentences: Vec<String>,
    negative: Vec<String>,
    qualified: Vec<String>,
    positive: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ValiditySpec {
    reach_chars: usize,
    anchors: Vec<AnchorSpec>,
    #[serde(default)]
    durations: Vec<String>,
    #[serde(default)]
    number_words: std::collections::BTreeMap<String, u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnchorSpec {
    pattern: String,
    date: DateSide,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DateSide {
    After,
    Before,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NumberSpec {
    pattern: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ObjectMentionSpec {
    patterns: Vec<String>,
    kind_words: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SubjectSpec {
    title_tail_chars: usize,
    segment_chars: usize,
    decision_chars: usize,
    labels: Vec<String>,
    decisions: Vec<String>,
    references: Vec<String>,
    list_separator: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrialOperationSpec {
    reach_chars: usize,
    phrases: Vec<String>,
    between: Vec<String>,
    durations: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CountSpec {
    field: CountField,
    labels: Vec<String>,
}

/// The counts that p. 5(1) asks for, as card fields and statistics-sheet rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountField {
    RegisteredUsers,
    StateBodies,
    DeploymentSites,
}

impl CountField {
    pub fn as_str(self) -> &'static str {
        match self {
            CountField::RegisteredUsers => "registered_users",
            CountField::StateBodies => "state_bodies",
            CountField::DeploymentSites => "deployment_sites",
        }
    }
}

/// Date anchors: a phrase and on which side of it the date stands.
#[derive(Debug)]
pub struct DateAnchors {
    pub reach_chars: usize,
    pub anchors: Vec<(Pattern, DateSide)>,
    /// A term counted from the document's date, with named groups `n` and `unit`.
    pub durations: Vec<Pattern>,
    /// Numbers written as words in a term ("один год", "үш жыл").
    pub number_words: std::collections::BTreeMap<String, u32>,
}

/// Where a document says what it is about (see the `[subject]` header of `facts.toml`).
#[derive(Debug)]
pub struct SubjectPatterns {
    pub title_tail_chars: usize,
    pub segment_chars: usize,
    /// How far a decision reaches (for a decision that overrules a title).
    pub decision_chars: usize,
    pub labels: Vec<Pattern>,
    pub decisions: Vec<Pattern>,
    pub references: Vec<Pattern>,
    /// What may stand between two names listed together as subjects.
    pub list_separator: Pattern,
}

#[derive(Debug)]
pub struct TrialOperationPatterns {
    pub reach_chars: usize,
    pub phrases: Vec<Pattern>,
    pub between: Vec<Pattern>,
    /// A stated length ("продолжительность опытной эксплуатации составила 18 месяцев").
    pub durations: Vec<Pattern>,
}

#[derive(Debug)]
pub struct FactPatterns {
    /// How far a conclusion reaches, at most, and what ends it earlier (an annex).
    pub conclusion_chars: usize,
    pub conclusion_ends: Vec<Pattern>,
    pub conclusion_headings: Vec<Pattern>,
    pub conclusion_sentences: Vec<Pattern>,
    pub negative_result: Vec<Pattern>,
    pub qualified_result: Vec<Pattern>,
    pub positive_result: Vec<Pattern>,
    pub validity: DateAnchors,
    pub number: Pattern,
    pub object_mention: Vec<Pattern>,
    /// Kind words stripped from a name before it is compared ("ИС «X»" is «X»), on squashed text.
    pub name_kind_words: Vec<Pattern>,
    pub subject: SubjectPatterns,
    pub trial_operation: TrialOperationPatterns,
    pub cited_security_test: DateAnchors,
    /// Count fields and the labels that introduce them, in priority order.
    pub counts: Vec<(CountField, Vec<Pattern>)>,
    /// Every count label as one pattern, to pass over a page that has none in one search.
    pub any_count_label: Option<Pattern>,
}

// ---- requirements.toml ---------------------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RequirementsFile {
    law: LawChecks,
    requirement: Vec<Requirement>,
}

/// Checks of the object as a whole, beyond the documents of p. 5 (the `[law]` tables of
/// `requirements.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LawChecks {
    /// Order No. 29 p. 10: an object no longer operated leaves the list.
    pub decommissioned: Cited,
    /// Law Art. 39(4)(5), 40(1): commissioning needs a positive IS test result first.
    pub security_test_before_commissioning: TestBeforeCommissioning,
    /// Law Art. 39(4)(2): trial operation lasts at most this long.
    pub trial_operation: TrialOperationLimit,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cited {
    pub cite: Localized,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestBeforeCommissioning {
    /// Document types that commission the object.
    pub commissioning: Vec<String>,
    /// Document types that record an IS test result.
    pub security_test: Vec<String>,
    pub cite: Localized,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrialOperationLimit {
    pub max_months: u32,
    /// Document types whose stated trial period counts.
    pub doc_types: Vec<String>,
    pub cite: Localized,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    Document,
    DocumentOrCard,
    Counts,
    TestProtocol,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum ObjectMatchRule {
    /// The document must name the card's object.
    Required,
    /// The document must not name only some other object.
    #[default]
    NotOther,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    pub id: String,
    #[serde(deserialize_with = "deserialize_kind")]
    pub kind: ObjectKind,
    pub check: CheckKind,
    #[serde(default)]
    pub doc_types: Vec<String>,
    #[serde(default)]
    pub fields: Vec<CountField>,
    #[serde(default)]
    pub object_match: ObjectMatchRule,
    #[serde(default, deserialize_with = "deserialize_stages")]
    pub expired_accepted_at: Vec<Stage>,
    pub cite: Localized,
    pub title: Localized,
    pub to_submit: Localized,
}

fn deserialize_kind<'de, D: serde::Deserializer<'de>>(d: D) -> Result<ObjectKind, D::Error> {
    let s = String::deserialize(d)?;
    ObjectKind::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown object kind `{s}`")))
}

fn deserialize_kinds<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<ObjectKind>, D::Error> {
    let names = Vec::<String>::deserialize(d)?;
    names
        .iter()
        .map(|s| ObjectKind::parse(s).ok_or_else(|| serde::de::Error::custom(format!("unknown object kind `{s}`"))))
        .collect()
}

fn deserialize_stages<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Stage>, D::Error> {
    let names = Vec::<String>::deserialize(d)?;
    names
        .iter()
        .map(|s| Stage::parse(s).ok_or_else(|| serde::de::Error::custom(format!("unknown stage `{s}`"))))
        .collect()
}

// ---- criteria.toml -------------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criteria {
    pub test: CriteriaTest,
    pub group: Vec<CriteriaGroup>,
    pub criterion: Vec<Criterion>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriteriaTest {
    pub cite: Localized,
    pub min_total: u32,
    pub min_per_group: u32,
    #[serde(deserialize_with = "deserialize_kinds")]
    pub applies_to: Vec<ObjectKind>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriteriaGroup {
    pub id: String,
    pub title: Localized,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub id: String,
    pub group: String,
    pub text: Localized,
    pub computed: Option<ComputedCriterion>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComputedCriterion {
    pub fact: CriterionFact,
    pub greater_than: u64,
    /// Set when the fact only approximates the criterion ("all state bodies" for "central state
    /// bodies"): what the report says about it.
    pub proxy: Option<Localized>,
}

/// What a computed criterion is measured by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CriterionFact {
    RegisteredUsers,
    StateBodies,
    DeploymentSites,
    /// The number of services the card lists.
    Services,
}

// ---- policy.toml ---------------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub security_test_protocol: ProtocolPolicy,
    pub description: DescriptionPolicy,
    pub object_match: ObjectMatchPolicy,
    pub deadline: DeadlinePolicy,
    pub expiry: ExpiryPolicy,
    pub levels: LevelPolicy,
}

/// Order No. 193 p. 26: the level of compliance with the e-government architecture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Fully,
    Partially,
    Not,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Fully => "fully",
            Level::Partially => "partially",
            Level::Not => "not",
        }
    }

    /// Higher is better: `not` < `partially` < `fully`.
    pub fn rank(self) -> u8 {
        match self {
            Level::Not => 0,
            Level::Partially => 1,
            Level::Fully => 2,
        }
    }
}

/// Which level of Order No. 193 p. 26 each verdict gives: the integrator's choice, not the law's.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelPolicy {
    pub complies: Level,
    /// A complying submission with warnings.
    pub complies_with_warnings: Level,
    pub needs_review: Level,
    pub does_not_comply: Level,
    /// A submission without a readable object card: its requirements are unknown.
    pub no_readable_card: Level,
}

impl LevelPolicy {
    /// Why these levels cannot be: a level that rises as the verdict worsens, or "fully" for
    /// anything but a submission that complies without a warning (a false "fully complies" is
    /// the worst thing the tool could say).
    fn problem(&self) -> Option<String> {
        let worsening = [
            ("complies", self.complies),
            ("complies_with_warnings", self.complies_with_warnings),
            ("needs_review", self.needs_review),
            ("does_not_comply", self.does_not_comply),
        ];
        if let Some(pair) = worsening.windows(2).find(|pair| pair[1].1.rank() > pair[0].1.rank()) {
            return Some(format!(
                "[levels] {} gives a higher level than {}",
                pair[1].0, pair[0].0
            ));
        }
        let below_complies = [
            ("complies_with_warnings", self.complies_with_warnings),
            ("needs_review", self.needs_review),
            ("does_not_comply", self.does_not_comply),
            ("no_readable_card", self.no_readable_card),
        ];
        below_complies
            .iter()
            .find(|(_, level)| *level == Level::Fully)
            .map(|(key, _)| {
                format!(
                    "[levels] {key} cannot be \"fully\": only a submission that complies without a warning fully complies"
                )
            })
    }
}

/// Order No. 29 p. 5: the recommendation is due a number of working days after the application.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlinePolicy {
    pub working_days: u32,
    /// A submission this many working days or fewer from its deadline is listed as near.
    pub near_working_days: u32,
    pub cite: Localized,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpiryPolicy {
    /// Warn about protocols expiring within each of these many days (ascending).
    pub warn_days: Vec<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProtocolPolicy {
    pub default_validity_months: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DescriptionPolicy {
    pub min_card_description_chars: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectMatchPolicy {
    pub max_relative_edit_distance: f64,
}

// ---- holidays -----------------------------------------------------------------------------

/// Every holiday file in `dir`, by name, with its text.
fn read_holiday_files(dir: &Path) -> Result<Vec<(String, String)>, RulesError> {
    let unreadable = |path: &Path| {
        let path = path.to_path_buf();
        move |source| RulesError::Read { path, source }
    };
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(unreadable(dir))? {
        let name = entry.map_err(unreadable(dir))?.file_name();
        if let Some(name) = name.to_str().filter(|name| is_holiday_file(name)) {
            names.push(name.to_string());
        }
    }
    // Sorted, so that of two files giving one year it is always the same that is blamed.
    names.sort();
    let mut files = Vec::new();
    for name in names {
        let path = dir.join(&name);
        let text = std::fs::read_to_string(&path).map_err(unreadable(&path))?;
        files.push((name, text));
    }
    Ok(files)
}

/// One working-day calendar from the holiday files, each naming its year; a bad file, or a
/// second file for a year, is an error naming that file.
fn load_calendar(files: &[(String, String)]) -> Result<crate::calendar::WorkCalendar, RulesError> {
    let mut calendar = crate::calendar::WorkCalendar::default();
    let mut loaded: Vec<(i32, &str)> = Vec::new();
    for (name, text) in files {
        let file: crate::calendar::HolidayFile = parse(name, text)?;
        let invalid = |message| RulesError::Invalid {
            file: name.clone(),
            message,
        };
        if let Some((_, first)) = loaded.iter().find(|(year, _)| *year == file.year) {
            return Err(invalid(format!(
                "the holidays of {} are already in `{first}`",
                file.year
            )));
        }
        calendar.add(&file).map_err(invalid)?;
        loaded.push((file.year, name.as_str()));
    }
    Ok(calendar)
}

// ---- acts.toml ----------------------------------------------------------------------------

/// Order No. 29: the Rules for forming the list of ICT-infrastructure objects (the checks).
pub const ORDER_29: &str = "order_29";
/// Order No. 193/НҚ: the Rules for the e-government architecture (the compliance levels).
pub const ORDER_193: &str = "order_193";
/// The Law «Об информатизации».
pub const LAW_INFORMATIZATION: &str = "law_informatization";
/// The acts the report code cites by id: `acts.toml` must define each.
const REQUIRED_ACTS: [&str; 3] = [ORDER_29, ORDER_193, LAW_INFORMATIZATION];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ActsFile {
    act: Vec<Act>,
}

/// A legal act the reports cite, with its details (`schemas/acts.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Act {
    pub id: String,
    pub number: String,
    pub date: crate::date::Date,
    #[serde(default)]
    pub registered: Option<Registration>,
    pub issuer: Localized,
    pub title: Localized,
    /// The citation in full: title, issuer, date, number, registration.
    pub full: Localized,
    /// The form that follows a paragraph: "Правил, утв. приказом № 29".
    pub short: Localized,
}

/// Registration with the Ministry of Justice.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    pub date: crate::date::Date,
    pub number: String,
}

/// Every act the code cites exists, once, with every text in all three languages, and its full
/// citation states its number ("№ 29", in English "No. 29").
fn check_acts(acts: &[Act]) -> Result<(), RulesError> {
    let invalid = |message: String| RulesError::Invalid {
        file: "acts.toml".to_string(),
        message,
    };
    for (i, act) in acts.iter().enumerate() {
        if acts[..i].iter().any(|a| a.id == act.id) {
            return Err(invalid(format!("act `{}` is defined twice", act.id)));
        }
        for (field, text) in [
            ("issuer", &act.issuer),
            ("title", &act.title),
            ("full", &act.full),
            ("short", &act.short),
        ] {
            if [&text.ru, &text.kk, &text.en].iter().any(|t| t.trim().is_empty()) {
                return Err(invalid(format!("act `{}`: `{field}` needs ru, kk and en", act.id)));
            }
        }
        let (number, number_en) = (format!("№ {}", act.number), format!("No. {}", act.number));
        if !act.full.ru.contains(&number) || !act.full.kk.contains(&number) || !act.full.en.contains(&number_en) {
            return Err(invalid(format!(
                "act `{}`: `full` must state `{number}` (in English `{number_en}`)",
                act.id
            )));
        }
    }
    if let Some(missing) = REQUIRED_ACTS.iter().find(|id| !acts.iter().any(|a| &a.id == *id)) {
        return Err(invalid(format!(
            "act `{missing}` is cited by the reports but not defined"
        )));
    }
    Ok(())
}

// ---- letterhead.toml, declension.toml -------------------------------------------------------

/// A text of the letters per language. Unlike [`Localized`], an empty language stays empty (a
/// placeholder in the letter), never the Russian text in a Kazakh letter.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LetterText {
    #[serde(default)]
    pub ru: String,
    #[serde(default)]
    pub kk: String,
    #[serde(default)]
    pub en: String,
}

impl LetterText {
    /// The text in `lang`, trimmed; `None` when it is empty.
    pub fn get(&self, lang: crate::lang::Lang) -> Option<&str> {
        let text = match lang {
            crate::lang::Lang::Ru => &self.ru,
            crate::lang::Lang::Kk => &self.kk,
            crate::lang::Lang::En => &self.en,
        };
        Some(text.trim()).filter(|t| !t.is_empty())
    }
}

/// The letters' sender and signatory, and their addressee for the recommendation
/// (`schemas/letterhead.toml`). Every value may be empty: the letter shows a placeholder.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Letterhead {
    #[serde(default)]
    pub sender: Sender,
    #[serde(default)]
    pub signatory: Signatory,
    #[serde(default)]
    pub executor: Executor,
    #[serde(default)]
    pub outgoing: Outgoing,
    #[serde(default)]
    pub authorized_body: AuthorizedBody,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sender {
    #[serde(default)]
    pub organisation: LetterText,
    #[serde(default)]
    pub address: LetterText,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signatory {
    #[serde(default)]
    pub position: LetterText,
    #[serde(default)]
    pub name: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Executor {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outgoing {
    #[serde(default)]
    pub prefix: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorizedBody {
    #[serde(default)]
    pub name: LetterText,
}

/// Heads of state bodies' names with their dative (`schemas/declension.toml`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Declension {
    #[serde(default)]
    pub ru: Vec<DativeHead>,
    #[serde(default)]
    pub kk: Vec<DativeHead>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DativeHead {
    pub nominative: String,
    pub dative: String,
}

impl Declension {
    /// A state body's name in the dative, through a listed head; `None` when no head matches
    /// (the caller keeps the nominative and says so).
    pub fn dative(&self, name: &str, lang: crate::lang::Lang) -> Option<String> {
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        match lang {
            crate::lang::Lang::Kk => self.kazakh_dative(&name),
            crate::lang::Lang::Ru => self.russian_dative(&name),
            crate::lang::Lang::En => None,
        }
    }

    /// The head at the start of the name, as whole words, the longest that matches.
    fn russian_dative(&self, name: &str) -> Option<String> {
        self.ru
            .iter()
            .filter(|head| {
                name.strip_prefix(head.nominative.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
            })
            .max_by_key(|head| head.nominative.len())
            .map(|head| format!("{}{}", head.dative, &name[head.nominative.len()..]))
    }

    /// The head as the name's last word (case aside): the word keeps its own letters and takes
    /// the head's ending.
    fn kazakh_dative(&self, name: &str) -> Option<String> {
        let (before, last) = match name.rsplit_once(' ') {
            Some((before, last)) => (Some(before), last),
            None => (None, name),
        };
        let head = self
            .kk
            .iter()
            .find(|h| h.nominative.to_lowercase() == last.to_lowercase())?;
        let ending = head.dative.strip_prefix(head.nominative.as_str())?;
        Some(match before {
            Some(before) => format!("{before} {last}{ending}"),
            None => format!("{last}{ending}"),
        })
    }
}

/// Kazakh vowels by harmony: a dative ending follows the last vowel of its word.
const KK_BACK_VOWELS: &str = "аоұыя";
const KK_FRONT_VOWELS: &str = "әөүіеэ";

/// Every head is non-empty and listed once; a Kazakh dative is its nominative plus the ending
/// that vowel harmony and the final sound call for (a typo in the data would decline silently).
fn check_declension(declension: &Declension) -> Result<(), RulesError> {
    let invalid = |message: String| RulesError::Invalid {
        file: "declension.toml".to_string(),
        message,
    };
    for (lang, heads) in [("ru", &declension.ru), ("kk", &declension.kk)] {
        for (i, head) in heads.iter().enumerate() {
            if head.nominative.trim().is_empty() || head.dative.trim().is_empty() {
                return Err(invalid(format!("[[{lang}]] #{}: an empty head", i + 1)));
            }
            if heads[..i]
                .iter()
                .any(|h| h.nominative.to_lowercase() == head.nominative.to_lowercase())
            {
                return Err(invalid(format!("[[{lang}]] `{}` is listed twice", head.nominative)));
            }
        }
    }
    for head in &declension.kk {
        let expected = kazakh_dative_endings(&head.nominative);
        let ending = head.dative.strip_prefix(head.nominative.as_str());
        if !ending.is_some_and(|e| expected.contains(&e)) {
            return Err(invalid(format!(
                "[[kk]] `{}` → `{}`: the dative is the head plus one of {}",
                head.nominative,
                head.dative,
                expected.join(", ")
            )));
        }
    }
    Ok(())
}

/// The dative endings a Kazakh word may take: after the possessive -ы/-і only -на/-не; else
/// -ға/-ге, or -қа/-ке after a voiceless consonant, in harmony with the word's last vowel.
fn kazakh_dative_endings(word: &str) -> Vec<&'static str> {
    let lower = word.to_lowercase();
    let last_vowel = lower
        .chars()
        .rev()
        .find(|c| KK_BACK_VOWELS.contains(*c) || KK_FRONT_VOWELS.contains(*c));
    let back = match last_vowel {
        Some(v) => KK_BACK_VOWELS.contains(v),
        None => return Vec::new(),
    };
    let last = lower.chars().last();
    match last {
        Some('ы') => vec!["на"],
        Some('і') => vec!["не"],
        Some(c) if "пкқтсшщфхцч".contains(c) => vec![if back { "қа" } else { "ке" }],
        Some(_) => vec![if back { "ға" } else { "ге" }],
        None => Vec::new(),
    }
}

// ---- all together --------------------------------------------------------------------------

#[derive(Debug)]
pub struct Rules {
    pub recognition: RecognitionSettings,
    pub doctypes: Vec<DocType>,
    pub facts: FactPatterns,
    pub requirements: Vec<Requirement>,
    pub law: LawChecks,
    pub criteria: Criteria,
    pub policy: Policy,
    /// The legal acts the reports cite (`acts.toml`).
    pub acts: Vec<Act>,
    /// The letters' sender, signatory and the authorized body (`letterhead.toml`).
    pub letterhead: Letterhead,
    /// The dative of state bodies' names (`declension.toml`).
    pub declension: Declension,
    pub calendar: crate::calendar::WorkCalendar,
    /// A digest of the rule texts: an index built under other rules is rebuilt.
    pub fingerprint: String,
}

impl Rules {
    /// Every pattern: to compile them all ahead of the first document, and for tests that hold
    /// them all to one property.
    pub(crate) fn patterns(&self) -> Vec<&Pattern> {
        let recognition = &self.recognition;
        let split = &recognition.split;
        let facts = &self.facts;
        fn anchors(a: &DateAnchors) -> impl Iterator<Item = &Pattern> {
            a.anchors.iter().map(|(p, _)| p).chain(&a.durations)
        }
        let subject = &facts.subject;
        let trial = &facts.trial_operation;
        let mut all: Vec<&Pattern> = Vec::new();
        all.extend(&recognition.draft_lines);
        all.extend(split.marks.iter().chain(&split.before_title).chain(&split.blank));
        all.push(&split.number);
        for doctype in &self.doctypes {
            all.extend(&doctype.title);
            all.extend(doctype.body.iter().map(|(p, _)| p));
            all.extend(doctype.refuted_by.iter().map(|(p, _)| p));
        }
        all.extend(
            facts
                .conclusion_ends
                .iter()
                .chain(&facts.conclusion_headings)
                .chain(&facts.conclusion_sentences)
                .chain(&facts.negative_result)
                .chain(&facts.qualified_result)
                .chain(&facts.positive_result)
                .chain(&facts.object_mention)
                .chain(&facts.name_kind_words),
        );
        all.push(&facts.number);
        all.extend(anchors(&facts.validity));
        all.extend(anchors(&facts.cited_security_test));
        all.extend(
            subject
                .labels
                .iter()
                .chain(&subject.decisions)
                .chain(&subject.references),
        );
        all.push(&subject.list_separator);
        all.extend(trial.phrases.iter().chain(&trial.between).chain(&trial.durations));
        all.extend(facts.counts.iter().flat_map(|(_, labels)| labels));
        all.extend(&facts.any_count_label);
        all
    }

    /// The rules shipped in `schemas/`, embedded in the binary.
    pub fn embedded() -> Result<Rules, RulesError> {
        let texts: Vec<(String, String)> = FILES.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
        let calendars: Vec<(String, String)> = CALENDAR_FILES
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        Rules::from_texts(&texts, &calendars)
    }

    /// Rules read from a directory laid out like `schemas/`.
    pub fn from_dir(dir: &Path) -> Result<Rules, RulesError> {
        let mut texts = Vec::new();
        for (name, _) in FILES {
            let path = dir.join(name);
            let text = std::fs::read_to_string(&path).map_err(|source| RulesError::Read { path, source })?;
            texts.push((name.to_string(), text));
        }
        Rules::from_texts(&texts, &read_holiday_files(dir)?)
    }

    fn from_texts(texts: &[(String, String)], calendars: &[(String, String)]) -> Result<Rules, RulesError> {
        let text_of = |name: &str| {
            texts
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, t)| t.as_str())
                .unwrap_or("")
        };
        let doctypes: DoctypesFile = parse("doctypes.toml", text_of("doctypes.toml"))?;
        let facts: FactsFile = parse("facts.toml", text_of("facts.toml"))?;
        let requirements: RequirementsFile = parse("requirements.toml", text_of("requirements.toml"))?;
        let criteria: Criteria = parse("criteria.toml", text_of("criteria.toml"))?;
        let policy: Policy = parse("policy.toml", text_of("policy.toml"))?;
        let acts: ActsFile = parse("acts.toml", text_of("acts.toml"))?;
        check_acts(&acts.act)?;
        let letterhead: Letterhead = parse("letterhead.toml", text_of("letterhead.toml"))?;
        let declension: Declension = parse("declension.toml", text_of("declension.toml"))?;
        check_declension(&declension)?;

        let calendar = load_calendar(calendars)?;
        if policy.expiry.warn_days.windows(2).any(|w| w[0] >= w[1]) {
            return Err(RulesError::Invalid {
                file: "policy.toml".into(),
                message: "[expiry] warn_days must be ascending".into(),
            });
        }
        if let Some(message) = policy.levels.problem() {
            return Err(RulesError::Invalid {
                file: "policy.toml".into(),
                message,
            });
        }

        let recognition = compile_recognition(doctypes.recognition)?;
        let doctype_rules = compile_doctypes(doctypes.doctype)?;
        check_vocabulary(&doctype_rules, &requirements, &criteria)?;

        let mut digest = crate::fnv::Fnv1a::default();
        for (name, text) in texts.iter().filter(|(name, _)| !WORDING_FILES.contains(&name.as_str())) {
            digest.write(name.as_bytes());
            digest.write(text.as_bytes());
        }
        Ok(Rules {
            recognition,
            doctypes: doctype_rules,
            facts: compile_facts(facts)?,
            requirements: requirements.requirement,
            law: requirements.law,
            criteria,
            policy,
            acts: acts.act,
            letterhead,
            declension,
            calendar,
            fingerprint: format!("{:016x}", digest.finish()),
        })
    }

    pub fn requirements_for(&self, kind: ObjectKind) -> impl Iterator<Item = &Requirement> {
        self.requirements.iter().filter(move |r| r.kind == kind)
    }

    pub fn doctype(&self, id: &str) -> Option<&DocType> {
        self.doctypes.iter().find(|d| d.id == id)
    }

    pub fn is_known_doctype(&self, id: &str) -> bool {
        id == OTHER || id == OBJECT_CARD || id == SIGNATURE || self.doctype(id).is_some()
    }
}

fn parse<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<T, RulesError> {
    toml::from_str(text).map_err(|e| RulesError::Invalid {
        file: file.to_string(),
        message: e.to_string(),
    })
}

fn compile(file: &str, pattern: &str) -> Result<Pattern, RulesError> {
    Pattern::new(pattern).map_err(|source| RulesError::Pattern {
        file: file.to_string(),
        pattern: pattern.to_string(),
        source,
    })
}

fn compile_all(file: &str, patterns: &[String]) -> Result<Vec<Pattern>, RulesError> {
    patterns.iter().map(|p| compile(file, p)).collect()
}

/// Every name one rules file uses for another's vocabulary must exist: a typo would otherwise
/// silently switch a check off. Names with a closed set (count fields, facts, kinds, stages) are
/// enums and fail in serde already.
fn check_vocabulary(
    doctypes: &[DocType],
    requirements: &RequirementsFile,
    criteria: &Criteria,
) -> Result<(), RulesError> {
    let invalid = |file: &str| {
        let file = file.to_string();
        move |message| RulesError::Invalid { file, message }
    };
    check_doctype_names(doctypes).map_err(invalid("doctypes.toml"))?;
    check_law_doc_types(&requirements.law, doctypes).map_err(invalid("requirements.toml"))?;
    check_requirements(&requirements.requirement, doctypes).map_err(invalid("requirements.toml"))?;
    check_criteria_groups(criteria).map_err(invalid("criteria.toml"))
}

fn is_defined(doctypes: &[DocType], id: &str) -> bool {
    doctypes.iter().any(|d| d.id == id)
}

/// Each document type once, under a name not reserved, referring only to defined types.
fn check_doctype_names(doctypes: &[DocType]) -> Result<(), String> {
    let mut seen = Vec::new();
    for doctype in doctypes {
        if seen.contains(&doctype.id.as_str())
            || doctype.id == OTHER
            || doctype.id == OBJECT_CARD
            || doctype.id == SIGNATURE
        {
            return Err(format!("document type `{}` is defined twice or reserved", doctype.id));
        }
        seen.push(&doctype.id);
        if let Some((_, unknown)) = doctype.refuted_by.iter().find(|(_, t)| !is_defined(doctypes, t)) {
            return Err(format!(
                "document type {}: `refuted_by` names unknown document type `{unknown}`",
                doctype.id
            ));
        }
        if let Some(unknown) = doctype.resembles.iter().find(|t| !is_defined(doctypes, t)) {
            return Err(format!(
                "document type {}: `resembles` names unknown document type `{unknown}`",
                doctype.id
            ));
        }
    }
    Ok(())
}

fn check_law_doc_types(law: &LawChecks, doctypes: &[DocType]) -> Result<(), String> {
    for (key, types) in [
        (
            "law.security_test_before_commissioning.commissioning",
            &law.security_test_before_commissioning.commissioning,
        ),
        (
            "law.security_test_before_commissioning.security_test",
            &law.security_test_before_commissioning.security_test,
        ),
        ("law.trial_operation.doc_types", &law.trial_operation.doc_types),
    ] {
        if let Some(unknown) = types.iter().find(|t| !is_defined(doctypes, t)) {
            return Err(format!("`{key}` names unknown document type `{unknown}`"));
        }
    }
    Ok(())
}

/// Each requirement once, with the document types or fields its check reads.
fn check_requirements(requirements: &[Requirement], doctypes: &[DocType]) -> Result<(), String> {
    let mut ids = Vec::new();
    for requirement in requirements {
        if ids.contains(&requirement.id.as_str()) {
            return Err(format!("requirement {} is defined twice", requirement.id));
        }
        ids.push(&requirement.id);
        if let Some(unknown) = requirement.doc_types.iter().find(|t| !is_defined(doctypes, t)) {
            return Err(format!(
                "requirement {}: `doc_types` names unknown document type `{unknown}`",
                requirement.id
            ));
        }
        let needs_documents = matches!(
            requirement.check,
            CheckKind::Document | CheckKind::DocumentOrCard | CheckKind::TestProtocol
        );
        if needs_documents && requirement.doc_types.is_empty() {
            return Err(format!(
                "requirement {}: check `{:?}` needs `doc_types`",
                requirement.id, requirement.check
            ));
        }
        if requirement.check == CheckKind::Counts && requirement.fields.is_empty() {
            return Err(format!("requirement {}: check `counts` needs `fields`", requirement.id));
        }
    }
    Ok(())
}

fn check_criteria_groups(criteria: &Criteria) -> Result<(), String> {
    for criterion in &criteria.criterion {
        if !criteria.group.iter().any(|g| g.id == criterion.group) {
            return Err(format!(
                "criterion {}: `group` names unknown group `{}`",
                criterion.id, criterion.group
            ));
        }
    }
    Ok(())
}

fn compile_recognition(spec: RecognitionSpec) -> Result<RecognitionSettings, RulesError> {
    Ok(RecognitionSettings {
        head_chars: spec.head_chars,
        min_body_score: spec.min_body_score,
        draft_first_lines: spec.draft.first_lines,
        draft_lines: compile_all("doctypes.toml", &spec.draft.lines)?,
        split: SplitSettings {
            head_chars: spec.split.head_chars,
            mark_reach: spec.split.mark_reach,
            marks: compile_all("doctypes.toml", &spec.split.marks)?,
            before_title: compile_all("doctypes.toml", &spec.split.before_title)?,
            number: compile("doctypes.toml", &spec.split.number)?,
            blank: compile_all("doctypes.toml", &spec.split.blank)?,
        },
    })
}

fn compile_doctypes(specs: Vec<DoctypeSpec>) -> Result<Vec<DocType>, RulesError> {
    const FILE: &str = "doctypes.toml";
    specs
        .into_iter()
        .map(|spec| {
            Ok(DocType {
                title: compile_all(FILE, &spec.title)?,
                body: spec
                    .body
                    .iter()
                    .map(|b| Ok((compile(FILE, &b.pattern)?, b.weight)))
                    .collect::<Result<_, RulesError>>()?,
                id: spec.id,
                name: spec.name,
                resembles: spec.resembles,
                lists_only: spec.lists_only,
                contradicts_stages: spec.contradicts_stages,
                refuted_by: spec
                    .refuted_by
                    .iter()
                    .map(|r| Ok((compile(FILE, &r.pattern)?, r.as_type.clone())))
                    .collect::<Result<_, RulesError>>()?,
            })
        })
        .collect()
}

fn compile_anchors(file: &str, spec: &ValiditySpec) -> Result<DateAnchors, RulesError> {
    Ok(DateAnchors {
        reach_chars: spec.reach_chars,
        anchors: spec
            .anchors
            .iter()
            .map(|a| Ok((compile(file, &a.pattern)?, a.date)))
            .collect::<Result<_, RulesError>>()?,
        durations: compile_durations(file, &spec.durations)?,
        number_words: spec.number_words.clone(),
    })
}

/// Term patterns: each needs the named groups `n` (a number or a number word) and `unit`.
fn compile_durations(file: &str, patterns: &[String]) -> Result<Vec<Pattern>, RulesError> {
    patterns
        .iter()
        .map(|p| {
            let re = compile(file, p)?;
            if re.has_group("n") && re.has_group("unit") {
                Ok(re)
            } else {
                Err(RulesError::Invalid {
                    file: file.to_string(),
                    message: format!("duration pattern `{p}` needs the named groups `n` and `unit`"),
                })
            }
        })
        .collect()
}

fn compile_facts(spec: FactsFile) -> Result<FactPatterns, RulesError> {
    const FILE: &str = "facts.toml";
    let mut counts: Vec<(CountField, Vec<Pattern>)> = Vec::new();
    for count in &spec.count {
        if counts.iter().any(|(field, _)| *field == count.field) {
            return Err(RulesError::Invalid {
                file: FILE.into(),
                message: format!("[[count]] field `{}` is defined twice", count.field.as_str()),
            });
        }
        counts.push((count.field, compile_all(FILE, &count.labels)?));
    }
    let labels: Vec<Pattern> = counts.iter().flat_map(|(_, labels)| labels.iter().cloned()).collect();
    let any_count_label = Pattern::any_of(&labels);
    let test = &spec.test_result;
    Ok(FactPatterns {
        conclusion_chars: test.conclusion_chars,
        conclusion_ends: compile_all(FILE, &test.conclusion_ends)?,
        conclusion_headings: compile_all(FILE, &test.conclusion_headings)?,
        conclusion_sentences: compile_all(FILE, &test.conclusion_sentences)?,
        negative_result: compile_all(FILE, &test.negative)?,
        qualified_result: compile_all(FILE, &test.qualified)?,
        positive_result: compile_all(FILE, &test.positive)?,
        validity: compile_anchors(FILE, &spec.validity)?,
        number: compile(FILE, &spec.number.pattern)?,
        object_mention: compile_all(FILE, &spec.object_mention.patterns)?,
        name_kind_words: compile_all(FILE, &spec.object_mention.kind_words)?,
        subject: SubjectPatterns {
            title_tail_chars: spec.subject.title_tail_chars,
            segment_chars: spec.subject.segment_chars,
            decision_chars: spec.subject.decision_chars,
            labels: compile_all(FILE, &spec.subject.labels)?,
            decisions: compile_all(FILE, &spec.subject.decisions)?,
            references: compile_all(FILE, &spec.subject.references)?,
            list_separator: compile(FILE, &spec.subject.list_separator)?,
        },
        trial_operation: TrialOperationPatterns {
            reach_chars: spec.trial_operation.reach_chars,
            phrases: compile_all(FILE, &spec.trial_operation.phrases)?,
            between: compile_all(FILE, &spec.trial_operation.between)?,
            durations: compile_durations(FILE, &spec.trial_operation.durations)?,
        },
        cited_security_test: compile_anchors(FILE, &spec.cited_security_test)?,
        counts,
        any_count_label,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_rules_load_and_cover_every_kind() {
        let rules = Rules::embedded().unwrap();
        for kind in ObjectKind::ALL {
            assert!(rules.requirements_for(kind).count() >= 1, "{kind:?}");
        }
        let ids: Vec<&str> = rules.requirements.iter().map(|r| r.id.as_str()).collect();
        for id in [
            "p5.is.description",
            "p5.is.technical_documentation",
            "p5.is.commissioning_document",
            "p5.is.registered_users",
            "p5.is.usage_scope",
            "p5.is.security_test_protocols",
            "p5.apk.description",
            "p5.apk.technical_characteristics",
            "p11.platform.security_test_protocol",
        ] {
            assert!(ids.contains(&id), "missing requirement {id}");
        }
        assert_eq!(rules.criteria.criterion.len(), 13);
        assert_eq!(rules.criteria.group.len(), 3);
    }

    #[test]
    fn a_bad_pattern_is_reported_with_its_file() {
        let mut texts: Vec<(String, String)> = FILES.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
        texts[0].1 = texts[0].1.replacen("'техническ\\w*\\s+задани'", "'техническ(('", 1);
        let err = Rules::from_texts(&texts, &[]).unwrap_err().to_string();
        assert!(err.contains("doctypes.toml") && err.contains("техническ(("), "{err}");
    }

    /// The shipped rules with one file's text edited.
    fn load_with(file: &str, edit: impl Fn(&str) -> String) -> Result<Rules, RulesError> {
        let texts: Vec<(String, String)> = FILES
            .iter()
            .map(|(n, t)| (n.to_string(), if *n == file { edit(t) } else { t.to_string() }))
            .collect();
        Rules::from_texts(&texts, &[])
    }

    fn load_error(file: &str, edit: impl Fn(&str) -> String) -> String {
        match load_with(file, edit) {
            Ok(_) => panic!("{file}: the edit should not load"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn acts_toml_is_checked() {
        let rules = Rules::embedded().unwrap();
        for id in REQUIRED_ACTS {
            let act = rules.acts.iter().find(|a| a.id == id).unwrap();
            assert!(act.full.ru.contains(&act.number) && act.full.kk.contains(&act.number));
        }
        let err = load_error("acts.toml", |t| t.replacen("short = {", "shrt = {", 1));
        assert!(err.contains("acts.toml") && err.contains("shrt"), "{err}");
        let err = load_error("acts.toml", |t| t.replace("\"order_193\"", "\"order_194\""));
        assert!(err.contains("acts.toml") && err.contains("order_193"), "{err}");
        let err = load_error("acts.toml", |t| t.replacen("№ 29 (", "№ 30 (", 1));
        assert!(err.contains("acts.toml") && err.contains("`№ 29`"), "{err}");
    }

    #[test]
    fn doctypes_toml_rejects_unknown_keys_and_names() {
        let err = load_error("doctypes.toml", |t| {
            t.replacen("\nlists_only = true", "\nlist_only = true", 1)
        });
        assert!(err.contains("doctypes.toml") && err.contains("list_only"), "{err}");
        let err = load_error("doctypes.toml", |t| {
            t.replacen(
                r#"resembles = ["commissioning_act"]"#,
                r#"resembles = ["comissioning_act"]"#,
                1,
            )
        });
        assert!(
            err.contains("doctypes.toml") && err.contains("comissioning_act"),
            "{err}"
        );
        let err = load_error("doctypes.toml", |t| {
            t.replacen(
                r#"contradicts_stages = ["creation""#,
                r#"contradicts_stages = ["building""#,
                1,
            )
        });
        assert!(err.contains("doctypes.toml") && err.contains("building"), "{err}");
    }

    #[test]
    fn facts_toml_rejects_unknown_keys_and_count_fields() {
        let err = load_error("facts.toml", |t| {
            t.replacen(r#"field = "state_bodies""#, r#"field = "state_body""#, 1)
        });
        assert!(err.contains("facts.toml") && err.contains("state_body"), "{err}");
        let err = load_error("facts.toml", |t| t.replacen("qualified = [", "qualifed = [", 1));
        assert!(err.contains("facts.toml") && err.contains("qualifed"), "{err}");
    }

    #[test]
    fn requirements_toml_rejects_unknown_keys_and_names() {
        let err = load_error("requirements.toml", |t| {
            t.replacen(
                r#"doc_types = ["commissioning_act"]"#,
                r#"doc_types = ["commisioning_act"]"#,
                1,
            )
        });
        assert!(
            err.contains("requirements.toml") && err.contains("commisioning_act"),
            "{err}"
        );
        let err = load_error("requirements.toml", |t| {
            t.replacen(r#"fields = ["registered_users"]"#, r#"fields = ["registred_users"]"#, 1)
        });
        assert!(
            err.contains("requirements.toml") && err.contains("registred_users"),
            "{err}"
        );
        let err = load_error("requirements.toml", |t| {
            t.replacen("\nobject_match =", "\nobject_matches =", 1)
        });
        assert!(
            err.contains("requirements.toml") && err.contains("object_matches"),
            "{err}"
        );
        let err = load_error("requirements.toml", |t| {
            t.replacen("max_months = 12", "max_month = 12", 1)
        });
        assert!(err.contains("requirements.toml") && err.contains("max_month"), "{err}");
    }

    #[test]
    fn criteria_toml_rejects_unknown_facts_kinds_and_groups() {
        // Before, a typo here silently switched the p. 6 test off.
        let err = load_error("criteria.toml", |t| {
            t.replacen(
                r#"applies_to = ["information_system""#,
                r#"applies_to = ["informaton_system""#,
                1,
            )
        });
        assert!(
            err.contains("criteria.toml") && err.contains("informaton_system"),
            "{err}"
        );
        let err = load_error("criteria.toml", |t| {
            t.replacen(r#"fact = "state_bodies""#, r#"fact = "bodies""#, 1)
        });
        assert!(err.contains("criteria.toml") && err.contains("bodies"), "{err}");
        let err = load_error("criteria.toml", |t| {
            t.replacen(r#"group = "users""#, r#"group = "user""#, 1)
        });
        assert!(err.contains("criteria.toml") && err.contains("`user`"), "{err}");
        let err = load_error("criteria.toml", |t| t.replacen("min_total = 3", "minimum_total = 3", 1));
        assert!(err.contains("criteria.toml") && err.contains("minimum_total"), "{err}");
    }

    #[test]
    fn levels_never_rise_as_the_verdict_worsens_and_only_complies_is_fully() {
        let err = load_error("policy.toml", |t| {
            t.replacen("needs_review = \"partially\"", "needs_review = \"fully\"", 1)
        });
        assert!(err.contains("needs_review gives a higher level"), "{err}");
        let err = load_error("policy.toml", |t| {
            t.replacen("no_readable_card = \"not\"", "no_readable_card = \"fully\"", 1)
        });
        assert!(err.contains("no_readable_card cannot be \"fully\""), "{err}");
        let err = load_error("policy.toml", |t| {
            t.replacen("does_not_comply = \"not\"", "does_not_comply = \"none\"", 1)
        });
        assert!(err.contains("policy.toml") && err.contains("none"), "{err}");
        // The shipped policy: the mapping the letters describe.
        let levels = Rules::embedded().unwrap().policy.levels;
        assert_eq!(
            [
                levels.complies,
                levels.complies_with_warnings,
                levels.needs_review,
                levels.does_not_comply,
                levels.no_readable_card
            ],
            [Level::Fully, Level::Partially, Level::Partially, Level::Not, Level::Not]
        );
    }

    #[test]
    fn policy_toml_rejects_unknown_keys() {
        let err = load_error("policy.toml", |t| {
            t.replacen("default_validity_months", "default_validity_month", 1)
        });
        assert!(
            err.contains("policy.toml") && err.contains("default_validity_month"),
            "{err}"
        );
    }

    #[test]
    fn every_holiday_file_in_schemas_is_embedded() {
        let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
        let shipped: Vec<(String, String)> = read_holiday_files(&schemas).unwrap();
        let embedded: Vec<(String, String)> = CALENDAR_FILES
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        assert!(!shipped.is_empty());
        assert_eq!(
            embedded, shipped,
            "CALENDAR_FILES must list every schemas/holidays-kz-*.toml"
        );
    }

    fn holiday_file(year: i32, holiday: &str) -> String {
        format!("year = {year}\n[[holiday]]\ndate = \"{holiday}\"\nname = \"Новый год\"\n")
    }

    #[test]
    fn every_year_file_in_a_rules_directory_loads() {
        let dir = tempfile::tempdir().unwrap();
        for (name, _) in FILES {
            std::fs::copy(
                Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas").join(name),
                dir.path().join(name),
            )
            .unwrap();
        }
        std::fs::write(
            dir.path().join("holidays-kz-2026.toml"),
            holiday_file(2026, "2026-01-01"),
        )
        .unwrap();
        std::fs::write(
            dir.path().join("holidays-kz-2027.toml"),
            holiday_file(2027, "2027-01-01"),
        )
        .unwrap();
        // Not a holiday file: ignored, though it would not parse as one.
        std::fs::write(dir.path().join("holidays-notes.txt"), "year = ?").unwrap();
        let rules = Rules::from_dir(dir.path()).unwrap();
        assert!(rules.calendar.covers(2026) && rules.calendar.covers(2027));
        assert!(!rules.calendar.covers(2028));
        assert!(!rules.calendar.is_working_day("2027-01-01".parse().unwrap()));
        // Holidays stay out of the fingerprint.
        assert_eq!(rules.fingerprint, Rules::embedded().unwrap().fingerprint);
    }

    #[test]
    fn two_files_for_one_year_are_refused_by_name() {
        let texts: Vec<(String, String)> = FILES.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
        let calendars = [
            ("holidays-kz-2027.toml".to_string(), holiday_file(2027, "2027-01-01")),
            (
                "holidays-kz-2027-copy.toml".to_string(),
                holiday_file(2027, "2027-01-02"),
            ),
        ];
        let err = Rules::from_texts(&texts, &calendars).unwrap_err().to_string();
        assert!(
            err.contains("holidays-kz-2027-copy.toml") && err.contains("`holidays-kz-2027.toml`"),
            "{err}"
        );
    }

    #[test]
    fn holiday_files_are_validated() {
        let texts: Vec<(String, String)> = FILES.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
        let calendars = [("holidays-kz-2026.toml".to_string(), "nonsense = [".to_string())];
        let err = Rules::from_texts(&texts, &calendars).unwrap_err().to_string();
        assert!(err.contains("holidays-kz-2026.toml"), "{err}");
        let calendars = [("holidays-kz-2026.toml".to_string(), holiday_file(2026, "2027-01-01"))];
        let err = Rules::from_texts(&texts, &calendars).unwrap_err().to_string();
        assert!(
            err.contains("holidays-kz-2026.toml") && err.contains("2027-01-01"),
            "{err}"
        );
    }

    /// Every state body named by a card of the sample corpus, in the dative.
    #[test]
    fn state_bodies_of_the_corpora_decline_to_the_dative() {
        use crate::lang::Lang;
        let rules = Rules::embedded().unwrap();
        let mut owners = std::collections::BTreeSet::new();
        let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/sample");
        for entry in walkdir::WalkDir::new(&sample).into_iter().filter_map(Result::ok) {
            if entry.file_name() == "object.xml" {
                let bytes = std::fs::read(entry.path()).unwrap();
                let card = crate::card::parse_card(&bytes).ok();
                owners.extend(card.and_then(|c| c.owner));
            }
        }
        assert!(owners.len() >= 10, "{owners:?}");
        for owner in &owners {
            let dative = rules.declension.dative(owner, Lang::Ru);
            let dative = dative.unwrap_or_else(|| panic!("no head for `{owner}`"));
            assert!(
                dative.starts_with("Министерству ") || dative.starts_with("Акимату "),
                "{dative}"
            );
            assert_eq!(
                dative.split(' ').skip(1).collect::<Vec<_>>(),
                owner.split(' ').skip(1).collect::<Vec<_>>()
            );
        }
        let d = &rules.declension;
        assert_eq!(
            d.dative("Акимат города Астаны", Lang::Ru).unwrap(),
            "Акимату города Астаны"
        );
        assert_eq!(
            d.dative("Национальный банк Республики Казахстан", Lang::Ru).unwrap(),
            "Национальному банку Республики Казахстан"
        );
        assert_eq!(
            d.dative("Служба центральных коммуникаций", Lang::Ru).unwrap(),
            "Службе центральных коммуникаций"
        );
        assert_eq!(
            d.dative("Астана қаласының әкімдігі", Lang::Kk).unwrap(),
            "Астана қаласының әкімдігіне"
        );
        assert_eq!(
            d.dative(
                "Қазақстан Республикасы Цифрлық даму, инновациялар және аэроғарыш өнеркәсібі министрлігі",
                Lang::Kk
            )
            .unwrap(),
            "Қазақстан Республикасы Цифрлық даму, инновациялар және аэроғарыш өнеркәсібі министрлігіне"
        );
        assert_eq!(
            d.dative("Қазақстан Республикасының Ұлттық Банкі", Lang::Kk).unwrap(),
            "Қазақстан Республикасының Ұлттық Банкіне"
        );
        assert_eq!(
            d.dative("Алматы қаласының Цифрландыру басқармасы", Lang::Kk).unwrap(),
            "Алматы қаласының Цифрландыру басқармасына"
        );
        assert_eq!(
            d.dative("Ұлттық қауіпсіздік комитеті", Lang::Kk).unwrap(),
            "Ұлттық қауіпсіздік комитетіне"
        );
        // No head, no guess: a Russian name in a Kazakh letter, an unknown head, a head inside a word.
        assert_eq!(d.dative("Акимат города Астаны", Lang::Kk), None);
        assert_eq!(d.dative("ТОО «Ромашка»", Lang::Ru), None);
        assert_eq!(d.dative("Министерствово финансов", Lang::Ru), None);
    }

    #[test]
    fn letterhead_and_declension_are_checked() {
        let err = load_error("letterhead.toml", |t| {
            t.replacen("[signatory]", "[signatory]\nsurname = \"x\"", 1)
        });
        assert!(err.contains("letterhead.toml") && err.contains("surname"), "{err}");
        let err = load_error("declension.toml", |t| {
            t.replacen("dative = \"әкімдігіне\"", "dative = \"әкімдігіге\"", 1)
        });
        assert!(err.contains("declension.toml") && err.contains("әкімдігі"), "{err}");
        let err = load_error("declension.toml", |t| {
            t.replacen("dative = \"басқармасына\"", "dative = \"басқармасыне\"", 1)
        });
        assert!(err.contains("басқармасы"), "{err}");
        let err = load_error("declension.toml", |t| {
            t.replacen("nominative = \"Акимат\"", "nominative = \"Министерство\"", 1)
        });
        assert!(err.contains("twice"), "{err}");
        // Wording files change no classification: the fingerprint stays.
        let shipped = Rules::embedded().unwrap();
        let signed = load_with("letterhead.toml", |t| {
            t.replacen("name = \"\"", "name = \"А. Б. Иванов\"", 1)
        })
        .unwrap();
        assert_eq!(signed.letterhead.signatory.name, "А. Б. Иванов");
        assert_eq!(signed.fingerprint, shipped.fingerprint);
    }
}
