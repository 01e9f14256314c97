"""Form pieces shared by every app."""

from django import forms

# What people type for a date; the first is how dates are shown.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]


class ViDateInput(forms.DateInput):
    """A date typed as dd/mm/yyyy.

    Not the browser's native date picker: it shows mm/dd/yyyy on the English Windows many
    offices run, and "03/04" must mean 3 April for every user.
    """

    def __init__(self, attrs=None):
        defaults = {
            "placeholder": "dd/mm/yyyy",
            "inputmode": "numeric",
            "autocomplete": "off",
            "pattern": r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}|\d{4}-\d{2}-\d{2}",
            "class": "date-input",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")
