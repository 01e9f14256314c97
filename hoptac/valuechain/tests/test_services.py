"""The rules the value-chain services keep, and the audit entries they leave."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import make_org
from hoptac.core.audit import entries_for
from hoptac.valuechain import services
from hoptac.valuechain.models import (
    ActivityStatus,
    Answer,
    PlanStatus,
    Programme,
    ProgrammeStatus,
    Selection,
    SupportPlan,
    SurveyStatus,
)
from hoptac.valuechain.services import Decision, Score

from .conftest import criteria, score

pytestmark = pytest.mark.django_db
D = datetime.date
TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def actions(obj) -> list[str]:
    return [e.action for e in entries_for(obj)]


# ---------------------------------------------------------------- programmes and criteria


def test_programme_is_prepared_and_audited(vc_staff):
    programme = services.programme_create(name=" Chuỗi 2022 ", year_from=2022, year_to=2022, by=vc_staff)
    assert programme.name == "Chuỗi 2022" and programme.year_to is None and programme.status == ProgrammeStatus.DRAFT
    assert programme.created_by == vc_staff
    assert actions(programme) == ["valuechain.programme.created"]


def test_programme_last_year_cannot_be_before_the_first(vc_staff):
    with pytest.raises(ValidationError) as info:
        services.programme_create(name="Chuỗi", year_from=2022, year_to=2021, by=vc_staff)
    assert "year_to" in info.value.error_dict and not Programme.objects.exists()


def test_programme_budget_cannot_be_negative(vc_staff):
    with pytest.raises(ValidationError) as info:
        services.programme_create(name="Chuỗi", year_from=2022, budget=-1, by=vc_staff)
    assert "budget" in info.value.error_dict


def test_programme_change_is_audited_with_old_and_new(programme, vc_staff):
    services.programme_update(programme=programme, budget=1_200_000_000, by=vc_staff)
    entry = entries_for(programme).first()
    assert entry.action == "valuechain.programme.changed"
    assert entry.changes == {"budget": [1_000_000_000, 1_200_000_000]}


def test_a_programme_opens_for_survey_only_with_criteria(vc_staff):
    programme = services.programme_create(name="Chuỗi 2022", year_from=2022, by=vc_staff)
    with pytest.raises(ValidationError):
        services.programme_set_status(programme=programme, status=ProgrammeStatus.SURVEY, by=vc_staff)
    services.criterion_add(programme=programme, text="Quy mô", max_score=10, by=vc_staff)
    services.programme_set_status(programme=programme, status=ProgrammeStatus.SURVEY, by=vc_staff)
    assert programme.status == ProgrammeStatus.SURVEY
    assert entries_for(programme).first().changes == {"status": ["draft", "survey"]}


def test_a_programme_cannot_skip_steps(programme, vc_staff):
    with pytest.raises(ValidationError):
        services.programme_set_status(programme=programme, status=ProgrammeStatus.CLOSED, by=vc_staff)
    with pytest.raises(ValidationError):  # no selection recorded yet
        services.programme_set_status(programme=programme, status=ProgrammeStatus.SELECTED, by=vc_staff)
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.SURVEY


def test_a_programme_with_candidates_cannot_go_back_to_preparation(programme, survey_ty, vc_staff):
    with pytest.raises(ValidationError):
        services.programme_set_status(programme=programme, status=ProgrammeStatus.DRAFT, by=vc_staff)


def test_archive_needs_a_reason_and_restore_brings_the_programme_back(programme, vc_staff):
    with pytest.raises(ValidationError) as info:
        services.programme_archive(programme=programme, reason="  ", by=vc_staff)
    assert "reason" in info.value.error_dict
    services.programme_archive(programme=programme, reason="Nhập trùng", by=vc_staff)
    programme.refresh_from_db()
    assert programme.archived_on and programme.archived_reason == "Nhập trùng"
    with pytest.raises(ValidationError):  # an archived programme is not edited
        services.programme_update(programme=programme, name="Khác", by=vc_staff)
    services.programme_restore(programme=programme, reason="Nhầm", by=vc_staff)
    programme.refresh_from_db()
    assert programme.archived_on is None and programme.archived_reason == ""
    assert actions(programme)[:2] == ["valuechain.programme.restored", "valuechain.programme.archived"]


def test_a_required_criterion_is_met_at_full_score_unless_told(programme, vc_staff):
    criterion = services.criterion_add(
        programme=programme, text="Có vốn đối ứng", max_score=5, required=True, by=vc_staff
    )
    assert criterion.pass_score == 5 and criterion.order == 4
    optional = services.criterion_add(programme=programme, text="Khác", max_score=5, pass_score=3, by=vc_staff)
    assert optional.pass_score is None


def test_pass_score_must_be_within_the_maximum(programme, vc_staff):
    with pytest.raises(ValidationError) as info:
        services.criterion_add(programme=programme, text="Vốn", max_score=5, required=True, pass_score=6, by=vc_staff)
    assert "pass_score" in info.value.error_dict


def test_maximum_score_and_weight_are_at_least_one(programme, vc_staff):
    with pytest.raises(ValidationError) as info:
        services.criterion_add(programme=programme, text="Vốn", max_score=0, weight=0, by=vc_staff)
    assert {"max_score", "weight"} <= set(info.value.error_dict)


def test_maximum_cannot_drop_below_a_score_already_given(programme, survey_ty, vc_staff):
    score(survey_ty, 8, by=vc_staff)
    first = criteria(programme)[0]
    with pytest.raises(ValidationError) as info:
        services.criterion_update(criterion=first, max_score=6, pass_score=5, by=vc_staff)
    assert "max_score" in info.value.error_dict
    first.refresh_from_db()
    assert first.max_score == 10


def test_scoring_rules_are_frozen_once_a_survey_is_done_but_wording_is_not(programme, done_pair, vc_staff):
    first = criteria(programme)[0]
    with pytest.raises(ValidationError):
        services.criterion_update(criterion=first, weight=3, by=vc_staff)
    with pytest.raises(ValidationError):
        services.criterion_add(programme=programme, text="Mới", max_score=5, by=vc_staff)
    with pytest.raises(ValidationError):
        services.criterion_archive(criterion=first, reason="Bỏ", by=vc_staff)
    services.criterion_update(criterion=first, text="Tổ chức theo Luật HTX 2012 (đã sửa)", by=vc_staff)
    first.refresh_from_db()
    assert first.text.endswith("(đã sửa)") and first.weight == 1


# ---------------------------------------------------------------- surveys and scores


def test_a_survey_needs_a_programme_open_for_survey(vc_staff, org_tan_yen):
    draft = services.programme_create(name="Chuỗi 2022", year_from=2022, by=vc_staff)
    with pytest.raises(ValidationError):
        services.survey_create(programme=draft, organization=org_tan_yen, surveyed_on=D(2022, 3, 1), by=vc_staff)


def test_a_cooperative_is_a_candidate_once_per_programme(programme, survey_ty, org_tan_yen, vc_staff):
    with pytest.raises(ValidationError) as info:
        services.survey_create(programme=programme, organization=org_tan_yen, surveyed_on=D(2021, 3, 9), by=vc_staff)
    assert "organization" in info.value.error_dict
    # Archived by mistake, the candidate can be added again; the old survey then cannot come back.
    services.survey_archive(survey=survey_ty, reason="Nhập nhầm ngày", by=vc_staff)
    again = services.survey_create(
        programme=programme, organization=org_tan_yen, surveyed_on=D(2021, 3, 9), by=vc_staff
    )
    assert again.pk != survey_ty.pk
    with pytest.raises(ValidationError):
        services.survey_restore(survey=survey_ty, reason="Khôi phục", by=vc_staff)


def test_only_cooperatives_can_be_candidates(programme, commune_tan_yen, vc_staff):
    group = make_org(commune_tan_yen, kind="THT", name="Tổ hợp tác trồng rau Quang Tiến")
    with pytest.raises(ValidationError) as info:
        services.survey_create(programme=programme, organization=group, surveyed_on=D(2021, 3, 1), by=vc_staff)
    assert "organization" in info.value.error_dict


def test_a_cooperative_not_yet_founded_cannot_be_surveyed(programme, commune_tan_yen, vc_staff):
    young = make_org(commune_tan_yen, name="HTX Mới thành lập", founded_on=D(2021, 6, 1))
    with pytest.raises(ValidationError):
        services.survey_create(programme=programme, organization=young, surveyed_on=D(2021, 3, 1), by=vc_staff)


def test_a_survey_under_way_cannot_be_dated_in_the_future(programme, org_tan_yen, vc_staff):
    with pytest.raises(ValidationError) as info:
        services.survey_create(
            programme=programme, organization=org_tan_yen, surveyed_on=TOMORROW, status="under_way", by=vc_staff
        )
    assert "surveyed_on" in info.value.error_dict
    planned = services.survey_create(programme=programme, organization=org_tan_yen, surveyed_on=TOMORROW, by=vc_staff)
    assert planned.status == SurveyStatus.PLANNED


@pytest.mark.parametrize("bad", [11, -1])
def test_a_score_outside_0_to_the_maximum_is_refused_and_nothing_is_written(survey_ty, vc_staff, bad):
    first, second, _third = criteria(survey_ty.programme)
    with pytest.raises(ValidationError) as info:
        services.survey_score(survey=survey_ty, answers={second: Score(12), first: Score(bad)}, by=vc_staff)
    assert f"score_{first.pk}" in info.value.error_dict
    assert not Answer.objects.exists()


def test_scores_at_the_bounds_are_accepted(survey_ty, vc_staff):
    score(survey_ty, 0, 20, 50, by=vc_staff)
    assert sorted(Answer.objects.values_list("score", flat=True)) == [0, 20, 50]


def test_scores_are_audited_with_old_and_new(survey_ty, vc_staff):
    score(survey_ty, 8, 15, by=vc_staff)
    score(survey_ty, 9, 15, by=vc_staff)
    entry = entries_for(survey_ty).first()
    assert entry.action == "valuechain.survey.scored" and entry.user == vc_staff
    assert list(entry.changes.values()) == [[8, 9]]


def test_scoring_a_planned_survey_starts_it(programme, org_tan_yen, vc_staff):
    planned = services.survey_create(
        programme=programme, organization=org_tan_yen, surveyed_on=D(2021, 3, 1), by=vc_staff
    )
    score(planned, 7, by=vc_staff)
    planned.refresh_from_db()
    assert planned.status == SurveyStatus.UNDER_WAY


def test_a_planned_survey_dated_in_the_future_cannot_be_scored(programme, org_tan_yen, vc_staff):
    planned = services.survey_create(programme=programme, organization=org_tan_yen, surveyed_on=TOMORROW, by=vc_staff)
    with pytest.raises(ValidationError):
        score(planned, 7, by=vc_staff)
    assert not Answer.objects.exists()


def test_a_recorded_score_cannot_be_emptied(survey_ty, vc_staff):
    score(survey_ty, 8, by=vc_staff)
    with pytest.raises(ValidationError):
        score(survey_ty, None, by=vc_staff)


def test_a_survey_is_done_only_with_every_criterion_scored(survey_ty, vc_staff):
    score(survey_ty, 8, 15, by=vc_staff)
    with pytest.raises(ValidationError):
        services.survey_mark_done(survey=survey_ty, done_on=D(2021, 3, 5), by=vc_staff)
    score(survey_ty, 8, 15, 40, by=vc_staff)
    services.survey_mark_done(survey=survey_ty, done_on=D(2021, 3, 5), by=vc_staff)
    survey_ty.refresh_from_db()
    assert survey_ty.status == SurveyStatus.DONE and survey_ty.done_on == D(2021, 3, 5)
    assert entries_for(survey_ty).first().action == "valuechain.survey.done"


def test_a_survey_cannot_finish_before_it_started_or_in_the_future(survey_ty, vc_staff):
    score(survey_ty, 8, 15, 40, by=vc_staff)
    for day in (D(2021, 2, 28), TOMORROW):
        with pytest.raises(ValidationError) as info:
            services.survey_mark_done(survey=survey_ty, done_on=day, by=vc_staff)
        assert "done_on" in info.value.error_dict
    survey_ty.refresh_from_db()
    assert survey_ty.status == SurveyStatus.UNDER_WAY


def test_a_done_survey_is_rescored_only_after_reopening(done_pair, vc_staff):
    survey_ty, _ = done_pair
    with pytest.raises(ValidationError):
        score(survey_ty, 9, by=vc_staff)
    with pytest.raises(ValidationError):  # a reason is needed
        services.survey_reopen(survey=survey_ty, reason="", by=vc_staff)
    services.survey_reopen(survey=survey_ty, reason="Sai điểm tiêu chí 1", by=vc_staff)
    score(survey_ty, 9, by=vc_staff)
    survey_ty.refresh_from_db()
    assert survey_ty.status == SurveyStatus.UNDER_WAY and survey_ty.done_on is None


# ---------------------------------------------------------------- selection


def test_only_candidates_whose_survey_is_done_can_be_selected(programme, survey_ty, survey_hh, vc_staff):
    score(survey_ty, 8, 15, 40, by=vc_staff)
    services.survey_mark_done(survey=survey_ty, done_on=D(2021, 3, 5), by=vc_staff)
    with pytest.raises(ValidationError):
        services.selection_record(
            programme=programme,
            decisions=[Decision(survey_ty, True), Decision(survey_hh, True)],
            decided_on=D(2021, 3, 20),
            by=vc_staff,
        )
    assert not Selection.objects.exists()
    services.selection_record(
        programme=programme, decisions=[Decision(survey_ty, True)], decided_on=D(2021, 3, 20), by=vc_staff
    )
    assert Selection.objects.get().survey == survey_ty


def test_a_candidate_not_selected_needs_a_reason(programme, done_pair, vc_staff):
    survey_ty, survey_hh = done_pair
    with pytest.raises(ValidationError):
        services.selection_record(
            programme=programme,
            decisions=[Decision(survey_ty, False, " "), Decision(survey_hh, True)],
            decided_on=D(2021, 3, 20),
            by=vc_staff,
        )
    assert not Selection.objects.exists()


def test_a_candidate_missing_a_required_criterion_cannot_be_selected(programme, survey_ty, vc_staff):
    score(survey_ty, 4, 20, 50, by=vc_staff)  # 4 < 5 needed on the required criterion
    services.survey_mark_done(survey=survey_ty, done_on=D(2021, 3, 5), by=vc_staff)
    with pytest.raises(ValidationError):
        services.selection_record(
            programme=programme, decisions=[Decision(survey_ty, True)], decided_on=D(2021, 3, 20), by=vc_staff
        )


def test_selection_cannot_be_dated_before_the_survey_finished_or_in_the_future(programme, done_pair, vc_staff):
    survey_ty, _ = done_pair
    for day in (D(2021, 3, 4), TOMORROW):
        with pytest.raises(ValidationError):
            services.selection_record(
                programme=programme, decisions=[Decision(survey_ty, True)], decided_on=day, by=vc_staff
            )
    assert not Selection.objects.exists()


def test_selection_moves_the_programme_on_and_is_audited(programme, selected, vc_staff):
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.SELECTED
    assert actions(selected) == ["valuechain.selection.recorded"]
    assert "valuechain.programme.status_changed" in actions(programme)


def test_a_decision_can_be_changed_while_no_plan_exists(programme, selected, done_pair, vc_staff):
    survey_ty, _ = done_pair
    services.selection_record(
        programme=programme,
        decisions=[Decision(survey_ty, False, "Thiếu vốn đối ứng")],
        decided_on=D(2021, 3, 25),
        by=vc_staff,
    )
    selected.refresh_from_db()
    assert not selected.selected and selected.reason == "Thiếu vốn đối ứng"
    assert entries_for(selected).first().changes["selected"] == [True, False]


def test_a_cooperative_with_a_plan_cannot_be_unselected(programme, plan, done_pair, vc_staff):
    survey_ty, _ = done_pair
    with pytest.raises(ValidationError):
        services.selection_record(
            programme=programme, decisions=[Decision(survey_ty, False, "Đổi ý")], decided_on=D(2021, 3, 25), by=vc_staff
        )


def test_a_survey_with_a_decision_cannot_be_reopened_or_archived(selected, vc_staff):
    with pytest.raises(ValidationError):
        services.survey_reopen(survey=selected.survey, reason="Sửa", by=vc_staff)
    with pytest.raises(ValidationError):
        services.survey_archive(survey=selected.survey, reason="Sửa", by=vc_staff)


# ---------------------------------------------------------------- support plans


def test_a_plan_is_only_for_a_selected_cooperative(programme, done_pair, vc_staff):
    survey_ty, survey_hh = done_pair
    refused, chosen = services.selection_record(
        programme=programme,
        decisions=[Decision(survey_ty, False, "Điểm thấp"), Decision(survey_hh, True)],
        decided_on=D(2021, 3, 20),
        by=vc_staff,
    )
    with pytest.raises(ValidationError):
        services.plan_create(selection=refused, title="Kế hoạch", starts_on=D(2021, 4, 1), by=vc_staff)
    assert services.plan_create(selection=chosen, title="Kế hoạch", starts_on=D(2021, 4, 1), by=vc_staff).pk


def test_a_plan_cannot_end_before_it_starts(selected, vc_staff):
    with pytest.raises(ValidationError) as info:
        services.plan_create(
            selection=selected, title="Kế hoạch", starts_on=D(2021, 4, 1), ends_on=D(2021, 3, 31), by=vc_staff
        )
    assert "ends_on" in info.value.error_dict
    assert not SupportPlan.objects.exists()


def test_a_plan_goes_step_by_step_each_step_dated(plan, vc_staff):
    with pytest.raises(ValidationError):
        services.plan_set_status(plan=plan, status=PlanStatus.DONE, on=D(2021, 4, 1), by=vc_staff)
    services.plan_set_status(plan=plan, status=PlanStatus.APPROVED, on=D(2021, 3, 28), by=vc_staff)
    with pytest.raises(ValidationError):  # started before it was approved
        services.plan_set_status(plan=plan, status=PlanStatus.IN_PROGRESS, on=D(2021, 3, 27), by=vc_staff)
    services.plan_set_status(plan=plan, status=PlanStatus.IN_PROGRESS, on=D(2021, 4, 1), by=vc_staff)
    activity = services.activity_add(plan=plan, description="Tập huấn", planned_on=D(2021, 5, 1), by=vc_staff)
    with pytest.raises(ValidationError):  # an activity is still planned
        services.plan_set_status(plan=plan, status=PlanStatus.DONE, on=D(2021, 12, 20), by=vc_staff)
    services.activity_set_status(activity=activity, status=ActivityStatus.DONE, on=D(2021, 5, 3), by=vc_staff)
    services.plan_set_status(plan=plan, status=PlanStatus.DONE, on=D(2021, 12, 20), by=vc_staff)
    plan.refresh_from_db()
    assert (plan.status, plan.approved_on, plan.closed_on) == (PlanStatus.DONE, D(2021, 3, 28), D(2021, 12, 20))
    assert entries_for(plan).first().changes == {"status": ["in_progress", "done"], "closed_on": [None, "2021-12-20"]}
    with pytest.raises(ValidationError):  # a completed plan is not edited
        services.plan_update(plan=plan, title="Khác", by=vc_staff)


def test_a_plan_step_cannot_be_dated_in_the_future(plan, vc_staff):
    with pytest.raises(ValidationError):
        services.plan_set_status(plan=plan, status=PlanStatus.APPROVED, on=TOMORROW, by=vc_staff)


def test_activity_budget_is_whole_dong_and_not_negative(plan, vc_staff):
    with pytest.raises(ValidationError) as info:
        services.activity_add(plan=plan, description="Tập huấn", planned_on=D(2021, 5, 1), budget=-5, by=vc_staff)
    assert "budget" in info.value.error_dict
    activity = services.activity_add(
        plan=plan,
        description="Tập huấn VietGAP",
        planned_on=D(2021, 5, 1),
        budget=45_000_000,
        budget_source="province",
        by=vc_staff,
    )
    activity.refresh_from_db()
    assert activity.budget == 45_000_000 and isinstance(activity.budget, int)


def test_an_activity_is_done_on_a_day_not_in_the_future(plan, vc_staff):
    activity = services.activity_add(plan=plan, description="Tập huấn", planned_on=D(2021, 5, 1), by=vc_staff)
    with pytest.raises(ValidationError):
        services.activity_set_status(activity=activity, status=ActivityStatus.DONE, by=vc_staff)
    with pytest.raises(ValidationError):
        services.activity_set_status(activity=activity, status=ActivityStatus.DONE, on=TOMORROW, by=vc_staff)
    services.activity_set_status(activity=activity, status=ActivityStatus.DONE, on=D(2021, 5, 2), by=vc_staff)
    services.activity_set_status(activity=activity, status=ActivityStatus.IN_PROGRESS, by=vc_staff)
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.IN_PROGRESS and activity.done_on is None


def test_ocop_products_have_3_to_5_stars(plan, vc_staff):
    with pytest.raises(ValidationError) as info:
        services.product_add(plan=plan, name="Lúa gạo Quang Tiến", ocop_stars=6, by=vc_staff)
    assert "ocop_stars" in info.value.error_dict
    product = services.product_add(plan=plan, name="Gạo Quang Tiến", ocop_stars=3, certification="VietGAP", by=vc_staff)
    assert actions(product) == ["valuechain.product.created"]


def test_an_archived_plan_refuses_changes_until_restored(plan, vc_staff):
    services.plan_archive(plan=plan, reason="Lập trùng", by=vc_staff)
    with pytest.raises(ValidationError):
        services.activity_add(plan=plan, description="Tập huấn", planned_on=D(2021, 5, 1), by=vc_staff)
    services.plan_restore(plan=plan, reason="Nhầm", by=vc_staff)
    assert services.activity_add(plan=plan, description="Tập huấn", planned_on=D(2021, 5, 1), by=vc_staff).pk


def test_activity_and_product_archive_and_restore(plan, vc_staff):
    activity = services.activity_add(plan=plan, description="Tập huấn", planned_on=D(2021, 5, 1), by=vc_staff)
    product = services.product_add(plan=plan, name="Gạo", by=vc_staff)
    services.activity_archive(activity=activity, reason="Trùng", by=vc_staff)
    services.product_archive(product=product, reason="Trùng", by=vc_staff)
    with pytest.raises(ValidationError):
        services.activity_archive(activity=activity, reason="Trùng", by=vc_staff)
    services.activity_restore(activity=activity, reason="Nhầm", by=vc_staff)
    services.product_restore(product=product, reason="Nhầm", by=vc_staff)
    activity.refresh_from_db()
    product.refresh_from_db()
    assert activity.archived_on is None and product.archived_on is None
    assert actions(activity)[0] == "valuechain.activity.restored"


def test_a_closed_programme_takes_no_new_plan_but_its_plans_go_on(programme, plan, selected, vc_staff):
    services.programme_set_status(programme=programme, status=ProgrammeStatus.CLOSED, by=vc_staff)
    with pytest.raises(ValidationError):
        services.plan_create(selection=selected, title="Kế hoạch mới", starts_on=D(2022, 1, 1), by=vc_staff)
    services.plan_set_status(plan=plan, status=PlanStatus.APPROVED, on=D(2021, 3, 28), by=vc_staff)
    assert services.activity_add(plan=plan, description="Tập huấn", planned_on=D(2021, 5, 1), by=vc_staff).pk
