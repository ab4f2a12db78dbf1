//! The words of `serve`'s pages, in the three languages: navigation, headings, column names,
//! error pages and the labels of statuses, verdicts and document types.
//!
//! Everything here is plain text: the pages escape it like any other text, and fill in values
//! (already plain text too) only through the functions below, never by pasting markup.

use crate::evaluate::{Level, Status, Verdict};
use crate::lang::Lang;
use crate::rules::{OBJECT_CARD, OTHER, Rules, SIGNATURE};

/// One text in Russian, Kazakh and English.
#[derive(Debug, Clone, Copy)]
pub struct Text {
    pub ru: &'static str,
    pub kk: &'static str,
    pub en: &'static str,
}

impl Text {
    pub const fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ru => self.ru,
            Lang::Kk => self.kk,
            Lang::En => self.en,
        }
    }
}

const fn text(ru: &'static str, kk: &'static str, en: &'static str) -> Text {
    Text { ru, kk, en }
}

/// An error page: its heading and one sentence under it.
#[derive(Debug, Clone, Copy)]
pub struct Message {
    pub title: Text,
    pub text: Text,
}

const fn message(title: Text, text: Text) -> Message {
    Message { title, text }
}

fn pick(lang: Lang, ru: String, kk: String, en: String) -> String {
    match lang {
        Lang::Ru => ru,
        Lang::Kk => kk,
        Lang::En => en,
    }
}

// Navigation and the search page.

pub const SEARCH: Text = text("Поиск", "Іздеу", "Search");
pub const REPORT: Text = text("Отчёт", "Есеп", "Report");
pub const FIND: Text = text("Найти", "Табу", "Find");
/// Example queries in the corpus' own languages: the same in every interface language.
pub const SEARCH_PLACEHOLDER: Text = text(
    "промышл*, деректер базасы, 112-ИБ",
    "промышл*, деректер базасы, 112-ИБ",
    "промышл*, деректер базасы, 112-ИБ",
);
pub const FILTER_TYPE: Text = text("тип", "түрі", "type");
pub const FILTER_STATE_BODY: Text = text("госорган", "мемлекеттік орган", "state body");
pub const FILTER_OBJECT: Text = text("объект", "объект", "object");
pub const REMOVE_FILTER: Text = text("убрать", "алып тастау", "remove");
pub const FILTERS: Text = text("Фильтры", "Сүзгілер", "Filters");
pub const PAGES_FOUND: Text = text("Найдено страниц", "Табылған беттер", "Pages found");
pub const DOCUMENTS_FOUND: Text = text("документов", "құжаттар", "documents");
pub const NOTHING_FOUND: Text = text("Ничего не найдено.", "Ештеңе табылмады.", "Nothing found.");
pub const FACET_TYPE: Text = text("Тип документа", "Құжат түрі", "Document type");
pub const FACET_STATE_BODY: Text = text("Государственный орган", "Мемлекеттік орган", "State body");
pub const FACET_OBJECT: Text = text("Объект", "Объект", "Object");
pub const NOT_STATED: Text = text("(не указан)", "(көрсетілмеген)", "(not stated)");
pub const SIMILAR_DOCUMENTS_LINK: Text = text("похожие документы", "ұқсас құжаттар", "similar documents");

/// "Поиск: <query>", the title of a results page.
pub fn search_title(query: &str, lang: Lang) -> String {
    format!("{}: {query}", SEARCH.get(lang))
}

/// Where a hit is: a page, or a spreadsheet's sheet with its name.
pub fn place(page: u64, sheet: Option<&str>, lang: Lang) -> String {
    match sheet {
        Some(sheet) => pick(
            lang,
            format!("лист {page} «{sheet}»"),
            format!("{page}-парақ «{sheet}»"),
            format!("sheet {page} “{sheet}”"),
        ),
        None => page_short(page, lang),
    }
}

/// "стр. 3": a page, briefly.
pub fn page_short(page: u64, lang: Lang) -> String {
    pick(
        lang,
        format!("стр. {page}"),
        format!("{page}-бет"),
        format!("p. {page}"),
    )
}

// Similar documents.

