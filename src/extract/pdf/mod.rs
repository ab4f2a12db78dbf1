//! PDF: text page by page from the content streams (see [`walker`]), OCR for scanned pages.

mod annotations;
mod bidi;
mod cmap;
mod content;
mod encodings;
mod font_program;
mod fonts;
mod glyphs;
mod images;
mod standard_fonts;
#[cfg(test)]
mod test_pdf;
mod walker;

use std::collections::BTreeMap;
use std::path::PathBuf;

use lopdf::{Document, Object, ObjectId};

use super::error::ExtractError;
use super::hyphen::join_hyphenated_lines;
use super::ocr::{self, OcrError, OcrSettings, Recognised};
use super::{Limits, Page, Parsed, Refusal, quality};

/// Bound on a page's content for lopdf's fallback extractor.
const MAX_FALLBACK_CONTENT_BYTES: usize = 64 * 1024 * 1024;
/// A page with fewer letters and digits than this, and an image, is taken for a scan: a stamp
/// or a "scanned by" line is not a text layer.
const MIN_TEXT_LAYER_CHARS: usize = 16;
/// Share of letters, digits and [`TABLE_PUNCTUATION`] among the visible characters of a table
/// of figures or an index; symbol garbage (`!#&*<>?@^{|}~`, replacement characters, private-use
/// glyphs) has far fewer.
const MIN_TABLE_CHARACTER_SHARE: f32 = 0.9;
/// Words a table must have for them to be judged as language (the quality gate's word test).
const MIN_TABLE_WORDS: usize = 8;
/// What tables, indexes and their leader dots are written with besides letters and digits.
const TABLE_PUNCTUATION: &str = ".,:;$%()[]/-–—№«»\"'’“”";
/// An image smaller than this (about 450 x 450 pixels) is a logo or a stamp, not a scanned page.
const MIN_SCAN_PIXELS: i64 = 200_000;
/// Where the PDF header may start (some generators prepend junk).
const HEADER_WINDOW: usize = 1024;
/// Pages of one file that `pdftotext` reads one run each; the next page that needs it gets one
/// run for itself and every page after it (see [`Source::poppler_text`]).
const SINGLE_PAGE_POPPLER_RUNS: u32 = 2;
/// Filter names abbreviated as in inline images (PDF 32000-1, table 94), and their full names.
/// Some producers write them on streams as well; Poppler decodes them there, lopdf only knows
/// the full names and would call such a page damaged.
const ABBREVIATED_FILTERS: &[(&[u8], &[u8])] = &[
    (b"AHx", b"ASCIIHexDecode"),
    (b"A85", b"ASCII85Decode"),
    (b"LZW", b"LZWDecode"),
    (b"Fl", b"FlateDecode"),
    (b"RL", b"RunLengthDecode"),
    (b"CCF", b"CCITTFaxDecode"),
    (b"DCT", b"DCTDecode"),
];

/// What a text layer that is not language usually is, in the analyst's terms.
const GARBLED: &str = "text layer is unreadable (symbols or look-alike letters: a font without a Unicode map)";
/// What every note on pages whose text came from `pdftotext` says after their page list;
/// [`poppler_pages`] reads the page numbers back from the file's reason by it.
const POPPLER_MARK: &str = "read by Poppler (pdftotext)";
/// The note on pages whose text layer our walker read as garbage and Poppler as language.
const POPPLER_READ: &str = "read by Poppler (pdftotext): our reading of the text layer was unreadable";
/// The note on pages whose content our readers could not decode or follow at all.
const POPPLER_READ_LOST: &str = "read by Poppler (pdftotext): our reader could not follow the content";
const INSTALL_TESSERACT_HINT: &str = ocr::INSTALL_TESSERACT_HINT;

pub(crate) fn extract(bytes: &[u8], limits: &Limits) -> Result<Parsed, Refusal> {
    let doc = load(bytes)?;
    // Signature dictionaries do not depend on the pages: read first, they outlive every refusal
    // below (a scan without a text layer, a damaged page tree) as facts of the file.
    let (signatures, signature_notes) = super::signature::pdf_signatures(&doc, bytes);
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(Refusal {
            error: ExtractError::Corrupt("PDF has no readable pages (its page tree is missing or damaged)".to_string()),
            signatures,
        });
    }
    let mut report = Report::default();
    let mut parsed = Parsed {
        signatures,
        notes: signature_notes,
        ..Parsed::default()
    };
    let mut source = Source {
        doc: &doc,
        bytes,
        on_disk: None,
        last_page: pages.keys().copied().max().unwrap_or(1),
        poppler: PopplerReadings::default(),
    };
    for (&number, &page_id) in &pages {
        parsed
            .pages
            .push(read_page(&mut source, number, page_id, &limits.ocr, &mut report));
    }
    conclude(parsed, report, &limits.ocr)
}

/// The document, and its bytes for rendering a page with an outside tool (written to a temp
/// file at most once, and only when a page needs it).
struct Source<'a> {
    doc: &'a Document,
    bytes: &'a [u8],
    on_disk: Option<ocr::TempFile>,
    /// The number of the document's last page, for reading ahead with Poppler.
    last_page: u32,
    poppler: PopplerReadings,
}

/// What Poppler has been asked about this document so far.
#[derive(Debug, Default)]
struct PopplerReadings {
    /// `pdftotext` runs made for a single page.
    single_page_runs: u32,
    /// Whether the rest of the document was asked for in one run (once per document).
    read_ahead: bool,
    /// Pages that run read and no page has used yet.
    ahead: BTreeMap<u32, String>,
    /// `pdftotext` timed out: every further page would wait as long.
    gave_up: bool,
}

impl Source<'_> {
    /// The document as a file an outside tool can open.
    fn on_disk(&mut self) -> Result<PathBuf, String> {
        if let Some(file) = &self.on_disk {
            return Ok(file.path().to_path_buf());
        }
        let file = ocr::TempFile::write(self.bytes, "pdf").map_err(|e| format!("cannot write a temp copy: {e}"))?;
        let path = file.path().to_path_buf();
        self.on_disk = Some(file);
        Ok(path)
    }

    fn render_and_ocr(&mut self, number: u32, page_id: ObjectId, settings: &OcrSettings) -> Result<Recognised, String> {
        let path = self.on_disk()?;
        let longer_side = longer_page_side(self.doc, page_id);
        ocr::ocr_pdf_page(settings, &path, number, longer_side)
            .map(tidy_recognised)
            .map_err(|error| error.to_string())
    }

    /// OCR of a scanned page: its image as it is when Tesseract can read that, else the page as
    /// `pdftoppm` renders it. Poppler decodes what we pass on to Tesseract only in part (JPEG
    /// 2000, JBIG2, CCITT fax, palettes, bit depths other than 1 and 8), and the rendering is
    /// what a reader of the page sees anyway.
    fn ocr_scan(
        &mut self,
        number: u32,
        page_id: ObjectId,
        scan: &lopdf::Stream,
        settings: &OcrSettings,
    ) -> Result<Recognised, String> {
        let unreachable = match images::to_image_file(self.doc, scan) {
            Ok(file) => match ocr::ocr_image(settings, &file.bytes, file.ext) {
                Ok(recognised) => return Ok(tidy_recognised(recognised)),
                // Tesseract refusing the image (a JPEG flavour Leptonica does not read) says
                // nothing about the rendering; a timeout would only repeat on it.
                Err(error @ OcrError::Failed { .. }) => error.to_string(),
                Err(error) => return Err(error.to_string()),
            },
            Err(why) => why,
        };
        // Tesseract is there (no page is OCRed without it); what may be missing is `pdftoppm`.
        if settings.renderer.is_none() {
            return Err(format!(
                "{unreachable}; install poppler-utils (pdftoppm) to OCR the rendered page instead"
            ));
        }
        self.render_and_ocr(number, page_id, settings)
            .map_err(|error| format!("{unreachable}, and the rendered page could not be OCRed: {error}"))
    }

    /// Poppler's raw text of a page, when `pdftotext` is installed and reads it. The first
    /// [`SINGLE_PAGE_POPPLER_RUNS`] pages that need it get a run each; the next one gets a run
    /// for itself and every page after it, kept for the pages that follow, since each run parses
    /// the whole file and a document our walker garbles is usually garbled throughout.
    fn poppler_text(&mut self, number: u32, settings: &OcrSettings) -> Option<String> {
        settings.text_reader.as_ref()?;
        if let Some(text) = self.poppler.ahead.remove(&number) {
            return Some(text);
        }
        if self.poppler.gave_up {
            return None;
        }
        let path = self.on_disk().ok()?;
        let read_ahead = !self.poppler.read_ahead
            && self.poppler.single_page_runs >= SINGLE_PAGE_POPPLER_RUNS
            && number < self.last_page;
        if read_ahead {
            self.poppler.read_ahead = true;
            match ocr::pdftotext_pages(settings, &path, number, self.last_page) {
                Ok(pages) => {
                    self.poppler.ahead = (number..).zip(pages).collect();
                    return self.poppler.ahead.remove(&number);
                }
                Err(OcrError::TextReaderTimeout(_)) => {
                    self.poppler.gave_up = true;
                    return None;
                }
                // Pages Poppler counts differently from us: asked one by one, as before.
                Err(_) => {}
            }
        }
        self.poppler.single_page_runs += 1;
        match ocr::pdftotext_page(settings, &path, number) {
            Ok(text) => Some(text),
            Err(OcrError::TextReaderTimeout(_)) => {
                self.poppler.gave_up = true;
                None
            }
            Err(_) => None,
        }
    }
}

