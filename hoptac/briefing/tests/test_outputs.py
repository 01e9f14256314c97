"""The Word file, the PDF and the annex, read back."""

import datetime
import io
import re
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from docx import Document
from fontTools.ttLib import TTFont
from openpyxl import load_workbook

from hoptac.briefing import outputs, services
from hoptac.briefing.periods import QUARTER, make_period

D = datetime.date


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (D(2021, 3, 15), "Bắc Giang, ngày 15 tháng 3 năm 2021"),
        (D(2021, 2, 5), "Bắc Giang, ngày 05 tháng 02 năm 2021"),
        (D(2021, 12, 1), "Bắc Giang, ngày 01 tháng 12 năm 2021"),
    ],
)
def test_the_date_line_follows_decree_30(day, text):
    assert outputs.official_date("Bắc Giang", day) == text


@pytest.fixture
def issued(q1_orgs, office):
    report = services.report_create(period=make_period(QUARTER, 2021, 1), as_of=D(2021, 3, 15), by=office)
    return services.report_issue(
        report=report,
        issued_on=D(2021, 3, 15),
        signer_name="Nguyễn Văn Tùng",
        signer_title="Phó Chánh Văn phòng",
        signing_authority="TL. CHỦ TỊCH",
        recipients="Liên minh HTX Việt Nam;\nLưu: VT.",
        by=office,
    )


def _inflate(data: bytes) -> bytes:
    try:
        return zlib.decompress(data)
    except zlib.error:
        return b""


def _all_paragraphs(doc):
    yield from doc.paragraphs
    for table in doc.tables:
        for cell in table._cells:
            yield from cell.paragraphs


def _paragraphs(doc) -> list[str]:
    texts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for cell in table._cells:
            texts.extend(p.text for p in cell.paragraphs)
    return texts


def test_the_word_file_is_a_decree_30_document(issued):
    doc = Document(io.BytesIO(issued.docx.read()))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 20
    assert section.different_first_page_header_footer  # page numbers from page 2
    header = section.header._element.xml
    assert "PAGE" in header
    texts = _paragraphs(doc)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 01/BC-LMHTX",
        "Bắc Giang, ngày 15 tháng 3 năm 2021",
        "BÁO CÁO",
        "Nơi nhận:",
        "- Liên minh HTX Việt Nam;",
        "TL. CHỦ TỊCH",
        "PHÓ CHÁNH VĂN PHÒNG",
        "Nguyễn Văn Tùng",
    ):
        assert expected in texts, expected
    body = "\n".join(texts)
    assert "Công tác tuyên truyền, vận động phát triển HTX, Liên hiệp HTX: Tính đến ngày 15/3/2021" in body
    assert "[[" not in body and "{{" not in body and "{%" not in body
    assert "DỰ THẢO" not in body
    runs = [r for p in _all_paragraphs(doc) for r in p.runs if r.text.strip()]
    assert {r.font.name for r in runs} == {"Times New Roman"}
    assert {r.font.size.pt for r in runs} <= {11, 12, 13, 14}
    sizes = {r.text: r.font.size.pt for r in runs}
    assert sizes["BÁO CÁO"] == 14 and sizes["Độc lập - Tự do - Hạnh phúc"] == 14
    assert sizes["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"] in (12, 13)
    motto = next(r for r in runs if r.text == "Độc lập - Tự do - Hạnh phúc")
    assert motto.bold and motto.underline
    date_line = next(r for r in runs if r.text.startswith("Bắc Giang, ngày"))
    assert date_line.italic
    body = [r for r in runs if r.text.startswith("Tính đến ngày 15/3/2021")]
    assert body and body[0].font.size.pt == 14 and not body[0].bold


def test_a_draft_says_so(q1_orgs, office):
    report = services.report_create(period=make_period(QUARTER, 2021, 1), as_of=D(2021, 3, 15), by=office)
    texts = _paragraphs(Document(io.BytesIO(outputs.docx_bytes(report))))
    assert "DỰ THẢO" in texts and "Số:\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/BC-LMHTX" in texts


def test_the_pdf_embeds_a_font_with_every_letter_it_prints(issued):
    pdf = issued.pdf.read()
    assert pdf.startswith(b"%PDF")
    objects = pdf + b"".join(_inflate(m) for m in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S))
    assert b"/FontFile2" in objects and b"Doc-Serif" in objects  # embedded TrueType, not a system fallback
    text = "".join(p for s in outputs.document_context(issued)["sections"] for p in s["paragraphs"])
    for style in ("Regular", "Bold", "Italic"):
        cmap = TTFont(outputs.FONTS / f"LiberationSerif-{style}.ttf").getBestCmap()
        missing = {c for c in text + "CỘNG HÒA Độc lập ắễợươ" if not c.isspace() and ord(c) not in cmap}
        assert not missing, (style, missing)


def test_the_pdfs_first_page_keeps_every_diacritic(issued):
    """pdftoppm renders page 1 into test-artifacts/ to be looked at; pdftotext reads the letters back."""
    artifacts = Path(settings.BASE_DIR) / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    pdf = artifacts / "bao-cao-trang-1.pdf"
    pdf.write_bytes(issued.pdf.read())
    subprocess.run(
        ["pdftoppm", "-f", "1", "-l", "1", "-r", "80", "-png", str(pdf), str(artifacts / "bao-cao")], check=True
    )
    assert (artifacts / "bao-cao-1.png").stat().st_size > 20_000
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    for words in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Bắc Giang, ngày 15 tháng 3 năm 2021",
        "Số: 01/BC-LMHTX",
        "tuyên truyền, vận động",
    ):
        assert words in text, words


def test_the_annex_lists_every_figure_with_its_source(issued):
    wb = load_workbook(io.BytesIO(outputs.xlsx_bytes(issued, site="https://lmhtx.example")))
    ws = wb["Số liệu"]
    rows = {row[1]: row for row in ws.iter_rows(min_row=5, values_only=True)}
    assert rows["HTX thành lập mới trong kỳ"][2] == 2
    assert rows["HTX thành lập mới trong kỳ"][5].startswith("https://lmhtx.example/registry/stats/organizations/?")


def test_an_administrators_template_is_used_if_it_renders(issued, admin, tmp_path):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = outputs.DEFAULT_TEMPLATE.read_bytes()
    with pytest.raises(ValidationError):
        services.word_template_upload(file=SimpleUploadedFile("x.docx", b"not a docx"), by=admin)
    # A template whose tags are broken is refused with the reason.
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "word/document.xml":
                content = content.replace(b"{{ title }}", b"{{ title ")
            dst.writestr(item, content)
    with pytest.raises(ValidationError, match="Mẫu Word không dùng được"):
        services.word_template_upload(file=SimpleUploadedFile("hong.docx", broken.getvalue()), by=admin)
    services.word_template_upload(file=SimpleUploadedFile("moi.docx", _rezip(data)), note="Mới", by=admin)
    texts = _paragraphs(Document(io.BytesIO(outputs.docx_bytes(issued))))
    assert "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts
    services.word_template_reset(by=admin)
    assert outputs.template_path() == outputs.DEFAULT_TEMPLATE


def _rezip(original: bytes) -> bytes:
    """The template with its document.xml's motto spelt the other accepted way."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "word/document.xml":
                content = content.replace("CỘNG HÒA".encode(), "CỘNG HOÀ".encode())
            dst.writestr(item, content)
    return out.getvalue()
