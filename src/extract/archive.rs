//! ZIP archives: every member read in memory as a file of its own, archives inside archives too.
//!
//! Nothing is written to disk: a member is inflated into memory (never past its limit, whatever
//! its header declares) and handed to the same readers as a loose file, under the same
//! `catch_unwind`, inside the same worker process as the archive. The result is the archive's own
//! [`Extracted`] with one [`Member`] per file inside, nested archives flattened into paths such as
//! `folder/inner.zip!/act.pdf`.
//!
//! Limits are shared by everything under the outermost archive (a nested bomb spends the same
//! budget as a flat one): files read, bytes inflated, nesting depth; and per member its size and
//! compression ratio (`zipped.rs`). A member over a limit is `too_large` with the limit named;
//! the members under the limits are still read.

use std::io::Cursor;

use zip::ZipArchive;

use super::error::ExtractError;
use super::zipped::{self, EntryLimit};
use super::{Extracted, FileStatus, Format, Limits, Member, sniff};

/// Files one archive (with everything nested in it) may hold; a submission has tens. A member
/// past it is not read and not listed one by one: the archive says how many there were.
pub(crate) const MAX_MEMBERS: usize = 1000;
/// Bytes all members of one archive may inflate to, together.
pub(crate) const MAX_TOTAL_INFLATED_BYTES: u64 = 512 * 1024 * 1024;
/// Archives inside archives: `a.zip!/b.zip!/c.zip` is depth 3. Deeper is a bomb's shape.
pub(crate) const MAX_DEPTH: usize = 3;

/// What the members of one outermost archive may still spend.
struct Budget {
    members_left: usize,
    bytes_left: u64,
    /// Files found past the member limit, not read.
    members_skipped: usize,
}

pub(crate) fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// Reads a ZIP archive and every member in it. Never panics on input.
pub(crate) fn extract_zip(bytes: &[u8], limits: &Limits) -> Extracted {
    let mut budget = Budget {
        members_left: MAX_MEMBERS,
        bytes_left: MAX_TOTAL_INFLATED_BYTES,
        members_skipped: 0,
    };
    let mut archive = read_zip(bytes, limits, Place::OUTERMOST, &mut budget, &mut ReadEach);
    if budget.members_skipped > 0 && archive.status == FileStatus::Ok {
        archive.status = FileStatus::TooLarge;
        archive.reason = Some(format!(
            "ZIP archive holds more than {MAX_MEMBERS} files (with archives inside it); the first {MAX_MEMBERS} \
             were read, {} more were not read and are not listed",
            budget.members_skipped
        ));
    }
    archive
}

/// What a walk over an archive does with each file in it. Extraction and [`member_bytes`] walk
/// with the same code, so a member is found under exactly the name its record carries (names
/// made unique, nested archives flattened, the same limits spent in the same order).
trait Visit {
    /// A member that is not an archive to descend into; `path` is the full path below the
    /// outermost archive (`inner.zip!/x.pdf`).
    fn file(&mut self, path: &str, content: &[u8], detected: &sniff::Detected, limits: &Limits) -> Extracted;
    /// An archive inside, before it is descended into.
    fn archive(&mut self, _path: &str, _content: &[u8]) {}
    /// Whether the walk may stop here.
    fn finished(&self) -> bool {
        false
    }
}

/// Extraction: every member is read.
struct ReadEach;

impl Visit for ReadEach {
    fn file(&mut self, _path: &str, content: &[u8], detected: &sniff::Detected, limits: &Limits) -> Extracted {
        if content.is_empty() {
            Extracted::failed(Format::Unknown, FileStatus::NoText, "empty file (0 bytes)")
        } else {
            super::read_detected(content, detected, limits)
        }
    }
}

/// `serve`'s "open the original": the bytes of one member, nothing read.
struct FindOne<'a> {
    wanted: &'a str,
    found: Option<Vec<u8>>,
}

impl FindOne<'_> {
    fn take(&mut self, path: &str, content: &[u8]) {
        if self.found.is_none() && path == self.wanted {
            self.found = Some(content.to_vec());
        }
    }
}

