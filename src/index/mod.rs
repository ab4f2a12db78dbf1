//! The index: one Tantivy index that is both the search engine and the store `check` reads.
//!
//! Each file has one *file record* (its extraction outcome and type, as JSON) and one *page*
//! document per page or sheet (its text, analysed for search). A *meta* document records the
//! schema version and the fingerprint of the rules the index was built under; when either
//! differs, the index is emptied and rebuilt, since stored types would otherwise be stale.
//!
//! There is exactly one writer (Tantivy enforces it with a lock file), and all changes of a run
//! land in one commit: a run killed half-way leaves the previous commit intact.

mod search;

pub use search::{Hit, SearchOptions, search};

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use tantivy::schema::{
    Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::tokenizer::{Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term, doc};

use crate::corpus::{Fingerprint, RelPath};
use crate::extract::{FileStatus, Format, Page};
use crate::recognize::Classification;

/// Bump when the index layout or the meaning of stored records changes.
pub const SCHEMA_VERSION: u64 = 1;
const RUSSIAN: &str = "ru_stem";
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
    #[error("search query is not valid: {0}")]
    Query(#[from] tantivy::query::QueryParserError),
}

/// What the index knows of one file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileRecord {
    pub file: RelPath,
    pub submission: RelPath,
    pub object_id: String,
    pub fingerprint: Fingerprint,
    pub format: Format,
    pub status: FileStatus,
    pub reason: Option<String>,
    pub classification: Classification,
    pub page_count: u32,
    /// Read while OCR was unavailable (or switched off): a scan in it is worth reading again
    /// once Tesseract is there, even though the file itself did not change.
    #[serde(default)]
    pub read_without_ocr: bool,
    /// SHA-256 of the bytes extracted, so a file whose modification time changed but whose
    /// content did not is not read again. Absent in records written before it existed.
    #[serde(default)]
    pub content_hash: Option<String>,
}

/// A file with its pages, as read back from the index.
#[derive(Debug, Clone)]
pub struct StoredFile {
    pub record: FileRecord,
    pub pages: Vec<Page>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Meta {
    schema_version: u64,
    rules_fingerprint: String,
}

#[derive(Clone, Copy)]
struct Fields {
    record_kind: Field,
    file: Field,
    object_id: Field,
    doc_type: Field,
    page: Field,
    sheet: Field,
    text: Field,
    record: Field,
}

pub struct DocIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text_options = TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(RUSSIAN)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        record_kind: builder.add_text_field("record_kind", STRING),
        file: builder.add_text_field("file", STRING | STORED),
        object_id: builder.add_text_field("object_id", STRING | STORED),
        doc_type: builder.add_text_field("doc_type", STRING | STORED),
        page: builder.add_u64_field("page", INDEXED | STORED),
        sheet: builder.add_text_field("sheet", STORED),
        text: builder.add_text_field("text", text_options),
        record: builder.add_text_field("record", STORED),
    };
    (builder.build(), fields)
}

