//! A deterministic benchmark corpus: N submissions of information systems, each with an object
//! card and the documents Order No. 29 p. 5 asks for (or one of them left out on purpose), written
//! as real PDFs (a subset of DejaVu Sans embedded as a CID font with a ToUnicode map; some pages
//! scanned: text rasterised at 300 dpi, skewed, with paper noise, a stamp and a signature, stored
//! as a grey JPEG the way scanners write them), DOCX and XLSX. The same seed gives the same bytes; every file differs from every
//! other (object names, dates, numbers and filler text are drawn per file), so deduplication
//! cannot flatter the figures. `expected.json` records what the generator meant: each file's
//! document type, each submission's verdict and, per scanned page, the phrase OCR must read.
//!
//! Shared by `examples/gen_corpus.rs` and `benches/throughput.rs` through `#[path]`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};

/// DejaVu Sans (Bitstream Vera licence, `fonts/DejaVuSans-LICENSE.txt`): vendored so the corpus
/// is the same on a machine without the font installed.
const FONT: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");

/// The as-of date the expected verdicts hold for (protocols stay valid, acts are in the past).
pub const AS_OF: &str = "2026-11-22";

/// splitmix64: small, fast and good enough to pick words; no dependency for it.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.range(1, 100) <= percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() as u64 - 1) as usize]
    }
}

/// What the generator meant a file to be.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ExpectedFile {
    pub doc_type: String,
    pub pages: u32,
    pub image_pages: u32,
    pub bytes: u64,
    /// The scanned pages, in page order.
    #[serde(default)]
    pub scans: Vec<ExpectedScan>,
}

/// A scanned page and what is printed on it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ExpectedScan {
    /// 1-based.
    pub page: u32,
    /// "act": the first sheet of an entirely scanned commissioning act; "text": another printed
    /// sheet (an approval sheet, the commission's signatures); "blank": the back of a sheet.
    pub kind: String,
    /// What the sheet's heading says (for an act: its title and the system's name, as the act's
    /// text layer would have had it); empty on a blank page.
    pub key_phrase: String,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ExpectedSubmission {
    pub path: String,
    pub verdict: String,
    /// Relative to the corpus root.
    pub files: BTreeMap<String, ExpectedFile>,
}

#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Expected {
    pub seed: u64,
    pub as_of: String,
    pub submissions: BTreeMap<String, ExpectedSubmission>,
}

impl Expected {
    pub fn files(&self) -> impl Iterator<Item = (&String, &ExpectedFile)> {
        self.submissions.values().flat_map(|s| s.files.iter())
    }
}

const OWNERS: &[(&str, &str)] = &[
    ("minfin", "Министерство финансов Республики Казахстан"),
    ("minzdrav", "Министерство здравоохранения Республики Казахстан"),
    (
        "mcriap",
        "Министерство цифрового развития, инноваций и аэрокосмической промышленности Республики Казахстан",
    ),
    ("minjust", "Министерство юстиции Республики Казахстан"),
    ("mvd", "Министерство внутренних дел Республики Казахстан"),
    ("minpros", "Министерство просвещения Республики Казахстан"),
    (
        "mintrud",
        "Министерство труда и социальной защиты населения Республики Казахстан",
    ),
    ("minselkhoz", "Министерство сельского хозяйства Республики Казахстан"),
    ("akimat-astana", "Акимат города Астаны"),
    ("akimat-almaty", "Акимат города Алматы"),
];

const NAME_HEADS: &[&str] = &[
    "Электронный",
    "Единый",
    "Государственный",
    "Автоматизированный",
    "Национальный",
    "Интегрированный",
    "Цифровой",
    "Межведомственный",
    "Региональный",
    "Централизованный",
];
const NAME_TAILS: &[&str] = &[
    "реестр лицензий",
    "учет обращений",
    "мониторинг бюджета",
    "документооборот",
    "кадастр недвижимости",
    "реестр образовательных организаций",
    "учет транспортных средств",
    "контроль закупок",
    "регистр пациентов",
    "архив документов",
    "учет земельных участков",
    "реестр субсидий",
    "мониторинг перевозок",
    "учет платежей",
    "реестр нотариусов",
];

/// Filler for the body of technical documentation: Russian and Kazakh sentences of the kind real
/// specifications carry. `{}` is replaced by a number so no two pages are the same.
const RU_SENTENCES: &[&str] = &[
    "Система должна обеспечивать обработку не менее {} запросов в секунду в часы пиковой нагрузки.",
    "Функциональные требования к подсистеме учета определены в разделе {} настоящего документа.",
    "Архитектура системы построена по трехуровневой схеме: клиентская часть, сервер приложений и сервер баз данных.",
    "Интеграция с государственными базами данных выполняется через шлюз электронного правительства.",
    "Резервное копирование базы данных выполняется ежедневно, срок хранения копий составляет {} дней.",
    "Пользователь авторизуется с помощью электронной цифровой подписи, выданной Национальным удостоверяющим центром.",
    "Журнал действий пользователей хранится не менее {} месяцев и доступен администратору безопасности.",
    "Время отклика на типовой запрос не должно превышать {} секунд при одновременной работе пользователей.",
    "Требования к программному обеспечению включают поддержку операционных систем семейства Linux.",
    "Подсистема отчетности формирует сводные формы по территориальным подразделениям и периодам.",
    "Доступность системы должна составлять не менее {} процентов времени в течение календарного года.",
    "Обмен сообщениями с внешними системами выполняется в формате XML по защищенным каналам связи.",
    "Средства защиты информации должны иметь сертификат соответствия требованиям информационной безопасности.",
    "Администратор системы назначает роли и права доступа пользователям в соответствии с должностными обязанностями.",
    "Данные о гражданах обрабатываются в соответствии с законодательством о персональных данных и их защите.",
];
const KK_SENTENCES: &[&str] = &[
    "Жүйе ең жоғары жүктеме кезінде секундына кемінде {} сұранысты өңдеуді қамтамасыз етуі тиіс.",
    "Пайдаланушы Ұлттық куәландырушы орталық берген электрондық цифрлық қолтаңба арқылы авторизацияланады.",
    "Деректер базасының сақтық көшірмесі күн сайын жасалады, көшірмелерді сақтау мерзімі {} күн.",
    "Мемлекеттік дерекқорлармен интеграция электрондық үкімет шлюзі арқылы жүзеге асырылады.",
    "Жүйенің қолжетімділігі күнтізбелік жыл ішінде уақыттың кемінде {} пайызын құрауы тиіс.",
    "Ақпаратты қорғау құралдарының ақпараттық қауіпсіздік талаптарына сәйкестік сертификаты болуы тиіс.",
    "Әкімші пайдаланушыларға лауазымдық міндеттеріне сәйкес рөлдер мен қол жеткізу құқықтарын береді.",
];

