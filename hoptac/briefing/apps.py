from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BriefingConfig(AppConfig):
    name = "hoptac.briefing"
    label = "briefing"
    verbose_name = _("Quarterly and annual reports")

    # --- export jobs (issue #9): the draft's Word and PDF files, made by the worker
    def ready(self):
        from . import export_jobs  # noqa: F401 (registers its kinds)

    # --- end export jobs
