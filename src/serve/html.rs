//! Server-rendered HTML. Every string that came from a document, a card, a report or the request
//! goes through [`escape`] (or [`attr`] / [`url_param`]); nothing is fetched from the network, so
//! the page works offline.

use std::fmt::Write;

use serde_json::Value;

use crate::index::{FacetCount, Hit, SearchResults, Similar};

/// One escaping for every HTML page we make (control characters become U+FFFD there too).
pub use crate::report::escape;

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

/// A link target built from (name, value) pairs, escaped for an `href="..."`.
pub fn href(path: &str, params: &[(&str, &str)]) -> String {
    let query: Vec<String> = params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", url_param(v)))
        .collect();
    if query.is_empty() {
        escape(path)
    } else {
        escape(&format!("{path}?{}", query.join("&")))
    }
}

const STYLE: &str = "body{font-family:sans-serif;margin:0;color:#222}header{background:#1d3f6e;color:#fff;padding:.6em 1.2em}\
header a{color:#fff;margin-right:1.2em}main{display:flex;gap:1.5em;padding:1em 1.2em}\
aside{min-width:16em;max-width:22em}aside h3{margin:.8em 0 .3em;font-size:1em}aside li{list-style:none}\
aside ul{padding:0;margin:0}section{flex:1}.hit{margin-bottom:1.1em}.meta{color:#555;font-size:.9em}\
mark{background:#ffe14d;color:#000}input[type=search]{width:30em;font-size:1.05em;padding:.3em}\
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25em .5em;vertical-align:top}\
pre{white-space:pre-wrap;background:#f6f6f6;padding:1em}.complies{color:#176b2c}.does_not_comply{color:#a11}\
.needs_review{color:#a66a00}";

pub fn layout(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"ru\"><head><meta charset=\"utf-8\"><title>{} — portalcheck</title>\
         <style>{STYLE}</style></head><body><header><a href=\"/\">Поиск</a><a href=\"/reports\">Отчёт</a></header>\
         {body}</body></html>",
        escape(title)
    )
}

/// The search form, with the current query and filters kept.
pub struct SearchForm<'a> {
    pub query: &'a str,
    pub doc_type: &'a str,
    pub state_body: &'a str,
    pub object_id: &'a str,
}

impl SearchForm<'_> {
    fn params<'b>(&'b self, overrides: &[(&'b str, &'b str)]) -> Vec<(&'b str, &'b str)> {
        let mut params = vec![
            ("q", self.query),
            ("type", self.doc_type),
            ("body", self.state_body),
            ("object", self.object_id),
        ];
        for (key, value) in overrides {
            if let Some(slot) = params.iter_mut().find(|(k, _)| k == key) {
                slot.1 = value;
            }
        }
        params
    }
}

