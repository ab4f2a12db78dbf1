//! Images: phone photos and scans submitted as JPEG, PNG, TIFF (every frame a page), BMP, GIF
//! (its first frame) or WebP, read by Tesseract like the scanned pages of a PDF.
//!
//! The decoders are the `image` crate's (PNG, JPEG, GIF, BMP, WebP) and the `tiff` crate's, which
//! walks a multi-page TIFF frame by frame (the `image` crate reads only the first) and decodes
//! CCITT fax, LZW, Deflate and PackBits, the compressions office scanners write. Each page is
//! decoded, turned upright by its EXIF orientation, flattened to grey on white, scaled down when
//! larger than OCR needs, and handed to Tesseract as grey pixels (`ocr/`: the engine in this
//! process, or a PGM for the command): one path for every format, so a flavour Leptonica cannot
//! read (WebP, CMYK JPEG, a palette TIFF) still reaches it, and a damaged file is found by our
//! decoder, not by Tesseract.
//!
//! Dimensions are read from the header and checked before any pixel is decoded, and a TIFF is read
//! one frame at a time up to [`MAX_PAGES`], so a PNG claiming 100000×100000 pixels costs a header
//! read, and a TIFF with a million frames (or a chain that loops) the first [`MAX_PAGES`] frames,
//! one in memory at a time: time, bounded by the worker's limit, never the memory limit.

use std::io::Cursor;

use ::image::imageops::FilterType;
use ::image::{DynamicImage, GrayImage, ImageDecoder, ImageError, ImageReader};
use tiff::ColorType;
use tiff::decoder::{Decoder as TiffDecoder, DecodingResult, Limits as TiffLimits};
use tiff::tags::Tag;

use super::error::ExtractError;
use super::ocr::{self, GrayPixels, INSTALL_TESSERACT_HINT, OcrSettings};
use super::pdf::{pages_phrase, tidy_recognised};
use super::{Limits, Page, Parsed, quality};

/// Pixels one page may have to be decoded: a 108-megapixel phone photo, an A1 sheet at 300 dpi.
/// Decoded as RGB that is about 360 MB, well inside the worker's default 2 GiB.
pub(crate) const MAX_PAGE_PIXELS: u64 = 120_000_000;
/// Frames of a TIFF read as pages. A long scanned document has a few hundred pages; more is a
/// file built to keep us busy, and its OCR would not end within the time limit anyway.
pub(crate) const MAX_PAGES: u32 = 300;
/// The longer side of the image Tesseract gets, as for rendered PDF pages (`ocr.rs`): an A2 sheet
/// at 300 dpi. Larger photos are scaled down; their letters stay far above what OCR needs.
const MAX_OCR_SIDE: u32 = 7016;
/// A page narrower or lower than this cannot hold a line of text; it is not sent to OCR.
const MIN_TEXT_SIDE: u32 = 16;
/// What the `image` crate may allocate for one decoded page: [`MAX_PAGE_PIXELS`] at 16 bits per
/// RGBA channel would not fit, 8-bit RGB(A) does.
const MAX_DECODE_BYTES: u64 = 640 * 1024 * 1024;

/// Why one page yielded no picture.
#[derive(Debug)]
enum PageError {
    Corrupt(String),
    TooLarge(String),
    Unsupported(String),
}

impl PageError {
    fn message(&self) -> &str {
        match self {
            PageError::Corrupt(why) | PageError::TooLarge(why) | PageError::Unsupported(why) => why,
        }
    }

    fn into_file_error(self, kind: &str) -> ExtractError {
        match self {
            PageError::Corrupt(why) => ExtractError::Corrupt(format!("{kind}: it cannot be decoded: {why}")),
            PageError::TooLarge(why) => ExtractError::TooLarge(format!("{kind}: {why}")),
            PageError::Unsupported(why) => ExtractError::Unsupported(format!("{kind}: {why}")),
        }
    }
}

/// One decoded page, grey, upright, and what was done to it on the way.
struct Picture {
    gray: GrayImage,
    turned_upright: bool,
}

