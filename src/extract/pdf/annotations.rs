//! What a viewer draws on top of a page's content: the appearance streams of its annotations
//! (filled-in form fields, free-text notes, stamps), and the values of form fields that have
//! no appearance of their own. Poppler draws these, so `pdftotext` has their text; a submitted
//! form's answers live nowhere else.
//!
//! This module decides what is drawn and where; the walker runs the appearance streams.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::walker::{Area, Matrix, resolve};

/// Annotations read per page at most; real pages carry dozens, a hostile one millions.
const MAX_ANNOTATIONS: usize = 2_000;
/// Fields nest this deep at most when looking up inherited entries; deeper is a loop.
const MAX_FIELD_DEPTH: usize = 32;
/// Bound on a field value kept in a stream (long text fields may do that).
const MAX_VALUE_BYTES: usize = 1024 * 1024;
/// Options of a list box drawn at most.
const MAX_OPTIONS: usize = 1_000;

/// Annotation flags (PDF 32000-1, 12.5.3): not drawn on screen.
const FLAG_HIDDEN: i64 = 1 << 1;
const FLAG_NO_VIEW: i64 = 1 << 5;
/// Field flags (PDF 32000-1, 12.7.4.2-4).
const FIELD_PASSWORD: i64 = 1 << 13;
const BUTTON_PUSH: i64 = 1 << 16;
const CHOICE_COMBO: i64 = 1 << 17;

/// One thing an annotation puts on the page, in drawing order.
pub(super) enum Drawn<'a> {
    /// An appearance stream, to be run as a form with `placement` as its CTM.
    Appearance {
        id: ObjectId,
        form: &'a Stream,
        placement: Matrix,
    },
    /// Text with no appearance stream to carry it (a field value, a note's contents): one
    /// line per line of the text.
    Text(String),
}

/// The page's annotations as drawn, and the form's default resources, which appearance
/// streams without resources of their own fall back on.
pub(super) struct PageAnnotations<'a> {
    pub drawn: Vec<Drawn<'a>>,
    pub default_resources: Option<&'a Dictionary>,
}

pub(super) fn drawn_on_page(doc: &Document, page_id: ObjectId) -> PageAnnotations<'_> {
    let form = doc
        .catalog()
        .ok()
        .and_then(|catalog| catalog.get(b"AcroForm").ok())
        .and_then(|form| resolve(doc, form).as_dict().ok());
    let need_appearances = form
        .and_then(|form| form.get(b"NeedAppearances").ok())
        .and_then(|flag| resolve(doc, flag).as_bool().ok())
        .unwrap_or(false);
    let default_resources = form
        .and_then(|form| form.get(b"DR").ok())
        .and_then(|resources| resolve(doc, resources).as_dict().ok());
    let annotations = doc
        .get_dictionary(page_id)
        .ok()
        .and_then(|page| page.get(b"Annots").ok())
        .and_then(|annots| resolve(doc, annots).as_array().ok())
        .map_or(&[][..], Vec::as_slice);
    let drawn = annotations
        .iter()
        .take(MAX_ANNOTATIONS)
        .filter_map(|annotation| resolve(doc, annotation).as_dict().ok())
        .filter_map(|annotation| drawn(doc, annotation, need_appearances))
        .collect();
    PageAnnotations {
        drawn,
        default_resources,
    }
}

/// What one annotation draws, if anything (a viewer's choice, as Poppler makes it).
fn drawn<'a>(doc: &'a Document, annotation: &'a Dictionary, need_appearances: bool) -> Option<Drawn<'a>> {
    let subtype = name(doc, annotation, b"Subtype");
    // A popup shows another annotation's text only when opened; a link is an area, not text.
    if matches!(subtype, Some(b"Popup" | b"Link")) {
        return None;
    }
    let flags = integer(doc, annotation, b"F").unwrap_or(0);
    if flags & (FLAG_HIDDEN | FLAG_NO_VIEW) != 0 {
        return None;
    }
    let appearance = appearance(doc, annotation);
    if subtype == Some(b"Widget") {
        let field = Field {
            doc,
            widget: annotation,
        };
        match field.kind() {
            FieldKind::Text | FieldKind::Choice => {
                // A viewer builds the appearance from the value when there is none, or when
                // the form says the existing ones are stale; the value is what it shows then.
                if need_appearances || appearance.is_none() {
                    return field.shown_value().map(Drawn::Text);
                }
            }
            // A tick or a dot, not text.
            FieldKind::CheckBox => return None,
            FieldKind::Password | FieldKind::Other => {}
        }
    }
    if let Some(drawn) = appearance {
        return Some(drawn);
    }
    if subtype == Some(b"FreeText") {
        // A free-text note without an appearance is drawn from its contents.
        let contents = resolve(doc, annotation.get(b"Contents").ok()?).as_str().ok()?;
        return Some(Drawn::Text(text_string(contents)));
    }
    None
}

