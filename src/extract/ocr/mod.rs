//! OCR of page images with Tesseract, when it is installed.
//!
//! Pages are read by libtesseract inside this process ([`engine`]: the model loaded once per
//! process, not once per page) when the library loads; else by the `tesseract` command as a
//! child process with a timeout, one thread (`OMP_THREAD_LIMIT=1`, since extraction already runs
//! files in parallel), reading a temporary image file that is always removed afterwards. Both
//! give the same text for the same image. Before either runs, [`blank`] turns away images that
//! cannot hold text (too small, or blank paper), which then read as "OCR found no text", as
//! an empty result of the engine would.
//!
//! The engine also says which words it doubted ([`Recognised::doubtful_words`]): recognition
//! needs them to tell a misread name from another object's. The command's text does not say;
//! pages it reads have none, and recognition then treats every word as read.

mod blank;
mod engine;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub(crate) use engine::GrayPixels;

/// Language models to use, best first. Debian's `tesseract-ocr-script-cyrl` installs
/// `script/Cyrillic` (Russian and Kazakh letters in one model); some layouts list it as `Cyrillic`.
const PREFERRED_LANGUAGES: &[&str] = &["script/Cyrillic", "Cyrillic"];
const DEFAULT_LANGUAGE: &str = "script/Cyrillic";
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);
const POLL_INTERVAL: Duration = Duration::from_millis(50);
/// What a scan or an image without Tesseract says, word for word the same for every format.
pub(crate) const INSTALL_TESSERACT_HINT: &str =
    "install Tesseract (apt-get install tesseract-ocr tesseract-ocr-script-cyrl) to read scans";

/// Pages are rendered at this resolution when their text layer is unreadable: the resolution
/// at which Tesseract's Cyrillic model reads an act at 98-99 % word recall.
const RENDER_DPI: f32 = 300.0;
/// The longer side of a rendered page, at most: an A2 sheet at 300 dpi (7016 pixels). A page
/// declared metres long is rendered at a lower resolution, not into gigabytes of pixels.
const MAX_RENDER_SIDE_PIXELS: f32 = 7016.0;
/// Below this a rendering is not worth OCR; a page that large is a drawing, not a document.
const MIN_RENDER_DPI: f32 = 36.0;

/// Below this confidence (0-100) a word the engine read is doubtful. On 300 dpi scans of acts,
/// words it reads right score 85-97 with few exceptions; the garbled words of a name crossed by
/// a speck or a fold score 0-45.
const DOUBTFUL_BELOW: f32 = 65.0;

/// What OCR read on one image.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recognised {
    pub text: String,
    /// The words of `text` the engine was not sure of (below [`DOUBTFUL_BELOW`]), as it read
    /// them; empty when the `tesseract` command read the image, which does not say.
    pub doubtful_words: Vec<String>,
}

impl Recognised {
    /// Text read by the command, which gives no confidences.
    fn without_confidences(text: String) -> Recognised {
        Recognised {
            text,
            doubtful_words: Vec::new(),
        }
    }
}

/// The doubtful words of Tesseract's TSV table (`level page_num block_num par_num line_num
/// word_num left top width height conf text`, one row per layout element; words are level 5).
fn doubtful_words(table: &str) -> Vec<String> {
    let mut doubtful = Vec::new();
    for row in table.lines() {
        let fields: Vec<&str> = row.split('\t').collect();
        let [level, .., confidence, word] = fields.as_slice() else {
            continue;
        };
        if fields.len() != 12 || *level != "5" || !word.chars().any(char::is_alphanumeric) {
            continue;
        }
        if confidence
            .parse::<f32>()
            .is_ok_and(|c| (0.0..DOUBTFUL_BELOW).contains(&c))
        {
            doubtful.push(word.to_string());
        }
    }
    doubtful
}

/// Where Tesseract is and how to run it. `tesseract: None` means OCR is off.
#[derive(Debug, Clone)]
pub struct OcrSettings {
    pub tesseract: Option<PathBuf>,
    /// Poppler's `pdftoppm`, to render a page whose text layer is garbage (a font without a
    /// Unicode map) so that it can be OCRed like a scan. `None`: such pages are reported.
    pub renderer: Option<PathBuf>,
    /// Poppler's `pdftotext`, the second opinion on a page whose text layer fails the quality
    /// gate, asked before the page is rendered and OCRed. `None`: straight to OCR, as before.
    pub text_reader: Option<PathBuf>,
    /// Tesseract `-l` value, e.g. "script/Cyrillic" or "rus+kaz".
    pub language: String,
    /// Per image; a page that takes longer is reported, not waited for.
    pub timeout: Duration,
}

