"""Benchmark the registry and the fund on the demo data: server time and queries per page, and the import.

Run with `make bench` (or `.venv/bin/python scripts/bench_registry.py [--repeat N]`) after
`make run` has loaded the demo into var/hoptac.sqlite3, or with DATABASE_URL set to a
database that holds the demo. Requests go through Django's whole middleware stack with the
test client (no network), so the figures are server time. Writes nothing: the import is
measured inside a transaction that is rolled back.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from hoptac.core.models import User  # noqa: E402
from hoptac.fund.models import Loan  # noqa: E402
from hoptac.geo.models import AdminUnit  # noqa: E402
from hoptac.registry import excel  # noqa: E402
from hoptac.registry.models import Organization  # noqa: E402


def measure(client: Client, url: str, repeat: int) -> tuple[float, float, int, int]:
    client.get(url)  # warm caches (templates, unit successions)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return statistics.median(times), p95, len(queries), len(response.content)


def bench_import(rows: int) -> float:
    """Seconds to validate and import `rows` new organisations (rolled back)."""
    tan_yen = AdminUnit.objects.filter(level=3, parent__name="Huyện Tân Yên", valid_from__isnull=True)
    communes = list(tan_yen.select_related("parent"))
    data = []
    for i in range(rows):
        commune = communes[i % len(communes)]
        data.append(
            {
                "Mã số": f"2499{i:06d}",
                "Tên": f"Hợp tác xã Thử tải số {i}",
                "Loại hình": "HTX",
                "Lĩnh vực": "Nông nghiệp",
                "Tỉnh": "Bắc Giang",
                "Huyện": commune.parent.name,
                "Xã": commune.name,
                "Ngày thành lập": "15/06/2019",
                "Số thành viên": 9,
                "Vốn điều lệ (đồng)": 100_000_000,
            }
        )
    payload = excel.workbook_bytes([[row.get(h, "") for h in excel.HEADERS] for row in data])
    start = time.perf_counter()
    with transaction.atomic():
        result = excel.import_organizations(io.BytesIO(payload), filename="bench.xlsx")
        assert not result.errors, result.errors[:3]
        assert result.created == rows
        transaction.set_rollback(True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--import-rows", type=int, default=1000)
    args = parser.parse_args()

    if not Organization.objects.exists():
        sys.exit("No organisations: load the demo first (make run, or manage.py load_demo).")
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username="canbo"))  # registry staff; administrators need a code
    tan_yen = AdminUnit.objects.get(level=2, name="Huyện Tân Yên", valid_to__isnull=False)
    pages = [
        ("registry list, page 1", "/registry/"),
        ("registry list, page 10", "/registry/?page=10"),
        ("search without diacritics", "/registry/?q=htx+tan+yen&status=all"),
        ("filter: district as then", f"/registry/?district={tan_yen.pk}&as_of=15/03/2021"),
        ("statistics 15/03/2021 + Q1 flows", "/registry/stats/?as_of=15/03/2021&from=01/01/2021"),
        ("statistics today, communes as now", "/registry/stats/?grouping=now"),
        ("export xlsx (all active)", "/registry/export/?format=xlsx"),
        ("fund home", "/fund/"),
        ("fund loans list", "/fund/loans/"),
        ("fund loan page", f"/fund/loans/{Loan.objects.filter(status='active').order_by('pk').first().pk}/"),
        ("fund arrears 15/03/2021", "/fund/arrears/?as_of=15/03/2021"),
        ("fund statement 15/03/2021 + Q1 flows", "/fund/statement/?as_of=15/03/2021&from=01/01/2021"),
        ("fund statement xlsx", "/fund/statement/?as_of=15/03/2021&format=xlsx"),
    ]
    anonymous = Client(HTTP_HOST="localhost")
    public = [("home page (public)", "/"), ("public directory", "/directory/")]

    print(f"Database: {connection.vendor}; {Organization.objects.count()} organisations; repeat {args.repeat}\n")
    print("| page | p50 ms | p95 ms | queries | bytes |\n|---|---:|---:|---:|---:|")
    for label, url in pages:
        p50, p95, queries, size = measure(client, url, args.repeat)
        print(f"| {label} | {p50:.1f} | {p95:.1f} | {queries} | {size:,} |")
    for label, url in public:
        p50, p95, queries, size = measure(anonymous, url, args.repeat)
        print(f"| {label} | {p50:.1f} | {p95:.1f} | {queries} | {size:,} |")
    seconds = bench_import(args.import_rows)
    print(f"\nImport of {args.import_rows} new organisations (validate + write, rolled back): {seconds:.2f} s")


if __name__ == "__main__":
    main()
