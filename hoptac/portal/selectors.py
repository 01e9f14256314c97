"""Reads of the portal: articles, search, the reports archive and the visit counters."""

import datetime
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet, Sum
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.models import Page

from hoptac.briefing.models import Report
from hoptac.briefing.selectors import period_of, published_reports
from hoptac.core.text import query_terms

from .models import ArticlePage, CategoryPage, DailyVisits, HomePage, ReportArchivePage

PAGE_SIZE = 12
# The renditions lists and the home page show; prefetched so a list costs the same queries at any length.
THUMBNAIL = "fill-480x270|format-webp"


def can_see_visits(user) -> bool:
    """The alliance's staff read the visit counts; nobody outside it."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_alliance)


# ------------------------------------------------------------------ articles


def public_articles() -> QuerySet[ArticlePage]:
    """Articles anyone may read: published and not behind a Wagtail privacy setting, newest first."""
    images = get_image_model().objects.prefetch_renditions(THUMBNAIL)
    return (
        ArticlePage.objects.live()
        .public()
        .prefetch_related(Prefetch("image", queryset=images))
        .order_by("-date", "-first_published_at", "-id")
    )


def latest_articles(limit: int = 6) -> list[ArticlePage]:
    """The newest articles of every category, each with its ``category_title``, for the home page and the feeds."""
    articles = list(public_articles()[:limit])
    parents = {article.path[: -Page.steplen] for article in articles}
    titles = dict(Page.objects.filter(path__in=parents).values_list("path", "title")) if parents else {}
    for article in articles:
        article.category_title = titles.get(article.path[: -Page.steplen], "")
    return articles


def articles_in(category: CategoryPage | ReportArchivePage) -> QuerySet[ArticlePage]:
    return public_articles().child_of(category)


def search_articles(query: str | None) -> QuerySet[ArticlePage]:
    """Articles whose title, summary or body contain every word of the query, diacritics and case ignored.

    "hop tac xa" finds "hợp tác xã"; "htx" too (core.text adds the abbreviation). Empty query: nothing.
    """
    terms = query_terms(query)
    if not terms:
        return ArticlePage.objects.none()
    qs = public_articles()
    for term in terms:
        qs = qs.filter(search_text__contains=term)
    return qs


def paginate(request, qs) -> PaginatorPage:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def portal_home() -> HomePage | None:
    return HomePage.objects.live().first()


def menu_categories() -> list[Page]:
    """The categories shown in the portal's menu (the pages right under its home), in the editors' order."""
    return list(Page.objects.live().public().in_menu().filter(depth=HomePage.CATEGORY_DEPTH).order_by("path"))


# ------------------------------------------------------------------ reports archive


@dataclass
class ReportArchive:
    """The published reports, filtered by "Năm báo cáo" and "Kỳ báo cáo", with the choices to offer."""

    reports: list[dict]
    years: list[int]
    periods: list[tuple[str, str]]  # (key, label) such as ("quarter-1", "Quý 1")
    year: int | None = None
    period: str = ""
    filtered: bool = field(default=False)


def _period_key(report: Report) -> str:
    return f"{report.period_kind}-{report.period_number}" if report.period_number else report.period_kind


def report_archive(*, year: str | int | None = None, period: str | None = None) -> ReportArchive:
    """Issued and published reports (``briefing.selectors.published_reports``) for the portal's archive."""
    everything = list(
        published_reports().only(
            "id", "title", "number", "year", "period_kind", "period_number", "date_from", "date_to", "issued_on"
        )
    )
    years = sorted({r.year for r in everything}, reverse=True)
    periods: dict[str, tuple[str, datetime.date]] = {}
    for report in everything:
        key = _period_key(report)
        label = period_of(report).short_label
        # Order the choices as the year runs: Quý 1 … Quý 4, then halves, then the year.
        periods.setdefault(key, (label, report.date_from.replace(year=2000)))
    chosen_year = int(year) if str(year or "").isdigit() and int(year) in years else None
    chosen_period = period if period in periods else ""
    rows = [
        {"report": r, "period": period_of(r).short_label}
        for r in everything
        if (chosen_year is None or r.year == chosen_year) and (not chosen_period or _period_key(r) == chosen_period)
    ]
    return ReportArchive(
        reports=rows,
        years=years,
        periods=[(key, label) for key, (label, _) in sorted(periods.items(), key=lambda kv: (kv[1][1], kv[0]))],
        year=chosen_year,
        period=chosen_period,
        filtered=bool(chosen_year or chosen_period),
    )


@dataclass
class LatestReports:
    reports: list[dict]
    page: ReportArchivePage | None


def portal_reports(limit: int = 4) -> LatestReports:
    """The newest published reports for the home page, and the archive page that lists them all."""
    reports = [{"report": r, "period": period_of(r).short_label} for r in published_reports()[:limit]]
    return LatestReports(reports, ReportArchivePage.objects.live().public().first())


# ------------------------------------------------------------------ visits


class VisitsPerDay(NamedTuple):
    """Page views in a date range: their total, the number of days, and the average per day (rounded)."""

    total: int
    days: int
    average: int


def visits_per_day(date_from: datetime.date, date_to: datetime.date) -> VisitsPerDay:
    """Public page views from date_from to date_to inclusive, and the average per calendar day.

    Every calendar day of the range counts, days without a view too (the report says "trung
    bình hằng ngày"). A range that ends before it starts has no day and no view.
    """
    if date_to < date_from:
        return VisitsPerDay(0, 0, 0)
    days = (date_to - date_from).days + 1
    total = DailyVisits.objects.filter(day__range=(date_from, date_to)).aggregate(n=Sum("count"))["n"] or 0
    return VisitsPerDay(total, days, (total + days // 2) // days)


def daily_visits(date_from: datetime.date, date_to: datetime.date) -> list[tuple[datetime.date, int]]:
    """Every day of the range with its page views (0 on a day without any), oldest first."""
    counts = dict(
        DailyVisits.objects.filter(day__range=(date_from, date_to))
        .values("day")
        .annotate(n=Sum("count"))
        .values_list("day", "n")
    )
    days = max((date_to - date_from).days + 1, 0)
    return [(day, counts.get(day, 0)) for day in (date_from + datetime.timedelta(days=i) for i in range(days))]


def top_pages(date_from: datetime.date, date_to: datetime.date, limit: int = 20) -> list[tuple[str, int]]:
    """The most viewed pages of the range, with their views."""
    return list(
        DailyVisits.objects.filter(day__range=(date_from, date_to))
        .values("path")
        .annotate(n=Sum("count"))
        .order_by("-n", "path")
        .values_list("path", "n")[:limit]
    )


def page_titles(paths: list[str]) -> dict[str, str]:
    """The titles of the portal's pages among paths (one query), for the visit counts."""
    home = portal_home()
    prefix = reverse("wagtail_serve", args=[""])
    if home is None:
        return {}
    url_paths = {home.url_path + path[len(prefix) :]: path for path in paths if path.startswith(prefix)}
    pages = Page.objects.filter(url_path__in=url_paths).values_list("url_path", "title")
    return {url_paths[url_path]: title for url_path, title in pages}
