"""Excel exports of the awards app: the counts of a period and the lists of every page.

A decision's recipients are exported in the import's own columns (``importer.recipients_workbook``),
so that list goes back in unchanged; these are for reading and reporting.
"""

import datetime
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from hoptac.core.formatting import vi_date
from hoptac.core.xlsx import defuse_formulas

from . import selectors
from .models import Bloc


def _book(sheet: str, title: str, header: list[str], rows: list[list], widths=(34, 30, 16, 44, 24, 24, 40)) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append(header)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A4"
    out = io.BytesIO()
    defuse_formulas(wb)
    wb.save(out)
    return out.getvalue()


def _score(value):
    return float(value) if value is not None else None


def counts_xlsx(*, date_from: datetime.date, date_to: datetime.date, user=None) -> bytes:
    rows = selectors.award_counts(date_from=date_from, date_to=date_to, user=user)
    title = _("Awards %(start)s – %(end)s") % {"start": vi_date(date_from), "end": vi_date(date_to)}
    body = [[r.issuer_label, r.form_label, r.kind_label, r.count] for r in rows]
    body.append([_("Total"), "", "", sum(r.count for r in rows)])
    return _book(_("Counts"), title, [_("Issuer"), _("Form of award"), _("Recipient kind"), _("Count")], body)


def decisions_xlsx(decisions) -> bytes:
    """The decision list as filtered: number, date, issuer, form, title, recipients that count."""
    body = [
        [d.number, vi_date(d.on), d.get_issuer_display(), d.get_form_display(), d.title, d.recipient_count]
        for d in decisions
    ]
    header = [_("Decision no."), _("Date"), _("Issuer"), _("Form of award"), _("Title"), _("Recipients")]
    return _book(_("Decisions"), _("Award decisions"), header, body, widths=(20, 12, 30, 26, 60, 12))


def proposals_xlsx(proposals) -> bytes:
    """The proposal list as filtered, one row a proposal."""
    body = [
        [
            p.number,
            p.title,
            p.year,
            p.get_issuer_display(),
            p.get_form_display(),
            p.get_status_display(),
            vi_date(p.drafted_on),
            vi_date(p.submitted_on),
            vi_date(p.decided_on),
            p.nominee_count,
            p.decision.number if p.decision else "",
        ]
        for p in proposals
    ]
    header = [
        _("Proposal no."),
        _("Title"),
        _("Year of the achievements"),
        _("Sent to"),
        _("Proposed form"),
        _("Status"),
        _("Drafted on"),
        _("Submitted on"),
        _("Decided on"),
        _("Nominees"),
        _("Decision"),
    ]
    widths = (16, 50, 10, 30, 26, 14, 12, 12, 12, 10, 18)
    return _book(_("Proposals"), _("Award proposals"), header, body, widths=widths)


def registrations_xlsx(registrations) -> bytes:
    """Registrations and covenants with their targets, self-assessment and bloc score."""
    body = [
        [
            vi_date(r.signed_on),
            r.movement.name,
            r.bloc.name if r.bloc else r.organization.name,
            "" if r.bloc else r.organization.code,
            _("Covenant") if r.is_covenant else _("Registration"),
            r.targets,
            _score(r.self_score),
            r.self_assessment,
            _score(r.score),
        ]
        for r in registrations
    ]
    header = [
        _("Signed on"),
        _("Emulation movement"),
        _("Bloc or organisation"),
        _("Code"),
        _("Kind"),
        _("Targets"),
        _("Self score"),
        _("Self-assessment"),
        _("Bloc score"),
    ]
    widths = (12, 40, 40, 14, 12, 50, 10, 50, 10)
    return _book(_("Registrations"), _("Registrations and covenants"), header, body, widths=widths)


def bloc_ranking_xlsx(bloc: Bloc, ranking) -> bytes:
    """A bloc's year-end result: its members' registrations by rank, with both scores."""
    body = [
        [
            row.rank,
            row.registration.organization.name,
            row.registration.organization.code,
            row.registration.movement.name,
            _score(row.registration.self_score),
            _score(row.registration.score),
        ]
        for row in ranking
    ]
    header = [_("Rank"), _("Organisation"), _("Code"), _("Emulation movement"), _("Self score"), _("Bloc score")]
    title = _("Results of %(bloc)s") % {"bloc": bloc}
    return _book(_("Results"), title, header, body, widths=(8, 44, 14, 40, 12, 12))
