"""Value-chain pages: who reads and writes, scoring on one form, selection, plans, lists and exports."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from conftest import make_org
from hoptac.valuechain import services
from hoptac.valuechain.models import (
    Answer,
    Criterion,
    PlanActivity,
    PlanProduct,
    Programme,
    Selection,
    SupportPlan,
    Survey,
    SurveyStatus,
)

from .conftest import criteria, score

pytestmark = pytest.mark.django_db
D = datetime.date

READ_PAGES = ["valuechain:index", "valuechain:programmes", "valuechain:surveys", "valuechain:plans"]


def as_user(client, user):
    client.force_login(user)
    return client


def url(name, *args):
    return reverse(f"valuechain:{name}", args=args)


def write_urls(programme, survey, plan):
    activity = services.activity_add(plan=plan, description="Tập huấn", planned_on=D(2021, 5, 1), by=None)
    product = services.product_add(plan=plan, name="Gạo", by=None)
    criterion = criteria(programme)[0]
    return [
        url("programme_create"),
        url("programme_edit", programme.pk),
        url("programme_archive", programme.pk),
        url("criterion_create", programme.pk),
        url("criterion_edit", criterion.pk),
        url("criterion_archive", criterion.pk),
        url("survey_create", programme.pk),
        url("survey_edit", survey.pk),
        url("survey_answers", survey.pk),
        url("survey_reopen", survey.pk),
        url("survey_archive", survey.pk),
        url("selection", programme.pk),
        url("plan_create", plan.selection_id),
        url("plan_edit", plan.pk),
        url("plan_archive", plan.pk),
        url("activity_create", plan.pk),
        url("activity_edit", activity.pk),
        url("activity_archive", activity.pk),
        url("product_create", plan.pk),
        url("product_edit", product.pk),
        url("product_archive", product.pk),
    ]


# ---------------------------------------------------------------- access


def test_anonymous_is_sent_to_login(client):
    response = client.get(url("index"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("name", READ_PAGES)
def test_staff_of_other_departments_read_the_lists(client, training_staff, plan, name):
    assert as_user(client, training_staff).get(reverse(name)).status_code == 200


def test_staff_of_other_departments_read_every_record(client, office_staff, plan):
    client = as_user(client, office_staff)
    survey = plan.selection.survey
    for target in (url("programme", survey.programme_id), url("survey", survey.pk), url("plan", plan.pk)):
        response = client.get(target)
        assert response.status_code == 200
        assert 'id="record-scores"' not in response.content.decode()


def test_every_write_page_is_403_for_other_departments(client, training_staff, office_staff, plan):
    programme = plan.selection.survey.programme
    targets = write_urls(programme, plan.selection.survey, plan)
    for user in (training_staff, office_staff):
        client = as_user(client, user)
        for target in targets:
            assert client.get(target).status_code == 403, target
            assert client.post(target, {"reason": "x", "name": "x"}).status_code == 403, target


def test_every_write_page_opens_for_the_value_chain_officer(client, vc_staff, plan):
    programme = plan.selection.survey.programme
    client = as_user(client, vc_staff)
    for target in write_urls(programme, plan.selection.survey, plan):
        assert client.get(target).status_code == 200, target


@pytest.mark.parametrize(
    "name,data",
    [
        ("programme_status", {"status": "closed"}),
        ("survey_start", {"on": "01/03/2021"}),
        ("survey_done", {"done_on": "05/03/2021"}),
        ("plan_status", {"status": "approved", "on": "01/04/2021"}),
    ],
)
def test_status_changes_are_403_for_other_departments(client, training_staff, plan, name, data):
    survey = plan.selection.survey
    pk = {"programme_status": survey.programme_id, "plan_status": plan.pk}.get(name, survey.pk)
    assert as_user(client, training_staff).post(url(name, pk), data).status_code == 403


def test_other_department_cannot_create_a_programme(client, training_staff):
    response = as_user(client, training_staff).post(url("programme_create"), {"name": "Chuỗi", "year_from": 2021})
    assert response.status_code == 403 and not Programme.objects.exists()


def test_area_officer_sees_their_areas_survey_and_not_another(client, officer, survey_ty, survey_hh):
    client = as_user(client, officer)
    assert client.get(url("survey", survey_ty.pk)).status_code == 200
    assert client.get(url("survey", survey_hh.pk)).status_code == 404
    assert client.get(url("survey_export", survey_hh.pk)).status_code == 404
    page = client.get(url("programme", survey_ty.programme_id))
    assert [c.survey for c in page.context["ranking"]] == [survey_ty]
    assert client.get(url("surveys")).context["page_obj"].paginator.count == 1


def test_area_officer_cannot_write(client, officer, survey_ty):
    assert as_user(client, officer).get(url("survey_answers", survey_ty.pk)).status_code == 403


def test_a_programme_without_the_officers_organisations_is_404(client, officer, programme, survey_hh):
    assert as_user(client, officer).get(url("programme", programme.pk)).status_code == 404


def test_cooperative_account_sees_its_own_plan_only(client, coop_user, plan, vc_staff, org_hiep_hoa):
    other_selection = Selection.objects.get(survey__organization=org_hiep_hoa)
    other = services.plan_create(selection=other_selection, title="Khác", starts_on=D(2021, 4, 1), by=vc_staff)
    client = as_user(client, coop_user)
    assert client.get(url("plan", plan.pk)).status_code == 200
    assert client.get(url("plan", other.pk)).status_code == 404
    assert [p.pk for p in client.get(url("plans")).context["page_obj"].object_list] == [plan.pk]


# ---------------------------------------------------------------- programmes and criteria


def test_officer_prepares_a_programme_with_criteria_and_opens_it(client, vc_staff):
    client = as_user(client, vc_staff)
    response = client.post(
        url("programme_create"),
        {"name": "Hỗ trợ xây dựng chuỗi giá trị năm 2022", "year_from": 2022, "budget": "1.200.000.000"},
    )
    programme = Programme.objects.get()
    assert response.status_code == 302 and programme.budget == 1_200_000_000
    response = client.post(
        url("criterion_create", programme.pk),
        {"order": 1, "text": "Có vốn đối ứng 20%", "max_score": 10, "required": "on", "another": "1"},
    )
    assert response["Location"] == url("criterion_create", programme.pk)
    client.post(url("criterion_create", programme.pk), {"order": 2, "text": "Quy mô", "max_score": 20, "weight": 2})
    assert [(c.required, c.pass_score, c.weight) for c in criteria(programme)] == [(True, 10, 1), (False, None, 2)]
    client.post(url("programme_status", programme.pk), {"status": "survey"})
    programme.refresh_from_db()
    assert programme.status == "survey"
    page = client.get(url("programme", programme.pk)).content.decode()
    assert "Có vốn đối ứng 20%" in page and 'id="candidate-new"' in page


def test_a_bad_criterion_shows_the_message_and_saves_nothing(client, vc_staff, programme):
    response = as_user(client, vc_staff).post(
        url("criterion_create", programme.pk),
        {"text": "Vốn", "max_score": 5, "required": "on", "pass_score": 7},
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert Criterion.objects.filter(text="Vốn").count() == 0


def test_a_status_change_refused_is_explained(client, vc_staff, programme):
    response = as_user(client, vc_staff).post(url("programme_status", programme.pk), {"status": "closed"}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert messages and Programme.objects.get().status == "survey"


def test_programme_archive_and_restore(client, vc_staff, programme):
    client = as_user(client, vc_staff)
    assert client.post(url("programme_archive", programme.pk), {"reason": ""}).status_code == 200
    client.post(url("programme_archive", programme.pk), {"reason": "Nhập trùng"})
    assert Programme.objects.get().archived_on
    assert client.get(url("programmes")).context["page_obj"].paginator.count == 0
    assert client.get(url("programmes"), {"archived": "on"}).context["page_obj"].paginator.count == 1
    client.post(url("programme_restore", programme.pk), {"reason": "Nhầm"})
    assert Programme.objects.get().archived_on is None


def test_programme_list_filters(client, staff, programme, vc_staff):
    services.programme_create(name="Chuỗi 2022", year_from=2022, by=vc_staff)
    client = as_user(client, staff)

    def names(**params):
        return [p.name for p in client.get(url("programmes"), params).context["page_obj"].object_list]

    assert names() == ["Chuỗi 2022", programme.name]
    assert names(year=2021) == [programme.name]
    assert names(status="draft") == ["Chuỗi 2022"]


# ---------------------------------------------------------------- surveys and scores


def test_officer_adds_a_candidate_picked_from_the_register(client, vc_staff, programme, org_tan_yen, commune_tan_yen):
    group = make_org(commune_tan_yen, kind="THT", name="Tổ hợp tác rau Quang Tiến")
    client = as_user(client, vc_staff)
    form = client.get(url("survey_create", programme.pk)).context["form"]
    choices = list(form.fields["organization"].queryset)
    assert org_tan_yen in choices and group not in choices
    response = client.post(
        url("survey_create", programme.pk),
        {"organization": org_tan_yen.pk, "surveyed_on": "01/03/2021", "status": "under_way", "surveyors": "Minh"},
    )
    survey = Survey.objects.get()
    assert response["Location"] == url("survey", survey.pk)
    assert (survey.organization, survey.surveyed_on, survey.status) == (org_tan_yen, D(2021, 3, 1), "under_way")
    # Already a candidate: no longer offered.
    assert (
        org_tan_yen
        not in client.get(url("survey_create", programme.pk)).context["form"].fields["organization"].queryset
    )


def test_scores_are_recorded_on_one_form(client, vc_staff, survey_ty):
    first, second, third = criteria(survey_ty.programme)
    client = as_user(client, vc_staff)
    page = client.get(url("survey_answers", survey_ty.pk)).content.decode()
    assert all(f'name="score_{c.pk}"' in page for c in (first, second, third))
    response = client.post(
        url("survey_answers", survey_ty.pk),
        {
            f"score_{first.pk}": "8",
            f"text_{first.pk}": "Đăng ký lại năm 2014",
            f"score_{second.pk}": "15",
            f"score_{third.pk}": "40",
        },
    )
    assert response.status_code == 302
    assert sorted(Answer.objects.values_list("score", flat=True)) == [8, 15, 40]
    detail = client.get(url("survey", survey_ty.pk))
    assert detail.context["survey"].total_score == 78 and "Đăng ký lại năm 2014" in detail.content.decode()


def test_a_score_above_the_maximum_is_shown_on_its_row_and_nothing_saved(client, vc_staff, survey_ty):
    first, second, _ = criteria(survey_ty.programme)
    response = as_user(client, vc_staff).post(
        url("survey_answers", survey_ty.pk), {f"score_{first.pk}": "11", f"score_{second.pk}": "15"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors[f"score_{first.pk}"]
    assert "0" in str(response.context["form"].errors[f"score_{first.pk}"])
    assert not Answer.objects.exists()


def test_marking_done_needs_every_score(client, vc_staff, survey_ty):
    client = as_user(client, vc_staff)
    score(survey_ty, 8, by=vc_staff)
    response = client.post(url("survey_done", survey_ty.pk), {"done_on": "05/03/2021"}, follow=True)
    assert [str(m) for m in response.context["messages"]] and Survey.objects.get().status == "under_way"
    score(survey_ty, 8, 15, 40, by=vc_staff)
    client.post(url("survey_done", survey_ty.pk), {"done_on": "05/03/2021"})
    assert Survey.objects.get().status == SurveyStatus.DONE


def test_a_planned_survey_is_started(client, vc_staff, programme, org_tan_yen):
    survey = services.survey_create(
        programme=programme, organization=org_tan_yen, surveyed_on=D(2021, 3, 9), by=vc_staff
    )
    as_user(client, vc_staff).post(url("survey_start", survey.pk), {"on": "10/03/2021"})
    survey.refresh_from_db()
    assert (survey.status, survey.surveyed_on) == ("under_way", D(2021, 3, 10))


def test_a_done_survey_is_reopened_with_a_reason(client, vc_staff, done_pair):
    survey_ty, _ = done_pair
    client = as_user(client, vc_staff)
    client.post(url("survey_reopen", survey_ty.pk), {"reason": "Sai điểm"})
    survey_ty.refresh_from_db()
    assert survey_ty.status == "under_way"


def test_survey_list_filters_and_search(client, staff, survey_ty, survey_hh, vc_staff):
    score(survey_ty, 8, 15, 40, by=vc_staff)
    services.survey_mark_done(survey=survey_ty, done_on=D(2021, 3, 5), by=vc_staff)
    client = as_user(client, staff)

    def found(**params):
        return [s.pk for s in client.get(url("surveys"), params).context["page_obj"].object_list]

    assert set(found()) == {survey_ty.pk, survey_hh.pk}
    assert found(status="done") == [survey_ty.pk]
    assert found(q="thanh van") == [survey_hh.pk]  # no diacritics, any case
    assert found(programme=survey_ty.programme_id, status="under_way") == [survey_hh.pk]


# ---------------------------------------------------------------- selection and plans


def test_the_selection_page_ticks_candidates_and_gives_reasons(client, vc_staff, programme, done_pair):
    survey_ty, survey_hh = done_pair
    client = as_user(client, vc_staff)
    # Not selected without a reason: refused, nothing written.
    response = client.post(
        url("selection", programme.pk),
        {"decided_on": "20/03/2021", f"selected_{survey_hh.pk}": "on", f"reason_{survey_ty.pk}": ""},
    )
    assert response.status_code == 400 and response.context["form"].non_field_errors()
    assert not Selection.objects.exists()
    response = client.post(
        url("selection", programme.pk),
        {
            "decided_on": "20/03/2021",
            "decision_number": "12/QĐ-LMHTX",
            f"selected_{survey_hh.pk}": "on",
            f"reason_{survey_ty.pk}": "Điểm thấp hơn",
        },
    )
    assert response.status_code == 302
    decided = {s.survey_id: s.selected for s in Selection.objects.all()}
    assert decided == {survey_hh.pk: True, survey_ty.pk: False}
    page = client.get(url("programme", programme.pk)).content.decode()
    assert "Điểm thấp hơn" in page and url("plan_create", Selection.objects.get(selected=True).pk) in page


def test_a_candidate_still_surveyed_is_not_offered_for_selection(client, vc_staff, programme, survey_ty, survey_hh):
    score(survey_ty, 8, 15, 40, by=vc_staff)
    services.survey_mark_done(survey=survey_ty, done_on=D(2021, 3, 5), by=vc_staff)
    response = as_user(client, vc_staff).get(url("selection", programme.pk))
    assert [c.survey for c, _, _ in response.context["form"].rows()] == [survey_ty]
    assert [c.survey for c in response.context["pending"]] == [survey_hh]


def test_officer_builds_a_plan_with_activities_and_products(client, vc_staff, selected):
    client = as_user(client, vc_staff)
    response = client.post(
        url("plan_create", selected.pk),
        {"title": "Kế hoạch hỗ trợ chuỗi lúa gạo", "starts_on": "01/04/2021", "ends_on": "31/12/2021"},
    )
    plan = SupportPlan.objects.get()
    assert response["Location"] == url("plan", plan.pk)
    client.post(
        url("activity_create", plan.pk),
        {
            "description": "Tập huấn VietGAP",
            "planned_on": "15/05/2021",
            "budget": "45.000.000",
            "budget_source": "province",
            "partner": "Trung tâm Khuyến nông",
        },
    )
    activity = PlanActivity.objects.get()
    assert activity.budget == 45_000_000
    client.post(url("product_create", plan.pk), {"name": "Gạo Quang Tiến", "ocop_stars": "3", "certification": ""})
    assert PlanProduct.objects.get().ocop_stars == 3
    client.post(url("plan_status", plan.pk), {"status": "approved", "on": "28/03/2021"})
    client.post(url("plan_status", plan.pk), {"status": "in_progress", "on": "01/04/2021"})
    client.post(url("activity_status", activity.pk), {"status": "done", "on": "20/05/2021"})
    activity.refresh_from_db()
    plan.refresh_from_db()
    assert plan.status == "in_progress" and activity.done_on == D(2021, 5, 20)
    page = client.get(url("plan", plan.pk))
    assert page.context["budget"] == 45_000_000 and "45.000.000đ" in page.content.decode()


def test_a_negative_activity_budget_is_refused_on_the_form(client, vc_staff, plan):
    response = as_user(client, vc_staff).post(
        url("activity_create", plan.pk), {"description": "Tập huấn", "planned_on": "15/05/2021", "budget": "-5"}
    )
    assert response.status_code == 200 and response.context["form"].errors["budget"]
    assert not PlanActivity.objects.exists()


def test_plan_archive_and_restore(client, vc_staff, plan):
    client = as_user(client, vc_staff)
    client.post(url("plan_archive", plan.pk), {"reason": "Lập trùng"})
    assert client.get(url("plans")).context["page_obj"].paginator.count == 0
    client.post(url("plan_restore", plan.pk), {"reason": "Nhầm"})
    assert client.get(url("plans")).context["page_obj"].paginator.count == 1


# ---------------------------------------------------------------- lists take a fixed number of queries


def _candidates(programme, commune, n, start, by):
    for i in range(start, start + n):
        org = make_org(commune, name=f"HTX Thử nghiệm số {i}")
        survey = services.survey_create(
            programme=programme, organization=org, surveyed_on=D(2021, 3, 1), status="under_way", by=by
        )
        score(survey, 5, 10, 20, by=by)
        services.survey_mark_done(survey=survey, done_on=D(2021, 3, 5), by=by)


def _same_queries(client, target, grow, django_assert_max_num_queries, count_of):
    with CaptureQueriesContext(connection) as few:
        assert client.get(target).status_code == 200
    grow()
    with django_assert_max_num_queries(len(few)):
        response = client.get(target)
    assert count_of(response) >= 12


def test_survey_list_takes_the_same_queries_for_2_or_12_surveys(
    client, staff, programme, commune_tan_yen, vc_staff, django_assert_max_num_queries
):
    _candidates(programme, commune_tan_yen, 2, 0, vc_staff)
    _same_queries(
        as_user(client, staff),
        url("surveys"),
        lambda: _candidates(programme, commune_tan_yen, 10, 2, vc_staff),
        django_assert_max_num_queries,
        lambda r: len(r.context["page_obj"].object_list),
    )


def test_programme_list_takes_the_same_queries_for_2_or_12_programmes(
    client, staff, vc_staff, django_assert_max_num_queries
):
    def make(start, n):
        for i in range(start, start + n):
            services.programme_create(name=f"Chuỗi {i}", year_from=2010 + i, by=vc_staff)

    make(0, 2)
    _same_queries(
        as_user(client, staff),
        url("programmes"),
        lambda: make(2, 10),
        django_assert_max_num_queries,
        lambda r: len(r.context["page_obj"].object_list),
    )


def test_plan_list_takes_the_same_queries_for_2_or_12_plans(
    client, staff, selected, vc_staff, django_assert_max_num_queries
):
    def make(start, n):
        for i in range(start, start + n):
            plan = services.plan_create(selection=selected, title=f"Kế hoạch {i}", starts_on=D(2021, 4, 1), by=vc_staff)
            services.activity_add(plan=plan, description="Tập huấn", planned_on=D(2021, 5, 1), budget=1000, by=vc_staff)

    make(0, 2)
    _same_queries(
        as_user(client, staff),
        url("plans"),
        lambda: make(2, 10),
        django_assert_max_num_queries,
        lambda r: len(r.context["page_obj"].object_list),
    )


def test_programme_page_takes_the_same_queries_for_2_or_12_candidates(
    client, staff, programme, commune_tan_yen, vc_staff, django_assert_max_num_queries
):
    _candidates(programme, commune_tan_yen, 2, 0, vc_staff)
    _same_queries(
        as_user(client, staff),
        url("programme", programme.pk),
        lambda: _candidates(programme, commune_tan_yen, 10, 2, vc_staff),
        django_assert_max_num_queries,
        lambda r: len(r.context["ranking"]),
    )


def test_index_shows_open_programmes_surveys_and_plans(client, staff, plan, vc_staff, programme, commune_tan_yen):
    services.plan_set_status(plan=plan, status="approved", on=D(2021, 3, 28), by=vc_staff)
    other = services.programme_create(name="Chuỗi 2022", year_from=2022, by=vc_staff)
    services.criterion_add(programme=other, text="Quy mô", max_score=10, by=vc_staff)
    services.programme_set_status(programme=other, status="survey", by=vc_staff)
    services.survey_create(
        programme=other, organization=make_org(commune_tan_yen, name="HTX Na"), surveyed_on=D(2022, 3, 1), by=vc_staff
    )
    response = as_user(client, staff).get(url("index"))
    assert [p.name for p in response.context["programmes"]] == ["Chuỗi 2022"]
    assert [s.organization.name for s in response.context["surveys"]] == ["HTX Na"]
    assert [p.pk for p in response.context["plans"]] == [plan.pk]


# ---------------------------------------------------------------- exports and the organisation page


def test_ranking_export_reads_back(client, staff, programme, done_pair, org_hiep_hoa, org_tan_yen):
    response = as_user(client, staff).get(url("ranking_export", programme.pk))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [r for r in ws.iter_rows(min_row=5, values_only=True)]
    assert [(r[0], r[1], r[2], r[7], r[8]) for r in rows] == [
        (1, org_hiep_hoa.name, org_hiep_hoa.code, 91, 100),
        (2, org_tan_yen.name, org_tan_yen.code, 78, 100),
    ]
    assert ws["A4"].value == "Hạng"


def test_survey_export_reads_back(client, staff, done_pair):
    survey_ty, _ = done_pair
    response = as_user(client, staff).get(url("survey_export", survey_ty.pk))
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [r for r in ws.iter_rows(min_row=5, values_only=True)]
    assert [r[6] for r in rows[:3]] == [8, 15, 40]
    assert [r[7] for r in rows[:3]] == [8, 30, 40]
    assert rows[3][7] == 78 and rows[4][7] == 100
    assert survey_ty.organization.name in ws["A1"].value


def test_the_organisation_page_shows_its_value_chains(client, staff, plan, org_tan_yen):
    page = as_user(client, staff).get(reverse("registry:detail", args=[org_tan_yen.pk])).content.decode()
    assert 'id="org-valuechain"' in page
    assert plan.selection.survey.programme.name in page and plan.title in page


def test_history_tells_status_changes_in_words(client, staff, programme):
    page = as_user(client, staff).get(url("programme", programme.pk))
    details = [item["detail"] for item in page.context["history"]]
    assert "Đang xây dựng → Đang khảo sát" in details
