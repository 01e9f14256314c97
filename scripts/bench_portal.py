"""Benchmark the public portal on the demo: server time, queries, page weight and requests, visit counting.

    .venv/bin/python scripts/bench_portal.py [--repeat N]

Run after `make run` (or `python manage.py load_demo`) has loaded the demo, portal included,
into var/hoptac.sqlite3, or with DATABASE_URL set to a database that holds it. Requests go
through Django's whole middleware stack with the test client (no network), so the times are
server time. The page weight is what a browser downloads on a first visit with an empty
cache: the HTML and every stylesheet, script, icon and picture it references, raw and
gzip-compressed (WhiteNoise serves the compressed static files on a server). Writes
nothing but one visit counter row of 01/01/1900, removed at the end.
"""

import argparse
import datetime
import gzip
import os
import re
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from hoptac.core.models import User  # noqa: E402
from hoptac.portal.models import ArticlePage, DailyVisits, ReportArchivePage  # noqa: E402
from hoptac.portal.services import visit_record  # noqa: E402

BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
BOT = "Mozilla/5.0 (compatible; Googlebot/2.1)"
ASSET = re.compile(r'<(?:link|script|img)\b[^>]*?\b(?:href|src)="(/[^"]+)"[^>]*>', re.IGNORECASE)
BENCH_DAY = datetime.date(1900, 1, 1)


def measure(client: Client, url: str, repeat: int, agent: str = BOT) -> tuple[float, float, int, int]:
    """Median and 95th percentile milliseconds, queries and bytes of one page.

    A robot's user agent by default, so the measurement does not count visits.
    """
    client.get(url, HTTP_USER_AGENT=agent)  # warm caches (templates, renditions, site root paths)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url, HTTP_USER_AGENT=agent)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_USER_AGENT=agent)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, len(queries), len(response.content)


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def weight(client: Client, url: str) -> list[tuple[str, int, int, bool]]:
    """(address, bytes, bytes sent compressed, lazy) of the page and of everything its HTML references."""
    html = client.get(url, HTTP_USER_AGENT=BOT).content
    rows = [(url, len(html), len(gzip.compress(html)), False)]
    seen = set()
    for match in ASSET.finditer(html.decode()):
        tag, address = match.group(0), match.group(1)
        if address in seen or 'rel="canonical"' in tag or 'rel="alternate"' in tag:
            continue
        seen.add(address)
        response = client.get(address, HTTP_USER_AGENT=BOT)
        assert response.status_code == 200, (address, response.status_code)
        body = _body(response)
        # Pictures are sent as they are (compressing a WebP or JPEG gains nothing).
        packed = len(body) if response["Content-Type"].startswith("image/") else len(gzip.compress(body))
        rows.append((address, len(body), packed, 'loading="lazy"' in tag))
    return rows


def counter_overhead(repeat: int) -> tuple[float, float]:
    """Milliseconds of one counted view: the day's first (INSERT) and every later one (UPDATE)."""
    DailyVisits.objects.filter(day=BENCH_DAY).delete()
    start = time.perf_counter()
    visit_record(path="/__bench__/0", day=BENCH_DAY)
    first = (time.perf_counter() - start) * 1000
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        visit_record(path="/__bench__/0", day=BENCH_DAY)
        times.append((time.perf_counter() - start) * 1000)
    DailyVisits.objects.filter(day=BENCH_DAY).delete()
    return first, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    article = ArticlePage.objects.live().order_by("-date").first()
    archive = ReportArchivePage.objects.live().first()
    if article is None or archive is None:
        sys.exit("No portal demo in this database: run `python manage.py load_demo` first.")

    client = Client(HTTP_HOST="localhost")
    pages = [
        ("home page", "/"),
        ("article", article.url),
        (f"category ({article.get_parent().title})", article.get_parent().url),
        ("reports archive", archive.url),
        ("search “hop tac xa”", "/portal/tim-kiem/?q=hop+tac+xa"),
        ("RSS feed", "/portal/rss.xml"),
        ("sitemap.xml", "/sitemap.xml"),
    ]
    print(f"Server time, {args.repeat} requests per page after a warm-up (anonymous reader):\n")
    print("| page | p50 ms | p95 ms | queries | bytes |\n|---|---:|---:|---:|---:|")
    for label, url in pages:
        p50, p95, queries, size = measure(client, url, args.repeat)
        print(f"| {label} | {p50:.1f} | {p95:.1f} | {queries} | {size:,} |")

    staff = User.objects.filter(role="staff", is_active=True).order_by("id").first()  # administrators need a code
    if staff is not None:
        client.force_login(staff)
        p50, p95, queries, size = measure(client, "/portal/luot-truy-cap/?date_from=01/01/2021&date_to=31/03/2021", 5)
        print(f"| visits dashboard, Q1 2021 (staff) | {p50:.1f} | {p95:.1f} | {queries} | {size:,} |")
        client.logout()

    print("\nHome page weight on a first visit (empty cache):\n")
    rows = weight(client, "/")
    print("| request | bytes | gzip |\n|---|---:|---:|")
    for address, size, packed, lazy in rows:
        print(f"| {address}{' (lazy)' if lazy else ''} | {size:,} | {packed:,} |")
    eager = [r for r in rows if not r[3]]
    print(
        f"| **total, {len(rows)} requests** | {sum(r[1] for r in rows):,} | {sum(r[2] for r in rows):,} |\n"
        f"| **above the fold, {len(eager)} requests** (lazy pictures load on scrolling) "
        f"| {sum(r[1] for r in eager):,} | {sum(r[2] for r in eager):,} |"
    )

    first, later = counter_overhead(200)
    # Counted views go to the counters of 01/01/1900, removed afterwards.
    with mock.patch(
        "hoptac.portal.middleware.visit_record", lambda *, path, day: visit_record(path=path, day=BENCH_DAY)
    ):
        counted, _p95, _q, _s = measure(client, "/", args.repeat, agent=BROWSER)
    DailyVisits.objects.filter(day=BENCH_DAY).delete()
    not_counted, _p95, _q, _s = measure(client, "/", args.repeat, agent=BOT)
    print(
        f"\nVisit counter: first view of a page on a day {first:.2f} ms (INSERT), each later view "
        f"{later:.2f} ms (one UPDATE, autocommit); home page p50 {counted:.1f} ms counted vs "
        f"{not_counted:.1f} ms not counted (robot)."
    )


if __name__ == "__main__":
    main()
