"""The words of the demo register: products and business lines, names of people and places.

Plausible, not real: organisation names are built from these words and commune names
(see ``demo.py``); people's names are common Vietnamese family, middle and given names.
"""

import datetime
from dataclasses import dataclass, field

from .models import Sector


@dataclass(frozen=True)
class Product:
    """What a cooperative does: the words of its name, its business lines, where it is common."""

    sector: str
    phrase: str
    lines: str
    districts: dict = field(default_factory=dict)  # short district name -> extra weight
    weight: int = 10
    first_year: int = 1990
    last_year: int = 2100
    place: bool = True  # whether the commune name reads well after the phrase


PRODUCTS = [
    Product(
        Sector.AGRICULTURE,
        "Dịch vụ nông nghiệp",
        "Dịch vụ trồng trọt; Dịch vụ chăn nuôi; Bán buôn phân bón, thuốc bảo vệ thực vật; Dịch vụ thủy lợi nội đồng",
        weight=40,
        last_year=2012,
    ),
    Product(
        Sector.AGRICULTURE,
        "Dịch vụ nông nghiệp tổng hợp",
        "Dịch vụ trồng trọt; Dịch vụ chăn nuôi; Bán buôn nông sản; Cung ứng vật tư nông nghiệp",
        weight=8,
    ),
    Product(
        Sector.AGRICULTURE,
        "Vải thiều",
        "Trồng cây ăn quả; Sơ chế, bảo quản vải thiều; Bán buôn nông sản",
        {"Lục Ngạn": 8, "Lục Nam": 4, "Tân Yên": 2, "Yên Thế": 1},
    ),
    Product(
        Sector.AGRICULTURE,
        "Sản xuất và tiêu thụ vải thiều",
        "Trồng vải theo tiêu chuẩn VietGAP; Sơ chế, đóng gói quả; Bán buôn nông sản",
        {"Lục Ngạn": 6, "Lục Nam": 3, "Tân Yên": 2},
        first_year=2008,
    ),
    Product(
        Sector.AGRICULTURE,
        "Chăn nuôi gà đồi",
        "Chăn nuôi gà; Giết mổ, sơ chế gia cầm; Bán buôn gia cầm",
        {"Yên Thế": 10, "Lục Nam": 1, "Tân Yên": 1, "Lạng Giang": 1},
    ),
    Product(
        Sector.AGRICULTURE,
        "Sản xuất rau an toàn",
        "Trồng rau, đậu các loại; Sơ chế rau quả; Bán buôn rau quả tươi",
        {"Hiệp Hòa": 3, "Việt Yên": 3, "Yên Dũng": 2, "Tân Yên": 1, "Lạng Giang": 1, "Bắc Giang": 2},
    ),
    Product(
        Sector.AGRICULTURE,
        "Sản xuất và tiêu thụ lúa gạo",
        "Trồng lúa; Dịch vụ làm đất, gieo cấy, thu hoạch; Xay xát và bán buôn gạo",
        {"Yên Dũng": 3, "Hiệp Hòa": 3, "Lạng Giang": 2, "Việt Yên": 1, "Tân Yên": 1},
    ),
    Product(
        Sector.AGRICULTURE,
        "Cam bưởi",
        "Trồng cây có múi; Bán buôn hoa quả",
        {"Lục Ngạn": 5, "Lục Nam": 2, "Sơn Động": 1},
        first_year=2010,
    ),
    Product(
        Sector.AGRICULTURE,
        "Trồng và tiêu thụ na",
        "Trồng cây ăn quả; Bán buôn hoa quả",
        {"Lục Nam": 4, "Lục Ngạn": 1},
        first_year=2008,
    ),
    Product(
        Sector.AGRICULTURE,
        "Lâm nghiệp",
        "Trồng rừng và chăm sóc rừng; Khai thác gỗ rừng trồng; Ươm giống cây lâm nghiệp",
        {"Sơn Động": 8, "Lục Ngạn": 2, "Yên Thế": 2, "Lục Nam": 2},
    ),
    Product(
        Sector.AGRICULTURE,
        "Nuôi trồng thủy sản",
        "Nuôi trồng thủy sản nội địa; Sản xuất giống thủy sản",
        {"Yên Dũng": 4, "Hiệp Hòa": 1, "Lạng Giang": 1, "Việt Yên": 1},
    ),
    Product(
        Sector.AGRICULTURE,
        "Chăn nuôi",
        "Chăn nuôi lợn; Chăn nuôi trâu, bò; Sản xuất thức ăn chăn nuôi",
        {"Lạng Giang": 2, "Hiệp Hòa": 2, "Tân Yên": 1, "Yên Dũng": 1},
    ),
    Product(
        Sector.AGRICULTURE,
        "Sản xuất nấm",
        "Trồng nấm; Sơ chế, sấy khô nấm; Bán buôn nông sản",
        {"Tân Yên": 2, "Lạng Giang": 1, "Yên Dũng": 1},
        weight=4,
        first_year=2012,
    ),
    Product(
        Sector.AGRICULTURE,
        "Nuôi ong lấy mật",
        "Nuôi ong; Chế biến, đóng chai mật ong",
        {"Yên Thế": 3, "Lục Ngạn": 1, "Sơn Động": 2},
        weight=4,
    ),
    Product(
        Sector.AGRICULTURE,
        "Trồng dược liệu",
        "Trồng cây dược liệu; Sơ chế dược liệu",
        {"Sơn Động": 4, "Lục Ngạn": 1, "Yên Thế": 1},
        weight=4,
        first_year=2014,
    ),
    Product(
        Sector.AGRICULTURE,
        "Nông nghiệp công nghệ cao",
        "Trồng rau, hoa trong nhà màng; Sản xuất giống cây trồng; Bán buôn nông sản",
        weight=5,
        first_year=2016,
        place=False,
    ),
    Product(
        Sector.AGRICULTURE,
        "Nông sản sạch",
        "Trồng trọt; Bán buôn, bán lẻ nông sản an toàn",
        weight=5,
        first_year=2015,
        place=False,
    ),
    Product(
        Sector.AGRICULTURE,
        "Dịch vụ thủy nông",
        "Dịch vụ tưới tiêu; Quản lý công trình thủy lợi nội đồng",
        weight=4,
        last_year=2012,
    ),
    Product(
        Sector.INDUSTRY,
        "Mây tre đan",
        "Sản xuất sản phẩm mây tre đan; Bán buôn hàng thủ công mỹ nghệ",
        {"Tân Yên": 1, "Việt Yên": 1, "Hiệp Hòa": 1, "Yên Dũng": 1},
    ),
    Product(
        Sector.INDUSTRY,
        "Sản xuất bánh đa",
        "Sản xuất bánh đa, bún, phở khô; Bán buôn thực phẩm",
        {"Bắc Giang": 6},
        weight=3,
    ),
    Product(
        Sector.INDUSTRY, "Rượu làng Vân", "Sản xuất rượu; Bán buôn đồ uống", {"Việt Yên": 6}, weight=1, place=False
    ),
    Product(
        Sector.INDUSTRY,
        "Sản xuất mỳ gạo",
        "Sản xuất mỳ, bún khô từ gạo; Bán buôn thực phẩm",
        {"Lục Ngạn": 6, "Lục Nam": 1},
        weight=3,
    ),
    Product(
        Sector.INDUSTRY, "Chế biến nông sản", "Chế biến và bảo quản rau quả; Sấy khô nông sản", weight=6, place=False
    ),
    Product(Sector.INDUSTRY, "Cơ khí nông nghiệp", "Sản xuất, sửa chữa máy móc nông nghiệp; Gia công cơ khí", weight=3),
    Product(
        Sector.INDUSTRY,
        "May mặc",
        "May trang phục; Gia công hàng may mặc",
        {"Hiệp Hòa": 2, "Việt Yên": 2, "Lạng Giang": 1},
        weight=3,
    ),
    Product(Sector.INDUSTRY, "Mộc dân dụng", "Sản xuất đồ gỗ dân dụng; Bán buôn đồ gỗ", weight=3),
    Product(
        Sector.CONSTRUCTION,
        "Xây dựng",
        "Xây dựng công trình dân dụng; Xây dựng công trình giao thông nông thôn; Lắp đặt hệ thống điện",
    ),
    Product(
        Sector.CONSTRUCTION,
        "Xây dựng và dịch vụ tổng hợp",
        "Xây dựng nhà các loại; Bán buôn vật liệu xây dựng; Vận tải hàng hóa bằng đường bộ",
        place=False,
    ),
    Product(Sector.TRADE, "Dịch vụ tổng hợp", "Bán buôn nông sản; Bán lẻ hàng tiêu dùng; Dịch vụ hỗ trợ thành viên"),
    Product(Sector.TRADE, "Thương mại và dịch vụ", "Bán buôn tổng hợp; Bán lẻ hàng hóa; Đại lý, môi giới", place=False),
    Product(
        Sector.TRADE,
        "Quản lý và kinh doanh chợ",
        "Quản lý, khai thác chợ; Cho thuê quầy, ki-ốt",
        {"Bắc Giang": 2},
        weight=4,
    ),
    Product(
        Sector.TRADE,
        "Du lịch cộng đồng",
        "Dịch vụ lưu trú ngắn ngày; Dịch vụ ăn uống; Điều hành tour du lịch",
        {"Sơn Động": 4, "Yên Thế": 2, "Lục Ngạn": 1},
        weight=1,
        first_year=2015,
    ),
    Product(
        Sector.TRANSPORT,
        "Vận tải",
        "Vận tải hàng hóa bằng đường bộ; Vận tải hành khách bằng xe khách",
        {"Bắc Giang": 4, "Lạng Giang": 1, "Hiệp Hòa": 1, "Việt Yên": 1},
    ),
    Product(
        Sector.TRANSPORT,
        "Vận tải hành khách và hàng hóa",
        "Vận tải hành khách đường bộ; Vận tải hàng hóa bằng ô tô; Dịch vụ hỗ trợ vận tải",
        place=False,
    ),
    Product(
        Sector.ENVIRONMENT,
        "Dịch vụ vệ sinh môi trường",
        "Thu gom rác thải không độc hại; Xử lý rác thải sinh hoạt; Vệ sinh công cộng",
    ),
    Product(Sector.ENVIRONMENT, "Cấp nước sạch nông thôn", "Khai thác, xử lý và cung cấp nước sạch", weight=5),
    Product(
        Sector.OTHER, "Dịch vụ việc làm và đào tạo nghề", "Dạy nghề ngắn hạn; Dịch vụ giới thiệu việc làm", place=False
    ),
]
# The rural electricity cooperatives of the 1990s: handed their grids to the power company
# and dissolved in 2013-2015. Used only for those dissolutions.
ELECTRICITY = Product(
    Sector.TRADE, "Dịch vụ điện năng", "Quản lý, vận hành lưới điện hạ áp nông thôn; Bán lẻ điện", place=True
)

