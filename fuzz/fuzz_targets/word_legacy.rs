//! Legacy Word (.doc: cfb container, FIB, piece table) and RTF (tokenizer and destinations); the
//! first byte picks which reader.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portalcheck::extract::{FileStatus, Format, Limits, extract_as};

fuzz_target!(|data: &[u8]| {
    let Some((&choice, bytes)) = data.split_first() else { return };
    let format = if choice % 2 == 0 { Format::Doc } else { Format::Rtf };
    let got = extract_as(bytes, format, &Limits::without_ocr());
    assert!(
        !(got.status == FileStatus::Failed && got.reason.as_deref().is_some_and(|r| r.starts_with("parser panicked"))),
        "{:?}",
        got.reason
    );
});
