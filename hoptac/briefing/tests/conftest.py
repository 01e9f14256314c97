import datetime

import pytest

from conftest import PASSWORD, make_org
from hoptac.core.models import Department, Role, User

D = datetime.date


@pytest.fixture
def office(db) -> User:
    return User.objects.create_user("office1", password=PASSWORD, role=Role.STAFF, department=Department.OFFICE)


@pytest.fixture
def awards_officer(db) -> User:
    return User.objects.create_user("awards1", password=PASSWORD, role=Role.STAFF, department=Department.AWARDS)


@pytest.fixture
def q1_orgs(commune_tan_yen, commune_hiep_hoa):
    """Two HTX founded in Q1 2021, one long before, a QTDND."""
    return [
        make_org(commune_tan_yen, name="HTX Mới Một", founded_on=D(2021, 1, 20)),
        make_org(commune_hiep_hoa, name="HTX Mới Hai", founded_on=D(2021, 3, 2)),
        make_org(commune_tan_yen, name="HTX Cũ", founded_on=D(2010, 6, 1)),
        make_org(
            commune_hiep_hoa,
            name="Quỹ tín dụng nhân dân Thử",
            kind="QTDND",
            sector="tin_dung",
            founded_on=D(2000, 1, 1),
        ),
    ]


# --- issued files on the worker (issue #9)
@pytest.fixture(autouse=True)
def _on_commit_at_once(monkeypatch):
    """What waits for the commit runs at once: a test's transaction is rolled back, never committed.

    Issuing enqueues the writing of the Word and PDF files with transaction.on_commit
    (services.report_issue) and the tasks run when enqueued (the project's conftest.py), so here
    an issued report has its files right after issue, as it has a moment later on a server.
    test_issued_files.py checks the same with Django's real on_commit.
    """
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


# --- end issued files on the worker


# --- report files (issue #9)
@pytest.fixture
def report_media(settings, tmp_path):
    """The report files of a test in a folder of its own."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def draft(q1_orgs, office):
    from hoptac.briefing import services
    from hoptac.briefing.periods import QUARTER, make_period

    return services.report_create(period=make_period(QUARTER, 2021, 1), as_of=D(2021, 3, 15), by=office)


# --- end report files
