"""Demo data: the alliance's documents and activity journal of Q1 2021, in the words of its report.

Independent of the other demos. Figures (new cooperatives, the fund's capital, awards) are not
repeated here as data: the report takes them from the registry, the fund and the awards apps.
"""

import datetime

from django.db import transaction

from . import services
from .models import Area, Document, DocumentKind, DocumentStatus, JournalEntry

D = datetime.date

# (key, kind, title, partner, drafted, submitted, issued, number)
DOCUMENTS = [
    (
        "de-an-4-0",
        DocumentKind.PROPOSAL,
        "Xây dựng mô hình ứng dụng công nghệ 4.0 trong quản lý, điều hành hoạt động của HTX trên địa bàn "
        "tỉnh Bắc Giang, giai đoạn 2020-2025",
        "UBND tỉnh Bắc Giang",
        D(2021, 2, 22),
        None,
        None,
        "",
    ),
    (
        "de-an-khoi-nghiep",
        DocumentKind.PROPOSAL,
        "Xây dựng, phát triển mô hình khởi nghiệp HTX ứng dụng công nghệ cao trên địa bàn tỉnh Bắc Giang, "
        "giai đoạn 2020-2025",
        "UBND tỉnh Bắc Giang",
        D(2021, 2, 24),
        None,
        None,
        "",
    ),
    (
        "ctph-ban-dan-toc",
        DocumentKind.COOPERATION,
        "Chương trình phối hợp về phát triển kinh tế tập thể, hợp tác xã giai đoạn 2021-2025",
        "Ban Dân tộc tỉnh Bắc Giang",
        D(2021, 1, 18),
        D(2021, 1, 25),
        D(2021, 1, 29),
        "01/CTPH-BDT-LMHTX",
    ),
    (
        "ctph-hdbank",
        DocumentKind.COOPERATION,
        "Chương trình phối hợp hỗ trợ tín dụng cho các HTX trên địa bàn tỉnh Bắc Giang",
        "Ngân hàng HDBank chi nhánh Bắc Giang",
        D(2021, 2, 1),
        D(2021, 2, 22),
        D(2021, 3, 3),
        "02/CTPH-LMHTX-HDB",
    ),
    (
        "kh-375",
        DocumentKind.PLAN,
        "Kế hoạch thực hiện Chương trình hành động số 375/CTr-UBND ngày 14/12/2020 của UBND tỉnh",
        "UBND tỉnh Bắc Giang",
        D(2021, 1, 11),
        D(2021, 1, 26),
        None,
        "",
    ),
    (
        "kh-tap-huan",
        DocumentKind.PLAN,
        "Kế hoạch bồi dưỡng, tập huấn năm 2021",
        "",
        D(2021, 1, 6),
        D(2021, 1, 12),
        D(2021, 1, 15),
        "05/KH-LMHTX",
    ),
    (
        "kh-chuoi",
        DocumentKind.PLAN,
        "Kế hoạch hỗ trợ xây dựng chuỗi giá trị năm 2021",
        "",
        D(2021, 1, 20),
        D(2021, 2, 2),
        D(2021, 2, 5),
        "09/KH-LMHTX",
    ),
    (
        "kh-xttm",
        DocumentKind.PLAN,
        "Kế hoạch xúc tiến thương mại năm 2021",
        "",
        D(2021, 1, 22),
        D(2021, 2, 3),
        D(2021, 2, 8),
        "10/KH-LMHTX",
    ),
    (
        "kh-kiem-tra",
        DocumentKind.PLAN,
        "Kế hoạch kiểm tra năm 2021",
        "",
        D(2021, 2, 1),
        D(2021, 2, 18),
        D(2021, 2, 25),
        "12/KH-LMHTX",
    ),
    (
        "bc-htx-kho-khan",
        DocumentKind.REPORT,
        "Báo cáo tình hình HTX khó khăn trong giải thể và HTX chưa tổ chức đăng ký lại theo Luật HTX năm 2012",
        "Sở Kế hoạch và Đầu tư; Liên minh HTX Việt Nam",
        D(2021, 1, 8),
        D(2021, 1, 14),
        D(2021, 1, 14),
        "03/BC-LMHTX",
    ),
]

