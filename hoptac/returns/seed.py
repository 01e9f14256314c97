"""The forms the product ships with, loaded by a data migration; administrators change them in the admin.

- ``annual_htx``: a cooperative's annual operations report (Circular 09/2019, Phụ lục I-18/I-19;
  from 2024 forms VII-2/VII-3 of Circular 09/2024), due 15/12 of the report year.
- ``alliance_quarterly``: the alliance's quarterly statistics to the national alliance.
- ``grading``: the Circular 01/2020/TT-BKHĐT score sheet, 15 criteria, 100 points. The split of
  the 40 points of "members and community" between criteria 10–15 is the product's reading of
  the circular's Phụ lục 1: an administrator corrects the maxima on the form if it differs.
"""

import datetime

QUALIFICATIONS = [
    ["none", "Chưa qua đào tạo", "None"],
    ["elementary", "Sơ cấp", "Elementary vocational"],
    ["intermediate", "Trung cấp, cao đẳng", "Intermediate or college"],
    ["university", "Đại học trở lên", "University or higher"],
]

# code, Vietnamese, English, unit, aggregation, min, max, choices
INDICATORS = [
    ("members_start", "Số thành viên đầu năm", "Members at the start of the year", "count", "sum", 0, None, []),
    ("members_end", "Số thành viên cuối năm", "Members at the end of the year", "count", "sum", 0, None, []),
    ("employees", "Số lao động thường xuyên", "Regular workers", "count", "sum", 0, None, []),
    ("employees_members", "Trong đó: lao động là thành viên", "Of whom members", "count", "sum", 0, None, []),
    ("charter_capital", "Vốn điều lệ (đồng)", "Charter capital (đồng)", "dong", "sum", 0, None, []),
    ("total_assets", "Tổng tài sản (đồng)", "Total assets (đồng)", "dong", "sum", 0, None, []),
    ("revenue", "Doanh thu (đồng)", "Revenue (đồng)", "dong", "sum", 0, None, []),
    ("profit", "Lợi nhuận trước thuế (đồng)", "Pre-tax profit (đồng)", "dong", "sum", None, None, []),
    ("taxes", "Thuế và các khoản nộp ngân sách (đồng)", "Taxes paid (đồng)", "dong", "sum", 0, None, []),
    (
        "avg_income",
        "Thu nhập bình quân của lao động thường xuyên (đồng/người/năm)",
        "Average income of a regular worker (đồng a year)",
        "dong",
        "average",
        0,
        None,
        [],
    ),
    (
        "member_services",
        "Tỷ lệ giá trị sản phẩm, dịch vụ cung ứng cho thành viên (%)",
        "Share of products and services supplied to members (%)",
        "percent",
        "average",
        0,
        100,
        [],
    ),
    (
        "model",
        "Mô hình hoạt động",
        "Model",
        "choice",
        "none",
        None,
        None,
        [
            ["services", "Cung ứng sản phẩm, dịch vụ", "Supplying products and services"],
            ["jobs", "Tạo việc làm", "Creating jobs"],
        ],
    ),
    (
        "qualification_chair",
        "Trình độ Chủ tịch HĐQT",
        "Qualification of the chair",
        "choice",
        "none",
        None,
        None,
        QUALIFICATIONS,
    ),
    (
        "qualification_director",
        "Trình độ Giám đốc",
        "Qualification of the director",
        "choice",
        "none",
        None,
        None,
        QUALIFICATIONS,
    ),
    (
        "qualification_supervisor",
        "Trình độ Trưởng ban kiểm soát",
        "Qualification of the head of supervision",
        "choice",
        "none",
        None,
        None,
        QUALIFICATIONS,
    ),
    # The alliance's quarterly statistics.
    (
        "q_htx_founded",
        "Số HTX thành lập mới trong quý",
        "Cooperatives founded in the quarter",
        "count",
        "sum",
        0,
        None,
        [],
    ),
    (
        "q_htx_dissolved",
        "Số HTX giải thể trong quý",
        "Cooperatives dissolved in the quarter",
        "count",
        "sum",
        0,
        None,
        [],
    ),
    (
        "q_tht_founded",
        "Số THT thành lập mới trong quý",
        "Cooperative groups founded in the quarter",
        "count",
        "sum",
        0,
        None,
        [],
    ),
    (
        "q_members_joined",
        "Số thành viên mới của Liên minh trong quý",
        "New members of the alliance in the quarter",
        "count",
        "sum",
        0,
        None,
        [],
    ),
    ("q_note", "Ghi chú", "Note", "text", "none", None, None, []),
]

# The grading sheet: (criterion number, Vietnamese, English, maximum points, group)
CRITERIA = [
    (1, "Vốn hoạt động", "Capital", 7, "Tài chính"),
    (2, "Tài sản", "Assets", 6, "Tài chính"),
    (3, "Kết quả sản xuất, kinh doanh", "Business results", 11, "Tài chính"),
    (4, "Trích lập các quỹ", "Funds set aside", 6, "Tài chính"),
    (5, "Chấp hành pháp luật", "Compliance with the law", 8, "Quản trị"),
    (6, "Tranh chấp, khiếu nại", "Disputes and complaints", 6, "Quản trị"),
    (7, "Trình độ cán bộ quản lý", "Managers' qualifications", 6, "Quản trị"),
    (8, "Chế độ cho thành viên và người lao động", "Benefits for members and workers", 6, "Quản trị"),
    (9, "Ứng dụng KHKT, thương hiệu, chuỗi giá trị", "Technology, brand, value chain", 4, "Quản trị"),
    (10, "Mức độ tham gia của thành viên", "Members' participation", 8, "Thành viên và cộng đồng"),
    (11, "Lợi ích của thành viên", "Members' benefits", 8, "Thành viên và cộng đồng"),
    (12, "Sản phẩm, dịch vụ cho thành viên", "Products and services for members", 8, "Thành viên và cộng đồng"),
    (13, "Thông tin, đào tạo", "Information and training", 6, "Thành viên và cộng đồng"),
    (14, "Ảnh hưởng với cộng đồng", "Effect on the community", 5, "Thành viên và cộng đồng"),
    (15, "Khen thưởng trong năm", "Awards in the year", 5, "Thành viên và cộng đồng"),
]