/// Reads an image file. `kind` names what sniffing saw ("JPEG image") for the reasons.
pub(crate) fn extract(bytes: &[u8], kind: &str, limits: &Limits) -> Result<Parsed, ExtractError> {
    let mut reading = Reading::new(kind, &limits.ocr);
    if bytes.starts_with(b"II") || bytes.starts_with(b"MM") {
        read_tiff_frames(bytes, &mut reading)?;
    } else {
        let picture = decode_single(bytes);
        reading.page(1, picture);
    }
    reading.conclude()
}

/// What reading the pages of one file found, page by page.
struct Reading<'a> {
    kind: &'a str,
    ocr: &'a OcrSettings,
    parsed: Parsed,
    /// Pages that could not be decoded, with why (the first decides a file with none decoded).
    undecoded: Vec<(u32, PageError)>,
    too_small: Vec<u32>,
    /// OCR ran and found nothing, or only marks that are not language (left out, as a PDF's
    /// garbage text layer is).
    no_text: Vec<u32>,
    unreadable: Vec<u32>,
    turned: Vec<u32>,
    scaled: Vec<u32>,
    /// OCR runs that failed, a frame chain that broke off.
    problems: Vec<String>,
    /// The TIFF has frames beyond [`MAX_PAGES`].
    capped: bool,
}

impl<'a> Reading<'a> {
    fn new(kind: &'a str, ocr: &'a OcrSettings) -> Self {
        Reading {
            kind,
            ocr,
            parsed: Parsed::default(),
            undecoded: Vec::new(),
            too_small: Vec::new(),
            no_text: Vec::new(),
            unreadable: Vec::new(),
            turned: Vec::new(),
            scaled: Vec::new(),
            problems: Vec::new(),
            capped: false,
        }
    }

    /// Records page `number` and, when it decoded and Tesseract is there, its text.
    fn page(&mut self, number: u32, picture: Result<Picture, PageError>) {
        let mut page = Page {
            number,
            name: None,
            text: String::new(),
            ocr: false,
            doubtful_words: Vec::new(),
        };
        match picture {
            Err(error) => self.undecoded.push((number, error)),
            Ok(picture) => {
                if picture.turned_upright {
                    self.turned.push(number);
                }
                let (width, height) = picture.gray.dimensions();
                if width < MIN_TEXT_SIDE || height < MIN_TEXT_SIDE {
                    self.too_small.push(number);
                } else if self.ocr.is_available() {
                    self.recognise(&mut page, picture.gray);
                }
            }
        }
        self.parsed.pages.push(page);
    }

    fn recognise(&mut self, page: &mut Page, gray: GrayImage) {
        let gray = match fit_for_ocr(gray) {
            (gray, true) => {
                self.scaled.push(page.number);
                gray
            }
            (gray, false) => gray,
        };
        let image = GrayPixels {
            pixels: gray.as_raw(),
            width: gray.width() as usize,
            height: gray.height() as usize,
            // As before, when the command was given a PGM: Tesseract estimates it from the text.
            dpi: None,
        };
        match ocr::ocr_gray(self.ocr, &image) {
            Ok(recognised) => {
                let recognised = tidy_recognised(recognised);
                let text = recognised.text;
                if text.chars().all(|c| !c.is_alphanumeric()) {
                    self.no_text.push(page.number);
                } else if quality::assess(&text).is_unreadable() {
                    // A photo of a wall or a stamp OCRs to stray marks; indexed, they would be
                    // searched and classified.
                    self.unreadable.push(page.number);
                } else {
                    page.text = text;
                    page.ocr = true;
                    page.doubtful_words = recognised.doubtful_words;
                }
            }
            Err(error) => self.problems.push(format!("page {}: not OCRed: {error}", page.number)),
        }
    }

