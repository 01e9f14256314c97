"""`make bench-national`: the pages of issue #9 on PostgreSQL, through gunicorn, at national scale.

What it does, in order (every step prints what it is doing):

1. The benchmark database (``--database``, default ``hoptac_bench_s<scale>``): reused (after
   ``migrate``) when it already holds organisations; otherwise created, migrated
   and filled by ``manage.py generate_national --scale S --seed N`` (or, with ``--demo`` or
   before that command exists, by ``load_demo``). ``--from-db NAME`` copies an existing
   database instead (``CREATE DATABASE … TEMPLATE NAME``), which is read, never written.
2. In this process (Django on the same database): the parameters of each page (dates, a form
   and period, a search term), one draft quarterly report to open, and the SQL each page runs
   (``CaptureQueriesContext`` around one request through Django's test client).
3. gunicorn (``config.wsgi``, 2 workers, DEBUG off, static files by WhiteNoise after
   ``collectstatic``), an ``http.client`` connection that signs in as a staff user, a
   warm-up, then ``--repeat`` requests per page (fewer past ``--budget`` seconds): p50 and
   p95 of the wall time.
4. The floors: the framework's ceiling is the trivial view ``/accounts/keep-alive/`` (login
   required, returns 204) through the same stack; the database's floor of each page is its
   captured SQL run directly on a psycopg connection (sum over the page's statements, p50
   over ``--repeat`` runs, in a transaction rolled back). ratio = page p50 / floor.
5. The import: a 35.000-row xlsx in the registry's template, imported with
   ``manage.py import_organizations`` into a throwaway copy of the database (dropped after).
6. bench/results.json ({scenario: {p50_ms, p95_ms, baseline_ms, ratio, ...}}), a table, and
   which targets are met. Exit status is non-zero on errors only, never on a missed target.
"""

import argparse
import datetime
import http.client
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
RESULTS = ROOT / "bench" / "results.json"
SERVER = "postgres://postgres@127.0.0.1:5432"
PASSWORD = "hoptac-demo-2021"
# Staff accounts that sign in with a password only (administrators need a second factor):
# the national generator's analyst, else the demo's registry officer.
USERS = ("phantich", "canbo")
TRIVIAL = "/accounts/keep-alive/"
MIN_SAMPLES = 5


@dataclass
class Scenario:
    key: str
    label: str
    url: str
    target_p95_ms: float | None = None  # issue #9's target on the page's p95 (None: no time target)
    max_ratio: float | None = 2.0  # "each aggregate within 2x its raw SQL"
    statements: list[str] = field(default_factory=list)  # the SQL of one request
    times: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    status: int = 0
    size: int = 0


def log(message: str) -> None:
    print(f"[{datetime.datetime.now(datetime.UTC):%H:%M:%S}] {message}", flush=True)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1) of values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


# ---------------------------------------------------------------- 1. the database


def admin_connection():
    return psycopg.connect(f"{SERVER}/postgres", autocommit=True)


def database_exists(name: str) -> bool:
    with admin_connection() as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def copy_database(source: str, target: str, attempts: int = 20) -> None:
    """CREATE DATABASE target TEMPLATE source; PostgreSQL refuses while anyone is connected to source."""
    for attempt in range(attempts):
        try:
            with admin_connection() as conn:
                conn.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
            return
        except psycopg.errors.ObjectInUse:
            if attempt == attempts - 1:
                raise
            log(f"{source} is in use; retrying the copy in 15 s")
            time.sleep(15)


def drop_database(name: str) -> None:
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def organisation_count(name: str) -> int:
    with psycopg.connect(f"{SERVER}/{name}") as conn:
        try:
            return conn.execute("SELECT count(*) FROM registry_organization").fetchone()[0]
        except psycopg.errors.UndefinedTable:
            return 0


def manage(*args: str, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=check)


def has_generator() -> bool:
    return (ROOT / "hoptac" / "core" / "management" / "commands" / "generate_national.py").exists()


