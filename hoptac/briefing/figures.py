"""The figures a report prints, each computed by the selector of its app and carrying where it came from.

A ``Figure`` is a value, the words the report writes for it and the link to the records
behind it (the page listing them). Drafts compute figures afresh; issuing a report freezes
them (``Figure.as_dict``) with its text, so an issued report never changes.
"""

import datetime
from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from django.db.models import Sum
from django.urls import reverse

from hoptac.awards.models import AwardForm, Issuer, RecipientKind
from hoptac.awards.selectors import award_counts
from hoptac.core.formatting import vi_date, vi_million, vi_money, vi_number
from hoptac.fund.models import CapitalMovement
from hoptac.fund.selectors import fund_statement
from hoptac.journal.models import DocumentKind
from hoptac.journal.selectors import documents
from hoptac.portal.selectors import visits_per_day
from hoptac.registry.models import OrgKind
from hoptac.registry.selectors import NO_AREAS, registry_statistics
from hoptac.training.selectors import training_summary
from hoptac.valuechain.selectors import value_chain_summary

from .periods import Period


@dataclass(frozen=True)
class Figure:
    key: str
    label: str  # what it counts, in Vietnamese (the legend beside the editor, the xlsx annex)
    value: int
    text: str  # as the report writes it: "12", "17.547 triệu đồng", "02"
    url: str = ""  # the records behind it
    section: str = ""

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Figure":
        return cls(**data)


def _d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def two_digits(n: int) -> str:
    """Counts under ten as the alliance's reports write them: 02, 04, 10."""
    return f"{n:02d}" if 0 < n < 10 else vi_number(n)


def _registry(period: Period, as_of: datetime.date) -> list[Figure]:
    # Only the counts by kind are used: no areas (issue #9).
    stats = registry_statistics(as_of=as_of, date_from=period.date_from, grouping=NO_AREAS)
    drill = reverse("registry:stats_drilldown")

    def link(kind: str, measure: str) -> str:
        query = {"as_of": _d(as_of), "kind": kind, "measure": measure}
        if measure != "active":
            query["from"] = _d(period.date_from)
        return f"{drill}?{urlencode(query)}"

    # key, label, measure, kind: one figure each, as the report counts them.
    rows = (
        ("htx_founded", "HTX thành lập mới trong kỳ", "founded", OrgKind.HTX),
        ("htx_active", "HTX đang hoạt động", "active", OrgKind.HTX),
        ("lhhtx_active", "Liên hiệp HTX đang hoạt động", "active", OrgKind.LHHTX),
        ("qtdnd_active", "Quỹ tín dụng nhân dân đang hoạt động", "active", OrgKind.QTDND),
        ("tht_active", "Tổ hợp tác đang hoạt động", "active", OrgKind.THT),
        ("htx_dissolved", "HTX giải thể, chấm dứt trong kỳ", "dissolved", OrgKind.HTX),
    )
    counts = {"founded": stats.founded, "active": stats.active, "dissolved": stats.dissolved}
    return [
        Figure(key, label, counts[measure][kind], vi_number(counts[measure][kind]), link(kind, measure), "promotion")
        for key, label, measure, kind in rows
    ]


def _fund(period: Period, as_of: datetime.date) -> list[Figure]:
    st = fund_statement(as_of=as_of, date_from=period.date_from, totals_only=True)
    statement = reverse("fund:statement") + "?" + urlencode({"as_of": _d(as_of), "from": _d(period.date_from)})
    capital = reverse("fund:capital") + "?" + urlencode({"on": _d(as_of)})
    arrears = reverse("fund:arrears") + "?" + urlencode({"on": _d(as_of)})
    overdue_loans = len(st.overdue)
    section = "capital"
    received = (
        CapitalMovement.objects.filter(on__gte=period.date_from, on__lte=min(as_of, period.date_to), amount__gt=0)
        .values("source_id", "source__name")
        .annotate(total=Sum("amount"))
        .order_by("source__name")
    )
    by_source = [
        Figure(
            f"capital_in_source_{row['source_id']}",
            f"Vốn tiếp nhận: {row['source__name']}",
            row["total"],
            vi_money(row["total"]),
            capital,
            section,
        )
        for row in received
    ]
    return by_source + [
        Figure(
            "capital_in",
            "Nguồn vốn tiếp nhận trong kỳ",
            st.capital_in_period,
            vi_money(st.capital_in_period),
            capital,
            section,
        ),
        Figure("capital_total", "Tổng nguồn vốn Quỹ", st.capital, vi_million(st.capital), capital, section),
        Figure(
            "loans_outstanding",
            "Số dự án đang vay",
            st.loans_outstanding,
            vi_number(st.loans_outstanding),
            statement,
            section,
        ),
        Figure("outstanding", "Dư nợ", st.outstanding, vi_million(st.outstanding), statement, section),
        Figure(
            "disbursed_in",
            "Giải ngân trong kỳ",
            st.disbursed_in_period,
            vi_million(st.disbursed_in_period),
            statement,
            section,
        ),
        Figure("overdue_loans", "Số dự án có nợ quá hạn", overdue_loans, vi_number(overdue_loans), arrears, section),
        Figure(
            "overdue_principal",
            "Nợ gốc quá hạn",
            st.overdue_principal,
            vi_million(st.overdue_principal),
            arrears,
            section,
        ),
    ]


