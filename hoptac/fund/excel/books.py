"""The format of the fund's three Excel books: their columns, Vietnamese headers and guides.

One ``Book`` per kind of file drives its template, its "Hướng dẫn" sheet and its import, so
the template a user downloads is exactly what the import reads.
"""

from hoptac.core.xlsx import CODE, DATE, MONEY, SIGNED_MONEY, TEXT, Book, Column  # noqa: F401

# How a cell is read: the shared kinds (hoptac.core.xlsx), and two of the fund's own (reader.read_value).
MONTHS, RATE = "months", "rate"

# What a loan taken over from the old books is recorded with (the guide sheet says so too).
OLD_BOOKS = "Nhập từ sổ cũ"
MAX_MONTHS = 600  # 50 years: anything longer is a typing mistake, not a loan
MAX_RATE = 50


_DOCUMENT = Column(
    "document",
    "Số chứng từ",
    16,
    required=False,
    optional_column=True,
    guide="Không bắt buộc. Số phiếu thu, phiếu chi hoặc quyết định.",
    aliases=("chung tu", "so ct", "so phieu"),
)
_NOTE = Column("note", "Ghi chú", 30, required=False, optional_column=True, aliases=("dien giai",))

CAPITAL = Book(
    key="capital",
    sheet="Vốn",
    title="HƯỚNG DẪN NHẬP SỔ NGUỒN VỐN CỦA QUỸ",
    columns=(
        Column("on", "Ngày", 13, DATE, guide="dd/mm/yyyy, không ở tương lai.", aliases=("ngay ghi so", "ngay nhan")),
        Column(
            "source",
            "Nguồn vốn",
            32,
            guide="Tên một nguồn vốn đã khai báo trên trang Quỹ (ghi có dấu hoặc không dấu, hoa hay thường đều "
            "được). Nguồn chưa khai báo là lỗi: cán bộ Quỹ thêm nguồn trước rồi mới nhập.",
            aliases=("nguon",),
        ),
        Column(
            "amount",
            "Số tiền (đồng)",
            20,
            SIGNED_MONEY,
            guide="Số đồng, số nguyên (ví dụ 3.000.000.000). Số âm là rút vốn (ví dụ -500.000.000).",
            aliases=("so tien", "so tien vnd", "so tien vnđ"),
        ),
        _DOCUMENT,
        _NOTE,
    ),
    rules=(
        "Mỗi dòng là một lần vốn vào Quỹ (số dương) hoặc rút vốn (số âm).",
        "Nhập lại một tệp đã nhập không làm tăng vốn: dòng trùng hoàn toàn (cùng nguồn, ngày, số tiền và số "
        "chứng từ) với một khoản đã ghi được tính là “không đổi” và bỏ qua.",
        "Khoản rút không được lớn hơn tổng nguồn vốn của Quỹ vào ngày rút.",
    ),
    example=(
        ("15/01/2021", "Liên minh HTX Việt Nam cấp", "3.000.000.000", "12/QĐ-LMHTXVN", "Vốn cấp bổ sung năm 2021"),
        ("30/06/2021", "Ngân sách tỉnh", "-500.000.000", "45/QĐ-UBND", "Điều chuyển vốn"),
    ),
)