const MONTHS_RU: &[&str] = &[
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

#[derive(Clone, Copy)]
struct Date {
    y: u32,
    m: u32,
    d: u32,
}

impl Date {
    fn random(rng: &mut Rng, y_lo: u32, y_hi: u32) -> Date {
        Date {
            y: rng.range(y_lo as u64, y_hi as u64) as u32,
            m: rng.range(1, 12) as u32,
            d: rng.range(1, 28) as u32,
        }
    }
    fn dotted(self) -> String {
        format!("{:02}.{:02}.{}", self.d, self.m, self.y)
    }
    fn words(self) -> String {
        format!("«{}» {} {} г.", self.d, MONTHS_RU[self.m as usize - 1], self.y)
    }
    fn iso(self) -> String {
        format!("{}-{:02}-{:02}", self.y, self.m, self.d)
    }
}

/// One information system and everything said about it.
struct System {
    id: String,
    name: String,
    short: String,
    owner: &'static str,
    dir: String,
}

fn sentence(rng: &mut Rng, kazakh: bool) -> String {
    let template = if kazakh {
        rng.pick(KK_SENTENCES)
    } else {
        rng.pick(RU_SENTENCES)
    };
    template.replace("{}", &rng.range(2, 9999).to_string())
}

/// Filler paragraphs for `lines` lines of about 90 characters.
fn filler(rng: &mut Rng, lines: usize, kazakh_share: u64, section: &mut u32) -> Vec<String> {
    let mut out = Vec::with_capacity(lines);
    while out.len() < lines {
        if rng.chance(8) {
            *section += 1;
            out.push(format!("{}. РАЗДЕЛ {} (пункт {})", section, section, rng.range(1, 99)));
            continue;
        }
        let kazakh = rng.chance(kazakh_share);
        let mut paragraph = String::new();
        for _ in 0..rng.range(2, 5) {
            if !paragraph.is_empty() {
                paragraph.push(' ');
            }
            paragraph.push_str(&sentence(rng, kazakh));
        }
        out.extend(wrap(&paragraph, 92));
    }
    out.truncate(lines);
    out
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A page of a PDF: lines of text, or a scanned (image-only) page.
enum Page {
    Text(Vec<String>),
    Scan(Box<Sheet>),
    /// The back of a sheet, scanned with it: paper and specks only.
    Blank,
}

impl Page {
    fn is_image(&self) -> bool {
        !matches!(self, Page::Text(_))
    }
}

/// A printed sheet as it went through the scanner.
struct Sheet {
    /// Above the title (an approval block), as body text.
    before: Vec<String>,
    /// Bold and centred.
    title: Vec<String>,
    /// Wrapped to the text width.
    body: Vec<String>,
    /// "Председатель комиссии ____ А. Б. Фамилия": signed and stamped.
    signers: Vec<String>,
    /// The words OCR must find on the page.
    key_phrase: String,
    /// The first sheet of an entirely scanned commissioning act.
    act: bool,
    /// Whose seal is on it.
    seal: String,
}

const LINES_PER_PAGE: usize = 48;

/// Writes a PDF the way office suites do: one Type0 font with Identity-H, a subset TrueType font
/// program, widths and a ToUnicode CMap; scanned pages as one grey JPEG (DCTDecode) filling an
/// A4 page, as scanners write them.
fn pdf(pages: &[Page], rng: &mut Rng) -> Vec<u8> {
    let face = ttf_parser::Face::parse(FONT, 0).expect("the vendored font parses");
    let mut remapper = subsetter::GlyphRemapper::new();
    // char -> (glyph id in the subset, which is its CID; advance in PDF units)
    let mut used: BTreeMap<char, (u16, f32)> = BTreeMap::new();
    let units = face.units_per_em() as f32;
    for page in pages {
        if let Page::Text(lines) = page {
            for c in lines.iter().flat_map(|l| l.chars()) {
                if let std::collections::btree_map::Entry::Vacant(e) = used.entry(c) {
                    let gid = face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
                    let advance = face.glyph_hor_advance(gid).unwrap_or(0) as f32 * 1000.0 / units;
                    e.insert((remapper.remap(gid.0), advance));
                }
            }
        }
    }
    let subset = subsetter::subset(FONT, 0, &remapper).expect("the vendored font subsets");

    let mut alloc = Ref::new(1);
    let mut next = || alloc.bump();
    let catalog_id = next();
    let tree_id = next();
    let font_id = next();
    let cid_id = next();
    let descriptor_id = next();
    let cmap_id = next();
    let file_id = next();
    let mut pdf = Pdf::new();
    pdf.catalog(catalog_id).pages(tree_id);

    let page_ids: Vec<(Ref, Ref, Option<Ref>)> = pages
        .iter()
        .map(|p| (next(), next(), p.is_image().then(&mut next)))
        .collect();
    pdf.pages(tree_id)
        .kids(page_ids.iter().map(|p| p.0))
        .count(pages.len() as i32);

    let font_name = Name(b"AAAAAA+DejaVuSans");
    pdf.type0_font(font_id)
        .base_font(font_name)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_id)
        .to_unicode(cmap_id);
    let mut by_cid: Vec<(u16, f32)> = used.values().copied().collect();
    by_cid.sort_by_key(|w| w.0);
    let mut cid = pdf.cid_font(cid_id);
    cid.subtype(CidFontType::Type2)
        .base_font(font_name)
        .system_info(SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        })
        .font_descriptor(descriptor_id)
        .default_width(600.0)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    {
        let mut widths = cid.widths();
        for (cid, width) in &by_cid {
            widths.consecutive(*cid, [*width]);
        }
    }
    cid.finish();
    pdf.font_descriptor(descriptor_id)
        .name(font_name)
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(-1021.0, -463.0, 1793.0, 1232.0))
        .italic_angle(0.0)
        .ascent(928.0)
        .descent(-236.0)
        .cap_height(729.0)
        .stem_v(80.0)
        .font_file2(file_id);
    let mut cmap = pdf_writer::types::UnicodeCmap::new(Name(b"Custom"), SYSTEM_INFO);
    for (c, (cid, _)) in &used {
        cmap.pair(*cid, *c);
    }
    pdf.cmap(cmap_id, &cmap.finish());
    let compressed_font = deflate(&subset);
    pdf.stream(file_id, &compressed_font).filter(Filter::FlateDecode);

    for (page, (page_id, content_id, image_id)) in pages.iter().zip(&page_ids) {
        let mut content = Content::new();
        match page {
            Page::Text(lines) => {
                content.begin_text();
                content.set_font(Name(b"F1"), 10.0);
                content.set_leading(15.0);
                content.next_line(56.0, 790.0);
                for line in lines {
                    let mut encoded = Vec::with_capacity(line.len() * 2);
                    for c in line.chars() {
                        encoded.extend_from_slice(&used[&c].0.to_be_bytes());
                    }
                    content.show(Str(&encoded));
                    content.next_line_using_leading();
                }
                content.end_text();
            }
            Page::Scan(_) | Page::Blank => {
                content.save_state();
                content.transform([595.0, 0.0, 0.0, 842.0, 0.0, 0.0]);
                content.x_object(Name(b"Im1"));
                content.restore_state();
            }
        }
        let data = deflate(&content.finish());
        pdf.stream(*content_id, &data).filter(Filter::FlateDecode);
        let mut p = pdf.page(*page_id);
        p.parent(tree_id)
            .media_box(Rect::new(0.0, 0.0, 595.0, 842.0))
            .contents(*content_id);
        let mut resources = p.resources();
        resources.fonts().pair(Name(b"F1"), font_id);
        if let Some(image_id) = image_id {
            resources.x_objects().pair(Name(b"Im1"), *image_id);
        }
        resources.finish();
        p.finish();
        if let Some(image_id) = image_id {
            let sheet = match page {
                Page::Scan(sheet) => Some(sheet.as_ref()),
                _ => None,
            };
            let jpeg = scan_jpeg(sheet, rng);
            write_jpeg_xobject(&mut pdf, *image_id, &jpeg);
        }
    }
    pdf.finish()
}

