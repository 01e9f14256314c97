"""Backups: manage.py backup, then restore into an empty database gives back every table and every file.

The commands run in processes of their own, as an operator runs them, on scratch databases
(SQLite files, or PostgreSQL databases made for the test and dropped after). The comparison
reads both databases by introspection, every table and column (not only Django's models),
and every file byte by byte; it shares no code with the backup it checks.
"""

import hashlib
import io
import json
import os
import tarfile
from pathlib import Path

import pytest

from hoptac.core import backup

from . import scratch

# django_db: pytest-django creates the test database the scratch databases are copied from.
pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture(scope="module")
def source(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock():
        db = scratch.from_test_database(tmp_path_factory.mktemp("backup"), "source")
    try:
        db.helper("populate")
        yield db
    finally:
        db.drop()


@pytest.fixture(scope="module")
def archive(source) -> Path:
    done = source.manage("backup")
    [path] = (source.media_root.parent / "backups").iterdir()
    assert backup.ARCHIVE_NAME.match(path.name) and f"Đã sao lưu vào {path}" in done.stdout
    return path


@pytest.fixture
def target(source, tmp_path):
    """A database with nothing in it, and no MEDIA_ROOT yet."""
    db = scratch.empty(source, tmp_path, "target")
    yield db
    db.drop()


def manifest_of(path: Path) -> dict:
    with tarfile.open(path, "r:gz") as tar:
        return json.load(tar.extractfile("manifest.json"))


def rewrite(path: Path, out: Path, change) -> Path:
    """A copy of the archive with change(name, data) -> (name, data) applied to each member."""
    with tarfile.open(path, "r:gz") as tar, tarfile.open(out, "w:gz") as new:
        for member in tar:
            member.name, data = change(member.name, tar.extractfile(member).read())
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))
    return out


def last_migrations(db: scratch.Scratch) -> dict:
    with db.connect() as conn:
        return dict(conn.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall())


def test_restore_into_an_empty_database_gives_back_every_table_and_every_file(source, archive, target):
    assert archive.stat().st_mode & 0o777 == 0o600  # password hashes and personal data inside
    before = source.contents(sequences=True)
    files = scratch.files_of(source.media_root)
    assert "thư mục/sâu hơn/rỗng.txt" in files and any(name.startswith("reports/") for name in files)

    manifest = manifest_of(archive)
    assert manifest["engine"] == source.engine and manifest["format"] == "hoptac-backup"
    assert manifest["migrations"] == last_migrations(source)
    counts = {name: len(rows) for name, rows in before["tables"].items() if not name.startswith("sqlite_")}
    organizations = "registry_organization" if source.engine == "sqlite" else "public.registry_organization"
    assert manifest["tables"] == counts and counts[organizations] == 3
    assert {f["path"]: (f["size"], f["sha256"]) for f in manifest["files"]} == {
        name: (len(data), hashlib.sha256(data).hexdigest()) for name, data in files.items()
    }

    done = target.manage("restore", str(archive))
    assert "Đã khôi phục" in done.stdout and "số dòng mọi bảng khớp bản kê" in done.stdout
    assert "migration chưa chạy" not in done.stdout

    assert scratch.differences(before, target.contents(sequences=True)) == []
    assert scratch.files_of(target.media_root) == files
    assert not [p for p in target.media_root.parent.iterdir() if "khoi-phuc" in p.name]


def test_restore_refuses_a_database_with_data_and_force_replaces_it(source, archive, tmp_path):
    db = scratch.copy_of(source, tmp_path, "used")
    try:
        with db.connect() as conn:
            conn.execute("UPDATE registry_organization SET name = 'Sửa sau khi sao lưu'")
            conn.commit()
        (db.media_root / "mới.txt").write_text("tải lên sau khi sao lưu")
        changed, files = db.contents(sequences=True), scratch.files_of(db.media_root)

        refused = db.manage("restore", str(archive), check=False)
        assert refused.returncode == 1
        assert "Không khôi phục: cơ sở dữ liệu đã có dữ liệu" in refused.stderr and "--force" in refused.stderr
        assert scratch.differences(changed, db.contents(sequences=True)) == []
        assert scratch.files_of(db.media_root) == files

        done = db.manage("restore", str(archive), "--force")
        assert "Đã khôi phục" in done.stdout and "được giữ ở" in done.stdout
        assert scratch.differences(source.contents(sequences=True), db.contents(sequences=True)) == []
        assert scratch.files_of(db.media_root) == scratch.files_of(source.media_root)
        [kept] = [p for p in db.media_root.parent.iterdir() if ".truoc-khoi-phuc-" in p.name]
        assert scratch.files_of(kept) == files
    finally:
        db.drop()


def _truncated(path: Path, out: Path) -> Path:
    out.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return out


