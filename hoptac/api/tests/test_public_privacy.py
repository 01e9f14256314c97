"""No anonymous answer ever carries a person's name, phone, e-mail, charter capital or loan.

The walk starts from the public pages and every GET operation of the OpenAPI schema, follows
every link, file and URL it finds (pages, pagination, profiles, downloads, report files, the
API's next pages), and searches each answer (HTML, JSON, CSV, xlsx, docx, PDF) for the
distinctive private values of ``conftest.PRIVATE``. Report files are read as text.

The signer of a published report is printed on the official document by design (Decree 30),
so the walk seeds a signer and does not count the signer's name as private.
"""

import datetime
import io
import json
import re
import subprocess
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hoptac.briefing import services as briefing
from hoptac.briefing.periods import QUARTER, make_period
from hoptac.core.models import Department, Role, User

from .conftest import PRIVATE

pytestmark = pytest.mark.django_db

# Addresses that are not public pages: sign-in, administration, the CMS editor, the language switch.
NOT_PUBLIC = ("/accounts/", "/admin/", "/cms/", "/i18n/", "/static/")
LINK = re.compile(r"""(?:href|src|action)\s*=\s*["']([^"'#]+)""")
MAX_ANSWERS = 600


@pytest.fixture
def published_report(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    office = User.objects.create_user("vanphong", role=Role.STAFF, department=Department.OFFICE)
    report = briefing.report_create(period=make_period(QUARTER, 2021, 1), as_of=datetime.date(2021, 3, 15), by=office)
    report = briefing.report_issue(
        report=report,
        issued_on=datetime.date(2021, 3, 15),
        signer_name="Nguyễn Văn Tùng",
        signer_title="Phó Chánh Văn phòng",
        by=office,
    )
    return briefing.report_publish(report=report, by=office)


def text_of(response) -> str:
    kind = response.get("Content-Type", "")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(content))
        return "\n".join(str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    if "wordprocessingml" in kind:
        from docx import Document

        doc = Document(io.BytesIO(content))
        cells = [c.text for t in doc.tables for c in t._cells]
        return "\n".join([p.text for p in doc.paragraphs] + cells)
    if "pdf" in kind:
        return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()
    return content.decode("utf-8-sig")


def links_in(text: str, kind: str, base: str) -> set[str]:
    found = set()
    if "html" in kind:
        found |= {m.replace("&amp;", "&") for m in LINK.findall(text)}
    if "json" in kind:
        found |= set(re.findall(r'"(https?://testserver/[^"]+|/[a-z][^"\s]*/)"', text))
    urls = set()
    for link in found:
        url = urldefrag(urljoin(base, link)).url
        parsed = urlparse(url)
        if parsed.netloc not in ("", "testserver") or parsed.path.startswith(NOT_PUBLIC):
            continue
        urls.add(parsed.path + (f"?{parsed.query}" if parsed.query else ""))
    return urls


def api_get_operations(client, world) -> set[str]:
    """Every GET path of the schema, path parameters filled with the world's codes and ids."""
    schema = client.get(reverse("api:schema")).json()
    values = {
        "code": [world.public_org.code, world.other_org.code, world.ended_org.code],
        "id": [world.public_org.pk, world.other_org.pk, world.ended_org.pk, world.loan.pk],
    }
    urls = set()
    for path, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        names = re.findall(r"{(\w+)}", path)
        if not names:
            urls.add(path)
            continue
        for value in values[names[0]]:
            urls.add(path.replace("{" + names[0] + "}", str(value)))
    return urls


def walk(client, start: set[str]) -> dict[str, int]:
    seen: dict[str, int] = {}
    queue = sorted(start)
    while queue and len(seen) < MAX_ANSWERS:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code != 200:
            continue
        text = text_of(response)
        leaks = [name for name, value in PRIVATE.items() if value in text]
        assert not leaks, (url, leaks)
        queue.extend(sorted(links_in(text, response.get("Content-Type", ""), "http://testserver" + url) - set(seen)))
    return seen


def test_no_anonymous_answer_carries_private_data(client, world, published_report, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "10000/minute", "user": "10000/minute"},
    }
    start = {
        "/",
        reverse("directory:list"),
        reverse("directory:list") + "?q=cong+khai",
        reverse("directory:areas"),
        reverse("directory:statistics") + "?as_of=15/03/2021&from=01/01/2021",
        reverse("directory:statistics") + "?as_of=15/03/2021&grouping=now&format=xlsx",
        reverse("directory:open_data"),
        reverse("public_reports:list"),
        reverse("api:docs"),
        reverse("api:schema"),
        reverse("api:statistics") + "?from=2021-01-01",
        reverse("directory:profile", args=[world.ended_org.code]),
    } | api_get_operations(client, world)

    seen = walk(client, start)

    # The walk reached what it is meant to cover, anonymously.
    ok = {url for url, status in seen.items() if status == 200}
    for must in (
        reverse("directory:profile", args=[world.public_org.code]),
        reverse("directory:download", args=["csv"]),
        reverse("directory:download", args=["json"]),
        reverse("api:directory_detail", args=[world.public_org.code]),
        reverse("public_reports:detail", args=[published_report.pk]),
        reverse("public_reports:file", args=[published_report.pk, "pdf"]),
        reverse("public_reports:file", args=[published_report.pk, "docx"]),
    ):
        assert must in ok, must
    assert any(url.startswith(reverse("directory:statistics") + "?") and "format=csv" in url for url in ok)
    # What needs a token was refused, not shown.
    assert seen[reverse("api:organization", args=[world.public_org.pk])] == 401
    assert seen[reverse("api:loan", args=[world.loan.pk])] == 401
    assert seen[reverse("directory:profile", args=[world.ended_org.code])] == 404
    assert len(ok) > 40, sorted(ok)


def test_the_private_values_are_really_in_the_database(world, published_report, client):
    """The walk would prove nothing if the seeded values were not there to leak."""
    from hoptac.api.tests.conftest import as_user

    staff = User.objects.get(username="nhanvien")
    body = json.dumps(
        as_user(staff).get(reverse("api:organization", args=[world.public_org.pk])).json(), ensure_ascii=False
    )
    assert PRIVATE["phone"] in body and PRIVATE["email"] in body and PRIVATE["representative"] in body
    loan = as_user(staff).get(reverse("api:loan", args=[world.loan.pk])).json()
    assert loan["approved_amount"] == 246_813_579