impl Default for OcrSettings {
    /// Tesseract from PATH with the best installed Cyrillic model; OCR off when either is missing.
    /// Detection runs once per process.
    fn default() -> Self {
        static DETECTED: OnceLock<OcrSettings> = OnceLock::new();
        DETECTED.get_or_init(OcrSettings::detect).clone()
    }
}

impl OcrSettings {
    /// OCR switched off, and no outside tool asked about a page.
    pub fn disabled() -> Self {
        OcrSettings {
            tesseract: None,
            renderer: None,
            text_reader: None,
            language: DEFAULT_LANGUAGE.to_string(),
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// Looks for `tesseract` on PATH and picks a language it has installed. Without a Cyrillic
    /// or Russian model OCR would produce garbage for our documents, so it stays off.
    /// `pdftotext` is looked for either way: it reads a text layer, it does not recognise.
    pub fn detect() -> Self {
        let text_reader = find_on_path("pdftotext");
        let tesseract = find_on_path("tesseract");
        let language = tesseract
            .as_deref()
            .and_then(installed_languages)
            .as_deref()
            .and_then(choose_language);
        match (tesseract, language) {
            (Some(tesseract), Some(language)) => OcrSettings {
                tesseract: Some(tesseract),
                renderer: find_on_path("pdftoppm"),
                text_reader,
                language,
                timeout: DEFAULT_TIMEOUT,
            },
            _ => OcrSettings {
                text_reader,
                ..Self::disabled()
            },
        }
    }

    pub fn is_available(&self) -> bool {
        self.tesseract.is_some()
    }
}

/// The `tesseract` found on PATH, looked for once per process.
fn system_tesseract() -> Option<&'static Path> {
    static FOUND: OnceLock<Option<PathBuf>> = OnceLock::new();
    FOUND.get_or_init(|| find_on_path("tesseract")).as_deref()
}

/// Whether libtesseract reads pages for `settings` in this process: it loads, knows the
/// language, and `settings` name the `tesseract` on PATH (settings naming another program mean
/// that program, which is then run). [`engine::ENGINE_VARIABLE`]`=cli` always runs the command.
fn library_serves(settings: &OcrSettings) -> bool {
    settings.tesseract.is_some()
        && settings.tesseract.as_deref() == system_tesseract()
        && engine::available_for(&settings.language)
}

/// The version of libtesseract that reads pages for `settings` in this process, or `None`
/// when they go to the `tesseract` command (or OCR is off).
pub fn library_engine(settings: &OcrSettings) -> Option<String> {
    library_serves(settings).then(engine::version).flatten()
}

/// Whether OCR is available with the default settings.
pub fn tesseract_available() -> bool {
    OcrSettings::default().is_available()
}

fn find_on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata()
            .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

/// `tesseract --list-langs` prints a header line, then one language per line.
fn installed_languages(tesseract: &Path) -> Option<Vec<String>> {
    let output = Command::new(tesseract)
        .arg("--list-langs")
        .stdin(Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    // Older versions print the list on stderr.
    let listing = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    Some(
        listing
            .lines()
            .filter(|line| !line.contains(' '))
            .map(|line| line.trim().to_string())
            .collect(),
    )
}

fn choose_language(installed: &[String]) -> Option<String> {
    let has = |language: &str| installed.iter().any(|installed| installed == language);
    if let Some(preferred) = PREFERRED_LANGUAGES.iter().find(|language| has(language)) {
        return Some((*preferred).to_string());
    }
    match (has("rus"), has("kaz")) {
        (true, true) => Some("rus+kaz".to_string()),
        (true, false) => Some("rus".to_string()),
        (false, true) => Some("kaz".to_string()),
        (false, false) => None,
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    #[error("Tesseract is not installed")]
    NotInstalled,
    #[error("cannot write the temporary image for OCR: {0}")]
    TempFile(std::io::Error),
    #[error("cannot start tesseract: {0}")]
    Spawn(std::io::Error),
    #[error("tesseract did not finish within {} s", .0.as_secs())]
    Timeout(Duration),
    #[error("tesseract failed ({status}): {stderr}")]
    Failed { status: String, stderr: String },
    #[error("pdftoppm is not installed (apt-get install poppler-utils) to render the page")]
    NoRenderer,
    #[error("pdftoppm could not render the page ({status}): {stderr}")]
    RenderFailed { status: String, stderr: String },
    #[error("pdftotext is not installed")]
    NoTextReader,
    #[error("pdftotext could not read the page: {0}")]
    TextReaderFailed(String),
    #[error("pdftotext did not finish within {} s", .0.as_secs())]
    TextReaderTimeout(Duration),
}

/// Poppler's reading of page `number` (1-based) of the PDF at `pdf`: `pdftotext -raw` (content
/// order, as our walker reads), UTF-8, on stdout. Same timeout as OCR; the text as Poppler
/// gives it, without its closing form feed.
pub fn pdftotext_page(settings: &OcrSettings, pdf: &Path, number: u32) -> Result<String, OcrError> {
    Ok(run_pdftotext(settings, pdf, number, number)?.replace('\u{c}', ""))
}

/// Poppler's readings of pages `first..=last` in one run, one string per page: for a document
/// whose pages need Poppler one after another, where a run per page would parse the whole file
/// each time. `pdftotext` ends every page, even an empty one, with a form feed; output that
/// does not split into exactly one part per page (a page tree Poppler counts differently) is
/// an error rather than text put on the wrong pages.
pub fn pdftotext_pages(settings: &OcrSettings, pdf: &Path, first: u32, last: u32) -> Result<Vec<String>, OcrError> {
    let output = run_pdftotext(settings, pdf, first, last)?;
    let expected = usize::try_from(last.saturating_sub(first)).map_or(usize::MAX, |span| span.saturating_add(1));
    let mut pages: Vec<String> = output.split('\u{c}').map(str::to_string).collect();
    // The text after the last form feed is only the end of the output.
    let tail = pages.pop().unwrap_or_default();
    if pages.len() != expected || !tail.trim().is_empty() {
        return Err(OcrError::TextReaderFailed(format!(
            "pages {first}-{last} came back as {} page(s)",
            pages.len()
        )));
    }
    Ok(pages)
}

fn run_pdftotext(settings: &OcrSettings, pdf: &Path, first: u32, last: u32) -> Result<String, OcrError> {
    let reader = settings.text_reader.as_deref().ok_or(OcrError::NoTextReader)?;
    let (first, last) = (first.to_string(), last.to_string());
    let output = run_captured(
        Command::new(reader)
            .args(["-raw", "-enc", "UTF-8", "-f", &first, "-l", &last])
            .arg(pdf)
            .arg("-"),
        settings.timeout,
    )
    .map_err(|error| match error {
        OcrError::Timeout(limit) => OcrError::TextReaderTimeout(limit),
        OcrError::Spawn(error) => OcrError::TextReaderFailed(format!("cannot start it: {error}")),
        other => other,
    })?;
    if !output.success {
        return Err(OcrError::TextReaderFailed(format!(
            "{}: {}",
            output.status,
            output.stderr.trim()
        )));
    }
    Ok(output.stdout)
}

/// The resolution to render a page at whose longer side is `longer_side_points` (1/72 inch),
/// when the page says: [`RENDER_DPI`], lower for pages too large to render at it.
fn render_dpi(longer_side_points: Option<f32>) -> u32 {
    let fitting = longer_side_points
        .filter(|side| side.is_finite() && *side > 0.0)
        .map_or(RENDER_DPI, |side| MAX_RENDER_SIDE_PIXELS * 72.0 / side);
    fitting.clamp(MIN_RENDER_DPI, RENDER_DPI).round() as u32
}

/// Renders page `number` (1-based) of the PDF at `pdf` and recognises its text: for pages whose
/// text layer is unreadable, or whose scan image cannot be handed to Tesseract as it is.
/// `longer_side_points`: the page's longer side as its MediaBox says, if it does.
pub fn ocr_pdf_page(
    settings: &OcrSettings,
    pdf: &Path,
    number: u32,
    longer_side_points: Option<f32>,
) -> Result<Recognised, OcrError> {
    let renderer = settings.renderer.as_deref().ok_or(OcrError::NoRenderer)?;
    settings.tesseract.as_deref().ok_or(OcrError::NotInstalled)?;
    let page = number.to_string();
    let dpi = render_dpi(longer_side_points);
    // Grey PGM, the engine's own input: no PNG to encode and decode again. pdftoppm writes
    // `<prefix>.pgm`; the prefix is a reserved temp name, so the image is too.
    let prefix = TempFile::reserve("page");
    let mut pgm = prefix.path().as_os_str().to_owned();
    pgm.push(".pgm");
    let rendered = TempFile {
        path: PathBuf::from(pgm),
    };
    let output = run_captured(
        Command::new(renderer)
            .args(["-r", &dpi.to_string(), "-gray", "-singlefile", "-f", &page, "-l", &page])
            .arg(pdf)
            .arg(prefix.path()),
        settings.timeout,
    )?;
    if !output.success {
        return Err(OcrError::RenderFailed {
            status: output.status,
            stderr: output.stderr.trim().to_string(),
        });
    }
    let bytes = std::fs::read(rendered.path()).map_err(OcrError::TempFile)?;
    let (width, height, pixels) = parse_pgm(&bytes).ok_or_else(|| OcrError::RenderFailed {
        status: "exit status: 0".to_string(),
        stderr: "pdftoppm wrote no readable PGM image".to_string(),
    })?;
    ocr_gray(
        settings,
        &GrayPixels {
            pixels,
            width,
            height,
            dpi: Some(dpi),
        },
    )
}

/// A binary PGM's size and 8-bit pixels: `P5`, width, height and a maximum of 255, separated by
/// whitespace (and `#` comments), one whitespace byte, then the rows.
fn parse_pgm(bytes: &[u8]) -> Option<(usize, usize, &[u8])> {
    let mut at = 2;
    if !bytes.starts_with(b"P5") {
        return None;
    }
    let mut fields = [0usize; 3];
    for field in &mut fields {
        loop {
            match bytes.get(at)? {
                b'#' => at += bytes[at..].iter().position(|&b| b == b'\n')?,
                b if b.is_ascii_whitespace() => at += 1,
                _ => break,
            }
        }
        let digits = bytes[at..].iter().take_while(|b| b.is_ascii_digit()).count();
        *field = std::str::from_utf8(&bytes[at..at + digits]).ok()?.parse().ok()?;
        at += digits;
    }
    let [width, height, max] = fields;
    let pixels = bytes.get(at + 1..)?.get(..width.checked_mul(height)?)?;
    (max == 255 && bytes.get(at)?.is_ascii_whitespace()).then_some((width, height, pixels))
}

/// A grey image as a binary PGM file (for the `tesseract` command).
fn pgm_bytes(image: &GrayPixels) -> Vec<u8> {
    let mut bytes = format!("P5\n{} {}\n255\n", image.width, image.height).into_bytes();
    bytes.extend_from_slice(&image.pixels[..image.pixels.len().min(image.width * image.height)]);
    bytes
}

/// Recognises the text of a grey image (a decoded photo or scan, a rendered page) when it may
/// hold any; an image that cannot is "no text" (an empty string) without OCR.
pub(crate) fn ocr_gray(settings: &OcrSettings, image: &GrayPixels) -> Result<Recognised, OcrError> {
    settings.tesseract.as_deref().ok_or(OcrError::NotInstalled)?;
    if !blank::may_hold_text(image) {
        return Ok(Recognised::default());
    }
    if library_serves(settings)
        && let Some(recognised) = engine::recognise_gray(&settings.language, image, settings.timeout)
    {
        return recognised.map(as_the_command_prints);
    }
    ocr_image_cli(settings, &pgm_bytes(image), "pgm", image.dpi).map(Recognised::without_confidences)
}

/// Recognises the text of one image file's bytes. `ext` is the image's file extension ("jpg",
/// "pgm", ...). With the library, the image is decoded as the command would decode it and
/// first passes the blank-page test; the command is given the file as it is.
pub fn ocr_image(settings: &OcrSettings, image_bytes: &[u8], ext: &str) -> Result<Recognised, OcrError> {
    settings.tesseract.as_deref().ok_or(OcrError::NotInstalled)?;
    if library_serves(settings)
        && let Some(recognised) = engine::recognise_encoded(&settings.language, image_bytes, settings.timeout)
    {
        return recognised.map(as_the_command_prints);
    }
    ocr_image_cli(settings, image_bytes, ext, None).map(Recognised::without_confidences)
}

/// The `tesseract` command on one image file, at `dpi` when given (else the file's own, or
/// Tesseract's estimate). Tesseract decides how to read the file by its content, but a
/// truthful `ext` helps it.
fn ocr_image_cli(settings: &OcrSettings, image_bytes: &[u8], ext: &str, dpi: Option<u32>) -> Result<String, OcrError> {
    let tesseract = settings.tesseract.as_deref().ok_or(OcrError::NotInstalled)?;
    let image = TempFile::write(image_bytes, ext).map_err(OcrError::TempFile)?;
    let mut command = Command::new(tesseract);
    command
        .arg(image.path())
        .arg("stdout")
        .args(["-l", &settings.language, "--psm", "3"])
        .env("OMP_THREAD_LIMIT", "1");
    if let Some(dpi) = dpi {
        command.args(["--dpi", &dpi.to_string()]);
    }
    let output = run_captured(&mut command, settings.timeout)?;
    if !output.success {
        return Err(OcrError::Failed {
            status: output.status,
            stderr: output.stderr.trim().to_string(),
        });
    }
    Ok(printed(&output.stdout))
}

/// Recognised text without the form feed Tesseract ends each page with, and trailing space.
fn printed(text: &str) -> String {
    text.replace('\u{c}', "").trim_end().to_string()
}

/// What the engine read, its text as the command prints it.
fn as_the_command_prints(recognised: Recognised) -> Recognised {
    Recognised {
        text: printed(&recognised.text),
        ..recognised
    }
}

struct Finished {
    success: bool,
    status: String,
    stdout: String,
    stderr: String,
}

/// Runs a tool with no input and its output captured, to completion or its timeout.
fn run_captured(command: &mut Command, timeout: Duration) -> Result<Finished, OcrError> {
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(OcrError::Spawn)?;
    wait_with_timeout(child, timeout)
}

/// Waits for the child, killing it after `timeout`. Output pipes are drained on threads so a
/// chatty child cannot block on a full pipe while we wait for it.
fn wait_with_timeout(mut child: Child, timeout: Duration) -> Result<Finished, OcrError> {
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(OcrError::Timeout(timeout));
            }
            Ok(None) => std::thread::sleep(POLL_INTERVAL),
            Err(error) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(OcrError::Spawn(error));
            }
        }
    };
    Ok(Finished {
        success: status.success(),
        status: status.to_string(),
        stdout: joined(stdout),
        stderr: joined(stderr),
    })
}

