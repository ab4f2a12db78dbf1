//! Fidelity: every file of `corpora/fidelity/` is read through `portalcheck extract --json`, and
//! the share of its true text's words found in what we read (word recall) must reach the bar
//! `manifest.toml` sets for it. A file that cannot be read must say why with its status.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

mod support;

#[derive(Deserialize)]
struct Manifest {
    file: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    path: String,
    producer: String,
    truth: String,
    status: String,
    #[serde(default)]
    ocr: bool,
    min_recall: Option<f64>,
}

#[derive(Deserialize)]
struct ExtractView {
    status: String,
    reason: Option<String>,
    pages: Vec<PageView>,
}

#[derive(Deserialize)]
struct PageView {
    text: String,
}

fn fidelity_dir() -> PathBuf {
    support::root().join("corpora/fidelity")
}

fn extract(path: &Path) -> ExtractView {
    let output = support::command()
        .args(["extract", "--json"])
        .arg(path)
        .output()
        .expect("portalcheck runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("extract --json prints JSON")
}

/// Words as runs of letters and digits, lower-cased: punctuation and line breaks do not count,
/// but a word split in two ("инф ормации") or glued to its neighbour is lost.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Share of the true words (with multiplicity) that the extracted text holds.
fn word_recall(truth: &str, extracted: &str) -> (f64, Vec<String>) {
    let mut available: HashMap<String, usize> = HashMap::new();
    for word in words(extracted) {
        *available.entry(word).or_default() += 1;
    }
    let truth_words = words(truth);
    let mut missed = Vec::new();
    for word in &truth_words {
        match available.get_mut(word) {
            Some(count) if *count > 0 => *count -= 1,
            _ => missed.push(word.clone()),
        }
    }
    let found = truth_words.len() - missed.len();
    (found as f64 / truth_words.len().max(1) as f64, missed)
}

/// OCR of scans needs Tesseract; OCR of pages with an unreadable text layer also needs
/// Poppler's `pdftoppm` to render them. `.ci/run` installs both.
fn ocr_installed() -> bool {
    let runs = |program: &str| {
        Command::new(program)
            .arg("-v")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    runs("tesseract") && runs("pdftoppm")
}

#[test]
fn word_recall_meets_the_bar_on_every_fidelity_file() {
    let dir = fidelity_dir();
    let manifest: Manifest =
        toml::from_str(&std::fs::read_to_string(dir.join("manifest.toml")).unwrap()).expect("manifest parses");
    let ocr = ocr_installed();
    let mut failures = Vec::new();
    println!("{:<30} {:<10} {:>7}  producer", "file", "status", "recall");
    for entry in &manifest.file {
        let truth = std::fs::read_to_string(dir.join(&entry.truth)).unwrap();
        let view = extract(&dir.join(&entry.path));
        let text: Vec<&str> = view.pages.iter().map(|page| page.text.as_str()).collect();
        let (recall, missed) = word_recall(&truth, &text.join("\n"));
        println!(
            "{:<30} {:<10} {:>6.1}%  {}",
            entry.path,
            view.status,
            recall * 100.0,
            entry.producer
        );
        let reason = view.reason.clone().unwrap_or_default();
        if entry.ocr && !ocr {
            // Without Tesseract a scan must say so, never pass for an empty document.
            if view.status != "no_text" || !reason.contains("apt-get install tesseract-ocr") {
                failures.push(format!(
                    "{}: without Tesseract got {} ({reason})",
                    entry.path, view.status
                ));
            }
            continue;
        }
        if view.status != entry.status {
            failures.push(format!(
                "{}: status {} ({reason}), expected {}",
                entry.path, view.status, entry.status
            ));
            continue;
        }
        if view.status != "ok" && view.status != "ocr" && reason.is_empty() {
            failures.push(format!("{}: status {} without a reason", entry.path, view.status));
        }
        if let Some(bar) = entry.min_recall
            && recall < bar
        {
            let sample: Vec<&String> = missed.iter().take(12).collect();
            failures.push(format!(
                "{}: word recall {:.1}% below {:.1}%; missed {sample:?}",
                entry.path,
                recall * 100.0,
                bar * 100.0
            ));
        }
    }
    assert!(failures.is_empty(), "fidelity failures:\n{}", failures.join("\n"));
}

#[test]
fn kazakh_letters_survive_every_digital_producer() {
    let dir = fidelity_dir();
    for name in [
        "libreoffice.pdf",
        "ghostscript.pdf",
        "form_xobject.pdf",
        "cairo_identity_h.pdf",
        "fpdf2_identity_h.pdf",
        "libreoffice.docx",
        "libreoffice.odt",
    ] {
        let view = extract(&dir.join(name));
        let text: String = view.pages.iter().map(|page| page.text.as_str()).collect();
        for letter in ['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ', 'і', 'Һ', 'Ө', 'Ұ'] {
            assert!(text.contains(letter), "{name}: Kazakh letter {letter} lost");
        }
        assert!(text.contains("өнеркәсіптік") || text.contains("Өнеркәсіптік"), "{name}");
    }
}

#[test]
fn recall_counts_split_and_glued_words_as_lost() {
    let (recall, missed) = word_recall("информации о системе", "инф ормации о системе");
    assert!((recall - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(missed, vec!["информации".to_string()]);
    let (recall, _) = word_recall("акт ввода", "актввода");
    assert_eq!(recall, 0.0);
}
