//! The unit of work: a corpus, ingested into an index, then checked.
//!
//! `ingest` extracts and classifies only files that are new or changed since the index last saw
//! them (same size and modification time, same card, same rules) and commits once. `check`
//! re-reads every submission's card from disk and its files' text from the index, reads facts,
//! and evaluates. Neither writes into the corpus.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::card::{CardError, ObjectCard, parse_card};
use crate::corpus::{Corpus, CorpusFile, DiscoveryProblem, Submission};
use crate::date::Date;
use crate::evaluate::{self, CardState, Evaluation, FileEvidence};
use crate::extract::{self, Extracted, FileStatus, Format, Limits, Page};
use crate::index::{DocIndex, FileRecord, IndexError, StoredFile};
use crate::recognize::{self, Classification, NormalizedDoc, OBJECT_CARD};
use crate::rules::Rules;

#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Index(#[from] IndexError),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestSummary {
    pub files: usize,
    /// Files read (extracted and classified) in this run.
    pub extracted: Vec<String>,
    pub unchanged: usize,
    pub removed: usize,
    /// True when the whole index was rebuilt (new index, new schema version or new rules).
    pub rebuilt: bool,
}

/// The card of a submission as read from disk.
pub enum CardRead {
    Valid(Box<ObjectCard>),
    Invalid(CardError),
    /// The card file exists but could not be read at all.
    Unreadable(String),
    Missing,
}

pub fn read_card(submission: &Submission) -> CardRead {
    let Some(card_rel) = &submission.card else {
        return CardRead::Missing;
    };
    let Some(file) = submission.files.iter().find(|f| &f.rel == card_rel) else {
        return CardRead::Missing;
    };
    match std::fs::read(&file.abs) {
        Ok(bytes) => match parse_card(&bytes) {
            Ok(card) => CardRead::Valid(Box::new(card)),
            Err(e) => CardRead::Invalid(e),
        },
        Err(e) => CardRead::Unreadable(e.to_string()),
    }
}

/// The id reports and the index use for a submission: the card's, else the directory.
pub fn object_id(submission: &Submission, card: &CardRead) -> String {
    match card {
        CardRead::Valid(card) => card.id.clone(),
        _ => submission.dir.clone(),
    }
}

pub fn ingest(
    corpus: &Corpus,
    index: &DocIndex,
    rules: &Rules,
    limits: &Limits,
) -> Result<IngestSummary, PipelineError> {
    let rebuilt = !index.is_current(&rules.fingerprint)?;
    let known = if rebuilt { BTreeMap::new() } else { index.load_all()? };
    let mut writer = index.writer()?;
    if rebuilt {
        writer.clear()?;
    }

    let mut summary = IngestSummary {
        files: corpus.file_count(),
        rebuilt,
        ..IngestSummary::default()
    };
    // Each card is read once here; the card file's own record is built from the same read.
    let cards: Vec<CardRead> = corpus.submissions.iter().map(read_card).collect();
    let mut work: Vec<(&CorpusFile, &Submission, &CardRead, String)> = Vec::new();
    for (submission, card) in corpus.submissions.iter().zip(&cards) {
        let id = object_id(submission, card);
        // A changed card can change the object id and what each file is evidence for.
        let card_changed = submission
            .files
            .iter()
            .filter(|f| submission.card.as_ref() == Some(&f.rel))
            .any(|f| is_stale(&known, f, submission, &id));
        for file in &submission.files {
            if card_changed || is_stale(&known, file, submission, &id) {
                work.push((file, submission, card, id.clone()));
            } else {
                summary.unchanged += 1;
            }
        }
    }
    let present: BTreeSet<&str> = corpus.files().map(|f| f.rel.as_str()).collect();
    for gone in known.keys().filter(|k| !present.contains(k.as_str())) {
        writer.remove_file(gone);
        summary.removed += 1;
    }

    let results: Vec<Result<String, IndexError>> = work
        .par_iter()
        .map(|(file, submission, card, id)| {
            let (record, pages) = read_file(rules, limits, file, submission, card, id);
            writer.put_file(&record, &pages)?;
            Ok(record.file)
        })
        .collect();
    for result in results {
        summary.extracted.push(result?);
    }
    writer.commit(&rules.fingerprint)?;
    index.reload()?;
    Ok(summary)
}

fn is_stale(known: &BTreeMap<String, StoredFile>, file: &CorpusFile, submission: &Submission, id: &str) -> bool {
    let Some(stored) = known.get(&file.rel) else {
        return true;
    };
    stored.record.fingerprint != file.fingerprint
        || stored.record.object_id != id
        || stored.record.submission != submission.dir
}

