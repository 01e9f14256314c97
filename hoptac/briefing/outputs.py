"""A report as a Decree-30 Word document (docxtpl), a PDF (WeasyPrint), a web page and an xlsx annex.

All four are written from one context (``document_context``): the same words and figures
whatever the format. An issued report uses its frozen figures; a draft the live ones.
"""

import datetime
import io
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from hoptac.core import xlsx
from hoptac.core.xlsx import defuse_formulas

from . import compose
from .figures import Figure
from .models import Report, WordTemplate

HERE = Path(__file__).resolve().parent
DEFAULT_TEMPLATE = HERE / "word" / "bao-cao.docx"
FONTS = HERE / "static" / "briefing" / "fonts"


def official_date(place: str, day: datetime.date) -> str:
    """ "Bắc Giang, ngày 05 tháng 02 năm 2021": Decree 30 pads days under 10 and the months 1 and 2."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def report_figures(report: Report) -> dict[str, Figure]:
    """The frozen figures of an issued report; the live ones of a draft."""
    if report.is_issued:
        return {key: Figure.from_dict(data) for key, data in report.figures.items()}
    from .selectors import period_of
    from .services import draft_for

    return draft_for(period_of(report), report.as_of)[1]


def document_context(report: Report, figures: dict[str, Figure] | None = None) -> dict:
    figures = figures if figures is not None else report_figures(report)
    sections = []
    for section in report.sections:
        paragraphs = [p.strip() for p in compose.render(section["text"], figures).split("\n") if p.strip()]
        if paragraphs:
            sections.append({"key": section["key"], "heading": section["heading"], "paragraphs": paragraphs})
    day = report.issued_on or report.as_of
    return {
        "superior": settings.ALLIANCE_SUPERIOR,
        "body": settings.ALLIANCE_SHORT_NAME,
        "number": f"Số: {report.number}"
        if report.number
        else f"Số:\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/{settings.REPORT_NUMBER_SUFFIX}",
        "place_date": official_date(report.place or settings.ALLIANCE_PLACE, day),
        "kind": "BÁO CÁO",
        "title": report.title,
        "sections": sections,
        "authority": report.signing_authority,
        "signer_title": report.signer_title,
        "signer_name": report.signer_name,
        "recipients": [line for line in report.recipients.splitlines() if line.strip()],
        "draft": not report.is_issued,
    }


def template_path() -> Path | io.BytesIO:
    """The administrator's Word template in use (its content), or the one shipped with the product."""
    custom = WordTemplate.objects.filter(active=True).first()
    if custom and custom.file:
        return template_file(custom)
    return DEFAULT_TEMPLATE


def template_file(custom: WordTemplate | None = None):
    """The Word template in use as an open binary file. An uploaded one is read through the
    storage API: with several servers it may be kept in an S3-compatible store, not on this disk."""
    custom = custom or WordTemplate.objects.filter(active=True).first()
    if custom and custom.file:
        with custom.file.open("rb") as handle:
            return io.BytesIO(handle.read())
    return open(DEFAULT_TEMPLATE, "rb")  # noqa: SIM115 (closed by the response that sends it)


def docx_bytes(report: Report, figures: dict[str, Figure] | None = None, template: Path | str | None = None) -> bytes:
    from docxtpl import DocxTemplate

    source = template or template_path()
    doc = DocxTemplate(str(source) if isinstance(source, (str, Path)) else source)
    doc.render(document_context(report, figures), autoescape=True)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def html_string(report: Report, figures: dict[str, Figure] | None = None, *, for_pdf: bool = False) -> str:
    context = document_context(report, figures)
    css = (HERE / "static" / "briefing" / "paper.css").read_text(encoding="utf-8")
    context.update({"for_pdf": for_pdf, "font_dir": FONTS.as_uri(), "paper_css": css})
    return render_to_string("briefing/document.html", context)


def pdf_bytes(report: Report, figures: dict[str, Figure] | None = None) -> bytes:
    from weasyprint import HTML

    return HTML(string=html_string(report, figures, for_pdf=True), base_url=str(HERE)).write_pdf()


def xlsx_bytes(report: Report, figures: dict[str, Figure] | None = None, site: str = "") -> bytes:
    """The annex: every figure with what it counts, its value and the page listing its records."""
    figures = figures if figures is not None else report_figures(report)
    wb = Workbook()
    ws = wb.active
    ws.title = "Số liệu"
    ws.append([f"PHỤ LỤC SỐ LIỆU — {report.number or 'DỰ THẢO'} {report.title}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(
        [
            f"Kỳ báo cáo: {report.date_from:%d/%m/%Y} – {report.date_to:%d/%m/%Y}; "
            f"số liệu đến ngày {report.as_of:%d/%m/%Y}"
        ]
    )
    ws.append([])
    xlsx.write_header(
        ws,
        ["STT", "Nội dung", "Số liệu", "Cách ghi trong báo cáo", "Phần", "Nguồn (danh sách)"],
        [6, 55, 18, 26, 18, 60],
        row=4,
    )
    headings = compose.HEADINGS
    for index, f in enumerate(figures.values(), start=1):
        ws.append(
            [index, f.label, f.value, f.text, headings.get(f.section, f.section), f"{site}{f.url}" if f.url else ""]
        )
        ws.cell(row=ws.max_row, column=3).number_format = "#,##0"
        ws.cell(row=ws.max_row, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    defuse_formulas(wb)
    wb.save(buffer)
    return buffer.getvalue()
