"""Benchmark the quarterly report on the demo data: figures, draft, Word, PDF and the report page.

Run with `make bench` after `make run` has loaded the demo (or with DATABASE_URL set to a
database holding it). Writes nothing: the draft is created inside a transaction that is rolled back.
"""

import argparse
import datetime
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

from hoptac.briefing import figures, outputs, services  # noqa: E402
from hoptac.briefing.periods import QUARTER, YEAR, make_period  # noqa: E402
from hoptac.core.models import User  # noqa: E402

AS_OF = datetime.date(2021, 3, 15)


def timed(fn, repeat: int) -> tuple[float, float]:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    q1 = make_period(QUARTER, 2021, 1)
    # The office writes reports (an administrator would need a two-factor code in the browser).
    admin = User.objects.get(username="vanphong")
    rows = []
    with transaction.atomic():
        report = services.report_create(period=q1, as_of=AS_OF, by=admin)
        rows.append(("figures of Q1 2021 (compute)", *timed(lambda: figures.compute(q1, AS_OF), args.repeat)))
        rows.append(("draft of Q1 2021 (figures + text)", *timed(lambda: services.draft_for(q1, AS_OF), args.repeat)))
        rows.append(
            (
                "annual 2020 with 2019 comparison",
                *timed(lambda: services.draft_for(make_period(YEAR, 2020), datetime.date(2020, 12, 31)), args.repeat),
            )
        )
        rows.append(("Word file (docxtpl)", *timed(lambda: outputs.docx_bytes(report), args.repeat)))
        rows.append(("PDF (WeasyPrint)", *timed(lambda: outputs.pdf_bytes(report), args.repeat)))
        rows.append(("xlsx annex", *timed(lambda: outputs.xlsx_bytes(report), args.repeat)))
        client = Client(HTTP_HOST="localhost")
        client.force_login(admin)
        url = f"/reports/{report.pk}/"
        page = timed(lambda: client.get(url), args.repeat)
        with CaptureQueriesContext(connection) as queries:
            size = len(client.get(url).content)
        rows.append((f"report page (draft, {len(queries)} queries, {size:,} bytes)", *page))
        transaction.set_rollback(True)
    width = max(len(r[0]) for r in rows)
    print(f"{'step':<{width}}  {'p50 ms':>8}  {'p95 ms':>8}")
    for name, p50, p95 in rows:
        print(f"{name:<{width}}  {p50:8.1f}  {p95:8.1f}")


if __name__ == "__main__":
    main()
