"""Reading and checking the values of a return: per field, across fields, and against last year.

Three levels, as DHIS2 has them:

- a field's value is read by its indicator's unit from what people type ("1.500.000.000",
  "12,5") or what an Excel cell holds, and checked against the range of the form's field
  (or else of the indicator) — a draft is refused only for these;
- on submission, required fields must be filled and the version's ``Rule`` rows hold
  (profit ≤ revenue; at least 7 official members for an HTX founded under the 2012 law, 5
  under the 2023 law), each rule only for the organisation kinds and founding dates it names;
- a number that moved more than the form's ``plausibility_factor`` up or down from the
  organisation's previous submitted or approved return is *flagged* for follow-up, never refused.

Messages are written beside the field they concern, keyed by the indicator's code.
"""

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hoptac.core.formatting import vi_number
from hoptac.core.text import normalize

from .models import FormField, FormVersion, Indicator, Operator, Return, Rule, Status, Unit

NON_FIELD = "__all__"
TEXT_MAX = 500
PERCENT_PLACES = Decimal("0.01")
# Units compared with last year: amounts, counts, shares (scores are bounded small numbers).
PLAUSIBILITY_UNITS = (Unit.MONEY, Unit.COUNT, Unit.PERCENT)
# Returns the year-over-year check compares with: what the organisation stood behind.
COMPARED_STATUSES = (Status.SUBMITTED, Status.APPROVED)
NUMBER_MAX = 9 * 10**18  # BigIntegerField


class Invalid(ValueError):
    """A value that cannot be read or is out of range; the message says why, for the user."""


@dataclass(frozen=True)
class Spec:
    """A field of a form version as validation needs it: the indicator and the field's own limits."""

    code: str
    indicator: Indicator
    required: bool
    min_value: int | None
    max_value: int | None
    section: str = ""
    order: int = 0
    field_id: int | None = None

    @property
    def unit(self) -> str:
        return self.indicator.unit

    @property
    def is_number(self) -> bool:
        return self.indicator.is_number

    @property
    def choices(self) -> list:
        return self.indicator.choices or []


def spec_of(form_field: FormField) -> Spec:
    indicator = form_field.indicator
    return Spec(
        code=indicator.code,
        indicator=indicator,
        required=form_field.required,
        min_value=form_field.min_value if form_field.min_value is not None else indicator.min_value,
        max_value=form_field.max_value if form_field.max_value is not None else indicator.max_value,
        section=form_field.section,
        order=form_field.order,
        field_id=form_field.pk,
    )


def specs_for(version: FormVersion) -> list[Spec]:
    """The fields of a version in their order, with their limits resolved (one query)."""
    fields = FormField.objects.filter(version=version).select_related("indicator").order_by("order", "id")
    return [spec_of(f) for f in fields]


def rules_for(version: FormVersion) -> list[Rule]:
    return list(Rule.objects.filter(version=version).select_related("left", "right").order_by("id"))


# ---------------------------------------------------------------- reading one value

_CURRENCY = re.compile(r"\s*(đồng|đ|vnđ|vnd|%)\s*$", re.IGNORECASE)
_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")
_DIGITS = re.compile(r"^\d+$")
_MINUS = ("-", "\u2212")


def _blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _compact(text: str) -> str:
    return _CURRENCY.sub("", text.strip()).replace("\u00a0", "").replace(" ", "")


def _sign(text: str) -> tuple[int, str]:
    if text.startswith(_MINUS):
        return -1, text[1:]
    if text.startswith("+"):
        return 1, text[1:]
    return 1, text


def read_whole(raw) -> int | None:
    """A whole number typed Vietnamese style ("1.500.000.000", "-200.000.000") or held by an Excel cell."""
    if _blank(raw):
        return None
    if isinstance(raw, bool):
        raise Invalid(_("Enter a number."))
    if isinstance(raw, int):
        number = raw
    elif isinstance(raw, (float, Decimal)):
        if raw != int(raw):
            raise Invalid(_("Enter a whole number, without decimals."))
        number = int(raw)
    else:
        sign, text = _sign(_compact(str(raw)))
        text = re.sub(r"^([\d.]+),0+$", r"\1", text)  # "1.500.000,00"
        if _GROUPED.match(text) or _DIGITS.match(text):
            number = sign * int(text.replace(".", ""))
        elif re.fullmatch(r"\d[\d.]*,\d+", text) or re.fullmatch(r"\d+\.\d{1,2}", text):
            raise Invalid(_("Enter a whole number, without decimals."))
        else:
            raise Invalid(_("Enter a whole number, with “.” between thousands (1.500.000.000)."))
    if abs(number) > NUMBER_MAX:
        raise Invalid(_("The number is too large."))
    return number


