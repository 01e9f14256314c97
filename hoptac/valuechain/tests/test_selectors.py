"""Scores, ranking, eligibility, the organisation's participation and the report's figures of a period."""

import datetime

import pytest

from hoptac.valuechain import selectors, services
from hoptac.valuechain.models import ActivityStatus, PlanStatus, Survey
from hoptac.valuechain.services import Decision

from .conftest import criteria, score

pytestmark = pytest.mark.django_db
D = datetime.date


def scored(survey) -> Survey:
    return selectors.survey_with_scores(survey)


def test_total_score_is_the_weighted_sum_of_the_answers(survey_ty, vc_staff):
    score(survey_ty, 8, 15, by=vc_staff)
    s = scored(survey_ty)
    assert (s.total_score, s.max_total, s.answered, s.criteria_count) == (8 + 15 * 2, 10 + 20 * 2 + 50, 2, 3)


def test_a_survey_without_answers_scores_zero(survey_ty):
    s = scored(survey_ty)
    assert s.total_score == 0 and not s.eligible and not s.complete


def test_an_archived_criterion_leaves_the_score(programme, survey_ty, vc_staff):
    score(survey_ty, 8, 15, 40, by=vc_staff)
    services.criterion_archive(criterion=criteria(programme)[2], reason="Trùng tiêu chí 2", by=vc_staff)
    s = scored(survey_ty)
    assert (s.total_score, s.max_total, s.criteria_count) == (38, 50, 2)


def test_eligibility_needs_every_required_criterion_at_its_pass_score(programme, survey_ty, vc_staff):
    score(survey_ty, 4, 20, 50, by=vc_staff)
    assert not scored(survey_ty).eligible
    score(survey_ty, 5, 20, 50, by=vc_staff)
    assert scored(survey_ty).eligible
    services.criterion_add(programme=programme, text="Có vốn đối ứng", max_score=5, required=True, by=vc_staff)
    assert not scored(survey_ty).eligible  # a new required criterion, not yet answered


def test_ranking_puts_eligible_done_first_then_ineligible_then_unfinished(
    programme, survey_ty, survey_hh, commune_tan_yen, vc_staff
):
    from conftest import make_org

    third = services.survey_create(
        programme=programme,
        organization=make_org(commune_tan_yen, name="HTX Vải thiều Ngọc Châu"),
        surveyed_on=D(2021, 3, 3),
        status="under_way",
        by=vc_staff,
    )
    fourth = services.survey_create(
        programme=programme,
        organization=make_org(commune_tan_yen, name="HTX Gà đồi Liên Sơn"),
        surveyed_on=D(2021, 3, 3),
        status="under_way",
        by=vc_staff,
    )
    score(survey_ty, 8, 15, 40, by=vc_staff)  # 78
    score(survey_hh, 10, 18, 45, by=vc_staff)  # 91
    score(third, 4, 20, 50, by=vc_staff)  # 94 but the required criterion is missed
    score(fourth, 10, 20, 50, by=vc_staff)  # 100 but not finished
    for s in (survey_ty, survey_hh, third):
        services.survey_mark_done(survey=s, done_on=D(2021, 3, 10), by=vc_staff)
    rows = selectors.programme_ranking(programme)
    assert [r.survey.pk for r in rows] == [survey_hh.pk, survey_ty.pk, third.pk, fourth.pk]
    assert [r.rank for r in rows] == [1, 2, None, None]
    assert [r.eligible for r in rows[:3]] == [True, True, False]
    assert rows[3].total_score == 100 and not rows[3].done


def test_equal_scores_share_a_rank(programme, survey_ty, survey_hh, vc_staff):
    score(survey_ty, 10, 18, 45, by=vc_staff)
    score(survey_hh, 10, 18, 45, by=vc_staff)
    for s in (survey_ty, survey_hh):
        services.survey_mark_done(survey=s, done_on=D(2021, 3, 10), by=vc_staff)
    assert [r.rank for r in selectors.programme_ranking(programme)] == [1, 1]


