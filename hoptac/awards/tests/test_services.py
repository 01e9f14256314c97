"""Award decisions and recipients: the rules the services keep, and their audit entries."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hoptac.awards import services
from hoptac.awards.models import AwardForm, Issuer, RecipientKind, Registration
from hoptac.core.models import AuditEntry

pytestmark = pytest.mark.django_db
D = datetime.date


def test_decision_is_recorded_with_an_audit_entry(awards_staff):
    decision = services.award_decision_create(
        number=" 15/QĐ-LMHTX ", on=D(2021, 3, 5), issuer=Issuer.ALLIANCE, form=AwardForm.COMMENDATION, by=awards_staff
    )
    assert decision.number == "15/QĐ-LMHTX" and decision.created_by == awards_staff
    assert AuditEntry.objects.filter(action="awards.decision.created", object_id=str(decision.pk)).exists()


def test_decision_date_cannot_be_in_the_future(awards_staff):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as info:
        services.award_decision_create(
            number="1/QĐ", on=tomorrow, issuer=Issuer.VCA, form=AwardForm.FLAG, by=awards_staff
        )
    assert "on" in info.value.error_dict


def test_the_same_decision_cannot_be_recorded_twice(decision, awards_staff):
    with pytest.raises(ValidationError):
        services.award_decision_create(
            number=decision.number, on=decision.on, issuer=decision.issuer, form=AwardForm.MERIT, by=awards_staff
        )


def test_collective_recipient_needs_an_organisation(decision):
    with pytest.raises(ValidationError) as info:
        services.award_recipient_add(decision=decision, kind=RecipientKind.COLLECTIVE, person_name="Ai đó")
    assert "organization" in info.value.error_dict


def test_individual_recipient_needs_a_name(decision, org_tan_yen):
    with pytest.raises(ValidationError) as info:
        services.award_recipient_add(
            decision=decision, kind=RecipientKind.INDIVIDUAL, person_name="  ", organization=org_tan_yen
        )
    assert "person_name" in info.value.error_dict


def test_individual_without_organisation_is_allowed(decision):
    recipient = services.award_recipient_add(decision=decision, kind=RecipientKind.INDIVIDUAL, person_name="Lê Văn Hải")
    assert recipient.organization is None and str(recipient) == "Lê Văn Hải"


def test_no_duplicate_recipient_in_a_decision(decision, org_tan_yen, org_hiep_hoa):
    with pytest.raises(ValidationError):
        services.award_recipient_add(decision=decision, kind=RecipientKind.COLLECTIVE, organization=org_tan_yen)
    with pytest.raises(ValidationError):
        services.award_recipient_add(
            decision=decision, kind=RecipientKind.INDIVIDUAL, person_name="trần thị lan", organization=org_hiep_hoa
        )
    assert decision.recipients.count() == 3


def test_recipient_added_is_audited_on_the_decision(decision):
    entries = AuditEntry.objects.filter(action="awards.decision.recipient_added", object_id=str(decision.pk))
    assert entries.count() == 3


def test_registration_is_a_bloc_covenant_or_an_organisations_own(awards_staff, org_tan_yen, org_hiep_hoa):
    movement = services.movement_create(year=2021, name="Phong trào thi đua 2021", launched_on=D(2021, 2, 1))
    bloc = services.bloc_create(name="Khối thi đua các HTX", year=2021, members=[org_tan_yen, org_hiep_hoa])
    assert bloc.leader is None and bloc.members.count() == 2
    covenant = services.registration_create(
        movement=movement, bloc=bloc, targets="Tăng doanh thu", signed_on=D(2021, 3, 5)
    )
    assert covenant.is_covenant
    own = services.registration_create(
        movement=movement, organization=org_tan_yen, targets="Kết nạp thành viên", signed_on=D(2021, 3, 6)
    )
    assert not own.is_covenant
    with pytest.raises(ValidationError):
        services.registration_create(
            movement=movement, bloc=bloc, organization=org_tan_yen, targets="x", signed_on=D(2021, 3, 6)
        )
    with pytest.raises(ValidationError):
        services.registration_create(movement=movement, targets="x", signed_on=D(2021, 3, 6))
    assert Registration.objects.count() == 2


def test_a_bloc_name_is_unique_in_a_year():
    services.bloc_create(name="Khối A", year=2021)
    services.bloc_create(name="Khối A", year=2022)
    with pytest.raises(ValidationError):
        services.bloc_create(name="Khối A", year=2021)
