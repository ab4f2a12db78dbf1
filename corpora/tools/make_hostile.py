#!/usr/bin/env python3
"""Generate corpora/hostile/: hostile inputs mixed into otherwise valid submissions.

    python3 corpora/tools/make_hostile.py     # deletes and rebuilds corpora/hostile/

Valid submissions are copied unchanged from corpora/sample/ (same relative paths, so their
expected verdicts in tests/expected/sample.json still apply). Hostile files go (a) into the
complying ones, where an unreadable extra file cannot change a verdict (every requirement is
already met by a readable document), and (b) into submissions of their own. Everything is built
by this script with the Python standard library, deterministically (fixed seed, fixed ZIP
timestamps). Things git cannot hold (symlinks, loops, unreadable permissions, non-UTF-8 and
over-long names, FIFOs) are made by tests/hostile.rs at run time in a temporary copy.
The list of kinds, with where each lives, is written from KINDS below to corpora/hostile.md
(outside hostile/, since every file under a corpus is a submitted document).
"""
import os
import random
import shutil
import struct
import zlib
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
CORPORA = os.path.dirname(HERE)
REPO = os.path.dirname(CORPORA)
SAMPLE = os.path.join(CORPORA, "sample")
HOSTILE = os.path.join(CORPORA, "hostile")
FIXTURES = os.path.join(REPO, "tests", "fixtures", "extract")

VALID = [
    "mcriap/apk-vks-go",  # complies: xlsx, odt, docx
    "minzdrav/kmis",  # complies: ods, pdf, docx
    "mcriap/ppp-servis-uvedomlenii",  # complies: windows-1251 card
    "minjust/enis",  # does_not_comply
    "minekologii/is-ekologicheskii-monitoring",  # does_not_comply
]
# Hostile extras go only into submissions that comply (see the module docstring).
HOST_A = "mcriap/apk-vks-go/extra"
HOST_B = "minzdrav/kmis/prilozheniya"
HOST_C = "mcriap/ppp-servis-uvedomlenii"
OWN = "hostile"  # submissions (or card-less folders) made only of hostile input

rng = random.Random(29)
ZIP_DATE = (2026, 11, 1, 12, 0, 0)
KINDS = []  # (path, kind, what the checker must do)


def put(rel, data, kind, expect):
    path = os.path.join(HOSTILE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    KINDS.append((rel, kind, expect))


def sample_bytes(rel):
    with open(os.path.join(SAMPLE, rel), "rb") as f:
        return f.read()


# ---------------------------------------------------------------------------------------------
# PDF: built object by object, xref offsets computed, so each file is exactly as hostile as meant


def pdf(objects, trailer_extra=b"", root=1, xref=True):
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    if not xref:
        return bytes(out)
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        trailer_extra,
        start,
    )
    return bytes(out)


def stream(content, extra=b"", compress=False):
    data = zlib.compress(content, 9) if compress else content
    flt = b" /Filter /FlateDecode" if compress else b""
    return b"<< /Length %d%s %s>>\nstream\n" % (len(data), flt, extra) + data + b"\nendstream"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def page_pdf(text_ops, compress=False):
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
            b"/Contents 4 0 R >>",
            stream(text_ops, compress=compress),
            FONT,
        ]
    )


MEMO = b"BT /F1 12 Tf 72 760 Td (Internal memo: meeting moved to Tuesday.) Tj ET"


