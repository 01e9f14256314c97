"""Reads of value-chain support: who may see and write what, scores, rankings and the report's figures.

A survey's total score and its eligibility come only from ``with_scores``: the ranking,
the lists, the exports, the organisation page and the quarterly report all read them here.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from hoptac.core.models import Department, Role
from hoptac.registry.models import Organization, OrgKind
from hoptac.registry.selectors import organizations_for

from .models import (
    ActivityStatus,
    Answer,
    Criterion,
    PlanActivity,
    PlanProduct,
    PlanStatus,
    Programme,
    ProgrammeStatus,
    Selection,
    SupportPlan,
    Survey,
    SurveyStatus,
)

# Who can be a candidate: the report speaks of cooperatives ("các HTX đủ điều kiện").
CANDIDATE_KINDS = (OrgKind.HTX, OrgKind.LHHTX)

# ---------------------------------------------------------------- access


def can_manage_value_chains(user) -> bool:
    """Write programmes, surveys, selections and plans: administrators and the value-chain department only."""
    return (
        bool(getattr(user, "is_authenticated", False))
        and user.is_active
        and (user.is_admin or (user.role == Role.STAFF and user.department == Department.VALUE_CHAIN))
    )


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def surveys_for(user) -> QuerySet[Survey]:
    """Surveys user may see (archived ones included): all for the alliance, else those of organisations they see."""
    qs = Survey.objects.all()
    if not _signed_in(user):
        return qs.none()
    if user.is_alliance:
        return qs
    return qs.filter(organization__in=organizations_for(user))


def programmes_for(user) -> QuerySet[Programme]:
    """Programmes user may see: all for the alliance, else those with a survey of an organisation they see."""
    qs = Programme.objects.all()
    if not _signed_in(user):
        return qs.none()
    if user.is_alliance:
        return qs
    return qs.filter(pk__in=surveys_for(user).filter(archived_on__isnull=True).values("programme_id"))


def plans_for(user) -> QuerySet[SupportPlan]:
    """Support plans user may see: all for the alliance, else those of organisations they see."""
    qs = SupportPlan.objects.all()
    if not _signed_in(user):
        return qs.none()
    if user.is_alliance:
        return qs
    return qs.filter(selection__survey__organization__in=organizations_for(user))


def candidates_for(user, programme: Programme) -> QuerySet[Organization]:
    """Organisations user may add as candidates of programme: current cooperatives not yet surveyed in it."""
    taken = Survey.objects.filter(programme=programme, archived_on__isnull=True).values("organization_id")
    return (
        organizations_for(user)
        .current()
        .filter(kind__in=CANDIDATE_KINDS)
        .exclude(pk__in=taken)
        .select_related("commune", "commune__parent")
        .order_by("name", "id")
    )


# ---------------------------------------------------------------- live records

# Archived records are mistakes kept for history: they count nowhere. A record under an
# archived programme or plan does not count either.


def live_surveys() -> QuerySet[Survey]:
    return Survey.objects.filter(archived_on__isnull=True, programme__archived_on__isnull=True)


def live_plans() -> QuerySet[SupportPlan]:
    return SupportPlan.objects.filter(
        archived_on__isnull=True,
        selection__survey__archived_on__isnull=True,
        selection__survey__programme__archived_on__isnull=True,
    )


def live_activities() -> QuerySet[PlanActivity]:
    return PlanActivity.objects.filter(archived_on__isnull=True, plan__in=live_plans().values("pk"))


def live_criteria(programme: Programme) -> QuerySet[Criterion]:
    return programme.criteria.filter(archived_on__isnull=True).order_by("order", "id")


# ---------------------------------------------------------------- scores


def _per_programme(aggregate) -> Subquery:
    """A figure of the programme's live criteria, for each survey row."""
    return Coalesce(
        Subquery(
            Criterion.objects.filter(programme=OuterRef("programme_id"), archived_on__isnull=True)
            .order_by()
            .values("programme_id")
            .annotate(value=aggregate)
            .values("value")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def with_scores(qs: QuerySet[Survey]) -> QuerySet[Survey]:
    """Annotate each survey with its scores, from its answers to the programme's live criteria.

    ``total_score`` = Σ score × weight; ``max_total`` = Σ max_score × weight; ``answered`` and
    ``criteria_count``; ``required_met`` of ``required_total`` required criteria reach their
    pass score (``survey.eligible``). The only place these figures are computed.
    """
    live = Q(answers__criterion__archived_on__isnull=True)
    met = live & Q(answers__criterion__required=True, answers__score__gte=F("answers__criterion__pass_score"))
    return qs.annotate(
        total_score=Coalesce(Sum(F("answers__score") * F("answers__criterion__weight"), filter=live), 0),
        answered=Count("answers", filter=live),
        required_met=Count("answers", filter=met),
        max_total=_per_programme(Sum(F("max_score") * F("weight"))),
        criteria_count=_per_programme(Count("pk")),
        required_total=_per_programme(Count("pk", filter=Q(required=True))),
    )


def survey_with_scores(survey: Survey) -> Survey:
    """The survey again, with the annotations of ``with_scores``."""
    return with_scores(Survey.objects.filter(pk=survey.pk)).select_related("programme", "organization").get()


@dataclass(frozen=True)
class Candidate:
    """A row of a programme's ranking: a survey with its score, eligibility and rank."""

    survey: Survey
    rank: int | None  # among eligible candidates whose survey is done; equal scores share a rank

    @property
    def organization(self) -> Organization:
        return self.survey.organization

    @property
    def total_score(self) -> int:
        return self.survey.total_score

    @property
    def max_total(self) -> int:
        return self.survey.max_total

    @property
    def eligible(self) -> bool:
        return self.survey.eligible

    @property
    def done(self) -> bool:
        return self.survey.is_done

    @property
    def selection(self) -> Selection | None:
        return getattr(self.survey, "selection", None)


def programme_ranking(programme: Programme, *, user=None) -> list[Candidate]:
    """The programme's candidates, best first.

    Surveys done and eligible come first, ranked by total score (equal scores share a rank);
    then the done ones that miss a required criterion; then the surveys not finished, whose
    score is provisional. Archived surveys are left out; ``user`` limits the rows to the
    organisations they see.
    """
    qs = Survey.objects.filter(programme=programme, archived_on__isnull=True)
    if user is not None:
        qs = qs.filter(pk__in=surveys_for(user).values("pk"))
    surveys = list(
        with_scores(qs).select_related(
            "organization", "organization__commune", "organization__commune__parent", "selection"
        )
    )

    def group(s: Survey) -> int:
        if not s.is_done:
            return 2
        return 0 if s.eligible else 1

    surveys.sort(key=lambda s: (group(s), -s.total_score, s.organization.name, s.pk))
    rows, rank, previous = [], 0, None
    for position, survey in enumerate(surveys, start=1):
        if group(survey) == 0:
            if survey.total_score != previous:
                rank, previous = position, survey.total_score
            rows.append(Candidate(survey, rank))
        else:
            rows.append(Candidate(survey, None))
    return rows


# ---------------------------------------------------------------- lists


def programme_list(user, *, year: int | None = None, status: str = "", archived: bool = False) -> QuerySet[Programme]:
    """Programmes user sees, with their counts of candidates, surveys done and selected cooperatives."""
    live = Q(surveys__archived_on__isnull=True)
    qs = programmes_for(user).filter(archived_on__isnull=not archived)
    if year:
        qs = qs.filter(Q(year_from=year) | Q(year_from__lte=year, year_to__gte=year))
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(
        candidate_count=Count("surveys", filter=live, distinct=True),
        done_count=Count("surveys", filter=live & Q(surveys__status=SurveyStatus.DONE), distinct=True),
        selected_count=Count("surveys", filter=live & Q(surveys__selection__selected=True), distinct=True),
    ).order_by("-year_from", "name", "id")


def survey_list(
    user, *, programme: Programme | None = None, status: str = "", q: str = "", archived: bool = False
) -> QuerySet[Survey]:
    """Surveys user sees, with their scores; one query, related rows joined."""
    qs = surveys_for(user)
    qs = qs.filter(archived_on__isnull=False) if archived else qs.filter(pk__in=live_surveys().values("pk"))
    if programme is not None:
        qs = qs.filter(programme=programme)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(organization__in=Organization.objects.search(q))
    return (
        with_scores(qs)
        .select_related(
            "programme", "organization", "organization__commune", "organization__commune__parent", "selection"
        )
        .order_by("-surveyed_on", "organization__name", "-id")
    )


def plan_list(
    user, *, programme: Programme | None = None, status: str = "", archived: bool = False
) -> QuerySet[SupportPlan]:
    """Support plans user sees, with their budget and activity counts; one query."""
    qs = plans_for(user)
    qs = qs.filter(archived_on__isnull=False) if archived else qs.filter(pk__in=live_plans().values("pk"))
    if programme is not None:
        qs = qs.filter(selection__survey__programme=programme)
    if status:
        qs = qs.filter(status=status)
    live = Q(activities__archived_on__isnull=True)
    return (
        qs.annotate(
            budget_total=Coalesce(Sum("activities__budget", filter=live), 0),
            activity_count=Count("activities", filter=live),
            done_count=Count("activities", filter=live & Q(activities__status=ActivityStatus.DONE)),
        )
        .select_related("selection__survey__organization", "selection__survey__programme")
        .order_by("-starts_on", "-id")
    )


def plan_activities(plan: SupportPlan, *, archived: bool = False) -> QuerySet[PlanActivity]:
    return plan.activities.filter(archived_on__isnull=not archived).order_by("planned_on", "id")


def plan_products(plan: SupportPlan, *, archived: bool = False) -> QuerySet[PlanProduct]:
    return plan.products.filter(archived_on__isnull=not archived).order_by("name", "id")


def plan_budget(plan: SupportPlan) -> int:
    """The plan's budget: the sum of its live activities' budgets, in đồng."""
    return plan_activities(plan).aggregate(total=Coalesce(Sum("budget"), 0))["total"]


def answers_by_criterion(survey: Survey) -> dict[int, Answer]:
    """The survey's answers keyed by criterion id."""
    return {a.criterion_id: a for a in survey.answers.all()}


# ---------------------------------------------------------------- the organisation page


@dataclass(frozen=True)
class Participation:
    """An organisation in one programme: its survey (with scores), the selection decision and its plans."""

    programme: Programme
    survey: Survey
    selection: Selection | None
    plans: list[SupportPlan] = field(default_factory=list)


def value_chains_of(org: Organization) -> list[Participation]:
    """The organisation's value-chain participation, newest programme first (two queries)."""
    plans = Prefetch("selection__plans", queryset=SupportPlan.objects.filter(archived_on__isnull=True))
    surveys = (
        with_scores(live_surveys().filter(organization=org))
        .select_related("programme", "selection")
        .prefetch_related(plans)
        .order_by("-programme__year_from", "-surveyed_on", "-id")
    )
    result = []
    for survey in surveys:
        selection = getattr(survey, "selection", None)
        result.append(
            Participation(
                programme=survey.programme,
                survey=survey,
                selection=selection,
                plans=list(selection.plans.all()) if selection else [],
            )
        )
    return result


# ---------------------------------------------------------------- overview


def open_programmes(user) -> QuerySet[Programme]:
    return programme_list(user, status=ProgrammeStatus.SURVEY)


def surveys_under_way(user) -> QuerySet[Survey]:
    return survey_list(user).filter(status__in=[SurveyStatus.PLANNED, SurveyStatus.UNDER_WAY])


def plans_in_progress(user) -> QuerySet[SupportPlan]:
    return plan_list(user).filter(status__in=[PlanStatus.APPROVED, PlanStatus.IN_PROGRESS])


# ---------------------------------------------------------------- the quarterly report


@dataclass(frozen=True)
class ValueChainSummary:
    """The value-chain figures of a period, each with the records behind it.

    Every figure is the count (or sum) of one queryset carried here, so the report can list
    exactly what it counted. Archived records count nowhere.
    """

    date_from: datetime.date
    date_to: datetime.date
    surveys_started: QuerySet[Survey]  # under way or done, survey date in the period
    surveys_done: QuerySet[Survey]  # finished in the period
    cooperatives_surveyed: QuerySet[Organization]  # the organisations of the two above
    selected: QuerySet[Selection]  # decisions in the period that selected the cooperative
    plans_approved: QuerySet[SupportPlan]  # approved in the period
    plans_under_way: QuerySet[SupportPlan]  # approved, started and not closed before the period
    activities_done: QuerySet[PlanActivity]  # done in the period
    activities_done_budget: int  # their budget, đồng

    def counts(self) -> dict[str, int]:
        return {
            "surveys_started": self.surveys_started.count(),
            "surveys_done": self.surveys_done.count(),
            "cooperatives_surveyed": self.cooperatives_surveyed.count(),
            "selected": self.selected.count(),
            "plans_approved": self.plans_approved.count(),
            "plans_under_way": self.plans_under_way.count(),
            "activities_done": self.activities_done.count(),
            "activities_done_budget": self.activities_done_budget,
        }


def value_chain_summary(date_from: datetime.date, date_to: datetime.date) -> ValueChainSummary:
    """The figures of value-chain support for [date_from, date_to], both days included."""
    surveys = live_surveys()
    started = surveys.filter(
        status__in=[SurveyStatus.UNDER_WAY, SurveyStatus.DONE], surveyed_on__gte=date_from, surveyed_on__lte=date_to
    ).order_by("surveyed_on", "id")
    done = surveys.filter(status=SurveyStatus.DONE, done_on__gte=date_from, done_on__lte=date_to).order_by(
        "done_on", "id"
    )
    surveyed = Organization.objects.filter(
        Q(pk__in=started.values("organization_id")) | Q(pk__in=done.values("organization_id"))
    ).order_by("name", "id")
    selected = Selection.objects.filter(
        survey__in=surveys, selected=True, decided_on__gte=date_from, decided_on__lte=date_to
    ).order_by("decided_on", "id")
    plans = live_plans()
    approved = plans.filter(approved_on__gte=date_from, approved_on__lte=date_to).order_by("approved_on", "id")
    under_way = (
        plans.exclude(status=PlanStatus.DRAFT)
        .filter(approved_on__lte=date_to, starts_on__lte=date_to)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=date_from))
        .exclude(status=PlanStatus.CANCELLED, closed_on__lt=F("starts_on"))
        .order_by("starts_on", "id")
    )
    activities = (
        live_activities()
        .filter(status=ActivityStatus.DONE, done_on__gte=date_from, done_on__lte=date_to)
        .order_by("done_on", "id")
    )
    budget = activities.aggregate(total=Coalesce(Sum("budget"), 0))["total"]
    return ValueChainSummary(
        date_from=date_from,
        date_to=date_to,
        surveys_started=started,
        surveys_done=done,
        cooperatives_surveyed=surveyed,
        selected=selected,
        plans_approved=approved,
        plans_under_way=under_way,
        activities_done=activities,
        activities_done_budget=int(budget),
    )
