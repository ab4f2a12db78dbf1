//! `serve` without a browser: access rules, escaping, reports and evidence links, and paths that
//! try to leave the corpus. Requests go straight to `App::handle`.

use std::path::Path;

use portalcheck::serve::{App, Request, ServeConfig, ServeError};

mod support;

use support::write;

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
    let cookie = with_query.set_cookie.clone().expect("the token is kept in a cookie");
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
