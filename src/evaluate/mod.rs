//! Evaluation: from a submission's card and recognised files to requirement statuses, the
//! criteria score, a verdict and a level.
//!
//! Everything here is a pure function of (facts, rules, as-of date): no I/O, no clock. That is
//! what makes every legal rule unit-testable, and runs reproducible with `--as-of`.
//! Reasons are structured ([`Finding`], [`Warning`]); `report` renders them in a language.

mod checked;
mod criteria;
mod law;
mod requirements;
pub mod schedule;

/// The level is the law's (Order No. 193 p. 26); which verdict gives which is policy
/// (`schemas/policy.toml`, `[levels]`).
pub use crate::rules::Level;
pub use checked::CheckedSubmission;
pub use criteria::{CriteriaOutcome, CriterionOutcome};
pub use requirements::evaluate_requirement;

use serde::{Deserialize, Serialize};

use crate::card::{CardError, ObjectCard, Stage};
use crate::date::Date;
use crate::extract::FileStatus;
use crate::recognize::{DocFacts, ObjectMention, PageRange};
use crate::rules::{CountField, Rules};

/// The status of one requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Present,
    ExpiredAccepted,
    NeedsReview,
    Expired,
    Invalid,
    Missing,
}

impl Status {
    /// Every status, best first: the order of legends and colour keys.
    pub const ALL: [Status; 6] = [
        Status::Present,
        Status::ExpiredAccepted,
        Status::NeedsReview,
        Status::Expired,
        Status::Invalid,
        Status::Missing,
    ];

    /// Lower is better: when several documents could satisfy a requirement, the best one counts.
    fn rank(self) -> u8 {
        self as u8
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Present => "present",
            Status::ExpiredAccepted => "expired_accepted",
            Status::NeedsReview => "needs_review",
            Status::Expired => "expired",
            Status::Invalid => "invalid",
            Status::Missing => "missing",
        }
    }

    /// The requirement is met: present, or an expired protocol the stage accepts (Order No. 29
    /// p. 5(1) indent 7). Everything else is something to submit or to review.
    pub fn is_satisfied(self) -> bool {
        matches!(self, Status::Present | Status::ExpiredAccepted)
    }

    /// Missing, expired or invalid: the state body must act.
    pub fn is_failure(self) -> bool {
        matches!(self, Status::Missing | Status::Expired | Status::Invalid)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Complies,
    NeedsReview,
    DoesNotComply,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Complies => "complies",
            Verdict::NeedsReview => "needs_review",
            Verdict::DoesNotComply => "does_not_comply",
        }
    }
}

/// Where a status comes from: a file, a page, a short excerpt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub file: String,
    /// The document's pages, when the file holds several documents one after another.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<PageRange>,
    pub page: Option<u32>,
    pub snippet: Option<String>,
}

impl Evidence {
    /// A whole file, or the card: no page.
    pub fn whole_file(file: &str, snippet: Option<String>) -> Evidence {
        Evidence {
            file: file.to_string(),
            pages: None,
            page: None,
            snippet,
        }
    }
}

/// Whether a date came from the document or from policy (`schemas/policy.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum ValiditySource {
    Stated,
    Policy { months: u32, from: Date },
}

/// Why a requirement has its status. Rendered per language in `report::text`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Finding {
    DocumentFound {
        doc_type: String,
    },
    CardDescription {
        chars: usize,
    },
    CountsFound {
        values: Vec<(CountField, u64)>,
    },
    ProtocolInForce {
        valid_until: Date,
        validity: ValiditySource,
    },
    ProtocolExpiredAccepted {
        valid_until: Date,
        validity: ValiditySource,
        stage: Stage,
    },
    ProtocolExpired {
        valid_until: Date,
        validity: ValiditySource,
    },
    NegativeResult,
    /// A partial or conditional conclusion ("не в полной мере соответствует"): not positive.
    QualifiedResult,
    ResultNotStated,
    /// A newer protocol about the object concludes negatively: the newest result decides.
    LaterNegativeResult {
        negative: DocRef,
        positive: DocRef,
    },
    /// Positive and negative protocols whose order cannot be read (a date missing or equal).
    ConflictingResults {
        negative: DocRef,
        positive: DocRef,
    },
    /// A document that only looks like the required one: a refusal, a readiness or trial-start
    /// act, an acceptance-test protocol, a cover letter that lists or promises it.
    LookalikeDocument {
        file: String,
        recognised_as: String,
    },
    /// The document carries a draft mark.
    DraftDocument,
    /// The document is dated after the as-of date, so it cannot have been evidence then.
    DatedAfterAsOf {
        date: Date,
    },
    /// Whether the document is about this object cannot be read without doubt.
    SubjectUnclear {
        name: String,
    },
    NoProtocolDate,
    OtherObject {
        name: String,
    },
    ObjectNotNamed,
    NoDocument {
        doc_types: Vec<String>,
        card_description_chars: Option<usize>,
        min_chars: Option<usize>,
    },
    CountsMissing {
        fields: Vec<CountField>,
    },
    /// Nothing readable satisfies the requirement, but some files could not be read.
    UnreadableFiles {
        files: Vec<(String, FileStatus)>,
    },
    /// Nothing read satisfies the requirement, but part of some files could not be read (a
    /// damaged page, a scan OCR failed on, a sheet): the part not read may be the document.
    PartlyReadFiles {
        files: Vec<String>,
    },
    /// Nothing recognised satisfies the requirement, but scans read by OCR, of no recognised type,
    /// name the object: OCR may have garbled the title that would have made one of them the
    /// required document.
    UnrecognisedScans {
        files: Vec<String>,
    },
}