# (area, on, title, text, attendance or None when no conference, document keys)
ENTRIES = [
    (
        Area.ADVISING,
        D(2021, 1, 14),
        "Báo cáo HTX khó khăn trong giải thể, HTX chưa đăng ký lại",
        "Xây dựng báo cáo tình hình HTX khó khăn trong giải thể và HTX chưa tổ chức đăng ký lại theo Luật HTX "
        "năm 2012 gửi Sở Kế hoạch và Đầu tư; Liên minh HTX Việt Nam.",
        None,
        ["bc-htx-kho-khan"],
    ),
    (
        Area.ADVISING,
        D(2021, 1, 21),
        "Đề xuất sửa đổi Nghị quyết 24/2018/NQ-HĐND",
        "Đề xuất sửa đổi, bổ sung một số nội dung của Nghị quyết số 24/2018/NQ-HĐND ngày 07/12/2018 của HĐND tỉnh.",
        None,
        [],
    ),
    (
        Area.ADVISING,
        D(2021, 1, 26),
        "Kế hoạch thực hiện Chương trình hành động số 375/CTr-UBND",
        "Xây dựng Kế hoạch Thực hiện Chương trình hành động số 375/CTr-UBND ngày 14/12/2020 của UBND tỉnh thực "
        "hiện Nghị quyết số 134/NQ-CP ngày 25/9/2020 của Chính phủ về ban hành Chương trình hành động của Chính "
        "phủ thực hiện Kết luận số 70-KL/TW ngày 09/3/2020 của Bộ Chính trị về tiếp tục thực hiện Nghị quyết "
        "Trung ương 5 khóa IX về tiếp tục đổi mới, phát triển và nâng cao hiệu quả kinh tế tập thể.",
        None,
        ["kh-375"],
    ),
    (
        Area.ADVISING,
        D(2021, 2, 26),
        "Nhu cầu vốn hỗ trợ phát triển KTTT giai đoạn 2021-2025",
        "Tổng hợp đề xuất nhu cầu vốn thực hiện chương trình hỗ trợ phát triển KTTT giai đoạn 2021-2025 của "
        "Liên minh HTX tỉnh gửi Sở Kế hoạch và Đầu tư.",
        None,
        [],
    ),
    (
        Area.ADVISING,
        D(2021, 1, 19),
        "Hội nghị BCH Liên minh HTX tỉnh lần thứ 2, khoá VI",
        "Tổ chức Hội nghị BCH Liên minh HTX tỉnh lần thứ 2, khoá VI, nhiệm kỳ 2020-2025 triển khai nhiệm vụ năm 2021.",
        35,
        [],
    ),
    (
        Area.ADVISING,
        D(2021, 1, 28),
        "Hội nghị tổng kết đơn vị thành viên năm 2020",
        "Tổ chức Hội nghị tổng kết đơn vị thành viên năm 2020, phương hướng nhiệm vụ năm 2021 theo chỉ đạo của "
        "UBND tỉnh đảm bảo an toàn phòng chống dịch. Đ/c Nguyễn Đức Hiền, Chủ tịch Liên minh HTX tỉnh thừa ủy "
        "quyền của Chủ tịch tỉnh trao cờ thi đua cho các vị dẫn đầu phong trào thi đua khối các HTX tỉnh Bắc "
        "Giang năm 2020.",
        150,
        [],
    ),
    (
        Area.ADVISING,
        D(2021, 3, 3),
        "Ký chương trình phối hợp với Ban Dân tộc và Ngân hàng HDBank",
        "Tổ chức ký chương trình phối hợp về phát triển KTTT, HTX với Ban Dân tộc; ký chương trình phối hợp "
        "với Ngân hàng HDBank chi nhánh Bắc Giang.",
        None,
        ["ctph-ban-dan-toc", "ctph-hdbank"],
    ),
    (
        Area.PROMOTION,
        D(2021, 3, 12),
        "Tư vấn, tuyên truyền cho sáng lập viên",
        "Tư vấn, tuyên truyền cho các sáng lập viên có nhu cầu thành lập HTX ở các huyện, thành phố.",
        None,
        [],
    ),
    (
        Area.PROMOTION,
        D(2021, 2, 24),
        "Dự thảo 02 đề án báo cáo UBND tỉnh năm 2021",
        "Triển khai xây dựng dự thảo 02 đề án báo cáo UBND tỉnh năm 2021: Đề án “Xây dựng mô hình ứng dụng công "
        "nghệ 4.0 trong quản lý, điều hành hoạt động của HTX trên địa bàn tỉnh Bắc Giang, giai đoạn 2020-2025” "
        "và đề án “Xây dựng, phát triển mô hình khởi nghiệp HTX ứng dụng công nghệ cao trên địa bàn tỉnh Bắc "
        "Giang, giai đoạn 2020-2025”.",
        None,
        ["de-an-4-0", "de-an-khoi-nghiep"],
    ),
    (
        Area.CAPITAL,
        D(2021, 1, 29),
        "Hội nghị tổng kết hoạt động Quỹ hỗ trợ phát triển HTX năm 2020",
        "Tổ chức hội nghị tổng kết hoạt động Quỹ hỗ trợ phát triển HTX tỉnh Bắc Giang năm 2020 và triển khai "
        "nhiệm vụ năm 2021.",
        60,
        [],
    ),
    (
        Area.INFORMATION,
        D(2021, 3, 12),
        "Quản trị phần mềm Hệ thống cơ sở dữ liệu kinh tế tập thể",
        "Quản trị, duy trì hoạt động ổn định phát huy hiệu quả phần mềm Hệ thống cơ sở dữ liệu kinh tế tập thể "
        "tỉnh Bắc Giang. Đăng tải các thông tin tuyên truyền về kinh tế tập thể của tỉnh, của trung ương kịp thời.",
        None,
        [],
    ),
    (
        Area.TRAINING,
        D(2021, 1, 15),
        "Ban hành kế hoạch bồi dưỡng tập huấn năm 2021",
        "Ban hành kế hoạch bồi dưỡng tập huấn năm 2021, triển khai các nhiệm vụ theo kế hoạch đã ban hành để tổ "
        "chức các lớp bồi dưỡng tập huấn đạt được hiệu quả cao nhất.",
        None,
        ["kh-tap-huan"],
    ),
    (
        Area.VALUE_CHAINS,
        D(2021, 2, 5),
        "Khảo sát, lựa chọn HTX xây dựng chuỗi giá trị",
        "Triển khai công tác khảo sát, lựa chọn các HTX đủ điều kiện xây dựng chuỗi và hỗ trợ xây dựng chuỗi. "
        "Xây dựng, ban hành kế hoạch hỗ trợ xây dựng chuỗi giá trị.",
        None,
        ["kh-chuoi"],
    ),
    (
        Area.EMULATION,
        D(2021, 1, 28),
        "Biểu dương các HTX được khen thưởng năm 2020",
        "Tại Hội nghị tổng kết thành viên đã tiến hành biểu dương các HTX được khen thưởng năm 2020.",
        None,
        [],
    ),
    (
        Area.EMULATION,
        D(2021, 2, 23),
        "Phát động thi đua, ký giao ước thi đua Khối HTX",
        "Với vai trò là Trưởng khối thi đua các HTX, Liên minh HTX tỉnh đã phát động thi đua đầu năm và ký giao "
        "ước thi đua cho Khối HTX. Phát động và hướng dẫn đăng ký thi đua đến tất cả các HTX trên địa bàn tỉnh và "
        "cán bộ, viên chức cơ quan. Đăng ký thi đua với Ban Thi đua khen thưởng tỉnh, Ban Thi đua khen thưởng "
        "Liên minh HTX Việt Nam, Khối thi đua các tổ chức hội cấp tỉnh số 1, Công an tỉnh…",
        None,
        [],
    ),
    (
        Area.OTHER,
        D(2021, 3, 10),
        "Xây dựng kế hoạch cụ thể; dự đại hội đơn vị thành viên",
        "Để thuận lợi cho các nhiệm vụ triển khai trong năm, Thường trực Liên minh HTX tỉnh đã chỉ đạo các phòng, "
        "ban chuyên môn xây dựng các kế hoạch cụ thể triển khai các nhiệm vụ được giao như: Kế hoạch xúc tiến "
        "thương mại, kế hoạch bồi dưỡng tập huấn, kế hoạch kiểm tra, kế hoạch hỗ trợ chuỗi, tuyên truyền trên "
        "phần mềm hệ thống thông tin KTTT… Tham dự Đại hội nhiệm kỳ, Đại hội thường niên, hội nghị thường niên, "
        "hội nghị tổng kết của một số đơn vị thành viên.",
        None,
        ["kh-xttm", "kh-tap-huan", "kh-kiem-tra", "kh-chuoi"],
    ),
]


def _document(kind, title, partner, drafted, submitted, issued, number) -> Document:
    existing = Document.objects.filter(title=title).first()
    if existing:
        return existing
    doc = services.document_create(kind=kind, title=title, drafted_on=drafted, partner=partner, year=2021)
    if submitted:
        doc = services.document_submit(document=doc, on=submitted)
    if issued:
        doc = services.document_approve(document=doc, on=issued, number=number)
    return doc


@transaction.atomic
def load() -> dict:
    """Create (once) the Q1-2021 documents and journal entries; returns how many of each exist."""
    docs = {key: _document(*rest) for key, *rest in DOCUMENTS}
    for area, on, title, text, attendance, keys in ENTRIES:
        if JournalEntry.objects.filter(on=on, title=title).exists():
            continue
        services.journal_entry_create(
            on=on,
            area=area,
            title=title,
            text=text,
            conference=attendance is not None,
            attendance=attendance,
            documents=[docs[k] for k in keys],
        )
    return {
        "documents": Document.objects.count(),
        "drafts": Document.objects.filter(status=DocumentStatus.DRAFT).count(),
        "entries": JournalEntry.objects.count(),
    }
