//! Draft recommendation letters, one per submission and language: the recommendation
//! (compliance or not, the Order No. 193 p. 26 level), each missing or invalid item with the
//! paragraph it comes from, and what to submit, then every warning of the check (a letter that
//! recommends compliance lists them too). A draft: an analyst signs and sends it.

use std::fmt::Write;

use super::html::escape;
use super::text::{Label, acts, letter_conclusion, status_label};
use super::{Lang, Report, SubmissionReport};
use crate::rules::{ORDER_29, ORDER_193};

/// One item the state body must act on.
struct Item {
    title: String,
    cite: String,
    status: String,
    reason: String,
    to_submit: Option<String>,
}

struct Letter {
    heading: String,
    addressee: Option<String>,
    subject: String,
    /// The acts the letter cites, in full (their first citation).
    basis: Vec<String>,
    conclusion: String,
    items_heading: String,
    items: Vec<Item>,
    /// A sentence when there is nothing itemised to say (no card, or a criteria shortfall).
    notes: Vec<String>,
    warnings_heading: String,
    /// The warnings of the check, one sentence each.
    warnings: Vec<String>,
    footer: String,
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn letter(report: &Report, s: &SubmissionReport) -> Letter {
    let lang = report.lang;
    let name = one_line(s.name.as_deref().unwrap_or(&s.object_id));
    let items = s
        .requirements
        .iter()
        .filter(|r| !r.status.is_satisfied())
        .map(|r| Item {
            title: one_line(&r.title),
            cite: one_line(&r.cite),
            status: status_label(r.status, lang),
            reason: one_line(&r.reason),
            to_submit: r.to_submit.as_deref().map(one_line),
        })
        .collect();
    let mut notes = Vec::new();
    if s.requirements.is_empty() {
        notes.push(one_line(&s.summary));
    }
    if let Some(c) = s.criteria.as_ref().filter(|c| !c.passes) {
        notes.push(one_line(&c.reason));
    }
    let acts = &report.rules_text.acts;
    Letter {
        heading: Label::LetterHeading.get(lang).to_string(),
        addressee: s.owner.as_deref().map(one_line),
        subject: format!(
            "{} «{name}» ({}), {}",
            Label::OnTheObject.get(lang),
            one_line(&s.object_id),
            acts::paragraph(acts, ORDER_29, 5, lang)
        ),
        basis: [ORDER_29, ORDER_193].map(|act| acts::full(acts, act, lang)).to_vec(),
        conclusion: letter_conclusion(acts, s.verdict, &name, s.level, lang),
        items_heading: Label::LetterItemsHeading.get(lang).to_string(),
        items,
        notes,
        warnings_heading: Label::LetterWarningsHeading.get(lang).to_string(),
        warnings: s.warnings.iter().map(|w| one_line(&w.text)).collect(),
        footer: format!(
            "{} {} ({}).",
            Label::DraftedAsOf.get(lang),
            report.as_of.dotted(),
            Label::ToBeCheckedBeforeSending.get(lang)
        ),
    }
}

fn to_submit_label(lang: Lang) -> &'static str {
    Label::ToSubmit.get(lang)
}

/// Untrusted text must not become emphasis, links or raw HTML in a Markdown viewer.
fn md(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('*', "\\*")
        .replace('_', "\\_")
        .replace('[', "\\[")
        .replace('<', "&lt;")
}

