//! A content-stream walker that follows text positioning, so words and lines come out in the
//! order and with the breaks the page shows (lopdf's own `extract_text` ignores positions and
//! runs words of adjacent lines together).
//!
//! Positions are tracked in device space (text matrix times CTM). A shown string that starts
//! noticeably lower or higher than the previous one ends the line; one that starts well to the
//! right of where the previous one ended gets a space.

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::fonts::Font;

/// Bound on a page's (or form's) decompressed content.
const MAX_CONTENT_BYTES: usize = 64 * 1024 * 1024;
/// Form XObjects nest this deep at most; deeper is a loop in disguise or an attack.
const MAX_FORM_DEPTH: usize = 8;
/// A new line starts when the baseline moves by more than this share of the font size.
const LINE_SHIFT: f32 = 0.5;
/// A space goes in when the gap to the previous string is wider than this share of the font size.
const WORD_GAP: f32 = 0.15;
/// TJ adjustments below this (in 1/1000 em, negative = move right) separate words.
const TJ_WORD_GAP: f32 = -150.0;

/// What one page holds: its text and the image XObjects it paints (for OCR).
#[derive(Debug, Default)]
pub(super) struct PageScan {
    pub text: String,
    pub images: Vec<ObjectId>,
}

/// Why a page could not be walked.
#[derive(Debug, thiserror::Error)]
pub(super) enum ScanError {
    /// A content stream does not decompress: the page's text is lost, not merely hard to read.
    #[error("content stream does not decompress: {0}")]
    Damaged(lopdf::Error),
    /// Something the walker could not follow; lopdf's simpler extractor may still manage.
    #[error("{0}")]
    Unreadable(#[from] lopdf::Error),
}

pub(super) fn scan_page(doc: &Document, page_id: ObjectId) -> Result<PageScan, ScanError> {
    let content = page_content(doc, page_id)?;
    let resources = page_resources(doc, page_id)?;
    let mut walker = Walker::new(doc);
    walker.run(&content, &resources, 0)?;
    Ok(PageScan {
        text: walker.sink.text,
        images: walker.images,
    })
}

/// The page's content streams, decoded and joined. Unlike lopdf's `get_page_content`, which
/// parses the raw bytes of a stream that does not decompress, this reports the damage.
fn page_content(doc: &Document, page_id: ObjectId) -> Result<Vec<u8>, ScanError> {
    let mut content = Vec::new();
    for id in doc.get_page_contents(page_id) {
        let stream = doc.get_object(id).and_then(Object::as_stream)?;
        let budget = MAX_CONTENT_BYTES.saturating_sub(content.len());
        let decoded = stream
            .decompressed_content_with_limit(budget)
            .map_err(ScanError::Damaged)?;
        content.extend_from_slice(&decoded);
        content.push(b'\n');
    }
    Ok(content)
}

/// The page's resource dictionaries, nearest first (a page may inherit from its ancestors).
fn page_resources(doc: &Document, page_id: ObjectId) -> Result<Vec<&Dictionary>, lopdf::Error> {
    let (direct, referenced) = doc.get_page_resources(page_id)?;
    let mut resources: Vec<&Dictionary> = direct.into_iter().collect();
    resources.extend(referenced.into_iter().filter_map(|id| doc.get_dictionary(id).ok()));
    Ok(resources)
}

/// A 2-D affine transform `[a b c d e f]`, applied to row vectors as PDF does.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Matrix([f32; 6]);

impl Matrix {
    const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    fn translation(x: f32, y: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, x, y])
    }

    fn from_operands(operands: &[Object]) -> Option<Matrix> {
        let values: Vec<f32> = operands.iter().map_while(number).collect();
        let array: [f32; 6] = values.get(..6)?.try_into().ok()?;
        Some(Matrix(array))
    }

    /// `self × other`: first apply `self`, then `other`.
    fn then(self, other: Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = other.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    fn origin(self) -> (f32, f32) {
        (self.0[4], self.0[5])
    }

    /// How much the transform scales vertical distances (for the font size on the page).
    fn vertical_scale(self) -> f32 {
        self.0[2].hypot(self.0[3])
    }
}

fn number(object: &Object) -> Option<f32> {
    object.as_float().ok().filter(|value| value.is_finite())
}

/// The part of the graphics state that matters for text, saved and restored by q/Q.
#[derive(Clone)]
struct GraphicsState<'a> {
    ctm: Matrix,
    font: Option<Rc<Font<'a>>>,
    font_size: f32,
    char_spacing: f32,
    word_spacing: f32,
    /// `Tz` / 100.
    h_scale: f32,
    leading: f32,
}