    fn conclude(mut self) -> Result<Parsed, ExtractError> {
        let pages = self.parsed.pages.len();
        let decoded = pages - self.undecoded.len();
        if decoded == 0 {
            let (_, first) = self.undecoded.swap_remove(0);
            return Err(first.into_file_error(self.kind));
        }
        let mut notes = Vec::new();
        if self.capped {
            notes.push(format!(
                "only the first {MAX_PAGES} frames were read (the limit of pages per image file); the file has more"
            ));
        }
        for (number, error) in &self.undecoded {
            notes.push(format!("page {number} cannot be decoded: {}", error.message()));
        }
        let mut phrase = |pages: &[u32], what: &str| {
            if !pages.is_empty() {
                notes.push(format!("{} {what}", pages_phrase(pages)));
            }
        };
        phrase(&self.turned, "turned upright by the photo's EXIF orientation");
        phrase(
            &self.scaled,
            &format!("scaled down to {MAX_OCR_SIDE} pixels on the longer side for OCR"),
        );
        phrase(
            &self.too_small,
            &format!("under {MIN_TEXT_SIDE} pixels on a side, too small to hold text"),
        );
        phrase(&self.no_text, "OCR found no text");
        phrase(
            &self.unreadable,
            "OCR found only marks that do not read as language; left out",
        );
        // Frames past the cap, frames not decoded, pages OCR failed on: content the file has
        // and its text lacks.
        let incomplete = self.capped || !self.undecoded.is_empty() || !self.problems.is_empty();
        notes.append(&mut self.problems);
        let has_text = self.parsed.pages.iter().any(|page| page.ocr);
        if !has_text {
            let summary = if self.ocr.is_available() || self.too_small.len() == decoded {
                format!("{} ({pages} page(s)): no text found", self.kind)
            } else {
                format!(
                    "{} ({pages} page(s), read only by OCR); {INSTALL_TESSERACT_HINT}",
                    self.kind
                )
            };
            let details = if notes.is_empty() {
                String::new()
            } else {
                format!("; {}", notes.join("; "))
            };
            return Err(ExtractError::NoText(format!("{summary}{details}")));
        }
        self.parsed.incomplete = incomplete;
        self.parsed.notes = notes;
        Ok(self.parsed)
    }
}

/// A PNG, JPEG, GIF, BMP or WebP: the header first, then (if its size is sane) the pixels.
fn decode_single(bytes: &[u8]) -> Result<Picture, PageError> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|error| PageError::Corrupt(error.to_string()))?;
    let mut limits = ::image::Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(page_error)?;
    let (width, height) = decoder.dimensions();
    check_pixels(width, height)?;
    // A phone stores the photo as the sensor saw it and says in EXIF how to turn it; without
    // turning, Tesseract reads sideways lines as noise. A broken EXIF block is no reason to lose
    // the picture.
    let orientation = decoder
        .orientation()
        .unwrap_or(::image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(page_error)?;
    image.apply_orientation(orientation);
    Ok(Picture {
        gray: flatten_on_white(&image),
        turned_upright: orientation != ::image::metadata::Orientation::NoTransforms,
    })
}

fn page_error(error: ImageError) -> PageError {
    match error {
        ImageError::Limits(error) => PageError::TooLarge(format!("over the decoding limits: {error}")),
        ImageError::Unsupported(error) => PageError::Unsupported(format!("a variant we cannot decode: {error}")),
        other => PageError::Corrupt(other.to_string()),
    }
}

fn check_pixels(width: u32, height: u32) -> Result<(), PageError> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels > MAX_PAGE_PIXELS {
        return Err(PageError::TooLarge(format!(
            "{width}×{height} pixels ({} megapixels), over the limit of {} megapixels per page; not decoded",
            pixels / 1_000_000,
            MAX_PAGE_PIXELS / 1_000_000
        )));
    }
    if pixels == 0 {
        return Err(PageError::Corrupt(format!("its header says {width}×{height} pixels")));
    }
    Ok(())
}

/// Grey, with transparent parts white: black text on a transparent background must not become
/// black on black.
fn flatten_on_white(image: &DynamicImage) -> GrayImage {
    if !image.color().has_alpha() {
        return image.to_luma8();
    }
    let with_alpha = image.to_luma_alpha8();
    GrayImage::from_fn(with_alpha.width(), with_alpha.height(), |x, y| {
        let [luma, alpha] = with_alpha.get_pixel(x, y).0;
        let (luma, alpha) = (u32::from(luma), u32::from(alpha));
        ::image::Luma([((luma * alpha + 255 * (255 - alpha)) / 255) as u8])
    })
}

