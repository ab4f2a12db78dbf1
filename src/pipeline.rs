//! The unit of work: a corpus, ingested into an index, then checked.
//!
//! `ingest` extracts, classifies and reads facts from only the files that are new or changed since
//! the index last saw them (same size and modification time, same card, same rules) and commits
//! once. `check` re-reads every submission's card from disk and its files' records (never their
//! text) from the index, and evaluates. Neither writes into the corpus.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::card::{CardError, ObjectCard, parse_card};
use crate::corpus::{Corpus, CorpusFile, DiscoveryProblem, Submission};
use crate::date::Date;
use crate::evaluate::{self, CardState, CheckedSubmission, FileEvidence};
use crate::extract::{self, Extracted, FileStatus, Format, Limits, MEMBER_SEPARATOR, Page, ReadMethod};
use crate::index::{DocIndex, FileRecord, IndexError, Writer};
use crate::recognize::{self, Classification, DocFacts, NormalizedDoc, OBJECT_CARD, SIGNATURE};
use crate::rules::Rules;

#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error("{}", shrink_message(root, shrink))]
    Shrink { root: PathBuf, shrink: Shrink },
}

/// What a run would do to the files an index holds. A corpus that lost most of its files is far
/// more often a share that is not mounted than a real withdrawal, and removing their records
/// would lose their extraction and make the next night's diff report them all as removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shrink {
    /// Files (not archive members) the index holds.
    pub indexed: usize,
    /// Files discovered in the corpus.
    pub found: usize,
    /// Indexed files no longer in the corpus: the run would remove their records.
    pub gone: usize,
}

impl Shrink {
    /// An empty corpus, or more than half of the indexed files gone.
    pub fn is_suspicious(&self) -> bool {
        self.found == 0 || self.gone * 2 > self.indexed
    }
}

fn shrink_message(root: &std::path::Path, shrink: &Shrink) -> String {
    let root = root.display();
    let what = if shrink.found == 0 {
        format!("the corpus `{root}` holds no files")
    } else {
        format!(
            "{} of the {} files in the index are no longer in the corpus `{root}` (it holds {})",
            shrink.gone, shrink.indexed, shrink.found
        )
    };
    format!(
        "{what}; the run stopped before changing the index or the reports. Check that the share \
         is mounted and complete, then run again; if the files were really withdrawn, run again \
         with --allow-shrink"
    )
}

/// Stops a run that would empty or more than halve `index` (see [`Shrink`]) before anything is
/// written: an error naming the counts and what to do. An index built under other rules or
/// another schema is about to be rebuilt anyway, so only an empty corpus stops it.
pub fn guard_shrink(corpus: &Corpus, index: Option<&DocIndex>, rules: &Rules) -> Result<Shrink, PipelineError> {
    let mut shrink = Shrink {
        indexed: 0,
        found: corpus.file_count(),
        gone: 0,
    };
    if let Some(index) = index
        && index.is_current(&rules.fingerprint)?
    {
        let present: BTreeSet<&str> = corpus.files().map(|f| f.rel.as_str()).collect();
        for (file, record) in index.load_records()? {
            if record.archive.is_none() {
                shrink.indexed += 1;
                shrink.gone += usize::from(!present.contains(file.as_str()));
            }
        }
    }
    if shrink.is_suspicious() {
        return Err(PipelineError::Shrink {
            root: corpus.root.clone(),
            shrink,
        });
    }
    Ok(shrink)
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestSummary {
    pub files: usize,
    /// Files inside archives, in the index after this run (each a file of its own in reports).
    pub archive_members: usize,
    /// Files read (extracted and classified) in this run.
    pub extracted: Vec<String>,
    pub unchanged: usize,
    /// Files whose modification time changed but whose content hash did not: not read again.
    pub touched: Vec<String>,
    pub removed: usize,
    /// True when the whole index was rebuilt (new index, new schema version or new rules).
    pub rebuilt: bool,
    /// How the pages of the files read in this run were read.
    pub pages: PageCounts,
}

/// Pages of the files read in a run, and how many of them needed an outside tool: the share
/// read by Poppler is how often our PDF walker falls short.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageCounts {
    pub pages: usize,
    /// Read by Poppler's `pdftotext` after our reading of the PDF page failed
    /// ([`ReadMethod::TextLayerPoppler`]).
    pub poppler: usize,
    /// Read by OCR.
    pub ocr: usize,
}