/// A document named in a finding: its file (and pages, in a bundle), number and date as read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocRef {
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<PageRange>,
    pub number: Option<String>,
    pub date: Option<Date>,
}

impl DocRef {
    pub fn of(file: &FileEvidence) -> DocRef {
        let facts = file.facts.as_ref();
        DocRef {
            file: file.file.clone(),
            pages: file.pages,
            number: facts.and_then(|f| f.number.clone()),
            date: facts.and_then(|f| f.date),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequirementOutcome {
    pub id: String,
    pub status: Status,
    pub finding: Finding,
    pub evidence: Vec<Evidence>,
}

/// Something that does not fail a requirement but lowers the level to "partially".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Warning {
    ExpiredProtocolAccepted {
        requirement: String,
    },
    DeclaredTypeDiffers {
        file: String,
        declared: String,
        recognised: String,
    },
    DeclaredFileNotFound {
        file: String,
    },
    DeclaredTypeUnknown {
        file: String,
        declared: String,
    },
    CountsDisagree {
        field: CountField,
        card: u64,
        document: u64,
        file: String,
    },
    /// The facts contradict a declared criterion; the lower value counts. `proxy`: the fact
    /// only approximates the criterion (`schemas/criteria.toml`).
    CriterionDisagrees {
        criterion: String,
        declared: u8,
        computed: u8,
        proxy: bool,
    },
    /// A count of zero: the object has no users, state bodies or sites to speak of.
    CountIsZero {
        field: CountField,
    },
    /// Order No. 29 p. 10: the object is no longer operated. Makes the verdict `does_not_comply`.
    ObjectDecommissioned,
    /// The card's stage comes before what a document shows (a commissioning act at `creation`).
    StageContradictsDocuments {
        stage: Stage,
        file: String,
        doc_type: String,
    },
    /// Law Art. 39(4)(5), 40(1): commissioned before the earliest positive IS test read.
    CommissionedBeforeSecurityTest {
        commissioned: Date,
        tested: Date,
        file: String,
    },
    /// Law Art. 39(4)(2): trial operation longer than the law allows, by its stated dates, or by
    /// a stated length (`months`) when the act gives no dates.
    TrialOperationTooLong {
        from: Option<Date>,
        to: Option<Date>,
        months: Option<u32>,
        max_months: u32,
        file: String,
    },
}

/// Why a submission could not be evaluated at all.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Blocker {
    NoCard,
    CardInvalid { file: String, line: usize, message: String },
    CardUnreadable { file: String, message: String },
}

/// A document of the submission as recognition saw it: a file, or one document of a file that
/// holds several (`pages`). The documents of one file share its name and status.
#[derive(Debug, Clone)]
pub struct FileEvidence {
    pub file: String,
    /// Set for a document of a bundled file: which of its pages it is.
    pub pages: Option<PageRange>,
    pub status: FileStatus,
    pub doc_type: String,
    /// Where the type was recognised.
    pub type_page: Option<u32>,
    pub type_snippet: Option<String>,
    /// Present when the file had text and the submission a card.
    pub facts: Option<DocFacts>,
    /// The file was read, but part of its content could not be.
    pub incomplete: bool,
}

impl FileEvidence {
    /// Evidence in this document: its file, its pages in a bundle, and where on them.
    pub fn evidence(&self, page: Option<u32>, snippet: Option<String>) -> Evidence {
        Evidence {
            file: self.file.clone(),
            pages: self.pages,
            page,
            snippet,
        }
    }

    /// Where the document's type was recognised.
    pub fn title_evidence(&self) -> Evidence {
        self.evidence(self.type_page, self.type_snippet.clone())
    }

    /// A scan read by OCR whose type was not recognised but which names this object: OCR may
    /// have misread the very title that would make it a required document («АКТ» read as «АКГ»),
    /// so it stands for that document as an unreadable file does, for an analyst to look at.
    pub fn unrecognised_scan_of_object(&self) -> bool {
        self.status == FileStatus::Ocr
            && self.doc_type == crate::recognize::OTHER
            && self.facts.as_ref().is_some_and(|facts| {
                matches!(
                    facts.object,
                    ObjectMention::Named { .. } | ObjectMention::Unclear { .. }
                )
            })
    }

    /// A file read only in part: what was not read may be the required document (or the page
    /// with the count), as an unreadable file may be.
    pub fn partly_read(&self) -> bool {
        self.incomplete && self.status.has_text()
    }

