//! Spreadsheets (XLSX, XLSB, XLS, ODS) via calamine: one page per sheet, one line per row,
//! cells separated by tabs.

use std::io::Cursor;

use calamine::{Data, ExcelDateTime, Ods, Range, Reader, Xls, XlsError, Xlsb, Xlsx, XlsxError};

use super::error::ExtractError;
use super::{Format, Page, Parsed, zipped};

type Source<'a> = Cursor<&'a [u8]>;

pub(crate) fn extract(bytes: &[u8], format: Format) -> Result<Parsed, ExtractError> {
    match format {
        Format::Xls => extract_ole2(bytes),
        Format::Xlsx => {
            guard_zip(bytes, "XLSX")?;
            match Xlsx::new(Cursor::new(bytes)) {
                Ok(mut workbook) => {
                    check_xlsx_extent(&mut workbook)?;
                    read_workbook(workbook)
                }
                // `xl/workbook.bin` instead of `.xml`: the binary XLSB flavour.
                Err(xlsx_error) => match Xlsb::new(Cursor::new(bytes)) {
                    Ok(workbook) => read_workbook(workbook),
                    Err(_) => Err(xlsx_error_to_extract(xlsx_error)),
                },
            }
        }
        Format::Ods => {
            guard_zip(bytes, "ODS")?;
            let workbook = Ods::new(Cursor::new(bytes)).map_err(|error| match error {
                calamine::OdsError::Password => encrypted("ODS"),
                other => ExtractError::Corrupt(format!("ODS does not parse: {other}")),
            })?;
            read_workbook(workbook)
        }
        other => Err(ExtractError::Unsupported(format!(
            "{} is not a spreadsheet format",
            other.as_str()
        ))),
    }
}

/// calamine lays every sheet out as a dense grid from the first to the last cell; two cells at
/// A1 and XFD1048576 would ask for 17 billion. The ODS reader refuses such grids itself.
const MAX_SHEET_CELLS: u64 = 20_000_000;

/// Streams each sheet's cells (no grid) and refuses a workbook whose grid would be absurd.
fn check_xlsx_extent(workbook: &mut Xlsx<Source<'_>>) -> Result<(), ExtractError> {
    for name in workbook.sheet_names() {
        // A sheet that cannot be streamed is reported by `read_workbook` as unreadable.
        let Ok(mut cells) = workbook.worksheet_cells_reader(&name) else {
            continue;
        };
        let mut extent: Option<((u32, u32), (u32, u32))> = None;
        while let Ok(Some(cell)) = cells.next_cell() {
            let (row, column) = cell.get_position();
            let ((top, left), (bottom, right)) = extent.get_or_insert(((row, column), (row, column)));
            (*top, *left, *bottom, *right) = (
                (*top).min(row),
                (*left).min(column),
                (*bottom).max(row),
                (*right).max(column),
            );
        }
        if let Some(((top, left), (bottom, right))) = extent {
            let grid = (u64::from(bottom - top) + 1) * (u64::from(right - left) + 1);
            if grid > MAX_SHEET_CELLS {
                return Err(ExtractError::TooLarge(format!(
                    "sheet '{name}' spans {grid} cells (rows {}..{}, columns {}..{}), over the limit of \
                     {MAX_SHEET_CELLS} cells per sheet",
                    top + 1,
                    bottom + 1,
                    left + 1,
                    right + 1
                )));
            }
        }
    }
    Ok(())
}

/// calamine inflates parts without limits; check the container first.
fn guard_zip(bytes: &[u8], what: &str) -> Result<(), ExtractError> {
    let mut archive = zipped::open(bytes, what)?;
    zipped::check_entries(&mut archive, what)
}

fn encrypted(what: &str) -> ExtractError {
    ExtractError::Encrypted(format!(
        "password-protected {what}: the checker cannot open it without the password"
    ))
}

fn xlsx_error_to_extract(error: XlsxError) -> ExtractError {
    match error {
        XlsxError::Password => encrypted("XLSX"),
        other => ExtractError::Corrupt(format!("XLSX does not parse: {other}")),
    }
}

