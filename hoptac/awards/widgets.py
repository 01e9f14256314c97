"""A searchable organisation picker for forms, in place of a select of every organisation.

The widget is a text box and a hidden field. As the user types, HTMX asks the search URL
given to the widget for at most a page of matching organisations (a fragment of
``<li data-pk data-label>`` options, see ``awards/widgets/_organization_options.html``);
``awards/org_picker.js`` shows them, and a choice puts the organisation's pk in the hidden
field and "name (code)" in the text box. Without JavaScript the text box takes an
organisation's code, which the field resolves. Nothing here is specific to awards: the
search URL, the queryset and the labels come from the form, so it can move to core as is.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

TEXT_SUFFIX = "_text"
_CODE_IN_LABEL = re.compile(r"\(([^()]+)\)\s*$")


def picker_label(organization) -> str:
    """What the text box shows once an organisation is chosen; the code in brackets is read back without JavaScript."""
    return f"{organization.name} ({organization.code})"


def code_from_text(text: str) -> str:
    """The code a user typed, alone or as the "name (code)" the picker writes."""
    text = (text or "").strip()
    match = _CODE_IN_LABEL.search(text)
    return match.group(1).strip() if match else text


class OrganizationPicker(forms.Widget):
    """Text box searching organisations through ``search_url`` (HTMX), hidden field holding the chosen pk."""

    template_name = "awards/widgets/organization_picker.html"

    def __init__(self, search_url, attrs=None):
        super().__init__(attrs)
        self.search_url = search_url
        self.queryset = None  # set by OrganizationPickerField, to label an initial value

    def value_from_datadict(self, data, files, name):
        return (data.get(name) or "", data.get(name + TEXT_SUFFIX) or "")

    def value_omitted_from_data(self, data, files, name):
        return name not in data and name + TEXT_SUFFIX not in data

    def _label(self, pk) -> str:
        if self.queryset is None or pk in (None, ""):
            return ""
        organization = self.queryset.model._default_manager.filter(pk=pk).only("name", "code").first()
        return picker_label(organization) if organization else ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, None, attrs)
        if isinstance(value, (tuple, list)):
            pk, text = value
        else:  # an initial value: a pk, or nothing
            pk, text = ("" if value is None else value), ""
        if pk and not text:
            text = self._label(pk)
        widget = context["widget"]
        widget_id = widget["attrs"].get("id") or f"id_{name}"
        widget.update(
            pk=pk,
            text=text,
            text_name=name + TEXT_SUFFIX,
            search_url=str(self.search_url),
            options_id=f"{widget_id}_options",
            value_id=f"{widget_id}_pk",
        )
        return context

    def id_for_label(self, id_):
        return id_


class OrganizationPickerField(forms.ModelChoiceField):
    """One organisation of queryset, chosen with an OrganizationPicker or typed as its code."""

    default_error_messages = {
        "unknown_code": _(
            "No organisation you may choose has the code “%(code)s”. Type part of the name and choose it from "
            "the list, or type the exact code."
        ),
    }

    def __init__(self, queryset, *, search_url, **kwargs):
        kwargs.setdefault("widget", OrganizationPicker(search_url=search_url))
        kwargs.setdefault(
            "help_text",
            _("Type part of the name or the code, then choose from the list (without the list, type the code)."),
        )
        super().__init__(queryset, **kwargs)

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.queryset = self.queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def to_python(self, value):
        pk, text = value if isinstance(value, (tuple, list)) else (value, "")
        if pk not in self.empty_values:
            return super().to_python(pk)
        code = code_from_text(text)
        if not code:
            return None
        organization = self.queryset.filter(code=code).first()
        if organization is None:
            raise ValidationError(self.error_messages["unknown_code"], code="unknown_code", params={"code": code})
        return organization

    def has_changed(self, initial, data):
        pk, text = data if isinstance(data, (tuple, list)) else (data, "")
        return str(self.prepare_value(initial) or "") != str(pk or code_from_text(text))
