"""The world the permission matrix is requested in, and the walks over URLs and API operations.

One small world, built once per test module inside a transaction that is rolled back at the
end (each test then runs in a savepoint of it, so a write a test lets through is undone before
the next test). Everything the URLs take hangs on organisation A:

- ``org_a``: a cooperative of Xã Quang Tiến, Huyện Tân Yên; ``coop_own`` is its account and
  ``officer_in`` the officer of Tân Yên;
- ``org_b``: a cooperative of Xã Thanh Vân, Huyện Hiệp Hòa; ``coop_other`` is its account and
  ``officer_out`` the officer of Hiệp Hòa. No object the URLs take by default involves B, so for
  them every object of A is "another organisation's" or "outside the area".
- ``shared_*``: a decision, proposal, course, bloc and programme where A and B both appear (and
  B's own loan and return): everyone who sees either opens them, and must see only its own part.
"""

import datetime
import functools
import io
from dataclasses import dataclass, field
from decimal import Decimal
from http.cookies import SimpleCookie

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from conftest import make_org
from hoptac.core.models import Department, Role, User
from hoptac.geo.models import AdminUnit, Level

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# A Word file need not be valid for a download: the view streams the stored bytes.
DOCX = b"PK\x03\x04 docx of the matrix"

DEPARTMENT_ROLES = {
    "registry": Department.REGISTRY,
    "fund": Department.FUND,
    "training": Department.TRAINING,
    "awards": Department.AWARDS,
    "value_chain": Department.VALUE_CHAIN,
    "office": Department.OFFICE,
}


@dataclass
class World:
    users: dict[str, User | None]  # role -> account (None: anonymous)
    objects: dict[str, object] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)  # role -> session key
    tokens: dict[str, str] = field(default_factory=dict)  # role -> API token key
    clients: dict = field(default_factory=dict)  # (role, client class) -> client, reused

    def ref(self, value):
        """A literal, or "@name" / "@name.attribute": the object's pk (or that attribute) from the world."""
        if not (isinstance(value, str) and value.startswith("@")):
            return value
        name, _dot, attribute = value[1:].partition(".")
        obj = self.objects[name]
        if attribute:
            return getattr(obj, attribute)
        return getattr(obj, "pk", obj)


# ---------------------------------------------------------------- URL patterns


@dataclass(frozen=True)
class Pattern:
    key: str  # "namespace:name", "name", with "[k=v]" when a name is shared, or "<unnamed> route"
    route: str  # the full route, for messages and the rules by prefix


def _walk(resolver, prefix: str = "", namespaces: tuple = ()):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            yield from _walk(pattern, prefix + str(pattern.pattern), inner)
        else:
            assert isinstance(pattern, URLPattern)
            yield namespaces, pattern, prefix + str(pattern.pattern)


def url_patterns() -> list[Pattern]:
    """Every URL pattern of the site, namespaces included, keyed as the matrix names them."""
    rows = list(_walk(get_resolver()))
    qualified = [":".join((*ns, p.name)) if p.name else "" for ns, p, _route in rows]
    patterns = []
    for (_ns, pattern, route), name in zip(rows, qualified, strict=True):
        if not name:
            key = f"<unnamed> {route}"
        elif qualified.count(name) > 1:
            # One name for several patterns (the fund's import templates): the extra kwargs tell them apart.
            extra = ",".join(f"{k}={v}" for k, v in sorted(pattern.default_args.items()) if isinstance(v, str))
            key = f"{name}[{extra}]"
        else:
            key = name
        patterns.append(Pattern(key=key, route=route))
    return patterns


# ---------------------------------------------------------------- API operations


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str  # lower case
    path: str  # "/api/v1/organizations/{id}/"


