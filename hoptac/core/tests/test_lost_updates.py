"""No lost updates: two people open the same record, both save; the second save is refused.

Each test goes through the real pages, as two browsers would: both open the form on the same
version, the first saves, the second posts what it typed and is refused with a Vietnamese
message that says what changed meanwhile, and the database holds only the first change.
"""

import datetime
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from hoptac.core.models import AuditEntry, Department, Role, User
from hoptac.fund.models import Loan, LoanProduct, LoanStatus, Repayment
from hoptac.fund.tests.conftest import disbursed_loan
from hoptac.portal import setup as portal_setup
from hoptac.portal.models import ArticlePage, HomePage
from hoptac.registry.models import Organization
from hoptac.returns import services as returns_services
from hoptac.returns import validation
from hoptac.returns.models import Indicator, ReturnForm

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-thu-nghiem-1"


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


class _FormReader(HTMLParser):
    """What a browser would post from one <form> of a page: inputs, checked boxes, textareas, selected options."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            return
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.append((name, attrs.get("value") or ("on" if kind in ("checkbox", "radio") else "")))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.append((name, ""))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in attrs:
                self.data.append((self._select, value))
                self._select_chosen = True

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea:
            # As browsers do (HTML spec): a newline right after <textarea> is not part of the value.
            name, value = self.data[-1]
            self.data[-1] = (name, value.removeprefix("\r").removeprefix("\n"))
            self._textarea = None
        elif tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self.data.append((self._select, self._select_first))
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            name, value = self.data[-1]
            self.data[-1] = (name, value + data)


def opened_form(client, url: str, form_id: str) -> dict:
    """Open a page and read the form as the browser holds it (the hidden version fields included)."""
    response = client.get(url)
    assert response.status_code == 200, url
    return form_fields(response.content.decode(), form_id)


def form_fields(html: str, form_id: str) -> dict:
    """The values a browser would post from the form #form_id of html."""
    reader = _FormReader(form_id)
    reader.feed(html)
    assert reader.data, f"no form #{form_id}"
    data: dict = {}
    for name, value in reader.data:
        data.setdefault(name, []).append(value)
    return {name: values[0] if len(values) == 1 else values for name, values in data.items()}


def person(username: str, **fields) -> User:
    return User.objects.create_user(username, password=PASSWORD, first_name=username.capitalize(), **fields)


def signed_in(client_class, user: User):
    client = client_class()
    client.force_login(user)
    return client


# ---------------------------------------------------------------- organisations


def test_second_save_of_an_organisation_is_refused_with_what_changed(client, staff, admin, org_tan_yen):
    url = reverse("registry:edit", args=[org_tan_yen.pk])
    first, second = signed_in(type(client), admin), signed_in(type(client), staff)
    form_first = _registry_form(first, url)
    form_second = _registry_form(second, url)

    assert first.post(url, {**form_first, "representative": "Trần Thị Bình"}).status_code == 302
    response = second.post(url, {**form_second, "name": "Tên do cán bộ thứ hai gõ"})

    assert response.status_code == 409
    html = response.content.decode()
    assert "Người khác đã lưu hồ sơ này sau khi bạn mở biểu mẫu. Thay đổi của bạn chưa được lưu." in html
    assert "Trần Thị Bình" in html  # what the first person changed is shown
    assert 'value="Tên do cán bộ thứ hai gõ"' in html  # what the second typed is kept
    org = Organization.objects.get(pk=org_tan_yen.pk)
    assert (org.name, org.representative) == ("Hợp tác xã Nông nghiệp Quang Tiến Tân Yên", "Trần Thị Bình")


def _registry_form(client, url: str) -> dict:
    # The organisation form has no id: it is the page's only form posting to itself.
    response = client.get(url)
    form = response.context["form"]
    data = {}
    for field in form:
        value = field.value()
        if value is None:
            value = ""
        elif isinstance(value, datetime.date):
            value = value.strftime("%d/%m/%Y")
        data[field.html_name] = value
    return data


