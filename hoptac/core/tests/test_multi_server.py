"""Several servers on one database (issue #9): two web servers and a worker, as on a real site.

Two gunicorn servers (A and B) and one ``manage.py db_worker`` run in processes of their own on
one scratch database (a copy of the test database: PostgreSQL when the suite runs on it, else a
SQLite file), with one MEDIA_ROOT. A registry officer signs in on A and uploads an Excel file;
the worker imports it; B shows the job's progress and then its result, and lists the new
organisations, with A's session cookie. Nothing of the sign-in, the upload or the import is
kept in one server's memory.
"""

import http.cookiejar
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from hoptac.registry.tests.test_excel import row, xlsx

from . import scratch

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

PASSWORD = "mat-khau-thu-nghiem-1"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """Cookies shared by every server of 127.0.0.1 (a cookie is not bound to a port), no redirects followed."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect)

    def request(self, url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, dict, str]:
        request = urllib.request.Request(url, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:  # 3xx (not followed) and 4xx/5xx
            return error.code, dict(error.headers), error.read().decode(errors="replace")

    def csrf(self, html: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def post(self, url: str, fields: dict, files: dict | None = None, referer: str = ""):
        boundary = uuid.uuid4().hex
        body = b""
        for name, value in fields.items():
            body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, (filename, content) in (files or {}).items():
            body += (
                (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                    f"Content-Type: {XLSX}\r\n\r\n"
                ).encode()
                + content
                + b"\r\n"
            )
        body += f"--{boundary}--\r\n".encode()
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "Referer": referer or url}
        return self.request(url, body, headers)


def wait_until_up(url: str, process: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{url} stopped: {log.read_text()}")
        try:
            urllib.request.urlopen(url + "/accounts/login/", timeout=5)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer in 90 s: {log.read_text()}")


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    """Servers A and B and a worker on one scratch database; every process is stopped afterwards.

    Module-scoped: the copy is made before a test opens its transaction on the test database
    (SQLite's backup would wait for that transaction's lock forever).
    """
    tmp_path = tmp_path_factory.mktemp("multi")
    with django_db_blocker.unblock():
        db = scratch.from_test_database(tmp_path, "multi")
    processes: list[subprocess.Popen] = []
    try:
        db.manage(
            "shell",
            "-c",
            "from hoptac.core.models import User, Role, Department; "
            f"User.objects.create_user('canbo_a', password='{PASSWORD}', role=Role.STAFF, "
            "department=Department.REGISTRY)",
        )
        env = db.env(DEBUG="true", LOG_LEVEL="WARNING")
        servers = {}
        for name in ("a", "b"):
            port = free_port()
            log = tmp_path / f"server-{name}.log"
            with log.open("w") as out:
                processes.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
                        cwd=scratch.ROOT,
                        env=env,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                    )
                )
            servers[name] = (f"http://127.0.0.1:{port}", processes[-1], log)
        worker_log = tmp_path / "worker.log"
        with worker_log.open("w") as out:
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "manage.py",
                        "db_worker",
                        "--no-reload",
                        "--no-startup-delay",
                        "--interval",
                        "0.2",
                    ],
                    cwd=scratch.ROOT,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            )
        for url, process, log in servers.values():
            wait_until_up(url, process, log)
        yield {"a": servers["a"][0], "b": servers["b"][0], "db": db, "worker_log": worker_log}
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        db.drop()


def test_upload_on_one_server_is_imported_by_the_worker_and_seen_on_the_other(site):
    a, b = site["a"], site["b"]
    browser = Browser()

    # Sign in on A.
    status, _, html = browser.request(a + "/accounts/login/")
    assert status == 200
    status, headers, _ = browser.post(
        a + "/accounts/login/", {"csrfmiddlewaretoken": browser.csrf(html), "username": "canbo_a", "password": PASSWORD}
    )
    assert status == 302 and "/accounts/login" not in headers["Location"], headers

    # The session made on A works on B.
    status, _, html = browser.request(b + "/registry/import/")
    assert status == 200 and 'type="file"' in html

    # Upload on A: the page sends the browser to the job, which the worker takes.
    rows = [row(code=f"24999900{i:02d}", name=f"Hợp tác xã Nhiều máy chủ {i}") for i in range(12)]
    status, _, html = browser.request(a + "/registry/import/")
    status, headers, _ = browser.post(
        a + "/registry/import/",
        {"csrfmiddlewaretoken": browser.csrf(html)},
        {"file": ("nhieu-may-chu.xlsx", xlsx(rows).getvalue())},
    )
    assert status == 302, headers
    job_path = urllib.parse.urlsplit(headers["Location"]).path
    assert re.fullmatch(r"/registry/import/\d+/", job_path)

    # Poll B (as the page's HTMX does) until the job is finished.
    deadline, fragment = time.monotonic() + 120, ""
    while time.monotonic() < deadline:
        status, _, fragment = browser.request(b + job_path, headers={"HX-Request": "true"})
        assert status == 200
        if "hx-get" not in fragment:
            break
        assert "<progress" in fragment
        time.sleep(0.5)
    else:
        raise AssertionError(f"the job did not finish in 120 s; worker: {site['worker_log'].read_text()}")
    assert 'id="import-errors"' not in fragment, fragment
    assert re.search(r'id="import-created">\s*12\s*<', fragment), fragment

    # B lists the new organisations.
    status, _, html = browser.request(b + "/registry/?q=" + urllib.parse.quote("Nhiều máy chủ"))
    assert status == 200
    assert html.count("Hợp tác xã Nhiều máy chủ") >= 12

    # Signing out on B ends the session on A too.
    status, _, html = browser.request(b + "/registry/")
    status, _, _ = browser.post(b + "/accounts/logout/", {"csrfmiddlewaretoken": browser.csrf(html)})
    status, headers, _ = browser.request(a + "/registry/")
    assert status == 302 and "/accounts/login/" in headers["Location"]