impl PageCounts {
    fn of(extracted: &Extracted) -> PageCounts {
        let mut counts = PageCounts {
            pages: extracted.pages.len(),
            ..PageCounts::default()
        };
        for page in &extracted.pages {
            match extracted.method(page) {
                ReadMethod::TextLayerPoppler => counts.poppler += 1,
                ReadMethod::Ocr => counts.ocr += 1,
                _ => {}
            }
        }
        counts
    }

    fn add(&mut self, other: PageCounts) {
        self.pages += other.pages;
        self.poppler += other.poppler;
        self.ocr += other.ocr;
    }
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

/// Told how ingest advances; implemented by the CLI's progress display. Called from worker threads.
pub trait IngestProgress: Sync {
    /// Before any file is read: how many files will be read and how many are unchanged.
    fn planned(&self, _to_read: usize, _unchanged: usize) {}
    /// One file was read (extracted and classified).
    fn file_read(&self, _file: &str) {}
}

/// No progress display.
impl IngestProgress for () {}

pub fn ingest(
    corpus: &Corpus,
    index: &DocIndex,
    rules: &Rules,
    limits: &Limits,
) -> Result<IngestSummary, PipelineError> {
    ingest_with_progress(corpus, index, rules, limits, &())
}

/// Reading at least this many files, the patterns compile ahead on a thread of their own
/// (`recognize::compile_patterns`). A few files may not need every pattern: for one
/// submission of five files, compiling them all took the run from 0.44 to 0.55 s.
const COMPILE_AHEAD_FILES: usize = 50;

pub fn ingest_with_progress(
    corpus: &Corpus,
    index: &DocIndex,
    rules: &Rules,
    limits: &Limits,
    progress: &dyn IngestProgress,
) -> Result<IngestSummary, PipelineError> {
    let rebuilt = !index.is_current(&rules.fingerprint)?;
    let known = if rebuilt {
        BTreeMap::new()
    } else {
        index.load_records()?
    };
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
    let plan = plan(corpus, &cards, &known, limits);
    summary.unchanged = plan.unchanged;
    progress.planned(plan.read.len(), plan.unchanged + plan.touched.len());
    let members = members_by_archive(&known);
    for (file, stored) in &plan.touched {
        rewrite_touched(index, &writer, file, stored, members_of(&members, &file.rel))?;
        summary.touched.push(file.rel.clone());
    }
    let present: BTreeSet<&str> = corpus.files().map(|f| f.rel.as_str()).collect();
    summary.removed = remove_gone(&writer, &known, &present);
    // A re-read archive replaces all its members: one no longer in it must not stay behind.
    for work in &plan.read {
        for member in members_of(&members, &work.file.rel) {
            writer.remove_file(&member.file);
        }
    }
    summary.archive_members = members_kept(&known, &present)
        - plan
            .read
            .iter()
            .map(|work| members_of(&members, &work.file.rel).len())
            .sum::<usize>();

    let read_all = || -> Vec<Result<(String, usize, PageCounts), IndexError>> {
        plan.read
            .par_iter()
            .map(|work| {
                let (read, counts) = read_file(rules, limits, work.file, work.submission, work.card, &work.object_id);
                for (record, pages) in &read {
                    writer.put_file(record, pages)?;
                }
                progress.file_read(&work.file.rel);
                Ok((work.file.rel.clone(), read.len() - 1, counts))
            })
            .collect()
    };
    let results = if plan.read.len() < COMPILE_AHEAD_FILES {
        read_all()
    } else {
        // The patterns compile beside the first extractions, which run in worker processes. A
        // thread that cannot start costs only that: each pattern still compiles at its first use.
        std::thread::scope(|scope| {
            let _ = std::thread::Builder::new()
                .name("compile-patterns".into())
                .spawn_scoped(scope, || recognize::compile_patterns(rules));
            read_all()
        })
    };
    for result in results {
        let (file, members, counts) = result?;
        summary.extracted.push(file);
        summary.archive_members += members;
        summary.pages.add(counts);
    }
    writer.commit(&rules.fingerprint)?;
    index.reload()?;
    Ok(summary)
}

/// One file to read in this run, with what reading it needs of its submission.
struct Work<'a> {
    file: &'a CorpusFile,
    submission: &'a Submission,
    card: &'a CardRead,
    object_id: String,
}