const SYSTEM_INFO: SystemInfo = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"UCS"),
    supplement: 0,
};

/// Scans are 300 dpi, the resolution offices scan acts at and Tesseract reads best.
const SCAN_DPI: f32 = 300.0;
/// A4 at 300 dpi.
const SCAN_WIDTH: usize = 2480;
const SCAN_HEIGHT: usize = 3508;
/// Margins of the printed sheet: 25 mm left, 15 mm right, 20 mm top.
const LEFT_MARGIN: f32 = 295.0;
const RIGHT_MARGIN: f32 = 177.0;
const TOP_MARGIN: f32 = 236.0;
const BODY_PT: f32 = 11.0;
const TITLE_PT: f32 = 13.0;
/// Line spacing as a multiple of the font size (one and a half lines is usual in acts).
const LEADING: f32 = 1.45;
/// Grey JPEG quality, as office scanners set it.
const JPEG_QUALITY: u8 = 75;

/// A sheet's ink before the scan: 0 is paper, 255 full ink.
struct Ink {
    width: usize,
    height: usize,
    levels: Vec<u8>,
}

impl Ink {
    fn new(width: usize, height: usize) -> Ink {
        Ink {
            width,
            height,
            levels: vec![0; width * height],
        }
    }

    /// Ink laid over ink stays as dark as the darker of the two.
    fn put(&mut self, x: i64, y: i64, coverage: f32) {
        if x < 0 || y < 0 || x >= self.width as i64 || y >= self.height as i64 {
            return;
        }
        let level = (coverage.clamp(0.0, 1.0) * 255.0) as u8;
        let pixel = &mut self.levels[y as usize * self.width + x as usize];
        *pixel = (*pixel).max(level);
    }

    fn disc(&mut self, cx: f32, cy: f32, radius: f32, strength: f32) {
        let reach = radius.ceil() as i64 + 1;
        for dy in -reach..=reach {
            for dx in -reach..=reach {
                let (x, y) = (cx.round() as i64 + dx, cy.round() as i64 + dy);
                let distance = ((x as f32 - cx).powi(2) + (y as f32 - cy).powi(2)).sqrt();
                let coverage = (radius + 0.5 - distance).clamp(0.0, 1.0);
                if coverage > 0.0 {
                    self.put(x, y, coverage * strength);
                }
            }
        }
    }

    /// Bilinear sample at a fractional position; paper outside the sheet.
    fn sample(&self, x: f32, y: f32) -> f32 {
        if x < 0.0 || y < 0.0 {
            return 0.0;
        }
        let (x0, y0) = (x as usize, y as usize);
        if x0 + 1 >= self.width || y0 + 1 >= self.height {
            return 0.0;
        }
        let i = y0 * self.width + x0;
        let (a, b) = (self.levels[i] as f32, self.levels[i + 1] as f32);
        let (c, d) = (
            self.levels[i + self.width] as f32,
            self.levels[i + self.width + 1] as f32,
        );
        if a + b + c + d == 0.0 {
            return 0.0;
        }
        let (fx, fy) = (x - x0 as f32, y - y0 as f32);
        let top = a + (b - a) * fx;
        let bottom = c + (d - c) * fx;
        (top + (bottom - top) * fy) / 255.0
    }
}

/// The font at `pt` points on a 300 dpi sheet (ab_glyph scales by the font's height).
fn scan_scale(font: &FontRef, pt: f32) -> PxScale {
    let units = font.units_per_em().unwrap_or(2048.0);
    PxScale::from(pt * SCAN_DPI / 72.0 * font.height_unscaled() / units)
}

fn text_width(font: &FontRef, scale: PxScale, text: &str) -> f32 {
    let scaled = font.as_scaled(scale);
    let mut width = 0.0;
    let mut previous = None;
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(previous) = previous {
            width += scaled.kern(previous, id);
        }
        width += scaled.h_advance(id);
        previous = Some(id);
    }
    width
}

#[derive(Clone, Copy)]
struct Style {
    /// The regular face drawn thicker, as a printer's bold reads to a scanner.
    bold: bool,
    /// 1.0 for print; seal ink is lighter.
    strength: f32,
}

const PRINT: Style = Style {
    bold: false,
    strength: 1.0,
};
const PRINT_BOLD: Style = Style {
    bold: true,
    strength: 1.0,
};

/// Draws `text` with its baseline at `baseline`.
fn draw_text(ink: &mut Ink, font: &FontRef, scale: PxScale, x: f32, baseline: f32, text: &str, style: Style) {
    let bold = style.bold;
    let scaled = font.as_scaled(scale);
    let mut caret = x;
    let mut previous = None;
    let strokes: &[i64] = if bold { &[0, 1, 2, 3] } else { &[0] };
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(previous) = previous {
            caret += scaled.kern(previous, id);
        }
        if let Some(outlined) = font.outline_glyph(id.with_scale_and_position(scale, point(caret, baseline))) {
            let bounds = outlined.px_bounds();
            outlined.draw(|gx, gy, coverage| {
                let (x, y) = (bounds.min.x as i64 + gx as i64, bounds.min.y as i64 + gy as i64);
                for dx in strokes {
                    ink.put(x + dx, y, coverage * style.strength);
                }
            });
        }
        caret += scaled.h_advance(id) + if bold { 3.0 } else { 0.0 };
        previous = Some(id);
    }
}

