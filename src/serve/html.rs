//! Server-rendered HTML. Every string that came from a document, a card, a report or the request
//! goes through [`escape`] (or [`url_param`] inside [`href`]); nothing is fetched from the network,
//! so the page works offline. The pages' own words come from the catalogue [`web`], and are
//! escaped like the rest. No page holds a script: everything works with plain links and GET forms.

use std::fmt::Write;

use crate::history::diff::{Change, SubmissionDiff};
use crate::index::{FacetCount, Hit, SearchResults, Similar, SortOrder};
use crate::lang::Lang;
use crate::report::web::{self, Label};
use crate::report::{NightlyReport, Report, SubmissionReport};
use crate::rules::Rules;

use super::state::LoadedReport;

/// One escaping for every HTML page we make (control characters become U+FFFD there too).
pub use crate::report::escape;

/// The language of a page when the request names none (no `lang`, no cookie).
pub const DEFAULT_LANG: Lang = Lang::Ru;
/// Request parameters that are never copied into a link: the language is added by [`href`], and
/// the token lives in a cookie once given.
const NOT_CARRIED: [&str; 2] = ["lang", "token"];

/// A value for a URL query string (percent-encoded; then escaped as an attribute by the caller).
pub fn url_param(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// A link target built from (name, value) pairs, escaped for an `href="..."`; empty values are
/// left out, and a language other than the default is carried as `lang`.
pub fn href(path: &str, params: &[(&str, &str)], lang: Lang) -> String {
    let mut query: Vec<String> = params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", url_param(v)))
        .collect();
    if lang != DEFAULT_LANG {
        query.push(format!("lang={}", lang.code()));
    }
    if query.is_empty() {
        escape(path)
    } else {
        escape(&format!("{path}?{}", query.join("&")))
    }
}

/// What every page needs: its language, and the request's path and parameters, to link the same
/// page in another language.
#[derive(Clone, Copy)]
pub struct Ui<'a> {
    pub lang: Lang,
    pub path: &'a str,
    pub params: &'a [(String, String)],
}

impl Ui<'_> {
    fn href(&self, path: &str, params: &[(&str, &str)]) -> String {
        href(path, params, self.lang)
    }

    fn text(&self, text: web::Text) -> String {
        escape(text.get(self.lang))
    }

    /// This page in `lang`, every other parameter kept.
    fn in_language(&self, lang: Lang) -> String {
        let mut params: Vec<(&str, &str)> = self
            .params
            .iter()
            .filter(|(k, _)| !NOT_CARRIED.contains(&k.as_str()))
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        params.push(("lang", lang.code()));
        href(self.path, &params, DEFAULT_LANG)
    }
}

const STYLE: &str = "body{font-family:sans-serif;margin:0;color:#222}header{background:#1d3f6e;color:#fff;padding:.6em 1.2em;display:flex;gap:1.2em;align-items:baseline}\
header a{color:#fff}header #lang{margin-left:auto}header #lang b{border-bottom:2px solid #fff}main{display:flex;gap:1.5em;padding:1em 1.2em}\
aside{min-width:16em;max-width:22em}aside h3{margin:.8em 0 .3em;font-size:1em}aside li{list-style:none}\
aside ul{padding:0;margin:0}section{flex:1}.hit{margin-bottom:1.1em}.meta{color:#555;font-size:.9em}\
mark{background:#ffe14d;color:#000}input[type=search]{width:30em;font-size:1.05em;padding:.3em}\
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25em .5em;vertical-align:top}\
pre{white-space:pre-wrap;background:#f6f6f6;padding:1em}.complies{color:#176b2c}.does_not_comply{color:#a11}\
.needs_review{color:#a66a00}.crumbs{color:#555;margin:0 0 .6em}.pager a,.pager b{margin-right:.5em}\
.sort a,.sort b{margin-right:.6em}.downloads li{margin:.2em 0}form.filters label{margin-right:1em}";

pub fn layout(ui: &Ui, title: &str, body: &str) -> String {
    let mut switch = String::new();
    for lang in [Lang::Ru, Lang::Kk, Lang::En] {
        let name = escape(web::language_name(lang));
        if lang == ui.lang {
            let _ = write!(switch, " <b data-lang=\"{}\">{name}</b>", lang.code());
        } else {
            let _ = write!(
                switch,
                " <a data-lang=\"{0}\" hreflang=\"{0}\" href=\"{1}\">{name}</a>",
                lang.code(),
                ui.in_language(lang)
            );
        }
    }
    format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{} — portalcheck</title>\
         <style>{STYLE}</style></head><body><header><a id=\"nav-search\" href=\"{}\">{}</a>\
         <a id=\"nav-submissions\" href=\"{}\">{}</a><a id=\"nav-reports\" href=\"{}\">{}</a>\
         <nav id=\"lang\" aria-label=\"{}\">{switch}</nav></header>{body}</body></html>",
        ui.lang.code(),
        escape(title),
        ui.href("/", &[]),
        ui.text(web::SEARCH),
        ui.href("/submissions", &[]),
        ui.text(web::SUBMISSIONS_NAV),
        ui.href("/reports", &[]),
        ui.text(web::REPORTS_NAV),
        ui.text(web::LANGUAGE),
    )
}

/// "Отчёты › Отчёт на … › IS-1 › file": the way back, each step a link but the last.
fn crumbs(steps: &[(String, Option<String>)]) -> String {
    let parts: Vec<String> = steps
        .iter()
        .map(|(text, link)| match link {
            Some(link) => format!("<a href=\"{link}\">{}</a>", escape(text)),
            None => format!("<span>{}</span>", escape(text)),
        })
        .collect();
    format!("<p class=\"crumbs\" id=\"crumbs\">{}</p>", parts.join(" › "))
}

/// The search form, with the current query, filters, order and page size kept.
pub struct SearchForm<'a> {
    pub query: &'a str,
    pub doc_type: &'a str,
    pub state_body: &'a str,
    pub object_id: &'a str,
    pub sort: SortOrder,
    /// Results per page, as a parameter (`""` for the default).
    pub limit: &'a str,
}

