"""The blank templates of the fund's books: the data sheet and its "Hướng dẫn" sheet."""

from hoptac.core import xlsx

from .books import BOOKS, MONTHS


def template_bytes(book: str) -> bytes:
    """The blank template of a book ("capital", "loans" or "repayments") as .xlsx bytes."""
    return xlsx.template_bytes(BOOKS[book], formats={MONTHS: "0"})


def template_filename(book: str) -> str:
    """mau-so-von.xlsx and the like (ASCII: some mail gateways mangle accented names)."""
    return {"capital": "mau-so-von.xlsx", "loans": "mau-so-cho-vay.xlsx", "repayments": "mau-so-thu-no.xlsx"}[book]