/// The page scaled so that its longer side is at most [`MAX_OCR_SIDE`], and whether it was.
fn fit_for_ocr(gray: GrayImage) -> (GrayImage, bool) {
    let (width, height) = gray.dimensions();
    let longer = width.max(height);
    if longer <= MAX_OCR_SIDE {
        return (gray, false);
    }
    let scale = |side: u32| ((u64::from(side) * u64::from(MAX_OCR_SIDE) / u64::from(longer)) as u32).max(1);
    let scaled = ::image::imageops::resize(&gray, scale(width), scale(height), FilterType::Triangle);
    (scaled, true)
}

/// Every frame of a TIFF, up to [`MAX_PAGES`], each decoded and recognised before the next is
/// read. A damaged frame chain ends the reading with a note; the frames before it count.
fn read_tiff_frames(bytes: &[u8], reading: &mut Reading) -> Result<(), ExtractError> {
    let mut limits = TiffLimits::default();
    limits.decoding_buffer_size = usize::try_from(MAX_DECODE_BYTES).unwrap_or(usize::MAX);
    let mut decoder = TiffDecoder::new(Cursor::new(bytes))
        .map_err(|error| PageError::Corrupt(error.to_string()).into_file_error(reading.kind))?
        .with_limits(limits);
    let mut number = 1;
    loop {
        reading.page(number, decode_tiff_frame(&mut decoder));
        if !decoder.more_images() {
            return Ok(());
        }
        if number >= MAX_PAGES {
            reading.capped = true;
            return Ok(());
        }
        if let Err(error) = decoder.next_image() {
            reading
                .problems
                .push(format!("frames after page {number} cannot be read: {error}"));
            return Ok(());
        }
        number += 1;
    }
}

fn decode_tiff_frame(decoder: &mut TiffDecoder<Cursor<&[u8]>>) -> Result<Picture, PageError> {
    let (width, height) = decoder.dimensions().map_err(tiff_error)?;
    check_pixels(width, height)?;
    let color = decoder.colortype().map_err(tiff_error)?;
    let palette = match color {
        ColorType::Palette(_) => Some(decoder.get_tag_u16_vec(Tag::ColorMap).map_err(tiff_error)?),
        _ => None,
    };
    let samples = decoder.read_image().map_err(tiff_error)?;
    let gray = tiff_to_gray(width, height, color, samples, palette.as_deref())?;
    Ok(Picture {
        gray,
        turned_upright: false,
    })
}

fn tiff_error(error: tiff::TiffError) -> PageError {
    match error {
        tiff::TiffError::LimitsExceeded => PageError::TooLarge("over the decoding limits".to_string()),
        tiff::TiffError::UnsupportedError(error) => {
            PageError::Unsupported(format!("a variant we cannot decode: {error}"))
        }
        other => PageError::Corrupt(other.to_string()),
    }
}

