"""Write the default Word template of reports, hoptac/briefing/word/bao-cao.docx (Decree 30/2020).

Run once after changing the layout: ``.venv/bin/python scripts/make_report_template.py``. The file
is a docxtpl template: administrators may download it, change fonts, logo or wording in Word
and upload it back (Báo cáo → Mẫu Word); the {{ }} and {% %} tags must stay.
"""

from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

OUT = Path(__file__).resolve().parent.parent / "hoptac" / "briefing" / "word" / "bao-cao.docx"
FONT = "Times New Roman"


def _font(run, size=14, bold=False, italic=False, underline=False):
    run.font.name = FONT
    run._element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    run.font.size = Pt(size)
    run.bold, run.italic, run.underline = bold, italic, underline
    return run


def _para(
    container,
    text="",
    *,
    size=14,
    bold=False,
    italic=False,
    underline=False,
    align=WD_ALIGN_PARAGRAPH.CENTER,
    before=0,
    after=0,
    indent=None,
):
    p = container.add_paragraph()
    p.alignment = align
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if indent is not None:
        fmt.first_line_indent = indent
    if text:
        _font(p.add_run(text), size, bold, italic, underline)
    return p


def _no_borders(table):
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _widths(table, *widths, indent=None):
    """Column widths Word and LibreOffice both keep: fixed layout, the grid and every cell.

    The header is wider than the text (as offices set it) so that neither name wraps;
    a negative indent centres it on the page.
    """
    table.autofit = False
    if indent is not None:
        ind = OxmlElement("w:tblInd")
        ind.set(qn("w:w"), str(int(indent.twips)))
        ind.set(qn("w:type"), "dxa")
        table._tbl.tblPr.append(ind)
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), "28")
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    table._tbl.tblPr.append(margins)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    total = OxmlElement("w:tblW")
    total.set(qn("w:w"), str(sum(int(w.twips) for w in widths)))
    total.set(qn("w:type"), "dxa")
    for old in table._tbl.tblPr.findall(qn("w:tblW")):
        table._tbl.tblPr.remove(old)
    table._tbl.tblPr.append(total)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def _page_number(paragraph):
    """A PAGE field: Word fills in the number."""
    run = paragraph.add_run()
    _font(run, 13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def main() -> None:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(20)
    section.header_distance = Mm(10)
    # Page numbers top-centre, from the second page.
    section.different_first_page_header_footer = True
    _page_number(_para(section.header))
    assert section.start_type == WD_SECTION.NEW_PAGE

    head = doc.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(head)
    _widths(head, Cm(7.2), Cm(9.8), indent=Cm(-0.5))
    left, right = head.rows[0].cells
    left.paragraphs[0].text = ""
    _font(left.paragraphs[0].add_run("{{ superior }}"), 12)
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _para(left, "{{ body }}", size=12, bold=True, underline=True)
    _para(left, "{{ number }}", size=13, before=6)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), 12, bold=True)
    _para(right, "Độc lập - Tự do - Hạnh phúc", size=14, bold=True, underline=True)
    _para(right, "{{ place_date }}", size=14, italic=True, before=6)

    _para(doc, "{% if draft %}DỰ THẢO{% endif %}", size=12, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, "{{ kind }}", size=14, bold=True, before=12)
    _para(doc, "{{ title }}", size=14, bold=True, after=12)

    _para(doc, "{%p for s in sections %}", align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(doc, "{%p for p in s.paragraphs %}", align=WD_ALIGN_PARAGRAPH.LEFT)
    body = _para(doc, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6, indent=Cm(1))
    _font(body.add_run("{% if loop.first %}{{ s.heading }}: {% endif %}"), 14, bold=True)
    _font(body.add_run("{{ p }}"), 14)
    _para(doc, "{%p endfor %}", align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(doc, "{%p endfor %}", align=WD_ALIGN_PARAGRAPH.LEFT)

    sign = doc.add_table(rows=1, cols=2)
    _no_borders(sign)
    _widths(sign, Cm(8), Cm(8))
    left, right = sign.rows[0].cells
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
    _font(left.paragraphs[0].add_run("{% if recipients %}Nơi nhận:{% endif %}"), 12, bold=True, italic=True)
    _para(left, "{%p for r in recipients %}", align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(left, "- {{ r }}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(left, "{%p endfor %}", align=WD_ALIGN_PARAGRAPH.LEFT)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(right.paragraphs[0].add_run("{{ authority }}"), 14, bold=True)
    _para(right, "{{ signer_title|upper }}", size=14, bold=True)
    for _ in range(4):
        _para(right, "")
    _para(right, "{{ signer_name }}", size=14, bold=True)

    OUT.parent.mkdir(parents=True, exist_ok=True)
    doc.save(OUT)
    print(OUT)


if __name__ == "__main__":
    main()
