"""Every URL and every API operation, requested as every role: the answers of permission_matrix.py.

- A URL pattern of the site (or an operation of the API's schema) without an entry in the
  matrix fails ``test_every_url_pattern_has_an_entry`` (``…_api_operation…``), naming it.
- Each cell is one test, named ``<url>-<method>-<role>``. A refused POST must leave the
  database as it was; a page that is not public must not show organisation A's name or code to
  the officer of another area or another organisation's account, and no public page may show
  A's representative or phone to anonymous visitors.
- The world is built once for the module (matrix_fixtures.py); each test runs in a savepoint.
"""

import functools
import io
import logging
from urllib.parse import urlparse

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.db import connection, transaction
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from . import permission_matrix as matrix
from .matrix_fixtures import World, api_operations, build_world, client_for, fingerprint, url_patterns
from .permission_matrix import ADMIN_LOGIN, CMS_LOGIN, LOGIN, OK, PAGE_LOGIN, REDIRECT, ROLES, Bug

# Each test in a savepoint of the module's transaction (and pytest-django sets up the test database).
pytestmark = pytest.mark.django_db

# Answers after which the database may have changed: an empty POST that did its action.
MAY_CHANGE = {REDIRECT}


@pytest.fixture(scope="module", autouse=True)
def quiet_request_log():
    # Thousands of 403 and 404 would each be logged with a traceback.
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory) -> World:
    from wagtail.images.models import AbstractRendition

    # The world's sessions are opened once and each test's requests are rolled back, so they never
    # look active: no idle timeout (hoptac/core/auth/), or a slow run would end them half-way.
    overrides = override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("matrix-media")), SESSION_IDLE_MINUTES=0)
    overrides.enable()
    with django_db_blocker.unblock():
        AbstractRendition.cache_backend.clear()  # the cache may be a table of the database
        # Never the development database: only a test database is built and rolled back here.
        name = str(connection.settings_dict["NAME"])
        assert "test" in name or "memory" in name, f"not a test database: {name}"
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
    overrides.disable()


@pytest.fixture
def rolled_back(world):
    """No API rate limit spent (the counters live in the cache, outside the transaction)."""
    cache.clear()


# ---------------------------------------------------------------- answers


def answer_of(response):
    """The status code, or where a redirect goes: a sign-in page, or elsewhere."""
    if response.status_code not in (301, 302, 303):
        return response.status_code
    location = urlparse(response["Location"]).path
    sign_in = {
        reverse("login"): LOGIN,
        reverse("wagtailadmin_login"): CMS_LOGIN,
        reverse("admin:login"): ADMIN_LOGIN,
        reverse("wagtailcore_login"): PAGE_LOGIN,
    }
    return sign_in.get(location, REDIRECT)


def correct(cell):
    return cell.correct if isinstance(cell, Bug) else cell


