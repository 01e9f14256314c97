from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "hoptac.registry"
    label = "registry"
    verbose_name = _("Registry")

    # --- export jobs (issue #9): the statistics workbook, made by the worker
    def ready(self):
        from . import stats_jobs  # noqa: F401 (registers its kind)

    # --- end export jobs