impl SearchForm<'_> {
    fn params<'b>(&'b self, overrides: &[(&'b str, &'b str)]) -> Vec<(&'b str, &'b str)> {
        let sort = match self.sort {
            SortOrder::Relevance => "",
            other => other.as_str(),
        };
        let mut params = vec![
            ("q", self.query),
            ("type", self.doc_type),
            ("body", self.state_body),
            ("object", self.object_id),
            ("sort", sort),
            ("limit", self.limit),
        ];
        for (key, value) in overrides {
            match params.iter_mut().find(|(k, _)| k == key) {
                Some(slot) => slot.1 = value,
                None => params.push((key, value)),
            }
        }
        params
    }
}

/// One page of results: the window shown, the total, and the page size.
pub struct ResultsPage<'a> {
    pub results: &'a SearchResults,
    /// 1-based.
    pub page: usize,
    pub per_page: usize,
}

impl ResultsPage<'_> {
    pub fn page_count(&self) -> usize {
        self.results.pages.div_ceil(self.per_page.max(1))
    }
}

pub fn search_page(
    ui: &Ui,
    rules: &Rules,
    form: &SearchForm,
    results: Option<&ResultsPage>,
    error: Option<&str>,
) -> String {
    let lang = ui.lang;
    let mut body = format!("<main><section>{}", search_form(ui, form));
    body.push_str(&active_filters(ui, rules, form));
    if let Some(error) = error {
        let _ = write!(body, "<p class=\"error\">{}</p>", escape(error));
    }
    let Some(shown) = results else {
        body.push_str("</section></main>");
        return layout(ui, web::SEARCH.get(lang), &body);
    };
    let results = shown.results;
    body.push_str(&sort_links(ui, form));
    body.push_str(&hits_html(ui, rules, form, shown));
    body.push_str(&pager(ui, form, shown));
    body.push_str("</section><aside id=\"facets\">");
    for (key, label, counts) in [
        ("type", web::FACET_TYPE, &results.facets.doc_type),
        ("body", web::FACET_STATE_BODY, &results.facets.state_body),
        ("object", web::FACET_OBJECT, &results.facets.object_id),
    ] {
        // Document types are ids: shown by their names; the other facets are names already.
        let shown = |value: &str| match key {
            "type" => web::doc_type(rules, value, lang),
            _ => value.to_string(),
        };
        body.push_str(&facet_html(ui, form, key, label.get(lang), counts, shown));
    }
    body.push_str("</aside></main>");
    layout(ui, &web::search_title(form.query, lang), &body)
}

/// The query box, with the filters, order and page size in force kept as hidden fields.
fn search_form(ui: &Ui, form: &SearchForm) -> String {
    let mut html = format!(
        "<form id=\"search\" action=\"/\" method=\"get\">\
         <input type=\"search\" id=\"q\" name=\"q\" value=\"{}\" placeholder=\"{}\" autofocus> \
         <button type=\"submit\">{}</button>",
        escape(form.query),
        ui.text(web::SEARCH_PLACEHOLDER),
        ui.text(web::FIND),
    );
    let sort = match form.sort {
        SortOrder::Relevance => "",
        other => other.as_str(),
    };
    let lang = if ui.lang == DEFAULT_LANG { "" } else { ui.lang.code() };
    for (name, value) in [
        ("type", form.doc_type),
        ("body", form.state_body),
        ("object", form.object_id),
        ("sort", sort),
        ("limit", form.limit),
        ("lang", lang),
    ] {
        if !value.is_empty() {
            let _ = write!(
                html,
                "<input type=\"hidden\" name=\"{name}\" value=\"{}\">",
                escape(value)
            );
        }
    }
    html.push_str("</form>");
    html
}

/// "Фильтры: тип документа: … (убрать)": each filter in force with a link that drops it.
fn active_filters(ui: &Ui, rules: &Rules, form: &SearchForm) -> String {
    let lang = ui.lang;
    let type_name = web::doc_type(rules, form.doc_type, lang);
    let active: Vec<String> = [
        ("type", web::FILTER_TYPE, type_name.as_str(), form.doc_type),
        ("body", web::FILTER_STATE_BODY, form.state_body, form.state_body),
        ("object", web::FILTER_OBJECT, form.object_id, form.object_id),
    ]
    .iter()
    .filter(|(_, _, _, v)| !v.is_empty())
    .map(|(key, label, shown, _)| {
        format!(
            "{}: {} (<a href=\"{}\">{}</a>)",
            escape(label.get(lang)),
            escape(shown),
            ui.href("/", &form.params(&[(key, "")])),
            ui.text(web::REMOVE_FILTER),
        )
    })
    .collect();
    if active.is_empty() {
        return String::new();
    }
    format!(
        "<p class=\"filters\">{}: {}</p>",
        ui.text(web::FILTERS),
        active.join("; ")
    )
}

/// "Сортировка: по релевантности · по дате документа · по файлу", the current one not a link.
fn sort_links(ui: &Ui, form: &SearchForm) -> String {
    let mut html = format!("<p class=\"sort\" id=\"sort\">{}: ", ui.text(web::SORT));
    for (order, label) in [
        (SortOrder::Relevance, web::SORT_RELEVANCE),
        (SortOrder::Date, web::SORT_DATE),
        (SortOrder::File, web::SORT_FILE),
    ] {
        if order == form.sort {
            let _ = write!(html, "<b data-sort=\"{}\">{}</b>", order.as_str(), ui.text(label));
        } else {
            let value = match order {
                SortOrder::Relevance => "",
                other => other.as_str(),
            };
            let _ = write!(
                html,
                "<a data-sort=\"{}\" href=\"{}\">{}</a>",
                order.as_str(),
                ui.href("/", &form.params(&[("sort", value)])),
                ui.text(label)
            );
        }
    }
    html.push_str("</p>");
    html
}

