"""Importing the fund's old books (capital, loans, repayments), all or nothing.

Every row is read and checked against the database first, with every error collected by
Excel row and column header. Only a file without an error is written, in one transaction,
through the fund's services, so their rules and audit entries apply as for a form; if a
service still refuses a row, everything is rolled back and the refusal reported on its row.
Rows identical to what is already recorded count as "unchanged", so importing the same
file twice records nothing twice.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from hoptac.core.audit import log_action
from hoptac.core.formatting import vi_date, vi_money, vi_number
from hoptac.core.text import normalize
from hoptac.core.xlsx import NOTHING_IMPORTED, BadCell, FileProblem, RowError, Sheet
from hoptac.core.xlsx import blank as _blank
from hoptac.registry.models import Organization, Status

from .. import services
from ..models import CapitalMovement, CapitalSource, Loan, LoanStatus
from ..selectors import can_manage_fund, loans_with_money, position
from .books import CAPITAL, CODE, LOANS, OLD_BOOKS, REPAYMENTS, Book
from .reader import read_book, read_value

CHUNK = 500  # codes per IN (...) query: under every database's parameter limit
# Loan states in the import's messages, which are Vietnamese whatever the interface language.
STATUS_VI = {
    LoanStatus.APPLIED: "mới nộp hồ sơ",
    LoanStatus.APPRAISAL: "đang thẩm định",
    LoanStatus.APPROVED: "đã duyệt, chưa ký hợp đồng",
    LoanStatus.REJECTED: "đã từ chối",
    LoanStatus.CONTRACTED: "đã ký hợp đồng, chưa giải ngân",
    LoanStatus.ACTIVE: "đang vay",
    LoanStatus.CLOSED: "đã tất toán",
    LoanStatus.WRITTEN_OFF: "đã xóa nợ",
}


@dataclass
class FundImportResult:
    """What an import did, or why it did nothing."""

    book: str
    filename: str = ""
    rows: int = 0
    created: int = 0
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
            f"{verb} {vi_number(self.rows)} dòng: {vi_number(self.created)} ghi mới, "
            f"{vi_number(self.unchanged)} không đổi (đã có)."
        )


@dataclass
class Row:
    """A valid row: its Excel number, its values by column key; unchanged when already recorded as it is."""

    number: int
    data: dict[str, Any]
    unchanged: bool = False


def _messages(exc: ValidationError) -> str:
    return "; ".join(str(m).rstrip(".") for m in exc.messages)


def _chunks(values: list) -> list[list]:
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]


class _Import:
    """Reads and checks the rows of one book, then writes the valid plan."""

    book: Book
    limits: dict[str, int] = {}  # text columns' maximum lengths

    def __init__(self, *, by, filename: str):
        self.by = by
        self.filename = filename
        self.today = timezone.localdate()
        self.errors: list[RowError] = []

    def error(self, row: int, key: str, message: str) -> None:
        self.errors.append(RowError(row, self.book.header(key), message))

    def read(self, number: int, values: tuple, sheet: Sheet) -> dict[str, Any] | None:
        """The row's cells by column key, or None (with the errors recorded)."""
        before = len(self.errors)
        data: dict[str, Any] = {}
        for column in self.book.columns:
            index = sheet.columns.get(column.key)
            if index is None or column.informative:
                continue
            value = values[index] if index < len(values) else None
            if column.required and _blank(value):
                self.error(number, column.key, "bắt buộc, không được để trống")
                continue
            try:
                data[column.key] = read_value(column.kind, value, sheet.epoch)
            except BadCell as exc:
                self.error(number, column.key, str(exc))
        for key, limit in self.limits.items():
            if data.get(key) and len(data[key]) > limit:
                self.error(number, key, f"dài quá {limit} ký tự")
        return None if len(self.errors) > before else data

    def not_future(self, number: int, key: str, day: datetime.date | None) -> bool:
        if day and day > self.today:
            self.error(number, key, f"ngày {vi_date(day)} ở tương lai")
            return False
        return True

    def plan(self, sheet: Sheet) -> list[Row]:
        raise NotImplementedError

    def write(self, rows: list[Row], result: FundImportResult) -> None:
        raise NotImplementedError

    @property
    def note(self) -> str:
        return f"{OLD_BOOKS} (tệp {self.filename})" if self.filename else OLD_BOOKS


# ---------------------------------------------------------------- capital


