"""The demo awards: the 2020 awards presented in Q1 2021, exactly as the seed report lists them."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse

from hoptac.awards import demo, selectors
from hoptac.awards.models import Bloc, Decision, Proposal, ProposalStatus, Registration
from hoptac.core.models import Department, Role, User
from hoptac.registry import demo as registry_demo

pytestmark = pytest.mark.django_db
D = datetime.date
PERIOD = (D(2021, 1, 1), D(2021, 3, 15))


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The registry demo and the awards demo, once for the module, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        registry_demo.load()
        yield demo.load()
        transaction.set_rollback(True)


def test_counts_are_the_seed_reports(loaded):
    rows = selectors.award_counts(date_from=PERIOD[0], date_to=PERIOD[1])
    counts = {(r.issuer, r.form, r.kind): r.count for r in rows}
    assert counts == {tuple(str(k) for k in key): n for key, n in demo.SEED_COUNTS.items()}
    assert [r.count for r in rows] == [2, 10, 2, 4, 4, 11, 6]
    assert sorted(counts.values()) == sorted([2, 2, 4, 4, 10, 11, 6])
    assert loaded["recipients"] == 39


def test_every_count_drills_down_to_its_recipients(loaded):
    for row in selectors.award_counts(date_from=PERIOD[0], date_to=PERIOD[1]):
        listed = selectors.award_recipients(*PERIOD, row.issuer, row.form, row.kind)
        assert len(listed) == row.count
        assert all(PERIOD[0] <= r.decision.on <= PERIOD[1] for r in listed)


def test_individuals_are_people_and_collectives_are_active_cooperatives(loaded):
    for recipient in selectors.award_recipients(*PERIOD):
        if recipient.kind == "individual":
            assert len(recipient.person_name.split()) >= 3 and recipient.position
        else:
            assert recipient.organization.status_on(PERIOD[1]) == "active"


def test_the_bloc_is_led_by_the_alliance_and_signed_its_covenant_in_q1(loaded):
    bloc = Bloc.objects.get(name="Khối thi đua các HTX tỉnh Bắc Giang", year=2021)
    assert bloc.leader is None and bloc.members.count() == 19
    covenant = Registration.objects.get(bloc=bloc)
    assert PERIOD[0] <= covenant.signed_on <= PERIOD[1]
    assert Decision.objects.filter(number="125/QĐ-UBND").exists()


def test_the_counts_page_shows_the_seed_figures(loaded, client):
    reader = User.objects.create_user("doc-thi-dua", role=Role.STAFF, department=Department.OFFICE)
    client.force_login(reader)
    response = client.get(reverse("awards:counts"), {"date_from": "01/01/2021", "date_to": "15/03/2021"})
    rows = response.context["rows"]
    assert [row.count for row, _ in rows] == [2, 10, 2, 4, 4, 11, 6]
    for row, link in rows:
        assert len(client.get(link).context["recipients"]) == row.count


def test_the_2020_bloc_scored_its_members_and_the_flags_went_to_its_leaders(loaded):
    bloc = Bloc.objects.get(name="Khối thi đua các HTX tỉnh Bắc Giang", year=2020)
    ranking = selectors.bloc_ranking(bloc)
    assert len(ranking) == bloc.members.count() == 19
    assert all(row.rank is not None and row.registration.self_score is not None for row in ranking)
    assert [row.rank for row in ranking] == list(range(1, 20))
    leaders = {row.registration.organization_id for row in ranking[:4]}
    flags = set(
        Decision.objects.filter(form="flag", on__year=2021).values_list("recipients__organization_id", flat=True)
    )
    assert leaders == flags


def test_the_provincial_merit_came_from_an_approved_proposal_and_one_waits(loaded):
    granted = Proposal.objects.get(decision__number="126/QĐ-UBND")
    assert granted.status == ProposalStatus.APPROVED
    assert granted.nominees.count() == granted.decision.recipients.count() == 8
    waiting = Proposal.objects.exclude(pk=granted.pk).get()
    assert waiting.status == ProposalStatus.SUBMITTED and waiting.decision is None
    assert loaded["proposals"] == 2
