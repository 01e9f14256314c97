"""Crash safety: an import or a report killed mid-way (SIGKILL, a real process) leaves nothing half-done.

Each test runs the real manage.py command in a process of its own, on a scratch database with
records written through the services (a loan with its schedule, repayment and audit entries,
an issued report; ``scratch.populate``). The process stops itself at a set point of its work
(``scratch`` explains the hook), the test checks from outside that it is there (the import's
transaction open with rows already written, the report's file opened), then kills it with
SIGKILL: no signal handler, no ``finally``, as when a server loses power or the OOM killer
strikes. Afterwards every table is compared with what it was before, row by row, and the
fund's rules are checked through its selectors.
"""

import json
import os
import sqlite3

import pytest
from openpyxl import Workbook

from hoptac.registry import excel as registry_excel

from . import scratch

# django_db: pytest-django creates the test database the scratch databases are copied from.
pytestmark = [pytest.mark.slow, pytest.mark.django_db]

BORROWERS = 40  # organisations the fund import lends to (codes 2400000004 … 2400000043)
# The commands run with --skip-checks: the system checks have nothing to do with what is tested
# and would cost every process seconds.


@pytest.fixture(scope="module")
def base(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock():
        db = scratch.from_test_database(tmp_path_factory.mktemp("crash"), "base")
    try:
        db.helper("populate", "--borrowers", str(BORROWERS))
        yield db
    finally:
        db.drop()


@pytest.fixture(scope="module")
def fund_before(base) -> dict:
    """The fund's figures and rule check on the records populate wrote."""
    return invariants(base)


def invariants(db: scratch.Scratch) -> dict:
    return json.loads(db.helper("invariants").stdout)


@pytest.fixture
def db(base, tmp_path):
    copy = scratch.copy_of(base, tmp_path, "db")
    yield copy
    copy.drop()


def registry_file(path, rows: int) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(registry_excel.HEADERS)
    for i in range(rows):
        values = {
            "Mã số": f"24{90_000_000 + i:08d}",
            "Tên": f"Hợp tác xã Dịch vụ nông nghiệp Thử nghiệm số {i}",
            "Loại hình": "HTX",
            "Lĩnh vực": "Nông nghiệp",
            "Tỉnh": "Tỉnh Bắc Giang",
            "Huyện": "Huyện Tân Yên",
            "Xã": "Xã Quang Tiến",
            "Ngày thành lập": "15/03/2021",
            "Số thành viên": 12,
            "Vốn điều lệ (đồng)": "500.000.000",
        }
        ws.append([values.get(h) for h in registry_excel.HEADERS])
    wb.save(path)


def loans_file(path, rows: int) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            "Mã khoản vay",
            "Mã số bên vay",
            "Ngày giải ngân",
            "Số tiền giải ngân (đồng)",
            "Lãi suất (%/năm)",
            "Thời hạn (tháng)",
            "Kỳ trả gốc (tháng)",
            "Mục đích",
        ]
    )
    for i in range(rows):
        ws.append([f"SC-{i:03d}", f"24000000{4 + i:02d}", "15/02/2021", "100.000.000", "7,2", 24, 3, "Sổ cũ"])
    wb.save(path)


# The import, its file, the table whose N-th insert it stops after, and the rows of the file.
IMPORTS = {
    # --- several servers (issue #9): new organisations are inserted 500 to a statement, so the
    # first INSERT of 1000 rows is mid-way (it was one INSERT a row, paused at the 300th).
    "registry": (["import_organizations"], registry_file, "registry_organization", 1, 1000),
    # --- end several servers
    "fund": (["import_fund", "loans"], loans_file, "fund_disbursement", 20, BORROWERS),
}


def assert_mid_transaction(db: scratch.Scratch, table: str, inserted: int) -> None:
    """Seen from outside, the stopped process holds an open write transaction with rows in it."""
    if db.engine == "sqlite":
        conn = sqlite3.connect(db.name, timeout=0, isolation_level=None)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                conn.execute("BEGIN IMMEDIATE")
        finally:
            conn.close()
        return
    with db.connect() as conn:
        states = conn.execute(
            "SELECT state FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid() "
            "AND xact_start IS NOT NULL",
            [db.name],
        ).fetchall()
        assert states == [("idle in transaction",)]
        # Sequences are not transactional: they show the rows the open transaction has written.
        committed = conn.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"').fetchone()[0]
        sequence = conn.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table]).fetchone()[0]
        issued = conn.execute(f"SELECT last_value FROM {sequence}").fetchone()[0]
        assert issued >= committed + inserted


def before_count(contents: dict, table: str) -> int:
    name = table if table in contents["tables"] else f"public.{table}"
    return len(contents["tables"][name])


@pytest.mark.parametrize("book", sorted(IMPORTS))
def test_an_import_killed_mid_transaction_leaves_no_row_and_the_fund_holds(book, fund_before, db, tmp_path):
    command, write_file, table, pause_at, rows = IMPORTS[book]
    source = tmp_path / f"{book}.xlsx"
    write_file(source, rows)
    before = db.contents()
    assert fund_before["problems"] == [] and fund_before["loans"] == 1

    stderr = tmp_path / "import.err"
    process = db.start(
        "pause-after-inserts", table, str(pause_at), "--", *command, str(source), "--skip-checks", output=stderr
    )
    scratch.wait_until_stopped(process, stderr)
    assert_mid_transaction(db, table, pause_at)
    assert scratch.kill(process) == -9

    assert scratch.differences(before, db.contents()) == []
    if db.engine == "sqlite":
        with db.connect() as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert invariants(db) == fund_before

    # The database is not left locked or damaged: the same file imports in full afterwards.
    done = db.manage(*command, str(source), "--skip-checks")
    assert "Đã nhập" in done.stdout
    assert db.count(table) == before_count(before, table) + rows
    if book == "fund":
        after = invariants(db)
        assert after["problems"] == []
        assert after["loans"] == 1 + BORROWERS and after["outstanding"] > fund_before["outstanding"]


def test_a_report_killed_while_writing_its_file_leaves_no_partial_document(db, tmp_path):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    output = out_dir / "bao-cao-quy-1.pdf"
    command = ["quarterly_report", "--year", "2021", "--quarter", "1", "--as-of", "2021-03-31"]
    command += ["--format", "pdf", "--output", str(output), "--skip-checks"]
    before = db.contents()

    def killed_while_writing(label: str) -> None:
        stderr = tmp_path / f"{label}.err"
        process = db.start("pause-on-write", str(out_dir), "--", *command, output=stderr)
        scratch.wait_until_stopped(process, stderr)
        # Stopped with a file of out/ open for writing, before a byte of it is written.
        fds = f"/proc/{process.pid}/fd"
        assert any(os.readlink(f"{fds}/{fd}").startswith(str(out_dir)) for fd in os.listdir(fds))
        assert scratch.kill(process) == -9

    # No report yet: the killed run leaves none under the name, only its temporary file.
    killed_while_writing("first")
    assert not output.exists()
    assert all(name.startswith(".bao-cao-quy-1.pdf.") and name.endswith(".tmp") for name in os.listdir(out_dir))

    done = db.manage(*command)
    assert "Đã ghi" in done.stderr
    complete = output.read_bytes()
    assert complete.startswith(b"%PDF-") and complete.rstrip().endswith(b"%%EOF")

    # A report already there: the killed run leaves it whole, not truncated.
    killed_while_writing("second")
    assert output.read_bytes() == complete
    assert scratch.differences(before, db.contents()) == []
