#!/usr/bin/env python3
"""Builds corpora/fidelity/: hard-to-read documents made by real producers, each with its true text.

Every file in the set is listed in corpora/fidelity/manifest.toml with the truth file its words
must be found in and the status the extractor must give it; tests/fidelity.rs measures word
recall per file. Run from the repository root:

    python3 corpora/tools/make_fidelity.py                 # the whole set
    python3 corpora/tools/make_fidelity.py --images-only   # only the JPEG photo and the TIFF
    python3 corpora/tools/make_fidelity.py --legacy-word-only  # only the .doc and the .rtf

Tools needed (Debian): libreoffice-writer (soffice), ghostscript (gs, ps2pdf), poppler-utils
(pdftoppm, pdftocairo, pdftops), qpdf, img2pdf, imagemagick (convert); from PyPI: fpdf2 and Pillow.
The output is deterministic up to the producers' own timestamps.
"""

import datetime
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "corpora" / "fidelity"
TRUTH = OUT / "truth"
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

# The technical documentation: Russian and Kazakh, two pages, with hyphenated compounds at line
# ends (LibreOffice breaks "информационно-коммуникационной" at its own hyphen) and every Kazakh
# letter (ә ғ қ ң ө ұ ү һ і).
TECH = [
    "ТЕХНИЧЕСКОЕ ЗАДАНИЕ",
    "на создание информационной системы «Электронное лицензирование» (ИС «Е-Лицензирование»)",
    "1. Общие сведения. Информационная система предназначена для автоматизации процессов выдачи "
    "лицензий и разрешений в электронной форме. Заказчик: Министерство цифрового развития, инноваций "
    "и аэрокосмической промышленности Республики Казахстан. Разработчик: акционерное общество "
    "«Национальные информационные технологии».",
    "2. Назначение системы. Система обеспечивает приём заявлений через веб-портал электронного "
    "правительства, проверку сведений в государственных базах данных, формирование электронных "
    "документов и их подписание электронной цифровой подписью. Информационно-коммуникационная "
    "инфраструктура размещается на единой платформе информационно-коммуникационной инфраструктуры "
    "государственных органов.",
    "3. Требования к информационной безопасности. Перед вводом в промышленную эксплуатацию система "
    "проходит испытания на соответствие требованиям информационной безопасности; протокол испытаний "
    "№ 112-ИБ от 15.03.2024 прилагается. Количество зарегистрированных пользователей: 12 500; "
    "количество государственных органов, использующих систему: 17.",
    "4. Жалпы мәліметтер. Ақпараттық жүйе лицензиялар мен рұқсаттарды электрондық нысанда беру "
    "процестерін автоматтандыруға арналған. Жүйе мемлекеттік органдардың деректер базаларындағы "
    "мәліметтерді тексереді, электрондық құжаттарды қалыптастырады және оларға электрондық цифрлық "
    "қолтаңба қояды. Өнеркәсіптік пайдалануға енгізу туралы акт ақпараттық қауіпсіздік талаптарына "
    "сәйкестігіне сынақ хаттамасымен бірге ұсынылады.",
    "5. Құжаттама. Техникалық құжаттаманың көшірмесі, тіркелген пайдаланушылар саны және жүйені "
    "пайдаланатын мемлекеттік органдар саны порталда орналастырылады. Һ әрпі сирек кездеседі: "
    "шаһар, Һижра жылы. Ұлттық ақпараттық технологиялар қоғамы жүйені сүйемелдейді.",
    "6. Состав работ. Работы выполняются в три этапа: обследование и разработка технического "
    "проекта; разработка программного обеспечения и опытная эксплуатация; ввод в промышленную "
    "эксплуатацию и сопровождение. Программно-аппаратный комплекс размещается в центре обработки "
    "данных оператора информационно-коммуникационной инфраструктуры электронного правительства.",
    "7. Порядок контроля и приёмки. Приёмка системы осуществляется комиссией, назначенной приказом "
    "заказчика. По результатам опытной эксплуатации составляется акт о завершении опытной "
    "эксплуатации, после чего система вводится в промышленную эксплуатацию приказом руководителя "
    "государственного органа.",
]

