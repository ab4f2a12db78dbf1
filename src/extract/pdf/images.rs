//! Turning a scanned page's image XObject into a file Tesseract can read.
//!
//! JPEG streams are passed through as they are. Flate (or unfiltered) 8-bit gray, RGB and CMYK
//! samples, and 1-bit bilevel ones, are written as PNM (PGM/PPM/PBM), which Tesseract reads
//! natively. Other encodings (JPEG 2000, CCITT fax, JBIG2, palettes, other bit depths) are
//! refused here, with the reason; the page is then OCRed as `pdftoppm` renders it (Poppler
//! decodes them all), rather than decoded by a codec of our own for each.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

/// Filters lopdf decodes for us.
const GENERAL_FILTERS: &[&[u8]] = &[
    b"FlateDecode",
    b"Fl",
    b"LZWDecode",
    b"ASCIIHexDecode",
    b"ASCII85Decode",
    b"RunLengthDecode",
];
/// A scan at 600 dpi of an A3 sheet is about 7000 x 10000 pixels; beyond that is not a page.
const MAX_SIDE: i64 = 20_000;

pub(super) struct ImageFile {
    pub bytes: Vec<u8>,
    pub ext: &'static str,
}

/// The image with the most pixels among `ids`: on a scanned page, the scan.
pub(super) fn largest<'a>(doc: &'a Document, ids: &[ObjectId]) -> Option<&'a Stream> {
    ids.iter()
        .filter_map(|id| doc.get_object(*id).and_then(Object::as_stream).ok())
        .max_by_key(|image| pixel_count(image))
}

pub(super) fn pixel_count(image: &Stream) -> i64 {
    dimension(&image.dict, b"Width").unwrap_or(0) * dimension(&image.dict, b"Height").unwrap_or(0)
}

/// Image XObjects listed in a page's resources, for when the page's content cannot be walked.
pub(super) fn listed_on_page(doc: &Document, page_id: ObjectId) -> Vec<ObjectId> {
    let Ok((direct, referenced)) = doc.get_page_resources(page_id) else {
        return Vec::new();
    };
    let dicts = direct
        .into_iter()
        .chain(referenced.into_iter().filter_map(|id| doc.get_dictionary(id).ok()));
    let mut images = Vec::new();
    for resources in dicts {
        let Some(xobjects) = resources
            .get(b"XObject")
            .ok()
            .and_then(|object| resolve(doc, object).as_dict().ok())
        else {
            continue;
        };
        for (_, entry) in xobjects.iter() {
            let Ok(id) = entry.as_reference() else {
                continue;
            };
            let is_image = doc.get_object(id).and_then(Object::as_stream).is_ok_and(|stream| {
                stream
                    .dict
                    .get(b"Subtype")
                    .and_then(Object::as_name)
                    .is_ok_and(|s| s == b"Image")
            });
            if is_image {
                images.push(id);
            }
        }
    }
    images
}

fn resolve<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    doc.dereference(object).map_or(object, |(_, target)| target)
}

fn dimension(dict: &Dictionary, key: &[u8]) -> Option<i64> {
    dict.get(key)
        .ok()?
        .as_i64()
        .ok()
        .filter(|side| (1..=MAX_SIDE).contains(side))
}

