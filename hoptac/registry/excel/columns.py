"""The format of the registry's Excel files: the columns, the Vietnamese names, the limits."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from hoptac.core.xlsx import HEADER_SEARCH_ROWS, MAX_SHEET_ROWS, NOTHING_IMPORTED, SHEET_GUIDE  # noqa: F401
from hoptac.registry.models import OrgKind, Sector

# --- several servers (issue #9): the registry's import runs in the background worker, so no
# request waits on it: a province's whole register (35.000 organisations) fits in one file.
MAX_ROWS = 50_000
assert MAX_ROWS < MAX_SHEET_ROWS
# --- end several servers

# ---------------------------------------------------------------- the format

# The Vietnamese names people write in the Lĩnh vực column; template, export and import use these.
SECTOR_VI = {
    Sector.AGRICULTURE: "Nông, lâm, ngư nghiệp",
    Sector.INDUSTRY: "Công nghiệp - TTCN",
    Sector.CONSTRUCTION: "Xây dựng",
    Sector.TRADE: "Thương mại - Dịch vụ",
    Sector.TRANSPORT: "Vận tải",
    Sector.CREDIT: "Tín dụng",
    Sector.ENVIRONMENT: "Môi trường",
    Sector.OTHER: "Khác",
}
# Other ways people write a sector in their own sheets (normalised).
SECTOR_ALIASES = {
    "nong nghiep": Sector.AGRICULTURE,
    "nong lam nghiep va thuy san": Sector.AGRICULTURE,
    "nong lam thuy san": Sector.AGRICULTURE,
    "cong nghiep": Sector.INDUSTRY,
    "cong nghiep tieu thu cong nghiep": Sector.INDUSTRY,
    "tieu thu cong nghiep": Sector.INDUSTRY,
    "cn ttcn": Sector.INDUSTRY,
    "thuong mai": Sector.TRADE,
    "dich vu": Sector.TRADE,
    "tm dv": Sector.TRADE,
    "quy tin dung": Sector.CREDIT,
}
KIND_VI = {
    OrgKind.HTX: "Hợp tác xã",
    OrgKind.LHHTX: "Liên hiệp hợp tác xã",
    OrgKind.QTDND: "Quỹ tín dụng nhân dân",
    OrgKind.THT: "Tổ hợp tác",
}


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # exact Vietnamese header, written in the template and the export
    width: int
    required: bool = False
    guide: str = ""  # Vietnamese, for the "Hướng dẫn" sheet
    aliases: tuple[str, ...] = ()  # other headers people use, normalised
    note: Any = ""  # the same advice for the import page, through gettext


COLUMNS = [
    Column(
        "code",
        "Mã số",
        16,
        True,
        "Mã số HTX (mã số thuế). Dùng để nhận ra tổ chức: nhập lại cùng mã số thì cập nhật, không tạo trùng.",
        ("ma so htx", "ma so thue", "ma"),
        _("The tax code. A row whose code is already registered updates that organisation."),
    ),
    Column(
        "name", "Tên", 45, True, "Tên đầy đủ của tổ chức.", ("ten to chuc", "ten htx", "ten don vi"), _("Full name.")
    ),
    Column(
        "kind",
        "Loại hình",
        12,
        True,
        "HTX, LHHTX, QTDND hoặc THT.",
        ("loai hinh to chuc", "loai"),
        _("HTX, LHHTX, QTDND or THT."),
    ),
    Column(
        "sector",
        "Lĩnh vực",
        22,
        True,
        "Một trong các lĩnh vực ở bảng dưới.",
        ("linh vuc hoat dong", "nganh nghe"),
        _("One of the sectors listed below."),
    ),
    Column(
        "province",
        "Tỉnh",
        16,
        True,
        "Tỉnh (hoặc thành phố trực thuộc TW) vào ngày thành lập; tên hoặc mã số.",
        ("tinh thanh pho", "tinh tp"),
        _("Province on the founding date: name or code."),
    ),
    Column(
        "district",
        "Huyện",
        20,
        False,
        "Huyện / thị xã / thành phố thuộc tỉnh vào ngày thành lập. Bắt buộc nếu "
        "thành lập trước 01/07/2025; để trống nếu từ 01/07/2025 (không còn cấp huyện).",
        ("huyen thi xa thanh pho", "huyen thi xa", "quan huyen"),
        _("District on the founding date. Required before 01/07/2025; leave blank from that day (no district level)."),
    ),
    Column(
        "commune",
        "Xã",
        22,
        True,
        "Xã / phường / thị trấn vào ngày thành lập; tên hoặc mã số.",
        ("xa phuong thi tran", "xa phuong", "phuong xa"),
        _("Commune, ward or town on the founding date: name or code."),
    ),
    Column(
        "street",
        "Địa chỉ",
        30,
        False,
        "Thôn, xóm, số nhà (không ghi lại xã, huyện, tỉnh).",
        ("dia chi tru so",),
        _("Village, street, house number."),
    ),
    Column(
        "founded_on",
        "Ngày thành lập",
        15,
        True,
        "dd/mm/yyyy, không ở tương lai.",
        ("ngay thanh lap dd mm yyyy",),
        _("dd/mm/yyyy, not in the future."),
    ),
    Column(
        "dissolved_on",
        "Ngày giải thể",
        15,
        False,
        "dd/mm/yyyy; để trống nếu đang hoạt động.",
        ("ngay giai the dd mm yyyy",),
        _("dd/mm/yyyy; blank if still active."),
    ),
    Column(
        "official_members",
        "Số thành viên",
        13,
        False,
        "Số nguyên ≥ 0.",
        ("so thanh vien chinh thuc", "thanh vien"),
        _("Whole number, 0 or more."),
    ),
    Column(
        "employees",
        "Số lao động",
        13,
        False,
        "Số nguyên ≥ 0.",
        ("lao dong", "so lao dong thuong xuyen"),
        _("Whole number, 0 or more."),
    ),
    Column(
        "charter_capital",
        "Vốn điều lệ (đồng)",
        20,
        False,
        "Số đồng, số nguyên (ví dụ 500.000.000).",
        ("von dieu le",),
        _("Whole đồng, e.g. 500.000.000."),
    ),
    Column(
        "representative",
        "Người đại diện",
        24,
        False,
        "Người đại diện theo pháp luật.",
        ("nguoi dai dien theo phap luat", "dai dien"),
        _("Legal representative."),
    ),
    Column("phone", "Điện thoại", 16, False, "", ("so dien thoai", "dt")),
    Column("email", "Email", 28, False, "", ("e mail", "thu dien tu")),
]
HEADERS = [c.header for c in COLUMNS]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
# Organisation fields read straight from a column of the same key.
PLAIN_FIELDS = [
    "code",
    "name",
    "kind",
    "sector",
    "street",
    "founded_on",
    "official_members",
    "employees",
    "charter_capital",
    "representative",
    "phone",
    "email",
]
TEXT_FIELDS = ["name", "street", "representative", "phone", "email"]
INT_FIELDS = ["official_members", "employees", "charter_capital"]
INT_MAX = {"official_members": 2_147_483_647, "employees": 2_147_483_647, "charter_capital": 9 * 10**18}
# Which column to blame when a service refuses a field.
FIELD_COLUMN = {
    **{k: COLUMN_BY_KEY[k].header for k in PLAIN_FIELDS},
    "commune": "Xã",
    "on": "Ngày giải thể",
    "kind_event": "Ngày giải thể",
}

SHEET_DATA = "Tổ chức"
TEMPLATE_ROWS = 2000  # rows that carry the dropdowns in a blank template