# ---------------------------------------------------------------- returns


def test_second_save_of_a_return_is_refused_with_who_saved_and_what_changed(client, coop_user, officer, org_tan_yen):
    annual = ReturnForm.objects.get(code="annual_htx")
    ret = returns_services.return_open(form=annual, organization=org_tan_yen, year=2020, by=coop_user)
    url = reverse("returns:entry", args=[ret.pk])
    first, second = signed_in(type(client), officer), signed_in(type(client), coop_user)
    form_first = opened_form(first, url, "entry-form")
    form_second = opened_form(second, url, "entry-form")
    assert form_first["revision"] == form_second["revision"]

    assert first.post(url, {**form_first, "action": "save", "v-employees": "8"}).status_code == 302
    response = second.post(url, {**form_second, "action": "save", "v-employees": "9"})

    assert response.status_code == 409
    html = response.content.decode()
    stale = html[html.index('id="stale"') : html.index("</div>", html.index('id="stale"'))]
    assert "Người khác đã lưu trong lúc bạn nhập" in stale
    assert "officer" in stale  # who saved in the meantime
    employees = Indicator.objects.get(code="employees").name_vi
    assert f"{employees}: — → 8" in stale  # and what they changed
    assert 'value="9"' in html  # the second person's value is kept, not saved
    ret.refresh_from_db()
    assert validation.values_of(ret).get("employees") == 8


# ---------------------------------------------------------------- loans


@pytest.fixture
def product(db):
    return LoanProduct.objects.create(
        code="HTX-60",
        name="Cho vay hỗ trợ HTX",
        eligible_kinds=["HTX", "LHHTX", "THT"],
        max_amount=1_000_000_000,
        max_term_months=60,
        annual_rate=Decimal("7.2"),
    )


@pytest.fixture
def officers(db) -> tuple[User, User]:
    return (
        person("quy", role=Role.STAFF, department=Department.FUND),
        person("quy2", role=Role.STAFF, department=Department.FUND),
    )


def test_the_same_repayment_from_two_open_pages_is_recorded_once(client, org_tan_yen, product, officers):
    loan = disbursed_loan(org_tan_yen, product, officers[0])
    url = reverse("fund:loan", args=[loan.pk])
    repay = reverse("fund:repay", args=[loan.pk])
    first, second = signed_in(type(client), officers[0]), signed_in(type(client), officers[1])
    typed = {"repay-amount": "16.888.888", "repay-on": "15/02/2021", "repay-document": "PT-01"}
    form_first = {**opened_form(first, url, "action-repay"), **typed}
    form_second = {**opened_form(second, url, "action-repay"), **typed, "repay-note": "Ghi lần hai"}
    assert form_first["repay-version"] == str(loan.version)

    assert first.post(repay, form_first).status_code == 302
    response = second.post(repay, form_second)

    assert response.status_code == 409
    html = response.content.decode()
    assert "Người khác đã thao tác trên khoản vay này" in html
    assert 'id="stale-repay"' in html and "Quy" in html and "16.888.888" in html  # who, and what they recorded
    assert 'value="Ghi lần hai"' in html  # the second officer's values are kept
    assert Repayment.objects.filter(loan=loan).count() == 1
    assert Repayment.objects.get(loan=loan).created_by == officers[0]
    # The form now carries the current version: submitting again is a knowing second payment.
    form = response.context["actions"][[a["action"].name for a in response.context["actions"]].index("repay")]["form"]
    assert int(form["version"].value()) == Loan.objects.get(pk=loan.pk).version