def ensure_database(args, env: dict) -> dict:
    """The benchmark database, filled; returns how it was obtained (for the results)."""
    name = args.database
    info = {"database": name}
    if database_exists(name) and organisation_count(name):
        log(f"reusing {name} ({organisation_count(name):,} organisations); migrate applies any new index")
        manage("migrate", "--noinput", "-v", "0", env=env)
        info["obtained"] = "reused"
        return info
    if args.from_db:
        log(f"copying {args.from_db} into {name}")
        drop_database(name)
        start = time.perf_counter()
        copy_database(args.from_db, name)
        manage("migrate", "--noinput", "-v", "0", env=env)
        info.update(obtained=f"copy of {args.from_db}", seconds=round(time.perf_counter() - start, 1))
        return info
    if not database_exists(name):
        with admin_connection() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    log(f"migrating {name}")
    manage("migrate", "--noinput", "-v", "0", env=env)
    manage("createcachetable", env=env)  # the shared cache's table (CACHE_URL=db, the default)
    start = time.perf_counter()
    if has_generator() and not args.demo:
        log(f"generate_national --scale {args.scale} --seed {args.seed} (slow at 1.0)")
        manage("generate_national", "--scale", str(args.scale), "--seed", str(args.seed), env=env)
        info["obtained"] = f"generate_national --scale {args.scale} --seed {args.seed}"
    else:
        log("load_demo (no national generator: the Bắc Giang demo)")
        manage("load_demo", env=env)
        info["obtained"] = "load_demo"
    info["seconds"] = round(time.perf_counter() - start, 1)
    return info


# ---------------------------------------------------------------- 2. in-process: parameters and SQL


