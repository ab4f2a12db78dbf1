//! Server-rendered HTML. Every string that came from a document, a card, a report or the request
//! goes through [`escape`] (or [`attr`] / [`url_param`]); nothing is fetched from the network, so
//! the page works offline. The pages' own words come from the catalogue [`web`], and are escaped
//! like the rest.

use std::fmt::Write;

use crate::index::{FacetCount, Hit, SearchResults, Similar};
use crate::lang::Lang;
use crate::report::web;
use crate::report::{Report, SubmissionReport};
use crate::rules::Rules;

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

pub fn layout(title: &str, body: &str, lang: Lang) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{} — portalcheck</title>\
         <style>{STYLE}</style></head><body><header><a href=\"/\">{}</a><a href=\"/reports\">{}</a></header>\
         {body}</body></html>",
        lang.code(),
        escape(title),
        escape(web::SEARCH.get(lang)),
        escape(web::REPORT.get(lang)),
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

pub fn search_page(
    rules: &Rules,
    form: &SearchForm,
    results: Option<&SearchResults>,
    error: Option<&str>,
    lang: Lang,
) -> String {
    let mut body = format!("<main><section>{}", search_form(form, lang));
    body.push_str(&active_filters(rules, form, lang));
    if let Some(error) = error {
        let _ = write!(body, "<p class=\"error\">{}</p>", escape(error));
    }
    let Some(results) = results else {
        body.push_str("</section></main>");
        return layout(web::SEARCH.get(lang), &body, lang);
    };
    body.push_str(&hits_html(rules, results, lang));
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
        body.push_str(&facet_html(form, key, label.get(lang), counts, shown, lang));
    }
    body.push_str("</aside></main>");
    layout(&web::search_title(form.query, lang), &body, lang)
}

/// The query box, with the filters in force kept as hidden fields.
fn search_form(form: &SearchForm, lang: Lang) -> String {
    let mut html = format!(
        "<form id=\"search\" action=\"/\" method=\"get\">\
         <input type=\"search\" id=\"q\" name=\"q\" value=\"{}\" placeholder=\"{}\" autofocus> \
         <button type=\"submit\">{}</button>",
        escape(form.query),
        escape(web::SEARCH_PLACEHOLDER.get(lang)),
        escape(web::FIND.get(lang)),
    );
    for (name, value) in [
        ("type", form.doc_type),
        ("body", form.state_body),
        ("object", form.object_id),
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
fn active_filters(rules: &Rules, form: &SearchForm, lang: Lang) -> String {
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
            href("/", &form.params(&[(key, "")])),
            escape(web::REMOVE_FILTER.get(lang)),
        )
    })
    .collect();
    if active.is_empty() {
        return String::new();
    }
    format!(
        "<p class=\"filters\">{}: {}</p>",
        escape(web::FILTERS.get(lang)),
        active.join("; ")
    )
}

/// The counts, then each hit; "nothing found" when there is none.
fn hits_html(rules: &Rules, results: &SearchResults, lang: Lang) -> String {
    let mut html = format!(
        "<p id=\"count\">{}: <b>{}</b>, {}: <b>{}</b></p><div id=\"hits\">",
        escape(web::PAGES_FOUND.get(lang)),
        results.pages,
        escape(web::DOCUMENTS_FOUND.get(lang)),
        results.facets.files
    );
    for hit in &results.hits {
        html.push_str(&hit_html(rules, hit, lang));
    }
    if results.hits.is_empty() {
        let _ = write!(html, "<p>{}</p>", escape(web::NOTHING_FOUND.get(lang)));
    }
    html.push_str("</div>");
    html
}