/// Breaks `text` into lines no wider than `width` pixels.
fn wrap_to(font: &FontRef, scale: PxScale, text: &str, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && text_width(font, scale, &candidate) > width {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A round seal, 40 mm across: two rings, the owner's name along the outer one, words inside.
/// Seal ink is lighter than print (blue or violet on a grey scan).
fn stamp(ink: &mut Ink, font: &FontRef, cx: f32, cy: f32, around: &str, inside: &[&str], rng: &mut Rng) {
    const STRENGTH: f32 = 0.6;
    let outer = 236.0;
    let inner = 176.0;
    for (radius, thickness) in [(outer, 5.0), (inner, 3.0)] {
        let steps = (radius * std::f32::consts::TAU / 1.5) as usize;
        for step in 0..steps {
            let a = step as f32 / steps as f32 * std::f32::consts::TAU;
            // A seal presses unevenly: the ink thins on one side.
            let pressure = 0.75 + 0.25 * (a + rng.range(0, 6) as f32).cos();
            ink.disc(
                cx + radius * a.cos(),
                cy + radius * a.sin(),
                thickness / 2.0,
                STRENGTH * pressure,
            );
        }
    }
    // The name runs clockwise between the rings, glyphs upright towards the rim.
    let text = format!("{} *", around.to_uppercase());
    let baseline_radius = inner + 14.0;
    let room = baseline_radius * std::f32::consts::TAU * 0.97;
    let mut scale = scan_scale(font, 9.0);
    let natural = text_width(font, scale, &text);
    if natural > room {
        scale = PxScale::from(scale.x * room / natural);
    }
    let scaled = font.as_scaled(scale);
    let mut along = 0.0;
    for c in text.chars() {
        let id = font.glyph_id(c);
        let advance = scaled.h_advance(id);
        let a = (along + advance / 2.0) / baseline_radius;
        along += advance;
        let Some(outlined) = font.outline_glyph(id.with_scale_and_position(scale, point(0.0, 0.0))) else {
            continue;
        };
        let bounds = outlined.px_bounds();
        let (w, h) = (bounds.width() as usize, bounds.height() as usize);
        let mut glyph = vec![0f32; w * h];
        outlined.draw(|x, y, coverage| {
            if (x as usize) < w && (y as usize) < h {
                glyph[y as usize * w + x as usize] = coverage;
            }
        });
        // The glyph's baseline origin, centred on its advance, sits on the circle at angle a
        // (clockwise from the top); pixels are mapped back into the upright glyph.
        let (sin, cos) = a.sin_cos();
        let (ox, oy) = (cx + baseline_radius * sin, cy - baseline_radius * cos);
        let reach = (w.max(h) as f32 + advance) as i64;
        for ty in -reach..=reach {
            for tx in -reach..=reach {
                let (dx, dy) = (tx as f32, ty as f32);
                let u = dx * cos + dy * sin + advance / 2.0;
                let v = -dx * sin + dy * cos;
                let (gx, gy) = (u - bounds.min.x, v - bounds.min.y);
                if gx < 0.0 || gy < 0.0 || gx >= w as f32 || gy >= h as f32 {
                    continue;
                }
                let coverage = glyph[gy as usize * w + gx as usize];
                if coverage > 0.0 {
                    ink.put(ox.round() as i64 + tx, oy.round() as i64 + ty, coverage * STRENGTH);
                }
            }
        }
    }
    let scale = scan_scale(font, 10.0);
    let top = cy - (inside.len() as f32 - 1.0) * 25.0 + 14.0;
    for (i, line) in inside.iter().enumerate() {
        let width = text_width(font, scale, line) + 3.0 * line.chars().count() as f32;
        let style = Style {
            bold: true,
            strength: STRENGTH,
        };
        draw_text(ink, font, scale, cx - width / 2.0, top + i as f32 * 50.0, line, style);
    }
}

/// A signature: a fast loop-and-stroke line about 80 mm wide across the signer's line.
fn signature(ink: &mut Ink, x0: f32, y0: f32, rng: &mut Rng) {
    let width = rng.range(300, 450) as f32;
    let height = rng.range(60, 120) as f32;
    let loops = rng.range(3, 7) as f32;
    let phase = rng.range(0, 628) as f32 / 100.0;
    let slant = rng.range(10, 40) as f32;
    let steps = 900;
    for step in 0..steps {
        let t = step as f32 / steps as f32;
        let swing = (t * loops * std::f32::consts::TAU + phase).sin();
        let x = x0 + width * t + slant * swing + 25.0 * (t * loops * std::f32::consts::TAU * 2.0).cos();
        let y = y0 - height * 0.5 * swing * (1.0 - 0.6 * t) - height * 0.3 * t;
        ink.disc(x, y, 2.6, 0.9);
    }
}

/// Lays a sheet's text out on A4 at 300 dpi, signs and stamps its last lines.
fn print_sheet(sheet: &Sheet, font: &FontRef, rng: &mut Rng) -> Ink {
    let mut ink = Ink::new(SCAN_WIDTH, SCAN_HEIGHT);
    let body = scan_scale(font, BODY_PT);
    let title = scan_scale(font, TITLE_PT);
    let line_px = BODY_PT * SCAN_DPI / 72.0 * LEADING;
    let text_width_px = SCAN_WIDTH as f32 - LEFT_MARGIN - RIGHT_MARGIN;
    let mut y = TOP_MARGIN + line_px;
    for line in &sheet.before {
        // The approval block sits on the right half, as in acts.
        draw_text(&mut ink, font, body, SCAN_WIDTH as f32 * 0.55, y, line, PRINT);
        y += line_px;
    }
    y += line_px * 0.5;
    for line in &sheet.title {
        for piece in wrap_to(font, title, line, text_width_px) {
            let width = text_width(font, title, &piece) + 3.0 * piece.chars().count() as f32;
            draw_text(
                &mut ink,
                font,
                title,
                (SCAN_WIDTH as f32 - width) / 2.0,
                y,
                &piece,
                PRINT_BOLD,
            );
            y += TITLE_PT * SCAN_DPI / 72.0 * LEADING;
        }
    }
    y += line_px * 0.5;
    for paragraph in &sheet.body {
        for piece in wrap_to(font, body, paragraph, text_width_px) {
            draw_text(&mut ink, font, body, LEFT_MARGIN, y, &piece, PRINT);
            y += line_px;
        }
    }
    y += line_px;
    let mut signed_at = None;
    for line in &sheet.signers {
        draw_text(&mut ink, font, body, LEFT_MARGIN, y, line, PRINT);
        // Each signer signs over the blank line after the position.
        let position = line.split(" ___").next().unwrap_or(line);
        let x = LEFT_MARGIN + text_width(font, body, position) + rng.range(10, 120) as f32;
        signature(&mut ink, x, y - 10.0, rng);
        signed_at.get_or_insert((x, y));
        y += line_px * 1.6;
    }
    if let Some((x, y)) = signed_at {
        // The seal overlaps the first signature and the lines around it ("М.П.").
        let cx = x + rng.range(150, 420) as f32;
        let cy = y + rng.range(0, 140) as f32;
        stamp(&mut ink, font, cx, cy, &sheet.seal, &["ДЛЯ", "ДОКУМЕНТОВ"], rng);
    }
    ink
}

/// The sheet as a scanner gives it: skewed by 0.3–1.5°, paper grain and tone, specks of dust; a
/// grey JPEG of A4 at 300 dpi. `None` scans the blank back of a sheet.
fn scan_jpeg(sheet: Option<&Sheet>, rng: &mut Rng) -> Vec<u8> {
    let started = std::time::Instant::now();
    let jpeg = render_scan(sheet, rng);
    SCAN_NANOS.fetch_add(
        started.elapsed().as_nanos() as u64,
        std::sync::atomic::Ordering::Relaxed,
    );
    jpeg
}

/// Time spent rendering and encoding scanned pages in this process, for the generator's report.
static SCAN_NANOS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

pub fn scan_seconds() -> f64 {
    SCAN_NANOS.load(std::sync::atomic::Ordering::Relaxed) as f64 / 1e9
}

fn render_scan(sheet: Option<&Sheet>, rng: &mut Rng) -> Vec<u8> {
    let font = FontRef::try_from_slice(FONT).expect("the vendored font parses");
    let ink = match sheet {
        Some(sheet) => print_sheet(sheet, &font, rng),
        None => Ink::new(SCAN_WIDTH, SCAN_HEIGHT),
    };
    let degrees = rng.range(30, 150) as f32 / 100.0 * if rng.chance(50) { 1.0 } else { -1.0 };
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (cx, cy) = (SCAN_WIDTH as f32 / 2.0, SCAN_HEIGHT as f32 / 2.0);
    // Paper tone: a little darker towards one edge, as the scanner lid lets light in.
    let tone = rng.range(228, 244) as f32;
    let shade = rng.range(0, 10) as f32 / SCAN_WIDTH as f32;
    let mut grain = Rng::new(rng.next_u64());
    let mut pixels = vec![0u8; SCAN_WIDTH * SCAN_HEIGHT];
    let mut noise = 0u64;
    for (y, row) in pixels.chunks_exact_mut(SCAN_WIDTH).enumerate() {
        let dy = y as f32 - cy;
        // Where this row's first pixel comes from on the sheet; each step right moves by (cos, -sin).
        let mut sx = -cx * cos + dy * sin + cx;
        let mut sy = cx * sin + dy * cos + cy;
        for (x, pixel) in row.iter_mut().enumerate() {
            if x % 8 == 0 {
                noise = grain.next_u64();
            }
            let speck = (noise & 0x7) as f32 - 3.5;
            noise >>= 8;
            let paper = tone - shade * x as f32 + speck;
            let coverage = if sheet.is_some() { ink.sample(sx, sy) } else { 0.0 };
            *pixel = (paper - coverage * (paper - 28.0)) as u8;
            sx += cos;
            sy -= sin;
        }
    }
    // Dust and toner specks.
    for _ in 0..rng.range(30, 160) {
        let (x, y) = (
            rng.range(0, SCAN_WIDTH as u64 - 1) as usize,
            rng.range(0, SCAN_HEIGHT as u64 - 1) as usize,
        );
        let radius = rng.range(1, 3) as usize;
        let level = rng.range(40, 160) as u8;
        for py in y.saturating_sub(radius)..(y + radius).min(SCAN_HEIGHT) {
            for px in x.saturating_sub(radius)..(x + radius).min(SCAN_WIDTH) {
                pixels[py * SCAN_WIDTH + px] = level;
            }
        }
    }
    let mut jpeg = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY);
    // Scanners record their resolution in the JFIF header.
    encoder.set_pixel_density(image::codecs::jpeg::PixelDensity::dpi(SCAN_DPI as u16));
    encoder
        .encode(
            &pixels,
            SCAN_WIDTH as u32,
            SCAN_HEIGHT as u32,
            image::ExtendedColorType::L8,
        )
        .expect("encoding to memory");
    jpeg
}

fn write_jpeg_xobject(pdf: &mut Pdf, id: Ref, jpeg: &[u8]) {
    let mut image = pdf.image_xobject(id, jpeg);
    image.filter(Filter::DctDecode);
    image
        .width(SCAN_WIDTH as i32)
        .height(SCAN_HEIGHT as i32)
        .bits_per_component(8);
    image.color_space().device_gray();
}

/// One scanned page as a PDF of its own (A4, the JPEG filling it): what the benchmark gives the
/// checker when it times OCR against `tesseract` on the same images.
pub fn single_scan_pdf(jpeg: &[u8]) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let (catalog_id, tree_id, page_id, content_id, image_id) =
        (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4), Ref::new(5));
    pdf.catalog(catalog_id).pages(tree_id);
    pdf.pages(tree_id).kids([page_id]).count(1);
    let mut content = Content::new();
    content.save_state();
    content.transform([595.0, 0.0, 0.0, 842.0, 0.0, 0.0]);
    content.x_object(Name(b"Im1"));
    content.restore_state();
    pdf.stream(content_id, &content.finish());
    let mut page = pdf.page(page_id);
    page.parent(tree_id)
        .media_box(Rect::new(0.0, 0.0, 595.0, 842.0))
        .contents(content_id);
    page.resources().x_objects().pair(Name(b"Im1"), image_id);
    page.finish();
    write_jpeg_xobject(&mut pdf, image_id, jpeg);
    pdf.finish()
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(data).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

