//! The second opinion before OCR, through the extraction worker: a page whose text layer our
//! walker garbles is read by Poppler's `pdftotext`, which the worker (under its memory and CPU
//! limits) starts as it starts `pdftoppm` and Tesseract. See `make_poppler_reads.py`.

use std::path::{Path, PathBuf};

use portalcheck::extract::isolate::WorkerPool;
use portalcheck::extract::{Isolation, Limits, OcrSettings, extract_file};

mod support;

use support::which;

/// Extracts `file` in a worker of the built binary, as the binary does, with only `pdftotext`
/// as outside tool; the [`Extracted`](portalcheck::extract::Extracted) as the JSON it travels in.
fn worker(file: &Path, text_reader: Option<&Path>) -> serde_json::Value {
    let limits = Limits {
        max_file_bytes: 10 * 1024 * 1024,
        max_seconds: 60,
        isolation: Isolation::Worker(WorkerPool::new(PathBuf::from(env!("CARGO_BIN_EXE_portalcheck")))),
        ocr: OcrSettings {
            text_reader: text_reader.map(Path::to_path_buf),
            ..OcrSettings::disabled()
        },
        ..Limits::without_ocr()
    };
    serde_json::to_value(extract_file(file, &limits)).unwrap()
}

fn fixture() -> PathBuf {
    support::root().join("tests/fixtures/extract/poppler_reads.pdf")
}

#[test]
fn the_worker_asks_pdftotext_before_ocr() {
    let Some(pdftotext) = which("pdftotext") else {
        eprintln!("pdftotext is not installed; skipped");
        return;
    };
    let got = worker(&fixture(), Some(&pdftotext));
    assert_eq!(got["status"], "ok", "{got}");
    let reason = got["reason"].as_str().unwrap_or_default();
    assert!(reason.starts_with("page 2 read by Poppler (pdftotext)"), "{reason}");
    let page = got["pages"][1]["text"].as_str().unwrap_or_default();
    assert!(page.starts_with("Акт ввода в промышленную эксплуатацию"), "{page}");
}

#[test]
fn the_worker_without_pdftotext_leaves_the_page_out() {
    let got = worker(&fixture(), None);
    assert_eq!(got["status"], "ok", "{got}");
    assert_eq!(got["pages"][1]["text"], "");
    let reason = got["reason"].as_str().unwrap_or_default();
    assert!(reason.starts_with("page 2 text layer is unreadable"), "{reason}");
}

#[test]
fn extract_json_names_the_method() {
    if which("pdftotext").is_none() {
        eprintln!("pdftotext is not installed; skipped");
        return;
    }
    let output = support::command()
        .args(["extract", "--json"])
        .arg(fixture())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let got: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let methods: Vec<&str> = got["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|page| page["method"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(methods, ["text_layer", "text_layer_poppler"], "{got}");
}
