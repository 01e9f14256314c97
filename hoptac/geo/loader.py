"""Load administrative units of both eras, and Bắc Giang's history, into the database.

Sources:
- ``vietnam-provinces`` (pinned): the units in force from 01/07/2025 (34 provinces, 3,321
  communes) and its legacy snapshot of 04/01/2025 (63 / 696 / 10,051), with the mapping of
  each current commune to the legacy communes it was formed from.
- ``data/bacgiang_xa_2021-11-01.csv``: Bắc Giang's 209 communes as they stood in 2021, so
  that units that no longer existed in January 2025 (Huyện Yên Dũng, Huyện Việt Yên before
  it became a thị xã, communes merged away) are dated records too.

The loader is idempotent: units are keyed by (level, code, valid_from); running it again
adds what is missing and changes nothing else. It takes model classes as arguments so a
data migration can call it with historical models.
"""

import csv
import datetime
from pathlib import Path

from hoptac.core.text import normalize

DATA_DIR = Path(__file__).parent / "data"
LEGACY_END = datetime.date(2025, 6, 30)
CURRENT_START = datetime.date(2025, 7, 1)
SOURCE_PACKAGE = "vietnam-provinces"

CODE_WIDTH = {1: 2, 2: 3, 3: 5}  # GSO codes: province 24, district 216, commune 07288
KIND_BY_TYPE = {
    "tỉnh": "tinh",
    "thành phố trung ương": "thanh_pho_tw",
    "huyện": "huyen",
    "quận": "quan",
    "thành phố": "thanh_pho",
    "thị xã": "thi_xa",
    "xã": "xa",
    "thị trấn": "thi_tran",
    "phường": "phuong",
    "đặc khu": "dac_khu",
}
KIND_BY_PREFIX = [
    ("thanh pho", "thanh_pho"),
    ("thi xa", "thi_xa"),
    ("thi tran", "thi_tran"),
    ("huyen", "huyen"),
    ("quan", "quan"),
    ("phuong", "phuong"),
    ("xa", "xa"),
]

# Bắc Giang's changes between 2021 and 2025 (see data/README.md). The date a 2021 commune
# record ends is the day before the change that first altered its name, kind or parent.
BG_PROVINCE = "24"
BG_CHANGES = {
    "vietyen_2024": (datetime.date(2024, 2, 1), "938/NQ-UBTVQH15"),
    "2022": (datetime.date(2022, 7, 1), "510/NQ-UBTVQH15"),
    "2025": (datetime.date(2025, 1, 1), "1191/NQ-UBTVQH15"),
}
BG_2022_TOWNS = {"07537", "07831"}  # xã Phương Sơn (Lục Nam), xã Bắc Lý (Hiệp Hòa) -> thị trấn
# The legacy snapshot still lists three Yên Dũng communes merged on 01/01/2020 (NQ 813).
BG_MERGED_2020 = {"07693": "07682", "07732": "07681", "07744": "07681"}
BG_DISTRICT_CODES_2021 = {
    "thanh pho bac giang": "213",
    "huyen yen the": "215",
    "huyen tan yen": "216",
    "huyen lang giang": "217",
    "huyen luc nam": "218",
    "huyen luc ngan": "219",
    "huyen son dong": "220",
    "huyen yen dung": "221",
    "huyen viet yen": "222",
    "huyen hiep hoa": "223",
}


def _bare(name: str) -> str:
    from .models import bare_name

    return bare_name(name)


def _kind_from_name(name: str) -> str:
    text = normalize(name)
    for prefix, kind in KIND_BY_PREFIX:
        if text.startswith(prefix + " "):
            return kind
    raise ValueError(f"cannot tell the kind of unit from {name!r}")


class _Units:
    """In-memory index of the units table, so loading takes a handful of queries."""

    def __init__(self, AdminUnit):
        self.model = AdminUnit
        self.by_key = {(u.level, u.code, u.valid_from): u for u in AdminUnit.objects.all()}
        self.created = 0

    def get(self, level, code, valid_from):
        return self.by_key.get((level, code, valid_from))

    def ensure(self, *, level, code, valid_from, valid_to, name, kind, parent, source):
        unit = self.by_key.get((level, code, valid_from))
        if unit is None:
            unit = self.model(
                level=level,
                code=code,
                valid_from=valid_from,
                valid_to=valid_to,
                name=name,
                kind=kind,
                parent=parent,
                match_name=_bare(name),
                source=source,
            )
            unit.save()
            self.by_key[(level, code, valid_from)] = unit
            self.created += 1
        return unit

    def move_start(self, unit, day):
        """Record that unit began on day (its earlier form is a separate, older record)."""
        if unit.valid_from is None:
            del self.by_key[(unit.level, unit.code, None)]
            unit.valid_from = day
            unit.save(update_fields=["valid_from"])
            self.by_key[(unit.level, unit.code, day)] = unit

    def bulk_ensure(self, rows, source):
        """Create the missing units of rows (dicts of fields) in one statement."""
        new = []
        for row in rows:
            key = (row["level"], row["code"], row["valid_from"])
            if key not in self.by_key:
                unit = self.model(match_name=_bare(row["name"]), source=source, **row)
                new.append(unit)
        self.model.objects.bulk_create(new, batch_size=2000)
        if new:
            # Re-read to get primary keys on every database backend.
            for unit in self.model.objects.filter(source=source):
                self.by_key[(unit.level, unit.code, unit.valid_from)] = unit
        self.created += len(new)


