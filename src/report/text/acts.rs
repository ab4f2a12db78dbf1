//! Citations of the legal acts (`schemas/acts.toml`): a paragraph of an act, and an act in full.
//! The act's number, date and issuer are data; only the paragraph grammar of each language is
//! here.

use super::{Lang, pick};
use crate::rules::Act;

/// "п. 5 Правил, утв. приказом № 29" / "№ 29 бұйрықпен бекітілген Қағидалардың 5-тармағы" /
/// "Order No. 29 Rules, p. 5".
pub fn paragraph(acts: &[Act], act: &str, paragraph: u32, lang: Lang) -> String {
    let short = find(acts, act).short.get(lang);
    pick(
        lang,
        format!("п. {paragraph} {short}"),
        format!("{short} {paragraph}-тармағы"),
        format!("{short}, p. {paragraph}"),
    )
}

/// "пп. 1) п. 6 Правил, утв. приказом № 29" / "… 6-тармағының 1) тармақшасы" /
/// "Order No. 29 Rules, p. 6(1)".
pub fn subparagraph(acts: &[Act], act: &str, paragraph: u32, sub: u32, lang: Lang) -> String {
    let short = find(acts, act).short.get(lang);
    pick(
        lang,
        format!("пп. {sub}) п. {paragraph} {short}"),
        format!("{short} {paragraph}-тармағының {sub}) тармақшасы"),
        format!("{short}, p. {paragraph}({sub})"),
    )
}

/// "приложение 2 к Правилам, утв. приказом № 29" / "№ 29 бұйрықпен бекітілген Қағидалардың
/// 2-қосымшасы" / "Order No. 29 Rules, Appendix 2": nominative, for a parenthesis.
pub fn appendix(acts: &[Act], act: &str, appendix: u32, lang: Lang) -> String {
    let act = find(acts, act);
    pick(
        lang,
        format!("приложение {appendix} к Правилам, утв. приказом № {}", act.number),
        format!("{} {appendix}-қосымшасы", act.short.get(lang)),
        format!("{}, Appendix {appendix}", act.short.get(lang)),
    )
}

/// The act in full: title, issuer, date, number and registration, as the first citation in a
/// letter gives it.
pub fn full(acts: &[Act], act: &str, lang: Lang) -> String {
    find(acts, act).full.get(lang).to_string()
}

/// One of the acts the code cites by id (`crate::rules::ORDER_29`, …): loading the rules fails
/// without them, so the lookup cannot miss.
fn find<'a>(acts: &'a [Act], id: &str) -> &'a Act {
    acts.iter()
        .find(|a| a.id == id)
        .unwrap_or_else(|| panic!("acts.toml defines every act the reports cite, not `{id}`"))
}
