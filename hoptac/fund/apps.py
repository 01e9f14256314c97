from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundConfig(AppConfig):
    name = "hoptac.fund"
    label = "fund"
    verbose_name = _("Cooperative Development Support Fund")
