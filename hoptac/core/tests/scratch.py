"""Scratch databases for tests that run ``manage.py`` in real processes: backups and crash safety.

A scratch database is a copy of the test database pytest-django migrated (a file for SQLite,
``CREATE DATABASE … TEMPLATE`` on PostgreSQL), so no test waits for the migrations again. The
processes reach it through DATABASE_URL and MEDIA_ROOT, as on a server. Names carry the process
id and a random part: the suite runs test files in parallel.

Run as a module, in a process whose DATABASE_URL points at a scratch database:

    python -m hoptac.core.tests.scratch populate [--borrowers N]
    python -m hoptac.core.tests.scratch invariants
    python -m hoptac.core.tests.scratch pause-after-inserts TABLE N -- import_organizations big.xlsx
    python -m hoptac.core.tests.scratch pause-on-write DIR -- quarterly_report … --output DIR/x.pdf

The two ``pause-…`` forms run a manage.py command as ``manage.py`` itself does, and stop the
process (SIGSTOP) at a set point of its work so that the test can look at it from outside and
kill it there: after the N-th INSERT into TABLE, or when it starts writing a file in DIR.
This is the test-only hook: it changes nothing the command does, it only says where it stops.
"""

import contextlib
import datetime
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[3]
D = datetime.date


@dataclass
class Scratch:
    """One database (and its MEDIA_ROOT) that processes started by a test work on."""

    engine: str  # "sqlite" or "postgresql"
    name: str  # the SQLite file, or the PostgreSQL database
    media_root: Path
    server: dict  # PostgreSQL: host, port, user, password

    @property
    def url(self) -> str:
        if self.engine == "sqlite":
            return f"sqlite:///{self.name}"
        s = self.server
        auth = quote(s["user"]) + (f":{quote(s['password'])}" if s["password"] else "")
        return f"postgres://{auth}@{s['host']}:{s['port']}/{self.name}"

    def env(self, **extra: str) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
        env.update(
            DATABASE_URL=self.url,
            MEDIA_ROOT=str(self.media_root),
            HOPTAC_VAR_DIR=str(self.media_root.parent),
            BACKUP_DIR=str(self.media_root.parent / "backups"),
            SECRET_KEY="scratch-" + "x" * 50,
            DJANGO_SETTINGS_MODULE="config.settings",
            DB_CONN_MAX_AGE="0",
            LOG_LEVEL="WARNING",
            PYTHONIOENCODING="utf-8",
        )
        env.update(extra)
        return env

    def manage(self, *args: str, check: bool = True, **env: str) -> subprocess.CompletedProcess:
        """manage.py ARGS in a process of its own; a failure shows its output."""
        return self._run([sys.executable, "manage.py", *args], check, env)

    def helper(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return self._run([sys.executable, "-m", "hoptac.core.tests.scratch", *args], check, {})

    def _run(self, command: list[str], check: bool, env: dict) -> subprocess.CompletedProcess:
        done = subprocess.run(command, cwd=ROOT, env=self.env(**env), capture_output=True, text=True, timeout=600)
        if check and done.returncode:
            raise AssertionError(f"{' '.join(command[1:])} → {done.returncode}\n{done.stdout}\n{done.stderr}")
        return done

    def start(self, *args: str, output: Path) -> subprocess.Popen:
        """A helper process in the background; its output goes to files (a full pipe would block it)."""
        with (output.parent / f"{output.name}.out").open("w") as out, output.open("w") as err:
            return subprocess.Popen(
                [sys.executable, "-m", "hoptac.core.tests.scratch", *args],
                cwd=ROOT,
                env=self.env(),
                stdout=out,
                stderr=err,
            )

    def connect(self):
        """A DB-API connection, closed at the end of its with block."""
        if self.engine == "sqlite":
            return contextlib.closing(sqlite3.connect(self.name, timeout=30))
        import psycopg

        return psycopg.connect(dbname=self.name, autocommit=True, **self.server)

    def drop(self) -> None:
        if self.engine == "sqlite":
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(self.name + suffix).unlink(missing_ok=True)
        else:
            with _admin(self.server) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    # -- looking inside, independently of the code under test

    def tables(self) -> list[str]:
        with self.connect() as conn:
            if self.engine == "sqlite":
                rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall()
                return [r[0] for r in rows]
            rows = conn.execute(
                "SELECT table_schema || '.' || table_name FROM information_schema.tables "
                "WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') "
                "ORDER BY 1"
            ).fetchall()
            return [r[0] for r in rows]

    def contents(self, *, sequences: bool = False) -> dict:
        """Every table's rows (every column, in a stable order) and the schema, found by introspection.

        Not through Django's models: a table no model knows is compared too.
        """
        result: dict = {"tables": {}}
        with self.connect() as conn:
            for table in self.tables():
                quoted = ".".join(f'"{part}"' for part in table.split("."))
                rows = [tuple(_plain(v) for v in row) for row in conn.execute(f"SELECT * FROM {quoted}").fetchall()]
                result["tables"][table] = sorted(rows, key=repr)
            if self.engine == "sqlite":
                schema = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
                result["schema"] = sorted(schema, key=repr)
            else:
                result["schema"] = sorted(
                    conn.execute(
                        "SELECT table_schema, table_name, column_name, data_type, is_nullable, column_default "
                        "FROM information_schema.columns WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
                    ).fetchall(),
                    key=repr,
                )
                definitions = conn.execute(
                    "SELECT schemaname, indexname, indexdef FROM pg_indexes "
                    "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') UNION ALL "
                    "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE connamespace NOT IN (SELECT oid FROM pg_namespace WHERE nspname LIKE 'pg\\_%' "
                    "OR nspname = 'information_schema')"
                ).fetchall()
                result["schema"] += sorted((a, b, _definition(c)) for a, b, c in definitions)
                result["extensions"] = sorted(conn.execute("SELECT extname FROM pg_extension").fetchall())
                if sequences:
                    result["sequences"] = sorted(
                        conn.execute("SELECT schemaname, sequencename, last_value FROM pg_sequences").fetchall(),
                        key=repr,
                    )
        return result

    def count(self, table: str) -> int:
        with self.connect() as conn:
            return conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]


