"""The draft text of a report: its sections in the seed report's order, written from figures and the journal.

Text holds figures as tokens, ``[[htx_active]]``, so a figure stays linked to its records
while staff edit the words around it; ``render`` puts the values in. Journal entries of the
period become the sentences of their area's section.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from hoptac.journal.models import Area, DocumentKind, JournalEntry
from hoptac.journal.selectors import documents, journal_entries

from .figures import COMPARED, Figure, as_of_text
from .periods import Period

TOKEN = re.compile(r"\[\[([a-z0-9_]+)\]\]")


@dataclass(frozen=True)
class SectionSpec:
    key: str
    heading: str  # the run-in heading the report opens the paragraph with
    areas: tuple[str, ...] = ()  # journal areas whose entries it takes


SECTIONS = (
    SectionSpec(
        "advising",
        "Công tác tham mưu với cấp ủy, chính quyền địa phương, BCĐ phát triển kinh tế tập thể",
        (Area.ADVISING,),
    ),
    SectionSpec("conferences", "Công tác tổ chức hội nghị, ký kết chương trình phối hợp"),
    SectionSpec("promotion", "Công tác tuyên truyền, vận động phát triển HTX, Liên hiệp HTX", (Area.PROMOTION,)),
    SectionSpec("proposals", "Công tác xây dựng đề án"),
    SectionSpec("capital", "Công tác hỗ trợ vốn", (Area.CAPITAL,)),
    SectionSpec("information", "Công tác quản trị hệ thống thông tin", (Area.INFORMATION,)),
    SectionSpec("training", "Công tác bồi dưỡng, tập huấn", (Area.TRAINING,)),
    SectionSpec("value_chains", "Công tác hỗ trợ xây dựng chuỗi giá trị", (Area.VALUE_CHAINS,)),
    SectionSpec("emulation", "Công tác Thi đua, Khen thưởng", (Area.EMULATION,)),
    SectionSpec("plans", "Công tác xây dựng kế hoạch", (Area.OTHER,)),
    SectionSpec("comparison", "So sánh với cùng kỳ năm trước"),
)
SECTION_KEYS = [s.key for s in SECTIONS]
HEADINGS = {s.key: s.heading for s in SECTIONS}


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".…!?:;" else text + "."


def _join(items: list[str]) -> str:
    """ "a, b và c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " và " + items[-1]


def _promotion(period: Period, as_of, figures: dict[str, Figure]) -> list[str]:
    text = (
        f"Tính đến ngày {as_of_text(as_of)}, {period.in_period} đã có [[htx_founded]] HTX thành lập mới, "
        "nâng tổng số HTX đang hoạt động: [[htx_active]] HTX; Quỹ tín dụng nhân dân [[qtdnd_active]] quỹ"
    )
    if figures["lhhtx_active"].value:
        text += "; Liên hiệp HTX [[lhhtx_active]] liên hiệp"
    if figures["tht_active"].value:
        text += "; Tổ hợp tác [[tht_active]] tổ"
    if figures["htx_dissolved"].value:
        text += f". {period.in_period.capitalize()} có [[htx_dissolved]] HTX giải thể, chấm dứt hoạt động"
    return [_sentence(text)]


def _capital(period: Period, as_of, figures: dict[str, Figure]) -> list[str]:
    lines = []
    by_source = [f for f in figures.values() if f.key.startswith("capital_in_source_")]
    if by_source:
        parts = [f"nguồn vốn {f.label.removeprefix('Vốn tiếp nhận: ')} với số tiền [[{f.key}]]" for f in by_source]
        lines.append(_sentence(f"{period.in_period.capitalize()}, tiếp nhận, triển khai " + "; ".join(parts)))
    elif figures["capital_in"].value:
        lines.append(f"Tiếp nhận, triển khai nguồn vốn {period.in_period} với số tiền [[capital_in]].")
    lines.append(
        f"Tổng nguồn vốn Quỹ đến ngày {as_of_text(as_of)} là [[capital_total]]; tổng số dự án đang vay "
        "[[loans_outstanding]] dự án với số tiền [[outstanding]]."
    )
    if figures["overdue_loans"].value:
        lines.append("Có [[overdue_loans]] dự án có nợ quá hạn, nợ gốc quá hạn [[overdue_principal]].")
    else:
        lines.append("Không có dự án nợ quá hạn.")
    return lines