ANNUAL_FIELDS = [
    ("Thông tin chung", ["model", "qualification_chair", "qualification_director", "qualification_supervisor"], False),
    ("Thành viên, lao động", ["members_start", "members_end", "employees", "employees_members"], True),
    (
        "Tài chính",
        ["charter_capital", "total_assets", "revenue", "profit", "taxes", "avg_income", "member_services"],
        True,
    ),
]
QUARTERLY_FIELDS = [
    ("Trong quý", ["q_htx_founded", "q_htx_dissolved", "q_tht_founded", "q_members_joined", "q_note"], True)
]

# left, operator, right code or constant, kinds, founded from, founded until, message
ANNUAL_RULES = [
    ("profit", "le", "revenue", None, [], None, None, "Lợi nhuận không được lớn hơn doanh thu."),
    (
        "employees_members",
        "le",
        "employees",
        None,
        [],
        None,
        None,
        "Lao động là thành viên không được nhiều hơn tổng số lao động.",
    ),
    (
        "members_end",
        "ge",
        None,
        7,
        ["HTX"],
        None,
        datetime.date(2024, 6, 30),
        "HTX thành lập theo Luật HTX 2012 phải có ít nhất 7 thành viên chính thức.",
    ),
    (
        "members_end",
        "ge",
        None,
        5,
        ["HTX"],
        datetime.date(2024, 7, 1),
        None,
        "HTX thành lập theo Luật HTX 2023 phải có ít nhất 5 thành viên chính thức.",
    ),
]


def load(apps) -> None:
    """Create the shipped indicators and forms (once; existing codes are left as they are)."""
    Indicator = apps.get_model("returns", "Indicator")
    ReturnForm = apps.get_model("returns", "ReturnForm")
    FormVersion = apps.get_model("returns", "FormVersion")
    FormField = apps.get_model("returns", "FormField")
    Rule = apps.get_model("returns", "Rule")

    indicators = {}
    for code, vi, en, unit, aggregation, low, high, choices in INDICATORS:
        indicators[code], _ = Indicator.objects.get_or_create(
            code=code,
            defaults=dict(
                name_vi=vi,
                name_en=en,
                unit=unit,
                aggregation=aggregation,
                min_value=low,
                max_value=high,
                choices=choices,
            ),
        )
    for number, vi, en, maximum, _group in CRITERIA:
        indicators[f"grading_c{number:02d}"], _ = Indicator.objects.get_or_create(
            code=f"grading_c{number:02d}",
            defaults=dict(
                name_vi=f"Tiêu chí {number}. {vi}",
                name_en=f"Criterion {number}. {en}",
                unit="score",
                aggregation="average",
                min_value=0,
                max_value=maximum,
            ),
        )

    def form(code, vi, en, frequency, respondent, kinds, sections, rules=(), **due):
        if ReturnForm.objects.filter(code=code).exists():
            return
        f = ReturnForm.objects.create(
            code=code, name_vi=vi, name_en=en, frequency=frequency, respondent=respondent, kinds=kinds, **due
        )
        version = FormVersion.objects.create(form=f, number=1, valid_from_year=2015)
        order = 0
        for section, codes, required in sections:
            for c in codes:
                order += 1
                FormField.objects.create(
                    version=version, indicator=indicators[c], order=order, section=section, required=required
                )
        for left, op, right, constant, kinds_, since, until, message in rules:
            Rule.objects.create(
                version=version,
                left=indicators[left],
                operator=op,
                right=indicators[right] if right else None,
                constant=constant,
                kinds=kinds_,
                founded_from=since,
                founded_until=until,
                message_vi=message,
            )

    form(
        "annual_htx",
        "Báo cáo tình hình hoạt động năm của HTX, LHHTX",
        "Annual operations report of a cooperative or union",
        "annual",
        "organization",
        ["HTX", "LHHTX"],
        ANNUAL_FIELDS,
        ANNUAL_RULES,
        due_day=15,
        due_month=12,
    )
    form(
        "alliance_quarterly",
        "Thống kê quý của Liên minh HTX tỉnh",
        "The alliance's quarterly statistics",
        "quarterly",
        "alliance",
        [],
        QUARTERLY_FIELDS,
        due_day=15,
        due_days_after=15,
    )
    grading_sections = {}
    for number, _vi, _en, _max, group in CRITERIA:
        grading_sections.setdefault(group, []).append(f"grading_c{number:02d}")
    form(
        "grading",
        "Phiếu đánh giá, xếp loại HTX (Thông tư 01/2020/TT-BKHĐT)",
        "Cooperative grading sheet (Circular 01/2020/TT-BKHĐT)",
        "annual",
        "organization",
        ["HTX"],
        [(group, codes, True) for group, codes in grading_sections.items()],
        due_day=15,
        due_month=12,
    )
