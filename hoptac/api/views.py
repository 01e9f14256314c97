"""The REST API's endpoints under /api/v1/.

Public endpoints (directory, statistics, reports, units) answer anyone, throttled per
address; the rest need a token and see exactly what the token's account sees in the web
pages: the same selectors decide (``organizations_for``, ``loans_for``), and writes go
through the same services, so validation and the audit log apply unchanged. Something an
account may not see answers 404; something it sees but may not change answers 403.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework import generics, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from hoptac.briefing.selectors import published_reports
from hoptac.core.models import Role
from hoptac.fund.selectors import loans_for, loans_with_money, position
from hoptac.geo.models import AdminUnit, Level, bare_name
from hoptac.geo.selectors import province_units
from hoptac.registry import selectors as registry
from hoptac.registry import services as registry_services
from hoptac.registry.models import Organization
from hoptac.returns import selectors as returns_selectors
from hoptac.returns import services as returns_services
from hoptac.returns import validation as returns_validation

from . import selectors, serializers
from .authentication import TokenAuthentication
from .errors import Conflict, exception_handler
from .pagination import Pages
from .throttling import AnonThrottle, UserThrottle


class ApiMixin:
    """What every endpoint shares: token (or session) authentication, JSON, throttling, the error shape."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = [AnonThrottle, UserThrottle]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    pagination_class = Pages

    def get_exception_handler(self):
        return exception_handler

    def query(self, serializer_class) -> dict:
        """The query parameters, checked: a bad one answers 400 naming it.

        A plain dict, not the QueryDict: REST framework would read "?kind=" as "no kind" from a
        QueryDict (as from an HTML form), where the schema says an empty value is not a kind.
        """
        params = serializer_class(data=self.request.query_params.dict())
        params.is_valid(raise_exception=True)
        return params.validated_data


class PublicMixin(ApiMixin):
    permission_classes = [AllowAny]


class Schema(ApiMixin, SpectacularJSONAPIView):
    """The OpenAPI 3 description of this API."""

    permission_classes = [AllowAny]
    renderer_classes = SpectacularJSONAPIView.renderer_classes


# ---------------------------------------------------------------- public


@extend_schema(tags=["directory"], parameters=[serializers.DirectoryQuery])
class DirectoryList(PublicMixin, generics.ListAPIView):
    """Organisations operating today, public fields only (as the public directory shows them)."""

    serializer_class = serializers.PublicOrganizationSerializer

    def get_queryset(self):
        params = self.query(serializers.DirectoryQuery)
        qs = selectors.public_organizations()
        if params.get("q"):
            qs = qs.search(params["q"])
        if params.get("kind"):
            qs = qs.filter(kind=params["kind"])
        if params.get("sector"):
            qs = qs.filter(sector=params["sector"])
        if params.get("district"):
            district = (
                AdminUnit.objects.valid_on(selectors.LAST_DISTRICT_DAY)
                .filter(level=Level.DISTRICT, code=params["district"], parent__code=settings.ALLIANCE_PROVINCE_CODE)
                .first()
            )
            if district is None:
                raise ValidationError({"district": [_("No district of the province had this code.")]})
            qs = qs.filter(commune_id__in=registry.communes_in_district_on(district.pk, selectors.LAST_DISTRICT_DAY))
        if params.get("commune_now"):
            qs = qs.filter(commune__current__code=params["commune_now"], commune__current__valid_to__isnull=True)
        return qs


@extend_schema(tags=["directory"], responses=serializers.PublicProfileSerializer)
class DirectoryDetail(PublicMixin, generics.GenericAPIView):
    """One organisation of the directory: public fields, collective awards, value chains and products."""

    serializer_class = serializers.PublicProfileSerializer

    def get(self, request, code: str):
        org = selectors.public_organization(code)
        if org is None:
            raise Http404
        context = {"request": request}
        data = serializers.PublicOrganizationSerializer(org, context=context).data
        data["awards"] = serializers.PublicAwardSerializer(selectors.public_awards(org), many=True).data
        data["value_chains"] = serializers.PublicValueChainSerializer(
            selectors.public_value_chains(org), many=True
        ).data
        data["products"] = serializers.PublicProductSerializer(selectors.public_products(org), many=True).data
        return Response(data)


