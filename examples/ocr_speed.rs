//! OCR with the model kept loaded, against the `tesseract` command, on the same images.
//!
//! `cargo run --release --example ocr_speed -- IMAGE...` reads each image twice: with
//! `extract::ocr_image`, which hands it to libtesseract inside this process (the model is loaded
//! by the first page and kept), and with `OMP_THREAD_LIMIT=1 tesseract IMAGE stdout -l LANG
//! --psm 3`, which loads the model for every page. It prints the milliseconds of each and
//! whether the words agree. A blank page costs the command a model load; here it costs a look at
//! the pixels (the blank-page test), since nothing stands out of the paper.

use std::process::Command;
use std::time::Instant;

use portalcheck::extract::{OcrSettings, library_engine, ocr_image};

fn main() -> anyhow::Result<()> {
    let settings = OcrSettings::detect();
    let Some(tesseract) = settings.tesseract.clone() else {
        anyhow::bail!("Tesseract with a Cyrillic or Russian model is not installed");
    };
    let engine = library_engine(&settings).unwrap_or_else(|| "none: the command is used".into());
    println!("language {}, libtesseract {engine}", settings.language);
    println!("{:<40} {:>9} {:>9} {:>6}  words", "image", "ours ms", "cli ms", "ratio");
    let (mut ours_total, mut cli_total) = (0.0, 0.0);
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path)?;
        let ext = path.rsplit('.').next().unwrap_or("png");
        let started = Instant::now();
        let ours = ocr_image(&settings, &bytes, ext)?;
        let ours_ms = started.elapsed().as_secs_f64() * 1000.0;

        let started = Instant::now();
        let output = Command::new(&tesseract)
            .arg(&path)
            .arg("stdout")
            .args(["-l", &settings.language, "--psm", "3"])
            .env("OMP_THREAD_LIMIT", "1")
            .output()?;
        let cli_ms = started.elapsed().as_secs_f64() * 1000.0;
        let cli = String::from_utf8_lossy(&output.stdout);

        let words = |text: &str| text.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        let (ours_words, cli_words) = (words(&ours.text), words(&cli));
        let agreement = if ours_words == cli_words {
            format!("same {}", ours_words.len())
        } else {
            format!("ours {} / cli {}", ours_words.len(), cli_words.len())
        };
        println!(
            "{path:<40} {ours_ms:>9.0} {cli_ms:>9.0} {:>6.2}  {agreement}",
            ours_ms / cli_ms
        );
        ours_total += ours_ms;
        cli_total += cli_ms;
    }
    println!(
        "{:<40} {ours_total:>9.0} {cli_total:>9.0} {:>6.2}",
        "total",
        ours_total / cli_total
    );
    Ok(())
}
