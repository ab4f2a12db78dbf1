//! `portalcheck serve`: a search page and the latest reports of a state directory, for a browser.
//!
//! Server-rendered HTML and plain GET forms: no JavaScript, nothing fetched from elsewhere, so it
//! works offline. Requests are answered by a few worker threads; a request is parsed into a
//! [`Request`] and answered by the pure function [`App::handle`], so bad input becomes an error
//! page and a panic in one request (caught) never stops the server.
//!
//! Access: on a loopback address the page is for the local user; the Host header must then name
//! the loopback too, so a web page elsewhere cannot read it through DNS rebinding. Binding any
//! other address needs a token, and every request must carry it.

pub mod html;
pub mod state;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use crate::evaluate::Verdict;
use crate::index::{DocIndex, SearchOptions, SortOrder, Window, highlight, more_like_this, search_window};
use crate::lang::Lang;
use crate::report::{SubmissionReport, web};
use crate::rules::Rules;
use crate::state_dir::StateDir;
use html::SearchForm;

const WORKERS: usize = 4;
const RESULTS_PER_PAGE: usize = 20;
/// A page of results is read and rendered whole: more than this is asked for as several.
const MAX_RESULTS_PER_PAGE: usize = 100;
const SIMILAR_SHOWN: usize = 20;
const TOKEN_COOKIE: &str = "portalcheck_token";
/// The interface language chosen with `?lang=`, kept for the pages after.
const LANG_COOKIE: &str = "portalcheck_lang";

#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub state: PathBuf,
    pub addr: SocketAddr,
    pub token: Option<String>,
    /// The corpus root, to serve evidence files; without it files are not served.
    pub corpus: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("refusing to listen on {0} without an access token (give --token or PORTALCHECK_TOKEN)")]
    TokenRequired(SocketAddr),
    #[error("the access token is empty")]
    EmptyToken,
    #[error("no index in the state directory `{0}` (run `portalcheck ingest CORPUS --index {0}/index`)")]
    NoIndex(String),
    #[error(transparent)]
    Index(#[from] crate::index::IndexError),
    /// The shipped rules, which name the document types on the pages.
    #[error(transparent)]
    Rules(#[from] crate::rules::RulesError),
    #[error("cannot listen on {addr}: {message}")]
    Bind { addr: SocketAddr, message: String },
}

/// A request as the application sees it.
#[derive(Debug, Default, Clone)]
pub struct Request {
    pub method: String,
    /// Path and query, as sent (`/page?file=...`).
    pub url: String,
    pub host: Option<String>,
    pub cookie: Option<String>,
    pub authorization: Option<String>,
}

/// What to send back.
pub struct Response {
    pub status: u16,
    pub content_type: String,
    pub body: Body,
    /// `Set-Cookie` values: the token given in the query, the language chosen.
    pub set_cookies: Vec<String>,
    /// `Content-Disposition`, for a download.
    pub disposition: Option<String>,
    /// The Content-Security-Policy: [`CONTENT_SECURITY_POLICY`], or for a PDF from the corpus
    /// [`PDF_POLICY`].
    pub policy: &'static str,
}

pub enum Body {
    /// One of our pages.
    Bytes(Vec<u8>),
    File(PathBuf),
    /// A document's own bytes (a file inside an archive), sent as a corpus file is.
    Original(Vec<u8>),
}

/// Every response carries it, pages, downloads and corpus files alike: no script runs, nothing is
/// loaded from elsewhere, no page frames ours. A saved `summary.html` or letter opened from here
/// runs none of its script either; it is made to read without one.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

/// A PDF from the corpus: the same, except that the browser's own PDF viewer, an embedded object
/// of our origin, may show it. Still no script.
pub const PDF_POLICY: &str = "default-src 'none'; object-src 'self'; style-src 'unsafe-inline'; img-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

impl Response {
    fn html(status: u16, page: String) -> Response {
        Response {
            status,
            content_type: "text/html; charset=utf-8".into(),
            body: Body::Bytes(page.into_bytes()),
            set_cookies: Vec::new(),
            disposition: None,
            policy: CONTENT_SECURITY_POLICY,
        }
    }

    /// An error page from the catalogue, in the page's language.
    fn error(ui: &html::Ui, status: u16, message: &web::Message) -> Response {
        Response::error_with(ui, status, &message.title, message.text.get(ui.lang))
    }

    /// An error page with a catalogue title and a sentence made for this error.
    fn error_with(ui: &html::Ui, status: u16, title: &web::Text, text: &str) -> Response {
        Response::html(status, html::message(ui, title.get(ui.lang), text))
    }

    pub fn body_text(&self) -> String {
        match &self.body {
            Body::Bytes(bytes) | Body::Original(bytes) => String::from_utf8_lossy(bytes).into_owned(),
            Body::File(path) => format!("<file {}>", path.display()),
        }
    }

    /// The bytes that would be sent (a file read from the disk).
    pub fn body_bytes(&self) -> Vec<u8> {
        match &self.body {
            Body::Bytes(bytes) | Body::Original(bytes) => bytes.clone(),
            Body::File(path) => std::fs::read(path).unwrap_or_default(),
        }
    }

    /// The headers sent with the response, besides the length.
    pub fn headers(&self) -> Vec<(&'static str, String)> {
        let mut headers = vec![
            ("Content-Type", self.content_type.clone()),
            ("X-Content-Type-Options", "nosniff".to_string()),
            ("Referrer-Policy", "no-referrer".to_string()),
            ("Content-Security-Policy", self.policy.to_string()),
        ];
        if let Some(disposition) = &self.disposition {
            headers.push(("Content-Disposition", disposition.clone()));
        }
        for cookie in &self.set_cookies {
            headers.push(("Set-Cookie", cookie.clone()));
        }
        headers
    }
}

/// The application: the index and the state directory, behind the HTTP glue.
pub struct App {
    config: ServeConfig,
    index: DocIndex,
    /// For the names of document types: `serve` has no `--rules`, so the shipped ones.
    rules: Rules,
}

/// The language of a request: `lang=` in the query, else the cookie, else the default.
fn request_lang(request: &Request, params: &[(String, String)]) -> (Lang, bool) {
    if let Some(lang) = param(params, "lang").and_then(web::lang_of_code) {
        return (lang, true);
    }
    let from_cookie = cookie(request, LANG_COOKIE).and_then(web::lang_of_code);
    (from_cookie.unwrap_or(html::DEFAULT_LANG), false)
}

fn cookie<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.cookie.as_deref().and_then(|cookies| {
        cookies
            .split(';')
            .filter_map(|c| c.trim().split_once('='))
            .find(|(n, _)| *n == name)
            .map(|(_, value)| value)
    })
}

