"""The Excel import as a background job (issue #9): stored upload, job record, progress, result."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hoptac.core.models import AuditEntry
from hoptac.registry import excel, tasks
from hoptac.registry.models import ImportJob, JobStatus, Organization
from hoptac.registry.tests.test_excel import row, xlsx

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def post(client, rows, *, htmx=False, name="to-chuc.xlsx"):
    headers = {"HX-Request": "true"} if htmx else {}
    file = SimpleUploadedFile(name, xlsx(rows).getvalue(), content_type=XLSX)
    return client.post(reverse("registry:import"), {"file": file}, headers=headers)


def test_upload_makes_a_job_whose_result_is_the_page_and_the_file_is_gone(client, staff, media):
    client.force_login(staff)
    response = post(client, [row(code="2411110001"), row(code="2411110002")])
    job = ImportJob.objects.get()
    assert (job.status, job.created_by, job.filename) == (JobStatus.DONE, staff, "to-chuc.xlsx")
    assert job.result["created"] == 2 and job.result["errors"] == [] and job.task_id
    assert (job.rows_done, job.rows_total) == (2, 2) and job.started_on and job.finished_on
    assert response.status_code == 200 and response.context["result"].created == 2
    assert job.stored_as.startswith("imports/") and not default_storage.exists(job.stored_as)
    assert list((media / "imports").iterdir()) == []


def test_a_queued_job_shows_a_progress_bar_polled_by_htmx_and_a_refresh_link(client, staff, settings):
    settings.TASKS = DUMMY  # nobody runs it: the worker has not taken it yet
    client.force_login(staff)
    response = post(client, [row(code="2411110001")])
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("registry:import_job", args=[job.pk])
    assert default_storage.exists(job.stored_as)

    page = client.get(response["Location"]).content.decode()
    assert "<progress" in page and 'id="import-refresh"' in page and "<html" in page
    assert f'hx-get="{reverse("registry:import_job", args=[job.pk])}"' in page

    fragment = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="import-result"') and 'hx-trigger="load delay:1s"' in fragment

    htmx_post = post(client, [row(code="2411110002")], htmx=True).content.decode()
    assert 'hx-trigger="load delay:1s"' in htmx_post and "<html" not in htmx_post

    # The worker takes it: checking 1 of 1 rows, then the result, with no polling any more.
    tasks.run_import.call(job.pk)
    done = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert 'id="import-created"' in done and "hx-get" not in done
    assert Organization.objects.filter(code="2411110001").exists()
    assert not default_storage.exists(job.stored_as)


def test_progress_is_reported_while_checking_and_writing(staff):
    seen = []
    rows = [row(code=f"24111100{i:02d}") for i in range(5)]
    result = excel.import_organizations(xlsx(rows), by=staff, progress=lambda *p: seen.append(p), every=2)
    assert result.created == 5
    assert seen[:4] == [("checking", 0, 5), ("checking", 2, 5), ("checking", 4, 5), ("checking", 5, 5)]
    assert seen[4] == ("writing", 0, 5) and seen[-1] == ("writing", 5, 5)


def test_the_job_row_holds_the_progress_outside_the_import(client, staff, settings):
    settings.TASKS = DUMMY
    client.force_login(staff)
    post(client, [row()])
    job = ImportJob.objects.get()
    progress = tasks._Progress(job)
    progress("checking", 3, 5)
    job.refresh_from_db()
    assert (job.phase, job.rows_done, job.rows_total, job.percent) == ("checking", 3, 5, 60)
    page = client.get(reverse("registry:import_job", args=[job.pk])).content.decode()
    assert 'max="5" value="3"' in page and "3 trên 5 dòng" in page


def test_errors_come_back_by_row_and_column_and_nothing_is_written(client, staff):
    client.force_login(staff)
    response = post(client, [row(code="2411110001"), row(code="2411110002", kind="X")])
    html = response.content.decode()
    assert 'id="import-errors"' in html and "loại hình “X” không hợp lệ" in html
    job = ImportJob.objects.get()
    assert job.status == JobStatus.DONE and job.result["errors"][0][:2] == [3, "Loại hình"]
    assert not Organization.objects.filter(code__startswith="241111").exists()


def test_a_crash_marks_the_job_failed_and_says_so(client, staff, settings):
    settings.TASKS = DUMMY
    client.force_login(staff)
    post(client, [row()])
    job = ImportJob.objects.get()
    default_storage.delete(job.stored_as)  # the file vanished: the import cannot read it
    with pytest.raises(FileNotFoundError):
        tasks.run_import.call(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    html = client.get(reverse("registry:import_job", args=[job.pk])).content.decode()
    assert "Lỗi hệ thống khi nhập tệp" in html and 'id="import-errors"' in html


def test_only_the_uploader_sees_a_job(client, staff, officer, coop_user, settings):
    settings.TASKS = DUMMY
    client.force_login(staff)
    post(client, [row()])
    url = reverse("registry:import_job", args=[ImportJob.objects.get().pk])
    client.force_login(officer)
    assert client.get(url).status_code == 404
    client.force_login(coop_user)
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_stored_uploads_are_not_served(client, staff, settings):
    settings.TASKS = DUMMY
    client.force_login(staff)
    post(client, [row()])
    job = ImportJob.objects.get()
    assert client.get(f"/media/{job.stored_as}").status_code == 404


def test_new_organisations_are_written_in_batches_with_their_audit(staff, settings, monkeypatch):
    monkeypatch.setattr("hoptac.registry.excel.importer.BATCH", 2)
    rows = [row(code=f"24111100{i:02d}") for i in range(5)] + [row(code="2411110099", dissolved_on="01/01/2024")]
    result = excel.import_organizations(xlsx(rows), by=staff, filename="a.xlsx")
    assert result.ok, result.errors
    created = Organization.objects.filter(code__startswith="241111")
    assert created.count() == 6 and {o.created_by for o in created} == {staff}
    assert all(o.search_text for o in created)
    entries = AuditEntry.objects.filter(action="registry.organization.created")
    assert entries.count() == 6 and entries.first().user == staff
    assert entries.first().changes["code"][0] is None
    dissolved = Organization.objects.get(code="2411110099")
    assert dissolved.events.filter(kind="dissolved").exists()


def test_a_code_registered_during_the_import_fails_the_whole_file(staff, commune_tan_yen, monkeypatch):
    from conftest import make_org

    original = excel.importer._Importer.match_existing

    def register_meanwhile(self, planned):
        original(self, planned)
        make_org(commune_tan_yen, code="2411110002")  # someone else, between the check and the write

    monkeypatch.setattr(excel.importer._Importer, "match_existing", register_meanwhile)
    result = excel.import_organizations(xlsx([row(code="2411110001"), row(code="2411110002")]), by=staff)
    assert not result.ok and "vừa được đăng ký" in result.errors[0].message
    assert not Organization.objects.filter(code="2411110001").exists()
