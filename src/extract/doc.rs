//! Legacy Word documents (`.doc`, Word 97–2003: the binary format Microsoft documents as MS-DOC).
//!
//! What it reads: the text of the main document, headers and footers, footnotes, endnotes and
//! text boxes, in UTF-16 or "compressed" 8-bit pieces, through the piece table (the CLX in the
//! table stream), so fast-saved (complex) files read as Word shows them. The compound-file
//! container is the `cfb` crate's; the File Information Block, the piece table and the paragraph
//! properties that tell a table's row end from a cell end are read here.
//!
//! Pages: a `.doc` stores no page layout. The main text is split into pages at Word's page and
//! section break character (0x0C) and before paragraphs formatted "page break before" (as
//! LibreOffice writes a page break), so page numbers are approximate, as for DOCX; a continuous
//! section break also starts a "page". Headers go on top of the first page, footers, footnotes
//! and endnotes at the bottom of the last (as `office.rs` does for DOCX), text boxes after the
//! main text.
//!
//! What it does not read: Word 6.0/95 files (another FIB; refused as unsupported), comments
//! (reviewers' notes, not the document: a "отказать" in a comment must not read as the act's
//! decision), tracked deletions (the deleted text is still in the pieces and is read as if it
//! stood), embedded objects and pictures (their anchors are dropped), and the rare paragraph
//! properties kept in the Data stream (`sprmPHugePapx`: the table layout of such paragraphs
//! falls back to a tab per cell mark). Password-protected files (RC4 or XOR) are `encrypted`.
//!
//! Sizes: every offset and count is checked against the stream it points into; the text read
//! is at most one character per byte of the WordDocument stream, so nothing grows past the
//! input, which the caller already bounded by `max_file_bytes`.

use std::io::{Cursor, Read};

use super::error::ExtractError;
use super::office::assemble;
use super::{Page, Parsed};

/// The File Information Block's magic number (`wIdent`).
const WORD_MAGIC: u16 = 0xA5EC;
/// `nFib` of Word 97; Word 6.0 and 95 wrote 101–105 and a FIB laid out differently.
const FIRST_WORD97_NFIB: u16 = 0x00C0;

/// Bits of the FIB's flag word at offset 0x0A.
const F_ENCRYPTED: u16 = 0x0100;
const F_WHICH_TABLE_STREAM: u16 = 0x0200;
const F_OBFUSCATED: u16 = 0x8000;

/// Indexes into `FibRgLw97` (32-bit counts).
const LW_CCP_TEXT: usize = 3;
const LW_CCP_FTN: usize = 4;
const LW_CCP_HDD: usize = 5;
const LW_CCP_MCR: usize = 6;
const LW_CCP_ATN: usize = 7;
const LW_CCP_EDN: usize = 8;
const LW_CCP_TXBX: usize = 9;
const LW_CCP_HDR_TXBX: usize = 10;

/// Indexes of (offset, length) pairs in `FibRgFcLcb97` (offsets into the table stream).
const FC_PLCF_HDD: usize = 11;
const FC_PLCF_BTE_PAPX: usize = 13;
const FC_CLX: usize = 33;

/// Paragraph property modifiers (sprms) that place a paragraph in a table or end a table row.
const SPRM_P_F_IN_TABLE: u16 = 0x2416;
const SPRM_P_F_TTP: u16 = 0x2417;
const SPRM_P_F_INNER_TTP: u16 = 0x244C;
const SPRM_P_ITAP: u16 = 0x6649;
/// "Page break before" set on the paragraph itself (not through its style).
const SPRM_P_F_PAGE_BREAK_BEFORE: u16 = 0x2407;
/// Variable-length sprms whose length is not the usual leading byte.
const SPRM_T_DEF_TABLE: u16 = 0xD608;
const SPRM_P_CHG_TABS: u16 = 0xC615;

/// Formatted disk pages holding paragraph properties are 512 bytes.
const FKP_SIZE: usize = 512;

const DOC: &str = "Word document (.doc)";

pub(crate) fn extract(bytes: &[u8]) -> Result<Parsed, ExtractError> {
    let mut container = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|error| corrupt(format!("its compound-file container cannot be read: {error}")))?;
    let word_document = read_stream(&mut container, "WordDocument", bytes.len())?
        .ok_or_else(|| corrupt("the OLE2 file has no WordDocument stream".to_string()))?;
    let fib = Fib::parse(&word_document)?;
    let table_name = if fib.flags & F_WHICH_TABLE_STREAM != 0 {
        "1Table"
    } else {
        "0Table"
    };
    let table = read_stream(&mut container, table_name, bytes.len())?
        .ok_or_else(|| corrupt(format!("the table stream {table_name} the FIB names is missing")))?;

    let pieces = PieceTable::parse(fib.clx.slice(&table, "piece table (CLX)")?)?;
    let paragraphs = fib
        .plcf_bte_papx
        .slice(&table, "paragraph properties")
        .ok()
        .map(|plc| ParagraphProperties::parse(plc, &word_document))
        .unwrap_or_default();
    let units = pieces.decode(&word_document, fib.total_ccp(), &paragraphs)?;

    let mut notes = Vec::new();
    let covered = units.len();
    if covered < fib.total_ccp() as usize {
        notes.push(format!(
            "the piece table covers {covered} of the {} characters the FIB declares; the rest is missing",
            fib.total_ccp()
        ));
    }
    let stories = Stories::split(&fib, &units);
    let (top, header_bottom) = headers_and_footers(&fib, &table, stories.headers);

    let mut body = render_pages(stories.main);
    let text_boxes = render(stories.text_boxes);
    if !text_boxes.trim().is_empty()
        && let Some(last) = body.last_mut()
    {
        if !last.ends_with('\n') {
            last.push('\n');
        }
        last.push_str(&text_boxes);
    }
    let top = join_nonblank([top, render(stories.header_text_boxes)]);
    let bottom = join_nonblank([header_bottom, render(stories.footnotes), render(stories.endnotes)]);
    let pages: Vec<Page> = assemble(body, &top, &bottom);
    Ok(Parsed {
        pages,
        // The one note is of characters the piece table does not cover.
        incomplete: !notes.is_empty(),
        notes,
        ..Parsed::default()
    })
}