# The scanned commissioning act: one page, large enough type for a 200 dpi scan to stay legible.
ACT = [
    "АКТ",
    "ввода в промышленную эксплуатацию информационной системы «Е-Лицензирование»",
    "г. Астана 20 мая 2024 года № 45",
    "Комиссия, назначенная приказом Министерства цифрового развития от 2 апреля 2024 года № 118, "
    "рассмотрела результаты опытной эксплуатации и протокол испытаний на соответствие требованиям "
    "информационной безопасности № 112-ИБ от 15.03.2024.",
    "Комиссия решила: ввести информационную систему «Е-Лицензирование» в промышленную эксплуатацию "
    "с 20 мая 2024 года.",
    "«Е-Лицензиялау» ақпараттық жүйесін өнеркәсіптік пайдалануға енгізу туралы акт. Комиссия "
    "жүйені өнеркәсіптік пайдалануға енгізу туралы шешім қабылдады.",
    "Председатель комиссии: Сейтқали Ә. Н.",
]


def run(*args, cwd=None):
    subprocess.run(args, check=True, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


SOFT_HYPHEN = "\u00ad"
VOWELS = set("аеёиоуыэюяәөұүіАЕЁИОУЫЭЮЯӘӨҰҮІ")


def soft_hyphenate(paragraph):
    """Offers a break after a vowel in the middle of every long word, as a hyphenating editor does.

    The break shows only when a word lands at a line end, so the PDF holds real hyphenated
    line-end words; the truth file keeps the words whole."""

    def offer(match):
        word = match.group(0)
        for at in range(len(word) // 2, len(word) - 3):
            if word[at - 1] in VOWELS and word[at] not in VOWELS:
                return word[:at] + SOFT_HYPHEN + word[at:]
        return word

    return re.sub(r"\w{11,}", offer, paragraph)


def fodt(paragraphs, size_pt, hyphenate, break_before=None):
    """A flat ODT; `break_before` starts a new page at that paragraph index."""
    body = "\n".join(
        f"<text:p text:style-name=\"{'P2' if i == break_before else 'P1'}\">"
        f"{escape(soft_hyphenate(p) if hyphenate else p)}</text:p>"
        for i, p in enumerate(paragraphs)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:automatic-styles>
  <style:style style:name="P1" style:family="paragraph">
   <style:paragraph-properties fo:text-align="justify" fo:margin-bottom="0.2cm"/>
   <style:text-properties style:font-name="Liberation Serif" fo:font-family="Liberation Serif"
    fo:font-size="{size_pt}pt" fo:language="ru" fo:country="RU"/>
  </style:style>
  <style:style style:name="P2" style:family="paragraph" style:parent-style-name="P1">
   <style:paragraph-properties fo:break-before="page" fo:text-align="justify" fo:margin-bottom="0.2cm"/>
   <style:text-properties style:font-name="Liberation Serif" fo:font-family="Liberation Serif"
    fo:font-size="{size_pt}pt" fo:language="ru" fo:country="RU"/>
  </style:style>
 </office:automatic-styles>
 <office:body><office:text>
{body}
 </office:text></office:body>
</office:document>
"""


SHEET_TRUTH = [
    "Показатель Значение Дата",
    "Количество зарегистрированных пользователей 12500 20.05.2024",
    "Количество государственных органов 17 20.05.2024",
    "Количество объектов использования 214 20.05.2024",
    "Итого 12731",
]


def fods_stats():
    """A statistics sheet as a state body fills it: real date cells, integers, a formula total."""
    def row(label, value, date):
        return (f'<table:table-row><table:table-cell office:value-type="string"><text:p>{label}</text:p></table:table-cell>'
                f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
                f'<table:table-cell table:style-name="D" office:value-type="date" office:date-value="{date}"><text:p>{date}</text:p></table:table-cell></table:table-row>')
    rows = [
        '<table:table-row><table:table-cell office:value-type="string"><text:p>Показатель</text:p></table:table-cell>'
        '<table:table-cell office:value-type="string"><text:p>Значение</text:p></table:table-cell>'
        '<table:table-cell office:value-type="string"><text:p>Дата</text:p></table:table-cell></table:table-row>',
        row("Количество зарегистрированных пользователей", 12500, "2024-05-20"),
        row("Количество государственных органов", 17, "2024-05-20"),
        row("Количество объектов использования", 214, "2024-05-20"),
        '<table:table-row><table:table-cell office:value-type="string"><text:p>Итого</text:p></table:table-cell>'
        '<table:table-cell table:formula="of:=SUM([.B2:.B4])" office:value-type="float" office:value="12731"><text:p>12731</text:p></table:table-cell></table:table-row>',
    ]
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
 <office:automatic-styles>
  <number:date-style style:name="N1"><number:day number:style="long"/><number:text>.</number:text>
   <number:month number:style="long"/><number:text>.</number:text><number:year number:style="long"/></number:date-style>
  <style:style style:name="D" style:family="table-cell" style:data-style-name="N1"/>
 </office:automatic-styles>
 <office:body><office:spreadsheet><table:table table:name="Статистика">
{"".join(rows)}
 </table:table></office:spreadsheet></office:body>
</office:document>
"""


def soffice(src, fmt, outdir):
    run("soffice", "--headless", "--convert-to", fmt, "--outdir", str(outdir), str(src))
    return outdir / (src.stem + "." + fmt.split(":")[0])


def blank_pdf(path, pages):
    """Empty A4 pages: the base that qpdf overlays real pages onto (each as a Form XObject)."""
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages)]
    contents = 3 + pages
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.3 841.9] /Resources << >> /Contents %d 0 R >>" % contents
    ] * pages
    objects.append(b"<< /Length 0 >>\nstream\n\nendstream")
    write_pdf(path, objects)


