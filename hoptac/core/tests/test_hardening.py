"""Production settings, lockout, password policy, session timeouts, CSP, and the audit of
sign-ins and of changes to what an account may do (issue #8; docs/security.md)."""

import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from conftest import PASSWORD
from hoptac.core.auth import sessions
from hoptac.core.models import AuditEntry, Role, User

ROOT = Path(__file__).resolve().parents[3]


def production_env(tmp_path, **overrides) -> dict:
    """The environment docs/security.md lists for a server, on a throwaway var/ folder."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "HTTPS", "SECRET_KEY", "ALLOWED_HOSTS"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="hoptac.example.org",
        CSRF_TRUSTED_ORIGINS="https://hoptac.example.org",
        HTTPS="true",
        HOPTAC_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    env.update(overrides)
    return env


def run_manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def actions(user) -> list[str]:
    return list(AuditEntry.objects.filter(object_id=str(user.pk)).order_by("id").values_list("action", flat=True))


# --------------------------------------------------------------- production settings


def test_check_deploy_passes_with_the_production_environment(tmp_path):
    result = run_manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_fails_without_https(tmp_path):
    # The same check, shown able to fail: without TLS the cookies are not secure and there is no HSTS.
    result = run_manage(production_env(tmp_path, HTTPS="false"), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W012" in result.stderr and "security.W004" in result.stderr


SHOW_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({name: getattr(s, name, None) for name in [
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_HTTPONLY", "DEBUG",
    "TWO_FACTOR_REQUIRED_FOR_ADMINS", "SESSION_IDLE_MINUTES"]}))
"""


def production_settings(env: dict) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", SHOW_SETTINGS], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_https_makes_cookies_secure_and_turns_on_hsts(tmp_path):
    on = production_settings(production_env(tmp_path))
    assert on["SESSION_COOKIE_SECURE"] and on["CSRF_COOKIE_SECURE"] and on["SECURE_SSL_REDIRECT"]
    assert on["SECURE_HSTS_SECONDS"] >= 31536000 and on["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert on["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert on["SESSION_COOKIE_HTTPONLY"] and on["DEBUG"] is False
    assert on["TWO_FACTOR_REQUIRED_FOR_ADMINS"] is True and on["SESSION_IDLE_MINUTES"] == 30
    off = production_settings(production_env(tmp_path, HTTPS="false"))
    assert not off["SESSION_COOKIE_SECURE"] and not off["SECURE_HSTS_SECONDS"]


def test_a_bad_idle_timeout_stops_start_up(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", SHOW_SETTINGS],
        cwd=ROOT,
        env=production_env(tmp_path, SESSION_IDLE_MINUTES="-5"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0 and "SESSION_IDLE_MINUTES" in result.stderr


# --------------------------------------------------------------- lockout and password policy


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_and_are_audited_without_the_password(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "staff", "password": "sai-mat-khau-123"})
    response = client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    assert actions(staff).count("core.login.failed") == settings.AXES_FAILURE_LIMIT + 1
    assert "core.login.locked_out" in actions(staff)
    entry = AuditEntry.objects.filter(action="core.login.failed").first()
    assert entry.changes == {"ip": "127.0.0.1"} and entry.user is None
    stored = json.dumps(list(AuditEntry.objects.values("changes", "object_repr")))
    stored += "".join(AccessAttempt.objects.values_list("post_data", flat=True))
    assert "sai-mat-khau-123" not in stored and PASSWORD not in stored


@pytest.mark.django_db
def test_a_failed_login_with_an_unknown_name_is_audited_with_the_name_tried(client):
    client.post(reverse("login"), {"username": "khong-co-ai", "password": "sai-mat-khau-123"})
    entry = AuditEntry.objects.get(action="core.login.failed")
    assert (entry.object_repr, entry.object_id) == ("khong-co-ai", "")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("ngan-qua", "Mật khẩu này quá ngắn: phải có ít nhất 10 ký tự."),
        ("12345678901234", "Mật khẩu này hoàn toàn là số."),
        ("password123", "Mật khẩu này quá phổ biến."),
        ("nguyenvanan2", "Mật khẩu quá giống với Tên đăng nhập."),
    ],
)
@pytest.mark.django_db
def test_weak_passwords_are_refused_in_vietnamese(password, message):
    user = User(username="nguyenvanan", role=Role.STAFF)
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    assert message in refused.value.messages