def pdfs():
    put(f"{HOST_A}/empty.pdf", b"", "zero-byte file", "no_text, 'empty file (0 bytes)'")
    valid = sample_bytes("minzdrav/kmis/Протокол_ИБ.pdf")
    put(f"{HOST_A}/truncated_half.pdf", valid[: len(valid) // 2], "PDF truncated to half", "corrupt")
    put(f"{HOST_A}/header_only.pdf", b"%PDF-1.7\n", "PDF header and nothing else", "corrupt")
    garbage = bytearray(valid)
    for _ in range(400):
        at = rng.randrange(200, len(garbage))
        garbage[at] = rng.randrange(256)
    put(f"{HOST_A}/bit_rot.pdf", bytes(garbage), "PDF with 400 random bytes overwritten", "any status, no crash")
    put(
        f"{HOST_A}/pages_cycle.pdf",
        pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>",
                b"<< /Type /Page /Parent 2 0 R /Kids [2 0 R] /MediaBox [0 0 595 842] /Contents 4 0 R "
                b"/Resources << /Font << /F1 5 0 R >> >> >>",
                stream(MEMO),
                FONT,
            ]
        ),
        "PDF page tree that contains itself (cycle)",
        "terminates; memo text or corrupt",
    )
    put(
        f"{HOST_A}/xobject_cycle.pdf",
        pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                b"/Resources << /XObject << /X1 6 0 R >> /Font << /F1 5 0 R >> >> >>",
                stream(b"/X1 Do " + MEMO),
                FONT,
                stream(
                    b"/X1 Do",
                    extra=b"/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X1 6 0 R >> >> ",
                ),
            ]
        ),
        "PDF Form XObject that draws itself (infinite recursion)",
        "terminates",
    )
    put(
        f"{HOST_A}/ref_cycle.pdf",
        pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 6 0 R "
                b"/Resources 4 0 R >>",
                b"5 0 R",
                b"4 0 R",
                b"7 0 R",
                b"6 0 R",
            ]
        ),
        "PDF indirect references that point at each other (4->5->4, 6->7->6)",
        "terminates",
    )
    bomb = b"BT /F1 12 Tf 72 760 Td (x) Tj ET\n" + b" " * (150 * 1024 * 1024)
    put(
        f"{HOST_A}/flate_bomb.pdf",
        page_pdf(bomb, compress=True),
        "PDF content stream inflating to 150 MiB from ~150 KiB",
        "terminates within the memory limit",
    )
    put(
        f"{HOST_A}/bad_xref.pdf",
        page_pdf(MEMO)[:-30] + b"startxref\n99999999\n%%EOF\n",
        "PDF whose startxref points past the end",
        "memo text (reconstructed) or corrupt",
    )
    put(
        f"{HOST_A}/prev_loop.pdf",
        page_pdf(MEMO).replace(b"/Root 1 0 R ", b"/Root 1 0 R /Prev 9 "),
        "PDF trailer /Prev that loops into the middle of the file",
        "terminates",
    )
    nested = b"[" * 100_000 + b"]" * 100_000
    put(
        f"{HOST_A}/nested_arrays.pdf",
        pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R /Deep 3 0 R >>",
                b"<< /Type /Pages /Kids [] /Count 0 >>",
                nested,
            ]
        ),
        "PDF object nested 100,000 arrays deep",
        "terminates (stack overflow caught in the worker at worst)",
    )
    put(
        f"{HOST_A}/huge_count.pdf",
        pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 2000000000 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                b"/Resources << /Font << /F1 5 0 R >> >> >>",
                stream(MEMO),
                FONT,
            ]
        ),
        "PDF claiming two billion pages",
        "memo text",
    )
    with open(os.path.join(FIXTURES, "user_password.pdf"), "rb") as f:
        put(f"{HOST_A}/password.pdf", f.read(), "PDF with a user password", "encrypted")


# ---------------------------------------------------------------------------------------------
# ZIP containers


def zip_bytes(entries, compression=zipfile.ZIP_DEFLATED):
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = compression
            z.writestr(info, data)
    return buf.getvalue()


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx(document_xml):
    return zip_bytes([("[Content_Types].xml", CONTENT_TYPES), ("word/document.xml", document_xml)])


def lie_about_sizes(data, fake_size=1000):
    """Rewrites every declared uncompressed size (local headers and central directory)."""
    out = bytearray(data)
    i = 0
    while True:
        i = out.find(b"PK\x03\x04", i)
        if i < 0:
            break
        struct.pack_into("<I", out, i + 22, fake_size)
        i += 4
    i = 0
    while True:
        i = out.find(b"PK\x01\x02", i)
        if i < 0:
            break
        struct.pack_into("<I", out, i + 24, fake_size)
        i += 4
    return bytes(out)


def odf(mimetype, content_xml):
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    return zip_bytes([("mimetype", mimetype), ("content.xml", content_xml), ("META-INF/manifest.xml", manifest)])


