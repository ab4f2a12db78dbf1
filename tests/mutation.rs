//! Bounded, seeded mutation test of every extractor (stable toolchain; the open-ended fuzzing is
//! `fuzz/`). Each sample, fidelity and fixture file (`tests/fixtures/extract/archive.zip` among
//! them, whose members are checked one by one), and each peer PDF up to 300 KiB, is
//! truncated, bit-flipped and overwritten with garbage windows in a fixed number of
//! deterministic ways; every mutant must come back as an
//! `Extracted` with a status and reason: no panic (caught or not), no hang.
//!
//! Every crash this or the fuzzers ever found is pinned in `tests/fixtures/regressions/` and
//! re-read by `regressions_stay_fixed`.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use portalcheck::extract::{Extracted, FileStatus, Format, Limits, extract_bytes, sniff};

mod support;

use support::root;

/// Far beyond what any mutant of these small files needs; only a hang gets near it.
const HANG: Duration = Duration::from_secs(60);
const MUTANTS_PER_FILE: usize = 12;

/// Peer PDFs (`corpora/peer/`, other producers' fonts, forms and annotations) up to this size
/// are mutated too; the larger ones would cost minutes and add no new kind of structure.
const MAX_PEER_BYTES: u64 = 300 * 1024;

fn inputs() -> Vec<PathBuf> {
    let ours = [
        "corpora/sample",
        "corpora/fidelity",
        "tests/fixtures/extract",
        "tests/fixtures/signatures",
    ]
    .iter()
    .flat_map(|dir| walkdir::WalkDir::new(root().join(dir)).sort_by_file_name())
    .filter_map(Result::ok)
    .filter(|e| e.file_type().is_file());
    let peers = walkdir::WalkDir::new(root().join("corpora/peer"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|ext| ext == "pdf"))
        .filter(|e| e.metadata().is_ok_and(|meta| meta.len() <= MAX_PEER_BYTES));
    let mut files: Vec<PathBuf> = ours.chain(peers).map(|e| e.into_path()).collect();
    files.sort();
    files
}

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(bytes: &[u8], rng: &mut Rng, which: usize) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let len = out.len();
    match which % 6 {
        // Cut anywhere: uploads break off.
        0 => out.truncate(rng.below(len)),
        // Cut in the last 2 KiB, where PDF trailers and ZIP central directories live.
        1 => out.truncate(len.saturating_sub(1 + rng.below(2048.min(len)))),
        // A handful of flipped bits.
        2 => {
            for _ in 0..1 + rng.below(8) {
                let at = rng.below(len);
                out[at] ^= 1 << rng.below(8);
            }
        }
        // A window of random garbage.
        3 => {
            let start = rng.below(len);
            let end = (start + 1 + rng.below(512)).min(len);
            for byte in &mut out[start..end] {
                *byte = rng.next() as u8;
            }
        }
        // Interesting numbers written over digits: object numbers, lengths, offsets, counts.
        4 => {
            let digits: Vec<usize> = (0..len).filter(|&i| out[i].is_ascii_digit()).collect();
            if !digits.is_empty() {
                for _ in 0..1 + rng.below(4) {
                    let at = digits[rng.below(digits.len())];
                    let value: &[u8] = [b"0".as_slice(), b"9999999999", b"-1", b"4294967296"][rng.below(4)];
                    let end = (at + value.len()).min(len);
                    out[at..end].copy_from_slice(&value[..end - at]);
                }
            }
        }
        // A chunk duplicated elsewhere: repeated objects, overlapping entries.
        _ => {
            let start = rng.below(len);
            let chunk: Vec<u8> = out[start..(start + 1 + rng.below(1024)).min(len)].to_vec();
            let at = rng.below(len);
            out.splice(at..at, chunk);
        }
    }
    out
}

/// Extracts on a thread so that a hang is a failure with the input named, not a stuck suite.
fn extract_watched(bytes: Vec<u8>, what: &str) -> Extracted {
    let (sender, receiver) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(64 * 1024 * 1024)
        .spawn(move || {
            let _ = sender.send(extract_bytes(&bytes, &Limits::without_ocr()));
        })
        .unwrap();
    match receiver.recv_timeout(HANG) {
        Ok(extracted) => extracted,
        Err(_) => panic!("{what}: extraction did not finish within {HANG:?} (hang)"),
    }
}