fn corrupt(what: String) -> ExtractError {
    ExtractError::Corrupt(format!("{DOC}: {what}"))
}

/// A whole stream of the container, or `None` when there is no such stream. A stream cannot
/// hold more than the file does; `limit` keeps a lying directory entry from claiming otherwise.
fn read_stream(
    container: &mut cfb::CompoundFile<Cursor<&[u8]>>,
    name: &str,
    limit: usize,
) -> Result<Option<Vec<u8>>, ExtractError> {
    if !container.is_stream(name) {
        return Ok(None);
    }
    let stream = container
        .open_stream(name)
        .map_err(|error| corrupt(format!("stream {name} cannot be opened: {error}")))?;
    let mut content = Vec::new();
    stream
        .take(limit as u64)
        .read_to_end(&mut content)
        .map_err(|error| corrupt(format!("stream {name} cannot be read: {error}")))?;
    Ok(Some(content))
}

fn u16_at(data: &[u8], offset: usize) -> Option<u16> {
    let bytes = data.get(offset..offset.checked_add(2)?)?;
    Some(u16::from_le_bytes([bytes[0], bytes[1]]))
}

fn u32_at(data: &[u8], offset: usize) -> Option<u32> {
    let bytes = data.get(offset..offset.checked_add(4)?)?;
    Some(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
}

// ---------------------------------------------------------------------------------------------
// File Information Block

/// Where a structure lies in the table stream: the FIB's `fc`/`lcb` pair.
#[derive(Debug, Clone, Copy, Default)]
struct Span {
    offset: u32,
    length: u32,
}

impl Span {
    fn slice<'a>(self, stream: &'a [u8], what: &str) -> Result<&'a [u8], ExtractError> {
        let start = self.offset as usize;
        start
            .checked_add(self.length as usize)
            .and_then(|end| stream.get(start..end))
            .ok_or_else(|| {
                corrupt(format!(
                    "the {what} lies past the end of the table stream (bytes {start}+{} of {})",
                    self.length,
                    stream.len()
                ))
            })
    }
}

/// The parts of the FIB we need.
#[derive(Debug)]
struct Fib {
    flags: u16,
    /// Character counts of the main document and each subdocument, in the order they follow
    /// each other in character positions (CPs).
    ccp_text: u32,
    ccp_ftn: u32,
    ccp_hdd: u32,
    ccp_mcr: u32,
    ccp_atn: u32,
    ccp_edn: u32,
    ccp_txbx: u32,
    ccp_hdr_txbx: u32,
    clx: Span,
    plcf_hdd: Span,
    plcf_bte_papx: Span,
}

fn truncated_fib() -> ExtractError {
    corrupt("the File Information Block is truncated".to_string())
}

impl Fib {
    fn parse(word_document: &[u8]) -> Result<Fib, ExtractError> {
        let flags = Fib::readable_flags(word_document)?;
        let (lw_at, fc_lcb_at) = Fib::array_offsets(word_document)?;
        let lw = |index: usize| u32_at(word_document, lw_at + index * 4).ok_or_else(truncated_fib);
        // A negative count (as a signed value) is corruption; Word never writes one.
        let ccp = |index: usize| {
            lw(index).and_then(|count| {
                if count > i32::MAX as u32 {
                    Err(corrupt(format!(
                        "a character count in the FIB is negative ({count:#x})"
                    )))
                } else {
                    Ok(count)
                }
            })
        };
        let span = |index: usize| -> Result<Span, ExtractError> {
            Ok(Span {
                offset: u32_at(word_document, fc_lcb_at + index * 8).ok_or_else(truncated_fib)?,
                length: u32_at(word_document, fc_lcb_at + index * 8 + 4).ok_or_else(truncated_fib)?,
            })
        };
        let fib = Fib {
            flags,
            ccp_text: ccp(LW_CCP_TEXT)?,
            ccp_ftn: ccp(LW_CCP_FTN)?,
            ccp_hdd: ccp(LW_CCP_HDD)?,
            ccp_mcr: ccp(LW_CCP_MCR)?,
            ccp_atn: ccp(LW_CCP_ATN)?,
            ccp_edn: ccp(LW_CCP_EDN)?,
            ccp_txbx: ccp(LW_CCP_TXBX)?,
            ccp_hdr_txbx: ccp(LW_CCP_HDR_TXBX)?,
            clx: span(FC_CLX)?,
            plcf_hdd: span(FC_PLCF_HDD)?,
            plcf_bte_papx: span(FC_PLCF_BTE_PAPX)?,
        };
        // Every character takes at least one byte of the stream: a larger count is a lie, and
        // believing it would let a small file ask for gigabytes of text.
        if fib.total_ccp() > word_document.len() as u64 {
            return Err(corrupt(format!(
                "the FIB declares {} characters but the WordDocument stream holds only {} bytes",
                fib.total_ccp(),
                word_document.len()
            )));
        }
        Ok(fib)
    }

