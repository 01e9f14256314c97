"""Set Vietnamese translations in locale/vi/LC_MESSAGES/django.po and clear their fuzzy flags.

Usage: .venv/bin/python scripts/po_set.py 'context|msgid=translation' ...   ("context|" is optional)
"""

import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def main(pairs: list[str]) -> None:
    po = polib.pofile(str(PO))
    for pair in pairs:
        key, value = pair.split("=", 1)
        context, _, msgid = key.rpartition("|")
        entry = po.find(msgid, msgctxt=context or False)
        if entry is None:
            sys.exit(f"not found: {key}")
        entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgctxt = None
    po.save()


if __name__ == "__main__":
    main(sys.argv[1:])
