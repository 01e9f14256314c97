"""Bulk entry from Excel: a form's template for a period, and its import, all or nothing.

The template has one row per organisation that must file the form for the period (Mã số and
Tên filled in) and one column per indicator of the version in force, headed by its Vietnamese
name, with the "Hướng dẫn" sheet saying how to write each. The import reads the same book:
the code is the key (the name is only for people), a row whose indicators are all blank is
not a submission, and every cell and every rule is checked before anything is written. If
one is wrong, nothing is saved and every error is listed by Excel row and column.

Imported returns are *submitted*, marked as entered on behalf of the organisation: they wait
for review like any other. A return already submitted or approved is not overwritten (a row
identical to it counts as unchanged); a draft or a return sent back is completed and submitted.
"""

import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from openpyxl import load_workbook

from hoptac.core.formatting import vi_date, vi_number
from hoptac.core.text import normalize
from hoptac.core.xlsx import (
    CODE,
    INT,
    MONEY,
    NOTHING_IMPORTED,
    SIGNED_MONEY,
    TEXT,
    Book,
    Column,
    FileProblem,
    RowError,
    defuse_formulas,
    read_book,
    read_code,
    template_bytes,
)
from hoptac.core.xlsx import blank as is_blank
from hoptac.registry.models import Organization

from . import selectors, services, validation
from .models import FormVersion, Return, ReturnForm, Status, Unit
from .periods import Period

CODE_HEADER = "Mã số"
NAME_HEADER = "Tên"
STATUS_VI = {
    Status.DRAFT: "nháp",
    Status.SUBMITTED: "đã nộp, chờ duyệt",
    Status.RETURNED: "bị trả lại để sửa",
    Status.APPROVED: "đã duyệt",
}


def template_filename(form: ReturnForm, period: Period) -> str:
    return f"mau-{form.code.replace('_', '-')}-{period.slug}.xlsx"


def _guide(spec: validation.Spec) -> str:
    unit = spec.unit
    parts = []
    if unit == Unit.MONEY:
        parts.append("Số tiền bằng đồng, số nguyên, dấu chấm phân cách hàng nghìn (1.500.000.000).")
    elif unit in (Unit.COUNT, Unit.SCORE):
        parts.append("Số nguyên." if unit == Unit.COUNT else "Điểm, số nguyên.")
    elif unit == Unit.PERCENT:
        parts.append("Tỷ lệ phần trăm, dấu phẩy thập phân: ghi 12,5 cho 12,5%.")
    elif unit == Unit.CHOICE:
        labels = "; ".join(f"{c[1]} ({c[0]})" for c in spec.choices)
        parts.append(f"Ghi một trong: {labels}.")
    else:
        parts.append("Chữ, tối đa 500 ký tự.")
    low, high = spec.min_value, spec.max_value
    if spec.is_number and low is not None and high is not None:
        parts.append(f"Từ {vi_number(low)} đến {vi_number(high)}.")
    elif spec.is_number and low is not None:
        parts.append("Không âm." if low == 0 else f"Ít nhất {vi_number(low)}.")
    elif spec.is_number and high is not None:
        parts.append(f"Nhiều nhất {vi_number(high)}.")
    elif unit == Unit.MONEY:
        parts.append("Có thể âm (ghi dấu trừ: -200.000.000).")
    parts.append("Bắt buộc khi nộp." if spec.required else "Không bắt buộc.")
    if spec.indicator.help_vi:
        parts.append(spec.indicator.help_vi)
    return " ".join(parts)


def _kind(spec: validation.Spec) -> str:
    if spec.unit == Unit.MONEY:
        return MONEY if spec.min_value is not None and spec.min_value >= 0 else SIGNED_MONEY
    if spec.unit in (Unit.COUNT, Unit.SCORE):
        return INT
    return TEXT


def _example(spec: validation.Spec):
    unit = spec.unit
    if unit == Unit.MONEY:
        return "1.500.000.000"
    if unit == Unit.COUNT:
        return 25
    if unit == Unit.SCORE:
        return spec.max_value or 5
    if unit == Unit.PERCENT:
        return "12,5"
    if unit == Unit.CHOICE:
        return spec.choices[0][1] if spec.choices else ""
    return ""