    /// The FibBase's flags, once the stream is known to start with the FIB of an unencrypted
    /// Word 97 or later file.
    fn readable_flags(word_document: &[u8]) -> Result<u16, ExtractError> {
        let magic = u16_at(word_document, 0).ok_or_else(truncated_fib)?;
        if magic != WORD_MAGIC {
            return Err(corrupt(format!(
                "the WordDocument stream does not start with a File Information Block (magic {magic:#06x})"
            )));
        }
        let n_fib = u16_at(word_document, 2).ok_or_else(truncated_fib)?;
        let flags = u16_at(word_document, 0x0A).ok_or_else(truncated_fib)?;
        if flags & F_ENCRYPTED != 0 {
            let how = if flags & F_OBFUSCATED != 0 {
                "XOR obfuscation"
            } else {
                "RC4 encryption"
            };
            return Err(ExtractError::Encrypted(format!(
                "password-protected {DOC} ({how}): the checker cannot open it without the password"
            )));
        }
        if n_fib < FIRST_WORD97_NFIB {
            return Err(ExtractError::Unsupported(format!(
                "{DOC} in the Word 6.0/95 format (nFib {n_fib}) is not read; save it as DOCX or PDF"
            )));
        }
        Ok(flags)
    }

    /// Where the FIB's character counts (`rgLw`) and its structure offsets (`rgFcLcb`) start,
    /// once both are known to be long enough for the entries we read.
    fn array_offsets(word_document: &[u8]) -> Result<(usize, usize), ExtractError> {
        // FibBase (32 bytes), then three arrays, each preceded by its length.
        let csw = u16_at(word_document, 0x20).ok_or_else(truncated_fib)? as usize;
        let lw_count_at = 0x22 + csw * 2;
        let cslw = u16_at(word_document, lw_count_at).ok_or_else(truncated_fib)? as usize;
        let lw_at = lw_count_at + 2;
        let fc_lcb_count_at = lw_at + cslw * 4;
        let cb_rg_fc_lcb = u16_at(word_document, fc_lcb_count_at).ok_or_else(truncated_fib)? as usize;
        let fc_lcb_at = fc_lcb_count_at + 2;
        if cslw <= LW_CCP_HDR_TXBX || cb_rg_fc_lcb <= FC_CLX {
            return Err(corrupt(format!(
                "the File Information Block is too short ({cslw} counts, {cb_rg_fc_lcb} offsets)"
            )));
        }
        Ok((lw_at, fc_lcb_at))
    }

    /// The subdocument lengths in CP order: main, footnotes, headers, macros (unused since
    /// Word 97), comments, endnotes, text boxes, header text boxes.
    fn ccps(&self) -> [u32; 8] {
        [
            self.ccp_text,
            self.ccp_ftn,
            self.ccp_hdd,
            self.ccp_mcr,
            self.ccp_atn,
            self.ccp_edn,
            self.ccp_txbx,
            self.ccp_hdr_txbx,
        ]
    }

    fn total_ccp(&self) -> u64 {
        self.ccps().iter().map(|&count| u64::from(count)).sum()
    }
}

// ---------------------------------------------------------------------------------------------
// Piece table

/// A run of characters stored contiguously in the WordDocument stream.
#[derive(Debug, Clone, Copy)]
struct Piece {
    cp_start: u32,
    cp_end: u32,
    /// Byte offset of the first character in the WordDocument stream.
    byte_offset: u32,
    /// One byte per character (cp1252 with Word's mapping) instead of UTF-16LE.
    compressed: bool,
}

#[derive(Debug)]
struct PieceTable {
    pieces: Vec<Piece>,
}

/// One character position after the paragraph properties had their say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Char(u16),
    /// 0x07 ending a table row (the row-end paragraph).
    RowEnd,
    /// 0x0D ending a paragraph inside a table cell: a space, so the row stays on one line.
    ParagraphEndInCell,
    /// 0x0D ending a paragraph formatted to start on a new page.
    ParagraphEndOnNewPage,
}

impl PieceTable {
    /// Reads the CLX: property runs (`Prc`, skipped) and then the `Pcdt` with the pieces.
    fn parse(clx: &[u8]) -> Result<PieceTable, ExtractError> {
        let mut at = 0usize;
        loop {
            match clx.get(at) {
                Some(0x01) => {
                    let size = u16_at(clx, at + 1).ok_or_else(|| corrupt("the piece table is truncated".into()))?;
                    // cbGrpprl is signed; a negative size would walk backwards forever.
                    if size > i16::MAX as u16 {
                        return Err(corrupt("the piece table has a negative property size".into()));
                    }
                    at += 3 + size as usize;
                }
                Some(0x02) => break,
                Some(other) => {
                    return Err(corrupt(format!(
                        "the piece table holds an unknown entry type {other:#04x}"
                    )));
                }
                None => return Err(corrupt("the file has no piece table".into())),
            }
        }
        let length = u32_at(clx, at + 1).ok_or_else(|| corrupt("the piece table is truncated".into()))? as usize;
        let plc = clx
            .get(at + 5..)
            .and_then(|rest| rest.get(..length))
            .ok_or_else(|| corrupt("the piece table is longer than its stream".into()))?;
        // PlcPcd: n + 1 character positions, then n piece descriptors of 8 bytes.
        if plc.len() < 4 || !(plc.len() - 4).is_multiple_of(12) {
            return Err(corrupt(format!(
                "the piece table has an impossible size ({} bytes)",
                plc.len()
            )));
        }
        let count = (plc.len() - 4) / 12;
        let cp = |index: usize| u32_at(plc, index * 4).unwrap_or(0);
        let mut pieces = Vec::with_capacity(count);
        for index in 0..count {
            let (cp_start, cp_end) = (cp(index), cp(index + 1));
            if cp_end < cp_start {
                return Err(corrupt(format!(
                    "the piece table's character positions go backwards at piece {index}"
                )));
            }
            let descriptor_at = (count + 1) * 4 + index * 8;
            let fc = u32_at(plc, descriptor_at + 2).unwrap_or(0);
            let compressed = fc & 0x4000_0000 != 0;
            let fc = fc & 0x3FFF_FFFF;
            pieces.push(Piece {
                cp_start,
                cp_end,
                byte_offset: if compressed { fc / 2 } else { fc },
                compressed,
            });
        }
        Ok(PieceTable { pieces })
    }

