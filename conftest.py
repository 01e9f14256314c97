"""Shared test fixtures: standing people and places, so permission tests are one-liners.

The units come from the data migration, so every test database has Bắc Giang of 2021.
- ``admin``: alliance administrator; ``staff``: alliance registry staff
- ``officer``: area officer for Huyện Tân Yên; ``coop_user``: account of ``org_tan_yen``
"""

import datetime
import os

import pytest

from hoptac.core.models import Department, Role, User
from hoptac.geo.models import AdminUnit, Level

D2021 = datetime.date(2021, 3, 15)


def unit(name: str, level: int, on: datetime.date = D2021) -> AdminUnit:
    return AdminUnit.objects.valid_on(on).get(name=name, level=level, code__startswith="0" if level == 3 else "")


@pytest.fixture
def tan_yen(db) -> AdminUnit:
    return AdminUnit.objects.valid_on(D2021).get(level=Level.DISTRICT, name="Huyện Tân Yên")


@pytest.fixture
def hiep_hoa(db) -> AdminUnit:
    return AdminUnit.objects.valid_on(D2021).get(level=Level.DISTRICT, name="Huyện Hiệp Hòa")


@pytest.fixture
def commune_tan_yen(tan_yen) -> AdminUnit:
    # Xã Quang Tiến: renamed Quang Trung on 01/01/2025, so history matters.
    return AdminUnit.objects.valid_on(D2021).get(level=Level.COMMUNE, name="Xã Quang Tiến", parent=tan_yen)


@pytest.fixture
def commune_hiep_hoa(hiep_hoa) -> AdminUnit:
    return AdminUnit.objects.valid_on(D2021).get(level=Level.COMMUNE, name="Xã Thanh Vân", parent=hiep_hoa)


def make_org(commune: AdminUnit, **fields):
    from hoptac.registry.services import organization_create

    defaults = dict(
        kind="HTX",
        sector="nong_nghiep",
        code=fields.pop("code", None) or f"24{make_org.counter:08d}",
        name="Hợp tác xã Dịch vụ nông nghiệp Thử nghiệm",
        commune=commune,
        founded_on=datetime.date(2015, 5, 4),
        official_members=12,
        charter_capital=500_000_000,
        representative="Nguyễn Văn An",
        phone="0912 345 678",
    )
    make_org.counter += 1
    defaults.update(fields)
    return organization_create(**defaults)


make_org.counter = 1


@pytest.fixture
def org_tan_yen(commune_tan_yen):
    return make_org(commune_tan_yen, name="Hợp tác xã Nông nghiệp Quang Tiến Tân Yên", code="2400000001")


@pytest.fixture
def org_hiep_hoa(commune_hiep_hoa):
    return make_org(commune_hiep_hoa, name="Hợp tác xã Rau an toàn Thanh Vân", code="2400000002")


def _user(username: str, **fields) -> User:
    user = User.objects.create_user(username=username, password="mat-khau-thu-nghiem-1", **fields)
    return user


@pytest.fixture
def admin(db) -> User:
    return _user("admin", role=Role.ADMIN)


@pytest.fixture
def staff(db) -> User:
    return _user("staff", role=Role.STAFF, department=Department.REGISTRY)


@pytest.fixture
def officer(tan_yen) -> User:
    user = _user("officer", role=Role.AREA_OFFICER)
    user.areas.add(tan_yen)
    return user


@pytest.fixture
def coop_user(org_tan_yen) -> User:
    return _user("coop", role=Role.COOPERATIVE, organization=org_tan_yen)


PASSWORD = "mat-khau-thu-nghiem-1"


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Passwords hashed with MD5 in tests: the production hasher (PBKDF2, a million rounds) costs
    about a second per user made and per sign-in, which was a third of the suite's time. What is
    tested of passwords (policy, lockout, two-factor) does not depend on the hash function.
    """
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _sign_in_rules_off(settings):
    """Two rules of hoptac/core/auth/ that other features' tests would trip over, off for them.

    Administrators must turn on two-factor sign-in before anything else, and tests sign
    administrators in with force_login, which gives no code. Sessions end after 30 idle minutes,
    and a session made once for a whole test module, used in tests whose transaction is rolled
    back, never records its activity. The tests of these rules (hoptac/core/tests/
    test_twofactor.py, test_hardening.py, test_browser_twofactor.py) switch them on.
    """
    settings.TWO_FACTOR_REQUIRED_FOR_ADMINS = False
    settings.SESSION_IDLE_MINUTES = 0


# --- several servers (issue #9)
@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Background tasks run in the test's own process and transaction, when enqueued.

    The database backend (config/settings.py) needs `manage.py db_worker`; the immediate one runs
    the task at once, so a test sees its outcome on the next line. The multi-server test
    (hoptac/core/tests/test_multi_server.py) runs a real worker against the database backend.
    """
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


# --- end several servers


def pytest_sessionfinish(session, exitstatus):
    # CI must not pass with tests skipped for a missing dependency (browser, database).
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if os.environ.get("CI") and reporter and reporter.stats.get("skipped"):
        reporter.write_line("CI: skipped tests are failures here (a dependency is missing).", red=True)
        session.exitstatus = 1


# ---------------------------------------------------------------- browser tests

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = os.path.join(os.path.dirname(__file__), "test-artifacts")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (its own browser download is not reachable)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def units(transactional_db):
    """Browser tests use a transactional database, flushed after each test: reload what the
    data migrations wrote (the units, the shipped return forms).

    A flush also empties the database for any test that runs after it in the same process,
    which is why `make test` runs the browser tests in a second pytest run of their own.
    """
    from django.apps import apps

    from hoptac.geo import selectors
    from hoptac.geo.loader import load_units
    from hoptac.geo.models import AdminUnit, UnitChange
    from hoptac.returns import seed

    if not AdminUnit.objects.exists():
        load_units(AdminUnit, UnitChange)
    seed.load(apps)
    selectors.clear_cache()


@pytest.fixture
def page(request, browser, live_server, units):
    """A fresh browser tab in Vietnamese; a screenshot is kept in test-artifacts/ afterwards."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    tab.base_url = live_server.url
    yield tab
    os.makedirs(ARTIFACTS, exist_ok=True)
    try:
        tab.screenshot(path=os.path.join(ARTIFACTS, f"{request.node.name}.png"), full_page=True)
    finally:
        context.close()


def login(tab, username: str, password: str = PASSWORD) -> None:
    tab.goto(tab.base_url + "/accounts/login/")
    tab.fill("input[name=username]", username)
    tab.fill("input[name=password]", password)
    tab.click("main form [type=submit]")
    tab.wait_for_load_state("networkidle")
