//! The three languages people read our output in, and text given in all three.
//!
//! A leaf: every layer that holds or renders human-facing text names a language, so this module
//! depends on nothing (the command line keeps its own `clap` enum in `cli.rs`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    Ru,
    Kk,
    En,
}

impl Lang {
    /// The ISO 639-1 code, as HTML's `lang` attribute wants it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::Kk => "kk",
            Lang::En => "en",
        }
    }
}

/// Text in the three report languages.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    pub ru: String,
    #[serde(default)]
    pub kk: String,
    pub en: String,
}

impl Localized {
    /// The text in `lang`, falling back to Russian when a translation is missing.
    pub fn get(&self, lang: Lang) -> &str {
        let text = match lang {
            Lang::Ru => &self.ru,
            Lang::Kk => &self.kk,
            Lang::En => &self.en,
        };
        if text.is_empty() { &self.ru } else { text }
    }
}
