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

use crate::index::{DocIndex, SearchOptions, more_like_this, search};
use crate::lang::Lang;
use crate::report::web;
use crate::rules::Rules;
use crate::state_dir::StateDir;
use html::SearchForm;

const WORKERS: usize = 4;
const RESULTS_PER_PAGE: usize = 20;
const SIMILAR_SHOWN: usize = 20;
const TOKEN_COOKIE: &str = "portalcheck_token";
/// The language of the pages that show no report (search, text, errors); a report's own pages
/// are in the report's language.
const LANG: Lang = Lang::Ru;

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
    pub set_cookie: Option<String>,
}

pub enum Body {
    /// One of our pages.
    Bytes(Vec<u8>),
    File(PathBuf),
    /// A document's own bytes (a file inside an archive), sent as a corpus file is.
    Original(Vec<u8>),
}

impl Response {
    fn html(status: u16, page: String) -> Response {
        Response {
            status,
            content_type: "text/html; charset=utf-8".into(),
            body: Body::Bytes(page.into_bytes()),
            set_cookie: None,
        }
    }

    /// An error page from the catalogue, in the pages' language.
    fn error(status: u16, message: &web::Message) -> Response {
        Response::error_with(status, &message.title, message.text.get(LANG))
    }

    /// An error page with a catalogue title and a sentence made for this error.
    fn error_with(status: u16, title: &web::Text, text: &str) -> Response {
        Response::html(status, html::message(title.get(LANG), text, LANG))
    }

    pub fn body_text(&self) -> String {
        match &self.body {
            Body::Bytes(bytes) | Body::Original(bytes) => String::from_utf8_lossy(bytes).into_owned(),
            Body::File(path) => format!("<file {}>", path.display()),
        }
    }
}