impl Visit for FindOne<'_> {
    fn file(&mut self, path: &str, content: &[u8], _detected: &sniff::Detected, _limits: &Limits) -> Extracted {
        self.take(path, content);
        Extracted::failed(Format::Unknown, FileStatus::NoText, "not read")
    }

    fn archive(&mut self, path: &str, content: &[u8]) {
        self.take(path, content);
    }

    fn finished(&self) -> bool {
        self.found.is_some()
    }
}

/// Why a member's bytes were not given.
#[derive(Debug, thiserror::Error)]
pub enum MemberError {
    #[error("the archive cannot be read: {0}")]
    Archive(String),
    #[error("no file `{0}` was read from the archive (refused, over a limit, or not in it)")]
    NotFound(String),
}

/// The bytes of the member at `path` (as the member's record names it after the archive's
/// `!/`, nested ones included), inflated in memory under the limits extraction uses. Members
/// extraction refused (unsafe names, links, encrypted, over a limit, past the member limit)
/// are not given.
pub fn member_bytes(archive: &[u8], path: &str, limits: &Limits) -> Result<Vec<u8>, MemberError> {
    // A DOCX is a ZIP too, but its parts are not files of the submission.
    if !is_zip(archive) || sniff::detect(archive).format != Format::Archive {
        return Err(MemberError::Archive("not a ZIP archive".into()));
    }
    let mut budget = Budget {
        members_left: MAX_MEMBERS,
        bytes_left: MAX_TOTAL_INFLATED_BYTES,
        members_skipped: 0,
    };
    let mut find = FindOne {
        wanted: path,
        found: None,
    };
    let outer = read_zip(archive, limits, Place::OUTERMOST, &mut budget, &mut find);
    match find.found {
        Some(bytes) => Ok(bytes),
        None if outer.status == FileStatus::Ok => Err(MemberError::NotFound(path.to_string())),
        None => Err(MemberError::Archive(outer.reason.unwrap_or_default())),
    }
}

/// One archive at `place` (depth 1 for a file of the corpus): its own status and its members.
fn read_zip(bytes: &[u8], limits: &Limits, place: Place<'_>, budget: &mut Budget, visit: &mut dyn Visit) -> Extracted {
    let skipped_before = budget.members_skipped;
    let outcome = super::quietly_catch_unwind(|| read_members(bytes, limits, place, budget, visit));
    // The ZIP reader keys entries by name: of several under one name it gives one, and the
    // others are not there to read. Said, and the archive is read only in part.
    let (outcome, repeated_names) = match outcome {
        Ok(Ok(Read {
            members,
            repeated_names,
        })) => (Ok(Ok(members)), repeated_names),
        Ok(Err(error)) => (Ok(Err(error)), false),
        Err(panic) => (Err(panic), false),
    };
    let repeated_note = match repeated_names {
        true => {
            "; the archive's directory lists several files under one name, and only one of each such name \
                 could be read"
        }
        false => "",
    };
    match outcome {
        // An archive met after the member limit was spent is not empty; its files went unread.
        Ok(Ok(members)) if members.is_empty() && budget.members_skipped > skipped_before => Extracted::failed(
            Format::Archive,
            FileStatus::TooLarge,
            format!(
                "ZIP archive not read: {} file(s) in it come after the first {MAX_MEMBERS} files of the outermost archive",
                budget.members_skipped - skipped_before
            ),
        ),
        Ok(Ok(members)) if members.is_empty() => Extracted::failed(
            Format::Archive,
            FileStatus::NoText,
            "empty ZIP archive: it holds no files",
        ),
        Ok(Ok(members)) => Extracted {
            format: Format::Archive,
            status: FileStatus::Ok,
            reason: Some(format!(
                "ZIP archive with {} file(s), each read as a file of its own{repeated_note}",
                members.iter().filter(|member| !member.path.contains("!/")).count()
            )),
            pages: Vec::new(),
            signatures: Vec::new(),
            members,
            incomplete: repeated_names,
        },
        Ok(Err(error)) => Extracted::failed(Format::Archive, error.status(), error.to_string()),
        Err(panic) => Extracted::failed(
            Format::Archive,
            FileStatus::Failed,
            format!("ZIP reader panicked: {panic}"),
        ),
    }
}

