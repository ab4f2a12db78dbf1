//! Extraction: bytes of one file -> its text, page by page (sheet by sheet), and how it was obtained.
//!
//! The format is decided from the bytes ([`sniff`]), never from the file name. Every call to
//! [`extract_file`] returns an [`Extracted`] with a [`FileStatus`]; extraction never panics on input
//! and never returns "no text" silently: a file without text says why.

mod archive;
mod doc;
mod error;
mod hyphen;
mod image;
pub mod isolate;
mod ocr;
mod office;
mod pdf;
pub mod quality;
mod rtf;
mod sheet;
pub mod signature;
mod sniff;
mod text;
mod xml;
mod zipped;

pub use archive::MemberError;
pub use isolate::Isolation;
pub use ocr::{OcrError, OcrSettings, Recognised, library_engine, ocr_image, tesseract_available};
pub use signature::Signature;
pub use sniff::{Format, sniff};

use std::cell::{Cell, RefCell};
use std::fs::File;
use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use error::ExtractError;

use serde::{Deserialize, Serialize};

/// What happened to a file. Every file found under the corpus ends a run with exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    /// Text was read from the file's own text layer or markup.
    Ok,
    /// At least one page was read by OCR.
    Ocr,
    /// The file is readable but holds no text we could get (e.g. a scan without Tesseract).
    NoText,
    /// Password-protected and the empty password does not open it.
    Encrypted,
    /// The bytes do not parse as the format they claim.
    Corrupt,
    /// A format we do not read (images, archives, binaries).
    Unsupported,
    /// Over the configured size limit; not opened.
    TooLarge,
    /// Anything else: I/O errors, a parser that gave up.
    Failed,
}

impl FileStatus {
    /// Every status, in the order reports list them.
    pub const ALL: [FileStatus; 8] = [
        FileStatus::Ok,
        FileStatus::Ocr,
        FileStatus::NoText,
        FileStatus::Encrypted,
        FileStatus::Corrupt,
        FileStatus::Unsupported,
        FileStatus::TooLarge,
        FileStatus::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FileStatus::Ok => "ok",
            FileStatus::Ocr => "ocr",
            FileStatus::NoText => "no_text",
            FileStatus::Encrypted => "encrypted",
            FileStatus::Corrupt => "corrupt",
            FileStatus::Unsupported => "unsupported",
            FileStatus::TooLarge => "too_large",
            FileStatus::Failed => "failed",
        }
    }

    /// Whether the file yielded text that recognition can work on.
    pub fn has_text(self) -> bool {
        matches!(self, FileStatus::Ok | FileStatus::Ocr)
    }
}

/// One page of a PDF or word-processor document, or one sheet of a spreadsheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page {
    /// 1-based page (or sheet) number.
    pub number: u32,
    /// Sheet name for spreadsheets.
    pub name: Option<String>,
    pub text: String,
    /// True when the text came from OCR.
    pub ocr: bool,
    /// Words of `text` OCR read without being sure of them ([`ocr::Recognised`]): a name with
    /// one of these in it may be a misreading.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub doubtful_words: Vec<String>,
}

/// How a page's text was obtained: what `portalcheck extract` shows an analyst asking "why did it
/// not see my act?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadMethod {
    /// The PDF's own text layer, walked with its positioning.
    TextLayer,
    /// The PDF's text layer as Poppler's `pdftotext` reads it: our walker's reading of the page
    /// failed the quality gate, Poppler's passed.
    TextLayerPoppler,
    /// Tesseract, on the page image (or on the page rendered when its text layer was garbage).
    Ocr,
    /// Word-processor or XML markup.
    Markup,
    /// Spreadsheet cells.
    Cells,
    /// A plain-text file.
    PlainText,
}

/// One page as `portalcheck extract --json` reports it.
#[derive(Debug, Clone, Serialize)]
pub struct PageView<'a> {
    pub page: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    pub method: ReadMethod,
    pub quality: quality::Quality,
    pub text: &'a str,
    /// The words OCR was not sure of, as it read them.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub doubtful_words: &'a [String],
}

