"""REST framework's validation messages that its own Vietnamese catalogue leaves in English.

Listed here only so that ``makemessages`` puts them in this app's catalogue: REST framework
asks gettext for these exact strings, and the translation it finds is ours. Placeholders in
braces are filled by REST framework and must stay in the translation.
"""

from django.utils.translation import gettext_noop as _

MESSAGES = [
    _('"{input}" is not a valid choice.'),
    _("A valid integer is required."),
    _("A valid biginteger is required."),
    _("A valid number is required."),
    _("Must be a valid boolean."),
    _("Not a valid string."),
    _("String value too large."),
    _("Integer value too large to convert to float"),
    _("Surrogate characters are not allowed: U+{code_point:X}."),
    _("Ensure this field has at least {min_length} characters."),
    _("Ensure this field has no more than {max_length} characters."),
    _("Ensure this value is greater than or equal to {min_value}."),
    _("Ensure this value is less than or equal to {max_value}."),
    _("Ensure that there are no more than {max_digits} digits in total."),
    _("Ensure that there are no more than {max_decimal_places} decimal places."),
    _("Ensure that there are no more than {max_whole_digits} digits before the decimal point."),
    _("Expected a date but got a datetime."),
    _("Datetime has wrong format. Use one of these formats instead: {format}."),
    _('Expected a list of items but got type "{input_type}".'),
    _('Expected a dictionary of items but got type "{input_type}".'),
    _("Invalid data. Expected a dictionary, but got {datatype}."),
    _("This field may not be null."),
    _("This field must be unique."),
    _("This value does not match the required pattern."),
    _('Invalid pk "{pk_value}" - object does not exist.'),
    _("Incorrect type. Expected pk value, received {data_type}."),
    _("Invalid page."),
    _("A page number within the paginated result set."),
    _("Number of results to return per page."),
]
