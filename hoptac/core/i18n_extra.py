"""Strings Django itself shows but does not translate into Vietnamese; our catalogue does."""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = [
    gettext_noop("- Select an option -"),
]