def read_percent(raw) -> Decimal | None:
    """A percentage with a decimal comma ("12,5"; "12.5" and "12,5%" are understood too)."""
    if _blank(raw):
        return None
    if isinstance(raw, bool):
        raise Invalid(_("Enter a number."))
    if isinstance(raw, (int, float, Decimal)):
        value = Decimal(str(raw))
    else:
        sign, text = _sign(_compact(str(raw)))
        if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", text):  # 1.234,5
            text = text.replace(".", "").replace(",", ".")
        elif re.fullmatch(r"\d+([.,]\d+)?", text):
            text = text.replace(",", ".")
        else:
            raise Invalid(_("Enter a percentage such as 12,5."))
        try:
            value = sign * Decimal(text)
        except InvalidOperation:
            raise Invalid(_("Enter a percentage such as 12,5.")) from None
    if value != value.quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP):
        raise Invalid(_("At most two digits after the decimal comma."))
    if abs(value) >= Decimal("10000000"):
        raise Invalid(_("The number is too large."))
    return value.quantize(PERCENT_PLACES)


def choice_label(choice: list, language: str | None = None) -> str:
    """A choice's label in the interface language: [code, Vietnamese, English]."""
    language = language or get_language() or "vi"
    if language.startswith("en") and len(choice) > 2 and choice[2]:
        return choice[2]
    return choice[1] if len(choice) > 1 else choice[0]


def read_choice(raw, choices: list) -> str:
    """A choice by its code or by its label in either language, ignoring case and diacritics."""
    if _blank(raw):
        return ""
    wanted = normalize(str(raw))
    for choice in choices:
        if any(normalize(str(part)) == wanted for part in choice[:3] if part):
            return choice[0]
    labels = "; ".join(choice_label(c) for c in choices)
    raise Invalid(_("Choose one of: %(choices)s.") % {"choices": labels})


def read_value(spec: Spec, raw) -> Any:
    """The value of raw for a field, by its unit: int, Decimal, str, or None when blank; Invalid if unreadable."""
    unit = spec.unit
    if unit in (Unit.MONEY, Unit.COUNT, Unit.SCORE):
        return read_whole(raw)
    if unit == Unit.PERCENT:
        return read_percent(raw)
    if unit == Unit.CHOICE:
        return read_choice(raw, spec.choices) or None
    if _blank(raw):
        return None
    text = str(raw).strip()
    if len(text) > TEXT_MAX:
        raise Invalid(_("At most %(n)s characters.") % {"n": TEXT_MAX})
    return text


def range_error(spec: Spec, value) -> str | None:
    """Why a number is outside the field's range, or None."""
    if value is None or not spec.is_number:
        return None
    low, high = spec.min_value, spec.max_value
    if low is not None and value < low:
        if low == 0:
            return _("Cannot be negative.")
        return _("Must be at least %(min)s.") % {"min": vi_number(low)}
    if high is not None and value > high:
        return _("Must be at most %(max)s.") % {"max": vi_number(high)}
    return None


