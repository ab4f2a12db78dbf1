//! The object card parser (`object.xml`): never panics, never expands entities.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = portalcheck::card::parse_card(data);
});
