"""Reads of the awards app. The counts page, its drill-down and the export all come from here."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from hoptac.core.models import Department, Role
from hoptac.registry.models import Organization
from hoptac.registry.selectors import organizations_for

from .models import (
    AwardForm,
    Bloc,
    Decision,
    Issuer,
    Movement,
    Nominee,
    Proposal,
    Recipient,
    RecipientKind,
    Registration,
)


def can_manage_awards(user) -> bool:
    """Record movements, blocs and decisions: administrators and the awards department only."""
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_admin or (user.role == Role.STAFF and user.department == Department.AWARDS)
    )


def sees_awards(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def _own_organization_id(user) -> int | None:
    """The organisation a cooperative account speaks for; None for everyone else."""
    if getattr(user, "role", None) == Role.COOPERATIVE and user.is_active and not user.is_alliance:
        return user.organization_id
    return None


def can_self_assess(user, registration: Registration) -> bool:
    """The awards staff, or the registered unit's own account until the bloc has scored it."""
    if can_manage_awards(user):
        return True
    own = _own_organization_id(user)
    return bool(own) and registration.organization_id == own and registration.score is None


def can_score_bloc(user, bloc: Bloc) -> bool:
    """The awards staff, or the account of the unit that leads the bloc."""
    if can_manage_awards(user):
        return True
    own = _own_organization_id(user)
    return bool(own) and bloc.leader_id == own


def recipients_for(user, *, archived: bool = False) -> QuerySet[Recipient]:
    """Recipients user may see: all for alliance staff; otherwise those of organisations they see.

    Archived recipients (recorded by mistake) are left out unless ``archived`` asks for them only.
    """
    qs = Recipient.objects.select_related("decision", "organization").filter(archived_on__isnull=not archived)
    if not sees_awards(user):
        return qs.none()
    if user.is_alliance:
        return qs
    return qs.filter(organization__in=organizations_for(user))


def decisions_for(user) -> QuerySet[Decision]:
    """Decisions user may see: all for alliance staff; otherwise those awarding an organisation they see."""
    qs = Decision.objects.all()
    if not sees_awards(user):
        return qs.none()
    if user.is_alliance:
        return qs
    return qs.filter(pk__in=recipients_for(user).values("decision_id"))


def decision_list(user, *, year: int | None = None, issuer: str = "", form: str = "") -> QuerySet[Decision]:
    """Decisions user may see, filtered, with the number of recipients that count."""
    qs = decisions_for(user).annotate(
        recipient_count=Count("recipients", filter=Q(recipients__archived_on__isnull=True))
    )
    if year:
        qs = qs.filter(on__year=year)
    if issuer:
        qs = qs.filter(issuer=issuer)
    if form:
        qs = qs.filter(form=form)
    return qs.order_by("-on", "-id")


def movements_for(user) -> QuerySet[Movement]:
    return Movement.objects.all() if sees_awards(user) else Movement.objects.none()


def blocs_for(user) -> QuerySet[Bloc]:
    """Blocs user may see: all for alliance staff; otherwise those an organisation they see leads or belongs to."""
    qs = Bloc.objects.select_related("leader").annotate(member_count=Count("members", distinct=True))
    qs = qs.order_by("-year", "name")
    if not sees_awards(user):
        return qs.none()
    if user.is_alliance:
        return qs
    seen = organizations_for(user)
    return qs.filter(pk__in=Bloc.objects.filter(Q(members__in=seen) | Q(leader__in=seen)).values("pk"))


def registrations_for(user) -> QuerySet[Registration]:
    """Registrations user may see: all for alliance staff; otherwise their organisations', their blocs'
    covenants, and the members' registrations of a bloc one of their organisations leads (it scores them).
    """
    qs = Registration.objects.select_related("movement", "bloc", "organization")
    if not sees_awards(user):
        return qs.none()
    if user.is_alliance:
        return qs
    seen = organizations_for(user)
    led = Registration.objects.filter(
        organization__emulation_blocs__leader__in=seen,
        movement__year=F("organization__emulation_blocs__year"),
    )
    own = Registration.objects.filter(Q(organization__in=seen) | Q(bloc__members__in=seen) | Q(bloc__leader__in=seen))
    return qs.filter(Q(pk__in=own.values("pk")) | Q(pk__in=led.values("pk")))


def registration_list(user, *, year: int | None = None, movement: Movement | None = None) -> QuerySet[Registration]:
    """Registrations and covenants user may see, of a movement's year or of one movement, newest first."""
    qs = registrations_for(user)
    if year:
        qs = qs.filter(movement__year=year)
    if movement is not None:
        qs = qs.filter(movement=movement)
    return qs.order_by("-signed_on", "-id")


def registrations_for_organization(organization: Organization, movement: Movement) -> QuerySet[Registration]:
    """An organisation's own registration for a movement (at most one)."""
    return Registration.objects.filter(organization=organization, movement=movement)


# ---------------------------------------------------------------- blocs: members, scoring, ranking


def bloc_registrations(bloc: Bloc) -> QuerySet[Registration]:
    """The members' own registrations in the movements of the bloc's year: what the bloc scores."""
    return (
        Registration.objects.filter(organization__in=bloc.members.all(), movement__year=bloc.year)
        .select_related("movement", "organization")
        .order_by("organization__name", "movement__name", "id")
    )