/// Grey levels from a TIFF frame's samples: bilevel and grey at any depth, RGB(A), CMYK and
/// palette colour, 8 or 16 bits. The `tiff` crate has already turned WhiteIsZero around.
fn tiff_to_gray(
    width: u32,
    height: u32,
    color: ColorType,
    samples: DecodingResult,
    palette: Option<&[u16]>,
) -> Result<GrayImage, PageError> {
    let unsupported = || PageError::Unsupported(format!("a colour layout we cannot decode ({color:?})"));
    let (w, h) = (width as usize, height as usize);
    let luma = |r: u32, g: u32, b: u32| ((r * 299 + g * 587 + b * 114) / 1000) as u8;
    let gray: Vec<u8> = match (color, samples) {
        (ColorType::Gray(8), DecodingResult::U8(v)) => v,
        (ColorType::Gray(16), DecodingResult::U16(v)) => v.iter().map(|s| (s >> 8) as u8).collect(),
        (ColorType::Gray(bits @ (1 | 2 | 4)), DecodingResult::U8(v)) => unpack(&v, w, h, bits, |level| {
            (u32::from(level) * 255 / ((1 << bits) - 1)) as u8
        })?,
        (ColorType::Palette(bits @ (1 | 2 | 4 | 8)), DecodingResult::U8(v)) => {
            let map = palette.ok_or_else(unsupported)?;
            let entries = 1usize << bits;
            if map.len() < 3 * entries {
                return Err(PageError::Corrupt(
                    "its colour map is shorter than its palette".to_string(),
                ));
            }
            let colour = |index: u8| {
                let i = usize::from(index);
                luma(
                    u32::from(map[i] >> 8),
                    u32::from(map[entries + i] >> 8),
                    u32::from(map[2 * entries + i] >> 8),
                )
            };
            if bits == 8 {
                v.into_iter().map(colour).collect()
            } else {
                unpack(&v, w, h, bits, colour)?
            }
        }
        (ColorType::GrayA(8), DecodingResult::U8(v)) => v.chunks_exact(2).map(|p| on_white(p[0], p[1])).collect(),
        (ColorType::RGB(8), DecodingResult::U8(v)) => v
            .chunks_exact(3)
            .map(|p| luma(p[0].into(), p[1].into(), p[2].into()))
            .collect(),
        (ColorType::RGB(16), DecodingResult::U16(v)) => v
            .chunks_exact(3)
            .map(|p| luma((p[0] >> 8).into(), (p[1] >> 8).into(), (p[2] >> 8).into()))
            .collect(),
        (ColorType::RGBA(8), DecodingResult::U8(v)) => v
            .chunks_exact(4)
            .map(|p| on_white(luma(p[0].into(), p[1].into(), p[2].into()), p[3]))
            .collect(),
        (ColorType::CMYK(8), DecodingResult::U8(v)) => v
            .chunks_exact(4)
            .map(|p| {
                let ink = |c: u8| u32::from(255 - c) * u32::from(255 - p[3]) / 255;
                luma(ink(p[0]), ink(p[1]), ink(p[2]))
            })
            .collect(),
        _ => return Err(unsupported()),
    };
    if gray.len() < w * h {
        return Err(PageError::Corrupt(format!(
            "{} pixel values for {width}×{height} pixels",
            gray.len()
        )));
    }
    let mut gray = gray;
    gray.truncate(w * h);
    GrayImage::from_raw(width, height, gray).ok_or_else(unsupported)
}

fn on_white(luma: u8, alpha: u8) -> u8 {
    let (luma, alpha) = (u32::from(luma), u32::from(alpha));
    ((luma * alpha + 255 * (255 - alpha)) / 255) as u8
}