/// Poppler's page text, normalised as a text layer is (ligatures, line-end hyphens, blank
/// lines), if it reads like language (or is a table of figures whose words do) and is long
/// enough to be a text layer.
fn poppler_text_if_readable(raw: &str) -> Option<String> {
    let text = tidy(&join_hyphenated_lines(&glyphs::expand_ligatures(raw)));
    let readable = !quality::assess(&text).is_unreadable() || reads_as_table(&text);
    (readable && meaningful_chars(&text) >= MIN_TEXT_LAYER_CHARS).then_some(text)
}

/// Whether text the quality gate turns down for its share of letters is a table of figures or
/// an index whose words read as language (a tax table, a budget annex). A text layer's figures
/// are exact; Poppler or OCR would give the same figures, milliseconds or seconds later.
fn reads_as_table(text: &str) -> bool {
    let visible = text.chars().filter(|c| !c.is_whitespace()).count();
    let table_characters = text
        .chars()
        .filter(|&c| c.is_alphanumeric() || TABLE_PUNCTUATION.contains(c))
        .count();
    if visible == 0 || (table_characters as f32) < MIN_TABLE_CHARACTER_SHARE * visible as f32 {
        return false;
    }
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|word| word.chars().any(char::is_alphabetic))
        .collect();
    // Fewer words are judged by their letters alone, which look-alike garbage can pass.
    let words = quality::assess(&words.join(" "));
    words.words >= MIN_TABLE_WORDS && !words.is_unreadable()
}

/// Poppler's text of a page whose content our readers could not decode or follow: anything
/// that reads as language (or is a table whose words do) is better than nothing, however
/// short (a heading, a signature line).
fn poppler_text_if_language(raw: &str) -> Option<String> {
    let text = tidy(&join_hyphenated_lines(&glyphs::expand_ligatures(raw)));
    (!quality::assess(&text).is_unreadable() || reads_as_table(&text)).then_some(text)
}

/// The pages of a PDF whose text came from `pdftotext`, read back from the file's reason (the
/// record carries no per-page method; the notes are this module's own sentences).
pub(crate) fn poppler_pages(reason: Option<&str>) -> Vec<u32> {
    let mut pages = Vec::new();
    for note in reason.unwrap_or_default().split("; ") {
        let Some(at) = note.find(POPPLER_MARK) else {
            continue;
        };
        let list = note[..at].trim();
        let Some(list) = list.strip_prefix("pages ").or_else(|| list.strip_prefix("page ")) else {
            continue;
        };
        for item in list.split(", ") {
            let (start, end) = item.split_once('-').unwrap_or((item, item));
            if let (Ok(start), Ok(end)) = (start.trim().parse::<u32>(), end.trim().parse::<u32>()) {
                // A page list longer than a real PDF's is not ours; stop rather than spin.
                pages.extend((start..=end).take(1 << 20));
            }
        }
    }
    pages.sort_unstable();
    pages.dedup();
    pages
}

/// Loads the document, opening it with the empty password if it is encrypted.
fn load(bytes: &[u8]) -> Result<Document, ExtractError> {
    // Offsets in such files count from the header, so the junk before it is dropped.
    let header = bytes[..bytes.len().min(HEADER_WINDOW)]
        .windows(5)
        .position(|window| window == b"%PDF-")
        .unwrap_or(0);
    let mut doc = Document::load_mem(&bytes[header..]).map_err(load_error)?;
    // lopdf opens files whose user password is empty by itself; `/Encrypt` still being there
    // means the empty password did not open it. Try once more to be sure.
    if doc.is_encrypted() && doc.decrypt("").is_err() && doc.is_encrypted() {
        return Err(ExtractError::Encrypted(
            "password-protected PDF: the empty password does not open it".to_string(),
        ));
    }
    spell_out_abbreviated_filters(&mut doc);
    Ok(doc)
}

/// Gives every stream's abbreviated filter names (see [`ABBREVIATED_FILTERS`]) in full, so that
/// lopdf decodes content, fonts and images written with them. One pass over the objects, once
/// per document: cheaper than teaching every reader of a stream the short names.
fn spell_out_abbreviated_filters(doc: &mut Document) {
    let spell_out = |object: &mut Object| {
        if let Object::Name(name) = object
            && let Some((_, full)) = ABBREVIATED_FILTERS.iter().find(|(short, _)| short == name)
        {
            *name = full.to_vec();
        }
    };
    for object in doc.objects.values_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        match stream.dict.get_mut(b"Filter") {
            Ok(Object::Array(filters)) => filters.iter_mut().for_each(spell_out),
            Ok(filter) => spell_out(filter),
            Err(_) => {}
        }
    }
}

fn load_error(error: lopdf::Error) -> ExtractError {
    match error {
        lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_) => {
            ExtractError::Encrypted("password-protected PDF: the empty password does not open it".to_string())
        }
        lopdf::Error::UnsupportedSecurityHandler(handler) => ExtractError::Encrypted(format!(
            "encrypted PDF with an unsupported security handler ({})",
            String::from_utf8_lossy(&handler)
        )),
        other => ExtractError::Corrupt(format!("PDF does not parse: {other}")),
    }
}

/// What happened across pages, for the status and reason.
#[derive(Debug, Default)]
struct Report {
    /// Pages whose content streams are damaged (do not decompress).
    damaged: Vec<u32>,
    /// Pages without a text layer that show an image (scans).
    scanned: Vec<u32>,
    /// Pages whose text layer is not language (a font without a Unicode map): dropped.
    garbled: Vec<u32>,
    /// Pages whose text came from OCR.
    ocr_read: Vec<u32>,
    /// Pages the OCR engine failed on (not: found no text on).
    ocr_failed: Vec<u32>,
    /// Pages whose text came from `pdftotext` after our walker's failed the quality gate.
    poppler_read: Vec<u32>,
    /// Pages whose text came from `pdftotext` after our readers could not decode or follow
    /// their content.
    poppler_read_lost: Vec<u32>,
    /// Why our readers lost the first of those pages, to name in the note (one reason for all:
    /// a document that defeats them usually does so the same way on every page).
    first_lost: Option<String>,
    /// Per-page problems worth telling the analyst.
    notes: Vec<String>,
}

