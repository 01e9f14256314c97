from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalConfig(AppConfig):
    name = "hoptac.journal"
    label = "journal"
    verbose_name = _("Activity journal and documents")