/// The counts, "showing 21–40 of 137", then each hit; "nothing found" when there is none.
fn hits_html(ui: &Ui, rules: &Rules, form: &SearchForm, shown: &ResultsPage) -> String {
    let lang = ui.lang;
    let results = shown.results;
    let mut html = format!(
        "<p id=\"count\">{}: <b id=\"total\">{}</b>, {}: <b>{}</b></p>",
        ui.text(web::PAGES_FOUND),
        results.pages,
        ui.text(web::DOCUMENTS_FOUND),
        results.facets.files
    );
    if let Some(partial) = &results.partial {
        let _ = write!(html, "<p id=\"partial\">{}", ui.text(web::PARTIAL_MATCH));
        if !partial.found_nowhere.is_empty() {
            let _ = write!(html, " {}", escape(&web::found_nowhere(&partial.found_nowhere, lang)));
        }
        html.push_str("</p>");
    }
    if !results.hits.is_empty() {
        let first = (shown.page - 1) * shown.per_page + 1;
        let last = first + results.hits.len() - 1;
        let _ = write!(
            html,
            "<p id=\"showing\" data-first=\"{first}\" data-last=\"{last}\">{}</p>",
            escape(&web::showing(first, last, results.pages, lang))
        );
    }
    html.push_str("<div id=\"hits\">");
    for hit in &results.hits {
        html.push_str(&hit_html(ui, rules, form.query, hit));
    }
    if results.hits.is_empty() {
        let _ = write!(html, "<p>{}</p>", ui.text(web::NOTHING_FOUND));
    }
    html.push_str("</div>");
    html
}

/// Links to the other pages of results: previous, a few numbers around this one, next.
fn pager(ui: &Ui, form: &SearchForm, shown: &ResultsPage) -> String {
    let count = shown.page_count();
    if count <= 1 {
        return String::new();
    }
    let current = shown.page;
    let link = |page: usize, text: &str, rel: &str| {
        let number = page.to_string();
        format!(
            "<a{rel} data-page=\"{page}\" href=\"{}\">{}</a>",
            ui.href("/", &form.params(&[("page", &number)])),
            escape(text)
        )
    };
    let mut html = format!(
        "<nav class=\"pager\" id=\"pager\" aria-label=\"{}\">",
        ui.text(web::RESULT_PAGES)
    );
    if current > 1 {
        html.push_str(&link(current - 1, web::PREVIOUS_PAGE.get(ui.lang), " rel=\"prev\""));
    }
    let mut last_shown = 0;
    for page in 1..=count {
        let near = page == 1 || page == count || page.abs_diff(current) <= 2;
        if !near {
            continue;
        }
        if last_shown + 1 < page {
            html.push_str("<span>…</span> ");
        }
        if page == current {
            let _ = write!(html, "<b data-page=\"{page}\">{page}</b>");
        } else {
            html.push_str(&link(page, &page.to_string(), ""));
        }
        last_shown = page;
    }
    if current < count {
        html.push_str(&link(current + 1, web::NEXT_PAGE.get(ui.lang), " rel=\"next\""));
    }
    html.push_str("</nav>");
    html
}

fn facet_html(
    ui: &Ui,
    form: &SearchForm,
    key: &str,
    label: &str,
    counts: &[FacetCount],
    shown: impl Fn(&str) -> String,
) -> String {
    let mut out = format!("<h3>{}</h3><ul class=\"facet\" data-facet=\"{key}\">", escape(label));
    for count in counts {
        let link = if count.value.is_empty() {
            ui.text(web::NOT_STATED)
        } else {
            format!(
                "<a href=\"{}\">{}</a>",
                ui.href("/", &form.params(&[(key, count.value.as_str())])),
                escape(&shown(&count.value))
            )
        };
        let _ = write!(
            out,
            "<li data-value=\"{}\">{link} <span class=\"n\">{}</span></li>",
            escape(&count.value),
            count.files
        );
    }
    out.push_str("</ul>");
    out
}

/// Text cut into (part, marked) at the byte ranges given; a range that is not on character
/// boundaries, overlaps the one before or runs past the end is ignored.
fn marked_parts<'t>(text: &'t str, ranges: &[(usize, usize)]) -> Vec<(&'t str, bool)> {
    let mut parts = Vec::new();
    let mut from = 0;
    for &(start, end) in ranges {
        let valid = start >= from
            && start < end
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end);
        if !valid {
            continue;
        }
        if start > from {
            parts.push((&text[from..start], false));
        }
        parts.push((&text[start..end], true));
        from = end;
    }
    if from < text.len() {
        parts.push((&text[from..], false));
    }
    parts
}

fn marked_html(parts: &[(&str, bool)]) -> String {
    parts
        .iter()
        .map(|(part, marked)| match marked {
            true => format!("<mark>{}</mark>", escape(part)),
            false => escape(part),
        })
        .collect()
}

fn hit_html(ui: &Ui, rules: &Rules, query: &str, hit: &Hit) -> String {
    let lang = ui.lang;
    let snippet = marked_html(&hit.snippet_parts());
    let page = hit.page.to_string();
    let date = match hit.date {
        Some(date) => format!(
            " · {}: <span class=\"date\">{}</span>",
            ui.text(web::DOCUMENT_DATE),
            escape(&date.dotted())
        ),
        None => String::new(),
    };
    // The type is shown by its name; its id stays in an attribute for tools that read it.
    format!(
        "<div class=\"hit\" data-doctype=\"{}\"><div><a class=\"file\" href=\"{}\">{}</a> — <span class=\"page\">{}</span></div>\
         <div class=\"meta\">{}: <span class=\"doctype-name\">{}</span>{date} · \
         {}: <a class=\"object\" href=\"{}\">{}</a>{} · <a href=\"{}\">{}</a></div><div class=\"snippet\">{snippet}</div></div>",
        escape(&hit.doc_type),
        ui.href("/page", &[("file", &hit.file), ("page", &page), ("q", query)]),
        escape(&hit.file),
        escape(&web::place(hit.page, hit.sheet.as_deref(), lang)),
        ui.text(web::FILTER_TYPE),
        escape(&web::doc_type(rules, &hit.doc_type, lang)),
        ui.text(web::FILTER_OBJECT),
        ui.href("/submission", &[("id", &hit.object_id)]),
        escape(&hit.object_id),
        if hit.state_body.is_empty() {
            String::new()
        } else {
            format!(" · {}", escape(&hit.state_body))
        },
        ui.href("/like", &[("file", &hit.file)]),
        ui.text(web::SIMILAR_DOCUMENTS_LINK),
    )
}

