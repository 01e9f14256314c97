"""Validating the rows of a file against the database, then writing them all or nothing."""

import bisect
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from hoptac.core.audit import _plain, log_action, snapshot
from hoptac.core.formatting import vi_date, vi_number
from hoptac.core.models import AuditEntry, Role
from hoptac.core.xlsx import RowError
from hoptac.geo.models import REFORM_2025, AdminUnit, Level, bare_name
from hoptac.geo.selectors import units_matching
from hoptac.registry import services
from hoptac.registry.models import ENDING_KINDS, EventKind, LifecycleEvent, Organization, Status, StatusPeriod
from hoptac.registry.periods import periods_of
from hoptac.registry.selectors import area_commune_ids, can_manage_registry

from .columns import (
    COLUMN_BY_KEY,
    FIELD_COLUMN,
    HEADERS,
    INT_FIELDS,
    INT_MAX,
    NOTHING_IMPORTED,
    PLAIN_FIELDS,
    TEXT_FIELDS,
)
from .reader import (
    BadCell,
    FileProblem,
    Sheet,
    _blank,
    read_code,
    read_date,
    read_int,
    read_kind,
    read_phone,
    read_sector,
    read_sheet,
    read_text,
)

# ---------------------------------------------------------------- errors and result

# Told how far the import is: progress(phase, rows done, rows in all), phase "checking" or "writing".
Progress = Callable[[str, int, int], None]


def _no_progress(phase: str, done: int, total: int) -> None:
    pass


# Rows written per INSERT of a new organisation (and of its audit entries).
BATCH = 500


@dataclass
class ImportResult:
    """What an import did, or why it did nothing."""

    filename: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return f"{vi_number(len(self.errors))} lỗi. {NOTHING_IMPORTED}"
        verb = "Kiểm tra xong (chưa ghi)" if self.dry_run else "Đã nhập"
        return (
            f"{verb} {vi_number(self.rows)} dòng: {vi_number(self.created)} tạo mới, "
            f"{vi_number(self.updated)} cập nhật, {vi_number(self.unchanged)} không đổi."
        )


# ---------------------------------------------------------------- validating


@dataclass
class PlannedRow:
    """A valid row and what writing it will do."""

    row: int
    code: str
    data: dict[str, Any]  # field -> value, only the columns present in the file
    dissolved_on: datetime.date | None
    existing: Organization | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    add_dissolution: bool = False


def _validity(unit: AdminUnit) -> str:
    if unit.valid_from and unit.valid_to:
        return f"tồn tại từ {vi_date(unit.valid_from)} đến {vi_date(unit.valid_to)}"
    if unit.valid_to:
        return f"tồn tại đến {vi_date(unit.valid_to)}"
    if unit.valid_from:
        return f"có từ {vi_date(unit.valid_from)}"
    return ""


