"""Demo value-chain support: the 2020 programme, closed, and the 2021 programme surveying in Q1 2021.

The seed report: "triển khai công tác khảo sát, lựa chọn các HTX đủ điều kiện xây dựng chuỗi
và hỗ trợ xây dựng chuỗi. Xây dựng, ban hành kế hoạch hỗ trợ xây dựng chuỗi giá trị."

- 2020: four agricultural cooperatives surveyed; a vải thiều cooperative of Lục Ngạn and a gà
  đồi cooperative of Yên Thế selected, each with a support plan (the first completed in 2020,
  the second still in progress in Q1 2021), activities with their budgets, and products.
- 2021: six candidates from Lục Ngạn, Yên Thế and Tân Yên; four surveys done with scores in
  February–March 2021 (before the report's 15/03/2021), two still under way; no selection yet.

Loaded on top of the registry demo; candidates are chosen by district and product in code
order among HTX operating through 2020–2021, so every load gives the same data. Every write
goes through the services, as the value-chain officer ``chuoi``.
"""

import datetime

from django.db import transaction

from hoptac.core.models import Department, Role, User
from hoptac.registry import demo as registry_demo
from hoptac.registry.models import Organization, OrgKind, Sector

from . import services
from .models import ActivityStatus, BudgetSource, PlanStatus, Programme, ProgrammeStatus, SurveyStatus
from .services import Decision, Score

D = datetime.date
REPORT_DAY = D(2021, 3, 15)
OFFICER = ("chuoi", "Đỗ Văn", "Minh")  # as in the registry demo's accounts
SURVEYORS = "Đỗ Văn Minh, Nguyễn Thị Hương (Ban Hỗ trợ phát triển HTX)"

# text, guidance, max score, required (pass score)
CRITERIA = [
    (
        "Tổ chức, hoạt động theo Luật HTX năm 2012; đại hội thành viên thường niên đầy đủ",
        "Kiểm tra giấy chứng nhận đăng ký, điều lệ, biên bản đại hội gần nhất.",
        10,
        5,
    ),
    (
        "Quy mô sản xuất, vùng nguyên liệu tập trung",
        "Diện tích, số hộ tham gia, sản lượng hằng năm của sản phẩm chủ lực.",
        25,
        None,
    ),
    (
        "Sản phẩm có chứng nhận (VietGAP, hữu cơ, OCOP) hoặc đủ điều kiện để được chứng nhận",
        "",
        20,
        None,
    ),
    (
        "Liên kết tiêu thụ: hợp đồng với doanh nghiệp, đầu ra ổn định",
        "Hợp đồng, biên bản ghi nhớ, hóa đơn bán hàng năm trước.",
        20,
        None,
    ),
    (
        "Năng lực tài chính, vốn đối ứng tối thiểu 20% kế hoạch hỗ trợ",
        "Báo cáo tài chính năm trước; cam kết vốn đối ứng của Hội đồng quản trị.",
        15,
        8,
    ),
    (
        "Cam kết của Hội đồng quản trị và thành viên tham gia xây dựng chuỗi",
        "",
        10,
        None,
    ),
]

# The candidates: (key, district, words in the name). Picked in code order, each once.
CANDIDATES_2020 = [
    ("vai_2020", "Huyện Lục Ngạn", "Vải thiều"),
    ("ga_2020", "Huyện Yên Thế", "gà đồi"),
    ("dvnn_2020", "Huyện Lục Ngạn", "Dịch vụ nông nghiệp"),
    ("rau_2020", "Huyện Yên Thế", "rau an toàn"),
]
CANDIDATES_2021 = [
    ("vai_ln", "Huyện Lục Ngạn", "Vải thiều"),
    ("ga_yt", "Huyện Yên Thế", "gà đồi"),
    ("vai_ty", "Huyện Tân Yên", "Vải thiều"),
    ("lua_yt", "Huyện Yên Thế", "lúa gạo"),
    ("cam_ln", "Huyện Lục Ngạn", "Cam bưởi"),
    ("rau_ty", "Huyện Tân Yên", "rau an toàn"),
]

