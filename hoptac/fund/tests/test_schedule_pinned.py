"""The schedule of a 500.000.000đ loan, 36 months, 7,2%/year, monthly equal principal, by hand.

Principal: 500.000.000 / 36 = 13.888.888,89 → 13.888.888đ a month, the last month takes the
remainder 500.000.000 − 35 × 13.888.888 = 13.888.920đ.
Interest (30/360, so a month is exactly 1/12 of a year; 7,2% / 12 = 0,6% a month), on the
balance during the month, rounded to the đồng, halves up:
  month 1: 500.000.000 × 0,6% = 3.000.000
  month 2: 486.111.112 × 0,6% = 2.916.666,672 → 2.916.667
  month 3: 472.222.224 × 0,6% = 2.833.333,344 → 2.833.333
  month 36: 13.888.920 × 0,6% = 83.333,52 → 83.334
"""

import datetime
from decimal import Decimal

from hoptac.fund.schedule import Terms, build

TERMS = Terms(annual_rate=Decimal("7.2"), term_months=36)


def test_pinned_500_million_36_months_at_7_2_percent():
    lines = build(500_000_000, datetime.date(2021, 1, 15), TERMS)
    assert len(lines) == 36
    assert [(ln.due_on, ln.principal, ln.interest) for ln in lines[:3]] == [
        (datetime.date(2021, 2, 15), 13_888_888, 3_000_000),
        (datetime.date(2021, 3, 15), 13_888_888, 2_916_667),
        (datetime.date(2021, 4, 15), 13_888_888, 2_833_333),
    ]
    assert (lines[-1].due_on, lines[-1].principal, lines[-1].interest) == (
        datetime.date(2024, 1, 15),
        13_888_920,
        83_334,
    )
    assert sum(ln.principal for ln in lines) == 500_000_000
    # Interest month k: 0,6% of (500.000.000 − (k−1) × 13.888.888), each rounded.
    expected = [
        int((Decimal(500_000_000 - (k - 1) * 13_888_888) * Decimal("0.006")).quantize(Decimal(1), "ROUND_HALF_UP"))
        for k in range(1, 37)
    ]
    assert [ln.interest for ln in lines] == expected
    assert sum(expected) == 55_500_002


def test_month_end_dates_clamp():
    lines = build(12_000_000, datetime.date(2021, 1, 31), Terms(annual_rate=Decimal("6"), term_months=3))
    assert [ln.due_on for ln in lines] == [
        datetime.date(2021, 2, 28),
        datetime.date(2021, 3, 31),
        datetime.date(2021, 4, 30),
    ]