impl App {
    pub fn open(config: ServeConfig) -> Result<App, ServeError> {
        if let Some(token) = &config.token
            && token.trim().is_empty()
        {
            return Err(ServeError::EmptyToken);
        }
        if !config.addr.ip().is_loopback() && config.token.is_none() {
            return Err(ServeError::TokenRequired(config.addr));
        }
        let index_dir = StateDir::new(&config.state).index();
        if !index_dir.join("meta.json").is_file() {
            return Err(ServeError::NoIndex(config.state.display().to_string()));
        }
        let index = DocIndex::open_existing(&index_dir)?;
        let rules = Rules::embedded()?;
        Ok(App { config, index, rules })
    }

    fn authorised(&self, request: &Request, params: &[(String, String)]) -> (bool, bool) {
        let Some(token) = &self.config.token else {
            return (true, false);
        };
        let from_query = param(params, "token").is_some_and(|t| same(t, token));
        let from_header = request
            .authorization
            .as_deref()
            .and_then(|h| h.strip_prefix("Bearer "))
            .is_some_and(|t| same(t.trim(), token));
        let from_cookie = request.cookie.as_deref().is_some_and(|cookies| {
            cookies
                .split(';')
                .filter_map(|c| c.trim().split_once('='))
                .any(|(name, value)| name == TOKEN_COOKIE && same(value, token))
        });
        (from_query || from_header || from_cookie, from_query)
    }