impl Default for GraphicsState<'_> {
    fn default() -> Self {
        GraphicsState {
            ctm: Matrix::IDENTITY,
            font: None,
            font_size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            h_scale: 1.0,
            leading: 0.0,
        }
    }
}

/// Where the previous string ended, in device space.
#[derive(Debug, Clone, Copy)]
struct Pen {
    x: f32,
    y: f32,
    size: f32,
}

/// Collects shown strings into lines and words by their positions.
#[derive(Debug, Default)]
struct TextSink {
    text: String,
    last: Option<Pen>,
    space_requested: bool,
}

impl TextSink {
    fn show(&mut self, text: &str, start: (f32, f32), end: (f32, f32), size: f32) {
        if let Some(last) = self.last {
            let reference = size.max(last.size).max(0.001);
            let (dx, dy) = (start.0 - last.x, start.1 - last.y);
            if dy.abs() > LINE_SHIFT * reference {
                self.separate('\n');
            } else if self.space_requested || dx > WORD_GAP * reference || dx < -reference {
                // Also a jump back by more than an em on the same line: text drawn out of order.
                self.separate(' ');
            }
        }
        self.space_requested = false;
        self.text.push_str(text);
        self.last = Some(Pen {
            x: end.0,
            y: end.1,
            size,
        });
    }

    fn separate(&mut self, separator: char) {
        let already = match separator {
            '\n' => self.text.is_empty() || self.text.ends_with('\n'),
            _ => self.text.is_empty() || self.text.ends_with(char::is_whitespace),
        };
        if !already {
            if separator == '\n' {
                let trimmed = self.text.trim_end_matches([' ', '\t']).len();
                self.text.truncate(trimmed);
            }
            self.text.push(separator);
        }
    }
}

struct Walker<'a> {
    doc: &'a Document,
    fonts: HashMap<ObjectId, Rc<Font<'a>>>,
    state: GraphicsState<'a>,
    saved: Vec<GraphicsState<'a>>,
    text_matrix: Matrix,
    line_matrix: Matrix,
    sink: TextSink,
    images: Vec<ObjectId>,
    /// Forms being run, to refuse a form that (indirectly) invokes itself.
    forms_open: Vec<ObjectId>,
}

impl<'a> Walker<'a> {
    fn new(doc: &'a Document) -> Self {
        Walker {
            doc,
            fonts: HashMap::new(),
            state: GraphicsState::default(),
            saved: Vec::new(),
            text_matrix: Matrix::IDENTITY,
            line_matrix: Matrix::IDENTITY,
            sink: TextSink::default(),
            images: Vec::new(),
            forms_open: Vec::new(),
        }
    }