pub fn like_page(ui: &Ui, rules: &Rules, file: &str, similar: &[Similar]) -> String {
    let lang = ui.lang;
    let mut body = format!(
        "<main><section><h2>{}</h2><p>{}: <a href=\"{}\">{}</a></p>",
        ui.text(web::SIMILAR_HEADING),
        ui.text(web::SOURCE_DOCUMENT),
        ui.href("/page", &[("file", file), ("page", "1")]),
        escape(file)
    );
    if similar.is_empty() {
        let _ = write!(body, "<p>{}</p>", ui.text(web::NO_SIMILAR));
    } else {
        let _ = write!(
            body,
            "<table><tr>{}</tr>",
            header_cells(
                &[
                    web::COLUMN_DOCUMENT,
                    web::COLUMN_PAGE,
                    web::COLUMN_TYPE,
                    web::COLUMN_OBJECT,
                    web::COLUMN_SIMILARITY,
                ],
                lang
            )
        );
        for s in similar {
            let page = s.page.to_string();
            let _ = write!(
                body,
                "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td><a href=\"{}\">{}</a></td><td>{:.1}</td></tr>",
                ui.href("/page", &[("file", &s.file), ("page", &page)]),
                escape(&s.file),
                s.page,
                escape(&web::doc_type(rules, &s.doc_type, lang)),
                ui.href("/submission", &[("id", &s.object_id)]),
                escape(&s.object_id),
                s.score
            );
        }
        body.push_str("</table>");
    }
    body.push_str("</section></main>");
    layout(ui, web::SIMILAR_TITLE.get(lang), &body)
}

/// Where the original of a shown file can be opened.
pub enum Original {
    /// No corpus root: nothing to link.
    Unknown,
    File,
    /// A file inside the archive `archive_name` (a corpus file): opened from the archive's bytes.
    Member {
        archive_name: String,
    },
}

/// One page of a document as the document page shows it.
pub struct DocumentPage<'a> {
    pub file: &'a str,
    pub page: u64,
    pub pages: u64,
    pub text: &'a str,
    /// The query the reader came with (kept in the links), and where its words are in `text`.
    pub query: &'a str,
    pub highlights: &'a [(usize, usize)],
    pub original: Original,
    /// The submission the file belongs to, and the night whose report linked here.
    pub object_id: Option<&'a str>,
    pub night: &'a str,
}

/// One page's indexed text, the query marked, with the way back to its submission and a link to
/// the file itself when the corpus is known.
pub fn page_text(ui: &Ui, doc: &DocumentPage) -> String {
    let lang = ui.lang;
    let file = doc.file;
    let mut steps = vec![(web::REPORTS_NAV.get(lang).to_string(), Some(ui.href("/reports", &[])))];
    if let Some(id) = doc.object_id {
        steps.push((
            id.to_string(),
            Some(ui.href("/submission", &[("id", id), ("date", doc.night)])),
        ));
    }
    steps.push((file.to_string(), None));
    let mut body = format!("<main><section>{}<h2>{}</h2><p>", crumbs(&steps), escape(file));
    if let Some(id) = doc.object_id {
        let _ = write!(
            body,
            "<a id=\"back\" href=\"{}\">{}</a> · ",
            ui.href("/submission", &[("id", id), ("date", doc.night)]),
            ui.text(web::BACK_TO_SUBMISSION)
        );
    }
    if !doc.query.is_empty() {
        let _ = write!(
            body,
            "<a id=\"back-to-results\" href=\"{}\">{}</a> · ",
            ui.href("/", &[("q", doc.query)]),
            ui.text(web::BACK_TO_RESULTS)
        );
    }
    if !matches!(doc.original, Original::Unknown) {
        let fragment = if file.to_lowercase().ends_with(".pdf") {
            format!("#page={}", doc.page)
        } else {
            String::new()
        };
        let _ = write!(
            body,
            "<a id=\"original\" href=\"{}{fragment}\">{}</a> · ",
            href("/file", &[("path", file)], DEFAULT_LANG),
            ui.text(web::OPEN_FILE),
        );
    }
    if let Original::Member { archive_name } = &doc.original {
        let _ = write!(body, "{} · ", archive_link(archive_name, lang));
    }
    body.push_str(&escape(&web::page_of(doc.page, doc.pages, lang)));
    for (label, target) in [
        (web::PREVIOUS_PAGE, doc.page.saturating_sub(1)),
        (web::NEXT_PAGE, doc.page + 1),
    ] {
        if target >= 1 && target <= doc.pages && target != doc.page {
            let target = target.to_string();
            let _ = write!(
                body,
                " · <a href=\"{}\">{}</a>",
                ui.href(
                    "/page",
                    &[("file", file), ("page", &target), ("q", doc.query), ("date", doc.night)]
                ),
                ui.text(label),
            );
        }
    }
    body.push_str("</p>");
    if !doc.query.is_empty() && !doc.highlights.is_empty() {
        let _ = write!(
            body,
            "<p id=\"marked\">{}</p>",
            escape(&web::query_marked(doc.query, lang))
        );
    }
    let _ = write!(
        body,
        "<pre id=\"page-text\">{}</pre></section></main>",
        marked_html(&marked_parts(doc.text, doc.highlights))
    );
    layout(ui, file, &body)
}

/// A table's header cells from catalogue texts.
fn header_cells(columns: &[web::Text], lang: Lang) -> String {
    columns
        .iter()
        .map(|c| format!("<th>{}</th>", escape(c.get(lang))))
        .collect()
}

/// A download link of a report directory's file.
fn download_link(ui: &Ui, night: &str, name: &str, text: &str) -> String {
    format!(
        "<a class=\"download\" data-name=\"{}\" href=\"{}\">{}</a>",
        escape(name),
        ui.href("/download", &[("date", night), ("name", name)]),
        escape(text)
    )
}