/// What ingest does with each file: read it, rewrite its record (only its modification time
/// moved), or leave it.
struct Plan<'a> {
    read: Vec<Work<'a>>,
    touched: Vec<(&'a CorpusFile, &'a FileRecord)>,
    unchanged: usize,
}

fn plan<'a>(
    corpus: &'a Corpus,
    cards: &'a [CardRead],
    known: &'a BTreeMap<String, FileRecord>,
    limits: &Limits,
) -> Plan<'a> {
    let mut plan = Plan {
        read: Vec::new(),
        touched: Vec::new(),
        unchanged: 0,
    };
    for (submission, card) in corpus.submissions.iter().zip(cards) {
        let id = object_id(submission, card);
        let freshness: Vec<Freshness> = submission
            .files
            .iter()
            .map(|file| freshness(known, file, submission, &id, limits))
            .collect();
        // A changed card can change the object id and what each file is evidence for.
        let card_changed = submission
            .files
            .iter()
            .zip(&freshness)
            .any(|(f, fresh)| submission.card.as_ref() == Some(&f.rel) && matches!(fresh, Freshness::Stale));
        for (file, fresh) in submission.files.iter().zip(freshness) {
            let work = || Work {
                file,
                submission,
                card,
                object_id: id.clone(),
            };
            match fresh {
                _ if card_changed => plan.read.push(work()),
                Freshness::Stale => plan.read.push(work()),
                Freshness::Touched(stored) => plan.touched.push((file, stored)),
                Freshness::Unchanged => plan.unchanged += 1,
            }
        }
    }
    plan
}

fn members_of<'a>(members: &'a BTreeMap<&str, Vec<&'a FileRecord>>, archive: &str) -> &'a [&'a FileRecord] {
    members.get(archive).map(Vec::as_slice).unwrap_or_default()
}

/// A file whose modification time moved but whose content did not: its record (and its
/// members', which carry the archive's fingerprint) gets the new fingerprint, its pages stay.
fn rewrite_touched(
    index: &DocIndex,
    writer: &Writer,
    file: &CorpusFile,
    stored: &FileRecord,
    members: &[&FileRecord],
) -> Result<(), IndexError> {
    for record in std::iter::once(stored).chain(members.iter().copied()) {
        let record = FileRecord {
            fingerprint: file.fingerprint,
            ..record.clone()
        };
        writer.put_file(&record, &index.file_pages(&record.file)?)?;
    }
    Ok(())
}

/// Removes the records of files no longer in the corpus (a member goes with its archive) and
/// says how many.
fn remove_gone(writer: &Writer, known: &BTreeMap<String, FileRecord>, present: &BTreeSet<&str>) -> usize {
    let mut removed = 0;
    for (key, record) in known {
        let holder = record.archive.as_deref().unwrap_or(key.as_str());
        if !present.contains(holder) {
            writer.remove_file(key);
            removed += 1;
        }
    }
    removed
}

/// Stored archive members whose archive is still in the corpus.
fn members_kept(known: &BTreeMap<String, FileRecord>, present: &BTreeSet<&str>) -> usize {
    known
        .values()
        .filter(|record| {
            record
                .archive
                .as_deref()
                .is_some_and(|archive| present.contains(archive))
        })
        .count()
}