def test_a_rejection_from_a_page_opened_before_the_approval_is_refused(client, org_tan_yen, product, officers):
    from hoptac.fund import services

    loan = services.loan_apply(
        borrower=org_tan_yen,
        product=product,
        code="VAY-2021-0001",
        project_name="Mở rộng vùng trồng vải",
        amount=300_000_000,
        term_months=36,
        on=datetime.date(2021, 1, 5),
        project_cost=600_000_000,
        equity_amount=300_000_000,
    )
    url = reverse("fund:loan", args=[loan.pk])
    first, second = signed_in(type(client), officers[0]), signed_in(type(client), officers[1])
    approve = opened_form(first, url, "action-approve")
    reject = opened_form(second, url, "action-reject")

    approve.update({"approve-decision_number": "12/QĐ-QHT", "approve-approver": "Giám đốc Quỹ"})
    assert first.post(reverse("fund:approve", args=[loan.pk]), approve).status_code == 302
    reject["reject-reason"] = "Thiếu hồ sơ"
    response = second.post(reverse("fund:reject", args=[loan.pk]), reject, follow=True)

    html = response.content.decode()
    assert "Đã thay đổi kể từ khi bạn mở biểu mẫu" in html and "12/QĐ-QHT" in html
    loan.refresh_from_db()
    assert loan.status == LoanStatus.APPROVED and not loan.rejection_reason


def test_every_loan_action_form_carries_the_version(client, org_tan_yen, product, officers):
    loan = disbursed_loan(org_tan_yen, product, officers[0])
    client.force_login(officers[0])
    actions = client.get(reverse("fund:loan", args=[loan.pk])).context["actions"]
    assert {a["action"].name for a in actions} == {"repay", "reschedule", "write_off"}
    for item in actions:
        assert int(item["form"]["version"].value()) == loan.version, item["action"].name
    # Each step moves the version on, the appraisal and the contract included.
    assert AuditEntry.objects.filter(action__startswith="fund.loan.", object_id=str(loan.pk)).count() == 5
    assert loan.version == 5


# ---------------------------------------------------------------- articles (Wagtail)


@pytest.fixture
def news(db):
    portal_setup.ensure_portal()
    home = HomePage.objects.get()
    return {page.slug: page.specific for page in home.get_children()}["tin-tuc"]


def _editor(username: str) -> User:
    from django.contrib.auth.models import Group

    user = person(username, role=Role.STAFF, department=Department.OFFICE)
    user.groups.add(Group.objects.get(name=portal_setup.EDITORS))
    return user


def test_second_save_of_an_article_is_refused_naming_what_changed(client, news):
    page = ArticlePage(
        title="Hội nghị tổng kết năm 2020", date=datetime.date(2021, 3, 15), intro="Tóm tắt.", body="<p>Nội dung.</p>"
    )
    news.add_child(instance=page)
    page.save_revision()
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    first, second = signed_in(type(client), _editor("bientap")), signed_in(type(client), _editor("bientap2"))
    # The article as written in the CMS (its body in the editor's own form), before the two open it.
    assert first.post(url, opened_form(first, url, "page-edit-form")).status_code == 302
    form_first = opened_form(first, url, "page-edit-form")
    form_second = opened_form(second, url, "page-edit-form")
    assert form_first["loaded_revision_id"] == form_second["loaded_revision_id"]

    saved = first.post(url, {**form_first, "title": "Hội nghị tổng kết năm 2020 của Liên minh"})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    response = second.post(url, {**form_second, "intro": "Tóm tắt do người thứ hai viết."})

    assert response.status_code == 200  # the form again, not a redirect
    html = response.content.decode()
    assert "Bientap đã lưu trang này lúc" in html and "nên thay đổi của bạn chưa được lưu" in html
    assert "Những mục đã được sửa: Tiêu đề." in html  # the title, and only the title
    latest = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert latest.title == "Hội nghị tổng kết năm 2020 của Liên minh"
    assert latest.intro == "Tóm tắt."
    # What the second editor typed is still in the form, which now carries the latest revision:
    # saving again, after reading the message, is a deliberate save over the first one's.
    again = form_fields(html, "page-edit-form")
    assert again["intro"] == "Tóm tắt do người thứ hai viết."
    assert again["loaded_revision_id"] != form_second["loaded_revision_id"]
    assert second.post(url, again).status_code == 302
    latest = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert latest.intro == "Tóm tắt do người thứ hai viết."
