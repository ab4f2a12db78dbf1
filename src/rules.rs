//! The rules, loaded from `schemas/`: document types, facts, requirements, criteria and policy.
//!
//! Rules are data so that an analyst can read and change what the law requires without touching
//! Rust. The binary embeds the shipped `schemas/`; `--rules DIR` reads another copy. Regular
//! expressions are compiled once here, so a bad pattern is reported at start-up with its file and
//! pattern, never in the middle of a run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use regex::{Regex, RegexBuilder};
use serde::Deserialize;

use crate::card::{ObjectKind, Stage};

const FILES: [(&str, &str); 5] = [
    ("doctypes.toml", include_str!("../schemas/doctypes.toml")),
    ("facts.toml", include_str!("../schemas/facts.toml")),
    ("requirements.toml", include_str!("../schemas/requirements.toml")),
    ("criteria.toml", include_str!("../schemas/criteria.toml")),
    ("policy.toml", include_str!("../schemas/policy.toml")),
];

/// Holiday calendars: read like the rules, but not part of their fingerprint, since they change
/// no stored classification (a new holiday must not rebuild the index).
const CALENDAR_FILES: [(&str, &str); 1] = [(
    "holidays-kz-2026.toml",
    include_str!("../schemas/holidays-kz-2026.toml"),
)];

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
        source: Box<regex::Error>,
    },
}

/// Text in the three report languages.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct Localized {
    pub ru: String,
    #[serde(default)]
    pub kk: String,
    pub en: String,
}

impl Localized {
    /// The text in `lang`, falling back to Russian when a translation is missing.
    pub fn get(&self, lang: crate::report::Lang) -> &str {
        let text = match lang {
            crate::report::Lang::Ru => &self.ru,
            crate::report::Lang::Kk => &self.kk,
            crate::report::Lang::En => &self.en,
        };
        if text.is_empty() { &self.ru } else { text }
    }
}

// ---- doctypes.toml -------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct DoctypesFile {
    recognition: RecognitionSettings,
    doctype: Vec<DoctypeSpec>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RecognitionSettings {
    pub head_chars: usize,
    pub min_body_score: u32,
}

#[derive(Debug, Deserialize)]
struct DoctypeSpec {
    id: String,
    name: Localized,
    title: Vec<String>,
    #[serde(default)]
    body: Vec<WeightedPatternSpec>,
}

#[derive(Debug, Deserialize)]
struct WeightedPatternSpec {
    pattern: String,
    weight: u32,
}

#[derive(Debug)]
pub struct DocType {
    pub id: String,
    pub name: Localized,
    pub title: Vec<Regex>,
    pub body: Vec<(Regex, u32)>,
}

// ---- facts.toml ----------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct FactsFile {
    test_result: TestResultSpec,
    validity: ValiditySpec,
    number: NumberSpec,
    object_mention: ObjectMentionSpec,
    count: Vec<CountSpec>,
}