fn paginate(head: Vec<String>, body_pages: usize, scans: Vec<Page>, rng: &mut Rng, kazakh_share: u64) -> Vec<Page> {
    let mut section = 0;
    let mut pages = Vec::new();
    let mut first = head;
    let rest = LINES_PER_PAGE.saturating_sub(first.len());
    first.extend(filler(rng, rest, kazakh_share, &mut section));
    pages.push(Page::Text(first));
    for _ in 1..body_pages {
        pages.push(Page::Text(filler(rng, LINES_PER_PAGE, kazakh_share, &mut section)));
    }
    pages.extend(scans);
    pages
}

const SIGNERS: &[&str] = &[
    "А. К. Нурланов",
    "Б. С. Ахметова",
    "Е. Т. Жумабаев",
    "Д. М. Иванов",
    "С. Р. Касымова",
    "Н. А. Петренко",
    "Г. Б. Сейткали",
    "М. Е. Оспанов",
    "Ж. К. Абдрахманова",
    "В. П. Ким",
];

fn signer_lines(rng: &mut Rng, positions: &[&str]) -> Vec<String> {
    positions
        .iter()
        .map(|position| format!("{position} ____________________ {}", rng.pick(SIGNERS)))
        .collect()
}

/// The back of a sheet goes through the scanner with it now and then.
fn maybe_back(rng: &mut Rng, percent: u64, pages: &mut Vec<Page>) {
    if rng.chance(percent) {
        pages.push(Page::Blank);
    }
}