pub const SIMILAR_TITLE: Text = text("Похожие документы", "Ұқсас құжаттар", "Similar documents");
pub const SIMILAR_HEADING: Text = text(
    "Похожие документы в других заявках",
    "Басқа өтінімдердегі ұқсас құжаттар",
    "Similar documents in other submissions",
);
pub const SOURCE_DOCUMENT: Text = text("Исходный документ", "Бастапқы құжат", "Source document");
pub const NO_SIMILAR: Text = text(
    "Похожих документов в других заявках нет.",
    "Басқа өтінімдерде ұқсас құжаттар жоқ.",
    "No similar documents in other submissions.",
);
pub const COLUMN_DOCUMENT: Text = text("Документ", "Құжат", "Document");
pub const COLUMN_PAGE: Text = text("Страница", "Бет", "Page");
pub const COLUMN_TYPE: Text = text("Тип", "Түрі", "Type");
pub const COLUMN_OBJECT: Text = text("Объект", "Объект", "Object");
pub const COLUMN_SIMILARITY: Text = text("Сходство", "Ұқсастық", "Similarity");

// One page of a document.

pub const OPEN_FILE: Text = text("Открыть файл", "Файлды ашу", "Open the file");
pub const PREVIOUS_PAGE: Text = text("← пред.", "← алдыңғы", "← previous");
pub const NEXT_PAGE: Text = text("след. →", "келесі →", "next →");
pub const NO_SUCH_PAGE: Text = text("(нет такой страницы)", "(мұндай бет жоқ)", "(no such page)");

/// "стр. 3 из 12".
pub fn page_of(page: u64, pages: u64, lang: Lang) -> String {
    pick(
        lang,
        format!("стр. {page} из {pages}"),
        format!("{pages} беттің {page}-беті"),
        format!("page {page} of {pages}"),
    )
}

/// The words around a link to the archive a file is in: (before, after).
pub fn in_archive(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::Ru => ("в архиве ", ""),
        Lang::Kk => ("", " мұрағатында"),
        Lang::En => ("in the archive ", ""),
    }
}

// The report pages.

/// "Отчёт на 2026-11-22".
pub fn report_as_of(date: &str, lang: Lang) -> String {
    pick(
        lang,
        format!("Отчёт на {date}"),
        format!("{date} жағдай бойынша есеп"),
        format!("Report as of {date}"),
    )
}

/// "Заявок: 12, файлов: 80."
pub fn totals(submissions: usize, files: usize, lang: Lang) -> String {
    pick(
        lang,
        format!("Заявок: {submissions}, файлов: {files}."),
        format!("Өтінімдер: {submissions}, файлдар: {files}."),
        format!("Submissions: {submissions}, files: {files}."),
    )
}

pub const REPORT_FILES: Text = text("Файлы отчёта", "Есеп файлдары", "Report files");
pub const COLUMN_NAME: Text = text("Наименование", "Атауы", "Name");
pub const COLUMN_OWNER: Text = text("Владелец", "Иесі", "Owner");
pub const COLUMN_VERDICT: Text = text("Решение", "Шешім", "Verdict");
pub const COLUMN_LEVEL: Text = text("Уровень", "Деңгейі", "Level");
pub const COLUMN_SUMMARY: Text = text("Итог", "Қорытынды", "Summary");
pub const OWNER: Text = text("Владелец", "Иесі", "Owner");
pub const PATH: Text = text("путь", "жолы", "path");
pub const VERDICT: Text = text("Решение", "Шешім", "Verdict");
pub const LEVEL: Text = text("уровень", "деңгейі", "level");
pub const REQUIREMENTS: Text = text("Требования", "Талаптар", "Requirements");
pub const COLUMN_REQUIREMENT: Text = text("Требование", "Талап", "Requirement");
pub const COLUMN_STATUS: Text = text("Статус", "Мәртебесі", "Status");
pub const COLUMN_REASON: Text = text("Причина", "Себебі", "Reason");
pub const COLUMN_EVIDENCE: Text = text("Доказательства", "Дәлелдер", "Evidence");
pub const FILES: Text = text("Файлы", "Файлдар", "Files");
pub const COLUMN_FILE: Text = text("Файл", "Файл", "File");
pub const FILE_LINK: Text = text("файл", "файл", "file");
pub const SIMILAR_LINK: Text = text("похожие", "ұқсастары", "similar");

/// "отчёт на 2026-11-22", inside a line of the submission page.
pub fn report_date(date: &str, lang: Lang) -> String {
    pick(
        lang,
        format!("отчёт на {date}"),
        format!("есеп күні: {date}"),
        format!("report as of {date}"),
    )
}

// Labels of the ids report.json carries.

pub fn verdict(verdict: Verdict, lang: Lang) -> String {
    super::verdict_name(verdict, lang)
}