/// An OCR-ready file for the image, or why there cannot be one.
pub(super) fn to_image_file(doc: &Document, image: &Stream) -> Result<ImageFile, String> {
    let filters: Vec<&[u8]> = image.filters().unwrap_or_default();
    if filters == [b"DCTDecode".as_slice()] || filters == [b"DCT".as_slice()] {
        return Ok(ImageFile {
            bytes: image.content.clone(),
            ext: "jpg",
        });
    }
    if let Some(special) = filters.iter().find(|filter| !GENERAL_FILTERS.contains(filter)) {
        return Err(format!(
            "the page image is encoded with {}, which Tesseract cannot read as it is",
            String::from_utf8_lossy(special)
        ));
    }
    let (Some(width), Some(height)) = (dimension(&image.dict, b"Width"), dimension(&image.dict, b"Height")) else {
        return Err("the page image has no usable size".to_string());
    };
    let (width, height) = (width as usize, height as usize);
    let layout = sample_layout(doc, &image.dict)?;
    let expected = layout.row_bytes(width) * height;
    // Flate output includes a filter byte per row before PNG predictors are undone; allow
    // headroom for that, but no more than a small multiple of the image's own size.
    let samples = image
        .decompressed_content_with_limit(expected.saturating_mul(2).saturating_add(1 << 20))
        .map_err(|error| format!("the page image does not decode: {error}"))?;
    if samples.len() < expected {
        return Err("the page image holds fewer samples than its size says".to_string());
    }
    Ok(write_pnm(layout, width, height, &samples[..expected]))
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum SampleLayout {
    Gray8,
    Rgb8,
    Cmyk8,
    /// 1 bit per pixel; `zero_is_black` as in DeviceGray without a `/Decode [1 0]`.
    Bilevel {
        zero_is_black: bool,
    },
}

impl SampleLayout {
    fn row_bytes(self, width: usize) -> usize {
        match self {
            SampleLayout::Gray8 => width,
            SampleLayout::Rgb8 => width * 3,
            SampleLayout::Cmyk8 => width * 4,
            SampleLayout::Bilevel { .. } => width.div_ceil(8),
        }
    }
}

fn sample_layout(doc: &Document, dict: &Dictionary) -> Result<SampleLayout, String> {
    let is_mask = dict.get(b"ImageMask").and_then(Object::as_bool).unwrap_or(false);
    let bits = if is_mask {
        1
    } else {
        dict.get(b"BitsPerComponent").and_then(Object::as_i64).unwrap_or(8)
    };
    let decode_inverted = dict
        .get(b"Decode")
        .ok()
        .and_then(|object| object.as_array().ok())
        .and_then(|decode| decode.first().and_then(|first| first.as_float().ok()))
        .is_some_and(|first| first > 0.5);
    let components = if is_mask { 1 } else { color_components(doc, dict)? };
    match (components, bits) {
        (1, 1) => Ok(SampleLayout::Bilevel {
            zero_is_black: !decode_inverted,
        }),
        (1, 8) => Ok(SampleLayout::Gray8),
        (3, 8) => Ok(SampleLayout::Rgb8),
        (4, 8) => Ok(SampleLayout::Cmyk8),
        _ => Err(format!(
            "the page image has {components} colour component(s) at {bits} bits, which Tesseract cannot read as it is"
        )),
    }
}

/// Colour components of the image's colour space: Device*, Cal*, or ICCBased with `/N`.
fn color_components(doc: &Document, dict: &Dictionary) -> Result<usize, String> {
    let space = dict
        .get(b"ColorSpace")
        .map(|object| resolve(doc, object))
        .map_err(|_| "the page image has no colour space".to_string())?;
    let (family, parameter) = match space {
        Object::Name(name) => (name.as_slice(), None),
        Object::Array(items) => {
            let family = items.first().and_then(|item| item.as_name().ok()).unwrap_or_default();
            (family, items.get(1).map(|item| resolve(doc, item)))
        }
        _ => return Err("the page image has an unreadable colour space".to_string()),
    };
    match family {
        b"DeviceGray" | b"CalGray" | b"G" => Ok(1),
        b"DeviceRGB" | b"CalRGB" | b"RGB" => Ok(3),
        b"DeviceCMYK" | b"CMYK" => Ok(4),
        b"ICCBased" => parameter
            .and_then(|profile| profile.as_stream().ok())
            .and_then(|profile| profile.dict.get(b"N").and_then(Object::as_i64).ok())
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| "the page image's ICC profile does not say its components".to_string()),
        other => Err(format!(
            "the page image uses the {} colour space, which Tesseract cannot read as it is",
            String::from_utf8_lossy(other)
        )),
    }
}

