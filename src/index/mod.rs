//! The index: one Tantivy index that is both the search engine and the store `check` reads.
//!
//! Each file has one *file record* (its extraction outcome and type, as JSON) and one *page*
//! document per page or sheet (its text, analysed for search). A *meta* document records the
//! schema version and the fingerprint of the rules the index was built under; when either
//! differs, the index is emptied and rebuilt, since stored types would otherwise be stale.
//!
//! Records (and the meta) are kept in a bytes fast field, a column of their own, not in the
//! document store: reading every record (each `check`) then touches only the records, never the
//! store's blocks of page text around them, so its memory does not grow with the corpus's text.
//!
//! There is exactly one writer (Tantivy enforces it with a lock file), and all changes of a run
//! land in one commit: a run killed half-way leaves the previous commit intact.

mod analysis;
mod facets;
pub mod kazakh;
mod like;
mod merge;
mod query;
mod queue;
mod russian;
mod search;
mod snippet;
mod words;

pub use facets::{FacetCount, Facets};
pub use like::{Similar, more_like_this};
pub use search::{
    Hit, PartialMatch, SearchOptions, SearchResults, SortOrder, Window, highlight, search, search_window,
};

pub use crate::record::FileRecord;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term, doc};

pub(crate) use analysis::{EXACT, KAZAKH, MAX_TOKEN_BYTES, RUSSIAN};

use crate::corpus::RelPath;
use crate::extract::Page;
use queue::{Gate, Queued};