# How the report names each award: "Cờ thi đua của BCH Liên minh HTX Việt Nam", "Bằng khen của UBND tỉnh".
FORM_VI = {
    AwardForm.FLAG: "Cờ thi đua",
    AwardForm.MERIT: "Bằng khen",
    AwardForm.COMMENDATION: "Giấy khen",
    AwardForm.MEDAL: "Kỷ niệm chương vì sự nghiệp phát triển HTX",
    AwardForm.TITLE: "danh hiệu thi đua",
}
ISSUER_VI = {
    Issuer.VCA: "BCH Liên minh HTX Việt Nam",
    Issuer.PROVINCE: "UBND tỉnh",
    Issuer.ALLIANCE: "Chủ tịch Liên minh HTX tỉnh",
    Issuer.OTHER: "cơ quan khác",
}
KIND_VI = {RecipientKind.COLLECTIVE: "tập thể", RecipientKind.INDIVIDUAL: "cá nhân"}


def _awards(period: Period, as_of: datetime.date) -> list[Figure]:
    end = min(as_of, period.date_to)
    base = reverse("awards:recipients")
    figures = []
    total = 0
    for row in award_counts(date_from=period.date_from, date_to=end):
        query = {
            "date_from": _d(period.date_from),
            "date_to": _d(end),
            "issuer": row.issuer,
            "form": row.form,
            "kind": row.kind,
        }
        label = f"{FORM_VI[row.form]} của {ISSUER_VI[row.issuer]} cho {KIND_VI[row.kind]}"
        figures.append(
            Figure(
                f"award_{row.issuer}_{row.form}_{row.kind}",
                label,
                row.count,
                two_digits(row.count),
                f"{base}?{urlencode(query)}",
                "emulation",
            )
        )
        total += row.count
    query = {"date_from": _d(period.date_from), "date_to": _d(end)}
    figures.append(
        Figure(
            "awards_total",
            "Tổng số lượt khen thưởng",
            total,
            vi_number(total),
            f"{base}?{urlencode(query)}",
            "emulation",
        )
    )
    return figures


def _documents(period: Period, as_of: datetime.date) -> list[Figure]:
    end = min(as_of, period.date_to)
    base = reverse("journal:documents")
    proposals = documents(date_from=period.date_from, date_to=end, kind=DocumentKind.PROPOSAL)
    plans = documents(date_from=period.date_from, date_to=end, kind=DocumentKind.PLAN).filter(
        issued_on__gte=period.date_from, issued_on__lte=end
    )
    cooperation = documents(date_from=period.date_from, date_to=end, kind=DocumentKind.COOPERATION).filter(
        issued_on__gte=period.date_from, issued_on__lte=end
    )
    n_prop, n_plans, n_coop = proposals.count(), plans.count(), cooperation.count()
    return [
        Figure(
            "proposals",
            "Đề án xây dựng trong kỳ",
            n_prop,
            two_digits(n_prop),
            f"{base}?{urlencode({'kind': 'proposal'})}",
            "proposals",
        ),
        Figure(
            "plans_issued",
            "Kế hoạch ban hành trong kỳ",
            n_plans,
            two_digits(n_plans),
            f"{base}?{urlencode({'kind': 'plan'})}",
            "plans",
        ),
        Figure(
            "cooperation_signed",
            "Chương trình phối hợp ký trong kỳ",
            n_coop,
            two_digits(n_coop),
            f"{base}?{urlencode({'kind': 'cooperation'})}",
            "conferences",
        ),
    ]