/// The result of reading one file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Extracted {
    pub format: Format,
    pub status: FileStatus,
    /// Why the status is not `ok`, or notes worth showing (e.g. "page 3 read by OCR").
    pub reason: Option<String>,
    pub pages: Vec<Page>,
    /// Electronic signatures the file is or holds (a CMS file: one; a PDF: its signature fields).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signatures: Vec<Signature>,
    /// For an archive: every file inside it, archives inside it flattened (`inner.zip!/x.pdf`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<Member>,
    /// Read, but part of the content could not be (a damaged page, a sheet, a scan OCR could
    /// not read, a truncated file): the text may lack part of the document. `reason` says which.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub incomplete: bool,
}

/// A file inside an archive, read as a file of its own.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Member {
    /// The path inside the archive, `/`-separated; a nested archive's members follow it as
    /// `inner.zip!/x.pdf`. The corpus knows the member as `archive.zip!/<path>`.
    pub path: String,
    pub extracted: Extracted,
}

/// Between an archive and the path of a file inside it, as in `docs.zip!/folder/akt.pdf`.
pub const MEMBER_SEPARATOR: &str = "!/";

impl Extracted {
    pub fn failed(format: Format, status: FileStatus, reason: impl Into<String>) -> Self {
        Extracted {
            format,
            status,
            reason: Some(reason.into()),
            pages: Vec::new(),
            signatures: Vec::new(),
            members: Vec::new(),
            incomplete: false,
        }
    }

    /// How `page` (one of `self.pages`) was read.
    pub fn method(&self, page: &Page) -> ReadMethod {
        self.method_given(page, &self.poppler_pages())
    }

    /// The PDF pages read by `pdftotext` (see [`ReadMethod::TextLayerPoppler`]).
    fn poppler_pages(&self) -> Vec<u32> {
        match self.format {
            Format::Pdf => pdf::poppler_pages(self.reason.as_deref()),
            _ => Vec::new(),
        }
    }

    fn method_given(&self, page: &Page, poppler_pages: &[u32]) -> ReadMethod {
        match self.format {
            _ if page.ocr => ReadMethod::Ocr,
            // An image has no text but what Tesseract reads, or none.
            Format::Image => ReadMethod::Ocr,
            Format::Pdf if poppler_pages.contains(&page.number) => ReadMethod::TextLayerPoppler,
            Format::Pdf => ReadMethod::TextLayer,
            Format::Xlsx | Format::Xls | Format::Ods => ReadMethod::Cells,
            Format::Text => ReadMethod::PlainText,
            _ => ReadMethod::Markup,
        }
    }

    /// Every page with how it was read and its text quality.
    pub fn page_views(&self) -> Vec<PageView<'_>> {
        let poppler_pages = self.poppler_pages();
        self.pages
            .iter()
            .map(|page| PageView {
                page: page.number,
                name: page.name.as_deref(),
                method: self.method_given(page, &poppler_pages),
                quality: quality::assess(&page.text),
                text: &page.text,
                doubtful_words: &page.doubtful_words,
            })
            .collect()
    }

    /// All pages' text joined, for tests and tools that want a file's text as one string.
    /// Recognition, the index and reports go page by page, since a page number is evidence.
    pub fn full_text(&self) -> String {
        let mut out = String::new();
        for page in &self.pages {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&page.text);
        }
        out
    }
}

/// Limits and external tools for extraction.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Files larger than this are not opened (`too_large`).
    pub max_file_bytes: u64,
    /// Wall-clock (and CPU) seconds one file may take; enforced by [`Isolation::Worker`] only.
    pub max_seconds: u64,
    /// Address space one file's extraction may use; enforced by [`Isolation::Worker`] only.
    pub max_memory_mib: u64,
    pub isolation: Isolation,
    pub ocr: OcrSettings,
}

impl Default for Limits {
    fn default() -> Self {
        Limits::with_ocr(OcrSettings::default())
    }
}

impl Limits {
    /// Limits with OCR switched off, whatever is installed: for tests and `--no-ocr` runs.
    /// Built without [`OcrSettings::default`], whose detection runs `tesseract --list-langs`
    /// (tens of milliseconds, more than reading a small PDF takes).
    pub fn without_ocr() -> Self {
        Limits::with_ocr(OcrSettings::disabled())
    }

    fn with_ocr(ocr: OcrSettings) -> Self {
        Limits {
            max_file_bytes: 200 * 1024 * 1024,
            // A long scan read page by page through Tesseract fits; a parser in a loop does not.
            max_seconds: 600,
            // A 200 MiB PDF parses in well under this; a bomb inflating without end does not.
            max_memory_mib: 2048,
            isolation: Isolation::InProcess,
            ocr,
        }
    }
}