/// The members read, and whether the archive's directory repeats a name (see [`read_zip`]).
struct Read {
    members: Vec<Member>,
    repeated_names: bool,
}

fn read_members(
    bytes: &[u8],
    limits: &Limits,
    place: Place<'_>,
    budget: &mut Budget,
    visit: &mut dyn Visit,
) -> Result<Read, ExtractError> {
    let mut archive =
        ZipArchive::new(Cursor::new(bytes)).map_err(|error| zipped::zip_error("ZIP archive", "", error))?;
    let repeated_names = archive.has_duplicate_names();
    let mut members: Vec<Member> = Vec::new();
    for index in 0..archive.len() {
        if visit.finished() {
            break;
        }
        let entry = match archive.by_index_raw(index) {
            Ok(entry) => entry,
            Err(error) => {
                members.push(Member {
                    path: unique_path(&members, &format!("#{}", index + 1)),
                    extracted: from_error(zipped::zip_error("ZIP archive", "", error)),
                });
                continue;
            }
        };
        let name = decode_name(entry.name_raw());
        let symlink = entry.unix_mode().is_some_and(|mode| mode & 0o170000 == 0o120000);
        if entry.is_dir() && !symlink {
            continue;
        }
        if budget.members_left == 0 {
            budget.members_skipped += 1;
            continue;
        }
        budget.members_left -= 1;
        let path = unique_path(&members, &display_name(&name));
        let (encrypted, declared, compressed) = (entry.encrypted(), entry.size(), entry.compressed_size());
        drop(entry);
        let refusal = if symlink {
            Some(Extracted::failed(
                Format::Unknown,
                FileStatus::Unsupported,
                "symbolic link inside the archive: links are not followed",
            ))
        } else if let Some(problem) = unsafe_name(&name) {
            Some(Extracted::failed(
                Format::Unknown,
                FileStatus::Unsupported,
                format!("unsafe member name ({problem}): not extracted; the archive must name its files plainly"),
            ))
        } else if encrypted {
            Some(Extracted::failed(
                Format::Unknown,
                FileStatus::Encrypted,
                "password-protected member of the ZIP archive",
            ))
        } else {
            None
        };
        if let Some(refusal) = refusal {
            members.push(Member {
                path,
                extracted: refusal,
            });
            continue;
        }
        // Reasons name the member as reports show it: a raw name could carry a line break.
        let content = inflate(&mut archive, index, &path, declared, compressed, limits, budget);
        match content {
            Ok(content) => read_member(&mut members, path, &content, limits, place, budget, visit),
            Err(error) => members.push(Member {
                path,
                extracted: from_error(error),
            }),
        }
    }
    Ok(Read {
        members,
        repeated_names,
    })
}

/// Inflates member `index` within what it and the whole archive may still take.
fn inflate(
    archive: &mut ZipArchive<Cursor<&[u8]>>,
    index: usize,
    name: &str,
    declared: u64,
    compressed: u64,
    limits: &Limits,
    budget: &mut Budget,
) -> Result<Vec<u8>, ExtractError> {
    let member_limit = limits.max_file_bytes.min(budget.bytes_left);
    if declared > member_limit && member_limit < limits.max_file_bytes {
        return Err(over_total(name));
    }
    let entry = archive
        .by_index(index)
        .map_err(|error| zipped::zip_error("ZIP archive", name, error))?;
    let limit = EntryLimit {
        max_bytes: member_limit,
        bomb: ExtractError::TooLarge,
    };
    let content = zipped::inflate_bounded(entry, name, declared, compressed, limit, "ZIP archive").map_err(
        |error| match error {
            ExtractError::TooLarge(reason) if member_limit < limits.max_file_bytes && !reason.contains("zip bomb") => {
                over_total(name)
            }
            other => other,
        },
    )?;
    budget.bytes_left = budget.bytes_left.saturating_sub(content.len() as u64);
    Ok(content)
}

