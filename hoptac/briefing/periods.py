"""Report periods: a quarter, a half-year, a year or any date range, and how the report names them."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
QUARTER, HALF, YEAR, RANGE = "quarter", "half", "year", "range"


@dataclass(frozen=True)
class Period:
    kind: str  # quarter | half | year | range
    year: int
    number: int | None  # the quarter (1–4) or half (1–2); None for a year or a range
    date_from: datetime.date
    date_to: datetime.date

    @property
    def label(self) -> str:
        """As the report writes it: "quý I năm 2021", "6 tháng đầu năm 2021", "năm 2021"."""
        if self.kind == QUARTER:
            return f"quý {ROMAN[self.number]} năm {self.year}"
        if self.kind == HALF:
            return f"6 tháng {'đầu' if self.number == 1 else 'cuối'} năm {self.year}"
        if self.kind == YEAR:
            return f"năm {self.year}"
        return f"từ ngày {self.date_from:%d/%m/%Y} đến ngày {self.date_to:%d/%m/%Y}"

    @property
    def short_label(self) -> str:
        """For the portal's "Kỳ báo cáo": "Quý 1", "6 tháng đầu năm", "Năm"."""
        if self.kind == QUARTER:
            return f"Quý {self.number}"
        if self.kind == HALF:
            return "6 tháng đầu năm" if self.number == 1 else "6 tháng cuối năm"
        if self.kind == YEAR:
            return "Năm"
        return f"{self.date_from:%d/%m/%Y} – {self.date_to:%d/%m/%Y}"

    @property
    def in_period(self) -> str:
        """ "trong quý", "trong năm", "trong kỳ": how a sentence of the report refers to its period."""
        return {QUARTER: "trong quý", HALF: "trong 6 tháng", YEAR: "trong năm"}.get(self.kind, "trong kỳ")

    def previous_year(self) -> "Period":
        """The same period a year earlier (for the annual report's comparison)."""
        if self.kind == RANGE:
            return make_period(
                RANGE, self.year - 1, date_from=_minus_year(self.date_from), date_to=_minus_year(self.date_to)
            )
        return make_period(self.kind, self.year - 1, self.number)


def _minus_year(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29/02
        return day.replace(year=day.year - 1, day=28)


def make_period(
    kind: str,
    year: int,
    number: int | None = None,
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> Period:
    """The period, or ValidationError in Vietnamese."""
    if not 1990 <= year <= 2100:
        raise ValidationError("Năm báo cáo không hợp lệ.")
    if kind == QUARTER:
        if number not in ROMAN:
            raise ValidationError("Quý phải từ 1 đến 4.")
        start = datetime.date(year, 3 * number - 2, 1)
        end_month = 3 * number
        end = datetime.date(year + (end_month == 12), end_month % 12 + 1, 1) - datetime.timedelta(days=1)
        return Period(kind, year, number, start, end)
    if kind == HALF:
        if number not in (1, 2):
            raise ValidationError("Nửa năm phải là 1 (6 tháng đầu) hoặc 2 (6 tháng cuối).")
        if number == 1:
            return Period(kind, year, 1, datetime.date(year, 1, 1), datetime.date(year, 6, 30))
        return Period(kind, year, 2, datetime.date(year, 7, 1), datetime.date(year, 12, 31))
    if kind == YEAR:
        return Period(kind, year, None, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    if kind == RANGE:
        if not date_from or not date_to:
            raise ValidationError("Cần ngày bắt đầu và ngày kết thúc của kỳ báo cáo.")
        if date_to < date_from:
            raise ValidationError("Ngày kết thúc phải sau ngày bắt đầu.")
        return Period(kind, date_from.year, None, date_from, date_to)
    raise ValidationError("Loại kỳ báo cáo không hợp lệ.")