def bloc_covenants(bloc: Bloc) -> QuerySet[Registration]:
    """The covenants the bloc signed, oldest first."""
    return bloc.covenants.select_related("movement").order_by("signed_on", "id")


@dataclass(frozen=True)
class RankedRow:
    registration: Registration
    rank: int | None  # None until the bloc has scored the unit

    @property
    def leads(self) -> bool:
        return self.rank == 1


def bloc_ranking(bloc: Bloc) -> list[RankedRow]:
    """The bloc's scored registrations, highest score first; equal scores share a rank (1, 1, 3).

    Registrations not scored yet follow, unranked, in name order.
    """
    registrations = list(bloc_registrations(bloc))
    scored = sorted((r for r in registrations if r.score is not None), key=lambda r: (-r.score, r.organization.name))
    rows, previous, rank = [], None, 0
    for position, registration in enumerate(scored, start=1):
        if registration.score != previous:
            rank, previous = position, registration.score
        rows.append(RankedRow(registration, rank))
    rows.extend(RankedRow(r, None) for r in registrations if r.score is None)
    return rows


# ---------------------------------------------------------------- proposals


def proposals_for(user) -> QuerySet[Proposal]:
    """Proposals user may see: all for alliance staff; otherwise those nominating an organisation they see."""
    qs = Proposal.objects.select_related("movement", "decision")
    if not sees_awards(user):
        return qs.none()
    if user.is_alliance:
        return qs
    nominated = Nominee.objects.filter(archived_on__isnull=True, organization__in=organizations_for(user))
    return qs.filter(pk__in=nominated.values("proposal_id"))


def proposal_list(user, *, year: int | None = None, status: str = "", form: str = "") -> QuerySet[Proposal]:
    """Proposals user may see, filtered by the year of the achievements, status and form, with their nominees."""
    qs = proposals_for(user).annotate(nominee_count=Count("nominees", filter=Q(nominees__archived_on__isnull=True)))
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if form:
        qs = qs.filter(form=form)
    return qs.order_by("-drafted_on", "-id")


def nominees_of(proposal: Proposal, *, archived: bool = False, user=None) -> QuerySet[Nominee]:
    """A proposal's nominees (or its withdrawn ones); outside the alliance, only those of organisations user sees."""
    qs = proposal.nominees.filter(archived_on__isnull=not archived).select_related("organization")
    if user is not None and not user.is_alliance:
        qs = qs.filter(organization__in=organizations_for(user))
    return qs.order_by("kind", "id")


def can_download_proposal_file(user) -> bool:
    """A proposal's file names every nominee, people included: the alliance's staff only."""
    return sees_awards(user) and user.is_alliance


def organization_search(user, query: str, *, limit: int = 20) -> list[Organization]:
    """At most limit organisations user may choose whose name or code contains every word of query.

    Diacritics and case do not matter (the registry's search column); archived records are left out.
    """
    if not query.strip():
        return []
    qs = organizations_for(user).filter(archived_on__isnull=True).search(query)
    return list(qs.only("pk", "code", "name").order_by("name", "id")[:limit])


@dataclass(frozen=True)
class CountRow:
    issuer: str
    form: str
    kind: str
    count: int

    @property
    def issuer_label(self) -> str:
        return str(Issuer(self.issuer).label)

    @property
    def form_label(self) -> str:
        return str(AwardForm(self.form).label)

    @property
    def kind_label(self) -> str:
        return str(RecipientKind(self.kind).label)


def _in_period(qs: QuerySet[Recipient], date_from: datetime.date, date_to: datetime.date) -> QuerySet[Recipient]:
    return qs.filter(decision__on__gte=date_from, decision__on__lte=date_to)


def award_counts(*, date_from: datetime.date, date_to: datetime.date, user=None) -> list[CountRow]:
    """Recipients of decisions dated in [date_from, date_to], counted by issuer × form × kind.

    Ordered as the choices are declared; combinations with no recipient are left out.
    ``award_recipients`` with the same keys lists exactly the recipients of each count.
    """
    qs = Recipient.objects.current() if user is None else recipients_for(user)
    rows = (
        _in_period(qs, date_from, date_to)
        .values("decision__issuer", "decision__form", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    issuers, forms, kinds = list(Issuer.values), list(AwardForm.values), list(RecipientKind.values)
    result = [CountRow(r["decision__issuer"], r["decision__form"], r["kind"], r["n"]) for r in rows]
    result.sort(key=lambda r: (issuers.index(r.issuer), forms.index(r.form), kinds.index(r.kind)))
    return result


def award_recipients(
    date_from: datetime.date,
    date_to: datetime.date,
    issuer: str = "",
    form: str = "",
    kind: str = "",
    *,
    user=None,
) -> QuerySet[Recipient]:
    """The recipients behind one count of ``award_counts`` (an empty key means any)."""
    if user is None:
        qs = Recipient.objects.current().select_related("decision", "organization")
    else:
        qs = recipients_for(user)
    qs = _in_period(qs, date_from, date_to)
    if issuer:
        qs = qs.filter(decision__issuer=issuer)
    if form:
        qs = qs.filter(decision__form=form)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("decision__on", "decision__number", "kind", "organization__name", "person_name", "id")


def awards_of(organization: Organization) -> QuerySet[Recipient]:
    """Awards received by an organisation, as a collective or through its people, newest first."""
    return (
        Recipient.objects.current()
        .filter(organization=organization)
        .select_related("decision")
        .order_by("-decision__on", "-decision__id", "kind", "id")
    )
