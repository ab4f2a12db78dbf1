//! One-page PDFs built in memory for the walker's and the annotations' tests. Text is set in
//! standard-14 Helvetica with WinAnsiEncoding (`/F1`), so decoding is never in question, and
//! every glyph half an em wide, so positions are easy to work out.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, dictionary};

use super::walker::scan_page;

pub(super) struct TestPdf {
    pub doc: Document,
    pub page_id: ObjectId,
    pub font: ObjectId,
    annotations: Vec<Object>,
}

impl TestPdf {
    /// A US Letter page (612 x 792) showing `content`, with `/F1` in its resources.
    pub fn new(content: &[u8]) -> TestPdf {
        TestPdf::with_resources(content, Dictionary::new())
    }

    /// Like [`TestPdf::new`], with more resource categories (`/XObject`, `/Properties`, or
    /// another `/Font` dictionary, which then replaces the one with `/F1`).
    pub fn with_resources(content: &[u8], extra: Dictionary) -> TestPdf {
        let mut doc = Document::with_version("1.7");
        // Widths of its own, so the tests measure the walker, not the standard fonts' metrics.
        let font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
            "FirstChar" => 0, "LastChar" => 255, "Widths" => vec![Object::Integer(500); 256],
        });
        let mut resources = dictionary! { "Font" => dictionary! { "F1" => font } };
        for (key, value) in extra {
            resources.set(key, value);
        }
        let content = doc.add_object(Stream::new(dictionary! {}, content.to_vec()));
        let pages_id = doc.new_object_id();
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content, "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1 }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        TestPdf {
            doc,
            page_id,
            font,
            annotations: Vec::new(),
        }
    }

    /// A Form XObject drawing `content` with `/F1`, its box `bbox` and its own `matrix`.
    pub fn form(&mut self, content: &[u8], bbox: [f32; 4], matrix: Option<[f32; 6]>) -> ObjectId {
        let mut dict = dictionary! {
            "Type" => "XObject", "Subtype" => "Form",
            "BBox" => bbox.iter().map(|&v| Object::Real(v)).collect::<Vec<_>>(),
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => self.font } },
        };
        if let Some(matrix) = matrix {
            dict.set("Matrix", matrix.iter().map(|&v| Object::Real(v)).collect::<Vec<_>>());
        }
        self.doc.add_object(Stream::new(dict, content.to_vec()))
    }

    /// Adds an annotation to the page's `/Annots` (by reference, as writers do).
    pub fn annotate(&mut self, annotation: Dictionary) -> ObjectId {
        let id = self.doc.add_object(annotation);
        self.annotations.push(Object::Reference(id));
        id
    }

    /// Sets the document's interactive form dictionary.
    pub fn acroform(&mut self, form: Dictionary) {
        let form = self.doc.add_object(form);
        let catalog = self.doc.catalog_mut().expect("the test document has a catalog");
        catalog.set("AcroForm", form);
    }

    /// The page's text as the walker reads it.
    pub fn text(mut self) -> String {
        let annotations = std::mem::take(&mut self.annotations);
        if !annotations.is_empty()
            && let Ok(page) = self.doc.get_dictionary_mut(self.page_id)
        {
            page.set("Annots", annotations);
        }
        scan_page(&self.doc, self.page_id).expect("the test page walks").text
    }
}

/// `[x0 y0 x1 y1]` as a PDF array.
pub(super) fn rect(values: [f32; 4]) -> Object {
    Object::Array(values.iter().map(|&v| Object::Real(v)).collect())
}