fn drain(pipe: Option<impl Read + Send + 'static>) -> Option<JoinHandle<Vec<u8>>> {
    pipe.map(|mut pipe| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    })
}

fn joined(handle: Option<JoinHandle<Vec<u8>>>) -> String {
    let bytes = handle.and_then(|handle| handle.join().ok()).unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A file in the temp directory, removed when dropped (on every path, including errors).
pub struct TempFile {
    path: PathBuf,
}

impl TempFile {
    /// A unique temp path ending in `.ext`, not yet created (a tool will write it).
    fn reserve(ext: &str) -> Self {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let unique = COUNTER.fetch_add(1, Ordering::Relaxed);
        let ext: String = ext
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .take(12)
            .collect();
        let name = format!("portalcheck-ocr-{}-{unique}.{ext}", std::process::id());
        TempFile {
            path: std::env::temp_dir().join(name),
        }
    }

    /// Writes `bytes` to a new temp file ending in `.ext`.
    pub fn write(bytes: &[u8], ext: &str) -> std::io::Result<Self> {
        let file = TempFile::reserve(ext);
        std::fs::write(&file.path, bytes)?;
        Ok(file)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_choice_prefers_the_cyrillic_script_model() {
        let langs = |names: &[&str]| names.iter().map(|name| name.to_string()).collect::<Vec<_>>();
        assert_eq!(
            choose_language(&langs(&["eng", "script/Cyrillic", "rus"])).as_deref(),
            Some("script/Cyrillic")
        );
        assert_eq!(
            choose_language(&langs(&["Cyrillic", "eng"])).as_deref(),
            Some("Cyrillic")
        );
        assert_eq!(
            choose_language(&langs(&["eng", "kaz", "rus"])).as_deref(),
            Some("rus+kaz")
        );
        assert_eq!(choose_language(&langs(&["rus"])).as_deref(), Some("rus"));
        assert_eq!(choose_language(&langs(&["eng", "osd"])), None);
    }

    #[test]
    fn pages_too_large_for_300_dpi_are_rendered_at_less() {
        assert_eq!(render_dpi(None), 300);
        assert_eq!(render_dpi(Some(842.0)), 300, "A4");
        assert_eq!(render_dpi(Some(1684.0)), 300, "A2");
        assert_eq!(render_dpi(Some(3370.0)), 150, "A0: 7016 pixels long");
        assert_eq!(render_dpi(Some(14_400.0)), 36, "the largest page PDF allows");
        assert_eq!(render_dpi(Some(f32::INFINITY)), 300);
        assert_eq!(render_dpi(Some(-5.0)), 300);
    }

    /// Page 1 of the fidelity corpus's LibreOffice PDF (real Russian and Kazakh text, about
    /// 12 pt), rendered grey by `pdftoppm` at `dpi`: width, height, pixels.
    fn rendered_text_page(dpi: u32) -> Option<(usize, usize, Vec<u8>)> {
        let renderer = OcrSettings::detect().renderer.or_else(|| find_on_path("pdftoppm"))?;
        let pdf = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/fidelity/libreoffice.pdf");
        let dir = tempfile::tempdir().ok()?;
        let prefix = dir.path().join("page");
        let status = Command::new(renderer)
            .args(["-r", &dpi.to_string(), "-gray", "-singlefile", "-f", "1", "-l", "1"])
            .arg(&pdf)
            .arg(&prefix)
            .status()
            .ok()?;
        assert!(status.success());
        let bytes = std::fs::read(dir.path().join("page.pgm")).ok()?;
        let (width, height, pixels) = parse_pgm(&bytes)?;
        Some((width, height, pixels.to_vec()))
    }

    fn gray(width: usize, height: usize, pixels: &[u8], dpi: u32) -> GrayPixels<'_> {
        GrayPixels {
            pixels,
            width,
            height,
            dpi: Some(dpi),
        }
    }

    /// Settings for the real Tesseract through the library, or why the test cannot run here.
    fn library_settings() -> Option<OcrSettings> {
        let settings = OcrSettings::default();
        if !settings.is_available() || settings.renderer.is_none() {
            eprintln!("Tesseract or pdftoppm is not installed; skipped");
            return None;
        }
        if library_engine(&settings).is_none() {
            eprintln!("libtesseract does not load here (only the command reads pages); skipped");
            return None;
        }
        Some(settings)
    }

    fn words(text: &str) -> Vec<&str> {
        text.split_whitespace().collect()
    }

    #[test]
    fn the_engine_reads_the_same_words_as_the_command() {
        let Some(settings) = library_settings() else {
            return;
        };
        let (width, height, pixels) = rendered_text_page(300).unwrap();
        let image = gray(width, height, &pixels, 300);
        // A rendered page: grey pixels at a known resolution, as `ocr_pdf_page` gives them.
        let ours = engine::recognise_gray(&settings.language, &image, settings.timeout)
            .expect("the library serves the language")
            .unwrap();
        let cli = ocr_image_cli(&settings, &pgm_bytes(&image), "pgm", Some(300)).unwrap();
        let ours = as_the_command_prints(ours);
        assert_eq!(words(&ours.text), words(&cli));
        assert!(cli.contains("информационной") && words(&cli).len() > 100, "{cli}");
        // A clean rendering: the engine is sure of (nearly) every word.
        assert!(
            ours.doubtful_words.len() * 50 < words(&cli).len(),
            "{:?}",
            ours.doubtful_words
        );
        // An image file as a PDF's scan reaches OCR: bytes, decoded by Leptonica either way.
        let file = pgm_bytes(&image);
        let ours = engine::recognise_encoded(&settings.language, &file, settings.timeout)
            .expect("the library serves the language")
            .unwrap();
        let cli = ocr_image_cli(&settings, &file, "pgm", None).unwrap();
        assert_eq!(words(&as_the_command_prints(ours).text), words(&cli));
        // And through the public entry points, twice: the kept engine reads the next page alike.
        for _ in 0..2 {
            assert_eq!(words(&ocr_image(&settings, &file, "pgm").unwrap().text), words(&cli));
        }
    }

    #[test]
    fn the_engine_stops_at_its_deadline() {
        let Some(settings) = library_settings() else {
            return;
        };
        let (width, height, pixels) = rendered_text_page(300).unwrap();
        let image = gray(width, height, &pixels, 300);
        let got = engine::recognise_gray(&settings.language, &image, Duration::from_millis(1)).unwrap();
        assert!(matches!(got, Err(OcrError::Timeout(_))), "{got:?}");
        // The engine went back to the pool cleared, and reads the next page in full.
        let got = engine::recognise_gray(&settings.language, &image, settings.timeout).unwrap();
        assert!(got.unwrap().text.contains("информационной"));
    }

    #[test]
    fn the_engine_doubts_the_words_of_a_smudged_page() {
        let Some(settings) = library_settings() else {
            return;
        };
        let (width, height, mut pixels) = rendered_text_page(300).unwrap();
        let clean = engine::recognise_gray(&settings.language, &gray(width, height, &pixels, 300), settings.timeout)
            .expect("the library serves the language")
            .unwrap();
        add_grain(&mut pixels, 110.0, 7);
        let smudged = engine::recognise_gray(&settings.language, &gray(width, height, &pixels, 300), settings.timeout)
            .expect("the library serves the language")
            .unwrap();
        assert!(
            smudged.doubtful_words.len() > clean.doubtful_words.len() + 5,
            "clean: {:?}; smudged: {:?}",
            clean.doubtful_words,
            smudged.doubtful_words
        );
        // Each doubtful word is a word the text holds.
        for word in &smudged.doubtful_words {
            assert!(smudged.text.contains(word.as_str()), "{word}");
        }
    }

    #[test]
    fn doubtful_words_are_the_table_s_words_below_the_confidence_bar() {
        let table = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
            1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t\n\
            4\t1\t1\t1\t1\t0\t300\t400\t900\t60\t-1\t\n\
            5\t1\t1\t1\t1\t1\t300\t400\t200\t60\t95.717850\t«Цифровой\n\
            5\t1\t1\t1\t1\t2\t520\t400\t300\t60\t0.000000\tдокуенщообород\n\
            5\t1\t1\t1\t1\t3\t840\t400\t40\t60\t87.232704\t№\n\
            5\t1\t1\t1\t1\t4\t900\t400\t140\t60\t14.922791\tД4ДАД5»\n\
            5\t1\t1\t1\t2\t1\t300\t500\t20\t60\t20.0\t|\n\
            5\t1\t1\t1\t2\t2\t330\t500\t20\t60\t64.9\tл\n\
            5\t1\t1\t1\t2\t3\t360\t500\t20\t60\t65.0\tи\n\
            5\t1\t1\t1\t2\t4\t390\t500\t20\t60\tnot-a-number\tщ\n\
            5\t1\t1\t1\t2\t5\t390\t500\t20\t60\t3.0\n";
        assert_eq!(doubtful_words(table), ["докуенщообород", "Д4ДАД5»", "л"]);
    }

    /// Deterministic grain: roughly Gaussian with deviation `sigma` (a sum of four uniforms).
    fn add_grain(pixels: &mut [u8], sigma: f32, seed: u64) {
        let mut state = seed | 1;
        let mut uniform = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f32 / (1u64 << 53) as f32 * 2.0 - 1.0
        };
        for pixel in pixels {
            let noise = (uniform() + uniform() + uniform() + uniform()) * sigma / 1.155;
            *pixel = (f32::from(*pixel) + noise).round().clamp(0.0, 255.0) as u8;
        }
    }

    /// Real text that must reach the engine, made from a rendered page: light grey text on
    /// grainy paper, small (8 pt at 300 dpi) text, and a page with one short line.
    #[test]
    fn faint_small_and_short_text_is_never_taken_for_a_blank_page() {
        let Some((width, height, page)) = rendered_text_page(300) else {
            eprintln!("pdftoppm is not installed; skipped");
            return;
        };
        let mut light = page.clone();
        for pixel in &mut light {
            // Black becomes about #BBB on paper of #F5F5F5.
            *pixel = 245 - ((255 - u32::from(*pixel)) * 70 / 255) as u8;
        }
        add_grain(&mut light, 6.0, 1);
        assert!(
            blank::may_hold_text(&gray(width, height, &light, 300)),
            "light grey text"
        );

        // 12 pt at 200 dpi has the pixels of 8 pt at 300 dpi.
        let (small_width, small_height, small) = rendered_text_page(200).unwrap();
        let mut sheet = vec![250u8; width * height];
        for y in 0..small_height.min(height) {
            sheet[y * width..y * width + small_width.min(width)]
                .copy_from_slice(&small[y * small_width..][..small_width.min(width)]);
        }
        add_grain(&mut sheet, 5.0, 2);
        assert!(blank::may_hold_text(&gray(width, height, &sheet, 300)), "8 pt text");

        // The first line of the page, cut to its first 250 pixels of ink (a word or two), alone
        // on a grainy sheet.
        let ink = |y: usize| page[y * width..(y + 1) * width].iter().any(|&p| p < 128);
        let top = (0..height).find(|&y| ink(y)).unwrap();
        let bottom = (top..height).find(|&y| !ink(y)).unwrap();
        let left = (0..width)
            .find(|&x| (top..bottom).any(|y| page[y * width + x] < 128))
            .unwrap();
        let mut sheet = vec![245u8; width * height];
        for y in top..bottom {
            for x in left..(left + 250).min(width) {
                sheet[(y + height / 3) * width + x] = page[y * width + x].min(245);
            }
        }
        add_grain(&mut sheet, 6.0, 3);
        let line = gray(width, height, &sheet, 300);
        assert!(blank::may_hold_text(&line), "one short line");
    }

    #[test]
    fn blank_and_grainy_pages_are_no_text_without_the_engine() {
        let (width, height) = (2480, 3508);
        let white = vec![255u8; width * height];
        let mut near_white = vec![250u8; width * height];
        add_grain(&mut near_white, 3.0, 4);
        let mut grainy = vec![238u8; width * height];
        add_grain(&mut grainy, 10.0, 5);
        let mut specks = vec![244u8; width * height];
        add_grain(&mut specks, 6.0, 6);
        for k in 0..40 {
            specks[(100 + k * 80) * width + 200 + k * 50] = 90; // dust: single dark pixels
        }
        for k in 0..5 {
            let at = (300 + k * 600) * width + 1000;
            for offset in [0, 1, width, width + 1] {
                specks[at + offset] = 100; // and a few 2×2 specks
            }
        }
        // The back of a scanned sheet: 160 toner specks of 2 to 4 pixels a side, dark to mid grey,
        // which together hold far more than a letter's worth of ink.
        let mut dusty = vec![236u8; width * height];
        add_grain(&mut dusty, 4.0, 7);
        for k in 0..160usize {
            let (x, y) = (150 + (k * 997) % (width - 300), 150 + (k * 1733) % (height - 300));
            let side = 2 + k % 3;
            for dy in 0..side {
                for dx in 0..side {
                    dusty[(y + dy) * width + x + dx] = 40 + (k % 120) as u8;
                }
            }
        }
        // Two pairs of specks that touch, each pair 11 pixels wide: the size of a letter, but no word.
        let mut touching = vec![236u8; width * height];
        add_grain(&mut touching, 4.0, 11);
        for (x, y) in [(400usize, 500usize), (1200, 1900)] {
            for dy in 0..5 {
                for dx in (0..5).chain(6..11) {
                    touching[(y + dy) * width + x + dx] = 50;
                }
                touching[(y + 2) * width + x + 5] = 50;
            }
        }
        for (name, pixels) in [
            ("dusty back", &dusty),
            ("specks that touch", &touching),
            ("white", &white),
            ("near white", &near_white),
            ("grainy", &grainy),
            ("specks", &specks),
        ] {
            let page = gray(width, height, pixels, 300);
            assert!(!blank::may_hold_text(&page), "{name}");
            // No engine, no command: a blank page is "no text" even with a Tesseract that
            // could not run at all.
            let settings = OcrSettings {
                tesseract: Some(PathBuf::from("/nonexistent/tesseract")),
                ..OcrSettings::disabled()
            };
            assert_eq!(ocr_gray(&settings, &page).unwrap(), Recognised::default(), "{name}");
        }
        assert!(!blank::may_hold_text(&gray(40, 40, &vec![0; 1600], 300)), "an icon");
        assert!(
            !blank::may_hold_text(&gray(2000, 12, &vec![0; 24_000], 300)),
            "a hairline strip"
        );
    }

    #[test]
    fn pgm_headers_are_read_with_comments_and_refused_when_short() {
        assert_eq!(parse_pgm(b"P5\n2 1\n255\n\x00\xff"), Some((2, 1, &[0u8, 255][..])));
        assert_eq!(
            parse_pgm(b"P5 # by pdftoppm\n2 1 255\n\x00\xff"),
            Some((2, 1, &[0u8, 255][..]))
        );
        assert_eq!(parse_pgm(b"P5\n2 2\n255\n\x00\xff"), None, "fewer pixels than its size");
        assert_eq!(parse_pgm(b"P5\n2 1\n65535\n\x00\xff\x00\xff"), None, "16-bit");
        assert_eq!(parse_pgm(b"P6\n1 1\n255\n\x00\x00\x00"), None, "colour");
        let image = GrayPixels {
            pixels: &[7, 8],
            width: 2,
            height: 1,
            dpi: None,
        };
        assert_eq!(parse_pgm(&pgm_bytes(&image)), Some((2, 1, &[7u8, 8][..])));
    }

    #[test]
    fn disabled_settings_refuse_to_ocr() {
        let error = ocr_image(&OcrSettings::disabled(), b"P5\n1 1\n255\n\0", "pgm").unwrap_err();
        assert!(matches!(error, OcrError::NotInstalled));
    }

    #[test]
    fn temp_images_are_removed() {
        let path = {
            let image = TempFile::write(b"x", "p/g../m").unwrap();
            assert!(image.path().exists());
            assert!(image.path().to_string_lossy().ends_with(".pgm"));
            image.path().to_path_buf()
        };
        assert!(!path.exists());
    }

    #[cfg(unix)]
    #[test]
    fn slow_tesseract_is_killed_at_the_timeout() {
        // A stand-in "tesseract" that sleeps: the timeout must fire and the temp file go away.
        let script = std::env::temp_dir().join(format!("portalcheck-fake-tesseract-{}", std::process::id()));
        std::fs::write(&script, "#!/bin/sh\nexec sleep 5\n").unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        let settings = OcrSettings {
            tesseract: Some(script.clone()),
            renderer: None,
            text_reader: None,
            language: "rus".into(),
            timeout: Duration::from_millis(200),
        };
        let started = Instant::now();
        let error = ocr_image_cli(&settings, b"P5\n1 1\n255\n\0", "pgm", None).unwrap_err();
        std::fs::remove_file(&script).unwrap();
        assert!(matches!(error, OcrError::Timeout(_)), "{error}");
        assert!(started.elapsed() < Duration::from_secs(3));
    }
}