def test_ranking_leaves_out_archived_surveys_and_what_the_user_does_not_see(
    programme, survey_ty, survey_hh, officer, vc_staff
):
    assert [r.survey for r in selectors.programme_ranking(programme, user=officer)] == [survey_ty]
    services.survey_archive(survey=survey_ty, reason="Nhập nhầm", by=vc_staff)
    assert [r.survey for r in selectors.programme_ranking(programme)] == [survey_hh]


def test_area_officer_and_cooperative_see_only_their_organisations(survey_ty, survey_hh, officer, coop_user, staff):
    assert list(selectors.surveys_for(officer)) == [survey_ty]
    assert list(selectors.surveys_for(coop_user)) == [survey_ty]
    assert set(selectors.surveys_for(staff)) == {survey_ty, survey_hh}


def test_programmes_of_an_area_officer_are_those_with_their_candidates(programme, survey_hh, officer, vc_staff):
    assert not selectors.programmes_for(officer).exists()
    other = services.programme_create(name="Chuỗi 2022", year_from=2022, by=vc_staff)
    assert set(selectors.programmes_for(vc_staff)) == {programme, other}


def test_only_value_chain_staff_and_administrators_manage(vc_staff, admin, staff, office_staff, officer, coop_user):
    assert selectors.can_manage_value_chains(vc_staff) and selectors.can_manage_value_chains(admin)
    for user in (staff, office_staff, officer, coop_user):
        assert not selectors.can_manage_value_chains(user)


def test_value_chains_of_an_organisation(plan, org_tan_yen, org_hiep_hoa, vc_staff):
    services.plan_create(selection=plan.selection, title="Kế hoạch 2", starts_on=D(2021, 5, 1), by=vc_staff)
    archived = services.plan_create(selection=plan.selection, title="Nhầm", starts_on=D(2021, 5, 1), by=vc_staff)
    services.plan_archive(plan=archived, reason="Nhầm", by=vc_staff)
    [p] = selectors.value_chains_of(org_tan_yen)
    assert p.programme == plan.selection.survey.programme
    assert (p.survey.total_score, p.survey.max_total, p.survey.status) == (78, 100, "done")
    assert p.selection.selected
    assert [x.title for x in p.plans] == ["Kế hoạch 2", plan.title]  # newest first, the archived one left out


def test_value_chains_of_leaves_out_archived_surveys(survey_ty, org_tan_yen, vc_staff):
    assert len(selectors.value_chains_of(org_tan_yen)) == 1
    services.survey_archive(survey=survey_ty, reason="Nhầm", by=vc_staff)
    assert selectors.value_chains_of(org_tan_yen) == []


def test_value_chains_of_takes_two_queries(plan, org_tan_yen, django_assert_num_queries):
    with django_assert_num_queries(2):
        result = selectors.value_chains_of(org_tan_yen)
        assert result[0].plans and result[0].selection.selected


# ---------------------------------------------------------------- the report's figures


@pytest.fixture
def year_of_work(programme, done_pair, vc_staff, commune_tan_yen):
    """Q1 2021: two surveys started and done, one more started 30/03; a selection on 20/03 (Q1).

    Q2 2021: the plan approved 05/04, started 10/04, an activity done 20/05 (45.000.000đ) and one
    archived done 21/05; another survey started 02/04 and not finished.
    """
    from conftest import make_org

    late = services.survey_create(
        programme=programme,
        organization=make_org(commune_tan_yen, name="HTX Nấm Quang Tiến"),
        surveyed_on=D(2021, 3, 30),
        status="under_way",
        by=vc_staff,
    )
    q2 = services.survey_create(
        programme=programme,
        organization=make_org(commune_tan_yen, name="HTX Na Quế Nham"),
        surveyed_on=D(2021, 4, 2),
        status="under_way",
        by=vc_staff,
    )
    chosen = services.selection_record(
        programme=programme,
        decisions=[Decision(s, True) for s in done_pair],
        decided_on=D(2021, 3, 20),
        by=vc_staff,
    )
    plan = services.plan_create(selection=chosen[0], title="Kế hoạch", starts_on=D(2021, 4, 1), by=vc_staff)
    services.plan_set_status(plan=plan, status=PlanStatus.APPROVED, on=D(2021, 4, 5), by=vc_staff)
    services.plan_set_status(plan=plan, status=PlanStatus.IN_PROGRESS, on=D(2021, 4, 10), by=vc_staff)
    done = services.activity_add(
        plan=plan, description="Tập huấn", planned_on=D(2021, 5, 15), budget=45_000_000, by=vc_staff
    )
    services.activity_set_status(activity=done, status=ActivityStatus.DONE, on=D(2021, 5, 20), by=vc_staff)
    mistake = services.activity_add(
        plan=plan, description="Trùng", planned_on=D(2021, 5, 15), budget=99_000_000, by=vc_staff
    )
    services.activity_set_status(activity=mistake, status=ActivityStatus.DONE, on=D(2021, 5, 21), by=vc_staff)
    services.activity_archive(activity=mistake, reason="Nhập trùng", by=vc_staff)
    services.activity_add(plan=plan, description="Hội chợ", planned_on=D(2021, 9, 1), budget=15_000_000, by=vc_staff)
    return {"late": late, "q2": q2, "done": done, "plan": plan, "selections": chosen}