fn write_pnm(layout: SampleLayout, width: usize, height: usize, samples: &[u8]) -> ImageFile {
    let (magic, ext, body): (&str, &'static str, Vec<u8>) = match layout {
        SampleLayout::Gray8 => ("P5", "pgm", samples.to_vec()),
        SampleLayout::Rgb8 => ("P6", "ppm", samples.to_vec()),
        SampleLayout::Cmyk8 => ("P6", "ppm", cmyk_to_rgb(samples)),
        // PBM's 1 is black, PDF gray's 0 is.
        SampleLayout::Bilevel { zero_is_black: true } => ("P4", "pbm", samples.iter().map(|byte| !byte).collect()),
        SampleLayout::Bilevel { zero_is_black: false } => ("P4", "pbm", samples.to_vec()),
    };
    let mut bytes = match magic {
        "P4" => format!("{magic}\n{width} {height}\n").into_bytes(),
        _ => format!("{magic}\n{width} {height}\n255\n").into_bytes(),
    };
    bytes.extend_from_slice(&body);
    ImageFile { bytes, ext }
}

/// Naive conversion; good enough for black text on paper.
fn cmyk_to_rgb(samples: &[u8]) -> Vec<u8> {
    samples
        .chunks_exact(4)
        .flat_map(|cmyk| {
            let k = u16::from(cmyk[3]);
            let channel = |value: u8| 255u16.saturating_sub(u16::from(value) + k) as u8;
            [channel(cmyk[0]), channel(cmyk[1]), channel(cmyk[2])]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    fn image(dict: Dictionary, content: Vec<u8>) -> Stream {
        Stream::new(dict, content)
    }

    #[test]
    fn gray_samples_become_pgm() {
        let doc = Document::new();
        let dict = dictionary! { "Subtype" => "Image", "Width" => 2, "Height" => 2, "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 };
        let file = to_image_file(&doc, &image(dict, vec![0, 255, 128, 64])).unwrap();
        assert_eq!(file.ext, "pgm");
        assert_eq!(file.bytes, b"P5\n2 2\n255\n\x00\xff\x80\x40");
    }

    #[test]
    fn bilevel_samples_are_inverted_for_pbm() {
        let doc = Document::new();
        let dict = dictionary! { "Width" => 8, "Height" => 1, "ColorSpace" => "DeviceGray", "BitsPerComponent" => 1 };
        let file = to_image_file(&doc, &image(dict, vec![0b1111_0000])).unwrap();
        assert_eq!(file.bytes, b"P4\n8 1\n\x0f");
    }

    #[test]
    fn jpeg_passes_through_and_fax_is_refused() {
        let doc = Document::new();
        let jpeg = dictionary! { "Width" => 1, "Height" => 1, "Filter" => "DCTDecode" };
        let file = to_image_file(&doc, &image(jpeg, vec![0xFF, 0xD8, 0xFF])).unwrap();
        assert_eq!((file.ext, file.bytes), ("jpg", vec![0xFF, 0xD8, 0xFF]));
        let fax = dictionary! { "Width" => 1, "Height" => 1, "Filter" => "CCITTFaxDecode" };
        let error = to_image_file(&doc, &image(fax, vec![0])).err().unwrap();
        assert!(error.contains("CCITTFaxDecode"), "{error}");
    }

    #[test]
    fn short_sample_data_is_refused() {
        let doc = Document::new();
        let dict = dictionary! { "Width" => 10, "Height" => 10, "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8 };
        assert!(to_image_file(&doc, &image(dict, vec![0; 20])).is_err());
    }

    #[test]
    fn cmyk_black_is_black() {
        assert_eq!(cmyk_to_rgb(&[0, 0, 0, 255, 0, 0, 0, 0]), vec![0, 0, 0, 255, 255, 255]);
    }
}