    fn host_is_loopback(request: &Request) -> bool {
        let Some(host) = request.host.as_deref() else {
            return true;
        };
        let name = match host.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or_default(),
            None => host.rsplit_once(':').map(|(name, _)| name).unwrap_or(host),
        };
        name.eq_ignore_ascii_case("localhost") || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
    }

    pub fn handle(&self, request: &Request) -> Response {
        let (path, query) = request.url.split_once('?').unwrap_or((request.url.as_str(), ""));
        let params = parse_query(query);
        let (lang, lang_in_query) = request_lang(request, &params);
        let ui = html::Ui {
            lang,
            path,
            params: &params,
        };
        if request.method != "GET" && request.method != "HEAD" {
            return Response::error(&ui, 405, &web::METHOD_NOT_ALLOWED);
        }
        let (authorised, token_in_query) = self.authorised(request, &params);
        if !authorised {
            return Response::error(&ui, 401, &web::TOKEN_REQUIRED);
        }
        if self.config.token.is_none() && !App::host_is_loopback(request) {
            return Response::error(&ui, 403, &web::FORBIDDEN_HOST);
        }
        let mut response = match path {
            "/" => self.search_page(&ui),
            "/page" => self.page(&ui),
            "/like" => self.like(&ui),
            "/reports" => self.reports(&ui),
            "/report" => self.report(&ui),
            "/submissions" => self.submissions(&ui),
            "/submission" => self.submission(&ui),
            "/download" => self.download(&ui),
            "/file" => self.corpus_file(&ui),
            "/report-file" => self.report_file(&ui),
            _ => Response::error(&ui, 404, &web::NO_SUCH_ADDRESS),
        };
        if token_in_query && let Some(token) = &self.config.token {
            response.set_cookies.push(format!(
                "{TOKEN_COOKIE}={}; HttpOnly; SameSite=Strict; Path=/",
                html::url_param(token)
            ));
        }
        if lang_in_query {
            response
                .set_cookies
                .push(format!("{LANG_COOKIE}={}; SameSite=Strict; Path=/", lang.code()));
        }
        response
    }

    fn search_page(&self, ui: &html::Ui) -> Response {
        let params = ui.params;
        let sort_param = param(params, "sort").unwrap_or_default();
        let form = SearchForm {
            query: param(params, "q").unwrap_or_default(),
            doc_type: param(params, "type").unwrap_or_default(),
            state_body: param(params, "body").unwrap_or_default(),
            object_id: param(params, "object").unwrap_or_default(),
            sort: SortOrder::parse(sort_param).unwrap_or_default(),
            limit: param(params, "limit")
                .filter(|l| l.parse::<usize>().is_ok())
                .unwrap_or_default(),
        };
        let per_page = form
            .limit
            .parse::<usize>()
            .unwrap_or(RESULTS_PER_PAGE)
            .clamp(1, MAX_RESULTS_PER_PAGE);
        // A page number that is not one is no page: 404, as for one past the end.
        let page = match param(params, "page") {
            None | Some("") => 1,
            Some(page) => match page.parse::<usize>() {
                Ok(page) if page >= 1 => page,
                _ => return Response::error(ui, 404, &web::NO_SUCH_ADDRESS),
            },
        };
        if form.query.trim().is_empty() {
            return Response::html(200, html::search_page(ui, &self.rules, &form, None, None));
        }
        let _ = self.index.reload();
        let options = SearchOptions {
            limit: per_page,
            doc_type: non_empty(form.doc_type),
            object_id: non_empty(form.object_id),
            state_body: non_empty(form.state_body),
        };
        let window = Window {
            offset: (page - 1).saturating_mul(per_page),
            limit: per_page,
            sort: form.sort,
        };
        match search_window(&self.index, form.query, &options, &window) {
            Ok(results) => {
                let shown = html::ResultsPage {
                    results: &results,
                    page,
                    per_page,
                };
                if page > 1 && page > shown.page_count() {
                    let text = web::results_end_at(shown.page_count(), ui.lang);
                    return Response::error_with(ui, 404, &web::NO_SUCH_RESULTS_PAGE, &text);
                }
                Response::html(200, html::search_page(ui, &self.rules, &form, Some(&shown), None))
            }
            Err(e) => Response::html(
                200,
                html::search_page(ui, &self.rules, &form, None, Some(&e.to_string())),
            ),
        }
    }

    fn page(&self, ui: &html::Ui) -> Response {
        let params = ui.params;
        let Some(file) = param(params, "file") else {
            return Response::error(ui, 400, &web::FILE_NOT_NAMED);
        };
        let page: u64 = match param(params, "page") {
            None | Some("") => 1,
            Some(page) => match page.parse::<u64>() {
                Ok(page) if page >= 1 => page,
                _ => return Response::error(ui, 404, &web::NO_SUCH_ADDRESS),
            },
        };
        let query = param(params, "q").unwrap_or_default();
        let _ = self.index.reload();
        let pages = match self.index.file_pages(file) {
            Ok(pages) if !pages.is_empty() => pages,
            Ok(_) => return Response::error(ui, 404, &web::NO_TEXT),
            Err(e) => return Response::error_with(ui, 500, &web::INDEX_ERROR, &e.to_string()),
        };
        let count = pages.len() as u64;
        let Some(shown) = pages.iter().find(|p| u64::from(p.number) == page) else {
            let text = web::document_pages(page, count, ui.lang);
            return Response::error_with(ui, 404, &web::NO_SUCH_DOCUMENT_PAGE, &text);
        };
        // A query that does not parse marks nothing; the page is still shown.
        let highlights = match query.trim() {
            "" => Vec::new(),
            _ => highlight(&self.index, query, &shown.text).unwrap_or_default(),
        };
        let record = self.index.file_record(file).ok().flatten();
        let original = match self.corpus_root() {
            None => html::Original::Unknown,
            Some(root) => match state::resolve_corpus_name(&root, file) {
                Some(state::CorpusPlace::Member { archive_name, .. }) => html::Original::Member { archive_name },
                _ => html::Original::File,
            },
        };
        let document = html::DocumentPage {
            file,
            page,
            pages: count,
            text: &shown.text,
            query,
            highlights: &highlights,
            original,
            object_id: record.as_ref().map(|r| r.object_id.as_str()),
            night: param(params, "date").unwrap_or_default(),
        };
        Response::html(200, html::page_text(ui, &document))
    }

    fn like(&self, ui: &html::Ui) -> Response {
        let Some(file) = param(ui.params, "file") else {
            return Response::error(ui, 400, &web::FILE_NOT_NAMED);
        };
        let _ = self.index.reload();
        match more_like_this(&self.index, file, SIMILAR_SHOWN) {
            Ok(similar) => Response::html(200, html::like_page(ui, &self.rules, file, &similar)),
            Err(e) => Response::error_with(ui, 404, &web::NO_DOCUMENT, &e.to_string()),
        }
    }

    fn state_dir(&self) -> StateDir {
        StateDir::new(&self.config.state)
    }

    /// The night the request names with `date` (the newest without one), read; an error page
    /// when there is none or it does not read.
    fn night(&self, ui: &html::Ui) -> Result<state::LoadedReport, Box<Response>> {
        let named = param(ui.params, "date").filter(|d| !d.is_empty());
        match state::load_night(&self.state_dir(), named) {
            Ok(Some(report)) => Ok(report),
            Ok(None) if named.is_some() => Err(Box::new(Response::error(ui, 404, &web::NO_SUCH_NIGHT))),
            Ok(None) => Err(Box::new(Response::error(ui, 404, &web::NO_REPORTS))),
            Err(problem) => Err(Box::new(Response::error_with(
                ui,
                500,
                &web::REPORT_UNREADABLE,
                &problem_text(&problem, ui.lang),
            ))),
        }
    }

    /// The history of reports, newest first.
    fn reports(&self, ui: &html::Ui) -> Response {
        let nights: Vec<(String, Result<state::LoadedReport, String>)> = self
            .state_dir()
            .finished_nights()
            .into_iter()
            .map(|(night, dir)| {
                let loaded = state::load_report(night.clone(), dir).map_err(|p| problem_text(&p, ui.lang));
                (night, loaded)
            })
            .collect();
        Response::html(200, html::history(ui, &nights))
    }

    fn report(&self, ui: &html::Ui) -> Response {
        match self.night(ui) {
            Ok(loaded) => Response::html(200, html::report_page(ui, &self.rules, &loaded)),
            Err(response) => *response,
        }
    }

    fn submissions(&self, ui: &html::Ui) -> Response {
        let loaded = match self.night(ui) {
            Ok(loaded) => loaded,
            Err(response) => return *response,
        };
        let params = ui.params;
        let filter = html::SubmissionFilter {
            verdict: param(params, "verdict").unwrap_or_default(),
            level: param(params, "level").unwrap_or_default(),
            state_body: param(params, "body").unwrap_or_default(),
            sort: param(params, "sort")
                .filter(|s| html::SUBMISSION_SORTS.iter().any(|(key, _)| key == s))
                .unwrap_or("object"),
        };
        let report = loaded.report();
        let mut shown: Vec<&SubmissionReport> = report
            .submissions
            .iter()
            .filter(|s| filter.verdict.is_empty() || s.verdict.as_str() == filter.verdict)
            .filter(|s| filter.level.is_empty() || s.level.as_str() == filter.level)
            .filter(|s| filter.state_body.is_empty() || s.owner.as_deref() == Some(filter.state_body))
            .collect();
        let text = |value: &Option<String>| value.clone().unwrap_or_default().to_lowercase();
        match filter.sort {
            "name" => shown.sort_by_key(|s| (text(&s.name), s.object_id.clone())),
            "owner" => shown.sort_by_key(|s| (text(&s.owner), s.object_id.clone())),
            // The worst first: what needs the analyst comes to the top.
            "verdict" => shown.sort_by_key(|s| (verdict_rank(s.verdict), s.object_id.clone())),
            "level" => shown.sort_by_key(|s| (s.level.rank(), s.object_id.clone())),
            _ => shown.sort_by(|a, b| a.object_id.cmp(&b.object_id)),
        }
        Response::html(200, html::submissions_page(ui, &loaded, &filter, &shown))
    }

    fn submission(&self, ui: &html::Ui) -> Response {
        let Some(id) = param(ui.params, "id") else {
            return Response::error(ui, 400, &web::OBJECT_NOT_NAMED);
        };
        let loaded = match self.night(ui) {
            Ok(loaded) => loaded,
            Err(response) => return *response,
        };
        let report = loaded.report();
        let Some(position) = report.submissions.iter().position(|s| s.object_id == id) else {
            return Response::error_with(ui, 404, &web::NO_SUCH_SUBMISSION, &web::no_such_submission(id, ui.lang));
        };
        let submission = &report.submissions[position];
        let downloads = match crate::report::file_names(report).into_iter().nth(position) {
            Some(name) => {
                let markdown = format!("{}/{name}.md", state::SUBMISSIONS_DIR);
                html::SubmissionFiles {
                    markdown: state::downloadable(&loaded.dir, &markdown).map(|_| markdown),
                    letters: state::letters_of(&loaded.dir, &name),
                }
            }
            None => html::SubmissionFiles {
                markdown: None,
                letters: Vec::new(),
            },
        };
        Response::html(
            200,
            html::submission(
                ui,
                &self.rules,
                &loaded,
                submission,
                &downloads,
                self.corpus_root().is_some(),
            ),
        )
    }

    /// A file of a night's report directory, as an attachment (HTML is shown, under the CSP).
    fn download(&self, ui: &html::Ui) -> Response {
        let loaded = match self.night(ui) {
            Ok(loaded) => loaded,
            Err(response) => return *response,
        };
        let Some(name) = param(ui.params, "name") else {
            return Response::error(ui, 400, &web::FILE_NOT_NAMED);
        };
        match state::downloadable(&loaded.dir, name) {
            Some(path) => download_response(path, name),
            None => Response::error(ui, 404, &web::FILE_NOT_IN_REPORT),
        }
    }

    /// The report does not name its corpus (a state directory may outlive a moved share), so only
    /// `--corpus` says where the files are.
    fn corpus_root(&self) -> Option<PathBuf> {
        self.config.corpus.clone()
    }

    fn corpus_file(&self, ui: &html::Ui) -> Response {
        let Some(root) = self.corpus_root() else {
            return Response::error(ui, 404, &web::CORPUS_UNKNOWN);
        };
        let Some(place) = param(ui.params, "path").and_then(|p| state::resolve_corpus_name(&root, p)) else {
            return Response::error(ui, 404, &web::FILE_NOT_IN_CORPUS);
        };
        match place {
            state::CorpusPlace::File(path) => file_response(path),
            // Inflated in memory under extraction's limits; nothing of the member touches the disk.
            state::CorpusPlace::Member { archive, member, .. } => {
                match crate::extract::archive_member(&archive, &member, &crate::extract::Limits::without_ocr()) {
                    Ok(bytes) => Response {
                        status: 200,
                        content_type: content_type(&member).into(),
                        body: Body::Original(bytes),
                        set_cookies: Vec::new(),
                        disposition: None,
                        policy: policy_for(content_type(&member)),
                    },
                    Err(e) => Response::error_with(ui, 404, &web::MEMBER_UNREADABLE, &e.to_string()),
                }
            }
        }
    }

    /// The newest night's own files by bare name (the address older pages used).
    fn report_file(&self, ui: &html::Ui) -> Response {
        let loaded = match self.night(ui) {
            Ok(loaded) => loaded,
            Err(response) => return *response,
        };
        match param(ui.params, "name").and_then(|name| state::report_file(&loaded.dir, name).map(|p| (p, name))) {
            Some((path, name)) => download_response(path, name),
            None => Response::error(ui, 404, &web::FILE_NOT_IN_REPORT),
        }
    }
}

