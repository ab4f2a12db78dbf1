//! Tesseract inside this process: libtesseract's stable C API (`capi.h`), loaded at run time.
//!
//! The `tesseract` command loads its recognition model (29 MB for the Cyrillic script) for every
//! page, about 0.25 CPU-seconds before it looks at a pixel. An engine here loads it once and is
//! kept for the life of the process, so a worker that reads many pages, or many files, pays
//! that once. The library is opened with `dlopen` (the `libloading` crate), not linked: the
//! binary starts and builds on a machine without Tesseract or its `-dev` package, and OCR then
//! falls back to the command (see [`super::ocr_image`]) or stays off as before.
//!
//! What the engine is given matches what the command does with the same file, so the text is
//! the same: images are decoded by the same Leptonica (`pixReadMem`, as the command's
//! `pixRead`), the same model and language are initialised with the same engine mode
//! (`TessBaseAPIInit3`, the default), the same page segmentation mode is set, and the text is
//! `TessBaseAPIGetUTF8Text`, what the command's text renderer prints. The words the engine
//! doubted come from its table of words and confidences (`TessBaseAPIGetTsvText`, the command's
//! `tsv` output), which the command path does without.
//!
//! Bounds: recognition runs under a Tesseract monitor with a deadline (the command-line tool's
//! own `ETEXT_DESC`), checked word by word; layout analysis before it is not covered by the
//! deadline. In a worker, the parent's wall-clock limit kills the process either way.
//!
//! Threads: libtesseract is built with OpenMP, whose thread limit is read from
//! `OMP_THREAD_LIMIT` once, when the OpenMP runtime is loaded with the library. It is set to 1
//! before loading (as the command was run), since extraction already runs files in parallel.

use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use libloading::Library;

use super::blank;
use super::{OcrError, Recognised};

const TESSERACT_LIBRARY: &str = "libtesseract.so.5";
const LEPTONICA_LIBRARY: &str = "liblept.so.5";
/// `tesseract --psm 3`: automatic page segmentation without orientation detection.
const PSM_AUTO: c_int = 3;
/// Set to `cli` to OCR with the `tesseract` command even when the library loads (to compare).
pub const ENGINE_VARIABLE: &str = "PORTALCHECK_OCR_ENGINE";

type TessBaseApi = c_void;
type Pix = c_void;
type Monitor = c_void;

/// The functions of libtesseract and Leptonica we call, resolved once.
struct Api {
    create: unsafe extern "C" fn() -> *mut TessBaseApi,
    delete: unsafe extern "C" fn(*mut TessBaseApi),
    init3: unsafe extern "C" fn(*mut TessBaseApi, *const c_char, *const c_char) -> c_int,
    set_page_seg_mode: unsafe extern "C" fn(*mut TessBaseApi, c_int),
    set_variable: unsafe extern "C" fn(*mut TessBaseApi, *const c_char, *const c_char) -> c_int,
    set_image: unsafe extern "C" fn(*mut TessBaseApi, *const u8, c_int, c_int, c_int, c_int),
    set_image2: unsafe extern "C" fn(*mut TessBaseApi, *mut Pix),
    set_source_resolution: unsafe extern "C" fn(*mut TessBaseApi, c_int),
    recognize: unsafe extern "C" fn(*mut TessBaseApi, *mut Monitor) -> c_int,
    get_utf8_text: unsafe extern "C" fn(*mut TessBaseApi) -> *mut c_char,
    get_tsv_text: unsafe extern "C" fn(*mut TessBaseApi, c_int) -> *mut c_char,
    delete_text: unsafe extern "C" fn(*const c_char),
    clear: unsafe extern "C" fn(*mut TessBaseApi),
    clear_adaptive_classifier: unsafe extern "C" fn(*mut TessBaseApi),
    version: unsafe extern "C" fn() -> *const c_char,
    monitor_create: unsafe extern "C" fn() -> *mut Monitor,
    monitor_delete: unsafe extern "C" fn(*mut Monitor),
    monitor_set_deadline: unsafe extern "C" fn(*mut Monitor, c_int),
    pix_read_mem: unsafe extern "C" fn(*const u8, usize) -> *mut Pix,
    pix_destroy: unsafe extern "C" fn(*mut *mut Pix),
    pix_convert_to8: unsafe extern "C" fn(*mut Pix, c_int) -> *mut Pix,
    pix_get_width: unsafe extern "C" fn(*const Pix) -> c_int,
    pix_get_height: unsafe extern "C" fn(*const Pix) -> c_int,
    pix_get_depth: unsafe extern "C" fn(*const Pix) -> c_int,
    pix_get_wpl: unsafe extern "C" fn(*const Pix) -> c_int,
    pix_get_y_res: unsafe extern "C" fn(*const Pix) -> c_int,
    pix_get_data: unsafe extern "C" fn(*mut Pix) -> *mut u32,
    // Kept open for as long as the function pointers above are used: the life of the process.
    _tesseract: Library,
    _leptonica: Library,
}

