//! Word-processor documents: DOCX (WordprocessingML) and ODT (OpenDocument text), read straight
//! from their XML parts.
//!
//! Neither format stores pages. We split on explicit page breaks (and the breaks the authoring
//! application recorded at its last layout), so page numbers are approximate but stable.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::error::ExtractError;
use super::xml::{self, Depth};
use super::{Page, Parsed, zipped};

// ---------------------------------------------------------------------------------------------
// Shared: text split into pages, with table layout

/// Text accumulated page by page. Tables come out as one line per row, cells separated by tabs.
#[derive(Debug, Default)]
struct PagedText {
    pages: Vec<String>,
    current: String,
    table_cells_open: usize,
}

impl PagedText {
    fn push(&mut self, text: &str) {
        self.current.push_str(text);
    }

    /// Starts a new page, unless nothing has been written on the current one (a break right
    /// after another break, or at the top of the document, makes no empty page).
    fn page_break(&mut self) {
        if !self.current.trim().is_empty() {
            self.pages.push(std::mem::take(&mut self.current));
        }
    }

    fn paragraph_end(&mut self) {
        if self.table_cells_open > 0 {
            // Paragraphs inside a cell stay on the row's line.
            if !self.current.is_empty() && !self.current.ends_with([' ', '\t', '\n']) {
                self.current.push(' ');
            }
        } else if !self.current.is_empty() {
            // A paragraph whose page break came mid-paragraph ends on the new, still empty page:
            // its line end belongs to the previous page, where it was already implied.
            self.current.push('\n');
        }
    }

    fn cell_start(&mut self) {
        self.table_cells_open += 1;
    }

    fn cell_end(&mut self) {
        self.table_cells_open = self.table_cells_open.saturating_sub(1);
        let trimmed = self.current.trim_end_matches(' ').len();
        self.current.truncate(trimmed);
        self.current.push('\t');
    }

    fn row_end(&mut self) {
        if self.current.ends_with('\t') {
            self.current.pop();
        }
        self.paragraph_end_outside_cells();
    }

    fn paragraph_end_outside_cells(&mut self) {
        if self.table_cells_open > 0 {
            self.paragraph_end();
        } else if !self.current.ends_with('\n') {
            self.current.push('\n');
        }
    }

    fn finish(mut self) -> Vec<String> {
        if !self.current.trim().is_empty() || self.pages.is_empty() {
            self.pages.push(self.current);
        }
        self.pages
    }
}

/// Adds header text to the first page and footer text to the last, then numbers the pages.
pub(crate) fn assemble(body: Vec<String>, top: &str, bottom: &str) -> Vec<Page> {
    let mut texts = body;
    if texts.is_empty() {
        texts.push(String::new());
    }
    if !top.trim().is_empty() {
        texts[0] = format!("{}\n{}", top.trim_end(), texts[0]);
    }
    if !bottom.trim().is_empty()
        && let Some(last) = texts.last_mut()
    {
        if !last.ends_with('\n') {
            last.push('\n');
        }
        last.push_str(bottom.trim_end());
        last.push('\n');
    }
    texts
        .into_iter()
        .enumerate()
        .map(|(index, text)| Page {
            number: index as u32 + 1,
            name: None,
            text,
            ocr: false,
            doubtful_words: Vec::new(),
        })
        .collect()
}

/// The raw value of the attribute whose local name is `name` (`w:type` matches "type").
fn attribute(element: &BytesStart<'_>, name: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|attribute| xml::local(attribute.key.as_ref()) == name)
        .map(|attribute| attribute.value.into_owned())
}