fn problem_text(problem: &state::ReportProblem, lang: Lang) -> String {
    match problem {
        state::ReportProblem::Unreadable { path, message } => {
            web::report_not_read(&path.display().to_string(), message, lang)
        }
        state::ReportProblem::Invalid { path, message } => {
            web::report_not_parsed(&path.display().to_string(), message, lang)
        }
    }
}

fn verdict_rank(verdict: Verdict) -> u8 {
    match verdict {
        Verdict::DoesNotComply => 0,
        Verdict::NeedsReview => 1,
        Verdict::Complies => 2,
    }
}

fn file_response(path: PathBuf) -> Response {
    Response {
        status: 200,
        content_type: content_type(&path.to_string_lossy()).into(),
        policy: policy_for(content_type(&path.to_string_lossy())),
        body: Body::File(path),
        set_cookies: Vec::new(),
        disposition: None,
    }
}

fn policy_for(content_type: &str) -> &'static str {
    match content_type {
        "application/pdf" => PDF_POLICY,
        _ => CONTENT_SECURITY_POLICY,
    }
}

/// A report directory's file with its type and a file name to save it under: HTML (a summary,
/// a letter) is shown (`inline`, still under the CSP), everything else downloads.
fn download_response(path: PathBuf, name: &str) -> Response {
    let file_name = name.rsplit('/').next().unwrap_or(name);
    let kind = download_type(file_name);
    let disposition = if kind.starts_with("text/html") {
        "inline"
    } else {
        "attachment"
    };
    Response {
        status: 200,
        content_type: kind.into(),
        body: Body::File(path),
        set_cookies: Vec::new(),
        disposition: Some(content_disposition(disposition, file_name)),
        policy: CONTENT_SECURITY_POLICY,
    }
}

