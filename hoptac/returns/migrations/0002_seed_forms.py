from django.db import migrations


def load(apps, schema_editor):
    from hoptac.returns import seed

    seed.load(apps)


class Migration(migrations.Migration):
    dependencies = [("returns", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
