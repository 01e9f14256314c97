"""Each validation rule: Vietnamese numbers, ranges, choices, required fields, cross-field rules, plausibility."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from conftest import make_org
from hoptac.returns import services, validation
from hoptac.returns.models import FormField, Indicator, Rule, Status

from .conftest import VALID, submit

D = datetime.date


def spec(code: str, form, **override) -> validation.Spec:
    specs = {s.code: s for s in validation.specs_for(form.version_for(2020))}
    s = specs[code]
    return validation.Spec(**{**s.__dict__, **override})


def check(form, org, values: dict) -> dict:
    """The submission errors of VALID changed by values, for org."""
    version = form.version_for(2020)
    specs = validation.specs_for(version)
    typed, errors = validation.clean_values(specs, {**VALID, **values})
    assert not errors, errors
    return validation.submission_errors(specs, validation.rules_for(version), org, typed)


# ---------------------------------------------------------------- reading numbers


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("1.500.000.000", 1_500_000_000),
        ("1500000000", 1_500_000_000),
        ("1 500 000 000", 1_500_000_000),
        ("1.500.000.000 đ", 1_500_000_000),
        ("1.500.000.000 đồng", 1_500_000_000),
        ("-200.000.000", -200_000_000),
        ("\u2212200.000.000", -200_000_000),
        ("1.500.000,00", 1_500_000),
        (1_500_000_000, 1_500_000_000),
        (1_500_000_000.0, 1_500_000_000),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_whole_numbers_are_read_vietnamese_style(typed, expected):
    assert validation.read_whole(typed) == expected


@pytest.mark.parametrize("typed", ["1,5", "1.5", "1.500,5", 12.5])
def test_a_whole_number_with_decimals_is_refused(typed):
    with pytest.raises(validation.Invalid, match="không có phần thập phân"):
        validation.read_whole(typed)


@pytest.mark.parametrize("typed", ["abc", "1.50.000", "1,500,000", "12a"])
def test_an_unreadable_number_is_refused_with_the_vietnamese_way_to_write_it(typed):
    with pytest.raises(validation.Invalid, match="1.500.000.000"):
        validation.read_whole(typed)


@pytest.mark.parametrize(
    "typed, expected",
    [("12,5", Decimal("12.50")), ("12.5", Decimal("12.50")), ("12,5%", Decimal("12.50")), ("100", Decimal("100.00"))],
)
def test_percentages_take_a_decimal_comma(typed, expected):
    assert validation.read_percent(typed) == expected


def test_a_percentage_with_three_decimals_is_refused():
    with pytest.raises(validation.Invalid, match="hai chữ số"):
        validation.read_percent("12,345")


def test_the_messages_are_in_the_apps_vietnamese_catalogue():
    with translation.override("vi"), pytest.raises(validation.Invalid) as problem:
        validation.read_whole("abc")
    assert "số nguyên" in str(problem.value)


# ---------------------------------------------------------------- per field


def test_a_choice_is_read_by_code_or_label_ignoring_diacritics(annual):
    model = spec("model", annual)
    assert validation.read_value(model, "jobs") == "jobs"
    assert validation.read_value(model, "Tạo việc làm") == "jobs"
    assert validation.read_value(model, "tao viec lam") == "jobs"
    with pytest.raises(validation.Invalid, match="Cung ứng"):
        validation.read_value(model, "khác")


def test_text_longer_than_500_characters_is_refused(quarterly):
    note = validation.specs_for(quarterly.version_for(2021))[-1]
    assert note.code == "q_note"
    with pytest.raises(validation.Invalid):
        validation.read_value(note, "x" * 501)


def test_a_negative_count_is_refused_by_the_indicators_range(annual):
    _values, errors = validation.clean_values([spec("employees", annual)], {"employees": "-3"})
    assert errors == {"employees": ["Không được âm."]}


def test_a_percentage_over_100_is_refused(annual):
    _values, errors = validation.clean_values([spec("member_services", annual)], {"member_services": "120"})
    assert "100" in errors["member_services"][0]


def test_profit_may_be_negative(annual):
    values, errors = validation.clean_values([spec("profit", annual)], {"profit": "-200.000.000"})
    assert not errors and values == {"profit": -200_000_000}


def test_the_forms_own_range_overrides_the_indicators(grading_form):
    # Criterion 1 is worth 7 points on the grading sheet: its indicator allows 0-7.
    field = FormField.objects.get(version=grading_form.version_for(2020), indicator__code="grading_c01")
    field.max_value = 5
    field.save()
    c01 = validation.specs_for(grading_form.version_for(2020))[0]
    _values, errors = validation.clean_values([c01], {"grading_c01": "6"})
    assert errors == {"grading_c01": ["Nhiều nhất là 5."]}
    _values, errors = validation.clean_values([c01], {"grading_c01": "5"})
    assert not errors


def test_the_indicators_range_applies_without_an_override(grading_form):
    c01 = validation.specs_for(grading_form.version_for(2020))[0]
    _values, errors = validation.clean_values([c01], {"grading_c01": "8"})
    assert errors == {"grading_c01": ["Nhiều nhất là 7."]}


def test_required_fields_must_be_filled_to_submit(annual, org_tan_yen):
    errors = check(annual, org_tan_yen, {"revenue": "", "members_end": ""})
    assert errors["revenue"] == ["Bắt buộc."] and errors["members_end"] == ["Bắt buộc."]


def test_optional_fields_may_stay_blank(annual, org_tan_yen):
    assert check(annual, org_tan_yen, {"model": "", "qualification_chair": ""}) == {}


# ---------------------------------------------------------------- across fields


def test_profit_above_revenue_is_refused_beside_profit(annual, org_tan_yen):
    errors = check(annual, org_tan_yen, {"profit": "3.000.000.000"})
    assert errors == {"profit": ["Lợi nhuận không được lớn hơn doanh thu."]}


def test_profit_equal_to_revenue_passes(annual, org_tan_yen):
    assert check(annual, org_tan_yen, {"profit": "2.500.000.000"}) == {}


def test_member_workers_cannot_outnumber_workers(annual, org_tan_yen):
    errors = check(annual, org_tan_yen, {"employees_members": "9"})
    assert errors == {"employees_members": ["Lao động là thành viên không được nhiều hơn tổng số lao động."]}


def test_an_htx_founded_under_the_2012_law_needs_seven_members(annual, org_tan_yen):
    assert org_tan_yen.founded_on < D(2024, 7, 1)
    errors = check(annual, org_tan_yen, {"members_end": "6"})
    assert errors == {"members_end": ["HTX thành lập theo Luật HTX 2012 phải có ít nhất 7 thành viên chính thức."]}
    assert check(annual, org_tan_yen, {"members_end": "7"}) == {}


def test_an_htx_founded_under_the_2023_law_needs_five_members(annual, commune_tan_yen):
    org = make_org(commune_tan_yen, founded_on=D(2024, 9, 2), name="HTX Mới thành lập")
    assert check(annual, org, {"members_end": "5"}) == {}
    errors = check(annual, org, {"members_end": "4"})
    assert errors == {"members_end": ["HTX thành lập theo Luật HTX 2023 phải có ít nhất 5 thành viên chính thức."]}


def test_the_membership_minimum_does_not_apply_to_a_union(annual, commune_tan_yen):
    union = make_org(commune_tan_yen, kind="LHHTX", name="Liên hiệp HTX Thử nghiệm")
    assert check(annual, union, {"members_end": "3"}) == {}


def test_a_rule_applies_only_inside_its_founding_window(annual, org_tan_yen):
    rule = Rule.objects.get(version=annual.version_for(2020), constant=7)
    assert validation.rule_applies(rule, org_tan_yen)
    rule.founded_from = D(2016, 1, 1)  # the cooperative was founded in 2015
    assert not validation.rule_applies(rule, org_tan_yen)


def test_a_rule_against_a_blank_field_waits_for_the_value(annual, org_tan_yen):
    version = annual.version_for(2020)
    values = {"profit": 5, "revenue": None}
    assert validation.rule_errors(validation.rules_for(version), org_tan_yen, values) == {}


def test_an_equality_rule_added_by_an_administrator_is_checked(annual, org_tan_yen):
    version = annual.version_for(2020)
    Rule.objects.create(
        version=version,
        left=Indicator.objects.get(code="members_start"),
        operator="eq",
        right=Indicator.objects.get(code="members_end"),
        message_vi="Số thành viên đầu năm phải bằng cuối năm.",
    )
    errors = check(annual, org_tan_yen, {})
    assert errors == {"members_start": ["Số thành viên đầu năm phải bằng cuối năm."]}


# ---------------------------------------------------------------- year over year


def test_a_value_three_times_last_years_is_flagged_not_refused(annual, org_tan_yen):
    submit(annual, org_tan_yen, 2019, on=D(2019, 12, 10))
    ret = submit(annual, org_tan_yen, 2020, {**VALID, "revenue": "9.000.000.000"}, on=D(2020, 12, 10))
    assert ret.status == Status.SUBMITTED
    assert ret.flags == [
        {"indicator": "revenue", "last": 2_500_000_000, "now": 9_000_000_000, "period": "2019", "ratio": "3.60"}
    ]


def test_a_value_that_falls_to_a_third_is_flagged(annual, org_tan_yen):
    submit(annual, org_tan_yen, 2019)
    ret = submit(annual, org_tan_yen, 2020, {**VALID, "employees": "2", "employees_members": "1"})
    assert [f["indicator"] for f in ret.flags] == ["employees", "employees_members"]


def test_a_change_within_the_factor_is_not_flagged(annual, org_tan_yen):
    submit(annual, org_tan_yen, 2019)
    ret = submit(annual, org_tan_yen, 2020, {**VALID, "revenue": "7.000.000.000"})
    assert ret.flags == []


def test_the_factor_is_the_forms(annual, org_tan_yen):
    annual.plausibility_factor = Decimal("1.5")
    annual.save()
    submit(annual, org_tan_yen, 2019)
    ret = submit(annual, org_tan_yen, 2020, {**VALID, "revenue": "4.000.000.000"})
    assert [f["indicator"] for f in ret.flags] == ["revenue"]


def test_a_loss_that_grows_is_flagged_like_a_profit(annual, org_tan_yen):
    submit(annual, org_tan_yen, 2019, {**VALID, "profit": "-10.000.000"})
    ret = submit(annual, org_tan_yen, 2020, {**VALID, "profit": "-100.000.000"})
    assert [f["indicator"] for f in ret.flags] == ["profit"]


def test_a_change_from_zero_has_no_factor(annual, org_tan_yen):
    submit(annual, org_tan_yen, 2019, {**VALID, "taxes": "0"})
    ret = submit(annual, org_tan_yen, 2020)
    assert ret.flags == []


def test_only_a_submitted_or_approved_return_is_compared(annual, org_tan_yen):
    draft = services.return_open(form=annual, organization=org_tan_yen, year=2019, by=None)
    services.return_save(ret=draft, values={"revenue": "100.000.000"}, revision=draft.revision, by=None)
    ret = submit(annual, org_tan_yen, 2020)
    assert ret.flags == []


def test_the_latest_earlier_return_is_compared_when_a_year_was_skipped(annual, org_tan_yen):
    submit(annual, org_tan_yen, 2018, {**VALID, "revenue": "500.000.000", "profit": "10.000.000"})
    ret = submit(annual, org_tan_yen, 2020)
    assert ret.flags[0]["indicator"] == "revenue" and ret.flags[0]["period"] == "2018"
