//! PDF: text page by page from the content streams (see [`walker`]), OCR for scanned pages.

mod fonts;
mod glyphs;
mod images;
mod walker;

use lopdf::{Document, ObjectId};

use super::error::ExtractError;
use super::hyphen::join_hyphenated_lines;
use super::ocr::{self, OcrSettings};
use super::{Limits, Page, Parsed, quality};

/// Bound on a page's content for lopdf's fallback extractor.
const MAX_FALLBACK_CONTENT_BYTES: usize = 64 * 1024 * 1024;
/// A page with fewer letters and digits than this, and an image, is taken for a scan: a stamp
/// or a "scanned by" line is not a text layer.
const MIN_TEXT_LAYER_CHARS: usize = 16;
/// An image smaller than this (about 450 x 450 pixels) is a logo or a stamp, not a scanned page.
const MIN_SCAN_PIXELS: i64 = 200_000;
/// Where the PDF header may start (some generators prepend junk).
const HEADER_WINDOW: usize = 1024;

/// What a text layer that is not language usually is, in the analyst's terms.
const GARBLED: &str = "text layer is unreadable (symbols or look-alike letters: a font without a Unicode map)";
/// The note on pages whose text came from `pdftotext` (see [`Source::second_opinion`]);
/// [`poppler_pages`] reads the page numbers back from the file's reason.
const POPPLER_READ: &str = "read by Poppler (pdftotext): our reading of the text layer was unreadable";
const INSTALL_TESSERACT_HINT: &str =
    "install Tesseract (apt-get install tesseract-ocr tesseract-ocr-script-cyrl) to read scans";

pub(crate) fn extract(bytes: &[u8], limits: &Limits) -> Result<Parsed, ExtractError> {
    let doc = load(bytes)?;
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(ExtractError::Corrupt(
            "PDF has no readable pages (its page tree is missing or damaged)".to_string(),
        ));
    }
    let mut report = Report::default();
    let mut parsed = Parsed::default();
    let mut source = Source {
        doc: &doc,
        bytes,
        on_disk: None,
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
}

impl Source<'_> {
    /// The document as a file an outside tool can open.
    fn on_disk(&mut self) -> Result<&std::path::Path, String> {
        if self.on_disk.is_none() {
            let file = ocr::TempFile::write(self.bytes, "pdf").map_err(|e| format!("cannot write a temp copy: {e}"))?;
            self.on_disk = Some(file);
        }
        match &self.on_disk {
            Some(file) => Ok(file.path()),
            None => Err("no temp copy".to_string()),
        }
    }

    fn render_and_ocr(&mut self, number: u32, settings: &OcrSettings) -> Result<String, String> {
        let path = self.on_disk()?;
        ocr::ocr_pdf_page(settings, path, number)
            .map(|text| tidy(&join_hyphenated_lines(&text)))
            .map_err(|error| error.to_string())
    }

    /// Poppler's text of a page our walker could not read, when `pdftotext` is installed and
    /// its text passes the same gate as a text layer. `None`: on to OCR, as without Poppler.
    fn second_opinion(&mut self, number: u32, settings: &OcrSettings) -> Option<String> {
        settings.text_reader.as_ref()?;
        let path = self.on_disk().ok()?;
        let text = ocr::pdftotext_page(settings, path, number).ok()?;
        poppler_text_if_readable(&text)
    }
}

/// Poppler's page text, normalised as a text layer is (ligatures, line-end hyphens, blank
/// lines), if it reads like language and is long enough to be a text layer.
fn poppler_text_if_readable(raw: &str) -> Option<String> {
    let text = tidy(&join_hyphenated_lines(&glyphs::expand_ligatures(raw)));
    let readable = !quality::assess(&text).is_unreadable() && meaningful_chars(&text) >= MIN_TEXT_LAYER_CHARS;
    readable.then_some(text)
}

/// The pages of a PDF whose text came from `pdftotext`, read back from the file's reason (the
/// record carries no per-page method; the note is this module's own sentence).
pub(crate) fn poppler_pages(reason: Option<&str>) -> Vec<u32> {
    let Some(note) = reason.and_then(|reason| reason.split("; ").find(|note| note.ends_with(POPPLER_READ))) else {
        return Vec::new();
    };
    let list = note
        .trim_end_matches(POPPLER_READ)
        .trim()
        .trim_start_matches("pages ")
        .trim_start_matches("page ");
    let mut pages = Vec::new();
    for item in list.split(", ") {
        let (start, end) = item.split_once('-').unwrap_or((item, item));
        if let (Ok(start), Ok(end)) = (start.trim().parse::<u32>(), end.trim().parse::<u32>()) {
            // A page list longer than a real PDF's is not ours; stop rather than spin.
            pages.extend((start..=end).take(1 << 20));
        }
    }
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
    Ok(doc)
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
    /// Pages whose text came from `pdftotext` after our walker's failed the quality gate.
    poppler_read: Vec<u32>,
    /// Per-page problems worth telling the analyst.
    notes: Vec<String>,
}

