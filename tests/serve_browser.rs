//! End to end in a real browser: `portalcheck serve` on a loopback port, headless Chromium driven
//! over the DevTools protocol (a WebSocket): it focuses the search box, *types* the query key by
//! key and presses Enter, as an analyst would; the test then reads the results page from the DOM
//! and from a screenshot. A second test opens a document that contains `<script>` and checks that
//! it is shown as text and never runs.
//!
//! Skips (with a message) only when no Chromium is installed; CI installs `chromium`.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use serde_json::{Value, json};

mod support;

use support::browser::{Browser, Running, chromium_or_skip, decode_png, stderr_lines, wait_for_line};
use support::{copy_tree, root};

const HOSTILE_TEXT: &str = "Служебная записка о проверке.\n<script>window.pwned = 1; document.title = 'pwned'</script>\n\
злонамеренный текст <img src=x onerror=\"window.pwned = 2\"> и <b>жирный</b> конец.\n";

/// A state directory as `nightly` leaves it, made with `check --index --out`.
fn make_state(scratch: &Path) -> (PathBuf, PathBuf) {
    let corpus = scratch.join("corpus");
    copy_tree(&root().join("corpora/sample"), &corpus);
    std::fs::create_dir_all(corpus.join("zz-hostile")).unwrap();
    std::fs::write(corpus.join("zz-hostile/zapiska.txt"), HOSTILE_TEXT).unwrap();
    let state = scratch.join("state");
    support::check_into_state(&corpus, &state);
    (state, corpus)
}

/// Reads a child's stderr lines on a thread, so we can wait for one with a deadline.
fn start_server(state: &Path, corpus: &Path) -> (Running, String) {
    let mut child = support::command()
        .arg("serve")
        .arg("--state")
        .arg(state)
        .arg("--corpus")
        .arg(corpus)
        .args(["--addr", "127.0.0.1:0"])
        .env_remove("PORTALCHECK_TOKEN")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = stderr_lines(&mut child);
    let line = wait_for_line(&lines, "serving on ");
    let base = line
        .split("serving on ")
        .nth(1)
        .unwrap()
        .trim()
        .trim_end_matches('/')
        .to_string();
    (Running(child), base)
}