/// The verdict counts of a report, by their names: "соответствует: 3, требует проверки: 2".
fn verdict_counts(report: &Report, lang: Lang) -> String {
    let verdicts: Vec<String> = report
        .totals
        .verdicts
        .iter()
        .map(|(id, count)| format!("{}: {count}", web::verdict_id(id, lang)))
        .collect();
    verdicts.join(", ")
}

/// The history: one row per finished night, newest first, with its totals, its diff in brief and
/// its files. A night whose report does not read says so and links nothing.
pub fn history(ui: &Ui, nights: &[(String, Result<LoadedReport, String>)]) -> String {
    let lang = ui.lang;
    let mut body = format!(
        "<main><section><h2>{}</h2><table id=\"history\"><tr>{}</tr>",
        ui.text(web::HISTORY_TITLE),
        header_cells(
            &[
                web::COLUMN_DATE,
                web::COLUMN_SUBMISSIONS,
                web::COLUMN_VERDICTS,
                web::COLUMN_CHANGES,
                web::COLUMN_DOWNLOADS,
            ],
            lang
        )
    );
    for (night, loaded) in nights {
        let loaded = match loaded {
            Ok(loaded) => loaded,
            Err(problem) => {
                let _ = write!(
                    body,
                    "<tr data-date=\"{0}\"><td>{0}</td><td colspan=\"4\">{1}: {2}</td></tr>",
                    escape(night),
                    ui.text(web::REPORT_NOT_READ),
                    escape(problem)
                );
                continue;
            }
        };
        let report = loaded.report();
        let changes = match loaded.nightly() {
            Some(nightly) => match nightly.diff.previous {
                Some(_) => escape(&web::diff_totals_sentence(&nightly.diff.totals, lang)),
                None => escape(Label::FirstRun.get(lang)),
            },
            None => ui.text(web::NO_COMPARISON),
        };
        let downloads: Vec<String> = super::state::report_files(&loaded.dir)
            .iter()
            .map(|name| download_link(ui, night, name, &web::report_file_label(name, lang)))
            .collect();
        let _ = write!(
            body,
            "<tr data-date=\"{}\"><td><a class=\"night\" href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td>{changes}</td><td>{}</td></tr>",
            escape(night),
            ui.href("/report", &[("date", night)]),
            escape(night),
            report.totals.submissions,
            escape(&verdict_counts(report, lang)),
            downloads.join("<br>")
        );
    }
    if nights.is_empty() {
        let _ = write!(
            body,
            "<tr><td colspan=\"5\">{}</td></tr>",
            ui.text(web::NO_REPORTS.text)
        );
    }
    body.push_str("</table></section></main>");
    layout(ui, web::HISTORY_TITLE.get(lang), &body)
}

/// One night's summary, made from its report.json in the page's language: the totals, the diff
/// with the night before, the files to download and every submission linked.
pub fn report_page(ui: &Ui, rules: &Rules, loaded: &LoadedReport) -> String {
    let lang = ui.lang;
    let report = loaded.report();
    let night = loaded.night.as_str();
    let title = web::report_as_of(&report.as_of.to_string(), lang);
    let mut body = format!(
        "<main><section>{}<h2>{}</h2>",
        crumbs(&[
            (web::REPORTS_NAV.get(lang).to_string(), Some(ui.href("/reports", &[]))),
            (title.clone(), None),
        ]),
        escape(&title)
    );
    let _ = write!(
        body,
        "<p id=\"totals\">{} {}</p>",
        escape(&web::totals(report.totals.submissions, report.totals.files, lang)),
        escape(&verdict_counts(report, lang))
    );
    body.push_str(&downloads_list(
        ui,
        night,
        &super::state::report_files(&loaded.dir)
            .iter()
            .map(|name| (name.clone(), web::report_file_label(name, lang)))
            .collect::<Vec<_>>(),
    ));
    if let Some(nightly) = loaded.nightly() {
        body.push_str(&diff_section(ui, rules, nightly, night));
    }
    let _ = write!(
        body,
        "<h3>{}</h3><p><a href=\"{}\">{}</a></p>",
        ui.text(web::SUBMISSIONS_TITLE),
        ui.href("/submissions", &[("date", night)]),
        ui.text(web::ALL_SUBMISSIONS)
    );
    body.push_str(&submissions_table(
        ui,
        report,
        &report.submissions.iter().collect::<Vec<_>>(),
        night,
        None,
    ));
    body.push_str("</section></main>");
    layout(ui, &title, &body)
}

fn downloads_list(ui: &Ui, night: &str, files: &[(String, String)]) -> String {
    if files.is_empty() {
        return String::new();
    }
    let mut html = format!(
        "<h3>{}</h3><ul class=\"downloads\" id=\"downloads\">",
        ui.text(web::DOWNLOADS)
    );
    for (name, label) in files {
        let _ = write!(html, "<li>{}</li>", download_link(ui, night, name, label));
    }
    html.push_str("</ul>");
    html
}

/// What changed since the previous night: the totals, then one row per submission.
fn diff_section(ui: &Ui, rules: &Rules, nightly: &NightlyReport, night: &str) -> String {
    let lang = ui.lang;
    let diff = &nightly.diff;
    let mut html = String::new();
    match diff.previous {
        Some(previous) => {
            let _ = write!(
                html,
                "<h3 id=\"diff\">{} {}</h3>",
                escape(Label::ChangesSince.get(lang)),
                escape(&previous.dotted())
            );
        }
        None => {
            let _ = write!(
                html,
                "<h3 id=\"diff\">{}</h3><p>{}</p>",
                escape(Label::Changes.get(lang)),
                escape(Label::FirstRun.get(lang))
            );
        }
    }
    for problem in &diff.history_problems {
        let _ = write!(
            html,
            "<p>{}: {}</p>",
            escape(Label::HistoryUnreadable.get(lang)),
            escape(problem)
        );
    }
    if diff.previous.is_none() {
        return html;
    }
    let _ = write!(
        html,
        "<p id=\"diff-totals\">{}</p>",
        escape(&web::diff_totals_sentence(&diff.totals, lang))
    );
    if diff.submissions.is_empty() {
        let _ = write!(html, "<p>{}</p>", escape(Label::NoChanges.get(lang)));
        return html;
    }
    let _ = write!(
        html,
        "<table id=\"diff-table\"><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        escape(Label::Object.get(lang)),
        escape(Label::StateBody.get(lang)),
        escape(Label::Change.get(lang)),
        escape(Label::Verdict.get(lang)),
        escape(Label::Details.get(lang))
    );
    for s in &diff.submissions {
        html.push_str(&diff_row(ui, rules, s, night));
    }
    html.push_str("</table>");
    html
}