fn read_page(source: &mut Source, number: u32, page_id: ObjectId, ocr: &OcrSettings, report: &mut Report) -> Page {
    let doc = source.doc;
    let layer = page_text_layer(doc, number, page_id, report);
    let mut page = Page {
        number,
        name: None,
        text: String::new(),
        ocr: false,
        doubtful_words: Vec::new(),
    };
    let poppler_asked = layer.lost.is_some();
    if let Some(lost) = layer.lost
        && let Some(text) = settle_lost_layer(source, number, lost, ocr, report)
    {
        page.text = text;
        return page;
    }
    page.text = tidy(&join_hyphenated_lines(&layer.text));
    let readable = !quality::assess(&page.text).is_unreadable() || reads_as_table(&page.text);
    if readable && meaningful_chars(&page.text) >= MIN_TEXT_LAYER_CHARS {
        return page;
    }
    let scan = images::largest(doc, &layer.images).filter(|image| images::pixel_count(image) >= MIN_SCAN_PIXELS);
    // A page number or a stray mark is too little to judge (or worth a render); it stays.
    let garbled = !readable && meaningful_chars(&page.text) >= MIN_TEXT_LAYER_CHARS;
    if scan.is_none() && !garbled {
        return page; // an empty page, a short line, or one with a logo: nothing to OCR
    }
    // A second opinion before seconds of OCR: Poppler may read the text layer we could not.
    if !poppler_asked
        && let Some(text) = source
            .poppler_text(number, ocr)
            .as_deref()
            .and_then(poppler_text_if_readable)
    {
        page.text = text;
        report.poppler_read.push(number);
        return page;
    }
    if garbled {
        // Text that is not language (a font without a Unicode map) is worse than none: it
        // would be indexed and searched. It goes, and the page is OCRed or reported.
        report.garbled.push(number);
        page.text.clear();
    } else {
        report.scanned.push(number);
        if !readable {
            page.text.clear(); // a scanner's stray marks, not words: OCR's text replaces them
        }
    }
    if ocr.is_available() {
        ocr_page(source, &mut page, page_id, scan, ocr, report);
    }
    page
}

/// The text of a page whose layer our readers lost, when that settles the page: Poppler's, or
/// none for a damaged page. `None`: the page goes on to be judged by its images.
fn settle_lost_layer(
    source: &mut Source,
    number: u32,
    lost: LostLayer,
    ocr: &OcrSettings,
    report: &mut Report,
) -> Option<String> {
    // Poppler decodes filters and follows content our readers cannot: the page is damaged
    // only when it reads nothing either. A stream over our size limit is not asked about:
    // Poppler would inflate all of it, for up to its timeout, to read a bomb.
    let poppler_text = match lost {
        LostLayer::OverLimit(_) => None,
        _ => source.poppler_text(number, ocr),
    };
    if let Some(text) = poppler_text.as_deref().and_then(poppler_text_if_language) {
        report.poppler_read_lost.push(number);
        report.first_lost.get_or_insert_with(|| lost.note());
        return Some(text);
    }
    match lost {
        LostLayer::Damaged(_) | LostLayer::OverLimit(_) => {
            report.damaged.push(number);
            report.notes.push(lost.note());
            Some(String::new())
        }
        LostLayer::Unfollowable(_) => {
            report.notes.push(lost.note());
            None
        }
    }
}

/// OCR of a page, of its scan or else of its rendering, added to what readable text it kept.
fn ocr_page(
    source: &mut Source,
    page: &mut Page,
    page_id: ObjectId,
    scan: Option<&lopdf::Stream>,
    ocr: &OcrSettings,
    report: &mut Report,
) {
    let number = page.number;
    let recognised = match scan {
        Some(scan) => source.ocr_scan(number, page_id, scan, ocr),
        None => source.render_and_ocr(number, page_id, ocr),
    };
    match recognised {
        Ok(recognised) if meaningful_chars(&recognised.text) > meaningful_chars(&page.text) => {
            // Keep whatever readable text layer there was: it is exact where OCR is not.
            page.text = if page.text.is_empty() {
                recognised.text
            } else {
                format!("{}\n{}", page.text, recognised.text)
            };
            page.ocr = true;
            page.doubtful_words = recognised.doubtful_words;
            report.ocr_read.push(number);
        }
        Ok(_) => report.notes.push(format!("page {number}: OCR found no text")),
        Err(why) => {
            report.ocr_failed.push(number);
            report.notes.push(format!("page {number}: not OCRed: {why}"));
        }
    }
}

/// A page's text layer as our readers got it, and the images it shows.
struct TextLayer {
    text: String,
    images: Vec<ObjectId>,
    /// Set when the text could not be read at all (not merely read badly).
    lost: Option<LostLayer>,
}

/// Why a page's text could not be read at all; each holds the note for the analyst.
enum LostLayer {
    /// A content stream does not decompress: the page's text is lost unless Poppler reads it.
    Damaged(String),
    /// A content stream decompresses to more than we allow (a decompression bomb, or more
    /// filters than are decoded): damaged, without asking anyone else to inflate it.
    OverLimit(String),
    /// Neither our walker nor lopdf's extractor could follow the content.
    Unfollowable(String),
}

impl LostLayer {
    fn note(&self) -> String {
        match self {
            LostLayer::Damaged(note) | LostLayer::OverLimit(note) | LostLayer::Unfollowable(note) => note.clone(),
        }
    }
}

/// The page's own text and the images it shows. Falls back to lopdf's simple extractor when
/// the layout-aware walker cannot follow the page; either failing (even by panicking) costs
/// this page only, never the document's other pages.
fn page_text_layer(doc: &Document, number: u32, page_id: ObjectId, report: &mut Report) -> TextLayer {
    let lost = |text_lost: LostLayer, images: Vec<ObjectId>| TextLayer {
        text: String::new(),
        images,
        lost: Some(text_lost),
    };
    let walk_error = match guarded(|| walker::scan_page(doc, page_id)) {
        Ok(Ok(scan)) => {
            return TextLayer {
                text: scan.text,
                images: scan.images,
                lost: None,
            };
        }
        Ok(Err(walker::ScanError::Damaged(error))) => {
            // The fallback would read the same broken stream; say so instead.
            let layer = match error {
                lopdf::Error::Decompress(
                    limit @ (lopdf::DecompressError::MemoryLimitExceeded { .. }
                    | lopdf::DecompressError::TooManyFilters { .. }),
                ) => LostLayer::OverLimit(format!("page {number}: content stream does not decompress ({limit})")),
                error => LostLayer::Damaged(format!("page {number}: content stream does not decompress ({error})")),
            };
            return lost(layer, Vec::new());
        }
        Ok(Err(error)) => error.to_string(),
        Err(panic) => panic,
    };
    let images = guarded(|| images::listed_on_page(doc, page_id)).unwrap_or_default();
    let plain = guarded(|| doc.extract_text_with_limit(&[number], MAX_FALLBACK_CONTENT_BYTES));
    let failure = match plain {
        // lopdf's extractor skips what it cannot follow: nothing from it after the walker
        // failed is the same failure, not an empty page.
        Ok(Ok(text)) if meaningful_chars(&text) == 0 => walk_error,
        Ok(Ok(text)) => {
            report
                .notes
                .push(format!("page {number}: read without layout ({walk_error})"));
            return TextLayer {
                text: glyphs::expand_ligatures(&text).into_owned(),
                images,
                lost: None,
            };
        }
        Ok(Err(error)) => error.to_string(),
        Err(panic) => panic,
    };
    lost(
        LostLayer::Unfollowable(format!("page {number}: text could not be read ({failure})")),
        images,
    )
}

/// The longer side of the page's MediaBox (its own or inherited), in points.
fn longer_page_side(doc: &Document, page_id: ObjectId) -> Option<f32> {
    let mut node = doc.get_dictionary(page_id).ok();
    // A page tree deeper than this is a loop.
    for _ in 0..32 {
        let dict = node?;
        if let Ok(media_box) = dict.get(b"MediaBox").and_then(|object| doc.dereference(object)) {
            let corners: Vec<f32> = media_box
                .1
                .as_array()
                .ok()?
                .iter()
                .filter_map(|n| n.as_float().ok())
                .collect();
            let [x0, y0, x1, y1] = corners[..] else {
                return None;
            };
            return Some((x1 - x0).abs().max((y1 - y0).abs()));
        }
        node = dict
            .get(b"Parent")
            .and_then(Object::as_reference)
            .and_then(|parent| doc.get_dictionary(parent))
            .ok();
    }
    None
}

/// Runs a page-level step; a panic inside the PDF library becomes an `Err` with its message.
fn guarded<T>(step: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(step))
        .map_err(|payload| format!("parser panicked: {}", super::panic_message(&*payload)))
}