/// An OLE2 compound file may be a legacy workbook, a legacy PowerPoint file, or an encrypted
/// OOXML package (Office wraps password-protected DOCX/XLSX that way); legacy Word files are
/// told apart by the sniffer and read by `doc.rs`.
fn extract_ole2(bytes: &[u8]) -> Result<Parsed, ExtractError> {
    // calamine's own compound-file reader asserts (panics) on a container cut mid-sector, as a
    // truncated upload is; `cfb` reports such damage as an error, so it looks first.
    if let Err(error) = cfb::CompoundFile::open(Cursor::new(bytes)) {
        return Err(classify_non_workbook_ole2(bytes)
            .unwrap_or_else(|| ExtractError::Corrupt(format!("XLS does not parse: {error}"))));
    }
    match Xls::new(Cursor::new(bytes)) {
        Ok(workbook) => read_workbook(workbook),
        Err(XlsError::Password) => Err(encrypted("XLS")),
        Err(error) => Err(classify_non_workbook_ole2(bytes)
            .unwrap_or_else(|| ExtractError::Corrupt(format!("XLS does not parse: {error}")))),
    }
}

/// What an OLE2 file without a workbook is, from the stream names in its directory (stored in
/// UTF-16LE). Checked only after calamine fails: a workbook may embed a PowerPoint object whose
/// stream names would otherwise mislead.
fn classify_non_workbook_ole2(bytes: &[u8]) -> Option<ExtractError> {
    if has_ole2_stream(bytes, "EncryptedPackage") {
        return Some(encrypted("Office document (encrypted OLE2 package)"));
    }
    if has_ole2_stream(bytes, "PowerPoint Document") {
        return Some(ExtractError::Unsupported(
            "legacy .ppt (OLE2) is not a document format we read".to_string(),
        ));
    }
    None
}

fn has_ole2_stream(bytes: &[u8], name: &str) -> bool {
    let utf16: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(utf16.len()).any(|window| window == utf16.as_slice())
}

fn read_workbook<'a, R>(mut workbook: R) -> Result<Parsed, ExtractError>
where
    R: Reader<Source<'a>>,
    R::Error: std::fmt::Display,
{
    let names = workbook.sheet_names();
    if names.is_empty() {
        return Err(ExtractError::NoText("the workbook has no sheets".to_string()));
    }
    let mut parsed = Parsed::default();
    for (index, name) in names.iter().enumerate() {
        let values = match workbook.worksheet_range(name) {
            Ok(values) => values,
            Err(error) => {
                parsed.notes.push(format!("sheet '{name}' could not be read: {error}"));
                parsed.incomplete = true;
                continue;
            }
        };
        // Formulas are optional information: a reader that cannot give them costs nothing.
        if let Ok(formulas) = workbook.worksheet_formula(name) {
            let uncached = count_uncached_formulas(&formulas, &values);
            if uncached > 0 {
                parsed.notes.push(format!(
                    "sheet '{name}': {uncached} formula cell(s) have no saved value (the file was saved without \
                     recalculation), their results are missing"
                ));
                parsed.incomplete = true;
            }
        }
        parsed.pages.push(Page {
            number: index as u32 + 1,
            name: Some(name.clone()),
            text: sheet_text(&values),
            ocr: false,
            doubtful_words: Vec::new(),
        });
    }
    if parsed.pages.is_empty() {
        return Err(ExtractError::Corrupt(parsed.notes.join("; ")));
    }
    Ok(parsed)
}

/// Formula cells whose cached result is absent: the text would silently lack those numbers.
fn count_uncached_formulas(formulas: &Range<String>, values: &Range<Data>) -> usize {
    let Some((first_row, first_column)) = formulas.start() else {
        return 0;
    };
    formulas
        .cells()
        .filter(|(_, _, formula)| !formula.is_empty())
        .filter(|(row, column, _)| {
            let position = (first_row + *row as u32, first_column + *column as u32);
            matches!(values.get_value(position), None | Some(Data::Empty))
        })
        .count()
}

/// Rows as lines of tab-separated cells; empty rows and trailing empty cells are dropped.
fn sheet_text(values: &Range<Data>) -> String {
    let mut text = String::new();
    for row in values.rows() {
        let cells: Vec<String> = row.iter().map(cell_text).collect();
        let used = cells
            .iter()
            .rposition(|cell| !cell.is_empty())
            .map_or(0, |last| last + 1);
        if used == 0 {
            continue;
        }
        text.push_str(&cells[..used].join("\t"));
        text.push('\n');
    }
    text
}