/// What a format reader hands back on success: pages plus notes for the reason line
/// (e.g. "page 3 read by OCR", "sheet 'Итого' could not be read: ...").
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub pages: Vec<Page>,
    pub notes: Vec<String>,
    pub signatures: Vec<Signature>,
    /// Set by the reader when one of its notes tells of content it could not read.
    pub incomplete: bool,
}

impl Parsed {
    pub(crate) fn single_page(text: String) -> Self {
        Parsed {
            pages: vec![Page {
                number: 1,
                name: None,
                text,
                ocr: false,
                doubtful_words: Vec::new(),
            }],
            notes: Vec::new(),
            signatures: Vec::new(),
            incomplete: false,
        }
    }
}

/// A reader that gave up after it had read a file's signatures: the error is the file's status
/// and reason, and the signatures stay the file's facts (a scanned, signed PDF without a text
/// layer is still signed).
#[derive(Debug)]
pub(crate) struct Refusal {
    pub error: ExtractError,
    pub signatures: Vec<Signature>,
}

impl From<ExtractError> for Refusal {
    fn from(error: ExtractError) -> Self {
        Refusal {
            error,
            signatures: Vec::new(),
        }
    }
}

/// Reads one file from disk. Never panics and never reads a file over `limits.max_file_bytes`;
/// with [`Isolation::Worker`] the parsing happens in a worker process under the time and memory
/// limits.
pub fn extract_file(path: &Path, limits: &Limits) -> Extracted {
    if let Isolation::Worker(pool) = &limits.isolation {
        return pool.extract(path, limits);
    }
    match read_within_limit(path, limits.max_file_bytes) {
        Ok(bytes) if bytes.is_empty() => Extracted::failed(Format::Unknown, FileStatus::NoText, "empty file (0 bytes)"),
        Ok(bytes) => extract_bytes(&bytes, limits),
        Err(refusal) => refusal,
    }
}

/// Reads a file's bytes unless it is over the limit or unreadable; the `Err` is the final answer.
fn read_within_limit(path: &Path, max_bytes: u64) -> Result<Vec<u8>, Extracted> {
    let unreadable =
        |e: std::io::Error| Extracted::failed(Format::Unknown, FileStatus::Failed, format!("cannot read file: {e}"));
    let metadata = std::fs::metadata(path).map_err(unreadable)?;
    if !metadata.is_file() {
        return Err(Extracted::failed(
            Format::Unknown,
            FileStatus::Failed,
            "not a regular file",
        ));
    }
    if metadata.len() > max_bytes {
        return Err(too_large(metadata.len(), max_bytes));
    }
    // The file may grow between stat and read; `take` keeps the limit honest anyway.
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    File::open(path)
        .and_then(|file| file.take(max_bytes.saturating_add(1)).read_to_end(&mut bytes))
        .map_err(unreadable)?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_large(bytes.len() as u64, max_bytes));
    }
    Ok(bytes)
}

fn too_large(size: u64, max_bytes: u64) -> Extracted {
    Extracted::failed(
        Format::Unknown,
        FileStatus::TooLarge,
        format!(
            "file is {} bytes, over the max_file_bytes limit of {} bytes ({}); not opened",
            size,
            max_bytes,
            human_size(max_bytes)
        ),
    )
}

pub(crate) fn human_size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    }
}

/// Reads a file that is already in memory. The format comes from the bytes alone.
pub fn extract_bytes(bytes: &[u8], limits: &Limits) -> Extracted {
    if bytes.is_empty() {
        return Extracted::failed(Format::Unknown, FileStatus::NoText, "empty file (0 bytes)");
    }
    read_detected(bytes, &sniff::detect(bytes), limits)
}

thread_local! {
    /// Set while a parser runs under [`quietly_catch_unwind`] on this thread.
    static CATCHING: Cell<bool> = const { Cell::new(false) };
    /// Where the caught panic happened, recorded by the hook for the file's reason.
    static CAUGHT_AT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// `catch_unwind` without the default hook's message on stderr: a caught parser panic is a
/// finding on its file (message and place), not noise. Panics anywhere else still print.
fn quietly_catch_unwind<T>(parse: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if CATCHING.with(Cell::get) {
                let place = info.location().map(|l| format!("{}:{}", l.file(), l.line()));
                CAUGHT_AT.with(|at| *at.borrow_mut() = place);
            } else {
                previous(info);
            }
        }));
    });
    CAUGHT_AT.with(|at| at.borrow_mut().take());
    let was_catching = CATCHING.with(|c| c.replace(true));
    let outcome = catch_unwind(AssertUnwindSafe(parse));
    CATCHING.with(|c| c.set(was_catching));
    outcome.map_err(|payload| {
        let message = panic_message(&*payload);
        match CAUGHT_AT.with(|at| at.borrow_mut().take()) {
            Some(place) => format!("{message} (at {place})"),
            None => message,
        }
    })
}