impl Api {
    /// The loaded library, or `None` when it is not installed (or the command is asked for).
    fn get() -> Option<&'static Api> {
        static API: OnceLock<Option<Api>> = OnceLock::new();
        API.get_or_init(|| {
            if std::env::var(ENGINE_VARIABLE).is_ok_and(|choice| choice == "cli") {
                return None;
            }
            Api::load().ok()
        })
        .as_ref()
    }

    fn load() -> Result<Api, libloading::Error> {
        if std::env::var_os("OMP_THREAD_LIMIT").is_none() {
            // SAFETY: std serialises its own reads and writes of the environment; this runs once,
            // before the OpenMP runtime that reads the variable is loaded. What it cannot order is
            // C code calling `getenv` on another thread at this instant: none runs in a worker,
            // whose other thread waits for this one.
            unsafe { std::env::set_var("OMP_THREAD_LIMIT", "1") };
        }
        // SAFETY: loading the system's libtesseract 5 and Leptonica runs their initialisers,
        // which only set up their own state. Each symbol gets the type of its field, the
        // signature of Tesseract 5's `capi.h` and Leptonica's `allheaders.h`, stable across
        // their 5.x and 1.7x/1.8x releases.
        unsafe {
            let tesseract = Library::new(TESSERACT_LIBRARY)?;
            let leptonica = Library::new(LEPTONICA_LIBRARY)?;
            macro_rules! function {
                ($library:ident, $name:literal) => {
                    *$library.get($name)?
                };
            }
            Ok(Api {
                create: function!(tesseract, b"TessBaseAPICreate"),
                delete: function!(tesseract, b"TessBaseAPIDelete"),
                init3: function!(tesseract, b"TessBaseAPIInit3"),
                set_page_seg_mode: function!(tesseract, b"TessBaseAPISetPageSegMode"),
                set_variable: function!(tesseract, b"TessBaseAPISetVariable"),
                set_image: function!(tesseract, b"TessBaseAPISetImage"),
                set_image2: function!(tesseract, b"TessBaseAPISetImage2"),
                set_source_resolution: function!(tesseract, b"TessBaseAPISetSourceResolution"),
                recognize: function!(tesseract, b"TessBaseAPIRecognize"),
                get_utf8_text: function!(tesseract, b"TessBaseAPIGetUTF8Text"),
                get_tsv_text: function!(tesseract, b"TessBaseAPIGetTsvText"),
                delete_text: function!(tesseract, b"TessDeleteText"),
                clear: function!(tesseract, b"TessBaseAPIClear"),
                clear_adaptive_classifier: function!(tesseract, b"TessBaseAPIClearAdaptiveClassifier"),
                version: function!(tesseract, b"TessVersion"),
                monitor_create: function!(tesseract, b"TessMonitorCreate"),
                monitor_delete: function!(tesseract, b"TessMonitorDelete"),
                monitor_set_deadline: function!(tesseract, b"TessMonitorSetDeadlineMSecs"),
                pix_read_mem: function!(leptonica, b"pixReadMem"),
                pix_destroy: function!(leptonica, b"pixDestroy"),
                pix_convert_to8: function!(leptonica, b"pixConvertTo8"),
                pix_get_width: function!(leptonica, b"pixGetWidth"),
                pix_get_height: function!(leptonica, b"pixGetHeight"),
                pix_get_depth: function!(leptonica, b"pixGetDepth"),
                pix_get_wpl: function!(leptonica, b"pixGetWpl"),
                pix_get_y_res: function!(leptonica, b"pixGetYRes"),
                pix_get_data: function!(leptonica, b"pixGetData"),
                _tesseract: tesseract,
                _leptonica: leptonica,
            })
        }
    }
}

/// The loaded library's version, e.g. "5.3.0"; `None` when OCR goes through the command.
pub fn version() -> Option<String> {
    let api = Api::get()?;
    // SAFETY: TessVersion returns a static NUL-terminated string.
    let version = unsafe { CStr::from_ptr((api.version)()) };
    Some(version.to_string_lossy().into_owned())
}

/// One initialised TessBaseAPI: its model stays loaded between pages.
struct Engine {
    handle: *mut TessBaseApi,
    language: String,
}