    fn run(&mut self, content: &[u8], resources: &[&'a Dictionary], depth: usize) -> Result<(), lopdf::Error> {
        let content = Content::decode(content)?;
        for operation in &content.operations {
            self.apply(operation, resources, depth);
        }
        Ok(())
    }

    fn apply(&mut self, operation: &Operation, resources: &[&'a Dictionary], depth: usize) {
        let operands = operation.operands.as_slice();
        let first_number = || operands.first().and_then(number);
        match operation.operator.as_str() {
            "q" => self.saved.push(self.state.clone()),
            "Q" => {
                if let Some(state) = self.saved.pop() {
                    self.state = state;
                }
            }
            "cm" => {
                if let Some(matrix) = Matrix::from_operands(operands) {
                    self.state.ctm = matrix.then(self.state.ctm);
                }
            }
            "BT" => {
                self.text_matrix = Matrix::IDENTITY;
                self.line_matrix = Matrix::IDENTITY;
            }
            "Tf" => self.set_font(operands, resources),
            "Tc" => self.state.char_spacing = first_number().unwrap_or(0.0),
            "Tw" => self.state.word_spacing = first_number().unwrap_or(0.0),
            "Tz" => self.state.h_scale = first_number().unwrap_or(100.0) / 100.0,
            "TL" => self.state.leading = first_number().unwrap_or(0.0),
            "Td" => self.move_line(operands),
            "TD" => {
                if let Some(ty) = operands.get(1).and_then(number) {
                    self.state.leading = -ty;
                }
                self.move_line(operands);
            }
            "Tm" => {
                if let Some(matrix) = Matrix::from_operands(operands) {
                    self.text_matrix = matrix;
                    self.line_matrix = matrix;
                }
            }
            "T*" => self.next_line(),
            "Tj" => self.show_operand(operands.first()),
            "'" => {
                self.next_line();
                self.show_operand(operands.first());
            }
            "\"" => {
                self.state.word_spacing = first_number().unwrap_or(self.state.word_spacing);
                self.state.char_spacing = operands.get(1).and_then(number).unwrap_or(self.state.char_spacing);
                self.next_line();
                self.show_operand(operands.get(2));
            }
            "TJ" => self.show_array(operands.first()),
            "Do" => {
                if let Some(Ok(name)) = operands.first().map(Object::as_name) {
                    self.invoke_xobject(name, resources, depth);
                }
            }
            _ => {}
        }
    }

    fn set_font(&mut self, operands: &[Object], resources: &[&'a Dictionary]) {
        self.state.font_size = operands.get(1).and_then(number).unwrap_or(self.state.font_size);
        self.state.font = operands
            .first()
            .and_then(|name| name.as_name().ok())
            .and_then(|name| self.font(name, resources));
    }

    /// The font named in the resources, loaded once per font object.
    fn font(&mut self, name: &[u8], resources: &[&'a Dictionary]) -> Option<Rc<Font<'a>>> {
        let doc = self.doc;
        let entry = resources
            .iter()
            .find_map(|res| resource_entry(doc, res, b"Font", name))?;
        match entry {
            Object::Reference(id) => {
                if let Some(font) = self.fonts.get(id) {
                    return Some(Rc::clone(font));
                }
                let font = Rc::new(Font::load(doc, doc.get_dictionary(*id).ok()?));
                self.fonts.insert(*id, Rc::clone(&font));
                Some(font)
            }
            Object::Dictionary(dict) => Some(Rc::new(Font::load(doc, dict))),
            _ => None,
        }
    }

    fn move_line(&mut self, operands: &[Object]) {
        let (Some(tx), Some(ty)) = (operands.first().and_then(number), operands.get(1).and_then(number)) else {
            return;
        };
        self.line_matrix = Matrix::translation(tx, ty).then(self.line_matrix);
        self.text_matrix = self.line_matrix;
    }

    fn next_line(&mut self) {
        self.line_matrix = Matrix::translation(0.0, -self.state.leading).then(self.line_matrix);
        self.text_matrix = self.line_matrix;
    }

    fn show_operand(&mut self, operand: Option<&Object>) {
        if let Some(Ok(bytes)) = operand.map(Object::as_str) {
            self.show(bytes);
        }
    }

    fn show_array(&mut self, operand: Option<&Object>) {
        let Some(Ok(items)) = operand.map(Object::as_array) else {
            return;
        };
        for item in items {
            match item {
                Object::String(bytes, _) => self.show(bytes),
                other => {
                    let Some(adjustment) = number(other) else {
                        continue;
                    };
                    let shift = -adjustment / 1000.0 * self.state.font_size * self.state.h_scale;
                    self.text_matrix = Matrix::translation(shift, 0.0).then(self.text_matrix);
                    if adjustment < TJ_WORD_GAP {
                        self.sink.space_requested = true;
                    }
                }
            }
        }
    }

    fn show(&mut self, bytes: &[u8]) {
        let Some(font) = self.state.font.clone() else {
            return;
        };
        let state = &self.state;
        let on_page = self.text_matrix.then(state.ctm);
        let start = on_page.origin();
        let size = state.font_size.abs() * on_page.vertical_scale();
        let advance = font.advance(
            bytes,
            state.font_size,
            state.char_spacing,
            state.word_spacing,
            state.h_scale,
        );
        self.text_matrix = Matrix::translation(advance, 0.0).then(self.text_matrix);
        let end = self.text_matrix.then(state.ctm).origin();
        let text = font.decode(bytes);
        self.sink.show(&text, start, end, size);
    }

    fn invoke_xobject(&mut self, name: &[u8], resources: &[&'a Dictionary], depth: usize) {
        let doc = self.doc;
        let Some(Object::Reference(id)) = resources
            .iter()
            .find_map(|res| resource_entry(doc, res, b"XObject", name))
        else {
            return;
        };
        let Ok(stream) = doc.get_object(*id).and_then(Object::as_stream) else {
            return;
        };
        match stream.dict.get(b"Subtype").and_then(Object::as_name) {
            Ok(b"Image") => self.images.push(*id),
            Ok(b"Form") => self.run_form(*id, stream, resources, depth),
            _ => {}
        }
    }

    /// Runs a Form XObject's content with its matrix and resources, then restores the state.
    /// A damaged form costs its own text only.
    fn run_form(&mut self, id: ObjectId, form: &'a Stream, parent: &[&'a Dictionary], depth: usize) {
        if depth >= MAX_FORM_DEPTH || self.forms_open.contains(&id) {
            return;
        }
        let Ok(content) = form.decompressed_content_with_limit(MAX_CONTENT_BYTES) else {
            return;
        };
        let doc = self.doc;
        // A form should carry its own resources; old files rely on the page's.
        let own = form
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|object| resolve(doc, object).as_dict().ok());
        let resources: Vec<&'a Dictionary> = own.into_iter().chain(parent.iter().copied()).collect();
        let matrix = form
            .dict
            .get(b"Matrix")
            .ok()
            .and_then(|object| resolve(doc, object).as_array().ok())
            .and_then(|operands| Matrix::from_operands(operands))
            .unwrap_or(Matrix::IDENTITY);

        let saved_state = self.state.clone();
        let saved_matrices = (self.text_matrix, self.line_matrix);
        let saved_depth = self.saved.len();
        self.state.ctm = matrix.then(self.state.ctm);
        self.forms_open.push(id);
        let _ = self.run(&content, &resources, depth + 1);
        self.forms_open.pop();
        self.saved.truncate(saved_depth); // unbalanced q inside the form stays inside it
        self.state = saved_state;
        (self.text_matrix, self.line_matrix) = saved_matrices;
    }
}

fn resolve<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    doc.dereference(object).map_or(object, |(_, target)| target)
}

/// `resources[category][name]` (e.g. `/Font /F1`), following a reference to the category
/// dictionary but not to the entry, whose object id the caller may want.
fn resource_entry<'a>(
    doc: &'a Document,
    resources: &'a Dictionary,
    category: &[u8],
    name: &[u8],
) -> Option<&'a Object> {
    let category = resolve(doc, resources.get(category).ok()?).as_dict().ok()?;
    category.get(name).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrices_compose_in_pdf_order() {
        let scale = Matrix([2.0, 0.0, 0.0, 2.0, 0.0, 0.0]);
        let moved = Matrix::translation(10.0, 20.0).then(scale);
        assert_eq!(moved.origin(), (20.0, 40.0));
        assert_eq!(moved.vertical_scale(), 2.0);
    }

    /// A page that draws a Form XObject which shows text and then invokes itself.
    fn page_with_self_invoking_form() -> (Document, ObjectId) {
        use lopdf::{Stream, dictionary};
        let mut doc = Document::with_version("1.5");
        let font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
        });
        let form_id = doc.new_object_id();
        let form = Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Form",
                "Matrix" => vec![1.into(), 0.into(), 0.into(), 1.into(), 0.into(), (-20).into()],
                "Resources" => dictionary! { "Font" => dictionary! { "F1" => font }, "XObject" => dictionary! { "X1" => form_id } },
            },
            b"BT /F1 12 Tf 72 700 Td (Hello form) Tj ET /X1 Do".to_vec(),
        );
        doc.objects.insert(form_id, Object::Stream(form));
        let content = doc.add_object(Stream::new(
            dictionary! {},
            b"BT /F1 12 Tf 72 720 Td (Page text) Tj ET q /X1 Do Q".to_vec(),
        ));
        let pages_id = doc.new_object_id();
        let resources =
            dictionary! { "Font" => dictionary! { "F1" => font }, "XObject" => dictionary! { "X1" => form_id } };
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content, "Resources" => resources,
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1 }),
        );
        (doc, page_id)
    }

    #[test]
    fn form_xobjects_are_read_once_despite_a_cycle() {
        let (doc, page_id) = page_with_self_invoking_form();
        let scan = scan_page(&doc, page_id).unwrap();
        assert_eq!(scan.text, "Page text\nHello form");
        assert!(scan.images.is_empty());
    }

    #[test]
    fn sink_breaks_lines_and_words_by_position() {
        let mut sink = TextSink::default();
        sink.show("Акт", (0.0, 700.0), (20.0, 700.0), 12.0);
        sink.show("ввода", (24.0, 700.0), (60.0, 700.0), 12.0); // 4 pt gap > 3 pt: a space
        sink.show("в", (60.5, 700.0), (66.0, 700.0), 12.0); // kerning-sized gap: no space
        sink.show("өнеркәсіптік", (0.0, 686.0), (80.0, 686.0), 12.0); // 14 pt lower: new line
        assert_eq!(sink.text, "Акт вводав\nөнеркәсіптік");
    }
}
