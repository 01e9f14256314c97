"""grade_distribution: grades of a year by area and type, the cooperatives with none, and their lists."""

import pytest

from hoptac.analytics.selectors import GRADE_COLUMNS, MISSING, grade_distribution, grade_drilldown, returns_of
from hoptac.registry.selectors import organizations_for

pytestmark = pytest.mark.django_db


def test_grades_by_area_and_by_type(grades, tan_yen, hiep_hoa):
    dist = grade_distribution(year=2020)
    by_area = dist.counts("area")
    assert by_area[tan_yen.pk]["tot"] == 1 and by_area[tan_yen.pk]["khong_xep_loai"] == 1
    assert by_area[hiep_hoa.pk]["kha"] == 1 and by_area[hiep_hoa.pk]["yeu"] == 1
    assert dist.total == {
        "tot": 1,
        "kha": 1,
        "trung_binh": 0,
        "yeu": 1,
        "khong_xep_loai": 1,
        # HTX operating on 31/12/2020 with no grade: the submitted one and the draft one.
        MISSING: 2,
    }
    # Only cooperatives are expected to be graded: the union and the credit fund are not "missing".
    assert set(dist.counts("kind")) == {"HTX"}


def test_archived_organisations_are_neither_graded_nor_missing(grades):
    names = [r.organization.name for r in grade_drilldown(year=2020)]
    assert "Hợp tác xã Nhập trùng" not in names and len(names) == 6


def test_an_area_officer_sees_the_grades_of_their_area(grades, officer):
    dist = grade_distribution(year=2020, queryset=organizations_for(officer))
    assert dist.total["tot"] == 1 and dist.total["kha"] == 0 and dist.total[MISSING] == 1


@pytest.mark.parametrize("grouping", ["then", "now"])
def test_every_grade_count_equals_its_list(grades, grouping):
    dist = grade_distribution(year=2020, grouping=grouping)
    checked = 0
    for dimension in ("area", "kind"):
        for key, counts in dist.counts(dimension).items():
            for grade in GRADE_COLUMNS:
                rows = grade_drilldown(year=2020, grouping=grouping, cell={dimension: key, "grade": grade})
                assert len(rows) == counts[grade], (dimension, key, grade)
                assert all((r.grading.grade if r.grading else MISSING) == grade for r in rows)
                checked += 1
            assert len(grade_drilldown(year=2020, grouping=grouping, cell={dimension: key})) == sum(counts.values())
    for grade, n in dist.total.items():
        assert len(grade_drilldown(year=2020, grouping=grouping, cell={"grade": grade})) == n
    assert checked > 10


def test_the_organisation_page_lists_returns_and_grade_history(grades):
    org = grades["orgs"]["agri_small"]
    data = returns_of(org)
    assert [(r.form.code, r.year, r.status) for r in data["returns"]] == [
        ("annual_htx", 2020, "approved"),
        ("annual_htx", 2019, "approved"),
    ]
    assert data["returns"][0].period_label
    assert [(g.year, g.grade, g.total) for g in data["gradings"]] == [(2020, "tot", 85), (2019, "kha", 78)]


def test_returns_of_takes_two_queries(grades, django_assert_num_queries):
    with django_assert_num_queries(2):
        returns_of(grades["orgs"]["agri_small"])