    /// A file whose content we could not see, so it might be any document: one in a format we
    /// do not read is no less possibly the act than a corrupt one, and an image or scan in which
    /// OCR found no text may be a photo of it taken too poorly to read.
    pub fn unreadable(&self) -> bool {
        matches!(
            self.status,
            FileStatus::NoText
                | FileStatus::Encrypted
                | FileStatus::Corrupt
                | FileStatus::Unsupported
                | FileStatus::Failed
                | FileStatus::TooLarge
        )
    }
}

pub enum CardState<'a> {
    Valid {
        file: &'a str,
        card: &'a ObjectCard,
    },
    Invalid {
        file: &'a str,
        error: &'a CardError,
    },
    /// The card file exists but could not be read (I/O error).
    Unreadable {
        file: &'a str,
        message: &'a str,
    },
    Missing,
}

#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub verdict: Verdict,
    pub level: Level,
    pub blocker: Option<Blocker>,
    pub requirements: Vec<RequirementOutcome>,
    pub criteria: Option<CriteriaOutcome>,
    pub warnings: Vec<Warning>,
}

/// Evaluates one submission. `submission_dir` is relative to the corpus root, as are the files.
pub fn evaluate(
    rules: &Rules,
    card: CardState<'_>,
    submission_dir: &str,
    files: &[FileEvidence],
    as_of: Date,
) -> Evaluation {
    let (card, card_file, kind) = match card {
        CardState::Valid { card, file } => match card.kind {
            Some(kind) => (card, file, kind),
            // `parse_card` refuses a card without a kind: only a card built in code lacks one.
            None => return blocked(rules, Blocker::NoCard),
        },
        CardState::Invalid { file, error } => {
            let blocker = Blocker::CardInvalid {
                file: file.to_string(),
                line: error.line,
                message: error.message.clone(),
            };
            return blocked(rules, blocker);
        }
        CardState::Unreadable { file, message } => {
            return blocked(
                rules,
                Blocker::CardUnreadable {
                    file: file.to_string(),
                    message: message.to_string(),
                },
            );
        }
        CardState::Missing => return blocked(rules, Blocker::NoCard),
    };

    let mut warnings = declaration_warnings(rules, card, submission_dir, files);
    let requirements: Vec<RequirementOutcome> = rules
        .requirements_for(kind)
        .map(|requirement| evaluate_requirement(rules, requirement, card, card_file, files, as_of, &mut warnings))
        .collect();
    let criteria = criteria::evaluate_criteria(rules, kind, card, files, &mut warnings);
    warnings.extend(law::object_warnings(rules, card, files, as_of));

    let any = |wanted: fn(Status) -> bool| requirements.iter().any(|r| wanted(r.status));
    let criteria_fail = criteria.as_ref().is_some_and(|c| !c.passes);
    let decommissioned = warnings.contains(&Warning::ObjectDecommissioned);
    let verdict = if any(Status::is_failure) || criteria_fail || decommissioned {
        Verdict::DoesNotComply
    } else if any(|s| s == Status::NeedsReview) {
        Verdict::NeedsReview
    } else {
        Verdict::Complies
    };
    let levels = &rules.policy.levels;
    let level = match verdict {
        Verdict::DoesNotComply => levels.does_not_comply,
        Verdict::NeedsReview => levels.needs_review,
        Verdict::Complies if warnings.is_empty() => levels.complies,
        Verdict::Complies => levels.complies_with_warnings,
    };
    Evaluation {
        verdict,
        level,
        blocker: None,
        requirements,
        criteria,
        warnings,
    }
}

fn blocked(rules: &Rules, blocker: Blocker) -> Evaluation {
    // Without a readable card the kind, and so the requirements, are unknown: an analyst decides.
    Evaluation {
        verdict: Verdict::NeedsReview,
        level: rules.policy.levels.no_readable_card,
        blocker: Some(blocker),
        requirements: Vec::new(),
        criteria: None,
        warnings: Vec::new(),
    }
}

/// Compares what the card declares about its documents with what recognition found.
fn declaration_warnings(rules: &Rules, card: &ObjectCard, dir: &str, files: &[FileEvidence]) -> Vec<Warning> {
    let mut warnings = Vec::new();
    for declared in &card.documents {
        let path = crate::corpus::join(dir, declared.file.trim_start_matches("./"));
        // In a bundled file, any of its documents may be the declared one.
        let mut documents = files.iter().filter(|f| f.file == path);
        let Some(found) = documents
            .clone()
            .find(|f| f.doc_type == declared.doc_type)
            .or_else(|| documents.next())
        else {
            warnings.push(Warning::DeclaredFileNotFound { file: path });
            continue;
        };
        if !rules.is_known_doctype(&declared.doc_type) {
            warnings.push(Warning::DeclaredTypeUnknown {
                file: path,
                declared: declared.doc_type.clone(),
            });
        } else if found.status.has_text() && found.doc_type != declared.doc_type {
            warnings.push(Warning::DeclaredTypeDiffers {
                file: path,
                declared: declared.doc_type.clone(),
                recognised: found.doc_type.clone(),
            });
        }
    }
    warnings
}

#[cfg(test)]
mod tests;
