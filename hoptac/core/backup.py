"""Backups: one archive with the database and the uploaded files, and the restore from it.

    python manage.py backup                     # BACKUP_DIR/hoptac-20210315-020000.tar.gz
    python manage.py restore FILE.tar.gz        # into an empty database; --force over one with data

An archive is a gzip'd tar that any ``tar`` opens (docs/backup.md). It holds
- ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the server runs)
  or ``database.pgdump`` (``pg_dump --format=custom``, taken in the snapshot the rows were counted in);
- ``media/…``: every file under MEDIA_ROOT;
- ``manifest.json``, written last so that its SHA-256 sums are of the very bytes archived: when,
  from which engine, the last migration applied per app, the rows of every table in the
  database (not only Django's models) and the path, size and SHA-256 of every file.

A restore checks everything before it touches anything: the archive reads to its end, every
file matches its sum, the engine is the one in use, the code knows the migrations. Then the
database is replaced in one transaction and a complete copy of the files is renamed into
place; last, every table's rows are counted against the manifest. Whatever fails says what
was and was not restored, and what to do.
"""

import datetime
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from hoptac.core.formatting import vi_number

FORMAT = "hoptac-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media/"
DUMP_NAME = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINE_VI = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
ARCHIVE_NAME = re.compile(r"^hoptac-(\d{8}-\d{6})(?:-(\d+))?\.tar\.gz$")
CHUNK = 1024 * 1024
# Every table of the database, whoever made it; not the databases' own catalogs.
PG_TABLES = """
    SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
    ORDER BY 1, 2
"""
SQLITE_TABLES = "SELECT NULL, name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message, in Vietnamese, says why and what to do."""


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    skipped: list[str] = field(default_factory=list)  # entries of MEDIA_ROOT that are not regular files
    removed: list[Path] = field(default_factory=list)  # older archives deleted by keep

    @property
    def rows(self) -> int:
        return sum(self.manifest["tables"].values())


@dataclass
class RestoreResult:
    manifest: dict
    rows: int
    files: int
    media_set_aside: Path | None = None  # the files MEDIA_ROOT held before, kept under this name
    pending_migrations: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- shared


def _engine() -> str:
    if connection.vendor not in DUMP_NAME:
        raise BackupError(f"Chỉ sao lưu và khôi phục được SQLite và PostgreSQL, không phải “{connection.vendor}”.")
    return connection.vendor


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _table_names(cursor, engine: str) -> list[tuple[str | None, str]]:
    cursor.execute(SQLITE_TABLES if engine == "sqlite" else PG_TABLES)
    return sorted(cursor.fetchall(), key=lambda row: (row[0] or "", row[1]))


def _row_counts(cursor, engine: str) -> dict[str, int]:
    """Rows of every table in the database, by name (schema.name on PostgreSQL), whoever created it."""
    counts = {}
    for schema, name in _table_names(cursor, engine):
        if schema is None:
            cursor.execute(f"SELECT COUNT(*) FROM {_quote(name)}")
            counts[name] = cursor.fetchone()[0]
        else:
            cursor.execute(f"SELECT COUNT(*) FROM ONLY {_quote(schema)}.{_quote(name)}")
            counts[f"{schema}.{name}"] = cursor.fetchone()[0]
    return counts


def _migrations(cursor) -> dict[str, str]:
    """The last migration applied to each app, as the database records it."""
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    last = {}
    for app, name in cursor.fetchall():
        last[app] = name
    return dict(sorted(last.items()))


def size_text(n: int) -> str:
    """A file's size as people read it: 820 KB, 48,2 MB."""
    if n < 1024 * 1024:
        return f"{vi_number(max(1, round(n / 1024)))} KB"
    return f"{vi_number(n / 1024 / 1024, 1)} MB"


def _files_under(root: Path) -> bool:
    return root.is_dir() and any(p.is_file() or p.is_symlink() for p in root.rglob("*"))