class _Capital(_Import):
    book = CAPITAL
    limits = {"document": 100}

    def plan(self, sheet: Sheet) -> list[Row]:
        sources = {normalize(s.name): s for s in CapitalSource.objects.all()}
        known = (
            ", ".join(f"“{s.name}”" for s in sorted(sources.values(), key=lambda s: s.name)) or "(chưa có nguồn nào)"
        )
        rows = []
        for number, values in sheet.rows:
            data = self.read(number, values, sheet)
            if data is None:
                continue
            ok = self.not_future(number, "on", data["on"])
            source = sources.get(normalize(data["source"]))
            if source is None:
                self.error(
                    number,
                    "source",
                    f"nguồn vốn “{data['source']}” chưa được khai báo; các nguồn đã có: {known} "
                    "(cán bộ Quỹ thêm nguồn mới trước khi nhập)",
                )
                ok = False
            if data["amount"] == 0:
                self.error(number, "amount", "số tiền không được bằng 0")
                ok = False
            if ok:
                data["source"] = source
                data.setdefault("document", "")
                data.setdefault("note", "")
                rows.append(Row(number, data))
        if not rows:
            return rows

        # A row identical to a recorded movement is one already imported; count each recorded one once.
        days = [r.data["on"] for r in rows]
        existing = Counter(
            CapitalMovement.objects.filter(on__gte=min(days), on__lte=max(days)).values_list(
                "source_id", "on", "amount", "document"
            )
        )
        for r in rows:
            key = (r.data["source"].pk, r.data["on"], r.data["amount"], r.data["document"])
            if existing[key]:
                existing[key] -= 1
                r.unchanged = True

        # Written in date order, contributions before withdrawals of the same day: a withdrawal is
        # checked against the capital of its day as the service will see it.
        new = sorted((r for r in rows if not r.unchanged), key=lambda r: (r.data["on"], r.data["amount"] < 0, r.number))
        recorded = sorted(CapitalMovement.objects.values_list("on", "amount"))
        added = 0
        for r in new:
            on, amount = r.data["on"], r.data["amount"]
            if amount < 0:
                capital = sum(a for day, a in recorded if day <= on) + added
                if capital + amount < 0:
                    self.error(
                        r.number,
                        "amount",
                        f"rút {vi_money(-amount)} lớn hơn tổng nguồn vốn của Quỹ ngày {vi_date(on)} "
                        f"({vi_money(capital)})",
                    )
                    continue
            added += amount
        return [r for r in rows if r.unchanged] + new

    def write(self, rows: list[Row], result: FundImportResult) -> None:
        for r in rows:
            if r.unchanged:
                result.unchanged += 1
                continue
            try:
                services.capital_record(
                    source=r.data["source"],
                    on=r.data["on"],
                    amount=r.data["amount"],
                    by=self.by,
                    document=r.data["document"],
                    note=r.data["note"] or self.note,
                )
            except ValidationError as exc:
                self.error(r.number, "amount", f"không ghi được: {_messages(exc)}")
                continue
            result.created += 1


# ---------------------------------------------------------------- loans


def _loan_differences(loan: Loan, data: dict) -> list[str]:
    """What in the row differs from the recorded loan, as "column: recorded ≠ in the file"."""
    disbursements = list(loan.disbursements.all())
    first = min((d.on for d in disbursements), default=None)
    pairs = [
        (LOANS.header("borrower"), loan.borrower.code, data["borrower"].code),
        (LOANS.header("disbursed_on"), vi_date(first), vi_date(data["disbursed_on"])),
        (LOANS.header("amount"), vi_number(sum(d.amount for d in disbursements)), vi_number(data["amount"])),
        (
            LOANS.header("rate"),
            vi_number(loan.annual_rate, 2) if loan.annual_rate is not None else "",
            vi_number(data["rate"], 2),
        ),
        (LOANS.header("term"), str(loan.term_months or ""), str(data["term"])),
        (LOANS.header("every"), str(loan.principal_every_months), str(data["every"])),
    ]
    return [f"{header}: đã ghi {old or '(trống)'}, trong tệp {new}" for header, old, new in pairs if old != new]


