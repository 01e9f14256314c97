"""Write the alliance's report for a quarter (or, with --year alone, the year) from the records.

    python manage.py quarterly_report --year 2021 --quarter 1 --as-of 2021-03-15 --format docx --output bc.docx
    python manage.py quarterly_report --year 2020 --format pdf --output bc-2020.pdf

Nothing is saved: the command writes a draft as the report page would, for the given day.
"""

import json
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hoptac.briefing import outputs, services
from hoptac.briefing.models import Report
from hoptac.briefing.periods import QUARTER, YEAR, make_period
from hoptac.core.files import write_atomically
from hoptac.core.reporting import parse_date_option

FORMATS = ("docx", "pdf", "html", "json", "xlsx")


class Command(BaseCommand):
    help = "Viết báo cáo quý (hoặc năm, khi chỉ có --year) từ dữ liệu: docx, pdf, html, json hoặc xlsx."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, choices=[1, 2, 3, 4])
        parser.add_argument("--as-of", dest="as_of", help="ngày lấy số liệu (YYYY-MM-DD hoặc dd/mm/yyyy)")
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("--output", help="tệp ghi ra; mặc định in ra màn hình (html, json)")

    def handle(self, *args, **options):
        try:
            if options["quarter"]:
                period = make_period(QUARTER, options["year"], options["quarter"])
            else:
                period = make_period(YEAR, options["year"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        as_of = parse_date_option(options["as_of"], "--as-of") or min(period.date_to, timezone.localdate())
        if as_of < period.date_from:
            raise CommandError("Ngày lấy số liệu phải trong hoặc sau kỳ báo cáo.")
        sections, figures = services.draft_for(period, as_of)
        report = Report(
            period_kind=period.kind,
            year=period.year,
            period_number=period.number,
            date_from=period.date_from,
            date_to=period.date_to,
            as_of=as_of,
            title=services.default_title(period),
            sections=sections,
        )
        fmt = options["format"]
        if fmt == "json":
            content = json.dumps(
                {
                    "title": report.title,
                    "period": {
                        "from": period.date_from.isoformat(),
                        "to": period.date_to.isoformat(),
                        "label": period.label,
                    },
                    "as_of": as_of.isoformat(),
                    "figures": {key: f.as_dict() for key, f in figures.items()},
                    "sections": [{**s, "rendered": outputs.compose.render(s["text"], figures)} for s in sections],
                },
                ensure_ascii=False,
                indent=2,
            ).encode()
        elif fmt == "html":
            content = outputs.html_string(report, figures).encode()
        elif fmt == "docx":
            content = outputs.docx_bytes(report, figures)
        elif fmt == "pdf":
            content = outputs.pdf_bytes(report, figures)
        else:
            content = outputs.xlsx_bytes(report, figures)
        if options["output"]:
            write_atomically(Path(options["output"]), content)
            self.stderr.write(f"Đã ghi {options['output']} ({len(content):,} byte).".replace(",", "."))
        elif fmt in ("docx", "pdf", "xlsx"):
            raise CommandError(f"Định dạng {fmt} cần --output TỆP.")
        else:
            sys.stdout.flush()
            self.stdout.write(content.decode())
