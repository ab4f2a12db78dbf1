//! `serve` without a browser: access rules, escaping, reports and evidence links, and paths that
//! try to leave the corpus. Requests go straight to `App::handle`.

use std::path::Path;

use std::collections::BTreeSet;

use portalcheck::evaluate::{Level, Status, Verdict};
use portalcheck::extract::FileStatus;
use portalcheck::rules::Rules;
use portalcheck::serve::{App, Request, Response, ServeConfig, ServeError};

mod support;

use support::{visible_text, write};

/// A corpus, and a state directory made from it with `check --index --out`.
fn state(scratch: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    state_with(scratch, |_| {})
}

/// [`state`], with more files put in the corpus by `add` before the check.
fn state_with(scratch: &Path, add: impl FnOnce(&Path)) -> (std::path::PathBuf, std::path::PathBuf) {
    let corpus = scratch.join("corpus");
    write(
        &corpus,
        "min/sys/object.xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<object id=\"IS-1\" kind=\"information_system\">\
         <name lang=\"ru\">Система &lt;b&gt;учёта&lt;/b&gt;</name><owner>Министерство</owner></object>\n",
    );
    write(
        &corpus,
        "min/sys/zapiska.txt",
        "Протокол испытаний <script>alert(1)</script> \"кавычки\" & амперсанд.",
    );
    write(scratch, "secret.txt", "не из корпуса");
    add(&corpus);
    let state = scratch.join("state");
    support::check_into_state(&corpus, &state);
    (state, corpus)
}

fn config(state: &Path, corpus: &Path, addr: &str, token: Option<&str>) -> ServeConfig {
    ServeConfig {
        state: state.to_path_buf(),
        addr: addr.parse().unwrap(),
        token: token.map(str::to_string),
        corpus: Some(corpus.to_path_buf()),
    }
}

fn get(url: &str) -> Request {
    Request {
        method: "GET".into(),
        url: url.into(),
        host: Some("127.0.0.1:8080".into()),
        ..Request::default()
    }
}

#[test]
fn a_non_loopback_address_needs_a_token_and_every_request_carries_it() {
    let scratch = tempfile::tempdir().unwrap();
    let (state, corpus) = state(scratch.path());
    assert!(matches!(
        App::open(config(&state, &corpus, "0.0.0.0:8080", None)),
        Err(ServeError::TokenRequired(_))
    ));
    assert!(matches!(
        App::open(config(&state, &corpus, "0.0.0.0:8080", Some("  "))),
        Err(ServeError::EmptyToken)
    ));
    let app = App::open(config(&state, &corpus, "0.0.0.0:8080", Some("s3cret"))).unwrap();
    assert_eq!(app.handle(&get("/?q=протокол")).status, 401);
    assert_eq!(app.handle(&get("/?q=протокол&token=wrong")).status, 401);
    let with_query = app.handle(&get(
        "/?q=%D0%BF%D1%80%D0%BE%D1%82%D0%BE%D0%BA%D0%BE%D0%BB&token=s3cret",
    ));
    assert_eq!(with_query.status, 200);
    let cookie = with_query
        .set_cookies
        .iter()
        .find(|c| c.starts_with("portalcheck_token="))
        .cloned()
        .expect("the token is kept in a cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let by_cookie = Request {
        cookie: Some(cookie.split(';').next().unwrap().to_string()),
        ..get("/reports")
    };
    assert_eq!(app.handle(&by_cookie).status, 200);
    let by_header = Request {
        authorization: Some("Bearer s3cret".into()),
        ..get("/reports")
    };
    assert_eq!(app.handle(&by_header).status, 200);
}

#[test]
fn on_loopback_a_foreign_host_name_is_refused() {
    let scratch = tempfile::tempdir().unwrap();
    let (state, corpus) = state(scratch.path());
    let app = App::open(config(&state, &corpus, "127.0.0.1:8080", None)).unwrap();
    assert_eq!(app.handle(&get("/")).status, 200);
    let rebound = Request {
        host: Some("evil.example:8080".into()),
        ..get("/")
    };
    assert_eq!(app.handle(&rebound).status, 403);
    let post = Request {
        method: "POST".into(),
        ..get("/")
    };
    assert_eq!(app.handle(&post).status, 405);
}