/// Page counts like real technical documentation: most are tens of pages, a few run to 300.
fn spec_pages(rng: &mut Rng) -> usize {
    match rng.range(1, 100) {
        1..=50 => rng.range(3, 20) as usize,
        51..=85 => rng.range(20, 60) as usize,
        86..=97 => rng.range(60, 150) as usize,
        _ => rng.range(150, 300) as usize,
    }
}

fn technical_spec(sys: &System, rng: &mut Rng) -> Vec<Page> {
    let date = Date::random(rng, 2019, 2024);
    let head = vec![
        "УТВЕРЖДАЮ".to_string(),
        sys.owner.to_string(),
        format!("_______________ {}", date.words()),
        String::new(),
        "ТЕХНИЧЕСКОЕ ЗАДАНИЕ".to_string(),
        "на создание информационной системы".to_string(),
        format!("«{}»", sys.name),
        format!("Астана, {} г.", date.y),
        "1. ОБЩИЕ СВЕДЕНИЯ".to_string(),
        format!(
            "1.1. Полное наименование системы: информационная система «{}».",
            sys.name
        ),
        format!("Краткое наименование: {}.", sys.short),
    ];
    let pages = spec_pages(rng);
    // A fifth end with signed approval sheets, scanned after signing.
    let mut scans = Vec::new();
    if rng.chance(20) {
        for sheet in 0..rng.range(1, 3) {
            let title = if sheet == 0 {
                "ЛИСТ СОГЛАСОВАНИЯ".to_string()
            } else {
                format!("ЛИСТ СОГЛАСОВАНИЯ (продолжение {})", sheet + 1)
            };
            let subject = format!("технического задания на создание информационной системы «{}»", sys.name);
            let body = vec![
                format!(
                    "Настоящее техническое задание согласовано заинтересованными подразделениями {} и разработчиком системы.",
                    sys.owner
                ),
                format!(
                    "Замечания учтены в редакции от {}.",
                    Date::random(rng, 2019, 2024).dotted()
                ),
            ];
            let signers = signer_lines(
                rng,
                &[
                    "Руководитель проекта",
                    "Начальник управления информатизации",
                    "Представитель разработчика",
                ],
            );
            scans.push(Page::Scan(Box::new(Sheet {
                before: Vec::new(),
                key_phrase: format!("{title} {subject}"),
                title: vec![title, subject],
                body,
                signers,
                act: false,
                seal: sys.owner.to_string(),
            })));
            maybe_back(rng, 30, &mut scans);
        }
    }
    paginate(head, pages, scans, rng, 15)
}

fn commissioning_act(sys: &System, rng: &mut Rng) -> Vec<Page> {
    let date = Date::random(rng, 2021, 2025);
    let number = rng.range(1, 300);
    let kazakh = rng.chance(25);
    // (above the title, the title, the text)
    let (before, title, body) = if kazakh {
        (
            Vec::new(),
            vec![
                format!("«{}» ақпараттық жүйесін", sys.name),
                "өнеркәсіптік пайдалануға енгізу туралы".to_string(),
                format!("№ {number} АКТ"),
            ],
            vec![
                format!("Астана қ.                                   {}", date.dotted()),
                format!("Комиссия «{}» ақпараттық жүйесінің өнеркәсіптік пайдалануға", sys.name),
                "дайын екенін анықтады.".to_string(),
            ],
        )
    } else {
        (
            vec!["УТВЕРЖДАЮ".to_string(), format!("_______________ {}", date.words())],
            vec![
                format!("АКТ № {number}-ПЭ"),
                "ввода в промышленную эксплуатацию".to_string(),
                format!("информационной системы «{}»", sys.name),
            ],
            vec![
                format!("г. Астана                                   {}", date.words()),
                format!(
                    "Комиссия составила настоящий акт о том, что информационная система «{}»",
                    sys.name
                ),
                format!("({}) прошла опытную эксплуатацию.", sys.short),
                format!("РЕШЕНИЕ: ввести информационную систему «{}» в промышленную", sys.name),
                format!("эксплуатацию с {}.", date.dotted()),
            ],
        )
    };
    let key_phrase = if kazakh {
        format!(
            "«{}» ақпараттық жүйесін өнеркәсіптік пайдалануға енгізу туралы АКТ",
            sys.name
        )
    } else {
        format!(
            "АКТ ввода в промышленную эксплуатацию информационной системы «{}»",
            sys.name
        )
    };
    let positions: &[&str] = if kazakh {
        &["Комиссия төрағасы", "Комиссия мүшесі", "Комиссия хатшысы"]
    } else {
        &["Председатель комиссии", "Член комиссии", "Секретарь комиссии"]
    };
    // Real submissions hold acts signed on paper and scanned whole: no text layer at all.
    if rng.chance(15) {
        let body = body
            .iter()
            .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        let mut pages = vec![Page::Scan(Box::new(Sheet {
            before,
            title,
            body,
            signers: signer_lines(rng, positions),
            key_phrase,
            act: true,
            seal: sys.owner.to_string(),
        }))];
        maybe_back(rng, 40, &mut pages);
        return pages;
    }
    let mut head = before;
    if !kazakh {
        head.push(String::new());
    }
    head.extend(title);
    head.extend(body);
    // Otherwise 30 % end with the commission's signatures, scanned.
    let mut scans = Vec::new();
    if rng.chance(30) {
        let heading = if kazakh {
            "КОМИССИЯ МҮШЕЛЕРІНІҢ ҚОЛТАҢБАЛАРЫ"
        } else {
            "ПОДПИСИ ЧЛЕНОВ КОМИССИИ"
        };
        scans.push(Page::Scan(Box::new(Sheet {
            before: Vec::new(),
            title: vec![heading.to_string()],
            body: Vec::new(),
            signers: signer_lines(rng, positions),
            key_phrase: heading.to_string(),
            act: false,
            seal: sys.owner.to_string(),
        })));
    }
    paginate(head, rng.range(1, 3) as usize, scans, rng, 10)
}