fn assert_sound(got: &Extracted, what: &str) {
    let reason = got.reason.as_deref().unwrap_or("");
    assert!(!reason.contains("panicked"), "{what}: {reason}");
    assert!(
        got.status == FileStatus::Ok || !reason.trim().is_empty(),
        "{what}: {:?} without a reason",
        got.status
    );
    // An archive's members are files of their own: each must be as sound as a loose file.
    for member in &got.members {
        assert_sound(&member.extracted, &format!("{what}!/{}", member.path));
    }
}

#[test]
fn zip_archives_are_among_the_mutated() {
    let archives: Vec<PathBuf> = inputs()
        .into_iter()
        .filter(|path| path.extension().is_some_and(|ext| ext == "zip"))
        .collect();
    assert!(!archives.is_empty(), "a ZIP archive is among the mutation inputs");
    // The fixture holds an archive inside an archive; the sample's `documents.zip` (a folder with
    // an act and a protocol) is mutated too, and must read whole as well.
    let mut nested = Vec::new();
    for path in archives {
        let got = extract_bytes(&std::fs::read(&path).unwrap(), &Limits::without_ocr());
        assert_eq!(got.status, FileStatus::Ok, "{}: {:?}", display(&path), got.reason);
        let members: Vec<&String> = got.members.iter().map(|m| &m.path).collect();
        assert!(members.len() >= 2, "{}: members {members:?}", display(&path));
        for member in &got.members {
            assert_eq!(
                member.extracted.status,
                FileStatus::Ok,
                "{}!/{}",
                display(&path),
                member.path
            );
        }
        if members.len() >= 3 && members.iter().any(|m| m.contains("!/")) {
            nested.push(display(&path));
        }
    }
    assert!(
        !nested.is_empty(),
        "a ZIP holding an archive inside it (tests/fixtures/extract/archive.zip) is among the mutation inputs"
    );
}

#[test]
fn every_reader_has_seeds_among_the_mutated() {
    let formats: Vec<Format> = inputs()
        .iter()
        .map(|path| sniff(&std::fs::read(path).unwrap()))
        .collect();
    for wanted in [
        Format::Pdf,
        Format::Docx,
        Format::Odt,
        Format::Doc,
        Format::Rtf,
        Format::Xlsx,
        Format::Ods,
        Format::Image,
        Format::Archive,
        Format::Signature,
        Format::Xml,
        Format::Text,
    ] {
        assert!(formats.contains(&wanted), "no seed file is {wanted:?}");
    }
}

#[test]
fn mutants_of_every_sample_and_fixture_file_never_panic_or_hang() {
    let mut rng = Rng(0x2900_0005_2026_1122);
    let mut tried = 0;
    for path in inputs() {
        let bytes = std::fs::read(&path).unwrap();
        if bytes.is_empty() {
            continue;
        }
        let name = path.strip_prefix(root()).unwrap().display().to_string();
        for which in 0..MUTANTS_PER_FILE {
            let seed = rng.0;
            let mutant = mutate(&bytes, &mut rng, which);
            let what = format!("{name} mutant {which} (rng state {seed:#x}, {} bytes)", mutant.len());
            let got = extract_watched(mutant, &what);
            assert_sound(&got, &what);
            tried += 1;
        }
    }
    assert!(tried > 1000, "only {tried} mutants");
}

fn regression_inputs() -> Vec<PathBuf> {
    let dir = root().join("tests/fixtures/regressions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_none_or(|e| e != "md"));
    files.sort();
    files
}

#[test]
fn regressions_stay_fixed() {
    let inputs = regression_inputs();
    assert!(
        !inputs.is_empty(),
        "tests/fixtures/regressions holds the crashes found so far"
    );
    for path in inputs {
        let what = display(&path);
        let got = extract_watched(std::fs::read(&path).unwrap(), &what);
        assert_sound(&got, &what);
    }
}

fn display(path: &Path) -> String {
    path.strip_prefix(root()).unwrap_or(path).display().to_string()
}