def test_summary_of_the_first_quarter(year_of_work, survey_ty, survey_hh):
    s = selectors.value_chain_summary(D(2021, 1, 1), D(2021, 3, 31))
    assert s.counts() == {
        "surveys_started": 3,
        "surveys_done": 2,
        "cooperatives_surveyed": 3,
        "selected": 2,
        "plans_approved": 0,
        "plans_under_way": 0,
        "activities_done": 0,
        "activities_done_budget": 0,
    }
    assert set(s.surveys_done) == {survey_ty, survey_hh}
    assert year_of_work["late"] in s.surveys_started
    assert set(s.selected) == set(year_of_work["selections"])


def test_summary_of_the_second_quarter(year_of_work):
    plan = year_of_work["plan"]
    s = selectors.value_chain_summary(D(2021, 4, 1), D(2021, 6, 30))
    counts = s.counts()
    assert (counts["surveys_started"], counts["surveys_done"], counts["selected"]) == (1, 0, 0)
    assert list(s.plans_approved) == [plan] and list(s.plans_under_way) == [plan]
    assert list(s.activities_done) == [year_of_work["done"]]  # the archived one counts nowhere
    assert s.activities_done_budget == 45_000_000


def test_summary_up_to_the_report_day_leaves_later_surveys_out(year_of_work):
    s = selectors.value_chain_summary(D(2021, 1, 1), D(2021, 3, 15))
    assert s.counts()["surveys_started"] == 2 and s.counts()["surveys_done"] == 2


def test_a_plan_completed_before_the_period_is_not_under_way(year_of_work, vc_staff):
    plan = year_of_work["plan"]
    services.activity_set_status(
        activity=plan.activities.get(description="Hội chợ"), status=ActivityStatus.CANCELLED, by=vc_staff
    )
    services.plan_set_status(plan=plan, status=PlanStatus.DONE, on=D(2021, 6, 30), by=vc_staff)
    assert list(selectors.value_chain_summary(D(2021, 6, 1), D(2021, 6, 30)).plans_under_way) == [plan]
    assert not selectors.value_chain_summary(D(2021, 7, 1), D(2021, 9, 30)).plans_under_way.exists()


def test_an_archived_programme_counts_nowhere(year_of_work, programme, vc_staff):
    services.programme_archive(programme=programme, reason="Nhập trùng chương trình", by=vc_staff)
    counts = selectors.value_chain_summary(D(2021, 1, 1), D(2021, 12, 31)).counts()
    assert set(counts.values()) == {0}


def test_not_selected_candidates_are_not_counted_as_selected(programme, done_pair, vc_staff):
    survey_ty, survey_hh = done_pair
    services.selection_record(
        programme=programme,
        decisions=[Decision(survey_ty, False, "Điểm thấp"), Decision(survey_hh, True)],
        decided_on=D(2021, 3, 20),
        by=vc_staff,
    )
    s = selectors.value_chain_summary(D(2021, 1, 1), D(2021, 3, 31))
    assert [x.survey for x in s.selected] == [survey_hh]
