"""Files made by the background worker (issue #9): the job's life, its page, who downloads it.

A kind of its own is registered here ("test.greeting"), so that these tests do not depend on
any app's builder; the apps' kinds have their own tests (briefing, registry).
"""

import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse

from hoptac.core import exports, tasks
from hoptac.core.exports import ExportJob, ExportStatus

pytestmark = pytest.mark.django_db
DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
KIND = "test.greeting"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def check(user, params):
    """Alliance accounts only; a name is needed."""
    if not user.is_alliance:
        raise PermissionDenied
    if not params.get("name", "").strip():
        raise ValidationError("Cần tên người nhận.")
    return {"name": params["name"].strip()}


def build(params, user):
    if params["name"] == "hỏng":
        raise RuntimeError("the builder broke")
    if params["name"] == "sai":
        raise ValidationError("Không có số liệu cho ngày này.")
    return "loi-chao.txt", "text/plain; charset=utf-8", f"Xin chào {params['name']} từ {user.username}".encode()


@pytest.fixture(autouse=True)
def kind():
    exports.register(KIND, build, "Lời chào", check)
    yield KIND
    del exports.BUILDERS[KIND]


def ask(client, name="Lan", kind=KIND):
    return client.post(reverse("exports:create"), {"kind": kind, "name": name})


def test_a_job_goes_from_queued_to_done_and_its_creator_downloads_the_file(client, staff, settings, media):
    settings.TASKS = DUMMY  # the worker has not taken it yet
    client.force_login(staff)
    response = ask(client, name="  Lan ")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("exports:job", args=[job.pk])
    assert (job.status, job.created_by, job.kind, job.params) == (ExportStatus.QUEUED, staff, KIND, {"name": "Lan"})
    assert job.task_id and not job.file
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404  # nothing to download yet

    tasks.run_export.call(job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and job.started_on and job.finished_on and not job.error
    assert (job.filename, job.content_type) == ("loi-chao.txt", "text/plain; charset=utf-8")
    assert job.file.name.startswith("exports/") and default_storage.exists(job.file.name)

    download = client.get(reverse("exports:download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "text/plain; charset=utf-8"
    assert 'filename="loi-chao.txt"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == "Xin chào Lan từ staff".encode()

    tasks.run_export.call(job.pk)  # a replayed task does nothing
    assert ExportJob.objects.get().file.name == job.file.name

    default_storage.delete(job.file.name)  # the folder was emptied
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404


def test_the_job_page_polls_while_the_file_is_made_then_links_to_it(client, staff, settings):
    settings.TASKS = DUMMY
    client.force_login(staff)
    url = ask(client)["Location"]
    job = ExportJob.objects.get()

    page = client.get(url).content.decode()
    assert "<html" in page and "Lời chào" in page and 'id="export-refresh"' in page
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page  # without JavaScript
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="export-job"') and "<html" not in fragment
    assert f'hx-get="{url}"' in fragment and 'hx-trigger="load delay:2s"' in fragment
    assert "Đang chờ bắt đầu tạo tệp…" in fragment

    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING)
    assert "Đang tạo tệp…" in client.get(url, headers={"HX-Request": "true"}).content.decode()

    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.QUEUED)
    tasks.run_export.call(job.pk)
    done = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-get" not in done and "Tải về" in done
    assert f'href="{reverse("exports:download", args=[job.pk])}"' in done
    assert "http-equiv" not in client.get(url).content.decode()


def test_with_the_immediate_backend_the_job_is_done_when_its_page_opens(client, staff):
    client.force_login(staff)
    page = client.get(ask(client)["Location"]).content.decode()
    assert ExportJob.objects.get().status == ExportStatus.DONE and 'id="export-download"' in page


def test_a_failing_builder_marks_the_job_failed_with_a_message_and_leaves_no_file(client, staff, media, caplog):
    client.force_login(staff)
    with caplog.at_level(logging.ERROR, logger="hoptac.core.tasks"):
        url = ask(client, name="hỏng")["Location"]
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.FAILED and job.finished_on and not job.file
    assert job.error == tasks.FAILED_MESSAGE and "Lỗi hệ thống khi tạo tệp" in job.error
    assert f"export job {job.pk} (test.greeting) failed" in caplog.text and "the builder broke" in caplog.text
    assert not (media / "exports").exists()
    page = client.get(url).content.decode()
    assert "Không tạo được tệp." in page and tasks.FAILED_MESSAGE in page and "hx-get" not in page
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404


def test_a_builders_own_message_is_shown_as_it_is(client, staff):
    client.force_login(staff)
    ask(client, name="sai")
    assert ExportJob.objects.get().error == "Không có số liệu cho ngày này."


def test_the_kinds_check_refuses_at_creation_and_no_job_is_recorded(client, officer, staff):
    client.force_login(officer)
    assert ask(client).status_code == 403
    client.force_login(staff)
    response = ask(client, name=" ")
    assert response.status_code == 400 and "Cần tên người nhận." in response.content.decode()
    unknown = ask(client, kind="test.nothing")
    assert unknown.status_code == 400 and "Không có loại tệp này." in unknown.content.decode()
    assert not ExportJob.objects.exists()


def test_only_the_creator_sees_the_job_and_downloads_its_file(client, staff, admin):
    client.force_login(staff)
    job = ExportJob.objects.get(pk=int(ask(client)["Location"].rstrip("/").rsplit("/", 1)[1]))
    client.force_login(admin)
    assert client.get(reverse("exports:job", args=[job.pk])).status_code == 403
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 403
    assert client.get(reverse("exports:download", args=[job.pk + 1])).status_code == 404
    client.logout()
    for name in ("exports:job", "exports:download"):
        response = client.get(reverse(name, args=[job.pk]))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    response = ask(client)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert ExportJob.objects.count() == 1


def test_the_check_is_asked_again_at_download(client, staff):
    client.force_login(staff)
    job = ExportJob.objects.get(pk=int(ask(client)["Location"].rstrip("/").rsplit("/", 1)[1]))
    staff.role = "area_officer"  # moved out of the alliance since
    staff.save()
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 403


def test_creating_is_a_post(client, staff):
    client.force_login(staff)
    assert client.get(reverse("exports:create"), {"kind": KIND, "name": "Lan"}).status_code == 405
    assert not ExportJob.objects.exists()


def test_stored_files_are_not_served(client, staff):
    client.force_login(staff)
    ask(client)
    name = ExportJob.objects.get().file.name
    assert client.get(f"/media/{name}").status_code == 404