fn read_page(source: &mut Source, number: u32, page_id: ObjectId, ocr: &OcrSettings, report: &mut Report) -> Page {
    let doc = source.doc;
    let (layer, images) = page_text_layer(doc, number, page_id, report);
    let layer = tidy(&join_hyphenated_lines(&layer));
    let layer_quality = quality::assess(&layer);
    let mut page = Page {
        number,
        name: None,
        text: layer,
        ocr: false,
    };
    let readable = !layer_quality.is_unreadable();
    if readable && meaningful_chars(&page.text) >= MIN_TEXT_LAYER_CHARS {
        return page;
    }
    let scan = images::largest(doc, &images).filter(|image| images::pixel_count(image) >= MIN_SCAN_PIXELS);
    // A page number or a stray mark is too little to judge (or worth a render); it stays.
    let garbled = !readable && meaningful_chars(&page.text) >= MIN_TEXT_LAYER_CHARS;
    if scan.is_none() && !garbled {
        return page; // an empty page, a short line, or one with a logo: nothing to OCR
    }
    // A second opinion before seconds of OCR: Poppler may read the text layer we could not.
    if let Some(text) = source.second_opinion(number, ocr) {
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
    if !ocr.is_available() {
        return page;
    }
    let recognised = match scan {
        Some(scan) => ocr_page(doc, scan, ocr),
        None => source.render_and_ocr(number, ocr),
    };
    match recognised {
        Ok(recognised) if meaningful_chars(&recognised) > meaningful_chars(&page.text) => {
            // Keep whatever readable text layer there was: it is exact where OCR is not.
            page.text = if page.text.is_empty() {
                recognised
            } else {
                format!("{}\n{recognised}", page.text)
            };
            page.ocr = true;
            report.ocr_read.push(number);
        }
        Ok(_) => report.notes.push(format!("page {number}: OCR found no text")),
        Err(why) => report.notes.push(format!("page {number}: not OCRed: {why}")),
    }
    page
}

/// The page's own text and the images it shows. Falls back to lopdf's simple extractor when
/// the layout-aware walker cannot follow the page; either failing (even by panicking) costs
/// this page only, never the document's other pages.
fn page_text_layer(doc: &Document, number: u32, page_id: ObjectId, report: &mut Report) -> (String, Vec<ObjectId>) {
    let walk_error = match guarded(|| walker::scan_page(doc, page_id)) {
        Ok(Ok(scan)) => return (scan.text, scan.images),
        Ok(Err(walker::ScanError::Damaged(error))) => {
            // The fallback would read the same broken stream; say so instead.
            report.damaged.push(number);
            report
                .notes
                .push(format!("page {number}: content stream does not decompress ({error})"));
            return (String::new(), Vec::new());
        }
        Ok(Err(error)) => error.to_string(),
        Err(panic) => panic,
    };
    let images = guarded(|| images::listed_on_page(doc, page_id)).unwrap_or_default();
    let plain = guarded(|| doc.extract_text_with_limit(&[number], MAX_FALLBACK_CONTENT_BYTES));
    match plain {
        Ok(Ok(text)) => {
            report
                .notes
                .push(format!("page {number}: read without layout ({walk_error})"));
            (glyphs::expand_ligatures(&text).into_owned(), images)
        }
        Ok(Err(error)) => {
            report
                .notes
                .push(format!("page {number}: text could not be read ({error})"));
            (String::new(), images)
        }
        Err(panic) => {
            report
                .notes
                .push(format!("page {number}: text could not be read ({panic})"));
            (String::new(), images)
        }
    }
}

/// Runs a page-level step; a panic inside the PDF library becomes an `Err` with its message.
fn guarded<T>(step: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(step))
        .map_err(|payload| format!("parser panicked: {}", super::panic_message(&*payload)))
}

fn ocr_page(doc: &Document, scan: &lopdf::Stream, settings: &OcrSettings) -> Result<String, String> {
    let file = images::to_image_file(doc, scan)?;
    ocr::ocr_image(settings, &file.bytes, file.ext)
        .map(|text| tidy(&join_hyphenated_lines(&text)))
        .map_err(|error| error.to_string())
}

/// Decides between text, scans without OCR and empty pages, and writes the notes.
fn conclude(mut parsed: Parsed, report: Report, ocr: &OcrSettings) -> Result<Parsed, ExtractError> {
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
    if !has_text && !report.damaged.is_empty() {
        return Err(ExtractError::Corrupt(format!(
            "PDF content is damaged: {}",
            report.notes.join("; ")
        )));
    }
    if !has_text {
        return Err(ExtractError::NoText(no_text_reason(page_count, &report, ocr)));
    }
    if !report.poppler_read.is_empty() {
        parsed
            .notes
            .push(format!("{} {POPPLER_READ}", pages_phrase(&report.poppler_read)));
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
fn pages_phrase(pages: &[u32]) -> String {
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
    text.chars().filter(|c| c.is_alphanumeric()).count()
}

/// Trailing spaces off every line, no leading or trailing blank lines, at most one blank line.
fn tidy(text: &str) -> String {
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
    fn page_lists_are_compact() {
        assert_eq!(pages_phrase(&[3]), "page 3");
        assert_eq!(pages_phrase(&[1, 2, 3, 5, 7, 8]), "pages 1-3, 5, 7-8");
    }

    #[test]
    fn tidy_trims_and_collapses_blank_lines() {
        assert_eq!(tidy("\n  a  \n\n\n\nb \n\n"), "  a\n\nb");
    }
}