def _statistics(view: ApiMixin, queryset=None) -> Response:
    params = view.query(serializers.StatisticsQuery)
    stats = registry.registry_statistics(
        as_of=params.get("as_of") or timezone.localdate(),
        date_from=params.get("from"),
        grouping=params.get("grouping") or "then",
        queryset=queryset,
    )
    return Response(serializers.StatisticsSerializer(stats).data)


@extend_schema(tags=["statistics"], parameters=[serializers.StatisticsQuery])
class Statistics(PublicMixin, generics.GenericAPIView):
    """Organisations active on a date by type, sector, national group and area; foundings and endings over a period.

    The figures of the public statistics page and its files, for the whole province.
    """

    serializer_class = serializers.StatisticsSerializer
    pagination_class = None

    def get(self, request):
        return _statistics(self)


@extend_schema(tags=["reports"], parameters=[serializers.ReportQuery])
class ReportList(PublicMixin, generics.ListAPIView):
    """Published reports of the alliance, newest first, with links to their files."""

    serializer_class = serializers.ReportSerializer

    def get_queryset(self):
        return published_reports(self.query(serializers.ReportQuery).get("year"))


@extend_schema(tags=["units"], parameters=[serializers.UnitQuery])
class UnitList(PublicMixin, generics.ListAPIView):
    """Administrative units of the province, of every era (ids are what organisations' ``commune`` takes)."""

    serializer_class = serializers.UnitSerializer

    def get_queryset(self):
        params = self.query(serializers.UnitQuery)
        qs = province_units(settings.ALLIANCE_PROVINCE_CODE)
        if params.get("level"):
            qs = qs.filter(level=params["level"])
        if params.get("valid_on"):
            qs = qs.valid_on(params["valid_on"])
        if params.get("parent"):
            qs = qs.filter(parent_id=params["parent"])
        if params.get("q"):
            text = params["q"].strip()
            # "Huyện Tân Yên", "tan yen" and "216" all find Tân Yên (match_name drops the unit word).
            qs = qs.filter(Q(code=text) | Q(match_name__contains=bare_name(text)))
        return qs.order_by("level", "name", "valid_from", "id")


# ---------------------------------------------------------------- the account


@extend_schema(tags=["account"])
class Me(ApiMixin, generics.GenericAPIView):
    """Who the token acts as, and what it can see."""

    serializer_class = serializers.MeSerializer

    def get(self, request):
        user = request.user
        org = user.organization
        data = {
            "username": user.username,
            "role": user.role,
            "department": user.department,
            "organization": {"id": org.pk, "code": org.code, "name": org.name} if org else None,
            "areas": [{"code": u.code, "name": u.name} for u in user.areas.order_by("name")],
            "token": getattr(request.auth, "name", None),
        }
        return Response(serializers.MeSerializer(data).data)


# ---------------------------------------------------------------- the registry


def _visible_organization(user, pk: int) -> Organization:
    return get_object_or_404(registry.organizations_for(user).select_related("commune__parent"), pk=pk)


def _with_status(org: Organization, day=None) -> Organization:
    org.status = org.status_on(day or timezone.localdate())
    return org


def _refuse_unknown_fields(data, allowed) -> None:
    if not isinstance(data, dict):
        return  # the serializer says what is wrong with a body that is not an object
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed here.")] for name in unknown})


