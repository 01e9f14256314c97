"""The page that imports the fund's old books from Excel, and the books' templates.

The same import as ``manage.py import_fund`` (``hoptac.fund.excel``), with the registry's
upload page around it: its progress script and styles, and its error table.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from hoptac.registry.excel import FileProblem, RowError, check_size

from . import excel
from .selectors import can_manage_fund

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class BookChoice:
    """A book as the page offers it: what it holds, and where its rows show once imported."""

    key: str
    label: Promise
    holds: Promise
    shown_at: str  # URL name
    open_label: Promise

    @property
    def book(self) -> excel.Book:
        return excel.BOOKS[self.key]

    @property
    def filename(self) -> str:
        return excel.template_filename(self.key)


# In the order of import: a repayment names a loan that must already be recorded.
BOOK_CHOICES = [
    BookChoice(
        "capital",
        _("Capital book"),
        _("Money put into the fund (a positive amount) or taken out of it (a negative amount), by source."),
        "fund:capital",
        _("Open the capital page"),
    ),
    BookChoice(
        "loans",
        _("Loan book"),
        _("The loans already disbursed, one a row, with their rate, term and repayment period."),
        "fund:loans",
        _("Open the loan list"),
    ),
    BookChoice(
        "repayments",
        _("Repayment book"),
        _("What the borrowers paid back, principal and interest as the old books split them."),
        "fund:loans",
        _("Open the loan list"),
    ),
]
CHOICES = {choice.key: choice for choice in BOOK_CHOICES}


def _require_manage(user) -> None:
    if not can_manage_fund(user):
        raise PermissionDenied


def _failed(book: str, message: str, filename: str = "") -> excel.FundImportResult:
    return excel.FundImportResult(book=book, filename=filename, errors=[RowError(None, "", message)])


def _import(request: HttpRequest, book: str) -> excel.FundImportResult:
    upload = request.FILES.get("file")
    if book not in CHOICES:
        return _failed(book, "Chưa chọn sổ cần nhập (sổ nguồn vốn, sổ cho vay hoặc sổ thu nợ).")
    if upload is None:
        return _failed(book, "Chưa chọn tệp để nhập.")
    try:
        check_size(upload.size, settings.IMPORT_MAX_BYTES)
    except FileProblem as exc:
        return _failed(book, str(exc), upload.name)
    return excel.import_book(book, upload, by=request.user, filename=upload.name)


@login_required
@require_GET
def template(request: HttpRequest, book: str) -> HttpResponse:
    """The blank .xlsx template of one book, with its "Hướng dẫn" sheet."""
    _require_manage(request.user)
    response = HttpResponse(excel.template_bytes(book), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{excel.template_filename(book)}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """Choose a book, upload its .xlsx; show every error, or how many rows were recorded.

    The form posts through HTMX, which only wants the result fragment (and reports the
    upload's progress); without JavaScript the same form posts the whole page.
    """
    _require_manage(request.user)
    result = None
    if request.method == "POST":
        book = request.POST.get("book", "")
        result = _import(request, book)
    else:
        book = request.GET.get("book", "")
    chosen = CHOICES.get(book, BOOK_CHOICES[0])
    index = BOOK_CHOICES.index(chosen)
    context = {
        "books": BOOK_CHOICES,
        "chosen": chosen,
        # Once a book is imported, the result offers the one that comes next.
        "next_book": BOOK_CHOICES[index + 1] if index + 1 < len(BOOK_CHOICES) else None,
        "result": result,
        "max_mb": settings.IMPORT_MAX_BYTES // (1024 * 1024),
    }
    name = "fund/import_result.html" if request.headers.get("HX-Request") else "fund/import.html"
    return render(request, name, context)