def setup_django(env: dict) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def last_full_quarter(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the last quarter ended by today."""
    year, quarter = quarter_of(today)
    year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = (datetime.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)) - datetime.timedelta(days=1)
    return start, end


def dmy(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def build_scenarios(args) -> tuple[list[Scenario], dict]:
    """The pages of issue #9 with their parameters read from the data; a draft report made if none."""
    from django.utils import timezone

    from hoptac.analytics import selectors as analytics
    from hoptac.briefing.models import Report
    from hoptac.briefing.periods import QUARTER, make_period
    from hoptac.briefing.services import report_create
    from hoptac.core.models import User
    from hoptac.core.text import normalize
    from hoptac.registry.models import Organization
    from hoptac.returns.models import Return, ReturnForm

    user = next((u for name in USERS for u in User.objects.filter(username=name, is_active=True)), None)
    if user is None:
        sys.exit(f"No staff account {' or '.join(USERS)} in the database.")
    today = timezone.localdate()
    # The fund's quarter: the last one the data reach (the generator writes nothing after its
    # HORIZON, 31/12/2025; a later quarter would show every loan in arrears), or today's last.
    from hoptac.fund.models import Repayment

    last_repayment = Repayment.objects.order_by("-on").values_list("on", flat=True).first()
    fund_day = min(today, last_repayment + datetime.timedelta(days=1)) if last_repayment else today
    q_start, q_end = last_full_quarter(fund_day)
    # "As then": a date of the legacy era (63 provinces, districts), at most 30/06/2025.
    then = min(datetime.date(2024, 12, 31), today)
    info = {"user": user.username, "today": today.isoformat(), "organisations": Organization.objects.count()}

    # A search term without diacritics: two words of a common name.
    sample = Organization.objects.order_by("pk").values_list("name", flat=True)[info["organisations"] // 2]
    term = " ".join(normalize(sample).split()[-2:])

    form = ReturnForm.objects.filter(code="annual_htx").first() or ReturnForm.objects.order_by("code").first()
    scenarios = [
        Scenario("search", f'registry search "{term}"', f"/registry/?q={term.replace(' ', '+')}&status=all", 50),
        Scenario(
            "list_filtered",
            "registry list: HTX, agriculture, active, page 3",
            "/registry/?kind=HTX&sector=nong_nghiep&status=active&page=3",
            None,
        ),
        Scenario(
            # The "statistics on a date by province x type x sector (as now)". The key
            # keeps its old name for the readers of results.json; it measured grouping=now
            # (3.300 communes) before the province grouping existed.
            "stats_now",
            f"statistics {dmy(today)}, provinces as now x type x sector",
            f"/registry/stats/?as_of={dmy(today)}&grouping=province",
            150,
        ),
        Scenario(
            "stats_then",
            f"statistics {dmy(then)} + Q4 flows, districts as then",
            f"/registry/stats/?as_of={dmy(then)}&from=01/10/{then.year}&grouping=then",
            150,
        ),
    ]
    if form is not None:
        periods, newest = analytics.form_periods(form, today)
        filed = Return.objects.filter(form=form, year=newest.year).exists()
        info["returns_form"], info["returns_period"], info["returns_filed"] = form.code, newest.code, filed
        scenarios.append(
            Scenario(
                "pivot",
                f"pivot {form.code} {newest.code} by area x type",
                f"/returns/statistics/?form={form.code}&period={newest.code}&rows=area&columns=kind",
                1000,
            )
        )
        scenarios.append(
            Scenario(
                "completeness",
                f"completeness {form.code} {newest.code}",
                f"/returns/{form.code}/{newest.code}/completeness/",
                None,
            )
        )
    scenarios.append(
        Scenario(
            "fund_statement",
            f"fund statement {dmy(q_end)} + Q flows",
            f"/fund/statement/?as_of={dmy(q_end)}&from={dmy(q_start)}",
            300,
        )
    )
    year, quarter = quarter_of(q_end)
    title = f"Bench {year} Q{quarter}"
    report = Report.objects.filter(title=title).first()
    if report is None:
        log(f"creating the draft report {title!r} (figures recomputed on every view of a draft)")
        report = report_create(period=make_period(QUARTER, year, quarter), as_of=q_end, title=title)
    scenarios.append(
        Scenario("quarterly_report", f"quarterly report Q{quarter}/{year} (draft page)", f"/reports/{report.pk}/", 1000)
    )
    return scenarios, {**info, "user_obj": user}


def capture_sql(scenarios: list[Scenario], user) -> None:
    """The statements of one request of each page, run in this process on the same database."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    for s in scenarios:
        client.get(s.url)  # warm the caches the server's workers will also have warm
        with CaptureQueriesContext(connection) as captured:
            response = client.get(s.url)
        if response.status_code != 200:
            raise SystemExit(f"{s.url}: HTTP {response.status_code} in-process")
        s.statements = [q["sql"] for q in captured.captured_queries]
    connection.close()


# ---------------------------------------------------------------- 3. gunicorn and the requests


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict, port: int) -> subprocess.Popen:
    log(f"gunicorn on 127.0.0.1:{port}, 2 workers, DEBUG off")
    proc = subprocess.Popen(
        [GUNICORN, "config.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "300", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    for _ in range(120):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise SystemExit("gunicorn did not start") from None
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit("gunicorn did not listen within 60 s")


class Session:
    """An HTTP connection with the cookies a browser would keep (standard library only).

    gunicorn's sync workers close the connection after each response; http.client opens it
    again on the next request, so every timed request includes a local TCP connect.
    """

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None):
        headers = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=data, headers=headers)
        response = self.conn.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, content


def sign_in(port: int, username: str) -> Session:
    session = Session(port)
    _status, page = session.request("GET", "/accounts/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    status, _ = session.request(
        "POST",
        "/accounts/login/",
        {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
        {"Referer": "http://127.0.0.1/accounts/login/", "Origin": "http://127.0.0.1"},
    )
    check, _ = session.request("GET", TRIVIAL)
    if check != 204:
        raise SystemExit(f"could not sign in as {username} (login {status}, keep-alive {check})")
    return session


def timed_get(session: Session, url: str) -> tuple[float, int, int]:
    start = time.perf_counter()
    status, content = session.request("GET", url)
    return (time.perf_counter() - start) * 1000, status, len(content)


def measure_http(session, scenarios, trivial, repeat: int, warmup: int, budget: float) -> None:
    for s in [trivial, *scenarios]:
        for _ in range(warmup):  # both workers: the first requests fill each one's caches
            timed_get(session, s.url)
        started = time.perf_counter()
        for _ in range(repeat):
            ms, status, size = timed_get(session, s.url)
            if status not in (200, 204):
                raise SystemExit(f"{s.url}: HTTP {status}")
            s.times.append(ms)
            s.status, s.size = status, size
            # A page of many seconds gets fewer samples (at least MIN_SAMPLES), so that a run fits CI's time.
            if time.perf_counter() - started > budget and len(s.times) >= MIN_SAMPLES:
                break
        log(f"{s.label}: p50 {statistics.median(s.times):.1f} ms, p95 {percentile(s.times, 0.95):.1f} ms")


# ---------------------------------------------------------------- 4. the database's floor


def measure_floor(database: str, scenarios: list[Scenario], repeat: int, budget: float) -> None:
    """Each page's captured statements, run as they are on one connection; rolled back after each run."""
    from django.conf import settings

    # The session settings the application's connections have (jit off: config/settings.py).
    options = settings.DATABASES["default"].get("OPTIONS", {}).get("options", "")
    with psycopg.connect(f"{SERVER}/{database}", options=options) as conn:
        for s in scenarios:
            started = time.perf_counter()
            for run in range(repeat + 1):
                if time.perf_counter() - started > budget and len(s.floor) >= MIN_SAMPLES:
                    break
                start = time.perf_counter()
                with conn.cursor() as cur:
                    for sql in s.statements:
                        cur.execute(sql)
                        if cur.description is not None:
                            cur.fetchall()
                ms = (time.perf_counter() - start) * 1000
                conn.rollback()
                if run:  # the first run warms the plan cache and the buffers
                    s.floor.append(ms)


# ---------------------------------------------------------------- 5. the import


def import_workbook(rows: int, path: Path) -> None:
    """rows new organisations in the registry's template, spread over the communes of today."""
    from hoptac.geo.models import AdminUnit, Level
    from hoptac.registry import excel

    day = datetime.date(2026, 1, 15)
    communes = list(AdminUnit.objects.valid_on(day).filter(level=Level.COMMUNE).select_related("parent").order_by("pk"))
    # The importer matches names without accents: keep the communes whose name is unique so in its province.
    from hoptac.core.text import normalize

    seen: dict[tuple, int] = {}
    for c in communes:
        seen[(c.parent_id, normalize(c.name))] = seen.get((c.parent_id, normalize(c.name)), 0) + 1
    communes = [c for c in communes if seen[(c.parent_id, normalize(c.name))] == 1]
    sectors = ["Nông, lâm, ngư nghiệp", "Công nghiệp - TTCN", "Thương mại - Dịch vụ", "Vận tải", "Xây dựng"]
    data = []
    for i in range(rows):
        commune = communes[(i * 7919) % len(communes)]
        row = {
            "Mã số": f"99{i:08d}",
            "Tên": f"Hợp tác xã Thử tải số {i}",
            "Loại hình": "HTX",
            "Lĩnh vực": sectors[i % len(sectors)],
            "Tỉnh": commune.parent.name,
            "Huyện": "",
            "Xã": commune.name,
            "Ngày thành lập": dmy(day),
            "Số thành viên": 7 + i % 40,
            "Vốn điều lệ (đồng)": 50_000_000 + 1_000_000 * (i % 200),
        }
        data.append([row.get(h, "") for h in excel.HEADERS])
    path.write_bytes(excel.workbook_bytes(data))


def measure_import(args, env: dict, username: str) -> dict:
    from django.db import connections

    connections.close_all()
    scratch = f"{args.database}_import"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "import-35000.xlsx"
        start = time.perf_counter()
        import_workbook(args.import_rows, path)
        log(
            f"built {path.name}: {args.import_rows:,} rows, {path.stat().st_size:,} bytes "
            f"in {time.perf_counter() - start:.1f} s"
        )
        connections.close_all()
        drop_database(scratch)
        start = time.perf_counter()
        copy_database(args.database, scratch)
        log(f"throwaway copy {scratch} in {time.perf_counter() - start:.1f} s")
        try:
            start = time.perf_counter()
            done = subprocess.run(
                [PY, "manage.py", "import_organizations", str(path), "--user", username],
                cwd=ROOT,
                env={**env, "DATABASE_URL": f"{SERVER}/{scratch}"},
                capture_output=True,
                text=True,
            )
            seconds = time.perf_counter() - start
        finally:
            drop_database(scratch)
    if done.returncode:
        raise SystemExit(f"import failed: {done.stderr[-2000:]}")
    log(f"import: {seconds:.1f} s ({done.stdout.strip()})")
    return {"seconds": round(seconds, 1), "rows": args.import_rows, "summary": done.stdout.strip()}


# ---------------------------------------------------------------- 6. the results


def machine() -> str:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores {cpu}, {mem:.0f} GB, {platform.system()} {platform.release()}"


def report(scenarios, trivial, imported, info, args) -> tuple[dict, list[str]]:
    results, verdicts = {}, []
    ceiling = statistics.median(trivial.times)
    results["trivial_view"] = {
        "label": f"trivial view {TRIVIAL} (framework ceiling)",
        "p50_ms": round(ceiling, 1),
        "p95_ms": round(percentile(trivial.times, 0.95), 1),
        "baseline_ms": None,
        "ratio": None,
    }
    for s in scenarios:
        p50, p95 = statistics.median(s.times), percentile(s.times, 0.95)
        floor = statistics.median(s.floor)
        ratio = p50 / floor if floor else None
        results[s.key] = {
            "label": s.label,
            "url": s.url,
            "p50_ms": round(p50, 1),
            "p95_ms": round(p95, 1),
            "baseline_ms": round(floor, 1),
            "ratio": round(ratio, 2) if ratio else None,
            "queries": len(s.statements),
            "samples": len(s.times),
            "bytes": s.size,
            "target_p95_ms": s.target_p95_ms,
        }
        if s.target_p95_ms is not None:
            ok = p95 <= s.target_p95_ms
            verdicts.append(f"{'MET ' if ok else 'MISS'} {s.key}: p95 {p95:.0f} ms <= {s.target_p95_ms:.0f} ms")
        if s.max_ratio is not None and ratio is not None:
            ok = ratio <= s.max_ratio
            verdicts.append(f"{'MET ' if ok else 'MISS'} {s.key}: p50 / SQL floor {ratio:.2f} <= {s.max_ratio}")
    if imported:
        ok = imported["seconds"] <= 60
        results["import"] = {
            "label": f"import of {imported['rows']:,} organisations (xlsx, manage.py import_organizations)",
            "p50_ms": imported["seconds"] * 1000,
            "p95_ms": imported["seconds"] * 1000,
            "baseline_ms": None,
            "ratio": None,
            "runs": 1,
            "summary": imported["summary"],
            "target_p95_ms": 60_000,
        }
        verdicts.append(f"{'MET ' if ok else 'MISS'} import: {imported['seconds']:.0f} s <= 60 s")
    meta = {k: v for k, v in info.items() if k != "user_obj"}
    meta.update(
        scale=args.scale,
        repeat=args.repeat,
        machine=machine(),
        finished=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    )
    return {"_run": meta, **results}, verdicts


def print_table(results: dict) -> None:
    print("\n| scenario | p50 ms | p95 ms | SQL floor ms | ratio | queries | target |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for key, r in results.items():
        if key.startswith("_"):
            continue
        floor = f"{r['baseline_ms']:.1f}" if r["baseline_ms"] is not None else "—"
        ratio = f"{r['ratio']:.2f}" if r["ratio"] is not None else "—"
        target = r.get("target_p95_ms")
        target = f"≤ {target:,.0f}" if target else "—"
        print(
            f"| {r['label']} | {r['p50_ms']:,.1f} | {r['p95_ms']:,.1f} | {floor} | {ratio} | "
            f"{r.get('queries', '—')} | {target} |"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.05, help="generate_national's scale (default 0.05)")
    parser.add_argument("--seed", type=int, default=2016, help="generate_national's seed (its default)")
    parser.add_argument("--database", help="default hoptac_bench_s<scale>; reused when it holds data")
    parser.add_argument("--from-db", help="copy this database (read only) instead of generating")
    parser.add_argument("--demo", action="store_true", help="load the Bắc Giang demo instead of generating")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=2, help="requests before timing (each worker's caches)")
    parser.add_argument(
        "--budget", type=float, default=60, help="seconds per page; a slower page stops early (5 samples at least)"
    )
    parser.add_argument("--import-rows", type=int, default=35_000)
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument(
        "--only", help="comma-separated scenario keys (e.g. pivot,completeness): measure these, update results.json"
    )
    args = parser.parse_args()
    if not args.database:
        args.database = "hoptac_bench_" + ("demo" if args.demo else f"s{args.scale:g}".replace(".", "_"))

    var = ROOT / "var" / "bench"
    var.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": f"{SERVER}/{args.database}",
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "HOPTAC_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    info = ensure_database(args, env)
    log("collectstatic (WhiteNoise serves var/bench/static, as in production)")
    manage("collectstatic", "--noinput", "-v", "0", env=env)

    setup_django(env)
    scenarios, more = build_scenarios(args)
    info.update(more)
    if args.only:
        keys = set(args.only.split(","))
        scenarios = [s for s in scenarios if s.key in keys]
        args.skip_import = args.skip_import or "import" not in keys
    log(f"capturing the SQL of {len(scenarios)} pages in-process")
    capture_sql(scenarios, info["user_obj"])

    port = free_port()
    server = start_gunicorn(env, port)
    try:
        session = sign_in(port, info["user"])
        trivial = Scenario("trivial_view", "trivial view", TRIVIAL, max_ratio=None)
        measure_http(session, scenarios, trivial, args.repeat, args.warmup, args.budget)
    finally:
        server.terminate()
        server.wait(30)
    log("SQL floors on a direct psycopg connection")
    measure_floor(args.database, scenarios, args.repeat, args.budget)
    imported = None if args.skip_import else measure_import(args, env, info["user"])

    results, verdicts = report(scenarios, trivial, imported, info, args)
    if args.only and RESULTS.exists():
        # A partial run replaces its scenarios in the last full run's results and keeps the rest.
        earlier = json.loads(RESULTS.read_text())
        earlier.setdefault("_partial_runs", []).append(results.pop("_run"))
        results = {**earlier, **results}
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    print_table(results)
    print(
        f"\n{info['organisations']:,} organisations in {args.database} ({info.get('obtained')}); "
        f"user {info['user']}; {args.repeat} requests per page; results in {RESULTS.relative_to(ROOT)}"
    )
    print("\nTargets (issue #9):")
    for line in verdicts:
        print("  " + line)
    return 0


if __name__ == "__main__":
    if not shutil.which(GUNICORN):
        sys.exit("gunicorn missing: make setup")
    sys.exit(main())