/// The normal appearance, placed on the page by the annotation's rectangle.
fn appearance<'a>(doc: &'a Document, annotation: &'a Dictionary) -> Option<Drawn<'a>> {
    let appearances = resolve(doc, annotation.get(b"AP").ok()?).as_dict().ok()?;
    let normal = appearances.get(b"N").ok()?;
    let id = match normal {
        Object::Reference(id) => match doc.get_object(*id).ok()? {
            Object::Stream(_) => *id,
            Object::Dictionary(states) => state_appearance(doc, annotation, states)?,
            _ => return None,
        },
        Object::Dictionary(states) => state_appearance(doc, annotation, states)?,
        _ => return None,
    };
    let form = doc.get_object(id).and_then(Object::as_stream).ok()?;
    let placement = placement(doc, annotation, form)?;
    Some(Drawn::Appearance { id, form, placement })
}

/// The appearance of the state the annotation is in (`/AS`), for annotations with several.
fn state_appearance(doc: &Document, annotation: &Dictionary, states: &Dictionary) -> Option<ObjectId> {
    let state = name(doc, annotation, b"AS")?;
    states.get(state).ok()?.as_reference().ok()
}

/// The matrix that maps the appearance's bounding box, transformed by its own matrix, onto
/// the annotation's rectangle (PDF 32000-1, 12.5.5); the form's `/Matrix` comes before it.
fn placement(doc: &Document, annotation: &Dictionary, form: &Stream) -> Option<Matrix> {
    let rect = Area::from_rectangle(resolve(doc, annotation.get(b"Rect").ok()?), doc)?;
    let bbox = Area::from_rectangle(resolve(doc, form.dict.get(b"BBox").ok()?), doc)?;
    let matrix = form
        .dict
        .get(b"Matrix")
        .ok()
        .and_then(|matrix| resolve(doc, matrix).as_array().ok())
        .and_then(|operands| Matrix::from_operands(operands))
        .unwrap_or(Matrix::IDENTITY);
    let corners = [
        (bbox.x0, bbox.y0),
        (bbox.x1, bbox.y0),
        (bbox.x0, bbox.y1),
        (bbox.x1, bbox.y1),
    ]
    .map(|(x, y)| Matrix::translation(x, y).then(matrix).origin());
    let fold =
        |pick: fn(f32, f32) -> f32, axis: fn(&(f32, f32)) -> f32| corners.iter().map(axis).reduce(pick).unwrap_or(0.0);
    let (x0, x1) = (fold(f32::min, |c| c.0), fold(f32::max, |c| c.0));
    let (y0, y1) = (fold(f32::min, |c| c.1), fold(f32::max, |c| c.1));
    // A flat box cannot be scaled to the rectangle; drawing it unscaled keeps its text.
    let scale = |rect_extent: f32, box_extent: f32| {
        if box_extent.abs() > f32::EPSILON {
            rect_extent / box_extent
        } else {
            1.0
        }
    };
    let sx = scale(rect.x1 - rect.x0, x1 - x0);
    let sy = scale(rect.y1 - rect.y0, y1 - y0);
    let placement = Matrix([sx, 0.0, 0.0, sy, rect.x0 - x0 * sx, rect.y0 - y0 * sy]);
    placement.0.iter().all(|value| value.is_finite()).then_some(placement)
}

