"""The recipients of a decision from Excel, all or nothing, and the file that lists them.

Staff keep award lists in Excel: one row a collective (an organisation of the register, by
its Mã số) or a person (name, position, and the organisation they work in). ``RECIPIENTS``
describes that file once: the template, the import and the decision's export all use it,
so an exported list imports back unchanged. Every row is checked first, duplicates in the
file and against the decision's recipients included; only a file without an error is
written, in one transaction, through ``award_recipient_add``. Headers and messages are
Vietnamese whatever the interface language: they are the format the officers work in.
"""

import io
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from openpyxl import Workbook
from openpyxl.styles import Font

from hoptac.core.audit import log_action
from hoptac.core.formatting import vi_date, vi_number
from hoptac.core.text import normalize, query_terms, search_text
from hoptac.core.xlsx import (
    CODE,
    INT,
    NOTHING_IMPORTED,
    Book,
    Column,
    FileProblem,
    RowError,
    read_book,
    read_row,
    template_bytes,
    write_header,
)
from hoptac.registry.models import Organization
from hoptac.registry.selectors import organizations_for

from .models import Decision, Recipient, RecipientKind
from .selectors import can_manage_awards
from .services import award_recipient_add, person_key

KIND_VI = {RecipientKind.COLLECTIVE: "Tập thể", RecipientKind.INDIVIDUAL: "Cá nhân"}
# What people write in the Tập thể/Cá nhân column, normalised.
KIND_WORDS = {
    "tap the": RecipientKind.COLLECTIVE,
    "tt": RecipientKind.COLLECTIVE,
    "to chuc": RecipientKind.COLLECTIVE,
    "don vi": RecipientKind.COLLECTIVE,
    "collective": RecipientKind.COLLECTIVE,
    "ca nhan": RecipientKind.INDIVIDUAL,
    "cn": RecipientKind.INDIVIDUAL,
    "individual": RecipientKind.INDIVIDUAL,
}
LIMITS = {
    "person_name": Recipient._meta.get_field("person_name").max_length,
    "position": Recipient._meta.get_field("position").max_length,
    "reason": Recipient._meta.get_field("reason").max_length,
}

RECIPIENTS = Book(
    key="award_recipients",
    sheet="Danh sách khen thưởng",
    title="Mẫu nhập danh sách tập thể, cá nhân được khen thưởng của một quyết định",
    columns=(
        Column(
            "no",
            "STT",
            6,
            kind=INT,
            required=False,
            optional_column=True,
            informative=True,
            guide="Số thứ tự, để người đọc; hệ thống không dùng.",
        ),
        Column(
            "kind",
            "Tập thể/Cá nhân",
            16,
            guide="“Tập thể” (một tổ chức) hoặc “Cá nhân” (một người).",
            aliases=("hinh thuc khen", "doi tuong", "doi tuong khen", "doi tuong khen thuong"),
        ),
        Column(
            "code",
            "Mã số tổ chức",
            16,
            kind=CODE,
            required=False,
            guide="Mã số (mã số thuế) của tổ chức trong danh sách tổ chức. Bắt buộc với tập thể; với cá nhân là "
            "tổ chức nơi người đó làm việc, có thể để trống.",
            aliases=("ma so", "ma so thue", "ma so htx", "ma to chuc"),
        ),
        Column(
            "org_name",
            "Tên tổ chức",
            44,
            required=False,
            optional_column=True,
            guide="Để người đọc dễ kiểm tra. Nếu ghi, hệ thống đối chiếu với tên của tổ chức có mã số trên và báo "
            "lỗi khi không khớp (viết tắt “HTX” được hiểu).",
            aliases=("ten htx", "don vi", "ten don vi"),
        ),
        Column(
            "person_name",
            "Họ và tên",
            26,
            required=False,
            optional_column=True,
            guide="Bắt buộc với cá nhân; để trống với tập thể.",
            aliases=("ho ten",),
        ),
        Column(
            "position",
            "Chức vụ",
            24,
            required=False,
            optional_column=True,
            guide="Chức vụ của cá nhân (Giám đốc HTX, Kế toán…); để trống với tập thể.",
        ),
        Column(
            "reason",
            "Thành tích / lý do",
            50,
            required=False,
            optional_column=True,
            guide="Thành tích được khen, tối đa 500 ký tự.",
            aliases=("thanh tich", "ly do", "thanh tich ly do khen thuong"),
        ),
    ),
    rules=(
        "Mỗi dòng là một tập thể hoặc một cá nhân được khen trong quyết định đang mở; số, ngày, cấp khen và "
        "hình thức khen là của quyết định, không ghi trong tệp.",
        "Một tập thể hoặc một người (cùng họ tên, cùng tổ chức) chỉ ghi một lần, và không được trùng với người, "
        "tập thể đã có trong quyết định.",
    ),
    example=(
        (1, "Tập thể", "2400000001", "HTX Nông nghiệp Quang Tiến", "", "", "Hoàn thành xuất sắc nhiệm vụ năm 2020"),
        (2, "Cá nhân", "2400000001", "HTX Nông nghiệp Quang Tiến", "Trần Thị Lan", "Giám đốc HTX", "Có nhiều đóng góp"),
    ),
)
TEMPLATE_FILENAME = "mau-nhap-khen-thuong.xlsx"