/// `attachment; filename="IS-1.md"; filename*=UTF-8''IS-1.md`: an ASCII fallback with anything
/// else replaced, and the exact name percent-encoded (RFC 6266, RFC 8187).
fn content_disposition(disposition: &str, file_name: &str) -> String {
    let fallback: String = file_name
        .chars()
        .map(|c| match c {
            c if c.is_ascii_alphanumeric() || "-_.".contains(c) => c,
            _ => '_',
        })
        .collect();
    format!(
        "{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{}",
        html::url_param(file_name)
    )
}

/// The type of a report directory's file, by its extension.
fn download_type(name: &str) -> &'static str {
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "json" => "application/json",
        "md" => "text/markdown; charset=utf-8",
        "html" => "text/html; charset=utf-8",
        "pdf" => "application/pdf",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// By the name's extension: only types a browser shows without running anything of the
/// document's; the rest download.
fn content_type(name: &str) -> &'static str {
    let file_name = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "txt" | "md" | "xml" | "json" | "csv" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn non_empty(value: &str) -> Option<String> {
    (!value.trim().is_empty()).then(|| value.to_string())
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// Compares without stopping at the first difference, so timing does not reveal the token.
fn same(given: &str, token: &str) -> bool {
    given.len() == token.len() && given.bytes().zip(token.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// `application/x-www-form-urlencoded` pairs; undecodable bytes become U+FFFD, never an error.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(key), percent_decode(value))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex_digit(bytes[i + 1]), hex_digit(bytes[i + 2])) {
                (Some(high), Some(low)) => {
                    out.push(high << 4 | low);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_digit(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// The HTTP side: a listening socket and worker threads.
pub struct Server {
    app: Arc<App>,
    http: Arc<tiny_http::Server>,
}

impl Server {
    pub fn bind(config: ServeConfig) -> Result<Server, ServeError> {
        let addr = config.addr;
        let app = App::open(config)?;
        let http = tiny_http::Server::http(addr).map_err(|e| ServeError::Bind {
            addr,
            message: e.to_string(),
        })?;
        Ok(Server {
            app: Arc::new(app),
            http: Arc::new(http),
        })
    }

    pub fn local_addr(&self) -> String {
        self.http.server_addr().to_string()
    }

    /// Serves until the process ends.
    pub fn run(self) {
        let workers: Vec<_> = (0..WORKERS)
            .map(|_| {
                let app = Arc::clone(&self.app);
                let http = Arc::clone(&self.http);
                std::thread::spawn(move || {
                    while let Ok(request) = http.recv() {
                        serve_one(&app, request);
                    }
                })
            })
            .collect();
        for worker in workers {
            let _ = worker.join();
        }
    }
}

fn header(request: &tiny_http::Request, name: &'static str) -> Option<String> {
    request
        .headers()
        .iter()
        .find(|h| h.field.equiv(name))
        .map(|h| h.value.as_str().to_string())
}

fn serve_one(app: &App, request: tiny_http::Request) {
    let ours = Request {
        method: request.method().as_str().to_string(),
        url: request.url().to_string(),
        host: header(&request, "Host"),
        cookie: header(&request, "Cookie"),
        authorization: header(&request, "Authorization"),
    };
    let response = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| app.handle(&ours))).unwrap_or_else(|_| {
        let ui = html::Ui {
            lang: html::DEFAULT_LANG,
            path: "/",
            params: &[],
        };
        Response::error(&ui, 500, &web::INTERNAL_ERROR)
    });
    let headers = response.headers();
    let with_headers = |mut http_response: tiny_http::Response<Box<dyn std::io::Read + Send>>| {
        for (name, value) in &headers {
            if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
                http_response.add_header(h);
            }
        }
        http_response
    };
    let (reader, length): (Box<dyn std::io::Read + Send>, Option<usize>) = match response.body {
        Body::Bytes(bytes) | Body::Original(bytes) => {
            let length = bytes.len();
            (Box::new(std::io::Cursor::new(bytes)), Some(length))
        }
        Body::File(path) => match std::fs::File::open(&path) {
            Ok(file) => {
                let length = file.metadata().ok().map(|m| m.len() as usize);
                (Box::new(file), length)
            }
            Err(_) => {
                let unreadable = &web::FILE_UNREADABLE;
                let ui = html::Ui {
                    lang: html::DEFAULT_LANG,
                    path: "/",
                    params: &[],
                };
                let page = html::message(&ui, unreadable.title.get(ui.lang), unreadable.text.get(ui.lang)).into_bytes();
                let length = page.len();
                (Box::new(std::io::Cursor::new(page)), Some(length))
            }
        },
    };
    let http_response = tiny_http::Response::new(response.status.into(), Vec::new(), reader, length, None);
    // A client that went away is its own problem; nothing to do about a failed write.
    let _ = request.respond(with_headers(http_response));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_decode_and_bad_escapes_survive() {
        let params = parse_query("q=%D0%B0%D0%BA%D1%82+%D0%98%D0%91&x=%ZZ&y=%&z=%E2");
        assert_eq!(param(&params, "q"), Some("акт ИБ"));
        assert_eq!(param(&params, "x"), Some("%ZZ"));
        assert_eq!(param(&params, "y"), Some("%"));
        assert_eq!(param(&params, "z"), Some("\u{FFFD}"));
        assert_eq!(param(&parse_query("a=%D0%"), "a"), Some("\u{FFFD}%"));
    }

    #[test]
    fn every_policy_forbids_scripts_and_only_a_pdf_may_embed_the_viewer() {
        for policy in [CONTENT_SECURITY_POLICY, PDF_POLICY] {
            assert!(
                policy.starts_with("default-src 'none'") && !policy.contains("script"),
                "{policy}"
            );
        }
        assert_eq!(policy_for("application/pdf"), PDF_POLICY);
        assert_eq!(policy_for("text/html; charset=utf-8"), CONTENT_SECURITY_POLICY);
        let disposition = content_disposition("attachment", "IS-1.письмо.docx");
        assert_eq!(
            disposition,
            "attachment; filename=\"IS-1.______.docx\"; filename*=UTF-8''IS-1.%D0%BF%D0%B8%D1%81%D1%8C%D0%BC%D0%BE.docx"
        );
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(same("abc", "abc"));
        assert!(!same("abd", "abc"));
        assert!(!same("ab", "abc"));
    }
}
