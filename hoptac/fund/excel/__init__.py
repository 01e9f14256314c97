"""Excel in for the fund: templates and all-or-nothing imports of its old books.

Three books: capital (Ngày, Nguồn vốn, Số tiền), loans (one disbursed loan a row) and
repayments (the principal / interest split as the books give it). Headers, guides and
errors are Vietnamese on purpose, as in the organisation import (``hoptac.registry.excel``),
whose file and cell readers these reuse; see docs/decisions/0006-excel-import.md.
"""

from .books import BOOKS, CAPITAL, LOANS, OLD_BOOKS, REPAYMENTS, Book, Column
from .importer import FundImportResult, import_book, import_capital, import_loans, import_repayments
from .reader import read_book, read_rate, read_signed_int
from .writer import template_bytes, template_filename

__all__ = [
    "BOOKS",
    "Book",
    "CAPITAL",
    "Column",
    "FundImportResult",
    "LOANS",
    "OLD_BOOKS",
    "REPAYMENTS",
    "import_book",
    "import_capital",
    "import_loans",
    "import_repayments",
    "read_book",
    "read_rate",
    "read_signed_int",
    "template_bytes",
    "template_filename",
]