def template() -> bytes:
    """The blank template, with its "Hướng dẫn" sheet."""
    return template_bytes(RECIPIENTS)


def recipients_workbook(decision: Decision, recipients) -> bytes:
    """A decision's recipients in the template's columns, under a title line: the file imports back as it is."""
    wb = Workbook()
    ws = wb.active
    ws.title = RECIPIENTS.sheet
    ws.append([f"Quyết định số {decision.number} ngày {vi_date(decision.on)}: {decision.title}".rstrip(": ")])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    write_header(ws, RECIPIENTS.headers, [c.width for c in RECIPIENTS.columns], row=3)
    # Rows written by position: write_header has touched row 4 (the frozen pane), so append() would skip it.
    for number, r in enumerate(recipients, start=1):
        values = [
            number,
            KIND_VI[r.kind],
            r.organization.code if r.organization else "",
            r.organization.name if r.organization else "",
            r.person_name,
            r.position,
            r.reason,
        ]
        for column, value in enumerate(values, start=1):
            ws.cell(row=3 + number, column=column, value=value)
        ws.cell(row=3 + number, column=3).number_format = "@"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass
class PlannedRecipient:
    """A valid row, as it will be recorded: shown in the check's preview."""

    row: int
    kind: str
    organization: Organization | None
    person_name: str = ""
    position: str = ""
    reason: str = ""

    @property
    def kind_vi(self) -> str:
        return KIND_VI[self.kind]


@dataclass
class RecipientImportResult:
    """What an import did or would do, or why it did nothing."""

    filename: str = ""
    rows: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    planned: list[PlannedRecipient] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return f"{vi_number(len(self.errors))} lỗi. {NOTHING_IMPORTED}"
        if self.dry_run:
            return (
                f"Kiểm tra xong, chưa ghi: {vi_number(self.rows)} dòng hợp lệ, sẽ thêm "
                f"{vi_number(self.created)} tập thể, cá nhân vào quyết định."
            )
        return f"Đã nhập {vi_number(self.rows)} dòng: thêm {vi_number(self.created)} tập thể, cá nhân vào quyết định."


def _name_matches(written: str, organization: Organization) -> bool:
    """Every word of the name in the file is in the register's name (abbreviations such as HTX allowed)."""
    words = set(search_text(organization.name).split())
    return all(term in words for term in query_terms(written))