/// One cell as text. Tabs and line breaks inside a cell become spaces so rows stay one line.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.replace(['\t', '\r', '\n'], " "),
        Data::Int(number) => number.to_string(),
        Data::Float(number) => format_number(*number),
        Data::Bool(true) => "TRUE".to_string(),
        Data::Bool(false) => "FALSE".to_string(),
        Data::DateTime(datetime) => format_excel_datetime(datetime),
        Data::DateTimeIso(iso) => format_iso_datetime(iso),
        Data::DurationIso(iso) => iso.clone(),
        Data::Error(_) => "#ERR".to_string(),
    }
}

/// Whole numbers stored as floats print without ".0": 12500.0 -> "12500".
fn format_number(number: f64) -> String {
    if number.is_finite() && number.fract() == 0.0 && number.abs() < 1e15 {
        format!("{}", number as i64)
    } else {
        format!("{number}")
    }
}

/// Dates as DD.MM.YYYY (the form used in Kazakh documents), with HH:MM when there is a time.
fn format_excel_datetime(datetime: &ExcelDateTime) -> String {
    if datetime.is_duration() {
        let total_minutes = (datetime.as_f64() * 24.0 * 60.0).round() as i64;
        return format!("{}:{:02}", total_minutes / 60, (total_minutes % 60).abs());
    }
    let (year, month, day, hour, minute, second, _) = datetime.to_ymd_hms_milli();
    let time = if second > 0 {
        format!("{hour:02}:{minute:02}:{second:02}")
    } else {
        format!("{hour:02}:{minute:02}")
    };
    if datetime.as_f64() < 1.0 {
        time // a time of day without a date
    } else if hour == 0 && minute == 0 && second == 0 {
        format!("{day:02}.{month:02}.{year:04}")
    } else {
        format!("{day:02}.{month:02}.{year:04} {time}")
    }
}

/// ODS stores dates as ISO 8601 ("2024-03-15" or "2024-03-15T10:30:00"); same output as Excel's.
fn format_iso_datetime(iso: &str) -> String {
    let (date, time) = iso.split_once('T').unwrap_or((iso, ""));
    let mut parts = date.splitn(3, '-');
    let (Some(year), Some(month), Some(day)) = (parts.next(), parts.next(), parts.next()) else {
        return iso.to_string();
    };
    let all_digits = [year, month, day]
        .iter()
        .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    if !all_digits {
        return iso.to_string();
    }
    let clock = time.get(..5).filter(|hh_mm| *hh_mm != "00:00");
    match clock {
        Some(hh_mm) => format!("{day}.{month}.{year} {hh_mm}"),
        None => format!("{day}.{month}.{year}"),
    }
}

#[cfg(test)]
mod extent_tests {
    use crate::extract::{FileStatus, Format, Limits, extract_as};