# -- PostgreSQL's own tools


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"Không tìm thấy chương trình {name} (của PostgreSQL). Hãy cài gói postgresql-client cùng phiên bản "
            f"với máy chủ (Debian/Ubuntu: apt-get install postgresql-client-{connection.pg_version // 10000})."
        )
    return path


def _tool_major(path: str) -> int:
    output = subprocess.run([path, "--version"], capture_output=True, text=True, check=False).stdout
    found = re.search(r"\)\s*(\d+)", output)  # "pg_dump (PostgreSQL) 15.20 (Debian …)"
    return int(found.group(1)) if found else 0


def _pg_command(tool: str, *options: str) -> tuple[list[str], dict]:
    """The tool's command line to the database in settings, with the environment psql would get."""
    settings_dict = connection.settings_dict
    _args, env = connection.client.settings_to_cmd_args_env(settings_dict, [])
    command = [tool]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            command.append(f"{flag}={settings_dict[key]}")
    if settings_dict.get("NAME"):
        command.append(f"--dbname={settings_dict['NAME']}")
    return command + list(options), {**os.environ, **(env or {})}


def _pg_errors(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return " / ".join(lines[-5:]) or "không rõ lỗi"


# ---------------------------------------------------------------- backup


class _Hashing:
    """A file read through SHA-256 as tarfile copies it: the sum is of the bytes archived."""

    def __init__(self, raw):
        self.raw = raw
        self.sha = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.sha.update(data)
        return data


def _add(tar: tarfile.TarFile, path: Path, name: str) -> dict:
    info = tar.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as raw:
        reader = _Hashing(raw)
        try:
            tar.addfile(info, reader)
        except OSError as exc:
            raise BackupError(f"Tệp “{path}” thay đổi trong lúc sao lưu ({exc}); hãy chạy lại lệnh.") from None
    return {"path": name, "size": info.size, "sha256": reader.sha.hexdigest()}


def _add_media(tar: tarfile.TarFile, media_root: Path, exclude: list[Path]) -> tuple[list[dict], list[str]]:
    files, skipped = [], []
    if not media_root.is_dir():
        return files, skipped
    excluded = {p.resolve() for p in exclude}
    for directory, subdirs, names in os.walk(media_root):
        here = Path(directory)
        subdirs[:] = sorted(d for d in subdirs if (here / d).resolve() not in excluded)
        for name in sorted(names):
            path = here / name
            relative = path.relative_to(media_root).as_posix()
            if path.is_symlink() or not path.is_file():
                skipped.append(relative)
                continue
            entry = _add(tar, path, MEDIA + relative)
            files.append({**entry, "path": relative})
    return files, skipped


def _sqlite_dump(target: Path) -> tuple[dict, dict, str]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        # One step: the whole database under one read lock, consistent while the server writes.
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        cursor = copy.cursor()
        return _row_counts(cursor, "sqlite"), _migrations(cursor), sqlite3.sqlite_version
    finally:
        copy.close()


def _pg_dump(target: Path) -> tuple[dict, dict, str]:
    tool = _pg_tool("pg_dump")
    server = connection.pg_version // 10000
    if _tool_major(tool) < server:
        raise BackupError(
            f"pg_dump trên máy này cũ hơn máy chủ PostgreSQL {server}; hãy cài postgresql-client-{server}."
        )
    if connection.in_atomic_block:
        raise BackupError("Không sao lưu được từ bên trong một giao dịch đang mở.")
    with transaction.atomic(), connection.cursor() as cursor:
        # The rows are counted, and pg_dump reads, in one snapshot: the manifest is the dump's.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        command, env = _pg_command(tool, "--format=custom", f"--snapshot={snapshot}", f"--file={target}")
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode:
            raise BackupError(f"pg_dump không sao lưu được cơ sở dữ liệu: {_pg_errors(done.stderr)}")
        counts, migrations = _row_counts(cursor, "postgresql"), _migrations(cursor)
    version = connection.pg_version
    return counts, migrations, f"{version // 10000}.{version % 10000}"


def _archive_path(directory: Path, when: datetime.datetime) -> Path:
    stem = f"hoptac-{when:%Y%m%d-%H%M%S}"
    path, n = directory / f"{stem}.tar.gz", 1
    while path.exists():
        n += 1
        path = directory / f"{stem}-{n}.tar.gz"
    return path


def backups_prune(*, directory: Path | str, keep: int) -> list[Path]:
    """Delete all but the keep newest archives of the backup command in directory; the paths deleted.

    Only files named as the command names them (hoptac-YYYYmmdd-HHMMSS.tar.gz) are considered.
    """
    found = {p: ARCHIVE_NAME.match(p.name) for p in Path(directory).iterdir() if p.is_file()}
    # The name is the time it was made (and a number after it, for two in one second).
    archives = sorted((p for p, m in found.items() if m), key=lambda p: (found[p][1], int(found[p][2] or 1)))
    removed = archives[: -max(keep, 1)]
    for path in removed:
        path.unlink()
    return removed


def backup_create(*, directory: Path | str | None = None, keep: int | None = None) -> BackupResult:
    """Write one archive of the database and MEDIA_ROOT into directory (BACKUP_DIR by default).

    The archive appears under its final name only when complete (written beside it, then
    renamed), readable by its owner only: it holds password hashes and personal data. With
    keep, only the keep newest archives of the directory are kept.
    """
    engine = _engine()
    directory = Path(directory or settings.BACKUP_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    created = timezone.localtime()
    staging = Path(tempfile.mkdtemp(prefix=".dang-sao-luu-", dir=directory))
    handle, partial = tempfile.mkstemp(prefix=".dang-ghi-", suffix=".tar.gz", dir=directory)
    try:
        with os.fdopen(handle, "wb") as raw:
            dump = staging / DUMP_NAME[engine]
            tables, migrations, server = (_sqlite_dump if engine == "sqlite" else _pg_dump)(dump)
            with tarfile.open(fileobj=raw, mode="w:gz", format=tarfile.PAX_FORMAT) as tar:
                database = _add(tar, dump, DUMP_NAME[engine])
                files, skipped = _add_media(tar, media_root, exclude=[directory])
                manifest = {
                    "format": FORMAT,
                    "version": FORMAT_VERSION,
                    "created_at": created.isoformat(timespec="seconds"),
                    "engine": engine,
                    "server_version": server,
                    "django": django.get_version(),
                    "database": database,
                    "migrations": migrations,
                    "tables": tables,
                    "files": files,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(created.timestamp()), 0o644
                tar.addfile(info, io.BytesIO(data))
            raw.flush()
            os.fsync(raw.fileno())
        path = _archive_path(directory, created)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    removed = backups_prune(directory=directory, keep=keep) if keep else []
    return BackupResult(path=path, manifest=manifest, skipped=skipped, removed=removed)


# ---------------------------------------------------------------- checking an archive


def _corrupt(archive: Path, reason: object) -> BackupError:
    return BackupError(
        f"Tệp sao lưu “{archive}” bị hỏng hoặc không đầy đủ (có thể bị cắt ngắn khi sao chép): {reason}. "
        "Không có gì bị thay đổi. Hãy dùng một bản sao lưu khác, hoặc sao chép lại tệp này."
    )


def _unpack(archive: Path, staging: Path) -> dict:
    """Extract the archive into staging, checking every entry; the manifest, once all is verified."""
    names = {MANIFEST, *DUMP_NAME.values()}
    found: dict[str, tuple[int, str]] = {}
    manifest_bytes = None
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                name = member.name
                if not (name in names or name.startswith(MEDIA)) or not member.isfile():
                    raise BackupError(
                        f"“{archive}” có mục lạ “{name}”: đây không phải bản sao lưu do lệnh backup tạo ra. "
                        "Không có gì bị thay đổi."
                    )
                try:
                    tarfile.data_filter(member, str(staging))
                except tarfile.FilterError:
                    raise BackupError(
                        f"“{archive}” có đường dẫn không an toàn “{name}”; không khôi phục. Không có gì bị thay đổi."
                    ) from None
                source = tar.extractfile(member)
                if name == MANIFEST:
                    manifest_bytes = source.read()
                    continue
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                sha, size = hashlib.sha256(), 0
                with target.open("wb") as out:
                    while chunk := source.read(CHUNK):
                        sha.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                os.utime(target, (member.mtime, member.mtime))
                found[name] = (size, sha.hexdigest())
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise _corrupt(archive, exc) from None
    except OSError as exc:
        raise BackupError(f"Lỗi đọc / ghi khi giải nén “{archive}”: {exc}. Không có gì bị thay đổi.") from None
    if manifest_bytes is None:
        raise BackupError(f"“{archive}” không có {MANIFEST}: đây không phải bản sao lưu do lệnh backup tạo ra.")
    try:
        manifest = json.loads(manifest_bytes)
        expected = {manifest["database"]["path"]: manifest["database"]}
        expected.update({MEDIA + f["path"]: f for f in manifest["files"]})
        ok = (
            manifest["format"] == FORMAT
            and isinstance(manifest["version"], int)
            and isinstance(manifest["tables"], dict)
            and manifest["database"]["path"] == DUMP_NAME.get(manifest["engine"])
        )
    except (ValueError, KeyError, TypeError):
        ok = False
    if not ok:
        raise _corrupt(archive, f"{MANIFEST} không đọc được")
    if manifest["version"] > FORMAT_VERSION:
        raise BackupError("Bản sao lưu này do một phiên bản mới hơn của phần mềm tạo ra; hãy cập nhật phần mềm trước.")

    missing = sorted(set(expected) - set(found))
    extra = sorted(set(found) - set(expected))
    changed = sorted(n for n in set(expected) & set(found) if found[n] != (expected[n]["size"], expected[n]["sha256"]))
    problems = []
    if missing:
        problems.append(f"thiếu {vi_number(len(missing))} tệp ({', '.join(missing[:5])})")
    if extra:
        problems.append(f"có {vi_number(len(extra))} tệp không ghi trong bản kê ({', '.join(extra[:5])})")
    if changed:
        problems.append(
            f"{vi_number(len(changed))} tệp không khớp mã kiểm tra SHA-256 ({', '.join(changed[:5])}): "
            "bản sao lưu đã bị sửa hoặc bị hỏng"
        )
    if problems:
        raise BackupError(f"Bản sao lưu “{archive}” không toàn vẹn: {'; '.join(problems)}. Không có gì bị thay đổi.")
    return manifest


def _check_fits(manifest: dict, engine: str) -> None:
    """The archive is of the engine in use, and the code knows every migration it records."""
    if manifest["engine"] != engine:
        raise BackupError(
            f"Bản sao lưu này của {ENGINE_VI.get(manifest['engine'], manifest['engine'])}, còn hệ thống đang dùng "
            f"{ENGINE_VI[engine]} (biến DATABASE_URL). Chỉ khôi phục được vào cùng loại cơ sở dữ liệu. "
            "Không có gì bị thay đổi."
        )
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces or [])
    apps = {app for app, _name in known}
    newer = [
        f"{app}.{name}" for app, name in manifest["migrations"].items() if app in apps and (app, name) not in known
    ]
    if newer:
        raise BackupError(
            f"Bản sao lưu có migration mà mã nguồn này chưa có ({', '.join(newer[:5])}): nó được tạo bởi một phiên "
            "bản mới hơn của phần mềm. Hãy cập nhật phần mềm (git pull) rồi khôi phục. Không có gì bị thay đổi."
        )


def backup_check(*, archive: Path | str) -> dict:
    """Read an archive to its end and check every file against its SHA-256; its manifest. Nothing is written."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu “{archive}”.")
    staging = Path(tempfile.mkdtemp(prefix=".kiem-tra-sao-luu-"))
    try:
        return _unpack(archive, staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# ---------------------------------------------------------------- restore


def _refuse_unless_empty(engine: str, media_root: Path, force: bool) -> None:
    if media_root.exists() and os.path.ismount(media_root):
        raise BackupError(
            f"MEDIA_ROOT ({media_root}) là một điểm gắn ổ đĩa; lệnh khôi phục cần đổi tên được thư mục này. Hãy đặt "
            f"MEDIA_ROOT là một thư mục con trên ổ đó (ví dụ {media_root / 'media'}). Không có gì bị thay đổi."
        )
    try:
        with connection.cursor() as cursor:
            tables = _table_names(cursor, engine)
    except DatabaseError as exc:
        raise BackupError(
            f"Không mở được cơ sở dữ liệu đích ({exc}). Với PostgreSQL, hãy tạo trước một cơ sở dữ liệu trống "
            "(createdb) và trỏ DATABASE_URL vào đó. Không có gì bị thay đổi."
        ) from None
    has_files = _files_under(media_root)
    if force or (not tables and not has_files):
        return
    what = []
    if tables:
        what.append(f"cơ sở dữ liệu đã có dữ liệu ({vi_number(len(tables))} bảng)")
    if has_files:
        what.append(f"thư mục tệp tải lên {media_root} đã có tệp")
    raise BackupError(
        f"Không khôi phục: {' và '.join(what)}. Khôi phục sẽ thay toàn bộ dữ liệu và tệp hiện có bằng nội dung của "
        "bản sao lưu. Nếu chắc chắn, hãy sao lưu dữ liệu hiện tại trước (python manage.py backup) rồi chạy lại lệnh "
        "với --force."
    )


def _refuse_foreign_tables(manifest: dict) -> None:
    # pg_restore --clean drops only what the archive has: a table it lacks would stay behind.
    with connection.cursor() as cursor:
        foreign = [f"{s}.{n}" for s, n in _table_names(cursor, "postgresql") if f"{s}.{n}" not in manifest["tables"]]
    if foreign:
        raise BackupError(
            f"Cơ sở dữ liệu đích có {vi_number(len(foreign))} bảng không có trong bản sao lưu "
            f"({', '.join(foreign[:5])}), có thể của một phiên bản mới hơn. Hãy khôi phục vào một cơ sở dữ liệu "
            "trống (createdb) rồi trỏ DATABASE_URL vào đó. Không có gì bị thay đổi."
        )


def _sqlite_restore(dump: Path) -> None:
    name = str(connection.settings_dict["NAME"])
    connection.close()
    source, target = sqlite3.connect(dump), sqlite3.connect(name)
    try:
        # One step, in one write transaction of the target: all of it or, on failure, none of it.
        source.backup(target)
    except sqlite3.Error as exc:
        raise BackupError(
            f"Không ghi được cơ sở dữ liệu SQLite “{name}”: {exc}. Cơ sở dữ liệu không thay đổi; hãy dừng máy chủ "
            "web (nó có thể đang giữ tệp) rồi chạy lại."
        ) from None
    finally:
        source.close()
        target.close()


def _pg_restore(dump: Path, force: bool, staging: Path) -> None:
    tool = _pg_tool("pg_restore")
    listing = subprocess.run([tool, "--list", str(dump)], capture_output=True, text=True, check=False)
    if listing.returncode:
        raise BackupError(
            f"pg_restore không đọc được bản kết xuất ({_pg_errors(listing.stderr)}); có thể pg_restore cũ hơn "
            "máy đã sao lưu. Không có gì bị thay đổi."
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension")
        installed = {row[0] for row in cursor.fetchall()}
    connection.close()
    # Extensions already there are kept as they are (only their owner, often a superuser, may drop
    # or comment them); the others are created, as the migrations would.
    entries = []
    for line in listing.stdout.splitlines():
        extension = re.search(r"\d+ (COMMENT - EXTENSION|EXTENSION -) (\S+)", line)
        if extension and (extension.group(1).startswith("COMMENT") or extension.group(2) in installed):
            continue
        entries.append(line)
    toc = staging / "toc.list"
    toc.write_text("\n".join(entries) + "\n", encoding="utf-8")
    options = ["--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges", f"--use-list={toc}"]
    if force:
        options += ["--clean", "--if-exists"]
    command, env = _pg_command(tool, *options, str(dump))
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise BackupError(
            f"pg_restore báo lỗi: {_pg_errors(done.stderr)}. Mọi thay đổi đã được huỷ (khôi phục chạy trong một "
            "giao dịch): cơ sở dữ liệu vẫn như trước khi chạy lệnh, các tệp tải lên chưa bị động đến."
        )


def _install_media(staged: Path, media_root: Path, when: datetime.datetime) -> Path | None:
    """Rename the complete copy into place; files MEDIA_ROOT held before are kept beside it."""
    staged.mkdir(exist_ok=True)
    set_aside = None
    if media_root.exists():
        if _files_under(media_root):
            set_aside = media_root.with_name(f"{media_root.name}.truoc-khoi-phuc-{when:%Y%m%d-%H%M%S}")
            media_root.rename(set_aside)
        else:
            shutil.rmtree(media_root)
    staged.rename(media_root)
    return set_aside


def _pending_migrations() -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def backup_restore(*, archive: Path | str, force: bool = False) -> RestoreResult:
    """Replace the database and MEDIA_ROOT with an archive's, after checking all of it.

    Refuses a database with tables, or a MEDIA_ROOT with files, unless force. Stop the web
    server first: it would keep writing to what is being replaced.
    """
    engine = _engine()
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu “{archive}”.")
    media_root = Path(settings.MEDIA_ROOT)
    _refuse_unless_empty(engine, media_root, force)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    # Beside MEDIA_ROOT, so the files are renamed into place, not copied.
    staging = Path(tempfile.mkdtemp(prefix=f".{media_root.name}.khoi-phuc-", dir=media_root.parent))
    try:
        manifest = _unpack(archive, staging)
        _check_fits(manifest, engine)
        if force and engine == "postgresql":
            _refuse_foreign_tables(manifest)
        dump = staging / DUMP_NAME[engine]
        if engine == "sqlite":
            _sqlite_restore(dump)
        else:
            _pg_restore(dump, force, staging)
        # From here on the database is the archive's: a failure must say so.
        try:
            set_aside = _install_media(staging / MEDIA.rstrip("/"), media_root, timezone.localtime())
        except OSError as exc:
            raise BackupError(
                f"Cơ sở dữ liệu ĐÃ được khôi phục, nhưng các tệp tải lên CHƯA được đặt vào {media_root}: {exc}. "
                "Đừng mở hệ thống cho người dùng; sửa lỗi trên rồi chạy lại lệnh khôi phục với --force."
            ) from None
        connection.close()
        with connection.cursor() as cursor:
            counts = _row_counts(cursor, engine)
        if counts != manifest["tables"]:
            differ = sorted(
                name
                for name in set(counts) | set(manifest["tables"])
                if counts.get(name) != manifest["tables"].get(name)
            )
            detail = ", ".join(
                f"{n}: {vi_number(counts.get(n, 0))} thay vì {vi_number(manifest['tables'].get(n, 0))}"
                for n in differ[:5]
            )
            raise BackupError(
                f"Cơ sở dữ liệu và tệp đã được ghi từ bản sao lưu, nhưng số dòng của {vi_number(len(differ))} bảng "
                f"không khớp bản kê ({detail}). Đừng dùng hệ thống; hãy khôi phục lại (--force) từ bản này hoặc "
                "một bản sao lưu khác."
            )
        return RestoreResult(
            manifest=manifest,
            rows=sum(counts.values()),
            files=len(manifest["files"]),
            media_set_aside=set_aside,
            pending_migrations=_pending_migrations(),
        )
    finally:
        shutil.rmtree(staging, ignore_errors=True)