def book_for(form: ReturnForm, version: FormVersion, period: Period, specs=None) -> Book:
    """The Excel book of a form version: Mã số, Tên, then one column per indicator (key: its code)."""
    specs = specs if specs is not None else validation.specs_for(version)
    columns = [
        Column(
            "_code",
            CODE_HEADER,
            16,
            kind=CODE,
            guide="Mã số của tổ chức (mã số thuế), ghi sẵn; dùng để nhận ra tổ chức.",
        ),
        Column(
            "_name",
            NAME_HEADER,
            46,
            required=False,
            optional_column=True,
            informative=True,
            guide="Tên tổ chức, ghi sẵn để dễ đọc; khi nhập không dùng cột này.",
        ),
    ]
    seen = {normalize(CODE_HEADER), normalize(NAME_HEADER)}
    for spec in specs:
        header = spec.indicator.name_vi
        if normalize(header) in seen:
            header = f"{header} ({spec.code})"
        seen.add(normalize(header))
        columns.append(
            Column(
                spec.code,
                header,
                max(14, min(30, len(header) // 2 + 6)),
                kind=_kind(spec),
                required=False,
                optional_column=not spec.required,
                guide=_guide(spec),
            )
        )
    rules = [
        f"Biểu: {form.name_vi}. Kỳ báo cáo: {period.label_vi} (hạn nộp {vi_date(period.due_on(form))}).",
        "Mỗi dòng là một tổ chức phải nộp biểu này trong kỳ; Mã số và Tên đã ghi sẵn. Dòng để trống mọi chỉ tiêu "
        "không phải là báo cáo và được bỏ qua.",
        "Báo cáo nhập từ tệp được ghi là đã nộp (cán bộ nhập thay tổ chức) và chờ duyệt như báo cáo nộp trực tuyến. "
        "Báo cáo đã nộp hoặc đã duyệt thì không bị ghi đè.",
        "Khi nộp, các chỉ tiêu bắt buộc phải có số liệu và phải thỏa các điều kiện sau:",
    ]
    rules += [f"– {rule.message_vi}" for rule in validation.rules_for(version)]
    example = (("2400000001", "Hợp tác xã Dịch vụ nông nghiệp Quang Tiến", *(_example(s) for s in specs)),)
    return Book(
        key=f"returns-{form.code}",
        sheet="Báo cáo",
        title=f"Hướng dẫn nhập {form.name_vi}",
        columns=tuple(columns),
        rules=tuple(rules),
        example=example,
    )


def scope_for(user, form: ReturnForm, period: Period):
    """The organisations of the template and the import: in scope, and seen by user (None: all)."""
    scope = selectors.organizations_in_scope(form, period)
    if user is not None and not user.is_alliance:
        scope = scope.filter(pk__in=selectors.seen_organizations(user).values("pk"))
    return scope.order_by("name", "id")


def template(form: ReturnForm, period: Period, *, user=None) -> bytes:
    """The template of form for period, one row per organisation in scope (that user sees)."""
    version = form.version_for(period.year)
    if version is None:
        raise ValidationError(f"Biểu “{form.code}” chưa có phiên bản dùng cho năm {period.year}.")
    book = book_for(form, version, period)
    wb = load_workbook(io.BytesIO(template_bytes(book, formats={TEXT: "@"})))
    ws = wb[book.sheet]
    for org in scope_for(user, form, period).only("code", "name"):
        ws.append([org.code, org.name])
        ws.cell(row=ws.max_row, column=1).number_format = "@"
    out = io.BytesIO()
    defuse_formulas(wb)
    wb.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- import


@dataclass
class Planned:
    """A row that becomes a return: its organisation, its values, the return it completes (if any)."""

    row: int
    organization: Organization
    values: dict[str, Any]
    existing: Return | None = None
    unchanged: bool = False
    flags: list[dict] = field(default_factory=list)
    count: int = 0  # indicators filled


@dataclass
class ImportResult:
    filename: str = ""
    dry_run: bool = False
    rows: int = 0
    submitted: int = 0
    unchanged: int = 0
    blank: int = 0
    errors: list[RowError] = field(default_factory=list)
    planned: list[Planned] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return f"{vi_number(len(self.errors))} lỗi. {NOTHING_IMPORTED}"
        counts = (
            f"{vi_number(self.submitted)} báo cáo {'sẽ được nộp' if self.dry_run else 'đã nộp (chờ duyệt)'}, "
            f"{vi_number(self.unchanged)} không đổi, {vi_number(self.blank)} dòng để trống (bỏ qua)."
        )
        return ("Kiểm tra xong, chưa ghi gì: " if self.dry_run else "Đã nhập: ") + counts

    @property
    def flagged(self) -> int:
        return sum(1 for p in self.planned if p.flags)


class _Rollback(Exception):
    pass


def _failed(filename: str, message: str, dry_run: bool) -> ImportResult:
    return ImportResult(filename=filename, dry_run=dry_run, errors=[RowError(None, "", message)])


def import_returns(
    form: ReturnForm, period: Period, file, *, by, filename: str = "", dry_run: bool = False
) -> ImportResult:
    """Read every row of an uploaded template and submit the returns it holds, all or nothing.

    With dry_run everything is done and rolled back, so the preview shows what would be
    recorded (and the plausibility flags the services would raise).
    """
    with translation.override("vi"):
        version = form.version_for(period.year)
        if version is None:
            return _failed(filename, f"Biểu “{form.code}” chưa có phiên bản dùng cho năm {period.year}.", dry_run)
        specs = validation.specs_for(version)
        book = book_for(form, version, period, specs)
        try:
            sheet = read_book(book, file, filename)
        except FileProblem as problem:
            return _failed(filename, str(problem), dry_run)
        result = ImportResult(filename=filename, dry_run=dry_run, rows=len(sheet.rows))
        plan = _plan(form, period, version, specs, book, sheet, by, result)
        if result.errors:
            result.errors.sort(key=lambda e: (e.row or 0, book.position(e.column)))
            return result
        result.planned = plan
        result.unchanged = sum(1 for p in plan if p.unchanged)
        result.submitted = len(plan) - result.unchanged
        try:
            with transaction.atomic():
                _write(form, period, plan, by, result, book)
                if result.errors or dry_run:
                    raise _Rollback
        except _Rollback:
            pass
        if result.errors:
            result.submitted = result.unchanged = 0
        return result


def _cell(cells: tuple, index: int):
    return cells[index] if index < len(cells) else None


def _plan(form, period, version, specs, book, sheet, by, result: ImportResult) -> list[Planned]:
    errors = result.errors
    orgs = {o.code: o for o in scope_for(by, form, period)}
    existing = {
        r.organization_id: r
        for r in Return.objects.filter(form=form, year=period.year, quarter=period.quarter).prefetch_related(
            "values__indicator"
        )
    }
    rules = validation.rules_for(version)
    code_index = sheet.columns["_code"]
    present = [s for s in specs if s.code in sheet.columns]
    seen: dict[str, int] = {}
    plan = []
    for number, cells in sheet.rows:
        raw = {s.code: _cell(cells, sheet.columns[s.code]) for s in present}
        if all(is_blank(v) for v in raw.values()):
            result.blank += 1
            continue
        code = read_code(_cell(cells, code_index))
        if not code:
            errors.append(RowError(number, CODE_HEADER, "không được để trống khi dòng có số liệu"))
            continue
        org = orgs.get(code)
        if org is None:
            errors.append(
                RowError(
                    number,
                    CODE_HEADER,
                    f"mã số “{code}” không có trong danh sách tổ chức phải nộp biểu này kỳ {period.label_vi}"
                    + (" mà bạn được nhập" if by is not None and not by.is_alliance else ""),
                )
            )
            continue
        if code in seen:
            errors.append(RowError(number, CODE_HEADER, f"mã số “{code}” đã có ở dòng {seen[code]}"))
            continue
        seen[code] = number
        before = len(errors)
        typed, problems = validation.clean_values(specs, raw)
        ret = existing.get(org.pk)
        stored = {v.indicator.code: v.get() for v in ret.values.all()} if ret else {}
        full = {**stored, **typed}
        checks = validation.submission_errors(specs, rules, org, full)
        # A cell that cannot be read has its own message; it is not also "required".
        for key, messages in validation.merge(problems, {k: m for k, m in checks.items() if k not in problems}).items():
            errors.extend(RowError(number, book.header(key), m.rstrip(".")) for m in messages)
        if len(errors) > before:
            continue
        planned = Planned(number, org, typed, ret, count=sum(1 for v in typed.values() if v not in (None, "")))
        if ret is not None and ret.version_id != version.pk:
            errors.append(
                RowError(number, CODE_HEADER, f"báo cáo của tổ chức này đã lập theo phiên bản khác ({ret.version})")
            )
            continue
        if ret is not None and ret.status in (Status.SUBMITTED, Status.APPROVED):
            if all(stored.get(k) == v or (stored.get(k) is None and v is None) for k, v in typed.items()):
                planned.unchanged = True
            else:
                errors.append(
                    RowError(
                        number,
                        CODE_HEADER,
                        f"báo cáo của tổ chức này {STATUS_VI[ret.status]}"
                        + (f" ngày {vi_date(ret.submitted_on)}" if ret.status == Status.SUBMITTED else "")
                        + ", không ghi đè được"
                        + (
                            " (quản trị viên mở lại trước)"
                            if ret.status == Status.APPROVED
                            else " (người duyệt trả lại trước)"
                        ),
                    )
                )
                continue
        plan.append(planned)
    return plan


def _write(form, period, plan: list[Planned], by, result: ImportResult, book: Book) -> None:
    for p in plan:
        if p.unchanged:
            continue
        try:
            ret = p.existing or services.return_open(
                form=form, organization=p.organization, year=period.year, quarter=period.quarter, by=by
            )
            ret = services.return_submit(ret=ret, by=by, values=p.values)
        except services.ReturnInvalid as invalid:
            for key, messages in invalid.errors.items():
                result.errors.extend(RowError(p.row, book.header(key), m.rstrip(".")) for m in messages)
            return
        except PermissionDenied:
            result.errors.append(RowError(p.row, CODE_HEADER, "bạn không được nhập báo cáo cho tổ chức này"))
            return
        except ValidationError as refused:
            result.errors.append(RowError(p.row, CODE_HEADER, "; ".join(m.rstrip(".") for m in refused.messages)))
            return
        p.flags = list(ret.flags or [])