def write_pdf(path, objects):
    """Numbers `objects` from 1 (the first is the catalog) and writes them with a cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


def differences_pdf(lines, out):
    """A one-page PDF as older Russian producers write it: a simple font whose /Differences
    give Adobe glyph names (afii100xx for Cyrillic, uniXXXX for Kazakh letters) to one-byte
    codes, cp1251-style, and no ToUnicode map. Written by hand: no tool here makes one."""
    upper = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
    lower = upper.lower()
    names = {c: f"afii{10017 + i}" for i, c in enumerate(upper)}
    names.update({c: f"afii{10065 + i}" for i, c in enumerate(lower)})
    kazakh = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"
    codes, differences, next_code = {}, [], 0x80
    for c in sorted(set("".join(lines))):
        if c in names or c in kazakh:
            codes[c] = next_code if c in kazakh else None
            if c in kazakh:
                differences.append(f"{next_code} /uni{ord(c):04X}")
                next_code += 1
    cyrillic_codes = {c: 0xC0 + i for i, c in enumerate("АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдежзийклмнопрстуфхцчшщъыьэюя")}
    cyrillic_codes.update({"Ё": 0xA8, "ё": 0xB8})
    differences.append("168 /afii10023")
    differences.append("184 /afii10071")
    differences.append("192 " + " ".join(f"/{names[c]}" for c in "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдежзийклмнопрстуфхцчшщъыьэюя"))
    differences.append("171 /guillemotleft")
    differences.append("187 /guillemotright")
    differences.append("185 /afii61352")

    def encode(text):
        out = bytearray()
        for c in text:
            if c in cyrillic_codes:
                out.append(cyrillic_codes[c])
            elif codes.get(c):
                out.append(codes[c])
            elif c == "«":
                out.append(171)
            elif c == "»":
                out.append(187)
            elif c == "№":
                out.append(185)
            else:
                out += c.encode("latin-1")
        return bytes(out)

    def pdf_string(data):
        return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"

    # Wrap lines at about 80 characters, as a layout would.
    wrapped = []
    for line in lines:
        words, current = line.split(" "), ""
        for word in words:
            if current and len(current) + 1 + len(word) > 80:
                wrapped.append(current)
                current = word
            else:
                current = f"{current} {word}" if current else word
        wrapped.append(current)
    content = b"BT /F1 10 Tf 14 TL 50 800 Td\n"
    for line in wrapped:
        content += pdf_string(encode(line)) + b" Tj T*\n"
    content += b"ET\n"
    widths = " ".join(["278"] + ["556"] * 223)  # space, then an average glyph: codes 32-255
    font = (f"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 32 /LastChar 255 /Widths [{widths}] "
            "/Encoding << /Type /Encoding "
            "/BaseEncoding /WinAnsiEncoding /Differences [" + " ".join(differences) + "] >> >>").encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.3 841.9] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        font,
    ]
    write_pdf(out, objects)


def scan(pdf, dpi, out, noisy, tmp):
    """Renders page 1 to a grey image, as a scanner would, and wraps it in an image-only PDF."""
    from PIL import Image, ImageFilter

    run("pdftoppm", "-r", str(dpi), "-gray", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp / "page"))
    page = next(tmp.glob("page-*.png"))
    if noisy:
        rng = random.Random(29)
        image = Image.open(page).convert("L").rotate(0.6, resample=Image.BICUBIC, fillcolor=255, expand=False)
        pixels = image.load()
        width, height = image.size
        for _ in range(width * height // 60):  # salt-and-pepper specks, as from dust on the glass
            x, y = rng.randrange(width), rng.randrange(height)
            pixels[x, y] = rng.choice((0, 90, 255))
        image = image.filter(ImageFilter.GaussianBlur(0.5))
        jpeg = tmp / "noisy.jpg"
        image.save(jpeg, quality=55, dpi=(dpi, dpi))
        run("img2pdf", str(jpeg), "-o", str(out))
    else:
        run("img2pdf", str(page), "-o", str(out))
    for leftover in tmp.glob("page-*.png"):
        leftover.unlink()


def fpdf2_identity_h(paragraphs, out):
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime.datetime(2024, 3, 15, tzinfo=datetime.timezone.utc))
    pdf.add_page()
    pdf.add_font("DejaVu", "", DEJAVU)
    pdf.set_font("DejaVu", size=11)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 6, paragraph)
        pdf.ln(2)
    pdf.output(str(out))


def exif_orientation(jpeg, orientation):
    """The JPEG with an EXIF block holding only its Orientation tag, as a phone writes one: the
    pixels stay as the sensor saw them and the tag says how to turn them upright."""
    tiff = b"MM\x00\x2a\x00\x00\x00\x08" + b"\x00\x01" + b"\x01\x12\x00\x03\x00\x00\x00\x01" + \
        orientation.to_bytes(2, "big") + b"\x00\x00" + b"\x00\x00\x00\x00"
    body = b"Exif\x00\x00" + tiff
    app1 = b"\xff\xe1" + (len(body) + 2).to_bytes(2, "big") + body
    assert jpeg[:2] == b"\xff\xd8"
    return jpeg[:2] + app1 + jpeg[2:]


def images(tech_pdf, act_pdf, tmp):
    """A phone photo (JPEG) of the act and a two-page office-scanner TIFF of the technical
    documentation, both made with ImageMagick from 300 dpi renderings."""
    magick = ["convert", "+set", "date:create", "+set", "date:modify"]
    run("pdftoppm", "-r", "300", "-png", "-f", "1", "-l", "1", str(act_pdf), str(tmp / "act"))
    act_png = next(tmp.glob("act-*.png"))
    # Paper under room light, held a little askew, sensor noise, a soft lens, phone JPEG
    # quality; stored turned a quarter to the left, as a phone held sideways stores it, with
    # EXIF Orientation 6 ("rotate 90° clockwise to view").
    run(*magick, str(act_png), "-fill", "#f1e9d8", "-tint", "100", "-background", "#efe7d6",
        "-rotate", "1.3", "-seed", "29", "-attenuate", "0.35", "+noise", "Gaussian",
        "-blur", "0x0.6", "-rotate", "-90", "-strip", "-density", "300", "-quality", "82",
        str(tmp / "photo.jpg"))
    (OUT / "phone_photo_exif_rotated.jpg").write_bytes(exif_orientation((tmp / "photo.jpg").read_bytes(), 6))
    run("pdftoppm", "-r", "300", "-gray", "-png", "-f", "1", "-l", "2", str(tech_pdf), str(tmp / "tech"))
    pages = sorted(str(page) for page in tmp.glob("tech-*.png"))
    # Office scanners send multi-page TIFF: bilevel, CCITT Group 4, one frame per page.
    run(*magick, *pages, "-threshold", "45%", "-strip", "-density", "300", "-compress", "Group4",
        str(OUT / "scan_2pages_g4.tif"))
    for leftover in [act_png, tmp / "photo.jpg", *map(Path, pages)]:
        leftover.unlink()


def images_only():
    """Writes only the image files, from the same sources, leaving the rest of the set as it is."""
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "tech.fodt").write_text(fodt(TECH, 12, hyphenate=True, break_before=7), encoding="utf-8")
        (tmp / "act.fodt").write_text(fodt(ACT, 16, hyphenate=False), encoding="utf-8")
        images(soffice(tmp / "tech.fodt", "pdf", tmp), soffice(tmp / "act.fodt", "pdf", tmp), tmp)
    print(f"wrote the images in {OUT}")


def legacy_word(tech_fodt, tmp):
    """Word 97–2003 and RTF, as offices' old templates save them: the piece table and code pages
    (`\\ansicpg1251`, `\\uN`) are what these test."""
    shutil.copy(soffice(tech_fodt, "doc:MS Word 97", tmp), OUT / "libreoffice.doc")
    shutil.copy(soffice(tech_fodt, "rtf:Rich Text Format", tmp), OUT / "libreoffice.rtf")


def legacy_word_only():
    """Writes only the .doc and .rtf files, leaving the rest of the set as it is."""
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "tech.fodt").write_text(fodt(TECH, 12, hyphenate=True, break_before=7), encoding="utf-8")
        legacy_word(tmp / "tech.fodt", tmp)
    print(f"wrote the .doc and .rtf files in {OUT}")


def main():
    for tool in ("soffice", "gs", "pdftoppm", "pdftocairo", "pdftops", "ps2pdf", "qpdf", "img2pdf", "convert"):
        if shutil.which(tool) is None:
            sys.exit(f"missing tool: {tool}")
    TRUTH.mkdir(parents=True, exist_ok=True)
    (TRUTH / "tech.txt").write_text("\n".join(TECH) + "\n", encoding="utf-8")
    (TRUTH / "act.txt").write_text("\n".join(ACT) + "\n", encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "tech.fodt").write_text(fodt(TECH, 12, hyphenate=True, break_before=7), encoding="utf-8")
        (tmp / "act.fodt").write_text(fodt(ACT, 16, hyphenate=False), encoding="utf-8")
        tech_pdf = soffice(tmp / "tech.fodt", "pdf", tmp)
        act_pdf = soffice(tmp / "act.fodt", "pdf", tmp)

        shutil.copy(tech_pdf, OUT / "libreoffice.pdf")
        shutil.copy(soffice(tmp / "tech.fodt", "docx", tmp), OUT / "libreoffice.docx")
        shutil.copy(soffice(tmp / "tech.fodt", "odt", tmp), OUT / "libreoffice.odt")
        legacy_word(tmp / "tech.fodt", tmp)
        run("gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite",
            f"-sOutputFile={OUT / 'ghostscript.pdf'}", str(tech_pdf))
        blank_pdf(tmp / "blank.pdf", pages=2)
        # qpdf puts each overlaid page into a Form XObject drawn by `Do` on a blank page.
        run("qpdf", str(tmp / "blank.pdf"), "--overlay", str(tech_pdf), "--", str(OUT / "form_xobject.pdf"))
        # Printed to PostScript and distilled again: fonts arrive as Type 3/Type 42 programs.
        run("pdftops", str(tech_pdf), str(tmp / "tech.ps"))
        run("ps2pdf", str(tmp / "tech.ps"), str(OUT / "postscript.pdf"))
        run("pdftocairo", "-pdf", str(tech_pdf), str(OUT / "cairo_identity_h.pdf"))
        fpdf2_identity_h(TECH, OUT / "fpdf2_identity_h.pdf")
        scan(act_pdf, 300, OUT / "scan_300dpi.pdf", noisy=False, tmp=tmp)
        scan(act_pdf, 200, OUT / "scan_200dpi_noisy.pdf", noisy=True, tmp=tmp)
        images(tech_pdf, act_pdf, tmp)
        run("qpdf", "--encrypt", "", "owner-only", "256", "--", str(tech_pdf), str(OUT / "encrypted_owner_only.pdf"))
        run("qpdf", "--encrypt", "user-secret", "owner-secret", "256", "--", str(tech_pdf),
            str(OUT / "encrypted_user_password.pdf"))
    differences_pdf(ACT, OUT / "differences_glyph_names.pdf")
    (TRUTH / "stats.txt").write_text("\n".join(SHEET_TRUTH) + "\n", encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "stats.fods").write_text(fods_stats(), encoding="utf-8")
        shutil.copy(soffice(tmp / "stats.fods", "xlsx", tmp), OUT / "libreoffice.xlsx")
        shutil.copy(soffice(tmp / "stats.fods", "ods", tmp), OUT / "libreoffice.ods")
        shutil.copy(soffice(tmp / "stats.fods", "xls", tmp), OUT / "libreoffice.xls")
    # Text and XML in the encodings state bodies' systems export: detected, never assumed.
    # windows-1251 has no Kazakh letters, so that file holds the Russian lines only.
    act_ru = [line for line in ACT if not set(line) & set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")]
    (TRUTH / "act_ru.txt").write_text("\n".join(act_ru) + "\n", encoding="utf-8")
    (OUT / "windows1251.txt").write_bytes(("\r\n".join(act_ru) + "\r\n").encode("cp1251"))
    act_text = "\r\n".join(ACT) + "\r\n"
    (OUT / "utf16le_no_bom.txt").write_bytes(act_text.encode("utf-16-le"))
    xml_body = "".join(f"<p>{escape(p)}</p>" for p in ACT)
    (OUT / "utf16_bom.xml").write_bytes(
        ('<?xml version="1.0" encoding="UTF-16"?>\n<act>' + xml_body + "</act>\n").encode("utf-16"))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    {"--images-only": images_only, "--legacy-word-only": legacy_word_only}.get(" ".join(sys.argv[1:]), main)()