class _Loans(_Import):
    book = LOANS
    limits = {"code": Loan._meta.get_field("code").max_length}

    def plan(self, sheet: Sheet) -> list[Row]:
        code_index = sheet.columns["code"]
        read = []
        first_row: dict[str, int] = {}
        for number, values in sheet.rows:
            code = read_value(CODE, values[code_index] if code_index < len(values) else None, None)
            if code and code in first_row:
                self.error(number, "code", f"mã khoản vay “{code}” trùng với dòng {first_row[code]}")
                continue
            if code:
                first_row[code] = number
            data = self.read(number, values, sheet)
            if data is not None:
                read.append(Row(number, data))

        borrower_codes = sorted({r.data["borrower"] for r in read})
        borrowers: dict[str, Organization] = {}
        for chunk in _chunks(borrower_codes):
            borrowers.update({o.code: o for o in Organization.objects.filter(code__in=chunk)})
        loan_codes = [r.data["code"] for r in read]
        existing: dict[str, Loan] = {}
        for chunk in _chunks(loan_codes):
            existing.update(
                {
                    loan.code: loan
                    for loan in Loan.objects.filter(code__in=chunk)
                    .select_related("borrower")
                    .prefetch_related("disbursements")
                }
            )

        rows = [r for r in read if self.check(r, borrowers, existing)]
        self.check_overdue([r for r in rows if not r.unchanged])
        return rows

    def check_overdue(self, rows: list[Row]) -> None:
        """A borrower's recorded loan overdue on the disbursement day: the approval would refuse the new one.

        Only loans already in the database count (see write()); the usual cause is their
        repayments not being imported yet, so the message says what to import first.
        """
        ids = sorted({r.data["borrower"].pk for r in rows})
        active: dict[int, list[Loan]] = defaultdict(list)
        for chunk in _chunks(ids):
            for loan in loans_with_money(Loan.objects.filter(borrower_id__in=chunk, status=LoanStatus.ACTIVE)):
                active[loan.borrower_id].append(loan)
        for r in rows:
            on = r.data["disbursed_on"]
            for loan in active[r.data["borrower"].pk]:
                pos = position(loan, on)
                if pos.days_past_due:
                    self.error(
                        r.number,
                        "borrower",
                        f"khoản vay “{loan.code}” của bên vay quá hạn {pos.days_past_due} ngày vào ngày {vi_date(on)}; "
                        "nếu đã trả, hãy nhập sổ thu nợ của khoản vay đó trước",
                    )

    def check(self, r: Row, borrowers: dict, existing: dict) -> bool:
        data, number = r.data, r.number
        before = len(self.errors)
        on = data["disbursed_on"]
        self.not_future(number, "disbursed_on", on)
        if data["amount"] == 0:
            self.error(number, "amount", "số tiền giải ngân phải lớn hơn 0")
        if data["every"] > data["term"]:
            self.error(
                number,
                "every",
                f"kỳ trả gốc {data['every']} tháng dài hơn thời hạn vay {data['term']} tháng",
            )
        org = borrowers.get(data["borrower"])
        if org is None:
            self.error(number, "borrower", f"không có tổ chức mã số “{data['borrower']}” trong danh sách tổ chức")
        elif org.archived_on:
            self.error(number, "borrower", f"tổ chức mã số “{org.code}” (“{org.name}”) đã lưu trữ")
        elif on < org.founded_on:
            self.error(
                number,
                "disbursed_on",
                f"ngày giải ngân {vi_date(on)} trước ngày thành lập của bên vay “{org.name}” "
                f"({vi_date(org.founded_on)})",
            )
        elif on <= self.today and org.status_on(on) != Status.ACTIVE:
            self.error(
                number,
                "disbursed_on",
                f"ngày {vi_date(on)} bên vay “{org.name}” không hoạt động ({Status(org.status_on(on)).label.lower()})",
            )
        if len(self.errors) > before:
            return False
        data["borrower"] = org
        loan = existing.get(data["code"])
        if loan is None:
            return True
        differences = _loan_differences(loan, data)
        if loan.status not in (LoanStatus.ACTIVE, LoanStatus.CLOSED, LoanStatus.WRITTEN_OFF):
            self.error(
                number,
                "code",
                f"mã khoản vay “{loan.code}” đã dùng cho một hồ sơ chưa giải ngân ({STATUS_VI[loan.status]})",
            )
            return False
        if differences:
            self.error(
                number,
                "code",
                f"khoản vay “{loan.code}” đã có và khác dòng này ({'; '.join(differences)}); khoản vay đã ký không "
                "sửa bằng cách nhập tệp",
            )
            return False
        r.unchanged = True
        return True

    def write(self, rows: list[Row], result: FundImportResult) -> None:
        result.unchanged += sum(1 for r in rows if r.unchanged)
        new = sorted((r for r in rows if not r.unchanged), key=lambda r: (r.data["disbursed_on"], r.number))
        # Every new loan is approved before any is disbursed: the approval refuses a borrower with an
        # overdue loan, and a loan of this same file looks overdue only because its repayments, in the
        # repayment book, are not imported yet. Loans already disbursed in the database are checked.
        approved = []
        for r in new:
            data, on = r.data, r.data["disbursed_on"]
            try:
                loan = services.loan_apply(
                    borrower=data["borrower"],
                    product=None,
                    code=data["code"],
                    project_name=(data.get("purpose") or OLD_BOOKS)[:300],
                    purpose=data.get("purpose") or "",
                    amount=data["amount"],
                    term_months=data["term"],
                    on=on,
                    by=self.by,
                )
                services.loan_approve(
                    loan=loan,
                    amount=data["amount"],
                    decision_number=OLD_BOOKS,
                    decision_on=on,
                    approver=OLD_BOOKS,
                    by=self.by,
                    term_months=data["term"],
                    annual_rate=data["rate"],
                    principal_every_months=data["every"],
                    interest_every_months=data["every"],
                )
            except ValidationError as exc:
                self.error(r.number, "code", f"không ghi được khoản vay: {_messages(exc)}")
                continue
            approved.append((r, loan))
        for r, loan in approved:
            try:
                services.loan_contract(loan=loan, number=OLD_BOOKS, on=r.data["disbursed_on"], by=self.by)
                services.loan_disburse(
                    loan=loan, amount=r.data["amount"], on=r.data["disbursed_on"], by=self.by, document=OLD_BOOKS
                )
            except ValidationError as exc:
                self.error(r.number, "disbursed_on", f"không ghi được việc giải ngân: {_messages(exc)}")
                continue
            result.created += 1