def load_units(AdminUnit, UnitChange, *, stdout=None) -> dict[str, int]:
    """Load both eras from vietnam-provinces, then Bắc Giang's dated history. Idempotent."""
    from vietnam_provinces import Province, Ward
    from vietnam_provinces import __version__ as vp_version
    from vietnam_provinces._province_conversion_2025 import find_new_provinces
    from vietnam_provinces.legacy import District as LegacyDistrict
    from vietnam_provinces.legacy import Province as LegacyProvince
    from vietnam_provinces.legacy import Ward as LegacyWard

    source = f"{SOURCE_PACKAGE} {vp_version}"
    if AdminUnit.objects.filter(source__startswith=SOURCE_PACKAGE).exists():
        # Loaded once per database; units added by administrators since are theirs to keep.
        resolved = resolve_current(AdminUnit, UnitChange)
        if stdout:
            stdout.write(f"Units already loaded; {resolved} units re-resolved to today.")
        return {"units": 0, "changes": 0, "resolved": resolved}
    units = _Units(AdminUnit)

    wards = list(Ward.iter_all())

    def code(number, level):
        return f"{int(number):0{CODE_WIDTH[level]}d}"

    # (what, items, level, valid_from, valid_to, parent of an item) — in this order, so
    # each level's parents exist when it is loaded. Legacy era: valid until 30/06/2025,
    # start unknown (None). Current era: from 01/07/2025, communes directly under provinces.
    eras = [
        ("legacy provinces", LegacyProvince.iter_all(), 1, None, LEGACY_END, lambda p: None),
        (
            "legacy districts",
            LegacyDistrict.iter_all(),
            2,
            None,
            LEGACY_END,
            lambda d: units.get(1, code(d.province_code, 1), None),
        ),
        (
            "legacy communes",
            LegacyWard.iter_all(),
            3,
            None,
            LEGACY_END,
            lambda w: units.get(2, code(w.district_code, 2), None),
        ),
        ("provinces", Province.iter_all(), 1, CURRENT_START, None, lambda p: None),
        ("communes", wards, 3, CURRENT_START, None, lambda w: units.get(1, code(w.province_code, 1), CURRENT_START)),
    ]
    for what, items, level, valid_from, valid_to, parent_of in eras:
        units.bulk_ensure(
            [
                dict(
                    level=level,
                    code=code(item.code, level),
                    valid_from=valid_from,
                    valid_to=valid_to,
                    name=item.name,
                    kind=KIND_BY_TYPE[item.division_type.value],
                    parent=parent_of(item),
                )
                for item in items
            ],
            f"{source} {what}",
        )

    existing = set(UnitChange.objects.values_list("predecessor_id", "successor_id"))
    changes = []

    def change(pred, succ, on, kind, primary=True, resolution=""):
        if pred is None or succ is None or (pred.pk, succ.pk) in existing:
            return
        existing.add((pred.pk, succ.pk))
        changes.append(
            UnitChange(predecessor=pred, successor=succ, on=on, kind=kind, primary=primary, resolution=resolution)
        )

    # 2025 reform: provinces and communes.
    for lp in LegacyProvince.iter_all():
        entry = find_new_provinces(int(lp.code))
        if not entry:
            continue
        for i, ref in enumerate(entry.new_provinces):
            change(
                units.get(1, f"{int(lp.code):02d}", None),
                units.get(1, f"{int(ref.code):02d}", CURRENT_START),
                CURRENT_START,
                "reform_2025",
                primary=(i == 0),
                resolution="202/2025/QH15",
            )
    has_primary = {p for p, _ in existing}
    for w in wards:
        new = units.get(3, f"{int(w.code):05d}", CURRENT_START)
        for old_ward in w.get_legacy_sources():
            old = units.get(3, f"{int(old_ward.code):05d}", None)
            if old is None:
                continue
            # A legacy commune split over several new ones follows the first for "as now".
            primary = old.pk not in has_primary
            has_primary.add(old.pk)
            change(old, new, CURRENT_START, "reform_2025", primary=primary)

    _load_bac_giang_history(units, change)
    UnitChange.objects.bulk_create(changes, batch_size=2000)
    resolved = resolve_current(AdminUnit, UnitChange)
    if stdout:
        stdout.write(f"{units.created} units and {len(changes)} changes added; {resolved} units resolved to today.")
    return {"units": units.created, "changes": len(changes), "resolved": resolved}


