"""The statistics workbook as an export job (issue #9): the same cells as the page's xlsx, for each scope."""

import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_org
from hoptac.core import exports
from hoptac.core.exports import ExportJob, ExportStatus
from hoptac.registry import stats_jobs
from hoptac.registry.models import EventKind
from hoptac.registry.services import event_record

pytestmark = pytest.mark.django_db
D = datetime.date
KIND = "registry.statistics_xlsx"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def orgs(org_tan_yen, org_hiep_hoa, commune_tan_yen, commune_hiep_hoa):
    make_org(commune_tan_yen, name="Hợp tác xã Nấm Quang Tiến", founded_on=D(2021, 2, 2))
    make_org(commune_hiep_hoa, kind="THT", name="Tổ hợp tác nuôi ong Thanh Vân", founded_on=D(2019, 2, 1))
    gone = make_org(commune_hiep_hoa, name="Hợp tác xã Vận tải Thanh Vân", sector="van_tai", founded_on=D(2010, 1, 4))
    event_record(organization=gone, kind=EventKind.DISSOLVED, on=D(2021, 1, 20))


def cells(content: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}


def page_xlsx(client, query: dict) -> bytes:
    response = client.get(reverse("registry:stats"), {**query, "format": "xlsx"})
    assert response.status_code == 200
    return response.content


def test_the_kind_is_registered_when_the_site_starts():
    assert exports.BUILDERS[KIND].build is stats_jobs.build


@pytest.mark.parametrize(
    "query",
    [
        {"as_of": "15/03/2021", "from": "01/01/2021", "grouping": "then"},
        {"as_of": "2021-03-15", "grouping": "now"},
    ],
    ids=["period-districts", "day-communes"],
)
@pytest.mark.parametrize("who", ["staff", "officer", "coop_user"])
def test_the_jobs_workbook_is_the_pages(client, orgs, request, who, query):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.post(reverse("exports:create"), {"kind": KIND, **query})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.status == ExportStatus.DONE
    assert job.params["as_of"] == "2021-03-15" and job.filename == "thong-ke-kttt-2021-03-15.xlsx"
    download = client.get(reverse("exports:download", args=[job.pk]))
    assert download.status_code == 200 and "spreadsheetml" in download["Content-Type"]
    from_job = cells(b"".join(download.streaming_content))

    assert from_job == cells(page_xlsx(client, query))
    # The builder itself, called as the worker calls it.
    filename, _kind, content = stats_jobs.build(stats_jobs.check(user, query), user)
    assert cells(content) == from_job and filename == job.filename


def test_an_officer_counts_only_the_area(client, officer, orgs):
    client.force_login(officer)
    client.post(reverse("exports:create"), {"kind": KIND, "as_of": "15/03/2021"})
    job = ExportJob.objects.get()
    areas = [row[0] for row in cells(job.file.read())["Theo địa bàn"] if row and row[0]]
    assert "Huyện Tân Yên" in areas and "Huyện Hiệp Hòa" not in areas


def test_without_a_date_the_figures_are_todays(staff):
    params = stats_jobs.check(staff, {})
    assert params == {"as_of": timezone.localdate().isoformat(), "from": "", "grouping": "then"}


def test_bad_parameters_are_refused_and_no_job_is_recorded(client, staff, orgs):
    client.force_login(staff)
    for query in (
        {"as_of": "15/03/2021", "from": "01/04/2021"},
        {"as_of": "31/02/2021"},
        {"as_of": "15/03/2021", "grouping": "planet"},
    ):
        assert client.post(reverse("exports:create"), {"kind": KIND, **query}).status_code == 400, query
    assert not ExportJob.objects.exists()


def test_the_pages_button_asks_the_worker_for_the_workbook_of_what_is_shown(client, orgs, staff):
    """The statistics page's Excel button posts its parameters; the job's file is the page's xlsx."""
    client.force_login(staff)
    query = {"as_of": "15/03/2021", "from": "01/01/2021", "grouping": "province"}
    page = client.get(reverse("registry:stats"), query).content.decode()
    assert f'action="{reverse("exports:create")}"' in page and f'value="{KIND}"' in page
    fields = dict(re.findall(r'<input type="hidden" name="(as_of|from|grouping)" value="([^"]*)"', page))
    assert fields == query
    response = client.post(reverse("exports:create"), {"kind": KIND, **fields})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("exports:job", args=[job.pk])
    job_page = client.get(response["Location"]).content.decode()
    back = reverse("registry:stats") + "?grouping=province&amp;as_of=15%2F03%2F2021&amp;from=01%2F01%2F2021"
    assert f'href="{back}"' in job_page
    download = client.get(reverse("exports:download", args=[job.pk]))
    assert cells(b"".join(download.streaming_content)) == cells(page_xlsx(client, query))