#[test]
fn document_text_is_escaped_everywhere() {
    let scratch = tempfile::tempdir().unwrap();
    let (state, corpus) = state(scratch.path());
    let app = App::open(config(&state, &corpus, "127.0.0.1:8080", None)).unwrap();
    for url in [
        "/?q=%D0%BF%D1%80%D0%BE%D1%82%D0%BE%D0%BA%D0%BE%D0%BB",
        "/page?file=min%2Fsys%2Fzapiska.txt&page=1",
        "/reports",
        "/submission?id=IS-1",
        "/?q=%3Cscript%3Ealert(2)%3C%2Fscript%3E",
    ] {
        let response = app.handle(&get(url));
        let body = response.body_text();
        assert_eq!(response.status, 200, "{url}: {body}");
        assert!(!body.contains("<script>"), "{url}: {body}");
        assert!(!body.contains("<b>учёта"), "{url}");
    }
    let page = app
        .handle(&get("/page?file=min%2Fsys%2Fzapiska.txt&page=1"))
        .body_text();
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &quot;кавычки&quot; &amp; амперсанд"),
        "{page}"
    );
    let submission = app.handle(&get("/submission?id=IS-1")).body_text();
    assert!(submission.contains("Система &lt;b&gt;учёта&lt;/b&gt;"), "{submission}");
    assert!(
        submission.contains("/page?file=min%2Fsys%2Fzapiska.txt&amp;page=1"),
        "evidence links: {submission}"
    );
}

#[test]
fn files_are_served_from_the_corpus_and_nowhere_else() {
    let scratch = tempfile::tempdir().unwrap();
    let (state, corpus) = state(scratch.path());
    let app = App::open(config(&state, &corpus, "127.0.0.1:8080", None)).unwrap();
    let ok = app.handle(&get("/file?path=min%2Fsys%2Fzapiska.txt"));
    assert_eq!(ok.status, 200);
    assert!(ok.content_type.starts_with("text/plain"));
    for escape in [
        "/file?path=..%2Fsecret.txt",
        "/file?path=min%2F..%2F..%2Fsecret.txt",
        &format!("/file?path={}", scratch.path().join("secret.txt").display()),
        "/report-file?name=..%2F..%2Fsecret.txt",
        "/report-file?name=..",
    ] {
        assert_eq!(app.handle(&get(escape)).status, 404, "{escape}");
    }
    assert_eq!(app.handle(&get("/report-file?name=report.json")).status, 200);
    assert_eq!(app.handle(&get("/nowhere")).status, 404);
    assert_eq!(app.handle(&get("/page")).status, 400);
    assert_eq!(app.handle(&get("/like?file=nope")).status, 404);
    assert_eq!(app.handle(&get("/submission?id=nope")).status, 404);
}

fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in members {
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

const ACT_IN_ZIP: &str = "Акт ввода в промышленную эксплуатацию <i>из архива</i>.";

/// `min/sys/docs.zip` with a folder, a nested archive, a name with markup and a traversal name.
fn corpus_with_archive(corpus: &Path) {
    let inner = zip_of(&[("x.txt", "вложенный протокол".as_bytes())]);
    let bytes = zip_of(&[
        ("folder/akt.txt", ACT_IN_ZIP.as_bytes()),
        ("inner.zip", &inner),
        ("<b>name</b>.txt", "разметка в имени".as_bytes()),
        ("../secret.txt", "вне архива".as_bytes()),
    ]);
    std::fs::write(corpus.join("min/sys/docs.zip"), bytes).unwrap();
}

#[test]
fn a_file_inside_an_archive_has_its_page_and_its_original_from_the_archive() {
    let scratch = tempfile::tempdir().unwrap();
    let (state, corpus) = state_with(scratch.path(), corpus_with_archive);
    let app = App::open(config(&state, &corpus, "127.0.0.1:8080", None)).unwrap();
    let member = "min%2Fsys%2Fdocs.zip%21%2Ffolder%2Fakt.txt";

    let page = app.handle(&get(&format!("/page?file={member}&page=1")));
    let text = page.body_text();
    assert_eq!(page.status, 200, "{text}");
    assert!(text.contains("&lt;i&gt;из архива&lt;/i&gt;"), "{text}");
    assert!(
        text.contains(&format!("id=\"original\" href=\"/file?path={member}\"")),
        "{text}"
    );
    assert!(
        text.contains("в архиве <a class=\"archive\" href=\"/file?path=min%2Fsys%2Fdocs.zip\">min/sys/docs.zip</a>"),
        "{text}"
    );

    // The original is the member's own bytes, inflated from the archive.
    let original = app.handle(&get(&format!("/file?path={member}")));
    assert_eq!(original.status, 200, "{}", original.body_text());
    assert!(
        original.content_type.starts_with("text/plain"),
        "{}",
        original.content_type
    );
    assert_eq!(original.body_text(), ACT_IN_ZIP);
    let nested = app.handle(&get("/file?path=min%2Fsys%2Fdocs.zip%21%2Finner.zip%21%2Fx.txt"));
    assert_eq!(nested.status, 200, "{}", nested.body_text());
    assert_eq!(nested.body_text(), "вложенный протокол");
    let whole = app.handle(&get("/file?path=min%2Fsys%2Fdocs.zip"));
    assert_eq!(
        (whole.status, whole.content_type.as_str()),
        (200, "application/octet-stream")
    );

    // A member extraction refused is not given, and a member path never reaches the disk.
    for refused in [
        "/file?path=min%2Fsys%2Fdocs.zip%21%2F..%2Fsecret.txt",
        "/file?path=min%2Fsys%2Fdocs.zip%21%2F..%2F..%2F..%2Fsecret.txt",
        "/file?path=min%2Fsys%2Fdocs.zip%21%2Fnot-there.txt",
        "/file?path=min%2Fsys%2Fdocs.zip%21%2F",
        "/file?path=min%2Fsys%2Fzapiska.txt%21%2Fx.txt",
        "/file?path=..%2Fsecret.txt%21%2Fx.txt",
    ] {
        let response = app.handle(&get(refused));
        assert_eq!(response.status, 404, "{refused}");
        assert!(!response.body_text().contains("вне архива"), "{refused}");
    }

    // The submission lists members with both links, names escaped.
    let submission = app.handle(&get("/submission?id=IS-1")).body_text();
    assert!(
        submission.contains(&format!("href=\"/file?path={member}\">файл</a> (в архиве")),
        "{submission}"
    );
    assert!(!submission.contains("<b>name</b>"), "{submission}");
    assert!(submission.contains("&lt;b&gt;name&lt;/b&gt;.txt"), "{submission}");
    let marked = app.handle(&get("/file?path=min%2Fsys%2Fdocs.zip%21%2F%3Cb%3Ename%3C%2Fb%3E.txt"));
    assert_eq!(marked.body_text(), "разметка в имени");
}

// Issue 14: the pages analysts live in.

/// Three submissions of text files, `count` of them holding «протокол» each, spread over them.
fn paged_corpus(corpus: &Path, count: usize) {
    for (dir, id, owner) in [
        ("min-a/sys-a", "IS-A", "Министерство цифрового развития"),
        ("min-b/sys-b", "IS-B", "Министерство финансов"),
        ("min-c/sys-c", "IS-C", "Министерство финансов"),
    ] {
        write(
            corpus,
            &format!("{dir}/object.xml"),
            &format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<object id=\"{id}\" kind=\"information_system\">\
                 <name lang=\"ru\">Система {id}</name><owner>{owner}</owner></object>\n"
            ),
        );
    }
    let dirs = ["min-a/sys-a", "min-b/sys-b", "min-c/sys-c"];
    for n in 0..count {
        write(
            corpus,
            &format!("{}/zapiska-{n:02}.txt", dirs[n % 3]),
            &format!("Служебная записка {n} о протоколе испытаний номер {n}. Прочий текст записки."),
        );
    }
}

fn get_lang(url: &str, lang: &str) -> Request {
    let separator = if url.contains('?') { '&' } else { '?' };
    get(&format!("{url}{separator}lang={lang}"))
}

/// `href="..."` values of the elements with `class="CLASS"`, as a browser would follow them.
fn hrefs_of_class(html: &str, class: &str) -> Vec<String> {
    let marker = format!("class=\"{class}\"");
    html.match_indices(&marker)
        .map(|(at, _)| {
            let tag = &html[at..at + html[at..].find('>').unwrap()];
            let rest = &tag[tag.find("href=\"").unwrap() + 6..];
            rest[..rest.find('"').unwrap()].replace("&amp;", "&")
        })
        .collect()
}