/// Decides between text, scans without OCR and empty pages, and writes the notes.
fn conclude(mut parsed: Parsed, report: Report, ocr: &OcrSettings) -> Result<Parsed, Refusal> {
    let page_count = parsed.pages.len();
    let has_text = parsed.pages.iter().any(|page| !page.text.trim().is_empty());
    let unread_scans = if ocr.is_available() {
        Vec::new()
    } else {
        report.scanned.clone()
    };
    let unread_garbled: Vec<u32> = report
        .garbled
        .iter()
        .copied()
        .filter(|page| !report.ocr_read.contains(page))
        .collect();
    if !has_text {
        // A signature field that could not be read is said even when nothing else was.
        let signature_notes: String = parsed.notes.iter().map(|note| format!("; {note}")).collect();
        let error = if report.damaged.is_empty() {
            ExtractError::NoText(format!("{}{signature_notes}", no_text_reason(page_count, &report, ocr)))
        } else {
            ExtractError::Corrupt(format!(
                "PDF content is damaged: {}{signature_notes}",
                report.notes.join("; ")
            ))
        };
        return Err(Refusal {
            error,
            signatures: parsed.signatures,
        });
    }
    if !report.poppler_read.is_empty() {
        parsed
            .notes
            .push(format!("{} {POPPLER_READ}", pages_phrase(&report.poppler_read)));
    }
    if !report.poppler_read_lost.is_empty() {
        parsed.notes.push(format!(
            "{} {POPPLER_READ_LOST} ({})",
            pages_phrase(&report.poppler_read_lost),
            // Notes are joined with "; " and read back by it (see `poppler_pages`).
            report.first_lost.as_deref().unwrap_or_default().replace("; ", ", ")
        ));
    }
    if !report.ocr_read.is_empty() {
        parsed
            .notes
            .push(format!("{} read by OCR", pages_phrase(&report.ocr_read)));
    }
    if !unread_scans.is_empty() {
        parsed.notes.push(format!(
            "{} without a text layer (scanned); {INSTALL_TESSERACT_HINT}",
            pages_phrase(&unread_scans)
        ));
    }
    if !unread_garbled.is_empty() {
        parsed.notes.push(format!(
            "{} {GARBLED}, left out{}",
            pages_phrase(&unread_garbled),
            if ocr.is_available() {
                String::new()
            } else {
                format!("; {INSTALL_TESSERACT_HINT}")
            }
        ));
    }
    parsed.incomplete = !report.damaged.is_empty()
        || !report.ocr_failed.is_empty()
        || !unread_scans.is_empty()
        || !unread_garbled.is_empty();
    parsed.notes.extend(report.notes);
    Ok(parsed)
}

fn no_text_reason(page_count: usize, report: &Report, ocr: &OcrSettings) -> String {
    let details = if report.notes.is_empty() {
        String::new()
    } else {
        format!(" ({})", report.notes.join("; "))
    };
    if !report.garbled.is_empty() {
        let hint = if ocr.is_available() {
            String::new()
        } else {
            format!("; {INSTALL_TESSERACT_HINT} (and poppler-utils to render the pages)")
        };
        return format!(
            "{} {GARBLED}, and could not be read by OCR{hint}{details}",
            pages_phrase(&report.garbled)
        );
    }
    if report.scanned.is_empty() {
        return format!("PDF pages hold no text and no images ({page_count} empty page(s)){details}");
    }
    let scans = report.scanned.len();
    if ocr.is_available() {
        format!("image-only PDF ({scans} page(s) without a text layer); OCR found no text{details}")
    } else {
        format!("image-only PDF ({scans} page(s) without a text layer); {INSTALL_TESSERACT_HINT}")
    }
}

/// "page 3" or "pages 1-3, 5".
pub(super) fn pages_phrase(pages: &[u32]) -> String {
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for &page in pages {
        match ranges.last_mut() {
            Some((_, end)) if *end + 1 == page => *end = page,
            _ => ranges.push((page, page)),
        }
    }
    let list: Vec<String> = ranges
        .iter()
        .map(|&(start, end)| {
            if start == end {
                start.to_string()
            } else {
                format!("{start}-{end}")
            }
        })
        .collect();
    let noun = if pages.len() == 1 { "page" } else { "pages" };
    format!("{noun} {}", list.join(", "))
}

fn meaningful_chars(text: &str) -> usize {
    text.chars().filter(|&c| super::quality::is_alphanumeric(c)).count()
}

/// OCR's text tidied as a text layer is, lines joined where a word was hyphenated across them;
/// its doubtful words as the engine read them.
pub(super) fn tidy_recognised(recognised: Recognised) -> Recognised {
    Recognised {
        text: tidy(&join_hyphenated_lines(&recognised.text)),
        ..recognised
    }
}

