//! The PDF reader (lopdf object model + our content-stream walker) on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portalcheck::extract::{FileStatus, Format, Limits, extract_as};

fuzz_target!(|data: &[u8]| {
    let got = extract_as(data, Format::Pdf, &Limits::without_ocr());
    // A caught panic is still a bug: make libFuzzer keep the input.
    assert!(
        !(got.status == FileStatus::Failed && got.reason.as_deref().is_some_and(|r| r.starts_with("parser panicked"))),
        "{:?}",
        got.reason
    );
});