# ---------------------------------------------------------------- repayments


class _Repayments(_Import):
    book = REPAYMENTS
    limits = {"document": 100}

    def plan(self, sheet: Sheet) -> list[Row]:
        read = []
        for number, values in sheet.rows:
            data = self.read(number, values, sheet)
            if data is None:
                continue
            data["principal"] = data.get("principal") or 0
            data["interest"] = data.get("interest") or 0
            data.setdefault("document", "")
            ok = self.not_future(number, "on", data["on"])
            if data["principal"] == 0 and data["interest"] == 0:
                self.error(number, "principal", "tiền gốc và tiền lãi không được cùng bằng 0")
                ok = False
            if ok:
                read.append(Row(number, data))

        loans: dict[str, Loan] = {}
        codes = sorted({r.data["code"] for r in read})
        for chunk in _chunks(codes):
            loans.update({loan.code: loan for loan in loans_with_money(Loan.objects.filter(code__in=chunk))})

        by_loan: dict[str, list[Row]] = defaultdict(list)
        for r in read:
            loan = loans.get(r.data["code"])
            if loan is None:
                self.error(r.number, "code", f"không có khoản vay mã “{r.data['code']}”")
                continue
            r.data["loan"] = loan
            by_loan[loan.code].append(r)

        rows = []
        for code in sorted(by_loan):
            rows += self.check_loan(loans[code], sorted(by_loan[code], key=lambda r: (r.data["on"], r.number)))
        return rows

    def check_loan(self, loan: Loan, rows: list[Row]) -> list[Row]:
        """The rows of one loan in date order: matched to recorded payments, or checked as the service will."""
        recorded = list(loan.repayments.all())
        existing = Counter((p.on, p.principal, p.overdue_interest + p.interest) for p in recorded)
        new = []
        for r in rows:
            key = (r.data["on"], r.data["principal"], r.data["interest"])
            if existing[key]:
                existing[key] -= 1
                r.unchanged = True
            else:
                new.append(r)
        if not new:
            return rows
        if loan.status != LoanStatus.ACTIVE:
            state = STATUS_VI[loan.status]
            if loan.status == LoanStatus.CLOSED and loan.closed_on:
                state = f"đã tất toán ngày {vi_date(loan.closed_on)}"
            for r in new:
                self.error(r.number, "code", f"khoản vay “{loan.code}” không nhận trả nợ ({state})")
            return []

        disbursements = sorted((d.on, d.amount) for d in loan.disbursements.all())
        first = disbursements[0][0]
        last_recorded = max((p.on for p in recorded), default=None)
        repaid = sum(p.principal for p in recorded)
        closed_on = None
        valid = [r for r in rows if r.unchanged]
        for r in new:
            on, principal = r.data["on"], r.data["principal"]
            if on < first:
                self.error(r.number, "on", f"ngày trả {vi_date(on)} trước ngày giải ngân {vi_date(first)}")
                continue
            if last_recorded and on < last_recorded:
                self.error(
                    r.number,
                    "on",
                    f"khoản vay “{loan.code}” đã có khoản trả ngày {vi_date(last_recorded)}; chỉ nhập được các "
                    "khoản trả từ ngày đó trở đi",
                )
                continue
            if closed_on:
                self.error(r.number, "code", f"khoản vay “{loan.code}” đã trả hết gốc ngày {vi_date(closed_on)}")
                continue
            owed = sum(amount for day, amount in disbursements if day <= on) - repaid
            if principal > owed:
                self.error(
                    r.number,
                    "principal",
                    f"tiền gốc {vi_money(principal)} lớn hơn dư nợ {vi_money(owed)} của khoản vay “{loan.code}” "
                    f"ngày {vi_date(on)}",
                )
                continue
            repaid += principal
            if principal == owed:
                closed_on = on
            valid.append(r)
        return valid

    def write(self, rows: list[Row], result: FundImportResult) -> None:
        for r in rows:
            if r.unchanged:
                result.unchanged += 1
                continue
            data = r.data
            loan, on, principal, interest = data["loan"], data["on"], data["principal"], data["interest"]
            try:
                services.repayment_record(
                    loan=loan,
                    on=on,
                    amount=principal + interest,
                    split=(principal, interest),
                    by=self.by,
                    document=data["document"],
                    note=self.note,
                )
            except ValidationError as exc:
                if "amount" in getattr(exc, "message_dict", {}):
                    fresh = loans_with_money(Loan.objects.filter(pk=loan.pk)).get()
                    owed = position(fresh, on).outstanding
                    message = f"tiền gốc {vi_money(principal)} lớn hơn dư nợ {vi_money(owed)} ngày {vi_date(on)}"
                    self.error(r.number, "principal", message)
                else:
                    self.error(r.number, "on", f"không ghi được khoản trả: {_messages(exc)}")
                continue
            result.created += 1