class _Importer:
    """Validates rows against the database with every lookup cached, then writes them."""

    def __init__(self, *, by, filename: str, progress: Progress = _no_progress, every: int = 500):
        self.by = by
        self.filename = filename
        self.progress = progress
        self.every = max(1, every)
        self.today = timezone.localdate()
        self.errors: list[RowError] = []
        # An area officer imports only into communes of their area (None: no limit).
        self.scope = (
            area_commune_ids(by) if by is not None and by.role == Role.AREA_OFFICER and not by.is_alliance else None
        )
        # The set of valid units changes only on these days, so a lookup on any day between
        # two of them has the same answer: cache by that era instead of by the exact date.
        bounds = set(AdminUnit.objects.exclude(valid_from=None).values_list("valid_from", flat=True).distinct())
        bounds |= {
            d + datetime.timedelta(days=1)
            for d in AdminUnit.objects.exclude(valid_to=None).values_list("valid_to", flat=True).distinct()
        }
        self.bounds = sorted(bounds)
        self.unit_cache: dict[tuple, list[AdminUnit]] = {}
        self.hint_cache: dict[tuple, str] = {}

    def error(self, row: int | None, key_or_header: str, message: str) -> None:
        column = COLUMN_BY_KEY[key_or_header].header if key_or_header in COLUMN_BY_KEY else key_or_header
        self.errors.append(RowError(row, column, message))

    # -- places

    def units(self, text: str, level: int, on: datetime.date, parent: AdminUnit | None) -> list[AdminUnit]:
        key = (text, level, bisect.bisect_right(self.bounds, on), parent.pk if parent else None)
        if key not in self.unit_cache:
            self.unit_cache[key] = list(units_matching(text, level=level, on=on, parent=parent).order_by("name"))
        return self.unit_cache[key]

    def _missing(self, text: str, level: int, on: datetime.date, parent: AdminUnit | None) -> str:
        """Why text names no unit on day: it existed at other dates, or lies elsewhere."""
        key = (text, level, bisect.bisect_right(self.bounds, on), parent.pk if parent else None)
        if key in self.hint_cache:
            return self.hint_cache[key]
        message = f"không có đơn vị “{text}” vào ngày {vi_date(on)}"
        elsewhere = list(units_matching(text, level=level, on=on)[:3]) if parent is not None else []
        if elsewhere:
            message = f"“{text}” không thuộc {parent.name} vào ngày {vi_date(on)}"
        else:
            qs = AdminUnit.objects.filter(level=level)
            qs = (
                qs.filter(code=text.zfill({1: 2, 2: 3, 3: 5}[level]))
                if text.isdigit()
                else qs.filter(match_name=bare_name(text))
            )
            if parent is not None:
                qs = qs.filter(parent__code=parent.code) | qs.filter(parent__parent__code=parent.code)
            other = {_validity(u) for u in qs[:5]} - {""}
            if len(other) == 1:
                message += f" (đơn vị này {other.pop()})"
        self.hint_cache[key] = message
        return message

    def _one(self, row: int, key: str, text: str, level: int, on: datetime.date, parent) -> AdminUnit | None:
        found = self.units(text, level, on, parent)
        if not found:
            self.error(row, key, self._missing(text, level, on, parent))
            return None
        if len(found) > 1:
            names = ", ".join(f"{u.name} ({u.code})" for u in found[:5])
            self.error(row, key, f"“{text}” khớp nhiều đơn vị: {names}; ghi tên đầy đủ hoặc mã số")
            return None
        return found[0]

    def commune(self, row: int, texts: dict[str, str], on: datetime.date) -> AdminUnit | None:
        province = (
            self._one(row, "province", texts["province"], Level.PROVINCE, on, None) if texts["province"] else None
        )
        if on < REFORM_2025:
            if not texts["district"]:
                self.error(row, "district", "bắt buộc khi ngày thành lập trước 01/07/2025")
                return None
            if province is None:
                return None
            parent = self._one(row, "district", texts["district"], Level.DISTRICT, on, province)
        else:
            if texts["district"]:
                self.error(
                    row,
                    "district",
                    f"không có đơn vị “{texts['district']}” vào ngày {vi_date(on)} "
                    "(từ 01/07/2025 không còn cấp huyện; để trống cột này)",
                )
                return None
            parent = province
        if parent is None or not texts["commune"]:
            return None
        return self._one(row, "commune", texts["commune"], Level.COMMUNE, on, parent)

    # -- rows

    def read_row(self, number: int, values: tuple, columns: dict[str, int], epoch) -> PlannedRow | None:
        def cell(key):
            index = columns.get(key)
            return values[index] if index is not None and index < len(values) else None

        before = len(self.errors)
        data: dict[str, Any] = {}
        readers = {
            "kind": read_kind,
            "sector": read_sector,
            "official_members": read_int,
            "employees": read_int,
            "charter_capital": read_int,
            "phone": read_phone,
        }
        for key in PLAIN_FIELDS:
            if key not in columns:
                continue
            value = cell(key)
            if COLUMN_BY_KEY[key].required and _blank(value):
                self.error(number, key, "bắt buộc, không được để trống")
                continue
            try:
                if key == "code":
                    data[key] = read_code(value)
                elif key == "founded_on":
                    data[key] = read_date(value, epoch)
                else:
                    data[key] = readers.get(key, read_text)(value)
            except BadCell as exc:
                self.error(number, key, str(exc))
        try:
            dissolved_on = read_date(cell("dissolved_on"), epoch)
        except BadCell as exc:
            self.error(number, "dissolved_on", str(exc))
            dissolved_on = None

        for key in TEXT_FIELDS + ["code"]:
            limit = Organization._meta.get_field(key).max_length
            if data.get(key) and limit and len(data[key]) > limit:
                self.error(number, key, f"dài quá {limit} ký tự")
        if data.get("email"):
            try:
                validate_email(data["email"])
            except ValidationError:
                self.error(number, "email", f"email “{data['email']}” không hợp lệ")
        for key in INT_FIELDS:
            if data.get(key) is not None and data[key] > INT_MAX[key]:
                self.error(number, key, f"số “{vi_number(data[key])}” quá lớn")

        founded = data.get("founded_on")
        if founded and founded > self.today:
            self.error(number, "founded_on", f"ngày thành lập {vi_date(founded)} ở tương lai")
        if dissolved_on:
            if dissolved_on > self.today:
                self.error(number, "dissolved_on", f"ngày giải thể {vi_date(dissolved_on)} ở tương lai")
            elif founded and dissolved_on < founded:
                self.error(
                    number,
                    "dissolved_on",
                    f"ngày giải thể {vi_date(dissolved_on)} trước ngày thành lập {vi_date(founded)}",
                )

        texts = {k: read_text(cell(k)) for k in ("province", "district", "commune")}
        for key in ("province", "commune"):
            if not texts[key]:
                self.error(number, key, "bắt buộc, không được để trống")
        if founded and founded <= self.today and texts["province"] and texts["commune"]:
            commune = self.commune(number, texts, founded)
            if commune is not None:
                if self.scope is not None and commune.pk not in self.scope:
                    self.error(number, "commune", f"{commune.name} nằm ngoài địa bàn tài khoản được quản lý")
                data["commune"] = commune

        if len(self.errors) > before:
            return None
        return PlannedRow(row=number, code=data["code"], data=data, dissolved_on=dissolved_on)

    def plan(self, sheet: Sheet) -> list[PlannedRow]:
        planned: list[PlannedRow] = []
        first_row: dict[str, int] = {}
        code_index = sheet.columns["code"]
        total = len(sheet.rows)
        self.progress("checking", 0, total)
        for done, (number, values) in enumerate(sheet.rows):
            if done and done % self.every == 0:
                self.progress("checking", done, total)
            code = read_code(values[code_index]) if code_index < len(values) else ""
            if code and code in first_row:
                self.error(number, "code", f"mã số “{code}” trùng với dòng {first_row[code]}")
                continue
            if code:
                first_row[code] = number
            row = self.read_row(number, values, sheet.columns, sheet.epoch)
            if row is not None:
                planned.append(row)
        self.match_existing(planned)
        self.progress("checking", total, total)
        return planned

    def match_existing(self, planned: list[PlannedRow]) -> None:
        codes = [p.code for p in planned]
        existing: dict[str, Organization] = {}
        for start in range(0, len(codes), 500):  # stay under every database's parameter limit
            chunk = codes[start : start + 500]
            existing.update({o.code: o for o in Organization.objects.filter(code__in=chunk)})
        ids = [o.pk for o in existing.values()]
        events: dict[int, list[LifecycleEvent]] = {}
        for start in range(0, len(ids), 500):
            for event in LifecycleEvent.objects.filter(
                organization_id__in=ids[start : start + 500], status_after__gt=""
            ).order_by("on", "id"):
                events.setdefault(event.organization_id, []).append(event)

        for p in planned:
            org = existing.get(p.code)
            if org is None:
                continue
            p.existing = org
            if org.archived_on:
                self.error(
                    p.row,
                    "code",
                    f"mã số “{p.code}” thuộc tổ chức đã lưu trữ “{org.name}”; khôi phục tổ chức đó trước khi nhập",
                )
                continue
            if self.scope is not None and org.commune_id not in self.scope:
                self.error(p.row, "code", f"tổ chức mã số “{p.code}” thuộc địa bàn khác; tài khoản không được sửa")
                continue
            for name, value in p.data.items():
                current = org.commune_id if name == "commune" else getattr(org, name)
                new = value.pk if name == "commune" else value
                if current != new:
                    p.changes[name] = value
            history = events.get(org.pk, [])
            ending = next((e for e in history if e.kind in ENDING_KINDS), None)
            if p.dissolved_on is None:
                continue
            if ending is not None:
                if ending.on != p.dissolved_on:
                    self.error(
                        p.row,
                        "dissolved_on",
                        f"tổ chức đã kết thúc hoạt động ngày {vi_date(ending.on)}; muốn sửa ngày này, làm "
                        "trên trang của tổ chức",
                    )
                continue
            if any(e.on > p.dissolved_on for e in history):
                self.error(
                    p.row,
                    "dissolved_on",
                    f"đã có sự kiện thay đổi trạng thái sau ngày "
                    f"{vi_date(p.dissolved_on)}; ghi giải thể trên trang của tổ chức",
                )
                continue
            before = [e for e in history if e.on <= p.dissolved_on]
            status = before[-1].status_after if before else Status.ACTIVE
            if status not in services.ALLOWED_FROM[EventKind.DISSOLVED]:
                self.error(
                    p.row, "dissolved_on", f"ngày {vi_date(p.dissolved_on)} tổ chức không ở trạng thái có thể giải thể"
                )
                continue
            p.add_dissolution = True

    # -- writing

    def _refused(self, row: int, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                column = FIELD_COLUMN.get(name, "Mã số")
                for message in errors:
                    self.errors.append(RowError(row, column, str(message).rstrip(".")))
        else:
            for message in exc.messages:
                self.errors.append(RowError(row, "Mã số", str(message).rstrip(".")))

    def create_many(self, rows: list[PlannedRow], result: ImportResult, done: int, total: int) -> None:
        """New organisations, a batch per INSERT: what services.organization_create does one by one.

        The same rules (the services' own checks and the model's field validation) and an audit
        entry each, without a query per row: the commune was found in the database while checking,
        codes were matched against the register and against the file's other rows, and the capital's
        constraint is one of the services' rules. A code registered by someone else since the check
        fails the INSERT, and the whole import with it.
        """
        by = self.by if getattr(self.by, "is_authenticated", False) else None
        valid: list[tuple[PlannedRow, Organization]] = []
        for p in rows:
            org = Organization(**p.data)
            try:
                services._check_rules(org)
                org.full_clean(
                    exclude=["created_by", "modified_by", "commune"], validate_unique=False, validate_constraints=False
                )
            except ValidationError as exc:
                self._refused(p.row, exc)
                continue
            org.refresh_search_text()
            org.created_by = org.modified_by = by
            valid.append((p, org))
        if self.errors:
            return
        content_type = ContentType.objects.get_for_model(Organization)
        for start in range(0, len(valid), BATCH):
            chunk = valid[start : start + BATCH]
            try:
                with transaction.atomic():
                    Organization.objects.bulk_create([org for _, org in chunk])
                    # As Organization.save does: a new organisation is active from its founding date.
                    StatusPeriod.objects.bulk_create(
                        StatusPeriod(organization=org, status=s, valid_from=f, valid_to=t)
                        for _, org in chunk
                        for s, f, t in periods_of(org.founded_on, ())
                    )
            except IntegrityError:
                for p, _org in chunk:
                    if Organization.objects.filter(code=p.code).exists():
                        self.error(p.row, "code", f"mã số “{p.code}” vừa được đăng ký trong lúc nhập; hãy nhập lại tệp")
                if not self.errors:
                    raise
                return
            AuditEntry.objects.bulk_create(
                AuditEntry(
                    action="registry.organization.created",
                    user=by,
                    content_type=content_type,
                    object_id=str(org.pk),
                    object_repr=str(org)[:300],
                    changes={
                        k: [None, _plain(v)]
                        for k, v in snapshot(org, services.EDITABLE_FIELDS).items()
                        if v not in (None, "")
                    },
                )
                for _, org in chunk
            )
            result.created += len(chunk)
            self.progress("writing", done + start + len(chunk), total)
        note = f"Nhập từ tệp Excel {self.filename}".strip()
        for p, org in valid:
            if p.dissolved_on:
                try:
                    services.event_record(
                        organization=org, kind=EventKind.DISSOLVED, on=p.dissolved_on, by=self.by, note=note
                    )
                except ValidationError as exc:
                    self._refused(p.row, exc)

    def write(self, planned: list[PlannedRow], result: ImportResult) -> None:
        note = f"Nhập từ tệp Excel {self.filename}".strip()
        total = len(planned)
        new = [p for p in planned if p.existing is None]
        self.create_many(new, result, 0, total)
        if self.errors:
            return
        for done, p in enumerate((p for p in planned if p.existing is not None), start=len(new) + 1):
            if done % self.every == 0:
                self.progress("writing", done, total)
            try:
                org = p.existing
                if p.changes:
                    org = services.organization_update(
                        organization=org, by=self.by, data=p.changes, expected_version=org.version
                    )
                if p.changes or p.add_dissolution:
                    result.updated += 1
                else:
                    result.unchanged += 1
                if p.add_dissolution:
                    services.event_record(
                        organization=org, kind=EventKind.DISSOLVED, on=p.dissolved_on, by=self.by, note=note
                    )
            except services.StaleEdit:
                self.errors.append(
                    RowError(p.row, "Mã số", "tổ chức vừa được người khác sửa trong lúc nhập; hãy nhập lại tệp")
                )
            except ValidationError as exc:
                self._refused(p.row, exc)


def import_organizations(
    file, *, by=None, filename: str = "", dry_run: bool = False, progress: Progress = _no_progress, every: int = 500
) -> ImportResult:
    """Validate every row of an .xlsx file, then create or update organisations, all or nothing.

    Rows are matched to existing organisations by Mã số. Any error anywhere leaves the
    database untouched; the result lists every error by Excel row and column header.
    ``by`` is the user importing (None for the command without --user: no area limit).
    With dry_run everything is checked, including the services' own rules, and rolled back.
    ``progress`` is called every ``every`` rows while checking and while writing (the background
    import's progress bar, hoptac/registry/tasks.py); while writing, the import's transaction is open.
    """
    if by is not None and not can_manage_registry(by):
        raise PermissionDenied("cooperative accounts cannot import")
    result = ImportResult(filename=filename, dry_run=dry_run)
    try:
        sheet = read_sheet(file, filename)
    except FileProblem as exc:
        result.errors.append(RowError(None, "", str(exc)))
        return result
    result.rows = len(sheet.rows)
    importer = _Importer(by=by, filename=filename, progress=progress, every=every)
    planned = importer.plan(sheet)
    if importer.errors:
        result.errors = sorted(
            importer.errors, key=lambda e: (e.row or 0, HEADERS.index(e.column) if e.column in HEADERS else 99)
        )
        return result
    importer.progress("writing", 0, len(planned))  # before the transaction: seen by everyone
    with transaction.atomic():
        importer.write(planned, result)
        if importer.errors or dry_run:
            transaction.set_rollback(True)
        elif by is not None and (result.created or result.updated):
            log_action(
                "registry.import.done",
                instance=by,
                user=by,
                changes={
                    "file": filename,
                    "rows": result.rows,
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
    if importer.errors:
        result.errors = importer.errors
        result.created = result.updated = result.unchanged = 0
    return result