@extend_schema_view(
    get=extend_schema(tags=["registry"], parameters=[serializers.OrganizationQuery]),
    post=extend_schema(
        tags=["registry"],
        request=serializers.OrganizationWriteSerializer,
        responses={201: serializers.OrganizationSerializer},
    ),
)
class OrganizationList(ApiMixin, generics.ListAPIView):
    """Organisations the account may see (GET); register a new one (POST: the alliance and area officers)."""

    serializer_class = serializers.OrganizationSerializer

    def get_queryset(self):
        params = self.query(serializers.OrganizationQuery)
        filters = registry.ListFilters(
            q=params.get("q", ""),
            kind=params.get("kind", ""),
            sector=params.get("sector", ""),
            status=params.get("status", "active"),
            as_of=params.get("as_of"),
            district=params.get("district"),
            commune_now=params.get("commune_now"),
            member=params.get("member", ""),
            archived=params.get("archived", False),
        )
        return registry.organization_list(self.request.user, filters)

    def post(self, request):
        if not registry.can_manage_registry(request.user):
            raise PermissionDenied
        _refuse_unknown_fields(request.data, serializers.OrganizationWriteSerializer.Meta.fields)
        write = serializers.OrganizationWriteSerializer(data=request.data, user=request.user)
        write.is_valid(raise_exception=True)
        org = registry_services.organization_create(by=request.user, **write.validated_data)
        body = serializers.OrganizationSerializer(_with_status(org)).data
        return Response(
            body, status=status.HTTP_201_CREATED, headers={"Location": reverse("api:organization", args=[org.pk])}
        )


@extend_schema_view(
    get=extend_schema(tags=["registry"]),
    patch=extend_schema(
        tags=["registry"],
        request=serializers.OrganizationUpdateSerializer,
        responses=serializers.OrganizationSerializer,
        description="Change some fields. Send the `version` you read: if the record changed since, the answer "
        "is 409 and nothing is saved. A cooperative's own account may change only its contacts, "
        "representative, members, employees and charter capital.",
    ),
)
class OrganizationDetail(ApiMixin, generics.GenericAPIView):
    """One organisation the account may see, every field."""

    serializer_class = serializers.OrganizationSerializer

    def get(self, request, pk: int):
        org = _with_status(_visible_organization(request.user, pk))
        return Response(serializers.OrganizationSerializer(org).data)

    def patch(self, request, pk: int):
        org = _visible_organization(request.user, pk)
        if not registry.can_edit(request.user, org):
            raise PermissionDenied
        if org.archived_on:
            raise Conflict(message=_("This record is archived; restore it before editing."))
        write_class = (
            serializers.CooperativeUpdateSerializer
            if request.user.role == Role.COOPERATIVE and not request.user.is_alliance
            else serializers.OrganizationUpdateSerializer
        )
        _refuse_unknown_fields(request.data, write_class.Meta.fields)
        write = write_class(org, data=request.data, partial=True, user=request.user)
        write.is_valid(raise_exception=True)
        data = dict(write.validated_data)
        if "version" not in data:
            raise ValidationError({"version": [_("Send the version of the record you read.")]})
        version = data.pop("version")
        try:
            org = registry_services.organization_update(
                organization=org, by=request.user, data=data, expected_version=version
            )
        except registry_services.StaleEdit as stale:
            raise Conflict(
                fields={name: [_("Changed by someone else since you read it.")] for name in stale.changes}
            ) from None
        return Response(serializers.OrganizationSerializer(_with_status(org)).data)


@extend_schema(tags=["registry"], parameters=[serializers.StatisticsQuery])
class OrganizationStatistics(ApiMixin, generics.GenericAPIView):
    """The statistics counted over the organisations the account may see (an area officer's area…)."""

    serializer_class = serializers.StatisticsSerializer
    pagination_class = None

    def get(self, request):
        return _statistics(self, registry.organizations_for(request.user))


@extend_schema_view(
    get=extend_schema(tags=["registry"]),
    post=extend_schema(
        tags=["registry"], request=serializers.EventWriteSerializer, responses={201: serializers.EventSerializer}
    ),
)
class EventList(ApiMixin, generics.ListAPIView):
    """An organisation's lifecycle events (GET); record one (POST: the alliance and area officers)."""

    serializer_class = serializers.EventSerializer

    def get_queryset(self):
        org = _visible_organization(self.request.user, self.kwargs["pk"])
        return org.events.select_related("merged_into").order_by("on", "id")

    def post(self, request, pk: int):
        org = _visible_organization(request.user, pk)
        if not registry.can_manage_registry(request.user):
            raise PermissionDenied
        _refuse_unknown_fields(request.data, serializers.EventWriteSerializer().fields)
        write = serializers.EventWriteSerializer(data=request.data, organization=org)
        write.is_valid(raise_exception=True)
        event = registry_services.event_record(organization=org, by=request.user, **write.validated_data)
        return Response(serializers.EventSerializer(event).data, status=status.HTTP_201_CREATED)