def _training(period: Period, as_of: datetime.date) -> list[Figure]:
    summary = training_summary(period.date_from, min(as_of, period.date_to))
    courses = reverse("training:courses") + "?" + urlencode({"year": period.year, "status": "held"})
    section = "training"
    return [
        Figure(
            "training_courses",
            "Lớp bồi dưỡng, tập huấn đã tổ chức",
            summary.course_count,
            two_digits(summary.course_count),
            courses,
            section,
        ),
        Figure(
            "training_participants",
            "Lượt học viên dự đủ",
            summary.participant_count,
            vi_number(summary.participant_count),
            courses,
            section,
        ),
        Figure(
            "training_organizations",
            "Tổ chức có người dự",
            summary.organization_count,
            vi_number(summary.organization_count),
            courses,
            section,
        ),
        Figure(
            "training_budget",
            "Kinh phí các lớp đã tổ chức",
            summary.budget_spent,
            vi_million(summary.budget_spent),
            courses,
            section,
        ),
    ]


def _value_chains(period: Period, as_of: datetime.date) -> list[Figure]:
    summary = value_chain_summary(period.date_from, min(as_of, period.date_to))
    counts = summary.counts()
    surveys = reverse("valuechain:surveys")
    plans = reverse("valuechain:index")
    section = "value_chains"

    def fig(key, label, url, money=False):
        value = counts[key]
        return Figure(f"vc_{key}", label, value, vi_million(value) if money else two_digits(value), url, section)

    return [
        fig("cooperatives_surveyed", "HTX được khảo sát", surveys),
        fig("surveys_done", "Phiếu khảo sát hoàn thành", surveys),
        fig("selected", "HTX được lựa chọn xây dựng chuỗi", plans),
        fig("plans_approved", "Kế hoạch hỗ trợ chuỗi được duyệt", plans),
        fig("plans_under_way", "Kế hoạch hỗ trợ chuỗi đang thực hiện", plans),
        fig("activities_done", "Hoạt động hỗ trợ chuỗi hoàn thành", plans),
        fig("activities_done_budget", "Kinh phí các hoạt động hỗ trợ chuỗi hoàn thành", plans, money=True),
    ]


def _visits(period: Period, as_of: datetime.date) -> list[Figure]:
    """The portal's page views per day on average over the period's days up to as_of."""
    end = min(as_of, period.date_to)
    visits = visits_per_day(period.date_from, end)
    url = reverse("portal:visits") + "?" + urlencode({"date_from": _d(period.date_from), "date_to": _d(end)})
    return [
        Figure(
            "visits_per_day",
            "Lượt truy cập cổng thông tin trung bình mỗi ngày",
            visits.average,
            vi_number(visits.average),
            url,
            "information",
        ),
        Figure(
            "visits_total",
            "Lượt truy cập cổng thông tin trong kỳ",
            visits.total,
            vi_number(visits.total),
            url,
            "information",
        ),
    ]


# Apps that add figures of their own: each a callable (period, as_of) -> list[Figure].
EXTRA_SOURCES: list = [_training, _value_chains, _visits]


def compute(period: Period, as_of: datetime.date) -> dict[str, Figure]:
    """Every figure of a report for period as of a date, by key, in the report's order."""
    figures: list[Figure] = []
    for source in (_registry, _fund, _awards, _documents, *EXTRA_SOURCES):
        figures.extend(source(period, as_of))
    return {f.key: f for f in figures}


# The main figures the annual report compares with the year before.
COMPARED = (
    "htx_founded",
    "htx_active",
    "qtdnd_active",
    "capital_total",
    "loans_outstanding",
    "outstanding",
    "awards_total",
)


def previous_year(period: Period, as_of: datetime.date) -> dict[str, Figure]:
    """The compared figures for the same period a year earlier, keyed prev_<key>."""
    before = period.previous_year()
    try:
        as_of_before = as_of.replace(year=as_of.year - 1)
    except ValueError:  # 29/02
        as_of_before = as_of.replace(year=as_of.year - 1, day=28)
    earlier = compute(before, as_of_before)
    result = {}
    for key in COMPARED:
        f = earlier[key]
        result[f"prev_{key}"] = Figure(
            f"prev_{key}", f"{f.label} ({before.label})", f.value, f.text, f.url, "comparison"
        )
    return result


def as_of_text(as_of: datetime.date) -> str:
    """ "15/3/2021": the report writes the day and month without leading zeros in running text."""
    return f"{as_of.day}/{as_of.month}/{as_of.year}"


__all__ = ["Figure", "compute", "two_digits", "as_of_text", "vi_date"]
