"""The journal and the document list with many rows: paged, and a query count that does not grow with rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hoptac.journal import views
from hoptac.journal.models import Area, Document, DocumentKind, JournalEntry

from .conftest import D

pytestmark = pytest.mark.django_db


def make_entries(n: int, **fields) -> None:
    areas = Area.values
    JournalEntry.objects.bulk_create(
        JournalEntry(
            on=D(2021, 1 + i % 3, 1 + i % 28),
            area=areas[i % len(areas)],
            title=f"Hoạt động {i}",
            text="Nội dung.",
            conference=i % 2 == 0,
            attendance=30 if i % 2 == 0 else None,
            **fields,
        )
        for i in range(n)
    )


def make_documents(n: int) -> None:
    Document.objects.bulk_create(
        Document(kind=DocumentKind.PLAN, title=f"Kế hoạch {i}", drafted_on=D(2021, 1, 1 + i % 28)) for i in range(n)
    )


def queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("url", "params", "make"),
    [
        ("journal:index", {"year": 2021, "quarter": 1}, make_entries),
        ("journal:index", {"year": 2021, "quarter": 1, "archived": "on"}, make_entries),
        ("journal:documents", {}, make_documents),
        ("journal:documents", {"archived": "on"}, make_documents),
    ],
)
def test_list_pages_make_as_many_queries_for_50_rows_as_for_5(
    client, office, django_assert_max_num_queries, url, params, make
):
    url = reverse(url)
    client.force_login(office)
    make(5)
    few = queries(client, url, params)
    make(45)
    with django_assert_max_num_queries(few):
        response = client.get(url, params)
    assert response.status_code == 200


def test_the_journal_of_a_long_period_is_paged(client, office):
    make_entries(views.ENTRIES_PER_PAGE + 20)
    client.force_login(office)
    first = client.get(reverse("journal:index"), {"year": 2021})
    assert first.context["count"] == views.ENTRIES_PER_PAGE + 20
    assert sum(len(g["entries"]) for g in first.context["groups"]) == views.ENTRIES_PER_PAGE
    assert 'rel="next"' in first.content.decode()
    second = client.get(reverse("journal:index"), {"year": 2021, "page": 2})
    assert sum(len(g["entries"]) for g in second.context["groups"]) == 20
    # Page links keep the period.
    assert "year=2021" in second.content.decode().split('rel="prev"')[0].rsplit("href=", 1)[1]


def test_the_document_list_is_paged(client, office):
    make_documents(views.DOCUMENTS_PER_PAGE + 3)
    client.force_login(office)
    first = client.get(reverse("journal:documents"))
    assert len(first.context["page_obj"].object_list) == views.DOCUMENTS_PER_PAGE
    second = client.get(reverse("journal:documents"), {"page": 2})
    assert len(second.context["page_obj"].object_list) == 3
    assert second.context["page_obj"].paginator.count == views.DOCUMENTS_PER_PAGE + 3