/// The stored records of files inside archives, by the corpus file that holds them.
fn members_by_archive(known: &BTreeMap<String, FileRecord>) -> BTreeMap<&str, Vec<&FileRecord>> {
    let mut members: BTreeMap<&str, Vec<&FileRecord>> = BTreeMap::new();
    for record in known.values() {
        if let Some(archive) = &record.archive {
            members.entry(archive.as_str()).or_default().push(record);
        }
    }
    members
}

enum Freshness<'a> {
    Unchanged,
    /// The modification time changed, the content did not (a copy, a `touch`, a restore).
    Touched(&'a FileRecord),
    Stale,
}

/// Size and modification time decide, as in `make` and `rsync`; only when the time changed and
/// the size did not is the content hashed, since a re-copied file is far more common than an
/// edit that keeps the size. An edit that keeps both size and time is not detected.
fn freshness<'a>(
    known: &'a BTreeMap<String, FileRecord>,
    file: &CorpusFile,
    submission: &Submission,
    id: &str,
    limits: &Limits,
) -> Freshness<'a> {
    let Some(record) = known.get(&file.rel) else {
        return Freshness::Stale;
    };
    // A file read without OCR that did not come out clean may hold a scan OCR can now read.
    let awaits_ocr = record.read_without_ocr
        && limits.ocr.is_available()
        && (record.status != FileStatus::Ok || record.reason.is_some());
    if record.object_id != id || record.submission != submission.dir || awaits_ocr {
        return Freshness::Stale;
    }
    if record.fingerprint == file.fingerprint {
        return Freshness::Unchanged;
    }
    let same_content = record.fingerprint.size == file.fingerprint.size
        && file.problem.is_none()
        && record.content_hash.is_some()
        && record.content_hash == content_hash(file, limits);
    if same_content {
        Freshness::Touched(record)
    } else {
        Freshness::Stale
    }
}

/// SHA-256 of a file's bytes, hex; `None` when it cannot be read or is above the size limit.
fn content_hash(file: &CorpusFile, limits: &Limits) -> Option<String> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    if file.problem.is_some() || file.fingerprint.size > limits.max_file_bytes {
        return None;
    }
    let mut reader = std::fs::File::open(&file.abs).ok()?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let n = reader.read(&mut buffer).ok()?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Some(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// Extracts and classifies one file, and each file inside it when it is an archive (the
/// archive's record first). Never fails: a problem becomes the record's status.
fn read_file(
    rules: &Rules,
    limits: &Limits,
    file: &CorpusFile,
    submission: &Submission,
    card: &CardRead,
    id: &str,
) -> (Vec<(FileRecord, Vec<Page>)>, PageCounts) {
    let is_card = submission.card.as_deref() == Some(file.rel.as_str());
    let mut extracted = if let Some(problem) = &file.problem {
        let status = match problem {
            DiscoveryProblem::Symlink { .. } | DiscoveryProblem::Special => FileStatus::Unsupported,
            DiscoveryProblem::Unreadable(_) => FileStatus::Failed,
        };
        Extracted::failed(Format::Unknown, status, problem.to_string())
    } else if is_card {
        card_extraction(card)
    } else {
        extract::extract_file(&file.abs, limits)
    };
    let members = std::mem::take(&mut extracted.members);
    let mut counts = PageCounts::default();
    let mut read = Vec::with_capacity(1 + members.len());
    let mut record = |name: String, archive: Option<&str>, extracted: Extracted, is_card: bool| {
        counts.add(PageCounts::of(&extracted));
        let mut record = classify_file(rules, &extracted, is_card, card);
        record.file = name;
        record.archive = archive.map(str::to_string);
        record.submission = submission.dir.clone();
        record.object_id = id.to_string();
        record.fingerprint = file.fingerprint;
        record.read_without_ocr = !limits.ocr.is_available();
        read.push((record, extracted.pages));
    };
    record(file.rel.clone(), None, extracted, is_card);
    for member in members {
        let name = format!("{}{MEMBER_SEPARATOR}{}", file.rel, member.path);
        record(name, Some(&file.rel), member.extracted, false);
    }
    if let Some((archive, _)) = read.first_mut() {
        archive.content_hash = content_hash(file, limits);
    }
    (read, counts)
}

/// The record of one extracted file: type and facts; the caller names it and says where it is.
fn classify_file(rules: &Rules, extracted: &Extracted, is_card: bool, card: &CardRead) -> FileRecord {
    let doc = (!is_card && extracted.status.has_text() && !extracted.pages.is_empty())
        .then(|| NormalizedDoc::new(&extracted.pages));
    let classification = match &doc {
        _ if is_card => Classification {
            doc_type: OBJECT_CARD.to_string(),
            page: None,
            snippet: None,
        },
        // A signature file without the document inside has no text and is only a signature.
        _ if extracted.format == Format::Signature && extracted.pages.is_empty() => Classification {
            doc_type: SIGNATURE.to_string(),
            page: None,
            snippet: None,
        },
        Some(doc) => recognize::classify(rules, doc),
        None => Classification::other(),
    };
    // Facts are about the card's object; without a card there is nothing to read them against.
    let card: Option<&ObjectCard> = match card {
        CardRead::Valid(card) => Some(card),
        _ => None,
    };
    let facts = match (&doc, card) {
        (Some(doc), Some(card)) => Some(recognize::read_facts(rules, doc, &extracted.pages, Some(card))),
        _ => None,
    };
    // A spreadsheet's pages are its sheets, never documents of their own.
    let paged = !matches!(extracted.format, Format::Xlsx | Format::Xls | Format::Ods);
    let documents = match &doc {
        Some(_) if paged => recognize::split_documents(rules, &extracted.pages, card),
        _ => Vec::new(),
    };
    FileRecord {
        file: String::new(),
        submission: String::new(),
        object_id: String::new(),
        fingerprint: crate::corpus::Fingerprint {
            size: 0,
            modified_ns: 0,
        },
        format: extracted.format,
        status: extracted.status,
        reason: extracted.reason.clone(),
        incomplete: extracted.incomplete,
        classification,
        page_count: extracted.pages.len() as u32,
        read_without_ocr: false,
        content_hash: None,
        state_body: card.and_then(|card| card.owner.clone()),
        facts,
        documents,
        signatures: extracted.signatures.clone(),
        archive: None,
    }
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
                doubtful_words: Vec::new(),
            }],
            signatures: Vec::new(),
            members: Vec::new(),
            incomplete: false,
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

