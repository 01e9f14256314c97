"""Excel exports of the awards app: the counts of a period and a decision's recipients."""

import datetime
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from hoptac.core.formatting import vi_date

from . import selectors
from .models import Decision


def _book(sheet: str, title: str, header: list[str], rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append(header)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    for letter, width in zip("ABCDEFG", (34, 30, 16, 44, 24, 24, 40), strict=False):
        ws.column_dimensions[letter].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def counts_xlsx(*, date_from: datetime.date, date_to: datetime.date, user=None) -> bytes:
    rows = selectors.award_counts(date_from=date_from, date_to=date_to, user=user)
    title = _("Awards %(start)s – %(end)s") % {"start": vi_date(date_from), "end": vi_date(date_to)}
    body = [[r.issuer_label, r.form_label, r.kind_label, r.count] for r in rows]
    body.append([_("Total"), "", "", sum(r.count for r in rows)])
    return _book(_("Counts"), title, [_("Issuer"), _("Form of award"), _("Recipient kind"), _("Count")], body)


def recipients_xlsx(decision: Decision, recipients) -> bytes:
    title = _("Decision %(number)s of %(day)s") % {"number": decision.number, "day": vi_date(decision.on)}
    body = [
        [
            r.get_kind_display(),
            r.person_name,
            r.position,
            r.organization.name if r.organization else "",
            r.organization.code if r.organization else "",
            r.reason,
        ]
        for r in recipients
    ]
    header = [_("Recipient kind"), _("Full name"), _("Position"), _("Organisation"), _("Code"), _("Reason")]
    return _book(_("Recipients"), title, header, body)