THT_PRODUCTS = [
    (Sector.AGRICULTURE, "nuôi ong", {"Yên Thế": 4, "Sơn Động": 2, "Lục Ngạn": 2}),
    (Sector.AGRICULTURE, "sản xuất rau an toàn", {"Hiệp Hòa": 2, "Việt Yên": 2, "Yên Dũng": 2}),
    (Sector.AGRICULTURE, "chăn nuôi gà", {"Yên Thế": 4, "Lục Nam": 1}),
    (Sector.AGRICULTURE, "trồng vải thiều", {"Lục Ngạn": 4, "Lục Nam": 2}),
    (Sector.AGRICULTURE, "nuôi cá", {"Yên Dũng": 2, "Hiệp Hòa": 1}),
    (Sector.AGRICULTURE, "trồng nấm", {"Tân Yên": 2}),
    (Sector.AGRICULTURE, "trồng cây ăn quả", {}),
    (Sector.AGRICULTURE, "chăn nuôi lợn", {"Lạng Giang": 2}),
    (Sector.AGRICULTURE, "trồng dược liệu", {"Sơn Động": 3}),
    (Sector.INDUSTRY, "mây tre đan", {"Tân Yên": 1, "Việt Yên": 1}),
    (Sector.INDUSTRY, "làm chổi chít", {"Sơn Động": 3, "Lục Ngạn": 1}),
    (Sector.INDUSTRY, "sản xuất bánh đa", {"Bắc Giang": 3}),
    (Sector.ENVIRONMENT, "thu gom rác thải", {}),
]

