"""Journal fixtures: staff of two departments, and a draft proposal."""

import datetime

import pytest

from hoptac.core.models import Department, Role, User
from hoptac.journal import services
from hoptac.journal.models import DocumentKind

D = datetime.date
PASSWORD = "mat-khau-thu-nghiem-1"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def office(db):
    return User.objects.create_user("vanphong", password=PASSWORD, role=Role.STAFF, department=Department.OFFICE)


@pytest.fixture
def trainer(db):
    return User.objects.create_user("daotao", password=PASSWORD, role=Role.STAFF, department=Department.TRAINING)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def proposal(office):
    return services.document_create(
        kind=DocumentKind.PROPOSAL,
        title="Xây dựng mô hình ứng dụng công nghệ 4.0 trong quản lý HTX, giai đoạn 2020-2025",
        drafted_on=D(2021, 2, 1),
        year=2021,
        by=office,
    )
