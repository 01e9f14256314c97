from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ValueChainConfig(AppConfig):
    name = "hoptac.valuechain"
    label = "valuechain"
    verbose_name = _("Value-chain support")