# ---------------------------------------------------------------- the fund


def _loan_rows(loans, day):
    for loan in loans:
        loan.position = position(loan, day)
    return loans


@extend_schema(tags=["fund"], parameters=[serializers.LoanQuery])
class LoanList(ApiMixin, generics.ListAPIView):
    """Loans the account may see, each with its position on as_of (today by default)."""

    serializer_class = serializers.LoanSerializer

    def get_queryset(self):
        params = self.query(serializers.LoanQuery)
        self.day = params.get("as_of") or timezone.localdate()
        qs = loans_for(self.request.user)
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        if params.get("borrower"):
            qs = qs.filter(borrower_id=params["borrower"])
        return loans_with_money(qs).order_by("-applied_on", "code", "id")

    def list(self, request, *args, **kwargs):
        queryset = self.get_queryset()
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(_loan_rows(page, self.day), many=True).data)


@extend_schema(tags=["fund"], parameters=[serializers.AsOfQuery])
class LoanDetail(ApiMixin, generics.GenericAPIView):
    """One loan the account may see, with its position on as_of."""

    serializer_class = serializers.LoanSerializer

    def get(self, request, pk: int):
        day = self.query(serializers.AsOfQuery).get("as_of") or timezone.localdate()
        loan = get_object_or_404(loans_with_money(loans_for(request.user)), pk=pk)
        loan.position = position(loan, day)
        return Response(serializers.LoanSerializer(loan).data)


# ---------------------------------------------------------------- returns


def _return_body(ret, *, detail: bool = False) -> dict:
    org = ret.organization
    data = {
        "id": ret.pk,
        "form": ret.form,
        "organization": {"id": org.pk, "code": org.code, "name": org.name} if org else None,
        "year": ret.year,
        "quarter": ret.quarter,
        "status": ret.status,
        "revision": ret.revision,
        "submitted_on": ret.submitted_on,
        "approved_on": ret.approved_on,
        "comment": ret.comment,
        "values": {code: returns_validation.plain(v) for code, v in returns_validation.values_of(ret).items()},
    }
    if detail:
        data["form_fields"] = returns_validation.specs_for(ret.version)
        return serializers.ReturnDetailSerializer(data).data
    return serializers.ReturnSerializer(data).data


def _visible_return(user, pk: int):
    return get_object_or_404(
        returns_selectors.returns_for(user).select_related("form", "version", "organization"), pk=pk
    )


def _refuse_unknown_codes(ret, values: dict) -> None:
    codes = {spec.code for spec in returns_validation.specs_for(ret.version)}
    unknown = sorted(set(values) - codes)
    if unknown:
        raise ValidationError({"values": {code: [_("This form has no such field.")] for code in unknown}})


def _returns_call(service, **kwargs):
    """A returns service, its refusals as API errors: values by field, a stale revision as 409."""
    try:
        return service(**kwargs)
    except returns_services.StaleReturn as stale:
        raise Conflict(
            message=_("The return was saved by someone else since your revision; read it again, then retry."),
            fields={"revision": [str(r.revision) for r in stale.revisions]},
        ) from None
    except returns_services.ReturnInvalid as invalid:
        raise ValidationError({"values": invalid.errors}) from None


@extend_schema(tags=["returns"])
class ReturnFormList(ApiMixin, generics.ListAPIView):
    """The return forms in use: their codes open returns."""

    serializer_class = serializers.ReturnFormSerializer
    pagination_class = None

    def get_queryset(self):
        return returns_selectors.forms_in_use()


