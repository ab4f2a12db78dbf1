//! How a document gets its type: the title block decides, and a decision can overrule the title.
//!
//! `cargo run --release --example classify` classifies three short texts with the shipped rules.
//! The patterns are not in Rust: they are `[[doctype]]` entries in `schemas/doctypes.toml`, so a
//! new way of titling a document is a change there, not here.

use portalcheck::extract::Page;
use portalcheck::recognize::{NormalizedDoc, classify};
use portalcheck::rules::Rules;

fn main() -> anyhow::Result<()> {
    let rules = Rules::embedded()?;
    let texts = [
        // A commissioning act: its title block says what it is.
        "АКТ № 14\nо вводе в промышленную эксплуатацию информационной системы «Реестр»",
        // Terms of reference that only *mention* the act in their body: the title wins.
        "ТЕХНИЧЕСКОЕ ЗАДАНИЕ\nна создание информационной системы «Реестр»\n\n\
         5. По итогам испытаний оформляется акт ввода в промышленную эксплуатацию.",
        // The same title, but the decision refuses: the document is what its decision says.
        "АКТ\nо вводе в промышленную эксплуатацию информационной системы «Реестр»\n\n\
         РЕШЕНИЕ: отказать во вводе в промышленную эксплуатацию.",
    ];
    for text in texts {
        let page = Page {
            number: 1,
            name: None,
            text: text.to_string(),
            ocr: false,
            doubtful_words: Vec::new(),
        };
        let classification = classify(&rules, &NormalizedDoc::new(&[page]));
        let first_line = text.lines().next().unwrap_or_default();
        println!("{first_line:<24} → {}", classification.doc_type);
    }
    Ok(())
}
