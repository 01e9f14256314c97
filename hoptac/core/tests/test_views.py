import datetime
import re

import pytest
from django.urls import reverse

from conftest import PASSWORD, make_org
from hoptac.registry.services import event_record, organization_archive

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"\sstyle\s*=|<style", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def figures(response) -> dict:
    return {f["kind"]: f["count"] for f in response.context["figures"]}


def test_home_is_public_and_counts_organisations_operating_today(client, org_tan_yen, org_hiep_hoa, commune_tan_yen):
    make_org(commune_tan_yen, kind="THT", name="Tổ hợp tác Mây tre đan")
    make_org(commune_tan_yen, kind="QTDND", sector="tin_dung", name="Quỹ tín dụng nhân dân Cao Thượng")
    ended = make_org(commune_tan_yen, name="Hợp tác xã Đã giải thể")
    event_record(organization=ended, kind="dissolved", on=datetime.date(2020, 1, 1))
    mistake = make_org(commune_tan_yen, name="Hợp tác xã Nhập nhầm")
    organization_archive(organization=mistake, by=None, reason="Nhập trùng")

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert figures(response) == {"HTX": 2, "LHHTX": 0, "QTDND": 1, "THT": 1}
    assert response.context["total"] == 4
    html = response.content.decode()
    assert "Hệ thống CSDL Kinh tế tập thể" in html
    assert "Liên minh Hợp tác xã tỉnh Bắc Giang" in html
    assert reverse("directory:list") in html
    assert reverse("login") in html
    # Public page: no personal data of any organisation.
    assert "Nguyễn Văn An" not in html


def test_home_links_a_signed_in_user_to_the_registry(client, staff):
    client.force_login(staff)
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("registry:list")}"' in html


def test_login_page_and_successful_login_through_axes(client, staff):
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:list")


def test_five_failed_logins_show_the_lockout_page(client, staff):
    for _ in range(5):
        client.post(reverse("login"), {"username": "staff", "password": "wrong-password"})
    response = client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    assert response.status_code == 429
    assert "core/locked_out.html" in [t.name for t in response.templates]
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_form(client, staff):
    client.force_login(staff)
    html = client.get(reverse("home")).content.decode()
    assert re.search(rf'<form action="{reverse("logout")}" method="post">', html)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_language_switch_posts_to_set_language(client):
    html = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("set_language")}" method="post"' in html
    assert 'name="language" value="en"' in html
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.get(reverse("home")).content.decode().count('lang="en"') >= 1


def nav_links(client) -> str:
    html = client.get(reverse("home")).content.decode()
    return re.search(r'<nav class="main-nav".*?</nav>', html, re.S).group(0)


def test_navigation_for_anonymous_visitors(client):
    nav = nav_links(client)
    assert reverse("directory:list") in nav
    assert reverse("registry:list") not in nav
    assert "/admin/" not in nav


def test_navigation_for_alliance_staff(client, staff):
    client.force_login(staff)
    nav = nav_links(client)
    for name in ("registry:list", "registry:stats", "registry:import", "directory:list"):
        assert reverse(name) in nav
    assert "/admin/" not in nav


def test_navigation_for_admin_and_cooperative_accounts(client, admin, coop_user):
    client.force_login(admin)
    assert "/admin/" in nav_links(client)
    client.force_login(coop_user)
    nav = nav_links(client)
    assert reverse("registry:list") in nav
    assert reverse("registry:import") not in nav


def test_pages_have_no_inline_script_style_or_handler(client, staff, org_tan_yen):
    # The CSP refuses them: a page that relied on one would silently break.
    pages = [reverse("home"), reverse("login"), reverse("directory:list")]
    for url in pages:
        html = client.get(url).content.decode()
        assert not INLINE_SCRIPT.search(html), url
        assert not INLINE_STYLE.search(html), url
        assert not INLINE_HANDLER.search(html), url
    client.force_login(staff)
    pages = [
        reverse("registry:list"),
        reverse("registry:detail", args=[org_tan_yen.pk]),
        reverse("registry:edit", args=[org_tan_yen.pk]),
        reverse("registry:create"),
        reverse("registry:event_create", args=[org_tan_yen.pk]),
        reverse("registry:archive", args=[org_tan_yen.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), url
        assert not INLINE_STYLE.search(html), url
        assert not INLINE_HANDLER.search(html), url


def test_static_assets_are_local(client):
    html = client.get(reverse("home")).content.decode()
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not url.startswith(("http://", "https://", "//")), url