def text_of(response) -> str:
    """What a person could read in the answer: HTML, JSON, CSV, or the cells of an xlsx."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats-officedocument.spreadsheetml"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(str(v) for sheet in book for r in sheet.iter_rows(values_only=True) for v in r if v)
    return content.decode("utf-8", errors="replace")


# Who may not see which organisation: the officer of the other area, the other organisation's account.
UNSEEN = {"officer_out": "org_a", "coop_other": "org_a", "officer_in": "org_b", "coop_own": "org_b"}


def check_no_leak(world: World, entry, role: str, response) -> None:
    if role in UNSEEN and entry.get["anonymous"] != OK and not entry.shows_others:
        org = world.objects[UNSEEN[role]]
        text = text_of(response)
        assert org.name not in text and org.code not in text, f"{entry.id} shows {org.name} to {role}"
    if role == "anonymous":
        text = text_of(response)
        for org in (world.objects["org_a"], world.objects["org_b"]):
            assert org.representative not in text and org.phone not in text, (
                f"{entry.id} shows {org.name}'s representative or phone to anonymous visitors"
            )


# ---------------------------------------------------------------- URLs


def path_of(world: World, entry: matrix.Url) -> str:
    if entry.path:
        return world.ref(entry.path)
    kwargs = {name: world.ref(value) for name, value in entry.kwargs.items()}
    if entry.pk is not None:
        kwargs["pk"] = world.ref(entry.pk)
    return reverse(entry.url, kwargs=kwargs)


def cell_param(name: str, cell, *values):
    marks = [pytest.mark.xfail(strict=True, reason=cell.reason)] if isinstance(cell, Bug) else []
    return pytest.param(*values, id=name, marks=marks)


def url_cases():
    for entry in matrix.URLS:
        for method, answers in (("GET", entry.get), ("POST", entry.post)):
            if answers is not None:
                for role in ROLES:
                    yield cell_param(f"{entry.id}-{method}-{role}", answers[role], entry, method, role)


@pytest.mark.parametrize("entry,method,role", list(url_cases()))
def test_url(world, rolled_back, entry, method, role):
    expected = correct((entry.get if method == "GET" else entry.post)[role])
    path = path_of(world, entry)
    client = client_for(world, role)
    if method == "GET":
        response = client.get(path + entry.query)
    else:
        before = fingerprint()
        response = client.post(path)

    answer = answer_of(response)
    assert answer == expected, f"{method} {path} as {role}: {answer}, expected {expected}"
    if method == "POST" and expected not in MAY_CHANGE:
        assert fingerprint() == before, f"POST {path} as {role} answered {answer} but changed the database"
    if method == "GET" and answer == OK:
        check_no_leak(world, entry, role, response)


def test_the_checks_can_see_what_they_look_for(world):
    """The leak check finds A where it is shown, and the database check sees a write."""
    detail = client_for(world, "coop_own").get(reverse("registry:detail", args=[world.objects["org_a"].pk]))
    entry = next(e for e in matrix.URLS if e.url == "registry:detail")
    with pytest.raises(AssertionError, match="shows Hợp tác xã Ma trận Quang Tiến to officer_out"):
        check_no_leak(world, entry, "officer_out", detail)

    before = fingerprint()
    approve = reverse("returns:approve", args=[world.objects["submitted_return"].pk])
    assert answer_of(client_for(world, "registry").post(approve)) == REDIRECT
    assert fingerprint() != before


def test_every_url_pattern_has_an_entry():
    ruled = tuple(matrix.RULES)
    site = {p.key for p in url_patterns() if not p.route.startswith(ruled)}
    listed = {entry.url for entry in matrix.URLS}
    missing, extra = sorted(site - listed), sorted(listed - site)
    assert not missing and not extra, (
        f"URL patterns without an entry in permission_matrix.URLS: {missing}; entries for no pattern: {extra}"
    )


# ---------------------------------------------------------------- the CMS and the Django admin, by sample

# Of the hundreds of URLs under the rules, those that take no argument and open a section:
# the CMS's dashboard, page explorer and the index of each of its sections; the Django admin's
# index and the list of every model registered in it. A new section is sampled the day it appears.


def cms_sample() -> list[str]:
    names = {"wagtailadmin_home", "wagtailadmin_explore_root"}
    return sorted(
        p.key
        for p in url_patterns()
        if p.route.startswith("cms/") and "<" not in p.route and (p.key in names or p.key.endswith(":index"))
    )


def admin_sample() -> list[str]:
    lists = [f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist" for m in admin.site._registry]
    return ["admin:index", *sorted(lists)]


def sample_cases():
    for prefix, names in (("cms/", cms_sample()), ("admin/", admin_sample())):
        for name in names:
            answers = {**matrix.RULES[prefix], **matrix.RULE_EXCEPTIONS.get(name, {})}
            for role in ROLES:
                yield pytest.param(name, role, answers[role], id=f"{name}-{role}")


@pytest.mark.parametrize("name,role,expected", list(sample_cases()))
def test_cms_and_admin_by_rule(world, rolled_back, name, role, expected):
    path = reverse(name)
    response = client_for(world, role).get(path)

    assert answer_of(response) == expected, f"GET {path} as {role}: {answer_of(response)}, expected {expected}"
    if expected != OK:
        before = fingerprint()
        response = client_for(world, role).post(path)
        assert answer_of(response) == expected, f"POST {path} as {role}: {answer_of(response)}"
        assert fingerprint() == before


@pytest.fixture(scope="module")
def portal_roles(world, django_db_blocker) -> dict:
    """An editor and a reviewer (office staff in the portal's groups), sessions made as the world's."""
    from django.contrib.auth.models import Group
    from django.test import Client

    from hoptac.core.models import Department, Role, User
    from hoptac.portal import setup as portal_setup

    clients = {}
    with django_db_blocker.unblock():  # inside the world's transaction, rolled back with it
        for role, group in zip(matrix.PORTAL_ROLES, (portal_setup.EDITORS, portal_setup.REVIEWERS), strict=True):
            user = User.objects.create_user(f"mx_{role}", password=None, role=Role.STAFF, department=Department.OFFICE)
            user.groups.add(Group.objects.get(name=group))
            clients[role] = Client()
            clients[role].force_login(user)
    return clients


def test_the_portal_roles_sample_is_the_cms_sample():
    assert set(matrix.PORTAL_ROLE_SAMPLE) == {*cms_sample(), "admin:index"}


@pytest.mark.parametrize("role", matrix.PORTAL_ROLES)
@pytest.mark.parametrize("name", sorted(matrix.PORTAL_ROLE_SAMPLE))
def test_cms_as_editor_and_reviewer(world, rolled_back, portal_roles, name, role):
    path = reverse(name)
    expected = matrix.PORTAL_ROLE_SAMPLE[name]
    answer = answer_of(portal_roles[role].get(path))
    assert answer == expected, f"GET {path} as {role}: {answer}, expected {expected}"


@pytest.mark.parametrize("role", matrix.PORTAL_ROLES)
def test_editor_and_reviewer_on_an_article(world, rolled_back, portal_roles, role):
    from hoptac.portal.models import ArticlePage

    from .test_lost_updates import form_fields

    client = portal_roles[role]
    page = ArticlePage.objects.get(url_path__endswith="/hoi-nghi-tong-ket/")
    actions = matrix.PORTAL_ROLE_PAGE_ACTIONS
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.get(edit)
    assert answer_of(response) == actions["edit"][role]

    # Unpublish it (as the world's administrator did it), then ask the CMS to publish a change.
    page.unpublish()
    data = form_fields(response.content.decode(), "page-edit-form")
    client.post(edit, {**data, "title": "Hội nghị tổng kết năm 2020 (sửa)", "action-publish": "action-publish"})
    live = ArticlePage.objects.get(pk=page.pk).live
    assert ("live" if live else "not live") == actions["publish"][role]

    before = fingerprint()
    delete = reverse("wagtailadmin_pages:delete", args=[page.pk])
    assert answer_of(client.get(delete)) == actions["delete"][role]
    assert answer_of(client.post(delete)) == actions["delete"][role]
    assert fingerprint() == before
    assert ArticlePage.objects.filter(pk=page.pk).exists()


def test_the_samples_cover_both_rules():
    assert {"wagtailadmin_home", "wagtailimages:index", "wagtaildocs:index", "wagtailusers_users:index"} <= set(
        cms_sample()
    )
    assert {"admin:index", "admin:core_user_changelist"} <= set(admin_sample())


# ---------------------------------------------------------------- the API, by token


@functools.cache
def schema_operations() -> dict:
    return {op.operation_id: op for op in api_operations()}


def api_cases():
    for operation in matrix.API_OPERATIONS:
        for role in ROLES:
            cell = operation.answer[role]
            yield cell_param(f"{operation.operation_id}-{role}", cell, operation, role)


@pytest.mark.parametrize("operation,role", list(api_cases()))
def test_api_operation(world, rolled_back, operation, role):
    op = schema_operations()[operation.operation_id]
    path = op.path
    for name, value in operation.kwargs.items():
        path = path.replace("{" + name + "}", str(world.ref(value)))
    client = client_for(world, "anonymous", APIClient)
    client.credentials(**({"HTTP_AUTHORIZATION": f"Token {world.tokens[role]}"} if role != "anonymous" else {}))
    expected = correct(operation.answer[role])

    before = fingerprint()
    if op.method == "get":
        response = client.get(path)
    else:
        response = getattr(client, op.method)(path, {}, format="json")

    assert response.status_code == expected, (
        f"{op.method.upper()} {path} as {role}: {response.status_code}, expected {expected}: {response.content[:300]}"
    )
    assert fingerprint() == before, f"{op.method.upper()} {path} as {role} changed the database"


def test_every_api_operation_has_an_entry():
    schema = set(schema_operations())
    listed = {operation.operation_id for operation in matrix.API_OPERATIONS}
    missing, extra = sorted(schema - listed), sorted(listed - schema)
    assert not missing and not extra, (
        f"API operations without an entry in permission_matrix.API_OPERATIONS: {missing}; entries for none: {extra}"
    )