/// A DevTools protocol session on one page of a headless Chromium.
#[test]
fn an_analyst_types_a_query_and_reads_hits_snippets_pages_and_facets() {
    let Some(binary) = chromium_or_skip() else { return };
    let scratch = tempfile::tempdir().unwrap();
    let (state, corpus) = make_state(scratch.path());
    let (_server, base) = start_server(&state, &corpus);
    let mut browser = Browser::launch(&binary);

    browser.navigate(&format!("{base}/"));
    // Autofocus is applied after the load event, on the browser's own schedule: wait for it.
    let focused = browser.eval_until("document.activeElement && document.activeElement.id", &json!("q"));
    assert_eq!(focused, json!("q"), "the search box has the focus when the page opens");
    browser.type_text("протокол испытаний");
    browser.press_enter();

    let location = browser.eval("location.search").as_str().unwrap_or_default().to_string();
    assert!(location.contains("q="), "the form was submitted: {location}");
    let page = browser.eval(
        r#"JSON.stringify({
            hits: [...document.querySelectorAll('#hits .hit')].map(h => ({
                file: h.querySelector('.file').textContent,
                page: h.querySelector('.page').textContent,
                doctype: h.dataset.doctype,
                marks: [...h.querySelectorAll('.snippet mark')].map(m => m.textContent),
            })),
            count: document.querySelector('#count').textContent,
            facets: Object.fromEntries([...document.querySelectorAll('#facets ul.facet')].map(u =>
                [u.dataset.facet, [...u.querySelectorAll('li')].map(li => [li.dataset.value, +li.querySelector('.n').textContent])])),
            html: document.documentElement.outerHTML,
        })"#,
    );
    let page: Value = serde_json::from_str(page.as_str().unwrap()).unwrap();

    let hits = page["hits"].as_array().unwrap();
    assert!(hits.len() >= 5, "hits: {hits:?}");
    for hit in hits {
        let place = hit["page"].as_str().unwrap();
        assert!(place.starts_with("стр. ") || place.starts_with("лист "), "{place}");
        assert!(!hit["doctype"].as_str().unwrap().is_empty());
        let marks: Vec<String> = hit["marks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m.as_str().unwrap().to_lowercase())
            .collect();
        assert!(
            marks
                .iter()
                .any(|m| m.starts_with("протокол") || m.starts_with("испытани")),
            "a snippet marks a matched word: {hit}"
        );
    }
    assert!(
        hits.iter().any(|h| h["doctype"] == "security_test_protocol"),
        "IB protocols are found: {hits:?}"
    );
    // Facet counts: every list counts the same matching documents, and the document count shown
    // above the hits is their total.
    let documents: u64 = page["count"]
        .as_str()
        .unwrap()
        .rsplit(' ')
        .next()
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    for facet in ["type", "body", "object"] {
        let counts = page["facets"][facet].as_array().unwrap();
        let total: u64 = counts.iter().map(|c| c[1].as_u64().unwrap()).sum();
        assert_eq!(total, documents, "facet {facet}: {counts:?}");
    }
    let protocols = page["facets"]["type"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c[0] == "security_test_protocol")
        .map(|c| c[1].as_u64().unwrap())
        .unwrap_or(0);
    assert!(
        protocols >= 10,
        "the sample has an IB protocol in most submissions: {protocols}"
    );

    // The screenshot shows the page: the first highlighted word is painted in the mark colour.
    let rect = browser.eval(
        "(() => { const r = document.querySelector('#hits mark').getBoundingClientRect(); \
         return [r.left, r.top, r.width, r.height, window.devicePixelRatio]; })()",
    );
    let rect: Vec<f64> = rect.as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    let png = browser.screenshot();
    // PORTALCHECK_SCREENSHOT=path keeps the screenshot for a person to look at.
    if let Some(path) = std::env::var_os("PORTALCHECK_SCREENSHOT") {
        std::fs::write(path, &png).unwrap();
    }
    let (width, height, pixels) = decode_png(&png);
    assert!(width >= 800 && height >= 600, "{width}×{height}");
    let scale = rect[4];
    let (x0, y0) = ((rect[0] * scale) as u32, (rect[1] * scale) as u32);
    let (x1, y1) = (
        ((rect[0] + rect[2]) * scale) as u32,
        ((rect[1] + rect[3]) * scale) as u32,
    );
    assert!(x1 > x0 && y1 > y0 && x1 <= width && y1 <= height, "mark at {rect:?}");
    let mark_colour = |p: &[u8; 3]| p[0] > 230 && (200..=245).contains(&p[1]) && p[2] < 130;
    let inside: Vec<&[u8; 3]> = (y0..y1)
        .flat_map(|y| (x0..x1).map(move |x| (x, y)))
        .map(|(x, y)| &pixels[(y * width + x) as usize])
        .collect();
    let yellow = inside.iter().filter(|p| mark_colour(p)).count();
    assert!(
        yellow * 2 > inside.len(),
        "the highlighted word is yellow on the screenshot ({yellow} of {} pixels)",
        inside.len()
    );
    let dark_text = inside.iter().filter(|p| p.iter().all(|&c| c < 100)).count();
    assert!(dark_text > 0, "the highlighted word has its letters painted");
    let elsewhere = pixels.iter().filter(|p| mark_colour(p)).count();
    assert!(elsewhere > yellow, "more than one word is highlighted on the page");
}