fn diff_row(ui: &Ui, rules: &Rules, s: &SubmissionDiff, night: &str) -> String {
    let lang = ui.lang;
    let change = match s.change {
        Change::New => Label::NewSubmission,
        Change::Removed => Label::SubmissionRemoved,
        Change::Changed => Label::Changed,
    }
    .get(lang);
    let verdict = match (s.verdict_before, s.verdict_after) {
        (Some(a), Some(b)) if a != b => format!("{} → {}", web::verdict(a, lang), web::verdict(b, lang)),
        (_, Some(b)) => web::verdict(b, lang),
        (Some(a), None) => web::verdict(a, lang),
        (None, None) => String::new(),
    };
    let status =
        |status: Option<crate::evaluate::Status>| status.map_or_else(|| "—".to_string(), |s| web::status(s, lang));
    let mut details = String::new();
    for (label, changes) in [
        (Label::NewlyMissing, &s.newly_missing),
        (Label::NewlyPresent, &s.newly_present),
        (Label::StatusChanged, &s.other_status_changes),
    ] {
        for c in changes.iter() {
            let _ = write!(
                details,
                "<li>{}: {} ({} → {})</li>",
                escape(label.get(lang)),
                escape(&web::requirement_title(rules, &c.requirement, "", lang)),
                escape(&status(c.before)),
                escape(&status(c.after))
            );
        }
    }
    for (label, files) in [
        (Label::FileAdded, &s.files_added),
        (Label::FileChanged, &s.files_changed),
        (Label::FileRemoved, &s.files_removed),
    ] {
        for f in files {
            let _ = write!(
                details,
                "<li>{}: <code>{}</code></li>",
                escape(label.get(lang)),
                escape(f)
            );
        }
    }
    let object = match s.change {
        Change::Removed => escape(&s.object_id),
        _ => format!(
            "<a href=\"{}\">{}</a>",
            ui.href("/submission", &[("id", &s.object_id), ("date", night)]),
            escape(&s.object_id)
        ),
    };
    format!(
        "<tr><td>{object}</td><td>{}</td><td>{}</td><td>{}</td><td><ul>{details}</ul></td></tr>",
        escape(s.owner.as_deref().unwrap_or("—")),
        escape(change),
        escape(&verdict)
    )
}

/// The filters and order of the list of submissions, as the request gave them (ids, or `""`).
#[derive(Default)]
pub struct SubmissionFilter<'a> {
    pub verdict: &'a str,
    pub level: &'a str,
    pub state_body: &'a str,
    pub sort: &'a str,
}

/// How the list of submissions may be ordered: (parameter, column).
pub const SUBMISSION_SORTS: [(&str, web::Text); 5] = [
    ("object", web::COLUMN_OBJECT),
    ("name", web::COLUMN_NAME),
    ("owner", web::COLUMN_OWNER),
    ("verdict", web::COLUMN_VERDICT),
    ("level", web::COLUMN_LEVEL),
];

/// The table of submissions; with `sorting`, its headers are links that order it.
fn submissions_table(
    ui: &Ui,
    report: &Report,
    shown: &[&SubmissionReport],
    night: &str,
    sorting: Option<&SubmissionFilter>,
) -> String {
    let lang = ui.lang;
    let mut html = String::from("<table id=\"submissions\"><tr>");
    for (key, column) in SUBMISSION_SORTS {
        match sorting {
            Some(filter) if filter.sort != key => {
                let _ = write!(
                    html,
                    "<th><a data-sort=\"{key}\" href=\"{}\">{}</a></th>",
                    ui.href(
                        "/submissions",
                        &[
                            ("date", night),
                            ("verdict", filter.verdict),
                            ("level", filter.level),
                            ("body", filter.state_body),
                            ("sort", key),
                        ]
                    ),
                    ui.text(column)
                );
            }
            Some(_) => {
                let _ = write!(html, "<th data-sort=\"{key}\">{} ↓</th>", ui.text(column));
            }
            None => {
                let _ = write!(html, "<th>{}</th>", ui.text(column));
            }
        }
    }
    let _ = write!(html, "<th>{}</th></tr>", ui.text(web::COLUMN_SUMMARY));
    for submission in shown {
        // The report's sentence is in the report's language; another language shows none
        // rather than a mixed page.
        let summary = if lang == report.lang {
            submission.summary.as_str()
        } else {
            ""
        };
        let _ = write!(
            html,
            "<tr data-id=\"{}\" data-verdict=\"{}\" data-level=\"{}\"><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td>{}</td><td>{}</td></tr>",
            escape(&submission.object_id),
            submission.verdict.as_str(),
            submission.level.as_str(),
            ui.href("/submission", &[("id", &submission.object_id), ("date", night)]),
            escape(&submission.object_id),
            escape(submission.name.as_deref().unwrap_or_default()),
            escape(submission.owner.as_deref().unwrap_or_default()),
            submission.verdict.as_str(),
            escape(&web::verdict(submission.verdict, lang)),
            escape(&web::level(submission.level, lang)),
            escape(summary),
        );
    }
    html.push_str("</table>");
    html
}