/// Samples of fewer than 8 bits, packed from the high bit, each row starting on a byte.
fn unpack(
    packed: &[u8],
    width: usize,
    height: usize,
    bits: u8,
    level: impl Fn(u8) -> u8,
) -> Result<Vec<u8>, PageError> {
    let bits = usize::from(bits);
    let stride = (width * bits).div_ceil(8);
    if packed.len() < stride * height {
        return Err(PageError::Corrupt(format!(
            "{} bytes of pixel data for {width}×{height} pixels",
            packed.len()
        )));
    }
    let mask = (1u8 << bits) - 1;
    let mut out = Vec::with_capacity(width * height);
    for row in packed.chunks_exact(stride).take(height) {
        for x in 0..width {
            let bit = x * bits;
            let shift = 8 - bits - bit % 8;
            out.push(level((row[bit / 8] >> shift) & mask));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{FileStatus, Format, extract_bytes};
    use ::image::{ImageEncoder, Luma};

    fn no_ocr() -> Limits {
        Limits::without_ocr()
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &byte in bytes {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    /// A PNG whose header claims `width`×`height` and whose data is a few bytes: decoding it
    /// would need the pixels the header promises.
    fn png_claiming(width: u32, height: u32) -> Vec<u8> {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut chunk = |kind: &[u8], data: &[u8]| {
            png.extend_from_slice(&(data.len() as u32).to_be_bytes());
            let mut body = kind.to_vec();
            body.extend_from_slice(data);
            png.extend_from_slice(&body);
            png.extend_from_slice(&crc32(&body).to_be_bytes());
        };
        let mut ihdr = width.to_be_bytes().to_vec();
        ihdr.extend_from_slice(&height.to_be_bytes());
        ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
        chunk(b"IHDR", &ihdr);
        chunk(b"IDAT", &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        chunk(b"IEND", b"");
        png
    }

    fn gray_png(width: u32, height: u32) -> Vec<u8> {
        let image = GrayImage::from_fn(width, height, |x, _| Luma([if x % 7 == 0 { 0 } else { 255 }]));
        let mut out = Vec::new();
        ::image::codecs::png::PngEncoder::new(&mut out)
            .write_image(image.as_raw(), width, height, ::image::ExtendedColorType::L8)
            .unwrap();
        out
    }

    /// A little-endian TIFF of `frames` uncompressed 8-bit grey frames, each `side`×`side`.
    fn gray_tiff(frames: u32, side: u32) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut encoder = tiff::encoder::TiffEncoder::new(Cursor::new(&mut out)).unwrap();
            for frame in 0..frames {
                let pixels: Vec<u8> = (0..side * side).map(|i| ((i + frame) % 251) as u8).collect();
                encoder
                    .write_image::<tiff::encoder::colortype::Gray8>(side, side, &pixels)
                    .unwrap();
            }
        }
        out
    }

    /// GIF, BMP, WebP and an LZW TIFF of two frames decode through the same path; with
    /// Tesseract installed each reads the protocol's title.
    #[test]
    fn every_image_format_reads_through_the_same_path() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/extract");
        let ocr = Limits::default();
        for (name, kind, pages) in [
            ("image_palette.gif", "GIF image", 1),
            ("image_gray.bmp", "BMP image", 1),
            ("image_page.webp", "WebP image", 1),
            ("image_two_frames_lzw.tif", "TIFF image", 2),
        ] {
            let bytes = std::fs::read(dir.join(name)).unwrap();
            let got = extract_bytes(&bytes, &no_ocr());
            // Without OCR an image has no text, so no pages: the reason counts them.
            assert_eq!((got.format, got.status), (Format::Image, FileStatus::NoText), "{name}");
            assert!(
                got.reason
                    .unwrap()
                    .starts_with(&format!("{kind} ({pages} page(s), read only by OCR)"))
            );
            if !ocr.ocr.is_available() {
                eprintln!("Tesseract is not installed; {name} not OCRed");
                continue;
            }
            let got = extract_bytes(&bytes, &ocr);
            assert_eq!(got.status, FileStatus::Ocr, "{name}: {:?}", got.reason);
            for page in &got.pages {
                assert!(
                    page.ocr && page.text.contains("ПРОТОКОЛ ИСПЫТАНИЙ"),
                    "{name}: {}",
                    page.text
                );
            }
        }
    }

    #[test]
    fn a_huge_header_is_refused_before_decoding() {
        let got = extract_bytes(&png_claiming(100_000, 100_000), &no_ocr());
        assert_eq!((got.format, got.status), (Format::Image, FileStatus::TooLarge));
        let reason = got.reason.unwrap();
        assert!(
            reason.starts_with("PNG image: 100000×100000 pixels (10000 megapixels), over the limit of 120 megapixels"),
            "{reason}"
        );
        // Within the limit, the same lie about the data is a corrupt file, not a crash.
        let got = extract_bytes(&png_claiming(4000, 3000), &no_ocr());
        assert_eq!(got.status, FileStatus::Corrupt, "{:?}", got.reason);
    }

    #[test]
    fn a_truncated_jpeg_is_corrupt_not_a_panic() {
        let image = GrayImage::from_fn(64, 64, |x, y| Luma([((x * y) % 256) as u8]));
        let mut jpeg = Vec::new();
        ::image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 80)
            .write_image(image.as_raw(), 64, 64, ::image::ExtendedColorType::L8)
            .unwrap();
        for cut in [3, 20, 200] {
            let got = extract_bytes(&jpeg[..cut], &no_ocr());
            assert_eq!(got.format, Format::Image, "cut at {cut}");
            assert_eq!(got.status, FileStatus::Corrupt, "cut at {cut}: {:?}", got.reason);
            assert!(got.reason.unwrap().starts_with("JPEG image: it cannot be decoded"));
        }
        // Cut after the header and some scan lines, the decoder gives the rows it has (as
        // viewers show them): a page for OCR, not a corrupt file.
        let got = extract_bytes(&jpeg[..jpeg.len() / 2], &no_ocr());
        assert_eq!(
            (got.format, got.status),
            (Format::Image, FileStatus::NoText),
            "{:?}",
            got.reason
        );
    }

    #[test]
    fn without_tesseract_an_image_is_no_text_with_the_install_command() {
        let got = extract_bytes(&gray_png(40, 30), &no_ocr());
        assert_eq!(got.status, FileStatus::NoText);
        assert_eq!(
            got.reason.as_deref(),
            Some(
                "PNG image (1 page(s), read only by OCR); install Tesseract (apt-get install tesseract-ocr \
                 tesseract-ocr-script-cyrl) to read scans"
            )
        );
    }

    #[test]
    fn every_tiff_frame_is_a_page() {
        let got = extract_bytes(&gray_tiff(3, 20), &no_ocr());
        assert_eq!(got.status, FileStatus::NoText, "{:?}", got.reason);
        assert!(
            got.reason
                .unwrap()
                .starts_with("TIFF image (3 page(s), read only by OCR)")
        );
    }

    #[test]
    fn tiff_frames_beyond_the_cap_are_not_read_and_the_reason_says_so() {
        let got = extract_bytes(&gray_tiff(MAX_PAGES + 5, 1), &no_ocr());
        let reason = got.reason.unwrap();
        assert!(
            reason.starts_with("TIFF image (300 page(s))")
                && reason.contains("only the first 300 frames were read")
                && reason.contains("too small to hold text"),
            "{reason}"
        );
    }

    #[test]
    fn a_tiff_cut_short_keeps_the_frames_before_the_cut() {
        let tiff = gray_tiff(2, 20);
        let got = extract_bytes(&tiff[..tiff.len() - 40], &no_ocr());
        // The first frame's pixels come before the second frame's directory.
        assert_eq!(got.status, FileStatus::NoText, "{:?}", got.reason);
        let reason = got.reason.unwrap();
        assert!(
            reason.starts_with("TIFF image (1 page(s)") && reason.contains("frames after page 1 cannot be read"),
            "{reason}"
        );
    }

    #[test]
    fn bilevel_and_palette_samples_become_grey_levels() {
        // Two rows of 10 one-bit pixels, each row padded to two bytes.
        let packed = [0b1010_0000, 0b1100_0000, 0b0000_0000, 0b0100_0000];
        let gray = tiff_to_gray(10, 2, ColorType::Gray(1), DecodingResult::U8(packed.to_vec()), None).unwrap();
        assert_eq!(&gray.as_raw()[..10], &[255, 0, 255, 0, 0, 0, 0, 0, 255, 255]);
        assert_eq!(&gray.as_raw()[10..], &[0, 0, 0, 0, 0, 0, 0, 0, 0, 255]);

        // A colour map is all reds, then all greens, then all blues: index 0 black, 1 white.
        let mut map = vec![0u16; 3 * 256];
        for channel in 0..3 {
            map[channel * 256 + 1] = 0xFFFF;
        }
        let gray = tiff_to_gray(2, 1, ColorType::Palette(8), DecodingResult::U8(vec![1, 0]), Some(&map)).unwrap();
        assert_eq!(gray.as_raw(), &[255, 0]);
        let short = tiff_to_gray(2, 2, ColorType::Gray(8), DecodingResult::U8(vec![1, 0]), None);
        assert!(matches!(short, Err(PageError::Corrupt(_))));
    }

    #[test]
    fn transparency_is_white_and_large_pages_are_scaled_for_ocr() {
        let image = DynamicImage::ImageLumaA8(::image::ImageBuffer::from_fn(2, 1, |x, _| {
            ::image::LumaA([0, if x == 0 { 0 } else { 255 }])
        }));
        assert_eq!(flatten_on_white(&image).as_raw(), &[255, 0]);
        let (scaled, was) = fit_for_ocr(GrayImage::new(MAX_OCR_SIDE * 2, 10));
        assert!(was);
        assert_eq!(scaled.dimensions(), (MAX_OCR_SIDE, 5));
        assert!(!fit_for_ocr(GrayImage::new(100, 100)).1);
    }
}