enum FieldKind {
    Text,
    Password,
    Choice,
    /// Check boxes and radio buttons: their appearance is a mark.
    CheckBox,
    /// Push buttons (their caption is in the appearance), signatures, unknown types.
    Other,
}

/// A widget and the field it belongs to: entries a widget lacks are inherited from its
/// ancestors in the field tree.
struct Field<'a> {
    doc: &'a Document,
    widget: &'a Dictionary,
}

impl<'a> Field<'a> {
    fn inherited(&self, key: &[u8]) -> Option<&'a Object> {
        let mut node = self.widget;
        for _ in 0..MAX_FIELD_DEPTH {
            if let Ok(value) = node.get(key) {
                return Some(resolve(self.doc, value));
            }
            node = resolve(self.doc, node.get(b"Parent").ok()?).as_dict().ok()?;
        }
        None
    }

    fn flags(&self) -> i64 {
        self.inherited(b"Ff").and_then(|flags| flags.as_i64().ok()).unwrap_or(0)
    }

    fn kind(&self) -> FieldKind {
        let flags = self.flags();
        match self.inherited(b"FT").and_then(|kind| kind.as_name().ok()) {
            Some(b"Tx") if flags & FIELD_PASSWORD != 0 => FieldKind::Password,
            Some(b"Tx") => FieldKind::Text,
            Some(b"Ch") => FieldKind::Choice,
            Some(b"Btn") if flags & BUTTON_PUSH != 0 => FieldKind::Other,
            Some(b"Btn") => FieldKind::CheckBox,
            _ => FieldKind::Other,
        }
    }

    /// The text a viewer shows for the field when it draws the appearance itself: a text
    /// field's value; a combo box's chosen option; a list box's options from the first
    /// visible one on (a list box shows its list, the choice only highlighted).
    fn shown_value(&self) -> Option<String> {
        let text = match self.kind() {
            FieldKind::Text => self.inherited(b"V").and_then(|value| value_text(self.doc, value))?,
            FieldKind::Choice if self.flags() & CHOICE_COMBO != 0 => {
                let chosen = self.chosen().into_iter().next()?;
                self.options()
                    .into_iter()
                    .find(|(export, _)| *export == chosen)
                    .map_or(chosen, |(_, shown)| shown)
            }
            FieldKind::Choice => {
                let first_visible = self
                    .widget
                    .get(b"TI")
                    .ok()
                    .and_then(|index| resolve(self.doc, index).as_i64().ok())
                    .and_then(|index| usize::try_from(index).ok())
                    .unwrap_or(0);
                let options = self.options();
                if options.is_empty() {
                    // A list without options shows nothing but its choice, if it has one.
                    self.chosen().join("\n")
                } else {
                    let shown: Vec<String> = options
                        .into_iter()
                        .skip(first_visible)
                        .map(|(_, shown)| shown)
                        .collect();
                    shown.join("\n")
                }
            }
            FieldKind::Password | FieldKind::CheckBox | FieldKind::Other => return None,
        };
        (!text.trim().is_empty()).then_some(text)
    }

    /// The chosen values of a choice field (one, or several in a multiple-choice list).
    fn chosen(&self) -> Vec<String> {
        match self.inherited(b"V") {
            Some(Object::Array(values)) => values
                .iter()
                .take(MAX_OPTIONS)
                .filter_map(|value| value_text(self.doc, resolve(self.doc, value)))
                .collect(),
            Some(value) => value_text(self.doc, value).into_iter().collect(),
            None => Vec::new(),
        }
    }

    /// `(export value, text shown)` per option; an option given as one string is both.
    fn options(&self) -> Vec<(String, String)> {
        let Some(Object::Array(options)) = self.inherited(b"Opt") else {
            return Vec::new();
        };
        options
            .iter()
            .take(MAX_OPTIONS)
            .filter_map(|option| match resolve(self.doc, option) {
                Object::Array(pair) => {
                    let mut texts = pair
                        .iter()
                        .filter_map(|item| value_text(self.doc, resolve(self.doc, item)));
                    let export = texts.next()?;
                    let shown = texts.next().unwrap_or_else(|| export.clone());
                    Some((export, shown))
                }
                single => value_text(self.doc, single).map(|text| (text.clone(), text)),
            })
            .collect()
    }
}

