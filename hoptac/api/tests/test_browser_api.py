"""The API's pages and the public pages in Debian's Chromium: the documentation runs under the strict
CSP, a person creates a token a program then uses, and a visitor goes from the directory to a profile."""

import pytest
from playwright.sync_api import expect

from conftest import login
from hoptac.core.models import Department, Role, User

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-thu-nghiem-1"


def csp_violations(page) -> list[str]:
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None)
    return messages


def test_the_documentation_runs_on_its_own_files_under_the_strict_csp(page):
    violations = csp_violations(page)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))

    response = page.goto(page.base_url + "/api/v1/docs")

    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe" not in policy
    page.wait_for_selector(".swagger-ui .opblock")
    assert page.locator(".swagger-ui .opblock").count() >= 15
    assert page.locator(".swagger-ui .opblock-tag", has_text="directory").count() == 1
    page.click(".swagger-ui .opblock-summary-path:has-text('/api/v1/statistics/')")
    page.wait_for_selector(".swagger-ui .parameters-container")
    assert not violations, violations
    assert all(url.startswith(page.base_url) for url in requests), [
        u for u in requests if not u.startswith(page.base_url)
    ]


def test_a_person_creates_a_token_a_program_uses_then_revokes_it(page):
    User.objects.create_user("canbo", password=PASSWORD, role=Role.STAFF, department=Department.REGISTRY)
    login(page, "canbo")

    page.goto(page.base_url + "/api/v1/tokens/")
    page.fill("#id_name", "Phần mềm kế toán")
    page.click("main form [type=submit]")
    key = page.inner_text("#new-key").strip()
    assert len(key) > 30

    me = page.request.get(page.base_url + "/api/v1/me/", headers={"Authorization": f"Token {key}"})
    assert me.status == 200 and me.json()["username"] == "canbo"

    page.goto(page.base_url + "/api/v1/tokens/")
    assert key not in page.content()
    page.fill("#tokens input[name=reason]", "Đổi phần mềm")
    page.click("#tokens button[type=submit]")
    page.wait_for_selector(".msg-success")
    assert page.request.get(page.base_url + "/api/v1/me/", headers={"Authorization": f"Token {key}"}).status == 401


def test_a_visitor_goes_from_the_directory_to_a_profile_and_the_area_view(page, org_tan_yen, org_hiep_hoa):
    violations = csp_violations(page)
    page.goto(page.base_url + "/directory/")
    page.fill("#id_q", "rau an toan")
    expect(page.locator("#directory tbody tr")).to_have_count(1)
    # Clicking a result blurs the search box: that must not search again (the second answer's
    # history push used to cancel the click's navigation now and then).
    searches: list[str] = []
    page.on("request", lambda r: searches.append(r.url) if "/directory/?" in r.url else None)
    page.click(f"#directory a:has-text('{org_hiep_hoa.name}')")
    page.wait_for_selector("h1:has-text('Thanh Vân')")
    assert searches == [], searches
    assert "Thông tin công khai" in page.content() and "0912 345 678" not in page.content()

    page.click(".breadcrumb a")
    page.click(".public-tabs a:has-text('Theo địa bàn')")
    page.wait_for_selector("#by-district")
    assert page.locator("#by-district tbody tr").count() == 2
    assert page.locator("svg.stats-chart-svg .chart-row").count() == 2
    assert not violations, violations
