"""A course's participant list from Excel: the template, the check (dry run) and the import, all or nothing.

Every row is read and checked first, with every error collected by Excel row and column
header; the rows are then written through ``services.participant_add`` inside one
transaction, rolled back for a dry run or if a service still refuses a row. The page shows
the dry run's rows as a preview and writes them once the user confirms. Headers, guide and
messages are Vietnamese on purpose, as in the other imports (docs/decisions/0006-excel-import.md).
"""

from dataclasses import asdict, dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from hoptac.core.audit import log_action
from hoptac.core.formatting import vi_number
from hoptac.core.text import normalize
from hoptac.core.xlsx import (
    CODE,
    NOTHING_IMPORTED,
    PHONE,
    Book,
    Column,
    FileProblem,
    RowError,
    read_book,
    read_row,
    template_bytes,
)
from hoptac.registry.models import Organization

from . import services
from .models import Course, CourseStatus, Gender, ParticipantRole
from .selectors import can_manage_training

MAX_ROWS = 500  # a course's list; more is a mistake (or several courses in one file)
TEMPLATE_FILENAME = "mau-danh-sach-hoc-vien.xlsx"

ROLE_VI = {
    ParticipantRole.LEARNER: "Học viên",
    ParticipantRole.TRAINER: "Giảng viên",
    ParticipantRole.ORGANISER: "Ban tổ chức",
}
_ROLES = {normalize(label): role for role, label in ROLE_VI.items()} | {
    "bao cao vien": ParticipantRole.TRAINER,
    "giao vien": ParticipantRole.TRAINER,
    "to chuc": ParticipantRole.ORGANISER,
    "btc": ParticipantRole.ORGANISER,
}
GENDER_VI = {Gender.MALE: "Nam", Gender.FEMALE: "Nữ"}
_GENDERS = {normalize(label): gender for gender, label in GENDER_VI.items()}
LIMITS = {"full_name": 120, "position": 120, "org_name": 300, "phone": 30}

PARTICIPANTS = Book(
    key="participants",
    sheet="Danh sách",
    title="HƯỚNG DẪN NHẬP DANH SÁCH HỌC VIÊN MỘT LỚP BỒI DƯỠNG, TẬP HUẤN",
    columns=(
        Column("full_name", "Họ và tên", 28, guide="Bắt buộc. Họ và tên đầy đủ, có dấu.", aliases=("ho ten", "ten")),
        Column(
            "gender",
            "Giới tính",
            10,
            required=False,
            optional_column=True,
            guide="Nam hoặc Nữ; có thể để trống.",
            aliases=("gioi",),
        ),
        Column(
            "position",
            "Chức vụ",
            22,
            required=False,
            optional_column=True,
            guide="Không bắt buộc. Ví dụ Giám đốc, Kế toán, Công chức Kinh tế.",
            aliases=("chuc danh",),
        ),
        Column(
            "org_code",
            "Mã số tổ chức",
            16,
            CODE,
            required=False,
            optional_column=True,
            guide="Mã số (mã số thuế) của HTX, liên hiệp HTX, quỹ tín dụng hoặc tổ hợp tác trong danh sách tổ "
            "chức của hệ thống. Để trống khi đơn vị không có trong danh sách (UBND xã, phòng ban huyện…), khi "
            "đó ghi Tên đơn vị.",
            aliases=("ma so", "ma so thue", "ma so htx", "ma to chuc"),
        ),
        Column(
            "org_name",
            "Tên đơn vị",
            36,
            required=False,
            optional_column=True,
            guide="Chỉ dùng khi không có Mã số tổ chức: tên đơn vị công tác (ví dụ UBND xã Quang Tiến). Có Mã số "
            "tổ chức thì tên lấy theo danh sách tổ chức, cột này được bỏ qua.",
            aliases=("don vi", "don vi cong tac", "ten to chuc", "ten htx", "co quan"),
        ),
        Column(
            "phone",
            "Điện thoại",
            14,
            PHONE,
            required=False,
            optional_column=True,
            guide="Không bắt buộc. Ghi dạng văn bản để giữ số 0 đầu.",
            aliases=("so dien thoai", "dien thoai di dong", "sdt"),
        ),
        Column(
            "role",
            "Vai trò",
            14,
            required=False,
            optional_column=True,
            guide="Học viên, Giảng viên hoặc Ban tổ chức; để trống là Học viên.",
            aliases=("vai tro tham gia",),
        ),
    ),
    rules=(
        "Mỗi dòng là một người tham dự lớp. Mỗi người (cùng họ tên và đơn vị) chỉ có một dòng, và chưa có trong "
        "danh sách của lớp trên hệ thống.",
        "Trước khi ghi, hệ thống cho xem lại danh sách sẽ nhập; chỉ khi bấm “Xác nhận nhập” dữ liệu mới được ghi.",
        f"Tối đa {vi_number(MAX_ROWS)} dòng một tệp.",
    ),
    example=(
        ("Nguyễn Văn An", "Nam", "Giám đốc", "2400000001", "", "0912345678", "Học viên"),
        ("Trần Thị Bình", "Nữ", "Công chức Kinh tế", "", "UBND xã Quang Tiến", "", "Học viên"),
    ),
)


