"""Load the administrative units of both eras and Bắc Giang's history.

Every new database, the test databases included, starts with the same units; the
``load_geo`` command runs the same loader again after upgrading vietnam-provinces.
"""

from django.db import migrations


def load(apps, schema_editor):
    from hoptac.geo.loader import load_units

    load_units(apps.get_model("geo", "AdminUnit"), apps.get_model("geo", "UnitChange"))


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