/// The bytes of one file inside the ZIP archive at `archive`, `member` being its path after the
/// archive's [`MEMBER_SEPARATOR`] as its record names it (`folder/akt.pdf`,
/// `inner.zip!/akt.pdf`). Inflated in memory under extraction's limits, never written anywhere;
/// for showing an analyst the original, in-process (the bytes are not parsed, only inflated).
pub fn archive_member(archive: &Path, member: &str, limits: &Limits) -> Result<Vec<u8>, MemberError> {
    let bytes = read_within_limit(archive, limits.max_file_bytes)
        .map_err(|refusal| MemberError::Archive(refusal.reason.unwrap_or_default()))?;
    archive::member_bytes(&bytes, member, limits)
}

/// Reads bytes as `format` whatever they look like: for fuzzing and testing one reader at a time
/// (the pipeline always sniffs, through [`extract_bytes`]).
pub fn extract_as(bytes: &[u8], format: Format, limits: &Limits) -> Extracted {
    let detected = sniff::Detected {
        format,
        kind: format.as_str(),
        damaged: false,
    };
    read_detected(bytes, &detected, limits)
}

fn read_detected(bytes: &[u8], detected: &sniff::Detected, limits: &Limits) -> Extracted {
    let format = detected.format;
    if format == Format::Signature {
        // A signature file is `ok` without text of its own; with the document inside, it reads as
        // that document.
        return match quietly_catch_unwind(|| signature::extract(bytes, limits)) {
            Ok(Ok(extracted)) => extracted,
            Ok(Err(error)) => Extracted::failed(format, error.status(), error.to_string()),
            Err(panic) => Extracted::failed(format, FileStatus::Failed, format!("parser panicked: {panic}")),
        };
    }
    if format == Format::Archive && !detected.damaged && archive::is_zip(bytes) {
        return archive::extract_zip(bytes, limits);
    }
    // A parser bug on hostile input must cost one file, not the whole run.
    match quietly_catch_unwind(|| read_format(bytes, detected, limits)) {
        Ok(Ok(parsed)) => finish(format, parsed),
        Ok(Err(Refusal { error, signatures })) => Extracted {
            signatures,
            ..Extracted::failed(format, error.status(), error.to_string())
        },
        Err(panic) => Extracted::failed(format, FileStatus::Failed, format!("parser panicked: {panic}")),
    }
}

fn read_format(bytes: &[u8], detected: &sniff::Detected, limits: &Limits) -> Result<Parsed, Refusal> {
    let parsed = match detected.format {
        Format::Pdf => return pdf::extract(bytes, limits),
        Format::Docx => office::extract_docx(bytes),
        Format::Doc => doc::extract(bytes),
        Format::Rtf => rtf::extract(bytes),
        Format::Odt => office::extract_odt(bytes),
        Format::Xlsx | Format::Xls | Format::Ods => sheet::extract(bytes, detected.format),
        Format::Xml => text::extract_xml(bytes),
        Format::Text => text::extract_plain(bytes),
        Format::Archive if detected.damaged => Err(ExtractError::Corrupt(detected.refusal_reason())),
        Format::Image => image::extract(bytes, detected.kind, limits),
        Format::Signature => Err(ExtractError::Unsupported(detected.refusal_reason())),
        Format::Archive | Format::Unknown => Err(ExtractError::Unsupported(detected.refusal_reason())),
    };
    Ok(parsed?)
}