/// A verdict by its id in report.json (`complies`); an id this version does not know is shown
/// as it is.
pub fn verdict_id(id: &str, lang: Lang) -> String {
    [Verdict::Complies, Verdict::NeedsReview, Verdict::DoesNotComply]
        .into_iter()
        .find(|v| v.as_str() == id)
        .map(|v| verdict(v, lang))
        .unwrap_or_else(|| id.to_string())
}

pub fn level(level: Level, lang: Lang) -> String {
    super::level_name(level, lang)
}

pub fn status(status: Status, lang: Lang) -> String {
    super::status_label(status, lang)
}

/// A document type's name: from the rules, or for the types the pipeline gives itself, from here;
/// an id neither knows is shown as it is.
pub fn doc_type(rules: &Rules, id: &str, lang: Lang) -> String {
    if let Some(doctype) = rules.doctype(id) {
        return doctype.name.get(lang).to_string();
    }
    let reserved = match id {
        OTHER => text("Прочий документ", "Басқа құжат", "Other document"),
        OBJECT_CARD => text("Карточка объекта", "Объект карточкасы", "Object card"),
        SIGNATURE => text(
            "Файл электронной цифровой подписи",
            "Электрондық цифрлық қолтаңба файлы",
            "Electronic signature file",
        ),
        _ => return id.to_string(),
    };
    reserved.get(lang).to_string()
}

// Error pages.

pub const METHOD_NOT_ALLOWED: Message = message(
    text("Метод не поддерживается", "Әдіс қолданылмайды", "Method not allowed"),
    text(
        "Обслуживаются только запросы GET.",
        "Тек GET сұраулары өңделеді.",
        "Only GET is served.",
    ),
);
pub const TOKEN_REQUIRED: Message = message(
    text(
        "Нужен токен доступа",
        "Қолжеткізу токені қажет",
        "Access token required",
    ),
    text(
        "Добавьте ?token=... к адресу.",
        "Мекенжайға ?token=... қосыңыз.",
        "Add ?token=... to the address.",
    ),
);
pub const FORBIDDEN_HOST: Message = message(
    text("Доступ запрещён", "Қолжеткізуге тыйым салынған", "Access denied"),
    text(
        "Сервер отвечает только на локальное (loopback) имя хоста.",
        "Сервер тек жергілікті (loopback) хост атауына жауап береді.",
        "This server answers only to a loopback host name.",
    ),
);
pub const NO_SUCH_ADDRESS: Message = message(
    text("Не найдено", "Табылмады", "Not found"),
    text("Такой страницы нет.", "Мұндай бет жоқ.", "No such page."),
);
pub const NO_FILE: Text = text("Нет файла", "Файл жоқ", "No file");
pub const FILE_NOT_NAMED: Message = message(
    NO_FILE,
    text(
        "В адресе не указан файл.",
        "Мекенжайда файл көрсетілмеген.",
        "The address names no file.",
    ),
);
pub const FILE_NOT_IN_CORPUS: Message = message(
    NO_FILE,
    text(
        "Такого файла в корпусе нет.",
        "Корпуста мұндай файл жоқ.",
        "No such file in the corpus.",
    ),
);
pub const FILE_NOT_IN_REPORT: Message = message(
    NO_FILE,
    text(
        "Такого файла в отчёте нет.",
        "Есепте мұндай файл жоқ.",
        "No such file in the report.",
    ),
);
pub const NO_TEXT: Message = message(
    text("Нет текста", "Мәтін жоқ", "No text"),
    text(
        "В индексе нет текста этого файла.",
        "Индексте бұл файлдың мәтіні жоқ.",
        "The index holds no text of this file.",
    ),
);
pub const INDEX_ERROR: Text = text("Ошибка индекса", "Индекс қатесі", "Index error");
pub const NO_DOCUMENT: Text = text("Нет документа", "Құжат жоқ", "No document");
pub const NO_REPORTS: Message = message(
    text("Отчётов нет", "Есептер жоқ", "No reports"),
    text(
        "В каталоге состояния ещё нет reports/<date>/report.json.",
        "Күй каталогында әлі reports/<date>/report.json жоқ.",
        "No reports/<date>/report.json in the state directory yet.",
    ),
);
pub const REPORT_UNREADABLE: Text = text("Отчёт не читается", "Есеп оқылмайды", "The report cannot be read");
pub const OBJECT_NOT_NAMED: Message = message(
    text("Нет объекта", "Объект жоқ", "No object"),
    text(
        "В адресе не указан объект.",
        "Мекенжайда объект көрсетілмеген.",
        "The address names no object.",
    ),
);
pub const NO_SUCH_SUBMISSION: Text = text("Нет такой заявки", "Мұндай өтінім жоқ", "No such submission");
pub const CORPUS_UNKNOWN: Message = message(
    text("Корпус неизвестен", "Корпус белгісіз", "Corpus unknown"),
    text(
        "Чтобы открывать файлы, запустите serve с --corpus DIR.",
        "Файлдарды ашу үшін serve командасын --corpus DIR параметрімен іске қосыңыз.",
        "Start serve with --corpus DIR to open files.",
    ),
);
pub const MEMBER_UNREADABLE: Text = text(
    "Файл из архива не открывается",
    "Мұрағаттағы файл ашылмайды",
    "The file from the archive cannot be opened",
);
pub const INTERNAL_ERROR: Message = message(
    text("Внутренняя ошибка", "Ішкі қате", "Internal error"),
    text(
        "Запрос не выполнен; сервер продолжает работу.",
        "Сұрау орындалмады; сервер жұмысын жалғастырады.",
        "The request failed; the server goes on.",
    ),
);
pub const FILE_UNREADABLE: Message = message(
    text("Файл не читается", "Файл оқылмайды", "The file cannot be read"),
    text(
        "Файл не удалось открыть.",
        "Файлды ашу мүмкін болмады.",
        "The file could not be opened.",
    ),
);