def zips():
    spaces = f"<w:document {W}><w:body><w:p><w:r><w:t>" + " " * (150 * 1024 * 1024) + "</w:t></w:r></w:p></w:body></w:document>"
    bomb = docx(spaces)
    put(f"{HOST_A}/bomb.docx", bomb, "DOCX zip bomb: 150 MiB document.xml from ~150 KiB", "too_large or corrupt (limit named)")
    put(
        f"{HOST_A}/bomb_lying.docx",
        lie_about_sizes(bomb),
        "DOCX zip bomb whose headers declare 1000 bytes",
        "too_large (inflation stopped at the limit)",
    )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheetData>" + '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>' + " " * (200 * 1024 * 1024) + "</sheetData></worksheet>"
    )
    xlsx_parts = [
        (
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        ),
        (
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        ),
        (
            "xl/workbook.xml",
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        ),
        (
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        ),
    ]
    put(
        f"{HOST_B}/bomb_lying.xlsx",
        lie_about_sizes(zip_bytes(xlsx_parts + [("xl/worksheets/sheet1.xml", sheet)])),
        "XLSX zip bomb (200 MiB sheet) whose headers declare 1000 bytes",
        "too_large or corrupt (limit named)",
    )
    far_cell = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>y</t></is></c></row></sheetData></worksheet>'
    )
    put(
        f"{HOST_B}/far_cells.xlsx",
        zip_bytes(xlsx_parts + [("xl/worksheets/sheet1.xml", far_cell)]),
        "XLSX with cells at A1 and XFD1048576 (a 17-billion-cell range)",
        "terminates within the memory limit",
    )
    ods_repeat = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
        '<table:table table:name="S"><table:table-row table:number-rows-repeated="1048576">'
        '<table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell>'
        "</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"
    )
    put(
        f"{HOST_B}/repeated.ods",
        odf("application/vnd.oasis.opendocument.spreadsheet", ods_repeat),
        "ODS cell repeated 16384 x 1048576 times",
        "terminates within the memory limit",
    )
    odt_bomb = odf(
        "application/vnd.oasis.opendocument.text",
        '<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0">'
        + " " * (150 * 1024 * 1024)
        + "</office:document-content>",
    )
    put(f"{HOST_B}/bomb.odt", odt_bomb, "ODT zip bomb: 150 MiB content.xml", "too_large or corrupt (limit named)")
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(9))
        + f"]><w:document {W}><w:body><w:p><w:r><w:t>&j;</w:t></w:r></w:p></w:body></w:document>"
    )
    put(f"{HOST_B}/billion_laughs.docx", docx(laughs), "DOCX with a billion-laughs DTD", "entities not expanded")
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">'
        '<!ENTITY y SYSTEM "http://127.0.0.1:9/leak">]>'
        f"<w:document {W}><w:body><w:p><w:r><w:t>&x;&y;</w:t></w:r></w:p></w:body></w:document>"
    )
    put(f"{HOST_B}/external_entity.docx", docx(xxe), "DOCX with external entities (file://, http://)", "never resolved or fetched")
    deep = f"<w:document {W}><w:body>" + "<w:tbl><w:tr><w:tc>" * 10000 + "</w:tc></w:tr></w:tbl>" * 10000 + "</w:body></w:document>"
    put(f"{HOST_B}/deep_tables.docx", docx(deep), "DOCX with tables nested 10,000 deep", "terminates")
    put(f"{HOST_B}/not_a_zip.docx", b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(3000)), "ZIP signature followed by garbage", "corrupt")
    put(
        f"{HOST_B}/no_document.docx",
        zip_bytes([("[Content_Types].xml", CONTENT_TYPES), ("readme.txt", "nothing here")]),
        "DOCX without word/document.xml",
        "corrupt or unsupported",
    )
    put(
        f"{HOST_B}/traversal.zip",
        zip_bytes([("../../../../etc/cron.d/evil", "* * * * * root true"), ("/abs/path", "x")]),
        "ZIP with path-traversal entry names",
        "each member unsupported (unsafe name), never written",
    )
    enc = bytearray(docx(f"<w:document {W}><w:body/></w:document>"))
    i = 0
    while True:  # set the "encrypted" flag bit on every entry
        i = enc.find(b"PK\x03\x04", i)
        if i < 0:
            break
        enc[i + 6] |= 1
        i += 4
    i = 0
    while True:
        i = enc.find(b"PK\x01\x02", i)
        if i < 0:
            break
        enc[i + 8] |= 1
        i += 4
    put(f"{HOST_B}/zip_encrypted_flag.docx", bytes(enc), "DOCX with the ZIP encryption flag set", "encrypted or corrupt")