fn security_protocol(sys: &System, rng: &mut Rng) -> Vec<Page> {
    // Issued within the last three years, valid for three: in force on AS_OF.
    let issued = Date {
        y: rng.range(2024, 2026) as u32,
        m: rng.range(1, 10) as u32,
        d: rng.range(1, 28) as u32,
    };
    let until = Date {
        y: issued.y + 3,
        ..issued
    };
    let head = vec![
        "РГП НА ПХВ «ГОСУДАРСТВЕННАЯ ТЕХНИЧЕСКАЯ СЛУЖБА»".to_string(),
        String::new(),
        format!("ПРОТОКОЛ № {}-ИБ", rng.range(1, 999)),
        "испытаний на соответствие требованиям информационной безопасности".to_string(),
        format!("информационной системы «{}»", sys.name),
        format!("г. Астана                                   {}", issued.dotted()),
        format!(
            "Объект испытаний: информационная система «{}» ({})",
            sys.name, sys.short
        ),
        format!("Заявитель: {}", sys.owner),
        "2. Заключение".to_string(),
        format!("По результатам испытаний информационная система «{}»", sys.name),
        "соответствует требованиям информационной безопасности.".to_string(),
        format!("Протокол действителен до {}.", until.dotted()),
    ];
    paginate(head, rng.range(2, 6) as usize, Vec::new(), rng, 5)
}

fn docx(paragraphs: &[String]) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let mut body = String::new();
    for p in paragraphs {
        body.push_str("<w:p><w:r><w:t xml:space=\"preserve\">");
        body.push_str(&p.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;"));
        body.push_str("</w:t></w:r></w:p>");
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let parts: [(&str, &str); 3] = [
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>",
        ),
        (
            "_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>",
        ),
        ("word/document.xml", &document),
    ];
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in parts {
        writer
            .start_file(name, SimpleFileOptions::default())
            .expect("zip to memory");
        writer.write_all(data.as_bytes()).expect("zip to memory");
    }
    writer.finish().expect("zip to memory").into_inner()
}

fn description(sys: &System, rng: &mut Rng) -> Vec<u8> {
    let mut paragraphs = vec![
        format!("ОПИСАНИЕ ИНФОРМАЦИОННОЙ СИСТЕМЫ «{}»", sys.name.to_uppercase()),
        format!("Владелец: {}", sys.owner),
        format!("Краткое наименование: {}", sys.short),
    ];
    let mut section = 0;
    let lines = rng.range(20, 200) as usize;
    for line in filler(rng, lines, 20, &mut section) {
        paragraphs.push(line);
    }
    docx(&paragraphs)
}

fn criteria_sheet(sys: &System, rng: &mut Rng, path: &Path) -> std::io::Result<()> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows: Vec<(String, String)> = vec![
        (
            "Сведения о соответствии объекта информатизации критериям отбора".into(),
            String::new(),
        ),
        ("Объект".into(), sys.name.clone()),
        ("Критерий".into(), "Значение".into()),
        ("1.1 Количество пользователей".into(), rng.range(100, 99999).to_string()),
        ("2.3 Интеграция с ГБД".into(), "да".into()),
        (
            "3.1 Количество государственных услуг".into(),
            rng.range(1, 40).to_string(),
        ),
    ];
    let io = |e: rust_xlsxwriter::XlsxError| std::io::Error::other(e.to_string());
    for (row, (a, b)) in rows.iter().enumerate() {
        sheet.write_string(row as u32, 0, a).map_err(io)?;
        sheet.write_string(row as u32, 1, b).map_err(io)?;
    }
    for row in 0..rng.range(5, 200) as u32 {
        sheet
            .write_string(row + 7, 0, format!("Показатель {}", rng.range(1, 99999)))
            .map_err(io)?;
        sheet
            .write_number(row + 7, 1, rng.range(0, 1_000_000) as f64)
            .map_err(io)?;
    }
    book.save(path).map_err(io)
}

fn card(sys: &System, rng: &mut Rng, documents: &[(String, &str)]) -> String {
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<object id=\"{}\" kind=\"information_system\">\n  <name lang=\"ru\">Информационная система «{}»</name>\n  <short_name>{}</short_name>\n  <owner>{}</owner>\n  <stage>industrial_operation</stage>\n  <submitted>{}</submitted>\n  <registered_users>{}</registered_users>\n  <state_bodies>{}</state_bodies>\n  <deployment_sites>{}</deployment_sites>\n",
        sys.id,
        sys.name,
        sys.short,
        sys.owner,
        Date {
            y: 2026,
            m: rng.range(1, 10) as u32,
            d: rng.range(1, 28) as u32
        }
        .iso(),
        rng.range(1000, 500_000),
        rng.range(2, 40),
        rng.range(2, 500),
    );
    xml.push_str("  <services>\n");
    for i in 0..rng.range(5, 8) {
        xml.push_str(&format!(
            "    <service>Государственная услуга № {i} в электронной форме</service>\n"
        ));
    }
    xml.push_str("  </services>\n  <criteria>\n");
    for id in ["1.1", "2.3", "2.4", "3.1"] {
        xml.push_str(&format!("    <criterion id=\"{id}\">1</criterion>\n"));
    }
    xml.push_str("  </criteria>\n  <documents>\n");
    for (file, doc_type) in documents {
        xml.push_str(&format!("    <document file=\"{file}\" type=\"{doc_type}\"/>\n"));
    }
    xml.push_str("  </documents>\n</object>\n");
    xml
}