/// "No submission `X` in the latest report."
pub fn no_such_submission(id: &str, lang: Lang) -> String {
    pick(
        lang,
        format!("В последнем отчёте нет заявки «{id}»."),
        format!("Соңғы есепте «{id}» өтінімі жоқ."),
        format!("No submission `{id}` in the latest report."),
    )
}

/// The report file could not be read from the disk.
pub fn report_not_read(path: &str, error: &str, lang: Lang) -> String {
    pick(
        lang,
        format!("Не удалось прочитать {path}: {error}"),
        format!("{path} оқылмады: {error}"),
        format!("cannot read {path}: {error}"),
    )
}

/// The report file is not a report this version reads (not JSON, or not its shape).
pub fn report_not_parsed(path: &str, error: &str, lang: Lang) -> String {
    pick(
        lang,
        format!("{path} не является отчётом, который читает эта версия: {error}"),
        format!("{path} бұл нұсқа оқи алатын есеп емес: {error}"),
        format!("{path} is not a report this version reads: {error}"),
    )
}

// Issue 14: the pages analysts live in — navigation, the language switch, paging, sorting, the
// list of submissions, the history of reports, downloads and the way back.

/// The catalogue's labels of the reports, for the pages that show the same things (the diff).
pub use super::{Label, diff_totals_sentence};

pub const SUBMISSIONS_NAV: Text = text("Заявки", "Өтінімдер", "Submissions");
pub const REPORTS_NAV: Text = text("Отчёты", "Есептер", "Reports");
pub const LANGUAGE: Text = text("Язык", "Тіл", "Language");

/// The language of an ISO 639-1 code (`ru`, `kk`, `en`).
pub fn lang_of_code(code: &str) -> Option<Lang> {
    [Lang::Ru, Lang::Kk, Lang::En].into_iter().find(|l| l.code() == code)
}

/// A language's own name, the same in every interface language: a reader looks for their own.
pub fn language_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Ru => "Русский",
        Lang::Kk => "Қазақша",
        Lang::En => "English",
    }
}

pub const SORT: Text = text("Сортировка", "Сұрыптау", "Sort");
pub const SORT_RELEVANCE: Text = text("по релевантности", "сәйкестігі бойынша", "by relevance");
pub const SORT_DATE: Text = text("по дате документа", "құжат күні бойынша", "by document date");
pub const SORT_FILE: Text = text("по файлу", "файл бойынша", "by file");
pub const RESULT_PAGES: Text = text("Страницы результатов", "Нәтижелер беттері", "Result pages");
pub const DOCUMENT_DATE: Text = text("дата документа", "құжат күні", "document date");

pub const PARTIAL_MATCH: Text = text(
    "Ни одна страница не содержит всех слов запроса; первыми показаны страницы, где их больше всего.",
    "Сұраудың барлық сөзі бар бет табылмады; алдымен сөздері ең көп беттер көрсетілген.",
    "No page has every word of the query; the pages with the most of them come first.",
);