def _one_file_changed(path: Path, out: Path) -> Path:
    def change(name, data):
        return name, bytes([data[0] ^ 1]) + data[1:] if name == "media/original_images/ảnh hội nghị.jpg" else data

    return rewrite(path, out, change)


def _manifest_changed(change_manifest):
    def damage(path: Path, out: Path) -> Path:
        manifest = manifest_of(path)
        renamed = change_manifest(manifest)  # the dump's new name, if the change renames it

        def change(name, data):
            if name == "manifest.json":
                return name, json.dumps(manifest).encode()
            return (renamed, data) if renamed and name.startswith("database.") else (name, data)

        return rewrite(path, out, change)

    return damage


def _other_engine(manifest: dict) -> str:
    """As an archive of the other engine would be (its sums still right): the dump renamed to match."""
    manifest["engine"] = "postgresql" if manifest["engine"] == "sqlite" else "sqlite"
    manifest["database"]["path"] = backup.DUMP_NAME[manifest["engine"]]
    return manifest["database"]["path"]


def _newer_code(manifest: dict) -> None:
    manifest["migrations"]["core"] = "9999_from_the_future"


DAMAGES = {
    "truncated": (_truncated, "bị hỏng hoặc không đầy đủ"),
    "a file changed": (_one_file_changed, "không khớp mã kiểm tra SHA-256"),
    "other engine": (_manifest_changed(_other_engine), "Chỉ khôi phục được vào cùng loại cơ sở dữ liệu"),
    "newer code": (_manifest_changed(_newer_code), "phiên bản mới hơn của phần mềm"),
}


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_a_damaged_archive_is_refused_in_vietnamese_and_changes_nothing(damage, archive, target, tmp_path):
    make, message = DAMAGES[damage]
    damaged = make(archive, tmp_path / "damaged.tar.gz")

    refused = target.manage("restore", str(damaged), check=False)
    assert refused.returncode == 1
    assert message in refused.stderr and "Không có gì bị thay đổi" in refused.stderr
    assert target.tables() == []
    assert not target.media_root.exists() or scratch.files_of(target.media_root) == {}
    assert not [p for p in tmp_path.iterdir() if "khoi-phuc" in p.name]


def test_a_truncated_archive_leaves_a_database_with_data_as_it_was_even_with_force(source, archive, tmp_path):
    db = scratch.copy_of(source, tmp_path, "used")
    try:
        before, files = db.contents(sequences=True), scratch.files_of(db.media_root)
        refused = db.manage("restore", str(_truncated(archive, tmp_path / "half.tar.gz")), "--force", check=False)
        assert refused.returncode == 1 and "bị hỏng hoặc không đầy đủ" in refused.stderr
        assert scratch.differences(before, db.contents(sequences=True)) == []
        assert scratch.files_of(db.media_root) == files
    finally:
        db.drop()


def test_check_reads_the_whole_archive_and_writes_nothing(archive, target):
    done = target.manage("restore", str(archive), "--check")
    assert "Bản sao lưu toàn vẹn" in done.stdout and "Chưa ghi gì" in done.stdout
    assert target.tables() == [] and not target.media_root.exists()


def test_sqlite_needs_no_tool_and_postgresql_says_which_to_install(source, tmp_path):
    out = tmp_path / "backups"
    done = source.manage("backup", "--output-dir", str(out), check=False, PATH=str(tmp_path / "no-tools"))
    if source.engine == "sqlite":
        assert done.returncode == 0 and len(list(out.iterdir())) == 1
    else:
        assert done.returncode == 1 and "Không tìm thấy chương trình pg_dump" in done.stderr
        assert "postgresql-client-" in done.stderr
        assert list(out.iterdir()) == []  # no partial archive left behind


def test_keep_deletes_only_the_older_archives_of_the_command(tmp_path):
    names = [
        "hoptac-20210301-020000.tar.gz",
        "hoptac-20210302-020000.tar.gz",
        "hoptac-20210302-020000-2.tar.gz",
        "hoptac-20210303-020000.tar.gz",
        "hoptac-ghi-chu.tar.gz",
        "du-lieu-khac.tar.gz",
    ]
    for i, name in enumerate(names):
        (tmp_path / name).write_bytes(b"x")
        os.utime(tmp_path / name, (1_000_000 - i, 1_000_000 - i))  # the name, not the file's time, says which is new
    removed = backup.backups_prune(directory=tmp_path, keep=2)
    assert sorted(p.name for p in removed) == ["hoptac-20210301-020000.tar.gz", "hoptac-20210302-020000.tar.gz"]
    kept = ["hoptac-20210302-020000-2.tar.gz", "hoptac-20210303-020000.tar.gz"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*kept, "hoptac-ghi-chu.tar.gz", "du-lieu-khac.tar.gz"])