# key: (surveyed on, done on or None, scores in criteria order, answers)
SURVEYS_2020 = {
    "vai_2020": (
        D(2020, 5, 18),
        D(2020, 5, 22),
        [10, 23, 16, 18, 13, 9],
        [
            "Đăng ký lại theo Luật HTX 2012; đại hội thường niên tháng 02/2020.",
            "42 ha vải thiều của 65 hộ thành viên; sản lượng khoảng 380 tấn/năm.",
            "15 ha đạt VietGAP; đủ điều kiện mở rộng.",
            "Hợp đồng bao tiêu với 2 doanh nghiệp xuất khẩu sang Trung Quốc và Nhật Bản.",
            "Lãi năm 2019 khoảng 320 triệu đồng; cam kết đối ứng 25%.",
            "Hội đồng quản trị và 90% thành viên ký cam kết.",
        ],
    ),
    "ga_2020": (
        D(2020, 5, 25),
        D(2020, 5, 29),
        [10, 21, 14, 17, 11, 9],
        [
            "Hoạt động theo Luật HTX 2012, đại hội thường niên đầy đủ.",
            "38 hộ thành viên, quy mô 60.000 con gà/lứa.",
            "Sử dụng nhãn hiệu chứng nhận “Gà đồi Yên Thế”.",
            "Cung cấp cho 3 cửa hàng thực phẩm sạch tại Hà Nội.",
            "Vốn điều lệ 1,2 tỷ đồng; cam kết đối ứng 20%.",
            "Ban quản trị cam kết, thành viên đồng thuận.",
        ],
    ),
    "dvnn_2020": (
        D(2020, 6, 2),
        D(2020, 6, 5),
        [8, 12, 6, 9, 9, 6],
        [
            "Hoạt động theo Luật HTX 2012.",
            "Chủ yếu dịch vụ thủy lợi, làm đất; chưa có vùng sản xuất tập trung.",
            "Chưa có sản phẩm được chứng nhận.",
            "Chưa có hợp đồng tiêu thụ.",
            "Vốn đối ứng được khoảng 20%.",
            "Thành viên chưa thống nhất hướng sản xuất.",
        ],
    ),
    "rau_2020": (
        D(2020, 6, 8),
        D(2020, 6, 10),
        [7, 15, 12, 11, 5, 7],
        [
            "Hoạt động theo Luật HTX 2012.",
            "8 ha rau an toàn của 30 hộ.",
            "Đang đề nghị chứng nhận VietGAP.",
            "Bán cho bếp ăn các trường học trong huyện.",
            "Không có vốn đối ứng.",
            "Thành viên cam kết tham gia.",
        ],
    ),
}
SURVEYS_2021 = {
    "vai_ln": (
        D(2021, 2, 22),
        D(2021, 2, 26),
        [10, 22, 17, 18, 12, 9],
        [
            "Đăng ký lại theo Luật HTX 2012; đại hội thường niên ngày 20/01/2021.",
            "35 ha vải thiều của 52 hộ; sản lượng khoảng 300 tấn/năm.",
            "20 ha đạt VietGAP năm 2020.",
            "Hợp đồng tiêu thụ với doanh nghiệp xuất khẩu và 2 hệ thống siêu thị.",
            "Lợi nhuận năm 2020 khoảng 280 triệu đồng; cam kết đối ứng 25%.",
            "Hội đồng quản trị và thành viên ký cam kết.",
        ],
    ),
    "ga_yt": (
        D(2021, 2, 24),
        D(2021, 3, 2),
        [10, 20, 14, 16, 10, 8],
        [
            "Hoạt động theo Luật HTX 2012, đại hội thường niên đầy đủ.",
            "45 hộ, quy mô 80.000 con gà/lứa.",
            "Sử dụng nhãn hiệu chứng nhận “Gà đồi Yên Thế”; đang chuẩn bị hồ sơ OCOP.",
            "Tiêu thụ qua thương lái và 2 cửa hàng tại Bắc Giang.",
            "Vốn đối ứng 20%.",
            "Thành viên cam kết tham gia.",
        ],
    ),
    "vai_ty": (
        D(2021, 3, 1),
        D(2021, 3, 5),
        [8, 18, 15, 15, 9, 8],
        [
            "Hoạt động theo Luật HTX 2012.",
            "22 ha vải thiều sớm của 40 hộ.",
            "10 ha đang áp dụng quy trình VietGAP.",
            "Hợp đồng với 1 doanh nghiệp thu mua.",
            "Vốn đối ứng khoảng 20%.",
            "Ban quản trị cam kết.",
        ],
    ),
    "lua_yt": (
        D(2021, 3, 3),
        D(2021, 3, 10),
        [5, 15, 8, 10, 6, 7],
        [
            "Đại hội thường niên năm 2020 chưa tổ chức.",
            "60 ha lúa chất lượng cao.",
            "Chưa có chứng nhận.",
            "Bán cho các cơ sở xay xát trong huyện.",
            "Chưa bố trí được vốn đối ứng.",
            "Thành viên đồng thuận.",
        ],
    ),
    "cam_ln": (
        D(2021, 3, 8),
        None,
        [10, 21, 16],
        [
            "Hoạt động theo Luật HTX 2012, đại hội thường niên đầy đủ.",
            "28 ha cam, bưởi của 35 hộ.",
            "12 ha đạt VietGAP.",
        ],
    ),
    "rau_ty": (
        D(2021, 3, 11),
        None,
        [9, 14],
        [
            "Hoạt động theo Luật HTX 2012.",
            "12 ha rau an toàn, nhà lưới 2 ha.",
        ],
    ),
}

