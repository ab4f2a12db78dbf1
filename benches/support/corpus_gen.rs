//! A deterministic benchmark corpus: N submissions of information systems, each with an object
//! card and the documents Order No. 29 p. 5 asks for (or one of them left out on purpose), written
//! as real PDFs (a subset of DejaVu Sans embedded as a CID font with a ToUnicode map, some pages
//! image-only), DOCX and XLSX. The same seed gives the same bytes; every file differs from every
//! other (object names, dates, numbers and filler text are drawn per file), so deduplication
//! cannot flatter the figures. `expected.json` records what the generator meant: each file's
//! document type and each submission's verdict.
//!
//! Shared by `examples/gen_corpus.rs` and `benches/throughput.rs` through `#[path]`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

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
    Scan,
}

const LINES_PER_PAGE: usize = 48;

/// Writes a PDF the way office suites do: one Type0 font with Identity-H, a subset TrueType font
/// program, widths and a ToUnicode CMap; scanned pages as one DCT-free grey image (Flate).
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
        .map(|p| (next(), next(), matches!(p, Page::Scan).then(&mut next)))
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
            Page::Scan => {
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
            let (w, h, samples) = scan(rng);
            let data = deflate(&samples);
            let mut image = pdf.image_xobject(*image_id, &data);
            image.filter(Filter::FlateDecode);
            image.width(w).height(h).bits_per_component(8);
            image.color_space().device_gray();
        }
    }
    pdf.finish()
}

const SYSTEM_INFO: SystemInfo = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"UCS"),
    supplement: 0,
};

/// A grey "scan" at 100 dpi: paper noise, a few dark blocks where a stamp and signatures would be.
fn scan(rng: &mut Rng) -> (i32, i32, Vec<u8>) {
    let (w, h) = (827usize, 1169usize);
    let mut samples = vec![0u8; w * h];
    for (i, px) in samples.iter_mut().enumerate() {
        *px = 235 + ((rng.next_u64() >> (i % 7)) % 20) as u8;
    }
    for _ in 0..rng.range(3, 9) {
        let (x0, y0) = (rng.range(60, 600) as usize, rng.range(80, 1000) as usize);
        let (bw, bh) = (rng.range(80, 200) as usize, rng.range(8, 60) as usize);
        for y in y0..(y0 + bh).min(h) {
            for x in x0..(x0 + bw).min(w) {
                samples[y * w + x] = 40 + (rng.next_u64() % 40) as u8;
            }
        }
    }
    (w as i32, h as i32, samples)
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(data).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

fn paginate(head: Vec<String>, body_pages: usize, image_pages: usize, rng: &mut Rng, kazakh_share: u64) -> Vec<Page> {
    let mut section = 0;
    let mut pages = Vec::new();
    let mut first = head;
    let rest = LINES_PER_PAGE.saturating_sub(first.len());
    first.extend(filler(rng, rest, kazakh_share, &mut section));
    pages.push(Page::Text(first));
    for _ in 1..body_pages {
        pages.push(Page::Text(filler(rng, LINES_PER_PAGE, kazakh_share, &mut section)));
    }
    for _ in 0..image_pages {
        pages.push(Page::Scan);
    }
    pages
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
    let images = if rng.chance(20) { rng.range(1, 3) as usize } else { 0 };
    paginate(head, pages, images, rng, 15)
}

fn commissioning_act(sys: &System, rng: &mut Rng) -> Vec<Page> {
    let date = Date::random(rng, 2021, 2025);
    let number = rng.range(1, 300);
    let head = if rng.chance(25) {
        vec![
            format!("«{}» ақпараттық жүйесін", sys.name),
            "өнеркәсіптік пайдалануға енгізу туралы".to_string(),
            format!("№ {number} АКТ"),
            format!("Астана қ.                                   {}", date.dotted()),
            format!("Комиссия «{}» ақпараттық жүйесінің өнеркәсіптік пайдалануға", sys.name),
            "дайын екенін анықтады.".to_string(),
        ]
    } else {
        vec![
            "УТВЕРЖДАЮ".to_string(),
            format!("_______________ {}", date.words()),
            String::new(),
            format!("АКТ № {number}-ПЭ"),
            "ввода в промышленную эксплуатацию".to_string(),
            format!("информационной системы «{}»", sys.name),
            format!("г. Астана                                   {}", date.words()),
            format!(
                "Комиссия составила настоящий акт о том, что информационная система «{}»",
                sys.name
            ),
            format!("({}) прошла опытную эксплуатацию.", sys.short),
            format!("РЕШЕНИЕ: ввести информационную систему «{}» в промышленную", sys.name),
            format!("эксплуатацию с {}.", date.dotted()),
        ]
    };
    let images = if rng.chance(30) { 1 } else { 0 };
    paginate(head, rng.range(1, 3) as usize, images, rng, 10)
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
    paginate(head, rng.range(2, 6) as usize, 0, rng, 5)
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
        let mut files: Vec<(String, &str, Vec<u8>, u32, u32)> = Vec::new();
        let add_pdf = |files: &mut Vec<_>, name: &str, doc_type: &'static str, pages: Vec<Page>| {
            let scans = pages.iter().filter(|p| matches!(p, Page::Scan)).count() as u32;
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
            0,
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
        for (name, doc_type, bytes, pages, image_pages) in &files {
            std::fs::write(dir.join(name), bytes)?;
            let file = ExpectedFile {
                doc_type: doc_type.to_string(),
                pages: *pages,
                image_pages: *image_pages,
                bytes: bytes.len() as u64,
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
        };
        submission.files.insert(format!("{}/object.xml", sys.dir), card_file);
        expected.submissions.insert(sys.id.clone(), submission);
    }
    let json = serde_json::to_vec_pretty(&expected).map_err(std::io::Error::other)?;
    std::fs::write(out.join("expected.json"), json)?;
    Ok(expected)
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
