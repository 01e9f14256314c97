"""Excel exports of value-chain support: a programme's ranking and one survey's answers.

Both read the scores from ``selectors.with_scores`` (through the ranking or the annotated
survey), so a file always says what the screen says.
"""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from hoptac.core.formatting import vi_date
from hoptac.core.xlsx import defuse_formulas

from . import selectors
from .models import Programme, Survey

HEADER_ROW = 4  # title, subtitle, blank line, then the header


def _book(sheet: str, title: str, subtitle: str, header: list[str], rows: list[list], widths: list[int]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([subtitle])
    ws.append([])
    ws.append(header)
    for cell in ws[HEADER_ROW]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append(row)
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=HEADER_ROW, column=column).column_letter].width = width
    for row in ws.iter_rows(min_row=HEADER_ROW + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    out = io.BytesIO()
    defuse_formulas(wb)
    wb.save(out)
    return out.getvalue()


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _selection_text(selection) -> str:
    if selection is None:
        return ""
    if selection.selected:
        return _("Selected")
    return _("Not selected: %(reason)s") % {"reason": selection.reason}


def ranking_xlsx(programme: Programme, ranking: list[selectors.Candidate]) -> bytes:
    """The candidates of a programme as ranked on its page, one row each."""
    header = [
        _("Rank"),
        _("Cooperative"),
        _("Code"),
        _("District"),
        _("Survey status"),
        _("Survey date"),
        _("Finished on"),
        _("Total score"),
        _("Maximum"),
        _("Eligible"),
        _("Selection"),
    ]
    rows = []
    for c in ranking:
        org = c.organization
        district = org.commune.parent.name if org.commune and org.commune.parent_id else ""
        rows.append(
            [
                c.rank,
                org.name,
                org.code,
                district,
                c.survey.get_status_display(),
                vi_date(c.survey.surveyed_on),
                vi_date(c.survey.done_on),
                c.total_score,
                c.max_total,
                _yes_no(c.eligible) if c.done else _("Not known yet"),
                _selection_text(c.selection),
            ]
        )
    subtitle = _("%(years)s · %(status)s · %(n)s candidates") % {
        "years": programme.years,
        "status": programme.get_status_display(),
        "n": len(ranking),
    }
    return _book(
        _("Ranking"),
        _("Ranking of candidates: %(name)s") % {"name": programme.name},
        subtitle,
        header,
        rows,
        [7, 44, 14, 20, 16, 13, 13, 11, 10, 14, 40],
    )


def survey_xlsx(survey: Survey) -> bytes:
    """A survey's answers, criterion by criterion, with the total; survey carries ``with_scores``."""
    answers = selectors.answers_by_criterion(survey)
    header = [
        _("No."),
        _("Criterion"),
        _("Required"),
        _("Maximum score"),
        _("Weight"),
        _("Answer"),
        _("Score"),
        _("Weighted score"),
    ]
    rows = []
    for criterion in selectors.live_criteria(survey.programme):
        answer = answers.get(criterion.pk)
        rows.append(
            [
                criterion.order,
                criterion.text,
                _yes_no(criterion.required),
                criterion.max_score,
                criterion.weight,
                answer.text if answer else "",
                answer.score if answer else None,
                answer.score * criterion.weight if answer else None,
            ]
        )
    rows.append([None, _("Total"), "", None, None, "", None, survey.total_score])
    rows.append([None, _("Maximum"), "", None, None, "", None, survey.max_total])
    rows.append([None, _("Eligible"), "", None, None, "", None, _yes_no(survey.eligible)])
    subtitle = _("%(programme)s · surveyed on %(day)s · %(status)s · surveyors: %(who)s") % {
        "programme": survey.programme.name,
        "day": vi_date(survey.surveyed_on),
        "status": survey.get_status_display(),
        "who": survey.surveyors or "—",
    }
    return _book(
        _("Survey"),
        _("Survey of %(org)s (%(code)s)") % {"org": survey.organization.name, "code": survey.organization.code},
        subtitle,
        header,
        rows,
        [6, 50, 11, 11, 9, 50, 9, 12],
    )