/// The list of submissions of a night, filtered and ordered as asked.
pub fn submissions_page(
    ui: &Ui,
    loaded: &LoadedReport,
    filter: &SubmissionFilter,
    shown: &[&SubmissionReport],
) -> String {
    let lang = ui.lang;
    let report = loaded.report();
    let night = loaded.night.as_str();
    let title = web::report_as_of(&report.as_of.to_string(), lang);
    let mut body = format!(
        "<main><section>{}<h2>{}</h2>",
        crumbs(&[
            (web::REPORTS_NAV.get(lang).to_string(), Some(ui.href("/reports", &[]))),
            (title, Some(ui.href("/report", &[("date", night)]))),
            (web::SUBMISSIONS_TITLE.get(lang).to_string(), None),
        ]),
        ui.text(web::SUBMISSIONS_TITLE)
    );
    body.push_str(&submission_filters(ui, report, filter, night));
    let _ = write!(
        body,
        "<p id=\"count\" data-shown=\"{}\">{}</p>",
        shown.len(),
        escape(&web::submissions_shown(shown.len(), report.submissions.len(), lang))
    );
    if shown.is_empty() {
        let _ = write!(body, "<p>{}</p>", ui.text(web::NO_SUBMISSION_MATCHES));
    } else {
        body.push_str(&submissions_table(ui, report, shown, night, Some(filter)));
    }
    body.push_str("</section></main>");
    layout(ui, web::SUBMISSIONS_TITLE.get(lang), &body)
}

/// A GET form with a select per filter: verdict, level and state body (the bodies the report
/// names), each option by its human name.
fn submission_filters(ui: &Ui, report: &Report, filter: &SubmissionFilter, night: &str) -> String {
    use crate::evaluate::{Level, Verdict};
    let lang = ui.lang;
    let select = |name: &str, label: web::Text, current: &str, options: &[(String, String)]| {
        let mut html = format!(
            "<label>{}: <select name=\"{name}\" id=\"filter-{name}\"><option value=\"\">{}</option>",
            ui.text(label),
            ui.text(web::ALL)
        );
        for (value, text) in options {
            let selected = if value == current { " selected" } else { "" };
            let _ = write!(
                html,
                "<option value=\"{}\"{selected}>{}</option>",
                escape(value),
                escape(text)
            );
        }
        html.push_str("</select></label>");
        html
    };
    let verdicts: Vec<(String, String)> = [Verdict::Complies, Verdict::NeedsReview, Verdict::DoesNotComply]
        .into_iter()
        .map(|v| (v.as_str().to_string(), web::verdict(v, lang)))
        .collect();
    let levels: Vec<(String, String)> = [Level::Fully, Level::Partially, Level::Not]
        .into_iter()
        .map(|l| (l.as_str().to_string(), web::level(l, lang)))
        .collect();
    let mut bodies: Vec<String> = report.submissions.iter().filter_map(|s| s.owner.clone()).collect();
    bodies.sort();
    bodies.dedup();
    let bodies: Vec<(String, String)> = bodies.into_iter().map(|b| (b.clone(), b)).collect();
    let mut html = String::from("<form class=\"filters\" id=\"filters\" action=\"/submissions\" method=\"get\">");
    html.push_str(&select("verdict", web::COLUMN_VERDICT, filter.verdict, &verdicts));
    html.push_str(&select("level", web::COLUMN_LEVEL, filter.level, &levels));
    html.push_str(&select("body", web::FACET_STATE_BODY, filter.state_body, &bodies));
    for (name, value) in [
        ("date", night),
        ("sort", filter.sort),
        ("lang", if lang == DEFAULT_LANG { "" } else { lang.code() }),
    ] {
        if !value.is_empty() {
            let _ = write!(
                html,
                "<input type=\"hidden\" name=\"{name}\" value=\"{}\">",
                escape(value)
            );
        }
    }
    let _ = write!(html, "<button type=\"submit\">{}</button></form>", ui.text(web::SHOW));
    html
}

/// What a submission page links to download: its Markdown and its letters (paths in the report
/// directory).
pub struct SubmissionFiles {
    pub markdown: Option<String>,
    pub letters: Vec<String>,
}

/// One submission's report, with every evidence place linked to its page, in the page's language.
pub fn submission(
    ui: &Ui,
    rules: &Rules,
    loaded: &LoadedReport,
    submission: &SubmissionReport,
    downloads: &SubmissionFiles,
    file_links: bool,
) -> String {
    let lang = ui.lang;
    let report = loaded.report();
    let night = loaded.night.as_str();
    let id = submission.object_id.as_str();
    let verdict = submission.verdict.as_str();
    let title = web::report_as_of(&report.as_of.to_string(), lang);
    let mut body = format!(
        "<main><section>{}<h2>{}</h2><p>{}</p><p>{}: {} · {}: {} · {}</p>\
         <p>{}: <b class=\"{}\" id=\"verdict\">{}</b>, {}: <b id=\"level\">{}</b></p>",
        crumbs(&[
            (web::REPORTS_NAV.get(lang).to_string(), Some(ui.href("/reports", &[]))),
            (title, Some(ui.href("/report", &[("date", night)]))),
            (
                web::SUBMISSIONS_TITLE.get(lang).to_string(),
                Some(ui.href("/submissions", &[("date", night)]))
            ),
            (id.to_string(), None),
        ]),
        escape(id),
        escape(submission.name.as_deref().unwrap_or_default()),
        ui.text(web::OWNER),
        escape(submission.owner.as_deref().unwrap_or_default()),
        ui.text(web::PATH),
        escape(&submission.path),
        escape(&web::report_date(&report.as_of.to_string(), lang)),
        ui.text(web::VERDICT),
        verdict,
        escape(&web::verdict(submission.verdict, lang)),
        ui.text(web::LEVEL),
        escape(&web::level(submission.level, lang)),
    );
    if lang == report.lang {
        let _ = write!(body, "<p id=\"summary\">{}</p>", escape(&submission.summary));
    }
    if let Some(criteria) = &submission.criteria {
        let _ = write!(
            body,
            "<p id=\"points\">{}: <b>{}</b>{}</p>",
            escape(Label::Points.get(lang)),
            criteria.points,
            if lang == report.lang {
                format!(" — {}", escape(&criteria.reason))
            } else {
                String::new()
            }
        );
    }
    if lang == report.lang && !submission.warnings.is_empty() {
        let _ = write!(
            body,
            "<h3>{}</h3><ul id=\"warnings\">",
            escape(Label::Warnings.get(lang))
        );
        for warning in &submission.warnings {
            let _ = write!(body, "<li>{}</li>", escape(&warning.text));
        }
        body.push_str("</ul>");
    }
    let mut files: Vec<(String, String)> = Vec::new();
    if let Some(markdown) = &downloads.markdown {
        files.push((markdown.clone(), web::SUBMISSION_MARKDOWN.get(lang).to_string()));
    }
    for letter in &downloads.letters {
        files.push((letter.clone(), web::letter_label(letter, lang)));
    }
    body.push_str(&downloads_list(ui, night, &files));
    body.push_str(&requirements_table(ui, rules, report, submission, night));
    body.push_str(&files_table(ui, rules, submission, file_links, night));
    body.push_str("</section></main>");
    layout(ui, id, &body)
}