def _emulation(period: Period, as_of, figures: dict[str, Figure]) -> list[str]:
    parts = [f"[[{f.key}]] {f.label}" for f in figures.values() if f.section == "emulation" and f.key != "awards_total"]
    if not parts:
        return []
    return [
        _sentence(f"{period.in_period.capitalize()}, các tập thể và cá nhân được khen thưởng gồm: " + "; ".join(parts))
    ]


def _told(period: Period, as_of) -> set[int]:
    """Documents that a journal entry of the period links: the entry tells of them in the staff's words."""
    end = min(as_of, period.date_to)
    return set(
        JournalEntry.documents.through.objects.filter(
            journalentry__on__gte=period.date_from, journalentry__on__lte=end
        ).values_list("document_id", flat=True)
    )


def _proposals(period: Period, as_of, figures: dict[str, Figure]) -> list[str]:
    end = min(as_of, period.date_to)
    drafted = documents(date_from=period.date_from, date_to=end, kind=DocumentKind.PROPOSAL).order_by(
        "drafted_on", "id"
    )
    if not drafted or {d.pk for d in drafted} <= _told(period, as_of):
        return []
    titles = [f"“{d.title}”" for d in drafted]
    if not titles:
        return []
    return [
        _sentence(
            "Triển khai xây dựng dự thảo [[proposals]] đề án: "
            + _join(["Đề án " + titles[0], *["đề án " + t for t in titles[1:]]])
        )
    ]


def _conferences(period: Period, as_of, figures: dict[str, Figure]) -> list[str]:
    end = min(as_of, period.date_to)
    signed = documents(date_from=period.date_from, date_to=end, kind=DocumentKind.COOPERATION).filter(
        issued_on__gte=period.date_from, issued_on__lte=end
    )
    signed = list(signed.order_by("issued_on", "id"))
    if not signed or {d.pk for d in signed} <= _told(period, as_of):
        return []
    names = [f"{d.title} với {d.partner}" if d.partner else d.title for d in signed]
    if not names:
        return []
    return [_sentence(f"Ký kết [[cooperation_signed]] chương trình phối hợp: {_join(names)}")]


def _plans(period: Period, as_of, figures: dict[str, Figure]) -> list[str]:
    end = min(as_of, period.date_to)
    plans = documents(date_from=period.date_from, date_to=end, kind=DocumentKind.PLAN).filter(
        issued_on__gte=period.date_from, issued_on__lte=end
    )
    items = [f"{d.title} (số {d.number} ngày {d.issued_on:%d/%m/%Y})" for d in plans.order_by("issued_on", "id")]
    if not items:
        return []
    return [_sentence(f"Ban hành [[plans_issued]] kế hoạch: {'; '.join(items)}")]


def _change(now: Figure, before: Figure) -> str:
    if now.value == before.value:
        return f"không đổi ([[{now.key}]])"
    verb = "tăng" if now.value > before.value else "giảm"
    return (
        f"{verb} từ [[{before.key}]] lên [[{now.key}]]"
        if verb == "tăng"
        else f"{verb} từ [[{before.key}]] xuống [[{now.key}]]"
    )


def _comparison(period: Period, as_of, figures: dict[str, Figure]) -> list[str]:
    """Only the annual report has it: the main figures against the same period a year earlier."""
    pairs = [(figures[k], figures[f"prev_{k}"]) for k in COMPARED if f"prev_{k}" in figures]
    if not pairs:
        return []
    return [_sentence(f"{now.label}: {_change(now, before)}") for now, before in pairs]


def _training(period: Period, as_of, figures: dict[str, Figure]) -> list[str]:
    if not figures["training_courses"].value:
        return []
    text = (
        f"{period.in_period.capitalize()} đã tổ chức [[training_courses]] lớp bồi dưỡng, tập huấn "
        "với [[training_participants]] lượt học viên"
    )
    if figures["training_organizations"].value:
        text += " của [[training_organizations]] HTX, tổ chức"
    if figures["training_budget"].value:
        text += ", kinh phí [[training_budget]]"
    return [_sentence(text)]