def api_operations() -> list[Operation]:
    """Every operation of the API's OpenAPI schema, as drf-spectacular writes /api/v1/openapi.json."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        Operation(operation["operationId"], method, path)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]


# ---------------------------------------------------------------- did anything change?

# Written by reading: sessions, login attempts, visit counters and the API token's "last used".
UNWATCHED_TABLES = {"django_session", "portal_dailyvisits", "api_apitoken"}


def _watched_models():
    for model in apps.get_models():
        table = model._meta.db_table
        if model._meta.proxy or not model._meta.managed or table in UNWATCHED_TABLES or table.startswith("axes_"):
            continue
        yield model


@functools.cache
def _fingerprint_sql() -> str:
    quote = connection.ops.quote_name
    parts = []
    for model in _watched_models():
        table = quote(model._meta.db_table)
        parts.append(f"(SELECT COUNT(*) FROM {table})")
        if "modified_on" in {f.name for f in model._meta.concrete_fields}:
            parts.append(f"(SELECT MAX({quote('modified_on')}) FROM {table})")
    return "SELECT " + ", ".join(parts)


def fingerprint() -> tuple:
    """Row counts of every table, and the newest ``modified_on`` where there is one, in one query.

    A refused request must leave it as it was: a row added or removed, or a record saved
    (``modified_on`` moves), changes it.
    """
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql())
        return tuple(cursor.fetchone())


# ---------------------------------------------------------------- the world


def _district(name: str) -> AdminUnit:
    return AdminUnit.objects.valid_on(D(2021, 3, 15)).get(level=Level.DISTRICT, name=name)


def _commune(district: AdminUnit, name: str) -> AdminUnit:
    return AdminUnit.objects.valid_on(D(2021, 3, 15)).get(level=Level.COMMUNE, name=name, parent=district)


def _users(org_a, org_b, tan_yen, hiep_hoa) -> dict[str, User | None]:
    def make(username, **fields):
        # No password: the tests sign in by session, and hashing one costs a second each.
        return User.objects.create_user(username, password=None, **fields)

    # As the deployment guide's createsuperuser and the demo make the alliance's administrator.
    users: dict[str, User | None] = {
        "anonymous": None,
        "admin": make("mx_admin", role=Role.ADMIN, is_staff=True, is_superuser=True),
    }
    for role, department in DEPARTMENT_ROLES.items():
        users[role] = make(f"mx_{role}", role=Role.STAFF, department=department)
    users["officer_in"] = make("mx_officer_in", role=Role.AREA_OFFICER)
    users["officer_in"].areas.add(tan_yen)
    users["officer_out"] = make("mx_officer_out", role=Role.AREA_OFFICER)
    users["officer_out"].areas.add(hiep_hoa)
    users["coop_own"] = make("mx_coop_own", role=Role.COOPERATIVE, organization=org_a)
    users["coop_other"] = make("mx_coop_other", role=Role.COOPERATIVE, organization=org_b)
    return users


def _fund(world: World, org_a, org_b, by) -> None:
    from hoptac.fund import services
    from hoptac.fund.models import CapitalSource, LoanProduct, SourceKind

    product = LoanProduct.objects.create(
        code="MX-60",
        name="Cho vay hỗ trợ HTX",
        eligible_kinds=["HTX", "LHHTX", "THT"],
        max_amount=1_000_000_000,
        max_term_months=60,
        annual_rate=Decimal("7.2"),
    )
    CapitalSource.objects.create(name="Ngân sách tỉnh", kind=SourceKind.PROVINCIAL_BUDGET)
    loan = services.loan_apply(
        borrower=org_a,
        product=product,
        code="MX-VAY-1",
        project_name="Mở rộng vùng trồng vải",
        amount=300_000_000,
        term_months=36,
        on=D(2021, 1, 5),
        project_cost=600_000_000,
        equity_amount=300_000_000,
    )
    appraisal = services.loan_appraise(
        loan=loan,
        on=D(2021, 1, 6),
        text="Dự án khả thi",
        by=by,
        recommendation="approve",
        attachment=ContentFile(PDF, name="tham-dinh.pdf"),
    )
    services.loan_approve(
        loan=loan, amount=300_000_000, decision_number="1/QĐ-QHT", decision_on=D(2021, 1, 8), approver="GĐ", by=by
    )
    services.loan_contract(loan=loan, number="HĐ-1", on=D(2021, 1, 9), by=by)
    services.loan_disburse(loan=loan, amount=300_000_000, on=D(2021, 1, 15), by=by)
    loan_b = services.loan_apply(
        borrower=org_b,
        product=product,
        code="MX-VAY-2",
        project_name="Nhà sơ chế rau",
        amount=200_000_000,
        term_months=24,
        on=D(2021, 2, 1),
        project_cost=400_000_000,
        equity_amount=200_000_000,
    )
    world.objects.update(loan=loan, appraisal=appraisal, loan_b=loan_b)


def _awards(world: World, org_a, org_b, by) -> None:
    from hoptac.awards import services
    from hoptac.awards.models import AwardForm, Issuer, RecipientKind

    decision = services.award_decision_create(
        number="1/QĐ-UBND", on=D(2021, 1, 28), issuer=Issuer.PROVINCE, form=AwardForm.MERIT, by=by
    )
    recipient = services.award_recipient_add(
        decision=decision, kind=RecipientKind.COLLECTIVE, organization=org_a, by=by
    )
    movement = services.movement_create(
        year=2020, name="Phong trào thi đua năm 2020", launched_on=D(2020, 2, 10), by=by
    )
    # A leads its bloc: its account scores the bloc (can_score_bloc), B's does not.
    bloc = services.bloc_create(name="Khối thi đua các HTX", year=2020, leader=org_a, members=[org_a], by=by)
    registration = services.registration_create(
        movement=movement, organization=org_a, targets="Doanh thu tăng 5%", signed_on=D(2020, 3, 10), by=by
    )
    proposal = services.proposal_create(
        title="Tờ trình đề nghị tặng Bằng khen năm 2020",
        year=2020,
        issuer=Issuer.PROVINCE,
        form=AwardForm.MERIT,
        drafted_on=D(2021, 1, 6),
        file=ContentFile(PDF, name="to-trinh.pdf"),
        by=by,
    )
    nominee = services.nominee_add(
        proposal=proposal, kind=RecipientKind.COLLECTIVE, organization=org_a, reason="Xuất sắc", by=by
    )
    shared_decision = services.award_decision_create(
        number="2/QĐ-UBND", on=D(2021, 2, 2), issuer=Issuer.PROVINCE, form=AwardForm.MERIT, by=by
    )
    shared_proposal = services.proposal_create(
        title="Tờ trình đề nghị tặng Giấy khen năm 2020",
        year=2020,
        issuer=Issuer.PROVINCE,
        form=AwardForm.COMMENDATION,
        drafted_on=D(2021, 1, 7),
        by=by,
    )
    for org in (org_a, org_b):
        services.award_recipient_add(decision=shared_decision, kind=RecipientKind.COLLECTIVE, organization=org, by=by)
        services.nominee_add(
            proposal=shared_proposal, kind=RecipientKind.COLLECTIVE, organization=org, reason="Xuất sắc", by=by
        )
    shared_bloc = services.bloc_create(name="Khối thi đua chung", year=2020, members=[org_a, org_b], by=by)
    world.objects.update(
        shared_decision=shared_decision,
        shared_proposal=shared_proposal,
        shared_bloc=shared_bloc,
        decision=decision,
        recipient=recipient,
        movement=movement,
        bloc=bloc,
        registration=registration,
        proposal=proposal,
        nominee=nominee,
    )


def _journal(world: World, org_a, by) -> None:
    from hoptac.journal import services
    from hoptac.journal.models import Area, DocumentKind

    document = services.document_create(
        kind=DocumentKind.PROPOSAL,
        title="Đề án chuyển đổi số HTX",
        drafted_on=D(2021, 2, 1),
        year=2021,
        file=ContentFile(PDF, name="de-an.pdf"),
        by=by,
    )
    entry = services.journal_entry_create(
        on=D(2021, 2, 3),
        area=Area.PROMOTION,
        title="Hướng dẫn thành lập HTX",
        text="Hướng dẫn sáng lập viên.",
        organizations=[org_a],
        by=by,
    )
    world.objects.update(document=document, journal_entry=entry)


def _training(world: World, org_a, org_b, by) -> None:
    from hoptac.training import services
    from hoptac.training.models import BudgetSource, TargetGroup

    plan = services.plan_create(year=2021, title="Kế hoạch tập huấn năm 2021", budget=210_000_000, by=by)
    plan = services.plan_issue(plan=plan, number="05/KH-LMHTX", issued_on=D(2021, 1, 15), by=by)
    planned = services.planned_course_add(
        plan=plan,
        topic="Bồi dưỡng kiến thức quản lý HTX",
        target_group=TargetGroup.MANAGERS,
        quarter=2,
        month=4,
        participants=40,
        budget=120_000_000,
        budget_source=BudgetSource.PROVINCE,
        by=by,
    )
    course = services.course_create(
        planned=planned,
        topic="Bồi dưỡng kiến thức quản lý HTX",
        starts_on=D(2021, 4, 20),
        ends_on=D(2021, 4, 22),
        place="Hội trường UBND huyện Tân Yên",
        target_group=TargetGroup.MANAGERS,
        budget=112_500_000,
        budget_source=BudgetSource.PROVINCE,
        by=by,
    )
    participant = services.participant_add(
        course=course, full_name="Nguyễn Văn An", position="Giám đốc", organization=org_a, by=by
    )
    shared_course = services.course_create(
        topic="Tập huấn nghiệp vụ kế toán HTX",
        starts_on=D(2021, 5, 18),
        ends_on=D(2021, 5, 19),
        place="Trung tâm Hội nghị tỉnh",
        target_group=TargetGroup.ACCOUNTANTS,
        budget=84_000_000,
        budget_source=BudgetSource.PROVINCE,
        by=by,
    )
    for name, org in (("Lê Thị Kế Toán", org_a), ("Phạm Văn Sổ Sách", org_b)):
        services.participant_add(course=shared_course, full_name=name, position="Kế toán", organization=org, by=by)
    world.objects.update(
        training_plan=plan, planned_course=planned, course=course, participant=participant, shared_course=shared_course
    )


def _value_chains(world: World, org_a, org_b, by) -> None:
    from hoptac.valuechain import services
    from hoptac.valuechain.models import ProgrammeStatus
    from hoptac.valuechain.services import Decision, Score

    programme = services.programme_create(
        name="Hỗ trợ xây dựng chuỗi giá trị năm 2021", year_from=2021, budget=1_000_000_000, by=by
    )
    criterion = services.criterion_add(programme=programme, text="Liên kết tiêu thụ", max_score=10, by=by)
    services.programme_set_status(programme=programme, status=ProgrammeStatus.SURVEY, by=by)
    survey = services.survey_create(
        programme=programme, organization=org_a, surveyed_on=D(2021, 3, 1), status="under_way", by=by
    )
    services.survey_score(survey=survey, answers={criterion: Score(8, "Có hợp đồng")}, by=by)
    services.survey_mark_done(survey=survey, done_on=D(2021, 3, 5), by=by)
    selection = services.selection_record(
        programme=programme, decisions=[Decision(survey, True)], decided_on=D(2021, 3, 20), by=by
    )[0]
    plan = services.plan_create(selection=selection, title="Kế hoạch hỗ trợ tiêu thụ", starts_on=D(2021, 4, 1), by=by)
    activity = services.activity_add(plan=plan, description="Tập huấn VietGAP", planned_on=D(2021, 5, 1), by=by)
    product = services.product_add(plan=plan, name="Vải thiều", ocop_stars=4, by=by)
    shared = services.programme_create(name="Chuỗi giá trị rau an toàn", year_from=2021, by=by)
    services.criterion_add(programme=shared, text="Quy mô sản xuất", max_score=10, by=by)
    services.programme_set_status(programme=shared, status=ProgrammeStatus.SURVEY, by=by)
    for day, org in ((1, org_a), (2, org_b)):
        services.survey_create(
            programme=shared, organization=org, surveyed_on=D(2021, 3, day), status="under_way", by=by
        )
    world.objects.update(
        shared_programme=shared,
        programme=programme,
        criterion=criterion,
        survey=survey,
        selection=selection,
        vc_plan=plan,
        activity=activity,
        product=product,
    )


def _reports(world: World, by) -> None:
    from hoptac.briefing import services
    from hoptac.briefing.models import Report
    from hoptac.briefing.periods import make_period

    draft = services.report_create(period=make_period("quarter", 2021, 1), as_of=D(2021, 3, 15), by=by)
    period = make_period("quarter", 2020, 4)
    # Issued and published as the briefing app stores it, without rendering its Word and PDF files.
    published = Report.objects.create(
        period_kind="quarter",
        year=2020,
        period_number=4,
        date_from=period.date_from,
        date_to=period.date_to,
        as_of=period.date_to,
        title="Một số kết quả hoạt động Quý IV/2020",
        status="issued",
        sequence_year=2021,
        sequence=1,
        number="01/BC-LMHTX",
        issued_on=D(2021, 1, 5),
        published_on=timezone.now(),
    )
    published.docx.save("bao-cao-01-2021.docx", ContentFile(DOCX), save=False)
    published.pdf.save("bao-cao-01-2021.pdf", ContentFile(PDF), save=True)
    world.objects.update(draft_report=draft, published_report=published)


def _returns(world: World, org_a, org_b, by) -> None:
    from hoptac.returns import services
    from hoptac.returns.models import ReturnForm

    annual = ReturnForm.objects.get(code="annual_htx")
    valid = {
        "model": "services",
        "qualification_chair": "university",
        "qualification_director": "intermediate",
        "qualification_supervisor": "elementary",
        "members_start": "12",
        "members_end": "15",
        "employees": "8",
        "employees_members": "6",
        "charter_capital": "500.000.000",
        "total_assets": "1.200.000.000",
        "revenue": "2.500.000.000",
        "profit": "150.000.000",
        "taxes": "20.000.000",
        "avg_income": "60.000.000",
        "member_services": "75,5",
    }

    def submitted(year, org=org_a):
        ret = services.return_open(form=annual, organization=org, year=year, by=by)
        return services.return_submit(ret=ret, by=by, values=dict(valid), on=D(year, 12, 10))

    approved = services.return_approve(ret=submitted(2018), by=by)
    services.return_approve(ret=submitted(2018, org_b), by=by)
    submitted(2020, org_b)
    world.objects.update(
        # Each in the state its URLs act on: a draft is edited, a submitted return reviewed, an approved reopened.
        draft_return=services.return_open(form=annual, organization=org_a, year=2019, by=by),
        submitted_return=submitted(2020),
        approved_return=approved,
    )


def _portal(world: World, by) -> None:
    from PIL import Image as PILImage
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

    from hoptac.portal import setup
    from hoptac.portal.models import ArticlePage, HomePage

    setup.ensure_portal()
    news = HomePage.objects.get().get_children().get(slug="tin-tuc").specific

    def article(title, slug):
        page = ArticlePage(title=title, slug=slug, date=D(2021, 3, 15), intro="Tóm tắt.", body="<p>Nội dung.</p>")
        news.add_child(instance=page)
        page.save_revision(user=by).publish(user=by)
        return page

    public = article("Hội nghị tổng kết năm 2020", "hoi-nghi-tong-ket")
    private = article("Tin nội bộ", "tin-noi-bo")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    secret = article("Tin có mật khẩu", "tin-co-mat-khau")
    page_password = PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.PASSWORD, password="mat-khau-tin"
    )

    root = Collection.get_first_root_node()
    closed = root.add_child(name="Tài liệu có mật khẩu")
    collection_password = CollectionViewRestriction.objects.create(
        collection=closed, restriction_type=CollectionViewRestriction.PASSWORD, password="mat-khau-tai-lieu"
    )
    Document = get_document_model()
    document = Document.objects.create(title="Kế hoạch năm 2021", file=ContentFile(PDF, name="ke-hoach.pdf"))
    buffer = io.BytesIO()
    PILImage.new("RGB", (80, 45), (11, 61, 110)).save(buffer, "PNG")
    image = get_image_model().objects.create(title="Ảnh hội nghị", file=ContentFile(buffer.getvalue(), "hoi-nghi.png"))
    world.objects.update(
        article_path=public.url,
        private_article_path=private.url,
        page_password=page_password,
        secret_article=secret,
        collection_password=collection_password,
        wagtail_document=document,
        document_path=reverse("wagtaildocs_serve", args=[document.pk, document.filename]),
        image_path=image.file.name,
    )


def _api(world: World) -> None:
    from hoptac.api.services import token_create

    for role, user in world.users.items():
        if user is not None:
            token, key = token_create(user=user, name=f"ma trận {role}", by=user)
            world.tokens[role] = key
            if role == "coop_own":
                world.objects["token"] = token


def build_world() -> World:
    """The world (see the module's docstring); call it inside a transaction that is rolled back afterwards."""
    tan_yen, hiep_hoa = _district("Huyện Tân Yên"), _district("Huyện Hiệp Hòa")
    org_a = make_org(_commune(tan_yen, "Xã Quang Tiến"), name="Hợp tác xã Ma trận Quang Tiến", code="2499000001")
    org_b = make_org(_commune(hiep_hoa, "Xã Thanh Vân"), name="Hợp tác xã Ma trận Thanh Vân", code="2499000002")
    world = World(users=_users(org_a, org_b, tan_yen, hiep_hoa))
    world.objects.update(org_a=org_a, org_b=org_b)
    admin = world.users["admin"]
    _fund(world, org_a, org_b, admin)
    _awards(world, org_a, org_b, admin)
    _journal(world, org_a, admin)
    _training(world, org_a, org_b, admin)
    _value_chains(world, org_a, org_b, admin)
    _reports(world, admin)
    _returns(world, org_a, org_b, admin)
    _portal(world, admin)
    _api(world)
    for role, user in world.users.items():
        if user is not None:
            client = Client()
            client.force_login(user)
            world.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert not Group.objects.filter(user__in=[u for r, u in world.users.items() if u and r != "admin"]).exists(), (
        "only the administrator is in a portal group: staff become editors when an administrator says so"
    )
    return world


def client_for(world: World, role: str, client_class=Client):
    """A client signed in as role (through its session cookie), or anonymous, with no other cookie.

    One client per role is reused: a new one loads the middleware again, and WhiteNoise's
    scans every static file (a tenth of a second each time).
    """
    client = world.clients.get((role, client_class))
    if client is None:
        client = world.clients[role, client_class] = client_class()
    client.cookies = SimpleCookie()
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    return client
