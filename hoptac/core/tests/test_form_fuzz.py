"""Every form of the product, fed hostile values field by field, answers with errors, never a crash.

Property-based (hypothesis): for each form that takes only its data, random text (control
characters, NUL, very long strings, markup, Vietnamese), huge and negative numbers and odd
dates go into every field; ``is_valid()`` must return and every error must be a message. Forms
built for one record (they need that record to exist) are named in NEEDS_CONTEXT with a builder
that makes what their view would pass them (a programme and its criteria, an organisation, the
shipped forms and their periods), and are fuzzed the same way.
"""

import importlib
import inspect

import pytest
from django import forms
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

APPS = ["analytics", "api", "awards", "briefing", "fund", "journal", "portal", "registry", "returns", "training"]
APPS += ["valuechain"]


def _pivot(request):
    from django.utils import timezone

    from hoptac.analytics import selectors
    from hoptac.analytics.figures import Dimension, measures_for

    forms_by_code = {f.code: f for f in selectors.statistics_forms()}
    form = forms_by_code["annual_htx"]
    periods, _newest = selectors.form_periods(form, timezone.localdate())
    return {
        "forms_by_code": forms_by_code,
        "measures": measures_for(selectors.form_indicators(form)),
        "periods": periods,
        "dimensions": [d.value for d in Dimension],
    }


def _drilldown(request):
    return {"forms_by_code": _pivot(request)["forms_by_code"]}


def _district_day():
    import datetime

    return {"province_code": "24", "district_day": datetime.date(2021, 3, 15)}


def _return_filter(request):
    from hoptac.returns.models import ReturnForm
    from hoptac.returns.periods import parse_period

    return {"form": ReturnForm.objects.get(code="annual_htx"), "period": parse_period("2020")}


def _programme(request):
    from hoptac.valuechain import services
    from hoptac.valuechain.models import ProgrammeStatus

    request.getfixturevalue("org_tan_yen")
    by = request.getfixturevalue("admin")
    programme = services.programme_create(name="Chuỗi giá trị 2021", year_from=2021, budget=1_000_000_000, by=by)
    services.criterion_add(programme=programme, text="Tổ chức", max_score=10, required=True, pass_score=5, by=by)
    services.criterion_add(programme=programme, text="Quy mô", max_score=20, weight=2, by=by)
    services.programme_set_status(programme=programme, status=ProgrammeStatus.SURVEY, by=by)
    return programme, by


def _survey_create(request):
    from hoptac.valuechain import selectors

    programme, by = _programme(request)
    return {"candidates": selectors.candidates_for(by, programme)}


def _answers(request):
    from hoptac.valuechain import selectors

    programme, _by = _programme(request)
    return {"criteria": selectors.live_criteria(programme), "answers": {}}


def _selection(request):
    import datetime

    from hoptac.valuechain import selectors, services

    programme, by = _programme(request)
    org = request.getfixturevalue("org_tan_yen")
    survey = services.survey_create(
        programme=programme, organization=org, surveyed_on=datetime.date(2021, 3, 1), status="under_way", by=by
    )
    given = {c: services.Score(8, "Trả lời") for c in selectors.live_criteria(programme)}
    services.survey_score(survey=survey, answers=given, by=by)
    services.survey_mark_done(survey=survey, done_on=datetime.date(2021, 3, 5), by=by)
    return {"candidates": [c for c in selectors.programme_ranking(programme) if c.done]}


# Forms whose fields are built for one record or one view: what that view would pass them.
NEEDS_CONTEXT = {
    "analytics.DrilldownForm": _drilldown,
    "analytics.GradesForm": lambda request: {"years": [2019, 2020, 2021]},
    "analytics.PivotForm": _pivot,
    "api.PublicDirectoryForm": lambda request: _district_day(),
    "registry.DirectoryFilterForm": lambda request: _district_day(),
    "registry.EventForm": lambda request: {"organization": request.getfixturevalue("org_tan_yen")},
    "registry.ListFilterForm": lambda request: {"province_code": "24"},
    "returns.ReturnFilterForm": _return_filter,
    "training.ParticipantForm": lambda request: {"user": request.getfixturevalue("staff")},
    "valuechain.AnswersForm": _answers,
    "valuechain.SelectionForm": _selection,
    "valuechain.SurveyCreateForm": _survey_create,
}


def product_forms() -> dict[str, type[forms.BaseForm]]:
    found = {}
    for app in APPS:
        module = importlib.import_module(f"hoptac.{app}.forms")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and issubclass(cls, forms.BaseForm):
                found[f"{app}.{name}"] = cls
    return found


FORMS = product_forms()
FUZZED = sorted(set(FORMS) - set(NEEDS_CONTEXT))

hostile_text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=20).map(lambda s: s * 300),
    st.sampled_from(
        [
            "\x00",
            "a\x00b",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            '=HYPERLINK("http://x")',
            "9" * 40,
            "-9" + "9" * 30,
            "1e308",
            "NaN",
            "31/02/2021",
            "0000-00-00",
            "15/03/99999",
            "Hợp tác xã Vải thiều Lục Ngạn",
            "１２３",
            " ",
        ]
    ),
)


@pytest.mark.django_db
def test_every_form_is_fuzzed_or_named():
    assert set(NEEDS_CONTEXT) <= set(FORMS), sorted(set(NEEDS_CONTEXT) - set(FORMS))
    unbuildable = []
    for name in FUZZED:
        try:
            FORMS[name](data={})
        except TypeError as exc:
            unbuildable.append(f"{name}: {exc}")
    assert not unbuildable, "name these in NEEDS_CONTEXT or give them data-only construction:\n" + "\n".join(
        unbuildable
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", FUZZED)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_hostile_values_in_every_field_give_errors_not_a_crash(name, data):
    form_class = FORMS[name]
    fields = form_class(data={}).fields
    values = {field: data.draw(hostile_text, label=field) for field in fields}
    form = form_class(data=values)
    valid = form.is_valid()  # must return, whatever the values
    if not valid:
        for field, messages in form.errors.items():
            assert all(isinstance(message, str) and message for message in messages), (field, messages)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(NEEDS_CONTEXT))
def test_hostile_values_in_every_field_of_record_forms_give_errors_not_a_crash(name, request):
    """The same, for forms built for one record: the record is made once, the values drawn many times."""
    form_class = FORMS[name]
    kwargs = NEEDS_CONTEXT[name](request)
    fields = form_class(data={}, **kwargs).fields
    assert fields, name

    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def fuzz(data):
        values = {field: data.draw(hostile_text, label=field) for field in fields}
        form = form_class(data=values, **kwargs)
        if not form.is_valid():  # must return, whatever the values
            for field, messages in form.errors.items():
                assert all(isinstance(message, str) and message for message in messages), (field, messages)

    fuzz()