pub fn search_page(form: &SearchForm, results: Option<&SearchResults>, error: Option<&str>) -> String {
    let mut body = String::new();
    let _ = write!(
        body,
        "<main><section><form id=\"search\" action=\"/\" method=\"get\">\
         <input type=\"search\" id=\"q\" name=\"q\" value=\"{}\" placeholder=\"промышл*, деректер базасы, 112-ИБ\" autofocus> \
         <button type=\"submit\">Найти</button>",
        escape(form.query)
    );
    for (name, value) in [
        ("type", form.doc_type),
        ("body", form.state_body),
        ("object", form.object_id),
    ] {
        if !value.is_empty() {
            let _ = write!(
                body,
                "<input type=\"hidden\" name=\"{name}\" value=\"{}\">",
                escape(value)
            );
        }
    }
    body.push_str("</form>");
    let active: Vec<String> = [
        ("type", "тип", form.doc_type),
        ("body", "госорган", form.state_body),
        ("object", "объект", form.object_id),
    ]
    .iter()
    .filter(|(_, _, v)| !v.is_empty())
    .map(|(key, label, value)| {
        format!(
            "{label}: {} (<a href=\"{}\">убрать</a>)",
            escape(value),
            href("/", &form.params(&[(key, "")]))
        )
    })
    .collect();
    if !active.is_empty() {
        let _ = write!(body, "<p class=\"filters\">Фильтры: {}</p>", active.join("; "));
    }
    if let Some(error) = error {
        let _ = write!(body, "<p class=\"error\">{}</p>", escape(error));
    }
    let Some(results) = results else {
        body.push_str("</section></main>");
        return layout("Поиск", &body);
    };
    let _ = write!(
        body,
        "<p id=\"count\">Найдено страниц: <b>{}</b>, документов: <b>{}</b></p><div id=\"hits\">",
        results.pages, results.facets.files
    );
    for hit in &results.hits {
        body.push_str(&hit_html(hit));
    }
    if results.hits.is_empty() {
        body.push_str("<p>Ничего не найдено.</p>");
    }
    body.push_str("</div></section><aside id=\"facets\">");
    for (key, label, counts) in [
        ("type", "Тип документа", &results.facets.doc_type),
        ("body", "Государственный орган", &results.facets.state_body),
        ("object", "Объект", &results.facets.object_id),
    ] {
        body.push_str(&facet_html(form, key, label, counts));
    }
    body.push_str("</aside></main>");
    layout(&format!("Поиск: {}", form.query), &body)
}