# (description, planned on, budget đồng, source, partner, done on or None)
VAI_ACTIVITIES = [
    (
        "Tập huấn quy trình sản xuất vải thiều theo tiêu chuẩn VietGAP",
        D(2020, 8, 10),
        45_000_000,
        BudgetSource.PROVINCE,
        "Trung tâm Khuyến nông tỉnh",
        D(2020, 8, 12),
    ),
    (
        "Hỗ trợ cấp giấy chứng nhận VietGAP cho 30 ha vải thiều",
        D(2020, 9, 15),
        120_000_000,
        BudgetSource.PROVINCE,
        "Tổ chức chứng nhận VietGAP",
        D(2020, 10, 20),
    ),
    (
        "Thiết kế bao bì, nhãn mác và tem truy xuất nguồn gốc",
        D(2020, 10, 10),
        35_000_000,
        BudgetSource.COOPERATIVE,
        "",
        D(2020, 11, 5),
    ),
    (
        "Kết nối tiêu thụ với doanh nghiệp xuất khẩu nông sản",
        D(2020, 11, 20),
        20_000_000,
        BudgetSource.PARTNER,
        "Công ty TNHH Xuất nhập khẩu nông sản Bắc Giang",
        D(2020, 11, 25),
    ),
]
GA_ACTIVITIES = [
    (
        "Tập huấn chăn nuôi gà an toàn sinh học cho thành viên",
        D(2020, 9, 15),
        30_000_000,
        BudgetSource.PROVINCE,
        "Trung tâm Dịch vụ nông nghiệp huyện Yên Thế",
        D(2020, 9, 18),
    ),
    (
        "Xây dựng khu sơ chế, giết mổ gà tập trung",
        D(2020, 11, 15),
        350_000_000,
        BudgetSource.CENTRAL,
        "",
        D(2020, 12, 20),
    ),
    (
        "Hỗ trợ tiêu thụ gà đồi dịp Tết Tân Sửu tại Hà Nội",
        D(2021, 1, 25),
        25_000_000,
        BudgetSource.PARTNER,
        "Chuỗi cửa hàng thực phẩm sạch tại Hà Nội",
        D(2021, 2, 5),
    ),
    (
        "Lập hồ sơ đánh giá, phân hạng sản phẩm OCOP cho gà đồi",
        D(2021, 4, 15),
        40_000_000,
        BudgetSource.PROVINCE,
        "Văn phòng Điều phối nông thôn mới tỉnh",
        None,
    ),
    (
        "Tham gia Hội chợ nông sản, sản phẩm OCOP",
        D(2021, 5, 20),
        15_000_000,
        BudgetSource.PROVINCE,
        "",
        None,
    ),
]