/// Bump when the index layout, the meaning of stored records or the analysis of text (tokenizers,
/// stemmer code) changes; the Kazakh keep-list is fingerprinted separately.
/// 2: Kazakh-analysed and exact text fields, the head of each document, ё folding, state body,
/// fast fields for facets.
/// 3: each file record carries the facts read from it against its submission's card.
/// 5: each file record carries the archive that holds it (a member of a ZIP).
/// 6: each file record carries its electronic signatures (CMS files were `unsupported` before).
/// 8: records and the meta in a bytes fast field (`record`) instead of the document store.
/// 9: each page carries its file's name hash (`file_key`), and column dictionaries are not
/// zstd-compressed.
/// 10: each file record says whether part of the file's content could not be read (`incomplete`).
pub const SCHEMA_VERSION: u64 = 10;
/// How much of a document's first page counts as its head (title, addressee, number and date):
/// a query word found there weighs more, as in any document search that ranks titles first.
const HEAD_CHARS: usize = 400;
/// The name of the `record` field, as the fast-field reader asks for it.
const RECORD: &str = "record";
/// The name of the `file_key` field, likewise.
pub(crate) const FILE_KEY: &str = "file_key";
/// The indexing threads' memory, shared among them (Tantivy's default); a thread writes a
/// segment when its share fills, about 3 600 pages, and [`merge::BoundedMerges`] merges those in
/// pairs (about 5 % of a `--no-ocr` run's CPU). 128 MiB ended those merges but raised the peak
/// from 218 MiB at 1k files to 321 MiB at 10k, as only a long run fills it (BENCHMARKS.md,
/// 2026-12-03, fourth run).
const WRITER_HEAP_BYTES: usize = 64 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("cannot open index directory `{path}`: {message}")]
    Directory { path: String, message: String },
    #[error("index record is damaged: {0}")]
    Record(#[from] serde_json::Error),
    #[error("index I/O error: {0}")]
    Io(#[from] std::io::Error),
    #[error("the query `{0}` has no words to search for")]
    EmptyQuery(String),
    #[error("the index at `{0}` was built by another version of portalcheck; run `ingest` again")]
    OldLayout(String),
    #[error("no file `{0}` in the index")]
    UnknownFile(String),
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Meta {
    schema_version: u64,
    rules_fingerprint: String,
    /// The Kazakh stemmer's data: a changed keep-list changes the indexed terms.
    #[serde(default)]
    analysis_fingerprint: String,
}

fn analysis_fingerprint() -> String {
    format!("{:016x}", crate::fnv::fnv1a(kazakh::STEMMER_DATA.as_bytes()))
}

/// The schema's fields, for writing, reading records and searching alike.
#[derive(Clone, Copy)]
pub(crate) struct Fields {
    pub record_kind: Field,
    pub file: Field,
    /// The file name's hash, a fast field of pages: facets tell files apart by it without
    /// decoding names from the column dictionary.
    pub file_key: Field,
    pub object_id: Field,
    pub doc_type: Field,
    pub state_body: Field,
    pub page: Field,
    pub sheet: Field,
    pub text: Field,
    pub text_kk: Field,
    pub text_exact: Field,
    pub head_ru: Field,
    pub head_kk: Field,
    pub record: Field,
}

impl Fields {
    /// A stored page document, decoded: the one place that knows which stored field holds what.
    /// A field a document lacks reads as empty (the page number as 1).
    pub(crate) fn stored_page(self, doc: &TantivyDocument) -> StoredPage {
        let text_of = |field| doc.get_first(field).and_then(|v| v.as_str());
        let owned = |field| text_of(field).unwrap_or_default().to_string();
        StoredPage {
            file: owned(self.file),
            object_id: owned(self.object_id),
            state_body: owned(self.state_body),
            doc_type: owned(self.doc_type),
            page: doc.get_first(self.page).and_then(|v| v.as_u64()).unwrap_or(1),
            sheet: text_of(self.sheet).map(str::to_string),
            text: owned(self.text),
        }
    }
}

/// What the index stores of one page.
pub(crate) struct StoredPage {
    pub file: String,
    pub object_id: String,
    pub state_body: String,
    pub doc_type: String,
    pub page: u64,
    pub sheet: Option<String>,
    pub text: String,
}

impl StoredPage {
    /// As a `Page` (how it was read is not stored: `ocr` reads false).
    fn into_page(self) -> Page {
        Page {
            number: self.page as u32,
            name: self.sheet,
            text: self.text,
            ocr: false,
            doubtful_words: Vec::new(),
        }
    }
}

pub struct DocIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let analysed = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    // The page text is stored once (in `text`) and indexed three ways.
    let fields = Fields {
        record_kind: builder.add_text_field("record_kind", STRING),
        file: builder.add_text_field("file", STRING | STORED | FAST),
        file_key: builder.add_u64_field(FILE_KEY, FAST),
        object_id: builder.add_text_field("object_id", STRING | STORED | FAST),
        doc_type: builder.add_text_field("doc_type", STRING | STORED | FAST),
        state_body: builder.add_text_field("state_body", STRING | STORED | FAST),
        page: builder.add_u64_field("page", INDEXED | STORED),
        sheet: builder.add_text_field("sheet", STORED),
        text: builder.add_text_field("text", analysed(RUSSIAN).set_stored()),
        text_kk: builder.add_text_field("text_kk", analysed(KAZAKH)),
        text_exact: builder.add_text_field("text_exact", analysed(EXACT)),
        head_ru: builder.add_text_field("head_ru", analysed(RUSSIAN)),
        head_kk: builder.add_text_field("head_kk", analysed(KAZAKH)),
        record: builder.add_bytes_field(RECORD, FAST),
    };
    (builder.build(), fields)
}

impl DocIndex {
    /// Opens the index in `dir`, creating it (and `dir`) when absent.
    pub fn open_or_create(dir: &Path) -> Result<DocIndex, IndexError> {
        std::fs::create_dir_all(dir).map_err(|e| IndexError::Directory {
            path: dir.display().to_string(),
            message: e.to_string(),
        })?;
        let directory = tantivy::directory::MmapDirectory::open(dir).map_err(|e| IndexError::Directory {
            path: dir.display().to_string(),
            message: e.to_string(),
        })?;
        let (schema, fields) = schema();
        let index = match Index::open_or_create(directory, schema.clone()) {
            Ok(index) => index,
            // An index of an older layout: start afresh rather than fail the night's run.
            Err(tantivy::TantivyError::SchemaError(_)) => {
                remove_index_files(dir)?;
                let directory = tantivy::directory::MmapDirectory::open(dir).map_err(|e| IndexError::Directory {
                    path: dir.display().to_string(),
                    message: e.to_string(),
                })?;
                Index::create(directory, schema, tantivy::IndexSettings::default())?
            }
            Err(e) => return Err(e.into()),
        };
        DocIndex::wrap(index, fields)
    }

    /// Opens an index for reading only (search, serve): never creates, clears or rebuilds it, so
    /// a reader cannot destroy what a nightly run wrote. An index of another layout is an error.
    pub fn open_existing(dir: &Path) -> Result<DocIndex, IndexError> {
        let directory = tantivy::directory::MmapDirectory::open(dir).map_err(|e| IndexError::Directory {
            path: dir.display().to_string(),
            message: e.to_string(),
        })?;
        let mut index = Index::open(directory)?;
        // A search reads every segment that may hold a match; spread over the cores, the
        // segments of a large index are read side by side (the 10k-file benchmark has 14). A
        // pool that cannot start leaves searches on the calling thread, as before.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        if cores > 1 {
            let _ = index.set_multithread_executor(cores);
        }
        let (expected, fields) = schema();
        let found = index.schema();
        let same_layout = expected.fields().all(|(field, entry)| {
            found
                .get_field(entry.name())
                .is_ok_and(|f| f == field && found.get_field_entry(f) == entry)
        });
        if !same_layout {
            return Err(IndexError::OldLayout(dir.display().to_string()));
        }
        DocIndex::wrap(index, fields)
    }

    /// A throw-away index in memory, for a `check` run without `--index`.
    pub fn in_memory() -> Result<DocIndex, IndexError> {
        let (schema, fields) = schema();
        DocIndex::wrap(Index::create_in_ram(schema), fields)
    }

    fn wrap(index: Index, fields: Fields) -> Result<DocIndex, IndexError> {
        analysis::register(&index);
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(DocIndex { index, reader, fields })
    }

    /// Whether the index was built under this schema version and these rules.
    pub fn is_current(&self, rules_fingerprint: &str) -> Result<bool, IndexError> {
        let searcher = self.reader.searcher();
        let query = tantivy::query::TermQuery::new(
            Term::from_field_text(self.fields.record_kind, "meta"),
            IndexRecordOption::Basic,
        );
        let hits = searcher.search(&query, &tantivy::collector::TopDocs::with_limit(1).order_by_score())?;
        let Some((_, address)) = hits.first() else {
            return Ok(false);
        };
        let meta: Option<Meta> = RecordColumns::default()
            .json(&searcher, *address)?
            .and_then(|json| serde_json::from_slice(&json).ok());
        Ok(meta
            == Some(Meta {
                schema_version: SCHEMA_VERSION,
                rules_fingerprint: rules_fingerprint.to_string(),
                analysis_fingerprint: analysis_fingerprint(),
            }))
    }

    /// Every file's record, without its pages: what ingest compares the corpus with and what
    /// check evaluates. Records are read from their own column, never from the document store,
    /// so neither the page text nor the memory that maps it grows with the corpus.
    pub fn load_records(&self) -> Result<BTreeMap<RelPath, FileRecord>, IndexError> {
        let searcher = self.reader.searcher();
        let query = search::term(self.fields.record_kind, "file");
        let mut addresses: Vec<DocAddress> = searcher
            .search(&query, &tantivy::collector::DocSetCollector)?
            .into_iter()
            .collect();
        // Segment by segment, in document order: each segment's column is opened once and read
        // front to back.
        addresses.sort_unstable();
        let mut columns = RecordColumns::default();
        let mut records = BTreeMap::new();
        for address in addresses {
            if let Some(json) = columns.json(&searcher, address)? {
                let record: FileRecord = serde_json::from_slice(&json)?;
                records.insert(record.file.clone(), record);
            }
        }
        Ok(records)
    }

    /// One file's record, when the index has it.
    pub fn file_record(&self, file: &str) -> Result<Option<FileRecord>, IndexError> {
        let searcher = self.reader.searcher();
        let query = tantivy::query::BooleanQuery::new(vec![
            (tantivy::query::Occur::Must, search::term(self.fields.file, file)),
            (
                tantivy::query::Occur::Must,
                search::term(self.fields.record_kind, "file"),
            ),
        ]);
        let found = searcher.search(&query, &tantivy::collector::TopDocs::with_limit(1).order_by_score())?;
        let Some((_, address)) = found.first() else {
            return Ok(None);
        };
        match RecordColumns::default().json(&searcher, *address)? {
            Some(json) => Ok(Some(serde_json::from_slice(&json)?)),
            None => Ok(None),
        }
    }

    /// The pages of one file, in order (empty when the index has no text of it).
    pub fn file_pages(&self, file: &str) -> Result<Vec<Page>, IndexError> {
        let searcher = self.reader.searcher();
        let query = tantivy::query::BooleanQuery::new(vec![
            (tantivy::query::Occur::Must, search::term(self.fields.file, file)),
            (
                tantivy::query::Occur::Must,
                search::term(self.fields.record_kind, "page"),
            ),
        ]);
        let found = searcher.search(&query, &tantivy::collector::DocSetCollector)?;
        let mut pages = Vec::with_capacity(found.len());
        for address in found {
            let doc: TantivyDocument = searcher.doc(address)?;
            pages.push(self.fields.stored_page(&doc).into_page());
        }
        pages.sort_by_key(|p| p.number);
        Ok(pages)
    }

    /// Documents deleted (replaced or removed files) but not yet merged away.
    pub fn deleted_document_count(&self) -> u64 {
        let searcher = self.reader.searcher();
        searcher
            .segment_readers()
            .iter()
            .map(|s| u64::from(s.num_deleted_docs()))
            .sum()
    }

    pub fn writer(&self) -> Result<Writer, IndexError> {
        let writer: IndexWriter<Queued> = self.index.writer(WRITER_HEAP_BYTES)?;
        writer.set_merge_policy(Box::new(merge::BoundedMerges));
        Ok(Writer {
            writer,
            queue: Arc::new(Gate::default()),
            fields: self.fields,
            cleared: false,
        })
    }

    pub fn reload(&self) -> Result<(), IndexError> {
        Ok(self.reader.reload()?)
    }

    pub(crate) fn searcher_parts(&self) -> (&Index, tantivy::Searcher, Fields) {
        (&self.index, self.reader.searcher(), self.fields)
    }
}

