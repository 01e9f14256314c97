"""Training pages: who may read and write, the forms, the lists and their query counts, exports."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hoptac.core.models import AuditEntry
from hoptac.training import services
from hoptac.training.models import BudgetSource, Course, CourseStatus, Participant, Plan, PlanStatus, TargetGroup

pytestmark = pytest.mark.django_db
D = datetime.date

COURSE_FORM = {
    "topic": "Tập huấn nghiệp vụ kế toán HTX",
    "starts_on": "18/05/2021",
    "ends_on": "19/05/2021",
    "place": "Trung tâm Hội nghị tỉnh Bắc Giang",
    "trainers": "ThS. Lê Thị Thu Hà",
    "target_group": "accountants",
    "budget": "84.000.000",
    "budget_source": "province",
}


def as_user(client, user):
    client.force_login(user)
    return client


def read_pages(course, plan):
    return [
        reverse("training:index"),
        reverse("training:courses"),
        reverse("training:course", args=[course.pk]),
        reverse("training:plans"),
        reverse("training:plan", args=[plan.pk]),
    ]


def write_pages(course, plan):
    person = course.participants.first()
    return [
        reverse("training:course_create"),
        reverse("training:course_edit", args=[course.pk]),
        reverse("training:course_cancel", args=[course.pk]),
        reverse("training:plan_create"),
        reverse("training:plan_edit", args=[plan.pk]),
        reverse("training:planned_add", args=[plan.pk]),
        reverse("training:import", args=[course.pk]),
        reverse("training:import_template", args=[course.pk]),
        reverse("training:participant_edit", args=[person.pk]),
        reverse("training:participant_archive", args=[person.pk]),
    ]


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("training:index"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_staff_of_other_departments_read_everything_and_write_nothing(client, awards_staff, course, plan):
    client = as_user(client, awards_staff)
    for url in read_pages(course, plan):
        assert client.get(url).status_code == 200, url
    for url in write_pages(course, plan):
        assert client.get(url).status_code == 403, url


def test_the_training_officer_opens_every_page(client, training_staff, course, plan):
    client = as_user(client, training_staff)
    for url in read_pages(course, plan) + write_pages(course, plan):
        assert client.get(url).status_code == 200, url


def test_an_awards_officer_cannot_create_a_course(client, awards_staff):
    response = as_user(client, awards_staff).post(reverse("training:course_create"), COURSE_FORM)
    assert response.status_code == 403 and not Course.objects.exists()


def test_an_awards_officer_cannot_add_participants_or_mark_attendance(client, awards_staff, course, org_tan_yen):
    client = as_user(client, awards_staff)
    before = list(Participant.objects.values_list("pk", "attended"))
    add = client.post(
        reverse("training:participant_add", args=[course.pk]), {"full_name": "Ai", "organization_name": "X"}
    )
    mark = client.post(reverse("training:attendance", args=[course.pk]), {"attended": []})
    held = client.post(reverse("training:course_held", args=[course.pk]))
    assert (add.status_code, mark.status_code, held.status_code) == (403, 403, 403)
    assert list(Participant.objects.values_list("pk", "attended")) == before


def test_the_training_officer_records_a_course_from_the_plan(client, training_staff, plan):
    accountants = plan.planned_courses.get(target_group=TargetGroup.ACCOUNTANTS)
    client = as_user(client, training_staff)
    page = client.get(reverse("training:course_create"), {"planned": accountants.pk})
    assert page.context["form"].initial["topic"] == accountants.topic
    response = client.post(reverse("training:course_create"), {**COURSE_FORM, "planned": accountants.pk})
    course = Course.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("training:course", args=[course.pk])
    assert course.budget == 84_000_000 and course.planned == accountants and course.starts_on == D(2021, 5, 18)
    assert course.created_by == training_staff


def test_a_course_ending_before_it_starts_is_refused_on_the_form(client, training_staff):
    response = as_user(client, training_staff).post(
        reverse("training:course_create"), {**COURSE_FORM, "starts_on": "19/05/2021", "ends_on": "18/05/2021"}
    )
    assert response.status_code == 200 and response.context["form"].errors["ends_on"]
    assert not Course.objects.exists()


@pytest.mark.parametrize("budget", ["-5", "1,5", "abc"])
def test_a_budget_that_is_not_whole_dong_is_refused(client, training_staff, budget):
    response = as_user(client, training_staff).post(
        reverse("training:course_create"), {**COURSE_FORM, "budget": budget}
    )
    assert response.context["form"].errors["budget"] and not Course.objects.exists()


def test_editing_a_course(client, training_staff, other_course):
    client = as_user(client, training_staff)
    # The amount is shown as people write it, and read back the same way.
    edit = client.get(reverse("training:course_edit", args=[other_course.pk]))
    assert edit.context["form"]["budget"].value() == "84.000.000"
    response = client.post(
        reverse("training:course_edit", args=[other_course.pk]), {**COURSE_FORM, "place": "Hội trường mới"}
    )
    other_course.refresh_from_db()
    assert response.status_code == 302 and other_course.place == "Hội trường mới"


def test_plan_created_issued_and_planned_courses_added_from_the_pages(client, training_staff):
    client = as_user(client, training_staff)
    client.post(
        reverse("training:plan_create"),
        {"year": 2021, "title": "Kế hoạch bồi dưỡng, tập huấn năm 2021", "budget": "550.000.000"},
    )
    plan = Plan.objects.get()
    assert plan.budget == 550_000_000 and plan.status == PlanStatus.DRAFT
    response = client.post(
        reverse("training:planned_add", args=[plan.pk]),
        {
            "topic": "Bồi dưỡng kiến thức quản lý HTX",
            "target_group": "managers",
            "quarter": "2",
            "month": "4",
            "participants": "40",
            "budget": "120.000.000",
            "budget_source": "province",
        },
    )
    assert response.status_code == 302 and plan.planned_courses.get().budget == 120_000_000
    bad = client.post(
        reverse("training:plan_issue", args=[plan.pk]), {"number": "05/KH-LMHTX", "issued_on": "01/01/2099"}
    )
    assert bad.status_code == 400 and bad.context["issue_form"].errors["issued_on"]
    client.post(reverse("training:plan_issue", args=[plan.pk]), {"number": "05/KH-LMHTX", "issued_on": "15/01/2021"})
    plan.refresh_from_db()
    assert plan.is_issued and plan.issued_on == D(2021, 1, 15)


def test_a_month_outside_its_quarter_shows_the_error(client, training_staff, plan):
    response = as_user(client, training_staff).post(
        reverse("training:planned_add", args=[plan.pk]),
        {
            "topic": "X",
            "target_group": "members",
            "quarter": "1",
            "month": "5",
            "participants": "10",
            "budget": "0",
            "budget_source": "partner",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["month"]


def test_course_list_filters(client, staff, course, other_course):
    client = as_user(client, staff)

    def listed(**params):
        return list(client.get(reverse("training:courses"), params).context["page_obj"].object_list)

    assert listed() == [other_course, course]
    assert listed(year=2021, status="held") == [course]
    assert listed(target_group="accountants") == [other_course]
    assert listed(year=2020) == []


def test_course_list_takes_the_same_queries_for_many_courses(
    client, staff, training_staff, org_tan_yen, django_assert_max_num_queries
):
    def add_courses(n: int) -> None:
        for i in range(n):
            course = services.course_create(
                topic=f"Lớp {i}",
                starts_on=D(2021, 6, 1),
                ends_on=D(2021, 6, 1),
                place="Hội trường",
                target_group=TargetGroup.MEMBERS,
                budget=1_000_000,
                budget_source=BudgetSource.PARTNER,
                by=training_staff,
            )
            services.participant_add(course=course, full_name="Nguyễn Văn An", organization=org_tan_yen)

    client = as_user(client, staff)
    add_courses(2)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("training:courses"))
    add_courses(8)
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("training:courses"))
    assert len(response.context["page_obj"].object_list) == 10


def test_area_officer_gets_404_for_a_course_outside_their_area(
    client, officer, course, other_course, org_hiep_hoa, training_staff
):
    services.participant_add(course=other_course, full_name="Lê Văn Hải", organization=org_hiep_hoa)
    client = as_user(client, officer)
    assert client.get(reverse("training:course", args=[other_course.pk])).status_code == 404
    page = client.get(reverse("training:course", args=[course.pk]))
    assert page.status_code == 200
    assert [p.full_name for p in page.context["participants"]] == ["Nguyễn Văn An"]
    assert client.get(reverse("training:plans")).status_code == 403


def test_cooperative_reads_its_course_and_not_the_plans(client, coop_user, course, plan):
    client = as_user(client, coop_user)
    assert client.get(reverse("training:course", args=[course.pk])).status_code == 200
    assert client.get(reverse("training:plan", args=[plan.pk])).status_code == 403
    assert list(client.get(reverse("training:courses")).context["page_obj"].object_list) == [course]


def test_participant_added_on_the_course_page_and_a_duplicate_refused(
    client, training_staff, other_course, org_tan_yen
):
    client = as_user(client, training_staff)
    url = reverse("training:participant_add", args=[other_course.pk])
    data = {"full_name": "Nguyễn Văn An", "position": "Giám đốc", "organization": org_tan_yen.pk, "role": "learner"}
    assert client.post(url, data).status_code == 302
    again = client.post(url, {**data, "full_name": "nguyễn văn an"})
    assert again.status_code == 400 and again.context["participant_form"].non_field_errors()
    official = client.post(
        url, {"full_name": "Hà Thị Mai", "organization_name": "UBND xã Quang Tiến", "role": "learner"}
    )
    assert official.status_code == 302
    assert sorted(other_course.participants.values_list("full_name", flat=True)) == ["Hà Thị Mai", "Nguyễn Văn An"]


def test_attendance_ticks_are_saved_in_one_post(client, training_staff, course):
    people = {p.full_name: p.pk for p in course.participants.all()}
    response = as_user(client, training_staff).post(
        reverse("training:attendance", args=[course.pk]),
        {
            "attended": [people["Trần Thị Lan"], people["Nguyễn Văn An"]],
            "certificate": [people["Trần Thị Lan"]],
            f"days_{people['Trần Thị Lan']}": "3",
            f"days_{people['Nguyễn Văn An']}": "",
        },
    )
    assert response.status_code == 302
    rows = {p.full_name: (p.attended, p.days_attended, p.certificate) for p in course.participants.all()}
    assert rows == {
        "Nguyễn Văn An": (True, None, False),
        "Trần Thị Lan": (True, 3, True),
        "Trần Quốc Hưng": (False, None, False),
    }


def test_attendance_errors_are_shown_and_nothing_changes(client, training_staff, course):
    lan = course.participants.get(full_name="Trần Thị Lan")
    before = list(Participant.objects.values_list("attended", "days_attended", "certificate"))
    client = as_user(client, training_staff)
    response = client.post(
        reverse("training:attendance", args=[course.pk]), {f"days_{lan.pk}": "9", "attended": [lan.pk]}
    )
    assert response.status_code == 400 and response.context["attendance_errors"]
    response = client.post(reverse("training:attendance", args=[course.pk]), {f"days_{lan.pk}": "hai"})
    assert response.status_code == 400
    assert list(Participant.objects.values_list("attended", "days_attended", "certificate")) == before


def test_participant_archived_with_a_reason_then_restored(client, training_staff, course):
    person = course.participants.get(full_name="Trần Thị Lan")
    client = as_user(client, training_staff)
    refused = client.post(reverse("training:participant_archive", args=[person.pk]), {"reason": ""})
    assert refused.status_code == 200 and refused.context["form"].errors
    client.post(reverse("training:participant_archive", args=[person.pk]), {"reason": "Nhập nhầm lớp"})
    person.refresh_from_db()
    assert person.archived_reason == "Nhập nhầm lớp"
    page = client.get(reverse("training:course", args=[course.pk]))
    assert person not in page.context["participants"] and person in page.context["archived"]
    client.post(reverse("training:participant_restore", args=[person.pk]), {"reason": ""})
    person.refresh_from_db()
    assert person.archived_on is None


def test_participant_edited(client, training_staff, course):
    person = course.participants.get(full_name="Trần Thị Lan")
    response = as_user(client, training_staff).post(
        reverse("training:participant_edit", args=[person.pk]),
        {
            "full_name": "Trần Thị Lan",
            "organization": person.organization_id,
            "position": "Kế toán trưởng",
            "role": "learner",
        },
    )
    person.refresh_from_db()
    assert response.status_code == 302 and person.position == "Kế toán trưởng"


def test_course_held_then_a_held_course_cannot_be_cancelled(client, training_staff, other_course):
    client = as_user(client, training_staff)
    client.post(reverse("training:course_held", args=[other_course.pk]))
    other_course.refresh_from_db()
    assert other_course.status == CourseStatus.HELD
    response = client.post(reverse("training:course_cancel", args=[other_course.pk]), {"reason": "Nhầm"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()


def test_course_cancelled_with_its_reason(client, training_staff, other_course):
    as_user(client, training_staff).post(
        reverse("training:course_cancel", args=[other_course.pk]), {"reason": "Dịch bệnh"}
    )
    other_course.refresh_from_db()
    assert other_course.status == CourseStatus.CANCELLED and other_course.cancel_reason == "Dịch bệnh"
    assert AuditEntry.objects.filter(action="training.course.cancelled", object_id=str(other_course.pk)).exists()


def test_index_follows_the_latest_plan_and_lists_courses(client, staff, plan, course, other_course):
    response = as_user(client, staff).get(reverse("training:index"))
    assert response.context["plan"] == plan and response.context["progress"].courses_held == 1
    assert response.context["recent"] == [course]
    assert as_user(client, staff).get(reverse("training:index"), {"year": 2030}).context["plan"] is None


def test_sign_in_sheet_export(client, staff, course, training_staff):
    services.participant_archive(
        participant=course.participants.get(full_name="Trần Thị Lan"), reason="Nhập nhầm", by=training_staff
    )
    response = as_user(client, staff).get(reverse("training:course_export", args=[course.pk]))
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["B2"].value is None and "DANH SÁCH" in ws["A2"].value and ws["A3"].value == course.topic
    assert [c.value for c in ws[6]] == ["STT", "Họ và tên", "Đơn vị", "Chức vụ", "Ký tên"]
    rows = [r for r in ws.iter_rows(min_row=7, max_row=8, values_only=True)]
    assert rows == [
        (1, "Nguyễn Văn An", course.participants.get(full_name="Nguyễn Văn An").unit, "Giám đốc", None),
        (2, "Trần Quốc Hưng", "Học viện Nông nghiệp Việt Nam", None, None),
    ]
    assert ws.cell(row=10, column=1).value == "Tổng số: 2 người."
    assert ws.print_title_rows == "$6:$6"  # the header repeats on every printed page


def test_area_officer_exports_only_the_people_they_see(client, officer, course):
    ws = load_workbook(
        io.BytesIO(as_user(client, officer).get(reverse("training:course_export", args=[course.pk])).content)
    ).active
    assert [r[1] for r in ws.iter_rows(min_row=7, values_only=True) if isinstance(r[0], int)] == ["Nguyễn Văn An"]


def test_plan_export_is_planned_against_done(client, staff, plan, course):
    response = as_user(client, staff).get(reverse("training:plan_export", args=[plan.pk]))
    ws = load_workbook(io.BytesIO(response.content)).active
    assert "NĂM 2021" in ws["A2"].value
    header = [c.value for c in ws[5]]
    assert header[:2] == ["STT", "Nội dung bồi dưỡng, tập huấn"]
    body = [r for r in ws.iter_rows(min_row=6, values_only=True)]
    assert [r[1] for r in body] == ["Bồi dưỡng kiến thức quản lý HTX", "Tập huấn nghiệp vụ kế toán HTX", "Tổng cộng"]
    assert body[0][2:] == ("Cán bộ quản lý HTX", "Tháng 4/2021", 40, 1, 1, 120_000_000, 112_500_000, "Ngân sách tỉnh")
    assert body[1][3] == "Quý II/2021"
    assert body[2][4:9] == (75, 1, 1, 210_000_000, 112_500_000)


def test_the_organisation_page_lists_its_training(client, staff, course, org_tan_yen):
    page = as_user(client, staff).get(reverse("registry:detail", args=[org_tan_yen.pk])).content.decode()
    assert 'id="org-training"' in page and course.topic in page and "Nguyễn Văn An" in page
    assert reverse("training:course", args=[course.pk]) in page
