//! Reading parts of ZIP containers (DOCX, XLSX, ODT, ODS) without falling for zip bombs.

use std::io::{Cursor, Read};

use zip::ZipArchive;
use zip::result::ZipError;

use super::error::ExtractError;

/// No single part of a document we read is anywhere near this big.
pub(crate) const MAX_ENTRY_BYTES: u64 = 100 * 1024 * 1024;
/// XML compresses well, but not this well; beyond it the entry is a bomb.
pub(crate) const MAX_COMPRESSION_RATIO: u64 = 200;
/// Small entries may compress absurdly (a run of spaces); the ratio only matters above this.
const RATIO_CHECK_FROM_BYTES: u64 = 1024 * 1024;

pub(crate) type Archive<'a> = ZipArchive<Cursor<&'a [u8]>>;

pub(crate) fn open<'a>(bytes: &'a [u8], what: &str) -> Result<Archive<'a>, ExtractError> {
    ZipArchive::new(Cursor::new(bytes)).map_err(|error| zip_error(what, "", error))
}

/// How big one entry may inflate, and what a bomb-like entry is called: a broken document part
/// is `corrupt`; a member of an archive over a limit is `too_large`, like a file over it.
#[derive(Clone, Copy)]
pub(crate) struct EntryLimit {
    pub max_bytes: u64,
    pub bomb: fn(String) -> ExtractError,
}

/// The limit on a part of a DOCX, XLSX or ODT.
const DOCUMENT_PART: EntryLimit = EntryLimit {
    max_bytes: MAX_ENTRY_BYTES,
    bomb: ExtractError::Corrupt,
};

/// Refuses the container if any entry declares or actually inflates to a size or compression
/// ratio no document has. Used before handing a container to a library (calamine) that would
/// inflate it unchecked; headers may lie, so every entry is inflated once here (into nothing,
/// stopping at the limit) and its real size checked too.
pub(crate) fn check_entries(archive: &mut Archive<'_>, what: &str) -> Result<(), ExtractError> {
    for index in 0..archive.len() {
        let entry = archive.by_index(index).map_err(|error| zip_error(what, "", error))?;
        let name = entry
            .name()
            .map(|name| name.into_owned())
            .unwrap_or_else(|_| format!("#{index}"));
        let (compressed_size, declared) = (entry.compressed_size(), entry.size());
        check_declared_size(&name, declared, compressed_size, DOCUMENT_PART)?;
        let inflated = std::io::copy(&mut entry.take(MAX_ENTRY_BYTES + 1), &mut std::io::sink())
            .map_err(|error| inflate_error(what, &name, declared, error, DOCUMENT_PART))?;
        if inflated > MAX_ENTRY_BYTES {
            return Err(past_the_limit(&name, DOCUMENT_PART));
        }
        check_declared_size(&name, inflated, compressed_size, DOCUMENT_PART)?;
    }
    Ok(())
}

/// The zip crate stops an entry at its declared size; more data than declared is a lying header,
/// the mark of a zip bomb.
fn inflate_error(what: &str, name: &str, declared: u64, error: std::io::Error, limit: EntryLimit) -> ExtractError {
    if error.to_string().contains("larger than its declared") {
        (limit.bomb)(format!(
            "ZIP entry '{name}' inflates past the {declared} bytes its header declares: refused as a zip bomb"
        ))
    } else {
        ExtractError::Corrupt(format!("{what}: cannot inflate '{name}': {error}"))
    }
}

/// A limit as analysts read it: MiB, or bytes when it is smaller than that.
fn limit_text(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        super::human_size(bytes)
    } else {
        format!("{bytes} bytes")
    }
}

fn past_the_limit(name: &str, limit: EntryLimit) -> ExtractError {
    ExtractError::TooLarge(format!(
        "ZIP entry '{name}' inflates past the limit of {} per entry",
        limit_text(limit.max_bytes)
    ))
}