fn over_total(name: &str) -> ExtractError {
    ExtractError::TooLarge(format!(
        "ZIP entry '{name}' not read: the archive's files together inflate past the limit of {} per archive",
        super::human_size(MAX_TOTAL_INFLATED_BYTES)
    ))
}

/// Where an archive being walked sits: its depth and the path before its members' names.
#[derive(Clone, Copy)]
struct Place<'a> {
    depth: usize,
    prefix: &'a str,
}

impl Place<'_> {
    const OUTERMOST: Place<'static> = Place { depth: 1, prefix: "" };
}

/// Reads one inflated member; an archive inside is read in turn, its members following it as
/// `path!/inner`.
fn read_member(
    members: &mut Vec<Member>,
    path: String,
    content: &[u8],
    limits: &Limits,
    Place { depth, prefix }: Place<'_>,
    budget: &mut Budget,
    visit: &mut dyn Visit,
) {
    let detected = sniff::detect(content);
    let full_path = format!("{prefix}{path}");
    if detected.format == Format::Archive && is_zip(content) && !detected.damaged {
        visit.archive(&full_path, content);
        if depth >= MAX_DEPTH {
            members.push(Member {
                path,
                extracted: Extracted::failed(
                    Format::Archive,
                    FileStatus::TooLarge,
                    format!(
                        "ZIP archive nested deeper than {MAX_DEPTH} archives: not opened (the shape of a zip bomb)"
                    ),
                ),
            });
            return;
        }
        let prefix = format!("{full_path}{}", super::MEMBER_SEPARATOR);
        let inner_place = Place {
            depth: depth + 1,
            prefix: &prefix,
        };
        let mut inner = read_zip(content, limits, inner_place, budget, visit);
        let inner_members = std::mem::take(&mut inner.members);
        members.push(Member {
            path: path.clone(),
            extracted: inner,
        });
        members.extend(inner_members.into_iter().map(|member| Member {
            path: format!("{path}!/{}", member.path),
            extracted: member.extracted,
        }));
        return;
    }
    let extracted = visit.file(&full_path, content, &detected, limits);
    members.push(Member { path, extracted });
}

fn from_error(error: ExtractError) -> Extracted {
    Extracted::failed(Format::Unknown, error.status(), error.to_string())
}

/// Member names are bytes: UTF-8 when the writer says so (or writes it without saying, as most
/// do now), else the DOS code page of the machine that made it. For Cyrillic names that is CP866
/// (Windows' "Send to compressed folder", 7-Zip, WinRAR), occasionally Windows-1251. Each reads the
/// other's bytes as some Cyrillic, so the reading with more of Russian's most frequent letters
/// (and no box-drawing characters, which no file name holds) wins; a tie goes to CP866.
pub(crate) fn decode_name(raw: &[u8]) -> String {
    if let Ok(utf8) = std::str::from_utf8(raw) {
        return utf8.to_string();
    }
    let plausibility = |text: &str| -> i64 {
        text.chars()
            .map(|c| match c {
                _ if "оеаинтсрвлкмдпуОЕАИНТСРВЛКМДПУ".contains(c) => 1,
                '\u{2500}'..='\u{259F}' => -3,
                _ => 0,
            })
            .sum()
    };
    let (dos, _, _) = encoding_rs::IBM866.decode(raw);
    let (windows, _, _) = encoding_rs::WINDOWS_1251.decode(raw);
    if plausibility(&windows) > plausibility(&dos) {
        windows.into_owned()
    } else {
        dos.into_owned()
    }
}

/// Why a member's name could not be a file under the archive's folder, if it could not.
pub(crate) fn unsafe_name(name: &str) -> Option<&'static str> {
    let bytes = name.as_bytes();
    if name.contains('\0') {
        Some("a NUL character")
    } else if name.starts_with('/') || name.starts_with('\\') {
        Some("an absolute path")
    } else if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        Some("a drive letter")
    } else if name.split(['/', '\\']).any(|part| part == "..") {
        Some("`..` leads out of the archive")
    } else {
        // Backslashes alone (`docs\akt.pdf`, as old Windows tools write folders) lead nowhere:
        // members are read in memory and never written under any name.
        None
    }
}

