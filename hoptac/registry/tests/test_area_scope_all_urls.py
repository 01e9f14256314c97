"""An area officer for Huyện Tân Yên can neither see nor edit a Hiệp Hòa organisation through any URL.

The test walks every URL of the registry (so a new view is covered the day it is added),
with the Hiệp Hòa organisation's id wherever the URL takes one, by GET and by POST.
"""

import pytest
from django.urls import URLPattern, get_resolver, reverse

from hoptac.core.audit import entries_for
from hoptac.registry.models import Organization

pytestmark = pytest.mark.django_db


def registry_urls():
    resolver = get_resolver()
    # The public directory lists every active organisation to everyone, by design (public fields only).
    for namespace in ("registry",):
        for pattern in resolver.namespace_dict[namespace][1].url_patterns:
            assert isinstance(pattern, URLPattern)
            yield namespace, pattern


POST_DATA = {
    "name": "Bị sửa",
    "reason": "thử",
    "kind": "dissolved",
    "on": "01/01/2022",
    "action": "start",
    "joined_on": "01/01/2020",
    "version": "1",
    "q": "",
    "representative": "Kẻ gian",
}


@pytest.mark.parametrize("namespace,pattern", list(registry_urls()), ids=lambda p: getattr(p, "name", p))
def test_officer_of_tan_yen_never_reaches_hiep_hoa(client, officer, org_tan_yen, org_hiep_hoa, namespace, pattern):
    client.force_login(officer)
    kwargs = {"pk": org_hiep_hoa.pk} if "pk" in pattern.pattern.converters else {}
    url = reverse(f"{namespace}:{pattern.name}", kwargs=kwargs)
    before = Organization.objects.values().get(pk=org_hiep_hoa.pk)
    audit_before = entries_for(org_hiep_hoa).count()
    for response in (
        client.get(url, {"q": "thanh van"}),
        client.get(url, {"format": "xlsx", "status": "all"}),
        client.get(url, {"format": "csv", "status": "all"}),
        client.post(url, POST_DATA),
    ):
        if kwargs:
            assert response.status_code in (403, 404, 405), (url, response.status_code)
        body = response.content
        if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
            import io

            import openpyxl

            wb = openpyxl.load_workbook(io.BytesIO(body))
            body = "\n".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row).encode()
        assert org_hiep_hoa.name.encode() not in body, (url, response.status_code)
        assert org_hiep_hoa.code.encode() not in body, (url, response.status_code)
    assert Organization.objects.values().get(pk=org_hiep_hoa.pk) == before
    assert entries_for(org_hiep_hoa).count() == audit_before