/// Trailing spaces off every line, no leading or trailing blank lines, at most one blank line.
pub(super) fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.lines().map(str::trim_end) {
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{Extracted, FileStatus, Format, ReadMethod, extract_bytes, extract_file};
    use std::path::PathBuf;

    fn fixture(name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/extract")
            .join(name)
    }

    fn read(name: &str) -> Extracted {
        extract_file(&fixture(name), &Limits::without_ocr())
    }

    #[test]
    fn libreoffice_pdf_keeps_russian_and_kazakh_words_and_lines() {
        let got = read("kazakh_russian.pdf");
        assert_eq!(got.format, Format::Pdf);
        assert_eq!(got.status, FileStatus::Ok, "{:?}", got.reason);
        assert_eq!(got.pages.len(), 1);
        assert_eq!(
            got.pages[0].text,
            "Акт ввода в промышленную эксплуатацию\nөнеркәсіптік пайдалануға енгізу туралы акт"
        );
        assert!(!got.pages[0].ocr);
    }

    #[test]
    fn two_page_pdf_gives_two_pages() {
        let got = read("two_pages.pdf");
        assert_eq!(got.status, FileStatus::Ok, "{:?}", got.reason);
        let texts: Vec<&str> = got.pages.iter().map(|page| page.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "Первая страница: техническая документация",
                "Вторая страница: протокол испытаний"
            ]
        );
        assert_eq!(got.pages[1].number, 2);
    }

    #[test]
    fn user_password_pdf_is_encrypted() {
        let got = read("user_password.pdf");
        assert_eq!(got.status, FileStatus::Encrypted);
        assert_eq!(
            got.reason.as_deref(),
            Some("password-protected PDF: the empty password does not open it")
        );
        assert!(got.pages.is_empty());
    }

    #[test]
    fn owner_password_only_pdf_opens_with_the_empty_password() {
        let got = read("owner_password_only.pdf");
        assert_eq!(got.status, FileStatus::Ok, "{:?}", got.reason);
        assert!(
            got.full_text().contains("өнеркәсіптік пайдалануға"),
            "{}",
            got.full_text()
        );
    }

    #[test]
    fn truncated_pdf_is_corrupt() {
        let got = read("truncated.pdf");
        assert_eq!(got.format, Format::Pdf);
        assert_eq!(got.status, FileStatus::Corrupt, "{:?}", got.reason);
    }

    #[test]
    fn garbage_after_a_pdf_header_is_corrupt_not_a_panic() {
        let got = extract_bytes(b"%PDF-1.7\n\x00\x01garbage", &Limits::without_ocr());
        assert_eq!(got.status, FileStatus::Corrupt);
        assert!(got.reason.unwrap().starts_with("PDF does not parse"));
    }

    #[test]
    fn image_only_pdf_without_ocr_is_no_text_with_install_hint() {
        let got = read("image_only.pdf");
        assert_eq!(got.status, FileStatus::NoText);
        assert_eq!(
            got.reason.as_deref(),
            Some(
                "image-only PDF (1 page(s) without a text layer); install Tesseract (apt-get install tesseract-ocr \
                 tesseract-ocr-script-cyrl) to read scans"
            )
        );
    }

    /// Runs with whatever this machine has: OCR when Tesseract is installed, the hint when not.
    #[test]
    fn image_only_pdf_with_default_ocr_settings() {
        let got = extract_file(&fixture("image_only.pdf"), &Limits::default());
        if crate::extract::tesseract_available() {
            assert_eq!(got.status, FileStatus::Ocr, "{:?}", got.reason);
            assert!(got.pages[0].ocr);
            let text = got.full_text().to_lowercase();
            assert!(text.contains("протокол") && text.contains("испытани"), "{text}");
            assert_eq!(got.reason.as_deref(), Some("page 1 read by OCR"));
        } else {
            assert_eq!(got.status, FileStatus::NoText);
            assert!(got.reason.unwrap().contains("install Tesseract"));
        }
    }

    #[test]
    fn junk_before_the_header_is_tolerated() {
        let mut bytes = b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\n\r\n".to_vec();
        bytes.extend(std::fs::read(fixture("kazakh_russian.pdf")).unwrap());
        let got = extract_bytes(&bytes, &Limits::without_ocr());
        assert_eq!(got.status, FileStatus::Ok, "{:?}", got.reason);
        assert!(got.full_text().contains("өнеркәсіптік"));
    }

    #[test]
    fn scanned_page_among_text_pages_is_noted_without_ocr() {
        let got = read("mixed_text_and_scan.pdf");
        assert_eq!(got.status, FileStatus::Ok);
        assert_eq!(got.pages.len(), 2);
        assert!(got.pages[0].text.starts_with("Акт ввода в промышленную эксплуатацию"));
        assert_eq!(got.pages[1].text, "");
        assert_eq!(
            got.reason.as_deref(),
            Some(
                "page 2 without a text layer (scanned); install Tesseract (apt-get install \
                 tesseract-ocr tesseract-ocr-script-cyrl) to read scans"
            )
        );
        assert!(got.incomplete, "the scan's text is missing from the file's");
    }

    #[test]
    fn undecodable_content_stream_is_corrupt_not_empty() {
        // The page's content stream (the file's first object) gets a filter nobody implements.
        // (A Flate stream with damaged bytes is not detectable: lopdf keeps what inflates.)
        let mut bytes = std::fs::read(fixture("kazakh_russian.pdf")).unwrap();
        let at = bytes.windows(12).position(|w| w == b"/FlateDecode").unwrap();
        bytes[at..at + 12].copy_from_slice(b"/BogusDecode");
        let got = extract_bytes(&bytes, &Limits::without_ocr());
        assert_eq!(got.status, FileStatus::Corrupt, "{:?}", got.reason);
        let reason = got.reason.unwrap();
        assert!(
            reason.starts_with("PDF content is damaged: page 1: content stream does not decompress"),
            "{reason}"
        );
    }

    /// Settings with only a `pdftotext` (no OCR): the real one, or a stand-in script.
    fn poppler_only(text_reader: PathBuf) -> Limits {
        Limits {
            ocr: OcrSettings {
                text_reader: Some(text_reader),
                ..OcrSettings::disabled()
            },
            ..Limits::without_ocr()
        }
    }

    const RUSSIAN_PAGE: &str = "Акт ввода в промышленную эксплуатацию\nинформационной системы и протокол испытаний на\n\
                                соответствие требованиям информационной\nбезопасности";

    #[test]
    fn a_page_our_walker_garbles_is_read_by_poppler_before_ocr() {
        // Page 2's ToUnicode map is one lopdf cannot parse (see make_poppler_reads.py): our
        // walker sees Latin-1 look-alikes, Poppler sees Russian.
        let Some(pdftotext) = OcrSettings::detect().text_reader else {
            eprintln!("pdftotext is not installed; skipped");
            return;
        };
        let got = extract_file(&fixture("poppler_reads.pdf"), &poppler_only(pdftotext));
        assert_eq!(got.status, FileStatus::Ok, "{:?}", got.reason);
        assert_eq!(
            got.pages[0].text,
            "The system stores the data of users and the report\nof the security test in a database"
        );
        assert_eq!(got.pages[1].text, RUSSIAN_PAGE);
        let methods: Vec<ReadMethod> = got.page_views().iter().map(|view| view.method).collect();
        assert_eq!(methods, vec![ReadMethod::TextLayer, ReadMethod::TextLayerPoppler]);
        assert_eq!(got.method(&got.pages[1]), ReadMethod::TextLayerPoppler);
        assert_eq!(got.reason.as_deref(), Some(format!("page 2 {POPPLER_READ}").as_str()));
        assert!(!got.pages.iter().any(|page| page.ocr));
    }

    #[test]
    fn without_pdftotext_a_garbled_page_is_left_out_as_before() {
        let got = read("poppler_reads.pdf");
        assert_eq!(got.status, FileStatus::Ok, "{:?}", got.reason);
        assert_eq!(got.pages[1].text, "");
        let reason = got.reason.clone().unwrap_or_default();
        assert!(reason.starts_with(&format!("page 2 {GARBLED}, left out")), "{reason}");
        assert_eq!(got.method(&got.pages[1]), ReadMethod::TextLayer);
    }

    /// A stand-in `pdftotext` that checks its arguments and prints `output` for page 2.
    #[cfg(unix)]
    fn fake_pdftotext(name: &str, output: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let script = std::env::temp_dir().join(format!("portalcheck-fake-pdftotext-{}-{name}", std::process::id()));
        let body = format!(
            "#!/bin/sh\n[ \"$1 $2 $3 $4 $5 $6 $7\" = \"-raw -enc UTF-8 -f 2 -l 2\" ] || exit 9\n\
             [ -f \"$8\" ] && [ \"$9\" = - ] || exit 8\nprintf '%s\\f' '{output}'\n"
        );
        std::fs::write(&script, body).unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        script
    }

    #[cfg(unix)]
    #[test]
    fn poppler_text_goes_through_the_gate_and_the_text_layer_normalisation() {
        // Hyphenation and ligatures are undone as on a text layer; the form feed goes.
        let good = fake_pdftotext(
            "good",
            "Акт ввода в промышленную эксплуата-\nцию информационной системы и протокол испытаний на \u{FB01}nal",
        );
        let got = extract_file(&fixture("poppler_reads.pdf"), &poppler_only(good.clone()));
        std::fs::remove_file(&good).unwrap();
        assert_eq!(
            got.pages[1].text,
            "Акт ввода в промышленную эксплуатацию информационной системы и протокол испытаний на final"
        );
        assert_eq!(got.method(&got.pages[1]), ReadMethod::TextLayerPoppler);

        // Poppler's garbage is no better than ours: the page is left out (or OCRed) as before.
        let bad = fake_pdftotext(
            "bad",
            "Àêò ââîäà â ïðîìûøëåííóþ ýêñïëóàòàöèþ èíôîðìàöèîííîé ñèñòåìû è ïðîòîêîë èñïûòàíèé íà ñîîòâåòñòâèå òðåáîâàíèÿì èíôîðìàöèîííîé áåçîïàñíîñòè",
        );
        let got = extract_file(&fixture("poppler_reads.pdf"), &poppler_only(bad.clone()));
        std::fs::remove_file(&bad).unwrap();
        assert_eq!(got.pages[1].text, "");
        let reason = got.reason.clone().unwrap_or_default();
        assert!(reason.starts_with(&format!("page 2 {GARBLED}")), "{reason}");
        assert_eq!(got.method(&got.pages[1]), ReadMethod::TextLayer);
    }

    #[test]
    fn poppler_pages_are_read_back_from_the_reason() {
        let reason = format!("pages 1-3, 5 {POPPLER_READ}; page 7 read by OCR; page 8: read without layout (x)");
        assert_eq!(poppler_pages(Some(&reason)), vec![1, 2, 3, 5]);
        assert_eq!(poppler_pages(Some(&format!("page 4 {POPPLER_READ}"))), vec![4]);
        assert_eq!(poppler_pages(Some("page 7 read by OCR")), Vec::<u32>::new());
        assert_eq!(poppler_pages(None), Vec::<u32>::new());
    }

    #[test]
    fn poppler_pages_are_read_back_from_every_poppler_note() {
        let reason =
            format!("page 2 {POPPLER_READ}; pages 4-5 {POPPLER_READ_LOST}; page 4: text could not be read (x)");
        assert_eq!(poppler_pages(Some(&reason)), vec![2, 4, 5]);
        assert!(POPPLER_READ.starts_with(POPPLER_MARK) && POPPLER_READ_LOST.starts_with(POPPLER_MARK));
    }

    #[test]
    fn abbreviated_filter_names_on_streams_are_decoded() {
        // As pdfbox's source.pdf (`/Filter [/A85 /Fl]`): names meant for inline images, written
        // on the page's content and font streams; padded so that the offsets stay right.
        let mut bytes = std::fs::read(fixture("kazakh_russian.pdf")).unwrap();
        let mut replaced = 0;
        while let Some(at) = bytes.windows(12).position(|w| w == b"/FlateDecode") {
            bytes[at..at + 12].copy_from_slice(b"/Fl         ");
            replaced += 1;
        }
        assert!(replaced >= 2, "the content and a font program: {replaced}");
        let got = extract_bytes(&bytes, &Limits::without_ocr());
        assert_eq!(got.status, FileStatus::Ok, "{:?}", got.reason);
        assert!(
            got.full_text().contains("өнеркәсіптік пайдалануға"),
            "{}",
            got.full_text()
        );
    }

    /// Stand-ins for `pdftotext`, `pdftoppm` and `tesseract` in a directory of their own, each
    /// logging its calls; the directory goes when the test ends.
    #[cfg(unix)]
    struct FakeTools {
        dir: PathBuf,
    }

    #[cfg(unix)]
    impl FakeTools {
        fn new(name: &str) -> FakeTools {
            let dir = std::env::temp_dir().join(format!("portalcheck-fake-tools-{}-{name}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            FakeTools { dir }
        }

        fn tool(&self, name: &str, body: &str) -> PathBuf {
            use std::os::unix::fs::PermissionsExt;
            let path = self.dir.join(name);
            let log = self.log_path(name);
            std::fs::write(&path, format!("#!/bin/sh\necho \"$*\" >> '{}'\n{body}", log.display())).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
            path
        }

        /// A `pdftotext` that prints `text` (after "Страница N. ") for each page it is asked.
        fn pdftotext(&self, text: &str) -> PathBuf {
            self.tool(
                "pdftotext",
                &format!(
                    "[ \"$1 $2 $3 $4 $6\" = \"-raw -enc UTF-8 -f -l\" ] && [ -f \"$8\" ] && [ \"$9\" = - ] || exit 9\n\
                     page=$5\nwhile [ $page -le $7 ]; do printf 'Страница %s. {text}\\f' $page; page=$((page+1)); done\n"
                ),
            )
        }

        /// A `pdftoppm` that writes a grey PGM where the real one would: 64 x 64, half black
        /// and half white (not blank, so it goes on to Tesseract).
        fn pdftoppm(&self) -> PathBuf {
            self.tool(
                "pdftoppm",
                "for last; do :; done\n{ printf 'P5\\n64 64\\n255\\n'; head -c 2048 /dev/zero; \
                 head -c 2048 /dev/zero | tr '\\000' '\\377'; } > \"$last.pgm\"\n",
            )
        }

        fn tesseract(&self, output: &str) -> PathBuf {
            self.tool("tesseract", &format!("printf '%s' '{output}'\n"))
        }

        fn log_path(&self, tool: &str) -> PathBuf {
            self.dir.join(format!("{tool}.log"))
        }

        /// The argument lines a tool was called with, in order.
        fn calls(&self, tool: &str) -> Vec<String> {
            std::fs::read_to_string(self.log_path(tool))
                .unwrap_or_default()
                .lines()
                .map(str::to_string)
                .collect()
        }

        /// The "-f N -l M" of each `pdftotext` call, as "N-M".
        fn pdftotext_ranges(&self) -> Vec<String> {
            self.calls("pdftotext")
                .iter()
                .map(|call| {
                    let words: Vec<&str> = call.split(' ').collect();
                    format!("{}-{}", words[4], words[6])
                })
                .collect()
        }
    }

    #[cfg(unix)]
    impl Drop for FakeTools {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    #[cfg(unix)]
    fn with_tools(text_reader: Option<PathBuf>, renderer: Option<PathBuf>, tesseract: Option<PathBuf>) -> Limits {
        Limits {
            ocr: OcrSettings {
                tesseract,
                renderer,
                text_reader,
                language: "rus".to_string(),
                timeout: std::time::Duration::from_secs(20),
            },
            ..Limits::without_ocr()
        }
    }

    /// kazakh_russian.pdf with its page's content stream under a filter nobody implements.
    fn undecodable_content() -> Vec<u8> {
        let mut bytes = std::fs::read(fixture("kazakh_russian.pdf")).unwrap();
        let at = bytes.windows(12).position(|w| w == b"/FlateDecode").unwrap();
        bytes[at..at + 12].copy_from_slice(b"/BogusDecode");
        bytes
    }

    #[cfg(unix)]
    #[test]
    fn a_page_whose_content_does_not_decompress_is_asked_of_poppler_before_it_is_damaged() {
        let tools = FakeTools::new("damaged");
        let limits = with_tools(Some(tools.pdftotext(RUSSIAN_PAGE)), None, None);
        let got = extract_bytes(&undecodable_content(), &limits);
        assert_eq!(got.status, FileStatus::Ok, "{:?}", got.reason);
        assert_eq!(got.pages[0].text, format!("Страница 1. {RUSSIAN_PAGE}"));
        assert_eq!(got.method(&got.pages[0]), ReadMethod::TextLayerPoppler);
        let reason = got.reason.unwrap_or_default();
        assert!(
            reason.starts_with(&format!(
                "page 1 {POPPLER_READ_LOST} (page 1: content stream does not decompress"
            )),
            "{reason}"
        );
        assert!(!got.incomplete, "Poppler read what our readers lost");
        assert_eq!(tools.pdftotext_ranges(), vec!["1-1"]);
    }

    #[test]
    fn a_page_whose_content_only_poppler_decodes_is_read_by_the_real_poppler() {
        let Some(pdftotext) = OcrSettings::detect().text_reader else {
            eprintln!("pdftotext is not installed; skipped");
            return;
        };
        let without = read("poppler_reads_damaged.pdf");
        assert_eq!(without.status, FileStatus::Corrupt, "{:?}", without.reason);
        let got = extract_file(&fixture("poppler_reads_damaged.pdf"), &poppler_only(pdftotext));
        assert_eq!(got.status, FileStatus::Ok, "{:?}", got.reason);
        assert_eq!(got.pages[0].text, RUSSIAN_PAGE);
        assert_eq!(got.method(&got.pages[0]), ReadMethod::TextLayerPoppler);
    }

    #[cfg(unix)]
    #[test]
    fn a_damaged_page_poppler_cannot_read_either_stays_damaged() {
        // Poppler's garbage is no reading.
        let tools = FakeTools::new("damaged-garbage");
        let limits = with_tools(
            Some(tools.pdftotext("Àêò ââîäà â ïðîìûøëåííóþ ýêñïëóàòàöèþ")),
            None,
            None,
        );
        let got = extract_bytes(&undecodable_content(), &limits);
        assert_eq!(got.status, FileStatus::Corrupt, "{:?}", got.reason);
        assert!(
            got.reason
                .unwrap()
                .starts_with("PDF content is damaged: page 1: content stream does not decompress")
        );
        assert_eq!(tools.pdftotext_ranges(), vec!["1-1"]);

        // The real one does not know the filter either.
        if let Some(pdftotext) = OcrSettings::detect().text_reader {
            let got = extract_bytes(&undecodable_content(), &poppler_only(pdftotext));
            assert_eq!(got.status, FileStatus::Corrupt, "{:?}", got.reason);
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_decompression_bomb_is_not_handed_to_poppler() {
        let bomb =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpora/hostile/mcriap/apk-vks-go/extra/flate_bomb.pdf");
        let tools = FakeTools::new("bomb");
        let got = extract_file(&bomb, &with_tools(Some(tools.pdftotext(RUSSIAN_PAGE)), None, None));
        assert_eq!(got.status, FileStatus::Corrupt, "{:?}", got.reason);
        let reason = got.reason.unwrap_or_default();
        assert!(reason.contains("(possible decompression bomb)"), "{reason}");
        assert!(tools.calls("pdftotext").is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_page_whose_content_cannot_be_followed_is_asked_of_poppler() {
        // The page's /Contents names an object the file does not hold: neither our walker nor
        // lopdf's extractor has anything to read.
        let mut bytes = std::fs::read(fixture("two_pages.pdf")).unwrap();
        let at = bytes.windows(15).position(|w| w == b"/Contents 2 0 R").unwrap();
        bytes[at..at + 15].copy_from_slice(b"/Contents 2 9 R");
        let without = extract_bytes(&bytes, &Limits::without_ocr());
        let reason = without.reason.clone().unwrap_or_default();
        assert!(reason.contains(": text could not be read ("), "{reason}");
        let unread: Vec<u32> = without
            .pages
            .iter()
            .filter(|p| p.text.is_empty())
            .map(|p| p.number)
            .collect();
        assert_eq!(unread.len(), 1, "{:?}", without.pages);

        let tools = FakeTools::new("unfollowable");
        let got = extract_bytes(&bytes, &with_tools(Some(tools.pdftotext(RUSSIAN_PAGE)), None, None));
        assert_eq!(got.status, FileStatus::Ok, "{:?}", got.reason);
        let page = &got.pages[unread[0] as usize - 1];
        assert_eq!(page.text, format!("Страница {}. {RUSSIAN_PAGE}", unread[0]));
        assert_eq!(got.method(page), ReadMethod::TextLayerPoppler);
        assert!(got.reason.unwrap_or_default().contains(POPPLER_READ_LOST));
    }

    #[cfg(unix)]
    #[test]
    fn a_garbled_page_over_a_scan_asks_poppler_before_ocr() {
        // A scanner's invisible text layer our walker garbles, over a page-sized image: Poppler's
        // reading costs milliseconds, OCR seconds.
        let tools = FakeTools::new("over-scan");
        let limits = with_tools(
            Some(tools.pdftotext(RUSSIAN_PAGE)),
            Some(tools.pdftoppm()),
            Some(tools.tesseract("OCR should not be asked")),
        );
        let got = extract_file(&fixture("garbled_over_scan.pdf"), &limits);
        assert_eq!(got.status, FileStatus::Ok, "{:?}", got.reason);
        assert_eq!(got.method(&got.pages[0]), ReadMethod::TextLayerPoppler);
        assert!(tools.calls("tesseract").is_empty() && tools.calls("pdftoppm").is_empty());

        // And when Poppler's reading is garbage too, the scan is OCRed (directly: gray samples).
        let tools = FakeTools::new("over-scan-garbage");
        let limits = with_tools(
            Some(tools.pdftotext("Àêò ââîäà â ïðîìûøëåííóþ ýêñïëóàòàöèþ")),
            Some(tools.pdftoppm()),
            Some(tools.tesseract("ПРОТОКОЛ ИСПЫТАНИЙ")),
        );
        let got = extract_file(&fixture("garbled_over_scan.pdf"), &limits);
        assert_eq!(got.status, FileStatus::Ocr, "{:?}", got.reason);
        assert_eq!(got.pages[0].text, "ПРОТОКОЛ ИСПЫТАНИЙ");
        assert_eq!((tools.calls("tesseract").len(), tools.calls("pdftoppm").len()), (1, 0));
    }

    #[test]
    fn a_garbled_page_over_a_scan_is_read_by_the_real_poppler() {
        let Some(pdftotext) = OcrSettings::detect().text_reader else {
            eprintln!("pdftotext is not installed; skipped");
            return;
        };
        let limits = Limits {
            ocr: OcrSettings {
                text_reader: Some(pdftotext),
                ..OcrSettings::default()
            },
            ..Limits::without_ocr()
        };
        let got = extract_file(&fixture("garbled_over_scan.pdf"), &limits);
        assert_eq!(
            got.method(&got.pages[0]),
            ReadMethod::TextLayerPoppler,
            "{:?}",
            got.reason
        );
        assert_eq!(got.pages[0].text, RUSSIAN_PAGE);
    }

    #[cfg(unix)]
    #[test]
    fn page_images_tesseract_cannot_take_are_ocred_from_the_rendered_page() {
        // No JBIG2 encoder to make a fixture with; the stand-in renderer does not look at the
        // image, and ours refuses it by its filter alone. The same for a 4-bit gray image.
        let jbig2 = with_page_image("scan_ccitt.pdf", |image| {
            image.set("Filter", Object::Name(b"JBIG2Decode".to_vec()));
            image.remove(b"DecodeParms");
        });
        let four_bits = with_page_image("scan_indexed.pdf", |image| {
            image.set("ColorSpace", Object::Name(b"DeviceGray".to_vec()));
            image.set("BitsPerComponent", 4);
        });
        let cases = [
            ("scan_jpx.pdf", std::fs::read(fixture("scan_jpx.pdf")).unwrap()),
            ("scan_ccitt.pdf", std::fs::read(fixture("scan_ccitt.pdf")).unwrap()),
            ("scan_indexed.pdf", std::fs::read(fixture("scan_indexed.pdf")).unwrap()),
            ("JBIG2", jbig2),
            ("4-bit gray", four_bits),
        ];
        for (name, bytes) in cases {
            let tools = FakeTools::new(&name.replace(' ', "-"));
            let limits = with_tools(
                None,
                Some(tools.pdftoppm()),
                Some(tools.tesseract("ПРОТОКОЛ ИСПЫТАНИЙ")),
            );
            let got = extract_bytes(&bytes, &limits);
            assert_eq!(got.status, FileStatus::Ocr, "{name}: {:?}", got.reason);
            assert_eq!(got.pages[0].text, "ПРОТОКОЛ ИСПЫТАНИЙ", "{name}");
            assert_eq!(got.reason.as_deref(), Some("page 1 read by OCR"), "{name}");
            let render = tools.calls("pdftoppm");
            assert_eq!(render.len(), 1, "{name}");
            assert!(
                render[0].starts_with("-r 300 -gray -singlefile -f 1 -l 1 "),
                "{}",
                render[0]
            );
            let recognise = tools.calls("tesseract");
            assert!(
                recognise[0].ends_with(".pgm stdout -l rus --psm 3 --dpi 300"),
                "{name}: {}",
                recognise[0]
            );
        }
    }

    /// A fixture with its page image's dictionary changed by `edit`.
    fn with_page_image(name: &str, edit: impl FnOnce(&mut lopdf::Dictionary)) -> Vec<u8> {
        let mut doc = Document::load(fixture(name)).unwrap();
        let image = doc
            .objects
            .values_mut()
            .filter_map(|object| object.as_stream_mut().ok())
            .find(|stream| {
                stream
                    .dict
                    .get(b"Subtype")
                    .and_then(Object::as_name)
                    .is_ok_and(|s| s == b"Image")
            })
            .unwrap();
        edit(&mut image.dict);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        bytes
    }

    #[cfg(unix)]
    #[test]
    fn without_pdftoppm_an_image_tesseract_cannot_take_is_reported_with_the_hint() {
        let tools = FakeTools::new("no-renderer");
        let limits = with_tools(None, None, Some(tools.tesseract("ПРОТОКОЛ ИСПЫТАНИЙ")));
        let got = extract_file(&fixture("scan_jpx.pdf"), &limits);
        assert_eq!(got.status, FileStatus::NoText, "{:?}", got.reason);
        let reason = got.reason.unwrap_or_default();
        assert!(
            reason.contains("page 1: not OCRed: the page image is encoded with JPXDecode")
                && reason.contains("install poppler-utils (pdftoppm)"),
            "{reason}"
        );
        assert!(tools.calls("tesseract").is_empty());
    }

    /// With the real Tesseract and Poppler: each encoding is read.
    #[test]
    fn page_images_in_jpx_ccitt_and_palettes_are_read_by_ocr() {
        let settings = OcrSettings::default();
        if !settings.is_available() || settings.renderer.is_none() {
            eprintln!("Tesseract or pdftoppm is not installed; skipped");
            return;
        }
        for name in ["scan_jpx.pdf", "scan_ccitt.pdf", "scan_indexed.pdf"] {
            let got = extract_file(&fixture(name), &Limits::default());
            assert_eq!(got.status, FileStatus::Ocr, "{name}: {:?}", got.reason);
            let text = got.full_text().to_lowercase();
            assert!(text.contains("протокол") && text.contains("испытани"), "{name}: {text}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn after_two_pages_poppler_reads_the_rest_of_the_document_in_one_run() {
        let tools = FakeTools::new("read-ahead");
        let got = extract_file(
            &fixture("poppler_reads_five.pdf"),
            &with_tools(Some(tools.pdftotext(RUSSIAN_PAGE)), None, None),
        );
        assert_eq!(got.status, FileStatus::Ok, "{:?}", got.reason);
        assert_eq!(tools.pdftotext_ranges(), vec!["1-1", "2-2", "3-5"]);
        for page in &got.pages {
            assert_eq!(page.text, format!("Страница {}. {RUSSIAN_PAGE}", page.number));
            assert_eq!(got.method(page), ReadMethod::TextLayerPoppler);
        }
        assert_eq!(
            got.reason.as_deref(),
            Some(format!("pages 1-5 {POPPLER_READ}").as_str())
        );
    }

    #[test]
    fn the_real_poppler_reads_ahead_the_same_text_as_page_by_page() {
        let Some(pdftotext) = OcrSettings::detect().text_reader else {
            eprintln!("pdftotext is not installed; skipped");
            return;
        };
        let got = extract_file(&fixture("poppler_reads_five.pdf"), &poppler_only(pdftotext));
        assert_eq!(got.status, FileStatus::Ok, "{:?}", got.reason);
        for page in &got.pages {
            assert_eq!(page.text, format!("Страница {}. {RUSSIAN_PAGE}", page.number));
        }
        assert_eq!(
            got.reason.as_deref(),
            Some(format!("pages 1-5 {POPPLER_READ}").as_str())
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_read_ahead_that_does_not_split_into_pages_falls_back_to_page_by_page() {
        let tools = FakeTools::new("read-ahead-miscount");
        // One form feed whatever the range: pages 3-5 come back as one page.
        let pdftotext = tools.tool("pdftotext", &format!("printf 'Страница %s. {RUSSIAN_PAGE}\\f' $5\n"));
        let got = extract_file(
            &fixture("poppler_reads_five.pdf"),
            &with_tools(Some(pdftotext), None, None),
        );
        assert_eq!(tools.pdftotext_ranges(), vec!["1-1", "2-2", "3-5", "3-3", "4-4", "5-5"]);
        for page in &got.pages {
            assert_eq!(page.text, format!("Страница {}. {RUSSIAN_PAGE}", page.number));
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_pdftotext_that_times_out_is_not_asked_again_for_the_same_file() {
        let tools = FakeTools::new("timeout");
        let limits = Limits {
            ocr: OcrSettings {
                timeout: std::time::Duration::from_millis(300),
                ..with_tools(Some(tools.tool("pdftotext", "exec sleep 5\n")), None, None).ocr
            },
            ..Limits::without_ocr()
        };
        let started = std::time::Instant::now();
        let got = extract_file(&fixture("poppler_reads_five.pdf"), &limits);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(tools.calls("pdftotext").len(), 1);
        assert_eq!(got.status, FileStatus::NoText, "{:?}", got.reason);
    }

    #[test]
    fn a_table_of_figures_from_poppler_is_text_and_symbol_garbage_is_not() {
        let table = "SINGLE Persons—BIWEEKLY Payroll Period\n(For Wages Paid through December 2013)\n\
                     And the wages are– And the number of withholding allowances claimed is—\n\
                     $ 0 $105 $0 $0 $0 $0 $0 $0 $0\n105 110 2 0 0 0 0 0 0\n110 115 3 0 0 0 0 0 0\n\
                     115 120 3 0 0 0 0 0 0\n120 125 4 0 0 0 0 0 0\n125 130 4 0 0 0 0 0 0\n\
                     130 135 5 0 0 0 0 0 0\n135 140 5 0 0 0 0 0 0\n140 145 6 0 0 0 0 0 0";
        assert!(quality::assess(table).is_unreadable(), "the gate alone turns it down");
        assert!(poppler_text_if_readable(table).is_some());
        let index = "Index\nA\nAccuracy of deposits rule ............... 28\nAdditional Medicare Tax .......... 2, 24, 34\n\
                     Adjustments ................\n................ 32\nAliens, nonresident ..........\n.......... 21, 24\n\
                     Allocated tips ............................. 18\nArcher MSAs .............................. 16";
        // Dot leaders are layout to the gate itself, so an index passes it on its own.
        assert!(!quality::assess(index).is_unreadable());
        assert!(poppler_text_if_readable(index).is_some());
        // Our walker's reading of the same page (glyphs without a Unicode map): not a table.
        let garbled = "SINGLE P\u{FFFD}\u{FFFD}\u{FFFD}—BIWEEKLY P\u{FFFD}\u{FFFD}\u{FFFD} P\u{FFFD}\u{FFFD}d\n\
                       \u{FFFD}5 \u{FFFD}0 2 0 0 0 0 0 0\n\u{FFFD}0 \u{FFFD}5 3 0 0 0 0 0 0\n\
                       \u{FFFD}5 \u{FFFD}0 3 0 0 0 0 0 0\n\u{FFFD}0 \u{FFFD}5 4 0 0 0 0 0 0";
        assert!(poppler_text_if_readable(garbled).is_none());
        assert!(poppler_text_if_readable("!#$% &*() +=@# ~^&* 12 (!#) $%^ &**").is_none());
        assert!(
            poppler_text_if_readable("1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16").is_none(),
            "no words to judge"
        );
    }

    #[test]
    fn the_page_size_for_rendering_is_its_own_or_inherited_media_box() {
        let mut doc = load(&std::fs::read(fixture("two_pages.pdf")).unwrap()).unwrap();
        let page = doc.get_pages()[&1];
        let side = longer_page_side(&doc, page).unwrap();
        assert!((side - 841.89).abs() < 0.01, "{side}");
        // Without its own, the page tree's (LibreOffice writes both).
        doc.get_dictionary_mut(page).unwrap().remove(b"MediaBox");
        let side = longer_page_side(&doc, page).unwrap();
        assert!((side - 841.89).abs() < 0.01, "{side}");
        let pages = doc.catalog().unwrap().get(b"Pages").unwrap().as_reference().unwrap();
        doc.get_dictionary_mut(pages).unwrap().remove(b"MediaBox");
        assert_eq!(longer_page_side(&doc, page), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_table_of_figures_in_the_text_layer_is_kept_without_asking_poppler() {
        let mut content = b"BT /F1 10 Tf 14 TL 72 720 Td (SINGLE Persons BIWEEKLY Payroll Period) Tj T* \
                            (For Wages Paid through December 2013) Tj T* \
                            (And the wages are the number of withholding allowances claimed is) Tj T*"
            .to_vec();
        for row in 0..30 {
            content.extend(
                format!(
                    " ({} {} {} 0 0 0 0 0 0 0 0) Tj T*",
                    105 + 5 * row,
                    110 + 5 * row,
                    2 + row / 2
                )
                .bytes(),
            );
        }
        content.extend(b" ET");
        let mut bytes = Vec::new();
        test_pdf::TestPdf::new(&content).doc.save_to(&mut bytes).unwrap();
        let tools = FakeTools::new("table");
        let got = extract_bytes(&bytes, &with_tools(Some(tools.pdftotext(RUSSIAN_PAGE)), None, None));
        assert_eq!(got.status, FileStatus::Ok, "{:?}", got.reason);
        assert!(got.pages[0].text.contains("105 110 2 0 0"), "{}", got.pages[0].text);
        assert_eq!(got.method(&got.pages[0]), ReadMethod::TextLayer);
        assert!(tools.calls("pdftotext").is_empty());
    }

    #[test]
    fn page_lists_are_compact() {
        assert_eq!(pages_phrase(&[3]), "page 3");
        assert_eq!(pages_phrase(&[1, 2, 3, 5, 7, 8]), "pages 1-3, 5, 7-8");
    }

    #[test]
    fn tidy_trims_and_collapses_blank_lines() {
        assert_eq!(tidy("\n  a  \n\n\n\nb \n\n"), "  a\n\nb");
    }
}