/// "Не найдены ни на одной странице: «x», «y»."
pub fn found_nowhere(words: &[String], lang: Lang) -> String {
    let quoted: Vec<String> = words.iter().map(|w| format!("«{w}»")).collect();
    let quoted = quoted.join(", ");
    pick(
        lang,
        format!("Ни на одной странице нет: {quoted}."),
        format!("Ешбір бетте жоқ сөздер: {quoted}."),
        format!("Found on no page: {quoted}."),
    )
}

/// "Показаны 21–40 из 137": the window of results shown and how many there are.
pub fn showing(first: usize, last: usize, total: usize, lang: Lang) -> String {
    pick(
        lang,
        format!("Показаны {first}–{last} из {total}"),
        format!("{total} нәтиженің {first}–{last} аралығы көрсетілген"),
        format!("Showing {first}–{last} of {total}"),
    )
}

pub const NO_SUCH_RESULTS_PAGE: Text = text(
    "Нет такой страницы результатов",
    "Нәтижелердің мұндай беті жоқ",
    "No such page of results",
);

/// The results end before the page asked for.
pub fn results_end_at(pages: usize, lang: Lang) -> String {
    pick(
        lang,
        format!("Последняя страница результатов: {pages}."),
        format!("Нәтижелердің соңғы беті: {pages}."),
        format!("The last page of results is {pages}."),
    )
}

pub const NO_SUCH_DOCUMENT_PAGE: Text = text("Нет такой страницы", "Мұндай бет жоқ", "No such page");

/// The document is shorter than the page asked for.
pub fn document_pages(page: u64, pages: u64, lang: Lang) -> String {
    pick(
        lang,
        format!("В документе страниц: {pages}; страницы {page} нет."),
        format!("Құжаттағы беттер саны: {pages}; {page}-бет жоқ."),
        format!("The document has {pages} pages; there is no page {page}."),
    )
}

/// "Выделены слова запроса «…»", above a page with the query marked.
pub fn query_marked(query: &str, lang: Lang) -> String {
    pick(
        lang,
        format!("Выделены слова запроса «{query}»"),
        format!("«{query}» сұрауының сөздері белгіленген"),
        format!("Words of the query “{query}” are marked"),
    )
}

pub const BACK_TO_SUBMISSION: Text = text("К заявке", "Өтінімге оралу", "Back to the submission");
pub const BACK_TO_RESULTS: Text = text(
    "К результатам поиска",
    "Іздеу нәтижелеріне оралу",
    "Back to the search results",
);

// The list of submissions.

pub const SUBMISSIONS_TITLE: Text = text("Заявки", "Өтінімдер", "Submissions");
pub const ALL: Text = text("все", "барлығы", "all");
pub const SHOW: Text = text("Показать", "Көрсету", "Show");
pub const NO_SUBMISSION_MATCHES: Text = text(
    "Нет заявок, отвечающих условиям.",
    "Шарттарға сәйкес өтінімдер жоқ.",
    "No submission matches.",
);

/// "Заявок: 5 из 23".
pub fn submissions_shown(shown: usize, total: usize, lang: Lang) -> String {
    pick(
        lang,
        format!("Заявок: {shown} из {total}"),
        format!("Өтінімдер: {shown} (барлығы {total})"),
        format!("Submissions: {shown} of {total}"),
    )
}

// The history of reports.

pub const HISTORY_TITLE: Text = text("Отчёты по датам", "Күндер бойынша есептер", "Reports by date");
pub const COLUMN_DATE: Text = text("Дата", "Күні", "Date");
pub const COLUMN_SUBMISSIONS: Text = text("Заявок", "Өтінімдер", "Submissions");
pub const COLUMN_VERDICTS: Text = text("Решения", "Шешімдер", "Verdicts");
pub const COLUMN_CHANGES: Text = text("Изменения", "Өзгерістер", "Changes");
pub const COLUMN_DOWNLOADS: Text = text("Файлы", "Файлдар", "Files");
pub const NO_COMPARISON: Text = text(
    "сравнения нет (отчёт команды check)",
    "салыстыру жоқ (check командасының есебі)",
    "no comparison (a report of check)",
);
pub const NO_SUCH_NIGHT: Message = message(
    text("Нет отчёта", "Есеп жоқ", "No report"),
    text(
        "Отчёта за эту дату нет.",
        "Бұл күнгі есеп жоқ.",
        "There is no report for this date.",
    ),
);
pub const REPORT_NOT_READ: Text = text("отчёт не читается", "есеп оқылмайды", "the report cannot be read");
pub const ALL_SUBMISSIONS: Text = text("Все заявки", "Барлық өтінімдер", "All submissions");

// Downloads.