LOANS = Book(
    key="loans",
    sheet="Khoản vay",
    title="HƯỚNG DẪN NHẬP SỔ CHO VAY (CÁC KHOẢN VAY ĐÃ GIẢI NGÂN)",
    columns=(
        Column(
            "code",
            "Mã khoản vay",
            16,
            CODE,
            guide="Mã của khoản vay trong sổ cũ; không trùng nhau. Dùng để nhận ra khoản vay khi nhập sổ trả nợ.",
            aliases=("ma vay", "so khe uoc", "ma khe uoc"),
        ),
        Column(
            "borrower",
            "Mã số bên vay",
            16,
            CODE,
            guide="Mã số (mã số thuế) của tổ chức vay, đã có trong danh sách tổ chức.",
            aliases=("ma so", "ma so thue", "ma so htx", "ma ben vay"),
        ),
        Column(
            "borrower_name",
            "Tên bên vay",
            36,
            required=False,
            optional_column=True,
            guide="Không bắt buộc, để đối chiếu; khi nhập chỉ dùng Mã số bên vay.",
            aliases=("ten to chuc", "ten htx", "ben vay"),
            informative=True,
        ),
        Column(
            "disbursed_on",
            "Ngày giải ngân",
            15,
            DATE,
            guide="dd/mm/yyyy; không ở tương lai, không trước ngày thành lập của bên vay.",
            aliases=("ngay vay", "ngay giai ngan dd mm yyyy"),
        ),
        Column(
            "amount",
            "Số tiền giải ngân (đồng)",
            20,
            MONEY,
            guide="Số đồng, số nguyên lớn hơn 0 (ví dụ 500.000.000).",
            aliases=("so tien giai ngan", "so tien vay", "so tien"),
        ),
        Column(
            "rate",
            "Lãi suất (%/năm)",
            14,
            RATE,
            guide="Phần trăm một năm, dùng dấu phẩy cho phần thập phân (ví dụ 7,2); từ 0 đến 50.",
            aliases=("lai suat", "lai suat nam", "lai suat % nam"),
        ),
        Column(
            "term",
            "Thời hạn (tháng)",
            14,
            MONTHS,
            guide="Số tháng từ ngày giải ngân đến ngày trả hết, số nguyên.",
            aliases=("thoi han", "thoi han vay", "thoi han vay thang"),
        ),
        Column(
            "every",
            "Kỳ trả gốc (tháng)",
            14,
            MONTHS,
            guide="Cứ bao nhiêu tháng trả gốc một lần (1: hằng tháng, 3: hằng quý…); không lớn hơn Thời hạn.",
            aliases=("ky tra goc", "ky han tra goc"),
        ),
        Column(
            "purpose",
            "Mục đích",
            40,
            required=False,
            optional_column=True,
            guide="Không bắt buộc. Mục đích, dự án vay vốn.",
            aliases=("muc dich vay", "du an"),
        ),
    ),
    rules=(
        "Mỗi dòng là một khoản vay đã giải ngân (một lần). Khoản vay được ghi như đã duyệt và ký hợp đồng "
        f"ngay ngày giải ngân, số quyết định và số hợp đồng “{OLD_BOOKS}”, không gắn sản phẩm cho vay.",
        "Lịch trả nợ: gốc chia đều, trả mỗi “Kỳ trả gốc” tháng kể từ ngày giải ngân, kỳ cuối vào ngày đáo hạn; "
        "lãi tính trên dư nợ giảm dần, trả cùng kỳ với gốc (mỗi “Kỳ trả gốc” tháng); không có thời gian ân hạn; "
        "tính lãi theo quy ước 30/360 (mỗi tháng 30 ngày, năm 360 ngày).",
        "Bên vay phải đang hoạt động vào ngày giải ngân. Sổ trả nợ nhập sau, bằng tệp riêng, nên khi nhập sổ cho "
        "vay không xét các khoản vay khác trong cùng tệp có quá hạn hay không.",
        "Nhập lại một khoản vay đã có (cùng Mã khoản vay) mà mọi số liệu giống hệt thì bỏ qua (“không đổi”); "
        "khác thì báo lỗi: khoản vay đã ký không sửa bằng cách nhập tệp.",
    ),
    example=(
        (
            "QHT-2019-07",
            "2400000001",
            "Hợp tác xã Nông nghiệp Quang Tiến",
            "15/01/2020",
            "500.000.000",
            "7,2",
            "36",
            "3",
            "Mở rộng vùng trồng vải",
        ),
    ),
)

REPAYMENTS = Book(
    key="repayments",
    sheet="Trả nợ",
    title="HƯỚNG DẪN NHẬP SỔ THU NỢ (CÁC KHOẢN TRẢ GỐC, TRẢ LÃI)",
    columns=(
        Column(
            "code",
            "Mã khoản vay",
            16,
            CODE,
            guide="Mã của một khoản vay đã giải ngân (đã nhập sổ cho vay).",
            aliases=("ma vay", "so khe uoc", "ma khe uoc"),
        ),
        Column(
            "on",
            "Ngày trả",
            13,
            DATE,
            guide="dd/mm/yyyy; không ở tương lai, không trước ngày giải ngân.",
            aliases=("ngay", "ngay thu", "ngay tra no"),
        ),
        Column(
            "principal",
            "Tiền gốc (đồng)",
            18,
            MONEY,
            required=False,
            guide="Số đồng trả gốc; để trống là 0.",
            aliases=("tien goc", "goc", "tra goc"),
        ),
        Column(
            "interest",
            "Tiền lãi (đồng)",
            18,
            MONEY,
            required=False,
            guide="Số đồng trả lãi; để trống là 0. Tiền gốc và tiền lãi không được cùng bằng 0.",
            aliases=("tien lai", "lai", "tra lai"),
        ),
        _DOCUMENT,
    ),
    rules=(
        "Mỗi dòng là một lần trả nợ, ghi đúng số gốc và số lãi như trong sổ (không chia lại).",
        "Các dòng của một khoản vay được ghi theo thứ tự ngày trả, dù trong tệp xếp thế nào. Không nhập được "
        "khoản trả trước một khoản trả đã ghi của cùng khoản vay.",
        "Tiền gốc trả không được lớn hơn dư nợ vào ngày trả. Trả hết gốc thì khoản vay được tất toán.",
        "Nhập lại một tệp đã nhập không ghi trùng: dòng giống hệt (cùng khoản vay, ngày, tiền gốc, tiền lãi) một "
        "khoản trả đã ghi được tính là “không đổi”.",
    ),
    example=(
        ("QHT-2019-07", "15/04/2020", "41.666.666", "9.000.000", "PT-0123"),
        ("QHT-2019-07", "15/07/2020", "41.666.666", "8.250.000", "PT-0456"),
    ),
)

BOOKS = {book.key: book for book in (CAPITAL, LOANS, REPAYMENTS)}