#[test]
fn a_document_with_markup_is_shown_as_text_and_never_runs() {
    let Some(binary) = chromium_or_skip() else { return };
    let scratch = tempfile::tempdir().unwrap();
    let (state, corpus) = make_state(scratch.path());
    let (_server, base) = start_server(&state, &corpus);
    let mut browser = Browser::launch(&binary);

    for url in [
        format!("{base}/?q=%D0%B7%D0%BB%D0%BE%D0%BD%D0%B0%D0%BC%D0%B5%D1%80%D0%B5%D0%BD%D0%BD%D1%8B%D0%B9"),
        format!("{base}/page?file=zz-hostile%2Fzapiska.txt&page=1"),
        format!("{base}/submission?id=zz-hostile"),
    ] {
        browser.navigate(&url);
        let seen = browser.eval(
            "JSON.stringify({pwned: typeof window.pwned, title: document.title, \
             scripts: document.querySelectorAll('script').length, imgs: document.querySelectorAll('img').length, \
             bolds: document.querySelectorAll('.snippet b, pre b').length, text: document.body.innerText})",
        );
        let seen: Value = serde_json::from_str(seen.as_str().unwrap()).unwrap();
        assert_eq!(seen["pwned"], "undefined", "{url}: {seen}");
        assert!(!seen["title"].as_str().unwrap().contains("pwned"), "{url}: {seen}");
        assert_eq!(seen["scripts"], 0, "{url}: no script element");
        assert_eq!(seen["imgs"], 0, "{url}: no img element");
        assert_eq!(seen["bolds"], 0, "{url}: no markup from the document");
        let text = seen["text"].as_str().unwrap();
        if !url.contains("/submission") {
            assert!(
                text.contains("<script>window.pwned = 1;"),
                "{url}: the markup is visible text: {text}"
            );
        }
    }
}

/// Follows a link as a click would, and waits for the page it opens.
fn click(browser: &mut Browser, selector: &str) {
    let expression = format!("document.querySelector({}).click()", json!(selector));
    browser.call_and_wait_for_load("Runtime.evaluate", json!({ "expression": expression }));
}

fn json_of(browser: &mut Browser, expression: &str) -> Value {
    let text = browser.eval(&format!("JSON.stringify({expression})"));
    serde_json::from_str(text.as_str().unwrap_or("null")).unwrap()
}