/// A written file: its name in the submission, the type meant, its bytes, pages and scanned pages.
type GeneratedFile = (String, &'static str, Vec<u8>, u32, Vec<ExpectedScan>);

/// What a submission leaves out, which decides its verdict.
#[derive(Clone, Copy)]
enum Scenario {
    Complete,
    NoCommissioningAct,
    NoSecurityProtocol,
}

/// Writes `submissions` submissions under `out/corpus` (`out` must not exist yet) and what each
/// file is meant to be to `out/expected.json` (outside the corpus, so the checker never sees it).
/// Each submission has 4 to 6 files, the object card included.
pub fn generate(out: &Path, submissions: usize, seed: u64) -> std::io::Result<Expected> {
    if out.exists() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{} exists", out.display()),
        ));
    }
    let root = corpus_dir(out);
    let mut expected = Expected {
        seed,
        as_of: AS_OF.to_string(),
        ..Default::default()
    };
    let mut names = BTreeSet::new();
    for n in 0..submissions {
        // One stream per submission: submission k is the same whatever N is.
        let mut rng = Rng::new(seed.wrapping_mul(1_000_003).wrapping_add(n as u64));
        let (owner_dir, owner) = *rng.pick(OWNERS);
        let mut name;
        loop {
            name = format!(
                "{} {} № {}",
                rng.pick(NAME_HEADS),
                rng.pick(NAME_TAILS),
                rng.range(1, 999_999)
            );
            if names.insert(name.clone()) {
                break;
            }
        }
        let sys = System {
            id: format!("IS-{}-{:05}", rng.range(2015, 2025), n),
            short: format!("ИС-{n}"),
            dir: format!("{owner_dir}/is-{n:05}"),
            name,
            owner,
        };
        let scenario = match rng.range(1, 100) {
            1..=70 => Scenario::Complete,
            71..=85 => Scenario::NoCommissioningAct,
            _ => Scenario::NoSecurityProtocol,
        };
        let dir = root.join(&sys.dir);
        std::fs::create_dir_all(dir.join("docs"))?;
        let mut files: Vec<GeneratedFile> = Vec::new();
        let add_pdf = |files: &mut Vec<_>, name: &str, doc_type: &'static str, pages: Vec<Page>| {
            let scans = expected_scans(&pages);
            let count = pages.len() as u32;
            files.push((name.to_string(), doc_type, Vec::new(), count, scans));
            (files.len() - 1, pages)
        };
        let (i, pages) = add_pdf(
            &mut files,
            "docs/TZ.pdf",
            "technical_documentation",
            technical_spec(&sys, &mut rng),
        );
        files[i].2 = pdf(&pages, &mut rng);
        if !matches!(scenario, Scenario::NoCommissioningAct) {
            let (i, pages) = add_pdf(
                &mut files,
                "docs/akt_vvoda_PE.pdf",
                "commissioning_act",
                commissioning_act(&sys, &mut rng),
            );
            files[i].2 = pdf(&pages, &mut rng);
        }
        if !matches!(scenario, Scenario::NoSecurityProtocol) {
            let (i, pages) = add_pdf(
                &mut files,
                "docs/protokol_IB.pdf",
                "security_test_protocol",
                security_protocol(&sys, &mut rng),
            );
            files[i].2 = pdf(&pages, &mut rng);
        }
        files.push((
            "docs/opisanie.docx".into(),
            "is_description",
            description(&sys, &mut rng),
            1,
            Vec::new(),
        ));
        let mut documents: Vec<(String, &str)> = files.iter().map(|f| (f.0.clone(), f.1)).collect();
        documents.push(("docs/kriterii.xlsx".into(), "criteria_statement"));
        let card_xml = card(&sys, &mut rng, &documents);

        let mut submission = ExpectedSubmission {
            path: sys.dir.clone(),
            verdict: match scenario {
                Scenario::Complete => "complies",
                _ => "does_not_comply",
            }
            .to_string(),
            files: BTreeMap::new(),
        };
        for (name, doc_type, bytes, pages, scans) in files {
            std::fs::write(dir.join(&name), &bytes)?;
            let file = ExpectedFile {
                doc_type: doc_type.to_string(),
                pages,
                image_pages: scans.len() as u32,
                bytes: bytes.len() as u64,
                scans,
            };
            submission.files.insert(format!("{}/{name}", sys.dir), file);
        }
        let sheet_path = dir.join("docs/kriterii.xlsx");
        criteria_sheet(&sys, &mut rng, &sheet_path)?;
        let sheet = ExpectedFile {
            doc_type: "criteria_statement".into(),
            pages: 1,
            image_pages: 0,
            bytes: std::fs::metadata(&sheet_path)?.len(),
            scans: Vec::new(),
        };
        submission
            .files
            .insert(format!("{}/docs/kriterii.xlsx", sys.dir), sheet);
        std::fs::write(dir.join("object.xml"), &card_xml)?;
        let card_file = ExpectedFile {
            doc_type: "object_card".into(),
            pages: 1,
            image_pages: 0,
            bytes: card_xml.len() as u64,
            scans: Vec::new(),
        };
        submission.files.insert(format!("{}/object.xml", sys.dir), card_file);
        expected.submissions.insert(sys.id.clone(), submission);
    }
    let json = serde_json::to_vec_pretty(&expected).map_err(std::io::Error::other)?;
    std::fs::write(out.join("expected.json"), json)?;
    Ok(expected)
}

fn expected_scans(pages: &[Page]) -> Vec<ExpectedScan> {
    pages
        .iter()
        .enumerate()
        .filter_map(|(i, page)| {
            let (kind, key_phrase) = match page {
                Page::Text(_) => return None,
                Page::Scan(sheet) if sheet.act => ("act", sheet.key_phrase.clone()),
                Page::Scan(sheet) => ("text", sheet.key_phrase.clone()),
                Page::Blank => ("blank", String::new()),
            };
            Some(ExpectedScan {
                page: i as u32 + 1,
                kind: kind.to_string(),
                key_phrase,
            })
        })
        .collect()
}

/// The words of `text` as the key-phrase check compares them: lower case, ё as е, letters only
/// (digits, punctuation and quotes split words and are dropped).
pub fn phrase_words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .replace('ё', "е")
        .split(|c: char| !c.is_alphabetic())
        .filter(|word| !word.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether a page's text holds `phrase`: at least 90 % of its words appear among the page's.
pub fn phrase_read(phrase: &str, page_text: &str) -> bool {
    let wanted = phrase_words(phrase);
    if wanted.is_empty() {
        return true;
    }
    let found: BTreeSet<String> = phrase_words(page_text).into_iter().collect();
    let hits = wanted.iter().filter(|word| found.contains(*word)).count();
    hits * 10 >= wanted.len() * 9
}

pub fn corpus_dir(out: &Path) -> PathBuf {
    out.join("corpus")
}

/// `out/expected.json` as `generate` left it.
pub fn read_expected(out: &Path) -> std::io::Result<Expected> {
    let bytes = std::fs::read(out.join("expected.json"))?;
    serde_json::from_slice(&bytes).map_err(std::io::Error::other)
}

/// Every PDF of the corpus, for the pdftotext baseline.
pub fn pdfs(root: &Path, expected: &Expected) -> Vec<PathBuf> {
    expected
        .files()
        .filter(|(name, _)| name.ends_with(".pdf"))
        .map(|(name, _)| root.join(name))
        .collect()
}
