"""The portal's groups (Biên tập viên, Người duyệt, Quản trị cổng thông tin) and the review workflow."""

from django.db import migrations

from hoptac.portal.setup import ensure_editorial_groups


def forwards(apps, schema_editor):
    ensure_editorial_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("core", "0003_department_value_chain"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
