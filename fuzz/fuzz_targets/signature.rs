//! CMS signatures (DER, PEM or base64; detached or attached), through the sniffer so base64 and
//! DER both reach the reader; the first byte chooses sniffing or the CMS reader forced.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portalcheck::extract::{FileStatus, Format, Limits, extract_as, extract_bytes};

fuzz_target!(|data: &[u8]| {
    let Some((&choice, bytes)) = data.split_first() else { return };
    let got = if choice % 2 == 0 {
        extract_bytes(bytes, &Limits::without_ocr())
    } else {
        extract_as(bytes, Format::Signature, &Limits::without_ocr())
    };
    assert!(
        !(got.status == FileStatus::Failed && got.reason.as_deref().is_some_and(|r| r.starts_with("parser panicked"))),
        "{:?}",
        got.reason
    );
});