/// The `record` column of each segment, opened when first needed.
#[derive(Default)]
struct RecordColumns {
    opened: BTreeMap<u32, Option<tantivy::columnar::BytesColumn>>,
}

impl RecordColumns {
    /// The JSON of the record or meta document at `address`; `None` for a document without one.
    fn json(&mut self, searcher: &Searcher, address: DocAddress) -> Result<Option<Vec<u8>>, IndexError> {
        let column = match self.opened.entry(address.segment_ord) {
            std::collections::btree_map::Entry::Occupied(entry) => entry.into_mut(),
            std::collections::btree_map::Entry::Vacant(entry) => entry.insert(
                searcher
                    .segment_reader(address.segment_ord)
                    .fast_fields()
                    .bytes(RECORD)?,
            ),
        };
        let Some(column) = column else {
            return Ok(None);
        };
        let Some(ord) = column.term_ords(address.doc_id).next() else {
            return Ok(None);
        };
        let mut json = Vec::new();
        Ok(column.ord_to_bytes(ord, &mut json)?.then_some(json))
    }
}

/// What `file_key` holds for a file: its name's FNV-1a hash.
pub(crate) fn file_key(file: &str) -> u64 {
    crate::fnv::fnv1a(file.as_bytes())
}

fn remove_index_files(dir: &Path) -> Result<(), IndexError> {
    let entries = std::fs::read_dir(dir).map_err(|e| IndexError::Directory {
        path: dir.display().to_string(),
        message: e.to_string(),
    })?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_file() {
            std::fs::remove_file(&path).map_err(|e| IndexError::Directory {
                path: path.display().to_string(),
                message: e.to_string(),
            })?;
        }
    }
    Ok(())
}