# ---------------------------------------------------------------------------------------------
# XML files and object cards


def xmls():
    laughs = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
        + "".join(f' <!ENTITY lol{i} "' + (f"&lol{i - 1};" if i > 1 else "&lol;") * 10 + '">\n' for i in range(1, 10))
        + "]>\n<lolz>&lol9;</lolz>\n"
    )
    put(f"{HOST_C}/billion_laughs.xml", laughs, "XML billion laughs", "entities not expanded")
    put(
        f"{HOST_C}/xxe.xml",
        '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY y SYSTEM "http://127.0.0.1:9/">]>\n<r>&x;&y;</r>\n',
        "XML external entities",
        "never resolved or fetched",
    )
    put(f"{HOST_C}/deep.xml", "<a>" * 50_000 + "</a>" * 50_000, "XML nested 50,000 elements deep", "terminates")
    put(f"{HOST_C}/unclosed.xml", "<?xml version='1.0'?><a><b>text", "XML cut off mid-element", "corrupt")
    card = sample_bytes("mcriap/apk-vks-go/object.xml").decode("utf-8")
    body = card.split("?>", 1)[1].replace("APK-2020-0007", "HOSTILE-0001")
    put(
        f"{OWN}/card-laughs/object.xml",
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE object [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(9))
        + "]>"
        + body.replace("АПК ВКС ГО", "&j;"),
        "object card with a billion-laughs DTD",
        "card refused (DOCTYPE), submission needs_review",
    )
    put(f"{OWN}/card-laughs/akt.pdf", page_pdf(MEMO), "valid PDF in a submission with a refused card", "ok")
    put(
        f"{OWN}/card-xxe/object.xml",
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE object [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        + body.replace("APK-2020-0007", "HOSTILE-0002").replace("HOSTILE-0001", "HOSTILE-0002").replace("АПК ВКС ГО", "&x;"),
        "object card with an external entity",
        "card refused, never fetched",
    )
    put(f"{OWN}/card-empty/object.xml", b"", "zero-byte object card", "card corrupt, submission needs_review")
    put(
        f"{OWN}/card-bogus-encoding/object.xml",
        '<?xml version="1.0" encoding="x-no-such-charset"?>\n<object id="HOSTILE-0004"/>',
        "object card declaring an unknown encoding",
        "card corrupt",
    )
    put(
        f"{OWN}/card-binary/object.xml",
        bytes(rng.randrange(256) for _ in range(4096)),
        "object card that is random bytes",
        "card corrupt",
    )


# ---------------------------------------------------------------------------------------------
# Text, lies about format, odd bytes


def misc():
    png = b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(2000))
    put(f"{HOST_A}/photo_named.pdf", png, "PNG named .pdf (lies about format)", "corrupt (a PNG signature over random bytes)")
    put(f"{HOST_A}/memo_named.xlsx", page_pdf(MEMO), "PDF named .xlsx (lies about format)", "ok: read as PDF")
    put(f"{HOST_A}/text_named.docx", "Служебная записка о переносе совещания.\n", "plain text named .docx", "ok: read as text")
    put(f"{HOST_A}/random.pdf", bytes(rng.randrange(256) for _ in range(8192)), "random bytes named .pdf", "unsupported or corrupt")
    put(f"{HOST_A}/ole2_garbage.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(rng.randrange(256) for _ in range(4096)), "OLE2 signature followed by garbage", "corrupt")
    put(f"{HOST_A}/invalid_utf8.txt", b"\xff\xfe\xfd not utf-8 \xc3\x28 \xa0\xa1 \xe2\x28\xa1", "text with invalid UTF-8 sequences", "read or refused, no crash")
    put(f"{HOST_A}/utf16.txt", "\ufeffСлужебная записка".encode("utf-16-le"), "UTF-16 text with a BOM", "read or refused, no crash")
    put(f"{HOST_A}/nul_bytes.txt", b"memo\x00\x00\x00" * 1000, "text full of NUL bytes", "read or refused, no crash")
    put(f"{HOST_A}/one_long_line.txt", "а" * (400 * 1024), "a single 800 KB line of text", "ok")
    put(f"{HOST_A}/whitespace.txt", " \n\t\r\n" * 1000, "whitespace only", "no_text")
    put(f"{HOST_A}/archive.tar.gz", zlib.compress(b"x" * 10000), "zlib/gzip-like archive", "unsupported")
    put(f"{OWN}/loose/stray.pdf", page_pdf(MEMO), "valid PDF with no card above it", "ok, card-less submission")
    put(f"{OWN}/loose/empty.docx", b"", "zero-byte DOCX with no card above it", "no_text")
    images()


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def endless_tiff(frames=400):
    """A TIFF whose chain of frames (image file directories) runs 400 long and then loops back
    to its first: a reader that follows it to the end never gets there, one that counts frames
    first counts forever. Every frame is one grey pixel, sharing one byte of data."""
    entries = lambda pixel: [  # (tag, type SHORT=3 / LONG=4, value)
        (256, 3, 1), (257, 3, 1), (258, 3, 8), (259, 3, 1), (262, 3, 1),
        (273, 4, pixel), (277, 3, 1), (278, 3, 1), (279, 4, 1),
    ]
    ifd_size = 2 + 12 * 9 + 4
    first = 8 + 2  # after the header and the shared pixel (padded to an even offset)
    out = b"II*\x00" + struct.pack("<I", first) + b"\x80\x00"
    for i in range(frames):
        following = first + (i + 1) * ifd_size if i + 1 < frames else first
        out += struct.pack("<H", 9)
        for tag, kind, value in entries(8):
            out += struct.pack("<HHI", tag, kind, 1) + (struct.pack("<HH", value, 0) if kind == 3 else struct.pack("<I", value))
        out += struct.pack("<I", following)
    return out


def images():
    huge = png_chunk(b"IHDR", struct.pack(">IIBBBBB", 100000, 100000, 8, 0, 0, 0, 0))
    huge += png_chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + png_chunk(b"IEND", b"")
    put(f"{HOST_B}/scan_100000x100000.png", b"\x89PNG\r\n\x1a\n" + huge,
        "PNG whose header claims 100000×100000 pixels (10 GB decoded)",
        "too_large, refused from the header, nothing decoded")
    put(f"{HOST_B}/scan_endless_frames.tif", endless_tiff(),
        "TIFF with a chain of 400 frames looping back to its first (endless if followed)",
        "no_text: the first 300 frames read, the cap named in the reason")
    memo = "Служебная записка о переносе совещания на вторник.\nҚызметтік хат: кеңес сейсенбіге ауыстырылды.\n"
    damaged = bytearray(memo.encode("utf-8") * 4)
    damaged[8:8] = b"\xff"  # a stray byte between two letters
    damaged += "Конец записки".encode("utf-8")[:-1]  # cut in the middle of the last letter
    put(f"{HOST_A}/memo_stray_bytes.txt", bytes(damaged),
        "UTF-8 text with two stray invalid bytes",
        "ok: read with U+FFFD for each, the count in the reason")


# ---------------------------------------------------------------------------------------------
# Archives: read in memory, member by member (no rng here, so the files above stay as they were)

ARCHIVES = f"{OWN}/archives"


def zipcrypto(name, data):
    """A ZIP entry encrypted with traditional PKWARE encryption (ZipCrypto), the kind Windows and
    `zip -P` write. Python's zipfile reads it but cannot write it; the 12-byte header is fixed
    here instead of random so the file is reproducible."""
    import binascii
    import struct

    crc_table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0xEDB88320 if c & 1 else c >> 1
        crc_table.append(c)

    def crc_byte(crc, b):
        return crc_table[(crc ^ b) & 0xFF] ^ (crc >> 8)

    keys = [0x12345678, 0x23456789, 0x34567890]

    def update(b):
        keys[0] = crc_byte(keys[0], b)
        keys[1] = (keys[1] + (keys[0] & 0xFF)) & 0xFFFFFFFF
        keys[1] = (keys[1] * 134775813 + 1) & 0xFFFFFFFF
        keys[2] = crc_byte(keys[2], keys[1] >> 24)

    def encrypt(plain):
        out = bytearray()
        for b in plain:
            t = (keys[2] | 2) & 0xFFFF
            k = ((t * (t ^ 1)) >> 8) & 0xFF
            out.append(b ^ k)
            update(b)
        return bytes(out)

    for b in b"secret":
        update(b)
    crc = binascii.crc32(data) & 0xFFFFFFFF
    header = bytes(range(11)) + bytes([crc >> 24])
    body = encrypt(header + data)
    name_b = name.encode("ascii")
    dos_time, dos_date = (12 << 11), ((2026 - 1980) << 9) | (11 << 5) | 1
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 1, 0, dos_time, dos_date, crc, len(body), len(data), len(name_b), 0) + name_b
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 1, 0, dos_time, dos_date, crc, len(body), len(data), len(name_b), 0, 0, 0, 0, 0, 0
    ) + name_b
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local) + len(body), 0)
    return local + body + central + end