/// The application: the index and the state directory, behind the HTTP glue.
pub struct App {
    config: ServeConfig,
    index: DocIndex,
    /// For the names of document types: `serve` has no `--rules`, so the shipped ones.
    rules: Rules,
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
        if request.method != "GET" && request.method != "HEAD" {
            return Response::error(405, &web::METHOD_NOT_ALLOWED);
        }
        let (path, query) = request.url.split_once('?').unwrap_or((request.url.as_str(), ""));
        let params = parse_query(query);
        let (authorised, token_in_query) = self.authorised(request, &params);
        if !authorised {
            return Response::error(401, &web::TOKEN_REQUIRED);
        }
        if self.config.token.is_none() && !App::host_is_loopback(request) {
            return Response::error(403, &web::FORBIDDEN_HOST);
        }
        let mut response = match path {
            "/" => self.search_page(&params),
            "/page" => self.page(&params),
            "/like" => self.like(&params),
            "/reports" => self.reports(),
            "/submission" => self.submission(&params),
            "/file" => self.corpus_file(&params),
            "/report-file" => self.report_file(&params),
            _ => Response::error(404, &web::NO_SUCH_ADDRESS),
        };
        if token_in_query && let Some(token) = &self.config.token {
            response.set_cookie = Some(format!(
                "{TOKEN_COOKIE}={}; HttpOnly; SameSite=Strict; Path=/",
                html::url_param(token)
            ));
        }
        response
    }

    fn search_page(&self, params: &[(String, String)]) -> Response {
        let form = SearchForm {
            query: param(params, "q").unwrap_or_default(),
            doc_type: param(params, "type").unwrap_or_default(),
            state_body: param(params, "body").unwrap_or_default(),
            object_id: param(params, "object").unwrap_or_default(),
        };
        if form.query.trim().is_empty() {
            return Response::html(200, html::search_page(&self.rules, &form, None, None, LANG));
        }
        let _ = self.index.reload();
        let options = SearchOptions {
            limit: RESULTS_PER_PAGE,
            doc_type: non_empty(form.doc_type),
            object_id: non_empty(form.object_id),
            state_body: non_empty(form.state_body),
        };
        match search(&self.index, form.query, &options) {
            Ok(results) => Response::html(200, html::search_page(&self.rules, &form, Some(&results), None, LANG)),
            Err(e) => Response::html(
                200,
                html::search_page(&self.rules, &form, None, Some(&e.to_string()), LANG),
            ),
        }
    }

    fn page(&self, params: &[(String, String)]) -> Response {
        let Some(file) = param(params, "file") else {
            return Response::error(400, &web::FILE_NOT_NAMED);
        };
        let page: u64 = param(params, "page").and_then(|p| p.parse().ok()).unwrap_or(1).max(1);
        let _ = self.index.reload();
        match self.index.file_pages(file) {
            Ok(pages) if !pages.is_empty() => {
                let count = pages.len() as u64;
                let text = pages
                    .iter()
                    .find(|p| u64::from(p.number) == page)
                    .map(|p| p.text.as_str())
                    .unwrap_or(web::NO_SUCH_PAGE.get(LANG));
                let original = match self.corpus_root() {
                    None => html::Original::Unknown,
                    Some(root) => match state::resolve_corpus_name(&root, file) {
                        Some(state::CorpusPlace::Member { archive_name, .. }) => {
                            html::Original::Member { archive_name }
                        }
                        _ => html::Original::File,
                    },
                };
                Response::html(200, html::page_text(file, page, count, text, &original, LANG))
            }
            Ok(_) => Response::error(404, &web::NO_TEXT),
            Err(e) => Response::error_with(500, &web::INDEX_ERROR, &e.to_string()),
        }
    }

    fn like(&self, params: &[(String, String)]) -> Response {
        let Some(file) = param(params, "file") else {
            return Response::error(400, &web::FILE_NOT_NAMED);
        };
        let _ = self.index.reload();
        match more_like_this(&self.index, file, SIMILAR_SHOWN) {
            Ok(similar) => Response::html(200, html::like_page(&self.rules, file, &similar, LANG)),
            Err(e) => Response::error_with(404, &web::NO_DOCUMENT, &e.to_string()),
        }
    }

    fn latest_report(&self) -> Result<state::LatestReport, Response> {
        match state::load_latest_report(&StateDir::new(&self.config.state)) {
            Ok(Some(report)) => Ok(report),
            Ok(None) => Err(Response::error(404, &web::NO_REPORTS)),
            Err(problem) => {
                let text = match problem {
                    state::ReportProblem::Unreadable { path, message } => {
                        web::report_not_read(&path.display().to_string(), &message, LANG)
                    }
                    state::ReportProblem::Invalid { path, message } => {
                        web::report_not_parsed(&path.display().to_string(), &message, LANG)
                    }
                };
                Err(Response::error_with(500, &web::REPORT_UNREADABLE, &text))
            }
        }
    }

    fn reports(&self) -> Response {
        let report = match self.latest_report() {
            Ok(report) => report,
            Err(response) => return response,
        };
        let summary = report.dir.join("summary.html");
        if summary.is_file() {
            return Response {
                status: 200,
                content_type: "text/html; charset=utf-8".into(),
                body: Body::File(summary),
                set_cookie: None,
            };
        }
        let mut files: Vec<String> = std::fs::read_dir(&report.dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.path().is_file())
            .filter_map(|e| e.file_name().into_string().ok())
            .collect();
        files.sort();
        Response::html(200, html::summary(report.report(), &files))
    }

    fn submission(&self, params: &[(String, String)]) -> Response {
        let Some(id) = param(params, "id") else {
            return Response::error(400, &web::OBJECT_NOT_NAMED);
        };
        let report = match self.latest_report() {
            Ok(report) => report,
            Err(response) => return response,
        };
        let report = report.report();
        match report.submissions.iter().find(|s| s.object_id == id) {
            Some(submission) => Response::html(
                200,
                html::submission(&self.rules, report, submission, self.corpus_root().is_some()),
            ),
            None => Response::error_with(404, &web::NO_SUCH_SUBMISSION, &web::no_such_submission(id, LANG)),
        }
    }

    /// The report does not name its corpus (a state directory may outlive a moved share), so only
    /// `--corpus` says where the files are.
    fn corpus_root(&self) -> Option<PathBuf> {
        self.config.corpus.clone()
    }

    fn corpus_file(&self, params: &[(String, String)]) -> Response {
        let Some(root) = self.corpus_root() else {
            return Response::error(404, &web::CORPUS_UNKNOWN);
        };
        let Some(place) = param(params, "path").and_then(|p| state::resolve_corpus_name(&root, p)) else {
            return Response::error(404, &web::FILE_NOT_IN_CORPUS);
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
                        set_cookie: None,
                    },
                    Err(e) => Response::error_with(404, &web::MEMBER_UNREADABLE, &e.to_string()),
                }
            }
        }
    }

    fn report_file(&self, params: &[(String, String)]) -> Response {
        let report = match self.latest_report() {
            Ok(report) => report,
            Err(response) => return response,
        };
        match param(params, "name").and_then(|name| state::report_file(&report.dir, name)) {
            Some(path) => file_response(path),
            None => Response::error(404, &web::FILE_NOT_IN_REPORT),
        }
    }
}

fn file_response(path: PathBuf) -> Response {
    Response {
        status: 200,
        content_type: content_type(&path.to_string_lossy()).into(),
        body: Body::File(path),
        set_cookie: None,
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
    let response = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| app.handle(&ours)))
        .unwrap_or_else(|_| Response::error(500, &web::INTERNAL_ERROR));
    let mut headers = vec![
        ("Content-Type", response.content_type.clone()),
        ("X-Content-Type-Options", "nosniff".to_string()),
        ("Referrer-Policy", "no-referrer".to_string()),
    ];
    if matches!(response.body, Body::Bytes(_)) {
        // Our own pages run no script at all; say so, as a second line behind escaping.
        headers.push((
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'".to_string(),
        ));
    }
    if let Some(cookie) = &response.set_cookie {
        headers.push(("Set-Cookie", cookie.clone()));
    }
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
                let page = html::message(unreadable.title.get(LANG), unreadable.text.get(LANG), LANG).into_bytes();
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
    fn tokens_compare_whole() {
        assert!(same("abc", "abc"));
        assert!(!same("abd", "abc"));
        assert!(!same("ab", "abc"));
    }
}
