import pytest
from django.db import connection

from conftest import make_org
from hoptac.core.text import normalize
from hoptac.registry.models import Organization

pytestmark = pytest.mark.django_db

NAMES = [
    "Hợp tác xã Dịch vụ Nông nghiệp Đồng Tiến",
    "Hợp tác xã Vải thiều Thanh Hà",
    "Quỹ tín dụng nhân dân Thắng",
    "Liên hiệp Hợp tác xã Nông sản Bắc Giang",
    "Tổ hợp tác nuôi ong Xuân Lương",
    "HỢP TÁC XÃ MÂY TRE ĐAN ĐỨC THẮNG",
]


@pytest.fixture
def orgs(commune_tan_yen):
    return [make_org(commune_tan_yen, name=name) for name in NAMES]


@pytest.mark.parametrize(
    "query,expected",
    [
        ("htx tan yen", {0, 1, 3, 5}),
        ("hop tac xa dong tien", {0}),
        ("HTX DONG TIEN", {0}),
        ("vai thieu", {1}),
        ("qtdnd thang", {2}),
        ("lhhtx", {3}),
        ("tht ong", {4}),
        ("duc thang", {5}),
        ("quang tien", {0, 1, 2, 3, 4, 5}),
        ("hiep hoa", set()),
    ],
)
def test_search_ignores_diacritics_case_and_understands_abbreviations(orgs, query, expected):
    found = set(Organization.objects.search(query).values_list("pk", flat=True))
    assert found == {orgs[i].pk for i in expected}


def test_normalisation_agrees_with_postgresql_unaccent(orgs):
    # On PostgreSQL, our Python normalisation must agree with unaccent(); on SQLite the
    # column is the only implementation, so we check it is what normalize() gives.
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT name, lower(unaccent(name)) FROM registry_organization")
            rows = cur.fetchall()
        assert rows and all(normalize(name) == normalize(unaccented) for name, unaccented in rows)
    for org in Organization.objects.all():
        assert org.search_text.startswith(normalize(org.name))


@pytest.mark.django_db
def test_postgresql_has_the_search_and_name_indexes():
    """Migrations 0002 and 0005 (issue #9): substring search by trigrams, the sorted list by (name, id).

    On PostgreSQL only; SQLite has neither (a province's rows are scanned in well under a
    millisecond) and the migrations leave it as it was.
    """
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'registry_organization'")
        else:
            cur.execute("SELECT name, sql FROM sqlite_master WHERE tbl_name = 'registry_organization'")
        indexes = dict(cur.fetchall())
    if connection.vendor == "postgresql":
        assert "gin_trgm_ops" in indexes["registry_org_search_trgm"]
        assert indexes["registry_org_name_id"].endswith("(name, id)")
    else:
        assert "registry_org_search_trgm" not in indexes and "registry_org_name_id" not in indexes