/// What one run of ingest and check leaves.
pub struct Run {
    pub ingest: IngestSummary,
    pub checked: Vec<CheckedSubmission>,
}

/// Reads what changed into `index`, then evaluates every submission as of `as_of`: the one way
/// `check` and `nightly` (and anything else that wants verdicts) run the stages.
pub fn ingest_and_check(
    corpus: &Corpus,
    index: &DocIndex,
    rules: &Rules,
    limits: &Limits,
    as_of: Date,
    progress: &dyn IngestProgress,
) -> Result<Run, PipelineError> {
    let ingest = ingest_with_progress(corpus, index, rules, limits, progress)?;
    let checked = check(corpus, index, rules, as_of)?;
    Ok(Run { ingest, checked })
}

pub fn check(
    corpus: &Corpus,
    index: &DocIndex,
    rules: &Rules,
    as_of: Date,
) -> Result<Vec<CheckedSubmission>, PipelineError> {
    let mut stored = index.load_records()?;
    let mut members = take_members(&mut stored);
    // Each record moves into its submission's result: every record is held once, never twice.
    Ok(corpus
        .submissions
        .iter()
        .map(|submission| check_submission(submission, &mut stored, &mut members, rules, as_of))
        .collect())
}

/// Takes the records of files inside archives out of `stored`, by the corpus file that holds
/// them, in the order of their names.
fn take_members(stored: &mut BTreeMap<String, FileRecord>) -> BTreeMap<String, Vec<FileRecord>> {
    let mut members: BTreeMap<String, Vec<FileRecord>> = BTreeMap::new();
    let names: Vec<String> = stored
        .values()
        .filter(|record| record.archive.is_some())
        .map(|record| record.file.clone())
        .collect();
    for name in names {
        if let Some(record) = stored.remove(&name)
            && let Some(archive) = record.archive.clone()
        {
            members.entry(archive).or_default().push(record);
        }
    }
    members
}

