//! A letter as Markdown: the same model, for a quick look in a terminal or a merge request.

use std::fmt::Write;

use super::{Block, Letter, Line, Span};
use crate::report::text::Label;
use crate::report::{Report, SubmissionReport};

/// Untrusted text must not become emphasis, links or raw HTML in a Markdown viewer.
fn md(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('*', "\\*")
        .replace('_', "\\_")
        .replace('[', "\\[")
        .replace('<', "&lt;")
}

/// Placeholders in bold, so they stand out; a break within an item keeps its indent.
fn line(l: &Line, indent: &str) -> String {
    l.0.iter()
        .map(|span| match span {
            Span::Text(text) => md(text),
            Span::Fill(text) => format!("**{}**", md(text)),
            Span::Break => format!("  \n{indent}"),
        })
        .collect()
}

pub fn render(l: &Letter) -> String {
    let mut out = String::new();
    for sender in &l.sender {
        let _ = writeln!(out, "{}  ", line(sender, ""));
    }
    let _ = writeln!(out, "{}\n", line(&l.outgoing, ""));
    let _ = writeln!(out, "> **{}**\n", line(&l.addressee, ""));
    let _ = writeln!(out, "**{}:** _{}_\n", Label::Subject.get(l.lang), md(&l.subject));
    let _ = writeln!(out, "{}\n", md(&l.basis_heading));
    for act in &l.basis {
        let _ = writeln!(out, "- {}", md(act));
    }
    let _ = writeln!(out, "\n{}\n", line(&l.greeting, ""));
    for block in &l.body {
        match block {
            Block::Paragraph(content) => {
                let _ = writeln!(out, "{}\n", line(content, ""));
            }
            Block::Numbered(items) => {
                for (i, item) in items.iter().enumerate() {
                    let _ = writeln!(out, "{}. {}", i + 1, line(item, "   "));
                }
                out.push('\n');
            }
            Block::Bulleted(items) => {
                for item in items {
                    let _ = writeln!(out, "- {}", line(item, "  "));
                }
                out.push('\n');
            }
        }
    }
    let _ = writeln!(
        out,
        "{} — {}\n",
        line(&l.signatory_position, ""),
        line(&l.signatory_name, "")
    );
    let _ = writeln!(out, "{}\n\n---\n", line(&l.executor, ""));
    let _ = writeln!(out, "_{}_\n", md(&l.notes_heading));
    for note in &l.notes {
        let _ = writeln!(out, "- {}", md(note));
    }
    out
}

/// The letter of `kind` for one submission, as Markdown.
pub fn letter_markdown(report: &Report, s: &SubmissionReport, kind: super::LetterKind) -> String {
    render(&super::letter(report, s, kind))
}
