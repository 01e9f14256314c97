"""Vietnamese text normalisation for search and matching.

Search must ignore diacritics and case ("hop tac xa tan yen" finds "Hợp tác xã Tân Yên").
The same function fills the stored search column and normalises the query, so SQLite and
PostgreSQL return the same rows.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)

# Abbreviations people type for organisation kinds, with the words they stand for.
ABBREVIATIONS = {
    "htx": "hop tac xa",
    "lhhtx": "lien hiep hop tac xa",
    "qtdnd": "quy tin dung nhan dan",
    "tht": "to hop tac",
    "tp": "thanh pho",
    "tt": "thi tran",
}


def strip_accents(text: str) -> str:
    """Return text without Vietnamese diacritics ("Đồng Tiến" -> "Dong Tien")."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def normalize(text: str | None) -> str:
    """Lower-case, accent-free, punctuation-free, single-spaced form of text."""
    if not text:
        return ""
    text = strip_accents(str(text)).lower()
    text = _PUNCT.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def search_text(*parts: str | None) -> str:
    """Build the stored search column: normalised parts plus the abbreviations they contain.

    "Hợp tác xã Nông nghiệp Tân Yên" also gets "htx", so both "htx tan yen" and
    "hop tac xa tan yen" find it.
    """
    text = " ".join(normalize(p) for p in parts if p)
    extra = [abbr for abbr, words in ABBREVIATIONS.items() if f" {words} " in f" {text} "]
    return " ".join([text, *extra]).strip()


def query_terms(query: str | None) -> list[str]:
    """Split a user's query into normalised terms that must all appear in the search column."""
    return [term for term in normalize(query).split(" ") if term]
