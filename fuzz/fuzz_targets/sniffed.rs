//! The whole extraction entry point: format sniffing, then whichever reader the bytes select.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portalcheck::extract::{FileStatus, Limits, extract_bytes};

fuzz_target!(|data: &[u8]| {
    let got = extract_bytes(data, &Limits::without_ocr());
    assert!(
        !(got.status == FileStatus::Failed && got.reason.as_deref().is_some_and(|r| r.starts_with("parser panicked"))),
        "{:?}",
        got.reason
    );
});