def clean_values(specs: list[Spec], raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The typed values of the fields raw names, and the errors of those that cannot be kept.

    Only fields present in raw are read. Errors here refuse even a draft.
    """
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for spec in specs:
        if spec.code not in raw:
            continue
        try:
            value = read_value(spec, raw[spec.code])
        except Invalid as problem:
            errors.setdefault(spec.code, []).append(str(problem))
            continue
        problem = range_error(spec, value)
        if problem:
            errors.setdefault(spec.code, []).append(problem)
            continue
        values[spec.code] = value
    return values, errors


# ---------------------------------------------------------------- across fields

COMPARE = {
    Operator.LE: lambda a, b: a <= b,
    Operator.LT: lambda a, b: a < b,
    Operator.GE: lambda a, b: a >= b,
    Operator.GT: lambda a, b: a > b,
    Operator.EQ: lambda a, b: a == b,
}


def rule_applies(rule: Rule, organization) -> bool:
    """Whether a rule concerns an organisation: its kinds, and the window its founding date must fall in."""
    if rule.kinds and (organization is None or organization.kind not in rule.kinds):
        return False
    if rule.founded_from or rule.founded_until:
        if organization is None:
            return False
        if rule.founded_from and organization.founded_on < rule.founded_from:
            return False
        if rule.founded_until and organization.founded_on > rule.founded_until:
            return False
    return True


def rule_errors(rules: list[Rule], organization, values: dict[str, Any]) -> dict[str, list[str]]:
    """The rules that do not hold, their message beside the left-hand field; unfilled sides are not compared."""
    errors: dict[str, list[str]] = {}
    for rule in rules:
        if not rule_applies(rule, organization):
            continue
        left = values.get(rule.left.code)
        right = values.get(rule.right.code) if rule.right_id else rule.constant
        if left is None or right is None:
            continue
        if not COMPARE[rule.operator](left, right):
            errors.setdefault(rule.left.code, []).append(rule.message_vi)
    return errors


def required_errors(specs: list[Spec], values: dict[str, Any]) -> dict[str, list[str]]:
    return {s.code: [_("Required.")] for s in specs if s.required and values.get(s.code) in (None, "")}


def merge(*groups: dict[str, list[str]]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for group in groups:
        for code, messages in group.items():
            merged.setdefault(code, []).extend(m for m in messages if m not in merged.get(code, []))
    return merged


def submission_errors(specs: list[Spec], rules: list[Rule], organization, values: dict[str, Any]):
    """Everything that keeps a return from being submitted: required fields, ranges, rules."""
    ranges = {}
    for spec in specs:
        problem = range_error(spec, values.get(spec.code))
        if problem:
            ranges[spec.code] = [problem]
    return merge(required_errors(specs, values), ranges, rule_errors(rules, organization, values))


# ---------------------------------------------------------------- year over year


@dataclass
class Previous:
    """The return a new one is compared with, and its values."""

    ret: Return
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def period_slug(self) -> str:
        return f"{self.ret.year}Q{self.ret.quarter}" if self.ret.quarter else str(self.ret.year)


def previous_return(form, organization, year: int, quarter: int | None) -> Previous | None:
    """The organisation's latest submitted or approved return of form for a period before (year, quarter)."""
    if organization is None:
        return None
    earlier = Return.objects.filter(form=form, organization=organization, status__in=COMPARED_STATUSES)
    if quarter:
        earlier = earlier.filter(year__lt=year) | earlier.filter(year=year, quarter__lt=quarter)
    else:
        earlier = earlier.filter(year__lt=year)
    ret = earlier.order_by("-year", "-quarter").first()
    if ret is None:
        return None
    return Previous(ret, values_of(ret))


def ratio_text(ratio: Decimal) -> str:
    return vi_number(ratio, 1)


def plausibility_flags(specs: list[Spec], values: dict[str, Any], previous: Previous | None, factor) -> list[dict]:
    """Numbers that moved more than factor times up or down since the previous return.

    A change from or to zero has no factor and is not flagged; the sign is ignored (a loss
    that grows tenfold is flagged like a profit that does).
    """
    if previous is None or not factor:
        return []
    factor = Decimal(str(factor))
    flags = []
    for spec in specs:
        if spec.unit not in PLAUSIBILITY_UNITS:
            continue
        now, last = values.get(spec.code), previous.values.get(spec.code)
        if not now or not last:
            continue
        ratio = abs(Decimal(now)) / abs(Decimal(last))
        if ratio > factor or ratio * factor < 1:
            flags.append(
                {
                    "indicator": spec.code,
                    "last": plain(last),
                    "now": plain(now),
                    "period": previous.period_slug,
                    "ratio": str(ratio.quantize(Decimal("0.01"))),
                }
            )
    return flags


# ---------------------------------------------------------------- stored values


def values_of(ret: Return) -> dict[str, Any]:
    """A return's values by indicator code, typed (one query)."""
    return {v.indicator.code: v.get() for v in ret.values.select_related("indicator")}


def plain(value) -> Any:
    """A value as JSON keeps it in revisions and flags: ints stay ints, a percentage becomes "12.50"."""
    if isinstance(value, Decimal):
        return str(value)
    return value


def display(spec_or_indicator, value, language: str | None = None) -> str:
    """A value as people read it: 1.500.000.000; 12,5; the choice's label."""
    indicator = getattr(spec_or_indicator, "indicator", spec_or_indicator)
    if value in (None, ""):
        return ""
    unit = indicator.unit
    if unit == Unit.PERCENT:
        number = Decimal(str(value))
        places = 0 if number == number.to_integral() else (1 if number * 10 == (number * 10).to_integral() else 2)
        return vi_number(number, places)
    if unit in (Unit.MONEY, Unit.COUNT, Unit.SCORE):
        return vi_number(int(value))
    if unit == Unit.CHOICE:
        for choice in indicator.choices or []:
            if choice[0] == value:
                return choice_label(choice, language)
    return str(value)


def as_input(spec: Spec, value) -> str:
    """A stored value as the entry form shows it for editing (a choice by its code)."""
    if value in (None, ""):
        return ""
    if spec.unit == Unit.CHOICE:
        return str(value)
    return display(spec, value)
