//! Images: the `image` crate's PNG, JPEG, GIF, BMP and WebP decoders behind our header checks,
//! and the `tiff` crate's frame walk with our conversion of its samples to grey (OCR is off, so
//! every decoded page stops before Tesseract).
#![no_main]

use libfuzzer_sys::fuzz_target;
use portalcheck::extract::{FileStatus, Format, Limits, extract_as};

fuzz_target!(|data: &[u8]| {
    let got = extract_as(data, Format::Image, &Limits::without_ocr());
    assert!(
        !(got.status == FileStatus::Failed && got.reason.as_deref().is_some_and(|r| r.starts_with("parser panicked"))),
        "{:?}",
        got.reason
    );
    assert!(
        got.status != FileStatus::Ok,
        "an image is never read without OCR: {:?}",
        got.reason
    );
});