/// Runs `handler` over every event of an XML part, with depth limiting and error positions.
fn walk_part(
    part: &str,
    bytes: &[u8],
    mut handler: impl FnMut(&Event<'_>, usize) -> Result<(), ExtractError>,
) -> Result<(), ExtractError> {
    let decoded = xml::decode_document(bytes)?;
    let source: &str = &decoded.text;
    let mut reader = Reader::from_str(source);
    let mut depth = Depth::default();
    loop {
        let event = reader
            .read_event()
            .map_err(|error| xml::malformed(part, source, reader.error_position(), &error))?;
        match &event {
            Event::Eof => return Ok(()),
            Event::Start(_) => {
                depth.enter(part)?;
                handler(&event, depth.current())?;
            }
            Event::End(_) => {
                handler(&event, depth.current())?;
                depth.leave();
            }
            _ => handler(&event, depth.current())?,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// DOCX

const DOCX: &str = "DOCX";

pub(crate) fn extract_docx(bytes: &[u8]) -> Result<Parsed, ExtractError> {
    let mut archive = zipped::open(bytes, DOCX)?;
    let body = zipped::read_entry(&mut archive, "word/document.xml", DOCX)?.ok_or_else(|| {
        ExtractError::Corrupt("DOCX has no word/document.xml: damaged or not a Word document".to_string())
    })?;
    let pages = docx_part_text("word/document.xml", &body)?;

    let names = zipped::entry_names(&archive);
    let headers = docx_parts_matching(&names, "word/header");
    let mut bottom_parts = docx_parts_matching(&names, "word/footer");
    bottom_parts.extend(["word/footnotes.xml", "word/endnotes.xml"].map(String::from));
    let top = docx_parts_text(&mut archive, &headers)?;
    let bottom = docx_parts_text(&mut archive, &bottom_parts)?;
    Ok(Parsed {
        pages: assemble(pages, &top, &bottom),
        ..Parsed::default()
    })
}

/// `word/header1.xml`, `word/header2.xml`, ... in numeric order.
fn docx_parts_matching(names: &[String], prefix: &str) -> Vec<String> {
    let mut parts: Vec<&String> = names
        .iter()
        .filter(|name| name.starts_with(prefix) && name.ends_with(".xml"))
        .collect();
    parts.sort_by_key(|name| {
        let number: String = name.chars().filter(char::is_ascii_digit).collect();
        (number.parse::<u64>().unwrap_or(0), (*name).clone())
    });
    parts.into_iter().cloned().collect()
}

/// Text of secondary parts (headers, footers, notes), all on one "page", skipping absent ones.
fn docx_parts_text(archive: &mut zipped::Archive<'_>, parts: &[String]) -> Result<String, ExtractError> {
    let mut text = String::new();
    for part in parts {
        if let Some(bytes) = zipped::read_entry(archive, part, DOCX)? {
            for page in docx_part_text(part, &bytes)? {
                text.push_str(&page);
            }
        }
    }
    Ok(text)
}

/// What the DOCX walker is inside of.
#[derive(Debug, Default)]
struct DocxState {
    out: PagedText,
    /// Inside `w:t`: the only element whose text is document text (not `w:instrText`, `w:delText`).
    in_text: bool,
    /// Inside `w:r`: `w:tab` there is a tab character, elsewhere a tab-stop definition.
    runs_open: usize,
    /// Depth of an `mc:Fallback` being skipped: it repeats the `mc:Choice` content.
    skipping_from: Option<usize>,
}

impl DocxState {
    fn open(&mut self, element: &BytesStart<'_>, depth: usize) {
        match xml::local(element.name().as_ref()) {
            "Fallback" => self.skipping_from = Some(depth),
            "t" => self.in_text = true,
            "r" => self.runs_open += 1,
            "tc" => self.out.cell_start(),
            "tab" if self.runs_open > 0 => self.out.push("\t"),
            "br" if attribute(element, "type").as_deref() == Some("page") => self.out.page_break(),
            "br" | "cr" => self.out.push("\n"),
            "lastRenderedPageBreak" => self.out.page_break(),
            "pageBreakBefore" if !is_false(attribute(element, "val").as_deref()) => self.out.page_break(),
            "noBreakHyphen" => self.out.push("-"),
            _ => {}
        }
    }

    fn close(&mut self, local_name: &str) {
        match local_name {
            "t" => self.in_text = false,
            "r" => self.runs_open = self.runs_open.saturating_sub(1),
            "p" => self.out.paragraph_end(),
            "tc" => self.out.cell_end(),
            "tr" => self.out.row_end(),
            _ => {}
        }
    }

    fn handle(&mut self, event: &Event<'_>, depth: usize) {
        if let Some(skip_depth) = self.skipping_from {
            if matches!(event, Event::End(_)) && depth == skip_depth {
                self.skipping_from = None;
            }
            return;
        }
        match event {
            Event::Start(element) => self.open(element, depth),
            Event::Empty(element) => {
                self.open(element, depth + 1);
                self.close(xml::local(element.name().as_ref()));
            }
            Event::End(element) => self.close(xml::local(element.name().as_ref())),
            Event::Text(text) if self.in_text => self.out.push(&text.xml10_content()),
            Event::GeneralRef(reference) if self.in_text => self.out.push(&xml::resolve_reference(reference)),
            _ => {}
        }
    }
}

/// OOXML on/off values: absent or anything but false/0/off means on.
fn is_false(value: Option<&str>) -> bool {
    matches!(value, Some("0" | "false" | "off"))
}

fn docx_part_text(part: &str, bytes: &[u8]) -> Result<Vec<String>, ExtractError> {
    let mut state = DocxState::default();
    walk_part(part, bytes, |event, depth| {
        state.handle(event, depth);
        Ok(())
    })?;
    Ok(state.out.finish())
}

// ---------------------------------------------------------------------------------------------
// ODT

const ODT: &str = "ODT";

/// Elements of `styles.xml` whose text is page furniture (headers and footers).
const ODT_HEADER_ELEMENTS: &[&str] = &["header", "header-left", "header-first"];
const ODT_FOOTER_ELEMENTS: &[&str] = &["footer", "footer-left", "footer-first"];

pub(crate) fn extract_odt(bytes: &[u8]) -> Result<Parsed, ExtractError> {
    let mut archive = zipped::open(bytes, ODT)?;
    let content = zipped::read_entry(&mut archive, "content.xml", ODT)?
        .ok_or_else(|| ExtractError::Corrupt("ODT has no content.xml: damaged or not a text document".to_string()))?;
    let body = odt_part_text("content.xml", &content, &["body"])?;
    let mut notes = Vec::new();
    let (top, bottom) = match zipped::read_entry(&mut archive, "styles.xml", ODT) {
        Ok(Some(styles)) => odt_headers_and_footers(&styles).unwrap_or_else(|error| {
            notes.push(format!("headers and footers not read: {error}"));
            Default::default()
        }),
        Ok(None) => Default::default(),
        Err(error) => {
            notes.push(format!("headers and footers not read: {error}"));
            Default::default()
        }
    };
    Ok(Parsed {
        pages: assemble(body, &top, &bottom),
        // The one note is of headers and footers not read.
        incomplete: !notes.is_empty(),
        notes,
        ..Parsed::default()
    })
}

fn odt_headers_and_footers(styles: &[u8]) -> Result<(String, String), ExtractError> {
    let top = odt_part_text("styles.xml", styles, ODT_HEADER_ELEMENTS)?.concat();
    let bottom = odt_part_text("styles.xml", styles, ODT_FOOTER_ELEMENTS)?.concat();
    Ok((top, bottom))
}

/// What the ODT walker is inside of.
#[derive(Debug)]
struct OdtState<'s> {
    out: PagedText,
    /// Text counts only inside one of these elements (`office:body`, or headers in styles.xml).
    scope: &'s [&'s str],
    scope_depth: Option<usize>,
    /// Paragraph styles that start or end with a page break (`fo:break-before="page"`).
    break_before_styles: Vec<String>,
    break_after_styles: Vec<String>,
    /// The `style:style` being defined, while inside it.
    defining_style: Option<String>,
    /// Style of each open `text:p`/`text:h`, for breaks after it.
    paragraph_styles: Vec<Option<String>>,
    /// Depth of a subtree being skipped (tracked deletions, comments).
    skipping_from: Option<usize>,
}

impl<'s> OdtState<'s> {
    fn new(scope: &'s [&'s str]) -> Self {
        OdtState {
            out: PagedText::default(),
            scope,
            scope_depth: None,
            break_before_styles: Vec::new(),
            break_after_styles: Vec::new(),
            defining_style: None,
            paragraph_styles: Vec::new(),
            skipping_from: None,
        }
    }

    fn in_scope(&self) -> bool {
        self.scope_depth.is_some()
    }

    fn open(&mut self, element: &BytesStart<'_>, depth: usize) {
        let qualified = element.name();
        let name = xml::local(qualified.as_ref());
        match name {
            "style" => self.defining_style = attribute(element, "name"),
            "paragraph-properties" => self.note_page_break_style(element),
            _ => {}
        }
        if !self.in_scope() {
            if self.scope.contains(&name) {
                self.scope_depth = Some(depth);
            }
            return;
        }
        match name {
            "tracked-changes" | "annotation" => self.skipping_from = Some(depth),
            "p" | "h" => {
                let style = attribute(element, "style-name");
                if style
                    .as_ref()
                    .is_some_and(|style| self.break_before_styles.contains(style))
                {
                    self.out.page_break();
                }
                self.paragraph_styles.push(style);
            }
            "s" => {
                // `text:s text:c="3"` stands for three spaces; cap it against absurd counts.
                let count = attribute(element, "c")
                    .and_then(|c| c.parse::<usize>().ok())
                    .unwrap_or(1);
                self.out.push(&" ".repeat(count.min(1000)));
            }
            "tab" => self.out.push("\t"),
            "line-break" => self.out.push("\n"),
            "soft-page-break" => self.out.page_break(),
            "table-cell" | "covered-table-cell" => self.out.cell_start(),
            _ => {}
        }
    }

    fn note_page_break_style(&mut self, element: &BytesStart<'_>) {
        let Some(style) = self.defining_style.clone() else {
            return;
        };
        if attribute(element, "break-before").as_deref() == Some("page") {
            self.break_before_styles.push(style.clone());
        }
        if attribute(element, "break-after").as_deref() == Some("page") {
            self.break_after_styles.push(style);
        }
    }

    fn close(&mut self, name: &str, depth: usize) {
        if name == "style" {
            self.defining_style = None;
        }
        if !self.in_scope() {
            return;
        }
        match name {
            "p" | "h" => {
                self.out.paragraph_end();
                let style = self.paragraph_styles.pop().flatten();
                if style.is_some_and(|style| self.break_after_styles.contains(&style)) {
                    self.out.page_break();
                }
            }
            "table-cell" | "covered-table-cell" => self.out.cell_end(),
            "table-row" => self.out.row_end(),
            _ => {}
        }
        if self.scope_depth == Some(depth) {
            self.scope_depth = None;
            self.out.paragraph_end_outside_cells();
        }
    }

    fn handle(&mut self, event: &Event<'_>, depth: usize) {
        if let Some(skip_depth) = self.skipping_from {
            if matches!(event, Event::End(_)) && depth == skip_depth {
                self.skipping_from = None;
            }
            return;
        }
        let in_paragraph = self.in_scope() && !self.paragraph_styles.is_empty();
        match event {
            Event::Start(element) => self.open(element, depth),
            Event::Empty(element) => {
                self.open(element, depth + 1);
                self.close(xml::local(element.name().as_ref()), depth + 1);
            }
            Event::End(element) => self.close(xml::local(element.name().as_ref()), depth),
            Event::Text(text) if in_paragraph => self.out.push(&text.xml10_content()),
            Event::GeneralRef(reference) if in_paragraph => self.out.push(&xml::resolve_reference(reference)),
            _ => {}
        }
    }
}

fn odt_part_text(part: &str, bytes: &[u8], scope: &[&str]) -> Result<Vec<String>, ExtractError> {
    let mut state = OdtState::new(scope);
    walk_part(part, bytes, |event, depth| {
        state.handle(event, depth);
        Ok(())
    })?;
    Ok(state.out.finish())
}

#[cfg(test)]
mod tests {
    use crate::extract::{FileStatus, Format, Limits, extract_bytes};
    use std::io::{Cursor, Write};

    fn zip_with(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, content) in entries {
            writer
                .start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            writer.write_all(content.as_bytes()).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;

    fn docx(body: &str, extra: &[(&str, &str)]) -> Vec<u8> {
        let document = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}</w:body></w:document>"#
        );
        let mut entries = vec![
            ("[Content_Types].xml", "<Types/>"),
            ("word/document.xml", document.as_str()),
        ];
        entries.extend_from_slice(extra);
        zip_with(&entries)
    }

    fn read(bytes: &[u8]) -> crate::extract::Extracted {
        extract_bytes(bytes, &Limits::without_ocr())
    }

    #[test]
    fn docx_paragraphs_runs_tabs_breaks_and_entities() {
        let body = r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>Акт ввода в </w:t></w:r><w:r><w:t>промышленную эксплуатацию</w:t></w:r></w:p>
            <w:p><w:r><w:t>ИС &amp; АПК</w:t><w:tab/><w:t>&#1201;&#1179;</w:t><w:br/><w:t>өнеркәсіптік</w:t></w:r></w:p>
            <w:p><w:r><w:instrText> PAGE \* MERGEFORMAT </w:instrText><w:delText>удалено</w:delText></w:r></w:p>"#;
        let got = read(&docx(body, &[]));
        assert_eq!(got.format, Format::Docx);
        assert_eq!(got.status, FileStatus::Ok);
        assert_eq!(got.pages.len(), 1);
        assert_eq!(
            got.pages[0].text,
            "Акт ввода в промышленную эксплуатацию\nИС & АПК\tұқ\nөнеркәсіптік\n\n"
        );
    }

    #[test]
    fn docx_tables_are_rows_of_tab_separated_cells() {
        let body = r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Пользователей</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1500</w:t></w:r></w:p><w:p><w:r><w:t>чел.</w:t></w:r></w:p></w:tc></w:tr>
            <w:tr><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#;
        let got = read(&docx(body, &[]));
        assert_eq!(got.full_text(), "Пользователей\t1500 чел.\n\tx\n");
    }

    #[test]
    fn docx_page_breaks_split_pages_without_empty_pages() {
        let body = r#"<w:p><w:r><w:t>один</w:t></w:r><w:r><w:br w:type="page"/></w:r></w:p>
            <w:p><w:r><w:lastRenderedPageBreak/><w:t>два</w:t></w:r></w:p>
            <w:p><w:pPr><w:pageBreakBefore/></w:pPr><w:r><w:t>три</w:t></w:r></w:p>"#;
        let got = read(&docx(body, &[]));
        let texts: Vec<&str> = got.pages.iter().map(|p| p.text.trim()).collect();
        assert_eq!(texts, vec!["один", "два", "три"]);
        assert_eq!(got.pages.iter().map(|p| p.number).collect::<Vec<_>>(), vec![1, 2, 3]);
    }

    #[test]
    fn docx_fallback_text_is_not_duplicated() {
        let body = r#"<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:p><w:r><w:t>в рамке</w:t></w:r></w:p></w:drawing></mc:Choice><mc:Fallback><w:pict><w:p><w:r><w:t>в рамке</w:t></w:r></w:p></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"#;
        let got = read(&docx(body, &[]));
        assert_eq!(got.full_text().matches("в рамке").count(), 1, "{}", got.full_text());
    }

    #[test]
    fn docx_headers_and_footers_are_included() {
        let header = format!(r#"<w:hdr {W}><w:p><w:r><w:t>Министерство цифрового развития</w:t></w:r></w:p></w:hdr>"#);
        let footer = format!(r#"<w:ftr {W}><w:p><w:r><w:t>Страница</w:t></w:r></w:p></w:ftr>"#);
        let body = r#"<w:p><w:r><w:t>Текст</w:t></w:r></w:p>"#;
        let got = read(&docx(
            body,
            &[("word/header1.xml", &header), ("word/footer1.xml", &footer)],
        ));
        assert_eq!(got.full_text(), "Министерство цифрового развития\nТекст\nСтраница\n");
    }

    #[test]
    fn docx_without_document_xml_is_corrupt() {
        let bytes = zip_with(&[("[Content_Types].xml", "<Types/>"), ("word/styles.xml", "<w:styles/>")]);
        let got = read(&bytes);
        assert_eq!(got.format, Format::Docx);
        assert_eq!(got.status, FileStatus::Corrupt);
        assert!(got.reason.unwrap().contains("word/document.xml"));
    }

    #[test]
    fn docx_with_malformed_xml_is_corrupt_with_position() {
        let got = read(&docx("<w:p><w:r><w:t>x</w:r></w:p>", &[]));
        assert_eq!(got.status, FileStatus::Corrupt);
        let reason = got.reason.unwrap();
        assert!(
            reason.starts_with("word/document.xml: malformed XML at line 1, column"),
            "{reason}"
        );
    }

    #[test]
    fn truncated_docx_is_corrupt() {
        let bytes = docx("<w:p><w:r><w:t>текст</w:t></w:r></w:p>", &[]);
        let got = read(&bytes[..bytes.len() / 2]);
        assert_eq!(got.format, Format::Docx);
        assert_eq!(got.status, FileStatus::Corrupt, "{:?}", got.reason);
    }

    #[test]
    fn empty_docx_is_no_text() {
        let got = read(&docx("<w:p/>", &[]));
        assert_eq!(got.status, FileStatus::NoText);
    }

    const ODF_NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0""#;

    fn odt(automatic_styles: &str, body: &str, styles: Option<&str>) -> Vec<u8> {
        let content = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NS}><office:automatic-styles>{automatic_styles}</office:automatic-styles><office:body><office:text>{body}</office:text></office:body></office:document-content>"#
        );
        let mut entries = vec![
            ("mimetype", "application/vnd.oasis.opendocument.text"),
            ("content.xml", content.as_str()),
        ];
        let styles_xml = styles.map(|master| {
            format!(r#"<office:document-styles {ODF_NS}><office:master-styles>{master}</office:master-styles></office:document-styles>"#)
        });
        if let Some(styles_xml) = &styles_xml {
            entries.push(("styles.xml", styles_xml.as_str()));
        }
        zip_with(&entries)
    }

    #[test]
    fn odt_paragraphs_spaces_tabs_and_tables() {
        let body = r#"<text:h>Акт ввода в промышленную эксплуатацию</text:h>
            <text:p>өнеркәсіптік<text:s/>пайдалануға<text:s text:c="2"/>енгізу<text:tab/>туралы<text:line-break/>акт &amp; <text:span>хаттама</text:span></text:p>
            <text:tracked-changes><text:changed-region><text:deletion><text:p>удалено</text:p></text:deletion></text:changed-region></text:tracked-changes>
            <table:table><table:table-row><table:table-cell><text:p>ГО</text:p></table:table-cell><table:table-cell><text:p>12</text:p></table:table-cell></table:table-row></table:table>"#;
        let got = read(&odt("", body, None));
        assert_eq!(got.format, Format::Odt);
        assert_eq!(got.status, FileStatus::Ok);
        assert_eq!(
            got.full_text(),
            "Акт ввода в промышленную эксплуатацию\nөнеркәсіптік пайдалануға  енгізу\tтуралы\nакт & хаттама\nГО\t12\n"
        );
    }

    #[test]
    fn odt_page_break_styles_split_pages() {
        let styles = r#"<style:style style:name="P1" style:family="paragraph"><style:paragraph-properties fo:break-before="page"/></style:style>"#;
        let body = r#"<text:p>Первая страница</text:p><text:p text:style-name="P1">Вторая страница</text:p>"#;
        let got = read(&odt(styles, body, None));
        let texts: Vec<&str> = got.pages.iter().map(|p| p.text.trim()).collect();
        assert_eq!(texts, vec!["Первая страница", "Вторая страница"]);
    }

    #[test]
    fn odt_headers_and_footers_from_styles() {
        let master = r#"<style:master-page style:name="Standard"><style:header><text:p>Шапка</text:p></style:header><style:footer><text:p>Подвал</text:p></style:footer></style:master-page>"#;
        let got = read(&odt("", "<text:p>Тело</text:p>", Some(master)));
        assert_eq!(got.full_text(), "Шапка\nТело\nПодвал\n");
    }

    #[test]
    fn odt_without_content_is_corrupt() {
        let bytes = zip_with(&[("mimetype", "application/vnd.oasis.opendocument.text")]);
        let got = read(&bytes);
        assert_eq!(got.status, FileStatus::Corrupt);
        assert!(got.reason.unwrap().contains("content.xml"));
    }
}
