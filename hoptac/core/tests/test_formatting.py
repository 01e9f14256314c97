import datetime

import pytest

from hoptac.core.formatting import parse_vi_date, vi_date, vi_million, vi_money, vi_number
from hoptac.core.text import normalize, query_terms, search_text


def test_numbers_use_dot_for_thousands_and_comma_for_decimals():
    assert vi_number(17547) == "17.547"
    assert vi_number(4.8, 1) == "4,8"
    assert vi_number(None) == ""


def test_money_is_whole_dong():
    assert vi_money(3_000_000_000) == "3.000.000.000đ"
    assert vi_million(17_547_000_000) == "17.547 triệu đồng"


def test_dates_are_day_month_year():
    assert vi_date(datetime.date(2021, 3, 5)) == "05/03/2021"
    assert parse_vi_date("5/3/2021") == datetime.date(2021, 3, 5)
    assert parse_vi_date("2021-03-15") == datetime.date(2021, 3, 15)
    with pytest.raises(ValueError):
        parse_vi_date("31/02/2021")
    with pytest.raises(ValueError):
        parse_vi_date("hôm qua")


def test_search_ignores_diacritics_case_and_knows_htx():
    text = search_text("Hợp tác xã Dịch vụ Nông nghiệp Đồng Tiến", "Xã Quang Tiến", "Huyện Tân Yên")
    assert normalize("ĐỒNG Tiến") == "dong tien"
    assert all(t in text for t in query_terms("htx dong tien tan yen"))
    assert all(t in text for t in query_terms("hop tac xa DONG TIEN"))
    assert not all(t in text for t in query_terms("htx hiep hoa"))
