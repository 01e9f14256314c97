"""Excel in and out for the registry: the template, the import and the export.

One list of columns (``COLUMNS``) drives all three, so an exported file can always be
imported back, unchanged. The headers, the "Hướng dẫn" sheet and every import error are
written in Vietnamese on purpose: they are the data format the officers work in, not UI
labels (see docs/decisions/0003-excel-import.md).

The import is all or nothing: every row is read and validated first; only a file without
a single error is written, in one transaction, through the registry services.
"""

from .columns import (
    COLUMN_BY_KEY,
    COLUMNS,
    FIELD_COLUMN,
    HEADER_SEARCH_ROWS,
    HEADERS,
    INT_FIELDS,
    INT_MAX,
    KIND_VI,
    MAX_ROWS,
    NOTHING_IMPORTED,
    PLAIN_FIELDS,
    SECTOR_ALIASES,
    SECTOR_VI,
    SHEET_DATA,
    SHEET_GUIDE,
    TEMPLATE_ROWS,
    TEXT_FIELDS,
    Column,
)
from .importer import ImportResult, PlannedRow, RowError, import_organizations
from .reader import (
    BadCell,
    FileProblem,
    Sheet,
    check_size,
    read_code,
    read_date,
    read_int,
    read_kind,
    read_phone,
    read_sector,
    read_sheet,
    read_text,
)
from .writer import csv_bytes, export_rows, template_bytes, workbook_bytes

__all__ = [
    "BadCell",
    "COLUMN_BY_KEY",
    "COLUMNS",
    "Column",
    "FIELD_COLUMN",
    "FileProblem",
    "HEADER_SEARCH_ROWS",
    "HEADERS",
    "INT_FIELDS",
    "INT_MAX",
    "ImportResult",
    "KIND_VI",
    "MAX_ROWS",
    "NOTHING_IMPORTED",
    "PLAIN_FIELDS",
    "PlannedRow",
    "RowError",
    "SECTOR_ALIASES",
    "SECTOR_VI",
    "SHEET_DATA",
    "SHEET_GUIDE",
    "Sheet",
    "TEMPLATE_ROWS",
    "TEXT_FIELDS",
    "check_size",
    "csv_bytes",
    "export_rows",
    "import_organizations",
    "read_code",
    "read_date",
    "read_int",
    "read_kind",
    "read_phone",
    "read_sector",
    "read_sheet",
    "read_text",
    "template_bytes",
    "workbook_bytes",
]
