//! What is known of one file after ingest: its status, type, facts, documents and signatures.
//!
//! The index stores one record per file and `check` evaluates from records alone, never from
//! page text; a record is data, so it sits below both the index that keeps it and the evaluation
//! that reads it.

use serde::{Deserialize, Serialize};

use crate::corpus::{Fingerprint, RelPath};
use crate::extract::{FileStatus, Format, Signature};
use crate::recognize::{Classification, DocFacts, DocumentPart};

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
    /// Read, but part of its content could not be: its text may lack part of the document
    /// (see [`crate::extract::Extracted::incomplete`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub incomplete: bool,
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
    /// The card's owner, for facets; absent without a readable card.
    #[serde(default)]
    pub state_body: Option<String>,
    /// What the file states, read at ingest against its submission's card (a changed card makes
    /// ingest read the submission's files again). `None` when there is no card, no text, or the
    /// file is the card itself.
    #[serde(default)]
    pub facts: Option<DocFacts>,
    /// The documents of a file that holds several one after another (a merged PDF of the act,
    /// the protocol and the terms of reference), each with its pages, type and facts; empty for a
    /// file that is one document. `classification` and `facts` above are then the whole file's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<DocumentPart>,
    /// The electronic signatures the file is or holds; `check` fills in which file each signs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signatures: Vec<Signature>,
    /// For a file inside an archive (`file` is then `docs.zip!/folder/akt.pdf`): the corpus file
    /// that holds it. Members are read, kept and removed with that file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive: Option<RelPath>,
}

impl FileRecord {
    /// The document of a bundled file that holds `page`; `None` for a file that is one document.
    pub fn document_of_page(&self, page: u32) -> Option<&DocumentPart> {
        self.documents
            .iter()
            .find(|part| (part.pages.first..=part.pages.last).contains(&page))
    }
}