// SAFETY: a TessBaseAPI has no affinity to the thread that made it; an engine is used by one
// thread at a time (taken out of the pool while it works).
unsafe impl Send for Engine {}

impl Drop for Engine {
    fn drop(&mut self) {
        if let Some(api) = Api::get() {
            // SAFETY: the handle came from TessBaseAPICreate and is deleted once.
            unsafe { (api.delete)(self.handle) };
        }
    }
}

/// Engines not in use, kept for the life of the process: as many as pages were ever OCRed at
/// once (one per thread that needed one), each made on first need.
static IDLE: Mutex<Vec<Engine>> = Mutex::new(Vec::new());
/// Languages the library could not initialise: the command is used for them, without asking
/// the library again for every page.
static REFUSED: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// An engine out of the pool for one page, returned to it when dropped.
struct Lease {
    engine: Option<Engine>,
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Some(engine) = self.engine.take()
            && let Ok(mut idle) = IDLE.lock()
        {
            idle.push(engine);
        }
    }
}

impl Lease {
    fn handle(&self) -> *mut TessBaseApi {
        self.engine
            .as_ref()
            .map_or(std::ptr::null_mut(), |engine| engine.handle)
    }
}

/// An engine for `language`, when the library is there and knows the language.
fn lease(api: &Api, language: &str) -> Option<Lease> {
    if let Ok(mut idle) = IDLE.lock()
        && let Some(at) = idle.iter().position(|engine| engine.language == language)
    {
        return Some(Lease {
            engine: Some(idle.swap_remove(at)),
        });
    }
    if REFUSED
        .lock()
        .is_ok_and(|refused| refused.iter().any(|l| l == language))
    {
        return None;
    }
    let engine = create(api, language);
    if engine.is_none()
        && let Ok(mut refused) = REFUSED.lock()
    {
        refused.push(language.to_string());
    }
    engine.map(|engine| Lease { engine: Some(engine) })
}

fn create(api: &Api, language: &str) -> Option<Engine> {
    let language_c = CString::new(language).ok()?;
    // SAFETY: calls into the C API with a fresh handle; a failed Init leaves it deletable.
    unsafe {
        let handle = (api.create)();
        if handle.is_null() {
            return None;
        }
        let engine = Engine {
            handle,
            language: language.to_string(),
        };
        // A null data path is the library's own tessdata, as the command finds it.
        if (api.init3)(handle, std::ptr::null(), language_c.as_ptr()) != 0 {
            return None; // dropped: deleted
        }
        (api.set_page_seg_mode)(handle, PSM_AUTO);
        // Tesseract's progress notes ("Detected 100 diacritics") would land on the terminal of
        // `portalcheck extract` and in a worker's last words; its debug file takes them instead.
        // A library that refuses the variable only stays talkative.
        (api.set_variable)(handle, c"debug_file".as_ptr(), c"/dev/null".as_ptr());
        Some(engine)
    }
}

/// Whether pages in `language` will be read by the library (else by the command). Makes the
/// first engine, so the first page does not pay for a refusal twice.
pub fn available_for(language: &str) -> bool {
    Api::get().and_then(|api| lease(api, language)).is_some()
}

/// A grey image as rows of bytes, 0 black to 255 white.
pub struct GrayPixels<'a> {
    pub pixels: &'a [u8],
    pub width: usize,
    pub height: usize,
    /// The scan's resolution when known; Tesseract estimates it from the text otherwise.
    pub dpi: Option<u32>,
}

/// Recognises a grey image. `None`: the library is not there for this language.
pub fn recognise_gray(language: &str, image: &GrayPixels, timeout: Duration) -> Option<Result<Recognised, OcrError>> {
    let api = Api::get()?;
    let lease = lease(api, language)?;
    let (Ok(width), Ok(height), Ok(bytes_per_line)) = (
        c_int::try_from(image.width),
        c_int::try_from(image.height),
        c_int::try_from(image.width),
    ) else {
        return Some(Err(failed("the image is too large for Tesseract")));
    };
    if image.pixels.len() < image.width.saturating_mul(image.height) {
        return Some(Err(failed("the image holds fewer pixels than its size says")));
    }
    // SAFETY: the pixel buffer outlives the recognition (Tesseract copies it in SetImage).
    unsafe {
        (api.set_image)(lease.handle(), image.pixels.as_ptr(), width, height, 1, bytes_per_line);
        if let Some(dpi) = image.dpi.and_then(|dpi| c_int::try_from(dpi).ok()) {
            (api.set_source_resolution)(lease.handle(), dpi);
        }
    }
    Some(run(api, &lease, timeout))
}

