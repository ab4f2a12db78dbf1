//! Reports: the JSON report (`schemas/report.schema.json`), per-submission Markdown, the
//! missing-documents summary, and the terminal table. Human-facing text is rendered here, from
//! the structured findings of `evaluate`, in Russian, Kazakh or English.

mod files;
mod html;
mod letter;
mod markdown;
mod table;
pub mod terminal;
mod text;
mod xlsx;

pub use files::{Cleanup, ReportError, Writer, file_names, letter_file_names, write_check_files, write_nightly_files};
pub use html::{criteria_html, escape, summary_html};
pub use letter::{Letter, LetterKind, letter, letter_docx, letter_html, letter_markdown};
pub use markdown::{missing_documents_markdown, submission_markdown};
pub use table::table;
pub use text::web;
pub use text::{doc_type_name, file_status_name, status_label};
pub use xlsx::summary_xlsx;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::evaluate::CheckedSubmission;
use crate::evaluate::schedule::{Deadline, ProtocolExpiry};
use crate::evaluate::{Evidence, Level, Verdict};
use crate::history::diff::RunDiff;
use crate::rules::Rules;

pub use crate::lang::Lang;

#[derive(Debug, Serialize, Deserialize)]
pub struct Report {
    pub tool: String,
    pub as_of: Date,
    pub lang: Lang,
    pub rules: String,
    pub totals: Totals,
    pub submissions: Vec<SubmissionReport>,
    /// What the renderers need of the rules (the acts they cite, document-type names); not JSON.
    #[serde(skip)]
    pub rules_text: text::RulesText,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Totals {
    pub submissions: usize,
    pub verdicts: BTreeMap<String, usize>,
    /// Files found under the corpus root plus the files inside archives.
    pub files: usize,
    /// Files inside archives (`archive.zip!/path`), each counted in `files` as a file of its own.
    pub archive_members: usize,
    pub file_statuses: BTreeMap<String, usize>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct SubmissionReport {
    pub object_id: String,
    pub path: String,
    pub name: Option<String>,
    pub owner: Option<String>,
    /// The owner's name in Kazakh, as the card gives it (`<owner_kk>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_kk: Option<String>,
    pub kind: Option<String>,
    pub stage: Option<String>,
    pub submitted: Option<Date>,
    pub verdict: Verdict,
    pub level: Level,
    /// One sentence: why this verdict.
    pub summary: String,
    pub criteria: Option<CriteriaReport>,
    pub requirements: Vec<RequirementReport>,
    pub warnings: Vec<WarningReport>,
    pub files: Vec<FileReport>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct CriteriaReport {
    pub points: u32,
    pub by_group: BTreeMap<String, u32>,
    pub passes: bool,
    pub items: Vec<crate::evaluate::CriterionOutcome>,
    pub reason: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct RequirementReport {
    pub id: String,
    pub title: String,
    pub cite: String,
    pub status: crate::evaluate::Status,
    pub reason: String,
    /// What the state body should submit, when the status is not `present`.
    pub to_submit: Option<String>,
    pub evidence: Vec<Evidence>,
    pub finding: crate::evaluate::Finding,
}

/// A warning as data (its `code` and fields) and as a sentence in the report language.
#[derive(Debug, Serialize, Deserialize)]
pub struct WarningReport {
    #[serde(flatten)]
    pub warning: crate::evaluate::Warning,
    pub text: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct FileReport {
    pub file: String,
    /// For a file inside an archive (`file` is `docs.zip!/folder/akt.pdf`): the archive's path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archive: Option<String>,
    pub status: crate::extract::FileStatus,
    pub format: crate::extract::Format,
    pub doc_type: String,
    /// The reader's own words (English, for the operator); [`FileReport::note`] is what a
    /// reader of the report is told.
    pub reason: Option<String>,
    /// Read, but part of the content could not be.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub incomplete: bool,
    pub pages: u32,
    /// The electronic signatures this file is or holds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signatures: Vec<SignatureReport>,
    /// The signatures (in this file or another) that sign this file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signed_by: Vec<SignatureReport>,
    /// The documents of a file that holds several; absent for one document.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<DocumentReport>,
    /// What was read of a file that is one document (its number and date, for the letters);
    /// absent without a card, or for a file of several documents (see `documents`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facts: Option<crate::recognize::DocFacts>,
}

impl FileReport {
    /// What a reader in `lang` is told of the file beside its status (see [`text::file_note`]).
    pub fn note(&self, lang: Lang) -> Option<String> {
        text::file_note(self.status, self.format, self.incomplete, self.reason.as_deref(), lang)
    }
}

/// One document of a bundled file.
#[derive(Debug, Serialize, Deserialize)]
pub struct DocumentReport {
    pub pages: crate::recognize::PageRange,
    pub doc_type: String,
    pub facts: Option<crate::recognize::DocFacts>,
}

/// A signature with the file that holds it and a sentence in the report language.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SignatureReport {
    pub signature_file: String,
    #[serde(flatten)]
    pub signature: crate::extract::Signature,
    pub text: String,
}

impl Report {
    pub fn build(rules: &Rules, checked: &[CheckedSubmission], as_of: Date, lang: Lang) -> Report {
        let submissions: Vec<SubmissionReport> = checked.iter().map(|s| submission_report(rules, s, lang)).collect();
        let mut verdicts = BTreeMap::new();
        let mut file_statuses = BTreeMap::new();
        for s in &submissions {
            *verdicts.entry(s.verdict.as_str().to_string()).or_insert(0) += 1;
            for f in &s.files {
                *file_statuses.entry(f.status.as_str().to_string()).or_insert(0) += 1;
            }
        }
        Report {
            tool: format!("portalcheck {}", env!("CARGO_PKG_VERSION")),
            as_of,
            lang,
            rules: rules.fingerprint.clone(),
            totals: Totals {
                submissions: submissions.len(),
                verdicts,
                files: submissions.iter().map(|s| s.files.len()).sum(),
                archive_members: submissions
                    .iter()
                    .flat_map(|s| &s.files)
                    .filter(|f| f.archive.is_some())
                    .count(),
                file_statuses,
            },
            submissions,
            rules_text: text::RulesText::new(rules),
        }
    }
}

/// The nightly `report.json`: the check report, plus what this run read, what changed since the
/// previous run, protocols about to expire, deadlines, and the verdict trend.
#[derive(Debug, Serialize, Deserialize)]
pub struct NightlyReport {
    #[serde(flatten)]
    pub report: Report,
    pub run: RunInfo,
    pub diff: RunDiff,
    pub expiry: Vec<ExpiryNotice>,
    pub deadlines: Vec<DeadlineNotice>,
    /// Verdict counts of earlier runs and this one, oldest first.
    pub trend: Vec<TrendPoint>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct RunInfo {
    /// Files extracted and classified in this run (new or changed).
    pub files_read: Vec<String>,
    /// Files whose modification time changed but content did not: not read again.
    pub files_touched: Vec<String>,
    pub files_unchanged: usize,
    pub files_removed: usize,
    pub index_rebuilt: bool,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct TrendPoint {
    pub as_of: Date,
    pub verdicts: BTreeMap<String, usize>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct ExpiryNotice {
    pub object_id: String,
    pub path: String,
    pub owner: Option<String>,
    #[serde(flatten)]
    pub expiry: ProtocolExpiry,
    pub text: String,
}

impl ExpiryNotice {
    pub fn new(rules: &Rules, s: &CheckedSubmission, expiry: ProtocolExpiry, lang: Lang) -> ExpiryNotice {
        ExpiryNotice {
            object_id: s.object_id.clone(),
            path: s.dir.clone(),
            owner: s.card.as_ref().and_then(|c| c.owner.clone()),
            text: text::expiry(rules, &expiry, lang),
            expiry,
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub struct DeadlineNotice {
    pub object_id: String,
    pub path: String,
    pub owner: Option<String>,
    pub verdict: Verdict,
    #[serde(flatten)]
    pub deadline: Deadline,
    pub text: String,
}

impl DeadlineNotice {
    pub fn new(rules: &Rules, s: &CheckedSubmission, deadline: Deadline, lang: Lang) -> DeadlineNotice {
        DeadlineNotice {
            object_id: s.object_id.clone(),
            path: s.dir.clone(),
            owner: s.card.as_ref().and_then(|c| c.owner.clone()),
            verdict: s.evaluation.verdict,
            text: text::deadline(rules, &deadline, lang),
            deadline,
        }
    }
}

fn submission_report(rules: &Rules, checked: &CheckedSubmission, lang: Lang) -> SubmissionReport {
    let evaluation = &checked.evaluation;
    let card = checked.card.as_ref();
    let requirements = evaluation
        .requirements
        .iter()
        .map(|outcome| {
            let requirement = rules.requirements.iter().find(|r| r.id == outcome.id);
            RequirementReport {
                id: outcome.id.clone(),
                title: requirement.map(|r| r.title.get(lang).to_string()).unwrap_or_default(),
                cite: requirement.map(|r| r.cite.get(lang).to_string()).unwrap_or_default(),
                status: outcome.status,
                reason: text::finding(rules, &outcome.finding, lang),
                to_submit: (!outcome.status.is_satisfied())
                    .then(|| requirement.map(|r| r.to_submit.get(lang).to_string()))
                    .flatten(),
                evidence: outcome.evidence.clone(),
                finding: outcome.finding.clone(),
            }
        })
        .collect();
    let criteria = evaluation.criteria.as_ref().map(|c| CriteriaReport {
        points: c.points,
        by_group: c.by_group.clone(),
        passes: c.passes,
        items: c.items.clone(),
        reason: text::criteria(rules, c, lang),
    });
    SubmissionReport {
        object_id: checked.object_id.clone(),
        path: checked.dir.clone(),
        name: card.map(|c| c.display_name(lang.code()).to_string()),
        owner: card.and_then(|c| c.owner.clone()),
        owner_kk: card.and_then(|c| c.owner_kk.clone()),
        kind: card.and_then(|c| c.kind).map(|k| k.as_str().to_string()),
        stage: card.and_then(|c| c.stage).map(|s| s.as_str().to_string()),
        submitted: card.and_then(|c| c.submitted),
        verdict: evaluation.verdict,
        level: evaluation.level,
        summary: text::summary(rules, evaluation, lang),
        criteria,
        requirements,
        warnings: evaluation
            .warnings
            .iter()
            .map(|w| WarningReport {
                warning: w.clone(),
                text: text::warning(rules, w, lang),
            })
            .collect(),
        files: checked.files.iter().map(|f| file_report(checked, f, lang)).collect(),
    }
}

fn file_report(checked: &CheckedSubmission, f: &crate::record::FileRecord, lang: Lang) -> FileReport {
    // As for evaluation: facts read against another card say nothing here.
    let facts_of_this_card = checked.card.is_some() && f.object_id == checked.object_id;
    FileReport {
        facts: f.facts.clone().filter(|_| facts_of_this_card && f.documents.is_empty()),
        file: f.file.clone(),
        archive: f.archive.clone(),
        status: f.status,
        format: f.format,
        doc_type: f.classification.doc_type.clone(),
        reason: f.reason.clone(),
        incomplete: f.incomplete,
        pages: f.page_count,
        signatures: f
            .signatures
            .iter()
            .map(|signature| SignatureReport {
                signature_file: f.file.clone(),
                signature: signature.clone(),
                text: text::signature_file_note(signature, lang),
            })
            .collect(),
        signed_by: signed_by(&checked.files, &f.file, lang),
        documents: f
            .documents
            .iter()
            .map(|part| DocumentReport {
                pages: part.pages,
                doc_type: part.classification.doc_type.clone(),
                // As for evaluation: facts read against another card say nothing here.
                facts: part
                    .facts
                    .clone()
                    .filter(|_| checked.card.is_some() && f.object_id == checked.object_id),
            })
            .collect(),
    }
}

/// Every signature in the submission whose signed file is `file`.
fn signed_by(files: &[crate::record::FileRecord], file: &str, lang: Lang) -> Vec<SignatureReport> {
    files
        .iter()
        .flat_map(|holder| holder.signatures.iter().map(move |signature| (holder, signature)))
        .filter(|(_, signature)| signature.signed_file.as_deref() == Some(file))
        .map(|(holder, signature)| SignatureReport {
            signature_file: holder.file.clone(),
            signature: signature.clone(),
            text: text::signed_by(signature, (holder.file != file).then_some(holder.file.as_str()), lang),
        })
        .collect()
}