/// The member's name as reports show it: control characters (a newline in a name would forge a
/// line of the report) and bidirectional formatting characters (U+202E makes `акт<U+202E>fdp.exe` read
/// as `акт` + `exe.pdf`) are shown as `?`.
fn display_name(name: &str) -> String {
    let hidden = |c: char| {
        c.is_control()
            || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    name.chars().map(|c| if hidden(c) { '?' } else { c }).collect()
}

/// Two entries may carry the same name; each must stay a file of its own in the index.
fn unique_path(members: &[Member], path: &str) -> String {
    let taken = |candidate: &str| members.iter().any(|member| member.path == candidate);
    if !taken(path) {
        return path.to_string();
    }
    (2..)
        .map(|n| format!("{path} [{n}]"))
        .find(|candidate| !taken(candidate))
        .unwrap_or_else(|| path.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, content) in entries {
            if name.ends_with('/') {
                writer.add_directory(*name, SimpleFileOptions::default()).unwrap();
                continue;
            }
            writer.start_file(*name, SimpleFileOptions::default()).unwrap();
            writer.write_all(content).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    fn read(bytes: &[u8]) -> Extracted {
        super::super::extract_bytes(bytes, &Limits::without_ocr())
    }

    fn member<'a>(archive: &'a Extracted, path: &str) -> &'a Extracted {
        let paths: Vec<&str> = archive.members.iter().map(|m| m.path.as_str()).collect();
        &archive
            .members
            .iter()
            .find(|m| m.path == path)
            .unwrap_or_else(|| panic!("no member {path} in {paths:?}"))
            .extracted
    }

    #[test]
    fn members_are_read_as_files_with_their_folder() {
        let bytes = zip_of(&[
            ("docs/", b""),
            ("docs/akt.txt", "Акт ввода в промышленную эксплуатацию".as_bytes()),
            ("note.txt", b"plain note"),
        ]);
        let archive = read(&bytes);
        assert_eq!(archive.status, FileStatus::Ok, "{:?}", archive.reason);
        assert_eq!(archive.format, Format::Archive);
        assert_eq!(archive.members.len(), 2, "directories are not files");
        let act = member(&archive, "docs/akt.txt");
        assert_eq!(act.status, FileStatus::Ok);
        assert!(act.full_text().contains("промышленную"));
        assert_eq!(member(&archive, "note.txt").full_text(), "plain note");
    }

    #[test]
    fn nested_archives_are_flattened_into_bang_paths() {
        let inner = zip_of(&[("x.txt", b"inner text")]);
        let bytes = zip_of(&[("folder/inner.zip", &inner)]);
        let archive = read(&bytes);
        assert_eq!(member(&archive, "folder/inner.zip").status, FileStatus::Ok);
        assert_eq!(member(&archive, "folder/inner.zip!/x.txt").full_text(), "inner text");
        assert_eq!(
            archive.reason.as_deref(),
            Some("ZIP archive with 1 file(s), each read as a file of its own")
        );
    }

    #[test]
    fn nesting_past_the_depth_limit_is_too_large_and_the_rest_is_read() {
        let mut nested = zip_of(&[("leaf.txt", b"deep")]);
        for level in 0..MAX_DEPTH {
            nested = zip_of(&[(&format!("level{level}.zip"), &nested), ("side.txt", b"side")]);
        }
        let archive = read(&nested);
        let deepest = archive
            .members
            .iter()
            .find(|m| m.extracted.status == FileStatus::TooLarge)
            .expect("one archive too deep");
        assert_eq!(deepest.path.matches("!/").count(), MAX_DEPTH - 1, "{}", deepest.path);
        assert!(deepest.extracted.reason.as_deref().unwrap().contains("nested deeper"));
        assert!(!archive.members.iter().any(|m| m.path.ends_with("leaf.txt")));
        assert_eq!(
            archive.members.iter().filter(|m| m.path.ends_with("side.txt")).count(),
            MAX_DEPTH
        );
    }

    #[test]
    fn traversal_and_absolute_names_are_findings_not_files() {
        for (name, problem) in [
            ("../../etc/passwd", "`..`"),
            ("/etc/passwd", "absolute"),
            ("C:\\Windows\\x.txt", "drive letter"),
            ("a/../../b.txt", "`..`"),
        ] {
            let archive = read(&zip_of(&[(name, b"secret"), ("ok.txt", b"fine")]));
            let bad = member(&archive, name);
            assert_eq!(bad.status, FileStatus::Unsupported, "{name}");
            assert!(bad.pages.is_empty(), "{name} must not be read");
            let reason = bad.reason.as_deref().unwrap();
            assert!(
                reason.contains(problem) && reason.contains("unsafe member name"),
                "{name}: {reason}"
            );
            assert_eq!(member(&archive, "ok.txt").status, FileStatus::Ok);
        }
        assert_eq!(unsafe_name("docs\\akt.txt"), None, "a folder written the Windows way");
        assert_eq!(
            unsafe_name("папка/акт..pdf"),
            None,
            "two dots inside a name are no traversal"
        );
    }

    #[test]
    fn a_symlink_member_is_not_followed() {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        writer
            .add_symlink("link.pdf", "/etc/passwd", SimpleFileOptions::default())
            .unwrap();
        writer.start_file("ok.txt", SimpleFileOptions::default()).unwrap();
        writer.write_all(b"fine").unwrap();
        let archive = read(&writer.finish().unwrap().into_inner());
        let link = member(&archive, "link.pdf");
        assert_eq!(link.status, FileStatus::Unsupported);
        assert!(link.reason.as_deref().unwrap().contains("symbolic link"));
        assert_eq!(member(&archive, "ok.txt").status, FileStatus::Ok);
    }

    #[test]
    fn cp866_and_windows_1251_names_are_decoded() {
        let name = "Акт ввода.pdf";
        let (cp866, _, _) = encoding_rs::IBM866.encode(name);
        assert_eq!(decode_name(&cp866), name);
        let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode("протокол испытаний.pdf");
        assert_eq!(decode_name(&cp1251), "протокол испытаний.pdf");
        assert_eq!(decode_name(name.as_bytes()), name);
    }

    #[test]
    fn a_cp866_name_without_the_utf8_flag_comes_out_cyrillic() {
        // Written by hand: the zip crate writes UTF-8 names with the flag set.
        let bytes = zip_of(&[("AKT.txt", b"text")]);
        let (cp866, _, _) = encoding_rs::IBM866.encode("АКТ.txt");
        assert_eq!(cp866.len(), 7);
        let patched: Vec<u8> = replace_all(&bytes, b"AKT.txt", &cp866);
        let archive = read(&patched);
        assert_eq!(archive.members[0].path, "АКТ.txt");
        assert_eq!(archive.members[0].extracted.status, FileStatus::Ok);
    }

    fn replace_all(haystack: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut at = 0;
        while at < haystack.len() {
            if haystack[at..].starts_with(from) {
                out.extend_from_slice(to);
                at += from.len();
            } else {
                out.push(haystack[at]);
                at += 1;
            }
        }
        out
    }

    #[test]
    fn an_encrypted_member_is_encrypted() {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        use zip::unstable::write::FileOptionsExt;
        let options = SimpleFileOptions::default()
            .with_deprecated_encryption(b"secret")
            .unwrap();
        writer.start_file("akt.txt", options).unwrap();
        writer.write_all(b"hidden act").unwrap();
        writer.start_file("open.txt", SimpleFileOptions::default()).unwrap();
        writer.write_all(b"open").unwrap();
        let archive = read(&writer.finish().unwrap().into_inner());
        assert_eq!(member(&archive, "akt.txt").status, FileStatus::Encrypted);
        assert_eq!(member(&archive, "open.txt").status, FileStatus::Ok);
    }

    #[test]
    fn a_bomb_member_is_too_large_and_its_neighbours_are_read() {
        let zeros = vec![0u8; 8 * 1024 * 1024];
        let bytes = {
            let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
            let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            writer.start_file("bomb.txt", options).unwrap();
            writer.write_all(&zeros).unwrap();
            writer.start_file("ok.txt", options).unwrap();
            writer.write_all(b"fine").unwrap();
            writer.finish().unwrap().into_inner()
        };
        assert!(bytes.len() < 64 * 1024, "{}", bytes.len());
        let archive = read(&bytes);
        let bomb = member(&archive, "bomb.txt");
        assert_eq!(bomb.status, FileStatus::TooLarge);
        assert!(
            bomb.reason.as_deref().unwrap().contains("zip bomb"),
            "{:?}",
            bomb.reason
        );
        assert_eq!(member(&archive, "ok.txt").status, FileStatus::Ok);
    }

    #[test]
    fn a_member_over_the_file_limit_is_too_large() {
        let bytes = zip_of(&[("big.txt", &[b'a'; 4096]), ("ok.txt", b"fine")]);
        let limits = Limits {
            max_file_bytes: 1024,
            ..Limits::without_ocr()
        };
        let archive = super::super::extract_bytes(&bytes, &limits);
        let big = member(&archive, "big.txt");
        assert_eq!(big.status, FileStatus::TooLarge);
        assert!(big.reason.as_deref().unwrap().contains("1024"), "{:?}", big.reason);
        assert_eq!(member(&archive, "ok.txt").status, FileStatus::Ok);
    }

    #[test]
    fn more_members_than_the_limit_make_the_archive_too_large() {
        let names: Vec<String> = (0..MAX_MEMBERS + 5).map(|n| format!("{n}.txt")).collect();
        let entries: Vec<(&str, &[u8])> = names.iter().map(|name| (name.as_str(), &b"x"[..])).collect();
        let archive = read(&zip_of(&entries));
        assert_eq!(archive.members.len(), MAX_MEMBERS);
        assert_eq!(archive.status, FileStatus::TooLarge);
        assert!(
            archive.reason.as_deref().unwrap().contains("5 more"),
            "{:?}",
            archive.reason
        );
    }

    #[test]
    fn empty_truncated_and_duplicate() {
        let empty = read(&zip_of(&[]));
        assert_eq!(empty.status, FileStatus::NoText);
        assert!(empty.reason.as_deref().unwrap().contains("empty ZIP archive"));

        let whole = zip_of(&[("a.txt", b"some text here")]);
        let truncated = read(&whole[..whole.len() - 30]);
        assert_eq!(truncated.status, FileStatus::Corrupt, "{:?}", truncated.reason);

        let twice = read(&zip_of(&[("a.txt", b"one"), ("b/", b""), ("a.txt ", b"two")]));
        assert_eq!(twice.members.len(), 2);
        assert!(!twice.incomplete, "two names, told apart");
    }

    #[test]
    fn an_archive_that_repeats_a_name_says_one_of_them_was_not_read() {
        // The zip crate writes no two files under one name: written apart, then renamed in
        // both the local headers and the central directory.
        let bytes = zip_of(&[("akt1.txt", b"first act"), ("akt2.txt", b"second act")]);
        let archive = read(&replace_all(&bytes, b"akt2.txt", b"akt1.txt"));
        assert_eq!(archive.status, FileStatus::Ok, "{:?}", archive.reason);
        assert_eq!(archive.members.len(), 1);
        assert!(archive.incomplete);
        let reason = archive.reason.unwrap_or_default();
        assert!(reason.contains("several files under one name"), "{reason}");
    }

    #[test]
    fn names_cannot_forge_lines_or_turn_text_around() {
        let archive = read(&zip_of(&[
            ("акт\u{202E}fdp.exe", b"x"),
            ("a\nb.txt", b"y"),
            ("\u{2067}x.txt", b"z"),
        ]));
        let paths: Vec<&str> = archive.members.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(paths, ["акт?fdp.exe", "a?b.txt", "?x.txt"]);
        // Nor in a reason: a member over the limit is named as its path shows it.
        let limits = Limits {
            max_file_bytes: 16,
            ..Limits::without_ocr()
        };
        let archive = super::super::extract_bytes(&zip_of(&[("big\n| forged |.txt", &[b'a'; 64])]), &limits);
        let big = &archive.members[0].extracted;
        assert_eq!(big.status, FileStatus::TooLarge);
        let reason = big.reason.as_deref().unwrap();
        assert!(
            reason.contains("big?| forged |.txt") && !reason.contains('\n'),
            "{reason}"
        );
    }

    #[test]
    fn an_archive_met_past_the_member_limit_is_not_called_empty() {
        let names: Vec<String> = (0..MAX_MEMBERS - 1).map(|n| format!("{n}.txt")).collect();
        let inner = zip_of(&[("a.txt", b"a"), ("b.txt", b"b")]);
        let mut entries: Vec<(&str, &[u8])> = names.iter().map(|name| (name.as_str(), &b"x"[..])).collect();
        entries.push(("inner.zip", &inner));
        let archive = read(&zip_of(&entries));
        let inner = member(&archive, "inner.zip");
        assert_eq!(inner.status, FileStatus::TooLarge, "{:?}", inner.reason);
        let reason = inner.reason.as_deref().unwrap();
        assert!(reason.contains("2 file(s)") && !reason.contains("empty"), "{reason}");
        assert_eq!(archive.status, FileStatus::TooLarge);
        assert!(
            archive.reason.as_deref().unwrap().contains("2 more"),
            "{:?}",
            archive.reason
        );
    }

    #[test]
    fn a_member_is_found_under_the_name_its_record_carries() {
        // Two names that show alike (control characters are shown as `?`) get a counter.
        let inner = zip_of(&[("x\n.txt", b"inner"), ("x\r.txt", b"second")]);
        let bytes = zip_of(&[
            ("docs/a\nkt.txt", b"act"),
            ("docs/a\rkt.txt", b"again"),
            ("inner.zip", &inner),
            ("../secret.txt", b"refused"),
        ]);
        let limits = Limits::without_ocr();
        let archive = read(&bytes);
        // Every member read is found by its path, with the bytes it was read from.
        for m in &archive.members {
            if m.extracted.status == FileStatus::Ok {
                let found = member_bytes(&bytes, &m.path, &limits).unwrap();
                if m.extracted.format != Format::Archive {
                    assert_eq!(String::from_utf8(found).unwrap(), m.extracted.full_text(), "{}", m.path);
                }
            }
        }
        assert_eq!(member_bytes(&bytes, "docs/a?kt.txt", &limits).unwrap(), b"act");
        assert_eq!(member_bytes(&bytes, "docs/a?kt.txt [2]", &limits).unwrap(), b"again");
        assert_eq!(
            member_bytes(&bytes, "inner.zip!/x?.txt [2]", &limits).unwrap(),
            b"second"
        );
        assert_eq!(member_bytes(&bytes, "inner.zip", &limits).unwrap(), inner);
        for refused in ["../secret.txt", "nope.txt", "docs/", "inner.zip!/"] {
            assert!(
                matches!(member_bytes(&bytes, refused, &limits), Err(MemberError::NotFound(_))),
                "{refused}"
            );
        }
        assert!(matches!(
            member_bytes(b"%PDF-1.7", "x", &limits),
            Err(MemberError::Archive(_))
        ));
    }

    #[test]
    fn unique_paths_get_a_counter() {
        let first = Member {
            path: "a.txt".into(),
            extracted: Extracted::failed(Format::Unknown, FileStatus::NoText, "x"),
        };
        assert_eq!(unique_path(std::slice::from_ref(&first), "a.txt"), "a.txt [2]");
        assert_eq!(unique_path(&[first], "b.txt"), "b.txt");
    }
}
