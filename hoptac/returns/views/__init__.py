"""The returns pages: the index and dashboard, entry, review, lists and completeness, bulk entry."""

from .bulk import import_upload, template_download
from .entry import entry, fill
from .lists import completeness, completeness_xlsx, goto, index, return_list
from .review import approve, detail, reopen, send_back

__all__ = [
    "approve",
    "completeness",
    "completeness_xlsx",
    "detail",
    "entry",
    "fill",
    "goto",
    "import_upload",
    "index",
    "reopen",
    "return_list",
    "send_back",
    "template_download",
]
