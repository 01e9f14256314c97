"""Self-assessment and scoring within a bloc: the range, the order (self-assessment first), the ranking."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from hoptac.awards import selectors, services
from hoptac.awards.models import Registration
from hoptac.core.models import AuditEntry

from .conftest import registration_of

pytestmark = pytest.mark.django_db
D = datetime.date


def assess(registration, score, text="Hoàn thành các chỉ tiêu"):
    return services.registration_self_assess(registration=registration, self_score=Decimal(score), self_assessment=text)


def test_self_assessment_is_recorded_dated_and_audited(bloc, movement, org_tan_yen, coop_user):
    registration = registration_of(org_tan_yen, movement)
    services.registration_self_assess(
        registration=registration, self_score=Decimal("92.5"), self_assessment="Doanh thu tăng 7%", by=coop_user
    )
    registration.refresh_from_db()
    assert registration.self_score == Decimal("92.5") and registration.self_assessed_on is not None
    entry = AuditEntry.objects.get(action="awards.registration.self_assessed")
    assert entry.user == coop_user and entry.changes["self_score"] == [None, "92.5"]


@pytest.mark.parametrize("score", ["-1", "100.01", "250"])
def test_a_self_score_is_between_0_and_100(bloc, movement, org_tan_yen, score):
    with pytest.raises(ValidationError) as info:
        assess(registration_of(org_tan_yen, movement), score)
    assert "self_score" in info.value.error_dict
    assert registration_of(org_tan_yen, movement).self_score is None


def test_a_self_assessment_needs_its_text(bloc, movement, org_tan_yen):
    with pytest.raises(ValidationError) as info:
        assess(registration_of(org_tan_yen, movement), "90", text="  ")
    assert "self_assessment" in info.value.error_dict


def test_a_covenant_is_not_self_assessed(bloc, movement):
    covenant = services.registration_create(movement=movement, bloc=bloc, targets="Giao ước", signed_on=D(2020, 3, 5))
    with pytest.raises(ValidationError):
        assess(covenant, "90")


def test_the_bloc_scores_only_after_the_self_assessment(bloc, movement, org_tan_yen, org_hiep_hoa):
    tan_yen, hiep_hoa = registration_of(org_tan_yen, movement), registration_of(org_hiep_hoa, movement)
    assess(tan_yen, "95")
    with pytest.raises(ValidationError) as info:
        services.bloc_score(bloc=bloc, scores={tan_yen.pk: Decimal(90), hiep_hoa.pk: Decimal(80)})
    assert list(info.value.error_dict) == [f"score_{hiep_hoa.pk}"]
    # Nothing saved: not even the valid score.
    assert Registration.objects.filter(score__isnull=False).count() == 0


def test_the_database_refuses_a_score_without_self_assessment(bloc, movement, org_tan_yen):
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.filter(organization=org_tan_yen).update(score=Decimal(90))


def test_scores_out_of_range_are_refused_by_registration(bloc, movement, org_tan_yen):
    tan_yen = registration_of(org_tan_yen, movement)
    assess(tan_yen, "95")
    with pytest.raises(ValidationError) as info:
        services.bloc_score(bloc=bloc, scores={tan_yen.pk: Decimal(101)})
    assert f"score_{tan_yen.pk}" in info.value.error_dict


def test_a_registration_of_another_bloc_cannot_be_scored_here(bloc, org_tan_yen, awards_staff):
    other = services.movement_create(year=2021, name="Phong trào 2021", launched_on=D(2021, 2, 1))
    outside = services.registration_create(
        movement=other, organization=org_tan_yen, targets="x", signed_on=D(2021, 3, 1)
    )
    with pytest.raises(ValidationError):
        services.bloc_score(bloc=bloc, scores={outside.pk: Decimal(50)})


def test_ranking_highest_first_equal_scores_share_a_rank(
    bloc, movement, org_tan_yen, org_hiep_hoa, commune_tan_yen, awards_staff
):
    from conftest import make_org

    third = make_org(commune_tan_yen, name="Hợp tác xã Chè Liên Sơn", code="2400000003")
    fourth = make_org(commune_tan_yen, name="Hợp tác xã Vải thiều", code="2400000004")
    bloc.members.add(third, fourth)
    for org in (third, fourth):
        services.registration_create(movement=movement, organization=org, targets="x", signed_on=D(2020, 3, 10))
    regs = {org: registration_of(org, movement) for org in (org_tan_yen, org_hiep_hoa, third, fourth)}
    for org in (org_tan_yen, org_hiep_hoa, third):
        assess(regs[org], "90")
    scores = {regs[org_tan_yen].pk: Decimal(88), regs[org_hiep_hoa].pk: Decimal(95), regs[third].pk: Decimal(88)}
    assert services.bloc_score(bloc=bloc, scores=scores, by=awards_staff) == 3
    ranking = selectors.bloc_ranking(bloc)
    assert [(row.registration.organization, row.rank) for row in ranking] == [
        (org_hiep_hoa, 1),
        (third, 2),
        (org_tan_yen, 2),
        (fourth, None),
    ]
    assert ranking[0].leads and not ranking[1].leads
    assert AuditEntry.objects.filter(action="awards.registration.scored").count() == 3
    # Saving the same scores again changes nothing.
    assert services.bloc_score(bloc=bloc, scores=scores) == 0


def test_a_member_is_scored_from_its_registration_in_the_blocs_year_only(bloc, movement, org_tan_yen):
    later = services.movement_create(year=2021, name="Phong trào 2021", launched_on=D(2021, 2, 1))
    services.registration_create(movement=later, organization=org_tan_yen, targets="x", signed_on=D(2021, 3, 1))
    assert {r.movement for r in selectors.bloc_registrations(bloc)} == {movement}