# Real names of real unions are avoided; these are plausible ones. (name, commune, founded)
LHHTX_SPECS = [
    ("Liên hiệp hợp tác xã Thương mại Bắc Giang", "Phường Trần Phú", datetime.date(2008, 9, 16), Sector.TRADE),
    (
        "Liên hiệp hợp tác xã Dịch vụ nông nghiệp Hiệp Hòa",
        "Thị trấn Thắng",
        datetime.date(2012, 4, 10),
        Sector.AGRICULTURE,
    ),
    ("Liên hiệp hợp tác xã Vải thiều Lục Ngạn", "Thị trấn Chũ", datetime.date(2016, 5, 23), Sector.AGRICULTURE),
    ("Liên hiệp hợp tác xã Gà đồi Yên Thế", "Thị trấn Phồn Xương", datetime.date(2018, 8, 7), Sector.AGRICULTURE),
    (
        "Liên hiệp hợp tác xã Nông nghiệp Tân Yên",
        "Thị trấn Cao Thượng",
        datetime.date(2019, 11, 12),
        Sector.AGRICULTURE,
    ),
    (
        "Liên hiệp hợp tác xã Nông sản an toàn Lục Nam",
        "Thị trấn Đồi Ngô",
        datetime.date(2020, 6, 18),
        Sector.AGRICULTURE,
    ),
    ("Liên hiệp hợp tác xã Rau quả Việt Yên", "Thị trấn Bích Động", datetime.date(2023, 4, 20), Sector.AGRICULTURE),
]