@pytest.mark.django_db
def test_a_password_set_through_a_form_follows_the_policy(staff):
    with translation.override("vi"):
        form = SetPasswordForm(staff, {"new_password1": "abc123", "new_password2": "abc123"})
        assert not form.is_valid()
        assert "Mật khẩu này quá ngắn: phải có ít nhất 10 ký tự." in form.errors["new_password2"]
    good = SetPasswordForm(staff, {"new_password1": "Vai-thieu-Luc-Ngan-24", "new_password2": "Vai-thieu-Luc-Ngan-24"})
    assert good.is_valid()


# --------------------------------------------------------------- session timeouts


def shift(client, key: str, seconds: int) -> None:
    session = client.session
    session[key] -= seconds
    session.save()


@pytest.mark.django_db
def test_an_idle_session_is_ended_and_the_login_page_says_why(client, staff, settings):
    settings.SESSION_IDLE_MINUTES = 30
    client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    shift(client, sessions.LAST_SEEN, 31 * 60)
    response = client.get(reverse("registry:list"))
    assert response["Location"] == reverse("login") + "?next=%2Fregistry%2F"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "Bạn đã bị đăng xuất vì không thao tác trong 30 phút." in page
    assert AuditEntry.objects.filter(action="core.logout", object_id=str(staff.pk)).get().changes == {"reason": "idle"}


@pytest.mark.django_db
def test_activity_keeps_the_session_open(client, staff, settings):
    settings.SESSION_IDLE_MINUTES = 30
    client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    shift(client, sessions.LAST_SEEN, 29 * 60)
    assert client.get(reverse("registry:list")).status_code == 200
    assert time.time() - client.session[sessions.LAST_SEEN] < 60
    shift(client, sessions.LAST_SEEN, 29 * 60)
    assert client.get(reverse("registry:list")).status_code == 200


@pytest.mark.django_db
def test_typing_keeps_the_session_open_through_the_pages_keep_alive_call(client, staff, settings):
    settings.SESSION_IDLE_MINUTES = 30
    client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    page = client.get(reverse("registry:list")).content.decode()
    assert f'data-keep-alive="{reverse("keep_alive")}"' in page  # app.js calls it while the user types
    shift(client, sessions.LAST_SEEN, 25 * 60)
    assert client.get(reverse("keep_alive")).status_code == 204
    shift(client, sessions.LAST_SEEN, 25 * 60)  # 50 minutes since the page, 25 since the typing
    assert client.get(reverse("registry:list")).status_code == 200


def test_anonymous_pages_carry_no_keep_alive(client, db):
    assert "data-keep-alive" not in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_a_session_ends_after_its_maximum_age_even_when_in_use(client, staff, settings):
    client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    shift(client, sessions.LOGIN_AT, settings.SESSION_COOKIE_AGE + 60)
    response = client.get(reverse("registry:list"))
    assert response["Location"].startswith(reverse("login"))
    assert "tối đa 8 giờ" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_the_idle_timeout_can_be_switched_off(client, staff, settings):
    settings.SESSION_IDLE_MINUTES = 0
    client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    shift(client, sessions.LAST_SEEN, 5 * 3600)
    assert client.get(reverse("registry:list")).status_code == 200