/// A field value as text: a text string, a name (choice values written as names), or a
/// stream holding the text (long values).
fn value_text(doc: &Document, value: &Object) -> Option<String> {
    match resolve(doc, value) {
        Object::String(bytes, _) => Some(text_string(bytes)),
        Object::Name(name) => Some(String::from_utf8_lossy(name).into_owned()),
        Object::Stream(stream) => stream
            .decompressed_content_with_limit(MAX_VALUE_BYTES)
            .ok()
            .map(|bytes| text_string(&bytes)),
        _ => None,
    }
}

/// A PDF text string (PDF 32000-1, 7.9.2.2): UTF-16BE after its byte order mark, UTF-8 after
/// its own (PDF 2.0), PDFDocEncoding otherwise. Damaged text keeps what decodes.
pub(super) fn text_string(bytes: &[u8]) -> String {
    if let Some(utf16) = bytes.strip_prefix(b"\xFE\xFF") {
        let units: Vec<u16> = utf16
            .chunks_exact(2)
            .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(utf8) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(utf8).into_owned();
    }
    // Codes PDFDocEncoding leaves undefined make lopdf give up on the whole string; Latin-1
    // agrees with it on the letters, so the text survives.
    lopdf::decode_text_string(&Object::string_literal(bytes))
        .unwrap_or_else(|_| bytes.iter().map(|&byte| char::from(byte)).collect())
}

fn name<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    resolve(doc, dict.get(key).ok()?).as_name().ok()
}

