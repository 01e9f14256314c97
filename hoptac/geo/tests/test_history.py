import datetime

import pytest

from hoptac.geo import selectors
from hoptac.geo.models import AdminUnit, Level

pytestmark = pytest.mark.django_db
D2021 = datetime.date(2021, 3, 15)


def bg_units(day, level):
    qs = AdminUnit.objects.valid_on(day).filter(level=level)
    if level == Level.DISTRICT:
        return qs.filter(parent__code="24")
    return qs.filter(parent__parent__code="24") if day < datetime.date(2025, 7, 1) else qs.filter(parent__code="24")


def test_bac_giang_2021_has_ten_districts_and_209_communes():
    names = set(bg_units(D2021, Level.DISTRICT).values_list("name", flat=True))
    assert len(names) == 10
    assert {"Huyện Yên Dũng", "Huyện Việt Yên", "Huyện Lục Ngạn"} <= names
    assert bg_units(D2021, Level.COMMUNE).count() == 209


def test_bac_giang_march_2025_has_192_communes_and_thi_xa_chu():
    day = datetime.date(2025, 3, 1)
    assert bg_units(day, Level.COMMUNE).count() == 192
    names = set(bg_units(day, Level.DISTRICT).values_list("name", flat=True))
    assert "Thị xã Chũ" in names and "Thị xã Việt Yên" in names and "Huyện Yên Dũng" not in names


def test_new_bac_ninh_has_99_communes_and_no_districts():
    day = datetime.date(2025, 8, 1)
    assert bg_units(day, Level.COMMUNE).count() == 99
    assert not bg_units(day, Level.DISTRICT).exists()


def test_code_24_names_two_provinces_by_era():
    old = AdminUnit.objects.valid_on(D2021).get(level=Level.PROVINCE, code="24")
    new = AdminUnit.objects.valid_on(datetime.date(2025, 8, 1)).get(level=Level.PROVINCE, code="24")
    assert old.name == "Tỉnh Bắc Giang" and "Bắc Ninh" in new.name
    assert old.current_id == new.pk


def test_yen_dung_valid_until_end_2024_merged_into_tp_bac_giang():
    yen_dung = AdminUnit.objects.get(level=Level.DISTRICT, name="Huyện Yên Dũng")
    assert yen_dung.valid_to == datetime.date(2024, 12, 31)
    change = yen_dung.successions.get()
    assert change.successor.name == "Thành phố Bắc Giang" and change.on == datetime.date(2025, 1, 1)


def test_viet_yen_was_a_huyen_until_february_2024():
    before = AdminUnit.objects.valid_on(datetime.date(2024, 1, 31)).get(level=Level.DISTRICT, code="222")
    after = AdminUnit.objects.valid_on(datetime.date(2024, 2, 1)).get(level=Level.DISTRICT, code="222")
    assert before.name == "Huyện Việt Yên" and after.name == "Thị xã Việt Yên"


def test_renamed_commune_follows_its_successor_through_both_reforms():
    quang_tien = AdminUnit.objects.valid_on(D2021).get(level=Level.COMMUNE, name="Xã Quang Tiến", parent__code="216")
    in_2025 = selectors.unit_on(quang_tien.pk, datetime.date(2025, 3, 1))
    assert AdminUnit.objects.get(pk=in_2025).name == "Xã Quang Trung"
    assert selectors.unit_on(quang_tien.pk, D2021) == quang_tien.pk
    assert quang_tien.current.valid_to is None and quang_tien.current.parent.code == "24"


def test_matching_ignores_unit_word_diacritics_and_accepts_codes():
    district = selectors.units_matching("tan yen", level=Level.DISTRICT, on=D2021).get()
    assert district.name == "Huyện Tân Yên"
    assert selectors.units_matching("Huyện Tân Yên", level=Level.DISTRICT, on=D2021).get() == district
    assert selectors.units_matching("216", level=Level.DISTRICT, on=D2021).get() == district
    commune = selectors.units_matching("Quang Tien", level=Level.COMMUNE, on=D2021, parent=district).get()
    assert commune.name == "Xã Quang Tiến"
    assert not selectors.units_matching(
        "Quang Tien", level=Level.COMMUNE, on=datetime.date(2025, 3, 1), parent=district
    ).exists()
