"""Reads of the awards app. The counts page, its drill-down and the export all come from here."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from hoptac.core.models import Department, Role
from hoptac.registry.models import Organization
from hoptac.registry.selectors import organizations_for

from .models import AwardForm, Bloc, Decision, Issuer, Movement, Recipient, RecipientKind, Registration


def can_manage_awards(user) -> bool:
    """Record movements, blocs and decisions: administrators and the awards department only."""
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_admin or (user.role == Role.STAFF and user.department == Department.AWARDS)
    )


def sees_awards(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def recipients_for(user) -> QuerySet[Recipient]:
    """Recipients user may see: all for alliance staff; otherwise those of organisations they see."""
    qs = Recipient.objects.select_related("decision", "organization")
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
    qs = decisions_for(user).annotate(recipient_count=Count("recipients"))
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
    qs = Bloc.objects.select_related("leader").annotate(member_count=Count("members")).order_by("-year", "name")
    if not sees_awards(user):
        return qs.none()
    if user.is_alliance:
        return qs
    return qs.filter(members__in=organizations_for(user)).distinct()


def registrations_for(user) -> QuerySet[Registration]:
    qs = Registration.objects.select_related("movement", "bloc", "organization")
    if not sees_awards(user):
        return qs.none()
    if user.is_alliance:
        return qs
    seen = organizations_for(user)
    return qs.filter(Q(organization__in=seen) | Q(bloc__members__in=seen)).distinct()


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
    qs = Recipient.objects.all() if user is None else recipients_for(user)
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
    qs = Recipient.objects.select_related("decision", "organization") if user is None else recipients_for(user)
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
        Recipient.objects.filter(organization=organization)
        .select_related("decision")
        .order_by("-decision__on", "-decision__id", "kind", "id")
    )