class _Import:
    def __init__(self, decision: Decision, *, by):
        self.decision = decision
        self.by = by
        self.errors: list[RowError] = []

    def error(self, row: int, key: str, message: str) -> None:
        self.errors.append(RowError(row, RECIPIENTS.header(key), message))

    def plan(self, sheet) -> list[PlannedRecipient]:
        read = []
        for number, values in sheet.rows:
            before = len(self.errors)
            data = read_row(RECIPIENTS, sheet, values, self.errors, number)
            if len(self.errors) == before:
                read.append((number, data))
        codes = sorted({data["code"] for _, data in read if data.get("code")})
        visible = organizations_for(self.by) if self.by is not None else Organization.objects.all()
        organizations = {o.code: o for o in visible.filter(code__in=codes)}
        planned = [p for p in (self.check(number, data, organizations) for number, data in read) if p]
        return self.without_duplicates(planned)

    def check(self, number: int, data: dict, organizations: dict) -> PlannedRecipient | None:
        before = len(self.errors)
        kind = KIND_WORDS.get(normalize(data["kind"]))
        if kind is None:
            self.error(number, "kind", f"“{data['kind']}” phải là “Tập thể” hoặc “Cá nhân”")
        for key, limit in LIMITS.items():
            if len(data.get(key) or "") > limit:
                self.error(number, key, f"dài quá {limit} ký tự")
        code, person_name = data.get("code") or "", " ".join((data.get("person_name") or "").split())
        organization = organizations.get(code) if code else None
        if code and organization is None:
            self.error(number, "code", f"không có tổ chức mã số “{code}” trong danh sách tổ chức")
        elif organization is not None and organization.archived_on:
            self.error(number, "code", f"tổ chức mã số “{code}” đã được lưu trữ (nhập nhầm), không khen được")
        elif organization is not None and data.get("org_name") and not _name_matches(data["org_name"], organization):
            self.error(
                number,
                "org_name",
                f"“{data['org_name']}” không khớp với tên của tổ chức mã số {code}: “{organization.name}”",
            )
        if kind == RecipientKind.COLLECTIVE:
            if not code:
                self.error(number, "code", "bắt buộc với tập thể")
            if person_name:
                self.error(number, "person_name", "để trống với tập thể (mỗi cá nhân ghi một dòng “Cá nhân”)")
        elif kind == RecipientKind.INDIVIDUAL and not person_name:
            self.error(number, "person_name", "bắt buộc với cá nhân")
        if len(self.errors) > before:
            return None
        individual = kind == RecipientKind.INDIVIDUAL
        return PlannedRecipient(
            row=number,
            kind=kind,
            organization=organization,
            person_name=person_name if individual else "",
            position=(data.get("position") or "") if individual else "",
            reason=data.get("reason") or "",
        )

    def without_duplicates(self, planned: list[PlannedRecipient]) -> list[PlannedRecipient]:
        """Drop (as errors) a row repeating an earlier row or a recipient the decision already has."""

        def key(kind, organization, person_name):
            org = organization.pk if organization else None
            return (kind, org) if kind == RecipientKind.COLLECTIVE else (kind, org, person_key(person_name))

        existing = {
            key(r.kind, r.organization, r.person_name)
            for r in self.decision.recipients.filter(archived_on__isnull=True).select_related("organization")
        }
        first_row: dict[tuple, int] = {}
        kept = []
        for p in planned:
            k = key(p.kind, p.organization, p.person_name)
            column = "code" if p.kind == RecipientKind.COLLECTIVE else "person_name"
            who = p.organization.name if p.kind == RecipientKind.COLLECTIVE else p.person_name
            if k in first_row:
                self.error(p.row, column, f"“{who}” trùng với dòng {first_row[k]}")
            elif k in existing:
                self.error(p.row, column, f"“{who}” đã có trong quyết định {self.decision.number}")
            else:
                first_row[k] = p.row
                kept.append(p)
        return kept

    def write(self, planned: list[PlannedRecipient]) -> int:
        created = 0
        for p in planned:
            try:
                award_recipient_add(
                    decision=self.decision,
                    kind=p.kind,
                    organization=p.organization,
                    person_name=p.person_name,
                    position=p.position,
                    reason=p.reason,
                    by=self.by,
                )
            except ValidationError as exc:
                message = "; ".join(str(m).rstrip(".") for m in exc.messages)
                self.error(p.row, "kind", f"không ghi được: {message}")
                continue
            created += 1
        return created


def import_recipients(
    decision: Decision, file, *, by=None, filename: str = "", dry_run: bool = False
) -> RecipientImportResult:
    """Add the recipients listed in an .xlsx file to a decision, all or nothing.

    Any error leaves the decision as it was; the result lists every error by Excel row and
    column header, in Vietnamese. With dry_run everything is checked, the services' own
    rules included, then rolled back; the result's ``planned`` rows are the preview.
    """
    if by is not None and not can_manage_awards(by):
        raise PermissionDenied("only the awards staff import award recipients")
    result = RecipientImportResult(filename=filename, dry_run=dry_run)
    importer = _Import(decision, by=by)
    try:
        sheet = read_book(RECIPIENTS, file, filename)
    except FileProblem as exc:
        result.errors.append(RowError(None, "", str(exc)))
        return result
    result.rows = len(sheet.rows)
    planned = importer.plan(sheet)
    if not importer.errors:
        with transaction.atomic():
            result.created = importer.write(planned)
            if importer.errors or dry_run:
                transaction.set_rollback(True)
            else:
                log_action(
                    "awards.decision.recipients_imported",
                    instance=decision,
                    user=by,
                    changes={"file": filename, "rows": result.rows, "created": result.created},
                )
    if importer.errors:
        result.errors = sorted(importer.errors, key=lambda e: (e.row or 0, RECIPIENTS.position(e.column), e.message))
        result.created = 0
        return result
    result.planned = planned
    return result