@extend_schema_view(
    get=extend_schema(tags=["returns"], parameters=[serializers.ReturnQuery]),
    post=extend_schema(
        tags=["returns"],
        request=serializers.ReturnOpenSerializer,
        responses={201: serializers.ReturnDetailSerializer},
        description="Start the draft of a return: an organisation's own account for its organisation, area "
        "officers and registry staff on an organisation's behalf.",
    ),
)
class ReturnList(ApiMixin, generics.ListAPIView):
    """Returns the account may see (GET); open a new one (POST)."""

    serializer_class = serializers.ReturnSerializer

    def get_queryset(self):
        params = self.query(serializers.ReturnQuery)
        qs = returns_selectors.returns_for(self.request.user).select_related("form", "organization")
        if params.get("form"):
            qs = qs.filter(form__code=params["form"])
        for name in ("year", "quarter", "status"):
            if params.get(name):
                qs = qs.filter(**{name: params[name]})
        if params.get("organization"):
            qs = qs.filter(organization_id=params["organization"])
        return qs.prefetch_related("values__indicator").order_by("-year", "-quarter", "form__code", "id")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([_return_body(ret) for ret in page])

    def post(self, request):
        # Who may open no return at all hears so before anything about the body (403, not 400).
        if not returns_selectors.fills_any_return(request.user):
            raise PermissionDenied
        _refuse_unknown_fields(request.data, serializers.ReturnOpenSerializer().fields)
        write = serializers.ReturnOpenSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        data = write.validated_data
        form = returns_selectors.forms_in_use().filter(code=data["form"]).first()
        if form is None:
            raise ValidationError({"form": [_("No form in use has this code.")]})
        organization = None
        if data["organization"] is not None:
            organization = registry.organizations_for(request.user).filter(pk=data["organization"]).first()
            if organization is None:
                raise ValidationError({"organization": [_("No organisation you may see has this id.")]})
        ret = returns_services.return_open(
            form=form, organization=organization, year=data["year"], quarter=data["quarter"], by=request.user
        )
        return Response(
            _return_body(ret, detail=True),
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api:return", args=[ret.pk])},
        )


def _require_filler(user, ret) -> None:
    """403 for one who sees the return but may not fill it, before the body is read."""
    if not returns_selectors.can_fill(user, form=ret.form, organization=ret.organization):
        raise PermissionDenied


@extend_schema_view(
    get=extend_schema(tags=["returns"], responses=serializers.ReturnDetailSerializer),
    patch=extend_schema(
        tags=["returns"],
        request=serializers.ReturnValuesSerializer,
        responses=serializers.ReturnDetailSerializer,
        description="Save values of a draft (or a return sent back): send the revision you read. Values are "
        "checked one by one (unreadable or out of range answers 400, by field); required fields and rules "
        "across fields are checked on submission.",
    ),
)
class ReturnDetail(ApiMixin, generics.GenericAPIView):
    """One return the account may see, with its values and the fields of its form."""

    serializer_class = serializers.ReturnDetailSerializer

    def get(self, request, pk: int):
        return Response(_return_body(_visible_return(request.user, pk), detail=True))

    def patch(self, request, pk: int):
        ret = _visible_return(request.user, pk)
        _require_filler(request.user, ret)
        _refuse_unknown_fields(request.data, serializers.ReturnValuesSerializer().fields)
        write = serializers.ReturnValuesSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        _refuse_unknown_codes(ret, write.validated_data["values"])
        ret = _returns_call(
            returns_services.return_save,
            ret=ret,
            values=write.validated_data["values"],
            revision=write.validated_data["revision"],
            by=request.user,
        )
        return Response(_return_body(ret, detail=True))


@extend_schema(
    tags=["returns"],
    request=serializers.ReturnSubmitSerializer,
    responses=serializers.ReturnDetailSerializer,
    description="Submit the return for review, saving the values sent first. Every required field and every "
    "rule across fields must pass; otherwise 400 lists all the problems by field and nothing is saved.",
)
class ReturnSubmit(ApiMixin, generics.GenericAPIView):
    """Submit a return."""

    serializer_class = serializers.ReturnDetailSerializer

    def post(self, request, pk: int):
        ret = _visible_return(request.user, pk)
        _require_filler(request.user, ret)
        _refuse_unknown_fields(request.data, serializers.ReturnSubmitSerializer().fields)
        write = serializers.ReturnSubmitSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        _refuse_unknown_codes(ret, write.validated_data["values"])
        ret = _returns_call(
            returns_services.return_submit,
            ret=ret,
            values=write.validated_data["values"] or None,
            revision=write.validated_data.get("revision"),
            by=request.user,
        )
        return Response(_return_body(ret, detail=True))
