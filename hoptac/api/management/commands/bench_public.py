"""Measure the public pages and the public API on the loaded data: server time, queries, weight, requests.

Requests go through Django's whole middleware stack with the test client (no network), as an
anonymous visitor, so the times are server time. The weight of a page is its HTML plus every
file of the product it loads (styles, scripts, images), raw and gzip-compressed as WhiteNoise
serves them; "requests" counts the HTML and those files. Writes nothing but the visit counts
the portal keeps for public pages (no personal data).

    .venv/bin/python manage.py bench_public [--repeat 20]
"""

import gzip
import re
import statistics
import time

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from hoptac.api.selectors import public_organizations
from hoptac.geo.models import AdminUnit, Level

ASSET = re.compile(r"""<(?:link|script|img)\b[^>]*?(?:href|src)="(/static/[^"?#]+)""")


def percentile(values: list[float], share: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(share * (len(values) - 1))))]


def asset_sizes(html: str) -> tuple[int, int, int]:
    """How many product files the page loads, and their size raw and gzipped."""
    count = raw = packed = 0
    for url in sorted(set(ASSET.findall(html))):
        path = finders.find(url.removeprefix(settings.STATIC_URL))
        if not path:
            continue
        with open(path, "rb") as file:
            content = file.read()
        count += 1
        raw += len(content)
        packed += len(gzip.compress(content))
    return count, raw, packed


class Command(BaseCommand):
    help = "Server time, queries and weight of the public directory, its pages and the public API."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=20)

    def handle(self, *args, repeat: int, **options):
        organizations = public_organizations()
        first = organizations.first()
        if first is None:
            raise CommandError("No organisation operates today: load the demo first (manage.py load_demo).")
        district = AdminUnit.objects.filter(level=Level.DISTRICT, name="Huyện Tân Yên").first()
        pages = [
            ("directory, page 1", "/directory/"),
            ("directory, page 10", "/directory/?page=10"),
            ("directory, search without diacritics", "/directory/?q=htx+tan+yen"),
            ("directory, district until 30/06/2025", f"/directory/?district={district.pk}" if district else ""),
            ("directory, htmx results only", "/directory/?q=vai+thieu"),
            ("organisation profile", f"/directory/{first.code}/"),
            ("area view", "/directory/areas/"),
            ("open statistics today", "/directory/statistics/"),
            ("open statistics 15/03/2021 + Q1", "/directory/statistics/?as_of=15/03/2021&from=01/01/2021"),
            ("open data page", "/directory/open-data/"),
            ("directory.csv (all)", "/directory/open-data/directory.csv"),
            ("directory.json (all)", "/directory/open-data/directory.json"),
            ("API directory, page 1", "/api/v1/directory/"),
            ("API statistics today", "/api/v1/statistics/"),
        ]
        self.stdout.write(
            f"Database: {connection.vendor}; {organizations.count():,} organisations operating today; "
            f"repeat {repeat}, anonymous\n"
        )
        self.stdout.write(
            "| page | p50 ms | p95 ms | queries | HTML or file bytes | requests | weight bytes (gzip) |\n"
            "|---|---:|---:|---:|---:|---:|---:|"
        )
        # The limits protect the server from strangers, not from its own benchmark.
        rates = {"anon": "1000000/minute", "user": "1000000/minute"}
        with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):
            for label, url in pages:
                if url:
                    self.stdout.write(self.measure(label, url, repeat))

    def measure(self, label: str, url: str, repeat: int) -> str:
        client = Client(HTTP_HOST="localhost")
        headers = {"HX-Request": "true"} if "htmx" in label else {}
        client.get(url, headers=headers)  # warm caches (templates, unit successions)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            response = client.get(url, headers=headers)
            times.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, headers=headers)
        body = response.content
        requests, weight, packed = 1, len(body), len(gzip.compress(body))
        if response["Content-Type"].startswith("text/html"):
            count, raw, gz = asset_sizes(body.decode())
            requests, weight, packed = 1 + count, weight + raw, packed + gz
        return (
            f"| {label} | {statistics.median(times):.1f} | {percentile(times, 0.95):.1f} | {len(queries)} "
            f"| {len(body):,} | {requests} | {weight:,} ({packed:,}) |"
        )
