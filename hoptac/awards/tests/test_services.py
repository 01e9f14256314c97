"""Award decisions and recipients: the rules the services keep, and their audit entries."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hoptac.awards import services
from hoptac.awards.models import AwardForm, Issuer, RecipientKind, Registration
from hoptac.core.audit import entries_for
from hoptac.core.models import AuditEntry

from .conftest import registration_of

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


# ---------------------------------------------------------------- editing and undoing


def test_decision_edit_is_audited_and_bumps_the_version(decision, awards_staff):
    services.award_decision_update(
        decision=decision, expected_version=1, number="126/QĐ-UBND", on=D(2021, 1, 29), by=awards_staff
    )
    decision.refresh_from_db()
    assert decision.on == D(2021, 1, 29) and decision.version == 2
    entry = AuditEntry.objects.get(action="awards.decision.changed", object_id=str(decision.pk))
    assert entry.changes == {"on": ["2021-01-28", "2021-01-29"]}


def test_a_stale_decision_edit_is_refused_and_says_what_changed(decision, awards_staff):
    services.award_decision_update(decision=decision, expected_version=1, title="Bằng khen 2020", by=awards_staff)
    with pytest.raises(services.StaleEdit) as info:
        services.award_decision_update(decision=decision, expected_version=1, number="999/QĐ", by=awards_staff)
    assert [e.changes for e in info.value.entries] == [{"title": ["", "Bằng khen 2020"]}]
    decision.refresh_from_db()
    assert decision.number == "126/QĐ-UBND" and decision.title == "Bằng khen 2020"


def test_an_edit_cannot_make_a_decision_the_same_as_another(decision, awards_staff):
    other = services.award_decision_create(
        number="125/QĐ-UBND", on=D(2021, 1, 28), issuer=Issuer.PROVINCE, form=AwardForm.FLAG
    )
    with pytest.raises(ValidationError) as info:
        services.award_decision_update(decision=other, number="126/QĐ-UBND", by=awards_staff)
    assert "number" in info.value.error_dict
    with pytest.raises(ValidationError):
        services.award_decision_update(decision=other, on=timezone.localdate() + datetime.timedelta(days=1))


def test_an_unchanged_decision_save_leaves_no_entry(decision):
    services.award_decision_update(decision=decision, expected_version=1, title="")
    assert not AuditEntry.objects.filter(action="awards.decision.changed").exists()
    decision.refresh_from_db()
    assert decision.version == 1


def test_archived_recipient_leaves_the_counts_and_can_be_restored(decision, org_tan_yen, awards_staff):
    from hoptac.awards import selectors

    recipient = decision.recipients.get(organization=org_tan_yen, kind=RecipientKind.COLLECTIVE)
    period = {"date_from": D(2021, 1, 1), "date_to": D(2021, 3, 15)}
    services.award_recipient_archive(recipient=recipient, reason="Nhập nhầm", by=awards_staff)
    assert sum(r.count for r in selectors.award_counts(**period)) == 2
    assert recipient not in selectors.award_recipients(period["date_from"], period["date_to"])
    assert not selectors.awards_of(org_tan_yen).exists()
    # The same collective can be added again while the mistaken one is archived; restoring it then is refused.
    again = services.award_recipient_add(decision=decision, kind=RecipientKind.COLLECTIVE, organization=org_tan_yen)
    with pytest.raises(ValidationError):
        services.award_recipient_restore(recipient=recipient, by=awards_staff)
    services.award_recipient_archive(recipient=again, reason="Trùng", by=awards_staff)
    services.award_recipient_restore(recipient=recipient, by=awards_staff)
    assert sum(r.count for r in selectors.award_counts(**period)) == 3
    actions = entries_for(recipient).values_list("action", flat=True)
    assert list(actions) == ["awards.recipient.restored", "awards.recipient.archived"]


def test_archiving_needs_a_reason(decision):
    recipient = decision.recipients.first()
    with pytest.raises(ValidationError) as info:
        services.award_recipient_archive(recipient=recipient, reason="  ")
    assert "reason" in info.value.error_dict
    recipient.refresh_from_db()
    assert recipient.archived_on is None


def test_recipient_edit_keeps_the_rules(decision, org_hiep_hoa, awards_staff):
    person = decision.recipients.get(kind=RecipientKind.INDIVIDUAL)
    services.award_recipient_update(
        recipient=person,
        kind=RecipientKind.INDIVIDUAL,
        person_name="Trần  Thị Lan",
        position="Chủ tịch HĐQT",
        organization=org_hiep_hoa,
        by=awards_staff,
    )
    person.refresh_from_db()
    assert person.position == "Chủ tịch HĐQT" and person.person_name == "Trần Thị Lan"
    changes = AuditEntry.objects.get(action="awards.recipient.changed").changes
    assert changes == {"position": ["Giám đốc HTX", "Chủ tịch HĐQT"]}
    collective = decision.recipients.filter(kind=RecipientKind.COLLECTIVE).first()
    with pytest.raises(ValidationError):  # would duplicate the other collective
        other = decision.recipients.filter(kind=RecipientKind.COLLECTIVE).exclude(pk=collective.pk).get()
        services.award_recipient_update(
            recipient=collective, kind=RecipientKind.COLLECTIVE, organization=other.organization
        )


def test_an_individual_is_the_same_person_whatever_the_case_of_vietnamese_letters(decision, org_hiep_hoa):
    with pytest.raises(ValidationError):
        services.award_recipient_add(
            decision=decision, kind=RecipientKind.INDIVIDUAL, person_name="TRẦN THỊ LAN", organization=org_hiep_hoa
        )


def test_a_unit_registers_once_for_a_movement_and_not_in_the_future(org_tan_yen):
    movement = services.movement_create(year=2021, name="Phong trào 2021", launched_on=D(2021, 2, 1))
    services.registration_create(movement=movement, organization=org_tan_yen, targets="A", signed_on=D(2021, 3, 1))
    with pytest.raises(ValidationError):
        services.registration_create(movement=movement, organization=org_tan_yen, targets="B", signed_on=D(2021, 3, 2))
    other = services.movement_create(year=2021, name="Phong trào khác", launched_on=D(2021, 2, 1))
    with pytest.raises(ValidationError) as info:
        services.registration_create(
            movement=other,
            organization=org_tan_yen,
            targets="B",
            signed_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert "signed_on" in info.value.error_dict


def test_a_covenant_is_of_the_blocs_year(org_tan_yen):
    movement = services.movement_create(year=2021, name="Phong trào 2021", launched_on=D(2021, 2, 1))
    bloc = services.bloc_create(name="Khối 2020", year=2020, members=[org_tan_yen])
    with pytest.raises(ValidationError) as info:
        services.registration_create(movement=movement, bloc=bloc, targets="A", signed_on=D(2021, 3, 1))
    assert "bloc" in info.value.error_dict


def test_movement_bloc_and_registration_edits_are_audited(movement, bloc, org_tan_yen, org_hiep_hoa, awards_staff):
    services.movement_update(movement=movement, name="Phong trào thi đua “Đổi mới” 2020", by=awards_staff)
    services.bloc_update(bloc=bloc, name="Khối HTX", year=2020, leader=None, members=[org_tan_yen], by=awards_staff)
    bloc.refresh_from_db()
    assert bloc.leader is None and list(bloc.members.all()) == [org_tan_yen]
    bloc_changes = AuditEntry.objects.get(action="awards.bloc.changed").changes
    assert bloc_changes["members"] == {"added": [], "removed": [org_hiep_hoa.code]}
    registration = registration_of(org_tan_yen, movement)
    services.registration_update(
        registration=registration, movement=movement, targets="Doanh thu tăng 8%", signed_on=D(2020, 3, 11)
    )
    assert {"awards.movement.changed", "awards.registration.changed"} <= set(
        AuditEntry.objects.values_list("action", flat=True)
    )