/// Each requirement with its status, reason and the evidence, linked to its page.
fn requirements_table(ui: &Ui, rules: &Rules, report: &Report, submission: &SubmissionReport, night: &str) -> String {
    let lang = ui.lang;
    let mut body = String::new();
    let _ = write!(
        body,
        "<h3>{}</h3><table id=\"requirements\"><tr>{}</tr>",
        ui.text(web::REQUIREMENTS),
        header_cells(
            &[
                web::COLUMN_REQUIREMENT,
                web::COLUMN_STATUS,
                web::COLUMN_REASON,
                web::COLUMN_EVIDENCE,
            ],
            lang
        )
    );
    for requirement in &submission.requirements {
        let mut evidence = String::new();
        for place in &requirement.evidence {
            // The page quoted, else the first page of the document in a bundled file.
            let page = u64::from(place.page.or(place.pages.map(|p| p.first)).unwrap_or(1));
            let page_param = page.to_string();
            let _ = write!(
                evidence,
                "<div><a class=\"evidence\" href=\"{}\">{} ({})</a> <q>{}</q></div>",
                ui.href(
                    "/page",
                    &[("file", &place.file), ("page", &page_param), ("date", night)]
                ),
                escape(&place.file),
                escape(&web::page_short(page, lang)),
                escape(place.snippet.as_deref().unwrap_or_default()),
            );
        }
        let title = web::requirement_title(rules, &requirement.id, &requirement.title, lang);
        // The report's own sentence in its language; in another, the same finding said anew.
        let reason = if lang == report.lang {
            requirement.reason.clone()
        } else {
            web::finding(rules, &requirement.finding, lang)
        };
        let _ = write!(
            body,
            "<tr data-status=\"{}\"><td>{} <small>{}</small></td><td>{}</td><td>{}</td><td>{evidence}</td></tr>",
            requirement.status.as_str(),
            escape(&title),
            escape(if lang == report.lang {
                requirement.cite.as_str()
            } else {
                ""
            }),
            escape(&web::status(requirement.status, lang)),
            escape(&reason),
        );
    }
    body.push_str("</table>");
    body
}

/// Each file with its status and type, a link to its text, the original and similar documents.
fn files_table(ui: &Ui, rules: &Rules, submission: &SubmissionReport, file_links: bool, night: &str) -> String {
    let lang = ui.lang;
    let mut body = String::new();
    let _ = write!(
        body,
        "<h3>{}</h3><table id=\"files\"><tr>{}<th></th></tr>",
        ui.text(web::FILES),
        header_cells(
            &[
                web::COLUMN_FILE,
                web::COLUMN_STATUS,
                web::COLUMN_TYPE,
                web::COLUMN_REASON,
            ],
            lang
        )
    );
    let file_link = ui.text(web::FILE_LINK);
    for file in &submission.files {
        let name = file.file.as_str();
        let original_href = href("/file", &[("path", name)], DEFAULT_LANG);
        let original = match (file_links, file.archive.as_deref()) {
            (false, _) => String::new(),
            (true, None) => format!("<a href=\"{original_href}\">{file_link}</a> · "),
            (true, Some(archive)) => format!(
                "<a href=\"{original_href}\">{file_link}</a> ({}) · ",
                archive_link(archive, lang)
            ),
        };
        let _ = write!(
            body,
            "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{original}<a href=\"{}\">{}</a></td></tr>",
            ui.href("/page", &[("file", name), ("page", "1"), ("date", night)]),
            escape(name),
            escape(&crate::report::file_status_name(file.status, lang)),
            escape(&web::doc_type(rules, &file.doc_type, lang)),
            escape(&file.note(lang).unwrap_or_default()),
            ui.href("/like", &[("file", name)]),
            ui.text(web::SIMILAR_LINK),
        );
    }
    body.push_str("</table>");
    body
}

/// "inside the archive X", X linked: the analyst may want the whole archive as submitted.
fn archive_link(archive: &str, lang: Lang) -> String {
    let (before, after) = web::in_archive(lang);
    format!(
        "{}<a class=\"archive\" href=\"{}\">{}</a>{}",
        escape(before),
        href("/file", &[("path", archive)], DEFAULT_LANG),
        escape(archive),
        escape(after),
    )
}

pub fn message(ui: &Ui, title: &str, text: &str) -> String {
    layout(
        ui,
        title,
        &format!(
            "<main><section><h2>{}</h2><p>{}</p></section></main>",
            escape(title),
            escape(text)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_from_documents_is_text() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(
            href("/page", &[("file", "a b/<x>.pdf"), ("page", "2")], Lang::Ru),
            "/page?file=a%20b%2F%3Cx%3E.pdf&amp;page=2"
        );
        assert_eq!(href("/", &[("q", "")], Lang::Kk), "/?lang=kk");
    }

    #[test]
    fn marks_are_escaped_and_bad_ranges_ignored() {
        let text = "акт <b> акты";
        let parts = marked_parts(text, &[(0, 6), (3, 9), (11, 19), (40, 50)]);
        assert_eq!(marked_html(&parts), "<mark>акт</mark> &lt;b&gt; <mark>акты</mark>");
        assert_eq!(marked_parts("ё", &[(0, 1)]), vec![("ё", false)]);
    }
}