#[test]
fn an_analyst_filters_submissions_pages_results_reads_history_downloads_and_switches_language() {
    let Some(binary) = chromium_or_skip() else { return };
    let scratch = tempfile::tempdir().unwrap();
    let (state, corpus) = make_state(scratch.path());
    // An earlier night beside the one made: the history lists both.
    copy_tree(
        &state.join("reports").join(support::AS_OF),
        &state.join("reports").join("2026-11-01"),
    );
    let (_server, base) = start_server(&state, &corpus);
    let mut browser = Browser::launch(&binary);

    // The submissions list, then filtered by a verdict chosen in its form.
    browser.navigate(&format!("{base}/submissions"));
    let all = json_of(
        &mut browser,
        "[...document.querySelectorAll('#submissions tr[data-id]')].map(r => r.dataset.verdict)",
    );
    let verdicts: Vec<&str> = all.as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(verdicts.len() >= 10, "the sample's submissions: {verdicts:?}");
    let wanted = verdicts[0];
    browser.eval(&format!(
        "document.querySelector('#filter-verdict').value = {}",
        json!(wanted)
    ));
    browser.call_and_wait_for_load(
        "Runtime.evaluate",
        json!({"expression": "document.querySelector('#filters button').click()"}),
    );
    let filtered = json_of(
        &mut browser,
        "{search: location.search, rows: [...document.querySelectorAll('#submissions tr[data-id]')].map(r => r.dataset.verdict)}",
    );
    assert!(
        filtered["search"]
            .as_str()
            .unwrap()
            .contains(&format!("verdict={wanted}")),
        "{filtered}"
    );
    let rows = filtered["rows"].as_array().unwrap();
    assert_eq!(
        rows.len(),
        verdicts.iter().filter(|v| **v == wanted).count(),
        "{filtered}"
    );
    assert!(rows.iter().all(|v| v == wanted), "{filtered}");
    click(&mut browser, "#submissions tr[data-id] a");
    let title = browser.eval("document.querySelector('h2').textContent");
    assert!(!title.as_str().unwrap_or_default().is_empty());
    assert!(browser.eval("location.pathname") == json!("/submission"));

    // Search, page 1 then page 2 by the pager's link: other hits, the count runs on.
    browser.navigate(&format!(
        "{base}/?q=%D0%BF%D1%80%D0%BE%D1%82%D0%BE%D0%BA%D0%BE%D0%BB&limit=5"
    ));
    let hits = "{files: [...document.querySelectorAll('#hits .hit')].map(h => h.querySelector('.file').textContent + '#' + h.querySelector('.page').textContent), \
                first: document.querySelector('#showing').dataset.first, total: document.querySelector('#total').textContent}";
    let first = json_of(&mut browser, hits);
    assert_eq!(first["first"], "1", "{first}");
    let total: usize = first["total"].as_str().unwrap().parse().unwrap();
    assert!(total > 5, "more than one page of hits: {first}");
    click(&mut browser, "#pager a[rel=next]");
    let second = json_of(&mut browser, hits);
    assert_eq!(second["first"], "6", "{second}");
    assert_eq!(second["total"], first["total"]);
    let (one, two) = (first["files"].as_array().unwrap(), second["files"].as_array().unwrap());
    assert_eq!(one.len(), 5);
    assert!(
        !two.is_empty() && two.iter().all(|hit| !one.contains(hit)),
        "{first} {second}"
    );

    // The history: both nights, newest first; a night opens its summary with its files.
    browser.navigate(&format!("{base}/reports"));
    let nights = json_of(
        &mut browser,
        "[...document.querySelectorAll('#history tr[data-date]')].map(r => r.dataset.date)",
    );
    assert_eq!(nights, json!([support::AS_OF, "2026-11-01"]));
    click(&mut browser, "#history tr[data-date='2026-11-01'] a.night");
    let report = json_of(
        &mut browser,
        "{search: location.search, rows: document.querySelectorAll('#submissions tr[data-id]').length, \
          json: (document.querySelector('a.download[data-name=\"report.json\"]') || {}).href}",
    );
    assert!(
        report["search"].as_str().unwrap().contains("date=2026-11-01"),
        "{report}"
    );
    assert_eq!(report["rows"].as_u64().unwrap() as usize, verdicts.len());

    // A download: the link answers with the file, as an attachment. `fetch` is no script of ours
    // (the CSP allows none), so the test lifts the CSP for itself before asking.
    // `check --out` made these nights: report.json and the Markdown, no summary.xlsx.
    let href = report["json"].as_str().expect("the report is offered");
    let expected = std::fs::read(state.join("reports/2026-11-01/report.json")).unwrap();
    browser.call("Page.setBypassCSP", json!({"enabled": true}));
    browser.navigate(&format!("{base}/reports"));
    let fetched = browser.call(
        "Runtime.evaluate",
        json!({
            "expression": format!(
                "fetch({}).then(async r => JSON.stringify({{status: r.status, disposition: r.headers.get('content-disposition'), \
                 type: r.headers.get('content-type'), size: (await r.arrayBuffer()).byteLength}}))",
                json!(href)
            ),
            "awaitPromise": true,
            "returnByValue": true,
        }),
    );
    let fetched: Value = serde_json::from_str(fetched["result"]["value"].as_str().unwrap()).unwrap();
    assert_eq!(fetched["status"], 200, "{fetched}");
    assert!(
        fetched["disposition"]
            .as_str()
            .unwrap()
            .starts_with("attachment; filename=\"report.json\""),
        "{fetched}"
    );
    assert_eq!(fetched["type"], "application/json");
    assert_eq!(fetched["size"].as_u64().unwrap() as usize, expected.len());
    browser.call("Page.setBypassCSP", json!({"enabled": false}));

    // The language switch: Kazakh labels in place of the Russian ones, and it stays chosen.
    browser.navigate(&format!("{base}/submissions"));
    let labels = "{lang: document.documentElement.lang, text: document.body.innerText}";
    let russian = json_of(&mut browser, labels);
    assert_eq!(russian["lang"], "ru");
    assert!(russian["text"].as_str().unwrap().contains("Заявки"));
    click(&mut browser, "#lang a[data-lang=kk]");
    let kazakh = json_of(&mut browser, labels);
    assert_eq!(kazakh["lang"], "kk", "{kazakh}");
    let text = kazakh["text"].as_str().unwrap();
    for label in ["Өтінімдер", "Есептер", "Іздеу", "Шешім", "Көрсету"] {
        assert!(text.contains(label), "{label}: {text}");
    }
    for label in ["Заявки", "Отчёты", "Поиск", "Показать"] {
        assert!(!text.contains(label), "{label} is gone: {text}");
    }
    click(&mut browser, "#nav-reports");
    let history = json_of(&mut browser, labels);
    assert_eq!(history["lang"], "kk", "the choice is kept: {history}");
    assert!(
        history["text"].as_str().unwrap().contains("Күндер бойынша есептер"),
        "{history}"
    );
}