/// Decides the status of a successful read: text, OCR text, or nothing at all.
fn finish(format: Format, mut parsed: Parsed) -> Extracted {
    // A soft hyphen is invisible by definition; left in, it splits the word it sits in.
    for page in &mut parsed.pages {
        page.text.retain(|c| c != '\u{ad}');
    }
    let has_text = parsed.pages.iter().any(|page| !page.text.trim().is_empty());
    let notes = (!parsed.notes.is_empty()).then(|| parsed.notes.join("; "));
    if !has_text {
        const NO_TEXT: &str = "the file holds no text (only whitespace or empty pages)";
        let reason = match notes {
            Some(notes) => format!("{NO_TEXT}; {notes}"),
            None => NO_TEXT.to_string(),
        };
        return Extracted {
            format,
            status: FileStatus::NoText,
            reason: Some(reason),
            pages: parsed.pages,
            signatures: parsed.signatures,
            members: Vec::new(),
            incomplete: parsed.incomplete,
        };
    }
    let status = if parsed.pages.iter().any(|page| page.ocr) {
        FileStatus::Ocr
    } else {
        FileStatus::Ok
    };
    Extracted {
        format,
        status,
        reason: notes,
        pages: parsed.pages,
        signatures: parsed.signatures,
        members: Vec::new(),
        incomplete: parsed.incomplete,
    }
}

pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&str>() {
        (*message).to_string()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "unknown panic".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_path(name: &str) -> std::path::PathBuf {
        std::env::temp_dir().join(format!("portalcheck-extract-test-{}-{name}", std::process::id()))
    }

    #[test]
    fn empty_file_is_no_text() {
        let path = temp_path("empty.txt");
        std::fs::write(&path, b"").unwrap();
        let got = extract_file(&path, &Limits::without_ocr());
        std::fs::remove_file(&path).unwrap();
        assert_eq!(got.status, FileStatus::NoText);
        assert_eq!(got.reason.as_deref(), Some("empty file (0 bytes)"));
    }

    #[test]
    fn file_over_limit_is_too_large_and_names_the_limit() {
        let path = temp_path("big.txt");
        std::fs::write(&path, vec![b'a'; 2048]).unwrap();
        let limits = Limits {
            max_file_bytes: 1024,
            ..Limits::without_ocr()
        };
        let got = extract_file(&path, &limits);
        std::fs::remove_file(&path).unwrap();
        assert_eq!(got.status, FileStatus::TooLarge);
        let reason = got.reason.unwrap();
        assert!(reason.contains("max_file_bytes") && reason.contains("1024"), "{reason}");
    }

    #[test]
    fn missing_file_is_failed_with_io_error() {
        let got = extract_file(Path::new("/nonexistent/portalcheck/x.pdf"), &Limits::without_ocr());
        assert_eq!(got.status, FileStatus::Failed);
        assert!(got.reason.unwrap().starts_with("cannot read file:"));
    }

    #[test]
    fn text_file_round_trip_through_extract_file() {
        let path = temp_path("note.txt");
        std::fs::write(&path, "Акт ввода в промышленную эксплуатацию\nөнеркәсіптік").unwrap();
        let got = extract_file(&path, &Limits::without_ocr());
        std::fs::remove_file(&path).unwrap();
        assert_eq!(got.status, FileStatus::Ok);
        assert_eq!(got.format, Format::Text);
        assert!(got.full_text().contains("өнеркәсіптік"));
    }

    #[test]
    fn a_png_cut_inside_its_header_is_corrupt_and_named() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        let got = extract_bytes(png, &Limits::without_ocr());
        assert_eq!(got.format, Format::Image);
        assert_eq!(got.status, FileStatus::Corrupt);
        let reason = got.reason.unwrap();
        assert!(reason.starts_with("PNG image: it cannot be decoded"), "{reason}");
    }

    #[test]
    fn whitespace_only_text_is_no_text() {
        let got = extract_bytes(b"  \n\t \n", &Limits::without_ocr());
        assert_eq!(got.status, FileStatus::NoText);
    }

    #[test]
    fn a_caught_parser_panic_is_a_reason_with_its_place() {
        let caught = quietly_catch_unwind(|| -> u32 { panic!("index {} out of range", 7) }).unwrap_err();
        assert!(
            caught.starts_with("index 7 out of range (at src/extract/mod.rs:"),
            "{caught}"
        );
        assert_eq!(quietly_catch_unwind(|| 5), Ok(5));
        assert!(!CATCHING.with(Cell::get), "panics outside extraction print again");
    }

    #[test]
    fn panic_payloads_become_messages() {
        let payload = catch_unwind(|| panic!("boom {}", 1)).unwrap_err();
        assert_eq!(panic_message(&*payload), "boom 1");
    }
}
