"""Training services: the rules they keep (dates, money, once per course, states), permissions and audit."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from hoptac.core.models import AuditEntry
from hoptac.journal import services as journal_services
from hoptac.journal.models import DocumentKind
from hoptac.training import services
from hoptac.training.models import BudgetSource, CourseStatus, Participant, PlanStatus, TargetGroup

pytestmark = pytest.mark.django_db
D = datetime.date
TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def audited(action: str, instance) -> bool:
    return AuditEntry.objects.filter(action=action, object_id=str(instance.pk)).exists()


def new_course(by, **fields):
    values = dict(
        topic="Tập huấn",
        starts_on=D(2021, 6, 1),
        ends_on=D(2021, 6, 2),
        place="Hội trường",
        target_group=TargetGroup.MEMBERS,
        budget=10_000_000,
        budget_source=BudgetSource.PARTNER,
        by=by,
    )
    values.update(fields)
    return services.course_create(**values)


# ---------------------------------------------------------------- plans


def test_a_plan_starts_as_a_draft_and_is_issued_with_a_number_and_a_date(training_staff):
    plan = services.plan_create(year=2021, title=" Kế hoạch năm 2021 ", budget=550_000_000, by=training_staff)
    assert plan.status == PlanStatus.DRAFT and plan.title == "Kế hoạch năm 2021" and plan.created_by == training_staff
    assert audited("training.plan.created", plan)
    with pytest.raises(ValidationError) as info:
        services.plan_issue(plan=plan, issued_on=D(2021, 1, 15), by=training_staff)
    assert "number" in info.value.error_dict
    plan = services.plan_issue(plan=plan, issued_on=D(2021, 1, 15), number="05/KH-LMHTX", by=training_staff)
    assert plan.is_issued and plan.number == "05/KH-LMHTX" and audited("training.plan.issued", plan)
    with pytest.raises(ValidationError):
        services.plan_issue(plan=plan, issued_on=D(2021, 1, 16), by=training_staff)


@pytest.mark.parametrize("issued_on", [TOMORROW, D(2019, 12, 31), D(2022, 1, 1)])
def test_a_plan_is_issued_in_its_year_or_the_year_before_never_in_the_future(training_staff, issued_on):
    plan = services.plan_create(year=2021, title="Kế hoạch", number="05/KH-LMHTX", by=training_staff)
    with pytest.raises(ValidationError) as info:
        services.plan_issue(plan=plan, issued_on=issued_on, by=training_staff)
    assert "issued_on" in info.value.error_dict
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


@pytest.mark.parametrize("budget", [-1, 1.5, "100", True])
def test_a_plan_budget_is_whole_dong_and_not_negative(training_staff, budget):
    with pytest.raises(ValidationError) as info:
        services.plan_create(year=2021, title="Kế hoạch", budget=budget, by=training_staff)
    assert "budget" in info.value.error_dict


def test_two_plans_of_a_year_cannot_share_a_number(plan, training_staff):
    with pytest.raises(ValidationError) as info:
        services.plan_create(year=2021, title="Kế hoạch bổ sung", number="05/kh-lmhtx", by=training_staff)
    assert "number" in info.value.error_dict
    assert services.plan_create(year=2022, title="Kế hoạch 2022", number="05/KH-LMHTX", by=training_staff)


def test_a_plan_links_only_a_plan_document_of_the_journal(training_staff):
    proposal = journal_services.document_create(kind=DocumentKind.PROPOSAL, title="Đề án", drafted_on=D(2021, 1, 5))
    with pytest.raises(ValidationError) as info:
        services.plan_create(year=2021, title="Kế hoạch", document=proposal, by=training_staff)
    assert "document" in info.value.error_dict
    paper = journal_services.document_create(kind=DocumentKind.PLAN, title="Kế hoạch", drafted_on=D(2021, 1, 5))
    assert services.plan_create(year=2021, title="Kế hoạch", document=paper, by=training_staff).document == paper


def test_editing_a_plan_is_audited_and_an_issued_plan_keeps_its_number(plan, training_staff):
    services.plan_update(plan=plan, budget=250_000_000, by=training_staff)
    entry = AuditEntry.objects.get(action="training.plan.changed", object_id=str(plan.pk))
    assert entry.changes == {"budget": [210_000_000, 250_000_000]}
    with pytest.raises(ValidationError):
        services.plan_update(plan=plan, number="", by=training_staff)


def test_a_planned_course_month_lies_in_its_quarter(plan, training_staff):
    base = dict(
        plan=plan,
        topic="Tập huấn",
        target_group=TargetGroup.MEMBERS,
        participants=30,
        budget=0,
        budget_source=BudgetSource.CENTRAL,
        by=training_staff,
    )
    with pytest.raises(ValidationError) as info:
        services.planned_course_add(quarter=2, month=7, **base)
    assert "month" in info.value.error_dict
    with pytest.raises(ValidationError) as info:
        services.planned_course_add(quarter=5, **base)
    assert "quarter" in info.value.error_dict
    planned = services.planned_course_add(quarter=3, month=7, **base)
    with translation.override("vi"):
        assert planned.when == "Tháng 7/2021"
    with translation.override("en"):
        assert planned.when == "Month 7/2021"


@pytest.mark.parametrize(("field", "value"), [("participants", 0), ("budget", -5), ("topic", "  ")])
def test_a_planned_course_needs_learners_a_budget_and_a_topic(plan, training_staff, field, value):
    values = dict(
        topic="Tập huấn",
        target_group=TargetGroup.MEMBERS,
        quarter=3,
        participants=30,
        budget=1_000_000,
        budget_source=BudgetSource.CENTRAL,
    )
    values[field] = value
    with pytest.raises(ValidationError) as info:
        services.planned_course_add(plan=plan, by=training_staff, **values)
    assert field in info.value.error_dict


# ---------------------------------------------------------------- courses


def test_a_course_cannot_end_before_it_starts(training_staff):
    with pytest.raises(ValidationError) as info:
        new_course(training_staff, starts_on=D(2021, 6, 2), ends_on=D(2021, 6, 1))
    assert "ends_on" in info.value.error_dict
    assert new_course(training_staff, starts_on=D(2021, 6, 2), ends_on=D(2021, 6, 2)).days == 1


def test_a_course_budget_is_not_negative(training_staff):
    with pytest.raises(ValidationError) as info:
        new_course(training_staff, budget=-1)
    assert "budget" in info.value.error_dict


def test_a_course_is_marked_held_once_over_and_then_keeps_past_dates(training_staff):
    coming = new_course(training_staff, starts_on=timezone.localdate(), ends_on=TOMORROW)
    with pytest.raises(ValidationError):
        services.course_mark_held(course=coming, by=training_staff)
    course = services.course_mark_held(course=new_course(training_staff), by=training_staff)
    assert course.status == CourseStatus.HELD and audited("training.course.held", course)
    with pytest.raises(ValidationError) as info:
        services.course_update(course=course, ends_on=TOMORROW, by=training_staff)
    assert "ends_on" in info.value.error_dict
    with pytest.raises(ValidationError):
        services.course_cancel(course=course, reason="Nhầm", by=training_staff)


def test_a_cancelled_course_keeps_its_reason_and_takes_no_one(training_staff, org_tan_yen):
    course = new_course(training_staff)
    with pytest.raises(ValidationError):
        services.course_cancel(course=course, reason="  ", by=training_staff)
    course = services.course_cancel(course=course, reason="Dịch Covid-19", by=training_staff)
    assert course.status == CourseStatus.CANCELLED and course.cancel_reason == "Dịch Covid-19"
    with pytest.raises(ValidationError):
        services.participant_add(course=course, full_name="Nguyễn Văn An", organization=org_tan_yen)
    with pytest.raises(ValidationError):
        services.course_mark_held(course=course, by=training_staff)


def test_editing_a_course_is_audited_with_what_changed(course, training_staff):
    services.course_update(course=course, place="Hội trường Liên minh HTX tỉnh", by=training_staff)
    entry = AuditEntry.objects.get(action="training.course.changed", object_id=str(course.pk))
    assert entry.changes == {"place": ["Hội trường UBND huyện Tân Yên", "Hội trường Liên minh HTX tỉnh"]}


def test_shortening_a_course_below_the_days_attended_is_refused(course, training_staff):
    with pytest.raises(ValidationError):
        services.course_update(course=course, ends_on=D(2021, 4, 21), by=training_staff)


# ---------------------------------------------------------------- participants


def test_a_person_is_on_a_course_once_whatever_the_case_and_accents(course, org_tan_yen, org_hiep_hoa):
    with pytest.raises(ValidationError):
        services.participant_add(course=course, full_name="nguyen van an", organization=org_tan_yen)
    # The same name in another organisation is another person.
    assert services.participant_add(course=course, full_name="Nguyễn Văn An", organization=org_hiep_hoa)
    with pytest.raises(ValidationError):
        services.participant_add(
            course=course, full_name="Trần Quốc Hưng", organization_name="hoc vien nong nghiep viet nam"
        )


def test_a_participant_needs_a_name_and_a_unit(course):
    with pytest.raises(ValidationError) as info:
        services.participant_add(course=course, full_name="Lê Văn Hải")
    assert "organization" in info.value.error_dict
    with pytest.raises(ValidationError) as info:
        services.participant_add(course=course, full_name=" ", organization_name="UBND xã Quang Tiến")
    assert "full_name" in info.value.error_dict


def test_the_registers_name_wins_over_a_typed_one(course, org_hiep_hoa):
    person = services.participant_add(
        course=course, full_name="Lê Văn Hải", organization=org_hiep_hoa, organization_name="gõ nhầm"
    )
    assert person.organization_name == "" and person.unit == org_hiep_hoa.name


def test_an_archived_organisation_is_refused(course, org_hiep_hoa, admin):
    from hoptac.registry.services import organization_archive

    organization_archive(organization=org_hiep_hoa, by=admin, reason="Nhập trùng")
    with pytest.raises(ValidationError) as info:
        services.participant_add(course=course, full_name="Lê Văn Hải", organization=org_hiep_hoa)
    assert "organization" in info.value.error_dict


def test_archiving_needs_a_reason_and_frees_the_place_restore_checks_it_again(course, org_tan_yen, training_staff):
    person = course.participants.get(full_name="Nguyễn Văn An")
    with pytest.raises(ValidationError):
        services.participant_archive(participant=person, reason="", by=training_staff)
    services.participant_archive(participant=person, reason="Nhập nhầm lớp", by=training_staff)
    assert audited("training.participant.archived", person)
    assert not course.participants.current().filter(pk=person.pk).exists()
    with pytest.raises(ValidationError):
        services.participant_update(participant=person, position="Kế toán", by=training_staff)
    again = services.participant_add(course=course, full_name="Nguyễn Văn An", organization=org_tan_yen)
    with pytest.raises(ValidationError):
        services.participant_restore(participant=person, by=training_staff)
    services.participant_archive(participant=again, reason="Trùng", by=training_staff)
    services.participant_restore(participant=person, reason="Đúng lớp", by=training_staff)
    person.refresh_from_db()
    assert person.archived_on is None and audited("training.participant.restored", person)


def test_editing_a_participant_keeps_them_once_per_course(course, org_tan_yen, training_staff):
    absent = course.participants.get(full_name="Trần Thị Lan")
    with pytest.raises(ValidationError):
        services.participant_update(
            participant=absent, full_name="Nguyễn Văn An", organization=org_tan_yen, by=training_staff
        )
    services.participant_update(participant=absent, position="Kế toán trưởng", by=training_staff)
    assert AuditEntry.objects.get(action="training.participant.changed", object_id=str(absent.pk)).changes == {
        "position": ["Kế toán", "Kế toán trưởng"]
    }


# ---------------------------------------------------------------- attendance


def test_attendance_is_saved_for_the_whole_list_at_once(course, training_staff):
    people = {p.full_name: p.pk for p in course.participants.all()}
    changed = services.attendance_mark(
        course=course,
        attended={people["Trần Thị Lan"], people["Trần Quốc Hưng"]},
        days={people["Trần Thị Lan"]: 2},
        by=training_staff,
    )
    assert changed == 2  # An is now absent and without certificate; Lan came two days
    an, lan = Participant.objects.get(pk=people["Nguyễn Văn An"]), Participant.objects.get(pk=people["Trần Thị Lan"])
    assert (an.attended, an.days_attended, an.certificate) == (False, None, False)
    assert (lan.attended, lan.days_attended) == (True, 2)
    entry = AuditEntry.objects.filter(action="training.course.attendance_marked", object_id=str(course.pk)).first()
    assert f"Trần Thị Lan (#{lan.pk})" in entry.changes


@pytest.mark.parametrize(
    "marks",
    [
        {"attended": "lan", "days": {"lan": 4}},  # the course has three days
        {"attended": "", "days": {"lan": 1}},  # days without attendance
        {"attended": "", "certificates": "lan"},  # a certificate without attendance
        {"attended": "stranger"},
    ],
)
def test_attendance_that_does_not_add_up_is_refused_and_nothing_changes(course, other_course, training_staff, marks):
    lan = course.participants.get(full_name="Trần Thị Lan")
    stranger = services.participant_add(course=other_course, full_name="Lê Văn Hải", organization_name="UBND xã")
    ids = {"lan": lan.pk, "stranger": stranger.pk, "": None}
    before = list(course.participants.values_list("attended", "days_attended", "certificate"))
    with pytest.raises(ValidationError):
        services.attendance_mark(
            course=course,
            attended={ids[marks["attended"]]} - {None},
            certificates={ids[k] for k in [marks.get("certificates", "")] if k},
            days={ids[k]: v for k, v in marks.get("days", {}).items()},
            by=training_staff,
        )
    assert list(course.participants.values_list("attended", "days_attended", "certificate")) == before


def test_attendance_waits_for_the_course_to_start(training_staff):
    coming = new_course(training_staff, starts_on=TOMORROW, ends_on=TOMORROW)
    person = services.participant_add(course=coming, full_name="Lê Văn Hải", organization_name="UBND xã")
    with pytest.raises(ValidationError):
        services.attendance_mark(course=coming, attended={person.pk}, by=training_staff)


# ---------------------------------------------------------------- permissions


def test_only_administrators_and_the_training_department_write(awards_staff, staff, admin, course):
    for user in (awards_staff, staff):
        with pytest.raises(PermissionDenied):
            new_course(user)
        with pytest.raises(PermissionDenied):
            services.participant_add(course=course, full_name="Lê Văn Hải", organization_name="UBND xã", by=user)
    assert new_course(admin).created_by == admin
