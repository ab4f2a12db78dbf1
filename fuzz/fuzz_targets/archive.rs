//! ZIP archives read member by member (names, limits, nesting), every member through its reader.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portalcheck::extract::{Format, Limits, extract_as};

fuzz_target!(|data: &[u8]| {
    let got = extract_as(data, Format::Archive, &Limits::without_ocr());
    let reasons = std::iter::once(&got.reason).chain(got.members.iter().map(|m| &m.extracted.reason));
    for reason in reasons {
        assert!(!reason.as_deref().is_some_and(|r| r.contains("panicked")), "{reason:?}");
    }
});