def _definition(text: str) -> str:
    """An index or constraint's definition without casts and parentheses.

    PostgreSQL prints ``status = ANY (ARRAY[…])`` over varchar differently once the definition
    has been through pg_dump and pg_restore (same meaning, other casts); the rest must match.
    """
    return re.sub(r"::[a-z ]+(\[\])?|[()\s]", "", text)


def _plain(value):
    return bytes(value) if isinstance(value, memoryview) else value


def differences(before: dict, after: dict) -> list[str]:
    """What differs between two contents(), table by table, shortly (a full diff would be thousands of rows)."""
    problems = []
    for key in sorted(set(before) | set(after)):
        a, b = before.get(key) or [], after.get(key) or []
        if key != "tables" and a != b:
            problems.append(
                f"{key}: only before {[x for x in a if x not in b][:3]}, after {[x for x in b if x not in a][:3]}"
            )
    tables_before, tables_after = before["tables"], after["tables"]
    for table in sorted(set(tables_before) | set(tables_after)):
        a, b = tables_before.get(table), tables_after.get(table)
        if a is None or b is None:
            problems.append(f"{table}: only {'after' if a is None else 'before'}")
        elif a != b:
            gone = [r for r in a if r not in b]
            new = [r for r in b if r not in a]
            problems.append(f"{table}: {len(gone)} rows gone, {len(new)} rows new, e.g. {(gone + new)[:1]}")
    return problems


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------- making scratch databases


def _server() -> dict:
    from django.db import connection

    s = connection.settings_dict
    return {"host": s["HOST"] or "127.0.0.1", "port": s["PORT"] or 5432, "user": s["USER"], "password": s["PASSWORD"]}


def _admin(server: dict):
    import psycopg

    return psycopg.connect(dbname="postgres", autocommit=True, **server)


def _label(label: str) -> str:
    return f"hoptac_scratch_{label}_{os.getpid()}_{uuid.uuid4().hex[:8]}"


