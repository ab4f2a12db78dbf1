//! A letter as DOCX, for officials who edit in Word: A4, Times New Roman 14, the margins of
//! official correspondence; placeholders highlighted yellow; the notes for the analyst last, in
//! grey. Written through docx-rs, never as hand-made XML.

use docx_rs::{
    AlignmentType, BreakType, Docx, LineSpacing, PageMargin, Paragraph, Run, RunFonts, SpecialIndentType, Tab,
    TabValueType,
};

use super::{Block, Letter, Line, Span};
use crate::report::{Report, SubmissionReport};

/// Twentieths of a point: A4 and its margins (30 mm left, 10 mm right, 20 mm top and bottom).
const A4: (u32, u32) = (11906, 16838);
const MARGINS: (i32, i32, i32, i32) = (1134, 567, 1134, 1701);
/// The right edge of the text, for the signatory's name.
const RIGHT_TAB: usize = 9638;
/// Half-points.
const BODY_SIZE: usize = 28;
const SMALL_SIZE: usize = 20;
const FONT: &str = "Times New Roman";

fn runs(mut paragraph: Paragraph, line: &Line, size: usize, bold: bool) -> Paragraph {
    for span in &line.0 {
        let run = match span {
            Span::Text(text) => Run::new().add_text(text),
            Span::Fill(text) => Run::new().add_text(text).highlight("yellow"),
            Span::Break => Run::new().add_break(BreakType::TextWrapping),
        };
        let run = run.size(size);
        paragraph = paragraph.add_run(if bold { run.bold() } else { run });
    }
    paragraph
}

fn para(line: &Line) -> Paragraph {
    runs(Paragraph::new(), line, BODY_SIZE, false)
}

fn spaced(paragraph: Paragraph, after: u32) -> Paragraph {
    paragraph.line_spacing(LineSpacing::new().after(after))
}

/// The body's paragraph: justified, first line indented 1.25 cm.
fn body_paragraph(line: &Line) -> Paragraph {
    spaced(
        para(line)
            .align(AlignmentType::Both)
            .indent(None, Some(SpecialIndentType::FirstLine(709)), None, None),
        120,
    )
}

fn list_item(marker: &str, line: &Line) -> Paragraph {
    let marked = Line(
        std::iter::once(Span::Text(format!("{marker} ")))
            .chain(line.0.iter().cloned())
            .collect(),
    );
    spaced(
        para(&marked)
            .align(AlignmentType::Both)
            .indent(Some(709), Some(SpecialIndentType::Hanging(425)), None, None),
        80,
    )
}

pub fn render(l: &Letter) -> Result<Vec<u8>, String> {
    let fonts = RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT).east_asia(FONT);
    let (top, right, bottom, left) = MARGINS;
    let mut doc = Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(PageMargin::new().top(top).right(right).bottom(bottom).left(left))
        .default_fonts(fonts)
        .default_size(BODY_SIZE);
    for (i, sender) in l.sender.iter().enumerate() {
        doc = doc.add_paragraph(runs(Paragraph::new(), sender, BODY_SIZE, i == 0));
    }
    doc = doc.add_paragraph(spaced(para(&l.outgoing), 240));
    // The addressee on the right half, as official letters place it.
    doc = doc.add_paragraph(spaced(
        runs(Paragraph::new(), &l.addressee, BODY_SIZE, true).indent(Some(4820), None, None, None),
        240,
    ));
    doc = doc.add_paragraph(spaced(
        Paragraph::new().add_run(Run::new().add_text(&l.subject).italic().size(BODY_SIZE)),
        120,
    ));
    doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_text(&l.basis_heading).size(SMALL_SIZE + 2)));
    for act in &l.basis {
        doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_text(act).size(SMALL_SIZE + 2)));
    }
    doc = doc.add_paragraph(spaced(para(&l.greeting).align(AlignmentType::Center), 120));
    for block in &l.body {
        match block {
            Block::Paragraph(line) => doc = doc.add_paragraph(body_paragraph(line)),
            Block::Numbered(items) => {
                for (i, item) in items.iter().enumerate() {
                    doc = doc.add_paragraph(list_item(&format!("{}.", i + 1), item));
                }
            }
            Block::Bulleted(items) => {
                for item in items {
                    doc = doc.add_paragraph(list_item("–", item));
                }
            }
        }
    }
    let signature = runs(
        Paragraph::new().add_tab(Tab::new().val(TabValueType::Right).pos(RIGHT_TAB)),
        &l.signatory_position,
        BODY_SIZE,
        true,
    )
    .add_run(Run::new().add_tab());
    doc = doc.add_paragraph(Paragraph::new());
    doc = doc.add_paragraph(runs(signature, &l.signatory_name, BODY_SIZE, true));
    doc = doc.add_paragraph(Paragraph::new());
    doc = doc.add_paragraph(runs(Paragraph::new(), &l.executor, SMALL_SIZE, false));
    doc = doc.add_paragraph(Paragraph::new());
    doc = doc.add_paragraph(
        Paragraph::new().add_run(
            Run::new()
                .add_text(&l.notes_heading)
                .size(SMALL_SIZE)
                .bold()
                .color("666666"),
        ),
    );
    for note in &l.notes {
        doc = doc.add_paragraph(
            Paragraph::new().add_run(
                Run::new()
                    .add_text(format!("– {note}"))
                    .size(SMALL_SIZE)
                    .color("666666"),
            ),
        );
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut bytes).map_err(|e| e.to_string())?;
    Ok(bytes.into_inner())
}

/// The letter of `kind` for one submission, as DOCX bytes.
pub fn letter_docx(report: &Report, s: &SubmissionReport, kind: super::LetterKind) -> Result<Vec<u8>, String> {
    render(&super::letter(report, s, kind))
}