/// Extracts and classifies one file. Never fails: a problem becomes the record's status.
fn read_file(
    rules: &Rules,
    limits: &Limits,
    file: &CorpusFile,
    submission: &Submission,
    card: &CardRead,
    id: &str,
) -> (FileRecord, Vec<Page>) {
    let extracted = if let Some(problem) = &file.problem {
        let status = match problem {
            DiscoveryProblem::Symlink { .. } | DiscoveryProblem::Special => FileStatus::Unsupported,
            DiscoveryProblem::Unreadable(_) => FileStatus::Failed,
        };
        Extracted::failed(Format::Unknown, status, problem.to_string())
    } else if submission.card.as_deref() == Some(file.rel.as_str()) {
        card_extraction(card)
    } else {
        extract::extract_file(&file.abs, limits)
    };
    let classification = if submission.card.as_deref() == Some(file.rel.as_str()) {
        Classification {
            doc_type: OBJECT_CARD.to_string(),
            page: None,
            snippet: None,
        }
    } else if extracted.status.has_text() {
        recognize::classify(rules, &NormalizedDoc::new(&extracted.pages))
    } else {
        Classification::other()
    };
    let record = FileRecord {
        file: file.rel.clone(),
        submission: submission.dir.clone(),
        object_id: id.to_string(),
        fingerprint: file.fingerprint,
        format: extracted.format,
        status: extracted.status,
        reason: extracted.reason,
        classification,
        page_count: extracted.pages.len() as u32,
        state_body: match card {
            CardRead::Valid(card) => card.owner.clone(),
            _ => None,
        },
    };
    (record, extracted.pages)
}

/// The card is indexed like a document (its names and description are worth finding), and a
/// malformed card is a `corrupt` file with the line and the problem.
fn card_extraction(card: &CardRead) -> Extracted {
    match card {
        CardRead::Valid(card) => Extracted {
            format: Format::Xml,
            status: FileStatus::Ok,
            reason: None,
            pages: vec![Page {
                number: 1,
                name: None,
                text: card.searchable_text(),
                ocr: false,
            }],
        },
        CardRead::Invalid(e) => Extracted::failed(Format::Xml, FileStatus::Corrupt, e.to_string()),
        CardRead::Unreadable(e) => Extracted::failed(
            Format::Xml,
            FileStatus::Failed,
            format!("cannot read the object card: {e}"),
        ),
        CardRead::Missing => Extracted::failed(
            Format::Xml,
            FileStatus::Failed,
            "the object card disappeared during the run",
        ),
    }
}

/// One submission, checked.
pub struct CheckedSubmission {
    pub dir: String,
    pub object_id: String,
    pub card: Option<ObjectCard>,
    pub evaluation: Evaluation,
    /// Every file of the submission with what happened to it.
    pub files: Vec<FileRecord>,
}

pub fn check(
    corpus: &Corpus,
    index: &DocIndex,
    rules: &Rules,
    as_of: Date,
) -> Result<Vec<CheckedSubmission>, PipelineError> {
    let stored = index.load_all()?;
    Ok(corpus
        .submissions
        .iter()
        .map(|submission| check_submission(submission, &stored, rules, as_of))
        .collect())
}

fn check_submission(
    submission: &Submission,
    stored: &BTreeMap<String, StoredFile>,
    rules: &Rules,
    as_of: Date,
) -> CheckedSubmission {
    let card_read = read_card(submission);
    let id = object_id(submission, &card_read);
    let card: Option<&ObjectCard> = match &card_read {
        CardRead::Valid(card) => Some(card),
        _ => None,
    };

    let mut records = Vec::new();
    let mut evidence = Vec::new();
    for file in &submission.files {
        let Some(stored_file) = stored.get(&file.rel) else {
            // Ingest indexes every discovered file; a gap means the index changed under us.
            records.push(missing_record(file, submission, &id));
            continue;
        };
        let record = stored_file.record.clone();
        // Facts are about the card's object; without a card there is nothing to read them against.
        let facts =
            (card.is_some() && record.status.has_text() && record.classification.doc_type != OBJECT_CARD).then(|| {
                let doc = NormalizedDoc::new(&stored_file.pages);
                recognize::read_facts(rules, &doc, &stored_file.pages, card)
            });
        evidence.push(FileEvidence {
            file: record.file.clone(),
            status: record.status,
            doc_type: record.classification.doc_type.clone(),
            type_page: record.classification.page,
            type_snippet: record.classification.snippet.clone(),
            facts,
        });
        records.push(record);
    }

    let card_file = submission.card.as_deref().unwrap_or_default();
    let state = match &card_read {
        CardRead::Valid(card) => CardState::Valid { file: card_file, card },
        CardRead::Invalid(error) => CardState::Invalid { file: card_file, error },
        CardRead::Unreadable(message) => CardState::Unreadable {
            file: card_file,
            message,
        },
        CardRead::Missing => CardState::Missing,
    };
    let evaluation = evaluate::evaluate(rules, state, &submission.dir, &evidence, as_of);
    CheckedSubmission {
        dir: submission.dir.clone(),
        object_id: id,
        card: card.cloned(),
        evaluation,
        files: records,
    }
}

fn missing_record(file: &CorpusFile, submission: &Submission, id: &str) -> FileRecord {
    FileRecord {
        file: file.rel.clone(),
        submission: submission.dir.clone(),
        object_id: id.to_string(),
        fingerprint: file.fingerprint,
        format: Format::Unknown,
        status: FileStatus::Failed,
        reason: Some("the file appeared after indexing; run again".to_string()),
        classification: Classification::other(),
        page_count: 0,
        state_body: None,
    }
}