def _officer() -> User:
    username, first, last = OFFICER
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username, role=Role.STAFF, department=Department.VALUE_CHAIN, first_name=first, last_name=last
        )
        user.set_password(registry_demo.DEMO_PASSWORD)
        user.save()
    return user


def _pick(plan: list[tuple[str, str, str]], taken: set[int]) -> dict[str, Organization]:
    """The first agricultural HTX by code of each (district, product), operating through 2020–2021."""
    steady = Organization.objects.active_on(D(2020, 1, 1)).filter(
        pk__in=Organization.objects.active_on(REPORT_DAY).values("pk")
    )
    tan_yen_account = registry_demo.demo_cooperative()
    chosen = {}
    for key, district, words in plan:
        qs = (
            steady.current()
            .filter(kind=OrgKind.HTX, sector=Sector.AGRICULTURE, commune__parent__name=district, name__icontains=words)
            .exclude(pk__in=taken)
            .order_by("code")
        )
        # The demo cooperative account's own HTX is a candidate, so that account sees a survey.
        if tan_yen_account and qs.filter(pk=tan_yen_account.pk).exists():
            org = tan_yen_account
        else:
            org = qs.first()
        if org is None:
            raise RuntimeError("the registry demo must be loaded first")
        chosen[key] = org
        taken.add(org.pk)
    return chosen


def _programme(*, name, year, description, budget, by) -> tuple[Programme, list]:
    programme = services.programme_create(name=name, year_from=year, description=description, budget=budget, by=by)
    criteria = [
        services.criterion_add(
            programme=programme,
            text=text,
            guidance=guidance,
            max_score=max_score,
            required=pass_score is not None,
            pass_score=pass_score,
            by=by,
        )
        for text, guidance, max_score, pass_score in CRITERIA
    ]
    services.programme_set_status(programme=programme, status=ProgrammeStatus.SURVEY, by=by)
    return programme, criteria


def _surveys(programme, criteria, orgs: dict, plan: dict, by) -> dict:
    surveys = {}
    for key, (surveyed_on, done_on, scores, answers) in plan.items():
        survey = services.survey_create(
            programme=programme,
            organization=orgs[key],
            surveyed_on=surveyed_on,
            surveyors=SURVEYORS,
            status=SurveyStatus.UNDER_WAY,
            by=by,
        )
        given = {c: Score(score, text) for c, score, text in zip(criteria, scores, answers, strict=False)}
        services.survey_score(survey=survey, answers=given, by=by)
        if done_on:
            services.survey_mark_done(survey=survey, done_on=done_on, by=by)
        surveys[key] = survey
    return surveys


def _plan(selection, *, title, starts_on, ends_on, approved_on, partners, activities, by):
    plan = services.plan_create(
        selection=selection, title=title, starts_on=starts_on, ends_on=ends_on, partners=partners, by=by
    )
    services.plan_set_status(plan=plan, status=PlanStatus.APPROVED, on=approved_on, by=by)
    services.plan_set_status(plan=plan, status=PlanStatus.IN_PROGRESS, on=starts_on, by=by)
    for description, planned_on, budget, source, partner, done_on in activities:
        activity = services.activity_add(
            plan=plan,
            description=description,
            planned_on=planned_on,
            budget=budget,
            budget_source=source,
            partner=partner,
            by=by,
        )
        if done_on:
            services.activity_set_status(activity=activity, status=ActivityStatus.DONE, on=done_on, by=by)
    return plan