    /// The characters at CPs `0..total`, as far as the pieces cover them without a gap.
    fn decode(&self, stream: &[u8], total: u64, paragraphs: &ParagraphProperties) -> Result<Vec<Unit>, ExtractError> {
        let total = total.min(u32::MAX as u64) as u32;
        let mut units: Vec<Unit> = Vec::with_capacity(total as usize);
        for (index, piece) in self.pieces.iter().enumerate() {
            let wanted_end = piece.cp_end.min(total);
            let next_cp = units.len() as u32;
            if piece.cp_start > next_cp || wanted_end <= next_cp {
                // A gap (the pieces must be contiguous) or nothing new.
                if piece.cp_start > next_cp {
                    break;
                }
                continue;
            }
            let skip = next_cp - piece.cp_start;
            let count = (wanted_end - next_cp) as usize;
            let width = if piece.compressed { 1 } else { 2 };
            let start = piece.byte_offset as usize + skip as usize * width;
            let bytes = start
                .checked_add(count * width)
                .and_then(|end| stream.get(start..end))
                .ok_or_else(|| {
                    corrupt(format!(
                        "piece {index} points past the end of the WordDocument stream (byte {start} + {} of {})",
                        count * width,
                        stream.len()
                    ))
                })?;
            for (offset, raw) in bytes.chunks_exact(width).enumerate() {
                let code = if piece.compressed {
                    compressed_char(raw[0])
                } else {
                    u16::from_le_bytes([raw[0], raw[1]])
                };
                let file_offset = (start + offset * width) as u32;
                units.push(paragraphs.classify(code, file_offset));
            }
        }
        Ok(units)
    }
}

/// A byte of a compressed piece: cp1252, except that Word maps only these of 0x80–0x9F (MS-DOC
/// 2.4.1); the other bytes are their Latin-1 code points.
fn compressed_char(byte: u8) -> u16 {
    match byte {
        0x82 => 0x201A,
        0x83 => 0x0192,
        0x84 => 0x201E,
        0x85 => 0x2026,
        0x86 => 0x2020,
        0x87 => 0x2021,
        0x88 => 0x02C6,
        0x89 => 0x2030,
        0x8A => 0x0160,
        0x8B => 0x2039,
        0x8C => 0x0152,
        0x91 => 0x2018,
        0x92 => 0x2019,
        0x93 => 0x201C,
        0x94 => 0x201D,
        0x95 => 0x2022,
        0x96 => 0x2013,
        0x97 => 0x2014,
        0x98 => 0x02DC,
        0x99 => 0x2122,
        0x9A => 0x0161,
        0x9B => 0x203A,
        0x9C => 0x0153,
        0x9F => 0x0178,
        other => u16::from(other),
    }
}

// ---------------------------------------------------------------------------------------------
// Paragraph properties: which paragraph marks end a table row or a paragraph inside a cell

#[derive(Debug, Clone, Copy)]
struct ParagraphRun {
    /// Byte offsets in the WordDocument stream, end exclusive.
    start: u32,
    end: u32,
    flags: ParagraphFlags,
}

/// What of a paragraph's properties changes its text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct ParagraphFlags {
    in_table: bool,
    row_end: bool,
    page_break_before: bool,
}

impl ParagraphFlags {
    fn any(self) -> bool {
        self != ParagraphFlags::default()
    }
}

/// The paragraphs that are in a table or start a page, from the PAPX formatted disk pages. Empty
/// when the file's paragraph properties cannot be read: then every 0x07 is a cell end.
#[derive(Debug, Default)]
struct ParagraphProperties {
    runs: Vec<ParagraphRun>,
}

impl ParagraphProperties {
    /// `plc` is the PlcBtePapx: n + 1 file offsets, then n page numbers of FKPs.
    fn parse(plc: &[u8], stream: &[u8]) -> ParagraphProperties {
        let mut runs = Vec::new();
        if plc.len() < 4 || !(plc.len() - 4).is_multiple_of(8) {
            return ParagraphProperties::default();
        }
        let count = (plc.len() - 4) / 8;
        // Each page once: a hostile table naming one page a million times must not multiply it.
        let mut pages_read = std::collections::HashSet::new();
        for index in 0..count {
            let page = u32_at(plc, (count + 1) * 4 + index * 4).unwrap_or(0) & 0x003F_FFFF;
            if !pages_read.insert(page) {
                continue;
            }
            let Some(fkp) = (page as usize)
                .checked_mul(FKP_SIZE)
                .and_then(|start| stream.get(start..start.checked_add(FKP_SIZE)?))
            else {
                continue;
            };
            read_papx_fkp(fkp, &mut runs);
        }
        runs.sort_by_key(|run| run.start);
        ParagraphProperties { runs }
    }

    fn classify(&self, code: u16, file_offset: u32) -> Unit {
        if code != 0x07 && code != 0x0D {
            return Unit::Char(code);
        }
        let at = self.runs.partition_point(|run| run.start <= file_offset);
        let run = at.checked_sub(1).and_then(|index| self.runs.get(index));
        let flags = run
            .filter(|run| file_offset < run.end)
            .map(|run| run.flags)
            .unwrap_or_default();
        match code {
            0x07 if flags.row_end => Unit::RowEnd,
            0x0D if flags.in_table => Unit::ParagraphEndInCell,
            0x0D if flags.page_break_before => Unit::ParagraphEndOnNewPage,
            _ => Unit::Char(code),
        }
    }
}