/// Recognises an image file's bytes (JPEG, PNG, PNM, TIFF...) as Leptonica decodes them, after
/// the blank-page test. `None`: the library is not there for this language.
pub fn recognise_encoded(language: &str, bytes: &[u8], timeout: Duration) -> Option<Result<Recognised, OcrError>> {
    let api = Api::get()?;
    let lease = lease(api, language)?;
    // SAFETY: Leptonica reads from the slice and returns an owned Pix (or null); every Pix made
    // here is destroyed below on every path.
    unsafe {
        let mut pix = (api.pix_read_mem)(bytes.as_ptr(), bytes.len());
        if pix.is_null() {
            return Some(Err(failed("Leptonica cannot read the image")));
        }
        let outcome = if may_hold_text(api, pix) {
            (api.set_image2)(lease.handle(), pix);
            run(api, &lease, timeout)
        } else {
            Ok(Recognised::default())
        };
        (api.pix_destroy)(&mut pix);
        Some(outcome)
    }
}

/// The blank-page test on a decoded image: its grey rendering, read out of Leptonica's words.
///
/// # Safety
/// `pix` must be a live Pix.
unsafe fn may_hold_text(api: &Api, pix: *mut Pix) -> bool {
    // SAFETY: per the contract; the grey copy is destroyed before returning.
    unsafe {
        let mut gray = (api.pix_convert_to8)(pix, 0);
        if gray.is_null() {
            return true; // cannot tell: the engine decides
        }
        let width = usize::try_from((api.pix_get_width)(gray)).unwrap_or(0);
        let height = usize::try_from((api.pix_get_height)(gray)).unwrap_or(0);
        let words_per_line = usize::try_from((api.pix_get_wpl)(gray)).unwrap_or(0);
        let depth = (api.pix_get_depth)(gray);
        let dpi = u32::try_from((api.pix_get_y_res)(gray)).ok().filter(|dpi| *dpi > 0);
        let data = (api.pix_get_data)(gray);
        let verdict = if depth != 8 || data.is_null() || words_per_line * 4 < width {
            true
        } else {
            let words = std::slice::from_raw_parts(data, words_per_line * height);
            let mut pixels = Vec::with_capacity(width * height);
            for row in words.chunks_exact(words_per_line) {
                // Leptonica keeps each 32-bit word's bytes most significant first.
                pixels.extend(row.iter().flat_map(|word| word.to_be_bytes()).take(width));
            }
            blank::may_hold_text(&GrayPixels {
                pixels: &pixels,
                width,
                height,
                dpi,
            })
        };
        (api.pix_destroy)(&mut gray);
        verdict
    }
}

/// Recognition of the image set on the leased engine, under a deadline, and its text and doubtful
/// words; the engine is cleared for the next page whatever happens.
fn run(api: &Api, lease: &Lease, timeout: Duration) -> Result<Recognised, OcrError> {
    let handle = lease.handle();
    let deadline_ms = c_int::try_from(timeout.as_millis()).unwrap_or(c_int::MAX);
    let started = Instant::now();
    // SAFETY: the handle holds an image; the monitor, the text and the table are freed here.
    unsafe {
        let monitor = (api.monitor_create)();
        if !monitor.is_null() {
            (api.monitor_set_deadline)(monitor, deadline_ms);
        }
        let recognised = (api.recognize)(handle, monitor);
        if !monitor.is_null() {
            (api.monitor_delete)(monitor);
        }
        let outcome = if recognised != 0 {
            if started.elapsed() >= timeout {
                Err(OcrError::Timeout(timeout))
            } else {
                Err(failed("recognition failed"))
            }
        } else {
            let text = (api.get_utf8_text)(handle);
            if text.is_null() {
                Err(failed("no text came back"))
            } else {
                let owned = CStr::from_ptr(text).to_string_lossy().into_owned();
                (api.delete_text)(text);
                // The same results as a table, one row a word with the engine's confidence in it.
                let table = (api.get_tsv_text)(handle, 0);
                let doubtful_words = if table.is_null() {
                    Vec::new()
                } else {
                    let words = super::doubtful_words(&CStr::from_ptr(table).to_string_lossy());
                    (api.delete_text)(table);
                    words
                };
                Ok(Recognised {
                    text: owned,
                    doubtful_words,
                })
            }
        };
        // The image and the results go; the model stays. Adaptation to this page goes too,
        // so each page is read as the command reads it, alone.
        (api.clear)(handle);
        (api.clear_adaptive_classifier)(handle);
        outcome
    }
}

fn failed(why: &str) -> OcrError {
    OcrError::Failed {
        status: "libtesseract".to_string(),
        stderr: why.to_string(),
    }
}
