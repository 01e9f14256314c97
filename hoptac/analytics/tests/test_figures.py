"""Periods as typed, the size classes, the national split and the rounding of averages."""

import datetime
from decimal import Decimal

import pytest

from hoptac.analytics.figures import (
    GROUP_THT,
    MEAN,
    Measure,
    Period,
    SizeClass,
    Tally,
    national_group,
    size_class,
)

D = datetime.date


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("2020", Period(2020)),
        (" 2020 ", Period(2020)),
        ("2021Q1", Period(2021, 1)),
        ("2021q4", Period(2021, 4)),
        ("2021-Q2", Period(2021, 2)),
        ("Q3/2021", Period(2021, 3)),
    ],
)
def test_a_period_is_a_year_or_a_quarter(text, period):
    assert Period.parse(text) == period


@pytest.mark.parametrize("text", ["", "20", "2021-1", "2021Q5", "Q0/2021", "2021/03", "năm 2020", "1899"])
def test_anything_else_is_not_a_period(text):
    with pytest.raises(ValueError):
        Period.parse(text)


def test_a_period_ends_on_its_last_day_and_has_a_code_and_vietnamese_label():
    assert Period(2020).end == D(2020, 12, 31)
    assert Period(2021, 1).end == D(2021, 3, 31)
    assert Period(2021, 4).end == D(2021, 12, 31)
    assert Period(2021, 1).code == "2021Q1" and Period(2020).code == "2020"
    assert Period(2021, 1).label_vi == "Quý I/2021" and Period(2020).label_vi == "Năm 2020"
    assert Period(2021, 2).previous == Period(2020, 2)


@pytest.mark.parametrize(
    ("workers", "cls"),
    [(None, SizeClass.UNKNOWN), (0, "lt10"), (9, "lt10"), (10, "10_49"), (49, "10_49"), (99, "50_99"), (100, "ge100")],
)
def test_workforce_size_classes_are_the_national_ones(workers, cls):
    assert size_class(workers) == cls


def test_cooperative_groups_are_counted_apart_from_the_national_split():
    assert national_group("HTX", "nong_nghiep") == "nong_nghiep"
    assert national_group("LHHTX", "van_tai") == "phi_nong_nghiep"
    assert national_group("QTDND", "tin_dung") == "qtdnd"
    assert national_group("THT", "nong_nghiep") == GROUP_THT


def test_an_average_of_money_is_whole_dong_rounded_half_up_and_of_nothing_is_none():
    money = Measure("revenue__avg", MEAN, indicator="revenue", unit="dong")
    tally = Tally()
    tally.sums["revenue"], tally.counts["revenue"] = 5, 2
    assert tally.value(money) == Decimal(3)  # 2.5 → 3
    assert Tally().value(money) is None
    members = Measure("members_end__avg", MEAN, indicator="members_end", unit="count")
    tally.sums["members_end"], tally.counts["members_end"] = 10, 3
    assert tally.value(members) == Decimal("3.3")
