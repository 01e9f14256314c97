"""Every form of the product, fed hostile values field by field, answers with errors, never a crash.

Property-based (hypothesis): for each form that takes only its data, random text (control
characters, NUL, very long strings, markup, Vietnamese), huge and negative numbers and odd
dates go into every field; ``is_valid()`` must return and every error must be a message. Forms
built for one record (they need that record to exist) are named in NEEDS_CONTEXT; their pages
are fuzzed with empty bodies by the permission matrix and with files by test_hostile_input.
"""

import importlib
import inspect

import pytest
from django import forms
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

APPS = ["analytics", "api", "awards", "briefing", "fund", "journal", "portal", "registry", "returns", "training"]
APPS += ["valuechain"]
NEEDS_CONTEXT = {
    "analytics.DrilldownForm",
    "analytics.GradesForm",
    "analytics.PivotForm",
    "api.PublicDirectoryForm",
    "registry.DirectoryFilterForm",
    "registry.EventForm",
    "registry.ListFilterForm",
    "returns.ReturnFilterForm",
    "training.ParticipantForm",
    "valuechain.AnswersForm",
    "valuechain.SelectionForm",
    "valuechain.SurveyCreateForm",
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
FUZZED = sorted(set(FORMS) - NEEDS_CONTEXT)

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
    assert NEEDS_CONTEXT <= set(FORMS), sorted(NEEDS_CONTEXT - set(FORMS))
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
