"""Template filters for Vietnamese formats: {{ n|vi_number }}, {{ amount|vi_money }}, {{ day|vi_date }}."""

from django import template

from hoptac.core import formatting

register = template.Library()


@register.filter
def vi_number(value, decimals=0):
    return formatting.vi_number(value, int(decimals))


@register.filter
def vi_money(value):
    return formatting.vi_money(value)


@register.filter
def vi_date(value):
    return formatting.vi_date(value)