/// One 512-byte page of paragraph properties: `crun` paragraphs, each a file-offset range with
/// an offset (in words) to its properties.
fn read_papx_fkp(fkp: &[u8], runs: &mut Vec<ParagraphRun>) {
    let crun = fkp[FKP_SIZE - 1] as usize;
    if crun == 0 || crun > 0x1D {
        return;
    }
    let bx_at = (crun + 1) * 4;
    for index in 0..crun {
        let (Some(start), Some(end)) = (u32_at(fkp, index * 4), u32_at(fkp, index * 4 + 4)) else {
            return;
        };
        let Some(&word_offset) = fkp.get(bx_at + index * 13) else {
            return;
        };
        let flags = if word_offset == 0 {
            ParagraphFlags::default()
        } else {
            paragraph_flags(papx_grpprl(fkp, word_offset as usize * 2))
        };
        if flags.any() && start < end {
            runs.push(ParagraphRun { start, end, flags });
        }
    }
}

/// The property modifiers of a `PapxInFkp` (after its style index), or nothing if it lies
/// outside the page.
fn papx_grpprl(fkp: &[u8], at: usize) -> &[u8] {
    let Some(&cb) = fkp.get(at) else { return &[] };
    let (start, length) = if cb != 0 {
        (at + 1, cb as usize * 2 - 1)
    } else {
        match fkp.get(at + 1) {
            Some(&cb_prime) => (at + 2, cb_prime as usize * 2),
            None => return &[],
        }
    };
    // The first two bytes are the paragraph style (istd).
    fkp.get(start + 2..(start + length).min(FKP_SIZE - 1)).unwrap_or(&[])
}

/// The flags a list of property modifiers sets.
fn paragraph_flags(grpprl: &[u8]) -> ParagraphFlags {
    let mut flags = ParagraphFlags::default();
    let mut at = 0usize;
    while let Some(sprm) = u16_at(grpprl, at) {
        let operand_at = at + 2;
        let operand_size = match sprm >> 13 {
            0 | 1 => 1,
            2 | 4 | 5 => 2,
            3 => 4,
            7 => 3,
            _ => match sprm {
                SPRM_T_DEF_TABLE => match u16_at(grpprl, operand_at) {
                    Some(cb) => 1 + cb as usize,
                    None => return flags,
                },
                // Its long form (size byte 255) has a layout of its own; stop reading there.
                SPRM_P_CHG_TABS if grpprl.get(operand_at) == Some(&255) => return flags,
                _ => match grpprl.get(operand_at) {
                    Some(&size) => 1 + size as usize,
                    None => return flags,
                },
            },
        };
        let first_byte = grpprl.get(operand_at).copied().unwrap_or(0);
        match sprm {
            SPRM_P_F_IN_TABLE => flags.in_table |= first_byte == 1,
            SPRM_P_F_TTP | SPRM_P_F_INNER_TTP => flags.row_end |= first_byte == 1,
            SPRM_P_ITAP => flags.in_table |= u32_at(grpprl, operand_at).is_some_and(|depth| depth > 0),
            SPRM_P_F_PAGE_BREAK_BEFORE => flags.page_break_before = first_byte == 1,
            _ => {}
        }
        at = operand_at + operand_size;
    }
    flags
}

// ---------------------------------------------------------------------------------------------
// Subdocuments ("stories") and their text

/// The decoded characters cut at the FIB's counts.
struct Stories<'a> {
    main: &'a [Unit],
    footnotes: &'a [Unit],
    headers: &'a [Unit],
    endnotes: &'a [Unit],
    text_boxes: &'a [Unit],
    header_text_boxes: &'a [Unit],
}