fn check_declared_size(name: &str, size: u64, compressed_size: u64, limit: EntryLimit) -> Result<(), ExtractError> {
    if size > limit.max_bytes {
        return Err(ExtractError::TooLarge(format!(
            "ZIP entry '{name}' declares {size} bytes uncompressed, over the limit of {} per entry",
            limit_text(limit.max_bytes)
        )));
    }
    if size > RATIO_CHECK_FROM_BYTES && size / compressed_size.max(1) > MAX_COMPRESSION_RATIO {
        return Err((limit.bomb)(format!(
            "ZIP entry '{name}' inflates {size} bytes from {compressed_size} (over {MAX_COMPRESSION_RATIO}x): \
             refused as a zip bomb"
        )));
    }
    Ok(())
}

/// Inflates one entry into memory, never past `limit` whatever its header declares, and checks
/// the declared and the real size and ratio.
pub(crate) fn inflate_bounded(
    entry: impl Read,
    name: &str,
    declared: u64,
    compressed_size: u64,
    limit: EntryLimit,
    what: &str,
) -> Result<Vec<u8>, ExtractError> {
    check_declared_size(name, declared, compressed_size, limit)?;
    let mut content = Vec::new();
    entry
        .take(limit.max_bytes.saturating_add(1))
        .read_to_end(&mut content)
        .map_err(|error| inflate_error(what, name, declared, error, limit))?;
    if content.len() as u64 > limit.max_bytes {
        return Err(past_the_limit(name, limit));
    }
    check_declared_size(name, content.len() as u64, compressed_size, limit)?;
    Ok(content)
}

/// Reads one entry as UTF-8-or-whatever bytes, or `None` when the container has no such entry.
pub(crate) fn read_entry(archive: &mut Archive<'_>, name: &str, what: &str) -> Result<Option<Vec<u8>>, ExtractError> {
    let entry = match archive.by_name(name) {
        Ok(entry) => entry,
        Err(ZipError::FileNotFound) => return Ok(None),
        Err(error) => return Err(zip_error(what, name, error)),
    };
    let (compressed_size, declared) = (entry.compressed_size(), entry.size());
    inflate_bounded(entry, name, declared, compressed_size, DOCUMENT_PART, what).map(Some)
}

/// Names of entries, in archive order.
pub(crate) fn entry_names(archive: &Archive<'_>) -> Vec<String> {
    archive
        .file_names()
        .filter_map(Result::ok)
        .map(|name| name.into_owned())
        .collect()
}

pub(crate) fn zip_error(what: &str, name: &str, error: ZipError) -> ExtractError {
    let entry = if name.is_empty() {
        String::new()
    } else {
        format!(" (entry '{name}')")
    };
    match error {
        ZipError::UnsupportedArchive(message) if message.to_ascii_lowercase().contains("password") => {
            ExtractError::Encrypted(format!("{what} is password-protected (encrypted ZIP entries){entry}"))
        }
        ZipError::InvalidPassword => {
            ExtractError::Encrypted(format!("{what} is password-protected (encrypted ZIP entries){entry}"))
        }
        ZipError::Io(error) => ExtractError::Corrupt(format!("{what}: damaged ZIP container{entry}: {error}")),
        other => ExtractError::Corrupt(format!("{what}: damaged ZIP container{entry}: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oversized_and_bomb_like_entries_are_refused() {
        assert!(matches!(
            check_declared_size("a.xml", MAX_ENTRY_BYTES + 1, 10, DOCUMENT_PART),
            Err(ExtractError::TooLarge(_))
        ));
        assert!(matches!(
            check_declared_size("a.xml", 50 * 1024 * 1024, 1000, DOCUMENT_PART),
            Err(ExtractError::Corrupt(_))
        ));
        assert!(
            check_declared_size("a.xml", 10_000, 10, DOCUMENT_PART).is_ok(),
            "tiny entries may compress well"
        );
        assert!(check_declared_size("a.xml", 5 * 1024 * 1024, 1024 * 1024, DOCUMENT_PART).is_ok());
    }

    #[test]
    fn not_a_zip_is_corrupt() {
        let error = open(b"PK\x03\x04garbage", "DOCX").unwrap_err();
        assert!(matches!(error, ExtractError::Corrupt(_)), "{error}");
    }
}
