from django.core.management.base import BaseCommand
from django.db import transaction

from hoptac.geo import selectors
from hoptac.geo.loader import load_units
from hoptac.geo.models import AdminUnit, UnitChange


class Command(BaseCommand):
    help = "Load administrative units of both eras and Bắc Giang's history (idempotent; migrations run it too)."

    def handle(self, *args, **options):
        with transaction.atomic():
            load_units(AdminUnit, UnitChange, stdout=self.stdout)
        selectors.clear_cache()