def from_test_database(directory: Path, label: str) -> Scratch:
    """A copy of the migrated test database; call with database access unblocked, outside a transaction.

    pytest-django creates the test database only for a session with tests that use one: the
    tests of a module that calls this are marked django_db.
    """
    from django.db import connection

    # Never a real database: the tests must ask pytest-django for one (a django_db mark).
    if not (connection.vendor == "sqlite" and connection.is_in_memory_db()) and not str(
        connection.settings_dict["NAME"]
    ).startswith("test_"):
        raise RuntimeError(f"{connection.settings_dict['NAME']} is not a test database")
    directory.mkdir(parents=True, exist_ok=True)
    media = directory / f"media-{label}"
    if connection.vendor == "sqlite":
        path = directory / f"{label}.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)  # the test database lives in memory
        target.close()
        return Scratch("sqlite", str(path), media, {})
    server, name, template = _server(), _label(label), connection.settings_dict["NAME"]
    connection.close()  # a template database must have no other session
    with _admin(server) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return Scratch("postgresql", name, media, server)


def copy_of(base: Scratch, directory: Path, label: str) -> Scratch:
    """Another scratch database with base's rows and a copy of its files."""
    directory.mkdir(parents=True, exist_ok=True)
    media = directory / f"media-{label}"
    if base.media_root.exists():
        shutil.copytree(base.media_root, media)
    if base.engine == "sqlite":
        path = directory / f"{label}.sqlite3"
        source, target = sqlite3.connect(base.name), sqlite3.connect(path)
        source.backup(target)
        source.close()
        target.close()
        return Scratch("sqlite", str(path), media, {})
    name = _label(label)
    with _admin(base.server) as admin:
        # A process the test killed may still have its session open for a moment.
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [base.name])
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{base.name}"')
    return Scratch("postgresql", name, media, base.server)


