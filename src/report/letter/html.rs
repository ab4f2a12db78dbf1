//! A letter as a printable HTML page: A4 with the margins of official correspondence, one
//! `<style>` of its own, no script, every text escaped. Placeholders are highlighted on screen;
//! the notes for the analyst are not printed.

use std::fmt::Write;

use super::{Block, Letter, Line, Span};
use crate::report::escape;
use crate::report::{Report, SubmissionReport};

const STYLE: &str = "@page{size:A4;margin:20mm 10mm 20mm 30mm}\
body{font-family:'Times New Roman',Times,serif;font-size:14pt;line-height:1.25;color:#000;background:#fff;max-width:170mm;margin:1em auto;padding:0 1em}\
.head{display:flex;justify-content:space-between;gap:2em;margin-bottom:1.5em}\
.sender{max-width:50%}.sender p:first-child{font-weight:bold}\
.addressee{max-width:45%;font-weight:bold;text-align:left}\
.head p{margin:0 0 .3em}\
.subject{font-style:italic;max-width:55%;margin:1em 0}\
.basis{font-size:11pt;margin:0 0 1em}.basis p{margin:0 0 .2em}\
.greeting{text-align:center;margin:1em 0}\
.body p,.body li{text-align:justify;margin:0 0 .5em}.body>p{text-indent:1.25cm}\
.signature{display:flex;justify-content:space-between;font-weight:bold;margin-top:2.5em}\
.executor{font-size:10pt;margin-top:3em}\
.fill{background:#fff59d}\
.notes{border:1px dashed #888;padding:.5em 1em;margin-top:2em;font-size:11pt;color:#333}\
@media print{.notes{display:none}.fill{background:none}body{margin:0;max-width:none;padding:0}}";

fn line(out: &mut String, line: &Line) {
    for span in &line.0 {
        match span {
            Span::Text(text) => out.push_str(&escape(text)),
            Span::Fill(text) => {
                let _ = write!(out, "<span class=\"fill\">{}</span>", escape(text));
            }
            Span::Break => out.push_str("<br>"),
        }
    }
}

fn paragraph(out: &mut String, class: &str, content: &Line) {
    let _ = write!(out, "<p class=\"{class}\">");
    line(out, content);
    out.push_str("</p>\n");
}

pub fn render(l: &Letter) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body>\n<div class=\"head\"><div class=\"sender\">",
        l.lang.code(),
        escape(&l.title)
    );
    for sender in &l.sender {
        paragraph(&mut out, "from", sender);
    }
    paragraph(&mut out, "outgoing", &l.outgoing);
    out.push_str("</div><div class=\"addressee\">");
    paragraph(&mut out, "to", &l.addressee);
    out.push_str("</div></div>\n");
    let _ = writeln!(out, "<p class=\"subject\">{}</p>", escape(&l.subject));
    let _ = write!(out, "<div class=\"basis\"><p>{}</p>", escape(&l.basis_heading));
    for act in &l.basis {
        let _ = write!(out, "<p>{}</p>", escape(act));
    }
    out.push_str("</div>\n");
    paragraph(&mut out, "greeting", &l.greeting);
    out.push_str("<div class=\"body\">\n");
    for block in &l.body {
        match block {
            Block::Paragraph(content) => {
                out.push_str("<p>");
                line(&mut out, content);
                out.push_str("</p>\n");
            }
            Block::Numbered(items) | Block::Bulleted(items) => {
                let tag = if matches!(block, Block::Numbered(_)) {
                    "ol"
                } else {
                    "ul"
                };
                let _ = write!(out, "<{tag}>");
                for item in items {
                    out.push_str("<li>");
                    line(&mut out, item);
                    out.push_str("</li>\n");
                }
                let _ = writeln!(out, "</{tag}>");
            }
        }
    }
    out.push_str("</div>\n<div class=\"signature\"><span class=\"position\">");
    line(&mut out, &l.signatory_position);
    out.push_str("</span><span class=\"signatory\">");
    line(&mut out, &l.signatory_name);
    out.push_str("</span></div>\n");
    paragraph(&mut out, "executor", &l.executor);
    let _ = write!(out, "<div class=\"notes\"><p>{}</p><ul>", escape(&l.notes_heading));
    for note in &l.notes {
        let _ = write!(out, "<li>{}</li>", escape(note));
    }
    out.push_str("</ul></div>\n</body></html>\n");
    out
}

/// The letter of `kind` for one submission, as printable HTML.
pub fn letter_html(report: &Report, s: &SubmissionReport, kind: super::LetterKind) -> String {
    render(&super::letter(report, s, kind))
}
