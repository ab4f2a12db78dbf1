//! A content-stream walker that follows text positioning, so words and lines come out in the
//! order and with the breaks the page shows (lopdf's own `extract_text` ignores positions and
//! runs words of adjacent lines together).
//!
//! Positions are tracked in device space (text matrix times CTM) and judged along each
//! string's own baseline, so rotated text reads like upright text. A shown string whose
//! baseline is noticeably shifted from the previous one's, or runs in another direction, ends
//! the line; one that starts well past where the previous one ended gets a space.
//!
//! After the page's content come its annotations (see [`annotations`]): filled-in form
//! fields and notes, drawn by their appearance streams as a viewer draws them.

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::annotations::{self, Drawn, text_string};
use super::content::Operations;
use super::fonts::Font;

/// Bound on a page's (or form's) decompressed content.
const MAX_CONTENT_BYTES: usize = 64 * 1024 * 1024;
/// Bound on all content decompressed for one page: a form drawn ten thousand times, or as
/// many annotations sharing one large appearance, must not cost ten thousand decodings.
const MAX_PAGE_CONTENT_BYTES: usize = 256 * 1024 * 1024;
/// Form XObjects nest this deep at most; deeper is a loop in disguise or an attack.
const MAX_FORM_DEPTH: usize = 8;
/// Marked-content sections nest this deep at most (deeper ones are still balanced, unread).
const MAX_MARKED_DEPTH: usize = 256;
/// A new line starts when the baseline moves by more than this share of the font size.
const LINE_SHIFT: f32 = 0.5;
/// A space goes in when the gap to the previous string is wider than this share of the font size.
const WORD_GAP: f32 = 0.15;
/// Two baselines closer in angle than this (cosine of about 25°) run the same way: text
/// set along a curve turns a little from glyph to glyph without starting a new line.
const SAME_DIRECTION_COS: f32 = 0.9;

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
    walker.page_area = page_area(doc, page_id);
    walker.budget = walker.budget.saturating_sub(content.len());
    walker.run(&content, &resources, 0);
    walker.close_marked_content(0);
    walker.draw_annotations(page_id);
    Ok(PageScan {
        text: super::bidi::to_reading_order(walker.sink.text),
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

/// Max depth of the page tree when looking up a page's inherited boxes.
const MAX_PAGE_TREE_DEPTH: usize = 64;

/// The part of the page a viewer shows (the crop box within the media box), in default user
/// space. `None` when the page gives no usable box: then nothing is left out.
fn page_area(doc: &Document, page_id: ObjectId) -> Option<Area> {
    let inherited_box = |key: &[u8]| {
        let mut node = doc.get_dictionary(page_id).ok()?;
        for _ in 0..MAX_PAGE_TREE_DEPTH {
            if let Ok(value) = node.get(key) {
                return Area::from_rectangle(resolve(doc, value), doc);
            }
            node = resolve(doc, node.get(b"Parent").ok()?).as_dict().ok()?;
        }
        None
    };
    // A page without extent is a broken box, not a page that shows nothing.
    let media = inherited_box(b"MediaBox").filter(|area| area.x1 - area.x0 > 1.0 && area.y1 - area.y0 > 1.0)?;
    Some(match inherited_box(b"CropBox") {
        Some(crop) => crop.within(media),
        None => media,
    })
}

/// An upright rectangle, corners in order (files write them either way round).
#[derive(Debug, Clone, Copy)]
pub(super) struct Area {
    pub(super) x0: f32,
    pub(super) y0: f32,
    pub(super) x1: f32,
    pub(super) y1: f32,
}

impl Area {
    pub(super) fn from_rectangle(object: &Object, doc: &Document) -> Option<Area> {
        let values: Vec<f32> = object
            .as_array()
            .ok()?
            .iter()
            .map(|value| number(resolve(doc, value)))
            .collect::<Option<_>>()?;
        let [a, b, c, d] = values.as_slice().try_into().ok()?;
        let area = Area {
            x0: a.min(c),
            y0: b.min(d),
            x1: a.max(c),
            y1: b.max(d),
        };
        Some(area)
    }

    /// The crop box clipped to the media box; a crop box outside it is ignored.
    fn within(self, outer: Area) -> Area {
        let clipped = Area {
            x0: self.x0.max(outer.x0),
            y0: self.y0.max(outer.y0),
            x1: self.x1.min(outer.x1),
            y1: self.y1.min(outer.y1),
        };
        if clipped.x1 > clipped.x0 && clipped.y1 > clipped.y0 {
            clipped
        } else {
            outer
        }
    }

    /// Whether the segment from `a` to `b` comes within `reach` of the area (glyphs reach
    /// about a font size around their baseline).
    fn reaches(self, a: (f32, f32), b: (f32, f32), reach: f32) -> bool {
        let (left, right) = (a.0.min(b.0), a.0.max(b.0));
        let (bottom, top) = (a.1.min(b.1), a.1.max(b.1));
        // NaN positions (absurd matrices) fail every comparison: such text is kept.
        !(right + reach < self.x0 || left - reach > self.x1 || top + reach < self.y0 || bottom - reach > self.y1)
    }
}

/// A 2-D affine transform `[a b c d e f]`, applied to row vectors as PDF does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Matrix(pub(super) [f32; 6]);

impl Matrix {
    pub(super) const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    pub(super) fn translation(x: f32, y: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, x, y])
    }

    pub(super) fn from_operands(operands: &[Object]) -> Option<Matrix> {
        let values: Vec<f32> = operands.iter().map_while(number).collect();
        let array: [f32; 6] = values.get(..6)?.try_into().ok()?;
        Some(Matrix(array))
    }

    /// `self × other`: first apply `self`, then `other`.
    pub(super) fn then(self, other: Matrix) -> Matrix {
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

    pub(super) fn origin(self) -> (f32, f32) {
        (self.0[4], self.0[5])
    }

    /// The unit vector along which text set with this matrix runs (its baseline).
    fn baseline(self) -> (f32, f32) {
        let [a, b, ..] = self.0;
        let length = a.hypot(b);
        if length > f32::EPSILON && length.is_finite() {
            (a / length, b / length)
        } else {
            (1.0, 0.0)
        }
    }

    /// How much the transform scales distances across the baseline, for the font size on the
    /// page: the height of the unit square over its width along the baseline, so a skewed or
    /// horizontally stretched matrix does not count as larger type.
    fn text_height_scale(self) -> f32 {
        let [a, b, c, d, ..] = self.0;
        let width = a.hypot(b);
        if width > f32::EPSILON && width.is_finite() {
            (a * d - b * c).abs() / width
        } else {
            c.hypot(d)
        }
    }
}

pub(super) fn number(object: &Object) -> Option<f32> {
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

/// Where a shown string sits in device space.
#[derive(Debug, Clone, Copy)]
struct Placed {
    start: (f32, f32),
    end: (f32, f32),
    /// Font size on the page.
    size: f32,
    /// Unit vector along the baseline.
    direction: (f32, f32),
}

/// Collects shown strings into lines and words by their positions.
#[derive(Debug, Default)]
struct TextSink {
    text: String,
    last: Option<Placed>,
    space_requested: bool,
}

impl TextSink {
    fn show(&mut self, text: &str, placed: Placed) {
        if let Some(last) = self.last {
            let reference = placed.size.max(last.size).max(0.001);
            let (ux, uy) = last.direction;
            let turned = ux * placed.direction.0 + uy * placed.direction.1 < SAME_DIRECTION_COS;
            // The step from the previous string's end, along its baseline and across it.
            let (dx, dy) = (placed.start.0 - last.end.0, placed.start.1 - last.end.1);
            let along = dx * ux + dy * uy;
            let across = dy * ux - dx * uy;
            if turned || across.abs() > LINE_SHIFT * reference {
                self.separate('\n');
            } else if self.space_requested || along > WORD_GAP * reference || along < -reference {
                // Also a jump back by more than an em on the same line: text drawn out of order.
                self.separate(' ');
            }
        }
        self.space_requested = false;
        self.text.push_str(text);
        self.last = Some(placed);
    }

    /// Text that has no position (a form field's value): its own lines, apart from the rest.
    fn show_lines(&mut self, text: &str) {
        self.end_line();
        // Field values end lines with CR (as typed in a viewer), LF, or both.
        for line in text.split(['\r', '\n']) {
            if !line.trim().is_empty() {
                self.text.push_str(line);
                self.text.push('\n');
            }
        }
    }

    /// Ends the current line, so what follows starts its own whatever its position.
    fn end_line(&mut self) {
        self.separate('\n');
        self.last = None;
        self.space_requested = false;
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

/// A marked-content section (`BMC`/`BDC` … `EMC`) and, when it carries `/ActualText`, the
/// text that replaces the glyphs shown inside it, with where those glyphs went.
struct MarkedContent {
    actual_text: Option<ActualText>,
}

struct ActualText {
    text: String,
    /// From the first glyph shown inside to the last; `None` while none has been.
    covered: Option<Placed>,
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
    marked: Vec<MarkedContent>,
    /// Content bytes this page may still decompress (see [`MAX_PAGE_CONTENT_BYTES`]).
    budget: usize,
    /// Text placed wholly outside this area is not on the page (viewers and Poppler drop it):
    /// the overflow of a form field's appearance, or text a producer parked off the page.
    page_area: Option<Area>,
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
            marked: Vec::new(),
            budget: MAX_PAGE_CONTENT_BYTES,
            page_area: None,
        }
    }

    fn run(&mut self, content: &[u8], resources: &[&'a Dictionary], depth: usize) {
        let mut operations = Operations::new(content);
        while let Some((operator, operands)) = operations.next_operation() {
            self.apply(operator, operands, resources, depth);
        }
    }

    fn apply(&mut self, operator: &[u8], operands: &[Object], resources: &[&'a Dictionary], depth: usize) {
        let first_number = || operands.first().and_then(number);
        match operator {
            b"q" => self.saved.push(self.state.clone()),
            b"Q" => {
                if let Some(state) = self.saved.pop() {
                    self.state = state;
                }
            }
            b"cm" => {
                if let Some(matrix) = Matrix::from_operands(operands) {
                    self.state.ctm = matrix.then(self.state.ctm);
                }
            }
            b"BT" => {
                self.text_matrix = Matrix::IDENTITY;
                self.line_matrix = Matrix::IDENTITY;
            }
            b"Tf" => self.set_font(operands, resources),
            b"Tc" => self.state.char_spacing = first_number().unwrap_or(0.0),
            b"Tw" => self.state.word_spacing = first_number().unwrap_or(0.0),
            b"Tz" => self.state.h_scale = first_number().unwrap_or(100.0) / 100.0,
            b"TL" => self.state.leading = first_number().unwrap_or(0.0),
            // `Ts` (rise) is not followed: a superscript stays on its line.
            b"Td" => self.move_line(operands),
            b"TD" => {
                if let Some(ty) = operands.get(1).and_then(number) {
                    self.state.leading = -ty;
                }
                self.move_line(operands);
            }
            b"Tm" => {
                if let Some(matrix) = Matrix::from_operands(operands) {
                    self.text_matrix = matrix;
                    self.line_matrix = matrix;
                }
            }
            b"T*" => self.next_line(),
            b"Tj" => self.show_operand(operands.first()),
            b"'" => {
                self.next_line();
                self.show_operand(operands.first());
            }
            b"\"" => {
                self.state.word_spacing = first_number().unwrap_or(self.state.word_spacing);
                self.state.char_spacing = operands.get(1).and_then(number).unwrap_or(self.state.char_spacing);
                self.next_line();
                self.show_operand(operands.get(2));
            }
            b"TJ" => self.show_array(operands.first()),
            b"Do" => {
                if let Some(Ok(name)) = operands.first().map(Object::as_name) {
                    self.invoke_xobject(name, resources, depth);
                }
            }
            b"BMC" => self.begin_marked_content(None, resources),
            b"BDC" => self.begin_marked_content(operands.get(1), resources),
            b"EMC" => {
                if let Some(section) = self.marked.pop() {
                    self.end_marked_content(section);
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
                    let shift = -adjustment / 1000.0 * self.state.font_size;
                    self.text_matrix = Matrix::translation(shift * self.state.h_scale, 0.0).then(self.text_matrix);
                    // The gap the adjustment leaves between glyphs, in ems; character spacing
                    // (added after every glyph) counts too, as letter-spaced headings often
                    // pair a negative one with positive adjustments that cancel it. Judged by
                    // the numbers, not by positions, so a font with wrong widths still gets
                    // its word gaps.
                    let size = self.state.font_size.abs();
                    let replaced = self.marked.iter().any(|section| section.actual_text.is_some());
                    if !replaced
                        && size > f32::EPSILON
                        && -adjustment / 1000.0 + self.state.char_spacing / size > WORD_GAP
                    {
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
        let size = state.font_size.abs() * on_page.text_height_scale();
        let direction = on_page.baseline();
        let advance = font.advance(
            bytes,
            state.font_size,
            state.char_spacing,
            state.word_spacing,
            state.h_scale,
        );
        // The string ends where its last glyph does: the character spacing after it is a gap
        // (Poppler measures glyphs the same way), which letter-spaced text fills back with
        // positive adjustments.
        let trailing_spacing = if bytes.is_empty() {
            0.0
        } else {
            state.char_spacing * state.h_scale
        };
        let glyphs_end = Matrix::translation(advance - trailing_spacing, 0.0).then(self.text_matrix);
        self.text_matrix = Matrix::translation(advance, 0.0).then(self.text_matrix);
        let end = glyphs_end.then(state.ctm).origin();
        let placed = Placed {
            start,
            end,
            size,
            direction,
        };
        // Off the page only when both the string and the start of its line are: where a
        // string lands after others on its line depends on glyph widths, which may be guessed.
        let line_start = self.line_matrix.then(self.state.ctm).origin();
        let off_page = self
            .page_area
            .is_some_and(|area| !area.reaches(start, end, size) && !area.reaches(line_start, line_start, size));
        if off_page {
            return;
        }
        // Glyphs inside an `/ActualText` section stand for its text: only where they go counts.
        if let Some(actual) = self.marked.iter_mut().find_map(|section| section.actual_text.as_mut()) {
            actual.covered = Some(match actual.covered {
                Some(first) => Placed {
                    end,
                    size: first.size.max(size),
                    ..first
                },
                None => placed,
            });
            return;
        }
        let text = font.decode(bytes);
        self.sink.show(&text, placed);
    }

    /// Opens a marked-content section; its property list (inline, or named in the resources'
    /// `/Properties`) may carry `/ActualText`. Only the outermost such text counts, as in
    /// Poppler: an inner one describes glyphs the outer one already replaces.
    fn begin_marked_content(&mut self, properties: Option<&Object>, resources: &[&'a Dictionary]) {
        let doc = self.doc;
        let already_replaced = self.marked.iter().any(|section| section.actual_text.is_some());
        let actual_text = properties
            .filter(|_| !already_replaced && self.marked.len() < MAX_MARKED_DEPTH)
            .and_then(|properties| match properties {
                Object::Name(name) => resources
                    .iter()
                    .find_map(|res| resource_entry(doc, res, b"Properties", name))
                    .map(|entry| resolve(doc, entry)),
                inline => Some(inline),
            })
            .and_then(|properties| properties.as_dict().ok())
            .and_then(|properties| properties.get(b"ActualText").ok())
            .and_then(|text| resolve(doc, text).as_str().ok())
            .map(|text| ActualText {
                text: text_string(text),
                covered: None,
            });
        self.marked.push(MarkedContent { actual_text });
    }

    fn end_marked_content(&mut self, section: MarkedContent) {
        // Without glyphs inside, the replacement text has nowhere to go: a viewer drops it.
        if let Some(ActualText {
            text,
            covered: Some(placed),
        }) = section.actual_text
        {
            self.sink.show(&text, placed);
        }
    }

    /// Closes the sections a content stream left open, down to `depth` open ones.
    fn close_marked_content(&mut self, depth: usize) {
        while self.marked.len() > depth {
            if let Some(section) = self.marked.pop() {
                self.end_marked_content(section);
            }
        }
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
        let Ok(content) = form.decompressed_content_with_limit(MAX_CONTENT_BYTES.min(self.budget)) else {
            return;
        };
        self.budget = self.budget.saturating_sub(content.len());
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
        let marked_depth = self.marked.len();
        self.state.ctm = matrix.then(self.state.ctm);
        self.forms_open.push(id);
        self.run(&content, &resources, depth + 1);
        self.forms_open.pop();
        self.close_marked_content(marked_depth); // sections open at the form's end close with it
        self.saved.truncate(saved_depth); // unbalanced q inside the form stays inside it
        self.state = saved_state;
        (self.text_matrix, self.line_matrix) = saved_matrices;
    }

    /// Draws the page's annotations over its content, each from a fresh graphics state, as a
    /// viewer does; each starts a line of its own.
    fn draw_annotations(&mut self, page_id: ObjectId) {
        let page = annotations::drawn_on_page(self.doc, page_id);
        let fallback: Vec<&'a Dictionary> = page.default_resources.into_iter().collect();
        for drawn in page.drawn {
            self.sink.end_line();
            match drawn {
                Drawn::Appearance { id, form, placement } => {
                    self.state = GraphicsState {
                        ctm: placement,
                        ..GraphicsState::default()
                    };
                    self.saved.clear();
                    self.run_form(id, form, &fallback, 0);
                }
                Drawn::Text(text) => self.sink.show_lines(&text),
            }
        }
    }
}

pub(super) fn resolve<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
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
        assert_eq!(moved.text_height_scale(), 2.0);
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

    fn upright(start: (f32, f32), end: (f32, f32), size: f32) -> Placed {
        Placed {
            start,
            end,
            size,
            direction: (1.0, 0.0),
        }
    }

    #[test]
    fn sink_breaks_lines_and_words_by_position() {
        let mut sink = TextSink::default();
        sink.show("Акт", upright((0.0, 700.0), (20.0, 700.0), 12.0));
        sink.show("ввода", upright((24.0, 700.0), (60.0, 700.0), 12.0)); // 4 pt gap > 3 pt: a space
        sink.show("в", upright((60.5, 700.0), (66.0, 700.0), 12.0)); // kerning-sized gap: no space
        sink.show("өнеркәсіптік", upright((0.0, 686.0), (80.0, 686.0), 12.0)); // 14 pt lower: new line
        assert_eq!(sink.text, "Акт вводав\nөнеркәсіптік");
    }

    use crate::extract::pdf::test_pdf::TestPdf;
    use lopdf::dictionary;

    fn text_of(content: &str) -> String {
        TestPdf::new(content.as_bytes()).text()
    }

    #[test]
    fn text_height_ignores_skew_and_horizontal_stretch() {
        let skewed = Matrix([10.0, 0.0, 5.0, 10.0, 0.0, 0.0]);
        assert_eq!(skewed.text_height_scale(), 10.0);
        let stretched = Matrix([20.0, 0.0, 0.0, 10.0, 0.0, 0.0]);
        assert_eq!(stretched.text_height_scale(), 10.0);
        let turned = Matrix([0.0, 12.0, -12.0, 0.0, 0.0, 0.0]);
        assert!((turned.text_height_scale() - 12.0).abs() < 1e-4);
        assert_eq!(turned.baseline(), (0.0, 1.0));
    }

    #[test]
    fn rotated_lines_keep_their_words_and_breaks() {
        // The same two lines set at 90°, 180°, 270° and 30°: TJ kerning inside words, word
        // gaps by position and by adjustment, and a second line one leading further on.
        let angles: [(f32, f32); 4] = [(0.0, 1.0), (-1.0, 0.0), (0.0, -1.0), (0.866_025, 0.5)];
        for (cos, sin) in angles {
            let content = format!(
                "BT /F1 10 Tf {cos} {sin} {} {cos} 300 400 Tm 12 TL \
                 [(Hel) 20 (lo) -300 (wor) 40 (ld)] TJ T* (second) Tj 5 0 Td (line) Tj ET",
                -sin
            );
            assert_eq!(text_of(&content), "Hello world\nsecond line", "at cos {cos}, sin {sin}");
        }
    }

    #[test]
    fn a_word_set_glyph_by_glyph_upwards_stays_one_word() {
        // Each glyph placed by its own matrix, as vertical labels in charts and tables are.
        let content = "BT /F1 10 Tf 0 1 -1 0 100 100 Tm (T) Tj 0 1 -1 0 100 105 Tm (a) Tj \
                       0 1 -1 0 100 110 Tm (x) Tj 0 1 -1 0 100 118 Tm (I) Tj 0 1 -1 0 100 123 Tm (D) Tj ET";
        assert_eq!(text_of(content), "Tax ID");
    }

    #[test]
    fn a_turn_in_direction_is_a_line_break() {
        // The second string starts where the first ends, but runs upwards.
        let content = "BT /F1 10 Tf 1 0 0 1 100 100 Tm (across) Tj 0 1 -1 0 130 100 Tm (upwards) Tj ET";
        assert_eq!(text_of(content), "across\nupwards");
    }

    #[test]
    fn rotated_page_content_reads_like_upright_content() {
        // A landscape page drawn on a portrait one: the CTM turns everything by 90°.
        let content = "q 0 1 -1 0 612 0 cm BT /F1 10 Tf 72 500 Td (first) Tj 5 0 Td (line) Tj \
                       0 -12 Td (second) Tj ET Q";
        assert_eq!(text_of(content), "first line\nsecond");
    }

    #[test]
    fn quote_operators_move_to_the_next_line_and_set_spacing() {
        // `"` sets word and character spacing before it shows. With 20 units of word
        // spacing "a b" ends 35 units on, where "c" starts (no space; without it, a gap).
        // With -3 units after each glyph "second" ends 15 units on, where "x" starts (no
        // space; without it "x" would start an em back: text out of order, a space).
        let content = "BT /F1 10 Tf 100 700 Td 12 TL (first) Tj 20 0 (a b) \" 35 0 Td (c) Tj \
                       0 -3 (second) \" 15 0 Td (x) Tj 0 Tc 0 Tw (last) ' ET";
        assert_eq!(text_of(content), "first\na bc\nsecondx\nlast");
    }

    #[test]
    fn rise_and_scaling_keep_text_on_its_line() {
        // A superscript raised by Ts, and text squeezed by Tz with its advance scaled too.
        let content = "BT /F1 10 Tf 100 700 Td (x) Tj 4 Ts (2) Tj 0 Ts 50 Tz (abc) Tj (def) Tj ET";
        assert_eq!(text_of(content), "x2abcdef");
    }

    #[test]
    fn letter_spacing_cancelled_by_adjustments_is_not_a_word_gap() {
        // A heading letter-spaced by negative Tc and positive adjustments (as Adobe's
        // library writes small capitals), then an ordinary word gap in a TJ.
        let content = "BT /F1 1 Tf -0.385 Tc 14.7 0 0 14.7 100 700 Tm [(R) -385 (A) -381 (N) -385 (G)] TJ \
                       0 Tc [(E) -300 (gap)] TJ ET";
        assert_eq!(text_of(content), "RANGE gap");
    }

    #[test]
    fn large_kerning_inside_a_word_is_not_a_space() {
        // Tight kerning pulls glyphs together; it never separates words.
        let content = "BT /F1 10 Tf 100 700 Td [(W) 120 (A) 80 (VE)] TJ ET";
        assert_eq!(text_of(content), "WAVE");
    }

    #[test]
    fn odd_resource_names_resolve() {
        // pypdf names fonts by GUIDs; names may also carry #-escaped bytes.
        let mut pdf = TestPdf::new(b"");
        let form = pdf.form(
            b"BT /F1 10 Tf 100 600 Td (from the form) Tj ET",
            [0.0, 0.0, 612.0, 792.0],
            None,
        );
        let content = "BT /F-8d3b7f0e-4c1a-4f6e-9b2d-1a2b3c4d5e6f 10 Tf 100 700 Td (guid font) Tj ET \
                       BT /Font#20Two 10 Tf 100 680 Td (escaped name) Tj ET /Fm-1.x Do";
        let font = pdf.font;
        let resources = dictionary! {
            "Font" => dictionary! { "F-8d3b7f0e-4c1a-4f6e-9b2d-1a2b3c4d5e6f" => font, "Font Two" => font },
            "XObject" => dictionary! { "Fm-1.x" => form },
        };
        let mut pdf = TestPdf::with_resources(content.as_bytes(), resources);
        pdf.doc.objects.insert(
            form,
            Object::Stream(Stream::new(
                dictionary! {
                    "Type" => "XObject", "Subtype" => "Form",
                    "BBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
                    "Resources" => dictionary! { "Font" => dictionary! { "F1" => pdf.font } },
                },
                b"BT /F1 10 Tf 100 600 Td (from the form) Tj ET".to_vec(),
            )),
        );
        assert_eq!(pdf.text(), "guid font\nescaped name\nfrom the form");
    }

    #[test]
    fn an_inline_image_does_not_derail_the_text() {
        let content = b"BT /F1 10 Tf 100 700 Td (before) Tj ET q 10 0 0 10 100 600 cm \
                        BI /W 2 /H 2 /CS /G /BPC 8 ID \x00EI\xff EI Q BT /F1 10 Tf 100 580 Td (after) Tj ET";
        assert_eq!(TestPdf::new(content).text(), "before\nafter");
    }

    #[test]
    fn actual_text_replaces_the_glyphs_it_covers() {
        // A ligature glyph with its letters in /ActualText (UTF-16), a named property list,
        // a nested section, and an /ActualText over no glyphs (dropped, as by viewers).
        let content = "BT /F1 10 Tf 100 700 Td /Span <</ActualText <FEFF0066006C>>> BDC (X) Tj EMC (ower) Tj \
                       ( ) Tj /Span /Lig BDC (Y) Tj /Span <</ActualText (no)>> BDC (Z) Tj EMC EMC (ing) Tj \
                       /Span <</ActualText (ghost)>> BDC EMC ET";
        let properties = dictionary! { "Properties" => dictionary! { "Lig" => dictionary! { "ActualText" => Object::string_literal("ffl") } } };
        assert_eq!(
            TestPdf::with_resources(content.as_bytes(), properties).text(),
            "flower ffling"
        );
    }

    #[test]
    fn actual_text_left_open_by_a_form_closes_with_it() {
        let mut pdf = TestPdf::new(b"");
        let form = pdf.form(
            b"BT /F1 10 Tf 100 700 Td /Span <</ActualText (open)>> BDC (X) Tj ET",
            [0.0, 0.0, 612.0, 792.0],
            None,
        );
        let resources = dictionary! { "XObject" => dictionary! { "X1" => form } };
        let mut page = TestPdf::with_resources(b"/X1 Do BT /F1 10 Tf 100 680 Td (after) Tj ET", resources);
        page.doc.objects.insert(form, pdf.doc.objects.remove(&form).unwrap());
        assert_eq!(page.text(), "open\nafter");
    }

    #[test]
    fn text_off_the_page_is_left_out() {
        // Below the media box, and beyond the crop box; text at the edge stays.
        let content = "BT /F1 10 Tf 100 -300 Td (below) Tj ET BT /F1 10 Tf 100 785 Td (edge) Tj ET \
                       BT /F1 10 Tf 5000 400 Td (beyond) Tj ET";
        assert_eq!(text_of(content), "edge");
    }

    #[test]
    fn a_long_line_running_past_the_edge_keeps_its_tail() {
        // Guessed glyph widths may carry a line's last word past the edge; its line starts
        // on the page, so it stays.
        let content = "BT /F1 10 Tf 500 700 Td (a line with far too many letters for the page) Tj ( tail) Tj ET";
        assert_eq!(text_of(content), "a line with far too many letters for the page tail");
    }

    /// Writes the walker's text of every PDF in `$RAW_DIR` to `$RAW_OUT/<name>.txt`, page by
    /// page, for comparing with `pdftotext -raw` (no quality gate, no Poppler fallback).
    #[test]
    #[ignore = "a measuring tool, not a test"]
    fn dump_walker_text_of_a_directory() {
        let (Ok(dir), Ok(out)) = (std::env::var("RAW_DIR"), std::env::var("RAW_OUT")) else {
            return;
        };
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|ext| !ext.eq_ignore_ascii_case("pdf")) {
                continue;
            }
            let mut text = String::new();
            if let Ok(Ok(doc)) = std::fs::read(&path).map(|bytes| super::super::load(&bytes)) {
                for (_, id) in doc.get_pages() {
                    let page = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| scan_page(&doc, id)));
                    if let Ok(Ok(scan)) = page {
                        text.push_str(&scan.text);
                    }
                    text.push('\u{c}');
                }
            }
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            std::fs::write(format!("{out}/{name}.txt"), text).unwrap();
        }
    }
}