def template() -> bytes:
    """The blank template with its "Hướng dẫn" sheet."""
    return template_bytes(PARTICIPANTS)


@dataclass
class ImportRow:
    """A row ready to be written: plain values only, so the preview can keep it in the session."""

    number: int
    full_name: str
    gender: str
    position: str
    organization_id: int | None
    organization_name: str
    unit: str  # the name shown: the register's, or organization_name
    phone: str
    role: str

    @property
    def gender_label(self) -> str:
        return GENDER_VI.get(self.gender, "")

    @property
    def role_label(self) -> str:
        return ROLE_VI.get(self.role, "")

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class ParticipantImportResult:
    filename: str = ""
    rows: list[ImportRow] = field(default_factory=list)
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return f"{vi_number(len(self.errors))} lỗi. {NOTHING_IMPORTED}"
        if self.dry_run:
            return f"Kiểm tra xong: {vi_number(len(self.rows))} người, chưa ghi. Xem lại rồi bấm “Xác nhận nhập”."
        return f"Đã nhập {vi_number(self.created)} người vào danh sách lớp."


def _failed(result: ParticipantImportResult, message: str) -> ParticipantImportResult:
    result.errors.append(RowError(None, "", message))
    return result


def _check_course(course: Course) -> str:
    course.refresh_from_db(fields=["status"])
    if course.status == CourseStatus.CANCELLED:
        return "Lớp đã bị hủy: không nhập thêm người được."
    return ""


def _read(course: Course, file, filename: str, result: ParticipantImportResult) -> list[ImportRow]:
    """Read and check every row; errors go to result.errors."""
    book, errors = PARTICIPANTS, result.errors
    try:
        sheet = read_book(book, file, filename)
    except FileProblem as problem:
        errors.append(RowError(None, "", str(problem)))
        return []
    if len(sheet.rows) > MAX_ROWS:
        errors.append(
            RowError(None, "", f"Tệp có {vi_number(len(sheet.rows))} dòng; một lớp nhập tối đa {vi_number(MAX_ROWS)}.")
        )
        return []
    if "org_code" not in sheet.columns and "org_name" not in sheet.columns:
        errors.append(RowError(None, "", "Thiếu cả cột “Mã số tổ chức” và cột “Tên đơn vị”. Hãy dùng tệp mẫu."))
        return []

    data = []
    for number, values in sheet.rows:
        data.append((number, read_row(book, sheet, values, errors, number)))
    codes = {d.get("org_code") for _n, d in data if d.get("org_code")}
    organizations = {o.code: o for o in Organization.objects.filter(code__in=codes)}
    on_list = set(course.participants.current().values_list("person_key", flat=True))
    seen: dict[str, int] = {}
    rows = []
    for number, d in data:
        before = len(errors)

        def error(key: str, message: str, number=number) -> None:
            errors.append(RowError(number, book.header(key), message))

        for key, limit in LIMITS.items():
            if len(d.get(key) or "") > limit:
                error(key, f"dài quá {limit} ký tự")
        gender = _GENDERS.get(normalize(d.get("gender")), None) if d.get("gender") else ""
        if gender is None:
            error("gender", f"“{d['gender']}” không hợp lệ (ghi Nam, Nữ hoặc để trống)")
        role = _ROLES.get(normalize(d.get("role")), None) if d.get("role") else ParticipantRole.LEARNER
        if role is None:
            error("role", f"“{d['role']}” không hợp lệ (ghi Học viên, Giảng viên hoặc Ban tổ chức)")
        organization, org_name = None, d.get("org_name") or ""
        if d.get("org_code"):
            organization = organizations.get(d["org_code"])
            if organization is None:
                error("org_code", f"không có tổ chức nào mang mã số “{d['org_code']}” trong danh sách tổ chức")
            elif organization.archived_on:
                error("org_code", f"hồ sơ tổ chức mã số “{d['org_code']}” đã bị lưu trữ")
            org_name = ""
        elif not org_name:
            error("org_code", "ghi Mã số tổ chức, hoặc Tên đơn vị nếu đơn vị không có trong danh sách tổ chức")
        if len(errors) > before or not d.get("full_name"):
            continue
        key = services.person_key(d["full_name"], organization, org_name)
        if key in seen:
            error("full_name", f"trùng với dòng {seen[key]} (cùng họ tên và đơn vị)")
            continue
        seen[key] = number
        if key in on_list:
            error("full_name", f"{d['full_name']} của đơn vị này đã có trong danh sách lớp")
            continue
        rows.append(
            ImportRow(
                number=number,
                full_name=d["full_name"],
                gender=gender,
                position=d.get("position") or "",
                organization_id=organization.pk if organization else None,
                organization_name=org_name,
                unit=organization.name if organization else org_name,
                phone=d.get("phone") or "",
                role=role,
            )
        )
    return rows