impl<'a> Stories<'a> {
    fn split(fib: &Fib, units: &'a [Unit]) -> Stories<'a> {
        let mut rest = units;
        let mut take = |count: u32| {
            let (head, tail) = rest.split_at((count as usize).min(rest.len()));
            rest = tail;
            head
        };
        let [text, ftn, hdd, mcr, atn, edn, txbx, hdr_txbx] = fib.ccps();
        let main = take(text);
        let footnotes = take(ftn);
        let headers = take(hdd);
        let _macros = take(mcr);
        let _comments = take(atn);
        let endnotes = take(edn);
        let text_boxes = take(txbx);
        let header_text_boxes = take(hdr_txbx);
        Stories {
            main,
            footnotes,
            headers,
            endnotes,
            text_boxes,
            header_text_boxes,
        }
    }
}

/// Header text and footer text. The PlcfHdd cuts the header subdocument into stories: six
/// separators (footnote and endnote separators, not text), then six per section: even header,
/// odd header, even footer, odd footer, first-page header, first-page footer. A section that
/// keeps its predecessor's header has an empty story, and identical ones are kept once. Without
/// a usable PlcfHdd all header-subdocument text goes on top.
fn headers_and_footers(fib: &Fib, table: &[u8], headers: &[Unit]) -> (String, String) {
    const SEPARATOR_STORIES: usize = 6;
    let boundaries: Vec<u32> = fib
        .plcf_hdd
        .slice(table, "header table")
        .map(|plc| plc.chunks_exact(4).filter_map(|cp| u32_at(cp, 0)).collect())
        .unwrap_or_default();
    let usable = boundaries.len() > SEPARATOR_STORIES
        && boundaries.windows(2).all(|pair| pair[0] <= pair[1])
        && boundaries
            .last()
            .is_some_and(|&last| last as usize <= headers.len() + 1);
    if !usable {
        return (render(headers), String::new());
    }
    let (mut top, mut bottom): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    let mut seen = std::collections::HashSet::new();
    for (story, pair) in boundaries.windows(2).enumerate().skip(SEPARATOR_STORIES) {
        let start = (pair[0] as usize).min(headers.len());
        let end = (pair[1] as usize).min(headers.len());
        let text = render(&headers[start..end]);
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let place_is_bottom = matches!((story - SEPARATOR_STORIES) % 6, 2 | 3 | 5);
        let place = if place_is_bottom { &mut bottom } else { &mut top };
        if seen.insert((place_is_bottom, text.to_string())) {
            place.push(text.to_string());
        }
    }
    (top.join("\n"), bottom.join("\n"))
}

fn join_nonblank<const N: usize>(parts: [String; N]) -> String {
    let kept: Vec<&str> = parts
        .iter()
        .map(|part| part.trim_end())
        .filter(|part| !part.trim().is_empty())
        .collect();
    kept.join("\n")
}

/// The main text split at page and section breaks, and before paragraphs that start a page.
fn render_pages(units: &[Unit]) -> Vec<String> {
    let mut pages = Vec::new();
    let mut writer = TextWriter::default();
    for &unit in units {
        if unit == Unit::Char(0x0C) && writer.visible() {
            let page = std::mem::take(&mut writer.out);
            writer.paragraph_start = 0;
            if !page.trim().is_empty() {
                pages.push(page);
            }
            continue;
        }
        if unit == Unit::ParagraphEndOnNewPage && writer.visible() {
            // The paragraph now ending is the first of a new page: what came before it is the
            // previous page's.
            let paragraph = writer.out.split_off(writer.paragraph_start.min(writer.out.len()));
            let page = std::mem::replace(&mut writer.out, paragraph);
            if !page.trim().is_empty() {
                pages.push(page);
            }
        }
        writer.push(unit);
    }
    if !writer.out.trim().is_empty() || pages.is_empty() {
        pages.push(writer.out);
    }
    pages
}

/// A subdocument as one text, breaks as line ends.
fn render(units: &[Unit]) -> String {
    let mut writer = TextWriter::default();
    for &unit in units {
        writer.push(unit);
    }
    writer.out
}

/// Turns Word's characters into text: special characters into line ends and tabs, fields into
/// their results.
#[derive(Debug, Default)]
struct TextWriter {
    out: String,
    /// One entry per open field: true once its separator (0x14) was seen, i.e. in its result.
    fields: Vec<bool>,
    /// A high surrogate waiting for its low half.
    pending_high: Option<u16>,
    /// Where in `out` the current paragraph began.
    paragraph_start: usize,
    /// Just after a note's own number (0x02): the tab or space Word puts after it is not text.
    after_note_number: bool,
}

impl TextWriter {
    /// Outside every field instruction (field results are text; instructions are not).
    fn visible(&self) -> bool {
        self.fields.iter().all(|&in_result| in_result)
    }

    fn push(&mut self, unit: Unit) {
        let after_note_number = std::mem::take(&mut self.after_note_number);
        self.push_unit(unit, after_note_number);
        if matches!(
            unit,
            Unit::RowEnd | Unit::ParagraphEndOnNewPage | Unit::Char(0x0D | 0x07 | 0x0C)
        ) {
            self.paragraph_start = self.out.len();
        }
    }