fn facet_html(
    form: &SearchForm,
    key: &str,
    label: &str,
    counts: &[FacetCount],
    shown: impl Fn(&str) -> String,
    lang: Lang,
) -> String {
    let mut out = format!("<h3>{}</h3><ul class=\"facet\" data-facet=\"{key}\">", escape(label));
    for count in counts {
        let link = if count.value.is_empty() {
            escape(web::NOT_STATED.get(lang))
        } else {
            format!(
                "<a href=\"{}\">{}</a>",
                href("/", &form.params(&[(key, count.value.as_str())])),
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

fn hit_html(rules: &Rules, hit: &Hit, lang: Lang) -> String {
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
    // The type is shown by its name; its id stays in the page (hidden) for tools that read it.
    format!(
        "<div class=\"hit\"><div><a class=\"file\" href=\"{}\">{}</a> — <span class=\"page\">{}</span></div>\
         <div class=\"meta\">{}: <span class=\"doctype-name\">{}</span><span class=\"doctype\" hidden>{}</span> · \
         {}: <a href=\"{}\">{}</a>{} · <a href=\"{}\">{}</a></div><div class=\"snippet\">{snippet}</div></div>",
        href("/page", &[("file", &hit.file), ("page", &page)]),
        escape(&hit.file),
        escape(&web::place(hit.page, hit.sheet.as_deref(), lang)),
        escape(web::FILTER_TYPE.get(lang)),
        escape(&web::doc_type(rules, &hit.doc_type, lang)),
        escape(&hit.doc_type),
        escape(web::FILTER_OBJECT.get(lang)),
        href("/submission", &[("id", &hit.object_id)]),
        escape(&hit.object_id),
        if hit.state_body.is_empty() {
            String::new()
        } else {
            format!(" · {}", escape(&hit.state_body))
        },
        href("/like", &[("file", &hit.file)]),
        escape(web::SIMILAR_DOCUMENTS_LINK.get(lang)),
    )
}

pub fn like_page(rules: &Rules, file: &str, similar: &[Similar], lang: Lang) -> String {
    let mut body = format!(
        "<main><section><h2>{}</h2><p>{}: <a href=\"{}\">{}</a></p>",
        escape(web::SIMILAR_HEADING.get(lang)),
        escape(web::SOURCE_DOCUMENT.get(lang)),
        href("/page", &[("file", file), ("page", "1")]),
        escape(file)
    );
    if similar.is_empty() {
        let _ = write!(body, "<p>{}</p>", escape(web::NO_SIMILAR.get(lang)));
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
                href("/page", &[("file", &s.file), ("page", &page)]),
                escape(&s.file),
                s.page,
                escape(&web::doc_type(rules, &s.doc_type, lang)),
                href("/submission", &[("id", &s.object_id)]),
                escape(&s.object_id),
                s.score
            );
        }
        body.push_str("</table>");
    }
    body.push_str("</section></main>");
    layout(web::SIMILAR_TITLE.get(lang), &body, lang)
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
pub fn page_text(file: &str, page: u64, pages: u64, text: &str, original: &Original, lang: Lang) -> String {
    let mut body = format!("<main><section><h2>{}</h2><p>", escape(file));
    if !matches!(original, Original::Unknown) {
        let fragment = if file.to_lowercase().ends_with(".pdf") {
            format!("#page={page}")
        } else {
            String::new()
        };
        let _ = write!(
            body,
            "<a id=\"original\" href=\"{}{fragment}\">{}</a> · ",
            href("/file", &[("path", file)]),
            escape(web::OPEN_FILE.get(lang)),
        );
    }
    if let Original::Member { archive_name } = original {
        let _ = write!(body, "{} · ", archive_link(archive_name, lang));
    }
    body.push_str(&escape(&web::page_of(page, pages, lang)));
    for (label, target) in [(web::PREVIOUS_PAGE, page.saturating_sub(1)), (web::NEXT_PAGE, page + 1)] {
        if target >= 1 && target <= pages && target != page {
            let target = target.to_string();
            let _ = write!(
                body,
                " · <a href=\"{}\">{}</a>",
                href("/page", &[("file", file), ("page", &target)]),
                escape(label.get(lang)),
            );
        }
    }
    let _ = write!(
        body,
        "</p><pre id=\"page-text\">{}</pre></section></main>",
        escape(text)
    );
    layout(file, &body, lang)
}

/// A table's header cells from catalogue texts.
fn header_cells(columns: &[web::Text], lang: Lang) -> String {
    columns
        .iter()
        .map(|c| format!("<th>{}</th>", escape(c.get(lang))))
        .collect()
}

/// The summary of a report, rendered from report.json (when nightly's summary.html is absent), in
/// the report's language.
pub fn summary(report: &Report, report_files: &[String]) -> String {
    let lang = report.lang;
    let as_of = report.as_of.to_string();
    let mut body = format!("<main><section><h2>{}</h2>", escape(&web::report_as_of(&as_of, lang)));
    let totals = &report.totals;
    let verdicts: Vec<String> = totals
        .verdicts
        .iter()
        .map(|(id, count)| format!("{}: {count}", escape(&web::verdict_id(id, lang))))
        .collect();
    let _ = write!(
        body,
        "<p>{} {}</p>",
        escape(&web::totals(totals.submissions, totals.files, lang)),
        verdicts.join(", ")
    );
    if !report_files.is_empty() {
        let _ = write!(body, "<p>{}: ", escape(web::REPORT_FILES.get(lang)));
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
    let _ = write!(
        body,
        "<table id=\"submissions\"><tr>{}</tr>",
        header_cells(
            &[
                web::COLUMN_OBJECT,
                web::COLUMN_NAME,
                web::COLUMN_OWNER,
                web::COLUMN_VERDICT,
                web::COLUMN_LEVEL,
                web::COLUMN_SUMMARY,
            ],
            lang
        )
    );
    for submission in &report.submissions {
        let _ = write!(
            body,
            "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td>{}</td><td>{}</td></tr>",
            href("/submission", &[("id", &submission.object_id)]),
            escape(&submission.object_id),
            escape(submission.name.as_deref().unwrap_or_default()),
            escape(submission.owner.as_deref().unwrap_or_default()),
            escape(submission.verdict.as_str()),
            escape(&web::verdict(submission.verdict, lang)),
            escape(&web::level(submission.level, lang)),
            escape(&submission.summary),
        );
    }
    body.push_str("</table></section></main>");
    layout(web::REPORT.get(lang), &body, lang)
}

/// One submission's report, with every evidence place linked to its page, in the report's
/// language.
pub fn submission(rules: &Rules, report: &Report, submission: &SubmissionReport, file_links: bool) -> String {
    let lang = report.lang;
    let id = submission.object_id.as_str();
    let verdict = submission.verdict.as_str();
    let mut body = format!(
        "<main><section><h2>{}</h2><p>{}</p><p>{}: {} · {}: {} · {}</p>\
         <p>{}: <b class=\"{}\">{}</b>, {}: <b>{}</b></p><p>{}</p>",
        escape(id),
        escape(submission.name.as_deref().unwrap_or_default()),
        escape(web::OWNER.get(lang)),
        escape(submission.owner.as_deref().unwrap_or_default()),
        escape(web::PATH.get(lang)),
        escape(&submission.path),
        escape(&web::report_date(&report.as_of.to_string(), lang)),
        escape(web::VERDICT.get(lang)),
        escape(verdict),
        escape(&web::verdict(submission.verdict, lang)),
        escape(web::LEVEL.get(lang)),
        escape(&web::level(submission.level, lang)),
        escape(&submission.summary),
    );
    body.push_str(&requirements_table(submission, lang));
    body.push_str(&files_table(rules, submission, file_links, lang));
    body.push_str("</section></main>");
    layout(id, &body, lang)
}

/// Each requirement with its status, reason and the evidence, linked to its page.
fn requirements_table(submission: &SubmissionReport, lang: Lang) -> String {
    let mut body = String::new();
    let _ = write!(
        body,
        "<h3>{}</h3><table><tr>{}</tr>",
        escape(web::REQUIREMENTS.get(lang)),
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
                "<div><a href=\"{}\">{} ({})</a> <q>{}</q></div>",
                href("/page", &[("file", &place.file), ("page", &page_param)]),
                escape(&place.file),
                escape(&web::page_short(page, lang)),
                escape(place.snippet.as_deref().unwrap_or_default()),
            );
        }
        let title = match requirement.title.as_str() {
            "" => requirement.id.as_str(),
            title => title,
        };
        let _ = write!(
            body,
            "<tr><td>{} <small>{}</small></td><td>{}</td><td>{}</td><td>{evidence}</td></tr>",
            escape(title),
            escape(&requirement.cite),
            escape(&web::status(requirement.status, lang)),
            escape(&requirement.reason),
        );
    }
    body.push_str("</table>");
    body
}

/// Each file with its status and type, a link to its text, the original and similar documents.
fn files_table(rules: &Rules, submission: &SubmissionReport, file_links: bool, lang: Lang) -> String {
    let mut body = String::new();
    let _ = write!(
        body,
        "<h3>{}</h3><table><tr>{}<th></th></tr>",
        escape(web::FILES.get(lang)),
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
    let file_link = escape(web::FILE_LINK.get(lang));
    for file in &submission.files {
        let name = file.file.as_str();
        let original = match (file_links, file.archive.as_deref()) {
            (false, _) => String::new(),
            (true, None) => format!("<a href=\"{}\">{file_link}</a> · ", href("/file", &[("path", name)])),
            (true, Some(archive)) => format!(
                "<a href=\"{}\">{file_link}</a> ({}) · ",
                href("/file", &[("path", name)]),
                archive_link(archive, lang)
            ),
        };
        let _ = write!(
            body,
            "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{original}<a href=\"{}\">{}</a></td></tr>",
            href("/page", &[("file", name), ("page", "1")]),
            escape(name),
            escape(web::file_status(file.status, lang)),
            escape(&web::doc_type(rules, &file.doc_type, lang)),
            escape(file.reason.as_deref().unwrap_or_default()),
            href("/like", &[("file", name)]),
            escape(web::SIMILAR_LINK.get(lang)),
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
        href("/file", &[("path", archive)]),
        escape(archive),
        escape(after),
    )
}

pub fn message(title: &str, text: &str, lang: Lang) -> String {
    layout(
        title,
        &format!(
            "<main><section><h2>{}</h2><p>{}</p></section></main>",
            escape(title),
            escape(text)
        ),
        lang,
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