def _value_chains(period: Period, as_of, figures: dict[str, Figure]) -> list[str]:
    f = {k.removeprefix("vc_"): v for k, v in figures.items() if k.startswith("vc_")}
    parts = []
    if f["cooperatives_surveyed"].value:
        text = "khảo sát [[vc_cooperatives_surveyed]] HTX"
        if f["surveys_done"].value:
            text += " (hoàn thành [[vc_surveys_done]] phiếu)"
        parts.append(text)
    if f["selected"].value:
        parts.append("lựa chọn [[vc_selected]] HTX xây dựng chuỗi")
    if f["plans_approved"].value:
        parts.append("duyệt [[vc_plans_approved]] kế hoạch hỗ trợ")
    if f["plans_under_way"].value:
        parts.append("đang thực hiện [[vc_plans_under_way]] kế hoạch hỗ trợ chuỗi")
    if f["activities_done"].value:
        parts.append("hoàn thành [[vc_activities_done]] hoạt động hỗ trợ, kinh phí [[vc_activities_done_budget]]")
    if not parts:
        return []
    return [_sentence(f"{period.in_period.capitalize()}, " + "; ".join(parts))]


def _information(period: Period, as_of, figures: dict[str, Figure]) -> list[str]:
    if not figures["visits_per_day"].value:
        return []
    return [_sentence(f"Trung bình hằng ngày có khoảng [[visits_per_day]] lượt truy cập {_site_address()}")]


def _site_address() -> str:
    """Where the portal is, as the report names it: its host name, or the portal in general on a test machine."""
    host = urlsplit(settings.SITE_URL).hostname or ""
    if not host or host in ("localhost", "127.0.0.1", "::1"):
        return "cổng thông tin điện tử của Liên minh"
    return f"tại địa chỉ {host}"


# Sentences computed from figures, by section; apps may add their own (training, value chains).
WRITERS = {
    "promotion": _promotion,
    "capital": _capital,
    "emulation": _emulation,
    "proposals": _proposals,
    "conferences": _conferences,
    "plans": _plans,
    "comparison": _comparison,
    "training": _training,
    "value_chains": _value_chains,
    "information": _information,
}
# Sections whose computed sentences follow the journal's entries instead of leading them.
COMPUTED_LAST = {"information"}


def draft_sections(period: Period, as_of, figures: dict[str, Figure]) -> list[dict]:
    """[{key, heading, text}] in the report's order: computed sentences, then the journal's entries.

    Cooperation programmes signed and the alliance's own conferences (advising, other) go to the
    conference section; a programme's conference (the fund's yearly review) stays with its
    programme; the drafting of proposals goes to the proposals section; other entries to their
    area's section.
    """
    end = min(as_of, period.date_to)
    entries = list(journal_entries(date_from=period.date_from, date_to=end))
    by_section: dict[str, list[str]] = {key: [] for key in SECTION_KEYS}
    area_section = {area: s.key for s in SECTIONS for area in s.areas}
    for entry in entries:
        kinds = {d.kind for d in entry.documents.all()}
        if DocumentKind.COOPERATION in kinds or (entry.conference and entry.area in (Area.ADVISING, Area.OTHER)):
            key = "conferences"
        elif kinds == {DocumentKind.PROPOSAL}:
            key = "proposals"  # the drafting of a proposal is told where the proposals are
        else:
            key = area_section.get(entry.area, "plans")
        by_section[key].append(_sentence(entry.text))
    sections = []
    for spec in SECTIONS:
        writer = WRITERS.get(spec.key)
        computed = writer(period, as_of, figures) if writer else []
        paragraphs = by_section[spec.key] + computed if spec.key in COMPUTED_LAST else computed + by_section[spec.key]
        if spec.key == "comparison" and not paragraphs:
            continue  # a quarter's report has no comparison section
        sections.append({"key": spec.key, "heading": spec.heading, "text": "\n".join(paragraphs)})
    return sections


def render(text: str, figures: dict[str, Figure]) -> str:
    """The text with every [[token]] replaced by its figure's words (unknown tokens stay, visibly)."""
    return TOKEN.sub(lambda m: figures[m.group(1)].text if m.group(1) in figures else m.group(0), text)


def unknown_tokens(text: str, figures: dict[str, Figure]) -> list[str]:
    return sorted({m.group(1) for m in TOKEN.finditer(text) if m.group(1) not in figures})


def tokens_in(text: str) -> list[str]:
    seen = []
    for m in TOKEN.finditer(text):
        if m.group(1) not in seen:
            seen.append(m.group(1))
    return seen
