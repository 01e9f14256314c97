"""The demo value chains: the 2020 programme closed with two plans, the 2021 survey under way in Q1 2021."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse

from hoptac.core.models import User
from hoptac.registry import demo as registry_demo
from hoptac.valuechain import demo, selectors
from hoptac.valuechain.models import PlanStatus, Programme, ProgrammeStatus, Selection, SurveyStatus

pytestmark = pytest.mark.django_db
D = datetime.date
Q1 = (D(2021, 1, 1), D(2021, 3, 15))
DISTRICTS = {"Huyện Lục Ngạn", "Huyện Yên Thế", "Huyện Tân Yên"}


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The registry demo and the value-chain demo, once for the module, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        registry_demo.load()
        yield demo.load()
        transaction.set_rollback(True)


def test_counts(loaded):
    assert loaded == {
        "programmes": 2,
        "criteria": 12,
        "surveys": 10,
        "surveys_done": 8,
        "selections": 4,
        "plans": 2,
        "activities": 9,
        "products": 3,
    }


def test_the_2021_survey_is_under_way_in_the_first_quarter(loaded):
    programme = Programme.objects.get(name="Hỗ trợ xây dựng chuỗi giá trị năm 2021")
    assert programme.status == ProgrammeStatus.SURVEY and 5 <= programme.criteria.count() <= 6
    ranking = selectors.programme_ranking(programme)
    assert 5 <= len(ranking) <= 6
    for row in ranking:
        org = row.organization
        assert org.kind == "HTX" and org.sector == "nong_nghiep" and org.commune.parent.name in DISTRICTS
        assert org.status_on(Q1[1]) == "active"
        assert Q1[0] <= row.survey.surveyed_on <= Q1[1]
        if row.done:
            assert D(2021, 2, 1) <= row.survey.done_on < Q1[1]
    done = [r for r in ranking if r.done]
    assert len(done) == 4 and [r.rank for r in done if r.eligible] == [1, 2, 3]
    assert {r.survey.status for r in ranking if not r.done} == {SurveyStatus.UNDER_WAY}
    assert not Selection.objects.filter(survey__programme=programme).exists()


def test_the_2020_programme_is_closed_with_two_cooperatives_selected(loaded):
    programme = Programme.objects.get(name="Hỗ trợ xây dựng chuỗi giá trị năm 2020")
    assert programme.status == ProgrammeStatus.CLOSED
    selections = Selection.objects.filter(survey__programme=programme)
    assert selections.filter(selected=True).count() == 2
    assert all(s.reason for s in selections.filter(selected=False))
    plans = {p.status: p for p in selectors.live_plans()}
    assert set(plans) == {PlanStatus.DONE, PlanStatus.IN_PROGRESS}
    assert "vải thiều" in plans[PlanStatus.DONE].title and "gà đồi" in plans[PlanStatus.IN_PROGRESS].title
    assert plans[PlanStatus.DONE].products.filter(certification="VietGAP").exists()


def test_the_first_quarter_figures(loaded):
    s = selectors.value_chain_summary(*Q1)
    assert s.counts() == {
        "surveys_started": 6,
        "surveys_done": 4,
        "cooperatives_surveyed": 6,
        "selected": 0,
        "plans_approved": 0,
        "plans_under_way": 1,
        "activities_done": 1,
        "activities_done_budget": 25_000_000,
    }


def test_the_cooperative_account_sees_its_own_survey(loaded, client):
    account = User.objects.get(username="htx")
    client.force_login(account)
    response = client.get(reverse("valuechain:surveys"))
    surveys = list(response.context["page_obj"].object_list)
    assert [s.organization_id for s in surveys] == [account.organization_id]


def test_loading_twice_is_refused(loaded):
    with pytest.raises(RuntimeError):
        demo.load()
