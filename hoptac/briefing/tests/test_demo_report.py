"""The Q1-2021 report written from the demo reproduces the seed report's figures."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.db import transaction
from docx import Document

from hoptac.briefing import services
from hoptac.briefing.outputs import document_context
from hoptac.briefing.periods import QUARTER, make_period

D = datetime.date


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--public-passwords-ok", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def q1(demo, db):
    sections, figures = services.draft_for(make_period(QUARTER, 2021, 1), D(2021, 3, 15))
    return sections, figures


def test_the_figures_are_the_seed_reports(q1):
    _sections, f = q1
    values = {
        k: f[k].value
        for k in (
            "htx_founded",
            "htx_active",
            "qtdnd_active",
            "capital_in",
            "capital_total",
            "loans_outstanding",
            "outstanding",
        )
    }
    assert values == {
        "htx_founded": 12,
        "htx_active": 830,
        "qtdnd_active": 20,
        "capital_in": 3_000_000_000,
        "capital_total": 17_547_000_000,
        "loans_outstanding": 49,
        "outstanding": 14_450_000_000,
    }
    assert (f["capital_total"].text, f["outstanding"].text, f["capital_in"].text) == (
        "17.547 triệu đồng",
        "14.450 triệu đồng",
        "3.000.000.000đ",
    )
    awards = {k: v.text for k, v in f.items() if k.startswith("award_")}
    assert awards == {
        "award_vca_flag_collective": "02",
        "award_vca_medal_individual": "10",
        "award_province_flag_collective": "02",
        "award_province_merit_collective": "04",
        "award_province_merit_individual": "04",
        "award_alliance_commendation_collective": "11",
        "award_alliance_commendation_individual": "06",
    }
    assert f["proposals"].value == 2 and f["cooperation_signed"].value == 2


def test_the_text_reads_as_the_seed_report(q1, db):
    sections, figures = q1
    from hoptac.briefing.compose import render

    text = {s["key"]: render(s["text"], figures) for s in sections}
    assert (
        "trong quý đã có 12 HTX thành lập mới, nâng tổng số HTX đang hoạt động: 830 HTX; Quỹ tín dụng nhân dân 20 quỹ"
        in text["promotion"]
    )
    assert (
        "Tổng nguồn vốn Quỹ đến ngày 15/3/2021 là 17.547 triệu đồng; "
        "tổng số dự án đang vay 49 dự án với số tiền 14.450 triệu đồng." in text["capital"]
    )
    assert "tiếp nhận, triển khai nguồn vốn Liên minh HTX Việt Nam cấp với số tiền 3.000.000.000đ" in text["capital"]
    assert text["capital"].count("3.000.000.000đ") == 1
    assert "Tổ chức hội nghị tổng kết hoạt động Quỹ" in text["capital"]
    assert "02 Cờ thi đua của BCH Liên minh HTX Việt Nam cho tập thể" in text["emulation"]
    assert "11 Giấy khen của Chủ tịch Liên minh HTX tỉnh cho tập thể" in text["emulation"]
    assert "Xây dựng mô hình ứng dụng công nghệ 4.0" in text["proposals"]
    assert "Ban Dân tộc" in text["conferences"] and "HDBank" in text["conferences"]
    assert "kế hoạch bồi dưỡng tập huấn năm 2021" in text["training"]
    assert "Trong quý, khảo sát 06 HTX (hoàn thành 04 phiếu)" in text["value_chains"]
    assert "khảo sát, lựa chọn các HTX đủ điều kiện" in text["value_chains"]  # the journal's words follow
    # The portal's counter, after the journal's words: "trên dưới 300 lượt truy cập" a day.
    from hoptac.portal.models import DailyVisits

    days = (D(2021, 3, 15) - D(2021, 1, 1)).days + 1
    total = sum(DailyVisits.objects.filter(day__range=(D(2021, 1, 1), D(2021, 3, 15))).values_list("count", flat=True))
    average = figures["visits_per_day"].value
    assert average == round(total / days) and 280 <= average <= 320
    information = text["information"]
    assert information.index("Quản trị, duy trì hoạt động ổn định") < information.index(
        f"Trung bình hằng ngày có khoảng {average} lượt truy cập"
    )
    # Every paragraph of the seed has its section, in the seed's order.
    assert [s["key"] for s in sections][:3] == ["advising", "conferences", "promotion"]


def test_the_command_writes_the_report(demo, db, tmp_path, capsys):
    out = tmp_path / "bc.docx"
    call_command(
        "quarterly_report",
        "--year",
        "2021",
        "--quarter",
        "1",
        "--as-of",
        "2021-03-15",
        "--format",
        "docx",
        "--output",
        str(out),
    )
    body = "\n".join(p.text for p in Document(out).paragraphs)
    assert "nâng tổng số HTX đang hoạt động: 830 HTX" in body
    call_command("quarterly_report", "--year", "2021", "--quarter", "1", "--as-of", "15/03/2021", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["figures"]["htx_active"]["value"] == 830
    pdf = tmp_path / "bc.pdf"
    call_command(
        "quarterly_report",
        "--year",
        "2021",
        "--quarter",
        "1",
        "--as-of",
        "2021-03-15",
        "--format",
        "pdf",
        "--output",
        str(pdf),
    )
    assert pdf.read_bytes().startswith(b"%PDF")


def test_the_annual_report_of_2020_compares_with_2019(demo, db, capsys):
    call_command("quarterly_report", "--year", "2020", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    comparison = next(s for s in data["sections"] if s["key"] == "comparison")
    assert "HTX đang hoạt động" in comparison["rendered"]
    assert data["figures"]["prev_htx_active"]["label"].endswith("(năm 2019)")


def test_a_bad_period_on_the_command_line_is_refused(demo, db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Ngày không hợp lệ"):
        call_command("quarterly_report", "--year", "2021", "--quarter", "1", "--as-of", "31/02/2021")
    with pytest.raises(CommandError, match="cần --output"):
        call_command("quarterly_report", "--year", "2021", "--quarter", "1", "--format", "docx")


def test_document_context_of_the_demo_draft_has_no_token_left(demo, db, office):
    report = services.report_create(period=make_period(QUARTER, 2021, 1), as_of=D(2021, 3, 15), by=office)
    text = " ".join(p for s in document_context(report)["sections"] for p in s["paragraphs"])
    assert "[[" not in text
