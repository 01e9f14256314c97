"""Reporting periods: a year ("2020") or a quarter ("2021Q1"), their dates, labels and deadlines."""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from hoptac.core.formatting import ROMAN

from .models import Frequency, ReturnForm

_PERIOD = re.compile(r"^\s*(\d{4})\s*(?:[Qq]\s*([1-4]))?\s*$")


@dataclass(frozen=True, order=True)
class Period:
    year: int
    quarter: int | None = None

    @property
    def slug(self) -> str:
        """How the period is written in URLs and on the command line: 2020, 2021Q1."""
        return f"{self.year}Q{self.quarter}" if self.quarter else str(self.year)

    def __str__(self) -> str:
        return self.slug

    @property
    def label(self) -> str:
        if self.quarter:
            return _("Quarter %(roman)s/%(year)s") % {"roman": ROMAN[self.quarter], "year": self.year}
        return _("Year %(year)s") % {"year": self.year}

    @property
    def label_vi(self) -> str:
        """The Vietnamese label whatever the interface language (Excel files, commands)."""
        return f"Quý {ROMAN[self.quarter]}/{self.year}" if self.quarter else f"Năm {self.year}"

    @property
    def start(self) -> datetime.date:
        if self.quarter:
            return datetime.date(self.year, 3 * self.quarter - 2, 1)
        return datetime.date(self.year, 1, 1)

    @property
    def end(self) -> datetime.date:
        if self.quarter:
            month = 3 * self.quarter
            return datetime.date(self.year + (month == 12), month % 12 + 1, 1) - datetime.timedelta(days=1)
        return datetime.date(self.year, 12, 31)

    def previous(self) -> "Period":
        if self.quarter:
            return Period(self.year - 1, 4) if self.quarter == 1 else Period(self.year, self.quarter - 1)
        return Period(self.year - 1)

    def due_on(self, form: ReturnForm) -> datetime.date:
        return form.due_on(self.year, self.quarter)


def parse_period(text: str) -> Period:
    """ "2020" or "2021Q1" (also "2021 q1"); ValueError otherwise."""
    match = _PERIOD.match(text or "")
    if not match:
        raise ValueError(text)
    year = int(match[1])
    if not 1990 <= year <= 2100:
        raise ValueError(text)
    return Period(year, int(match[2]) if match[2] else None)


def period_for_form(form: ReturnForm, text: str) -> Period:
    """The period text parsed and matched to the form's frequency; ValueError with a Vietnamese reason."""
    try:
        period = parse_period(text)
    except ValueError:
        raise ValueError(
            _("“%(text)s” is not a period: write a year such as 2020 or a quarter such as 2021Q1.") % {"text": text}
        ) from None
    if form.frequency == Frequency.QUARTERLY and not period.quarter:
        raise ValueError(_("This form is filed every quarter: write the period as 2021Q1."))
    if form.frequency == Frequency.ANNUAL and period.quarter:
        raise ValueError(_("This form is filed every year: write the period as 2020."))
    return period


def period_of(ret) -> Period:
    return Period(ret.year, ret.quarter)


def recent_periods(form: ReturnForm, today: datetime.date, *, back: int = 3) -> list[Period]:
    """The periods of form that have started by today, newest first: this one and ``back`` before it."""
    if form.frequency == Frequency.QUARTERLY:
        current = Period(today.year, (today.month - 1) // 3 + 1)
    else:
        current = Period(today.year)
    periods = [current]
    for _i in range(back):
        periods.append(periods[-1].previous())
    return periods