/// The text of each element `<a class="file" ...>TEXT</a>`: the files of the hits, in order.
fn hit_files(html: &str) -> Vec<String> {
    html.split("<a class=\"file\" href=\"")
        .skip(1)
        .map(|part| {
            let text = &part[part.find('>').unwrap() + 1..];
            text[..text.find("</a>").unwrap()].to_string()
        })
        .collect()
}

fn attribute_values(html: &str, attribute: &str) -> Vec<String> {
    let marker = format!("{attribute}=\"");
    html.match_indices(&marker)
        .map(|(at, _)| {
            let rest = &html[at + marker.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

#[test]
fn search_pages_through_every_hit_with_the_total_and_404_past_the_end() {
    let scratch = tempfile::tempdir().unwrap();
    let (state, corpus) = state_with(scratch.path(), |corpus| paged_corpus(corpus, 45));
    let app = App::open(config(&state, &corpus, "127.0.0.1:8080", None)).unwrap();
    let query = "/?q=%D0%BF%D1%80%D0%BE%D1%82%D0%BE%D0%BA%D0%BE%D0%BB&limit=10";

    let mut seen = BTreeSet::new();
    for page in 1..=5 {
        let response = app.handle(&get(&format!("{query}&page={page}")));
        let html = response.body_text();
        assert_eq!(response.status, 200, "page {page}: {html}");
        // 45 notes plus the card-less zapiska.txt of the base corpus.
        assert!(html.contains("<b id=\"total\">46</b>"), "page {page}: {html}");
        let first = (page - 1) * 10 + 1;
        let last = (page * 10).min(46);
        assert!(
            html.contains(&format!("Показаны {first}–{last} из 46")),
            "page {page}: {html}"
        );
        let files = hit_files(&html);
        assert_eq!(files.len(), last - first + 1, "page {page}");
        for file in files {
            assert!(seen.insert(file.clone()), "{file} shown on two pages");
        }
        if page < 5 {
            assert!(
                html.contains(&format!("data-page=\"{}\"", page + 1)),
                "a link to the next page"
            );
        }
    }
    assert_eq!(seen.len(), 46, "every hit once over the pages");

    for past in ["page=6", "page=60", "page=0", "page=abc"] {
        let response = app.handle(&get(&format!("{query}&{past}")));
        assert_eq!(response.status, 404, "{past}");
    }
    let kazakh = app.handle(&get(&format!("{query}&page=6&lang=kk")));
    assert_eq!(kazakh.status, 404);
    assert!(
        kazakh.body_text().contains("Нәтижелердің мұндай беті жоқ"),
        "{}",
        kazakh.body_text()
    );

    // By file: the order runs on across pages.
    let mut by_file = Vec::new();
    for page in 1..=5 {
        by_file.extend(hit_files(
            &app.handle(&get(&format!("{query}&sort=file&page={page}"))).body_text(),
        ));
    }
    let mut sorted = by_file.clone();
    sorted.sort();
    assert_eq!(by_file, sorted, "sorted by file over the pages");
    assert_eq!(by_file.len(), 46);
    let by_date = app.handle(&get(&format!("{query}&sort=date")));
    assert_eq!(by_date.status, 200);
    assert!(by_date.body_text().contains("<b id=\"total\">46</b>"));

    // The filters narrow the total, and the pager keeps them.
    let filtered = app.handle(&get(&format!("{query}&object=IS-A"))).body_text();
    assert!(filtered.contains("<b id=\"total\">15</b>"), "{filtered}");
    assert!(
        hit_files(&filtered).iter().all(|f| f.starts_with("min-a/")),
        "{filtered}"
    );
    assert!(filtered.contains("object=IS-A&amp;limit=10&amp;page=2"), "{filtered}");
    let by_body = app
        .handle(&get(&format!(
            "{query}&body=%D0%9C%D0%B8%D0%BD%D0%B8%D1%81%D1%82%D0%B5%D1%80%D1%81%D1%82%D0%B2%D0%BE%20%D1%84%D0%B8%D0%BD%D0%B0%D0%BD%D1%81%D0%BE%D0%B2"
        )))
        .body_text();
    assert!(by_body.contains("<b id=\"total\">30</b>"), "{by_body}");
}

#[test]
fn the_document_page_marks_the_query_and_leads_back_to_its_submission() {
    let scratch = tempfile::tempdir().unwrap();
    let (state, corpus) = state(scratch.path());
    let app = App::open(config(&state, &corpus, "127.0.0.1:8080", None)).unwrap();
    // «протоколы»: another form of the word in the text; «script»: a word inside markup.
    let page = app
        .handle(&get(
            "/page?file=min%2Fsys%2Fzapiska.txt&page=1&q=%D0%BF%D1%80%D0%BE%D1%82%D0%BE%D0%BA%D0%BE%D0%BB%D1%8B+script",
        ))
        .body_text();
    assert!(page.contains("<mark>Протокол</mark> испытаний"), "{page}");
    assert!(page.contains("&lt;<mark>script</mark>&gt;alert(1)"), "{page}");
    assert!(!page.contains("<script>"), "{page}");
    assert!(page.contains("id=\"back\" href=\"/submission?id=IS-1\""), "{page}");
    assert!(page.contains("id=\"crumbs\""), "{page}");
    // The next and previous links keep the query; a page past the end is a 404 in the language.
    let missing = app.handle(&get("/page?file=min%2Fsys%2Fzapiska.txt&page=7&lang=kk"));
    assert_eq!(missing.status, 404);
    assert!(
        missing.body_text().contains("Мұндай бет жоқ"),
        "{}",
        missing.body_text()
    );
    assert!(missing.body_text().contains("<html lang=\"kk\""));
    let unknown = app.handle(&get_lang("/nowhere", "en"));
    assert_eq!(unknown.status, 404);
    assert!(unknown.body_text().contains("Not found"), "{}", unknown.body_text());
}

/// Two nights over a small corpus, the second with a file more: a history with a diff.
fn two_nights(scratch: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let corpus = scratch.join("corpus");
    paged_corpus(&corpus, 6);
    write(scratch, "secret.txt", "не из корпуса");
    let state = scratch.join("state");
    support::nightly(&corpus, &state, "2026-11-20", &[]);
    write(&corpus, "min-a/sys-a/novyi.txt", "Новый протокол испытаний.");
    support::nightly(&corpus, &state, "2026-11-21", &[]);
    (state, corpus)
}

#[test]
fn submissions_history_and_downloads() {
    let scratch = tempfile::tempdir().unwrap();
    let (state, corpus) = two_nights(scratch.path());
    let app = App::open(config(&state, &corpus, "127.0.0.1:8080", None)).unwrap();
    let night = state.join("reports/2026-11-21");
    let report = support::report_json(&night);
    let submissions = report["submissions"].as_array().unwrap();

    // The list, filtered by verdict, level and state body, each row linked to its submission.
    let all = app.handle(&get("/submissions")).body_text();
    let ids = |html: &str| -> BTreeSet<String> { attribute_values(html, "data-id").into_iter().collect() };
    assert_eq!(ids(&all).len(), submissions.len(), "{all}");
    assert!(
        all.contains("href=\"/submission?id=IS-A&amp;date=2026-11-21\""),
        "{all}"
    );
    for (key, field) in [("verdict", "verdict"), ("level", "level")] {
        for value in submissions.iter().map(|s| s[field].as_str().unwrap()) {
            let html = app.handle(&get(&format!("/submissions?{key}={value}"))).body_text();
            let expected: BTreeSet<String> = submissions
                .iter()
                .filter(|s| s[field] == value)
                .map(|s| s["object_id"].as_str().unwrap().to_string())
                .collect();
            assert_eq!(ids(&html), expected, "{key}={value}");
        }
    }
    let finance = app
        .handle(&get(
            "/submissions?body=%D0%9C%D0%B8%D0%BD%D0%B8%D1%81%D1%82%D0%B5%D1%80%D1%81%D1%82%D0%B2%D0%BE%20%D1%84%D0%B8%D0%BD%D0%B0%D0%BD%D1%81%D0%BE%D0%B2",
        ))
        .body_text();
    assert_eq!(ids(&finance), ["IS-B", "IS-C"].map(String::from).into(), "{finance}");
    let by_owner = app.handle(&get("/submissions?sort=owner")).body_text();
    let order = attribute_values(&by_owner, "data-id");
    assert_eq!(order.first().map(String::as_str), Some("IS-B"), "{order:?}");
    assert_eq!(order.last().map(String::as_str), Some("IS-A"), "{order:?}");
    let none = app.handle(&get("/submissions?verdict=nonsense")).body_text();
    assert!(ids(&none).is_empty());

    // The history: both nights, newest first, the second with its diff.
    let history = app.handle(&get("/reports"));
    let html = history.body_text();
    assert_eq!(history.status, 200);
    assert_eq!(
        attribute_values(&html, "data-date"),
        ["2026-11-21", "2026-11-20"],
        "{html}"
    );
    let older = app.handle(&get("/report?date=2026-11-20")).body_text();
    assert!(older.contains("Первая проверка"), "{older}");
    let newer = app.handle(&get("/report?date=2026-11-21")).body_text();
    assert!(newer.contains("id=\"diff-totals\""), "{newer}");
    assert!(newer.contains("min-a/sys-a/novyi.txt"), "the added file: {newer}");
    assert_eq!(app.handle(&get("/report?date=2026-11-19")).status, 404);
    assert_eq!(app.handle(&get("/report?date=..%2F..%2Fstate")).status, 404);

    // Downloads: the right bytes, type and file name.
    for (name, content_type, disposition) in [
        (
            "summary.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "attachment; filename=\"summary.xlsx\"",
        ),
        (
            "report.json",
            "application/json",
            "attachment; filename=\"report.json\"",
        ),
        (
            "submissions/IS-A.md",
            "text/markdown; charset=utf-8",
            "attachment; filename=\"IS-A.md\"",
        ),
        (
            "summary.html",
            "text/html; charset=utf-8",
            "inline; filename=\"summary.html\"",
        ),
    ] {
        let response = app.handle(&get(&format!(
            "/download?date=2026-11-21&name={}",
            name.replace('/', "%2F")
        )));
        assert_eq!(response.status, 200, "{name}");
        assert_eq!(response.content_type, content_type, "{name}");
        let headers = response.headers();
        let given = headers
            .iter()
            .find(|(h, _)| *h == "Content-Disposition")
            .map(|(_, v)| v.as_str())
            .unwrap_or_default();
        assert!(given.starts_with(disposition), "{name}: {given}");
        assert_eq!(
            response.body_bytes(),
            std::fs::read(night.join(name)).unwrap(),
            "{name}"
        );
    }
    // The submission page lists its Markdown and every letter of it, and each downloads.
    let submission = app.handle(&get("/submission?id=IS-A")).body_text();
    let letters: Vec<String> = std::fs::read_dir(night.join("letters"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.starts_with("IS-A."))
        .collect();
    assert!(!letters.is_empty());
    for letter in &letters {
        assert!(
            submission.contains(&format!("data-name=\"letters/{letter}\"")),
            "{letter}: {submission}"
        );
        let response = app.handle(&get(&format!("/download?date=2026-11-21&name=letters%2F{letter}")));
        assert_eq!(response.status, 200, "{letter}");
        assert_eq!(
            response.body_bytes(),
            std::fs::read(night.join("letters").join(letter)).unwrap()
        );
    }
    assert!(
        !submission.contains("data-name=\"letters/IS-B."),
        "only its own letters"
    );
    let links = hrefs_of_class(&submission, "download");
    assert_eq!(links.len(), letters.len() + 1, "{links:?}");
    for link in links {
        assert_eq!(app.handle(&get(&link)).status, 200, "{link}");
    }
    for refused in [
        "/download?date=2026-11-21&name=..%2F..%2F..%2Fsecret.txt",
        "/download?date=2026-11-21&name=letters%2F..%2F..%2F..%2F..%2Fsecret.txt",
        "/download?date=2026-11-21&name=submissions%2F..%2Freport.json",
        "/download?date=2026-11-21&name=%2Fetc%2Fpasswd",
        "/download?date=2026-11-21&name=letters",
        "/download?date=..&name=secret.txt",
        "/download?date=2026-11-21%2F..%2F..&name=secret.txt",
    ] {
        assert_eq!(app.handle(&get(refused)).status, 404, "{refused}");
    }
}

/// Every id a reader must never see, as tests/catalogue.rs lists them.
fn internal_ids() -> BTreeSet<String> {
    let rules = Rules::embedded().unwrap();
    let mut ids: BTreeSet<String> = rules.requirements.iter().map(|r| r.id.clone()).collect();
    ids.extend(rules.doctypes.iter().map(|d| d.id.clone()));
    ids.extend(Status::ALL.map(|s| s.as_str().to_string()));
    ids.extend([Verdict::Complies, Verdict::NeedsReview, Verdict::DoesNotComply].map(|v| v.as_str().to_string()));
    ids.extend([Level::Fully, Level::Partially].map(|l| l.as_str().to_string()));
    ids.extend(FileStatus::ALL.map(|s| s.as_str().to_string()));
    for word in ["failed", "ok", "encrypted", "corrupt", "unsupported"] {
        ids.remove(word);
    }
    ids
}

fn ids_shown(text: &str, ids: &BTreeSet<String>) -> Vec<String> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.';
    ids.iter()
        .filter(|id| {
            text.match_indices(id.as_str()).any(|(at, _)| {
                let before = text[..at].chars().next_back();
                let after = text[at + id.len()..].chars().next();
                before.is_none_or(|c| !is_word(c)) && after.is_none_or(|c| !is_word(c) || c == '.')
            })
        })
        .cloned()
        .collect()
}

#[test]
fn russian_and_kazakh_pages_show_names_never_ids_and_the_switch_changes_every_label() {
    let scratch = tempfile::tempdir().unwrap();
    let (state, corpus) = two_nights(scratch.path());
    let app = App::open(config(&state, &corpus, "127.0.0.1:8080", None)).unwrap();
    let ids = internal_ids();
    let urls = [
        "/",
        "/?q=%D0%BF%D1%80%D0%BE%D1%82%D0%BE%D0%BA%D0%BE%D0%BB",
        "/?q=%D0%BF%D1%80%D0%BE%D1%82%D0%BE%D0%BA%D0%BE%D0%BB&sort=date",
        "/reports",
        "/report",
        "/report?date=2026-11-20",
        "/submissions",
        "/submission?id=IS-A",
        "/submission?id=IS-B&date=2026-11-20",
        "/page?file=min-a%2Fsys-a%2Fzapiska-00.txt&page=1&q=%D0%BF%D1%80%D0%BE%D1%82%D0%BE%D0%BA%D0%BE%D0%BB",
        "/like?file=min-a%2Fsys-a%2Fzapiska-00.txt",
        "/nowhere",
    ];
    for lang in ["ru", "kk"] {
        for url in urls {
            let response = app.handle(&get_lang(url, lang));
            let html = response.body_text();
            assert!(html.contains(&format!("<html lang=\"{lang}\"")), "{url} {lang}");
            let text = visible_text(&html);
            let shown = ids_shown(&text, &ids);
            assert!(shown.is_empty(), "{url} {lang}: {shown:?} in {text}");
        }
    }
    // Kazakh labels replace the Russian ones, and links keep the language.
    let kazakh = app.handle(&get_lang("/submissions", "kk"));
    let html = kazakh.body_text();
    let text = visible_text(&html);
    for label in ["Өтінімдер", "Есептер", "Іздеу", "Шешім", "Деңгейі", "Көрсету"]
    {
        assert!(text.contains(label), "{label}: {text}");
    }
    for label in ["Заявки", "Отчёты", "Поиск", "Решение", "Уровень", "Показать"]
    {
        assert!(!text.contains(label), "{label}: {text}");
    }
    assert!(
        html.contains("href=\"/submission?id=IS-A&amp;date=2026-11-21&amp;lang=kk\""),
        "{html}"
    );
    // The choice is kept in a cookie: a page asked for without `lang` comes in Kazakh.
    let cookie = kazakh
        .set_cookies
        .iter()
        .find(|c| c.starts_with("portalcheck_lang=kk"))
        .expect("the language is kept")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let later = app.handle(&Request {
        cookie: Some(cookie),
        ..get("/reports")
    });
    assert!(later.body_text().contains("<html lang=\"kk\""));
    assert!(visible_text(&later.body_text()).contains("Күндер бойынша есептер"));
    // The switch links to the same page in each language.
    assert!(
        html.contains("data-lang=\"ru\" hreflang=\"ru\" href=\"/submissions?lang=ru\""),
        "{html}"
    );
    assert!(
        html.contains("data-lang=\"en\" hreflang=\"en\" href=\"/submissions?lang=en\""),
        "{html}"
    );
}

#[test]
fn every_route_sends_the_content_security_policy() {
    let scratch = tempfile::tempdir().unwrap();
    let (state, corpus) = two_nights(scratch.path());
    let app = App::open(config(&state, &corpus, "127.0.0.1:8080", None)).unwrap();
    let policy = |response: &Response| {
        response
            .headers()
            .into_iter()
            .find(|(h, _)| *h == "Content-Security-Policy")
            .map(|(_, v)| v)
            .unwrap_or_default()
    };
    for url in [
        "/",
        "/?q=%D0%BF%D1%80%D0%BE%D1%82%D0%BE%D0%BA%D0%BE%D0%BB",
        "/reports",
        "/report",
        "/submissions",
        "/submission?id=IS-A",
        "/page?file=min-a%2Fsys-a%2Fzapiska-00.txt",
        "/like?file=min-a%2Fsys-a%2Fzapiska-00.txt",
        "/download?date=2026-11-21&name=summary.html",
        "/download?date=2026-11-21&name=summary.xlsx",
        "/report-file?name=report.json",
        "/file?path=min-a%2Fsys-a%2Fzapiska-00.txt",
        "/file?path=..%2Fsecret.txt",
        "/nowhere",
        "/?q=x&page=99",
    ] {
        let response = app.handle(&get(url));
        let csp = policy(&response);
        assert!(csp.contains("default-src 'none'"), "{url}: {csp}");
        assert!(!csp.contains("script-src"), "{url}: no script allowed: {csp}");
        let nosniff = response
            .headers()
            .into_iter()
            .any(|(h, v)| h == "X-Content-Type-Options" && v == "nosniff");
        assert!(nosniff, "{url}");
    }
    let post = app.handle(&Request {
        method: "POST".into(),
        ..get("/reports")
    });
    assert_eq!(post.status, 405);
    assert!(policy(&post).contains("default-src 'none'"));
}

#[test]
fn the_token_guards_the_new_routes_too() {
    let scratch = tempfile::tempdir().unwrap();
    let (state, corpus) = state(scratch.path());
    let app = App::open(config(&state, &corpus, "0.0.0.0:8080", Some("s3cret"))).unwrap();
    for url in [
        "/reports",
        "/report",
        "/submissions",
        "/download?name=report.json",
        "/page?file=min%2Fsys%2Fzapiska.txt",
    ] {
        assert_eq!(app.handle(&get(url)).status, 401, "{url}");
        let with = app.handle(&get(&format!(
            "{url}{}token=s3cret",
            if url.contains('?') { '&' } else { '?' }
        )));
        assert_eq!(with.status, 200, "{url}: {}", with.body_text());
    }
}

#[test]
fn a_word_no_page_has_leaves_the_other_words_hits_and_is_named() {
    let scratch = tempfile::tempdir().unwrap();
    let (state, corpus) = state_with(scratch.path(), |corpus| paged_corpus(corpus, 3));
    let app = App::open(config(&state, &corpus, "127.0.0.1:8080", None)).unwrap();
    let query = portalcheck::serve::html::url_param("протокол квазиэлектрофорез");
    let html = app.handle(&get(&format!("/?q={query}"))).body_text();
    assert!(
        html.contains("Ни одна страница не содержит всех слов запроса")
            && html.contains("Ни на одной странице нет: «квазиэлектрофорез».")
            && html.contains("zapiska-01.txt"),
        "{html}"
    );
    let kk = app.handle(&get_lang(&format!("/?q={query}"), "kk")).body_text();
    assert!(kk.contains("Ешбір бетте жоқ сөздер: «квазиэлектрофорез»."), "{kk}");
    // Every word on one page: no notice.
    let whole = app
        .handle(&get("/?q=%D0%BF%D1%80%D0%BE%D1%82%D0%BE%D0%BA%D0%BE%D0%BB"))
        .body_text();
    assert!(!whole.contains("id=\"partial\""), "{whole}");
}