@transaction.atomic
def load() -> dict:
    """Write the demo programmes, surveys, selection and support plans; returns counts."""
    if Programme.objects.exists():
        raise RuntimeError("value chains are not empty")
    by = _officer()
    taken: set[int] = set()
    orgs_2020 = _pick(CANDIDATES_2020, taken)
    orgs_2021 = _pick(CANDIDATES_2021, taken)

    # 2020: surveyed in May–June, selection in July, plans from August; closed.
    p2020, criteria_2020 = _programme(
        name="Hỗ trợ xây dựng chuỗi giá trị năm 2020",
        year=2020,
        description=(
            "Khảo sát, lựa chọn HTX nông nghiệp đủ điều kiện và hỗ trợ xây dựng chuỗi giá trị sản phẩm chủ lực."
        ),
        budget=800_000_000,
        by=by,
    )
    s2020 = _surveys(p2020, criteria_2020, orgs_2020, SURVEYS_2020, by)
    selections = services.selection_record(
        programme=p2020,
        decisions=[
            Decision(s2020["vai_2020"], True),
            Decision(s2020["ga_2020"], True),
            Decision(s2020["dvnn_2020"], False, "Điểm thấp; chưa có vùng sản xuất tập trung và hợp đồng tiêu thụ."),
            Decision(s2020["rau_2020"], False, "Không đáp ứng tiêu chí bắt buộc về vốn đối ứng."),
        ],
        decided_on=D(2020, 7, 15),
        decision_number="45/QĐ-LMHTX",
        by=by,
    )
    vai_plan = _plan(
        selections[0],
        title="Kế hoạch hỗ trợ xây dựng chuỗi giá trị vải thiều Lục Ngạn năm 2020",
        starts_on=D(2020, 8, 1),
        ends_on=D(2020, 12, 31),
        approved_on=D(2020, 7, 28),
        partners="Trung tâm Khuyến nông tỉnh; Công ty TNHH Xuất nhập khẩu nông sản Bắc Giang",
        activities=VAI_ACTIVITIES,
        by=by,
    )
    services.plan_set_status(plan=vai_plan, status=PlanStatus.DONE, on=D(2020, 12, 28), by=by)
    services.product_add(
        plan=vai_plan,
        name="Vải thiều Lục Ngạn",
        description="Vải thiều tươi đạt VietGAP, đóng hộp 5 kg có tem truy xuất nguồn gốc.",
        certification="VietGAP",
        by=by,
    )
    services.product_add(
        plan=vai_plan, name="Vải thiều sấy khô", description="Vải sấy khô đóng túi 1 kg.", ocop_stars=3, by=by
    )
    ga_plan = _plan(
        selections[1],
        title="Kế hoạch hỗ trợ xây dựng chuỗi giá trị gà đồi Yên Thế giai đoạn 2020–2021",
        starts_on=D(2020, 9, 1),
        ends_on=D(2021, 6, 30),
        approved_on=D(2020, 8, 20),
        partners="Trung tâm Dịch vụ nông nghiệp huyện Yên Thế; chuỗi cửa hàng thực phẩm sạch tại Hà Nội",
        activities=GA_ACTIVITIES,
        by=by,
    )
    services.product_add(
        plan=ga_plan,
        name="Gà đồi Yên Thế",
        description="Gà thịt thả đồi, giết mổ và sơ chế tập trung.",
        certification="Nhãn hiệu chứng nhận “Gà đồi Yên Thế”",
        by=by,
    )
    services.programme_set_status(programme=p2020, status=ProgrammeStatus.CLOSED, by=by)

    # 2021: open for survey in Q1, four surveys done before 15/03/2021, two under way.
    p2021, criteria_2021 = _programme(
        name="Hỗ trợ xây dựng chuỗi giá trị năm 2021",
        year=2021,
        description=(
            "Thực hiện Kế hoạch của Liên minh HTX tỉnh năm 2021: khảo sát, lựa chọn các HTX đủ điều kiện "
            "xây dựng chuỗi giá trị (vải thiều, gà đồi, cam bưởi, rau an toàn, lúa gạo) và hỗ trợ xây dựng chuỗi."
        ),
        budget=1_000_000_000,
        by=by,
    )
    s2021 = _surveys(p2021, criteria_2021, orgs_2021, SURVEYS_2021, by)
    return {
        "programmes": 2,
        "criteria": len(criteria_2020) + len(criteria_2021),
        "surveys": len(s2020) + len(s2021),
        "surveys_done": sum(1 for s in [*s2020.values(), *s2021.values()] if s.status == SurveyStatus.DONE),
        "selections": len(selections),
        "plans": 2,
        "activities": len(VAI_ACTIVITIES) + len(GA_ACTIVITIES),
        "products": 3,
    }