def _load_bac_giang_history(units: _Units, change) -> None:
    """Dated records for Bắc Giang's 2021 district-level units and communes."""
    province = units.get(1, BG_PROVINCE, None)
    if province is None:
        return
    vy_day, vy_res = BG_CHANGES["vietyen_2024"]
    day_2025, res_2025 = BG_CHANGES["2025"]
    day_2022, res_2022 = BG_CHANGES["2022"]
    src = "data/bacgiang_xa_2021-11-01.csv"

    # District level. Huyện Yên Dũng ended 31/12/2024, merged into TP Bắc Giang.
    yen_dung = units.ensure(
        level=2,
        code="221",
        valid_from=None,
        valid_to=day_2025 - datetime.timedelta(days=1),
        name="Huyện Yên Dũng",
        kind="huyen",
        parent=province,
        source=src,
    )
    change(yen_dung, units.get(2, "213", None), day_2025, "merged", resolution=res_2025)
    # Huyện Việt Yên became Thị xã Việt Yên on 01/02/2024.
    thi_xa_vy = units.get(2, "222", None)
    huyen_vy = thi_xa_vy
    if thi_xa_vy is not None and thi_xa_vy.kind == "thi_xa":
        units.move_start(thi_xa_vy, vy_day)
        huyen_vy = units.ensure(
            level=2,
            code="222",
            valid_from=None,
            valid_to=vy_day - datetime.timedelta(days=1),
            name="Huyện Việt Yên",
            kind="huyen",
            parent=province,
            source=src,
        )
        change(huyen_vy, thi_xa_vy, vy_day, "reclassified", resolution=vy_res)
    # Thị xã Chũ was carved out of Lục Ngạn on 01/01/2025; Lục Ngạn goes on, smaller.
    chu = units.get(2, "224", None)
    if chu is not None:
        units.move_start(chu, day_2025)
    change(units.get(2, "219", None), chu, day_2025, "split", primary=False, resolution=res_2025)

    districts_2021 = {
        key: (huyen_vy if code == "222" else units.get(2, code, None)) for key, code in BG_DISTRICT_CODES_2021.items()
    }

    with open(DATA_DIR / "bacgiang_xa_2021-11-01.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        code, name = row["ma_xa_GSO"].strip(), row["ten_don_vi"].strip()
        district = districts_2021[normalize(row["don_vi_cap_huyen"])]
        kind = _kind_from_name(name)
        later = units.get(3, code, None)
        if later is not None and later.name == name and later.parent_id == district.pk:
            continue  # unchanged since 2021: the legacy record covers 2021 too
        if code in BG_2022_TOWNS:
            day, res, how = day_2022, res_2022, "reclassified"
        elif district.code == "222":
            # Việt Yên's communes changed parent (huyện -> thị xã), some also kind, on 01/02/2024.
            day, res = vy_day, vy_res
            how = "reclassified" if later is not None and later.kind != kind else "moved"
        else:
            day, res = day_2025, res_2025
            if later is None:
                how = "merged"
            elif _bare(later.name) != _bare(name):
                how = "renamed"
            elif later.kind != kind:
                how = "reclassified"
            else:
                how = "moved"
        if later is not None:
            units.move_start(later, day)
        old = units.ensure(
            level=3,
            code=code,
            valid_from=None,
            valid_to=day - datetime.timedelta(days=1),
            name=name,
            kind=kind,
            parent=district,
            source=src,
        )
        if later is not None:
            change(old, later, day, how, resolution=res)
        # A commune merged away in 2025: the data does not say into which survivor, so it
        # has no successor until an administrator records one (see docs/user-guide).

    for code, into in BG_MERGED_2020.items():
        stale = units.get(3, code, None)
        if stale is None or stale.valid_to != LEGACY_END:
            continue
        stale.valid_to = datetime.date(2019, 12, 31)
        stale.save(update_fields=["valid_to"])
        change(stale, units.get(3, into, None), datetime.date(2020, 1, 1), "merged", resolution="813/NQ-UBTVQH14")


def resolve_current(AdminUnit, UnitChange) -> int:
    """Set ``current`` on every unit: the unit of today it lies in, following primary changes."""
    successor = {}
    for pred, succ, primary in UnitChange.objects.values_list("predecessor_id", "successor_id", "primary"):
        if primary or pred not in successor:
            successor[pred] = succ
    units = {u.pk: u for u in AdminUnit.objects.only("id", "valid_to", "current_id")}
    changed = []
    for unit in units.values():
        target, seen = unit.pk, set()
        while units[target].valid_to is not None and target in successor and target not in seen:
            seen.add(target)
            target = successor[target]
        current_id = target if units[target].valid_to is None else None
        if unit.current_id != current_id:
            unit.current_id = current_id
            changed.append(unit)
    AdminUnit.objects.bulk_update(changed, ["current"], batch_size=2000)
    return len(changed)
