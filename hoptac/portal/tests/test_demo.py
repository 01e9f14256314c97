"""The demo portal: Q1-2021 news from the seed report, one article in review, ~300 visits a day."""

import datetime

import pytest

from hoptac.portal import demo, selectors, setup
from hoptac.portal.models import ArticlePage, DailyVisits
from hoptac.registry import demo as registry_demo

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo accounts and the portal demo, once for the module, rolled back at the end."""
    from django.db import transaction
    from django.test import override_settings

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        with transaction.atomic():
            registry_demo.demo_users_create()
            yield demo.load()
            transaction.set_rollback(True)


def test_demo_writes_the_quarters_news_in_every_category(loaded):
    assert loaded["articles"] == 10 and loaded["in_review"] == 1
    live = ArticlePage.objects.live()
    assert live.count() == 10
    assert all(D(2021, 1, 1) <= a.date <= D(2021, 3, 31) for a in live)
    assert {a.get_parent().slug for a in live} == {"tin-tuc", "van-ban", "thong-bao", "guong-dien-hinh"}
    assert selectors.search_articles("quy ho tro phat trien htx").exists()
    waiting = ArticlePage.objects.get(live=False)
    assert waiting.current_workflow_task.name == setup.TASK


def test_demo_visits_average_300_a_day_in_q1_2021(loaded):
    summary = selectors.visits_per_day(D(2021, 1, 1), D(2021, 3, 31))
    assert summary == (27_000, 90, 300)
    busiest = max(selectors.daily_visits(D(2021, 1, 1), D(2021, 3, 31)), key=lambda d: d[1])
    assert busiest[1] < 500
    assert selectors.top_pages(D(2021, 1, 1), D(2021, 3, 31), limit=1)[0][0] == "/"


def test_demo_is_deterministic(loaded):
    rows = list(DailyVisits.objects.order_by("day", "path").values_list("day", "path", "count")[:40])
    assert rows[0][0] == D(2021, 1, 1)
    assert (
        sum(c for _d, _p, c in DailyVisits.objects.filter(day=D(2021, 2, 12)).values_list("day", "path", "count")) < 200
    )


def test_demo_editor_and_reviewer_accounts_have_their_groups(loaded):
    from hoptac.core.models import User

    assert User.objects.get(username="bientap").groups.filter(name=setup.EDITORS).exists()
    assert User.objects.get(username="duyettin").groups.filter(name=setup.REVIEWERS).exists()
    assert User.objects.get(username="vanphong").groups.filter(name=setup.EDITORS).exists()


def test_demo_refuses_a_portal_that_is_not_empty(loaded):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        demo.load()