fn facet_html(form: &SearchForm, key: &str, label: &str, counts: &[FacetCount]) -> String {
    let mut out = format!("<h3>{}</h3><ul class=\"facet\" data-facet=\"{key}\">", escape(label));
    for count in counts {
        let shown = if count.value.is_empty() {
            "(не указан)"
        } else {
            count.value.as_str()
        };
        let link = if count.value.is_empty() {
            escape(shown)
        } else {
            format!(
                "<a href=\"{}\">{}</a>",
                href("/", &form.params(&[(key, count.value.as_str())])),
                escape(shown)
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

fn place(page: u64, sheet: Option<&str>) -> String {
    match sheet {
        Some(sheet) => format!("лист {page} «{}»", escape(sheet)),
        None => format!("стр. {page}"),
    }
}

fn hit_html(hit: &Hit) -> String {
    let snippet: String = hit
        .snippet_parts()
        .into_iter()
        .map(|(part, marked)| {
            if marked {
                format!("<mark>{}</mark>", escape(part))
            } else {
                escape(part)
            }
        })
        .collect();
    let page = hit.page.to_string();
    format!(
        "<div class=\"hit\"><div><a class=\"file\" href=\"{}\">{}</a> — <span class=\"page\">{}</span></div>\
         <div class=\"meta\">тип: <span class=\"doctype\">{}</span> · объект: <a href=\"{}\">{}</a>{} · \
         <a href=\"{}\">похожие документы</a></div><div class=\"snippet\">{snippet}</div></div>",
        href("/page", &[("file", &hit.file), ("page", &page)]),
        escape(&hit.file),
        place(hit.page, hit.sheet.as_deref()),
        escape(&hit.doc_type),
        href("/submission", &[("id", &hit.object_id)]),
        escape(&hit.object_id),
        if hit.state_body.is_empty() {
            String::new()
        } else {
            format!(" · {}", escape(&hit.state_body))
        },
        href("/like", &[("file", &hit.file)]),
    )
}

pub fn like_page(file: &str, similar: &[Similar]) -> String {
    let mut body = format!(
        "<main><section><h2>Похожие документы в других заявках</h2><p>Исходный документ: <a href=\"{}\">{}</a></p>",
        href("/page", &[("file", file), ("page", "1")]),
        escape(file)
    );
    if similar.is_empty() {
        body.push_str("<p>Похожих документов в других заявках нет.</p>");
    } else {
        body.push_str("<table><tr><th>Документ</th><th>Страница</th><th>Тип</th><th>Объект</th><th>Сходство</th></tr>");
        for s in similar {
            let page = s.page.to_string();
            let _ = write!(
                body,
                "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td><a href=\"{}\">{}</a></td><td>{:.1}</td></tr>",
                href("/page", &[("file", &s.file), ("page", &page)]),
                escape(&s.file),
                s.page,
                escape(&s.doc_type),
                href("/submission", &[("id", &s.object_id)]),
                escape(&s.object_id),
                s.score
            );
        }
        body.push_str("</table>");
    }
    body.push_str("</section></main>");
    layout("Похожие документы", &body)
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

/// One page's indexed text, with a link to the file itself when the corpus is known.
pub fn page_text(file: &str, page: u64, pages: u64, text: &str, original: &Original) -> String {
    let mut body = format!("<main><section><h2>{}</h2><p>", escape(file));
    if !matches!(original, Original::Unknown) {
        let fragment = if file.to_lowercase().ends_with(".pdf") {
            format!("#page={page}")
        } else {
            String::new()
        };
        let _ = write!(
            body,
            "<a id=\"original\" href=\"{}{fragment}\">Открыть файл</a> · ",
            href("/file", &[("path", file)])
        );
    }
    if let Original::Member { archive_name } = original {
        let _ = write!(body, "{} · ", archive_link(archive_name));
    }
    let _ = write!(body, "стр. {page} из {pages}");
    for (label, target) in [("← пред.", page.saturating_sub(1)), ("след. →", page + 1)] {
        if target >= 1 && target <= pages && target != page {
            let target = target.to_string();
            let _ = write!(
                body,
                " · <a href=\"{}\">{label}</a>",
                href("/page", &[("file", file), ("page", &target)])
            );
        }
    }
    let _ = write!(
        body,
        "</p><pre id=\"page-text\">{}</pre></section></main>",
        escape(text)
    );
    layout(file, &body)
}

fn str_of<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// The summary of a report, rendered from report.json (when nightly's summary.html is absent).
pub fn summary(report: &Value, report_files: &[String]) -> String {
    let mut body = format!("<main><section><h2>Отчёт на {}</h2>", escape(str_of(report, "as_of")));
    if let Some(totals) = report.get("totals") {
        let verdicts: Vec<String> = totals
            .get("verdicts")
            .and_then(Value::as_object)
            .map(|m| m.iter().map(|(k, v)| format!("{}: {v}", escape(k))).collect())
            .unwrap_or_default();
        let _ = write!(
            body,
            "<p>Заявок: {}, файлов: {}. {}</p>",
            totals.get("submissions").and_then(Value::as_u64).unwrap_or(0),
            totals.get("files").and_then(Value::as_u64).unwrap_or(0),
            verdicts.join(", ")
        );
    }
    if !report_files.is_empty() {
        body.push_str("<p>Файлы отчёта: ");
        let links: Vec<String> = report_files
            .iter()
            .map(|name| {
                format!(
                    "<a href=\"{}\">{}</a>",
                    href("/report-file", &[("name", name)]),
                    escape(name)
                )
            })
            .collect();
        body.push_str(&links.join(" · "));
        body.push_str("</p>");
    }
    body.push_str(
        "<table id=\"submissions\"><tr><th>Объект</th><th>Наименование</th><th>Владелец</th><th>Решение</th><th>Уровень</th><th>Итог</th></tr>",
    );
    for submission in report
        .get("submissions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let verdict = str_of(submission, "verdict");
        let _ = write!(
            body,
            "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td>{}</td><td>{}</td></tr>",
            href("/submission", &[("id", str_of(submission, "object_id"))]),
            escape(str_of(submission, "object_id")),
            escape(str_of(submission, "name")),
            escape(str_of(submission, "owner")),
            escape(verdict),
            escape(verdict),
            escape(str_of(submission, "level")),
            escape(str_of(submission, "summary")),
        );
    }
    body.push_str("</table></section></main>");
    layout("Отчёт", &body)
}

/// One submission's report, with every evidence place linked to its page.
pub fn submission(report: &Value, submission: &Value, file_links: bool) -> String {
    let id = str_of(submission, "object_id");
    let verdict = str_of(submission, "verdict");
    let mut body = format!(
        "<main><section><h2>{}</h2><p>{}</p><p>Владелец: {} · путь: {} · отчёт на {}</p>\
         <p>Решение: <b class=\"{}\">{}</b>, уровень: <b>{}</b></p><p>{}</p>",
        escape(id),
        escape(str_of(submission, "name")),
        escape(str_of(submission, "owner")),
        escape(str_of(submission, "path")),
        escape(str_of(report, "as_of")),
        escape(verdict),
        escape(verdict),
        escape(str_of(submission, "level")),
        escape(str_of(submission, "summary")),
    );
    body.push_str(
        "<h3>Требования</h3><table><tr><th>Требование</th><th>Статус</th><th>Причина</th><th>Доказательства</th></tr>",
    );
    for requirement in submission
        .get("requirements")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let mut evidence = String::new();
        for place in requirement
            .get("evidence")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let file = str_of(place, "file");
            // The page quoted, else the first page of the document in a bundled file.
            let first_of_document = place.get("pages").and_then(|p| p.get("first")).and_then(Value::as_u64);
            let page = place
                .get("page")
                .and_then(Value::as_u64)
                .or(first_of_document)
                .unwrap_or(1)
                .to_string();
            let _ = write!(
                evidence,
                "<div><a href=\"{}\">{} (стр. {page})</a> <q>{}</q></div>",
                href("/page", &[("file", file), ("page", &page)]),
                escape(file),
                escape(str_of(place, "snippet")),
            );
        }
        let title = match str_of(requirement, "title") {
            "" => str_of(requirement, "id"),
            title => title,
        };
        let _ = write!(
            body,
            "<tr><td>{} <small>{}</small></td><td>{}</td><td>{}</td><td>{evidence}</td></tr>",
            escape(title),
            escape(str_of(requirement, "cite")),
            escape(str_of(requirement, "status")),
            escape(str_of(requirement, "reason")),
        );
    }
    body.push_str(
        "</table><h3>Файлы</h3><table><tr><th>Файл</th><th>Статус</th><th>Тип</th><th>Причина</th><th></th></tr>",
    );
    for file in submission.get("files").and_then(Value::as_array).into_iter().flatten() {
        let name = str_of(file, "file");
        let original = match (file_links, str_of(file, "archive")) {
            (false, _) => String::new(),
            (true, "") => format!("<a href=\"{}\">файл</a> · ", href("/file", &[("path", name)])),
            (true, archive) => format!(
                "<a href=\"{}\">файл</a> ({}) · ",
                href("/file", &[("path", name)]),
                archive_link(archive)
            ),
        };
        let _ = write!(
            body,
            "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{original}<a href=\"{}\">похожие</a></td></tr>",
            href("/page", &[("file", name), ("page", "1")]),
            escape(name),
            escape(str_of(file, "status")),
            escape(str_of(file, "doc_type")),
            escape(str_of(file, "reason")),
            href("/like", &[("file", name)]),
        );
    }
    body.push_str("</table></section></main>");
    layout(id, &body)
}

/// "inside the archive X", X linked: the analyst may want the whole archive as submitted.
fn archive_link(archive: &str) -> String {
    format!(
        "в архиве <a class=\"archive\" href=\"{}\">{}</a>",
        href("/file", &[("path", archive)]),
        escape(archive)
    )
}

pub fn message(title: &str, text: &str) -> String {
    layout(
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
            href("/page", &[("file", "a b/<x>.pdf"), ("page", "2")]),
            "/page?file=a%20b%2F%3Cx%3E.pdf&amp;page=2"
        );
    }
}
