"""returns_stats: totals and averages of a form's returns for a period, as JSON or a table."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from .conftest import MILLION, file_return

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("returns_stats", *args, stdout=out)
    return out.getvalue()


def test_json_gives_totals_averages_and_breakdowns(province):
    data = json.loads(run("annual_htx", "2020", "--format", "json"))
    assert data["form"] == "annual_htx" and data["period"] == "2020" and data["quarter"] is None
    assert data["organizations"] == 6
    assert data["totals"]["revenue"] == 68_900 * MILLION
    assert data["totals"]["profit"] == 4_040 * MILLION
    assert data["totals"]["employees"] == 238
    assert data["averages"]["revenue__avg"] == 11_483_333_333
    assert data["averages"]["avg_income"] == 81_806_723
    assert data["averages"]["member_services"] == 58.3
    groups = {g["key"]: g["organizations"] for g in data["by"]["group"]}
    assert groups == {"nong_nghiep": 2, "phi_nong_nghiep": 3, "qtdnd": 1}
    sizes = {g["key"]: g["organizations"] for g in data["by"]["size"]}
    assert sizes == {"lt10": 1, "10_49": 2, "50_99": 1, "ge100": 1, "unknown": 1}
    areas = {a["label"]: a["organizations"] for a in data["by"]["area"]}
    assert areas == {"Huyện Hiệp Hòa": 2, "Huyện Lục Nam": 1, "Huyện Tân Yên": 3}
    assert {m["key"]: m["name"] for m in data["measures"]}["revenue__avg"] == "Doanh thu (đồng): bình quân một tổ chức"


def test_options_count_submitted_returns_group_by_today_and_cut_at_a_date(province):
    data = json.loads(run("annual_htx", "2020", "--format", "json", "--include-submitted", "--grouping", "now"))
    assert data["organizations"] == 7 and data["include_submitted"] is True
    assert "—" in {a["label"] for a in data["by"]["area"]}
    early = json.loads(run("annual_htx", "2020", "--format", "json", "--as-of", "14/12/2020"))
    assert early["organizations"] == 0 and early["as_of"] == "2020-12-14"  # approved on 15/12


def test_a_quarter_of_the_alliances_form(db):
    file_return(None, "alliance_quarterly", 2021, {"q_htx_founded": 12, "q_htx_dissolved": 2}, quarter=1)
    data = json.loads(run("alliance_quarterly", "2021Q1", "--format", "json"))
    assert data["quarter"] == 1 and data["totals"]["q_htx_founded"] == 12 and data["totals"]["q_htx_dissolved"] == 2


def test_table_prints_vietnamese_labels_and_numbers(province):
    text = run("annual_htx", "2020")
    assert text.startswith("Báo cáo tình hình hoạt động năm của HTX, LHHTX — Năm 2020 (báo cáo đã duyệt)")
    assert "Doanh thu (đồng)" in text and "68.900.000.000" in text
    assert "Theo quy mô lao động" in text and "Từ 100 lao động trở lên" in text
    assert "Theo địa bàn" in text and "Huyện Tân Yên" in text


def test_output_to_a_file(province, tmp_path):
    path = tmp_path / "thong-ke.json"
    assert "Đã ghi" in run("annual_htx", "2020", "--format", "json", "--output", str(path))
    assert json.loads(path.read_text(encoding="utf-8"))["organizations"] == 6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope", "2020"], "Không có biểu báo cáo mã “nope”"),
        (["annual_htx", "20-20"], "Kỳ báo cáo không hợp lệ"),
        (["annual_htx", "2021Q1"], "báo cáo theo năm"),
        (["alliance_quarterly", "2021"], "báo cáo theo quý"),
        (["annual_htx", "2020", "--as-of", "31/02/2020"], "Ngày không hợp lệ"),
    ],
)
def test_bad_input_is_refused_in_vietnamese(db, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
