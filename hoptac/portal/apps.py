from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "hoptac.portal"
    label = "portal"
    verbose_name = _("Public portal")

    def ready(self):
        import logging

        from . import signals

        # Wagtail logs every page it creates and django-tasks every background task it runs (the
        # search and reference indexes): noise in the demo load and in tests.
        logging.getLogger("wagtail").setLevel(logging.WARNING)
        logging.getLogger("django_tasks").setLevel(logging.WARNING)

        # Once per migrate, after every app's own post_migrate work has had its turn for this app.
        post_migrate.connect(signals.ensure_after_migrate, sender=self, dispatch_uid="portal_ensure")