# ---------------------------------------------------------------- the entry point

IMPORTERS = {"capital": _Capital, "loans": _Loans, "repayments": _Repayments}


def import_book(book: str, file, *, by=None, filename: str = "", dry_run: bool = False) -> FundImportResult:
    """Import one of the fund's books (capital, loans or repayments) from an .xlsx file, all or nothing.

    Any error anywhere leaves the database untouched; the result lists every error by Excel
    row and column header, in Vietnamese. ``by`` is the importing user (None from the command
    without --user). With dry_run everything is checked, the services' own rules included,
    and rolled back.
    """
    if by is not None and not can_manage_fund(by):
        raise PermissionDenied("only the fund's staff import its books")
    importer = IMPORTERS[book](by=by, filename=filename)
    result = FundImportResult(book=book, filename=filename, dry_run=dry_run)
    try:
        sheet = read_book(importer.book, file, filename)
    except FileProblem as exc:
        result.errors.append(RowError(None, "", str(exc)))
        return result
    result.rows = len(sheet.rows)
    planned = importer.plan(sheet)
    if not importer.errors:
        with transaction.atomic():
            importer.write(planned, result)
            if importer.errors or dry_run:
                transaction.set_rollback(True)
            elif by is not None and result.created:
                log_action(
                    "fund.import.done",
                    instance=by,
                    user=by,
                    changes={
                        "book": book,
                        "file": filename,
                        "rows": result.rows,
                        "created": result.created,
                        "unchanged": result.unchanged,
                    },
                )
    if importer.errors:
        result.errors = sorted(importer.errors, key=lambda e: (e.row or 0, importer.book.position(e.column), e.message))
        result.created = result.unchanged = 0
    return result


def import_capital(file, **kwargs) -> FundImportResult:
    """The capital book: Ngày, Nguồn vốn, Số tiền (đồng) (negative: a withdrawal)."""
    return import_book("capital", file, **kwargs)


def import_loans(file, **kwargs) -> FundImportResult:
    """The loan book: one disbursed loan a row, recorded as approved and contracted on its disbursement day."""
    return import_book("loans", file, **kwargs)


def import_repayments(file, **kwargs) -> FundImportResult:
    """The repayment book: payments recorded with the principal / interest split as given."""
    return import_book("repayments", file, **kwargs)