def empty(base: Scratch, directory: Path, label: str) -> Scratch:
    """A database with nothing in it (as createdb makes it), on base's engine and server."""
    directory.mkdir(parents=True, exist_ok=True)
    media = directory / f"media-{label}"
    if base.engine == "sqlite":
        return Scratch("sqlite", str(directory / f"{label}.sqlite3"), media, {})
    name = _label(label)
    with _admin(base.server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return Scratch("postgresql", name, media, base.server)


# ---------------------------------------------------------------- stopping a process at a set point


def wait_until_stopped(process: subprocess.Popen, stderr: Path, timeout: float = 300) -> None:
    """Block until the process has stopped itself (SIGSTOP); fail with its output if it ended instead."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pid, status = os.waitpid(process.pid, os.WUNTRACED | os.WNOHANG)
        if pid and os.WIFSTOPPED(status):
            return
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            raise AssertionError(f"the process ended ({process.returncode}) before its pause:\n{stderr.read_text()}")
        time.sleep(0.05)
    process.kill()
    raise AssertionError(f"the process did not reach its pause:\n{stderr.read_text()}")


def kill(process: subprocess.Popen) -> int:
    os.kill(process.pid, signal.SIGKILL)
    return process.wait(timeout=60)


def _pause_after_inserts(table: str, n: int) -> None:
    from django.db import connection

    statement = f'INSERT INTO "{table}" '
    seen = 0

    def pause(execute, sql, params, many, context):
        nonlocal seen
        result = execute(sql, params, many, context)
        if sql.startswith(statement):
            seen += 1
            if seen == n:
                os.kill(os.getpid(), signal.SIGSTOP)
        return result

    connection.execute_wrappers.append(pause)


def _pause_on_write(directory: str) -> None:
    """Stop at the first write into a file opened for writing in directory: after open() truncated it."""
    import io as _io

    directory = os.path.abspath(directory)
    std = {id(s) for s in (sys.stdout, sys.stderr, sys.stdout.buffer, sys.stderr.buffer)}

    def profile(frame, event, arg):
        if event != "c_call" or getattr(arg, "__name__", "") != "write":
            return
        owner = getattr(arg, "__self__", None)
        if arg is os.write or (isinstance(owner, (_io.BufferedWriter, _io.FileIO)) and id(owner) not in std):
            sys.setprofile(None)
            os.kill(os.getpid(), signal.SIGSTOP)

    def audit(event, args):
        if event != "open" or not isinstance(args[0], str):
            return
        mode, flags = args[1], args[2] if len(args) > 2 else 0
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR)
        )
        if writing and os.path.dirname(os.path.abspath(args[0])) == directory:
            sys.setprofile(profile)

    sys.addaudithook(audit)


# ---------------------------------------------------------------- what runs inside the processes


def populate(borrowers: int = 0) -> None:
    """Representative records through the services: organisations, a loan's whole life with an
    appraisal attachment, an issued report (its Word and PDF files), other files in MEDIA_ROOT."""
    from decimal import Decimal

    from django.apps import apps
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hoptac.briefing import services as briefing
    from hoptac.briefing.outputs import DEFAULT_TEMPLATE
    from hoptac.briefing.periods import QUARTER, make_period
    from hoptac.core.models import Department, Role, User
    from hoptac.fund import services as fund
    from hoptac.fund.models import CapitalSource, SourceKind
    from hoptac.geo.loader import load_units
    from hoptac.geo.models import AdminUnit, Level, UnitChange
    from hoptac.registry.services import organization_create
    from hoptac.returns import seed

    # Another test file of the same worker may have flushed the test database this was copied from.
    if not AdminUnit.objects.exists():
        load_units(AdminUnit, UnitChange)
    seed.load(apps)
    admin = User.objects.create_user("quantri", password="mat-khau-thu-nghiem-1", role=Role.ADMIN)
    staff = User.objects.create_user(
        "canbo-quy", password="mat-khau-thu-nghiem-1", role=Role.STAFF, department=Department.FUND
    )
    commune = AdminUnit.objects.valid_on(D(2021, 3, 15)).get(
        level=Level.COMMUNE, name="Xã Quang Tiến", parent__name="Huyện Tân Yên"
    )
    orgs = [
        organization_create(
            kind="HTX",
            sector="nong_nghiep",
            code=f"24000000{i:02d}",
            name=f"Hợp tác xã Nông nghiệp Quang Tiến số {i}",
            commune=commune,
            founded_on=D(2015, 5, 4),
            official_members=12,
            charter_capital=500_000_000,
            representative="Nguyễn Văn An",
            phone="0912 345 678",
            by=staff,
        )
        for i in range(1, 4 + borrowers)
    ]
    source = CapitalSource.objects.create(name="Ngân sách tỉnh", kind=SourceKind.PROVINCIAL_BUDGET)
    fund.capital_record(source=source, on=D(2020, 1, 2), amount=50_000_000_000, by=staff, document="QĐ 01")
    loan = fund.loan_apply(
        borrower=orgs[0],
        product=None,
        code="VAY-001",
        project_name="Mở rộng vùng trồng vải thiều",
        amount=500_000_000,
        term_months=36,
        on=D(2021, 1, 4),
        by=staff,
    )
    attachment = SimpleUploadedFile("biên bản thẩm định.pdf", b"%PDF-1.4\n% th\xe1\xba\xa9m \xc4\x91\xe1\xbb\x8bnh\n")
    fund.loan_appraise(
        loan=loan, on=D(2021, 1, 6), text="Dự án khả thi", by=staff, recommendation="approve", attachment=attachment
    )
    fund.loan_approve(
        loan=loan,
        amount=500_000_000,
        decision_number="12/QĐ-QHT",
        decision_on=D(2021, 1, 8),
        approver="Giám đốc Quỹ",
        by=staff,
        annual_rate=Decimal("7.2"),
        principal_every_months=3,
        interest_every_months=3,
    )
    fund.loan_contract(loan=loan, number="HĐ 01/2021", on=D(2021, 1, 10), by=staff)
    fund.loan_disburse(loan=loan, amount=500_000_000, on=D(2021, 1, 15), by=staff, document="PC 01")
    fund.repayment_record(loan=loan, on=D(2021, 4, 15), amount=50_000_000, by=staff, document="PT 01")

    template = SimpleUploadedFile("mẫu báo cáo.docx", DEFAULT_TEMPLATE.read_bytes())
    briefing.word_template_upload(file=template, note="Mẫu của văn phòng", by=admin)
    report = briefing.report_create(period=make_period(QUARTER, 2021, 1), as_of=D(2021, 3, 31), by=admin)
    briefing.report_issue(
        report=report, issued_on=D(2021, 4, 5), signer_name="Nguyễn Văn Bình", signer_title="Chủ tịch", by=admin
    )
    # No worker runs here: its files are written now, as the worker would (briefing/tasks.py).
    from hoptac.briefing.tasks import render_issued_files

    render_issued_files.call(report.pk)

    media = Path(settings.MEDIA_ROOT)
    (media / "original_images").mkdir(parents=True, exist_ok=True)
    (media / "original_images" / "ảnh hội nghị.jpg").write_bytes(os.urandom(300_000))
    (media / "thư mục" / "sâu hơn").mkdir(parents=True, exist_ok=True)
    (media / "thư mục" / "sâu hơn" / "rỗng.txt").write_bytes(b"")


def fund_invariants() -> dict:
    """The fund's rules over every loan, through its selectors; the problems found (none expected)."""
    from django.utils import timezone

    from hoptac.core.models import AuditEntry
    from hoptac.fund import selectors
    from hoptac.fund.models import Loan, LoanStatus

    problems = []
    today = timezone.localdate()
    lent = {LoanStatus.ACTIVE, LoanStatus.CLOSED, LoanStatus.WRITTEN_OFF}
    outstanding = 0
    loans = list(selectors.loans_with_money(Loan.objects.order_by("code")))
    for loan in loans:
        disbursements = sorted(loan.disbursements.all(), key=lambda d: (d.on, d.pk))
        disbursed = sum(d.amount for d in disbursements)
        if (loan.status in lent) != bool(disbursements):
            problems.append(f"{loan.code}: status {loan.status} with {len(disbursements)} disbursements")
            continue
        if disbursed > (loan.approved_amount or 0):
            problems.append(f"{loan.code}: disbursed {disbursed} > approved {loan.approved_amount}")
        for version in loan.schedules.all():
            due = sum(i.principal for i in version.instalments.all())
            then = sum(d.amount for d in disbursements if d.on <= version.effective_on)
            if due != then:
                problems.append(f"{loan.code} v{version.number}: schedule principal {due} ≠ disbursed {then}")
        if disbursements and not loan.schedules.all():
            problems.append(f"{loan.code}: disbursed without a schedule")
        for r in loan.repayments.all():
            if r.amount != r.overdue_interest + r.interest + r.principal:
                problems.append(f"{loan.code}: repayment {r.pk} split does not sum")
        pos = selectors.position(loan, today)
        repaid = sum(r.principal for r in loan.repayments.all())
        if pos.outstanding != disbursed - repaid - pos.written_off or pos.outstanding < 0:
            problems.append(f"{loan.code}: outstanding {pos.outstanding} ≠ {disbursed} − {repaid} − written off")
        if loan.status == LoanStatus.CLOSED and pos.outstanding:
            problems.append(f"{loan.code}: closed with {pos.outstanding} outstanding")
        for action, count in (
            ("fund.loan.disbursed", len(disbursements)),
            ("fund.loan.repaid", len(loan.repayments.all())),
        ):
            entries = AuditEntry.objects.filter(action=action, object_id=str(loan.pk)).count()
            if entries != count:
                problems.append(f"{loan.code}: {entries} “{action}” audit entries for {count} records")
        outstanding += pos.outstanding
    statement = selectors.fund_statement(as_of=today)
    if statement.outstanding != outstanding:
        problems.append(f"statement outstanding {statement.outstanding} ≠ sum of loans {outstanding}")
    if statement.outstanding > statement.capital:
        problems.append(f"outstanding {statement.outstanding} > capital {statement.capital}")
    return {"problems": problems, "loans": len(loans), "outstanding": outstanding, "capital": statement.capital}


def main(argv: list[str]) -> None:
    import django

    command, rest = argv[0], argv[1:]
    args, manage = (rest[: rest.index("--")], rest[rest.index("--") + 1 :]) if "--" in rest else (rest, [])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    if command == "populate":
        populate(borrowers=int(args[1]) if args[:1] == ["--borrowers"] else 0)
    elif command == "invariants":
        print(json.dumps(fund_invariants(), ensure_ascii=False))
    elif command in ("pause-after-inserts", "pause-on-write"):
        from django.core.management import execute_from_command_line

        if command == "pause-after-inserts":
            _pause_after_inserts(args[0], int(args[1]))
        else:
            _pause_on_write(args[0])
        execute_from_command_line(["manage.py", *manage])
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv[1:])