/// The single writer of a run. Adding is `&self`, so rayon workers can add in parallel.
pub struct Writer {
    writer: IndexWriter<Queued>,
    queue: Arc<Gate>,
    fields: Fields,
    /// Everything was deleted in this run, so a file put holds nothing to replace. Tantivy keeps
    /// every delete until the commit (with a scoring weight each, about 1 KB), so a cold run of
    /// 10 000 files would otherwise hold 10 MB of deletes that match nothing.
    cleared: bool,
}

impl Writer {
    /// Forgets everything (used when the schema or the rules changed).
    pub fn clear(&mut self) -> Result<(), IndexError> {
        self.writer.delete_all_documents()?;
        self.cleared = true;
        Ok(())
    }

    pub fn remove_file(&self, file: &str) {
        self.writer.delete_term(Term::from_field_text(self.fields.file, file));
    }

    /// Replaces whatever the index held for `record.file`.
    pub fn put_file(&self, record: &FileRecord, pages: &[Page]) -> Result<(), IndexError> {
        let f = self.fields;
        if !self.cleared {
            self.remove_file(&record.file);
        }
        let json = serde_json::to_string(record)?;
        let state_body = record.state_body.as_deref().unwrap_or_default();
        let file_key = file_key(&record.file);
        self.add(doc!(
            f.record_kind => "file",
            f.file => record.file.as_str(),
            f.object_id => record.object_id.as_str(),
            f.doc_type => record.classification.doc_type.as_str(),
            f.state_body => state_body,
            f.record => json.into_bytes(),
        ))?;
        for (position, page) in pages.iter().enumerate() {
            let part = record.document_of_page(page.number);
            let mut document = doc!(
                f.record_kind => "page",
                f.file => record.file.as_str(),
                f.file_key => file_key,
                f.object_id => record.object_id.as_str(),
                f.doc_type => part.map_or(record.classification.doc_type.as_str(), |p| p.classification.doc_type.as_str()),
                f.state_body => state_body,
                f.page => page.number as u64,
            );
            // Analysed by the indexing threads, through the analyzers queries use (see `analysis`).
            document.add_text(f.text, &page.text);
            document.add_text(f.text_kk, &page.text);
            document.add_text(f.text_exact, &page.text);
            if let Some(name) = &page.name {
                document.add_text(f.sheet, name);
            }
            // A document's head is where its title is, in a bundle as in a file of its own.
            if position == 0 || part.is_some_and(|p| p.pages.first == page.number) {
                let head: String = page.text.chars().take(HEAD_CHARS).collect();
                document.add_text(f.head_ru, &head);
                document.add_text(f.head_kk, &head);
            }
            self.add(document)?;
        }
        Ok(())
    }

    /// Queues a document for the indexing threads, waiting while too many are queued.
    fn add(&self, document: TantivyDocument) -> Result<(), IndexError> {
        let ticket = Some(self.queue.enter());
        self.writer.add_document(Queued {
            document,
            _ticket: ticket,
        })?;
        Ok(())
    }

    /// Records the schema version and rules, and commits everything atomically.
    pub fn commit(mut self, rules_fingerprint: &str) -> Result<(), IndexError> {
        let f = self.fields;
        self.writer.delete_term(Term::from_field_text(f.record_kind, "meta"));
        let meta = Meta {
            schema_version: SCHEMA_VERSION,
            rules_fingerprint: rules_fingerprint.to_string(),
            analysis_fingerprint: analysis_fingerprint(),
        };
        self.writer.add_document(Queued {
            document: doc!(f.record_kind => "meta", f.record => serde_json::to_vec(&meta)?),
            _ticket: None,
        })?;
        self.writer.commit()?;
        self.writer.wait_merging_threads()?;
        Ok(())
    }
}
