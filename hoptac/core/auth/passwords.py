"""The password policy's own pieces."""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule, with a message the project's catalogue translates.

    Django 6 changed the message's text and its Vietnamese catalogue has not followed, so
    people were told in English that their password was too short.
    """

    def get_error_message(self):
        # Formatted by ValidationError with params={"min_length": …}.
        return ngettext(
            "This password is too short: it must have at least %(min_length)d character.",
            "This password is too short: it must have at least %(min_length)d characters.",
            self.min_length,
        )