@pytest.mark.django_db
def test_an_htmx_request_of_an_ended_session_reloads_the_login_page(client, staff, settings):
    settings.SESSION_IDLE_MINUTES = 30
    client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    shift(client, sessions.LAST_SEEN, 31 * 60)
    response = client.get(reverse("registry:list"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("login")


# --------------------------------------------------------------- content security policy


@pytest.mark.django_db
def test_pages_have_a_policy_without_unsafe_inline(client, staff):
    for url in [reverse("home"), reverse("login"), reverse("directory:list")]:
        csp = client.get(url)["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "script-src 'self'" in csp, url
    client.force_login(staff)
    for url in [reverse("registry:list"), reverse("twofactor:overview"), reverse("twofactor:enrol")]:
        csp = client.get(url)["Content-Security-Policy"]
        assert "unsafe-inline" not in csp, url


@pytest.mark.django_db
def test_cms_pages_have_a_policy_without_unsafe_inline(client, staff):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    for url in ["/cms/", "/cms/pages/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "unsafe-inline" not in response["Content-Security-Policy"], url


# --------------------------------------------------------------- audit


@pytest.mark.django_db
def test_sign_in_and_sign_out_are_audited(client, staff):
    client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    client.post(reverse("logout"))
    login, logout = AuditEntry.objects.filter(
        object_id=str(staff.pk), action__in=["core.login.succeeded", "core.logout"]
    ).order_by("id")
    assert (login.action, logout.action) == ("core.login.succeeded", "core.logout")
    assert login.user == staff and login.changes == {"ip": "127.0.0.1", "second_factor": None}


@pytest.mark.django_db
def test_access_changes_in_the_django_admin_are_audited_with_who_made_them(client, admin, staff):
    admin.is_staff = admin.is_superuser = True
    admin.save()
    group = Group.objects.create(name="Thử nghiệm")
    client.force_login(admin)
    response = client.post(
        reverse("admin:core_user_change", args=[staff.pk]),
        {
            "username": "staff",
            "first_name": "",
            "last_name": "",
            "email": "",
            "is_active": "on",
            "is_staff": "on",
            "groups": [group.pk],
            "date_joined_0": "2021-03-15",
            "date_joined_1": "08:00:00",
            "role": Role.ADMIN,
            "department": "registry",
            "phone": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    changed = AuditEntry.objects.filter(action="core.user.access_changed", object_id=str(staff.pk))
    assert {e.user for e in changed} == {admin}
    fields = {k: v for e in changed for k, v in e.changes.items() if k != "groups"}
    assert fields == {"role": ["staff", "admin"], "is_staff": [False, True]}
    # The group chosen, and the portal's administrators group that comes with the role.
    added = sorted(g for e in changed for g in e.changes.get("groups", {}).get("added", []))
    assert added == sorted(["Thử nghiệm", "Quản trị cổng thông tin"])


@pytest.mark.django_db
def test_access_changes_in_the_cms_user_editor_are_audited(client, admin, staff):
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    response = client.post(
        reverse("wagtailusers_users:edit", args=[staff.pk]),
        {
            "username": "staff",
            "email": "staff@example.org",
            "first_name": "Lan",
            "last_name": "Nguyễn",
            "is_active": "on",
            "is_superuser": "on",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="core.user.access_changed", object_id=str(staff.pk))
    assert entry.changes == {"is_superuser": [False, True]} and entry.user == admin


@pytest.mark.django_db
def test_access_changes_made_by_code_are_audited(staff, officer, hiep_hoa, org_tan_yen):
    start = AuditEntry.objects.order_by("id").last().id
    staff.is_active = False
    staff.save()
    officer.areas.add(hiep_hoa)
    group = Group.objects.create(name="Biên tập")
    group.user_set.add(staff)
    group.permissions.add(Permission.objects.get(codename="change_user"))
    officer.organization = org_tan_yen
    officer.save(update_fields=["organization"])
    officer.areas.clear()
    staff.last_name = "Trần"
    staff.save()  # nothing about access: not logged
    staff.set_password("Mat-khau-moi-2021")
    staff.save()

    def changes(user, action="core.user.access_changed"):
        entries = AuditEntry.objects.filter(action=action, object_id=str(user.pk), id__gt=start).order_by("id")
        return [e.changes for e in entries]

    assert changes(staff) == [{"is_active": [True, False]}, {"groups": {"added": ["Biên tập"]}}]
    assert changes(officer) == [
        {"areas": {"added": ["Huyện Hiệp Hòa"]}},
        {"organization": [None, str(org_tan_yen)]},
        {"areas": {"removed": sorted(["Huyện Hiệp Hòa", "Huyện Tân Yên"])}},
    ]
    assert changes(group, "core.group.permissions_changed") == [
        {"permissions": {"added": [str(Permission.objects.get(codename="change_user"))]}}
    ]
    assert changes(staff, "core.user.password_changed") == [{}]
    assert AuditEntry.objects.get(action="core.user.created", object_id=str(staff.pk)).changes == {
        "role": "staff",
        "department": "registry",
        "organization": None,
        "is_staff": False,
        "is_superuser": False,
        "is_active": True,
    }


@pytest.mark.django_db
def test_an_administrator_reads_the_sign_ins_in_the_audit_log(client, admin, staff):
    client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    client.post(reverse("login"), {"username": "staff", "password": "sai-mat-khau-123"})
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    html = client.get(reverse("admin:core_auditentry_changelist"), {"action__startswith": "core.login"})
    assert html.status_code == 200
    page = html.content.decode()
    assert "core.login.succeeded" in page and "core.login.failed" in page
