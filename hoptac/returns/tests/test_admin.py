"""Administrators manage indicators and forms in the admin: versions copied, filed versions locked, changes audited."""

import pytest
from django.urls import reverse

from hoptac.core.audit import entries_for
from hoptac.core.models import Role, User
from hoptac.returns.models import FormVersion, Indicator

from .conftest import PASSWORD, submit


@pytest.fixture
def superuser(db):
    return User.objects.create_user("quantri", password=PASSWORD, role=Role.ADMIN, is_staff=True, is_superuser=True)


def test_the_admin_lists_indicators_forms_and_versions(client, superuser, annual):
    client.force_login(superuser)
    for name in ("indicator", "returnform", "formversion"):
        assert client.get(reverse(f"admin:returns_{name}_changelist")).status_code == 200
    assert (
        client.get(reverse("admin:returns_formversion_change", args=[annual.version_for(2020).pk])).status_code == 200
    )
    assert client.get(reverse("admin:returns_returnform_change", args=[annual.pk])).status_code == 200


def test_an_administrator_adds_an_indicator_without_code_and_it_is_audited(client, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:returns_indicator_add"),
        {
            "code": "land_area",
            "name_vi": "Diện tích đất sử dụng (ha)",
            "name_en": "Land in use (ha)",
            "unit": "count",
            "aggregation": "sum",
            "choices": "[]",
            "min_value": "0",
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(code="land_area")
    assert entries_for(indicator).get().action == "returns.indicator.created"


def test_copy_as_a_new_version_from_the_admin(client, superuser, annual):
    client.force_login(superuser)
    version = annual.version_for(2020)
    response = client.post(
        reverse("admin:returns_formversion_changelist"),
        {"action": "copy_as_new_version", "_selected_action": [version.pk]},
    )
    assert response.status_code == 302
    copy = FormVersion.objects.get(form=annual, number=2)
    assert not copy.published and copy.fields.count() == version.fields.count()


def test_a_version_with_returns_keeps_its_fields(client, superuser, annual, org_tan_yen):
    submit(annual, org_tan_yen, 2020)
    client.force_login(superuser)
    html = client.get(reverse("admin:returns_formversion_change", args=[annual.version_for(2020).pk])).content.decode()
    assert 'name="fields-0-indicator"' not in html and 'name="rules-0-left"' not in html


def test_nothing_is_deleted_in_the_admin(client, superuser, annual):
    client.force_login(superuser)
    url = reverse("admin:returns_returnform_delete", args=[annual.pk])
    assert client.get(url).status_code == 403