pub const DOWNLOADS: Text = text("Скачать", "Жүктеп алу", "Download");
pub const LETTERS: Text = text("Письма", "Хаттар", "Letters");

/// What a file of a report directory is, by its name; a file we do not know by its name alone.
pub fn report_file_label(name: &str, lang: Lang) -> String {
    let known = match name {
        "summary.xlsx" => text("Сводная таблица (XLSX)", "Жиынтық кесте (XLSX)", "Summary table (XLSX)"),
        "summary.html" => text(
            "Сводка для печати (HTML)",
            "Басып шығаруға арналған жиынтық (HTML)",
            "Printable summary (HTML)",
        ),
        "report.json" => text("Отчёт в формате JSON", "JSON пішіміндегі есеп", "Report as JSON"),
        "missing-documents.md" => text(
            "Недостающие сведения (Markdown)",
            "Жетіспейтін мәліметтер (Markdown)",
            "Missing information (Markdown)",
        ),
        _ => return name.to_string(),
    };
    known.get(lang).to_string()
}

pub const SUBMISSION_MARKDOWN: Text = text(
    "Отчёт по заявке (Markdown)",
    "Өтінім бойынша есеп (Markdown)",
    "Submission report (Markdown)",
);

/// A letter's file (`letters/IS-1.request.kk.docx`), named by its language and format.
pub fn letter_label(file: &str, lang: Lang) -> String {
    let name = file.rsplit('/').next().unwrap_or(file);
    let parts: Vec<&str> = name.split('.').collect();
    let format = parts.last().map(|f| f.to_uppercase()).unwrap_or_default();
    let language = parts
        .iter()
        .rev()
        .nth(1)
        .and_then(|code| lang_of_code(code))
        .map(|l| language_name(l).to_string());
    let kind = match parts.iter().rev().nth(2).copied() {
        Some("recommendation") => Some(text(
            "рекомендация уполномоченному органу",
            "уәкілетті органға ұсыным",
            "recommendation to the authorized body",
        )),
        Some("request") => Some(text(
            "запрос государственному органу",
            "мемлекеттік органға сұрау",
            "request to the state body",
        )),
        _ => None,
    };
    let mut label = kind
        .map(|k| k.get(lang).to_string())
        .unwrap_or_else(|| LETTER.get(lang).to_string());
    if let Some(language) = language {
        label.push_str(&format!(", {language}"));
    }
    format!("{label} ({format})")
}

pub const LETTER: Text = text("письмо", "хат", "letter");

/// A requirement's reason in `lang`, from the finding report.json keeps beside its sentence.
pub fn finding(rules: &Rules, finding: &crate::evaluate::Finding, lang: Lang) -> String {
    super::finding(rules, finding, lang)
}

/// A requirement's title in `lang`, from the rules; the report's own title when the rules no
/// longer know the id.
pub fn requirement_title(rules: &Rules, id: &str, fallback: &str, lang: Lang) -> String {
    match rules.requirements.iter().find(|r| r.id == id) {
        Some(requirement) => requirement.title.get(lang).to_string(),
        None if !fallback.is_empty() => fallback.to_string(),
        None => super::requirement_title(rules, id, lang),
    }
}

#[cfg(test)]
mod tests {
    use super::super::file_status_name;
    use super::*;
    use crate::extract::FileStatus;

    #[test]
    fn every_id_a_page_shows_has_a_label_in_every_language() {
        let rules = Rules::embedded().unwrap();
        for lang in [Lang::Ru, Lang::Kk, Lang::En] {
            // English words may spell an id (`complies`); Russian and Kazakh never do.
            let label = |label: &str, id: &str| !label.is_empty() && (lang == Lang::En || label != id);
            for v in [Verdict::Complies, Verdict::NeedsReview, Verdict::DoesNotComply] {
                assert!(label(&verdict_id(v.as_str(), lang), v.as_str()), "{v:?} {lang:?}");
            }
            for id in rules
                .doctypes
                .iter()
                .map(|d| d.id.as_str())
                .chain([OTHER, OBJECT_CARD, SIGNATURE])
            {
                assert!(doc_type(&rules, id, lang) != id, "{id} {lang:?}");
            }
            for s in FileStatus::ALL {
                assert!(label(&file_status_name(s, lang), s.as_str()), "{s:?} {lang:?}");
            }
        }
        assert_eq!(verdict_id("something_new", Lang::Ru), "something_new");
        assert_eq!(doc_type(&rules, "unknown_type", Lang::Ru), "unknown_type");
    }
}
