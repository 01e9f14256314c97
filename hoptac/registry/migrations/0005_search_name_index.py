"""On PostgreSQL, a search sorted by name reads 50 rows instead of every match (issue #9).

The list is ordered by (name, id). A search for "tan thanh" matches 4.928 of the country's
116.350 organisations: the trigram index (0002) finds them all, then PostgreSQL sorted them
to keep the first 50 (21 ms). With a b-tree on (name, id) it walks the names in order and
stops at the 50th match (2 ms); for a rare term the planner still chooses the trigram index.
The unfiltered and filtered lists, also sorted by name, get the same index.

This also re-creates the trigram index of 0002 where it is missing (``IF NOT EXISTS``, same
name; ``pg_trgm`` first): a database restored without it would silently scan the table.
Django's ``TrigramExtension`` is not used because its reverse drops the extension, which
PostgreSQL refuses while 0002's index uses it. SQLite gets nothing: a province's thousand
rows sort in well under a millisecond.
"""

from django.db import migrations

NAME_INDEX = "registry_org_name_id"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS registry_org_search_trgm "
        "ON registry_organization USING gin (search_text gin_trgm_ops)"
    )
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {NAME_INDEX} ON registry_organization (name, id)")


def backwards(apps, schema_editor):
    """Drop the name index; the trigram index and the extension belong to 0002."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_event_status_index")]
    operations = [migrations.RunPython(forwards, backwards)]
