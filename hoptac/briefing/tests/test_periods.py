import datetime

import pytest
from django.core.exceptions import ValidationError

from hoptac.briefing.periods import HALF, QUARTER, RANGE, YEAR, make_period

D = datetime.date


@pytest.mark.parametrize(
    ("number", "start", "end"),
    [(1, D(2021, 1, 1), D(2021, 3, 31)), (2, D(2021, 4, 1), D(2021, 6, 30)), (4, D(2021, 10, 1), D(2021, 12, 31))],
)
def test_a_quarter_runs_from_its_first_to_its_last_day(number, start, end):
    period = make_period(QUARTER, 2021, number)
    assert (period.date_from, period.date_to) == (start, end)


def test_labels_are_the_reports_words():
    assert make_period(QUARTER, 2021, 1).label == "quý I năm 2021"
    assert make_period(HALF, 2021, 1).label == "6 tháng đầu năm 2021"
    assert make_period(YEAR, 2020).label == "năm 2020"
    assert make_period(QUARTER, 2021, 1).short_label == "Quý 1"
    assert make_period(QUARTER, 2021, 1).in_period == "trong quý"


def test_the_same_period_a_year_earlier():
    assert make_period(YEAR, 2021).previous_year() == make_period(YEAR, 2020)
    leap = make_period(RANGE, 2024, date_from=D(2024, 2, 1), date_to=D(2024, 2, 29)).previous_year()
    assert (leap.date_from, leap.date_to) == (D(2023, 2, 1), D(2023, 2, 28))


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((QUARTER, 2021, 5), {}, "Quý phải từ 1 đến 4."),
        ((HALF, 2021, 3), {}, "Nửa năm"),
        ((RANGE, 2021), {"date_from": D(2021, 5, 1), "date_to": D(2021, 4, 1)}, "Ngày kết thúc phải sau"),
        ((RANGE, 2021), {}, "Cần ngày bắt đầu"),
        ((YEAR, 1800), {}, "Năm báo cáo không hợp lệ."),
    ],
)
def test_a_bad_period_is_refused_in_vietnamese(args, kwargs, message):
    with pytest.raises(ValidationError) as error:
        make_period(*args, **kwargs)
    assert message in " ".join(error.value.messages)