    fn push_unit(&mut self, unit: Unit, after_note_number: bool) {
        let code = match unit {
            Unit::RowEnd => {
                if self.visible() {
                    if self.out.ends_with('\t') {
                        self.out.pop();
                    }
                    self.out.push('\n');
                }
                return;
            }
            Unit::ParagraphEndInCell => {
                if self.visible() && !self.out.is_empty() && !self.out.ends_with([' ', '\t', '\n']) {
                    self.out.push(' ');
                }
                return;
            }
            Unit::ParagraphEndOnNewPage => 0x0D,
            Unit::Char(0x09 | 0x20) if after_note_number => return,
            Unit::Char(code) => code,
        };
        match code {
            0x13 => self.fields.push(false),
            0x14 => {
                if let Some(in_result) = self.fields.last_mut() {
                    *in_result = true;
                }
            }
            0x15 => {
                self.fields.pop();
            }
            _ if !self.visible() => {}
            // Paragraph end, line break, page or section break (within a subdocument).
            0x0B..=0x0D => self.out.push('\n'),
            0x07 => {
                // A cell end: trailing spaces of the cell are layout.
                let kept = self.out.trim_end_matches(' ').len();
                self.out.truncate(kept);
                self.out.push('\t');
            }
            0x09 => self.out.push('\t'),
            0x1E => self.out.push('-'),
            0xA0 => self.out.push(' '),
            // A note opens with its number; Word separates it from the note's text.
            0x02 => self.after_note_number = self.out.len() == self.paragraph_start,
            // Object and picture anchors, the optional hyphen, other controls.
            0x00..=0x1F => {}
            0xD800..=0xDBFF => self.pending_high = Some(code),
            0xDC00..=0xDFFF => {
                if let Some(high) = self.pending_high.take()
                    && let Some(Ok(c)) = char::decode_utf16([high, code]).next()
                {
                    self.out.push(c);
                }
            }
            _ => {
                if let Some(c) = char::from_u32(u32::from(code)) {
                    self.out.push(c);
                }
            }
        }
        if !(0xD800..=0xDBFF).contains(&code) {
            self.pending_high = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{FileStatus, Format, Limits, extract_as, extract_bytes};

    fn fixture(name: &str) -> Vec<u8> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/extract")
            .join(name);
        std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
    }

    fn units(text: &str) -> Vec<Unit> {
        text.encode_utf16().map(Unit::Char).collect()
    }

    #[test]
    fn fields_keep_their_result_and_drop_their_instruction() {
        let text = "Стр. \u{13} PAGE \u{14}3\u{15} из \u{13}NUMPAGES\u{15}.\r";
        assert_eq!(render(&units(text)), "Стр. 3 из .\n");
        // A field nested in another's instruction is part of that instruction.
        let nested = "a\u{13}IF \u{13}DATE\u{14}1\u{15} = 1\u{14}да\u{15}b";
        assert_eq!(render(&units(nested)), "aдаb");
        // Unbalanced marks never hide text outside them nor panic.
        assert_eq!(render(&units("\u{15}\u{14}x")), "x");
    }

    #[test]
    fn special_characters_become_text() {
        let text = "ИС\u{1e}2024 авто\u{1f}матизация №\u{a0}5\u{1}\u{8}\u{b}строка\tтаб\u{c}";
        assert_eq!(render(&units(text)), "ИС-2024 автоматизация № 5\nстрока\tтаб\n");
        // A note's number and the tab after it are not the note's text.
        assert_eq!(render(&units("\u{2}\tСноска\r\u{2} вторая\r")), "Сноска\nвторая\n");
        let mut cells = units("а\u{7}б  \u{7}");
        cells.push(Unit::RowEnd);
        cells.extend(units("в\rг"));
        cells.push(Unit::ParagraphEndInCell);
        cells.extend(units("д\u{7}"));
        assert_eq!(render(&cells), "а\tб\nв\nг д\t");
    }

    #[test]
    fn compressed_pieces_use_words_mapping_of_0x80_to_0x9f() {
        assert_eq!(compressed_char(b'A'), u16::from(b'A'));
        assert_eq!(compressed_char(0x93), 0x201C);
        assert_eq!(compressed_char(0x97), 0x2014);
        assert_eq!(
            compressed_char(0x80),
            0x80,
            "not mapped by MS-DOC, unlike cp1252's euro"
        );
        assert_eq!(compressed_char(0xE9), 0xE9);
    }

    #[test]
    fn page_breaks_split_the_main_text() {
        let pages = render_pages(&units("one\r\u{c}two\r\u{c}\u{c}"));
        assert_eq!(pages, vec!["one\n".to_string(), "two\n".to_string()]);
        // A break inside a field instruction is not a page.
        assert_eq!(
            render_pages(&units("a\u{13}\u{c}\u{14}b\u{15}")),
            vec!["ab".to_string()]
        );
        // A paragraph formatted "page break before" starts a page.
        let mut text = units("one\rtwo");
        text.push(Unit::ParagraphEndOnNewPage);
        text.extend(units("three\r"));
        assert_eq!(
            render_pages(&text),
            vec!["one\n".to_string(), "two\nthree\n".to_string()]
        );
    }

    #[test]
    fn paragraph_flags_read_from_property_modifiers() {
        let flags = |in_table, row_end, page_break_before| ParagraphFlags {
            in_table,
            row_end,
            page_break_before,
        };
        // sprmPFInTable 1, sprmPFTtp 1.
        assert_eq!(
            paragraph_flags(&[0x16, 0x24, 1, 0x17, 0x24, 1]),
            flags(true, true, false)
        );
        // A variable-length sprm (size byte) before sprmPItap = 1, then page break before.
        assert_eq!(
            paragraph_flags(&[0x0D, 0xC6, 2, 9, 9, 0x49, 0x66, 1, 0, 0, 0, 0x07, 0x24, 1]),
            flags(true, false, true)
        );
        // Truncated modifiers stop, they do not panic.
        assert_eq!(paragraph_flags(&[0x16, 0x24]), ParagraphFlags::default());
        assert_eq!(paragraph_flags(&[0x08, 0xD6, 0xFF]), ParagraphFlags::default());
    }

    /// The fixture made by LibreOffice from `kazakh_russian_word.fodt` (see the README there).
    #[test]
    fn libreoffice_doc_reads_with_kazakh_letters_header_footer_table_and_field() {
        let got = extract_bytes(&fixture("kazakh_russian.doc"), &Limits::without_ocr());
        assert_eq!(got.format, Format::Doc);
        assert_eq!(got.status, FileStatus::Ok, "{:?}", got.reason);
        assert_eq!(got.pages.len(), 2, "{:#?}", got.pages);
        assert_eq!(
            got.pages[0].text,
            "Қазақстан Республикасы Цифрлық даму министрлігі\n\
             АКТ ввода в промышленную эксплуатацию\n\
             өнеркәсіптік пайдалануға енгізу туралы акт\n\
             Әліпби: ә ғ қ ң ө ұ ү һ і — Ә Ғ Қ Ң Ө Ұ Ү Һ І\n\
             Система «Е-лицензирование», № 45 от 15.03.2024, автоматизированная.\n\
             Наименование\tАтауы\tИтог\n\
             Информационная система\t\tсоответствует\n\
             Сайт: портал электронного правительства.\n"
        );
        assert_eq!(
            got.pages[1].text,
            "Вторая страница: протокол испытаний завершён.\n\
             Страница 2 из документа\n\
             Сноска: приказ № 29 о вводе.\n"
        );
    }

    #[test]
    fn encrypted_flag_is_encrypted() {
        let patched = patch_word_document(&fixture("kazakh_russian.doc"), |stream| stream[0x0B] |= 0x01);
        let got = extract_bytes(&patched, &Limits::without_ocr());
        assert_eq!(got.status, FileStatus::Encrypted, "{:?}", got.reason);
        assert!(
            got.reason
                .unwrap()
                .contains("password-protected Word document (.doc) (RC4")
        );
    }

    #[test]
    fn word95_is_unsupported_and_says_so() {
        let patched = patch_word_document(&fixture("kazakh_russian.doc"), |stream| {
            stream[2..4].copy_from_slice(&0x0068u16.to_le_bytes())
        });
        let got = extract_bytes(&patched, &Limits::without_ocr());
        assert_eq!(got.status, FileStatus::Unsupported, "{:?}", got.reason);
        assert!(got.reason.unwrap().contains("Word 6.0/95"));
    }

    #[test]
    fn lying_character_counts_are_corrupt_not_a_huge_allocation() {
        let patched = patch_word_document(&fixture("kazakh_russian.doc"), |stream| {
            // ccpText (FibRgLw97 index 3, at 0x40 + 12 in a standard FIB).
            stream[0x4C..0x50].copy_from_slice(&0x7FFF_0000u32.to_le_bytes())
        });
        let got = extract_bytes(&patched, &Limits::without_ocr());
        assert_eq!(got.status, FileStatus::Corrupt, "{:?}", got.reason);
        assert!(got.reason.unwrap().contains("declares"));
    }

    #[test]
    fn truncated_doc_is_corrupt() {
        let bytes = fixture("kazakh_russian.doc");
        // The FIB (at byte 5120 of this file) or the directory's names survive: a Word file.
        for keep in [bytes.len() / 2, bytes.len() - 700] {
            let got = extract_bytes(&bytes[..keep], &Limits::without_ocr());
            assert_eq!(got.format, Format::Doc, "kept {keep}");
            assert_eq!(got.status, FileStatus::Corrupt, "kept {keep}: {:?}", got.reason);
            assert!(got.reason.unwrap().starts_with("Word document (.doc): "));
        }
        // Only the header and a FAT sector: nothing says Word, but it is corrupt all the same.
        let got = extract_bytes(&bytes[..600], &Limits::without_ocr());
        assert_eq!(got.status, FileStatus::Corrupt, "{:?}", got.reason);
        let got = extract_as(&bytes[..600], Format::Doc, &Limits::without_ocr());
        assert_eq!(got.status, FileStatus::Corrupt, "{:?}", got.reason);
    }

    #[test]
    fn cyclic_sector_chains_are_corrupt_not_a_hang() {
        let bytes = fixture("kazakh_russian.doc");
        let chain = sector_chain(&bytes, "WordDocument");
        assert!(
            chain.len() >= 3,
            "the WordDocument stream lives in regular sectors: {chain:?}"
        );
        // The chain's last sector points back to its first, and a middle one to itself.
        for (from, to) in [(chain[chain.len() - 1], chain[0]), (chain[1], chain[1])] {
            let mut patched = bytes.clone();
            set_fat_entry(&mut patched, from, to);
            let got = extract_as(&patched, Format::Doc, &Limits::without_ocr());
            assert_eq!(got.status, FileStatus::Corrupt, "{from}->{to}: {:?}", got.reason);
        }
    }

    #[test]
    fn not_a_word_document_is_corrupt() {
        let got = extract_as(
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1garbage",
            Format::Doc,
            &Limits::without_ocr(),
        );
        assert_eq!(got.status, FileStatus::Corrupt);
    }

    /// Rewrites the WordDocument stream in place through `cfb`.
    fn patch_word_document(bytes: &[u8], patch: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
        use std::io::{Seek, SeekFrom, Write};
        let mut container = cfb::CompoundFile::open(Cursor::new(bytes.to_vec())).unwrap();
        let mut content = Vec::new();
        container
            .open_stream("WordDocument")
            .unwrap()
            .read_to_end(&mut content)
            .unwrap();
        patch(&mut content);
        let mut stream = container.open_stream("WordDocument").unwrap();
        stream.seek(SeekFrom::Start(0)).unwrap();
        stream.write_all(&content).unwrap();
        drop(stream);
        container.flush().unwrap();
        container.into_inner().into_inner()
    }

    /// The regular sectors of a stream, read from the raw header, directory and FAT (512-byte
    /// sectors, FAT in the header's DIFAT): what a hostile patch needs to know.
    fn sector_chain(bytes: &[u8], name: &str) -> Vec<u32> {
        let sector = |id: u32| 512 + id as usize * 512;
        let directory_start = u32_at(bytes, 0x30).unwrap();
        let wanted: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let mut directory_sector = directory_start;
        let mut start = None;
        while start.is_none() {
            let at = sector(directory_sector);
            for entry in 0..4 {
                let entry_at = at + entry * 128;
                if bytes[entry_at..].starts_with(&wanted) {
                    start = u32_at(bytes, entry_at + 0x74);
                }
            }
            directory_sector = fat_entry(bytes, directory_sector);
        }
        let mut chain = vec![start.unwrap()];
        loop {
            let next = fat_entry(bytes, *chain.last().unwrap());
            if next >= 0xFFFF_FFFA {
                return chain;
            }
            chain.push(next);
        }
    }

    fn fat_entry_offset(bytes: &[u8], id: u32) -> usize {
        let fat_sector = u32_at(bytes, 0x4C + (id as usize / 128) * 4).unwrap();
        512 + fat_sector as usize * 512 + (id as usize % 128) * 4
    }

    fn fat_entry(bytes: &[u8], id: u32) -> u32 {
        u32_at(bytes, fat_entry_offset(bytes, id)).unwrap()
    }

    fn set_fat_entry(bytes: &mut [u8], id: u32, next: u32) {
        let at = fat_entry_offset(bytes, id);
        bytes[at..at + 4].copy_from_slice(&next.to_le_bytes());
    }
}