FAMILY = (
    ["Nguyễn"] * 30
    + ["Trần"] * 7
    + ["Lê"] * 6
    + ["Thân"] * 5
    + ["Giáp"] * 4
    + ["Phạm"] * 4
    + ["Hoàng"] * 4
    + [
        "Vũ",
        "Vũ",
        "Vũ",
        "Đỗ",
        "Đỗ",
        "Ngô",
        "Ngô",
        "Dương",
        "Dương",
        "Đặng",
        "Bùi",
        "Bùi",
        "Hà",
        "Lương",
        "Nông",
        "Chu",
        "Đào",
        "Lưu",
        "Vi",
        "La",
        "Tạ",
        "Phùng",
        "Trịnh",
    ]
)
MALE_MIDDLE = ["Văn"] * 8 + ["Đức", "Hữu", "Minh", "Quang", "Xuân", "Đình", "Công", "Mạnh", "Thanh", "Ngọc"]
FEMALE_MIDDLE = ["Thị"] * 8 + ["Thu", "Thanh", "Ngọc", "Minh", "Hồng", "Kim"]
MALE_GIVEN = [
    "Hùng",
    "Dũng",
    "Tuấn",
    "Hải",
    "Thắng",
    "Bình",
    "Cường",
    "Long",
    "Nam",
    "Sơn",
    "Tùng",
    "Phong",
    "Quân",
    "Thành",
    "Chiến",
    "Toàn",
    "Khánh",
    "Huy",
    "Trung",
    "Vinh",
    "Đạt",
    "Hiếu",
    "Mạnh",
    "Kiên",
    "Lâm",
    "Tiến",
    "Thịnh",
    "Hưng",
    "Quyết",
    "Việt",
    "Hòa",
    "Luân",
    "Thuận",
    "Tâm",
    "Bảo",
    "Lợi",
    "Nghĩa",
    "Phúc",
    "Trường",
    "Sáng",
    "Hiệp",
    "Chung",
    "Tĩnh",
    "Điệp",
    "Tuyên",
]
FEMALE_GIVEN = [
    "Lan",
    "Hoa",
    "Hương",
    "Thủy",
    "Hiền",
    "Hạnh",
    "Nga",
    "Mai",
    "Hằng",
    "Huyền",
    "Linh",
    "Nhung",
    "Loan",
    "Yến",
    "Thảo",
    "Trang",
    "Phương",
    "Dung",
    "Oanh",
    "Liên",
    "Tuyết",
    "Vân",
    "Hà",
    "Thơm",
    "Nhàn",
]
VILLAGES = [
    "Đồng Quan",
    "Trại Mới",
    "Tiền Phong",
    "Đông Tiến",
    "Hòa Bình",
    "Hợp Tiến",
    "Tân Thành",
    "Thống Nhất",
    "Quyết Tiến",
    "Đồng Tâm",
    "Chiến Thắng",
    "Minh Khai",
    "An Lập",
    "Bình An",
    "Đồng Bài",
    "Trại Đình",
    "Làng Chay",
    "Đồng Sen",
    "Gốc Gạo",
    "Cầu Trang",
    "Đồng Mới",
    "Tân Lập",
    "Phú Thọ",
    "Khuôn Thần",
    "Na Hoa",
    "Bến Cát",
    "Ao Dài",
    "Dốc Đỏ",
    "Đồng Điều",
    "Làng Thượng",
    "Làng Trung",
    "Làng Hạ",
    "Thôn Đình",
    "Hố Cao",
    "Đồng Cống",
    "Tân Mỹ",
    "Đồng Lạc",
    "Kép Hai",
    "Cẩm Xuyên",
    "Bãi Ổi",
]
BRANDS = [
    "Thành Công",
    "Phát Đạt",
    "Hưng Thịnh",
    "Việt Hưng",
    "Thịnh Phát",
    "An Phú",
    "Tiến Đạt",
    "Hưng Phát",
    "Phú Lộc",
    "Toàn Thắng",
    "Đại Phát",
    "Hồng Phát",
    "Minh Tâm",
    "Nông Phát",
    "Sao Mai",
    "Bình Minh",
    "Thiên Phúc",
    "Quyết Thắng",
    "Đồng Xanh",
    "Nhật Minh",
    "Tâm An",
    "Phúc Lợi",
    "Thuận Thành",
    "Kim Sơn",
    "Bảo Ngọc",
    "Hải Long",
    "Trường Xuân",
    "Xuân Hòa",
    "Đức Thịnh",
    "Ngọc Lan",
    "Tân Tiến",
    "Vạn Phúc",
]
STREETS = [
    "Lê Lợi",
    "Nguyễn Văn Cừ",
    "Hùng Vương",
    "Xương Giang",
    "Nguyễn Thị Lưu",
    "Trần Nguyên Hãn",
    "Ngô Gia Tự",
    "Hoàng Văn Thụ",
    "Lý Thái Tổ",
    "Giáp Hải",
]
MOBILE_PREFIXES = ["091", "094", "098", "097", "096", "090", "093", "088", "086", "083", "036", "037", "038", "039"]