def _write(course: Course, rows: list[ImportRow], *, by, filename: str, result: ParticipantImportResult) -> None:
    """Write every row through the service; a refused row is reported on its row and nothing is kept."""
    organizations = Organization.objects.in_bulk([r.organization_id for r in rows if r.organization_id])
    with transaction.atomic():
        for row in rows:
            organization = organizations.get(row.organization_id) if row.organization_id else None
            if row.organization_id and organization is None:
                result.errors.append(RowError(row.number, PARTICIPANTS.header("org_code"), "tổ chức không còn"))
                continue
            try:
                services.participant_add(
                    course=course,
                    full_name=row.full_name,
                    gender=row.gender,
                    position=row.position,
                    organization=organization,
                    organization_name=row.organization_name,
                    phone=row.phone,
                    role=row.role,
                    by=by,
                )
            except ValidationError as refused:
                message = "; ".join(str(m).rstrip(".") for m in refused.messages)
                result.errors.append(RowError(row.number, "", message))
        if result.errors or result.dry_run:
            transaction.set_rollback(True)
            return
        result.created = len(rows)
        if by is not None:
            log_action(
                "training.course.participants_imported",
                instance=course,
                user=by,
                changes={"file": filename, "created": result.created},
            )


def _allowed(by) -> None:
    if by is not None and not can_manage_training(by):
        raise PermissionDenied("only the training department imports participants")


def import_participants(
    course: Course, file, *, by=None, filename: str = "", dry_run: bool = False
) -> ParticipantImportResult:
    """Check an .xlsx list of participants and, unless dry_run, add them all to course, or none.

    With dry_run the rows are also passed through the services (and rolled back), so a
    clean dry run means the import will succeed; ``result.rows`` is the preview.
    """
    _allowed(by)
    result = ParticipantImportResult(filename=filename, dry_run=dry_run)
    problem = _check_course(course)
    if problem:
        return _failed(result, problem)
    result.rows = _read(course, file, filename, result)
    if not result.errors:
        _write(course, result.rows, by=by, filename=filename, result=result)
    result.errors.sort(key=lambda e: (e.row or 0, PARTICIPANTS.position(e.column), e.message))
    if result.errors:
        result.rows, result.created = [], 0
    return result


def import_checked_rows(course: Course, rows: list[dict], *, by=None, filename: str = "") -> ParticipantImportResult:
    """Write the rows a dry run previewed (kept in the session), all or nothing, checking them again."""
    _allowed(by)
    result = ParticipantImportResult(filename=filename, rows=[ImportRow(**r) for r in rows])
    problem = _check_course(course)
    if problem:
        return _failed(result, problem)
    _write(course, result.rows, by=by, filename=filename, result=result)
    return result
