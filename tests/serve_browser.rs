//! End to end in a real browser: `portalcheck serve` on a loopback port, headless Chromium driven
//! over the DevTools protocol (a WebSocket): it focuses the search box, *types* the query key by
//! key and presses Enter, as an analyst would; the test then reads the results page from the DOM
//! and from a screenshot. A second test opens a document that contains `<script>` and checks that
//! it is shown as text and never runs.
//!
//! Skips (with a message) only when no Chromium is installed; CI installs `chromium`.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

mod support;

use support::{copy_tree, root};

const HOSTILE_TEXT: &str = "Служебная записка о проверке.\n<script>window.pwned = 1; document.title = 'pwned'</script>\n\
злонамеренный текст <img src=x onerror=\"window.pwned = 2\"> и <b>жирный</b> конец.\n";
const TIMEOUT: Duration = Duration::from_secs(60);

fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser", "google-chrome"].map(|name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Kills the child when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

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
fn stderr_lines(child: &mut Child) -> mpsc::Receiver<String> {
    let stderr = child.stderr.take().unwrap();
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                break;
            }
        }
    });
    receive
}

fn wait_for_line(lines: &mpsc::Receiver<String>, marker: &str) -> String {
    let deadline = Instant::now() + TIMEOUT;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match lines.recv_timeout(left) {
            Ok(line) if line.contains(marker) => return line,
            Ok(_) => continue,
            Err(_) => break,
        }
    }
    panic!("no line containing `{marker}` in time");
}

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
struct Browser {
    _process: Running,
    _profile: tempfile::TempDir,
    socket: WebSocket<MaybeTlsStream<TcpStream>>,
    session: String,
    next_id: u64,
}

impl Browser {
    fn launch(binary: &Path) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new(binary)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--remote-debugging-port=0",
                "--window-size=1280,900",
                "--hide-scrollbars",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = stderr_lines(&mut child);
        let process = Running(child);
        let line = wait_for_line(&lines, "DevTools listening on ");
        let url = line.split("DevTools listening on ").nth(1).unwrap().trim().to_string();
        let (socket, _) = tungstenite::connect(url.as_str()).unwrap();
        if let MaybeTlsStream::Plain(stream) = socket.get_ref() {
            stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        }
        let mut browser = Browser {
            _process: process,
            _profile: profile,
            socket,
            session: String::new(),
            next_id: 0,
        };
        let target = browser.call("Target.createTarget", json!({"url": "about:blank"}));
        let target_id = target["targetId"].as_str().unwrap().to_string();
        let attached = browser.call("Target.attachToTarget", json!({"targetId": target_id, "flatten": true}));
        browser.session = attached["sessionId"].as_str().unwrap().to_string();
        browser.call("Page.enable", json!({}));
        browser
    }

    fn send(&mut self, method: &str, params: Value) -> u64 {
        self.next_id += 1;
        let mut message = json!({"id": self.next_id, "method": method, "params": params});
        if !self.session.is_empty() {
            message["sessionId"] = json!(self.session);
        }
        self.socket.send(Message::Text(message.to_string().into())).unwrap();
        self.next_id
    }

    fn read(&mut self) -> Value {
        let message = self.socket.read().expect("Chromium answers in time");
        match message {
            Message::Text(text) => serde_json::from_str(text.as_str()).unwrap(),
            _ => Value::Null,
        }
    }

    fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.send(method, params);
        loop {
            let message = self.read();
            if message["id"].as_u64() == Some(id) {
                assert!(message.get("error").is_none(), "{method}: {message}");
                return message["result"].clone();
            }
        }
    }

    /// Sends a command that makes the page load, and waits for the load to finish.
    fn call_and_wait_for_load(&mut self, method: &str, params: Value) {
        let id = self.send(method, params);
        let (mut answered, mut loaded) = (false, false);
        while !(answered && loaded) {
            let message = self.read();
            answered |= message["id"].as_u64() == Some(id);
            loaded |= message["method"] == "Page.loadEventFired";
        }
    }

    fn navigate(&mut self, url: &str) {
        self.call_and_wait_for_load("Page.navigate", json!({"url": url}));
    }

    fn eval(&mut self, expression: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true}),
        );
        result["result"]["value"].clone()
    }

    /// Evaluates `expression` until it gives `wanted` or 5 s have passed; returns the last value.
    fn eval_until(&mut self, expression: &str, wanted: &Value) -> Value {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let value = self.eval(expression);
            if &value == wanted || Instant::now() >= deadline {
                return value;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            let key = c.to_string();
            self.call(
                "Input.dispatchKeyEvent",
                json!({"type": "keyDown", "text": key, "key": key}),
            );
            self.call("Input.dispatchKeyEvent", json!({"type": "keyUp", "key": key}));
        }
    }

    fn press_enter(&mut self) {
        self.call(
            "Input.dispatchKeyEvent",
            json!({"type": "rawKeyDown", "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13}),
        );
        // The form submits on the char event; the page load follows.
        self.call_and_wait_for_load(
            "Input.dispatchKeyEvent",
            json!({"type": "char", "text": "\r", "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13}),
        );
        self.call(
            "Input.dispatchKeyEvent",
            json!({"type": "keyUp", "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13}),
        );
    }

    fn screenshot(&mut self) -> Vec<u8> {
        let shot = self.call("Page.captureScreenshot", json!({"format": "png"}));
        base64_decode(shot["data"].as_str().unwrap())
    }
}

fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let bytes: Vec<u8> = text
        .bytes()
        .filter(|&c| c != b'=' && !c.is_ascii_whitespace())
        .collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= u32::from(value(c)) << (18 - 6 * i);
        }
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

/// RGB pixels of a PNG screenshot.
fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<[u8; 3]>) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut buffer).unwrap();
    let channels = frame.color_type.samples();
    let pixels = buffer[..frame.buffer_size()]
        .chunks(channels)
        .map(|p| {
            if channels >= 3 {
                [p[0], p[1], p[2]]
            } else {
                [p[0], p[0], p[0]]
            }
        })
        .collect();
    (frame.width, frame.height, pixels)
}

macro_rules! require_chromium {
    () => {
        match chromium() {
            Some(path) => path,
            None => {
                eprintln!(
                    "SKIPPED: chromium is not installed (apt-get install chromium); the browser test did not run"
                );
                return;
            }
        }
    };
}

#[test]
fn an_analyst_types_a_query_and_reads_hits_snippets_pages_and_facets() {
    let binary = require_chromium!();
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
                doctype: h.querySelector('.doctype').textContent,
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
    let binary = require_chromium!();
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