fn register_tokenizers(index: &Index) {
    // Registered on every open: Tantivy does not persist analyzers, and a missing one would make
    // every query on the field silently match nothing.
    let russian = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(60))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::Russian))
        .build();
    index.tokenizers().register(RUSSIAN, russian);
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

    /// A throw-away index in memory, for a `check` run without `--index`.
    pub fn in_memory() -> Result<DocIndex, IndexError> {
        let (schema, fields) = schema();
        DocIndex::wrap(Index::create_in_ram(schema), fields)
    }

    fn wrap(index: Index, fields: Fields) -> Result<DocIndex, IndexError> {
        register_tokenizers(&index);
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
        let doc: TantivyDocument = searcher.doc(*address)?;
        let meta: Option<Meta> = doc
            .get_first(self.fields.record)
            .and_then(|v| v.as_str())
            .and_then(|json| serde_json::from_str(json).ok());
        Ok(meta
            == Some(Meta {
                schema_version: SCHEMA_VERSION,
                rules_fingerprint: rules_fingerprint.to_string(),
            }))
    }

    /// Every file record with its pages, keyed by path.
    pub fn load_all(&self) -> Result<BTreeMap<RelPath, StoredFile>, IndexError> {
        let searcher = self.reader.searcher();
        let mut records: BTreeMap<RelPath, StoredFile> = BTreeMap::new();
        let mut pages: BTreeMap<RelPath, Vec<Page>> = BTreeMap::new();
        for segment in searcher.segment_readers() {
            let store = segment.get_store_reader(64)?;
            for doc_id in segment.doc_ids_alive() {
                let doc: TantivyDocument = store.get(doc_id)?;
                let file = doc
                    .get_first(self.fields.file)
                    .and_then(|v| v.as_str())
                    .map(str::to_string);
                let Some(file) = file else { continue };
                if let Some(json) = doc.get_first(self.fields.record).and_then(|v| v.as_str()) {
                    let record: FileRecord = serde_json::from_str(json)?;
                    records.insert(
                        file,
                        StoredFile {
                            record,
                            pages: Vec::new(),
                        },
                    );
                } else {
                    pages.entry(file).or_default().push(Page {
                        number: doc.get_first(self.fields.page).and_then(|v| v.as_u64()).unwrap_or(1) as u32,
                        name: doc
                            .get_first(self.fields.sheet)
                            .and_then(|v| v.as_str())
                            .map(str::to_string),
                        text: doc
                            .get_first(self.fields.text)
                            .and_then(|v| v.as_str())
                            .unwrap_or_default()
                            .to_string(),
                        ocr: false,
                    });
                }
            }
        }
        for (file, mut file_pages) in pages {
            if let Some(stored) = records.get_mut(&file) {
                file_pages.sort_by_key(|p| p.number);
                stored.pages = file_pages;
            }
        }
        Ok(records)
    }

    pub fn writer(&self) -> Result<Writer, IndexError> {
        let writer: IndexWriter = self.index.writer(WRITER_HEAP_BYTES)?;
        Ok(Writer {
            writer,
            fields: self.fields,
        })
    }

    pub fn reload(&self) -> Result<(), IndexError> {
        Ok(self.reader.reload()?)
    }

    pub(crate) fn searcher_parts(&self) -> (&Index, tantivy::Searcher, SearchFields) {
        let f = self.fields;
        (
            &self.index,
            self.reader.searcher(),
            SearchFields {
                record_kind: f.record_kind,
                file: f.file,
                object_id: f.object_id,
                doc_type: f.doc_type,
                page: f.page,
                sheet: f.sheet,
                text: f.text,
            },
        )
    }
}

/// The fields search needs.
#[derive(Clone, Copy)]
pub(crate) struct SearchFields {
    pub record_kind: Field,
    pub file: Field,
    pub object_id: Field,
    pub doc_type: Field,
    pub page: Field,
    pub sheet: Field,
    pub text: Field,
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
    writer: IndexWriter,
    fields: Fields,
}

impl Writer {
    /// Forgets everything (used when the schema or the rules changed).
    pub fn clear(&mut self) -> Result<(), IndexError> {
        self.writer.delete_all_documents()?;
        Ok(())
    }

    pub fn remove_file(&self, file: &str) {
        self.writer.delete_term(Term::from_field_text(self.fields.file, file));
    }

    /// Replaces whatever the index held for `record.file`.
    pub fn put_file(&self, record: &FileRecord, pages: &[Page]) -> Result<(), IndexError> {
        let f = self.fields;
        self.remove_file(&record.file);
        let json = serde_json::to_string(record)?;
        self.writer.add_document(doc!(
            f.record_kind => "file",
            f.file => record.file.as_str(),
            f.object_id => record.object_id.as_str(),
            f.doc_type => record.classification.doc_type.as_str(),
            f.record => json,
        ))?;
        for page in pages {
            let mut document = doc!(
                f.record_kind => "page",
                f.file => record.file.as_str(),
                f.object_id => record.object_id.as_str(),
                f.doc_type => record.classification.doc_type.as_str(),
                f.page => page.number as u64,
                f.text => page.text.as_str(),
            );
            if let Some(name) = &page.name {
                document.add_text(f.sheet, name);
            }
            self.writer.add_document(document)?;
        }
        Ok(())
    }

    /// Records the schema version and rules, and commits everything atomically.
    pub fn commit(mut self, rules_fingerprint: &str) -> Result<(), IndexError> {
        let f = self.fields;
        self.writer.delete_term(Term::from_field_text(f.record_kind, "meta"));
        let meta = Meta {
            schema_version: SCHEMA_VERSION,
            rules_fingerprint: rules_fingerprint.to_string(),
        };
        self.writer
            .add_document(doc!(f.record_kind => "meta", f.record => serde_json::to_string(&meta)?))?;
        self.writer.commit()?;
        self.writer.wait_merging_threads()?;
        Ok(())
    }
}
