"""Vietnamese number, money and date conventions: 17.547; 4,8%; 15/03/2021; Quý I/2021."""

import datetime
import re

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def vi_number(value, decimals: int = 0) -> str:
    """17547 -> "17.547"; 4.8 with decimals=1 -> "4,8". None -> ""."""
    if value is None or value == "":
        return ""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def vi_money(value) -> str:
    """Whole đồng: 3000000000 -> "3.000.000.000đ"."""
    if value is None or value == "":
        return ""
    return f"{vi_number(int(value))}đ"


def vi_million(value) -> str:
    """Đồng written in millions as reports do: 17547000000 -> "17.547 triệu đồng"."""
    if value is None:
        return ""
    return f"{vi_number(round(int(value) / 1_000_000))} triệu đồng"


def vi_date(value: datetime.date | None) -> str:
    """dd/mm/yyyy."""
    return value.strftime("%d/%m/%Y") if value else ""


def vi_quarter(year: int, quarter: int) -> str:
    return f"Quý {ROMAN[quarter]}/{year}"


_DATE = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def parse_vi_date(text: str) -> datetime.date:
    """Parse "15/03/2021" (also 15-3-2021, 15.03.2021 and ISO 2021-03-15); ValueError if not a date."""
    m = _DATE.match(text or "")
    if m:
        day, month, year = (int(g) for g in m.groups())
        return datetime.date(year, month, day)
    m = _ISO.match(text or "")
    if m:
        year, month, day = (int(g) for g in m.groups())
        return datetime.date(year, month, day)
    raise ValueError(text)