    /// A minimal workbook with one sheet holding cells at A1 and XFD1048576.
    fn far_cells_xlsx() -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let parts = [
            (
                "_rels/.rels",
                r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
            ),
            (
                "xl/workbook.xml",
                r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
            ),
            (
                "xl/_rels/workbook.xml.rels",
                r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
            ),
            (
                "xl/worksheets/sheet1.xml",
                r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>y</t></is></c></row></sheetData></worksheet>"#,
            ),
        ];
        for (name, body) in parts {
            zip.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
            zip.write_all(body.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn cells_far_apart_are_refused_before_calamine_allocates_the_grid() {
        // Regression: calamine's dense grid for this sheet is 17 billion cells (an abort in-process).
        let got = extract_as(&far_cells_xlsx(), Format::Xlsx, &Limits::without_ocr());
        assert_eq!(got.status, FileStatus::TooLarge, "{:?}", got.reason);
        assert!(got.reason.unwrap().contains("cells per sheet"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{FileStatus, Limits, extract_bytes};
    use calamine::ExcelDateTimeType;
    use std::io::Write;

    fn zip_with(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, content) in entries {
            writer
                .start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            writer.write_all(content.as_bytes()).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    /// A minimal but valid XLSX: two sheets, shared strings, a date with a date style, a formula
    /// with a cached value and one without.
    fn sample_xlsx() -> Vec<u8> {
        let content_types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#;
        let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
        let workbook = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Статистика" sheetId="1" r:id="rId1"/><sheet name="Пусто" sheetId="2" r:id="rId2"/></sheets></workbook>"#;
        let workbook_rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
        let shared = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3"><si><t>Количество пользователей</t></si><si><t>Дата ввода</t></si><si><t>Тіркелген пайдаланушылар</t></si></sst>"#;
        let styles = r#"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="0"/><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>"#;
        let sheet1 = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>12500</v></c></row>
            <row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" s="1"><v>45366</v></c></row>
            <row r="4"><c r="A4" t="s"><v>2</v></c><c r="B4"><f>B1*2</f><v>25000</v></c><c r="C4"><f>B1/3</f></c></row>
            <row r="5"><c r="A5"><v>0.25</v></c><c r="B5" t="b"><v>1</v></c><c r="C5" t="e"><v>#DIV/0!</v></c></row>
            </sheetData></worksheet>"#;
        let sheet2 = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>"#;
        zip_with(&[
            ("[Content_Types].xml", content_types),
            ("_rels/.rels", rels),
            ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", workbook_rels),
            ("xl/sharedStrings.xml", shared),
            ("xl/styles.xml", styles),
            ("xl/worksheets/sheet1.xml", sheet1),
            ("xl/worksheets/sheet2.xml", sheet2),
        ])
    }

    #[test]
    fn xlsx_sheets_become_pages_with_formatted_cells() {
        let got = extract_bytes(&sample_xlsx(), &Limits::without_ocr());
        assert_eq!(got.format, Format::Xlsx);
        assert_eq!(got.status, FileStatus::Ok, "{:?}", got.reason);
        assert_eq!(got.pages.len(), 2);
        assert_eq!(got.pages[0].name.as_deref(), Some("Статистика"));
        assert_eq!(got.pages[1].number, 2);
        assert_eq!(
            got.pages[0].text,
            "Количество пользователей\t12500\nДата ввода\t15.03.2024\nТіркелген пайдаланушылар\t25000\n0.25\tTRUE\t#ERR\n"
        );
        let reason = got.reason.unwrap();
        assert!(
            reason.contains("sheet 'Статистика': 1 formula cell(s) have no saved value"),
            "{reason}"
        );
        assert!(got.incomplete, "a formula's result is missing from the text");
    }

    #[test]
    fn numbers_and_dates_format_as_analysts_expect() {
        assert_eq!(format_number(12500.0), "12500");
        assert_eq!(format_number(-3.0), "-3");
        assert_eq!(format_number(0.1), "0.1");
        let date = ExcelDateTime::new(45366.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(format_excel_datetime(&date), "15.03.2024");
        let date_time = ExcelDateTime::new(45366.5, ExcelDateTimeType::DateTime, false);
        assert_eq!(format_excel_datetime(&date_time), "15.03.2024 12:00");
        let time = ExcelDateTime::new(0.75, ExcelDateTimeType::DateTime, false);
        assert_eq!(format_excel_datetime(&time), "18:00");
        let duration = ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false);
        assert_eq!(format_excel_datetime(&duration), "36:00");
        assert_eq!(format_iso_datetime("2024-03-15"), "15.03.2024");
        assert_eq!(format_iso_datetime("2024-03-15T10:30:00"), "15.03.2024 10:30");
        assert_eq!(format_iso_datetime("not a date"), "not a date");
        assert_eq!(
            cell_text(&Data::String("две\nстроки\tи таб".into())),
            "две строки и таб"
        );
    }

    #[test]
    fn ole2_kinds_are_told_apart() {
        let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        ole.extend_from_slice(&[0; 100]);
        // Word documents are sniffed as `Format::Doc` and read by `doc.rs`; here a damaged one
        // is reported by that reader, not as a workbook.
        let mut doc = ole.clone();
        doc.extend("WordDocument".encode_utf16().flat_map(u16::to_le_bytes));
        let got = extract_bytes(&doc, &Limits::without_ocr());
        assert_eq!(got.format, Format::Doc);
        assert_eq!(got.status, FileStatus::Corrupt);
        assert!(got.reason.unwrap().starts_with("Word document (.doc): "));

        let mut encrypted_package = ole.clone();
        encrypted_package.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(
            extract_bytes(&encrypted_package, &Limits::without_ocr()).status,
            FileStatus::Encrypted
        );

        let broken = extract_bytes(&ole, &Limits::without_ocr());
        assert_eq!(broken.status, FileStatus::Corrupt);
        assert!(broken.reason.unwrap().starts_with("XLS does not parse"));
    }

    #[test]
    fn damaged_xlsx_is_corrupt() {
        let bytes = zip_with(&[
            ("[Content_Types].xml", "<Types/>"),
            ("xl/workbook.xml", "<workbook><sheets>"),
        ]);
        let got = extract_bytes(&bytes, &Limits::without_ocr());
        assert_eq!(got.format, Format::Xlsx);
        assert_eq!(got.status, FileStatus::Corrupt, "{:?}", got.reason);
    }
}