#[derive(Debug, Deserialize)]
struct TestResultSpec {
    conclusion_headings: Vec<String>,
    negative: Vec<String>,
    positive: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct ValiditySpec {
    anchors: Vec<AnchorSpec>,
}

#[derive(Debug, Deserialize)]
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
struct NumberSpec {
    pattern: String,
}

#[derive(Debug, Deserialize)]
struct ObjectMentionSpec {
    patterns: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct CountSpec {
    field: String,
    labels: Vec<String>,
}

#[derive(Debug)]
pub struct FactPatterns {
    pub conclusion_headings: Vec<Regex>,
    pub negative_result: Vec<Regex>,
    pub positive_result: Vec<Regex>,
    pub validity: Vec<(Regex, DateSide)>,
    pub number: Regex,
    pub object_mention: Vec<Regex>,
    /// Count field (`registered_users`, ...) and the labels that introduce it, in priority order.
    pub counts: Vec<(String, Vec<Regex>)>,
}

// ---- requirements.toml ---------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct RequirementsFile {
    requirement: Vec<Requirement>,
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
pub struct Requirement {
    pub id: String,
    #[serde(deserialize_with = "deserialize_kind")]
    pub kind: ObjectKind,
    pub check: CheckKind,
    #[serde(default)]
    pub doc_types: Vec<String>,
    #[serde(default)]
    pub fields: Vec<String>,
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

fn deserialize_stages<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Stage>, D::Error> {
    let names = Vec::<String>::deserialize(d)?;
    names
        .iter()
        .map(|s| Stage::parse(s).ok_or_else(|| serde::de::Error::custom(format!("unknown stage `{s}`"))))
        .collect()
}

// ---- criteria.toml -------------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize)]
pub struct Criteria {
    pub test: CriteriaTest,
    pub group: Vec<CriteriaGroup>,
    pub criterion: Vec<Criterion>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CriteriaTest {
    pub cite: Localized,
    pub min_total: u32,
    pub min_per_group: u32,
    pub applies_to: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CriteriaGroup {
    pub id: String,
    pub title: Localized,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Criterion {
    pub id: String,
    pub group: String,
    pub text: Localized,
    pub computed: Option<ComputedCriterion>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ComputedCriterion {
    pub fact: String,
    pub greater_than: u64,
}

// ---- policy.toml ---------------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize)]
pub struct Policy {
    pub security_test_protocol: ProtocolPolicy,
    pub description: DescriptionPolicy,
    pub object_match: ObjectMatchPolicy,
    pub deadline: DeadlinePolicy,
    pub expiry: ExpiryPolicy,
}

/// Order No. 29 p. 5: the recommendation is due a number of working days after the application.
#[derive(Debug, Clone, Deserialize)]
pub struct DeadlinePolicy {
    pub working_days: u32,
    /// A submission this many working days or fewer from its deadline is listed as near.
    pub near_working_days: u32,
    pub cite: Localized,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ExpiryPolicy {
    /// Warn about protocols expiring within each of these many days (ascending).
    pub warn_days: Vec<u32>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ProtocolPolicy {
    pub default_validity_months: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DescriptionPolicy {
    pub min_card_description_chars: usize,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ObjectMatchPolicy {
    pub max_relative_edit_distance: f64,
}

// ---- all together --------------------------------------------------------------------------

#[derive(Debug)]
pub struct Rules {
    pub recognition: RecognitionSettings,
    pub doctypes: Vec<DocType>,
    pub facts: FactPatterns,
    pub requirements: Vec<Requirement>,
    pub criteria: Criteria,
    pub policy: Policy,
    pub calendar: crate::calendar::WorkCalendar,
    /// A digest of the rule texts: an index built under other rules is rebuilt.
    pub fingerprint: String,
}

impl Rules {
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
        let mut calendars = Vec::new();
        for (name, _) in CALENDAR_FILES {
            let path = dir.join(name);
            let text = std::fs::read_to_string(&path).map_err(|source| RulesError::Read { path, source })?;
            calendars.push((name.to_string(), text));
        }
        Rules::from_texts(&texts, &calendars)
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

        let mut holiday_files = Vec::new();
        for (name, text) in calendars {
            holiday_files.push(parse::<crate::calendar::HolidayFile>(name, text)?);
        }
        let calendar =
            crate::calendar::WorkCalendar::from_files(&holiday_files).map_err(|message| RulesError::Invalid {
                file: "holidays".into(),
                message,
            })?;
        if policy.expiry.warn_days.windows(2).any(|w| w[0] >= w[1]) {
            return Err(RulesError::Invalid {
                file: "policy.toml".into(),
                message: "[expiry] warn_days must be ascending".into(),
            });
        }

        let doctype_rules = compile_doctypes(doctypes.doctype)?;
        let known: Vec<&str> = doctype_rules.iter().map(|d| d.id.as_str()).collect();
        for requirement in &requirements.requirement {
            if let Some(unknown) = requirement.doc_types.iter().find(|t| !known.contains(&t.as_str())) {
                return Err(RulesError::Invalid {
                    file: "requirements.toml".into(),
                    message: format!("requirement {} names unknown document type `{unknown}`", requirement.id),
                });
            }
        }
        for criterion in &criteria.criterion {
            if !criteria.group.iter().any(|g| g.id == criterion.group) {
                return Err(RulesError::Invalid {
                    file: "criteria.toml".into(),
                    message: format!("criterion {} names unknown group `{}`", criterion.id, criterion.group),
                });
            }
        }

        let mut digest = Fnv1a::default();
        for (name, text) in texts {
            digest.write(name.as_bytes());
            digest.write(text.as_bytes());
        }
        Ok(Rules {
            recognition: doctypes.recognition,
            doctypes: doctype_rules,
            facts: compile_facts(facts)?,
            requirements: requirements.requirement,
            criteria,
            policy,
            calendar,
            fingerprint: format!("{:016x}", digest.0),
        })
    }

    pub fn requirements_for(&self, kind: ObjectKind) -> impl Iterator<Item = &Requirement> {
        self.requirements.iter().filter(move |r| r.kind == kind)
    }

    pub fn doctype(&self, id: &str) -> Option<&DocType> {
        self.doctypes.iter().find(|d| d.id == id)
    }

    pub fn is_known_doctype(&self, id: &str) -> bool {
        id == crate::recognize::OTHER || id == crate::recognize::OBJECT_CARD || self.doctype(id).is_some()
    }
}

fn parse<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<T, RulesError> {
    toml::from_str(text).map_err(|e| RulesError::Invalid {
        file: file.to_string(),
        message: e.to_string(),
    })
}

fn compile(file: &str, pattern: &str) -> Result<Regex, RulesError> {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .build()
        .map_err(|source| RulesError::Pattern {
            file: file.to_string(),
            pattern: pattern.to_string(),
            source: Box::new(source),
        })
}

fn compile_all(file: &str, patterns: &[String]) -> Result<Vec<Regex>, RulesError> {
    patterns.iter().map(|p| compile(file, p)).collect()
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
            })
        })
        .collect()
}

fn compile_facts(spec: FactsFile) -> Result<FactPatterns, RulesError> {
    const FILE: &str = "facts.toml";
    let mut counts = BTreeMap::new();
    let mut order = Vec::new();
    for count in &spec.count {
        order.push(count.field.clone());
        counts.insert(count.field.clone(), compile_all(FILE, &count.labels)?);
    }
    Ok(FactPatterns {
        conclusion_headings: compile_all(FILE, &spec.test_result.conclusion_headings)?,
        negative_result: compile_all(FILE, &spec.test_result.negative)?,
        positive_result: compile_all(FILE, &spec.test_result.positive)?,
        validity: spec
            .validity
            .anchors
            .iter()
            .map(|a| Ok((compile(FILE, &a.pattern)?, a.date)))
            .collect::<Result<_, RulesError>>()?,
        number: compile(FILE, &spec.number.pattern)?,
        object_mention: compile_all(FILE, &spec.object_mention.patterns)?,
        counts: order
            .into_iter()
            .filter_map(|f| counts.remove(&f).map(|r| (f, r)))
            .collect(),
    })
}

/// FNV-1a: a stable digest (std's hasher may change between Rust releases).
#[derive(Default)]
struct Fnv1a(u64);

impl Fnv1a {
    fn write(&mut self, bytes: &[u8]) {
        if self.0 == 0 {
            self.0 = 0xcbf2_9ce4_8422_2325;
        }
        for &b in bytes {
            self.0 ^= b as u64;
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
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
}