pub fn letter_markdown(report: &Report, s: &SubmissionReport) -> String {
    let lang = report.lang;
    let l = letter(report, s);
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", md(&l.heading));
    if let Some(addressee) = &l.addressee {
        let _ = writeln!(out, "**{}:** {}\n", Label::To.get(lang), md(addressee));
    }
    let _ = writeln!(out, "**{}:** {}\n", Label::Subject.get(lang), md(&l.subject));
    let _ = writeln!(
        out,
        "**{}:** {}.\n",
        Label::LegalBasis.get(lang),
        md(&l.basis.join("; "))
    );
    let _ = writeln!(out, "{}\n", md(&l.conclusion));
    if !l.items.is_empty() {
        let _ = writeln!(out, "{}\n", md(&l.items_heading));
        for (i, item) in l.items.iter().enumerate() {
            let _ = writeln!(
                out,
                "{}. **{}** ({}) — {}. {}",
                i + 1,
                md(&item.title),
                md(&item.cite),
                md(&item.status),
                md(&item.reason)
            );
            if let Some(to_submit) = &item.to_submit {
                let _ = writeln!(out, "   {}: {}", to_submit_label(lang), md(to_submit));
            }
        }
        out.push('\n');
    }
    for note in &l.notes {
        let _ = writeln!(out, "{}\n", md(note));
    }
    if !l.warnings.is_empty() {
        let _ = writeln!(out, "{}\n", md(&l.warnings_heading));
        for warning in &l.warnings {
            let _ = writeln!(out, "- {}", md(warning));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "---\n\n_{}_", md(&l.footer));
    out
}

pub fn letter_html(report: &Report, s: &SubmissionReport) -> String {
    let lang = report.lang;
    let l = letter(report, s);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title>\
         <style>body{{font-family:serif;max-width:48em;margin:2em auto;line-height:1.45}}\
         .meta{{color:#444}}li{{margin:.4em 0}}.submit{{display:block;color:#333}}footer{{color:#666;font-size:.9em}}</style>\
         </head><body>\n<h1>{}</h1>\n",
        lang.code(),
        escape(&l.heading),
        escape(&l.heading)
    );
    if let Some(addressee) = &l.addressee {
        let _ = writeln!(
            out,
            "<p class=\"meta\"><b>{}:</b> {}</p>",
            Label::To.get(lang),
            escape(addressee)
        );
    }
    let _ = writeln!(
        out,
        "<p class=\"meta\"><b>{}:</b> {}</p>\n<p class=\"meta\"><b>{}:</b> {}.</p>\n<p>{}</p>",
        Label::Subject.get(lang),
        escape(&l.subject),
        Label::LegalBasis.get(lang),
        escape(&l.basis.join("; ")),
        escape(&l.conclusion)
    );
    if !l.items.is_empty() {
        let _ = writeln!(out, "<p>{}</p>\n<ol>", escape(&l.items_heading));
        for item in &l.items {
            let _ = write!(
                out,
                "<li><b>{}</b> ({}) — {}. {}",
                escape(&item.title),
                escape(&item.cite),
                escape(&item.status),
                escape(&item.reason)
            );
            if let Some(to_submit) = &item.to_submit {
                let _ = write!(
                    out,
                    "<span class=\"submit\">{}: {}</span>",
                    to_submit_label(lang),
                    escape(to_submit)
                );
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ol>\n");
    }
    for note in &l.notes {
        let _ = writeln!(out, "<p>{}</p>", escape(note));
    }
    if !l.warnings.is_empty() {
        let _ = writeln!(out, "<p>{}</p>\n<ul class=\"warnings\">", escape(&l.warnings_heading));
        for warning in &l.warnings {
            let _ = writeln!(out, "<li>{}</li>", escape(warning));
        }
        out.push_str("</ul>\n");
    }
    let _ = writeln!(out, "<footer><hr><p>{}</p></footer>\n</body></html>", escape(&l.footer));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate::Status;
    use crate::report::html::tests::{COMPLIES_WITH_WARNING, LOOKALIKE, by_id, nightly_with_notes};

    #[test]
    fn letters_list_the_reasons_and_every_warning() {
        for lang in [Lang::Ru, Lang::Kk, Lang::En] {
            let report = nightly_with_notes(lang).report;
            for id in [LOOKALIKE, COMPLIES_WITH_WARNING] {
                let s = by_id(&report, id);
                let markdown = letter_markdown(&report, s);
                let html = letter_html(&report, s);
                assert!(!s.warnings.is_empty());
                let heading = Label::LetterWarningsHeading.get(lang);
                assert!(markdown.contains(heading), "{lang:?} {id}");
                assert!(html.contains(&escape(heading)), "{lang:?} {id}");
                for w in &s.warnings {
                    assert!(markdown.contains(&md(&w.text)), "{lang:?} {id}: {}", w.text);
                    assert!(html.contains(&escape(&w.text)), "{lang:?} {id}: {}", w.text);
                }
                // The items to act on keep their reasons (the look-alike finding).
                for r in s.requirements.iter().filter(|r| r.status != Status::Present) {
                    assert!(markdown.contains(&md(&r.reason)), "{lang:?} {id}: {}", r.reason);
                    assert!(html.contains(&escape(&r.reason)), "{lang:?} {id}: {}", r.reason);
                }
                // The warnings come after the recommendation and the items, before the footer.
                let (conclusion, warnings, footer) = (
                    html.find(&escape(&letter_conclusion(
                        &report.rules_text.acts,
                        s.verdict,
                        &one_line(s.name.as_deref().unwrap()),
                        s.level,
                        lang,
                    ))),
                    html.find(&escape(heading)),
                    html.find("<footer>"),
                );
                assert!(conclusion.unwrap() < warnings.unwrap() && warnings.unwrap() < footer.unwrap());
                assert!(
                    !html.contains("<b>akt</b>") && !markdown.contains("<b>akt</b>"),
                    "escaped"
                );
            }
        }
        let ru = nightly_with_notes(Lang::Ru).report;
        let complies = letter_html(&ru, by_id(&ru, COMPLIES_WITH_WARNING));
        assert!(complies.contains("соответствующим архитектуре"));
        assert!(complies.contains("Кроме того, при проверке отмечено:"));
        assert!(complies.contains("Опытная эксплуатация продолжалась с 01.02.2022 по 15.03.2024"));
        let lookalike = letter_markdown(&ru, by_id(&ru, LOOKALIKE));
        assert!(lookalike.contains("Сам документ не представлен"));
        assert!(lookalike.contains("исключается из Перечня"));
        let kk = nightly_with_notes(Lang::Kk).report;
        let complies = letter_markdown(&kk, by_id(&kk, COMPLIES_WITH_WARNING));
        assert!(complies.contains("Сонымен қатар тексеру кезінде мыналар анықталды:"));
        assert!(complies.contains("Тәжірибелік пайдалану 01.02.2022 бастап 15.03.2024 дейін"));
        let lookalike = letter_html(&kk, by_id(&kk, LOOKALIKE));
        assert!(lookalike.contains("Құжаттың өзі ұсынылмаған"));
        assert!(lookalike.contains("Тізбеден алынып тасталады"));
    }
}