def archives():
    import io

    zeros = b"\0" * (64 * 1024 * 1024)
    put(
        f"{ARCHIVES}/flat_bomb.zip",
        zip_bytes([("zeros.txt", zeros), ("readme.txt", "Служебная записка.")]),
        "ZIP bomb: one member inflating 64 MiB from ~64 KiB, beside a plain member",
        "zeros.txt too_large (ratio named), readme.txt ok",
    )
    level = zip_bytes([("zeros.txt", b"\0" * (16 * 1024 * 1024))])
    for depth in range(4):
        level = zip_bytes([(f"d{depth}_{n}.zip", level) for n in range(4)])
    put(
        f"{ARCHIVES}/nested_bomb.zip",
        level,
        "42.zip-like nested bomb: 4 archives per level, 5 levels, 16 MiB of zeros at the bottom of each",
        "archives past the depth limit too_large, nothing inflated past the limits",
    )
    put(
        f"{ARCHIVES}/traversal_windows.zip",
        zip_bytes([("C:\\Windows\\evil.txt", "x"), ("..\\..\\evil.txt", "x"), ("docs\\akt.txt", "x"), ("ok.txt", "memo")]),
        "ZIP with a drive letter, backslash traversal and backslash folders in member names",
        "the drive-letter and `..` members unsupported (unsafe name); `docs\\akt.txt` and ok.txt ok",
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        link = zipfile.ZipInfo("akt.pdf", ZIP_DATE)
        link.create_system = 3
        link.external_attr = (0o120777 << 16)
        z.writestr(link, "/etc/passwd")
        z.writestr(zipfile.ZipInfo("ok.txt", ZIP_DATE), "memo")
    put(f"{ARCHIVES}/symlink_member.zip", buf.getvalue(), "ZIP with a symbolic-link member pointing at /etc/passwd", "link member unsupported (not followed)")
    put(f"{ARCHIVES}/encrypted.zip", zipcrypto("akt.txt", "Акт ввода в промышленную эксплуатацию".encode("utf-8")), "ZIP whose member is encrypted (ZipCrypto, password `secret`)", "member encrypted")
    whole = zip_bytes([("akt.pdf", page_pdf(MEMO)), ("note.txt", "memo " * 2000)])
    put(f"{ARCHIVES}/truncated.zip", whole[: len(whole) // 2], "ZIP cut in half (no central directory)", "corrupt")
    put(f"{ARCHIVES}/empty.zip", zip_bytes([]), "empty ZIP archive", "no_text (empty archive)")
    put(
        f"{ARCHIVES}/many_members.zip",
        zip_bytes([(f"{n:04}.txt", "") for n in range(1010)], zipfile.ZIP_STORED),
        "ZIP with 1010 empty members, over the limit of 1000 per archive",
        "archive too_large naming the limit; the first 1000 members listed",
    )
    placeholder = "X" * len("Акт ввода".encode("cp866"))
    cp866 = zip_bytes([(placeholder + ".txt", "Акт ввода в промышленную эксплуатацию")])
    put(
        f"{ARCHIVES}/cp866_names.zip",
        cp866.replace(placeholder.encode("ascii"), "Акт ввода".encode("cp866")),
        "ZIP from an old Windows: a Cyrillic member name in CP866 without the UTF-8 flag",
        "member named `Акт ввода.txt`, ok",
    )


# ---------------------------------------------------------------------------------------------
# Legacy Word (.doc, an OLE2 compound file), from the fixture in tests/fixtures/extract/ (no rng)


def cfb_streams(data):
    """The sector size, the FAT (as a list) and {stream name: (start sector, size)} of a compound
    file whose FAT fits the header's 109 entries (as the fixture's does)."""
    sector = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    fat_sectors = struct.unpack_from("<I", data, 0x2C)[0]
    offset = lambda s: (s + 1) * sector
    fat = []
    for s in struct.unpack_from("<109I", data, 0x4C)[:fat_sectors]:
        fat += struct.unpack_from("<%dI" % (sector // 4), data, offset(s))
    streams, s = {}, struct.unpack_from("<I", data, 0x30)[0]
    while s < 0xFFFFFFFA:
        for i in range(sector // 128):
            entry = data[offset(s) + i * 128 : offset(s) + (i + 1) * 128]
            name = entry[: max(struct.unpack_from("<H", entry, 64)[0] - 2, 0)].decode("utf-16-le")
            streams[name] = struct.unpack_from("<II", entry, 116)
        s = fat[s]
    return sector, fat, streams


def legacy_word():
    with open(os.path.join(FIXTURES, "kazakh_russian.doc"), "rb") as f:
        doc = f.read()
    put(f"{HOST_B}/truncated_half.doc", doc[: len(doc) // 2], "Word 97-2003 .doc cut in half (FAT and directory past the end)", "corrupt")
    sector, fat, streams = cfb_streams(doc)
    start, _ = streams["WordDocument"]
    third = fat[fat[start]]  # the stream's third sector points back to its first: a cycle
    fat_sector = struct.unpack_from("<I", doc, 0x4C)[0]
    at = (fat_sector + 1) * sector + 4 * third
    cyclic = doc[:at] + struct.pack("<I", start) + doc[at + 4 :]
    put(f"{HOST_B}/fat_cycle.doc", cyclic, "Word 97-2003 .doc whose FAT chains the WordDocument stream in a cycle (endless if followed)", "corrupt, terminates")


# ---------------------------------------------------------------------------------------------
# Signatures (CMS SignedData), from the openssl-made fixture in tests/fixtures/signatures/


def signatures():
    # An rng of its own: the files above keep their bytes.
    own = random.Random(12)
    with open(os.path.join(REPO, "tests", "fixtures", "signatures", "akt.pdf.cms"), "rb") as f:
        cms = f.read()
    signed_data_oid = bytes.fromhex("06092a864886f70d010702")
    malformed = b"\x30\x82\x04\x00" + signed_data_oid + bytes(own.randrange(256) for _ in range(1024))
    put(f"{HOST_A}/signatures/akt.pdf.cms", malformed, "CMS header (signedData OID) followed by garbage", "corrupt")
    put(f"{HOST_A}/signatures/protokol.p7s", cms[: len(cms) // 2], "CMS signature cut in half", "corrupt")


def write_readme():
    lines = [
        "# `hostile/`: bad input mixed into valid submissions",
        "",
        "Made by `python3 corpora/tools/make_hostile.py` (deterministic; do not edit by hand). The five",
        "submissions copied from `sample/` keep their paths and their expected verdicts; hostile files sit",
        "inside the three that comply and in `hostile/` submissions of their own. `tests/hostile.rs` runs",
        "the binary over a temporary copy to which it adds, at run time, what git cannot hold (9 more",
        "entries): a symlink loop (`loop_a` -> `loop_b` -> `loop_a`), a symlink to `/etc/passwd`, directory",
        "symlinks to `/` and to `..`, a PDF with mode 000 (still readable when the tests run as root, and",
        "reported as what it is), a non-UTF-8 file name, a 255-byte file name and a FIFO (reading it",
        "would block forever). Links are reported `unsupported` (not followed), the FIFO `unsupported`.",
        "",
        "| file | kind | expected handling |",
        "|---|---|---|",
    ]
    for rel, kind, expect in KINDS:
        lines.append(f"| `{rel}` | {kind} | {expect} |")
    lines.append("")
    lines.append(f"{len(KINDS)} hostile files of {len(set(k for _, k, _ in KINDS))} kinds, plus 9 made at run time.")
    with open(os.path.join(HOSTILE, "..", "hostile.md"), "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    shutil.rmtree(HOSTILE, ignore_errors=True)
    for rel in VALID:
        shutil.copytree(os.path.join(SAMPLE, rel), os.path.join(HOSTILE, rel))
    pdfs()
    zips()
    xmls()
    misc()
    signatures()
    archives()
    legacy_word()
    write_readme()
    print(f"{len(KINDS)} hostile files written under {HOSTILE}")


if __name__ == "__main__":
    main()