/// Evaluates one submission; its files' records are taken out of `stored` and `members` (a file
/// belongs to one submission).
fn check_submission(
    submission: &Submission,
    stored: &mut BTreeMap<String, FileRecord>,
    members: &mut BTreeMap<String, Vec<FileRecord>>,
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
    // A file inside an archive is a file of the archive's submission, listed after it.
    let with_members: Vec<Result<FileRecord, &CorpusFile>> = submission
        .files
        .iter()
        .flat_map(|file| {
            let own = stored.remove(&file.rel).ok_or(file);
            let inside = members.remove(file.rel.as_str()).unwrap_or_default();
            std::iter::once(own).chain(inside.into_iter().map(Ok))
        })
        .collect();
    for found in with_members {
        let record = match found {
            Ok(record) => record,
            // Ingest indexes every discovered file; a gap means the index changed under us.
            Err(file) => {
                records.push(missing_record(file, submission, &id));
                continue;
            }
        };
        evidence.extend(documents_of(&record, card.is_some() && record.object_id == id));
        records.push(record);
    }
    link_signatures(&mut records, submission);

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

/// What evaluation sees of a file: the file, or each document of a bundled file. Facts read
/// against another card (the card changed after ingest) say nothing about this one.
fn documents_of(record: &FileRecord, facts_apply: bool) -> Vec<FileEvidence> {
    let document = |pages, classification: &Classification, facts: &Option<DocFacts>| FileEvidence {
        file: record.file.clone(),
        pages,
        status: record.status,
        doc_type: classification.doc_type.clone(),
        type_page: classification.page,
        type_snippet: classification.snippet.clone(),
        facts: facts.clone().filter(|_| facts_apply),
        incomplete: record.incomplete,
    };
    if record.documents.is_empty() {
        return vec![document(None, &record.classification, &record.facts)];
    }
    record
        .documents
        .iter()
        .map(|part| document(Some(part.pages), &part.classification, &part.facts))
        .collect()
}

/// Decides which file of the submission each signature signs, from the records' SHA-256 and, for
/// another digest algorithm, the file's bytes on disk. Done at check time so a document replaced
/// after its signature was read is seen the next night without reading the signature again.
fn link_signatures(records: &mut [FileRecord], submission: &Submission) {
    use crate::extract::signature::{self, Candidate, DigestAlgorithm};
    if records.iter().all(|r| r.signatures.is_empty()) {
        return;
    }
    let owned: Vec<(String, Option<String>)> = records
        .iter()
        .map(|r| (r.file.clone(), r.content_hash.clone()))
        .collect();
    let digest_of = |file: &str, algorithm: DigestAlgorithm| {
        let on_disk = submission.files.iter().find(|f| f.rel == file && f.problem.is_none())?;
        std::fs::read(&on_disk.abs)
            .ok()
            .map(|bytes| algorithm.digest(&[&bytes]))
    };
    for record in records.iter_mut() {
        if record.signatures.is_empty() {
            continue;
        }
        let candidates: Vec<Candidate<'_>> = owned
            .iter()
            .filter(|(file, _)| *file != record.file)
            .map(|(file, sha256)| Candidate {
                file,
                sha256: sha256.as_deref(),
            })
            .collect();
        for found in &mut record.signatures {
            let (signed_file, link) = signature::link(found, &record.file, &candidates, digest_of);
            // A PDF's own signature, or a document only inside its signature file, signs the
            // file that holds it.
            let signs_itself = matches!(
                link,
                signature::SignedFileLink::Embedded | signature::SignedFileLink::Inside
            );
            found.signed_file = signed_file.or_else(|| signs_itself.then(|| record.file.clone()));
            found.link = Some(link);
        }
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
        incomplete: false,
        classification: Classification::other(),
        page_count: 0,
        read_without_ocr: false,
        content_hash: None,
        state_body: None,
        facts: None,
        documents: Vec::new(),
        signatures: Vec::new(),
        archive: None,
    }
}