fn integer(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<i64> {
    resolve(doc, dict.get(key).ok()?).as_i64().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::pdf::test_pdf::{TestPdf, rect};
    use lopdf::dictionary;

    const PAGE_TEXT: &[u8] = b"BT /F1 12 Tf 72 720 Td (Application form) Tj ET";

    fn utf16(text: &str) -> Object {
        let mut bytes = vec![0xFE, 0xFF];
        bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        Object::String(bytes, lopdf::StringFormat::Hexadecimal)
    }

    /// A text field's widget with `value` and, if given, an appearance showing `shown`.
    fn text_field(pdf: &mut TestPdf, value: Object, shown: Option<&str>, y: f32) -> Dictionary {
        let mut widget = dictionary! {
            "Type" => "Annot", "Subtype" => "Widget", "FT" => "Tx", "T" => "name", "V" => value,
            "F" => 4, "Rect" => rect([72.0, y, 272.0, y + 20.0]),
        };
        if let Some(shown) = shown {
            let content = format!("/Tx BMC q BT /F1 10 Tf 2 6 Td ({shown}) Tj ET Q EMC");
            let appearance = pdf.form(content.as_bytes(), [0.0, 0.0, 200.0, 20.0], None);
            widget.set("AP", dictionary! { "N" => appearance });
        }
        widget
    }

    #[test]
    fn a_filled_field_is_read_from_its_appearance_once() {
        let mut pdf = TestPdf::new(PAGE_TEXT);
        let widget = text_field(&mut pdf, Object::string_literal("Ivanov"), Some("Ivanov"), 600.0);
        pdf.annotate(widget);
        assert_eq!(pdf.text(), "Application form\nIvanov");
    }

    #[test]
    fn a_field_without_appearance_shows_its_value() {
        // Unicode value, inherited from the field that parents the widget; lines kept.
        let mut pdf = TestPdf::new(PAGE_TEXT);
        let field = pdf
            .doc
            .add_object(dictionary! { "FT" => "Tx", "T" => "address", "V" => utf16("Астана,\rпр. Мәңгілік Ел 8") });
        pdf.annotate(dictionary! {
            "Type" => "Annot", "Subtype" => "Widget", "Parent" => field, "Rect" => rect([72.0, 600.0, 272.0, 620.0]),
        });
        assert_eq!(pdf.text(), "Application form\nАстана,\nпр. Мәңгілік Ел 8\n");
    }

    #[test]
    fn stale_appearances_give_way_to_the_value() {
        // NeedAppearances: a viewer redraws the field from its value, so the old appearance
        // is not read (and the value not read twice).
        let mut pdf = TestPdf::new(PAGE_TEXT);
        let widget = text_field(&mut pdf, Object::string_literal("new value"), Some("old value"), 600.0);
        pdf.annotate(widget);
        pdf.acroform(dictionary! { "Fields" => vec![], "NeedAppearances" => true });
        assert_eq!(pdf.text(), "Application form\nnew value\n");
    }

    #[test]
    fn hidden_popup_link_and_check_box_annotations_show_no_text() {
        let mut pdf = TestPdf::new(PAGE_TEXT);
        for (flags, subtype) in [(2, "Widget"), (32, "Widget"), (4, "Popup"), (4, "Link")] {
            let mut widget = text_field(&mut pdf, Object::string_literal("secret"), Some("secret"), 600.0);
            widget.set("F", flags);
            widget.set("Subtype", subtype);
            pdf.annotate(widget);
        }
        let tick = pdf.form(b"BT /F1 10 Tf 2 2 Td (4) Tj ET", [0.0, 0.0, 20.0, 20.0], None);
        let blank = pdf.form(b"", [0.0, 0.0, 20.0, 20.0], None);
        pdf.annotate(dictionary! {
            "Type" => "Annot", "Subtype" => "Widget", "FT" => "Btn", "V" => "Yes", "AS" => "Yes",
            "Rect" => rect([72.0, 500.0, 92.0, 520.0]), "AP" => dictionary! { "N" => dictionary! { "Yes" => tick, "Off" => blank } },
        });
        assert_eq!(pdf.text(), "Application form");
    }

    #[test]
    fn the_appearance_of_the_current_state_is_drawn() {
        let mut pdf = TestPdf::new(PAGE_TEXT);
        let approved = pdf.form(b"BT /F1 10 Tf 2 6 Td (APPROVED) Tj ET", [0.0, 0.0, 100.0, 20.0], None);
        let draft = pdf.form(b"BT /F1 10 Tf 2 6 Td (DRAFT) Tj ET", [0.0, 0.0, 100.0, 20.0], None);
        pdf.annotate(dictionary! {
            "Type" => "Annot", "Subtype" => "Stamp", "AS" => "Approved", "Rect" => rect([300.0, 600.0, 400.0, 620.0]),
            "AP" => dictionary! { "N" => dictionary! { "Approved" => approved, "Draft" => draft } },
        });
        assert_eq!(pdf.text(), "Application form\nAPPROVED");
    }

    #[test]
    fn appearances_are_placed_by_rectangle_box_and_matrix() {
        // A field turned by 90° (its appearance's matrix), and one whose appearance overflows
        // its rectangle downwards off the page: the overflow is not on the page.
        let mut pdf = TestPdf::new(PAGE_TEXT);
        let turned = pdf.form(
            b"BT /F1 10 Tf 2 6 Td (turned) Tj 5 0 Td (field) Tj ET",
            [0.0, 0.0, 100.0, 20.0],
            Some([0.0, 1.0, -1.0, 0.0, 20.0, 0.0]),
        );
        pdf.annotate(dictionary! {
            "Type" => "Annot", "Subtype" => "Widget", "FT" => "Tx", "V" => "turned field",
            "Rect" => rect([500.0, 300.0, 520.0, 400.0]), "AP" => dictionary! { "N" => turned },
        });
        let long = pdf.form(
            b"BT /F1 10 Tf 12 TL 2 30 Td (visible) Tj T* (still visible) Tj 0 -200 Td (overflow) Tj ET",
            [0.0, 0.0, 200.0, 40.0],
            None,
        );
        pdf.annotate(dictionary! {
            "Type" => "Annot", "Subtype" => "FreeText", "Rect" => rect([72.0, 20.0, 272.0, 60.0]),
            "AP" => dictionary! { "N" => long }, "Contents" => "visible still visible overflow",
        });
        assert_eq!(pdf.text(), "Application form\nturned field\nvisible\nstill visible");
    }

    #[test]
    fn choice_fields_show_the_chosen_option_or_their_list() {
        let mut pdf = TestPdf::new(PAGE_TEXT);
        let options = vec![
            Object::Array(vec![Object::string_literal("kz"), Object::string_literal("Kazakhstan")]),
            Object::Array(vec![Object::string_literal("ru"), Object::string_literal("Russia")]),
            Object::string_literal("Other"),
        ];
        pdf.annotate(dictionary! {
            "Type" => "Annot", "Subtype" => "Widget", "FT" => "Ch", "Ff" => CHOICE_COMBO,
            "Opt" => options.clone(), "V" => Object::string_literal("kz"), "Rect" => rect([72.0, 600.0, 272.0, 620.0]),
        });
        pdf.annotate(dictionary! {
            "Type" => "Annot", "Subtype" => "Widget", "FT" => "Ch", "TI" => 1,
            "Opt" => options, "V" => Object::string_literal("ru"), "Rect" => rect([72.0, 500.0, 272.0, 560.0]),
        });
        assert_eq!(pdf.text(), "Application form\nKazakhstan\nRussia\nOther\n");
    }

    #[test]
    fn a_free_text_note_without_appearance_shows_its_contents() {
        let mut pdf = TestPdf::new(PAGE_TEXT);
        pdf.annotate(dictionary! {
            "Type" => "Annot", "Subtype" => "FreeText", "Contents" => utf16("Подпись ЭЦП проверена"),
            "Rect" => rect([72.0, 600.0, 272.0, 620.0]),
        });
        assert_eq!(pdf.text(), "Application form\nПодпись ЭЦП проверена\n");
    }

    #[test]
    fn damaged_and_hostile_annotations_cost_nothing_but_their_own_text() {
        // Garbage entries, a widget whose field tree loops, an appearance that draws itself,
        // and ten thousand copies of one annotation: bounded, no panic.
        let mut pdf = TestPdf::new(PAGE_TEXT);
        let looping = pdf.doc.new_object_id();
        pdf.doc.objects.insert(
            looping,
            Object::Dictionary(dictionary! { "Parent" => looping, "Type" => "Annot", "Subtype" => "Widget", "Rect" => rect([0.0, 0.0, 1.0, 1.0]) }),
        );
        let recursive = pdf.doc.new_object_id();
        let recursive_form = Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Form", "BBox" => rect([0.0, 0.0, 100.0, 20.0]),
                "Resources" => dictionary! { "Font" => dictionary! { "F1" => pdf.font }, "XObject" => dictionary! { "Me" => recursive } },
            },
            b"BT /F1 10 Tf 2 6 Td (again) Tj ET /Me Do".to_vec(),
        );
        pdf.doc.objects.insert(recursive, Object::Stream(recursive_form));
        let copy = pdf.doc.add_object(dictionary! {
            "Type" => "Annot", "Subtype" => "Stamp", "Rect" => rect([72.0, 600.0, 172.0, 620.0]), "AP" => dictionary! { "N" => recursive },
        });
        let mut annots = vec![
            Object::Integer(7),
            Object::Null,
            looping.into(),
            Object::Reference((9999, 0)),
        ];
        annots.extend(std::iter::repeat_n(Object::Reference(copy), 10_000));
        let page_id = pdf.page_id;
        let Ok(page) = pdf.doc.get_dictionary_mut(page_id) else {
            panic!("the test page is a dictionary");
        };
        page.set("Annots", annots);
        let text = pdf.text();
        assert!(text.starts_with("Application form\nagain\nagain\n"));
        assert_eq!(text.matches("again").count(), MAX_ANNOTATIONS - 4);
    }

    #[test]
    fn text_strings_decode_by_their_byte_order_mark() {
        assert_eq!(text_string(b"\xFE\xFF\x04\x10\x04\x3A\x04\x42"), "Акт");
        assert_eq!(text_string(b"\xEF\xBB\xBF\xD0\x90"), "А");
        assert_eq!(text_string(b"Caf\xE9"), "Café");
        // An odd byte at the end of UTF-16 is not a code unit: dropped, the rest kept.
        assert_eq!(text_string(b"\xFE\xFF\x00A\x00"), "A");
    }
}
